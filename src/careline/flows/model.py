"""Call-flow documents and their whole-graph validation (pure: no I/O, no clock).

A flow is a JSON graph a clinic manager draws: named nodes of a few kinds
(`say`, `menu`, `triage`, `queue`, ...) pointing at each other by id. The
pydantic models below check each node's *shape* (so a draft can be saved while
its graph is still incomplete); `validate_flow` checks the *graph* (targets,
reachability, dead ends, trapped loops, translations, an emergency path, an
after-hours path...) and reports every problem by node, so a designer can mark
them all at once and publishing can refuse an unsafe flow.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from careline.core.errors import FieldProblem, ValidationFailed
from careline.core.phone import InvalidPhoneNumber, to_e164
from careline.directory.model import (
    DepartmentKind,
    Language,
    known_timezones,
    normalise_sip_uri,
    primary_language,
)

MAX_NODES = 500
NODE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
ID_PATTERN = r"^[A-Za-z0-9-]{1,36}$"
_HHMM = re.compile(r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$")

# ---------------------------------------------------------------- small types


def _dial_target(value: str) -> str:
    """A phone number (canonical E.164) or a SIP URI: what a transfer can dial."""
    text = value.strip()
    if text.lower().startswith(("sip:", "sips:")):
        return normalise_sip_uri(text)
    try:
        return to_e164(text)
    except InvalidPhoneNumber:
        raise ValueError("must be a phone number (E.164, e.g. +13125550100) or a SIP URI") from None


def _phone(value: str) -> str:
    try:
        return to_e164(value.strip())
    except InvalidPhoneNumber:
        raise ValueError("must be a phone number in E.164 form, e.g. +13125550100") from None


def _timezone(value: str) -> str:
    if value not in known_timezones():
        raise ValueError("is not a known IANA time zone (e.g. America/Chicago)")
    return value


def _time_of_day(value: str) -> str:
    if not _HHMM.fullmatch(value):
        raise ValueError("must be a local time of day as HH:MM (00:00-23:59)")
    return value


NodeId = Annotated[str, StringConstraints(pattern=NODE_ID_PATTERN)]
Target = NodeId | None
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Url = Annotated[str, StringConstraints(max_length=1000, pattern=r"^https?://[^\s]+$")]
Digit = Annotated[str, StringConstraints(pattern=r"^[0-9*#]$")]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
IntentName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
VarName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
DialTarget = Annotated[str, StringConstraints(max_length=200), AfterValidator(_dial_target)]
PhoneNumber = Annotated[str, StringConstraints(max_length=40), AfterValidator(_phone)]
TimeZoneName = Annotated[str, StringConstraints(max_length=64), AfterValidator(_timezone)]
TimeOfDay = Annotated[str, AfterValidator(_time_of_day)]
Scalar = bool | int | float | Annotated[str, StringConstraints(max_length=200)] | None


class Urgency(StrEnum):
    """How soon a caller needs a clinician: triage's urgency, and a call's priority in
    line (the same three levels the routing core serves, emergency first)."""

    emergency = "emergency"
    urgent = "urgent"
    routine = "routine"


#: The priority of a call nothing has raised.
DEFAULT_PRIORITY = Urgency.routine


class DialMode(StrEnum):
    cold = "cold"  # hand the caller over and leave
    warm = "warm"  # the receiving person is told who is calling before the caller joins


#: Departments staffed by clinicians: a queue to one of them is a clinical path.
CLINICAL_DEPARTMENTS = frozenset(
    {
        DepartmentKind.nurse_triage,
        DepartmentKind.pediatrics,
        DepartmentKind.oncology,
        DepartmentKind.behavioral_health,
    }
)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class Doc(BaseModel):
    """Base of every part of a flow document: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Prompt(Doc):
    """What the caller hears, per language: recorded audio (`play`) wins over
    text-to-speech (`text`) for a language that has both."""

    text: dict[Language, Text] = Field(default_factory=dict, examples=[{"en": "Welcome."}])
    play: dict[Language, Url] = Field(default_factory=dict)

    def languages(self) -> set[str]:
        return set(self.text) | set(self.play)


class Position(Doc):
    """Where the visual designer draws the node (ignored by the engine)."""

    x: float = Field(ge=-1e6, le=1e6)
    y: float = Field(ge=-1e6, le=1e6)


class NodeBase(Doc):
    label: Label | None = Field(default=None, description="A name for people, e.g. 'Main menu'")
    position: Position | None = None


# ---------------------------------------------------------------- node kinds


class SayNode(NodeBase):
    """Say a text (or play a recording) in the caller's language, then go on.

    The caller can speak over it (barge-in): the engine plays it inside the next
    prompt that listens, or, before a voicemail or goodbye, listens briefly after it,
    so an emergency said at the welcome is heard (see `SafetyNet`)."""

    kind: Literal["say"]
    prompt: Prompt
    listen: bool = Field(
        default=True,
        description="Hear the caller over this prompt; false only for a number without speech "
        "recognition (lint refuses it otherwise: a caller's emergency would go unheard)",
    )
    next: Target = None


