"""Issue 11, item 5: the generated cross-clinic attack matrix.

Every route of the app whose path names a thing (a patient, an appointment, a task,
a user...) is walked. Each path parameter must say, in `PARAM_KINDS`, how to make a
real thing of that kind at clinic A, or, in `PARAM_EXEMPT`, why it names nothing of a
clinic. A route added tomorrow with a parameter neither table knows turns
`test_every_located_route_is_in_the_matrix` red.

Then, in one network of two clinics, a user who holds every staff role but only at
clinic B (signed in, and through an API token of theirs) calls every such route with
every method it has, with clinic A's ids and a valid body: each call must be refused
(403 or 404, never 2xx, never 5xx) and its answer must carry none of clinic A's PHI.
The same calls by a user of clinic A are not refused (the positive controls), so the
matrix cannot pass because everything is broken. Reads that are network-wide by design
(`NETWORK_READS`, set-up without PHI) must answer both clinics alike and show no PHI.
The world is built once per database (SQLite, and PostgreSQL when configured).
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from test_route_permissions import all_routes

from careline.api.app import create_app
from careline.api.deps import authenticated
from careline.bootstrap import build_runtime
from careline.core.clock import ManualClock
from careline.core.db import Base, make_engine
from careline.core.settings import Environment, Settings
from careline.directory import service as directory
from careline.directory.model import (
    Closure,
    DepartmentCreate,
    DepartmentKind,
    OrganisationUpdate,
    StaffCreate,
)
from careline.flows import service as flows
from careline.messaging import service as messaging
from careline.messaging.model import MessageStatus, StaffMessage
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn, SmsConsent
from careline.runtime import Runtime
from careline.scheduling import service as scheduling
from careline.scheduling.model import AppointmentCreate, AppointmentType, SlotCreate, SlotStatus
from careline.security import mfa
from careline.security import service as security
from careline.security.model import SYSTEM, Permission, Role
from careline.timeline import service as timeline
from careline.timeline.model import Channel, Direction
from careline.waitlist import service as waitlist
from careline.waitlist.model import EntryCreate
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind
from clinics import chicago_clinic

# As tests/conftest.py: SQLite always, PostgreSQL when configured.
PG_URL = os.environ.get("CARELINE_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
#: A Monday, 05:00 at clinic A (Honolulu): its quiet hours, so staff texts are held.
START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
FOLLOWUP = AppointmentType(code="FOLLOWUP", display="Follow-up visit")

# ---------------------------------------------------------------- clinic A's PHI

GIVEN, FAMILY = "Zelphine", "Quarterbuck"
DOB = date(1961, 7, 19)
PHONE = "+18085550142"
NOTE_TEXT = "Bring the blue inhaler to the kumquat review"
MESSAGE_TEXT = "Your kumquat panel results are ready, Zelphine"
UNKNOWN_SENDER = "+18085550177"
UNKNOWN_TEXT = "Is the persimmon rash clinic still on Thursday"
#: What must never reach the other clinic's user (MRNs are added as they are made).
PHI = [
    GIVEN,
    FAMILY,
    DOB.isoformat(),
    DOB.strftime("%m/%d/%Y"),
    PHONE,
    PHONE[2:],
    "555-0142",
    NOTE_TEXT,
    MESSAGE_TEXT,
    "kumquat",
    UNKNOWN_SENDER,
    UNKNOWN_SENDER[2:],
    UNKNOWN_TEXT,
    "persimmon",
]

# ---------------------------------------------------------------- the walk


def _app_routes(app: FastAPI) -> list[tuple[str, str, list[str]]]:
    """(method, path, path parameters) of every route that names something in its path."""
    found = []
    for route in all_routes(app.routes):
        names = list(route.param_convertors)
        if not names:
            continue
        for method in sorted(route.methods):
            found.append((method, route.path, names))
    return found


def _bare_app() -> FastAPI:
    """The app's routes without a database: building the app reads only the settings."""
    shell = SimpleNamespace(
        settings=Settings(environment=Environment.test, database_url="sqlite://")
    )
    return create_app(cast(Runtime, shell))


ROUTES = _app_routes(_bare_app())

