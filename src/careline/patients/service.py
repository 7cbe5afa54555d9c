"""Patient use cases: create, read, change, list, find, consent, break-glass.

Each public function is one transaction. Those that touch one patient run in
`phi_transaction`, so a refusal for scope is itself written to the audit log
after the use case rolls back. Every read or write of a patient appends an
audit entry naming the patient by id (never a name or number); entries whose
access rests on break-glass are flagged for review.

Other capabilities use patients only through the functions here: the
session-level helpers (`require_patient_access`, `patient_exists`) run inside
the caller's own transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from careline.core.db import transaction
from careline.core.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from careline.core.phone import is_e164, to_e164
from careline.directory.service import location_exists
from careline.patients.model import (
    NULLABLE_ON_UPDATE,
    BreakGlassView,
    CaregiverView,
    CleanCaregiver,
    CleanPhone,
    MatchedVia,
    PatientCreate,
    PatientMatch,
    PatientSearch,
    PatientSummary,
    PatientUpdate,
    PatientView,
    PhoneKind,
    PhoneView,
    PreferredChannel,
    Relationship,
    SmsConsent,
    SmsConsentView,
    clean_caregivers,
    clean_name,
    clean_phones,
    date_of_birth_problems,
    language_problems,
    mrn_key,
    name_dob_key,
    name_problems,
    narrow_candidates,
    normalise_language,
    search_problems,
)
from careline.patients.tables import CaregiverRow, PatientPhoneRow, PatientRow
from careline.runtime import Runtime
from careline.security import audit
from careline.security import service as security
from careline.security.crypto import blind_index
from careline.security.model import Actor, Permission, system_actor
from careline.security.service import PatientOutOfScope, ensure_patient_access, phi_transaction

#: Most hits a search returns; a phone number shared by more people than this is a data problem.
SEARCH_LIMIT = 50
CONSENT_SOURCE = re.compile(r"^[a-z][a-z0-9_.:-]{0,39}$")


class NoSuchPatient(NotFound):
    error_id = "no-such-patient"


def _no_such_patient() -> NoSuchPatient:
    return NoSuchPatient("No patient has this id.")


# ---------------------------------------------------------------- helpers for other capabilities


def patient_exists(s: Session, patient_id: str) -> bool:
    """Inside the caller's transaction: is there a patient with this id?"""
    return s.execute(select(PatientRow.id).where(PatientRow.id == patient_id)).first() is not None


def require_patient_access(
    rt: Runtime, s: Session, *, actor: Actor, permission: Permission, patient_id: str
) -> bool:
    """Inside the caller's `phi_transaction`: 404 if unknown, `PatientOutOfScope` if not allowed.

    Returns True when access rests on break-glass: the caller flags its audit entry.
    """
    found = s.execute(
        select(PatientRow.home_location_id).where(PatientRow.id == patient_id)
    ).one_or_none()
    if found is None:
        raise _no_such_patient()
    return ensure_patient_access(
        rt, s, actor=actor, permission=permission, patient_id=patient_id, home_location_id=found[0]
    )


def ids_by_name_and_birth(s: Session, *, family_name: str, date_of_birth: date) -> list[str]:
    """Inside the caller's transaction: ids of the patients with this family name and date
    of birth, oldest first, found through the blind index (nothing is decrypted).

    No scope and no audit entry here: the caller shows no patient data and records the
    search itself (the auditor's console finds whose trail to show this way)."""
    index = blind_index(name_dob_key(family_name, date_of_birth))
    return list(
        s.execute(
            select(PatientRow.id)
            .where(PatientRow.name_dob_index == index)
            .order_by(PatientRow.created_at)
            .limit(SEARCH_LIMIT)
        ).scalars()
    )


# ---------------------------------------------------------------- internals


def _today_anywhere(now: datetime) -> date:
    # The latest calendar date anywhere on Earth (UTC+14): a baby born "today" in
    # Kiribati must not be refused as born in the future.
    return (now + timedelta(hours=14)).date()


def _scope(actor: Actor, permission: Permission) -> set[str] | None:
    """Locations whose patients the actor may see; None means all."""
    if permission in actor.extra_permissions:  # the system itself
        return None
    return actor.scope_location_ids(permission)


