"""Messaging's pure core: message states, reply keywords, quiet hours, SMS segments.

No I/O and no clock: instants and time zones are passed in.

Reply keywords follow the US carrier conventions (CTIA): a reply that is just
STOP, STOPALL, UNSUBSCRIBE, CANCEL, END or QUIT — or REVOKE / OPT OUT, which
the FCC's 2024 consent-revocation order names too — opts the sender out;
START or UNSTOP opts back in; HELP or INFO asks for help. See
`classify_reply` for how YES and longer replies are read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field

from careline.core.errors import FieldProblem

# ---------------------------------------------------------------- messages


class MessageChannel(StrEnum):
    """How a message reaches the patient (named apart from the timeline's Channel: both
    appear in the API description)."""

    sms = "sms"
    voice = "voice"


class MessageStatus(StrEnum):
    pending = "pending"  # decided, not yet accepted by the provider
    sent = "sent"  # the provider accepted it
    delivered = "delivered"  # the carrier confirmed delivery
    failed = "failed"  # given up (retries exhausted) or the carrier failed it
    undeliverable = "undeliverable"  # refused for good: opted out, invalid or unreachable number


FINAL = frozenset({MessageStatus.delivered, MessageStatus.failed, MessageStatus.undeliverable})

#: Provider and carrier status words (TwiML dialect, outbox) → ours.
_PROVIDER_STATUS = {
    "accepted": MessageStatus.sent,
    "scheduled": MessageStatus.sent,
    "queued": MessageStatus.sent,
    "sending": MessageStatus.sent,
    "sent": MessageStatus.sent,
    "stored": MessageStatus.sent,  # the outbox provider
    "delivered": MessageStatus.delivered,
    "read": MessageStatus.delivered,
    "undelivered": MessageStatus.undeliverable,
    "failed": MessageStatus.failed,
    "canceled": MessageStatus.failed,
    "cancelled": MessageStatus.failed,
}


def status_from_provider(raw: str) -> MessageStatus | None:
    """Our status for a provider's status word; None for words we do not know."""
    return _PROVIDER_STATUS.get(raw.strip().lower())


def next_status(current: MessageStatus, reported: MessageStatus) -> MessageStatus:
    """Apply a reported status. Callbacks arrive late and out of order, so states only
    move forward (pending → sent → delivered) and a final state is never left."""
    if current in FINAL:
        return current
    if reported is MessageStatus.pending:
        return current
    if reported is MessageStatus.sent:
        return MessageStatus.sent
    return reported  # delivered, failed, undeliverable: from pending or sent


IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
SENDER = re.compile(r"^[+A-Za-z0-9._-]{1,64}$")
#: The longest SMS body providers accept (concatenated, ten or more segments).
BODY_MAX = 1_600
#: The sender id used when a message names none (the outbox shows it; carriers need a number).
DEFAULT_SENDER = "careline"


def message_problems(
    *, body: str, idempotency_key: str, sender: str, recipient_tz: str | None
) -> list[FieldProblem]:
    """What is wrong with a message to send (all problems at once, without PHI)."""
    problems: list[FieldProblem] = []
    if not body.strip():
        problems.append(FieldProblem("body", "must not be blank"))
    elif len(body) > BODY_MAX:
        problems.append(FieldProblem("body", f"must be at most {BODY_MAX} characters"))
    if not IDEMPOTENCY_KEY.match(idempotency_key):
        problems.append(
            FieldProblem("idempotency_key", "must be 1-200 printable ASCII characters, no spaces")
        )
    if not SENDER.match(sender):
        problems.append(FieldProblem("sender", "must be a number in E.164 or a short sender id"))
    if recipient_tz is not None and zone_or_none(recipient_tz) is None:
        problems.append(FieldProblem("recipient_tz", "unknown time zone"))
    return problems


class OutboundMessageView(BaseModel):
    id: str
    idempotency_key: str
    patient_id: str | None
    channel: MessageChannel
    to: str
    sender: str
    body: str
    status: MessageStatus
    provider: str | None
    provider_id: str | None
    attempts: int
    error_code: str | None
    segments: int
    encoding: str
    recipient_tz: str | None
    due_at: datetime
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None
    delivered_at: datetime | None


