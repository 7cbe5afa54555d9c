"""The fallback plan: what callers get when careline itself is failing.

A provider calls this URL when the primary voice webhook errors or times out
("primary handler fails"). It needs no database: a static, safe plan answers.
Emergency guidance first; keypad 1 or urgent words (careline's triage, read
from its lexicon files) go to the configured on-call number; everyone else
leaves a voicemail, which is spooled to disk encrypted with the PHI key until
the database is back; then `telephony.spool_import` files them (at once when
`careline serve` sees the database again, or `careline voicemail import-spool`).
"""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from careline.core.settings import Settings
from careline.security.crypto import PhiCipher
from careline.triage.service import classify_words

log = logging.getLogger("careline.telephony.fallback")

BASE = "/telephony/voice/fallback"

GREETING = (
    "Thank you for calling. If this is a medical emergency, hang up and dial 9 1 1. "
    "If you are thinking about harming yourself, call or text 9 8 8. "
    "For an urgent medical problem, press 1 or tell us briefly what is wrong. "
    "To leave a message, stay on the line."
)
CONNECTING = "Connecting you to the clinician on call."
VOICEMAIL = "Please leave your name, number and a short message after the tone."
THANKS = "Thank you. We will call you back as soon as we can. Goodbye."


def _voicemail(vr: VoiceResponse) -> str:
    vr.say(VOICEMAIL)
    vr.record(
        action=f"{BASE}?step=recorded",
        method="POST",
        max_length=180,
        play_beep=True,
        transcribe=True,
        transcribe_callback=f"{BASE}?step=transcribed",
    )
    return str(vr)


def answer(step: str, params: dict[str, str], settings: Settings, cipher: PhiCipher) -> str:
    """The TwiML for one step of the fallback plan (pure but for the spool write)."""
    vr = VoiceResponse()
    if step == "start":
        gather = Gather(
            action=f"{BASE}?step=choice",
            method="POST",
            input="dtmf speech",
            num_digits=1,
            timeout=6,
            language="en-US",
            hints="chest pain, breathing, bleeding, urgent",
        )
        gather.say(GREETING)
        vr.append(gather)
        vr.redirect(f"{BASE}?step=voicemail", method="POST")
        return str(vr)
    if step == "choice":
        digits = params.get("Digits", "").strip()
        speech = params.get("SpeechResult", "").strip()
        urgent = digits == "1"
        if speech and not urgent:
            urgency, _ = classify_words(speech, "en")
            urgent = urgency in ("emergency", "urgent")
        if urgent and settings.fallback_oncall_number:
            vr.say(CONNECTING)
            dial = Dial(action=f"{BASE}?step=dialled", method="POST", timeout=30)
            dial.number(settings.fallback_oncall_number)
            vr.append(dial)
            return str(vr)
        return _voicemail(vr)
    if step == "dialled":
        if params.get("DialCallStatus") in ("completed", "answered"):
            vr.hangup()
            return str(vr)
        return _voicemail(vr)
    if step == "voicemail":
        return _voicemail(vr)
    if step in ("recorded", "transcribed"):
        spool(settings, cipher, step, params)
        if step == "recorded":
            vr.say(THANKS)
            vr.hangup()
        return str(vr)
    vr.redirect(f"{BASE}?step=start", method="POST")
    return str(vr)


def spool(settings: Settings, cipher: PhiCipher, step: str, params: dict[str, str]) -> Path:
    """Keep what the database could not: caller, recording and transcript, encrypted."""
    record = {
        "call_sid": params.get("CallSid", ""),
        "step": step,
        "received_at": datetime.now(UTC).isoformat(),
        "from": params.get("From", ""),
        "to": params.get("To", ""),
        "recording_url": params.get("RecordingUrl", ""),
        "recording_seconds": params.get("RecordingDuration", ""),
        "transcript": params.get("TranscriptionText", ""),
    }
    path = spool_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"sealed": cipher.encrypt(json.dumps(record))})
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as fh:
        fh.write(line + "\n")
    log.warning("fallback plan spooled a voicemail %s", step)
    return path


def spool_path(settings: Settings) -> Path:
    return settings.spool_dir / "voicemail.jsonl"


def read_spool(settings: Settings, cipher: PhiCipher) -> list[dict[str, str]]:
    path = spool_path(settings)
    if not path.exists():
        return []
    return [
        json.loads(cipher.decrypt(json.loads(line)["sealed"]))
        for line in path.read_text().splitlines()
        if line.strip()
    ]