def _visible(
    rt: Runtime, s: Session, actor: Actor, permission: Permission, row: PatientRow
) -> bool | None:
    """None when the actor may not see this patient; else whether it rests on break-glass."""
    try:
        return ensure_patient_access(
            rt,
            s,
            actor=actor,
            permission=permission,
            patient_id=row.id,
            home_location_id=row.home_location_id,
        )
    except PatientOutOfScope:
        return None


def _patient_row(s: Session, patient_id: str) -> PatientRow:
    row = s.get(PatientRow, patient_id)
    if row is None:
        raise _no_such_patient()
    return row


def _view(row: PatientRow) -> PatientView:
    return PatientView(
        id=row.id,
        given_name=row.given_name,
        family_name=row.family_name,
        date_of_birth=date.fromisoformat(row.date_of_birth),
        mrn=row.mrn,
        phones=[
            PhoneView(
                number=p.number,
                kind=PhoneKind(p.kind),
                sms_capable=p.sms_capable,
                primary=p.is_primary,
            )
            for p in row.phones
        ],
        preferred_language=row.preferred_language,
        preferred_channel=PreferredChannel(row.preferred_channel),
        sms_consent=SmsConsent(row.sms_consent),
        sms_consent_at=row.sms_consent_at,
        sms_consent_source=row.sms_consent_source,
        home_location_id=row.home_location_id,
        caregivers=[
            CaregiverView(
                id=c.id,
                name=c.name,
                relationship=Relationship(c.relation),
                phone=c.phone,
                may_receive_messages=c.may_receive_messages,
            )
            for c in row.caregivers
        ],
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _summary(row: PatientRow) -> PatientSummary:
    return PatientSummary(
        id=row.id,
        given_name=row.given_name,
        family_name=row.family_name,
        date_of_birth=date.fromisoformat(row.date_of_birth),
        home_location_id=row.home_location_id,
    )


def visible_summaries(
    s: Session,
    *,
    actor: Actor,
    patient_ids: Sequence[str],
    permission: Permission = Permission.timeline_read,
) -> dict[str, PatientSummary]:
    """Names of those of `patient_ids` whose home clinic the actor works for (for lists
    such as the inbox; break-glass is not offered here: open the record for that).
    The caller's use case audits the read."""
    if not patient_ids:
        return {}
    rows = s.execute(select(PatientRow).where(PatientRow.id.in_(list(patient_ids)))).scalars()
    return {row.id: _summary(row) for row in rows if actor.can(permission, row.home_location_id)}


def summaries(rt: Runtime, *, actor: Actor, patient_ids: Sequence[str]) -> list[PatientSummary]:
    """Name, date of birth and home clinic of each patient in the actor's clinics, in the
    order asked (others are left out, not refused: a list shows what its reader may
    see). Each patient returned is an audited read."""
    wanted = list(dict.fromkeys(patient_ids))
    with phi_transaction(rt) as s:
        found = visible_summaries(
            s, actor=actor, patient_ids=wanted, permission=Permission.patients_read
        )
        for pid in found:
            audit.record(
                s,
                clock=rt.clock,
                actor=actor,
                action="patient.read_summary",
                resource_type="patient",
                resource_id=pid,
                patient_id=pid,
            )
        return [found[pid] for pid in wanted if pid in found]


def _phone_rows(phones: list[CleanPhone]) -> list[PatientPhoneRow]:
    return [
        PatientPhoneRow(
            position=i,
            number=p.e164,
            number_index=blind_index(p.e164),
            kind=p.kind.value,
            sms_capable=p.sms_capable,
            is_primary=p.primary,
        )
        for i, p in enumerate(phones)
    ]


def _caregiver_rows(caregivers: list[CleanCaregiver]) -> list[CaregiverRow]:
    return [
        CaregiverRow(
            position=i,
            name=c.name,
            relation=c.relationship.value,
            phone=c.e164,
            phone_index=blind_index(c.e164),
            may_receive_messages=c.may_receive_messages,
        )
        for i, c in enumerate(caregivers)
    ]


def _location_problems(s: Session, location_id: str | None) -> list[FieldProblem]:
    if location_id is None or location_exists(s, location_id):
        return []
    return [FieldProblem("body.home_location_id", "no location has this id")]


def _mrn_taken(s: Session, mrn_index: str, *, other_than: str | None = None) -> bool:
    stmt = select(PatientRow.id).where(PatientRow.mrn_index == mrn_index)
    if other_than is not None:
        stmt = stmt.where(PatientRow.id != other_than)
    return s.execute(stmt).first() is not None


def _is_mrn_clash(exc: IntegrityError) -> bool:
    # Both engines name the column in the message (never a value: it holds a hash only).
    return "mrn_index" in str(exc.orig)


def _mrn_conflict() -> Conflict:
    return Conflict("Another patient already has this MRN.", error_id="mrn-taken")


def _fail(problems: list[FieldProblem]) -> None:
    if problems:
        names = ", ".join(p.field for p in problems[:5])
        raise ValidationFailed(f"Fix these fields and retry: {names}.", problems=problems)


# ---------------------------------------------------------------- use cases


def create_patient(rt: Runtime, *, actor: Actor, data: PatientCreate) -> PatientView:
    """Register a patient. All fields are checked together; nothing is written on any problem."""
    now = rt.clock.now()
    region = rt.settings.default_region
    problems = [
        *name_problems(data.given_name, field="body.given_name"),
        *name_problems(data.family_name, field="body.family_name"),
        *date_of_birth_problems(
            data.date_of_birth, today=_today_anywhere(now), field="body.date_of_birth"
        ),
        *language_problems(data.preferred_language, field="body.preferred_language"),
    ]
    if data.mrn is not None and not mrn_key(data.mrn):
        problems.append(FieldProblem("body.mrn", "must not be blank"))
    phones, phone_problems = clean_phones(data.phones, region=region, field="body.phones")
    caregivers, cg_problems = clean_caregivers(
        data.caregivers, region=region, field="body.caregivers"
    )
    problems += phone_problems + cg_problems
    if data.home_location_id is not None and not actor.can(
        Permission.patients_write, data.home_location_id
    ):
        problems.append(
            FieldProblem("body.home_location_id", "is not one of the locations you work for")
        )
    try:
        with transaction(rt.sessions) as s:
            problems += _location_problems(s, data.home_location_id)
            _fail(problems)
            mrn_index = blind_index(mrn_key(data.mrn)) if data.mrn else None
            if mrn_index is not None and _mrn_taken(s, mrn_index):
                raise _mrn_conflict()
            row = PatientRow(
                given_name=clean_name(data.given_name),
                family_name=clean_name(data.family_name),
                date_of_birth=data.date_of_birth.isoformat(),
                mrn=mrn_key(data.mrn) if data.mrn else None,
                mrn_index=mrn_index,
                name_dob_index=blind_index(name_dob_key(data.family_name, data.date_of_birth)),
                preferred_language=normalise_language(data.preferred_language),
                preferred_channel=data.preferred_channel.value,
                sms_consent=data.sms_consent.value,
                sms_consent_at=None if data.sms_consent is SmsConsent.unknown else now,
                sms_consent_source=None if data.sms_consent is SmsConsent.unknown else "staff",
                home_location_id=data.home_location_id,
                created_at=now,
                updated_at=now,
                phones=_phone_rows(phones),
                caregivers=_caregiver_rows(caregivers),
            )
            s.add(row)
            s.flush()
            audit.record(
                s,
                clock=rt.clock,
                actor=actor,
                action="patient.create",
                resource_type="patient",
                resource_id=row.id,
                patient_id=row.id,
            )
            return _view(row)
    except IntegrityError as exc:
        # Only the MRN is unique across patients: another writer took it meanwhile.
        if _is_mrn_clash(exc):
            raise _mrn_conflict() from None
        raise


def get_patient(rt: Runtime, *, actor: Actor, patient_id: str) -> PatientView:
    with phi_transaction(rt) as s:
        row = _patient_row(s, patient_id)
        flagged = ensure_patient_access(
            rt,
            s,
            actor=actor,
            permission=Permission.patients_read,
            patient_id=row.id,
            home_location_id=row.home_location_id,
        )
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="patient.read",
            resource_type="patient",
            resource_id=row.id,
            patient_id=row.id,
            flagged=flagged,
        )
        return _view(row)


