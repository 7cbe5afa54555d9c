"""Appointments and slots: the shapes the API speaks and the pure decisions on them.

An appointment moves through a small state machine (`TRANSITIONS`); a slot is a
piece of a provider's published capacity that is `free`, `busy` (held by an
appointment) or `blocked`. Everything here is pure: time comes in as `at`.

The appointment type's display text ("Follow-up visit") is not PHI on its own,
but next to a patient it says why they see a clinician, so it is kept to the
minimum necessary: shown in views, never written to logs, audit details or
timeline event data (the code alone is).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from careline.core.errors import Conflict, FieldProblem

Strict = ConfigDict(extra="forbid", str_strip_whitespace=True)

MAX_DURATION_MINUTES = 12 * 60
#: FHIR `code`: no leading/trailing whitespace, single inner spaces.
CODE_PATTERN = r"^[^\s]+( [^\s]+)*$"
ID_PATTERN = r"^[A-Za-z0-9-]{1,36}$"
#: FHIR `id`: what external ids of imported resources look like.
EXTERNAL_ID_PATTERN = r"^[A-Za-z0-9\-.]{1,64}$"

Id = Annotated[str, StringConstraints(min_length=1, max_length=36, pattern=ID_PATTERN)]
ExternalId = Annotated[str, StringConstraints(pattern=EXTERNAL_ID_PATTERN)]
Minutes = Annotated[int, Field(ge=1, le=MAX_DURATION_MINUTES)]


class AppointmentStatus(StrEnum):
    booked = "booked"
    confirmed = "confirmed"
    cancelled = "cancelled"
    noshow = "noshow"
    arrived = "arrived"
    fulfilled = "fulfilled"


class ConfirmedVia(StrEnum):
    """How an appointment came to be confirmed: the front desk reads "confirmed by
    reminder" differently from a confirmation someone took by phone."""

    reminder_text = "reminder_text"  # the patient answered a reminder text
    reminder_call = "reminder_call"  # the patient pressed a key on a reminder call
    staff = "staff"  # someone at the clinic confirmed it (in the app or the API)


class SlotStatus(StrEnum):
    free = "free"
    busy = "busy"
    blocked = "blocked"


class AppointmentSource(StrEnum):
    ehr = "ehr"
    careline = "careline"
    waitlist = "waitlist"


class CancelReason(StrEnum):
    """Why an appointment was cancelled: a closed list, so no free text (PHI) is stored."""

    patient = "patient"
    provider = "provider"
    clinic = "clinic"
    weather = "weather"
    duplicate = "duplicate"
    other = "other"


#: Statuses that hold the provider's time (and the slot).
ACTIVE = frozenset(
    {AppointmentStatus.booked, AppointmentStatus.confirmed, AppointmentStatus.arrived}
)
#: Statuses nothing leaves.
TERMINAL = frozenset(
    {AppointmentStatus.cancelled, AppointmentStatus.noshow, AppointmentStatus.fulfilled}
)

S = AppointmentStatus
TRANSITIONS: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    S.booked: frozenset({S.confirmed, S.cancelled, S.noshow, S.arrived}),
    S.confirmed: frozenset({S.cancelled, S.noshow, S.arrived}),
    S.arrived: frozenset({S.fulfilled}),
    S.cancelled: frozenset(),
    S.noshow: frozenset(),
    S.fulfilled: frozenset(),
}
#: Statuses from which an appointment may move to another time.
RESCHEDULABLE = frozenset({S.booked, S.confirmed})


class TransitionRefused(Conflict):
    error_id = "appointment-transition-refused"
    title = "The appointment cannot change to that status now"


def transition_refusal(
    current: AppointmentStatus, target: AppointmentStatus, *, at: datetime, starts_at: datetime
) -> str | None:
    """Why `current` may not become `target` at `at` (None: it may).

    Beyond the graph, two rules of time: a patient cannot be a no-show before the
    appointment starts, and confirming one that has already started means nothing.
    """
    if target not in TRANSITIONS[current]:
        if current in TERMINAL:
            return f"The appointment is {current.value}; its status can no longer change."
        return f"An appointment that is {current.value} cannot become {target.value}."
    if target is S.noshow and at < starts_at:
        return "A patient can only be marked as a no-show once the appointment has started."
    if target is S.confirmed and at >= starts_at:
        return "The appointment has already started; it can no longer be confirmed."
    return None


def check_transition(
    current: AppointmentStatus, target: AppointmentStatus, *, at: datetime, starts_at: datetime
) -> None:
    """Raise `TransitionRefused` when the move is not allowed."""
    reason = transition_refusal(current, target, at=at, starts_at=starts_at)
    if reason is not None:
        raise TransitionRefused(reason, extra={"status": current.value, "wanted": target.value})


# ---------------------------------------------------------------- time


def ends_at(start: datetime, minutes: int) -> datetime:
    return start + timedelta(minutes=minutes)


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals: a visit ending at 10:00 does not overlap one starting at 10:00."""
    return a_start < b_end and b_start < a_end


def day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    """The UTC instants where a local calendar day starts and ends (23 or 25 hours on DST days)."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def start_problems(start: datetime, *, now: datetime, field: str) -> list[FieldProblem]:
    """A new booking or slot starts in the future, within a sane range of years."""
    if not 1900 <= start.year <= 2999:
        return [FieldProblem(field, "must be between the years 1900 and 2999")]
    if start <= now:
        return [FieldProblem(field, "must be in the future")]
    return []


