"""On-premise speech for the voice edge: careline hears callers itself (pocketsphinx).

With `Settings.speech_transcriber = "pocketsphinx"` the provider transcribes
nothing. Instead:

* **Voicemail**: the `<Record>` asks for no transcription; when the recording
  webhook arrives, `enqueue_voicemail` schedules a durable job
  (`TRANSCRIBE_JOB`) that downloads the recording as the provider documents it
  (`RecordingUrl` + `.wav`, HTTP basic auth with the account SID and auth
  token), turns the telephone audio into what the recogniser needs, transcribes
  it, and writes the same triaged `voicemail.transcribed` event the provider
  path writes (with `source: "pocketsphinx"`). Failures retry with the job
  system's backoff; the last one leaves `voicemail.transcript_unavailable`.
* **Menus**: a speech-capable Gather is rendered as keypad prompts plus a short
  `<Record>` posted to `/telephony/voice/speech`; `recognise_answer` downloads it
  and recognises it with a grammar of the waiting node's phrases (free speech
  for triage), giving the engine `Speech` or `NoInput` like the gather webhook.

Only http(s) recording URLs are fetched: https always, plain http only to a
loopback address outside production (the virtual carrier's recording store).
careline's log lines carry codes only, never words or numbers (httpx's request
log shows the recording URL, which holds nothing but provider ids).

Measured limits (tests/telephony/test_onprem_speech.py, espeak-ng speech sent
through an 8 kHz telephone band): the bundled model is US English and wideband,
so telephone audio is upsampled and recognised worse than 16 kHz audio. With a
grammar, distinct words ("billing", "operator", "english") come through; some
options are confused ("appointments" heard as "billing"). Free speech keeps only
some key words ("overdose", "heart attack") and garbles the rest. Spanish is
not recognised at all: Spanish answers are keypad-only and Spanish voicemails
get `voicemail.transcript_unavailable` (`language-not-supported`).
"""

from __future__ import annotations

import io
import ipaddress
import logging
import sys
import wave
from array import array
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import httpx
from sqlalchemy import select

from careline.core.db import transaction
from careline.core.errors import CarelineError
from careline.core.settings import Environment, Settings
from careline.flows import events as ev
from careline.flows import service as flows
from careline.flows.engine import CallState
from careline.flows.model import CallbackNode, LanguageNode, MenuNode, TriageNode, VoicemailNode
from careline.jobs import service as jobs
from careline.jobs.model import PermanentFailure, RetryLater
from careline.jobs.registry import Registry
from careline.runtime import Runtime
from careline.telephony.render import ONPREM_SPEECH_LANGUAGES
from careline.telephony.tables import VoiceCallRow
from careline.triage.transcribe import (
    MAX_SECONDS,
    SAMPLE_RATE,
    PocketsphinxTranscriber,
    Transcriber,
    Transcript,
    TranscriptionFailed,
    grammar_options,
)

log = logging.getLogger("careline.telephony")

#: The durable job that transcribes one voicemail.
TRANSCRIBE_JOB = "telephony.voicemail_transcribe"
#: Tries before a voicemail is given up as untranscribable (backoff 30 s, 1, 2, 4 min).
JOB_ATTEMPTS = 5
#: Largest voicemail download: 5 minutes of 16-bit stereo at 8 kHz is 9.6 MB.
MAX_RECORDING_BYTES = 12 * 1024 * 1024
#: Largest spoken-answer download (a 6-second answer is under 100 kB at 8 kHz).
MAX_ANSWER_BYTES = 2 * 1024 * 1024
MAX_REDIRECTS = 3
#: A job may wait for a slow provider; a webhook must answer within the provider's 15 s.
JOB_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
ANSWER_TIMEOUT = httpx.Timeout(5.0, connect=2.0)
#: Rates a call recording may have (telephone 8 kHz up to studio 48 kHz).
MIN_RATE, MAX_RATE = 8_000, 48_000
#: Added to a call-back offer's grammar so a spoken "no" is not forced onto "yes".
DECLINE_WORDS = ("no",)