def update_patient(
    rt: Runtime, *, actor: Actor, patient_id: str, changes: PatientUpdate
) -> PatientView:
    """PATCH: change only the fields present; a list given replaces the whole list."""
    now = rt.clock.now()
    region = rt.settings.default_region
    given = changes.model_fields_set
    problems = [
        FieldProblem(f"body.{name}", "may not be null")
        for name in sorted(given - NULLABLE_ON_UPDATE)
        if getattr(changes, name) is None
    ]
    if changes.given_name is not None:
        problems += name_problems(changes.given_name, field="body.given_name")
    if changes.family_name is not None:
        problems += name_problems(changes.family_name, field="body.family_name")
    if changes.date_of_birth is not None:
        problems += date_of_birth_problems(
            changes.date_of_birth, today=_today_anywhere(now), field="body.date_of_birth"
        )
    if changes.preferred_language is not None:
        problems += language_problems(changes.preferred_language, field="body.preferred_language")
    if changes.mrn is not None and not mrn_key(changes.mrn):
        problems.append(FieldProblem("body.mrn", "must not be blank"))
    phones: list[CleanPhone] | None = None
    caregivers: list[CleanCaregiver] | None = None
    if changes.phones is not None:
        phones, more = clean_phones(changes.phones, region=region, field="body.phones")
        problems += more
    if changes.caregivers is not None:
        caregivers, more = clean_caregivers(
            changes.caregivers, region=region, field="body.caregivers"
        )
        problems += more
    try:
        with phi_transaction(rt) as s:
            row = _patient_row(s, patient_id)
            flagged = ensure_patient_access(
                rt,
                s,
                actor=actor,
                permission=Permission.patients_write,
                patient_id=row.id,
                home_location_id=row.home_location_id,
            )
            if "home_location_id" in given:
                problems += _location_problems(s, changes.home_location_id)
            _fail(problems)
            # Checked before any change, so the query's autoflush writes nothing early.
            if "mrn" in given:
                mrn = mrn_key(changes.mrn) if changes.mrn else None
                mrn_index = blind_index(mrn) if mrn else None
                if mrn_index and _mrn_taken(s, mrn_index, other_than=row.id):
                    raise _mrn_conflict()
                row.mrn, row.mrn_index = mrn, mrn_index
            if changes.given_name is not None:
                row.given_name = clean_name(changes.given_name)
            if changes.family_name is not None:
                row.family_name = clean_name(changes.family_name)
            if changes.date_of_birth is not None:
                row.date_of_birth = changes.date_of_birth.isoformat()
            if changes.family_name is not None or changes.date_of_birth is not None:
                row.name_dob_index = blind_index(
                    name_dob_key(row.family_name, date.fromisoformat(row.date_of_birth))
                )
            if changes.preferred_language is not None:
                row.preferred_language = normalise_language(changes.preferred_language)
            if changes.preferred_channel is not None:
                row.preferred_channel = changes.preferred_channel.value
            if "home_location_id" in given:
                row.home_location_id = changes.home_location_id
            if phones is not None:
                # Delete the old rows first: the unit of work inserts before it deletes,
                # which would trip the (patient, number) unique constraint.
                row.phones.clear()
                s.flush()
                row.phones = _phone_rows(phones)
            if caregivers is not None:
                row.caregivers.clear()
                s.flush()
                row.caregivers = _caregiver_rows(caregivers)
            row.updated_at = now
            s.flush()
            audit.record(
                s,
                clock=rt.clock,
                actor=actor,
                action="patient.update",
                resource_type="patient",
                resource_id=row.id,
                patient_id=row.id,
                flagged=flagged,
                details={"fields": sorted(given)},
            )
            return _view(row)
    except IntegrityError as exc:
        if _is_mrn_clash(exc):
            raise _mrn_conflict() from None
        raise


