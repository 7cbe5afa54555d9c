"""Voice use cases: the provider's webhooks drive the flow engine, one step each.

Each webhook: replay the stored answer when the provider retries (same
`I-Twilio-Idempotency-Token`), load the call's state, run one engine step,
store the new state and the answer in one transaction, then write the step's
`Log` actions to the caller's timeline and answer with TwiML. The state holds
no PHI; what a caller said only reaches the timeline, encrypted.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careline.core.db import transaction, unit_of_work
from careline.core.errors import CarelineError, NotFound
from careline.core.phone import InvalidPhoneNumber, to_e164
from careline.desk import service as desk
from careline.flows import actions as act
from careline.flows import events as ev
from careline.flows import service as flows
from careline.flows.engine import CallerFacts, CallState, StepContext, step
from careline.flows.model import FlowDocument
from careline.patients import service as patients
from careline.runtime import Runtime
from careline.security.model import system_actor
from careline.telephony import agent_legs, identify
from careline.telephony.render import PATHS, render, say_and_hang_up, state_version
from careline.telephony.tables import VoiceCallRow, WebhookReceiptRow
from careline.timeline import service as timeline
from careline.timeline.model import Channel, Direction, NewEvent
from careline.triage.service import classify_words, spoken_language

log = logging.getLogger("careline.telephony")
VOICE = system_actor("voice")

NOT_IN_SERVICE = "We're sorry, this number is not in service. Goodbye."
TROUBLE = (
    "We're sorry, we are having trouble. If this is an emergency, hang up and dial 911. "
    "Please call again shortly."
)


@dataclass(frozen=True)
class Webhook:
    """A verified provider request (see `signature.verify`)."""

    params: dict[str, str]
    token: str | None
    #: The `?v=` of a caller-input URL: the call state its prompt was rendered for.
    version: str | None = None

    @property
    def call_sid(self) -> str:
        sid = self.params.get("CallSid", "")
        if not sid or len(sid) > 64:
            raise CarelineError("The request has no valid CallSid.", error_id="no-call-sid")
        return sid


#: Webhooks that carry what the caller pressed or said.
CALLER_INPUT_PATHS = frozenset({"gather", "no-input", "speech"})
HANG_UP = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup /></Response>'


def _render(rt: Runtime, actions: Sequence[act.Action], state: CallState) -> str:
    """A step's TwiML, its input URLs bound to the state it leaves the call in."""
    paths = PATHS.at_version(state_version(state.to_dict()))
    return render(actions, paths, speech=rt.settings.speech_transcriber)


def _replayed(s: Session, token: str | None) -> str | None:
    if not token:
        return None
    row = s.get(WebhookReceiptRow, token)
    return row.response if row is not None else None


def _keep_receipt(s: Session, rt: Runtime, token: str | None, path: str, response: str) -> None:
    if token:
        s.add(
            WebhookReceiptRow(
                token=token[:128], path=path, response=response, received_at=rt.clock.now()
            )
        )


def _caller_ids(rt: Runtime, from_number: str) -> list[str]:
    """Every patient the caller's number belongs to (theirs, or a caregiver's on file)."""
    try:
        e164 = to_e164(from_number, default_region=rt.settings.default_region)
    except InvalidPhoneNumber:
        return []  # withheld or malformed caller id: an unknown caller
    return list(dict.fromkeys(patients.match_caller(rt, phone_e164=e164)))


def _facts_of(rt: Runtime, patient_id: str | None) -> CallerFacts:
    if patient_id is None:
        return CallerFacts()
    patient = patients.get_patient(rt, actor=VOICE, patient_id=patient_id)
    return CallerFacts(
        known=True,
        patient_id=patient.id,
        home_location_id=patient.home_location_id,
        preferred_language=patient.preferred_language,
    )


