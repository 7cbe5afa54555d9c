"""Time to first offer with 100,000 waitlist entries, against a baseline from the same run.

The measured path is `waitlist.service.offer_slot` on one free slot: load the
waiting candidates, rank them (pure), record the first wave and send its SMS
(outbox provider). The baseline is a plain indexed SELECT of the same candidate
columns. The printed ratio is offer / baseline. Not a test: no assertion on time.

    .venv/bin/python bench/waitlist_first_offer.py [--entries 100000] [--database-url URL]

Without --database-url it uses a fresh SQLite file, and also PostgreSQL when
CARELINE_TEST_DATABASE_URL is set (a throwaway database is created and dropped).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time as wall
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from careline.bootstrap import build_runtime
from careline.core.clock import ManualClock
from careline.core.db import Base, make_engine, transaction
from careline.core.settings import Environment, Settings
from careline.db_schema import load_all_tables
from careline.directory import service as directory
from careline.directory.model import DepartmentCreate, DepartmentKind, StaffCreate
from careline.directory.tables import LocationRow
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentType, SlotCreate
from careline.security.keyring import Keyring, save_keyring
from careline.security.model import SYSTEM
from careline.waitlist import service as waitlist
from careline.waitlist.tables import WaitlistEntryRow

START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
ROUNDS = 3


def run(url: str, entries: int, keyring: Path) -> None:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    clock = ManualClock(START)
    settings = Settings(environment=Environment.test, database_url=url, keyring_file=keyring)
    rt = build_runtime(settings, clock=clock)
    with transaction(rt.sessions) as s:
        loc = LocationRow(
            name="Bench Clinic",
            timezone="America/New_York",
            code=uuid.uuid4().hex[:8].upper(),
            address={
                "line1": "1 St",
                "city": "X",
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
    staff = directory.create_staff(
        rt,
        actor=SYSTEM,
        data=StaffCreate(display_name="Dr. Bench", location_ids=[location], department_ids=[dept]),
    ).id
    people = [
        patients.create_patient(
            rt,
            actor=SYSTEM,
            data=PatientCreate(
                given_name="Fake",
                family_name=f"Person{i}",
                date_of_birth=date(1980, 1, 1),
                home_location_id=location,
                phones=[PhoneIn(number=f"+1312555{i:04d}")],
            ),
        ).id
        for i in range(30)
    ]
    rng = random.Random(7)
    rows = [
        {
            "id": str(uuid.uuid4()),
            "patient_id": people[i % len(people)],
            "department_id": dept,
            "type_code": rng.choice(["FOLLOWUP", None]),
            "location_ids": [location],
            "staff_id": rng.choice([staff, None]),
            "provider_required": False,
            "language": "en",
            "priority": rng.randint(1, 5),
            "window_start": None,
            "window_end": None,
            "preferred_times": []
            if rng.random() < 0.7
            else [{"weekdays": [0, 1, 2, 3, 4], "start": "08:00:00", "end": "17:00:00"}],
            "channel": "sms",
            "status": "waiting",
            "created_at": START - timedelta(minutes=rng.randint(1, 500_000)),
            "updated_at": START,
        }
        for i in range(entries)
    ]
    with transaction(rt.sessions) as s:
        for i in range(0, len(rows), 5000):
            s.execute(insert(WaitlistEntryRow), rows[i : i + 5000])
    e = WaitlistEntryRow
    baseline_q = select(
        e.id,
        e.department_id,
        e.type_code,
        e.location_ids,
        e.staff_id,
        e.provider_required,
        e.priority,
        e.window_start,
        e.window_end,
        e.preferred_times,
        e.created_at,
    ).where(
        e.status == "waiting",
        e.channel == "sms",
        (e.department_id == dept) | e.department_id.is_(None),
    )
    base_times, offer_times = [], []
    for r in range(ROUNDS):
        t0 = wall.perf_counter()
        with transaction(rt.sessions) as s:
            n = len(s.execute(baseline_q).all())
        base_times.append(wall.perf_counter() - t0)
        slot = scheduling.create_slot(
            rt,
            actor=SYSTEM,
            data=SlotCreate(
                staff_id=staff,
                location_id=location,
                department_id=dept,
                appointment_type=AppointmentType(code="FOLLOWUP", display="Follow-up"),
                start=START + timedelta(days=1, hours=r),
                duration_minutes=30,
            ),
        ).id
        t0 = wall.perf_counter()
        opening = waitlist.offer_slot(rt, slot_id=slot, reason="bench")
        offer_times.append(wall.perf_counter() - t0)
        assert opening is not None and opening.first_offer_at is not None
    base, offer = statistics.median(base_times), statistics.median(offer_times)
    engine_name = make_url(url).get_backend_name()
    print(
        f"{engine_name}: {entries} entries ({n} candidates): first offer {offer * 1000:.0f} ms, "
        f"baseline SELECT {base * 1000:.0f} ms, ratio {offer / base:.2f}x"
    )
    rt.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    load_all_tables()
    with tempfile.TemporaryDirectory() as tmp:
        keyring = Path(tmp) / "keyring.json"
        save_keyring(keyring, Keyring.generate())
        if args.database_url:
            run(args.database_url, args.entries, keyring)
            return
        run(f"sqlite:///{tmp}/bench.db", args.entries, keyring)
        pg = os.environ.get("CARELINE_TEST_DATABASE_URL")
        if pg:
            name = f"careline_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(pg, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                run(
                    make_url(pg).set(database=name).render_as_string(hide_password=False),
                    args.entries,
                    keyring,
                )
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
