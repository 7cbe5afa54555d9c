"""Reading TwiML documents into plain verbs (for the virtual carrier and tests).

Only the verbs careline's flows produce, with the attributes Twilio documents
and the defaults it applies (Gather: input=dtmf, timeout=5 s, finishOnKey=#;
Record: maxLength=3600 s; Dial: timeout=30 s; methods default to POST).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field


class TwimlError(ValueError):
    """The document is not TwiML this carrier understands."""


@dataclass(frozen=True)
class Say:
    text: str
    language: str | None = None


@dataclass(frozen=True)
class Play:
    url: str


@dataclass(frozen=True)
class Pause:
    length: int = 1


@dataclass(frozen=True)
class Gather:
    action: str | None
    method: str = "POST"
    input: frozenset[str] = frozenset({"dtmf"})
    timeout: int = 5
    num_digits: int | None = None
    finish_on_key: str = "#"
    hints: tuple[str, ...] = ()
    language: str | None = None
    action_on_empty_result: bool = False
    prompts: tuple[Say | Play | Pause, ...] = ()


@dataclass(frozen=True)
class DialTarget:
    kind: str  # number | sip | client | queue
    address: str
    url: str | None = None  # whisper URL for warm transfers


@dataclass(frozen=True)
class Dial:
    action: str | None
    method: str = "POST"
    timeout: int = 30
    caller_id: str | None = None
    targets: tuple[DialTarget, ...] = ()
    record: str | None = None


@dataclass(frozen=True)
class Enqueue:
    queue: str
    action: str | None = None
    method: str = "POST"
    wait_url: str | None = None
    workflow_sid: str | None = None


@dataclass(frozen=True)
class Record:
    action: str | None
    method: str = "POST"
    max_length: int = 3600
    timeout: int = 5
    transcribe: bool = False
    transcribe_callback: str | None = None
    play_beep: bool = True
    recording_status_callback: str | None = None


@dataclass(frozen=True)
class Redirect:
    url: str
    method: str = "POST"


@dataclass(frozen=True)
class Hangup:
    """End the call."""


@dataclass(frozen=True)
class Reject:
    reason: str = "rejected"


@dataclass(frozen=True)
class Leave:
    """Inside a queue's wait document: take the caller out of the queue."""


@dataclass(frozen=True)
class Message:
    body: str
    to: str | None = None


Verb = (
    Say
    | Play
    | Pause
    | Gather
    | Dial
    | Enqueue
    | Record
    | Redirect
    | Hangup
    | Reject
    | Leave
    | Message
)


@dataclass(frozen=True)
class Document:
    verbs: tuple[Verb, ...] = field(default_factory=tuple)


def _bool(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() == "true"


def _int(el: ET.Element, name: str, default: int) -> int:
    raw = el.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise TwimlError(f"<{el.tag} {name}> must be an integer") from None


def _method(el: ET.Element) -> str:
    method = (el.get("method") or "POST").upper()
    if method not in ("GET", "POST"):
        raise TwimlError(f"<{el.tag} method> must be GET or POST")
    return method


def _text(el: ET.Element) -> str:
    return (el.text or "").strip()


def _prompt(el: ET.Element) -> Say | Play | Pause:
    if el.tag == "Say":
        return Say(_text(el), el.get("language"))
    if el.tag == "Play":
        return Play(_text(el))
    if el.tag == "Pause":
        return Pause(_int(el, "length", 1))
    raise TwimlError(f"<{el.tag}> cannot be nested in <Gather>")


def _dial(el: ET.Element) -> Dial:
    targets: list[DialTarget] = []
    if _text(el):
        targets.append(DialTarget("number", _text(el)))
    for child in el:
        kinds = {"Number": "number", "Sip": "sip", "Client": "client", "Queue": "queue"}
        if child.tag not in kinds:
            raise TwimlError(f"<{child.tag}> cannot be nested in <Dial>")
        targets.append(DialTarget(kinds[child.tag], _text(child), child.get("url")))
    if not targets:
        raise TwimlError("<Dial> has nothing to dial")
    return Dial(
        action=el.get("action"),
        method=_method(el),
        timeout=_int(el, "timeout", 30),
        caller_id=el.get("callerId"),
        targets=tuple(targets),
        record=el.get("record"),
    )


def _verb(el: ET.Element) -> Verb:
    tag = el.tag
    if tag in ("Say", "Play", "Pause"):
        return _prompt(el)
    if tag == "Gather":
        inputs = frozenset((el.get("input") or "dtmf").split())
        if not inputs <= {"dtmf", "speech"}:
            raise TwimlError("<Gather input> must be dtmf, speech or 'dtmf speech'")
        hints = tuple(h.strip() for h in (el.get("hints") or "").split(",") if h.strip())
        num = el.get("numDigits")
        return Gather(
            action=el.get("action"),
            method=_method(el),
            input=inputs,
            timeout=_int(el, "timeout", 5),
            num_digits=int(num) if num else None,
            finish_on_key=el.get("finishOnKey", "#"),
            hints=hints,
            language=el.get("language"),
            action_on_empty_result=_bool(el.get("actionOnEmptyResult"), False),
            prompts=tuple(_prompt(child) for child in el),
        )
    if tag == "Dial":
        return _dial(el)
    if tag == "Enqueue":
        return Enqueue(
            queue=_text(el),
            action=el.get("action"),
            method=_method(el),
            wait_url=el.get("waitUrl"),
            workflow_sid=el.get("workflowSid"),
        )
    if tag == "Record":
        return Record(
            action=el.get("action"),
            method=_method(el),
            max_length=_int(el, "maxLength", 3600),
            timeout=_int(el, "timeout", 5),
            transcribe=_bool(el.get("transcribe"), False),
            transcribe_callback=el.get("transcribeCallback"),
            play_beep=_bool(el.get("playBeep"), True),
            recording_status_callback=el.get("recordingStatusCallback"),
        )
    if tag == "Redirect":
        if not _text(el):
            raise TwimlError("<Redirect> needs a URL")
        return Redirect(_text(el), _method(el))
    if tag == "Hangup":
        return Hangup()
    if tag == "Reject":
        return Reject(el.get("reason", "rejected"))
    if tag == "Leave":
        return Leave()
    if tag == "Message":
        return Message(_text(el), el.get("to"))
    raise TwimlError(f"unsupported verb <{tag}>")


def parse(document: str | bytes) -> Document:
    """Parse a TwiML `<Response>` document; raise TwimlError on anything else."""
    try:
        root = ET.fromstring(document)  # noqa: S314 - trusted origin, see module doc
    except ET.ParseError as exc:
        raise TwimlError(f"not well-formed XML: {exc}") from None
    if root.tag != "Response":
        raise TwimlError(f"the root element must be <Response>, not <{root.tag}>")
    return Document(tuple(_verb(child) for child in root))
