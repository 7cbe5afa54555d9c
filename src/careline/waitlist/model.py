"""The dynamic waitlist's shapes and pure decisions: who may take an open slot, in
which order they are asked, how offers go out in waves, and what a reply means.

Clinical priority is an integer 1-5 where **1 is the most urgent** (like triage
levels): 1 urgent, 2 soon, 3 routine (default), 4 and 5 flexible. Ranking is
priority first (lower first), then time waited (longer first), then fit (a
preferred provider, the first-listed location, a preferred time of day), then
the entry id so equal candidates always come out in the same order.

Nothing here reads the clock or a database: time comes in as `at`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Strict = ConfigDict(extra="forbid", str_strip_whitespace=True)
ID_PATTERN = r"^[A-Za-z0-9-]{1,36}$"
Id = Annotated[str, StringConstraints(min_length=1, max_length=36, pattern=ID_PATTERN)]
TypeCode = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\s]+( [^\s]+)*$")
]
Language = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]

#: Defaults of a wave plan: 3 offers at once, the next wave 10 minutes later, each
#: offer open for 30 minutes.
DEFAULT_WAVE_SIZE = 3
DEFAULT_WAVE_SPACING = timedelta(minutes=10)
DEFAULT_OFFER_TTL = timedelta(minutes=30)


class EntryStatus(StrEnum):
    waiting = "waiting"
    offered = "offered"
    booked = "booked"
    withdrawn = "withdrawn"


class OfferStatus(StrEnum):
    open = "open"
    accepted = "accepted"
    declined = "declined"
    expired = "expired"
    #: Someone else took the slot first (or it went another way): the entry keeps its place.
    taken = "taken"
    #: The message could not be sent (no SMS number, opted out).
    unsent = "unsent"


class OpeningStatus(StrEnum):
    open = "open"
    #: One confirmation is booking the slot right now (the others are told it is taken).
    booking = "booking"
    filled = "filled"
    #: The slot was booked, blocked or started some other way.
    gone = "gone"
    #: No eligible entry is left to ask.
    exhausted = "exhausted"


class WaitChannel(StrEnum):
    sms = "sms"
    voice = "voice"


# ---------------------------------------------------------------- inputs


class TimeRange(BaseModel):
    """Weekdays (0 = Monday) and a wall-clock range [start, end) in the location's time zone."""

    model_config = Strict
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4], min_length=1, max_length=7
    )
    start: time = time(0, 0)
    end: time = time(23, 59, 59)

    @model_validator(mode="after")
    def _ordered(self) -> TimeRange:
        # The offset check comes first: comparing a time with an offset to one
        # without raises TypeError, which would surface as a 500.
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("times are wall-clock times: no offset")
        if self.end <= self.start:
            raise ValueError("end must be later than start")
        return self


class EntryCreate(BaseModel):
    """Put a patient on the waitlist for a department and/or an appointment type."""

    model_config = Strict
    patient_id: Id
    department_id: Id | None = None
    appointment_type: TypeCode | None = Field(default=None, examples=["FOLLOWUP"])
    location_ids: list[Id] = Field(min_length=1, max_length=20)
    staff_id: Id | None = Field(default=None, description="Preferred provider (any if null)")
    provider_required: bool = Field(
        default=False, description="Only the preferred provider will do (else it is a preference)"
    )
    language: Language = "en"
    priority: int = Field(default=3, ge=1, le=5, description="1 = most urgent ... 5 = flexible")
    window_start: date | None = None
    window_end: date | None = None
    preferred_times: list[TimeRange] = Field(default_factory=list, max_length=14)
    channel: WaitChannel = WaitChannel.sms

    @model_validator(mode="after")
    def _consistent(self) -> EntryCreate:
        if self.department_id is None and self.appointment_type is None:
            raise ValueError("give department_id, appointment_type, or both")
        if self.provider_required and self.staff_id is None:
            raise ValueError("provider_required needs staff_id")
        if self.window_start and self.window_end and self.window_end < self.window_start:
            raise ValueError("window_end must not be before window_start")
        if len(set(self.location_ids)) != len(self.location_ids):
            raise ValueError("location_ids must not repeat")
        return self


