"""Appointment reminder throughput: planning, then dispatch through the jobs worker.

Builds a fake network (one location, a few staff, N patients opted in to SMS with
an SMS-capable 555-01XX mobile, N appointments three days out between 10:00 and
15:00 local), then times separately:

- planning: `reminders.service.plan_upcoming` (the hourly sweep) writes each
  reminder row and its durable send job;
- dispatch: the clock moves to when the reminders are due and
  `jobs.worker.Worker(...).run_until_idle()` claims each send job, renders the
  reminder template and hands the message to the outbox provider (plus the audit,
  message and timeline rows that go with a real send).

The location gets a one-step plan (48 h before, so every reminder falls at
10:00-15:00 local, outside quiet hours): one reminder per appointment.

Baseline, same run, same database: one SQLAlchemy Core `insert()` executemany of
N rows into the real `outbox_items` table, PHI columns (`to_number`, `body`)
encrypted through `EncryptedText` as the provider writes them, and the same
unique key and indexes (median of three rounds; its rows are deleted before
careline runs). It is the floor for "N messages end up in the outbox". Prints
rows/second for each and the ratio careline/baseline (compare ratios, not
absolute numbers, on shared machines). Exits 1 unless the outbox ends up
holding exactly one message per reminder. Not a test: nothing here passes or fails on timing.

    .venv/bin/python bench/reminders_dispatch.py [--count 500] [--database-url URL]

SQLite always; PostgreSQL too when --database-url (or CARELINE_TEST_DATABASE_URL)
is given: a scratch database is created on that server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time as wall
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, delete, func, insert, select, text
from sqlalchemy.engine import make_url

from careline.bootstrap import build_runtime
from careline.core.clock import ManualClock
from careline.core.db import Base, make_engine, transaction
from careline.core.settings import Environment, Settings
from careline.db_schema import load_all_tables
from careline.directory import service as directory
from careline.directory.model import DepartmentCreate, DepartmentKind, StaffCreate
from careline.directory.tables import LocationRow
from careline.jobs.registry import default_registry
from careline.jobs.worker import Worker
from careline.patients import service as patients
from careline.patients.model import (
    PatientCreate,
    PhoneIn,
    PhoneKind,
    PreferredChannel,
    SmsConsent,
)
from careline.providers.outbox.tables import OutboxItemRow
from careline.reminders import service as reminders
from careline.reminders.model import ReminderPlanIn, ReminderStatus, ReminderStep, StepKind
from careline.reminders.tables import ReminderRow
from careline.runtime import Runtime
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentCreate, AppointmentType
from careline.security.keyring import Keyring, save_keyring
from careline.security.model import SYSTEM

TZ = "America/New_York"
ZONE = ZoneInfo(TZ)
START = datetime(2026, 3, 2, 10, 0, tzinfo=ZONE)  # a Monday, 10:00 local
VISIT_DAY = date(2026, 3, 5)  # Thursday: three days out
PER_STAFF = 20  # 10:00, 10:15 ... 14:45: one provider cannot be double-booked
AREA_CODES = ["312", "773", "872", "217", "630", "708", "847", "224"]
VISIT = AppointmentType(code="FOLLOWUP", display="Follow-up visit")
BASELINE_KEY = "bench-baseline:"
BASELINE_ROUNDS = 3


def fake_mobile(i: int) -> str:
    """Fictional numbers only: 555-0100..555-0199 across a few area codes."""
    return f"+1{AREA_CODES[(i // 100) % len(AREA_CODES)]}5550{100 + i % 100}"


def seed(rt: Runtime, count: int) -> None:
    """Location, department, staff, N opted-in SMS patients and N appointments."""
    with transaction(rt.sessions) as s:
        loc = LocationRow(
            name="Bench Clinic",
            timezone=TZ,
            code=uuid.uuid4().hex[:8].upper(),
            address={
                "line1": "1 Bench Street",
                "city": "Springfield",
                "region": "IL",
                "postal_code": "62701",
                "country": "US",
            },
            hours=[],
        )
        s.add(loc)
        s.flush()
        location = loc.id
    dept = directory.create_department(
        rt,
        actor=SYSTEM,
        data=DepartmentCreate(name="Clinic", kind=DepartmentKind("general"), location_id=location),
    ).id
    staff = [
        directory.create_staff(
            rt,
            actor=SYSTEM,
            data=StaffCreate(
                display_name=f"Dr. Bench {k}", location_ids=[location], department_ids=[dept]
            ),
        ).id
        for k in range(-(-count // PER_STAFF))
    ]
    reminders.set_plan(
        rt,
        actor=SYSTEM,
        data=ReminderPlanIn(
            location_id=location,
            steps=[ReminderStep(name="48h", kind=StepKind.before, hours_before=48)],
        ),
    )
    for i in range(count):
        patient = patients.create_patient(
            rt,
            actor=SYSTEM,
            data=PatientCreate(
                given_name="Fake",
                family_name=f"Person{i}",
                date_of_birth=date(1980, 1, 1) + timedelta(days=i),
                phones=[PhoneIn(number=fake_mobile(i), kind=PhoneKind.mobile, sms_capable=True)],
                preferred_channel=PreferredChannel.sms,
                sms_consent=SmsConsent.opted_in,
                home_location_id=location,
            ),
        ).id
        at = datetime.combine(VISIT_DAY, time(10, 0), tzinfo=ZONE) + timedelta(
            minutes=15 * (i % PER_STAFF)
        )
        scheduling.create_appointment(
            rt,
            actor=SYSTEM,
            data=AppointmentCreate(
                patient_id=patient,
                staff_id=staff[i // PER_STAFF],
                location_id=location,
                department_id=dept,
                start=at,
                duration_minutes=15,
                appointment_type=VISIT,
            ),
        )


def baseline(rt: Runtime, count: int) -> float:
    """Seconds for one Core executemany of `count` outbox rows (then removed again);
    the median of `BASELINE_ROUNDS`, as one round of a few ms is mostly noise."""
    times = []
    for _ in range(BASELINE_ROUNDS):
        times.append(_baseline_once(rt, count))
    return statistics.median(times)


def _baseline_once(rt: Runtime, count: int) -> float:
    now = rt.clock.now()
    body = (
        "Bench Clinic: reminder of your appointment on Thu Mar 5 at 10:00 AM. "
        "Reply C to confirm, R to reschedule, N to cancel. STOP to end texts."
    )
    rows = [
        {
            "id": str(uuid.uuid4()),
            "kind": "message",
            "idempotency_key": f"{BASELINE_KEY}{i}",
            "to_number": fake_mobile(i),
            "from_number": "+13125550100",
            "body": body,
            "status": "stored",
            "status_callback": None,
            "patient_id": str(uuid.uuid4()),
            "created_at": now,
        }
        for i in range(count)
    ]
    t0 = wall.perf_counter()
    with rt.engine.begin() as conn:
        conn.execute(insert(OutboxItemRow), rows)
    seconds = wall.perf_counter() - t0
    with rt.engine.begin() as conn:
        conn.execute(
            delete(OutboxItemRow).where(OutboxItemRow.idempotency_key.startswith(BASELINE_KEY))
        )
    return seconds


def verify(rt: Runtime, expected: int) -> bool:
    """Exactly one outbox message per reminder, and nothing else in the outbox."""
    with transaction(rt.sessions) as s:
        sent = {
            f"reminder:{rid}": mid
            for rid, mid in s.execute(
                select(ReminderRow.id, ReminderRow.message_id).where(
                    ReminderRow.status == ReminderStatus.sent.value
                )
            )
        }
        per_key = dict(
            s.execute(
                select(OutboxItemRow.idempotency_key, func.count())
                .where(OutboxItemRow.kind == "message")
                .group_by(OutboxItemRow.idempotency_key)
            ).all()
        )
        total = s.execute(select(func.count()).select_from(OutboxItemRow)).scalar_one()
    # The outbox key is the message's idempotency key, which for a reminder is
    # `reminder:<reminder id>`; so per_key must be exactly the sent reminders, once each.
    once = all(per_key.get(key) == 1 for key in sent)
    ok = len(sent) == expected and total == expected and set(per_key) == set(sent) and once
    print(
        f"  check: {expected} reminders planned, {len(sent)} sent, "
        f"{total} outbox items, one per reminder: {'yes' if ok else 'NO'}"
    )
    return ok


def run(url: str, count: int, keyring: Path, concurrency: int, batch_size: int | None) -> bool:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    clock = ManualClock(START.astimezone(UTC))
    settings = Settings(environment=Environment.test, database_url=url, keyring_file=keyring)
    rt = build_runtime(settings, clock=clock)
    try:
        t0 = wall.perf_counter()
        seed(rt, count)
        setup = wall.perf_counter() - t0
        base = baseline(rt, count)

        t0 = wall.perf_counter()
        looked_at = reminders.plan_upcoming(rt, horizon=timedelta(days=4))
        planning = wall.perf_counter() - t0
        with transaction(rt.sessions) as s:
            due = list(
                s.execute(
                    select(ReminderRow.due_at).where(
                        ReminderRow.status == ReminderStatus.planned.value
                    )
                ).scalars()
            )
        planned = len(due)
        if not due:
            print(f"{make_url(url).get_backend_name()}: no reminders were planned")
            return False
        clock.set(max(due))  # Tuesday 10:00-14:45 local: every send job is due
        worker = Worker(
            rt,
            registry=default_registry(),
            worker_id="bench",
            concurrency=concurrency,
            batch_size=batch_size,
        )
        t0 = wall.perf_counter()
        claimed = worker.run_until_idle()
        dispatch = wall.perf_counter() - t0

        name = make_url(url).get_backend_name()
        base_rate, plan_rate, send_rate = count / base, planned / planning, claimed / dispatch
        print(
            f"{name}: {count} appointments ({looked_at} swept), setup {setup:.1f} s, "
            f"worker concurrency {concurrency}, batch {worker.batch_size}"
        )
        print(f"  baseline  Core executemany into outbox_items: {base_rate:9.1f} rows/s")
        print(
            f"  planning  plan_upcoming:  {planned:6d} reminders {planning:7.2f} s "
            f"{plan_rate:9.1f} /s  "
            f"ratio {plan_rate / base_rate:.5f} (1/{base_rate / plan_rate:.0f})"
        )
        print(
            f"  dispatch  worker to outbox: {claimed:4d} jobs      {dispatch:7.2f} s "
            f"{send_rate:9.1f} /s  "
            f"ratio {send_rate / base_rate:.5f} (1/{base_rate / send_rate:.0f})"
        )
        return verify(rt, planned)
    finally:
        rt.engine.dispose()


def scratch_postgres(admin_url: str) -> tuple[str, str]:
    """Create an empty database next to the given one; returns (name, its URL)."""
    name = f"careline_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="patients and appointments")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("CARELINE_TEST_DATABASE_URL"),
        help="a PostgreSQL server to also run on (a scratch database is created there)",
    )
    parser.add_argument("--concurrency", type=int, default=1, help="worker threads")
    parser.add_argument("--batch-size", type=int, default=None, help="jobs claimed per batch")
    args = parser.parse_args()
    if args.count < 1:
        parser.error("--count must be at least 1")
    load_all_tables()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        keyring = Path(tmp) / "keyring.json"
        save_keyring(keyring, Keyring.generate())
        print(
            f"appointment reminders: plan and dispatch {args.count}, "
            "against a Core bulk insert of as many outbox rows"
        )
        ok &= run(
            f"sqlite:///{tmp}/bench.db", args.count, keyring, args.concurrency, args.batch_size
        )
        if args.database_url:
            name, url = scratch_postgres(args.database_url)
            try:
                ok &= run(url, args.count, keyring, args.concurrency, args.batch_size)
            finally:
                drop_postgres(args.database_url, name)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
