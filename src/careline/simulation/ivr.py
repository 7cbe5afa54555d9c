"""One simulated caller's way through a call flow, step by step with the real engine.

The simulator does what the telephony edge does: it feeds `careline.flows.engine.step`
the events of a call (the call starting, the caller's key presses and words, the
results of queues and dials) and obeys the actions it returns. The caller's side
comes from the scenario: a script per intent, their language, whether they take a
call back, and for symptoms a phrase from the phrase bank at their urgency, which
the real triage then classifies. Time in the IVR is counted the way the virtual
carrier counts it (`careline.telephony.virtual_carrier`): prompts at 15 characters
a second, half a second per key, a gather's whole timeout when the caller is silent.

Pure: no simpy, no files, no clock. The engine's world (the time, opening hours,
the classifier) is injected through `World`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from careline.core.errors import FieldProblem
from careline.directory.model import primary_language
from careline.flows import actions as act
from careline.flows import events as ev
from careline.flows.engine import CallerFacts, CallState, Classifier, StepContext, step
from careline.flows.model import (
    CallbackNode,
    FlowDocument,
    HoursNode,
    LanguageNode,
    QueueNode,
    same_language,
    validate_flow,
)
from careline.routing.model import Priority
from careline.simulation.model import FlowSettings, Scenario, shift_minutes

#: As `careline.telephony.virtual_carrier.SPOKEN_CHARS_PER_SECOND` (not imported: that
#: module pulls in the whole telephony edge).
SPOKEN_CHARS_PER_SECOND = 15.0
SECONDS_PER_DIGIT = 0.5
#: A recorded prompt's length is unknown to the simulator: count it as this.
PLAY_SECONDS = 5.0
SPEECH_CONFIDENCE = 0.9
#: Answers one segment may give before the caller is taken to have given up (the
#: engine's own node budget ends any loop long before this).
MAX_ANSWERS = 100
DAY_MINUTES = 24 * 60
#: The simulated caller's and clinic's numbers (the engine only logs them).
CALLER_NUMBER, CLINIC_NUMBER = "+15555550100", "+15555550199"

HandOff = act.Enqueue | act.Dial | act.Record | act.ScheduleCallback | act.Hangup


# ---------------------------------------------------------------- the phrase bank

Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Phrases = Annotated[list[Phrase], Field(min_length=1, max_length=100)]


class UrgencyPhrases(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    routine: Phrases
    urgent: Phrases
    emergency: Phrases


class PhraseBank(BaseModel):
    """What callers with symptoms say at a triage prompt, per language and urgency
    (`careline/simulation/phrases.json`; each phrase is checked against the real
    triage by the tests)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    languages: dict[str, UrgencyPhrases]

    def phrase(self, language: str, urgency: Priority, pick: float) -> str:
        """The phrase at `pick` (0 <= pick < 1) in the caller's language, else English."""
        bank = self.languages.get(language) or self.languages.get(primary_language(language))
        if bank is None:
            bank = self.languages.get("en") or next(iter(self.languages.values()))
        choices: list[str] = getattr(bank, urgency.value)
        return choices[min(len(choices) - 1, int(pick * len(choices)))]


# ---------------------------------------------------------------- the scenario's clock


@dataclass(frozen=True)
class Hours:
    """Opening hours for the flow's `hours` nodes, on the scenario's clock: every
    location is open daily from `opens` for `minutes` (local minutes of the day), and
    closed all day on `holidays`."""

    zone: ZoneInfo
    opens: int
    minutes: int
    holidays: frozenset[date] = frozenset()

    def is_open(self, location_id: str, at: datetime) -> bool:
        local = at.astimezone(self.zone)
        minute = local.hour * 60 + local.minute + local.second / 60
        return (minute - self.opens) % DAY_MINUTES < self.minutes

    def is_holiday(self, location_id: str, at: datetime) -> bool:
        return at.astimezone(self.zone).date() in self.holidays


def scenario_hours(scenario: Scenario, settings: FlowSettings, *, hours: float) -> Hours:
    """`open_hours` every day if given; otherwise open while calls arrive (from the
    scenario's start for `hours`, every day; always, for runs of a day or more)."""
    zone = ZoneInfo(settings.timezone)
    if settings.open_hours is not None:
        opens, closes = shift_minutes(settings.open_hours)
        minutes = closes - opens
    else:
        opens = scenario.start_minutes
        minutes = min(DAY_MINUTES, math.ceil(hours * 60))
    return Hours(zone, opens, minutes, frozenset(settings.holidays))


