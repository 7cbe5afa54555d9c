"""The pure step engine: `step(flow, state, event, ctx) -> StepResult(actions, state)`.

The telephony edge calls `step` once per provider request with the call's stored
state and the event that just happened; the engine follows nodes until it needs
the caller (a gather, a recording), hands the call off (a queue, a dial) or ends
it, and returns abstract actions plus the new state to store. Everything the
engine must know about the world (the time, opening hours, holidays, what the
caller's words mean, who is on call, who the caller is) comes in `ctx`, so the
same call can be replayed in a test or a simulator with no I/O.

Every speech input is triaged before anything else: an emergency or an urgent
clinical problem said at any prompt (a menu, the language choice, a call-back
offer, a welcome spoken over) takes the flow's safety net at once, whatever the
prompt asked. Prompts of `say` nodes are played inside the next listening
prompt (barge-in), or followed by a short listening pause before a voicemail or
goodbye, so no prompt is deaf.

Safety rules: the engine never loops forever (a per-step and a per-call budget of
nodes, then the flow's fallback — a voicemail or hangup — or a hang-up, with a
`Log`); silence or an unclassifiable answer at triage is treated as urgent; an
error in an injected function takes the safe branch and is logged.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import TypeAdapter

from careline.flows import actions as act
from careline.flows import events as ev
from careline.flows.model import (
    DEFAULT_PRIORITY,
    LISTEN_SECONDS,
    AnsweringServiceNode,
    BranchNode,
    CallbackNode,
    Condition,
    EmergencyNode,
    FlowDocument,
    HangupNode,
    HoursNode,
    LanguageNode,
    MenuNode,
    OnCallNode,
    Prompt,
    QueueNode,
    RotaEntry,
    SafetyNet,
    SayNode,
    SetNode,
    TransferNode,
    TriageNode,
    Urgency,
    VoicemailNode,
    normalise_speech,
    rota_target,
    safety_net,
    same_language,
)

MAX_HISTORY = 200

Status = Literal["new", "running", "waiting", "handed_off", "ended"]
Waiting = Literal["input", "dial", "queue", "record"]
Value = bool | int | float | str | None


@dataclass
class CallState:
    """Everything the engine remembers between two requests of one call. Plain data
    (see `to_dict`/`from_dict`) with no PHI: the caller's words only ever leave the
    engine in `Log.text`."""

    status: Status = "new"
    node: str | None = None
    waiting_for: Waiting | None = None
    language: str | None = None
    retries: int = 0
    priority: str = DEFAULT_PRIORITY.value
    urgency: str | None = None
    intent: str | None = None
    location_id: str | None = None
    last_department: str | None = None
    variables: dict[str, Value] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    steps: int = 0
    fell_back: bool = False
    #: Waiting at a voicemail or goodbye for a moment's speech after the prompts before it.
    listening: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> CallState:
        """Validated: a stored state that does not fit raises `pydantic.ValidationError`."""
        return _STATE.validate_python(data)


_STATE: TypeAdapter[CallState] = TypeAdapter(CallState)


class Classifier(Protocol):
    """Urgency ('emergency' | 'urgent' | 'routine') and intent (or None) of words."""

    def __call__(self, text: str, language: str, /) -> tuple[str, str | None]: ...


class OnCallResolver(Protocol):
    def __call__(self, rota: Sequence[RotaEntry], at: datetime, timezone: str, /) -> str | None: ...


@dataclass(frozen=True)
class CallerFacts:
    """What the edge found out about the caller before the flow runs (by id, no PHI)."""

    known: bool = False
    patient_id: str | None = None
    home_location_id: str | None = None
    preferred_language: str | None = None


def _no_holidays(location_id: str, at: datetime) -> bool:
    return False


def _unknown_language(text: str) -> str | None:
    return None


@dataclass(frozen=True)
class StepContext:
    """The world as the engine may see it, injected by the edge (or a test)."""

    now: datetime
    is_open: Callable[[str, datetime], bool]
    classify: Classifier
    is_holiday: Callable[[str, datetime], bool] = _no_holidays
    oncall_target: OnCallResolver = rota_target
    #: The language words are in, if it can tell ('es'), for a caller who has not chosen.
    spoken_language: Callable[[str], str | None] = _unknown_language
    caller: CallerFacts = field(default_factory=CallerFacts)
    location_id: str | None = None  # of the number's binding
    timezone: str = "UTC"  # of that location: for on-call rotas in local time
    max_nodes_per_step: int = 50
    max_nodes_per_call: int = 500

    def __post_init__(self) -> None:
        if self.now.tzinfo is None or self.now.utcoffset() is None:
            raise ValueError("StepContext.now must be timezone-aware")


@dataclass
class StepResult:
    actions: list[act.Action]
    state: CallState


def step(flow: FlowDocument, state: CallState, event: ev.CallEvent, ctx: StepContext) -> StepResult:
    """Advance one call by one event. Pure: `state` is not modified; the new one is returned."""
    run = _Run(flow, copy.deepcopy(state), ctx)
    run.handle(event)
    return StepResult(actions=run.out, state=run.state)


# ---------------------------------------------------------------- helpers


def render(prompt: Prompt | None, language: str, default: str) -> list[act.Say | act.Play]:
    """The prompt in `language`, else the flow's default language, else any it has;
    a recording wins over text."""
    if prompt is None:
        return []
    for lang in (language, default, *prompt.play, *prompt.text):
        if lang in prompt.play:
            return [act.Play(prompt.play[lang])]
        if lang in prompt.text:
            return [act.Say(prompt.text[lang], lang)]
    return []


def match_phrase(utterance: str, choices: Sequence[tuple[int, Sequence[str]]]) -> int | None:
    """The choice whose phrase appears (as whole words) in the utterance; the longest
    matching phrase wins; a tie between two choices is no match (too ambiguous)."""
    words = normalise_speech(utterance)
    best: tuple[int, set[int]] = (0, set())
    for index, phrases in choices:
        for phrase in phrases:
            tokens = normalise_speech(phrase)
            n = len(tokens)
            if not n or n > len(words):
                continue
            if any(words[i : i + n] == tokens for i in range(len(words) - n + 1)):
                if n > best[0]:
                    best = (n, {index})
                elif n == best[0]:
                    best[1].add(index)
    if len(best[1]) == 1:
        return next(iter(best[1]))
    return None


def _compare(actual: Value, op: str, expected: Any) -> bool:
    if op == "eq":
        return bool(actual == expected)
    if op == "ne":
        return bool(actual != expected)
    if op == "in":
        return actual in expected
    if op == "not_in":
        return actual not in expected
    numbers = (int, float)
    if isinstance(actual, bool) or not isinstance(actual, numbers):
        return False
    if op == "lt":
        return bool(actual < expected)
    if op == "le":
        return bool(actual <= expected)
    if op == "gt":
        return bool(actual > expected)
    return bool(actual >= expected)


# ---------------------------------------------------------------- the run of one step


class _Run:
    def __init__(self, flow: FlowDocument, state: CallState, ctx: StepContext) -> None:
        self.flow = flow
        self.state = state
        self.ctx = ctx
        self.out: list[act.Action] = []
        self.visits = 0
        self.net: SafetyNet | None = safety_net(flow)
        #: A listening `say` was played since the caller was last asked anything.
        self.unheard = False
        #: Re-entering a voicemail or goodbye after its listening pause.
        self.resuming = False
        #: The caller's words were urgent to triage but not understood (intent unknown).
        self.unsure = False

    # -- plumbing

    @property
    def language(self) -> str:
        return self.state.language or self.flow.default_language

    def emit(self, *items: act.Action) -> None:
        self.out.extend(items)
        if any(not isinstance(i, act.Say | act.Play | act.Log) for i in items):
            self.unheard = False

    def take_prompts(self) -> list[act.Say | act.Play]:
        """The prompts played since the caller was last asked (or handed on): a
        listening prompt plays them itself, so the caller can speak over them."""
        start = 0
        for index, item in enumerate(self.out):
            if not isinstance(item, act.Say | act.Play | act.Log):
                start = index + 1
        taken = [i for i in self.out[start:] if isinstance(i, act.Say | act.Play)]
        self.out[start:] = [i for i in self.out[start:] if isinstance(i, act.Log)]
        return taken

    def listen(self, prompts: Sequence[act.Say | act.Play], **gather: Any) -> None:
        """Ask the caller: the pending prompts, then `prompts`, inside one Gather that
        hears speech too (when the flow has a safety net to send an emergency to)."""
        inputs: tuple[act.InputKind, ...] = tuple(gather.pop("input"))
        if self.net is not None and "speech" not in inputs:
            inputs += ("speech",)
        pending = self.take_prompts()
        self.emit(act.Gather(prompts=(*pending, *prompts), input=inputs, **gather))
        self.wait("input")

    def log(self, kind: str, text: str | None = None, **data: Any) -> None:
        self.emit(act.Log(kind, data, text))

    def say(self, prompt: Prompt | None) -> list[act.Say | act.Play]:
        return render(prompt, self.language, self.flow.default_language)

    def end(self) -> None:
        self.emit(act.Hangup())
        self.state.status = "ended"
        self.state.waiting_for = None

    def wait(self, kind: Waiting) -> None:
        self.state.status = "waiting"
        self.state.waiting_for = kind

    def hand_off(self, kind: str) -> None:
        self.log(f"{kind}.answered", node=self.state.node)
        self.state.status = "handed_off"
        self.state.waiting_for = None

    def fallback(self, reason: str) -> None:
        """Out of budget, a dead end or a broken reference: go to the flow's fallback
        (once per call), else hang up. Always logged."""
        self.log("flow.fallback", reason=reason, node=self.state.node)
        target = self.flow.fallback
        node = self.flow.nodes.get(target) if target else None
        usable = target and node is not None and node.kind in ("voicemail", "hangup")
        if usable and not self.state.fell_back:
            self.state.fell_back = True
            self.visits = 0
            self.run(target, forced=True)
            return
        self.end()

    def run(self, node_id: str | None, *, forced: bool = False) -> None:
        """Enter nodes from `node_id` until one waits, hands off or ends the call."""
        current = node_id
        if current is None:
            self.fallback("dead-end")
            return
        while current is not None:
            over = (
                self.visits >= self.ctx.max_nodes_per_step
                or self.state.steps >= self.ctx.max_nodes_per_call
            )
            if over and not forced:
                self.fallback("step-budget")
                return
            forced = False
            node = self.flow.nodes.get(current)
            if node is None:
                self.log("flow.unknown_node", target=current)
                self.fallback("unknown-node")
                return
            self.visits += 1
            self.state.steps += 1
            self.state.node = current
            self.state.retries = 0
            self.state.status = "running"
            self.state.waiting_for = None
            self.state.history = [*self.state.history, current][-MAX_HISTORY:]
            current = self.enter(node)

    def go(self, target: str | None) -> None:
        if target is None:
            self.fallback("dead-end")
        else:
            self.run(target)

    # -- events

    def handle(self, event: ev.CallEvent) -> None:
        s = self.state
        if isinstance(event, ev.Hangup):
            if s.status != "ended":
                self.log("call.ended", node=s.node, by="caller")
                s.status = "ended"
                if s.waiting_for != "record":  # a recording may still arrive
                    s.waiting_for = None
            return
        if isinstance(event, ev.CallStarted):
            if s.status != "new":
                self.ignored(event)
                return
            self.start()
            return
        if isinstance(event, ev.RecordingDone) and s.waiting_for == "record":
            self.recording_done(event)
            return
        if s.status != "waiting":
            self.ignored(event)
            return
        node = self.flow.nodes.get(s.node or "")
        if node is None:
            self.log("flow.unknown_node", target=s.node)
            self.fallback("unknown-node")
            return
        if isinstance(event, ev.Digits | ev.Speech | ev.NoInput) and s.waiting_for == "input":
            self.input(node, event)
        elif isinstance(event, ev.DialResult) and s.waiting_for == "dial":
            self.dial_result(node, event)
        elif isinstance(event, ev.QueueResult) and s.waiting_for == "queue":
            self.queue_result(node, event)
        elif isinstance(event, ev.NoInput) and s.waiting_for == "record":
            self.log("voicemail.empty", node=s.node)
            self.after_voicemail(node)
        else:
            self.ignored(event)

    def ignored(self, event: ev.CallEvent) -> None:
        self.log(
            "flow.ignored_event",
            event=type(event).__name__,
            status=self.state.status,
            waiting_for=self.state.waiting_for,
        )

    def start(self) -> None:
        s, caller = self.state, self.ctx.caller
        s.language = self.flow.default_language
        if caller.preferred_language:
            s.language = self.supported(caller.preferred_language) or s.language
        s.location_id = self.ctx.location_id or caller.home_location_id
        self.log(
            "call.started",
            flow=self.flow.name,
            language=s.language,
            caller_known=caller.known,
            location_id=s.location_id,
        )
        self.run(self.flow.entry)

    def supported(self, language: str) -> str | None:
        """The flow language serving `language` ('es-MX' -> 'es'), if any."""
        if language in self.flow.languages:
            return language
        for lang in self.flow.languages:
            if same_language(lang, language):
                return lang
        return None

    # -- entering nodes (return the next node, or None when the call waits or ended)

    def enter(self, node: Any) -> str | None:
        handler = getattr(self, f"enter_{node.kind}")
        result: str | None = handler(node)
        return result

    def enter_say(self, node: SayNode) -> str | None:
        self.emit(*self.say(node.prompt))
        if node.listen and self.net is not None:
            self.unheard = True
        return self.continue_to(node.next)

    def listen_first(self) -> bool:
        """Before a voicemail or goodbye: if a listening prompt was just played, give the
        caller a moment to speak (an emergency said over a closed-office message is
        heard); the node is entered again after it."""
        if self.resuming or not self.unheard:
            return False
        self.state.listening = True
        self.listen((), input=("speech",), timeout_seconds=LISTEN_SECONDS, language=self.language)
        return True

    def continue_to(self, target: str | None) -> str | None:
        if target is None:
            self.fallback("dead-end")
        return target

    def enter_menu(self, node: MenuNode) -> None:
        self.gather_menu(node, retry=False)

    def gather_menu(self, node: MenuNode, *, retry: bool) -> None:
        lang = self.language
        prompts = self.say(node.retry_prompt) if retry else []
        prompts += self.say(node.prompt)
        hints = tuple(p for o in node.options for p in o.phrases.get(lang, []))
        has_digits = any(o.digit for o in node.options)
        inputs: tuple[act.InputKind, ...] = ("dtmf",) if has_digits else ()
        if any(o.phrases for o in node.options):
            inputs += ("speech",)
        self.listen(
            prompts,
            input=inputs or ("dtmf",),
            timeout_seconds=node.timeout_seconds,
            language=lang,
            hints=hints,
            num_digits=1 if has_digits else None,
        )

    def enter_language(self, node: LanguageNode) -> str | None:
        known = self.ctx.caller.preferred_language
        chosen = self.supported(known) if known and node.skip_if_known else None
        if chosen:
            self.state.language = chosen
            self.log("language.chosen", node=self.state.node, language=chosen, via="known")
            return self.continue_to(node.next)
        self.gather_language(node)
        return None

    def gather_language(self, node: LanguageNode) -> None:
        prompts: list[act.Say | act.Play] = []
        for lang in self.flow.languages:  # the caller has not chosen yet: ask in each
            for piece in render(node.prompt, lang, lang):
                if piece not in prompts:
                    prompts.append(piece)
        inputs: tuple[act.InputKind, ...] = ("dtmf",)
        if any(o.phrases for o in node.options):
            inputs += ("speech",)
        self.listen(
            prompts,
            input=inputs,
            timeout_seconds=node.timeout_seconds,
            language=self.language,
            hints=tuple(p for o in node.options for p in o.phrases),
            num_digits=1,
        )

    def enter_hours(self, node: HoursNode) -> str | None:
        location = node.location_id or self.state.location_id
        result = "closed"
        reason = None
        if location is None:
            reason = "no-location"
        else:
            try:
                if self.ctx.is_holiday(location, self.ctx.now):
                    result = "holiday"
                elif self.ctx.is_open(location, self.ctx.now):
                    result = "open"
            except Exception as exc:  # a calendar failure must not drop the call
                reason = f"error:{type(exc).__name__}"
        self.log("hours.checked", node=self.state.node, result=result, reason=reason)
        if result == "holiday":
            return self.continue_to(node.holiday or node.closed)
        return self.continue_to(node.open if result == "open" else node.closed)

    def enter_triage(self, node: TriageNode) -> None:
        self.gather_triage(node, retry=False)

    def gather_triage(self, node: TriageNode, *, retry: bool) -> None:
        prompts = (self.say(node.retry_prompt) if retry else []) + self.say(node.prompt)
        self.listen(
            prompts, input=("speech",), timeout_seconds=node.timeout_seconds, language=self.language
        )

    def enter_queue(self, node: QueueNode) -> None:
        s = self.state
        priority = s.priority if node.priority == "from_triage" else Urgency(node.priority).value
        language = self.language if node.language == "from_call" else node.language
        location = node.location_id or s.location_id
        s.last_department = node.department.value
        self.emit(act.Enqueue(node.department.value, priority, language, location))
        self.log(
            "queue.entered",
            node=s.node,
            department=node.department.value,
            priority=priority,
            language=language,
            location_id=location,
        )
        self.wait("queue")

    def enter_transfer(self, node: TransferNode) -> None:
        self.emit(act.Dial(node.target, node.mode.value, node.timeout_seconds))
        self.log("transfer.dialled", node=self.state.node, target=node.target, mode=node.mode.value)
        self.wait("dial")

    def enter_oncall(self, node: OnCallNode) -> str | None:
        zone = node.timezone or self.ctx.timezone
        try:
            target = self.ctx.oncall_target(node.rota, self.ctx.now, zone)
        except Exception as exc:  # a broken rota lookup takes the no-answer branch
            self.log("oncall.error", node=self.state.node, error=type(exc).__name__)
            target = None
        if target is None:
            self.log("oncall.nobody", node=self.state.node)
            return self.continue_to(node.no_answer)
        self.emit(act.Dial(target, node.mode.value, node.timeout_seconds))
        self.log("oncall.dialled", node=self.state.node, target=target)
        self.wait("dial")
        return None

    def enter_answering_service(self, node: AnsweringServiceNode) -> None:
        self.emit(*self.say(node.prompt))
        self.emit(act.Dial(node.number, "cold", node.timeout_seconds))
        self.log("answering_service.dialled", node=self.state.node)
        self.wait("dial")

    def enter_voicemail(self, node: VoicemailNode) -> None:
        if self.listen_first():
            return
        self.emit(*self.say(node.prompt))
        self.emit(act.Record(node.max_seconds, node.transcribe))
        self.wait("record")

    def enter_callback(self, node: CallbackNode) -> None:
        self.gather_callback(node)

    def gather_callback(self, node: CallbackNode) -> None:
        phrases = node.accept_phrases.get(self.language, [])
        self.listen(
            self.say(node.prompt),
            input=("dtmf", "speech") if phrases else ("dtmf",),
            timeout_seconds=node.timeout_seconds,
            language=self.language,
            hints=tuple(phrases),
            num_digits=1,
        )

    def enter_emergency(self, node: EmergencyNode) -> str | None:
        self.state.priority = Urgency.emergency.value
        self.log("emergency.guidance", node=self.state.node)
        self.emit(*self.say(node.guidance))
        if node.next is None:
            self.end()
        return node.next

    def enter_set(self, node: SetNode) -> str | None:
        self.state.variables = {**self.state.variables, **node.variables}
        if node.language is not None:
            self.state.language = self.supported(node.language) or self.state.language
        if node.priority is not None:
            self.state.priority = node.priority.value
        if node.location_id is not None:
            self.state.location_id = node.location_id
            self.log("location.set", node=self.state.node, location_id=node.location_id)
        return self.continue_to(node.next)

    def enter_branch(self, node: BranchNode) -> str | None:
        for rule in node.rules:
            if all(self.holds(c) for c in rule.when):
                return self.continue_to(rule.next)
        return self.continue_to(node.default)

    def enter_hangup(self, node: HangupNode) -> None:
        if self.listen_first():
            return
        self.emit(*self.say(node.prompt))
        self.end()

    def holds(self, condition: Condition) -> bool:
        s, caller = self.state, self.ctx.caller
        facts: dict[str, Value] = {
            "language": s.language,
            "caller_known": caller.known,
            "priority": s.priority,
            "urgency": s.urgency,
            "intent": s.intent,
            "location_id": s.location_id,
            "home_location_id": caller.home_location_id,
            "preferred_language": caller.preferred_language,
        }
        if condition.fact.startswith("vars."):
            actual = s.variables.get(condition.fact[5:])
        else:
            actual = facts.get(condition.fact)
        return _compare(actual, condition.op, condition.value)

    # -- caller input

    def input(self, node: Any, event: ev.Digits | ev.Speech | ev.NoInput) -> None:
        if self.state.listening:
            self.state.listening = False
            if not self.escalated(event):
                self.resuming = True
                self.enter(node)
            return
        if not isinstance(node, TriageNode) and self.escalated(event, chooser=node):
            return
        if isinstance(node, MenuNode):
            self.menu_input(node, event)
        elif isinstance(node, LanguageNode):
            self.language_input(node, event)
        elif isinstance(node, TriageNode):
            self.triage_input(node, event)
        elif isinstance(node, CallbackNode):
            self.callback_input(node, event)
        else:
            self.ignored(event)

    def escalated(self, event: ev.CallEvent, *, chooser: Any = None) -> bool:
        """Triage the caller's words before the prompt's own options: an emergency, or
        an urgent symptom or crisis, takes the safety net (and raises the call's
        priority). Words triage does not understand ('two', 'sí') are not escalated
        here: they go on to option matching, and a triage node treats them as urgent."""
        s, net = self.state, self.net
        if net is None or not isinstance(event, ev.Speech) or not event.text.strip():
            return False
        language = self.language
        if isinstance(chooser, LanguageNode):  # nothing chosen yet: the words' own language
            try:
                language = self.supported(self.ctx.spoken_language(event.text) or "") or language
            except Exception as exc:  # keep the current language; still triage the words
                self.log("triage.error", node=s.node, error=type(exc).__name__)
        try:
            raw_urgency, intent = self.ctx.classify(event.text, language)
            urgency = Urgency(raw_urgency)
        except Exception as exc:  # the prompt still works by its options; logged
            self.log("triage.error", node=s.node, error=type(exc).__name__)
            return False
        clinical = intent in ("symptom", "crisis")
        if urgency is not Urgency.emergency and not (urgency is Urgency.urgent and clinical):
            self.unsure = urgency is Urgency.urgent  # not understood: a menu must not drop it
            return False
        s.language = language
        s.retries = 0
        self.triaged(event, urgency, intent, escalated=True)
        if intent == "crisis" and net.crisis:
            target = net.crisis
        else:
            target = net.emergency if urgency is Urgency.emergency else net.urgent
        self.log("safety.escalated", node=s.node, urgency=urgency.value, target=target)
        self.go(target)
        return True

    def triaged(self, event: ev.Speech, urgency: Urgency, intent: str | None, **extra: Any) -> None:
        """Keep a triage decision on the call (its priority follows the urgency) and log
        it with the words (the timeline encrypts them)."""
        s = self.state
        s.urgency, s.intent, s.priority = urgency.value, intent, urgency.value
        self.log(
            "triage.result",
            event.text,
            node=s.node,
            urgency=urgency.value,
            intent=intent,
            confidence=round(event.confidence, 3),
            **{"error": None, **extra},
        )

    def _heard(self, event: ev.Speech, min_confidence: float) -> bool:
        return bool(event.text.strip()) and event.confidence >= min_confidence

    def _digit(self, event: ev.Digits, digits: Sequence[str | None]) -> int | None:
        pressed = event.digits.strip()
        for candidate in (pressed, pressed[:1]):
            if candidate and candidate in digits:
                return digits.index(candidate)
        return None

    def menu_input(self, node: MenuNode, event: ev.Digits | ev.Speech | ev.NoInput) -> None:
        s = self.state
        chosen: int | None = None
        via = "dtmf"
        if isinstance(event, ev.Digits):
            chosen = self._digit(event, [o.digit for o in node.options])
        elif isinstance(event, ev.Speech) and self._heard(event, node.min_confidence):
            via = "speech"
            mine = [(i, o.phrases.get(self.language, [])) for i, o in enumerate(node.options)]
            chosen = match_phrase(event.text, mine)
            if chosen is None:  # a caller may answer in another of the flow's languages
                others = [
                    (i, [p for lang, ps in o.phrases.items() if lang != self.language for p in ps])
                    for i, o in enumerate(node.options)
                ]
                chosen = match_phrase(event.text, others)
        if chosen is not None:
            option = node.options[chosen]
            self.log(
                "menu.choice",
                node=s.node,
                option=option.label or option.digit or str(chosen),
                digit=option.digit,
                via=via,
            )
            self.go(option.next)
            return
        if self.unsure and self.net is not None and isinstance(event, ev.Speech):
            # Words that pick no option and that triage could not call routine: the
            # unknown is never routine, so a nurse decides rather than the front desk.
            self.triaged(event, Urgency.urgent, None, escalated=True, matched=False)
            self.log("safety.escalated", node=s.node, urgency="urgent", target=self.net.urgent)
            self.go(self.net.urgent)
            return
        reason = "no_input" if isinstance(event, ev.NoInput) else "no_match"
        if s.retries < node.retries:
            s.retries += 1
            self.log("menu.retry", node=s.node, reason=reason, attempt=s.retries + 1)
            self.gather_menu(node, retry=True)
            return
        target = node.no_match if reason == "no_match" and node.no_match else node.no_input
        self.log(f"menu.{reason}", node=s.node)
        self.go(target)

    def language_input(self, node: LanguageNode, event: ev.Digits | ev.Speech | ev.NoInput) -> None:
        s = self.state
        chosen: int | None = None
        if isinstance(event, ev.Digits):
            chosen = self._digit(event, [o.digit for o in node.options])
        elif isinstance(event, ev.Speech) and self._heard(event, node.min_confidence):
            chosen = match_phrase(event.text, [(i, o.phrases) for i, o in enumerate(node.options)])
        if chosen is not None:
            option = node.options[chosen]
            s.language = self.supported(option.language) or s.language
            via = "dtmf" if isinstance(event, ev.Digits) else "speech"
            self.log("language.chosen", node=s.node, language=s.language, via=via)
            self.go(node.next)
            return
        if s.retries < node.retries:
            s.retries += 1
            self.gather_language(node)
            return
        self.log("language.default", node=s.node, language=s.language)
        self.go(node.next)

    def triage_input(self, node: TriageNode, event: ev.Digits | ev.Speech | ev.NoInput) -> None:
        s = self.state
        if isinstance(event, ev.Speech) and self._heard(event, node.min_confidence):
            self.classified(node, event)
            return
        if s.retries < node.retries:
            s.retries += 1
            self.gather_triage(node, retry=True)
            return
        self.log("triage.no_answer", node=s.node)
        if node.no_input is not None:
            self.go(node.no_input)
            return
        s.urgency = Urgency.urgent.value
        s.priority = Urgency.urgent.value
        self.go(node.urgent)

    def classified(self, node: TriageNode, event: ev.Speech) -> None:
        error = None
        try:
            raw_urgency, intent = self.ctx.classify(event.text, self.language)
            urgency = Urgency(raw_urgency)
        except Exception as exc:  # unknown answer or a failing classifier: treat as urgent
            error = type(exc).__name__
            urgency, intent = Urgency.urgent, None
        self.triaged(event, urgency, intent, error=error)
        if urgency is Urgency.emergency:
            self.go(node.emergency)
        elif urgency is Urgency.urgent:
            self.go(node.urgent)
        else:
            self.go(node.intents.get(intent or "", node.routine) if intent else node.routine)

    def callback_input(self, node: CallbackNode, event: ev.Digits | ev.Speech | ev.NoInput) -> None:
        s = self.state
        accepted = False
        if isinstance(event, ev.Digits):
            if event.digits.strip()[:1] == node.accept_digit:
                accepted = True
            else:  # another key is an explicit "no, keep me in line"
                self.log("callback.declined", node=s.node)
                self.go(node.declined)
                return
        elif isinstance(event, ev.Speech) and self._heard(event, node.min_confidence):
            phrases = node.accept_phrases.get(self.language, [])
            accepted = match_phrase(event.text, [(0, phrases)]) == 0
        if accepted:
            department = (node.department.value if node.department else None) or (
                s.last_department or "general"
            )
            self.emit(act.ScheduleCallback(department, s.priority, self.language, s.location_id))
            self.log("callback.requested", node=s.node, department=department, priority=s.priority)
            self.emit(*self.say(node.confirmation))
            self.end()
            return
        if s.retries < node.retries:
            s.retries += 1
            self.gather_callback(node)
            return
        self.log("callback.declined", node=s.node)
        self.go(node.declined)

    # -- results of hand-offs

    def dial_result(self, node: Any, event: ev.DialResult) -> None:
        if not isinstance(node, TransferNode | OnCallNode | AnsweringServiceNode):
            self.ignored(event)
            return
        if event.outcome is ev.DialOutcome.answered:
            self.hand_off(node.kind)
            return
        self.log(f"{node.kind}.unanswered", node=self.state.node, outcome=event.outcome.value)
        self.go(node.no_answer)

    def queue_result(self, node: Any, event: ev.QueueResult) -> None:
        if not isinstance(node, QueueNode):
            self.ignored(event)
            return
        outcome = event.outcome
        if outcome is ev.QueueOutcome.answered:
            self.hand_off("queue")
            return
        self.log(f"queue.{outcome.value}", node=self.state.node)
        if outcome is ev.QueueOutcome.callback:
            if node.callback is None:  # the caller chose a call back in line: register it
                s = self.state
                department = node.department.value
                self.emit(
                    act.ScheduleCallback(department, s.priority, self.language, s.location_id)
                )
                self.log(
                    "callback.requested", node=s.node, department=department, priority=s.priority
                )
                self.end()
            else:
                self.run(node.callback)
            return
        target = node.timeout or node.overflow if outcome is ev.QueueOutcome.timeout else None
        self.go(target or node.overflow)

    def recording_done(self, event: ev.RecordingDone) -> None:
        s = self.state
        node = self.flow.nodes.get(s.node or "")
        department = node.department.value if isinstance(node, VoicemailNode) else "general"
        self.log(
            "voicemail.recorded",
            event.transcript,
            node=s.node,
            department=department,
            duration_seconds=event.duration_seconds,
            recording_url=event.url,
            transcribed=event.transcript is not None,
        )
        if s.status == "ended":  # the caller hung up at the end of the message
            s.waiting_for = None
            return
        self.after_voicemail(node)

    def after_voicemail(self, node: Any) -> None:
        target = node.next if isinstance(node, VoicemailNode) else None
        if target is None:
            self.end()
        else:
            self.run(target)