class RecordingProblem(Exception):
    """A recording could not be fetched or read; `code` is PHI-free (stored, logged)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# ---------------------------------------------------------------- downloading


def media_url(recording_url: str) -> str:
    """The provider's WAV media for a `RecordingUrl` (announced without an extension)."""
    return recording_url if recording_url.lower().endswith(".wav") else f"{recording_url}.wav"


def host_listed(host: str, patterns: list[str]) -> bool:
    """`host` is one of `patterns` ("api.twilio.com") or under a `*.` one ("*.twilio.com")."""
    host = host.lower().rstrip(".")
    for pattern in patterns:
        pattern = pattern.lower().rstrip(".")
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and host != pattern[2:]:
                return True
        elif host == pattern:
            return True
    return False


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_allowed(url: httpx.URL, settings: Settings) -> bool:
    """Only the provider's media hosts over https (`recording_hosts`), and outside
    production loopback (the virtual carrier): a forged `RecordingUrl` must not make
    careline fetch an internal address (issue 11, item 7). Names under `.invalid`
    (the virtual carrier's stand-in URLs) can never resolve: not even looked up."""
    if not url.host or url.host.endswith(".invalid"):
        return False
    if url.scheme not in ("http", "https"):
        return False
    if _loopback(url.host):
        return settings.environment is not Environment.production
    return url.scheme == "https" and host_listed(url.host, settings.recording_hosts)


def download_recording(
    recording_url: str,
    *,
    account_sid: str,
    auth_token: str,
    settings: Settings,
    max_bytes: int = MAX_RECORDING_BYTES,
    timeout: httpx.Timeout = JOB_TIMEOUT,
) -> bytes:
    """The recording's WAV bytes, or `RecordingProblem`.

    Redirects (providers hand media out from storage URLs) are followed a few
    times, each target checked like the first; the credentials go only to the
    origin that announced the recording. The body is read in chunks and
    abandoned as soon as it passes `max_bytes`.
    """
    try:
        url = httpx.URL(media_url(recording_url))
    except (httpx.InvalidURL, TypeError, ValueError):
        raise RecordingProblem("recording-url-invalid") from None
    origin = (url.scheme, url.host, url.port)
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            if not url_allowed(url, settings):
                raise RecordingProblem("recording-url-refused")
            auth = (account_sid, auth_token) if (url.scheme, url.host, url.port) == origin else None
            try:
                with client.stream("GET", url, auth=auth) as response:
                    if response.is_redirect and "Location" in response.headers:
                        url = url.join(response.headers["Location"])
                        continue
                    return _body(response, max_bytes)
            except httpx.TimeoutException:
                raise RecordingProblem("recording-timeout") from None
            except (httpx.HTTPError, httpx.InvalidURL):
                raise RecordingProblem("recording-unreachable") from None
    raise RecordingProblem("recording-too-many-redirects")


def _body(response: httpx.Response, max_bytes: int) -> bytes:
    status = response.status_code
    if status in (401, 403):
        raise RecordingProblem("recording-auth-refused")
    if status == 404:
        raise RecordingProblem("recording-not-found")
    if status != 200:
        raise RecordingProblem(f"recording-http-{status}")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise RecordingProblem("recording-too-large")
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise RecordingProblem("recording-too-large")
    return bytes(body)


# ---------------------------------------------------------------- audio


