"""The virtual carrier: a faithful stand-in for a TwiML voice provider.

It does what a carrier does for an inbound call, over real HTTP: it requests
the number's voice URL with the provider's parameters, signed with
`X-Twilio-Signature` (the `twilio` library computes it), follows the TwiML it
gets back verb by verb (Say, Play, Pause, Gather, Dial, Enqueue with its wait
URL, Record with transcription callbacks, Redirect, Hangup, Reject, Leave),
retries a failed request once with the same `I-Twilio-Idempotency-Token`, falls
back to the number's fallback URL when the primary handler fails (with
ErrorCode 11200), and reports the call's end to the status callback.

Callers and agents are scripted (agents' ring and handle times may be drawn
per call). Time is simulated: the carrier adds up how
long prompts, silences, rings, queue waits and conversations would take, and
never sleeps.
"""

from __future__ import annotations

import math
import random
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urljoin

import httpx
from twilio.request_validator import RequestValidator

from careline.telephony.carrier_recordings import RecordingStore
from careline.telephony.twiml import (
    Dial,
    DialTarget,
    Document,
    Enqueue,
    Gather,
    Hangup,
    Leave,
    Message,
    Pause,
    Play,
    Record,
    Redirect,
    Reject,
    Say,
    TwimlError,
    Verb,
    parse,
)

API_VERSION = "2010-04-01"
SPOKEN_CHARS_PER_SECOND = 15.0
MAX_REQUESTS_PER_CALL = 200


@dataclass(frozen=True)
class CallerInput:
    """What a caller does at a prompt: press keys, say words, or nothing (both None)."""

    digits: str | None = None
    speech: str | None = None
    confidence: float = 0.9


SILENCE = CallerInput()


class Caller(Protocol):
    patience_seconds: float

    def respond(self, heard: list[str], gather: Gather) -> CallerInput: ...

    def voicemail(self) -> str | None: ...


@dataclass
class ScriptedCaller:
    """Answers prompts from a list, in order; silence once the list runs out."""

    inputs: list[CallerInput] = field(default_factory=list)
    patience_seconds: float = 300.0
    message: str | None = None

    def respond(self, heard: list[str], gather: Gather) -> CallerInput:
        return self.inputs.pop(0) if self.inputs else SILENCE

    def voicemail(self) -> str | None:
        return self.message


@dataclass(frozen=True)
class DialOutcome:
    status: str  # completed | busy | no-answer | failed
    ring_seconds: float = 5.0
    talk_seconds: float = 0.0


@dataclass(frozen=True)
class QueueOutcome:
    bridged: bool
    wait_seconds: float
    talk_seconds: float = 0.0
    agent: str | None = None


class Agents(Protocol):
    """Who answers dialled targets and queued calls."""

    def dial(self, target: DialTarget, timeout: int) -> DialOutcome: ...

    def dequeue(self, queue: str, patience_seconds: float) -> QueueOutcome: ...


@dataclass(frozen=True)
class Drawn:
    """A duration drawn per call: lognormal with this mean and standard deviation
    (seconds), the usual shape of ring and handle times; `sd` 0 gives the mean."""

    mean: float
    sd: float = 0.0

    def draw(self, rng: random.Random) -> float:
        if self.sd <= 0:
            return self.mean
        sigma2 = math.log(1 + (self.sd / self.mean) ** 2)
        return rng.lognormvariate(math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2))


def _seconds(value: float | Drawn, rng: random.Random) -> float:
    return value.draw(rng) if isinstance(value, Drawn) else float(value)


