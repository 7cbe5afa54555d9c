"""Scenarios and reports of the simulator, and the pure rules that build them.

A scenario (JSON or TOML, documented in docs/simulation.md) says who calls when
and why, who answers where and when, how patient callers are and how routing
waits. `parse_scenario` validates one and names every bad field; `build_report`
turns the outcome of each simulated call into the JSON report.

Pure: no simpy, no files, no clock; random draws come from a `random.Random`
passed in.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from careline.core.errors import FieldProblem, ValidationFailed
from careline.directory.model import known_timezones, normalise_language
from careline.routing.model import Priority, RoutingPolicy, WaitRule


class ScenarioInvalid(ValidationFailed):
    error_id = "scenario-invalid"
    title = "The scenario has invalid fields"


# ---------------------------------------------------------------- field types

SECONDS_MAX = 7 * 24 * 3600.0
#: Longest run (simulated hours): years of a steady queue, to check it against Erlang C.
MAX_HOURS = 100_000

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
Seconds = Annotated[float, Field(ge=0, le=SECONDS_MAX, allow_inf_nan=False)]
PositiveSeconds = Annotated[float, Field(gt=0, le=SECONDS_MAX, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
_HHMM = re.compile(r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$")
_SHIFT = re.compile(r"^((?:[01][0-9]|2[0-3]):[0-5][0-9])-((?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")
_HOUR = re.compile(r"^(?:[01][0-9]|2[0-3])$")


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _time_of_day(value: str) -> str:
    if not _HHMM.fullmatch(value):
        raise ValueError("must be a time of day as HH:MM (00:00-23:59)")
    return value


def _shift(value: str) -> str:
    match = _SHIFT.fullmatch(value)
    if not match:
        raise ValueError("must be a shift as HH:MM-HH:MM, e.g. 07:30-16:00")
    if _minutes(match[2]) <= _minutes(match[1]):
        raise ValueError("must end after it starts (split a shift that passes midnight in two)")
    return value


def _language(value: str) -> str:
    return normalise_language(value)


def _shares(value: dict[str, float]) -> dict[str, float]:
    if not value:
        raise ValueError("must name at least one language")
    normal: dict[str, float] = {}
    for code, share in value.items():
        language = normalise_language(code)
        if language in normal:
            raise ValueError(f"names {language} twice")
        normal[language] = share
    total = sum(normal.values())
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise ValueError(f"shares must add up to 1 (they add up to {total:g})")
    return normal


TimeOfDay = Annotated[str, AfterValidator(_time_of_day)]
Shift = Annotated[str, AfterValidator(_shift)]
Language = Annotated[str, AfterValidator(_language)]
LanguageShares = Annotated[dict[str, Share], AfterValidator(_shares)]


class Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------- distributions


class Exponential(Doc):
    distribution: Literal["exponential"]
    mean: PositiveSeconds


class LogNormal(Doc):
    """Given by its own mean and standard deviation (not those of its logarithm)."""

    distribution: Literal["lognormal"]
    mean: PositiveSeconds
    sd: PositiveSeconds


class Uniform(Doc):
    distribution: Literal["uniform"]
    low: Seconds
    high: Seconds

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError("high must not be below low")
        return self


class Constant(Doc):
    distribution: Literal["constant"]
    value: Seconds


Distribution = Annotated[
    Exponential | LogNormal | Uniform | Constant, Field(discriminator="distribution")
]


def sample(dist: Exponential | LogNormal | Uniform | Constant, rng: random.Random) -> float:
    """One draw, in seconds."""
    if isinstance(dist, Exponential):
        return rng.expovariate(1.0 / dist.mean)
    if isinstance(dist, LogNormal):
        sigma2 = math.log1p((dist.sd / dist.mean) ** 2)
        mu = math.log(dist.mean) - sigma2 / 2
        return rng.lognormvariate(mu, math.sqrt(sigma2))
    if isinstance(dist, Uniform):
        return rng.uniform(dist.low, dist.high)
    return dist.value


def mean_of(dist: Exponential | LogNormal | Uniform | Constant) -> float:
    if isinstance(dist, Exponential | LogNormal):
        return dist.mean
    if isinstance(dist, Uniform):
        return (dist.low + dist.high) / 2
    return dist.value


# ---------------------------------------------------------------- the scenario


def _never(value: Any) -> Any:
    # TOML has no null: "never" says the same thing there.
    return None if value == "never" else value


#: Seconds, or null / "never".
MaybeSeconds = Annotated[Seconds | None, BeforeValidator(_never)]


class WaitRuleDoc(Doc):
    """Seconds a call waits before other locations may answer it, before an agent
    without the caller's language may (with an interpreter; null or "never": only
    when no speaker is staffed), and before it leaves the queue (null or "never":
    it never does)."""

    overflow_after_seconds: Seconds = 0
    language_fallback_after_seconds: MaybeSeconds = 0
    escalate_after_seconds: MaybeSeconds = None

    def rule(self) -> WaitRule:
        def td(value: float | None) -> timedelta | None:
            return None if value is None else timedelta(seconds=value)

        return WaitRule(
            overflow_after=timedelta(seconds=self.overflow_after_seconds),
            language_fallback_after=td(self.language_fallback_after_seconds),
            escalate_after=td(self.escalate_after_seconds),
        )


class RoutingDoc(Doc):
    routine: WaitRuleDoc = WaitRuleDoc(
        overflow_after_seconds=60,
        language_fallback_after_seconds=120,
        escalate_after_seconds=600,
    )
    urgent: WaitRuleDoc = WaitRuleDoc(
        overflow_after_seconds=0,
        language_fallback_after_seconds=20,
        escalate_after_seconds=90,
    )
    emergency: WaitRuleDoc = WaitRuleDoc(escalate_after_seconds=0)


class Location(Doc):
    id: Slug
    name: Annotated[str, StringConstraints(min_length=1, max_length=80)]


class Department(Doc):
    handle: Distribution
    wrap_up: Distribution = Constant(distribution="constant", value=0)
    clinical: bool = False
    #: This department's own limits for routine calls (else `routing.routine`).
    routine: WaitRuleDoc | None = None


class Intent(Doc):
    """Why people call; urgent and emergency callers go to the clinical department."""

    department: Slug
    urgent_share: Share = 0
    emergency_share: Share = 0

    @model_validator(mode="after")
    def _at_most_all(self) -> Intent:
        if self.urgent_share + self.emergency_share > 1:
            raise ValueError("urgent_share + emergency_share must not exceed 1")
        return self


class Profile(Doc):
    """Multipliers of arrival rates by hour of day ("08" is 08:00-08:59)."""

    default: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] = 1.0
    hours: dict[str, Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]] = {}

    @field_validator("hours")
    @classmethod
    def _hour_keys(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [key for key in value if not _HOUR.fullmatch(key)]
        if bad:
            raise ValueError(f"hours are two digits 00-23, not {bad[0]!r}")
        return value

    def multiplier(self, hour: int) -> float:
        return self.hours.get(f"{hour:02d}", self.default)


class Arrival(Doc):
    """Callers of one clinic with one intent: Poisson, `per_hour` x the profile."""

    location: Slug
    intent: Slug
    per_hour: Annotated[float, Field(ge=0, le=100_000, allow_inf_nan=False)]
    profile: Slug | None = None
    languages: LanguageShares | None = None


class StaffGroup(Doc):
    """`count` agents of one department at one clinic, on one shift."""

    location: Slug
    department: Slug
    count: Annotated[int, Field(ge=1, le=1000)]
    languages: Annotated[list[Language], Field(min_length=1, max_length=20)] = ["en"]
    skills: Annotated[list[Slug], Field(max_length=20)] = []
    #: Default: the department's `clinical`.
    clinical: bool | None = None
    #: Null: on duty for the whole run.
    shift: Shift | None = None
    #: Other clinics these agents also count as "local" for (a shared team).
    also_locations: list[Slug] = []


class Patience(Doc):
    """How long callers hold before hanging up; null: they never do."""

    routine: Distribution | None = None
    urgent: Distribution | None = None
    emergency: Distribution | None = None

    def of(self, priority: Priority) -> Exponential | LogNormal | Uniform | Constant | None:
        value: Exponential | LogNormal | Uniform | Constant | None = getattr(self, priority.value)
        return value


class Callbacks(Doc):
    """Routine callers whose estimated wait reaches the threshold are offered a
    callback; `accept_share` of them take it (keeping their place in line)."""

    threshold_seconds: PositiveSeconds
    accept_share: Share = 0.5


class OnCall(Doc):
    """Clinicians reached by phone when no clinical agent is free (emergencies at
    once, urgent calls after their escalation time)."""

    lines: Annotated[int, Field(ge=1, le=100)] = 1
    answer_seconds: Seconds = 10


# ---------------------------------------------------------------- callers through a call flow

_STEP = re.compile(r"^(?:press [0-9*#]{1,20}|say \S.{0,199}|symptom|silence)$")
SCRIPT_STEP_HELP = "must be 'press DIGITS', 'say WORDS', 'symptom' or 'silence'"


def _script_step(value: str) -> str:
    text = " ".join(value.split())
    if not _STEP.fullmatch(text):
        raise ValueError(SCRIPT_STEP_HELP)
    return text


def _as_script(value: Any) -> Any:
    # A plain list is what every caller of the intent does, whatever their urgency.
    return {"routine": value} if isinstance(value, list) else value


def _flow_timezone(value: str) -> str:
    if value not in known_timezones():
        raise ValueError("is not a known IANA time zone (e.g. America/Chicago)")
    return value


ScriptStep = Annotated[str, AfterValidator(_script_step)]
StepList = Annotated[list[ScriptStep], Field(max_length=20)]


class Script(Doc):
    """What callers of one intent do at each prompt of the flow, in order: `routine`
    for everyone, unless `urgent` / `emergency` callers have their own."""

    routine: StepList
    urgent: StepList | None = None
    emergency: StepList | None = None

    def steps(self, urgency: Priority) -> list[str]:
        own: list[str] | None = getattr(self, urgency.value)
        return self.routine if own is None else own


class FlowSettings(Doc):
    """Callers go through a published call flow: the flow decides where each goes."""

    #: A flow shipped with careline ("main-line") or a path to a flow JSON file.
    source: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    scripts: dict[Slug, Annotated[Script, BeforeValidator(_as_script)]]
    #: The zone of the scenario's clock for the flow (opening hours, on-call rotas).
    timezone: Annotated[str, AfterValidator(_flow_timezone)] = "UTC"
    #: Daily opening hours of every location; null: open while calls arrive.
    open_hours: Shift | None = None
    holidays: Annotated[list[Date], Field(max_length=366)] = []
    #: Flow department -> scenario department, for departments named differently.
    departments: dict[Slug, Slug] = {}
    #: Flow location id -> scenario location, for queue and hours nodes that name one.
    locations: dict[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,36}$")], Slug] = {}
    #: Seconds until the answering service / a transfer's target picks up (null: never).
    answering_service_answer_seconds: MaybeSeconds = 10
    transfer_answer_seconds: MaybeSeconds = 10

    @property
    def is_file(self) -> bool:
        """A source naming a file (a path, or a name ending in .json), not an example."""
        return self.source.lower().endswith(".json") or "/" in self.source or "\\" in self.source

    def department(self, flow_department: str) -> str:
        return self.departments.get(flow_department, flow_department)


class Scenario(Doc):
    name: Slug
    description: Annotated[str, StringConstraints(max_length=4000)] = ""
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = 1
    #: Only to give simulated calls real instants; any date will do.
    date: Date = Date(2026, 1, 12)
    start: TimeOfDay = "08:00"
    #: Calls arrive during this many hours.
    hours: Annotated[float, Field(gt=0, le=MAX_HOURS, allow_inf_nan=False)]
    #: Then the simulation goes on this long to answer who is still waiting.
    drain_hours: Annotated[float, Field(ge=0, le=48, allow_inf_nan=False)] = 1
    service_level_target_seconds: PositiveSeconds = 30
    languages: LanguageShares = {"en": 1.0}
    locations: Annotated[list[Location], Field(min_length=1, max_length=100)]
    departments: Annotated[dict[Slug, Department], Field(min_length=1, max_length=50)]
    #: Where urgent and emergency callers go, whatever they called about.
    clinical_department: Slug | None = None
    intents: Annotated[dict[Slug, Intent], Field(min_length=1, max_length=100)]
    profiles: dict[Slug, Profile] = {}
    arrivals: Annotated[list[Arrival], Field(min_length=1, max_length=1000)]
    staff: Annotated[list[StaffGroup], Field(min_length=1, max_length=1000)]
    patience: Patience = Patience()
    routing: RoutingDoc = RoutingDoc()
    callbacks: Callbacks | None = None
    on_call: OnCall | None = None
    #: Route every caller through this call flow (see docs/simulation.md).
    flow: FlowSettings | None = None

    def policy(self) -> RoutingPolicy:
        rules = {p: getattr(self.routing, p.value).rule() for p in Priority}
        skill_rules = {
            name: {Priority.routine: dept.routine.rule()}
            for name, dept in self.departments.items()
            if dept.routine is not None
        }
        return RoutingPolicy(rules=rules, skill_rules=skill_rules)

    def department_of(self, intent: str, priority: Priority) -> str:
        if priority.needs_clinician:
            assert self.clinical_department is not None
            return self.clinical_department
        return self.intents[intent].department

    @property
    def start_minutes(self) -> int:
        return _minutes(self.start)


def shift_minutes(shift: str) -> tuple[int, int]:
    opens, closes = shift.split("-")
    return _minutes(opens), _minutes(closes)


def _cross_problems(s: Scenario) -> list[FieldProblem]:
    """Rules that span fields: every reference names something that exists."""
    problems: list[FieldProblem] = []
    locations = [loc.id for loc in s.locations]
    known = set(locations)
    for i, loc in enumerate(locations):
        if loc in locations[:i]:
            problems.append(FieldProblem(f"locations.{i}.id", f"repeats location {loc!r}"))
    for name, intent in s.intents.items():
        if intent.department not in s.departments:
            problems.append(
                FieldProblem(f"intents.{name}.department", f"no department {intent.department!r}")
            )
    for i, arrival in enumerate(s.arrivals):
        if arrival.location not in known:
            problems.append(
                FieldProblem(f"arrivals.{i}.location", f"no location {arrival.location!r}")
            )
        if arrival.intent not in s.intents:
            problems.append(FieldProblem(f"arrivals.{i}.intent", f"no intent {arrival.intent!r}"))
        if arrival.profile is not None and arrival.profile not in s.profiles:
            problems.append(
                FieldProblem(f"arrivals.{i}.profile", f"no profile {arrival.profile!r}")
            )
    for i, group in enumerate(s.staff):
        for j, loc in enumerate([group.location, *group.also_locations]):
            if loc not in known:
                where = "location" if j == 0 else f"also_locations.{j - 1}"
                problems.append(FieldProblem(f"staff.{i}.{where}", f"no location {loc!r}"))
        if group.department not in s.departments:
            problems.append(
                FieldProblem(f"staff.{i}.department", f"no department {group.department!r}")
            )
    clinical_calls = any(i.urgent_share + i.emergency_share > 0 for i in s.intents.values())
    if s.clinical_department is not None:
        dept = s.departments.get(s.clinical_department)
        if dept is None:
            problems.append(
                FieldProblem("clinical_department", f"no department {s.clinical_department!r}")
            )
        elif not dept.clinical:
            problems.append(
                FieldProblem("clinical_department", "must be a department with clinical: true")
            )
    elif clinical_calls:
        problems.append(
            FieldProblem(
                "clinical_department",
                "is required when intents have urgent or emergency callers",
            )
        )
    if s.flow is not None:
        problems += _flow_settings_problems(s, s.flow)
    return problems


def _flow_settings_problems(s: Scenario, flow: FlowSettings) -> list[FieldProblem]:
    """The flow section's references to the scenario (the flow itself is checked
    once it is loaded: `careline.simulation.ivr.flow_problems`)."""
    problems: list[FieldProblem] = []
    for intent in flow.scripts:
        if intent not in s.intents:
            problems.append(FieldProblem(f"flow.scripts.{intent}", f"no intent {intent!r}"))
    called = sorted({a.intent for a in s.arrivals if a.intent in s.intents})
    missing = [i for i in called if i not in flow.scripts]
    if missing:
        problems.append(
            FieldProblem(
                "flow.scripts",
                f"no script for intent {missing[0]!r}"
                + (f" (nor {', '.join(map(repr, missing[1:]))})" if missing[1:] else "")
                + "; a caller who does nothing has the script []",
            )
        )
    for name, department in flow.departments.items():
        if department not in s.departments:
            problems.append(
                FieldProblem(f"flow.departments.{name}", f"no department {department!r}")
            )
    known = {loc.id for loc in s.locations}
    for name, location in flow.locations.items():
        if location not in known:
            problems.append(FieldProblem(f"flow.locations.{name}", f"no location {location!r}"))
    return problems


def parse_scenario(data: Any) -> Scenario:
    """A scenario from plain JSON/TOML data, or `ScenarioInvalid` naming every bad field."""
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [
            FieldProblem(".".join(map(str, e["loc"])) or "(top)", e["msg"]) for e in exc.errors()
        ]
        raise _invalid(problems) from None
    problems = _cross_problems(scenario)
    if problems:
        raise _invalid(problems)
    return scenario


def _invalid(problems: list[FieldProblem]) -> ScenarioInvalid:
    names = ", ".join(p.field for p in problems[:5]) + ("..." if len(problems) > 5 else "")
    return ScenarioInvalid(f"The scenario has invalid fields: {names}.", problems=problems)


# ---------------------------------------------------------------- outcomes and the report


class Outcome(StrEnum):
    answered = "answered"  # a live caller reached an agent or the on-call clinician
    abandoned = "abandoned"  # hung up while holding
    callback = "callback"  # took a callback and was called back
    answering_service = "answering_service"  # waited past the limit, sent to the service
    unfinished = "unfinished"  # still waiting (or waiting for a callback) at the end
    # Only with a call flow, which decides where a caller taken out of line goes:
    voicemail = "voicemail"  # the flow's overflow ended at a voicemail
    left_queue = "left_queue"  # the flow took them elsewhere (another queue, a transfer...)


@dataclass(slots=True)
class CallOutcome:
    """What happened to one simulated call (no PHI: there is none to have)."""

    queue: str  # department@location
    priority: Priority
    hour: int  # clock hour of arrival, 0-23
    outcome: Outcome
    #: Seconds from arrival to an answer (for callbacks: to the call back).
    wait: float | None
    callback_offered: bool = False
    #: Took the callback (left the line, kept the place).
    callback: bool = False
    overflow: bool = False
    interpreter: bool = False
    on_call: bool = False
    #: Reached a clinical agent or the on-call clinician.
    clinician: bool = False


@dataclass(frozen=True)
class StaffUsage:
    group: str  # department@location
    staffed_seconds: float
    busy_seconds: float


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile (the value at or below which `share` of values lie)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def _mean(values: Sequence[float]) -> float | None:
    return None if not values else sum(values) / len(values)


def queue_stats(calls: Sequence[CallOutcome], target_seconds: float) -> dict[str, Any]:
    """Counts and waits of a set of calls. Waits (ASA, p90, max, P(wait)) are those of
    live answers; the service level is live answers within the target / offered."""
    count = dict.fromkeys(Outcome, 0)
    waits: list[float] = []
    callback_delays: list[float] = []
    taken = offered_back = on_call = overflowed = interpreted = 0
    for c in calls:
        count[c.outcome] += 1
        taken += c.callback
        offered_back += c.callback_offered
        on_call += c.on_call
        overflowed += c.overflow
        interpreted += c.interpreter
        if c.wait is None:
            continue
        if c.outcome is Outcome.answered:
            waits.append(c.wait)
        elif c.outcome is Outcome.callback:
            callback_delays.append(c.wait)
    offered = len(calls)
    return {
        "offered": offered,
        "answered": count[Outcome.answered],
        "abandoned": count[Outcome.abandoned],
        "callbacks": taken,
        "callbacks_completed": count[Outcome.callback],
        "callbacks_offered": offered_back,
        "answering_service": count[Outcome.answering_service],
        "voicemail": count[Outcome.voicemail],
        "left_queue": count[Outcome.left_queue],
        "unfinished": count[Outcome.unfinished],
        "on_call": on_call,
        "overflowed": overflowed,
        "interpreted": interpreted,
        "asa_seconds": _seconds(_mean(waits)),
        "wait_p90_seconds": _seconds(percentile(waits, 0.9)),
        "wait_max_seconds": _seconds(max(waits, default=None)),
        "p_wait": _ratio(sum(1 for w in waits if w > 0), len(waits)),
        "service_level": _ratio(sum(1 for w in waits if w <= target_seconds), offered),
        "abandon_rate": _ratio(count[Outcome.abandoned], offered),
        "callback_delay_mean_seconds": _seconds(_mean(callback_delays)),
    }


def clinician_stats(calls: Sequence[CallOutcome]) -> dict[str, Any]:
    """Time from arrival to a clinician (a clinical agent or the on-call clinician)."""
    times = [c.wait for c in calls if c.clinician and c.wait is not None]
    return {
        "reached": len(times),
        "not_reached": len(calls) - len(times),
        "mean_seconds": _seconds(_mean(times)),
        "p90_seconds": _seconds(percentile(times, 0.9)),
        "max_seconds": _seconds(max(times, default=None)),
    }


#: Where a caller's way through a call flow ended (the last hand-off).
HANDOFF_KINDS = (
    "queue",
    "on_call",
    "answering_service",
    "transfer",
    "voicemail",
    "callback",
    "hung_up_in_ivr",
    "unfinished",
)


@dataclass(frozen=True, slots=True)
class CallerOutcome:
    """One caller of a run with a call flow, from the first ring (no PHI)."""

    intent: str
    #: What the caller's words say (drawn from the intent's shares).
    urgency: Priority
    #: The call's priority as the flow left it (raised by triage or emergency nodes).
    priority: Priority
    #: The language the flow served the caller in.
    language: str
    end: str  # one of HANDOFF_KINDS
    #: (department, priority) of the queue the caller ended in, when `end` is "queue".
    queue: tuple[str, str] | None
    #: Seconds in the flow before its first hand-off (None: still in it at the end).
    ivr_seconds: float | None
    #: Triage's urgency of the caller's words, "no_answer", or None (never asked).
    triage: str | None
    #: Seconds from the first ring to a clinician on the line (None: never).
    to_clinician: float | None


def _counts(values: Iterable[str], keys: Sequence[str] = ()) -> dict[str, int]:
    out = dict.fromkeys(keys, 0)
    for value in values:
        out[value] = out.get(value, 0) + 1
    return out


def flow_report(*, name: str, source: str, callers: Sequence[CallerOutcome]) -> dict[str, Any]:
    """The flow section: where callers ended, how long the IVR took them, what triage
    made of their words, and how soon urgent and emergency callers (by the flow's
    priority) reached a clinician, from the first ring."""
    levels = [p.value for p in sorted(Priority, key=lambda p: -p.rank)]
    queues: dict[str, dict[str, int]] = {}
    for c in callers:
        if c.queue is not None:
            department, priority = c.queue
            row = queues.setdefault(department, {})
            row[priority] = row.get(priority, 0) + 1
    ivr = [c.ivr_seconds for c in callers if c.ivr_seconds is not None]
    by_urgency = {
        level: _counts((c.priority.value for c in callers if c.urgency.value == level), levels)
        for level in levels
    }
    by_intent = {
        intent: _counts(c.end for c in callers if c.intent == intent)
        for intent in sorted({c.intent for c in callers})
    }
    to_clinician: dict[str, Any] = {}
    for priority in (Priority.urgent, Priority.emergency):
        group = [c for c in callers if c.priority is priority]
        times = [c.to_clinician for c in group if c.to_clinician is not None]
        to_clinician[priority.value] = {
            "callers": len(group),
            "reached": len(times),
            "not_reached": len(group) - len(times),
            "mean_seconds": _seconds(_mean(times)),
            "p90_seconds": _seconds(percentile(times, 0.9)),
            "max_seconds": _seconds(max(times, default=None)),
        }
    return {
        "name": name,
        "source": source,
        "callers": len(callers),
        "handoffs": _counts((c.end for c in callers), HANDOFF_KINDS),
        "queues": {d: dict(sorted(row.items())) for d, row in sorted(queues.items())},
        "by_intent": by_intent,
        "ivr_seconds": {
            "mean": _seconds(_mean(ivr)),
            "p90": _seconds(percentile(ivr, 0.9)),
            "max": _seconds(max(ivr, default=None)),
        },
        "triage": _counts(
            (c.triage for c in callers if c.triage is not None), [*levels, "no_answer"]
        ),
        "priority_by_urgency": by_urgency,
        "languages": dict(sorted(_counts(c.language for c in callers).items())),
        "time_to_clinician": to_clinician,
    }


def _group(calls: Iterable[CallOutcome], key: str) -> dict[Any, list[CallOutcome]]:
    groups: dict[Any, list[CallOutcome]] = {}
    for c in calls:
        groups.setdefault(getattr(c, key), []).append(c)
    return groups


def build_report(
    scenario: Scenario,
    *,
    seed: int,
    hours: float,
    calls: Sequence[CallOutcome],
    staff: Sequence[StaffUsage],
) -> dict[str, Any]:
    """The JSON report: totals, per priority (with time to a clinician for urgent and
    emergency), per queue (department@location), per clock hour, and staff occupancy."""
    target = scenario.service_level_target_seconds
    by_priority = _group(calls, "priority")
    priorities: dict[str, Any] = {}
    for priority in Priority:
        group = by_priority.get(priority, [])
        priorities[priority.value] = queue_stats(group, target)
        if priority.needs_clinician:
            priorities[priority.value]["time_to_clinician"] = clinician_stats(group)
    queues = {
        name: queue_stats(group, target) for name, group in sorted(_group(calls, "queue").items())
    }
    by_hour: dict[str, Any] = {}
    for hour, group in sorted(_group(calls, "hour").items()):
        row: dict[str, Any] = {"offered": len(group)}
        for level, members in sorted(
            _group(group, "priority").items(), key=lambda kv: -Priority(kv[0]).rank
        ):
            stats = queue_stats(members, target)
            row[str(level)] = {
                k: stats[k] for k in ("offered", "answered", "abandoned", "asa_seconds")
            }
        by_hour[f"{int(hour):02d}:00"] = row
    usage: dict[str, dict[str, float]] = {}
    for u in staff:
        entry = usage.setdefault(u.group, {"agents": 0, "staffed": 0.0, "busy": 0.0})
        entry["agents"] += 1
        entry["staffed"] += u.staffed_seconds
        entry["busy"] += u.busy_seconds
    staff_report = {
        group: {
            "agents": int(entry["agents"]),
            "staffed_hours": round(entry["staffed"] / 3600, 2),
            "occupancy": None
            if entry["staffed"] <= 0
            else round(min(1.0, entry["busy"] / entry["staffed"]), 4),
        }
        for group, entry in sorted(usage.items())
    }
    return {
        "scenario": scenario.name,
        "seed": seed,
        "date": scenario.date.isoformat(),
        "start": scenario.start,
        "hours": hours,
        "service_level_target_seconds": target,
        "calls": len(calls),
        "totals": queue_stats(calls, target),
        "priorities": priorities,
        "queues": queues,
        "by_hour": by_hour,
        "staff": staff_report,
    }
