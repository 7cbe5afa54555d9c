"""Turning the flow engine's abstract actions into TwiML (with the `twilio` library).

Pure: given actions and the webhook paths, return the document. Queue names
carry department, priority, language and location, so careline's agents can
take the highest priority first from plain provider queues.

Speech is recognised by the provider (`<Gather input="speech">`, `<Record
transcribe>`) unless the install transcribes on premises (`speech="pocketsphinx"`,
see `careline.telephony.onprem_speech`): then a spoken answer is a short
`<Record>` careline downloads and recognises itself, and voicemails are recorded
without the provider's transcription.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from careline.flows import actions as act

#: Say/Gather language tags by careline language.
VOICE_LANGUAGES = {"en": "en-US", "es": "es-US"}

#: Who turns speech into words (`Settings.speech_transcriber`).
SpeechTranscriber = Literal["provider", "pocketsphinx"]
#: Languages the on-premise recogniser can hear (the pocketsphinx wheel ships US English only).
ONPREM_SPEECH_LANGUAGES = frozenset({"en"})
#: A spoken answer recorded for on-premise recognition: at most this long, and it ends after
#: this much silence (a menu answer is a few words).
ANSWER_MAX_SECONDS = 6
ANSWER_SILENCE_SECONDS = 3
#: With on-premise speech the keypad Gather around the prompts waits only this long: the
#: <Record> right after it does the listening (and a key pressed there ends it, as Digits).
KEYPAD_WAIT_SECONDS = 1


@dataclass(frozen=True)
class VoicePaths:
    """Where the provider reports what happened next (relative to the voice URL)."""

    gather: str = "/telephony/voice/gather"
    no_input: str = "/telephony/voice/no-input"
    dial_status: str = "/telephony/voice/dial-status"
    queue_status: str = "/telephony/voice/queue-status"
    queue_wait: str = "/telephony/voice/queue-wait"
    queue_leave: str = "/telephony/voice/queue-leave"
    recording: str = "/telephony/voice/recording"
    transcription: str = "/telephony/voice/transcription"
    whisper: str = "/telephony/voice/whisper"
    speech: str = "/telephony/voice/speech"

    def at_version(self, version: str) -> VoicePaths:
        """The caller-input paths bound to the call's state (`?v=`): the provider signs
        the whole URL, so a replayed answer to an earlier prompt names an earlier state
        and is answered without a step (issue 11, item 8)."""
        return replace(
            self,
            gather=f"{self.gather}?v={version}",
            no_input=f"{self.no_input}?v={version}",
            speech=f"{self.speech}?v={version}",
        )


PATHS = VoicePaths()


def state_version(state: Mapping[str, object]) -> str:
    """A short fingerprint of a call's stored state, for `VoicePaths.at_version`."""
    canonical = json.dumps(state, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def voice_language(language: str) -> str:
    base = language.split("-", 1)[0].lower()
    return VOICE_LANGUAGES.get(base, "en-US")


def queue_name(action: act.Enqueue) -> str:
    """e.g. `scheduling.urgent.es@<location id>` (no PHI: ids and codes only)."""
    where = action.location_id or "network"
    return f"{action.department}.{action.priority}.{action.language}@{where}"


def parse_queue_name(name: str) -> tuple[str, str, str, str]:
    """(department, priority, language, location) back from `queue_name`."""
    head, _, where = name.partition("@")
    department, priority, language = [*head.split("."), "", "", ""][:3]
    return department, priority, language, where


def _dial_target(dial: Dial, target: str, whisper: str | None) -> None:
    if target.lower().startswith(("sip:", "sips:")):
        dial.sip(target)
    else:
        dial.number(target, url=whisper)


def _prompts(target: VoiceResponse | Gather, prompts: Sequence[act.Say | act.Play]) -> None:
    for prompt in prompts:
        if isinstance(prompt, act.Say):
            target.say(prompt.text, language=voice_language(prompt.language))
        else:
            target.play(prompt.url)


def _onprem_gather(vr: VoiceResponse, action: act.Gather, paths: VoicePaths) -> None:
    """A speech-capable Gather when the provider does not transcribe.

    The prompts play inside a keypad-only Gather (a key still interrupts them), then a
    short silent <Record> takes the spoken answer to `paths.speech`. An empty
    recording is not posted by the provider: the call goes on to the no-input
    redirect. A language the on-premise model cannot hear gets the keypad only.
    """
    keypad = "dtmf" in action.input
    if action.language.split("-", 1)[0].lower() not in ONPREM_SPEECH_LANGUAGES:
        gather = Gather(
            action=paths.gather,
            method="POST",
            input="dtmf",
            timeout=action.timeout_seconds,
            num_digits=action.num_digits,
            action_on_empty_result=False,
        )
        _prompts(gather, action.prompts)
        vr.append(gather)
        vr.redirect(paths.no_input, method="POST")
        return
    if keypad:
        gather = Gather(
            action=paths.gather,
            method="POST",
            input="dtmf",
            timeout=KEYPAD_WAIT_SECONDS,
            num_digits=action.num_digits,
            action_on_empty_result=False,
        )
        _prompts(gather, action.prompts)
        vr.append(gather)
    else:
        _prompts(vr, action.prompts)
    vr.record(
        action=paths.speech,
        method="POST",
        max_length=ANSWER_MAX_SECONDS,
        timeout=ANSWER_SILENCE_SECONDS,
        play_beep=False,
        trim="trim-silence",
    )
    vr.redirect(paths.no_input, method="POST")


def render(
    actions: Sequence[act.Action],
    paths: VoicePaths = PATHS,
    *,
    speech: SpeechTranscriber = "provider",
) -> str:
    """The TwiML document for one step's actions (Log actions are not rendered).

    `speech` is `Settings.speech_transcriber`: who recognises callers' speech.
    """
    vr = VoiceResponse()
    for action in actions:
        if isinstance(action, act.Say):
            vr.say(action.text, language=voice_language(action.language))
        elif isinstance(action, act.Play):
            vr.play(action.url)
        elif isinstance(action, act.Gather) and (
            speech == "pocketsphinx" and "speech" in action.input
        ):
            _onprem_gather(vr, action, paths)
        elif isinstance(action, act.Gather):
            gather = Gather(
                action=paths.gather,
                method="POST",
                input=" ".join(action.input),
                timeout=action.timeout_seconds,
                language=voice_language(action.language),
                hints=", ".join(action.hints) if action.hints else None,
                num_digits=action.num_digits,
                action_on_empty_result=False,
            )
            _prompts(gather, action.prompts)
            vr.append(gather)
            vr.redirect(paths.no_input, method="POST")
        elif isinstance(action, act.Enqueue):
            vr.enqueue(
                queue_name(action),
                action=paths.queue_status,
                method="POST",
                wait_url=paths.queue_wait,
                wait_url_method="POST",
            )
        elif isinstance(action, act.Dial):
            dial = Dial(action=paths.dial_status, method="POST", timeout=action.timeout_seconds)
            _dial_target(dial, action.target, paths.whisper if action.mode == "warm" else None)
            vr.append(dial)
        elif isinstance(action, act.Record):
            # On premises, careline downloads and transcribes the recording itself.
            by_provider = action.transcribe and speech == "provider"
            vr.record(
                action=paths.recording,
                method="POST",
                max_length=action.max_seconds,
                play_beep=True,
                transcribe=by_provider,
                transcribe_callback=paths.transcription if by_provider else None,
            )
        elif isinstance(action, act.Hangup):
            vr.hangup()
    return str(vr)


def say_and_hang_up(text: str, language: str = "en") -> str:
    vr = VoiceResponse()
    vr.say(text, language=voice_language(language))
    vr.hangup()
    return str(vr)