@dataclass
class ScriptedAgents:
    """The people behind the numbers the application dials, and behind the queues.

    Ring and handle times are fixed seconds or `Drawn` per call (seeded: the same
    seed gives the same call). `unreachable` targets never answer. With
    `answer_queues` (the default) agents take queued callers by themselves after
    `queue_wait_seconds`, as when agents dial into a provider queue; with it off,
    nobody takes a caller out of a queue but the application (careline's desk,
    which takes the caller out with <Leave/> and dials an agent). `answered`
    lists every dialled target that picked up, in order.
    """

    ring_seconds: float | Drawn = 6.0
    handle_seconds: float | Drawn = 180.0
    queue_wait_seconds: float = 20.0
    unreachable: set[str] = field(default_factory=set)
    queue_position: int = 1  # reported to the wait URL
    average_wait_seconds: float = 0.0  # reported to the wait URL as AvgQueueTime
    answer_queues: bool = True
    seed: int = 0
    answered: list[str] = field(default_factory=list)
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def dial(self, target: DialTarget, timeout: int) -> DialOutcome:
        if target.address in self.unreachable:
            return DialOutcome("no-answer", ring_seconds=float(timeout))
        ring = _seconds(self.ring_seconds, self.rng)
        if ring >= timeout:
            return DialOutcome("no-answer", ring_seconds=float(timeout))
        self.answered.append(target.address)
        return DialOutcome("completed", ring, _seconds(self.handle_seconds, self.rng))

    def dequeue(self, queue: str, patience_seconds: float) -> QueueOutcome:
        if not self.answer_queues or self.queue_wait_seconds > patience_seconds:
            return QueueOutcome(False, patience_seconds)
        handle = _seconds(self.handle_seconds, self.rng)
        return QueueOutcome(True, self.queue_wait_seconds, handle, f"agent@{queue}")


@dataclass(frozen=True)
class NumberConfig:
    """What a provider stores per phone number (Twilio's IncomingPhoneNumber)."""

    voice_url: str
    fallback_url: str | None = None
    status_callback: str | None = None


@dataclass
class CallEvent:
    at: float  # seconds since the call started
    kind: str  # request | heard | input | dial | queue | record | hangup | error | sms
    detail: dict[str, object]


@dataclass
class CallRecord:
    """Everything that happened on one call, in order."""

    sid: str
    from_: str
    to: str
    events: list[CallEvent] = field(default_factory=list)
    status: str = "in-progress"
    duration: float = 0.0

    def heard(self) -> list[str]:
        return [str(e.detail["text"]) for e in self.events if e.kind == "heard"]

    def of_kind(self, kind: str) -> list[CallEvent]:
        return [e for e in self.events if e.kind == kind]


class CarrierError(Exception):
    """The application failed in a way a real carrier would report (e.g. error 11200)."""


def _sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


@dataclass(frozen=True)
class QueueMember:
    call_sid: str
    queue: str  # the friendly name the TwiML gave
    queue_sid: str
    joined_at: float  # the caller's clock when they joined