def list_patients(
    rt: Runtime, *, actor: Actor, limit: int, offset: int
) -> tuple[list[PatientSummary], int]:
    """Patients of the actor's locations (and those with no home location), newest first.

    Names are encrypted, so the database cannot sort by them; the list is in
    registration order and finding a person by name is `search_patients`.
    """
    scope = _scope(actor, Permission.patients_read)
    with transaction(rt.sessions) as s:
        stmt = select(PatientRow)
        if scope is not None:
            stmt = stmt.where(
                or_(
                    PatientRow.home_location_id.in_(sorted(scope)),
                    PatientRow.home_location_id.is_(None),
                )
            )
        total = s.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
        rows = s.execute(
            stmt.options(lazyload(PatientRow.phones), lazyload(PatientRow.caregivers))
            .order_by(PatientRow.created_at.desc(), PatientRow.id)
            .limit(limit)
            .offset(offset)
        ).scalars()
        items = [_summary(r) for r in rows]
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="patient.list",
            resource_type="patient",
            details={"count": len(items), "patient_ids": [i.id for i in items]},
        )
        return items, int(total)


# ---------------------------------------------------------------- search

_Hit = tuple[str, MatchedVia, str | None, str | None]  # patient id, via, caregiver id, relation


def _phone_hits(s: Session, e164: str, *, caregivers: bool = True) -> list[_Hit]:
    index = blind_index(e164)
    hits: list[_Hit] = [
        (pid, "patient_phone", None, None)
        for pid in s.execute(
            select(PatientPhoneRow.patient_id)
            .where(PatientPhoneRow.number_index == index)
            .order_by(PatientPhoneRow.patient_id)
            .limit(SEARCH_LIMIT)
        ).scalars()
    ]
    if caregivers:
        for pid, cg_id, relation in s.execute(
            select(CaregiverRow.patient_id, CaregiverRow.id, CaregiverRow.relation)
            .where(CaregiverRow.phone_index == index)
            .order_by(CaregiverRow.patient_id, CaregiverRow.position)
            .limit(SEARCH_LIMIT)
        ).all():
            hits.append((pid, "caregiver_phone", cg_id, relation))
    return hits