class MenuOption(Doc):
    """One choice: a keypad digit and/or spoken phrases (per language)."""

    digit: Digit | None = None
    phrases: dict[Language, list[Phrase]] = Field(default_factory=dict)
    label: Label | None = Field(default=None, description="Logged with the choice, e.g. 'billing'")
    next: Target = None

    @model_validator(mode="after")
    def _reachable_somehow(self) -> MenuOption:
        if self.digit is None and not any(self.phrases.values()):
            raise ValueError("an option needs a digit or at least one phrase")
        return self


class MenuNode(NodeBase):
    """Ask, gather a digit or speech, and branch; retry, then take `no_input`/`no_match`."""

    kind: Literal["menu"]
    prompt: Prompt
    options: list[MenuOption] = Field(default_factory=list, max_length=12)
    timeout_seconds: int = Field(default=5, ge=1, le=60)
    retries: int = Field(default=2, ge=0, le=5, description="Extra attempts after the first")
    retry_prompt: Prompt | None = Field(default=None, description="Said before a retry")
    min_confidence: float = Field(default=0.4, ge=0, le=1)
    no_input: Target = Field(default=None, description="After retries with no input at all")
    no_match: Target = Field(default=None, description="After retries with no match; else no_input")


class LanguageOption(Doc):
    language: Language
    digit: Digit | None = None
    phrases: list[Phrase] = Field(default_factory=list, examples=[["español", "spanish"]])

    @model_validator(mode="after")
    def _reachable_somehow(self) -> LanguageOption:
        if self.digit is None and not self.phrases:
            raise ValueError("an option needs a digit or at least one phrase")
        return self


class LanguageNode(NodeBase):
    """Let the caller choose a language. The prompt is played in every flow language;
    a caller whose preferred language is known skips the question (`skip_if_known`)."""

    kind: Literal["language"]
    prompt: Prompt
    options: list[LanguageOption] = Field(default_factory=list, max_length=10)
    skip_if_known: bool = True
    timeout_seconds: int = Field(default=5, ge=1, le=60)
    retries: int = Field(default=1, ge=0, le=5)
    min_confidence: float = Field(default=0.4, ge=0, le=1)
    next: Target = None


class HoursNode(NodeBase):
    """Branch on the location's calendar now: holiday, open, or closed."""

    kind: Literal["hours"]
    location_id: Id | None = Field(default=None, description="null: the location of the binding")
    open: Target = None
    closed: Target = None
    holiday: Target = Field(default=None, description="null: holidays take `closed`")


class TriageNode(NodeBase):
    """Ask what the call is about, classify the answer, branch by urgency (then intent).

    Urgency always outranks intent: an emergency never takes an intent branch. A
    caller who says nothing, or whose words cannot be classified, is treated as
    urgent unless `no_input` says otherwise: silence is never taken as routine."""

    kind: Literal["triage"]
    prompt: Prompt
    retry_prompt: Prompt | None = None
    timeout_seconds: int = Field(default=8, ge=1, le=60)
    retries: int = Field(default=1, ge=0, le=5)
    min_confidence: float = Field(default=0.3, ge=0, le=1)
    emergency: Target = None
    urgent: Target = None
    routine: Target = None
    intents: dict[IntentName, NodeId] = Field(
        default_factory=dict, description="For routine callers: intent -> node"
    )
    no_input: Target = Field(default=None, description="null: silence takes `urgent`")


class QueueNode(NodeBase):
    """Put the caller in line for a department; the routing core finds the agent."""

    kind: Literal["queue"]
    department: DepartmentKind
    priority: Urgency | Literal["from_triage"] = Field(
        default="from_triage",
        description="A fixed priority, or the call's own (raised by triage or emergency nodes)",
    )
    language: Literal["from_call"] | Language = "from_call"
    location_id: Id | None = Field(default=None, description="null: the location of the call")
    overflow: Target = None
    timeout: Target = Field(default=None, description="null: timeouts take `overflow`")
    callback: Target = Field(default=None, description="null: a callback chosen in line ends here")


class TransferNode(NodeBase):
    """Dial a number or SIP URI; `no_answer` covers no answer, busy and failure."""

    kind: Literal["transfer"]
    target: DialTarget
    mode: DialMode = DialMode.cold
    timeout_seconds: int = Field(default=25, ge=5, le=120)
    no_answer: Target = None


class RotaEntry(Doc):
    """One on-call shift: local times of day (daily; `ends` at or before `starts` runs
    overnight), or two aware instants (a one-off cover)."""

    starts: TimeOfDay | AwareDatetime
    ends: TimeOfDay | AwareDatetime
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] | None = Field(
        default=None, description="Days (0 = Monday) a daily shift starts on; null: every day"
    )
    target: DialTarget
    label: Label | None = None

    @model_validator(mode="after")
    def _same_kind(self) -> RotaEntry:
        if isinstance(self.starts, str) != isinstance(self.ends, str):
            raise ValueError("starts and ends must both be times of day or both be instants")
        if isinstance(self.starts, datetime) and isinstance(self.ends, datetime):
            if self.ends <= self.starts:
                raise ValueError("ends must be after starts")
            if self.weekdays is not None:
                raise ValueError("weekdays only apply to daily shifts")
        return self