def _context(rt: Runtime, location_id: str | None, caller: CallerFacts) -> StepContext:
    facts = flows.CalendarFacts(rt)
    return StepContext(
        now=rt.clock.now(),
        is_open=facts.is_open,
        is_holiday=facts.is_holiday,
        classify=classify_words,
        spoken_language=spoken_language,
        caller=caller,
        location_id=location_id,
        timezone=facts.timezone(location_id) if location_id else "UTC",
    )


def _record_logs(
    rt: Runtime, interaction_id: str | None, actions: Sequence[act.Action], at: datetime
) -> None:
    if interaction_id is None:
        return
    # One step's events in one write and one audit entry (issue 14); an event that
    # fails its checks is left out (and logged): a bad event must not drop the call.
    new = [NewEvent(a.kind, a.data, a.text) for a in actions if isinstance(a, act.Log)]
    if new:
        timeline.append_events(rt, actor=VOICE, interaction_id=interaction_id, new=new, at=at)


def _queue_callbacks(
    rt: Runtime,
    call_sid: str,
    caller_number: str | None,
    location_id: str | None,
    patient_id: str | None,
    interaction_id: str | None,
    actions: Sequence[act.Action],
    at: datetime,
) -> None:
    """A caller who chose a call back keeps their place: a front-desk task, due when the
    location next opens, and the number to call on the timeline (encrypted)."""
    from careline.directory import service as directory
    from careline.worklist import service as worklist
    from careline.worklist.model import TaskKind

    for action in actions:
        if not isinstance(action, act.ScheduleCallback):
            continue
        where = action.location_id or location_id
        next_open = directory.location_next_open(rt, location_id=where, at=at) if where else None
        worklist.create_task(
            rt,
            kind=TaskKind.callback_request,
            patient_id=patient_id,
            appointment_id=None,
            location_id=where,
            dedupe_key=f"callback:{call_sid}",
            interaction_id=interaction_id,
        )
        if interaction_id:
            timeline.append_event(
                rt,
                actor=VOICE,
                interaction_id=interaction_id,
                kind="callback.queued",
                data={
                    "department": action.department,
                    "priority": action.priority,
                    "language": action.language,
                    "call_back_from": (next_open or at).isoformat(),
                },
                text=f"Call back at {caller_number}" if caller_number else None,
                at=at,
            )


def incoming_call(rt: Runtime, hook: Webhook) -> str:
    """A new call: find the number's flow and the caller, open the timeline, run the flow."""
    sid = hook.call_sid
    with transaction(rt.sessions) as s:
        replay = _replayed(s, hook.token)
        existing = s.execute(
            select(VoiceCallRow.last_response).where(VoiceCallRow.call_sid == sid)
        ).scalar_one_or_none()
    if replay is not None:
        return replay
    if existing is not None:
        return existing
    to_number, from_number = hook.params.get("To", ""), hook.params.get("From", "")
    try:
        live = flows.flow_for_number(rt, number=to_number)
    except (NotFound, InvalidPhoneNumber):
        return say_and_hang_up(NOT_IN_SERVICE)
    everyone = _caller_ids(rt, from_number)
    # A shared number is asked who is calling (only where the provider hears speech,
    # so the question itself still hears an emergency); otherwise one match is the caller.
    asking = len(everyone) > 1 and rt.settings.speech_transcriber == "provider"
    caller = _facts_of(rt, everyone[0] if len(everyone) == 1 else None)
    location_id = live.binding.location_id
    now = rt.clock.now()
    interaction = timeline.start_interaction(
        rt,
        actor=VOICE,
        channel=Channel.voice,
        direction=Direction.inbound,
        patient_id=caller.patient_id,
        location_id=location_id,
        external_ref=sid,
        at=now,
    )
    progress = identify.Progress(tuple(everyone)) if asking else None
    if progress is not None:
        response = identify.ask(progress)
        state = CallState()
        status, result = "identifying", None
    else:
        result = step(
            live.document,
            CallState(),
            ev.CallStarted(from_number, to_number),
            _context(rt, location_id, caller),
        )
        response = _render(rt, result.actions, result.state)
        state, status = result.state, result.state.status
    try:
        # One unit of work (issue 11, item 28): the call, its stored answer, its
        # timeline events, a call-back task and its desk entry, together or not at all.
        with unit_of_work(rt.sessions):
            with transaction(rt.sessions) as s:
                s.add(
                    VoiceCallRow(
                        call_sid=sid,
                        flow_id=live.flow_id,
                        flow_version=live.version,
                        location_id=location_id,
                        interaction_id=interaction.id,
                        patient_id=caller.patient_id,
                        state=state.to_dict(),
                        status=status,
                        identify=progress.to_dict() if progress else None,
                        last_response=response,
                        started_at=now,
                        updated_at=now,
                    )
                )
                _keep_receipt(s, rt, hook.token, "incoming", response)
                s.flush()  # a second delivery of the same call fails here
            if result is None:
                _record_logs(
                    rt,
                    interaction.id,
                    [act.Log("caller.shared_number", {"candidates": len(everyone)})],
                    now,
                )
            else:
                _record_logs(rt, interaction.id, result.actions, now)
                _queue_callbacks(
                    rt,
                    sid,
                    from_number,
                    location_id,
                    caller.patient_id,
                    interaction.id,
                    result.actions,
                    now,
                )
                agent_legs.track_queues(rt, sid, result.actions, caller.home_location_id)
    except IntegrityError:  # the same call arrived twice at once: answer like the first
        with transaction(rt.sessions) as s:
            return s.execute(
                select(VoiceCallRow.last_response).where(VoiceCallRow.call_sid == sid)
            ).scalar_one()
    return response


