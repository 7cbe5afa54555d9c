"""The demo network: three clinics in two time zones, 40 staff, 2,000 patients.

Everything is generated from a fixed seed with Faker and fictional numbers
(the 555-01XX range reserved for fiction), through the same services the API
uses, so the demo exercises the real rules (validation, encryption, audit).
Seeding runs once: a database that already has locations is left alone.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from faker import Faker

from careline.core.errors import NotFound
from careline.directory import service as directory
from careline.directory.model import (
    Address,
    Closure,
    DepartmentCreate,
    DepartmentKind,
    Endpoint,
    EndpointKind,
    LocationCreate,
    OpeningHours,
    OrganisationUpdate,
    PresenceState,
    StaffCreate,
    StaffUpdate,
)
from careline.flows import service as flows
from careline.flows.network import Clinic, network_flow
from careline.patients import service as patients
from careline.patients.model import (
    CaregiverIn,
    PatientCreate,
    PhoneIn,
    PhoneKind,
    PreferredChannel,
    Relationship,
    SmsConsent,
)
from careline.runtime import Runtime
from careline.scheduling.model import AppointmentCreate, AppointmentType, SlotCreate
from careline.security import service as security
from careline.security.model import Actor, Role, system_actor
from careline.timeline import service as timeline
from careline.timeline.model import Channel, Direction

PATIENTS = 2000
#: The network's one main number (fictional); its call flow routes to every clinic.
MAIN_NUMBER = "+13125550199"
NETWORK_NAME = "Prairie and Peaks Health"
#: The clinics the main line offers, in menu order (the first takes callers who do not choose).
_CLINIC_NAMES = {
    "RFM": "Riverside Family Medicine",
    "LVP": "Lakeview Pediatrics",
    "MRC": "Mesa Ridge Clinic",
}
STAFF = 40
#: The phones careline rings for a demo login's call backs (an area code no demo
#: patient's number uses).
_STAFF_PHONES = {"frontdesk": "+16465550101", "nurse": "+16465550102"}

#: Area codes near the demo clinics; each gives the 100 fictional numbers 555-0100..0199.
_AREA_CODES = {
    "RFM": ["312", "773", "872", "708", "630", "331"],
    "LVP": ["847", "224", "815", "779", "309", "217"],
    "MRC": ["720", "303", "970", "719", "983"],
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str
    totp_secret: str | None


_LOGINS: list[tuple[str, Role, str | None]] = [
    ("admin", Role.admin, None),
    ("manager", Role.manager, None),
    ("supervisor", Role.supervisor, None),
    ("frontdesk", Role.agent, "RFM"),
    ("nurse", Role.clinician, None),
    ("auditor", Role.auditor, None),
]


def _password(username: str) -> str:
    return f"careline-demo-{username}"


def _totp_secret(seed: int, username: str) -> str:
    """Deterministic per seed, so re-created demos keep working in an authenticator."""
    import base64

    digest = hashlib.sha256(f"careline-demo:{seed}:{username}".encode()).digest()
    return base64.b32encode(digest[:20]).decode("ascii")


def _weekdays(opens: str, closes: str) -> list[OpeningHours]:
    return [OpeningHours(weekday=d, opens=opens, closes=closes) for d in range(5)]


def _locations() -> list[LocationCreate]:
    return [
        LocationCreate(
            name="Riverside Family Medicine",
            code="RFM",
            timezone="America/Chicago",
            address=Address(
                line1="100 Example Avenue",
                city="Chicago",
                region="IL",
                postal_code="60601",
                country="US",
            ),
            main_phone="+13125550100",
            holiday_subdivision="IL",
            hours=[
                *_weekdays("08:00", "17:00"),
                OpeningHours(weekday=5, opens="09:00", closes="12:00"),
            ],
        ),
        LocationCreate(
            name="Lakeview Pediatrics",
            code="LVP",
            timezone="America/Chicago",
            address=Address(
                line1="200 Sample Street",
                line2="Suite 3",
                city="Evanston",
                region="IL",
                postal_code="60201",
                country="US",
            ),
            main_phone="+18475550100",
            holiday_subdivision="IL",
            hours=_weekdays("08:00", "18:00"),
        ),
        LocationCreate(
            name="Mesa Ridge Clinic",
            code="MRC",
            timezone="America/Denver",
            address=Address(
                line1="300 Placeholder Road",
                city="Denver",
                region="CO",
                postal_code="80202",
                country="US",
            ),
            main_phone="+17205550100",
            holiday_subdivision="CO",
            hours=_weekdays("07:30", "16:30"),
            closures=[Closure(starts_on=date(2026, 12, 4), reason="Staff training")],
        ),
    ]


_NETWORK_DEPARTMENTS = [
    ("Nurse triage line", DepartmentKind.nurse_triage),
    ("Billing office", DepartmentKind.billing),
    ("Refills and pharmacy", DepartmentKind.refills),
    ("Results desk", DepartmentKind.results),
    ("Referrals", DepartmentKind.referrals),
    ("Medical records", DepartmentKind.records),
    ("Behavioral health", DepartmentKind.behavioral_health),
]
_LOCAL_DEPARTMENTS = {
    "RFM": [
        ("Scheduling", DepartmentKind.scheduling),
        ("Oncology", DepartmentKind.oncology),
        ("Imaging", DepartmentKind.imaging),
    ],
    "LVP": [("Scheduling", DepartmentKind.scheduling), ("Pediatrics", DepartmentKind.pediatrics)],
    "MRC": [("Scheduling", DepartmentKind.scheduling), ("Imaging", DepartmentKind.imaging)],
}
_TITLES = {
    DepartmentKind.scheduling: "Front desk",
    DepartmentKind.nurse_triage: "RN",
    DepartmentKind.billing: "Billing specialist",
    DepartmentKind.refills: "Pharmacy technician",
    DepartmentKind.results: "Medical assistant",
    DepartmentKind.referrals: "Referral coordinator",
    DepartmentKind.records: "Records clerk",
    DepartmentKind.oncology: "Oncology nurse navigator",
    DepartmentKind.pediatrics: "Pediatric nurse",
    DepartmentKind.behavioral_health: "Licensed clinical social worker",
    DepartmentKind.imaging: "Imaging scheduler",
}


def is_seeded(rt: Runtime) -> bool:
    try:
        directory.get_organisation(rt)
    except NotFound:
        return False
    _, total = directory.list_locations(rt, limit=1, offset=0)
    return total > 0


def seed_demo(
    rt: Runtime,
    *,
    seed: int = 7,
    patients_count: int = PATIENTS,
    progress: Callable[[str], None] | None = None,
) -> bool:
    """Seed the demo network unless one is there. Returns True when it seeded."""
    if is_seeded(rt):
        return False
    say = progress or (lambda _msg: None)
    actor = system_actor("demo")
    rng = random.Random(seed)
    fake_en, fake_es = Faker("en_US"), Faker("es_MX")
    fake_en.seed_instance(seed)
    fake_es.seed_instance(seed + 1)

    directory.set_organisation(
        rt, actor=actor, data=OrganisationUpdate(name="Prairie & Peaks Health", country="US")
    )
    locations = {
        loc.code: directory.create_location(rt, actor=actor, data=loc).id for loc in _locations()
    }
    say("locations: 3")

    departments: list[tuple[str, DepartmentKind, str | None]] = []
    for name, kind in _NETWORK_DEPARTMENTS:
        d = directory.create_department(
            rt, actor=actor, data=DepartmentCreate(name=name, kind=kind)
        )
        departments.append((d.id, kind, None))
    for code, items in _LOCAL_DEPARTMENTS.items():
        for name, kind in items:
            d = directory.create_department(
                rt,
                actor=actor,
                data=DepartmentCreate(
                    name=f"{name} ({code})", kind=kind, location_id=locations[code]
                ),
            )
            departments.append((d.id, kind, locations[code]))
    say(f"departments: {len(departments)}")

    staff = _seed_staff(rt, actor, rng, fake_en, fake_es, locations, departments)
    staff_ids = [staff_id for staff_id, _home in staff]
    say(f"staff: {len(staff_ids)}")
    _seed_logins(rt, actor, seed, locations, staff_ids)
    say(f"demo logins: {len(_LOGINS)}")
    network = network_flow(
        flows.example_document("main-line"),
        network_name=NETWORK_NAME,
        clinics=[Clinic(locations[code], name) for code, name in _CLINIC_NAMES.items()],
    )
    # Bound without a location: known callers go to their home clinic, others choose.
    flows.install_example(rt, actor=actor, number=MAIN_NUMBER, document=network)
    say(f"call flow: network main line on {MAIN_NUMBER} ({len(_CLINIC_NAMES)} clinics)")
    seeded = _seed_patients(rt, actor, rng, fake_en, fake_es, locations, patients_count, say)
    scheduling_desks = {
        loc: dept_id
        for dept_id, kind, loc in departments
        if loc is not None and kind is DepartmentKind.scheduling
    }
    say(_seed_week(rt, actor, rng, locations, staff, seeded, scheduling_desks))
    return True


def _seed_staff(
    rt: Runtime,
    actor: Actor,
    rng: random.Random,
    fake_en: Faker,
    fake_es: Faker,
    locations: dict[str, str],
    departments: list[tuple[str, DepartmentKind, str | None]],
) -> list[tuple[str, str]]:
    """(staff id, home location id) of every staff member."""
    ids: list[tuple[str, str]] = []
    codes = list(locations)
    for i in range(STAFF):
        dept_id, kind, dept_location = departments[i % len(departments)]
        spanish = rng.random() < 0.3
        name = (fake_es if spanish else fake_en).name()
        home = dept_location or locations[codes[i % len(codes)]]
        extension = 200 + i
        staff = directory.create_staff(
            rt,
            actor=actor,
            data=StaffCreate(
                display_name=name,
                title=_TITLES.get(kind, "Staff"),
                department_ids=[dept_id],
                location_ids=[home],
                skills=[kind.value] + (["clinical"] if kind in _CLINICAL else []),
                languages=["en", "es"] if spanish else ["en"],
                endpoints=[
                    Endpoint(
                        kind=EndpointKind.sip,
                        address=f"sip:{extension}@pbx.careline.test",
                        label="Desk phone",
                    ),
                ],
            ),
        )
        if rng.random() < 0.6:
            directory.set_presence(
                rt,
                actor=actor,
                staff_id=staff.id,
                state=rng.choice(
                    [
                        PresenceState.available,
                        PresenceState.available,
                        PresenceState.busy,
                        PresenceState.away,
                    ]
                ),
            )
        ids.append((staff.id, home))
    return ids


_CLINICAL = {
    DepartmentKind.nurse_triage,
    DepartmentKind.oncology,
    DepartmentKind.pediatrics,
    DepartmentKind.behavioral_health,
}


def _seed_logins(
    rt: Runtime, actor: Actor, seed: int, locations: dict[str, str], staff_ids: list[str]
) -> None:
    taken: set[str] = set()
    for username, role, scope in _LOGINS:
        desk = None
        if role in (Role.agent, Role.clinician):
            # The front desk answers Riverside's scheduling line, the nurse its triage
            # line: each login is one staff record's, linked both ways, so the agent
            # desk (presence, offered calls) works for them on the first run.
            skill = DepartmentKind.scheduling if role is Role.agent else DepartmentKind.nurse_triage
            desk = _staff_with(rt, staff_ids, skill.value, locations[scope or "RFM"], taken)
        new = security.create_user(
            rt,
            actor=actor,
            username=username,
            display_name=f"Demo {username}",
            password=_password(username),
            roles=[
                security.RoleGrantView(role=role, location_id=locations[scope] if scope else None)
            ],
            staff_id=desk,
            totp_secret=_totp_secret(seed, username),
        )
        if desk is not None:
            taken.add(desk)
            # Besides the desk phone, a phone careline can ring for a call back from the
            # worklist (staff working from home): a fictional number no patient has.
            current = directory.get_staff(rt, staff_id=desk).endpoints
            home_phone = Endpoint(
                kind=EndpointKind.phone,
                address=_STAFF_PHONES[username],
                label="Mobile (call backs)",
            )
            directory.update_staff(
                rt,
                actor=actor,
                staff_id=desk,
                changes=StaffUpdate(user_id=new.user.id, endpoints=[*current, home_phone]),
            )


def _staff_with(
    rt: Runtime, staff_ids: list[str], skill: str, location_id: str, taken: set[str]
) -> str | None:
    """The first staff member with `skill` at `location_id` not yet linked to a login."""
    for staff_id in staff_ids:
        staff = directory.get_staff(rt, staff_id=staff_id)
        if staff_id not in taken and skill in staff.skills and location_id in staff.location_ids:
            return staff_id
    return None


def _fictional_numbers(rng: random.Random, codes: list[str]) -> list[str]:
    # 0100 and 0199 are left for clinic lines (main numbers, the network number).
    numbers = [f"+1{area}55501{n:02d}" for area in codes for n in range(1, 99)]
    rng.shuffle(numbers)
    return numbers


def _seed_patients(
    rt: Runtime,
    actor: Actor,
    rng: random.Random,
    fake_en: Faker,
    fake_es: Faker,
    locations: dict[str, str],
    count: int,
    say: Callable[[str], None],
) -> list[tuple[str, str, bool]]:
    """Seed the patients; returns (patient id, home location id, texts them?) of each."""
    seeded: list[tuple[str, str, bool]] = []
    pools = {code: _fictional_numbers(rng, areas) for code, areas in _AREA_CODES.items()}
    cursor = dict.fromkeys(pools, 0)
    codes = list(locations)
    today = rt.clock.now().date()  # ages are as of the day the demo is seeded

    def number(code: str) -> str:
        pool = pools[code]
        value = pool[cursor[code] % len(pool)]  # numbers repeat when a pool runs out: households
        cursor[code] += 1
        return value

    for i in range(count):
        code = codes[i % len(codes)] if rng.random() < 0.8 else rng.choice(codes)
        spanish = rng.random() < 0.25
        fake = fake_es if spanish else fake_en
        pediatric = code == "LVP"
        age_days = rng.randint(30, 17 * 365) if pediatric else rng.randint(18 * 365, 92 * 365)
        has_mobile = rng.random() < 0.85
        phones = [
            PhoneIn(
                number=number(code),
                kind=PhoneKind.mobile if has_mobile else PhoneKind.home,
                sms_capable=has_mobile,
                primary=True,
            )
        ]
        if rng.random() < 0.2:
            phones.append(PhoneIn(number=number(code), kind=PhoneKind.work, sms_capable=False))
        caregivers = []
        if pediatric or rng.random() < 0.08:
            caregivers.append(
                CaregiverIn(
                    name=fake.name(),
                    relationship=Relationship.parent if pediatric else Relationship.child,
                    phone=number(code),
                    may_receive_messages=True,
                )
            )
        channel = (
            PreferredChannel.sms if has_mobile and rng.random() < 0.75 else PreferredChannel.voice
        )
        patient = patients.create_patient(
            rt,
            actor=actor,
            data=PatientCreate(
                given_name=fake.first_name(),
                family_name=fake.last_name(),
                date_of_birth=today - timedelta(days=age_days),
                mrn=f"DEMO{100000 + i}",
                phones=phones,
                preferred_language="es" if spanish else "en",
                preferred_channel=channel,
                sms_consent=SmsConsent.opted_in
                if channel is PreferredChannel.sms
                else SmsConsent.unknown,
                home_location_id=locations[code],
                caregivers=caregivers,
            ),
        )
        texted = channel is PreferredChannel.sms and has_mobile
        seeded.append((patient.id, locations[code], texted))
        if i % 10 == 0:
            timeline.add_note(
                rt,
                actor=actor,
                patient_id=patient.id,
                text="Demo note: prefers morning appointments.",
            )
            call = timeline.start_interaction(
                rt,
                actor=actor,
                channel=Channel.voice,
                direction=Direction.inbound,
                patient_id=patient.id,
                location_id=locations[code],
            )
            timeline.append_event(
                rt,
                actor=actor,
                interaction_id=call.id,
                kind="menu.choice",
                data={"digits": "1", "label": "scheduling"},
            )
            timeline.end_interaction(rt, actor=actor, interaction_id=call.id, status="completed")
        if (i + 1) % 250 == 0:
            say(f"patients: {i + 1}/{count}")
    return seeded


#: Half-hour visits a demo provider offers each day (local time).
_VISIT_TIMES = [time(9, 0), time(9, 30), time(10, 0), time(10, 30), time(11, 0), time(14, 0),
                time(14, 30), time(15, 0)]  # fmt: skip
_FOLLOWUP = AppointmentType(code="FOLLOWUP", display="Follow-up visit")


def _visit_times(local_now: datetime) -> list[time]:
    """Today's visit times. Run late in the day (the usual hours are over), the demo
    keeps an evening clinic instead, so Today always has visits to check in and open
    times to book whenever someone tries it (and the browser tests do not depend on
    the hour they run at): half-hourly from 45 minutes on, until midnight."""
    soon = local_now + timedelta(minutes=30)
    if sum(1 for t in _VISIT_TIMES if t > soon.time()) >= 4:
        return _VISIT_TIMES
    first = (local_now + timedelta(minutes=45)).replace(second=0, microsecond=0)
    first += timedelta(minutes=(30 - first.minute % 30) % 30)
    times: list[time] = []
    at = first
    while at.date() == local_now.date() and len(times) < 8:
        times.append(at.time())
        at += timedelta(minutes=30)
    return times


def _seed_week(
    rt: Runtime,
    actor: Actor,
    rng: random.Random,
    locations: dict[str, str],
    staff: list[tuple[str, str]],
    seeded: list[tuple[str, str, bool]],
    scheduling_desks: dict[str, str],
) -> str:
    """A working week from now: slots today, tomorrow, the day after and next week, most
    booked with reminders planned, a waitlist, open tasks. One visit starts in 47½ hours
    so its 48-hour reminder is due at once: the demo's first text goes out on start."""
    from careline.reminders import service as reminders
    from careline.scheduling import service as scheduling
    from careline.waitlist import service as waitlist
    from careline.waitlist.model import EntryCreate
    from careline.worklist import service as worklist
    from careline.worklist.model import TaskKind

    now = rt.clock.now()
    pool = {loc: [p for p in seeded if p[1] == loc] for loc in locations.values()}
    for members in pool.values():
        rng.shuffle(members)
    # Kept out of the bookings: the showcase patient and the demo's texters (all of the
    # first clinic, taking texts), and per clinic the waitlist and the tasks.
    first = next(iter(locations.values()))
    texters = [p for p in pool[first] if p[2]][: 1 + len(_DEMO_TEXTS) + len(_DEMO_VOICEMAILS)]
    pool[first] = [p for p in pool[first] if p not in texters]
    kept = {
        loc: [members.pop() for _ in range(min(8, len(members)))] for loc, members in pool.items()
    }
    booked = free = waiting = tasks = 0

    #: Per clinic, its first visit booked, whose reminder (in the story) got no reply.
    unanswered: dict[str, tuple[str, str, int]] = {}

    def book(slot_id: str, patient_id: str) -> str:
        appt = scheduling.create_appointment(
            rt, actor=actor, data=AppointmentCreate(patient_id=patient_id, slot_id=slot_id)
        )
        reminders.plan_reminders(rt, appointment_id=appt.id)
        return appt.id

    for loc in locations.values():
        zone = ZoneInfo(directory.get_location(rt, location_id=loc).timezone)
        providers = [staff_id for staff_id, home in staff if home == loc][:2]
        patients_here = pool[loc]
        for offset in (0, 1, 2, 7):
            day = (now.astimezone(zone) + timedelta(days=offset)).date()
            times = _visit_times(now.astimezone(zone)) if offset == 0 else _VISIT_TIMES
            for provider in providers:
                for at in times:
                    start = datetime.combine(day, at, tzinfo=zone)
                    if start <= now + timedelta(minutes=30):
                        continue
                    slot = scheduling.create_slot(
                        rt,
                        actor=actor,
                        data=SlotCreate(
                            staff_id=provider, location_id=loc, appointment_type=_FOLLOWUP,
                            department_id=scheduling_desks.get(loc), start=start,
                            duration_minutes=30,
                        ),
                    )  # fmt: skip
                    if patients_here and rng.random() < 0.65:
                        patient_id = patients_here.pop()[0]
                        appointment_id = book(slot.id, patient_id)
                        epoch = int(start.timestamp())
                        unanswered.setdefault(loc, (patient_id, appointment_id, epoch))
                        booked += 1
                    else:
                        free += 1
        reserved = kept[loc]
        for _ in range(6):
            if not reserved:
                break
            waitlist.create_entry(
                rt,
                actor=actor,
                data=EntryCreate(
                    patient_id=reserved.pop()[0], department_id=scheduling_desks.get(loc),
                    appointment_type=_FOLLOWUP.code, location_ids=[loc],
                    priority=rng.randint(1, 5),
                ),
            )  # fmt: skip
            waiting += 1
        for kind in (TaskKind.reply_needs_staff, TaskKind.callback_request):
            if reserved:
                worklist.create_task(
                    rt, kind=kind, patient_id=reserved.pop()[0], appointment_id=None,
                    location_id=loc,
                )  # fmt: skip
                tasks += 1
        if loc in unanswered:  # the worklist's "no reply to the reminder", with its visit
            patient_id, appointment_id, epoch = unanswered[loc]
            worklist.create_task(
                rt, kind=TaskKind.no_answer, patient_id=patient_id,
                appointment_id=appointment_id, location_id=loc,
                dedupe_key=f"noanswer:{appointment_id}:{epoch}",  # as the real check's
            )  # fmt: skip
            tasks += 1
    # The showcase: a patient who takes texts, seen in 47½ hours at the first clinic.
    providers = [staff_id for staff_id, home in staff if home == first]
    if texters and providers:
        start = (now + timedelta(hours=47, minutes=30)).replace(second=0, microsecond=0)
        slot = scheduling.create_slot(
            rt,
            actor=actor,
            data=SlotCreate(
                staff_id=providers[-1], location_id=first, appointment_type=_FOLLOWUP,
                start=start, duration_minutes=30,
            ),
        )  # fmt: skip
        book(slot.id, texters[0][0])
        booked += 1
    texts = _seed_conversations(rt, actor, texters[1:], first)
    return (
        f"week: {booked} visits booked, {free} free slots, {waiting} waiting, {tasks} tasks, "
        f"{texts} texts and voicemails"
    )