#: Path parameters that name nothing of a clinic, and why.
PARAM_EXEMPT: dict[str, str] = {
    "path": "the web app's static assets: public files, the same for everyone",
    "app_path": "the web app's pages: one public HTML shell for every path, no data",
}

#: Path parameter -> the kinds of clinic A's things it can name (each is its own case).
PARAM_KINDS: dict[str, tuple[str, ...]] = {
    "patient_id": ("patient",),
    "appointment_id": ("appointment",),
    "slot_id": ("slot",),
    "entry_id": ("waitlist_entry",),
    "task_id": ("task",),
    "interaction_id": ("note", "unattached_text"),
    "key": ("patient_conversation", "text_conversation"),
    "message_id": ("held_message",),
    "location_id": ("location",),
    "closure_id": ("closure",),  # with its location: one of clinic A's closures
    "department_id": ("department",),
    "staff_id": ("staff",),
    "flow_id": ("flow",),
    "number": ("flow",),  # a published version of the flow
    "binding_id": ("flow",),  # a number the flow answers, at clinic A
    "user_id": ("user",),
    "session_id": ("session",),
    "token_id": ("token",),
}

#: One route's parameter needs a thing in a particular state to be worth attacking.
ROUTE_KINDS: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {
    ("POST", "/api/v1/slots/{slot_id}/unblock"): {"slot_id": ("blocked_slot",)},
}

#: Routes left out of the matrix entirely, and why.
ROUTE_EXEMPT: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/patients/{patient_id}/break-glass"): (
        "break-glass is, by design, a clinician's audited access to a patient outside "
        "their clinics (tests/patients/test_patients_scope.py); the attacker holds the "
        "clinician role at B, and using it would open clinic A's patient to every later case"
    ),
    ("POST", "/api/v1/audit/{seq}/review"): (
        "an audit entry's number names no clinic's thing: the audit log is network-wide "
        "for auditors by design (docs/security.md) and its entries carry ids, not PHI; "
        "the mark's permission: tests/security/test_audit_console_api.py"
    ),
}

_DIRECTORY = (
    "the directory holds no PHI (directory/service.py) and its lists (GET /locations, "
    "/departments, /staff) show every clinic's: one of them by id tells no more"
)
_SLOTS = "open capacity holds no PHI, and GET /slots lists every clinic's free slots"
_FLOWS = (
    "call flows hold no PHI and GET /flows lists every clinic's; their writes follow the "
    "locations of the numbers they answer (checked in the matrix)"
)
#: Reads that answer every clinic alike by design: checked to answer the other clinic's
#: user exactly as clinic A's own user, with no PHI.
NETWORK_READS: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/locations/{location_id}"): _DIRECTORY,
    ("GET", "/api/v1/locations/{location_id}/open-status"): _DIRECTORY,
    ("GET", "/api/v1/locations/{location_id}/days"): _DIRECTORY,
    ("GET", "/api/v1/departments/{department_id}"): _DIRECTORY,
    ("GET", "/api/v1/staff/{staff_id}"): _DIRECTORY,
    ("GET", "/api/v1/slots/{slot_id}"): _SLOTS,
    ("GET", "/api/v1/flows/{flow_id}"): _FLOWS,
    ("GET", "/api/v1/flows/{flow_id}/draft/problems"): _FLOWS,
    ("GET", "/api/v1/flows/{flow_id}/versions"): _FLOWS,
    ("GET", "/api/v1/flows/{flow_id}/versions/{number}"): _FLOWS,
    ("GET", "/api/v1/flows/{flow_id}/versions/{number}/diff"): _FLOWS,
    ("GET", "/api/v1/flows/{flow_id}/bindings"): _FLOWS,
}

#: Calls clinic A's own user may not make either (so no positive control), and why.
CONTROL_REFUSED: dict[tuple[str, str], str] = {
    ("DELETE", "/api/v1/locations/{location_id}"): (
        "removing a clinic needs directory:write network-wide, which no clinic's user holds"
    ),
}