class OnCallNode(NodeBase):
    """Forward to whoever is on call now according to the rota (first match wins)."""

    kind: Literal["oncall"]
    rota: list[RotaEntry] = Field(default_factory=list, max_length=100)
    timezone: TimeZoneName | None = Field(
        default=None, description="Of the rota's times of day; null: the call's location"
    )
    mode: DialMode = DialMode.cold
    timeout_seconds: int = Field(default=25, ge=5, le=120)
    no_answer: Target = Field(default=None, description="Also taken when nobody is on call")


class VoicemailNode(NodeBase):
    """Record a message for a department; the call ends after it unless `next` is set."""

    kind: Literal["voicemail"]
    prompt: Prompt
    max_seconds: int = Field(default=120, ge=5, le=600)
    department: DepartmentKind = DepartmentKind.general
    transcribe: bool = True
    next: Target = None


class CallbackNode(NodeBase):
    """Offer a call back that keeps the caller's place in line."""

    kind: Literal["callback"]
    prompt: Prompt
    accept_digit: Digit = "1"
    accept_phrases: dict[Language, list[Phrase]] = Field(default_factory=dict)
    confirmation: Prompt | None = None
    department: DepartmentKind | None = Field(
        default=None, description="null: the department of the queue the caller was in"
    )
    timeout_seconds: int = Field(default=5, ge=1, le=60)
    retries: int = Field(default=1, ge=0, le=5)
    min_confidence: float = Field(default=0.4, ge=0, le=1)
    declined: Target = None


class AnsweringServiceNode(NodeBase):
    """Hand the call to an external answering service."""

    kind: Literal["answering_service"]
    number: PhoneNumber
    prompt: Prompt | None = None
    timeout_seconds: int = Field(default=30, ge=5, le=120)
    no_answer: Target = None


class EmergencyNode(NodeBase):
    """Emergency guidance (e.g. 911 / 988), then `next` (e.g. a clinician) or hang up."""

    kind: Literal["emergency"]
    guidance: Prompt
    next: Target = None


#: Call facts a branch condition can test; `vars.<name>` tests a variable from a `set` node.
FACTS = (
    "language",
    "caller_known",
    "priority",
    "urgency",
    "intent",
    "location_id",
    "home_location_id",
    "preferred_language",
)
FactName = Annotated[
    str, StringConstraints(pattern=r"^(?:" + "|".join(FACTS) + r"|vars\.[a-z][a-z0-9_]{0,39})$")
]
Op = Literal["eq", "ne", "in", "not_in", "lt", "le", "gt", "ge"]


class Condition(Doc):
    """`fact op value`, e.g. {"fact": "language", "op": "eq", "value": "es"}."""

    fact: FactName
    op: Op = "eq"
    value: Scalar | list[Scalar] = None

    @model_validator(mode="after")
    def _value_fits_op(self) -> Condition:
        if self.op in ("in", "not_in"):
            if not isinstance(self.value, list):
                raise ValueError(f"'{self.op}' needs a list value")
        elif isinstance(self.value, list):
            raise ValueError(f"'{self.op}' needs a single value")
        elif self.op in ("lt", "le", "gt", "ge") and (
            isinstance(self.value, bool) or not isinstance(self.value, int | float)
        ):
            raise ValueError(f"'{self.op}' needs a number")
        return self


class BranchRule(Doc):
    when: list[Condition] = Field(min_length=1, max_length=10, description="All must hold")
    next: Target = None


class BranchNode(NodeBase):
    """Take the first rule whose conditions all hold, else `default`."""

    kind: Literal["branch"]
    rules: list[BranchRule] = Field(default_factory=list, max_length=20)
    default: Target = None


class SetNode(NodeBase):
    """Set variables (and optionally the language, priority or clinic), then go on."""

    kind: Literal["set"]
    variables: dict[VarName, Scalar] = Field(default_factory=dict, max_length=20)
    language: Language | None = None
    priority: Urgency | None = None
    location_id: Id | None = Field(
        default=None,
        description="The clinic the call is for from here on (its hours, its queues): "
        "a network number's choose-your-clinic menu sets it",
    )
    next: Target = None


class HangupNode(NodeBase):
    kind: Literal["hangup"]
    prompt: Prompt | None = Field(default=None, description="A goodbye said first")


class SafetyNet(Doc):
    """Where the engine sends a caller whose words, at any prompt, are an emergency
    or an urgent clinical problem: every speech input is triaged before a menu's
    options are matched, so no flow has to remember to ask. Unset, the flow's first
    triage node (from the entry) lends its `emergency` and `urgent` branches."""

    emergency: NodeId = Field(description="e.g. an emergency node: 911/988 guidance, a clinician")
    urgent: NodeId = Field(description="e.g. the nurse queue (the call's priority is urgent)")
    crisis: Target = Field(
        default=None, description="Self-harm words; null: the emergency or urgent branch"
    )


#: How long a listening `say` waits for speech after its prompt before going on.
LISTEN_SECONDS = 2


Node = Annotated[
    SayNode
    | MenuNode
    | LanguageNode
    | HoursNode
    | TriageNode
    | QueueNode
    | TransferNode
    | OnCallNode
    | VoicemailNode
    | CallbackNode
    | AnsweringServiceNode
    | EmergencyNode
    | SetNode
    | BranchNode
    | HangupNode,
    Field(discriminator="kind"),
]