def identify_caller(rt: Runtime, hook: Webhook) -> str:
    """The caller's answer to "who is the patient?" (see `careline.telephony.identify`):
    ask again, or start the flow as the patient found, or as unverified."""
    sid = hook.call_sid
    with transaction(rt.sessions) as s:
        replay = _replayed(s, hook.token)
        call = s.execute(
            select(VoiceCallRow).where(VoiceCallRow.call_sid == sid)
        ).scalar_one_or_none()
    if replay is not None:
        return replay
    if call is None:
        log.warning("identify webhook for an unknown call")
        return say_and_hang_up(TROUBLE)
    if call.identify is None:
        return call.last_response  # already decided: a late or repeated answer
    progress = identify.Progress.from_dict(call.identify)
    digits = "".join(ch for ch in hook.params.get("Digits", "") if ch.isdigit())[:8]
    speech = hook.params.get("SpeechResult", "").strip()[:1000]
    matches: list[str] | None = None
    if digits and not speech:
        key = "birth_digits" if progress.stage == "birth_date" else "name_digits"
        matches = patients.identify_caller(
            rt, patient_ids=list(progress.candidates), **{key: digits}
        )
    decision = identify.decide(progress, digits=digits, speech=speech, matches=matches)
    now = rt.clock.now()
    if decision.progress is not None:
        response = identify.ask(decision.progress, retry=decision.retry)
        with transaction(rt.sessions) as s:
            row = s.execute(
                select(VoiceCallRow).where(VoiceCallRow.call_sid == sid).with_for_update()
            ).scalar_one()
            row.identify = decision.progress.to_dict()
            row.last_response = response
            row.updated_at = now
            _keep_receipt(s, rt, hook.token, "identify", response)
        return response
    caller = _facts_of(rt, decision.patient_id)
    if decision.patient_id is not None and call.interaction_id is not None:
        timeline.link_patient(
            rt, actor=VOICE, interaction_id=call.interaction_id, patient_id=decision.patient_id
        )
    document = _document(rt, call)
    context = _context(rt, call.location_id, caller)
    result = step(
        document,
        CallState(),
        ev.CallStarted(hook.params.get("From", ""), hook.params.get("To", "")),
        context,
    )
    actions = [
        act.Log(
            "caller.identified" if decision.patient_id else "caller.unverified",
            {"by": decision.verified_by} if decision.verified_by else {},
        ),
        *result.actions,
    ]
    if decision.speech:
        # Words said instead of digits: the flow's first prompt hears them (triage first).
        result = step(document, result.state, ev.Speech(decision.speech), context)
        actions += result.actions
    response = _render(rt, result.actions, result.state)
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(VoiceCallRow).where(VoiceCallRow.call_sid == sid).with_for_update()
        ).scalar_one()
        row.identify = None
        row.patient_id = decision.patient_id
        row.state = result.state.to_dict()
        row.status = result.state.status
        row.last_response = response
        row.updated_at = now
        _keep_receipt(s, rt, hook.token, "identify", response)
    _record_logs(rt, call.interaction_id, actions, now)
    _queue_callbacks(
        rt,
        sid,
        hook.params.get("From"),
        call.location_id,
        decision.patient_id,
        call.interaction_id,
        actions,
        now,
    )
    agent_legs.track_queues(rt, sid, actions, caller.home_location_id)
    return response