# ---------------------------------------------------------------- the world of a run


@dataclass(frozen=True)
class World:
    """What every call of a run shares: the flow, the scenario's clock and rules."""

    flow: FlowDocument
    settings: FlowSettings
    #: The scenario's start as an instant (its date and start time in `settings.timezone`).
    start: datetime
    hours: Hours
    classify: Classifier
    phrases: PhraseBank

    def context(self, seconds: float, location: str) -> StepContext:
        """The engine's world `seconds` into the run, for a call to `location`'s number
        (each clinic's number is bound to the flow with its own location)."""
        return StepContext(
            now=self.start + timedelta(seconds=seconds),
            is_open=self.hours.is_open,
            is_holiday=self.hours.is_holiday,
            classify=self.classify,
            caller=CallerFacts(home_location_id=location),
            location_id=location,
            timezone=self.settings.timezone,
        )

    def location(self, flow_location: str | None, caller_location: str) -> str:
        """The scenario location of a flow's location id (None: the caller's clinic)."""
        if flow_location is None:
            return caller_location
        return self.settings.locations.get(flow_location, flow_location)


def make_world(
    scenario: Scenario,
    flow: FlowDocument,
    *,
    hours: float,
    classify: Classifier,
    phrases: PhraseBank,
) -> World:
    assert scenario.flow is not None
    settings = scenario.flow
    start = datetime.combine(
        scenario.date,
        time(scenario.start_minutes // 60, scenario.start_minutes % 60),
        tzinfo=ZoneInfo(settings.timezone),
    ).astimezone(UTC)
    return World(
        flow=flow,
        settings=settings,
        start=start,
        hours=scenario_hours(scenario, settings, hours=hours),
        classify=classify,
        phrases=phrases,
    )


# ---------------------------------------------------------------- one caller


@dataclass(frozen=True)
class Segment:
    """The IVR up to a hand-off: how long it took, the hand-off, and the kind of node
    that made it ('queue', 'oncall', 'transfer', 'answering_service', 'voicemail',
    'callback', 'hangup', 'emergency'...)."""

    seconds: float
    handoff: HandOff
    node_kind: str


def speaking_seconds(text: str) -> float:
    return max(1.0, len(text) / SPOKEN_CHARS_PER_SECOND)


@dataclass
class IvrCall:
    """One caller in the flow. `start`, then `send` each result the simulator has for
    the call (a queue's, a dial's); each returns the next hand-off, or None once the
    flow has let the call go (answered)."""

    world: World
    location: str
    language: str
    urgency: Priority
    steps: Sequence[str]
    #: Which phrase of the bank this caller says (0 <= pick < 1).
    phrase_pick: float = 0.0
    accepts_callback: bool = False
    state: CallState = field(default_factory=CallState)
    #: The triage result ('emergency' | 'urgent' | 'routine'), 'no_answer', or None.
    triage: str | None = None
    #: How many times the flow offered a call back (a `callback` node asked).
    callback_offers: int = 0
    script: deque[str] = field(init=False)

    def __post_init__(self) -> None:
        self.script = deque(self.steps)

    @property
    def priority(self) -> Priority:
        """The call's priority as the flow has it now (raised by triage or emergency)."""
        return Priority(self.state.priority)

    def start(self, at: float) -> Segment | None:
        return self.send(ev.CallStarted(CALLER_NUMBER, CLINIC_NUMBER), at)

    def send(self, event: ev.CallEvent, at: float) -> Segment | None:
        elapsed = 0.0
        for _ in range(MAX_ANSWERS):
            result = step(
                self.world.flow, self.state, event, self.world.context(at + elapsed, self.location)
            )
            self.state = result.state
            answer: ev.CallEvent | None = None
            for action in result.actions:
                if isinstance(action, act.Say):
                    elapsed += speaking_seconds(action.text)
                elif isinstance(action, act.Play):
                    elapsed += PLAY_SECONDS
                elif isinstance(action, act.Log):
                    self._note(action)
                elif isinstance(action, act.Gather):
                    for prompt in action.prompts:
                        elapsed += (
                            speaking_seconds(prompt.text)
                            if isinstance(prompt, act.Say)
                            else PLAY_SECONDS
                        )
                    answer, seconds = self._answer(action)
                    elapsed += seconds
                elif isinstance(action, HandOff):
                    node = self.world.flow.nodes.get(self.state.node or "")
                    return Segment(elapsed, action, node.kind if node else "unknown")
            if answer is None:
                return None
            event = answer
        return Segment(elapsed, act.Hangup(), "loop")

    def _note(self, log: act.Log) -> None:
        if log.kind == "triage.result":
            self.triage = str(log.data.get("urgency"))
        elif log.kind == "triage.no_answer":
            self.triage = "no_answer"

    def _answer(self, gather: act.Gather) -> tuple[ev.CallEvent, float]:
        """What the caller does at this prompt, and the seconds it takes."""
        node = self.world.flow.nodes.get(self.state.node or "")
        silent = (ev.NoInput(), float(gather.timeout_seconds))
        if self.state.listening:  # the pause after a closed message: callers wait
            return silent
        if isinstance(node, LanguageNode):
            return self._choose_language(node, gather) or silent
        if isinstance(node, CallbackNode):
            self.callback_offers += 1
            if self.accepts_callback:
                return self._press(node.accept_digit, gather) or silent
            return self._press("2" if node.accept_digit != "2" else "1", gather) or silent
        if not self.script:
            return silent
        move = self.script.popleft()
        if move.startswith("press "):
            return self._press(move[6:], gather) or silent
        if move.startswith("say "):
            return self._say(move[4:], gather) or silent
        if move == "symptom":
            language = self.state.language or self.language
            words = self.world.phrases.phrase(language, self.urgency, self.phrase_pick)
            return self._say(words, gather) or silent
        return silent

    def _press(self, digits: str, gather: act.Gather) -> tuple[ev.CallEvent, float] | None:
        if "dtmf" not in gather.input:
            return None  # keys at a speech-only prompt: the provider hears nothing
        if gather.num_digits:
            digits = digits[: gather.num_digits]
        return ev.Digits(digits), SECONDS_PER_DIGIT * len(digits)

    def _say(self, text: str, gather: act.Gather) -> tuple[ev.CallEvent, float] | None:
        if "speech" not in gather.input:
            return None
        return ev.Speech(text, SPEECH_CONFIDENCE), speaking_seconds(text)

    def _choose_language(
        self, node: LanguageNode, gather: act.Gather
    ) -> tuple[ev.CallEvent, float] | None:
        """The caller's own language if the flow offers it, else the flow's first one
        (a caller whose language is not offered picks the default, as most would)."""
        for wanted in (self.language, self.world.flow.default_language):
            for option in node.options:
                if same_language(option.language, wanted):
                    if option.digit is not None:
                        return self._press(option.digit, gather)
                    return self._say(option.phrases[0], gather)
        return None


# ---------------------------------------------------------------- a flow for a scenario


def flow_problems(scenario: Scenario, flow: FlowDocument) -> list[FieldProblem]:
    """Why `flow` cannot run `scenario`'s callers: the flow's own validation problems
    (a flow that cannot be published cannot be simulated either), and every
    department and location it names that the scenario does not have."""
    assert scenario.flow is not None
    settings = scenario.flow
    problems = [
        FieldProblem(f"flow.nodes.{p.node_id}" if p.node_id else "flow", f"{p.code}: {p.message}")
        for p in validate_flow(flow)
    ]
    known = {loc.id for loc in scenario.locations}

    def department(node_id: str, name: str) -> None:
        if settings.department(name) not in scenario.departments:
            problems.append(
                FieldProblem(
                    f"flow.nodes.{node_id}.department",
                    f"department {name!r} is not one of the scenario's departments "
                    f"(add it, or map it in flow.departments)",
                )
            )

    def location(node_id: str, location_id: str | None) -> None:
        if location_id is None:
            return
        if settings.locations.get(location_id, location_id) not in known:
            problems.append(
                FieldProblem(
                    f"flow.nodes.{node_id}.location_id",
                    f"location {location_id!r} is not one of the scenario's locations "
                    f"(map it in flow.locations)",
                )
            )

    for node_id, node in flow.nodes.items():
        if isinstance(node, QueueNode):
            department(node_id, node.department.value)
            location(node_id, node.location_id)
        elif isinstance(node, CallbackNode) and node.department is not None:
            department(node_id, node.department.value)
        elif isinstance(node, HoursNode):
            location(node_id, node.location_id)
    return problems