def whole_minutes(start: datetime, end: datetime) -> int | None:
    """The length of [start, end) in whole minutes, or None if it is not positive and whole."""
    seconds = (end - start).total_seconds()
    if seconds <= 0 or seconds % 60:
        return None
    return int(seconds // 60)


# ---------------------------------------------------------------- inputs


class AppointmentType(BaseModel):
    """What kind of visit: a code (from the EHR or the clinic) and how to show it."""

    model_config = Strict
    code: str = Field(min_length=1, max_length=64, pattern=CODE_PATTERN, examples=["FOLLOWUP"])
    display: str = Field(min_length=1, max_length=200, examples=["Follow-up visit"])


class AppointmentCreate(BaseModel):
    """Book a patient into a free slot (`slot_id`), or at a time with a provider
    (`staff_id`, `location_id`, `start`, `duration_minutes`)."""

    model_config = Strict
    patient_id: Id
    slot_id: Id | None = None
    staff_id: Id | None = None
    location_id: Id | None = None
    department_id: Id | None = None
    start: AwareDatetime | None = None
    duration_minutes: Minutes | None = None
    appointment_type: AppointmentType | None = Field(
        default=None, description="Defaults to the slot's type when booking a slot"
    )
    source: Literal["careline", "waitlist"] = "careline"


class RescheduleRequest(BaseModel):
    """Move to a free slot (`slot_id`) or to another time (`start`), optionally with
    another provider, location or length."""

    model_config = Strict
    slot_id: Id | None = None
    start: AwareDatetime | None = None
    duration_minutes: Minutes | None = None
    staff_id: Id | None = None
    location_id: Id | None = None


class CancelRequest(BaseModel):
    model_config = Strict
    reason: CancelReason


class SlotCreate(BaseModel):
    """Publish a piece of a provider's capacity; `appointment_type` null = any type."""

    model_config = Strict
    staff_id: Id
    location_id: Id
    department_id: Id | None = None
    appointment_type: AppointmentType | None = None
    start: AwareDatetime
    duration_minutes: Minutes


def create_problems(data: AppointmentCreate) -> list[FieldProblem]:
    """Either a slot, or the full where/when/who: never half of each."""
    timed = {
        "staff_id": data.staff_id,
        "location_id": data.location_id,
        "start": data.start,
        "duration_minutes": data.duration_minutes,
    }
    if data.slot_id is not None:
        return [
            FieldProblem(f"body.{name}", "give either slot_id or this, not both")
            for name, value in timed.items()
            if value is not None
        ]
    problems = [
        FieldProblem(f"body.{name}", "is required when no slot_id is given")
        for name, value in timed.items()
        if value is None
    ]
    if data.appointment_type is None:
        problems.append(FieldProblem("body.appointment_type", "is required without a slot"))
    return problems


def reschedule_problems(data: RescheduleRequest) -> list[FieldProblem]:
    if data.slot_id is not None:
        return [
            FieldProblem(f"body.{name}", "give either slot_id or this, not both")
            for name in ("start", "duration_minutes", "staff_id", "location_id")
            if getattr(data, name) is not None
        ]
    if data.start is None:
        return [FieldProblem("body.start", "give slot_id or start")]
    return []


# ---------------------------------------------------------------- imports (from an EHR)

Upsert = Literal["created", "updated", "unchanged"]


class SlotImport(BaseModel):
    """A slot as an EHR publishes it; `external_id` makes re-importing idempotent."""

    model_config = Strict
    external_id: ExternalId
    staff_id: Id
    location_id: Id
    department_id: Id | None = None
    appointment_type: AppointmentType | None = None
    start: AwareDatetime
    duration_minutes: Minutes
    status: SlotStatus


class AppointmentImport(BaseModel):
    """An appointment as an EHR records it. The EHR is the source of truth for its own
    appointments, so its status is taken as given (not through the state machine),
    except that an EHR `booked` does not undo a confirmation received by careline."""

    model_config = Strict
    external_id: ExternalId
    patient_id: Id
    staff_id: Id
    location_id: Id
    department_id: Id | None = None
    appointment_type: AppointmentType
    start: AwareDatetime
    duration_minutes: Minutes
    status: AppointmentStatus
    cancellation_reason: CancelReason | None = None
    slot_external_id: ExternalId | None = None


def imported_status(current: AppointmentStatus | None, ehr: AppointmentStatus) -> AppointmentStatus:
    """The status to store for an EHR appointment: the EHR's, but `booked` keeps `confirmed`."""
    if current is S.confirmed and ehr is S.booked:
        return S.confirmed
    return ehr


# ---------------------------------------------------------------- views


class AppointmentView(BaseModel):
    id: str
    patient_id: str
    staff_id: str
    location_id: str
    department_id: str | None
    appointment_type: AppointmentType
    start: datetime
    end: datetime
    duration_minutes: int
    status: AppointmentStatus
    source: AppointmentSource
    slot_id: str | None
    external_id: str | None
    cancellation_reason: CancelReason | None
    #: How it was confirmed, while it is (or was) confirmed; None for older records.
    confirmed_via: ConfirmedVia | None = None
    interaction_id: str | None = Field(description="The patient-timeline entry of this appointment")
    created_at: datetime
    updated_at: datetime


class SlotView(BaseModel):
    id: str
    staff_id: str
    location_id: str
    department_id: str | None
    appointment_type: AppointmentType | None
    start: datetime
    end: datetime
    duration_minutes: int
    status: SlotStatus
    external_id: str | None