_DEMO_TEXTS = [
    "Hi, can I come in a bit earlier on Thursday? Mornings are better for me",
    "my son has had a fever of 102 since last night and hes not eating much",
    "Necesito una copia de mis resultados de laboratorio, por favor",
    "thanks, see you then!",
]
_DEMO_VOICEMAILS = [
    "Hi, this is about my refill of metformin, I have three days left. Please call me back.",
    "Hola, llamo para cambiar mi cita del viernes. Gracias.",
]


def _seed_conversations(
    rt: Runtime, actor: Actor, people: list[tuple[str, str, bool]], first: str
) -> int:
    """A few inbound texts through the real inbound path (triage, tasks, shared-number
    rules), and voicemails with their transcripts and call-back tasks, so the inbox and
    the worklists have something in them on the first run."""
    from careline.reminders import service as reminders
    from careline.worklist import service as worklist
    from careline.worklist.model import TaskKind

    clinic_line = directory.get_location(rt, location_id=first).main_phone
    done = 0
    for n, (body, (patient_id, _home, _texted)) in enumerate(
        zip(_DEMO_TEXTS, people, strict=False)
    ):
        number = patients.get_patient(rt, actor=actor, patient_id=patient_id).phones[0].number
        reminders.handle_inbound_sms(
            rt, message_sid=f"SMdemo{n:030d}", from_=number, body=body, to=clinic_line
        )
        done += 1
    for n, words in enumerate(_DEMO_VOICEMAILS):
        if len(people) <= len(_DEMO_TEXTS) + n:
            break
        patient_id = people[len(_DEMO_TEXTS) + n][0]
        call = timeline.start_interaction(
            rt, actor=actor, channel=Channel.voice, direction=Direction.inbound,
            patient_id=patient_id, location_id=first,
        )  # fmt: skip
        timeline.append_event(
            rt, actor=actor, interaction_id=call.id, kind="voicemail.recorded",
            data={"duration_seconds": 14 + 5 * n},
        )  # fmt: skip
        timeline.append_event(
            rt, actor=actor, interaction_id=call.id, kind="voicemail.transcribed",
            data={"source": "demo"}, text=words,
        )  # fmt: skip
        timeline.end_interaction(rt, actor=actor, interaction_id=call.id, status="completed")
        worklist.create_task(
            rt, kind=TaskKind.voicemail, patient_id=patient_id, appointment_id=None,
            location_id=first, interaction_id=call.id,
        )  # fmt: skip
        done += 1
    return done


def demo_logins(rt: Runtime, *, seed: int = 7) -> list[DemoLogin]:
    """The demo users and how to sign in as them (demo databases only)."""
    found = []
    for username, role, scope in _LOGINS:
        try:
            user = security.get_user_by_username(rt, username=username)
        except NotFound:
            continue
        found.append(
            DemoLogin(
                username=username,
                role=role.value + (f"@{scope}" if scope else ""),
                password=_password(username),
                totp_secret=_totp_secret(seed, username) if user.mfa_enrolled else None,
            )
        )
    return found