class FlowDocument(Doc):
    """One version of a call flow: where it starts, its languages (the first is the
    default) and its nodes by id. `fallback` (a voicemail or hangup node) is where the
    engine goes if a call ever runs out of steps."""

    name: Label
    description: str | None = Field(default=None, max_length=1000)
    entry: NodeId
    languages: list[Language] = Field(min_length=1, max_length=10, examples=[["en", "es"]])
    fallback: Target = None
    safety: SafetyNet | None = Field(
        default=None, description="Where an emergency or urgent caller goes from any prompt"
    )
    nodes: dict[NodeId, Node] = Field(min_length=1, max_length=MAX_NODES)

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        # PostgreSQL cannot store NUL characters in text; refuse them up front.
        if _has_nul(data):
            raise ValueError("must not contain NUL characters")
        return data

    @field_validator("languages")
    @classmethod
    def _unique_languages(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("must not list a language twice")
        return value

    @property
    def default_language(self) -> str:
        return self.languages[0]


def parse_flow(data: Any, *, field: str = "document") -> FlowDocument:
    """A flow document from plain JSON data, or `ValidationFailed` naming every bad field."""
    try:
        return FlowDocument.model_validate(data)
    except ValidationError as exc:
        problems = [
            FieldProblem(".".join([field, *map(str, e["loc"])]), e["msg"]) for e in exc.errors()
        ]
        raise ValidationFailed(
            "The flow document has invalid fields: "
            + ", ".join(p.field for p in problems[:5])
            + ("..." if len(problems) > 5 else "."),
            problems=problems,
        ) from None


# ---------------------------------------------------------------- the graph


#: Kinds after which a call may leave the flow (handed off, recorded or ended).
EXIT_KINDS = frozenset(
    {
        "hangup",
        "voicemail",
        "queue",
        "transfer",
        "oncall",
        "answering_service",
        "callback",
        "emergency",
    }
)
#: Kinds that put the caller in touch with a clinician or emergency guidance.
CLINICAL_KINDS = frozenset({"emergency", "oncall", "transfer"})
#: Kinds that are a useful end for an after-hours caller (anything but hanging up).
AFTER_HOURS_KINDS = EXIT_KINDS - {"hangup"}
#: Kinds that wait for the caller to press or say something.
INPUT_KINDS = frozenset({"menu", "language", "triage", "callback"})


def slots(node: Any) -> list[tuple[str, str | None]]:
    """Every outgoing edge of a node as (slot name, target or None when unset)."""
    out: list[tuple[str, str | None]] = []
    if isinstance(node, SayNode | LanguageNode | VoicemailNode | EmergencyNode | SetNode):
        out.append(("next", node.next))
    elif isinstance(node, MenuNode):
        out += [(f"options.{i}.next", o.next) for i, o in enumerate(node.options)]
        out += [("no_input", node.no_input), ("no_match", node.no_match)]
    elif isinstance(node, HoursNode):
        out += [("open", node.open), ("closed", node.closed), ("holiday", node.holiday)]
    elif isinstance(node, TriageNode):
        out += [("emergency", node.emergency), ("urgent", node.urgent)]
        out += [("routine", node.routine)]
        out += [(f"intents.{name}", target) for name, target in node.intents.items()]
        out.append(("no_input", node.no_input))
    elif isinstance(node, QueueNode):
        out += [("overflow", node.overflow), ("timeout", node.timeout)]
        out.append(("callback", node.callback))
    elif isinstance(node, TransferNode | OnCallNode | AnsweringServiceNode):
        out.append(("no_answer", node.no_answer))
    elif isinstance(node, CallbackNode):
        out.append(("declined", node.declined))
    elif isinstance(node, BranchNode):
        out += [(f"rules.{i}.next", r.next) for i, r in enumerate(node.rules)]
        out.append(("default", node.default))
    return out


def _required_slots(node: Any) -> list[str]:
    """Branches that must be set for the node to be safe (beyond 'some way on')."""
    if isinstance(node, HoursNode):
        return ["open", "closed"]
    if isinstance(node, TriageNode):
        return ["emergency", "urgent", "routine"]
    if isinstance(node, TransferNode | OnCallNode | AnsweringServiceNode):
        return ["no_answer"]
    if isinstance(node, CallbackNode):
        return ["declined"]
    if isinstance(node, BranchNode):
        return ["default"]
    if isinstance(node, MenuNode):
        return [f"options.{i}.next" for i in range(len(node.options))]
    return []


def silent_slots(node: Any) -> list[str | None]:
    """Where a caller who never presses or says anything goes from this node."""
    if isinstance(node, MenuNode):
        return [node.no_input]
    if isinstance(node, TriageNode):
        return [node.no_input or node.urgent]
    if isinstance(node, LanguageNode):
        return [node.next]
    if isinstance(node, CallbackNode):
        return [node.declined]
    return [target for _, target in slots(node)]


def edges(doc: FlowDocument) -> dict[str, list[str]]:
    """Known targets of each node (unknown and unset targets left out)."""
    return {
        node_id: [t for _, t in slots(node) if t is not None and t in doc.nodes]
        for node_id, node in doc.nodes.items()
    }


def _reach(starts: Iterable[str], graph: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    todo = [s for s in starts if s in graph]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(t for t in graph.get(current, ()) if t not in seen)
    return seen


def safety_net(doc: FlowDocument) -> SafetyNet | None:
    """The flow's safety net: its own, else the `emergency` and `urgent` branches of the
    first triage node a caller reaches (breadth first from the entry), else None."""
    if doc.safety is not None:
        return doc.safety
    graph = edges(doc)
    seen = {doc.entry}
    queue = [doc.entry] if doc.entry in doc.nodes else []
    while queue:
        current = queue.pop(0)
        node = doc.nodes[current]
        if isinstance(node, TriageNode) and node.emergency and node.urgent:
            return SafetyNet(emergency=node.emergency, urgent=node.urgent)
        for target in graph[current]:
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return None


def _net_targets(doc: FlowDocument) -> list[tuple[str, str]]:
    net = doc.safety
    if net is None:
        return []
    out = [("emergency", net.emergency), ("urgent", net.urgent)]
    return out + ([("crisis", net.crisis)] if net.crisis else [])


def _reverse(graph: dict[str, list[str]]) -> dict[str, list[str]]:
    back: dict[str, list[str]] = {n: [] for n in graph}
    for source, targets in graph.items():
        for target in targets:
            back.setdefault(target, []).append(source)
    return back


def _cyclic_components(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components that contain a cycle (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(graph[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(graph[succ])))
                    advanced = True
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    found.append(component)
    return found


# ---------------------------------------------------------------- validation


@dataclass(frozen=True)
class Problem:
    """One problem of a flow: the node it is on (None: the flow as a whole), a stable
    code a designer can branch on, and a message a person can act on."""

    node_id: str | None
    code: str
    message: str


#: Every problem code `validate_flow` can report.
PROBLEM_CODES = (
    "unknown-entry",
    "unknown-target",
    "missing-branch",
    "dead-end",
    "unreachable-node",
    "loop-without-exit",
    "no-input-loop",
    "menu-without-options",
    "menu-without-no-input",
    "duplicate-digit",
    "duplicate-phrase",
    "missing-translation",
    "unknown-language",
    "no-emergency-path",
    "no-after-hours-path",
    "invalid-fallback",
    "empty-rota",
    "unknown-variable",
    "missing-safety-net",
    "prompt-not-listening",
)


def normalise_speech(text: str) -> tuple[str, ...]:
    """Words of an utterance or phrase, case- and accent-insensitive ('Español!' ->
    ('espanol',)), so recognisers that drop accents still match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return tuple(re.findall(r"\w+", plain))


def _prompts(node: Any) -> list[tuple[str, Prompt]]:
    found: list[tuple[str, Prompt | None]] = []
    if isinstance(node, SayNode | VoicemailNode):
        found.append(("prompt", node.prompt))
    elif isinstance(node, MenuNode | TriageNode):
        found += [("prompt", node.prompt), ("retry_prompt", node.retry_prompt)]
    elif isinstance(node, LanguageNode):
        found.append(("prompt", node.prompt))
    elif isinstance(node, CallbackNode):
        found += [("prompt", node.prompt), ("confirmation", node.confirmation)]
    elif isinstance(node, AnsweringServiceNode | HangupNode):
        found.append(("prompt", node.prompt))
    elif isinstance(node, EmergencyNode):
        found.append(("guidance", node.guidance))
    return [(name, p) for name, p in found if p is not None]


def _phrase_sets(node: Any) -> list[tuple[str, dict[str, list[str]]]]:
    if isinstance(node, MenuNode):
        return [(f"options.{i}.phrases", o.phrases) for i, o in enumerate(node.options)]
    if isinstance(node, CallbackNode):
        return [("accept_phrases", node.accept_phrases)]
    return []


def _language_problems(doc: FlowDocument, node_id: str, node: Any) -> list[Problem]:
    wanted = set(doc.languages)
    out: list[Problem] = []
    for field, prompt in _prompts(node):
        have = prompt.languages()
        for lang in doc.languages:
            if lang not in have:
                out.append(
                    Problem(
                        node_id,
                        "missing-translation",
                        f"'{field}' has no text or recording in '{lang}'.",
                    )
                )
        for lang in sorted(have - wanted):
            out.append(
                Problem(
                    node_id,
                    "unknown-language",
                    f"'{field}' has '{lang}', which is not one of the flow's languages.",
                )
            )
    for field, phrases in _phrase_sets(node):
        used = {lang for lang, words in phrases.items() if words}
        if used:
            for lang in doc.languages:
                if lang not in used:
                    out.append(
                        Problem(node_id, "missing-translation", f"'{field}' has none in '{lang}'.")
                    )
        for lang in sorted(set(phrases) - wanted):
            out.append(
                Problem(
                    node_id,
                    "unknown-language",
                    f"'{field}' has '{lang}', which is not one of the flow's languages.",
                )
            )
    chosen: list[str] = []
    if isinstance(node, LanguageNode):
        chosen = [o.language for o in node.options]
    elif isinstance(node, SetNode | QueueNode) and node.language not in (None, "from_call"):
        chosen = [str(node.language)]
    for lang in chosen:
        if lang not in wanted:
            out.append(
                Problem(
                    node_id, "unknown-language", f"'{lang}' is not one of the flow's languages."
                )
            )
    return out


def _choice_problems(node_id: str, node: Any) -> list[Problem]:
    """Duplicate digits or phrases among a menu's (or language choice's) options."""
    out: list[Problem] = []
    digits: list[str] = []
    phrase_owner: dict[tuple[str, tuple[str, ...]], int] = {}
    if isinstance(node, MenuNode):
        for i, option in enumerate(node.options):
            if option.digit is not None:
                digits.append(option.digit)
            for lang, words in option.phrases.items():
                for phrase in words:
                    key = (lang, normalise_speech(phrase))
                    if phrase_owner.setdefault(key, i) != i:
                        out.append(
                            Problem(
                                node_id,
                                "duplicate-phrase",
                                f"The phrase '{phrase}' ({lang}) leads to two options.",
                            )
                        )
    elif isinstance(node, LanguageNode):
        for i, language_option in enumerate(node.options):
            if language_option.digit is not None:
                digits.append(language_option.digit)
            for phrase in language_option.phrases:
                key = ("", normalise_speech(phrase))
                if phrase_owner.setdefault(key, i) != i:
                    out.append(
                        Problem(
                            node_id,
                            "duplicate-phrase",
                            f"The phrase '{phrase}' leads to two options.",
                        )
                    )
    for digit in sorted({d for d in digits if digits.count(d) > 1}):
        out.append(
            Problem(node_id, "duplicate-digit", f"The digit '{digit}' is used by two options.")
        )
    return out


def _leads_to(
    graph: dict[str, list[str]], doc: FlowDocument, start: str | None, wanted: Any
) -> bool:
    """Does some path from `start` (inclusive) reach a node for which `wanted` is true?"""
    if start is None or start not in doc.nodes:
        return False
    return any(wanted(doc.nodes[n]) for n in _reach([start], graph))


def _is_clinical(node: Any) -> bool:
    if isinstance(node, QueueNode):
        return node.department in CLINICAL_DEPARTMENTS
    return getattr(node, "kind", None) in CLINICAL_KINDS


def _is_after_hours_help(node: Any) -> bool:
    return getattr(node, "kind", None) in AFTER_HOURS_KINDS


def _safety_problems(
    doc: FlowDocument, graph: dict[str, list[str]], reachable: set[str]
) -> list[Problem]:
    out: list[Problem] = []
    # Emergency: every triage must send emergency and urgent callers to a clinical end,
    # and some triage or menu the caller can reach must lead to one.
    any_path = False
    for node_id, node in doc.nodes.items():
        if isinstance(node, TriageNode):
            for branch in ("emergency", "urgent"):
                target = getattr(node, branch)
                if target is None:
                    continue  # reported as missing-branch
                if _leads_to(graph, doc, target, _is_clinical):
                    if node_id in reachable:
                        any_path = True
                else:
                    out.append(
                        Problem(
                            node_id,
                            "no-emergency-path",
                            f"The '{branch}' branch reaches no emergency guidance, clinical "
                            "queue, on-call clinician or transfer.",
                        )
                    )
        elif isinstance(node, MenuNode) and node_id in reachable:
            targets = [o.next for o in node.options]
            if any(_leads_to(graph, doc, t, _is_clinical) for t in targets):
                any_path = True
        elif isinstance(node, EmergencyNode) and node_id in reachable:
            any_path = True
    if not any_path:
        out.append(
            Problem(
                None,
                "no-emergency-path",
                "No triage or menu the caller can reach leads to emergency guidance, a "
                "clinical queue, an on-call clinician or a transfer.",
            )
        )
    # After hours: a reachable hours node whose closed (and holiday) branch helps.
    hours = [(i, n) for i, n in doc.nodes.items() if isinstance(n, HoursNode) and i in reachable]
    if not hours:
        out.append(
            Problem(
                None,
                "no-after-hours-path",
                "The flow never checks opening hours: add an hours node whose 'closed' branch "
                "reaches on-call, voicemail, an answering service or a queue.",
            )
        )
    for node_id, node in hours:
        for branch in ("closed", "holiday"):
            target = getattr(node, branch)
            if target is None:
                continue
            if not _leads_to(graph, doc, target, _is_after_hours_help):
                out.append(
                    Problem(
                        node_id,
                        "no-after-hours-path",
                        f"The '{branch}' branch reaches no on-call clinician, voicemail, "
                        "answering service, callback or queue.",
                    )
                )
    return out


def _listening_problems(
    doc: FlowDocument, graph: dict[str, list[str]], *, speech: bool
) -> list[Problem]:
    """On a number that recognises speech, every prompt must hear the caller, and an
    emergency said at any of them needs somewhere to go."""
    if not speech:
        return []
    out: list[Problem] = []
    for node_id, node in doc.nodes.items():
        if isinstance(node, SayNode) and not node.listen:
            out.append(
                Problem(
                    node_id,
                    "prompt-not-listening",
                    "This prompt does not listen ('listen' is false): a caller who says an "
                    "emergency over it would not be heard.",
                )
            )
    net = safety_net(doc)
    if net is None:
        out.append(
            Problem(
                None,
                "missing-safety-net",
                "No safety net: add a triage node the caller reaches, or set 'safety' "
                "(where a caller who says an emergency or urgent symptom at any prompt goes).",
            )
        )
        return out
    if doc.safety is not None:
        for slot, target in _net_targets(doc):
            if target in doc.nodes and not _leads_to(graph, doc, target, _is_clinical):
                out.append(
                    Problem(
                        None,
                        "missing-safety-net",
                        f"The safety net's '{slot}' branch reaches no emergency guidance, "
                        "clinical queue, on-call clinician or transfer.",
                    )
                )
    return out


def _loop_problems(
    doc: FlowDocument, graph: dict[str, list[str]], code: str, what: str
) -> list[Problem]:
    exits = [n for n, node in doc.nodes.items() if node.kind in EXIT_KINDS]
    can_exit = _reach(exits, _reverse(graph))
    out: list[Problem] = []
    for component in _cyclic_components(graph):
        if any(member in can_exit for member in component):
            continue
        ordered = [n for n in doc.nodes if n in component]
        names = ", ".join(ordered[:6]) + (", ..." if len(ordered) > 6 else "")
        for member in ordered:
            out.append(Problem(member, code, f"{what} ({names}) never reaches an end."))
    return out


def _variable_problems(doc: FlowDocument) -> list[Problem]:
    assigned = {
        name for node in doc.nodes.values() if isinstance(node, SetNode) for name in node.variables
    }
    out: list[Problem] = []
    for node_id, node in doc.nodes.items():
        if not isinstance(node, BranchNode):
            continue
        for rule in node.rules:
            for condition in rule.when:
                if condition.fact.startswith("vars."):
                    name = condition.fact[5:]
                    if name not in assigned:
                        out.append(
                            Problem(
                                node_id,
                                "unknown-variable",
                                f"No set node assigns the variable '{name}'.",
                            )
                        )
    return out


def validate_flow(doc: FlowDocument, *, speech: bool = True) -> list[Problem]:
    """Every problem of the flow's graph, flow-wide ones first, then node by node in
    document order. An empty list means the flow may be published. `speech`: the
    number it answers can recognise speech (then every prompt must hear it)."""
    flow_level: list[Problem] = []
    by_node: dict[str, list[Problem]] = {node_id: [] for node_id in doc.nodes}

    def add(problems: Iterable[Problem]) -> None:
        for p in problems:
            by_node.get(p.node_id or "", flow_level).append(p)

    if doc.entry not in doc.nodes:
        flow_level.append(
            Problem(None, "unknown-entry", f"The entry node '{doc.entry}' does not exist.")
        )
    if doc.fallback is not None:
        fallback = doc.nodes.get(doc.fallback)
        if fallback is None:
            flow_level.append(
                Problem(
                    None, "unknown-target", f"The fallback node '{doc.fallback}' does not exist."
                )
            )
        elif fallback.kind not in ("voicemail", "hangup"):
            flow_level.append(
                Problem(
                    None, "invalid-fallback", "The fallback node must be a voicemail or a hangup."
                )
            )

    for net_slot, net_target in _net_targets(doc):
        if net_target not in doc.nodes:
            flow_level.append(
                Problem(
                    None,
                    "unknown-target",
                    f"The safety net's '{net_slot}' points to unknown node '{net_target}'.",
                )
            )

    graph = edges(doc)
    starts = [doc.entry] + ([doc.fallback] if doc.fallback else [])
    starts += [net_target for _, net_target in _net_targets(doc)]
    reachable = _reach(starts, graph)

    for node_id, node in doc.nodes.items():
        node_slots = slots(node)
        for slot, target in node_slots:
            if target is not None and target not in doc.nodes:
                add(
                    [
                        Problem(
                            node_id,
                            "unknown-target",
                            f"'{slot}' points to unknown node '{target}'.",
                        )
                    ]
                )
        has_way_on = any(t is not None for _, t in node_slots)
        if node.kind not in EXIT_KINDS and not has_way_on:
            add([Problem(node_id, "dead-end", "This node leads nowhere: give it a next node.")])
        else:
            missing = [s for s in _required_slots(node) if dict(node_slots).get(s) is None]
            add(Problem(node_id, "missing-branch", f"'{slot}' is not set.") for slot in missing)
        if node_id not in reachable and doc.entry in doc.nodes:
            add([Problem(node_id, "unreachable-node", "No path from the entry reaches this node.")])
        if isinstance(node, MenuNode):
            if not node.options:
                add([Problem(node_id, "menu-without-options", "The menu has no options.")])
            if node.no_input is None:
                add(
                    [
                        Problem(
                            node_id,
                            "menu-without-no-input",
                            "Set 'no_input': where a caller who presses and says nothing goes.",
                        )
                    ]
                )
        if isinstance(node, LanguageNode) and not node.options:
            add([Problem(node_id, "menu-without-options", "The language choice has no options.")])
        if isinstance(node, OnCallNode) and not node.rota:
            add([Problem(node_id, "empty-rota", "The on-call rota has no shifts.")])
        add(_language_problems(doc, node_id, node))
        add(_choice_problems(node_id, node))

    add(_loop_problems(doc, graph, "loop-without-exit", "This loop"))
    silent = {
        node_id: [t for t in silent_slots(node) if t is not None and t in doc.nodes]
        for node_id, node in doc.nodes.items()
    }
    loud = {p.node_id for ps in by_node.values() for p in ps if p.code == "loop-without-exit"}
    add(
        p
        for p in _loop_problems(doc, silent, "no-input-loop", "A caller who stays silent loops")
        if p.node_id not in loud
    )
    add(_variable_problems(doc))
    if doc.entry in doc.nodes:
        add(_safety_problems(doc, graph, reachable))
        add(_listening_problems(doc, graph, speech=speech))

    ordered = list(flow_level)
    for node_id in doc.nodes:
        ordered += by_node[node_id]
    return ordered


# ---------------------------------------------------------------- on-call rota


def _minutes(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 60 + int(minutes)


def rota_entry_covers(entry: RotaEntry, at: datetime, zone: ZoneInfo) -> bool:
    """Is `at` (aware) inside this shift? Daily shifts are judged on the local wall
    clock, so '17:00'-'08:00' means evening to morning on both sides of a DST change."""
    if isinstance(entry.starts, datetime) and isinstance(entry.ends, datetime):
        return entry.starts <= at < entry.ends
    assert isinstance(entry.starts, str) and isinstance(entry.ends, str)
    local = at.astimezone(zone)
    minute = local.hour * 60 + local.minute
    start, end = _minutes(entry.starts), _minutes(entry.ends)
    today = local.weekday()
    yesterday = (local.date() - timedelta(days=1)).weekday()

    def starts_on(weekday: int) -> bool:
        return entry.weekdays is None or weekday in entry.weekdays

    if start < end:
        return starts_on(today) and start <= minute < end
    # Overnight (or a whole day when start == end): the tail belongs to yesterday's shift.
    return (minute >= start and starts_on(today)) or (minute < end and starts_on(yesterday))


def rota_target(rota: Iterable[RotaEntry], at: datetime, timezone: str) -> str | None:
    """Who is on call at `at`: the target of the first shift covering it, or None."""
    zone = ZoneInfo(timezone)
    for entry in rota:
        if rota_entry_covers(entry, at, zone):
            return entry.target
    return None


# ---------------------------------------------------------------- diff


class FlowDiff(BaseModel):
    """What changed between two documents, by node id."""

    added: list[str]
    removed: list[str]
    changed: list[str]
    settings_changed: list[str] = Field(
        description="Flow-level fields that changed (entry, languages, fallback, name...)"
    )


def diff_flows(old: FlowDocument, new: FlowDocument) -> FlowDiff:
    """Nodes added, removed and changed (positions in the designer are ignored)."""

    def shape(node: Any) -> Any:
        return node.model_dump(mode="json", exclude={"position"})

    settings = ["name", "description", "entry", "languages", "fallback"]
    return FlowDiff(
        added=[n for n in new.nodes if n not in old.nodes],
        removed=[n for n in old.nodes if n not in new.nodes],
        changed=[
            n for n in new.nodes if n in old.nodes and shape(old.nodes[n]) != shape(new.nodes[n])
        ],
        settings_changed=[f for f in settings if getattr(old, f) != getattr(new, f)],
    )


def same_language(a: str, b: str) -> bool:
    return primary_language(a) == primary_language(b)


# ---------------------------------------------------------------- API shapes


class ProblemView(BaseModel):
    node_id: str | None = Field(description="null: a problem of the flow as a whole")
    code: str = Field(examples=["unreachable-node"])
    message: str


class ValidationReport(BaseModel):
    valid: bool
    problems: list[ProblemView]


def report(problems: list[Problem]) -> ValidationReport:
    return ValidationReport(
        valid=not problems,
        problems=[ProblemView(node_id=p.node_id, code=p.code, message=p.message) for p in problems],
    )


Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=500),
    Field(description="Why: kept with the version (encrypted) and shown in its history"),
]


class FlowCreate(Doc):
    document: FlowDocument


class DraftUpdate(Doc):
    document: FlowDocument
    base_revision: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="The draft revision this edit started from; a newer draft refuses (409)",
    )


class PublishRequest(Doc):
    reason: Reason
    draft_revision: int | None = Field(
        default=None, ge=1, le=2**31 - 1, description="Publish only if the draft is still this"
    )


class RollbackRequest(Doc):
    version: int = Field(ge=1, le=2**31 - 1, description="The earlier version to put back")
    reason: Reason


class BindingCreate(Doc):
    number: str = Field(min_length=1, max_length=40, examples=["+13125550100"])
    location_id: Id | None = Field(
        default=None, description="Whose hours and queues the flow uses for calls to this number"
    )


class BindingView(BaseModel):
    id: str
    flow_id: str
    number: str
    location_id: str | None
    created_at: datetime


class FlowSummary(BaseModel):
    id: str
    name: str
    current_version: int | None = Field(description="null: never published")
    draft_revision: int
    draft_updated_at: datetime
    draft_updated_by: str


class FlowView(FlowSummary):
    draft: FlowDocument
    draft_changed: bool = Field(description="The draft differs from the current version")
    bindings: list[BindingView]


class FlowVersionSummary(BaseModel):
    id: str
    flow_id: str
    number: int
    published_at: datetime
    published_by: str
    reason: str
    restored_from: int | None = Field(description="Set when a rollback put this document back")
    current: bool


class FlowVersionView(FlowVersionSummary):
    document: FlowDocument


class LiveFlow(BaseModel):
    """What answers a number now: the current published version and the binding."""

    flow_id: str
    version: int
    version_id: str
    document: FlowDocument
    binding: BindingView