class EntryUpdate(BaseModel):
    """Change what a waiting patient accepts; `status: withdrawn` takes them off the list."""

    model_config = Strict
    location_ids: list[Id] | None = Field(default=None, min_length=1, max_length=20)
    staff_id: Id | None = None
    provider_required: bool | None = None
    priority: int | None = Field(default=None, ge=1, le=5)
    window_start: date | None = None
    window_end: date | None = None
    preferred_times: list[TimeRange] | None = Field(default=None, max_length=14)
    channel: WaitChannel | None = None
    language: Language | None = None
    status: Literal["withdrawn", "waiting"] | None = None


class WaveSettings(BaseModel):
    """How offers for one department (or everywhere, `department_id` null) go out."""

    model_config = Strict
    wave_size: int = Field(default=DEFAULT_WAVE_SIZE, ge=1, le=50)
    spacing_minutes: int = Field(default=10, ge=1, le=24 * 60)
    offer_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)


# ---------------------------------------------------------------- views


class EntryView(BaseModel):
    id: str
    patient_id: str
    department_id: str | None
    appointment_type: str | None
    location_ids: list[str]
    staff_id: str | None
    provider_required: bool
    language: str
    priority: int
    window_start: date | None
    window_end: date | None
    preferred_times: list[TimeRange]
    channel: WaitChannel
    status: EntryStatus
    created_at: datetime
    updated_at: datetime


class OfferView(BaseModel):
    id: str
    entry_id: str
    patient_id: str
    opening_id: str
    slot_id: str
    wave: int
    status: OfferStatus
    sent_at: datetime
    expires_at: datetime
    message_id: str | None
    responded_at: datetime | None


class OpeningView(BaseModel):
    id: str
    slot_id: str
    location_id: str
    department_id: str | None
    appointment_type: str | None
    reason: str
    status: OpeningStatus
    opened_at: datetime
    first_offer_at: datetime | None
    filled_at: datetime | None
    appointment_id: str | None
    waves_sent: int


class ConfirmOutcome(StrEnum):
    booked = "booked"
    taken = "taken"
    not_open = "not-open"


class ReportRow(BaseModel):
    location_id: str
    appointment_type: str | None
    openings: int
    offers: int
    filled: int
    fill_rate: float | None
    median_seconds_to_first_offer: float | None
    median_seconds_to_fill: float | None


# ---------------------------------------------------------------- eligibility and ranking


@dataclass(frozen=True)
class Window:
    """A preferred time range in plain values (ranking 100,000 entries must stay cheap)."""

    weekdays: frozenset[int]
    start: time
    end: time

    @staticmethod
    def of(r: TimeRange) -> Window:
        return Window(frozenset(r.weekdays), r.start, r.end)


@dataclass(frozen=True)
class Candidate:
    """What ranking and eligibility need of an entry (no PHI)."""

    id: str
    department_id: str | None
    appointment_type: str | None
    location_ids: tuple[str, ...]
    staff_id: str | None
    provider_required: bool
    priority: int
    window_start: date | None
    window_end: date | None
    preferred_times: tuple[Window, ...]
    created_at: datetime


@dataclass(frozen=True)
class SlotFacts:
    slot_id: str
    staff_id: str
    location_id: str
    department_id: str | None
    appointment_type: str | None  # None: the slot takes any type
    start: datetime
    timezone: str


def _local(slot: SlotFacts) -> datetime:
    try:
        return slot.start.astimezone(ZoneInfo(slot.timezone))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("unknown time zone") from None


def in_preferred_times(c: Candidate, slot: SlotFacts) -> bool:
    """No preferred times means any time; else the slot's local start is inside one range."""
    if not c.preferred_times:
        return True
    local = _local(slot)
    wall = local.time().replace(tzinfo=None)
    return any(local.weekday() in r.weekdays and r.start <= wall < r.end for r in c.preferred_times)


