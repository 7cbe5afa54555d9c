"""Directory data and decisions: the shapes the API speaks, their validation, and
each location's calendar (is it open at an instant, when does it next open).

Pure: no SQLAlchemy, no FastAPI, no I/O, no clock. Times of day are local wall
times of the location; instants are aware datetimes.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any, Protocol
from zoneinfo import ZoneInfo, available_timezones

import holidays
import phonenumbers
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from careline.core.errors import FieldProblem, ValidationFailed
from careline.core.phone import InvalidPhoneNumber, to_e164

Strict = ConfigDict(extra="forbid", str_strip_whitespace=True)

MINUTES_PER_DAY = 24 * 60

# ---------------------------------------------------------------- enums


class DepartmentKind(StrEnum):
    scheduling = "scheduling"
    nurse_triage = "nurse_triage"
    billing = "billing"
    refills = "refills"
    results = "results"
    referrals = "referrals"
    records = "records"
    oncology = "oncology"
    pediatrics = "pediatrics"
    behavioral_health = "behavioral_health"
    imaging = "imaging"
    general = "general"


class PresenceState(StrEnum):
    available = "available"
    busy = "busy"
    wrap_up = "wrap_up"
    away = "away"
    offline = "offline"


class EndpointKind(StrEnum):
    phone = "phone"
    sip = "sip"


class EndpointOwner(StrEnum):
    """Who governs the device: the organisation (desk phones, softphones, managed
    mobiles) or the staff member (a personal mobile). Patient calls that reach a
    personal device are shown to auditors in the PHI channel report."""

    organisation = "organisation"
    personal = "personal"


# ---------------------------------------------------------------- small validators

_HHMM = re.compile(r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$")
_HHMM_OR_24 = re.compile(r"^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")
_LANGUAGE = re.compile(r"^([a-z]{2,3})(?:-([a-z]{2}|[0-9]{3}))?$")
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")
_SIP = re.compile(
    r"^(?P<scheme>[sS][iI][pP][sS]?):(?P<user>[A-Za-z0-9\-_.!~*'()&=+$,?/%]+)"
    r"@(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+)"
    r"(?::(?P<port>[0-9]{1,5}))?"
    r"(?P<params>(?:;[A-Za-z0-9\-_.!~*'()%]+(?:=[A-Za-z0-9\-_.!~*'()%\[\]:]+)?)*)$"
)
_DNS_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
#: Names `available_timezones()` lists that are not places a clinic can be.
_NOT_A_PLACE = frozenset({"localtime", "posixrules", "Factory"})


def hhmm_to_minutes(value: str) -> int:
    """'08:30' -> 510; '24:00' -> 1440 (closing at midnight)."""
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def minutes_to_hhmm(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


def _hhmm(value: str) -> str:
    if not _HHMM.fullmatch(value):
        raise ValueError("must be a time of day as HH:MM (00:00-23:59)")
    return value


def _hhmm_or_24(value: str) -> str:
    if not _HHMM_OR_24.fullmatch(value):
        raise ValueError("must be a time of day as HH:MM (00:00-24:00)")
    return value


def normalise_language(raw: str) -> str:
    """'en', 'ES-mx', 'es_MX' -> 'en', 'es-MX'; anything else is refused."""
    match = _LANGUAGE.fullmatch(raw.strip().replace("_", "-").lower())
    if not match:
        raise ValueError("must be a language code like 'en', 'es' or 'es-MX'")
    language, region = match.groups()
    return f"{language}-{region.upper()}" if region else language


def primary_language(code: str) -> str:
    return code.split("-", 1)[0]


def speaks(languages: Iterable[str], wanted: str) -> bool:
    """A caller asking for 'es' or 'es-MX' can be served by any Spanish speaker."""
    want = primary_language(normalise_language(wanted))
    return any(primary_language(lang) == want for lang in languages)


def _country(value: str) -> str:
    code = value.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError("must be an ISO 3166-1 alpha-2 country code such as 'US'")
    return code


def _valid_host(host: str) -> bool:
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return False
        return True
    if re.fullmatch(r"[0-9.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return False
        return True
    labels = host.split(".")
    return len(host) <= 253 and all(_DNS_LABEL.fullmatch(label) for label in labels)


def normalise_sip_uri(raw: str) -> str:
    """`sip:user@host[:port][;params]` (or sips:), with a lowercase scheme; else ValueError."""
    match = _SIP.fullmatch(raw.strip())
    if not match:
        raise ValueError("must be a SIP URI like 'sip:frontdesk@pbx.example.org'")
    if not _valid_host(match["host"]):
        raise ValueError("the host of the SIP URI is not a valid domain name or IP address")
    if match["port"] is not None and not 1 <= int(match["port"]) <= 65535:
        raise ValueError("the port of the SIP URI must be 1-65535")
    scheme = match["scheme"].lower()
    return f"{scheme}:{raw.strip()[len(scheme) + 1 :]}"


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    """IANA zone names this machine knows (listing them scans tzdata: do it once)."""
    return frozenset(available_timezones()) - _NOT_A_PLACE


@lru_cache(maxsize=1)
def _holiday_calendars() -> dict[str, tuple[str, ...]]:
    return {
        country: tuple(subdivisions)
        for country, subdivisions in holidays.list_supported_countries().items()
        if len(country) == 2
    }


def holiday_subdivision(country: str, subdivision: str) -> str | None:
    """The `holidays` library's spelling of `subdivision` in `country`, or None if unknown."""
    wanted = subdivision.strip().casefold()
    for known in _holiday_calendars().get(country, ()):
        if known.casefold() == wanted:
            return known
    return None