def _document(rt: Runtime, call: VoiceCallRow) -> FlowDocument:
    # The call keeps the version it started with, even if a new one is published.
    return flows.version_document(rt, flow_id=call.flow_id, number=call.flow_version)


def call_event(rt: Runtime, hook: Webhook, event: ev.CallEvent, path: str) -> str:
    """A later webhook of a known call: one engine step."""
    sid = hook.call_sid
    with transaction(rt.sessions) as s:
        replay = _replayed(s, hook.token)
        call = s.execute(
            select(VoiceCallRow).where(VoiceCallRow.call_sid == sid)
        ).scalar_one_or_none()
    if replay is not None:
        return replay
    if call is None:
        log.warning("webhook %s for an unknown call", path)
        return say_and_hang_up(TROUBLE)
    if path in CALLER_INPUT_PATHS and call.ended_at is not None:
        # Nobody can press or say anything on a call that has ended: a replay. Never
        # step (it could dial someone), just hang up.
        log.warning("webhook %s for a call that has ended: refused", path)
        return HANG_UP
    if hook.version is not None and hook.version != state_version(call.state):
        # A signed answer to an earlier prompt, sent again: the call has moved on.
        # Say what it is doing now, without a step.
        log.warning("webhook %s for an earlier state of the call: not stepped", path)
        return call.last_response
    state = CallState.from_dict(call.state)
    caller = CallerFacts(
        known=call.patient_id is not None,
        patient_id=call.patient_id,
    )
    now = rt.clock.now()
    # The clinic the call is for now (a network number's menu may have chosen it):
    # its time zone reads on-call rotas.
    where = state.location_id or call.location_id
    result = step(_document(rt, call), state, event, _context(rt, where, caller))
    response = _render(rt, result.actions, result.state)
    # One unit of work (issue 11, item 28): the new state, the stored answer a retry
    # gets, the timeline, a call-back task and a desk entry commit together or not at
    # all. Before, a failed task left "we will call you back" stored and no task.
    with unit_of_work(rt.sessions):
        with transaction(rt.sessions) as s:
            row = s.execute(
                select(VoiceCallRow).where(VoiceCallRow.call_sid == sid).with_for_update()
            ).scalar_one()
            row.state = result.state.to_dict()
            row.status = result.state.status
            row.last_response = response
            row.updated_at = now
            _keep_receipt(s, rt, hook.token, path, response)
        chosen = result.state.location_id
        if chosen and chosen != state.location_id and call.interaction_id and not call.location_id:
            # The network line's menu chose a clinic: the call's timeline entry (and so
            # its voicemail) belongs to that clinic from now on, not to every clinic.
            timeline.place_interaction(
                rt, actor=VOICE, interaction_id=call.interaction_id, location_id=chosen
            )
        _record_logs(rt, call.interaction_id, result.actions, now)
        _queue_callbacks(
            rt,
            sid,
            hook.params.get("From"),
            call.location_id,
            call.patient_id,
            call.interaction_id,
            result.actions,
            now,
        )
        agent_legs.track_queues(rt, sid, result.actions, None)
    return response