# ---------------------------------------------------------------- reply keywords


class ReplyKeyword(StrEnum):
    opt_out = "opt_out"
    opt_in = "opt_in"
    help = "help"
    confirm = "confirm"  # YES to a confirmation request (scheduling decides what it confirms)
    none = "none"  # not a keyword: a person's words, for staff or triage


#: Opt-out words whose whole-message use is an opt-out (normalised: upper case, single spaces).
OPT_OUT_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT"}
)
#: Opt-out words that mean nothing else here, so they count at the start of a longer reply
#: too ("STOP texting me"). CANCEL, END and QUIT do not: "cancel my appointment" is not
#: an opt-out.
UNAMBIGUOUS_OPT_OUT_STARTS = ("STOPALL", "STOP", "UNSUBSCRIBE", "REVOKE", "OPTOUT", "OPT OUT")
OPT_IN_WORDS = frozenset({"START", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})
CONFIRM_WORDS = frozenset({"YES", "Y", "CONFIRM"})


def normalise_reply(text: str) -> str:
    """Upper case with compatibility forms folded (full-width letters), and every run of
    punctuation, symbols, emoji and space made one space: "¡Opt-out!!" reads "OPT OUT"."""
    folded = unicodedata.normalize("NFKC", text).upper()
    return " ".join(re.sub(r"[\W_]+", " ", folded).split())


def classify_reply(text: str, *, opted_out: bool) -> ReplyKeyword:
    """What an inbound SMS asks for, per carrier keyword conventions.

    - Whole-message match after `normalise_reply` ("stop", " Stop. ", "opt-out", full-width).
    - STOP, STOPALL, UNSUBSCRIBE, REVOKE and OPT OUT also count as the first words of a
      longer reply (revocation "by any reasonable means"); CANCEL, END and QUIT only alone.
    - HELP/INFO only alone: "help I can't breathe" is a person in trouble, not a keyword.
    - YES is both an opt-in word (carriers) and our confirmation word. Rule: from someone
      opted out, YES opts back in (we sent them nothing since, so there is nothing to
      confirm); from anyone else it is a confirmation. START and UNSTOP always opt in.
    """
    words = normalise_reply(text)
    if not words:
        return ReplyKeyword.none
    if words in OPT_OUT_WORDS:
        return ReplyKeyword.opt_out
    for start in UNAMBIGUOUS_OPT_OUT_STARTS:
        if words.startswith(start + " "):
            return ReplyKeyword.opt_out
    if words in OPT_IN_WORDS:
        return ReplyKeyword.opt_in
    if words in HELP_WORDS:
        return ReplyKeyword.help
    if words in CONFIRM_WORDS:
        return ReplyKeyword.opt_in if opted_out and words == "YES" else ReplyKeyword.confirm
    return ReplyKeyword.none


# ---------------------------------------------------------------- quiet hours

DEFAULT_QUIET_START = time(21, 0)
DEFAULT_QUIET_END = time(8, 0)


def zone_or_none(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _zone(tz: str | tzinfo) -> tzinfo:
    if isinstance(tz, str):
        zone = zone_or_none(tz)
        if zone is None:
            raise ValueError("unknown time zone")
        return zone
    return tz


def _is_quiet_wall(wall: time, start: time, end: time) -> bool:
    if start == end:
        return False  # no quiet period
    if start < end:
        return start <= wall < end
    return wall >= start or wall < end  # the period spans midnight


def is_quiet(
    at: datetime,
    tz: str | tzinfo,
    *,
    quiet_start: time = DEFAULT_QUIET_START,
    quiet_end: time = DEFAULT_QUIET_END,
) -> bool:
    """Is `at` inside the quiet period, on the recipient's wall clock?"""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    wall = at.astimezone(_zone(tz)).time().replace(tzinfo=None)
    return _is_quiet_wall(wall, quiet_start, quiet_end)


def _first_instant_at(day: date, wall: time, zone: tzinfo) -> datetime:
    """The earliest instant whose wall-clock reading on `day` is `wall` or later.

    An ambiguous wall time (clocks going back) gives its first occurrence; one
    that does not exist (clocks going forward) gives the end of the gap.
    """
    naive = datetime.combine(day, wall)
    first = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == naive:
        return first
    # In a gap: fold=1 reads the wall with the offset after the change (an instant before
    # the gap), fold=0 with the one before (an instant after it). Bisect to the change.
    lo = int(naive.replace(tzinfo=zone, fold=1).astimezone(UTC).timestamp())
    hi = int(first.timestamp())
    if lo > hi:
        lo, hi = hi, lo
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).replace(tzinfo=None) >= naive:
            hi = mid
        else:
            lo = mid
    return datetime.fromtimestamp(hi, UTC)