def resample(samples: array[int], source_rate: int, target_rate: int) -> array[int]:
    """16-bit samples at `target_rate`, by linear interpolation between neighbours.

    Why this is enough here: telephone audio is 8 kHz and the recogniser wants
    16 kHz, so the usual case is doubling, where the new samples are midpoints
    and nothing can alias (linear interpolation only softens the images above
    4 kHz, a band the line never carried). When a recording has a higher rate
    than the target, a moving average as wide as the rate ratio runs first, a
    crude low-pass that keeps most of what lies above the new Nyquist frequency
    from folding back into the speech band.
    """
    if source_rate <= 0 or target_rate <= 0:
        raise ValueError("sample rates must be positive")
    n = len(samples)
    if source_rate == target_rate or n == 0:
        return array("h", samples)
    if target_rate == 2 * source_rate:
        doubled = array("h", bytes(4 * n))
        doubled[0::2] = samples
        middles = array("h", ((a + b) // 2 for a, b in pairwise(samples)))
        middles.append(samples[-1])
        doubled[1::2] = middles
        return doubled
    if source_rate > target_rate:
        samples = _moving_average(samples, -(-source_rate // target_rate))
    count = max(1, n * target_rate // source_rate)
    step = source_rate / target_rate
    last = n - 1
    out = array("h", bytes(2 * count))
    for i in range(count):
        position = i * step
        j = int(position)
        if j >= last:
            out[i] = samples[last]
            continue
        a = samples[j]
        out[i] = round(a + (samples[j + 1] - a) * (position - j))
    return out


def _moving_average(samples: array[int], width: int) -> array[int]:
    out = array("h", samples)
    total = 0
    for i, value in enumerate(samples):
        total += value
        if i >= width:
            total -= samples[i - width]
        out[i] = total // min(i + 1, width)
    return out


def telephone_pcm(body: bytes) -> bytes:
    """Raw 16 kHz mono 16-bit PCM (what `read_pcm` takes) from a provider's WAV file.

    Accepts 16-bit PCM WAV, mono or stereo (averaged), 8-48 kHz; longer than
    the recogniser's limit is cut to its first `MAX_SECONDS`.
    """
    if len(body) < 12 or body[:4] != b"RIFF" or body[8:12] != b"WAVE":
        raise RecordingProblem("recording-not-wav")
    try:
        with wave.open(io.BytesIO(body)) as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.readframes(w.getnframes())
    except (wave.Error, EOFError, RuntimeError, ValueError, OSError):
        # `wave` raises RuntimeError when a chunk claims more bytes than the file has.
        raise RecordingProblem("recording-unreadable") from None
    if width != 2 or channels not in (1, 2) or not MIN_RATE <= rate <= MAX_RATE:
        raise RecordingProblem("recording-format-unsupported")
    samples = array("h")
    samples.frombytes(frames[: len(frames) - len(frames) % (2 * channels)])
    if sys.byteorder == "big":
        samples.byteswap()
    if channels == 2:
        left, right = samples[0::2], samples[1::2]
        samples = array("h", ((a + b) // 2 for a, b in zip(left, right, strict=True)))
    if not samples:
        raise RecordingProblem("recording-empty")
    pcm = resample(samples, rate, SAMPLE_RATE)[: MAX_SECONDS * SAMPLE_RATE]
    if sys.byteorder == "big":
        pcm.byteswap()
    return pcm.tobytes()


# ---------------------------------------------------------------- recognition


@lru_cache(maxsize=2)
def transcriber(purpose: Literal["answers", "voicemail"] = "answers") -> Transcriber:
    """One recogniser per purpose and process (loading one takes a third of a second).

    A decoder serves one utterance at a time, and a long voicemail keeps it busy for
    about half its length: menu answers, which a caller is waiting for, get their own.
    """
    return PocketsphinxTranscriber()


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """The words the bundled model's dictionary holds (what a grammar may use)."""
    import pocketsphinx  # type: ignore[import-untyped]

    path = Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"
    words: set[str] = set()
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            head = line.split(" ", 1)[0]
            words.add(head.split("(", 1)[0])
    return frozenset(words)


def speakable(phrases: Iterable[str]) -> list[str]:
    """The phrases the recogniser can listen for (each word in its dictionary), in order.

    A flow's Spanish or misspelt phrases are left out rather than failing the
    whole grammar.
    """
    known = vocabulary()
    kept: list[str] = []
    for phrase in phrases:
        try:
            [words] = grammar_options([phrase])
        except TranscriptionFailed:
            continue
        if all(w in known for w in words) and phrase not in kept:
            kept.append(phrase)
    return kept


def answer_grammar(node: Any, language: str) -> list[str] | None:
    """What a waiting node can hear: its phrases as a grammar, or None for free speech.

    A menu listens for its phrases in the call's language only: measured, adding
    the other languages' words makes wrong answers likelier ("message" was heard
    as the Spanish option "médico").
    """
    if isinstance(node, MenuNode):
        return speakable(p for o in node.options for p in o.phrases.get(language, []))
    if isinstance(node, LanguageNode):
        return speakable(p for o in node.options for p in o.phrases)
    if isinstance(node, CallbackNode):
        return speakable([*node.accept_phrases.get(language, []), *DECLINE_WORDS])
    if isinstance(node, TriageNode):
        return None
    return []


def speech_event(heard: Transcript, grammar: list[str] | None) -> ev.Speech:
    """The engine's Speech for what the recogniser heard.

    The decoder's posterior is not the provider's confidence, so it is mapped:
    under a grammar it was measured not to tell right from wrong answers
    (0.3-1.0 for both), and the grammar has already limited the answer to the
    node's phrases, so a grammar hit counts as certain. For free speech it is
    the posterior of the whole utterance, which shrinks with every word; its
    per-word geometric mean was measured at 0.4-0.55 for sentences whose key
    words came through and 0.1-0.27 for garbled ones, on the scale of the
    flows' `min_confidence` (0.3 for triage).
    """
    text = heard.text.strip()
    if not text:
        return ev.Speech("", 0.0)
    if grammar:
        return ev.Speech(text, 1.0)
    words = len(text.split())
    return ev.Speech(text[:1000], max(0.0, min(1.0, heard.confidence ** (1.0 / words))))


def _call(rt: Runtime, call_sid: str) -> VoiceCallRow | None:
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(VoiceCallRow).where(VoiceCallRow.call_sid == call_sid)
        ).scalar_one_or_none()
        if row is not None:
            s.expunge(row)
        return row


def _node(rt: Runtime, call: VoiceCallRow, state: CallState) -> Any:
    document = flows.get_version(rt, flow_id=call.flow_id, number=call.flow_version).document
    return document.nodes.get(state.node or "")


def _account_sid(rt: Runtime, params: dict[str, str]) -> str:
    return (rt.settings.twilio_account_sid or params.get("AccountSid", ""))[:64]


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def onprem_language(language: str | None) -> bool:
    return (language or "en").split("-", 1)[0].lower() in ONPREM_SPEECH_LANGUAGES


def recognise_answer(
    rt: Runtime, *, call_sid: str, params: dict[str, str]
) -> ev.Digits | ev.Speech | ev.NoInput:
    """The engine event for a spoken answer's `<Record>` (the `/speech` webhook).

    A key that ended the recording is the answer; an empty recording is no
    input; otherwise the recording is downloaded and recognised against the
    waiting node's grammar. Anything that fails is no input (the flow asks
    again), logged by code only.
    """
    digits = params.get("Digits", "").strip()
    if digits and digits != "hangup":
        return ev.Digits(digits[:32])
    url = params.get("RecordingUrl", "")[:500]
    if not url or _int(params.get("RecordingDuration")) == 0:
        return ev.NoInput()
    call = _call(rt, call_sid)
    if call is None:
        return ev.NoInput()
    state = CallState.from_dict(call.state)
    if state.waiting_for != "input" or not onprem_language(state.language):
        return ev.NoInput()
    try:
        grammar = answer_grammar(_node(rt, call, state), state.language or "en")
    except CarelineError as exc:
        log.warning("spoken answer not recognised: %s", exc.error_id)
        return ev.NoInput()
    if grammar == []:
        return ev.NoInput()
    try:
        body = download_recording(
            url,
            account_sid=_account_sid(rt, params),
            auth_token=rt.settings.webhook_auth_token,
            settings=rt.settings,
            max_bytes=MAX_ANSWER_BYTES,
            timeout=ANSWER_TIMEOUT,
        )
        heard = transcriber("answers").transcribe(telephone_pcm(body), grammar=grammar)
    except RecordingProblem as problem:
        log.warning("spoken answer not recognised: %s", problem.code)
        return ev.NoInput()
    except CarelineError as exc:
        log.warning("spoken answer not recognised: %s", exc.error_id)
        return ev.NoInput()
    return speech_event(heard, grammar)


# ---------------------------------------------------------------- voicemail


def enqueue_voicemail(rt: Runtime, *, call_sid: str, params: dict[str, str]) -> str | None:
    """Schedule the transcription of a voicemail just recorded; returns the job id.

    Only for a call waiting at a voicemail node that asks for a transcript, with
    a non-empty recording. Scheduled once per recording (a retried webhook
    finds the same job).
    """
    url = params.get("RecordingUrl", "")[:500]
    recording_sid = params.get("RecordingSid", "")[:64]
    if not url or _int(params.get("RecordingDuration")) == 0:
        return None
    call = _call(rt, call_sid)
    if call is None:
        return None
    state = CallState.from_dict(call.state)
    if state.waiting_for != "record":
        return None
    node = _node(rt, call, state)
    if not isinstance(node, VoicemailNode) or not node.transcribe:
        return None
    if not onprem_language(state.language):
        from careline.telephony import voice

        voice.voicemail_untranscribed(
            rt,
            call_sid=call_sid,
            recording_sid=recording_sid,
            reason="language-not-supported",
            source="pocketsphinx",
        )
        return None
    job = jobs.schedule(
        rt,
        kind=TRANSCRIBE_JOB,
        payload={
            "call_sid": call_sid[:64],
            "recording_sid": recording_sid,
            "recording_url": url,
            "account_sid": _account_sid(rt, params),
        },
        due_at=rt.clock.now(),
        dedupe_key=f"voicemail-transcribe:{recording_sid or call_sid}"[:200],
        max_attempts=JOB_ATTEMPTS,
    )
    return job.id


def transcribe_voicemail_job(rt: Runtime, payload: dict[str, Any]) -> None:
    """Download, transcribe, triage and file one voicemail (idempotent)."""
    from careline.telephony import voice

    call_sid = str(payload.get("call_sid") or "")
    url = str(payload.get("recording_url") or "")
    recording_sid = str(payload.get("recording_sid") or "")
    account_sid = str(payload.get("account_sid") or rt.settings.twilio_account_sid or "")
    if not call_sid or not url:
        raise PermanentFailure("bad-payload")
    if not account_sid:
        raise PermanentFailure("no-account-sid")
    try:
        pcm = telephone_pcm(
            download_recording(
                url,
                account_sid=account_sid,
                auth_token=rt.settings.webhook_auth_token,
                settings=rt.settings,
            )
        )
    except RecordingProblem as problem:
        raise RetryLater(problem.code) from None
    try:
        heard = transcriber("voicemail").transcribe(pcm)
    except CarelineError as exc:  # the model failed to load, or refused the audio
        raise RetryLater(exc.error_id) from None
    if heard.text.strip():
        voice.voicemail_transcribed(
            rt,
            call_sid=call_sid,
            text=heard.text.strip(),
            recording_sid=recording_sid,
            source="pocketsphinx",
        )
    else:
        voice.voicemail_untranscribed(
            rt,
            call_sid=call_sid,
            recording_sid=recording_sid,
            reason="no-words-heard",
            source="pocketsphinx",
        )


def transcript_unavailable(rt: Runtime, payload: dict[str, Any], code: str) -> None:
    """The job gave up: say so on the call's timeline, so staff listen to the recording."""
    from careline.telephony import voice

    voice.voicemail_untranscribed(
        rt,
        call_sid=str(payload.get("call_sid") or ""),
        recording_sid=str(payload.get("recording_sid") or ""),
        reason=code,
        source="pocketsphinx",
    )


def register_jobs(registry: Registry) -> None:
    registry.register(TRANSCRIBE_JOB, transcribe_voicemail_job, on_give_up=transcript_unavailable)