def call_ended(rt: Runtime, hook: Webhook) -> None:
    """The provider's status callback: close the call and its timeline interaction."""
    sid = hook.call_sid
    status = hook.params.get("CallStatus", "completed")
    now = rt.clock.now()
    desk.finished(rt, call_sid=sid)  # nothing of an ended call may hold an agent
    with transaction(rt.sessions) as s:
        call = s.execute(
            select(VoiceCallRow).where(VoiceCallRow.call_sid == sid)
        ).scalar_one_or_none()
        if call is None or call.ended_at is not None:
            return
        call.ended_at = now
        interaction_id = call.interaction_id
        outcome = call.status
    if interaction_id:
        timeline.append_event(
            rt,
            actor=VOICE,
            interaction_id=interaction_id,
            kind="call.ended",
            data={
                "provider_status": status[:20],
                "flow_status": outcome,
                "duration_seconds": _int(hook.params.get("CallDuration")),
            },
            at=now,
        )
        timeline.end_interaction(
            rt,
            actor=VOICE,
            interaction_id=interaction_id,
            status="completed" if status == "completed" else "failed",
            at=now,
        )


def transcription(rt: Runtime, hook: Webhook) -> None:
    """A voicemail's transcript from the provider: triaged and written to the call's
    timeline (see `voicemail_transcribed`)."""
    voicemail_transcribed(
        rt,
        call_sid=hook.call_sid,
        text=hook.params.get("TranscriptionText", "").strip(),
        recording_sid=hook.params.get("RecordingSid", "")[:64],
        source="provider",
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def event_for_dial(status: str) -> ev.DialResult:
    outcome = {
        "completed": ev.DialOutcome.answered,
        "answered": ev.DialOutcome.answered,
        "busy": ev.DialOutcome.busy,
        "failed": ev.DialOutcome.failed,
    }.get(status, ev.DialOutcome.no_answer)
    return ev.DialResult(outcome)


def event_for_queue(result: str, leave_reason: str | None = None) -> ev.CallEvent:
    """The provider's QueueResult as an engine event. `leave` is careline's own doing
    (see `queue_wait`): the call row says whether it was an overflow or a call back."""
    if result == "hangup":
        return ev.Hangup()
    if result == "leave":
        return ev.QueueResult(
            ev.QueueOutcome.overflow if leave_reason == "overflow" else ev.QueueOutcome.callback
        )
    outcome = {
        "bridged": ev.QueueOutcome.answered,
        "bridging-in-process": ev.QueueOutcome.answered,
    }.get(result, ev.QueueOutcome.overflow)
    return ev.QueueResult(outcome)


def leave_reason(rt: Runtime, call_sid: str) -> str | None:
    with transaction(rt.sessions) as s:
        return s.execute(
            select(VoiceCallRow.leave_reason).where(VoiceCallRow.call_sid == call_sid)
        ).scalar_one_or_none()


def set_leave_reason(rt: Runtime, call_sid: str, reason: str) -> None:
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(VoiceCallRow).where(VoiceCallRow.call_sid == call_sid)
        ).scalar_one_or_none()
        if row is not None:
            row.leave_reason = reason


_WAIT_TEXT = {
    "en": {
        "hold": "Thank you for waiting. Please stay on the line.",
        "offer": "The wait is about {minutes} minutes. To keep your place and have us call you "
        "back, press 1. Otherwise, please stay on the line.",
        "leaving": "Thank you. We will call you back; you keep your place in line. Goodbye.",
    },
    "es": {
        "hold": "Gracias por esperar. Por favor, permanezca en la línea.",
        "offer": "La espera es de unos {minutes} minutos. Para conservar su lugar y que le "
        "llamemos, oprima 1. Si no, permanezca en la línea.",
        "leaving": "Gracias. Le llamaremos; conserva su lugar en la fila. Adiós.",
    },
}