def next_allowed_send(
    at: datetime,
    tz: str | tzinfo,
    *,
    quiet_start: time = DEFAULT_QUIET_START,
    quiet_end: time = DEFAULT_QUIET_END,
) -> datetime:
    """The first instant at or after `at` outside quiet hours (default 21:00-08:00) on the
    recipient's wall clock, in UTC. Right across DST: the end of the quiet period is
    taken on the local calendar day, whatever that day's UTC offset."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    zone = _zone(tz)
    local = at.astimezone(zone)
    wall = local.time().replace(tzinfo=None)
    if not _is_quiet_wall(wall, quiet_start, quiet_end):
        return at.astimezone(UTC)
    day = local.date()
    if quiet_start > quiet_end and wall >= quiet_start:
        day += timedelta(days=1)  # evening: quiet until tomorrow morning
    return _first_instant_at(day, quiet_end, zone)


# ---------------------------------------------------------------- SMS segments

#: GSM 03.38 default alphabet (one septet each); ESC (0x1B) is left out: it is not text.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
#: The extension table: each costs two septets (ESC + the character).
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_PART = 160, 153  # septets per message / per part of a long message
UCS2_SINGLE, UCS2_PART = 70, 67  # UTF-16 code units, likewise


class Encoding(StrEnum):
    gsm7 = "GSM-7"
    ucs2 = "UCS-2"


@dataclass(frozen=True)
class SegmentInfo:
    """How an SMS body travels: encoding, size in its units, parts billed."""

    encoding: Encoding
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int
    per_segment: int  # units that fit in each part at this length
    forced_ucs2_by: tuple[str, ...]  # the first few characters outside GSM-7 (for an editor)


def _pack(costs: list[int], size: int) -> int:
    """Parts needed when no character (an escape pair, a surrogate pair) may be split."""
    parts, used = 1, 0
    for cost in costs:
        if used + cost > size:
            parts += 1
            used = 0
        used += cost
    return parts


def count_segments(text: str) -> SegmentInfo:
    """Segments an SMS body takes: GSM-7 when every character is in the GSM alphabet
    (160 septets, or 153 per part), otherwise UCS-2 (70 code units, or 67 per part).
    An empty body is zero segments."""
    outside = [c for c in text if c not in GSM7_BASIC and c not in GSM7_EXTENSION]
    if not outside:
        costs = [2 if c in GSM7_EXTENSION else 1 for c in text]
        single, part, encoding = GSM7_SINGLE, GSM7_PART, Encoding.gsm7
    else:
        costs = [2 if ord(c) > 0xFFFF else 1 for c in text]
        single, part, encoding = UCS2_SINGLE, UCS2_PART, Encoding.ucs2
    units = sum(costs)
    if units == 0:
        segments, per = 0, single
    elif units <= single:
        segments, per = 1, single
    else:
        segments, per = _pack(costs, part), part
    shown = tuple(dict.fromkeys(outside))[:5]
    return SegmentInfo(
        encoding=encoding, units=units, segments=segments, per_segment=per, forced_ucs2_by=shown
    )


class StaffMessage(BaseModel):
    """A text a member of staff writes to a patient (the inbox's reply)."""

    model_config = ConfigDict(extra="forbid")
    body: str = Field(min_length=1, max_length=1600)
    to: str | None = Field(
        default=None, max_length=32, description="Default: the patient's primary mobile"
    )
    respect_quiet_hours: bool = Field(
        default=True,
        description="Hold the text until 08:00 at the patient's clinic when it is 21:00-08:00 "
        "there (the answer's due_at says when it goes).",
    )
