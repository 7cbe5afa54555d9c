"""Turning the flow engine's abstract actions into TwiML (with the `twilio` library).

Pure: given actions and the webhook paths, return the document. Queue names
carry department, priority, language and location, so careline's agents can
take the highest priority first from plain provider queues.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from careline.flows import actions as act

#: Say/Gather language tags by careline language.
VOICE_LANGUAGES = {"en": "en-US", "es": "es-US"}


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


PATHS = VoicePaths()


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


def render(actions: Sequence[act.Action], paths: VoicePaths = PATHS) -> str:
    """The TwiML document for one step's actions (Log actions are not rendered)."""
    vr = VoiceResponse()
    for action in actions:
        if isinstance(action, act.Say):
            vr.say(action.text, language=voice_language(action.language))
        elif isinstance(action, act.Play):
            vr.play(action.url)
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
            for prompt in action.prompts:
                if isinstance(prompt, act.Say):
                    gather.say(prompt.text, language=voice_language(prompt.language))
                else:
                    gather.play(prompt.url)
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
            vr.record(
                action=paths.recording,
                method="POST",
                max_length=action.max_seconds,
                play_beep=True,
                transcribe=action.transcribe,
                transcribe_callback=paths.transcription if action.transcribe else None,
            )
        elif isinstance(action, act.Hangup):
            vr.hangup()
    return str(vr)


def say_and_hang_up(text: str, language: str = "en") -> str:
    vr = VoiceResponse()
    vr.say(text, language=voice_language(language))
    vr.hangup()
    return str(vr)