def queue_wait(rt: Runtime, hook: Webhook) -> str:
    """What a caller in line hears now: hold, a call-back offer, or out to the overflow."""
    from twilio.twiml.voice_response import Gather, VoiceResponse

    from careline.telephony.queue_wait import (
        WaitChoice,
        WaitFacts,
        decide,
        estimated_wait,
        hold_seconds,
    )
    from careline.telephony.render import PATHS, voice_language

    sid = hook.call_sid
    with transaction(rt.sessions) as s:
        call = s.execute(
            select(VoiceCallRow).where(VoiceCallRow.call_sid == sid)
        ).scalar_one_or_none()
    vr = VoiceResponse()
    if call is None:
        vr.say(_WAIT_TEXT["en"]["hold"])
        vr.pause(length=20)
        return str(vr)
    if desk.review(rt, call_sid=sid) is not None:
        # An agent's phone is about to ring for this caller: out of the queue, and
        # the Enqueue's action dials them (see agent_legs.connect).
        set_leave_reason(rt, sid, "agent")
        vr.leave()
        return str(vr)
    state = CallState.from_dict(call.state)
    lang = "es" if (state.language or "en").startswith("es") else "en"
    text = _WAIT_TEXT[lang]
    # The provider's QueueTime restarts when a caller is put back in line after a
    # missed ring; careline's entry keeps the caller's place and the true wait.
    entry = desk.entry_facts(rt, call_sid=sid)
    in_line = int((rt.clock.now() - entry.entered_at).total_seconds()) if entry else 0
    facts = WaitFacts(
        priority=state.priority,
        position=_int(hook.params.get("QueuePosition")) or 1,
        waited_seconds=max(_int(hook.params.get("QueueTime")) or 0, in_line),
        average_wait_seconds=_int(hook.params.get("AvgQueueTime")) or 0,
    )
    choice = decide(facts, callback_offered=call.leave_reason is not None)
    if choice is WaitChoice.overflow:
        set_leave_reason(rt, sid, "overflow")
        vr.leave()
        return str(vr)
    if choice is WaitChoice.offer_callback:
        set_leave_reason(rt, sid, "offered")
        minutes = max(1, round(estimated_wait(facts).total_seconds() / 60))
        gather = Gather(
            action=PATHS.queue_leave, method="POST", input="dtmf", num_digits=1, timeout=5
        )
        gather.say(text["offer"].format(minutes=minutes), language=voice_language(lang))
        vr.append(gather)
    vr.say(text["hold"], language=voice_language(lang))
    vr.pause(length=hold_seconds(state.priority))
    return str(vr)


def queue_leave(rt: Runtime, hook: Webhook) -> str:
    """The caller's answer to the call-back offer made while waiting."""
    from twilio.twiml.voice_response import VoiceResponse

    vr = VoiceResponse()
    if hook.params.get("Digits", "").strip() == "1":
        set_leave_reason(rt, hook.call_sid, "callback")
        vr.leave()
    else:
        vr.say(_WAIT_TEXT["en"]["hold"])
        vr.pause(length=20)
    return str(vr)


def event_for_gather(params: dict[str, str]) -> ev.CallEvent:
    digits = params.get("Digits", "").strip()
    speech = params.get("SpeechResult", "").strip()
    if digits:
        return ev.Digits(digits[:32])
    if speech:
        try:
            confidence = float(params.get("Confidence", "1") or 1)
        except ValueError:
            confidence = 1.0
        return ev.Speech(speech[:1000], max(0.0, min(1.0, confidence)))
    return ev.NoInput()


def event_for_recording(params: dict[str, str]) -> ev.RecordingDone:
    return ev.RecordingDone(
        url=params.get("RecordingUrl", "")[:500],
        duration_seconds=_int(params.get("RecordingDuration")) or 0,
    )


