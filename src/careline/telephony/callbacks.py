"""The provider's side of a call back from the worklist (`worklist.callback`).

careline rang the staff member's phone from the clinic's number; when they answer,
the provider asks `call-back` what to do: connect them to the patient, with the
clinic's number as the caller id. When that leg ends, `call-back-status` records
how it went. Both are signed webhooks; the `leg` query names the outbound
interaction (an id, never PHI), and the number to dial is read from its encrypted
first event, so it never travels in a URL.
"""

from __future__ import annotations

import logging

from twilio.twiml.voice_response import Dial, VoiceResponse

from careline.core.errors import CarelineError
from careline.directory import service as directory
from careline.runtime import Runtime
from careline.security.model import system_actor
from careline.timeline import service as timeline
from careline.worklist.callback import DIALLING

log = logging.getLogger("careline.telephony")
ACTOR = system_actor("voice-callback")
STATUS_PATH = "/telephony/voice/call-back-status"
CONNECTING = "Connecting you to the patient for your call back."
GONE = "This call back has already ended. Goodbye."


def staff_answered(rt: Runtime, *, leg: str) -> str:
    """TwiML for the staff member who picked up: dial the patient from the clinic's line."""
    vr = VoiceResponse()
    try:
        interaction = timeline.get_interaction(rt, actor=ACTOR, interaction_id=leg)
    except CarelineError:
        log.warning("call-back webhook for an unknown leg")
        vr.say(GONE)
        vr.hangup()
        return str(vr)
    dialling = next((e for e in interaction.events if e.kind == DIALLING), None)
    location = (
        directory.get_location(rt, location_id=interaction.location_id)
        if interaction.location_id
        else None
    )
    if interaction.status != "open" or dialling is None or not dialling.text or location is None:
        vr.say(GONE)
        vr.hangup()
        return str(vr)
    if not any(e.kind == "callback.connecting" for e in interaction.events):
        timeline.append_event(rt, actor=ACTOR, interaction_id=leg, kind="callback.connecting")
    vr.say(CONNECTING)
    dial = Dial(
        caller_id=location.main_phone,
        action=f"{STATUS_PATH}?leg={leg}",
        method="POST",
        timeout=30,
    )
    dial.number(dialling.text)
    vr.append(dial)
    return str(vr)


def bridge_ended(rt: Runtime, *, leg: str, dial_status: str, seconds: str | None) -> str:
    """The patient's leg ended: record whether they answered, and end the interaction."""
    answered = dial_status in ("completed", "answered")
    try:
        interaction = timeline.get_interaction(rt, actor=ACTOR, interaction_id=leg)
    except CarelineError:
        interaction = None
    if interaction is not None and interaction.status == "open":
        timeline.append_event(
            rt,
            actor=ACTOR,
            interaction_id=leg,
            kind="callback.completed" if answered else "callback.unanswered",
            data={"dial_status": dial_status[:20], "seconds": (seconds or "")[:8]},
        )
        timeline.end_interaction(
            rt, actor=ACTOR, interaction_id=leg, status="completed" if answered else "no-answer"
        )
    vr = VoiceResponse()
    if not answered:
        vr.say("The patient did not answer. The task is still yours on the worklist.")
    vr.hangup()
    return str(vr)