class QueueRegistry:
    """The provider's queues as its REST API sees them: who waits in which queue, and
    the redirects asked for (Queue Members update: "dequeue to this Url"). Shared by
    the calls the carrier runs and its REST side; thread-safe.

    `on_join` lets a test act at the moment a caller joins a queue (an agent becomes
    available while the caller waits)."""

    def __init__(self, on_join: Callable[[QueueMember], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._sids: dict[str, str] = {}
        self._members: dict[str, QueueMember] = {}
        self._redirects: dict[str, tuple[str, str]] = {}
        self.on_join = on_join

    def sid_of(self, queue: str) -> str:
        with self._lock:
            return self._sids.setdefault(queue, _sid("QU"))

    def queues(self) -> list[tuple[str, str, int]]:
        """(sid, friendly name, current size) of every queue ever used."""
        with self._lock:
            return [
                (sid, name, sum(1 for m in self._members.values() if m.queue == name))
                for name, sid in self._sids.items()
            ]

    def join(self, queue: str, call_sid: str, at: float) -> QueueMember:
        member = QueueMember(call_sid, queue, self.sid_of(queue), at)
        with self._lock:
            self._members[call_sid] = member
            self._redirects.pop(call_sid, None)
        if self.on_join is not None:
            self.on_join(member)
        return member

    def leave(self, call_sid: str) -> None:
        with self._lock:
            self._members.pop(call_sid, None)
            self._redirects.pop(call_sid, None)

    def member(self, queue_sid: str, call_sid: str) -> QueueMember | None:
        with self._lock:
            found = self._members.get(call_sid)
        return found if found is not None and found.queue_sid == queue_sid else None

    def redirect(self, queue_sid: str, call_sid: str, url: str, method: str) -> bool:
        """Dequeue a waiting member to `url`; False if they are not in that queue."""
        with self._lock:
            found = self._members.get(call_sid)
            if found is None or found.queue_sid != queue_sid:
                return False
            self._redirects[call_sid] = (url, method)
            return True

    def take_redirect(self, call_sid: str) -> tuple[str, str] | None:
        with self._lock:
            return self._redirects.pop(call_sid, None)


class VirtualCarrier:
    """Places calls into careline's real webhooks and follows the TwiML answers."""

    def __init__(
        self,
        http: httpx.Client,
        *,
        auth_token: str,
        account_sid: str | None = None,
        on_event: Callable[[CallEvent], None] | None = None,
        recordings: RecordingStore | None = None,
        queues: QueueRegistry | None = None,
    ) -> None:
        self._http = http
        #: The provider's queues (shared with its REST side, for member redirects).
        self.queues = queues or QueueRegistry()
        #: Where recordings are kept and served (None: recording URLs lead nowhere).
        self.recordings = recordings
        self._validator = RequestValidator(auth_token)
        self.account_sid = account_sid or _sid("AC")
        self._on_event = on_event

    # ---------------------------------------------------------------- HTTP

    def _absolute(self, url: str, base: str) -> str:
        return urljoin(base, url)

    def request(
        self, url: str, params: dict[str, str], *, method: str = "POST", retries: int = 1
    ) -> httpx.Response:
        """One signed webhook request, retried with the same idempotency token."""
        token = secrets.token_hex(16)
        if method == "GET":
            signed_url = str(httpx.URL(url).copy_merge_params(params))
            headers = {
                "X-Twilio-Signature": self._validator.compute_signature(signed_url, {}),
                "I-Twilio-Idempotency-Token": token,
            }
            request = self._http.build_request("GET", signed_url, headers=headers)
        else:
            headers = {
                "X-Twilio-Signature": self._validator.compute_signature(url, params),
                "I-Twilio-Idempotency-Token": token,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            request = self._http.build_request("POST", url, data=params, headers=headers)
        last: httpx.Response | None = None
        for _attempt in range(retries + 1):
            try:
                last = self._http.send(request)
            except httpx.TransportError:
                last = None
                continue
            if last.status_code < 500:
                return last
        if last is None:
            raise CarrierError(f"no response from {httpx.URL(url).path}")
        return last

    # ---------------------------------------------------------------- calls

    def call(
        self,
        *,
        number: NumberConfig,
        from_: str,
        to: str,
        caller: Caller,
        agents: Agents | None = None,
        sid: str | None = None,
        direction: str = "inbound",
    ) -> CallRecord:
        """Run one call to its end and return what happened: an inbound call, or an
        outbound one (`direction="outbound-api"`, `sid` from the REST side) the patient
        answered, whose `voice_url` is the Url careline gave when it placed the call."""
        run = _CallRun(self, number, from_, to, caller, agents or ScriptedAgents())
        if sid is not None:
            run.record.sid = sid
        run.direction = direction
        return run.execute()

    def send_sms(
        self, *, url: str, from_: str, to: str, body: str
    ) -> tuple[httpx.Response, list[Message]]:
        """Deliver an inbound SMS to the messaging webhook; return the reply messages."""
        params = {
            "MessageSid": _sid("SM"),
            "SmsSid": "",
            "AccountSid": self.account_sid,
            "From": from_,
            "To": to,
            "Body": body,
            "NumMedia": "0",
            "ApiVersion": API_VERSION,
        }
        params["SmsSid"] = params["MessageSid"]
        response = self.request(url, params)
        replies: list[Message] = []
        if response.status_code == 200 and response.content.strip():
            replies = [v for v in parse(response.content).verbs if isinstance(v, Message)]
        return response, replies

    def emit(self, event: CallEvent) -> None:
        if self._on_event:
            self._on_event(event)


class _CallRun:
    """The state of one call while the carrier executes it."""

    def __init__(
        self,
        carrier: VirtualCarrier,
        number: NumberConfig,
        from_: str,
        to: str,
        caller: Caller,
        agents: Agents,
    ) -> None:
        self.c = carrier
        self.number = number
        self.caller = caller
        self.agents = agents
        self.record = CallRecord(sid=_sid("CA"), from_=from_, to=to)
        self.clock = 0.0
        self.requests = 0
        self.heard_since_input: list[str] = []
        self.direction = "inbound"

    def log(self, kind: str, **detail: object) -> None:
        event = CallEvent(round(self.clock, 2), kind, detail)
        self.record.events.append(event)
        self.c.emit(event)

    def base_params(self, status: str = "in-progress") -> dict[str, str]:
        return {
            "CallSid": self.record.sid,
            "AccountSid": self.c.account_sid,
            "From": self.record.from_,
            "To": self.record.to,
            "Caller": self.record.from_,
            "Called": self.record.to,
            "CallStatus": status,
            "Direction": self.direction,
            "ApiVersion": API_VERSION,
        }

    def fetch(
        self,
        url: str,
        extra: dict[str, str] | None = None,
        *,
        method: str = "POST",
        status: str = "in-progress",
        primary: bool = False,
    ) -> tuple[Document, str]:
        """Request TwiML; on failure of the primary voice URL, try the fallback URL."""
        self.requests += 1
        if self.requests > MAX_REQUESTS_PER_CALL:
            raise CarrierError("too many requests on one call (a loop in the application)")
        params = {**self.base_params(status), **(extra or {})}
        self.log("request", url=httpx.URL(url).path, params=sorted(extra or {}))
        failure: str | None = None
        try:
            response = self.c.request(url, params, method=method)
            if response.status_code == 200:
                return parse(response.content), url
            failure = f"HTTP {response.status_code}"
        except (CarrierError, TwimlError) as exc:
            failure = str(exc)
        self.log("error", code="11200", url=httpx.URL(url).path, reason=failure)
        if primary and self.number.fallback_url:
            params.update({"ErrorCode": "11200", "ErrorUrl": url})
            response = self.c.request(self.number.fallback_url, params)
            if response.status_code == 200:
                return parse(response.content), self.number.fallback_url
        raise CarrierError(f"application error: {failure}")

    def hear(self, text: str) -> None:
        self.heard_since_input.append(text)
        self.clock += max(1.0, len(text) / SPOKEN_CHARS_PER_SECOND)
        self.log("heard", text=text)

    def execute(self) -> CallRecord:
        try:
            doc, url = self.fetch(self.number.voice_url, status="ringing", primary=True)
            self.run_document(doc, url)
        except CarrierError as exc:
            self.log("error", reason=str(exc))
            self.hear("We are sorry, an application error has occurred. Goodbye.")
            self.record.status = "failed"
        self.finish()
        return self.record

    def finish(self) -> None:
        if self.record.status == "in-progress":
            self.record.status = "completed"
        self.record.duration = self.clock
        self.log("hangup", status=self.record.status)
        if self.number.status_callback:
            params = {
                **self.base_params(self.record.status),
                "CallDuration": str(int(self.clock)),
            }
            self.c.request(self.number.status_callback, params)

    def run_document(self, doc: Document, url: str) -> None:
        """Execute verbs; a verb that fetches a new document replaces this one."""
        while True:
            next_doc = self.run_verbs(doc.verbs, url)
            if next_doc is None:
                return
            doc, url = next_doc

    def run_verbs(self, verbs: tuple[Verb, ...], url: str) -> tuple[Document, str] | None:
        for verb in verbs:
            if isinstance(verb, Say):
                self.hear(verb.text)
            elif isinstance(verb, Play):
                self.hear(f"[audio {verb.url}]")
            elif isinstance(verb, Pause):
                self.clock += verb.length
            elif isinstance(verb, Gather):
                result = self.gather(verb, url)
                if result is not None:
                    return result
            elif isinstance(verb, Dial):
                result = self.dial(verb, url)
                if result is not None:
                    return result
            elif isinstance(verb, Enqueue):
                result = self.enqueue(verb, url)
                if result is not None:
                    return result
                return None
            elif isinstance(verb, Record):
                return self.record_message(verb, url)
            elif isinstance(verb, Redirect):
                return self.fetch(self.c._absolute(verb.url, url), method=verb.method)
            elif isinstance(verb, Hangup | Leave):
                return None
            elif isinstance(verb, Reject):
                self.record.status = "busy" if verb.reason == "busy" else "canceled"
                return None
            elif isinstance(verb, Message):
                self.log("sms", body=verb.body, to=verb.to)
        return None

    def gather(self, verb: Gather, url: str) -> tuple[Document, str] | None:
        for prompt in verb.prompts:
            if isinstance(prompt, Say):
                self.hear(prompt.text)
            elif isinstance(prompt, Play):
                self.hear(f"[audio {prompt.url}]")
            else:
                self.clock += prompt.length
        answer = self.caller.respond(list(self.heard_since_input), verb)
        self.heard_since_input = []
        digits = answer.digits if "dtmf" in verb.input else None
        speech = answer.speech if "speech" in verb.input else None
        if digits and verb.finish_on_key and verb.finish_on_key in digits:
            digits = digits.split(verb.finish_on_key)[0]
        if digits and verb.num_digits:
            digits = digits[: verb.num_digits]
        if not digits and not speech:
            self.clock += verb.timeout
            self.log("input", input="none")
            if not verb.action_on_empty_result:
                return None
            extra = {"Digits": ""}
        elif digits:
            self.clock += 0.5 * len(digits)
            self.log("input", input="dtmf", digits=digits)
            extra = {"Digits": digits}
        else:
            assert speech is not None
            self.clock += max(1.0, len(speech) / SPOKEN_CHARS_PER_SECOND)
            self.log("input", input="speech", text=speech)
            extra = {"SpeechResult": speech, "Confidence": f"{answer.confidence:.2f}"}
        return self.fetch(self.c._absolute(verb.action or url, url), extra, method=verb.method)

    def dial(self, verb: Dial, url: str) -> tuple[Document, str] | None:
        outcome = DialOutcome("no-answer", ring_seconds=float(verb.timeout))
        for target in verb.targets:
            outcome = self.agents.dial(target, verb.timeout)
            self.log("dial", target=target.address, target_kind=target.kind, status=outcome.status)
            self.clock += outcome.ring_seconds
            if outcome.status == "completed":
                if target.url:  # the answering party hears a whisper before the bridge
                    whisper, _ = self.fetch(
                        self.c._absolute(target.url, url), {"DialCallStatus": "in-progress"}
                    )
                    said = " ".join(v.text for v in whisper.verbs if isinstance(v, Say))
                    self.log("whisper", target=target.address, text=said)
                self.clock += outcome.talk_seconds
                break
        if verb.action is None:
            return None
        extra = {
            "DialCallStatus": outcome.status,
            "DialCallSid": _sid("CA"),
            "DialCallDuration": str(int(outcome.talk_seconds)),
        }
        return self.fetch(self.c._absolute(verb.action, url), extra, method=verb.method)

    def enqueue(self, verb: Enqueue, url: str) -> tuple[Document, str] | None:
        """Hold the caller in the queue, replaying its wait URL as a provider does
        (with the caller's position and time in line), until an agent answers, the
        wait document says <Leave/>, or the caller's patience runs out."""
        member = self.c.queues.join(verb.queue, self.record.sid, self.clock)
        queue_sid = member.queue_sid
        try:
            return self._wait_in_queue(verb, url, queue_sid)
        finally:
            self.c.queues.leave(self.record.sid)

    def _redirected(
        self, verb: Enqueue, queue_sid: str, start: float
    ) -> tuple[Document, str] | None:
        """A member redirect asked for over REST: out of the queue to its Url at once
        (the Enqueue's action is not requested, as with the provider)."""
        asked = self.c.queues.take_redirect(self.record.sid)
        if asked is None:
            return None
        to_url, method = asked
        self.log("queue", queue=verb.queue, result="redirected", wait=round(self.clock - start, 1))
        return self.fetch(to_url, {"QueueSid": queue_sid}, method=method)

    def _wait_in_queue(
        self, verb: Enqueue, url: str, queue_sid: str
    ) -> tuple[Document, str] | None:
        patience = max(0.0, self.caller.patience_seconds - self.clock)
        outcome = self.agents.dequeue(verb.queue, patience)
        position = int(getattr(self.agents, "queue_position", 1))
        average = int(getattr(self.agents, "average_wait_seconds", 0))
        start = self.clock
        result = "hangup"
        while True:
            redirected = self._redirected(verb, queue_sid, start)
            if redirected is not None:
                return redirected
            waited = self.clock - start
            if outcome.bridged and waited >= outcome.wait_seconds:
                result = "bridged"
                break
            if waited >= patience:
                break
            if not verb.wait_url:
                self.clock = start + (outcome.wait_seconds if outcome.bridged else patience)
                continue
            before = self.clock
            wait_doc, wait_url = self.fetch(
                self.c._absolute(verb.wait_url, url),
                {
                    "QueueSid": queue_sid,
                    "QueuePosition": str(position),
                    "QueueTime": str(int(waited)),
                    "AvgQueueTime": str(average),
                    "CurrentQueueSize": str(position),
                },
            )
            if self._run_wait_document(wait_doc, wait_url):
                result = "leave"
                break
            self.clock = max(self.clock, before + 5.0)  # the wait music loops at least 5 s
        # An agent bridges, or the caller gives up, in the middle of the music.
        if result == "bridged":
            self.clock = start + outcome.wait_seconds
        elif result == "hangup":
            self.clock = min(self.clock, start + patience)
        waited = self.clock - start
        self.log(
            "queue",
            queue=verb.queue,
            result=result,
            wait=round(waited, 1),
            agent=outcome.agent if result == "bridged" else None,
        )
        if result == "bridged":
            self.clock += outcome.talk_seconds
        if verb.action is None:
            return None
        extra = {"QueueResult": result, "QueueSid": queue_sid, "QueueTime": str(int(waited))}
        doc = self.fetch(self.c._absolute(verb.action, url), extra, method=verb.method)
        if result == "hangup":
            return None  # the caller is gone: the action's answer is not executed
        return doc

    def _run_wait_document(self, doc: Document, url: str) -> bool:
        """Play the queue's wait TwiML; True if it ends with <Leave/>."""
        for verb in doc.verbs:
            if isinstance(verb, Leave):
                return True
            if isinstance(verb, Gather):
                nxt = self.gather(verb, url)
                if nxt is not None:
                    return any(isinstance(v, Leave) for v in nxt[0].verbs)
            elif isinstance(verb, Say):
                self.hear(verb.text)
            elif isinstance(verb, Play):
                self.hear(f"[audio {verb.url}]")
            elif isinstance(verb, Pause):
                self.clock += verb.length
        return False

    def _record_answer(self, verb: Record) -> tuple[str | None, str | None]:
        """(words, key) of a caller at a silent <Record>: a question the application
        listens to, answered like a prompt (a key ends the recording, as finishOnKey)."""
        listening = Gather(
            action=verb.action, method=verb.method, input=frozenset({"dtmf", "speech"})
        )
        answer = self.caller.respond(list(self.heard_since_input), listening)
        self.heard_since_input = []
        return answer.speech, (answer.digits or "")[:1] or None

    def record_message(self, verb: Record, url: str) -> tuple[Document, str] | None:
        """Record the caller. After a beep they leave a message (`Caller.voicemail`); a
        <Record> without one is the application listening for an answer, which the
        caller gives like at a prompt (`Caller.respond`). With a recording store
        (`carrier.recordings`, see `carrier_recordings`) the words become real 8 kHz
        audio served at RecordingUrl behind basic auth, as a provider keeps them."""
        if verb.play_beep:
            self.hear("[beep]")
            text, key = self.caller.voicemail(), None
        else:
            text, key = self._record_answer(verb)
        recording_sid = _sid("RE")
        recording_url = f"https://virtual-carrier.invalid/Recordings/{recording_sid}"
        store = self.c.recordings
        spoken = 0.0
        if text and not key and store is not None:
            spoken = store.speak(recording_sid, text)
            recording_url = store.recording_url(recording_sid)
        if key:
            self.clock += 0.5
            self.log("record", recording=None, digits=key)
            duration = 0
        elif not text:
            self.clock += verb.timeout
            self.log("record", recording=None)
            duration = 0
        else:
            estimate = round(spoken) if spoken else int(len(text) / SPOKEN_CHARS_PER_SECOND)
            duration = min(verb.max_length, max(1, estimate))
            self.clock += duration
            self.log("record", recording=recording_sid, seconds=duration)
        params = {
            "RecordingUrl": recording_url,
            "RecordingSid": recording_sid,
            "RecordingDuration": str(duration),
            "Digits": key or ("hangup" if verb.play_beep else ""),
        }
        if verb.recording_status_callback and text:
            self.fetch(
                self.c._absolute(verb.recording_status_callback, url),
                {**params, "RecordingStatus": "completed"},
            )
        if verb.transcribe and verb.transcribe_callback and text:
            self.c.request(
                self.c._absolute(verb.transcribe_callback, url),
                {
                    **self.base_params(),
                    **params,
                    "TranscriptionSid": _sid("TR"),
                    "TranscriptionText": text,
                    "TranscriptionStatus": "completed",
                },
            )
        if verb.action is None:
            return None
        return self.fetch(self.c._absolute(verb.action, url), params, method=verb.method)