# ---------------------------------------------------------------- reminder calls


def reminder_call(rt: Runtime, hook: Webhook, *, reminder_id: str) -> str:
    """The patient answered a reminder call: say it and ask for 1, 2 or 3."""
    from twilio.twiml.voice_response import Gather, VoiceResponse

    from careline.reminders import service as reminders
    from careline.telephony.render import voice_language

    try:
        text, lang = reminders.voice_reminder_script(rt, reminder_id=reminder_id)
    except CarelineError:
        return say_and_hang_up("We're sorry, this reminder is no longer available. Goodbye.")
    vr = VoiceResponse()
    gather = Gather(
        action=f"/telephony/voice/reminder-input?reminder={reminder_id}",
        method="POST",
        input="dtmf",
        num_digits=1,
        timeout=8,
    )
    gather.say(text, language=voice_language(lang))
    vr.append(gather)
    vr.say(
        "No hemos recibido respuesta. Adiós."
        if lang == "es"
        else "We did not receive an answer. Goodbye.",
        language=voice_language(lang),
    )
    vr.hangup()
    return str(vr)


def reminder_input(rt: Runtime, hook: Webhook, *, reminder_id: str) -> str:
    """The keypad answer to a reminder call: act on it and say what happened."""
    from careline.reminders import service as reminders

    digits = hook.params.get("Digits", "").strip()[:4]
    with transaction(rt.sessions) as s:
        replay = _replayed(s, hook.token)
    if replay is not None:
        return replay
    try:
        outcome = reminders.handle_voice_reminder_input(rt, reminder_id=reminder_id, digits=digits)
        response = say_and_hang_up(outcome.answer or "Thank you. Goodbye.")
    except CarelineError:
        response = say_and_hang_up("We're sorry, this reminder is no longer available. Goodbye.")
    with transaction(rt.sessions) as s:
        _keep_receipt(s, rt, hook.token, "reminder-input", response)
    return response


# ---------------------------------------------------------------- recordings and speech

#: Timeline kinds that settle a voicemail's transcript (one of them per recording).
VOICEMAIL_TRANSCRIPT_KINDS = frozenset(
    {"voicemail.transcribed", "voicemail.transcript_unavailable"}
)


def voicemail_task_key(call_sid: str, recording_sid: str | None) -> str:
    """One front-desk task per voicemail, whichever webhook files it first."""
    return f"voicemail:{recording_sid or call_sid}"[:200]


def _voicemail_task(rt: Runtime, hook: Webhook) -> None:
    """Every message left lands on the front desk's work queue (a call back); its
    transcript, if urgent, later marks the same task urgent."""
    from careline.worklist import service as worklist
    from careline.worklist.model import TaskKind

    if not (_int(hook.params.get("RecordingDuration")) or 0) > 0:
        return  # the caller hung up at the beep: no message
    found = _voicemail_call(rt, hook.call_sid)
    if found is None:
        return
    interaction_id, patient_id, location_id, state = found
    worklist.create_task(
        rt,
        kind=TaskKind.voicemail,
        patient_id=patient_id,
        appointment_id=None,
        location_id=state.location_id or location_id,
        dedupe_key=voicemail_task_key(hook.call_sid, hook.params.get("RecordingSid", "")[:64]),
        interaction_id=interaction_id,
    )


def recording(rt: Runtime, hook: Webhook) -> str:
    """A voicemail was recorded: with on-premise speech, schedule its transcription
    (once per recording) before the engine step, so a crash in between is retried by
    the provider and finds the job already there. The message becomes a front-desk
    task."""
    if rt.settings.speech_transcriber == "pocketsphinx":
        from careline.telephony import onprem_speech

        with transaction(rt.sessions) as s:
            replay = _replayed(s, hook.token)
        if replay is None:
            onprem_speech.enqueue_voicemail(rt, call_sid=hook.call_sid, params=hook.params)
    answer = call_event(rt, hook, event_for_recording(hook.params), "recording")
    _voicemail_task(rt, hook)
    return answer