def _search(
    rt: Runtime, *, actor: Actor, by: str, hits_of: Callable[[Session], Sequence[_Hit]]
) -> list[PatientMatch]:
    """Matches the actor may see; each shown patient is an audited read."""
    with transaction(rt.sessions) as s:
        matches: list[PatientMatch] = []
        for pid, via, cg_id, relation in hits_of(s)[:SEARCH_LIMIT]:
            row = s.get(PatientRow, pid, options=[lazyload("*")])
            if row is None:
                continue
            flagged = _visible(rt, s, actor, Permission.patients_read, row)
            if flagged is None:
                continue  # out of scope: not shown, so not read
            matches.append(
                PatientMatch(
                    patient=_summary(row),
                    matched_via=via,
                    caregiver_id=cg_id,
                    caregiver_relationship=Relationship(relation) if relation else None,
                )
            )
            audit.record(
                s,
                clock=rt.clock,
                actor=actor,
                action="patient.search",
                resource_type="patient",
                resource_id=row.id,
                patient_id=row.id,
                flagged=flagged,
                details={"by": by, "matched_via": via},
            )
        if not matches:
            audit.record(
                s,
                clock=rt.clock,
                actor=actor,
                action="patient.search",
                resource_type="patient",
                details={"by": by, "count": 0},
            )
        return matches


def find_by_phone(
    rt: Runtime, *, actor: Actor, phone: str, field: str = "body.phone"
) -> list[PatientMatch]:
    """Patients (and patients whose caregiver has it) with this exact number, that the actor
    may see. The number is read as people type it; `field` names it in a 422."""
    e164 = to_e164(phone, default_region=rt.settings.default_region, field=field)
    return _search(rt, actor=actor, by="phone", hits_of=lambda s: _phone_hits(s, e164))


def search_patients(rt: Runtime, *, actor: Actor, query: PatientSearch) -> list[PatientMatch]:
    """One exact criterion: phone, MRN, or family name with date of birth (via blind indexes)."""
    _fail(search_problems(query))
    if query.phone is not None:
        return find_by_phone(rt, actor=actor, phone=query.phone)
    if query.mrn is not None:
        index = blind_index(mrn_key(query.mrn))

        def mrn_hits(s: Session) -> list[_Hit]:
            ids = s.execute(select(PatientRow.id).where(PatientRow.mrn_index == index)).scalars()
            return [(pid, "mrn", None, None) for pid in ids]

        return _search(rt, actor=actor, by="mrn", hits_of=mrn_hits)
    assert query.family_name is not None and query.date_of_birth is not None
    family_name, date_of_birth = query.family_name, query.date_of_birth

    def name_hits(s: Session) -> list[_Hit]:
        ids = ids_by_name_and_birth(s, family_name=family_name, date_of_birth=date_of_birth)
        return [(pid, "name_and_birth_date", None, None) for pid in ids]

    return _search(rt, actor=actor, by="name_and_birth_date", hits_of=name_hits)