#: Positive controls whose new thing is in a state that answers 409 once the clinic's
#: check has passed (the state is checked after the scope), and why.
CONTROL_CONFLICTS: dict[str, str] = {
    "POST /api/v1/appointments/{appointment_id}/noshow": "the visit has not started yet",
    "POST /api/v1/appointments/{appointment_id}/fulfilled": "a booked visit is not fulfilled",
    "POST /api/v1/interactions/{interaction_id}/patient": "the note is some patient's already",
    "POST /api/v1/tasks/{task_id}/call-back": (
        "the matrix's users have no staff phone to ring (409 no-staff-phone, after the "
        "task's scope passed); the call itself: tests/worklist/test_worklist_call_back.py"
    ),
}


# ---------------------------------------------------------------- bodies


@dataclass
class Side:
    """The caller's own clinic, for bodies that refer to something: a body names the
    caller's own things, so the path's id is the only thing of clinic A in an attack."""

    location: str
    user_id: str
    patient: Callable[[], str]
    free_slot: Callable[[], str]
    number: Callable[[], str]


Body = Callable[[Side], dict[str, Any]]

BODIES: dict[tuple[str, str], Body] = {
    ("PUT", "/api/v1/users/{user_id}/roles"): lambda own: {
        "roles": [{"role": "agent", "location_id": own.location}]
    },
    ("PUT", "/api/v1/users/{user_id}/active"): lambda own: {"active": False},
    ("PATCH", "/api/v1/locations/{location_id}"): lambda own: {"name": "Harbour Clinic North"},
    ("POST", "/api/v1/locations/{location_id}/closures"): lambda own: {
        "starts_on": "2026-12-24",
        "reason": "Staff training",
    },
    ("PATCH", "/api/v1/departments/{department_id}"): lambda own: {"name": "Wound care desk"},
    ("PATCH", "/api/v1/staff/{staff_id}"): lambda own: {"title": "Charge nurse"},
    ("PUT", "/api/v1/staff/{staff_id}/presence"): lambda own: {"state": "away"},
    ("PATCH", "/api/v1/patients/{patient_id}"): lambda own: {"preferred_language": "es"},
    ("PUT", "/api/v1/patients/{patient_id}/sms-consent"): lambda own: {"sms_consent": "opted_out"},
    ("POST", "/api/v1/patients/{patient_id}/notes"): lambda own: {"text": "Called to check in"},
    ("POST", "/api/v1/interactions/{interaction_id}/patient"): lambda own: {
        "patient_id": own.patient()
    },
    ("PUT", "/api/v1/conversations/{key}/assignee"): lambda own: {"user_id": own.user_id},
    ("POST", "/api/v1/patients/{patient_id}/messages"): lambda own: {
        "body": "Please call the clinic back",
        "respect_quiet_hours": False,
    },
    ("POST", "/api/v1/appointments/{appointment_id}/reschedule"): lambda own: {
        "slot_id": own.free_slot()
    },
    ("POST", "/api/v1/appointments/{appointment_id}/cancel"): lambda own: {"reason": "patient"},
    ("PUT", "/api/v1/flows/{flow_id}/draft"): lambda own: {
        "document": flows.example_document().model_dump(mode="json", exclude_none=True)
    },
    ("POST", "/api/v1/flows/{flow_id}/publish"): lambda own: {
        "reason": "Monthly review of the menu"
    },
    ("POST", "/api/v1/flows/{flow_id}/rollback"): lambda own: {
        "version": 1,
        "reason": "Back to the reviewed menu",
    },
    ("POST", "/api/v1/flows/{flow_id}/bindings"): lambda own: {
        "number": own.number(),
        "location_id": own.location,
    },
    ("PATCH", "/api/v1/waitlist/{entry_id}"): lambda own: {"priority": 2},
    ("POST", "/api/v1/tasks/{task_id}/claim"): lambda own: {"take_over": True},
    ("POST", "/api/v1/tasks/{task_id}/done"): lambda own: {"note": "Called back, all sorted"},
}

#: Headers a route requires.
HEADERS: dict[tuple[str, str], Callable[[], dict[str, str]]] = {
    ("POST", "/api/v1/patients/{patient_id}/messages"): lambda: {
        "Idempotency-Key": f"matrix-{uuid.uuid4().hex}"
    },
}