def speech(rt: Runtime, hook: Webhook) -> str:
    """A spoken answer recorded for on-premise recognition: recognised here (see
    `onprem_speech.recognise_answer`), then one engine step like the gather webhook."""
    from careline.telephony import onprem_speech

    with transaction(rt.sessions) as s:
        replay = _replayed(s, hook.token)
    if replay is not None:
        return replay
    event = onprem_speech.recognise_answer(rt, call_sid=hook.call_sid, params=hook.params)
    return call_event(rt, hook, event, "speech")


def _voicemail_call(
    rt: Runtime, call_sid: str
) -> tuple[str, str | None, str | None, CallState] | None:
    """(interaction, patient, location, state) of a call with a timeline, if any."""
    with transaction(rt.sessions) as s:
        call = s.execute(
            select(VoiceCallRow).where(VoiceCallRow.call_sid == call_sid)
        ).scalar_one_or_none()
        if call is None or call.interaction_id is None:
            return None
        return (
            call.interaction_id,
            call.patient_id,
            call.location_id,
            CallState.from_dict(call.state),
        )


def _transcript_filed(rt: Runtime, interaction_id: str, recording_sid: str) -> bool:
    """Whether this recording's transcript (or its absence) is already on the timeline:
    providers retry callbacks and jobs may run twice."""
    if not recording_sid:
        return False
    view = timeline.get_interaction(rt, actor=VOICE, interaction_id=interaction_id)
    return any(
        e.kind in VOICEMAIL_TRANSCRIPT_KINDS
        and (e.data or {}).get("recording_sid") == recording_sid
        for e in view.events
    )


def voicemail_transcribed(
    rt: Runtime, *, call_sid: str, text: str, recording_sid: str, source: str
) -> None:
    """A voicemail's words, triaged onto the call's timeline. An urgent or emergency
    message also becomes a front-desk task (a call back), so it is not left waiting
    in a list of recordings until someone listens."""
    from careline.worklist import service as worklist
    from careline.worklist.model import TaskKind

    found = _voicemail_call(rt, call_sid) if text else None
    if found is None:
        return
    interaction_id, patient_id, location_id, state = found
    if _transcript_filed(rt, interaction_id, recording_sid):
        return
    urgency, intent = classify_words(text, state.language or "en")
    data: dict[str, str | None] = {
        "urgency": urgency,
        "intent": intent,
        "recording_sid": recording_sid,
        "source": source,
    }
    if urgency in ("urgent", "emergency"):
        task = worklist.create_task(
            rt,
            kind=TaskKind.urgent_voicemail,
            patient_id=patient_id,
            appointment_id=None,
            location_id=state.location_id or location_id,
            dedupe_key=voicemail_task_key(call_sid, recording_sid),
            escalate=True,
            interaction_id=interaction_id,
        )
        data["task_id"] = task.id
    timeline.append_event(
        rt,
        actor=VOICE,
        interaction_id=interaction_id,
        kind="voicemail.transcribed",
        data=data,
        text=text,
        at=rt.clock.now(),
    )


def voicemail_untranscribed(
    rt: Runtime, *, call_sid: str, recording_sid: str, reason: str, source: str
) -> None:
    """No transcript for this voicemail (`reason` is a code): staff must listen to it."""
    found = _voicemail_call(rt, call_sid)
    if found is None:
        return
    interaction_id = found[0]
    if _transcript_filed(rt, interaction_id, recording_sid):
        return
    timeline.append_event(
        rt,
        actor=VOICE,
        interaction_id=interaction_id,
        kind="voicemail.transcript_unavailable",
        data={
            "recording_sid": recording_sid,
            "source": source,
            "reason": reason[:80],
            "note": "The voicemail could not be transcribed: listen to the recording.",
        },
        at=rt.clock.now(),
    )
