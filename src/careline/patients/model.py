"""Patients: inputs, views and the pure checks on them.

Everything a patient record holds about a person (names, date of birth, MRN,
phone numbers, caregivers) is PHI: it is encrypted at rest, never logged and
never put in an error or a URL. Equality lookups go through keyed blind
indexes; the keys that feed them are built here so every writer agrees.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from careline.core.errors import FieldProblem
from careline.core.phone import InvalidPhoneNumber, to_e164

Strict = ConfigDict(extra="forbid")

NAME_MAX = 100
MRN_MAX = 64
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class PhoneKind(StrEnum):
    mobile = "mobile"
    home = "home"
    work = "work"


class PreferredChannel(StrEnum):
    sms = "sms"
    voice = "voice"
    none = "none"


class SmsConsent(StrEnum):
    unknown = "unknown"
    opted_in = "opted_in"
    opted_out = "opted_out"


class Relationship(StrEnum):
    """A closed list on purpose: a free-text field here would collect PHI in the clear."""

    parent = "parent"
    guardian = "guardian"
    spouse = "spouse"
    partner = "partner"
    child = "child"
    sibling = "sibling"
    caregiver = "caregiver"
    friend = "friend"
    other = "other"


# ---------------------------------------------------------------- inputs


class PhoneIn(BaseModel):
    model_config = Strict
    number: str = Field(min_length=1, max_length=40, description="As typed; stored in E.164")
    kind: PhoneKind = PhoneKind.mobile
    sms_capable: bool = True
    primary: bool = False


class CaregiverIn(BaseModel):
    model_config = Strict
    name: str = Field(min_length=1, max_length=200)
    relationship: Relationship = Relationship.other
    phone: str = Field(min_length=1, max_length=40)
    may_receive_messages: bool = False


class PatientCreate(BaseModel):
    model_config = Strict
    given_name: str = Field(min_length=1, max_length=NAME_MAX)
    family_name: str = Field(min_length=1, max_length=NAME_MAX)
    date_of_birth: date
    mrn: str | None = Field(default=None, min_length=1, max_length=MRN_MAX)
    phones: list[PhoneIn] = Field(default_factory=list, max_length=10)
    preferred_language: str = Field(default="en", min_length=2, max_length=35)
    preferred_channel: PreferredChannel = PreferredChannel.voice
    sms_consent: SmsConsent = SmsConsent.unknown
    home_location_id: str | None = Field(default=None, max_length=36)
    caregivers: list[CaregiverIn] = Field(default_factory=list, max_length=10)


class PatientUpdate(BaseModel):
    """PATCH: only the fields present change; lists given replace the whole list.

    SMS consent is not here: it changes through `set_sms_consent`, which stamps
    when and how it was given or withdrawn.
    """

    model_config = Strict
    given_name: str | None = Field(default=None, min_length=1, max_length=NAME_MAX)
    family_name: str | None = Field(default=None, min_length=1, max_length=NAME_MAX)
    date_of_birth: date | None = None
    mrn: str | None = Field(default=None, min_length=1, max_length=MRN_MAX)
    phones: list[PhoneIn] | None = Field(default=None, max_length=10)
    preferred_language: str | None = Field(default=None, min_length=2, max_length=35)
    preferred_channel: PreferredChannel | None = None
    home_location_id: str | None = Field(default=None, max_length=36)
    caregivers: list[CaregiverIn] | None = Field(default=None, max_length=10)


#: Fields of `PatientUpdate` that may be cleared with an explicit null.
NULLABLE_ON_UPDATE = frozenset({"mrn", "home_location_id"})


class PatientSearch(BaseModel):
    """Exactly one criterion: a phone number, an MRN, or family name + date of birth."""

    model_config = Strict
    phone: str | None = Field(default=None, min_length=1, max_length=40)
    mrn: str | None = Field(default=None, min_length=1, max_length=MRN_MAX)
    family_name: str | None = Field(default=None, min_length=1, max_length=NAME_MAX)
    date_of_birth: date | None = None


# ---------------------------------------------------------------- views


class PhoneView(BaseModel):
    number: str
    kind: PhoneKind
    sms_capable: bool
    primary: bool


class CaregiverView(BaseModel):
    id: str
    name: str
    relationship: Relationship
    phone: str
    may_receive_messages: bool


class PatientView(BaseModel):
    id: str
    given_name: str
    family_name: str
    date_of_birth: date
    mrn: str | None
    phones: list[PhoneView]
    preferred_language: str
    preferred_channel: PreferredChannel
    sms_consent: SmsConsent
    sms_consent_at: datetime | None
    sms_consent_source: str | None
    home_location_id: str | None
    caregivers: list[CaregiverView]
    created_at: datetime
    updated_at: datetime


class PatientSummary(BaseModel):
    id: str
    given_name: str
    family_name: str
    date_of_birth: date
    home_location_id: str | None


MatchedVia = Literal["patient_phone", "caregiver_phone", "mrn", "name_and_birth_date"]


class PatientMatch(BaseModel):
    """A search hit and why it matched (a caregiver's number is not the patient's)."""

    patient: PatientSummary
    matched_via: MatchedVia
    caregiver_id: str | None = None
    caregiver_relationship: Relationship | None = None


class BreakGlassView(BaseModel):
    patient_id: str
    expires_at: datetime


class SmsConsentView(BaseModel):
    patient_id: str
    sms_consent: SmsConsent
    sms_consent_at: datetime | None
    sms_consent_source: str | None


# ---------------------------------------------------------------- pure checks


@dataclass(frozen=True)
class CleanPhone:
    e164: str
    kind: PhoneKind
    sms_capable: bool
    primary: bool


@dataclass(frozen=True)
class CleanCaregiver:
    name: str
    relationship: Relationship
    e164: str
    may_receive_messages: bool


def clean_name(value: str) -> str:
    """Collapse inner whitespace so lookups and displays agree."""
    return " ".join(value.split())


def name_dob_key(family_name: str, date_of_birth: date) -> str:
    """What the family-name + birth-date blind index hashes (case-folded by the hasher)."""
    return f"{clean_name(family_name)}\x1f{date_of_birth.isoformat()}"


def mrn_key(mrn: str) -> str:
    return "".join(mrn.split())


def date_of_birth_problems(dob: date, *, today: date, field: str) -> list[FieldProblem]:
    if dob > today:
        return [FieldProblem(field, "must not be in the future")]
    if dob.year < today.year - 130:
        return [FieldProblem(field, "is more than 130 years ago")]
    return []


def name_problems(value: str, *, field: str) -> list[FieldProblem]:
    return [] if clean_name(value) else [FieldProblem(field, "must not be blank")]


def language_problems(tag: str, *, field: str) -> list[FieldProblem]:
    if LANGUAGE_TAG.match(tag.strip()):
        return []
    return [FieldProblem(field, "must be a language tag such as 'en' or 'es-MX'")]


def normalise_language(tag: str) -> str:
    primary, _, rest = tag.strip().partition("-")
    return primary.lower() + (f"-{rest}" if rest else "")


def clean_phones(
    phones: list[PhoneIn], *, region: str, field: str
) -> tuple[list[CleanPhone], list[FieldProblem]]:
    """Numbers to E.164, no duplicates, exactly one primary (the first, unless one is marked)."""
    problems: list[FieldProblem] = []
    seen: set[str] = set()
    out: list[CleanPhone] = []
    primaries = [i for i, p in enumerate(phones) if p.primary]
    if len(primaries) > 1:
        problems.append(FieldProblem(f"{field}.{primaries[1]}.primary", "only one may be primary"))
    primary_at = primaries[0] if primaries else 0
    for i, phone in enumerate(phones):
        try:
            e164 = to_e164(phone.number, default_region=region, field=f"{field}.{i}.number")
        except InvalidPhoneNumber as bad:
            problems.extend(bad.problems)
            continue
        if e164 in seen:
            problems.append(FieldProblem(f"{field}.{i}.number", "is listed twice"))
            continue
        seen.add(e164)
        out.append(CleanPhone(e164, phone.kind, phone.sms_capable, i == primary_at))
    return out, problems


def clean_caregivers(
    caregivers: list[CaregiverIn], *, region: str, field: str
) -> tuple[list[CleanCaregiver], list[FieldProblem]]:
    problems: list[FieldProblem] = []
    out: list[CleanCaregiver] = []
    for i, cg in enumerate(caregivers):
        problems.extend(name_problems(cg.name, field=f"{field}.{i}.name"))
        try:
            e164 = to_e164(cg.phone, default_region=region, field=f"{field}.{i}.phone")
        except InvalidPhoneNumber as bad:
            problems.extend(bad.problems)
            continue
        out.append(
            CleanCaregiver(clean_name(cg.name), cg.relationship, e164, cg.may_receive_messages)
        )
    return out, problems


def search_problems(q: PatientSearch) -> list[FieldProblem]:
    """One criterion at a time, and a family name always with a date of birth."""
    kinds = [
        name
        for name, present in (
            ("phone", q.phone is not None),
            ("mrn", q.mrn is not None),
            ("family_name", q.family_name is not None or q.date_of_birth is not None),
        )
        if present
    ]
    if not kinds:
        return [FieldProblem("body", "give phone, mrn, or family_name with date_of_birth")]
    if len(kinds) > 1:
        return [FieldProblem(f"body.{kinds[1]}", "search by one criterion at a time")]
    if kinds == ["family_name"]:
        if q.family_name is None:
            return [FieldProblem("body.family_name", "is required with date_of_birth")]
        if q.date_of_birth is None:
            return [FieldProblem("body.date_of_birth", "is required with family_name")]
    return []


# ---------------------------------------------------------------- who is calling

_KEYPAD = {
    letter: digit
    for digit, letters in {
        "2": "abc", "3": "def", "4": "ghi", "5": "jkl",
        "6": "mno", "7": "pqrs", "8": "tuv", "9": "wxyz",
    }.items()
    for letter in letters
}  # fmt: skip


def keypad_digits(name: str) -> str:
    """A name as a caller keys it on a phone ("José" → "5673"; accents and spaces dropped)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return "".join(_KEYPAD[c] for c in plain if c in _KEYPAD)


def birth_date_digits(born: date) -> str:
    """A date of birth as the IVR asks for it: month, day, year (MMDDYYYY)."""
    return f"{born.month:02d}{born.day:02d}{born.year:04d}"


def narrow_candidates(
    candidates: Sequence[tuple[str, date, str]],
    *,
    birth_digits: str | None = None,
    name_digits: str | None = None,
) -> list[str]:
    """Of (patient id, date of birth, first name) sharing a number, the ids that match what
    the caller keyed: the whole date of birth, and the first letters of the first name."""
    out = []
    for patient_id, born, given in candidates:
        if birth_digits is not None and birth_date_digits(born) != birth_digits:
            continue
        if name_digits is not None and not (
            name_digits and keypad_digits(given).startswith(name_digits)
        ):
            continue
        out.append(patient_id)
    return out


class SummaryRequest(BaseModel):
    """Names for a list a screen shows (the day's appointments, the tasks)."""

    model_config = Strict
    ids: list[str] = Field(min_length=1, max_length=200)