# ---------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    kinds: tuple[tuple[str, str], ...]  # (parameter, kind)
    variant: str | None

    @property
    def route(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def id(self) -> str:
        name = f"{self.method} {self.path}"
        return f"{name} [{self.variant}]" if self.variant else name


def _kinds_for(method: str, path: str, name: str) -> tuple[str, ...] | None:
    return ROUTE_KINDS.get((method, path), {}).get(name) or PARAM_KINDS.get(name)


def uncovered(routes: list[tuple[str, str, list[str]]]) -> list[str]:
    """Routes with a path parameter that neither names a kind nor is exempt."""
    missing = []
    for method, path, names in routes:
        if (method, path) in ROUTE_EXEMPT:
            continue
        unknown = [
            n for n in names if n not in PARAM_EXEMPT and _kinds_for(method, path, n) is None
        ]
        if unknown:
            missing.append(f"{method} {path} ({', '.join(unknown)})")
    return missing


def _cases(routes: list[tuple[str, str, list[str]]]) -> list[Case]:
    cases = []
    for method, path, names in routes:
        if (method, path) in ROUTE_EXEMPT or any(n in PARAM_EXEMPT for n in names):
            continue
        options = [_kinds_for(method, path, n) for n in names]
        if any(o is None for o in options):
            continue  # reported by test_every_located_route_is_in_the_matrix
        known = cast(list[tuple[str, ...]], options)
        choices = [[(n, k) for k in kinds] for n, kinds in zip(names, known, strict=True)]
        for i, combo in enumerate(itertools.product(*choices)):
            variant = None if i == 0 else ", ".join(k for _, k in combo)
            cases.append(Case(method, path, tuple(combo), variant))
    return cases


CASES = _cases(ROUTES)
MATRIX = [c for c in CASES if c.route not in NETWORK_READS]
CONTROLS = [c for c in MATRIX if c.route not in CONTROL_REFUSED]
REFUSED_CONTROLS = [c for c in MATRIX if c.route in CONTROL_REFUSED]
NETWORK = [c for c in CASES if c.route in NETWORK_READS]


# ---------------------------------------------------------------- the world


@dataclass
class Person:
    id: str
    username: str
    totp_secret: str | None


def new_person(rt: Runtime, *roles: Role, at: str, name: str) -> Person:
    """A user holding `roles` at the one location `at`."""
    made = security.create_user(
        rt,
        actor=SYSTEM,
        username=f"{name}.{uuid.uuid4().hex[:6]}",
        display_name=name.title(),
        password=PASSWORD,
        roles=[security.RoleGrantView(role=r, location_id=at) for r in roles],
    )
    return Person(made.user.id, made.user.username, made.totp_secret)


@dataclass
class World:
    rt: Runtime
    clock: ManualClock
    a: str
    b: str
    department_a: str
    staff_a: str
    staff_b: str
    patient_b: str
    attacker: Person  # every staff role, at clinic B only
    alice: Person  # every staff role, at clinic A only
    a_owner: Person  # an agent at clinic A: whose session is attacked
    clients: dict[str, TestClient] = field(default_factory=dict)
    phi: list[str] = field(default_factory=lambda: list(PHI))
    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    seeded: dict[str, dict[str, str]] = field(default_factory=dict)

    def sign_in(self, who: Person) -> tuple[TestClient, str]:
        """A new client with a new session of `who`: (client, session id)."""
        client = TestClient(create_app(self.rt), base_url="http://testserver")
        code = mfa.code_at(who.totp_secret, self.clock.now()) if who.totp_secret else None
        r = client.post(
            "/api/v1/auth/login",
            json={"username": who.username, "password": PASSWORD, "totp": code},
        )
        assert r.status_code == 200, r.text
        self.clock.advance(timedelta(seconds=31))  # a TOTP code is accepted once
        return client, r.json()["session_id"]

    def side(self, of: str) -> Side:
        if of == "b":
            return Side(
                location=self.b,
                user_id=self.attacker.id,
                patient=lambda: self.patient_b,
                free_slot=lambda: self.slot(self.b, self.staff_b),
                number=self.number,
            )
        return Side(
            location=self.a,
            user_id=self.alice.id,
            patient=self.patient,
            free_slot=lambda: self.slot(self.a, self.staff_a),
            number=self.number,
        )

    # -- clinic A's things

    def number(self) -> str:
        return f"+1808555{2000 + next(self.counter):04d}"

    def patient(self) -> str:
        return self.patient_and_note()[0]

    def patient_and_note(self) -> tuple[str, str]:
        """A patient of clinic A with a note on their timeline: (patient, note) ids."""
        mrn = f"QB{next(self.counter):05d}X"
        self.phi.append(mrn)
        made = patients.create_patient(
            self.rt,
            actor=SYSTEM,
            data=PatientCreate(
                given_name=GIVEN,
                family_name=FAMILY,
                date_of_birth=DOB,
                mrn=mrn,
                phones=[PhoneIn(number=PHONE, primary=True)],
                home_location_id=self.a,
                sms_consent=SmsConsent.opted_in,
            ),
        ).id
        note = timeline.add_note(self.rt, actor=SYSTEM, patient_id=made, text=NOTE_TEXT)
        return made, note.id

    def slot(self, location: str, staff: str) -> str:
        start = START + timedelta(days=2, hours=next(self.counter))
        return scheduling.create_slot(
            self.rt,
            actor=SYSTEM,
            data=SlotCreate(
                staff_id=staff,
                location_id=location,
                appointment_type=FOLLOWUP,
                start=start,
                duration_minutes=30,
            ),
        ).id

    def unattached_text(self) -> str:
        started = timeline.start_interaction(
            self.rt,
            actor=SYSTEM,
            channel=Channel.sms,
            direction=Direction.inbound,
            location_id=self.a,
            external_ref=f"sms:SM{uuid.uuid4().hex}",
        )
        for kind, words in (
            ("sms.received", UNKNOWN_TEXT),
            ("sms.unknown_sender", f"Unknown sender {UNKNOWN_SENDER}"),
        ):
            timeline.append_event(
                self.rt, actor=SYSTEM, interaction_id=started.id, kind=kind, text=words
            )
        return started.id

    def held_message(self) -> str:
        sent = messaging.send_staff_message(
            self.rt,
            actor=SYSTEM,
            patient_id=self.patient(),
            message=StaffMessage(body=MESSAGE_TEXT),
            client_key=f"matrix-{uuid.uuid4().hex}",
        )
        assert sent.status is MessageStatus.pending, "quiet hours at clinic A hold the text"
        return sent.id

    def flow(self) -> dict[str, str]:
        """A flow answering a number of clinic A: version 1, version 2 (so there is
        something to roll back to and a diff), and a draft not yet published."""
        live = flows.install_example(
            self.rt, actor=SYSTEM, number=self.number(), location_id=self.a
        )
        document = flows.example_document()
        for name in ("harbour-line", "harbour-line-next"):
            flows.save_draft(
                self.rt,
                actor=SYSTEM,
                flow_id=live.flow_id,
                document=document.model_copy(update={"name": name}),
            )
            if name == "harbour-line":
                flows.publish_flow(
                    self.rt, actor=SYSTEM, flow_id=live.flow_id, reason="Harbour's own greeting"
                )
        return {"flow_id": live.flow_id, "number": "2", "binding_id": live.binding.id}

    def make(self, kind: str, owner: Person) -> dict[str, str]:
        """A new thing of `kind` at clinic A, as the values of the path parameters it
        fills. `owner`: whose session or token (a user's own things)."""
        rt = self.rt
        if kind == "patient":
            return {"patient_id": self.patient()}
        if kind == "appointment":
            booked = scheduling.create_appointment(
                rt,
                actor=SYSTEM,
                data=AppointmentCreate(
                    patient_id=self.patient(), slot_id=self.slot(self.a, self.staff_a)
                ),
            )
            return {"appointment_id": booked.id}
        if kind == "slot":
            return {"slot_id": self.slot(self.a, self.staff_a)}
        if kind == "blocked_slot":
            slot = self.slot(self.a, self.staff_a)
            scheduling.set_slot_status(rt, actor=SYSTEM, slot_id=slot, status=SlotStatus.blocked)
            return {"slot_id": slot}
        if kind == "waitlist_entry":
            entry = waitlist.create_entry(
                rt,
                actor=SYSTEM,
                data=EntryCreate(
                    patient_id=self.patient(),
                    department_id=self.department_a,
                    location_ids=[self.a],
                ),
            )
            return {"entry_id": entry.id}
        if kind == "task":
            task = worklist.create_task(
                rt,
                kind=TaskKind.callback_request,
                patient_id=self.patient(),
                appointment_id=None,
                location_id=self.a,
                interaction_id=self.unattached_text(),
            )
            return {"task_id": task.id}
        if kind == "note":
            return {"interaction_id": self.patient_and_note()[1]}
        if kind == "unattached_text":
            return {"interaction_id": self.unattached_text()}
        if kind == "patient_conversation":
            return {"key": f"patient:{self.patient()}"}
        if kind == "text_conversation":
            return {"key": f"text:{self.unattached_text()}"}
        if kind == "held_message":
            return {"message_id": self.held_message()}
        if kind == "location":
            return {"location_id": self.a}
        if kind == "closure":
            closure = directory.add_closure(
                rt,
                actor=SYSTEM,
                location_id=self.a,
                closure=Closure(starts_on=date(2027, 1, 4), reason="Inventory day"),
            )
            return {"location_id": self.a, "closure_id": closure.id}
        if kind == "department":
            department = directory.create_department(
                rt,
                actor=SYSTEM,
                data=DepartmentCreate(
                    name="Wound care", kind=DepartmentKind.general, location_id=self.a
                ),
            )
            return {"department_id": department.id}
        if kind == "staff":
            staff = directory.create_staff(
                rt,
                actor=SYSTEM,
                data=StaffCreate(
                    display_name="Nurse Example",
                    location_ids=[self.a],
                    department_ids=[self.department_a],
                ),
            )
            return {"staff_id": staff.id}
        if kind == "flow":
            return self.flow()
        if kind == "user":
            return {"user_id": new_person(rt, Role.agent, at=self.a, name="colleague").id}
        if kind == "session":
            client, session_id = self.sign_in(owner)
            client.close()
            return {"session_id": session_id}
        if kind == "token":  # a colleague's integration: only who manages them may revoke it
            colleague = new_person(rt, Role.agent, at=self.a, name="integrator")
            made = security.create_token(
                rt,
                actor=security.actor_for_user_id(rt, user_id=colleague.id),
                name="lab results feed",
                scopes=[Permission.patients_read],
                expires_in_days=30,
            )
            return {"token_id": made.token.id}
        raise AssertionError(f"no factory for the kind {kind!r}")

    def ids_for(self, case: Case, owner: Person, *, fresh: bool) -> dict[str, str]:
        """The case's path values: new things (`fresh`), or the world's, made once."""
        values: dict[str, str] = {}
        for kind in dict.fromkeys(k for _, k in case.kinds):
            if fresh:
                values.update(self.make(kind, owner))
                continue
            if kind not in self.seeded:
                self.seeded[kind] = self.make(kind, owner)
            values.update(self.seeded[kind])
        return {name: values[name] for name, _ in case.kinds}


def _truncate_pg(url: str) -> None:
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def world(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,
    pg_database: str | None,
    keyring_path: Path,
) -> Iterator[World]:
    """Two clinics of one network, built once per database for the whole matrix."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("matrix") / "careline.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        assert pg_database is not None
        _truncate_pg(pg_database)
        url = pg_database
    clock = ManualClock(START)
    settings = Settings(environment=Environment.test, database_url=url, keyring_file=keyring_path)
    rt = build_runtime(settings, clock=clock)
    clients: list[TestClient] = []
    try:
        directory.set_organisation(
            rt, actor=SYSTEM, data=OrganisationUpdate(name="Island Health", country="US")
        )
        a = chicago_clinic(rt, code="HNL", name="Harbour", timezone="Pacific/Honolulu")
        b = chicago_clinic(rt, code="KOA", name="Kona", timezone="Pacific/Honolulu")
        department_a = directory.create_department(
            rt,
            actor=SYSTEM,
            data=DepartmentCreate(name="Front desk", kind=DepartmentKind.general, location_id=a),
        ).id
        staff = [
            directory.create_staff(
                rt,
                actor=SYSTEM,
                data=StaffCreate(display_name=f"Dr. {name}", location_ids=[where]),
            ).id
            for name, where in (("Akana", a), ("Brown", b))
        ]
        patient_b = patients.create_patient(
            rt,
            actor=SYSTEM,
            data=PatientCreate(
                given_name="Bertram",
                family_name="Konaside",
                date_of_birth=date(1975, 3, 3),
                phones=[PhoneIn(number="+18085550300", primary=True)],
                home_location_id=b,
            ),
        ).id
        w = World(
            rt=rt,
            clock=clock,
            a=a,
            b=b,
            department_a=department_a,
            staff_a=staff[0],
            staff_b=staff[1],
            patient_b=patient_b,
            attacker=new_person(rt, *Role, at=b, name="mallory"),
            alice=new_person(rt, *Role, at=a, name="alice"),
            a_owner=new_person(rt, Role.agent, at=a, name="kekoa"),
        )
        w.clients["session"], _ = w.sign_in(w.attacker)
        made = w.clients["session"].post(
            "/api/v1/tokens",
            json={"name": "mallory's integration", "scopes": [p.value for p in Permission]},
        )
        assert made.status_code == 201, made.text
        w.clients["token"] = TestClient(
            create_app(rt),
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {made.json()['secret']}"},
        )
        w.clients["alice"], _ = w.sign_in(w.alice)
        clients.extend(w.clients.values())
        yield w
    finally:
        for client in clients:
            client.close()
        rt.events.close()  # a PostgreSQL LISTEN thread must not outlive its database
        rt.engine.dispose()


# ---------------------------------------------------------------- calling a case


def _url(path: str, ids: dict[str, str]) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    assert "{" not in path, path
    return path


def _call(client: TestClient, case: Case, ids: dict[str, str], own: Side):
    body = BODIES.get(case.route)
    headers = HEADERS.get(case.route)
    return client.request(
        case.method,
        _url(case.path, ids),
        json=body(own) if body else None,
        headers=headers() if headers else None,
    )


def _leaked(w: World, answer: str) -> list[str]:
    lowered = answer.lower()
    return [secret for secret in w.phi if secret.lower() in lowered]


# ---------------------------------------------------------------- the tests


def test_every_located_route_is_in_the_matrix():
    """A route whose path names something must be attacked, or say why not."""
    assert len(ROUTES) > 50
    assert uncovered(ROUTES) == []
    known = {(m, p) for m, p, _ in ROUTES}
    for table in (ROUTE_EXEMPT, NETWORK_READS, CONTROL_REFUSED, BODIES, HEADERS, ROUTE_KINDS):
        assert set(table) <= known, f"entries for routes that no longer exist: {set(table) - known}"
    assert set(CONTROL_CONFLICTS) <= {c.id for c in CONTROLS}
    # A call that takes a body or a header gets a valid one, so that it is refused for
    # the clinic, never for validation (a 422 would pass no scope check at all).
    for route in all_routes(_bare_app().routes):
        for method in route.methods:
            if not route.param_convertors or (method, route.path) in ROUTE_EXEMPT:
                continue
            if route.dependant.body_params:
                assert (method, route.path) in BODIES, f"{method} {route.path} needs a body"
            if any(h.field_info.is_required() for h in route.dependant.header_params):
                assert (method, route.path) in HEADERS, f"{method} {route.path} needs headers"
    # Each kind of thing has at least one call clinic A's own user may make.
    controlled = {kind for c in CONTROLS for _, kind in c.kinds}
    used = {kind for c in CASES for _, kind in c.kinds}
    assert used == controlled, f"kinds without a positive control: {used - controlled}"


def test_the_walk_catches_a_route_nobody_covers():
    app = FastAPI()

    @app.get("/api/v1/widgets/{widget_id}")
    def widget(widget_id: str, _: object = Depends(authenticated())) -> None:
        return None

    @app.get("/api/v1/patients/{patient_id}/widgets")
    def widgets(patient_id: str, _: object = Depends(authenticated())) -> None:
        return None

    routes = _app_routes(app)
    assert uncovered(routes) == ["GET /api/v1/widgets/{widget_id} (widget_id)"]
    assert [c.id for c in _cases(routes)] == ["GET /api/v1/patients/{patient_id}/widgets"]


SHOWN = [
    ("patient", "/api/v1/patients/{patient_id}", [GIVEN, FAMILY, DOB.isoformat(), PHONE]),
    ("patient", "/api/v1/patients/{patient_id}/timeline", [NOTE_TEXT]),
    ("note", "/api/v1/interactions/{interaction_id}", [NOTE_TEXT]),
    ("unattached_text", "/api/v1/interactions/{interaction_id}", [UNKNOWN_TEXT, UNKNOWN_SENDER]),
    ("task", "/api/v1/tasks/{task_id}", [UNKNOWN_SENDER]),
]


@pytest.mark.parametrize(("kind", "path", "expected"), SHOWN, ids=[f"{k} {p}" for k, p, _ in SHOWN])
def test_the_leak_check_sees_phi_where_it_is_shown(world, kind, path, expected):
    """The PHI check is not blind: clinic A's own user is shown what it looks for."""
    r = world.clients["alice"].get(_url(path, world.make(kind, world.alice)))
    assert r.status_code == 200, r.text
    found = _leaked(world, r.text)
    assert found and set(expected) <= set(found), (found, r.text[:500])


def test_a_held_text_is_phi_on_the_timeline(world):
    message = world.make("held_message", world.alice)["message_id"]
    with_patient = world.clients["alice"].post(f"/api/v1/messages/{message}/send-now")
    assert with_patient.status_code == 200, with_patient.text
    patient = with_patient.json()["patient_id"]
    r = world.clients["alice"].get(f"/api/v1/patients/{patient}/timeline")
    assert MESSAGE_TEXT in _leaked(world, r.text)


@pytest.mark.parametrize("principal", ["session", "token"])
@pytest.mark.parametrize("case", MATRIX, ids=[c.id for c in MATRIX])
def test_the_other_clinic_is_refused(world: World, case: Case, principal: str):
    """Clinic B's user (every role, at B only) is refused clinic A's things, and is told
    nothing of them."""
    ids = world.ids_for(case, world.a_owner, fresh=False)
    r = _call(world.clients[principal], case, ids, world.side("b"))
    assert r.status_code in (403, 404), f"{case.id}: {r.status_code} {r.text[:500]}"
    assert _leaked(world, r.text) == [], f"{case.id} told clinic B: {r.text[:500]}"


@pytest.mark.parametrize("case", CONTROLS, ids=[c.id for c in CONTROLS])
def test_the_clinics_own_user_is_not_refused(world: World, case: Case):
    """The same call by clinic A's user (every role, at A) on a new thing of A's goes
    through (or, where CONTROL_CONFLICTS says, meets the thing's state): the refusals
    above are about the clinic, not a broken call."""
    ids = world.ids_for(case, world.alice, fresh=True)
    r = _call(world.clients["alice"], case, ids, world.side("a"))
    expected = "409" if case.id in CONTROL_CONFLICTS else "2xx"
    got = "2xx" if 200 <= r.status_code < 300 else str(r.status_code)
    assert got == expected, f"{case.id}: {r.status_code} {r.text[:500]}"


@pytest.mark.parametrize("case", REFUSED_CONTROLS, ids=[c.id for c in REFUSED_CONTROLS])
def test_network_wide_writes_refuse_the_clinics_own_user_too(world: World, case: Case):
    ids = world.ids_for(case, world.alice, fresh=False)
    r = _call(world.clients["alice"], case, ids, world.side("a"))
    assert r.status_code == 403, f"{case.id}: {r.status_code} {r.text[:500]}"
    assert r.json()["error_id"] == "location-out-of-scope"


@pytest.mark.parametrize("case", NETWORK, ids=[c.id for c in NETWORK])
def test_network_wide_reads_answer_both_clinics_alike(world: World, case: Case):
    """Set-up reads that are network-wide by design (NETWORK_READS says why): the other
    clinic's user gets what clinic A's own user gets, and never PHI."""
    ids = world.ids_for(case, world.a_owner, fresh=False)
    theirs = _call(world.clients["session"], case, ids, world.side("b"))
    ours = _call(world.clients["alice"], case, ids, world.side("a"))
    assert theirs.status_code < 500 and theirs.status_code == ours.status_code, case.id
    assert _leaked(world, theirs.text) == [], f"{case.id} told clinic B: {theirs.text[:500]}"