def match_caller(rt: Runtime, *, phone_e164: str, include_caregivers: bool = True) -> list[str]:
    """For the system (an incoming call or text): ids of patients with this number.

    Patients whose own number matches come first, then those whose caregiver's does.
    No scope applies; each match is audited as a system read.
    """
    if not is_e164(phone_e164):
        raise ValidationFailed(
            "match_caller needs a number in E.164 form.",
            problems=[FieldProblem("phone_e164", "is not a valid E.164 number")],
        )
    actor = system_actor("match-caller")
    with transaction(rt.sessions) as s:
        found: dict[str, str] = {}
        for pid, via, _cg, _rel in _phone_hits(s, phone_e164, caregivers=include_caregivers):
            found.setdefault(pid, via)
        for pid, how in found.items():
            audit.record(
                s,
                clock=rt.clock,
                actor=actor,
                action="patient.match_caller",
                resource_type="patient",
                resource_id=pid,
                patient_id=pid,
                details={"matched_via": how},
            )
        return list(found)


# ---------------------------------------------------------------- consent, break-glass


def identify_caller(
    rt: Runtime,
    *,
    patient_ids: Sequence[str],
    birth_digits: str | None = None,
    name_digits: str | None = None,
) -> list[str]:
    """Of the patients a shared number belongs to, those matching what the caller keyed
    (date of birth MMDDYYYY; first letters of the first name). Each candidate read is
    an audited PHI read by the voice system."""
    actor = system_actor("voice-identify")
    candidates = []
    for pid in patient_ids:
        p = get_patient(rt, actor=actor, patient_id=pid)
        candidates.append((p.id, p.date_of_birth, p.given_name))
    return narrow_candidates(candidates, birth_digits=birth_digits, name_digits=name_digits)


def set_sms_consent(
    rt: Runtime,
    *,
    actor: Actor,
    patient_id: str,
    consent: SmsConsent,
    source: str = "staff",
    at: datetime | None = None,
) -> SmsConsentView:
    """Record an opt-in or opt-out and when/how it happened (`source`: staff, sms-keyword...)."""
    if not CONSENT_SOURCE.match(source):
        raise ValidationFailed(
            "The consent source must be a short lowercase token such as 'sms-keyword'.",
            problems=[FieldProblem("source", "must match [a-z][a-z0-9_.:-]{0,39}")],
        )
    when = at or rt.clock.now()
    with phi_transaction(rt) as s:
        row = _patient_row(s, patient_id)
        flagged = ensure_patient_access(
            rt,
            s,
            actor=actor,
            permission=Permission.patients_write,
            patient_id=row.id,
            home_location_id=row.home_location_id,
        )
        before = row.sms_consent
        row.sms_consent = consent.value
        row.sms_consent_at = when
        row.sms_consent_source = source
        row.updated_at = rt.clock.now()
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="patient.sms_consent",
            resource_type="patient",
            resource_id=row.id,
            patient_id=row.id,
            flagged=flagged,
            details={"before": before, "after": consent.value, "source": source},
        )
        return SmsConsentView(
            patient_id=row.id,
            sms_consent=consent,
            sms_consent_at=when,
            sms_consent_source=source,
        )


def break_glass(rt: Runtime, *, actor: Actor, patient_id: str, reason: str) -> BreakGlassView:
    """Open an out-of-scope patient for a while (security records and flags the grant)."""
    with transaction(rt.sessions) as s:
        if not patient_exists(s, patient_id):
            raise _no_such_patient()
    expires = security.break_glass(rt, actor=actor, patient_id=patient_id, reason=reason)
    return BreakGlassView(patient_id=patient_id, expires_at=expires)