@lru_cache(maxsize=512)
def holiday_dates(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """Public holidays of one year, observed days included (July 3 when July 4 is a Saturday)."""
    calendar = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return frozenset(day for day in calendar if day.year == year)


@lru_cache(maxsize=512)
def _holiday_names(
    country: str, subdivision: str | None, year: int
) -> tuple[tuple[date, str], ...]:
    calendar = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return tuple((day, str(name)) for day, name in sorted(calendar.items()) if day.year == year)


def holiday_name(country: str, subdivision: str | None, day: date) -> str | None:
    """The name of the public holiday on `day` (observed days included), or None."""
    return dict(_holiday_names(country, subdivision, day.year)).get(day)


# ---------------------------------------------------------------- calendar (decisions)


class HolidaySource(Protocol):
    def is_holiday(self, day: date) -> bool: ...


@dataclass(frozen=True)
class PublicHolidays:
    """Public holidays of a country (and optional subdivision) from the `holidays` library."""

    country: str
    subdivision: str | None = None

    def is_holiday(self, day: date) -> bool:
        return day in holiday_dates(self.country, self.subdivision, day.year)


@dataclass(frozen=True)
class FixedHolidays:
    """An explicit set of closed days (for custom calendars and tests)."""

    dates: frozenset[date]

    def is_holiday(self, day: date) -> bool:
        return day in self.dates


@dataclass(frozen=True)
class WeeklyInterval:
    """Open on `weekday` (Mon=0) from `opens` to `closes`, minutes after local midnight."""

    weekday: int
    opens: int
    closes: int

    @classmethod
    def of(cls, weekday: int, opens: str, closes: str) -> WeeklyInterval:
        return cls(weekday, hhmm_to_minutes(opens), hhmm_to_minutes(closes))


@dataclass(frozen=True)
class ClosureSpan:
    """Closed on every local date from `starts_on` to `ends_on`; all day, or only
    between `closed_from` and `closed_until` (minutes after local midnight)."""

    starts_on: date
    ends_on: date
    closed_from: int | None = None
    closed_until: int | None = None

    def covers(self, day: date, second_of_day: int) -> bool:
        if not self.starts_on <= day <= self.ends_on:
            return False
        if self.closed_from is None or self.closed_until is None:
            return True
        return self.closed_from * 60 <= second_of_day < self.closed_until * 60


@dataclass(frozen=True)
class Calendar:
    """When a location is open: weekly wall-clock hours in `timezone`, minus holidays
    (None = not observed) and local closures."""

    timezone: str
    weekly: tuple[WeeklyInterval, ...] = ()
    closures: tuple[ClosureSpan, ...] = ()
    holidays: HolidaySource | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _require_aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("`at` must be timezone-aware")
    return at


def is_open(calendar: Calendar, at: datetime) -> bool:
    """Is the location open at the instant `at` (aware)? Judged on the local wall clock,
    so 08:00-17:00 means 08:00-17:00 on both sides of a DST change."""
    local = _require_aware(at).astimezone(calendar.zone)
    day = local.date()
    if calendar.holidays is not None and calendar.holidays.is_holiday(day):
        return False
    second = local.hour * 3600 + local.minute * 60 + local.second
    if any(closure.covers(day, second) for closure in calendar.closures):
        return False
    weekday = day.weekday()
    return any(
        iv.weekday == weekday and iv.opens * 60 <= second < iv.closes * 60 for iv in calendar.weekly
    )


def _wall_instants(day: date, minute: int, zone: ZoneInfo) -> set[datetime]:
    """Every UTC instant whose local wall time is `day` `minute`: one normally, two in a
    fall-back repeat; in a spring-forward gap (the wall time never happens) the instant
    the gap ends, which is when the clock first reads later than it."""
    wall = datetime.combine(day, time(minute // 60, minute % 60))
    found = set()
    for fold in (0, 1):
        instant = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == wall:
            found.add(instant)
    if found:
        return found
    candidates = sorted(wall.replace(tzinfo=zone, fold=f).astimezone(UTC) for f in (0, 1))
    lo, hi = int(candidates[0].timestamp()), int(candidates[1].timestamp())
    while hi - lo > 1:  # local(lo) < wall <= local(hi); the clock jumps in between
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, UTC).astimezone(zone).replace(tzinfo=None) >= wall:
            hi = mid
        else:
            lo = mid
    return {datetime.fromtimestamp(hi, UTC)}


def next_open(
    calendar: Calendar, at: datetime, *, within: timedelta = timedelta(days=30)
) -> datetime | None:
    """The first instant at or after `at` when the location is open (UTC), or None if it
    stays closed for `within`. Returns `at` itself when it is open already."""
    _require_aware(at)
    if is_open(calendar, at):
        return at.astimezone(UTC)
    zone = calendar.zone
    limit = at + within
    day, last = at.astimezone(zone).date(), limit.astimezone(zone).date()
    while day <= last:
        # Opening can only begin where an interval starts or a part-day closure ends.
        starts = {iv.opens for iv in calendar.weekly if iv.weekday == day.weekday()}
        starts |= {
            c.closed_until
            for c in calendar.closures
            if c.closed_until is not None and c.starts_on <= day <= c.ends_on
        }
        found = [
            instant
            for minute in starts
            if minute < MINUTES_PER_DAY
            for instant in _wall_instants(day, minute, zone)
            if at < instant <= limit and is_open(calendar, instant)
        ]
        if found:
            return min(found)
        day += timedelta(days=1)
    return None


# ---------------------------------------------------------------- shared shapes


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


class Input(BaseModel):
    """Base of directory inputs: unknown fields are refused, strings trimmed, and NUL
    characters refused (PostgreSQL cannot store them in text)."""

    model_config = Strict

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise ValueError("must not contain NUL characters")
        return value


class Address(Input):
    """A postal address. `country` is ISO 3166-1 alpha-2."""

    model_config = Strict
    line1: str = Field(min_length=1, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    region: str | None = Field(default=None, max_length=100, description="State or province")
    postal_code: str | None = Field(default=None, max_length=20)
    country: str = Field(min_length=2, max_length=2, examples=["US"])

    _country = field_validator("country")(_country)


class DispatchAddress(Address):
    """Where emergency services should go (E911 dispatchable location)."""

    location_detail: str | None = Field(
        default=None, max_length=200, examples=["Floor 2, Suite 210"]
    )


TimeOfDay = Annotated[
    str,
    AfterValidator(_hhmm),
    Field(json_schema_extra={"pattern": _HHMM.pattern}, examples=["08:00"]),
]
EndTimeOfDay = Annotated[
    str,
    AfterValidator(_hhmm_or_24),
    Field(json_schema_extra={"pattern": _HHMM_OR_24.pattern}, examples=["17:00", "24:00"]),
]


class OpeningHours(Input):
    """One weekly opening interval in local wall time; it cannot cross midnight."""

    model_config = Strict
    weekday: int = Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday")
    opens: TimeOfDay
    closes: EndTimeOfDay


class Closure(Input):
    """A local closure (e.g. 'Staff training'). The reason is shown to staff and callers:
    never PHI. Give both `closed_from` and `closed_until` for a part-day closure."""

    model_config = Strict
    starts_on: date
    ends_on: date | None = Field(default=None, description="Defaults to starts_on")
    closed_from: TimeOfDay | None = None
    closed_until: EndTimeOfDay | None = None
    reason: str = Field(min_length=1, max_length=120, examples=["Staff training"])


class ClosureView(Closure):
    """A stored closure with its id, for removing just that one
    (`DELETE /locations/{location_id}/closures/{closure_id}`)."""

    id: str = Field(description="Stable id of this closure (from its dates and reason)")


def closure_id(closure: Closure) -> str:
    """A closure's id: a digest of what it says, so stored closures need no migration
    and the same closure added twice is one closure."""
    canonical = json.dumps(closure.model_dump(mode="json"), sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def closure_view(closure: Closure) -> ClosureView:
    return ClosureView(**closure.model_dump(), id=closure_id(closure))


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("must not be null")
    return value


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _code(value: str) -> str:
    if not _CODE.fullmatch(value):
        raise ValueError("must be 1-16 letters, digits or '-', starting with a letter or digit")
    return value


LocationCode = Annotated[str, AfterValidator(_code)]
Language = Annotated[str, AfterValidator(normalise_language)]
Skill = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
ID_PATTERN = r"^[A-Za-z0-9-]{1,36}$"
Id = Annotated[str, StringConstraints(min_length=1, max_length=36, pattern=ID_PATTERN)]

# ---------------------------------------------------------------- organisation


class OrganisationUpdate(Input):
    model_config = Strict
    name: str = Field(min_length=1, max_length=200)
    country: str = Field(min_length=2, max_length=2, examples=["US"])

    _country = field_validator("country")(_country)


class OrganisationView(BaseModel):
    name: str
    country: str


# ---------------------------------------------------------------- locations


class LocationCreate(Input):
    model_config = Strict
    name: str = Field(min_length=1, max_length=200)
    code: LocationCode = Field(description="Short unique code, e.g. 'DT' or 'NORTH-2'")
    timezone: str = Field(min_length=1, max_length=64, examples=["America/Chicago"])
    address: Address
    dispatch_address: DispatchAddress | None = Field(
        default=None, description="E911 dispatchable address; the postal address if absent"
    )
    main_phone: str | None = Field(default=None, max_length=40)
    sms_number: str | None = Field(
        default=None,
        max_length=40,
        description="The clinic's own texting number: its patients' texts come from it"
        " (else the network's Messaging Service or default sender)",
    )
    holiday_country: str | None = Field(
        default=None, max_length=2, description="Defaults to the address's country"
    )
    holiday_subdivision: str | None = Field(default=None, max_length=40, examples=["IL"])
    observe_holidays: bool = True
    hours: list[OpeningHours] = Field(default_factory=list, max_length=70)
    closures: list[Closure] = Field(default_factory=list, max_length=500)

    _upper = field_validator("code", "holiday_country", mode="before")(_upper)


class LocationUpdate(Input):
    """Fields to change; absent fields stay. `hours` and `closures` replace the lists."""

    model_config = Strict
    name: str | None = Field(default=None, min_length=1, max_length=200)
    code: LocationCode | None = None
    timezone: str | None = Field(default=None, min_length=1, max_length=64)
    address: Address | None = None
    dispatch_address: DispatchAddress | None = None
    main_phone: str | None = Field(default=None, max_length=40)
    sms_number: str | None = Field(default=None, max_length=40)
    holiday_country: str | None = Field(default=None, max_length=2)
    holiday_subdivision: str | None = Field(default=None, max_length=40)
    observe_holidays: bool | None = None
    hours: list[OpeningHours] | None = Field(default=None, max_length=70)
    closures: list[Closure] | None = Field(default=None, max_length=500)

    _upper = field_validator("code", "holiday_country", mode="before")(_upper)
    _not_null = field_validator(
        "name", "code", "timezone", "address", "observe_holidays", "hours", "closures"
    )(_not_null)


class LocationView(BaseModel):
    id: str
    name: str
    code: str
    timezone: str
    address: Address
    dispatch_address: DispatchAddress = Field(description="Effective E911 address")
    dispatch_address_is_postal: bool
    main_phone: str | None
    sms_number: str | None
    holiday_country: str | None
    holiday_subdivision: str | None
    observe_holidays: bool
    hours: list[OpeningHours]
    closures: list[ClosureView]


class OpenStatus(BaseModel):
    location_id: str
    at: datetime
    open: bool
    next_open: datetime | None = Field(description="At or after `at`; null if not within 30 days")
    timezone: str
    local_time: str


class OpenPeriod(BaseModel):
    """A stretch of one local day when the location is open (wall time)."""

    opens: str = Field(examples=["08:00"])
    closes: str = Field(examples=["17:00", "24:00"])


class DayStatus(BaseModel):
    """One local calendar day of a location: open or not, when, and why not."""

    day: date = Field(description="The local calendar date")
    weekday: int = Field(ge=0, le=6, description="0 = Monday ... 6 = Sunday")
    open: bool = Field(description="Open at some time of the day")
    periods: list[OpenPeriod] = Field(
        description="When it is open that day, after holidays and closures"
    )
    holiday: str | None = Field(description="The observed public holiday's name, if any")
    closures: list[ClosureView] = Field(description="The local closures that touch the day")


class LocationDays(BaseModel):
    location_id: str
    timezone: str
    days: list[DayStatus]


def hours_problems(hours: Sequence[OpeningHours], *, field: str) -> list[FieldProblem]:
    """Each interval must end after it starts; intervals of one weekday must not overlap."""
    problems: list[FieldProblem] = []
    by_day: dict[int, list[tuple[int, int, int]]] = {}
    for i, h in enumerate(hours):
        opens, closes = hhmm_to_minutes(h.opens), hhmm_to_minutes(h.closes)
        if closes <= opens:
            problems.append(
                FieldProblem(
                    f"{field}.{i}",
                    "closes must be later than opens (hours past midnight: split them "
                    "over two weekdays)",
                )
            )
            continue
        by_day.setdefault(h.weekday, []).append((opens, closes, i))
    short = field.removeprefix("body.")
    for spans in by_day.values():
        spans.sort()
        reach, reach_index = -1, -1
        for opens, closes, i in spans:
            if opens < reach:
                problems.append(
                    FieldProblem(f"{field}.{i}", f"overlaps {short}.{reach_index} on that weekday")
                )
            if closes > reach:
                reach, reach_index = closes, i
    return sorted(problems, key=lambda p: p.field)


def closure_problems(closures: Sequence[Closure], *, field: str) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for i, c in enumerate(closures):
        if c.ends_on is not None and c.ends_on < c.starts_on:
            problems.append(FieldProblem(f"{field}.{i}.ends_on", "must not be before starts_on"))
        if (c.closed_from is None) != (c.closed_until is None):
            problems.append(
                FieldProblem(f"{field}.{i}", "give both closed_from and closed_until, or neither")
            )
        elif (
            c.closed_from is not None
            and c.closed_until is not None
            and hhmm_to_minutes(c.closed_until) <= hhmm_to_minutes(c.closed_from)
        ):
            problems.append(
                FieldProblem(f"{field}.{i}.closed_until", "must be later than closed_from")
            )
    return problems


def _dispatchable_problems(address: Address, field: str) -> list[FieldProblem]:
    # North American 911 routing needs the state/province and postal code.
    if address.country not in ("US", "CA"):
        return []
    return [
        FieldProblem(f"{field}.{name}", "is required for an emergency (E911) address")
        for name in ("region", "postal_code")
        if not getattr(address, name)
    ]


def validate_location(data: LocationCreate) -> LocationCreate:
    """Check the rules that span fields and return the canonical form (E.164 phone,
    the library's spelling of the subdivision, closures with an end date), or raise
    `ValidationFailed` naming every bad field."""
    problems: list[FieldProblem] = []
    if data.timezone not in known_timezones():
        problems.append(
            FieldProblem("body.timezone", "is not a known IANA time zone (e.g. America/Chicago)")
        )
    problems += hours_problems(data.hours, field="body.hours")
    problems += closure_problems(data.closures, field="body.closures")
    if data.dispatch_address is None:
        problems += _dispatchable_problems(data.address, "body.address")
    else:
        problems += _dispatchable_problems(data.dispatch_address, "body.dispatch_address")

    holiday_country = data.holiday_country
    subdivision = data.holiday_subdivision
    if data.observe_holidays or holiday_country is not None or subdivision is not None:
        holiday_country = holiday_country or data.address.country
        if holiday_country not in _holiday_calendars():
            problems.append(
                FieldProblem(
                    "body.holiday_country", "has no public-holiday calendar in this version"
                )
            )
        elif subdivision is not None:
            subdivision = holiday_subdivision(holiday_country, subdivision)
            if subdivision is None:
                problems.append(
                    FieldProblem(
                        "body.holiday_subdivision",
                        f"is not a subdivision of {holiday_country} in the holiday calendar",
                    )
                )

    phone = data.main_phone
    if phone is not None:
        try:
            phone = to_e164(phone, default_region=data.address.country, field="body.main_phone")
        except InvalidPhoneNumber as exc:
            problems += exc.problems
    sms_number = data.sms_number
    if sms_number is not None:
        try:
            sms_number = to_e164(
                sms_number, default_region=data.address.country, field="body.sms_number"
            )
        except InvalidPhoneNumber as exc:
            problems += exc.problems
    if problems:
        raise ValidationFailed(
            "The location has invalid fields: "
            + ", ".join(sorted({p.field for p in problems}))
            + ".",
            problems=problems,
        )
    closures = sorted(
        (c.model_copy(update={"ends_on": c.ends_on or c.starts_on}) for c in data.closures),
        key=lambda c: (c.starts_on, c.closed_from or ""),
    )
    hours = sorted(data.hours, key=lambda h: (h.weekday, h.opens))
    return data.model_copy(
        update={
            "main_phone": phone,
            "sms_number": sms_number,
            "holiday_country": holiday_country,
            "holiday_subdivision": subdivision,
            "closures": closures,
            "hours": hours,
        }
    )


def calendar_of(view: LocationView) -> Calendar:
    """The pure calendar of a location, for `is_open` / `next_open`."""
    source: HolidaySource | None = None
    if view.observe_holidays and view.holiday_country:
        source = PublicHolidays(view.holiday_country, view.holiday_subdivision)
    return Calendar(
        timezone=view.timezone,
        weekly=tuple(WeeklyInterval.of(h.weekday, h.opens, h.closes) for h in view.hours),
        closures=tuple(
            ClosureSpan(
                starts_on=c.starts_on,
                ends_on=c.ends_on or c.starts_on,
                closed_from=hhmm_to_minutes(c.closed_from) if c.closed_from else None,
                closed_until=hhmm_to_minutes(c.closed_until) if c.closed_until else None,
            )
            for c in view.closures
        ),
        holidays=source,
    )


def _subtract(spans: list[tuple[int, int]], cut: tuple[int, int]) -> list[tuple[int, int]]:
    """Minute spans of a day with the span `cut` taken out."""
    out = []
    for opens, closes in spans:
        if cut[1] <= opens or closes <= cut[0]:
            out.append((opens, closes))
            continue
        if opens < cut[0]:
            out.append((opens, cut[0]))
        if cut[1] < closes:
            out.append((cut[1], closes))
    return out


def day_statuses(view: LocationView, *, start: date, days: int) -> list[DayStatus]:
    """Each local day from `start`: open or closed, its open periods (weekly hours minus
    an observed public holiday and the local closures), and the reasons it is not."""
    observed = view.observe_holidays and view.holiday_country is not None
    out: list[DayStatus] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        holiday = None
        if observed and view.holiday_country is not None:
            holiday = holiday_name(view.holiday_country, view.holiday_subdivision, day)
        touching = [c for c in view.closures if c.starts_on <= day <= (c.ends_on or c.starts_on)]
        spans = sorted(
            (hhmm_to_minutes(h.opens), hhmm_to_minutes(h.closes))
            for h in view.hours
            if h.weekday == day.weekday()
        )
        if holiday is not None:
            spans = []
        for c in touching:
            if c.closed_from is None or c.closed_until is None:
                spans = []
            else:
                spans = _subtract(
                    spans, (hhmm_to_minutes(c.closed_from), hhmm_to_minutes(c.closed_until))
                )
        out.append(
            DayStatus(
                day=day,
                weekday=day.weekday(),
                open=bool(spans),
                periods=[
                    OpenPeriod(opens=minutes_to_hhmm(a), closes=minutes_to_hhmm(b))
                    for a, b in spans
                ],
                holiday=holiday,
                closures=touching,
            )
        )
    return out


# ---------------------------------------------------------------- departments


class DepartmentCreate(Input):
    model_config = Strict
    name: str = Field(min_length=1, max_length=200)
    kind: DepartmentKind
    location_id: Id | None = Field(default=None, description="null = network-wide")


class DepartmentUpdate(Input):
    model_config = Strict
    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: DepartmentKind | None = None
    location_id: Id | None = None

    _not_null = field_validator("name", "kind")(_not_null)


class DepartmentView(BaseModel):
    id: str
    name: str
    kind: DepartmentKind
    location_id: str | None


# ---------------------------------------------------------------- staff


class Endpoint(Input):
    """Where a staff member can be reached: a phone number (E.164) or a SIP URI."""

    model_config = Strict
    kind: EndpointKind
    address: str = Field(
        min_length=1, max_length=200, examples=["+13125550142", "sip:frontdesk@pbx.example.org"]
    )
    label: str | None = Field(default=None, max_length=60, examples=["Desk phone"])
    managed_by: EndpointOwner = Field(
        default=EndpointOwner.organisation,
        description="organisation (desk phone, softphone, managed mobile) or personal",
    )
    e911_address: DispatchAddress | None = Field(
        default=None, description="Where this device is, for emergency calls placed from it"
    )


class StaffCreate(Input):
    model_config = Strict
    display_name: str = Field(min_length=1, max_length=200)
    title: str | None = Field(default=None, max_length=100, examples=["RN", "Front desk"])
    department_ids: list[Id] = Field(default_factory=list, max_length=50)
    location_ids: list[Id] = Field(default_factory=list, max_length=50)
    skills: list[Skill] = Field(default_factory=list, max_length=50)
    languages: list[Language] = Field(default_factory=list, max_length=20, examples=[["en"]])
    endpoints: list[Endpoint] = Field(default_factory=list, max_length=20)
    user_id: Id | None = None


class StaffUpdate(Input):
    """Fields to change; absent fields stay. Lists replace the whole list."""

    model_config = Strict
    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    title: str | None = Field(default=None, max_length=100)
    department_ids: list[Id] | None = Field(default=None, max_length=50)
    location_ids: list[Id] | None = Field(default=None, max_length=50)
    skills: list[Skill] | None = Field(default=None, max_length=50)
    languages: list[Language] | None = Field(default=None, max_length=20)
    endpoints: list[Endpoint] | None = Field(default=None, max_length=20)
    user_id: Id | None = None

    _not_null = field_validator(
        "display_name", "department_ids", "location_ids", "skills", "languages", "endpoints"
    )(_not_null)


class PresenceUpdate(Input):
    model_config = Strict
    state: PresenceState


class StaffView(BaseModel):
    id: str
    display_name: str
    title: str | None
    department_ids: list[str]
    location_ids: list[str]
    skills: list[str]
    languages: list[str]
    endpoints: list[Endpoint]
    presence: PresenceState
    presence_since: datetime
    user_id: str | None


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def validate_staff(data: StaffCreate, *, default_region: str) -> StaffCreate:
    """Canonical endpoints (E.164 numbers, SIP URIs) and de-duplicated lists, or
    `ValidationFailed` naming every bad endpoint."""
    problems: list[FieldProblem] = []
    endpoints: list[Endpoint] = []
    for i, ep in enumerate(data.endpoints):
        field = f"body.endpoints.{i}.address"
        try:
            if ep.kind is EndpointKind.phone:
                address = to_e164(ep.address, default_region=default_region, field=field)
            else:
                address = normalise_sip_uri(ep.address)
        except InvalidPhoneNumber as exc:
            problems += exc.problems
            continue
        except ValueError as exc:
            problems.append(FieldProblem(field, str(exc)))
            continue
        endpoints.append(ep.model_copy(update={"address": address}))
    if problems:
        raise ValidationFailed(
            "Some endpoints are not valid: " + ", ".join(p.field for p in problems) + ".",
            problems=problems,
        )
    return data.model_copy(
        update={
            "endpoints": endpoints,
            "department_ids": _unique(data.department_ids),
            "location_ids": _unique(data.location_ids),
            "skills": _unique(data.skills),
            "languages": _unique(data.languages),
        }
    )


def merge(current: BaseModel, changes: BaseModel, into: type[Any]) -> Any:
    """Apply the fields a PATCH set onto a full record, re-validated as `into`."""
    values = current.model_dump()
    values.update(changes.model_dump(include=changes.model_fields_set))
    try:
        return into.model_validate(values)
    except ValidationError as exc:  # rules the partial input could not check alone
        raise ValidationFailed(
            "The change leaves the record invalid.",
            problems=[
                FieldProblem(".".join(["body", *map(str, e["loc"])]), e["msg"])
                for e in exc.errors()
            ],
        ) from None


@dataclass(frozen=True)
class RoutingStaff:
    """A staff member as call routing needs them: what they can take (skills and the
    kinds of their departments), where, in which languages, how to ring them."""

    staff_id: str
    skills: frozenset[str]
    languages: tuple[str, ...]
    location_ids: frozenset[str]
    presence: PresenceState
    since: datetime
    #: The first phone number or SIP URI (None: they cannot be rung).
    endpoint: str | None
