"""The voice edge's side of the agent desk: ringing the agent careline chose for a
waiting caller, and reporting what happened on the agent's leg.

A waiting caller leaves the provider queue (`<Leave/>`, see `voice.queue_wait`)
when `careline.desk` has reserved an agent for them; the Enqueue's action then
answers with a `<Dial>` to that agent. The agent's leg requests
`agent-answer` when they pick up (a whisper tells them the queue, never PHI), and
the caller's leg requests `agent-status` when the Dial ends: answered calls go to
wrap-up; a missed ring rings the next free agent at once, or puts the caller back
in line with their place kept.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select
from twilio.twiml.voice_response import Dial, VoiceResponse

from careline.core.db import transaction
from careline.core.errors import CarelineError
from careline.desk import service as desk
from careline.desk.model import RING_SECONDS, EntryFacts, Offer, whisper_text
from careline.flows import actions as act
from careline.flows import events as ev
from careline.runtime import Runtime
from careline.telephony.render import PATHS, queue_name
from careline.telephony.tables import VoiceCallRow
from careline.timeline import service as timeline

log = logging.getLogger("careline.telephony")

AGENT_ANSWER = "/telephony/voice/agent-answer"
AGENT_STATUS = "/telephony/voice/agent-status"


def track_queues(
    rt: Runtime, call_sid: str, actions: Sequence[act.Action], home_location_id: str | None
) -> None:
    """The flow put the caller in line: the desk starts matching them to agents."""
    for action in actions:
        if isinstance(action, act.Enqueue):
            desk.enqueue(
                rt,
                call_sid=call_sid,
                department=action.department,
                priority=action.priority,
                language=action.language,
                location_id=action.location_id,
                home_location_id=home_location_id,
            )


def _interaction(rt: Runtime, call_sid: str) -> str | None:
    with transaction(rt.sessions) as s:
        return s.execute(
            select(VoiceCallRow.interaction_id).where(VoiceCallRow.call_sid == call_sid)
        ).scalar_one_or_none()


def _event(rt: Runtime, call_sid: str, kind: str, data: dict[str, object]) -> None:
    from careline.telephony.voice import VOICE

    interaction_id = _interaction(rt, call_sid)
    if interaction_id is None:
        return
    try:
        timeline.append_event(
            rt, actor=VOICE, interaction_id=interaction_id, kind=kind, data=data, at=rt.clock.now()
        )
    except CarelineError as exc:  # the timeline must never drop a call
        log.warning("timeline event refused: %s", exc.error_id)


def dial_agent(offer: Offer) -> str:
    """Ring the chosen agent; the whisper on their leg marks the answer."""
    vr = VoiceResponse()
    dial = Dial(
        action=f"{AGENT_STATUS}?entry={offer.entry_id}", method="POST", timeout=RING_SECONDS
    )
    whisper = f"{AGENT_ANSWER}?entry={offer.entry_id}"
    if offer.endpoint.lower().startswith(("sip:", "sips:")):
        dial.sip(offer.endpoint, url=whisper)
    else:
        dial.number(offer.endpoint, url=whisper)
    vr.append(dial)
    return str(vr)


def back_in_line(entry: EntryFacts) -> str:
    """The caller returns to their queue (the desk kept their place)."""
    vr = VoiceResponse()
    vr.enqueue(
        queue_name(
            act.Enqueue(entry.department, entry.priority, entry.language or "en", entry.location_id)
        ),
        action=PATHS.queue_status,
        method="POST",
        wait_url=PATHS.queue_wait,
        wait_url_method="POST",
    )
    return str(vr)


def _offered(rt: Runtime, offer: Offer, *, after_miss: bool) -> None:
    _event(
        rt,
        offer.call_sid,
        "agent.offered",
        {
            "staff_id": offer.staff_id,
            "department": offer.department,
            "priority": offer.priority,
            "location_id": offer.location_id,
            "interpreter": offer.interpreter,
            "overflow": offer.overflow,
            "after_missed_offer": after_miss,
        },
    )


def connect(rt: Runtime, call_sid: str) -> str:
    """The caller left the queue for an agent (QueueResult=leave): ring them."""
    offer = desk.current_offer(rt, call_sid=call_sid)
    if offer is not None:
        _offered(rt, offer, after_miss=False)
        return dial_agent(offer)
    entry = desk.entry_facts(rt, call_sid=call_sid)
    if entry is None:  # cannot happen unless the database lost the entry: never drop
        vr = VoiceResponse()
        vr.redirect(PATHS.no_input, method="POST")
        return str(vr)
    desk.enqueue(
        rt,
        call_sid=call_sid,
        department=entry.department,
        priority=entry.priority,
        language=entry.language,
        location_id=entry.location_id,
        home_location_id=entry.home_location_id,
    )
    return back_in_line(entry)


def agent_answered(rt: Runtime, *, entry_id: str) -> str:
    """The agent picked up: tell them the queue; the caller is bridged after this."""
    vr = VoiceResponse()
    connected = desk.answered(rt, entry_id=entry_id)
    if connected is None:
        vr.say("The caller is no longer waiting. Goodbye.")
        vr.hangup()
        return str(vr)
    _event(
        rt,
        connected.call_sid,
        "agent.connected",
        {
            "staff_id": connected.staff_id,
            "waited_seconds": connected.waited_seconds,
            "department": connected.department,
            "priority": connected.priority,
            "interpreter": connected.interpreter,
            "overflow": connected.overflow,
        },
    )
    vr.say(whisper_text(connected))
    return str(vr)


def agent_dial_ended(rt: Runtime, hook_params: dict[str, str], *, entry_id: str) -> str | None:
    """The Dial to an agent ended. Returns the caller's next TwiML, or None when the
    call was answered (the flow then records the hand-off, see the route)."""
    end = desk.dial_ended(rt, entry_id=entry_id)
    status = hook_params.get("DialCallStatus", "")[:20]
    if end.answered:
        _event(
            rt,
            end.call_sid,
            "agent.call_ended",
            {"staff_id": end.staff_id, "talk_seconds": _int(hook_params.get("DialCallDuration"))},
        )
        return None
    if end.entry is None:  # the caller is gone
        vr = VoiceResponse()
        vr.hangup()
        return str(vr)
    _event(rt, end.call_sid, "agent.missed", {"staff_id": end.staff_id, "provider_status": status})
    if end.next_offer is not None:
        _offered(rt, end.next_offer, after_miss=True)
        return dial_agent(end.next_offer)
    return back_in_line(end.entry)


def answered_event() -> ev.QueueResult:
    return ev.QueueResult(ev.QueueOutcome.answered)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