def is_eligible(c: Candidate, slot: SlotFacts) -> bool:
    """May this entry be offered this slot? Department, type, location, provider (when
    required), the date window and the preferred times, all in the location's local time."""
    if c.department_id is not None and c.department_id != slot.department_id:
        return False
    if (
        c.appointment_type is not None
        and slot.appointment_type is not None
        and c.appointment_type != slot.appointment_type
    ):
        return False
    if slot.location_id not in c.location_ids:
        return False
    if c.provider_required and c.staff_id != slot.staff_id:
        return False
    day = _local(slot).date()
    if c.window_start is not None and day < c.window_start:
        return False
    if c.window_end is not None and day > c.window_end:
        return False
    return in_preferred_times(c, slot)


def fit_score(c: Candidate, slot: SlotFacts) -> int:
    """0-3: the preferred provider, the first-choice location, an explicit time preference."""
    score = 0
    if c.staff_id is not None and c.staff_id == slot.staff_id:
        score += 1
    if c.location_ids and c.location_ids[0] == slot.location_id:
        score += 1
    if c.preferred_times and in_preferred_times(c, slot):
        score += 1
    return score


def rank(candidates: list[Candidate], slot: SlotFacts, *, at: datetime) -> list[Candidate]:
    """Eligible candidates, best first: priority, then time waited, then fit, then id."""
    eligible = [c for c in candidates if is_eligible(c, slot)]
    return sorted(
        eligible,
        key=lambda c: (c.priority, -(at - c.created_at).total_seconds(), -fit_score(c, slot), c.id),
    )


def next_wave(
    ranked: list[Candidate], *, already_asked: frozenset[str], size: int
) -> list[Candidate]:
    """The next `size` candidates nobody has asked about this slot yet."""
    return [c for c in ranked if c.id not in already_asked][:size]


# ---------------------------------------------------------------- replies


class ReplyIntent(StrEnum):
    yes = "yes"
    no = "no"


YES_WORDS = frozenset({"YES", "Y", "1", "SI", "OK YES"})
NO_WORDS = frozenset({"NO", "N", "2"})


def reply_intent(text: str) -> ReplyIntent | None:
    """YES/Y/1 and Spanish SÍ/SI accept; NO/N/2 declines; anything else is not ours."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).upper()
    words = " ".join(re.sub(r"[\W_]+", " ", folded).split())
    if words in YES_WORDS:
        return ReplyIntent.yes
    if words in NO_WORDS:
        return ReplyIntent.no
    return None


def offer_text(*, local_start: datetime, language: str, minutes: int) -> str:
    """The offer SMS: when, and how to answer. No name, no reason for the visit."""
    when = local_start.strftime("%a %b %d at %H:%M")
    if language.lower().startswith("es"):
        return (
            f"Hay una cita disponible el {when}. Responda SI para reservarla o NO para "
            f"rechazarla (valida {minutes} min). Si no, mantiene su lugar en la lista."
        )
    return (
        f"An appointment opened up on {when}. Reply YES to book it or NO to pass "
        f"(valid {minutes} min). Either way you keep your place on the waitlist."
    )


TAKEN_TEXT = {
    "en": "Sorry, that appointment was already taken — you keep your place on the list.",
    "es": "Lo sentimos, esa cita ya fue tomada; mantiene su lugar en la lista.",
}
BOOKED_TEXT = {
    "en": "You are booked for {when}. See you then.",
    "es": "Su cita quedó reservada para el {when}.",
}
DECLINED_TEXT = {
    "en": "Thanks, we will keep you on the waitlist.",
    "es": "Gracias, lo mantenemos en la lista de espera.",
}


def localized(texts: dict[str, str], language: str) -> str:
    return texts["es"] if language.lower().startswith("es") else texts["en"]


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
