"""Provider webhooks for voice (TwiML). Authenticated by the provider's signature.

The routes declare `public()` for the session guard because the caller is the
provider, not a user: each handler's first act is `signature.verify`, and a
request that fails it gets 403 and an audit entry. Handlers are `async` only to
read the form; the work (database, triage, flow step) runs in the thread pool,
so one slow step never stalls the event loop and every other request with it.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from careline.api.deps import RuntimeDep, public
from careline.desk import service as desk
from careline.runtime import Runtime
from careline.telephony import agent_legs, fallback, voice
from careline.telephony.signature import verified

log = logging.getLogger("careline.telephony")
router = APIRouter(prefix="/telephony/voice", tags=["telephony"], include_in_schema=True)
TWIML = "text/xml"
Public = Annotated[None, Depends(public())]
WEBHOOK_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {TWIML: {}}, "description": "TwiML"},
    403: {"description": "Missing or invalid X-Twilio-Signature"},
}


def _twiml(body: str) -> Response:
    return Response(body, media_type=TWIML)


async def _hook(request: Request, rt: Runtime) -> voice.Webhook:
    signed = await verified(request, rt)
    version = request.query_params.get("v")  # signed with the URL (render.at_version)
    return voice.Webhook(
        params=signed.params,
        token=signed.idempotency_token,
        version=version[:32] if version is not None else None,
    )


@router.post("/incoming", responses=WEBHOOK_RESPONSES, summary="A call arrives (voice URL)")
async def incoming(request: Request, rt: RuntimeDep, _: Public) -> Response:
    hook = await _hook(request, rt)
    return _twiml(await run_in_threadpool(voice.incoming_call, rt, hook))


@router.post("/gather", responses=WEBHOOK_RESPONSES, summary="The caller pressed or said something")
async def gathered(request: Request, rt: RuntimeDep, _: Public) -> Response:
    hook = await _hook(request, rt)
    event = voice.event_for_gather(hook.params)
    return _twiml(await run_in_threadpool(voice.call_event, rt, hook, event, "gather"))


@router.post(
    "/identify",
    responses=WEBHOOK_RESPONSES,
    summary="A shared number's caller keyed the patient's date of birth (or spoke)",
)
async def identify(request: Request, rt: RuntimeDep, _: Public) -> Response:
    hook = await _hook(request, rt)
    return _twiml(await run_in_threadpool(voice.identify_caller, rt, hook))


@router.post("/no-input", responses=WEBHOOK_RESPONSES, summary="The caller said nothing")
async def no_input(request: Request, rt: RuntimeDep, _: Public) -> Response:
    hook = await _hook(request, rt)
    event = voice.event_for_gather({})
    return _twiml(await run_in_threadpool(voice.call_event, rt, hook, event, "no-input"))


@router.post("/dial-status", responses=WEBHOOK_RESPONSES, summary="A transfer ended")
async def dial_status(request: Request, rt: RuntimeDep, _: Public) -> Response:
    hook = await _hook(request, rt)
    event = voice.event_for_dial(hook.params.get("DialCallStatus", ""))
    return _twiml(await run_in_threadpool(voice.call_event, rt, hook, event, "dial-status"))


@router.post("/queue-status", responses=WEBHOOK_RESPONSES, summary="The caller left a queue")
async def queue_status(request: Request, rt: RuntimeDep, _: Public) -> Response:
    hook = await _hook(request, rt)
    return _twiml(await run_in_threadpool(_queue_status, rt, hook))


def _queue_status(rt: Runtime, hook: voice.Webhook) -> str:
    result = hook.params.get("QueueResult", "")
    reason = voice.leave_reason(rt, hook.call_sid) if result == "leave" else None
    if reason == "agent":
        return agent_legs.connect(rt, hook.call_sid)
    if result in ("bridged", "bridging-in-process"):
        desk.finished(rt, call_sid=hook.call_sid)
    else:
        desk.caller_left(rt, call_sid=hook.call_sid)
    event = voice.event_for_queue(result, reason)
    return voice.call_event(rt, hook, event, "queue-status")


EntryId = Annotated[str, Query(min_length=1, max_length=36, pattern=r"^[A-Za-z0-9-]+$")]


@router.post(
    "/agent-answer",
    responses=WEBHOOK_RESPONSES,
    summary="An agent picked up a call careline rang them for (their whisper)",
)
async def agent_answer(request: Request, rt: RuntimeDep, _: Public, entry: EntryId) -> Response:
    await _hook(request, rt)
    return _twiml(await run_in_threadpool(agent_legs.agent_answered, rt, entry_id=entry))


@router.post(
    "/agent-status",
    responses=WEBHOOK_RESPONSES,
    summary="The dial to an agent ended (answered and finished, or missed)",
)
async def agent_status(request: Request, rt: RuntimeDep, _: Public, entry: EntryId) -> Response:
    hook = await _hook(request, rt)
    return _twiml(await run_in_threadpool(_agent_status, rt, hook, entry))


def _agent_status(rt: Runtime, hook: voice.Webhook, entry: str) -> str:
    with_caller = agent_legs.agent_dial_ended(rt, hook.params, entry_id=entry)
    if with_caller is not None:
        return with_caller
    return voice.call_event(rt, hook, agent_legs.answered_event(), "agent-status")


@router.post("/queue-wait", responses=WEBHOOK_RESPONSES, summary="What a waiting caller hears")
async def queue_wait(request: Request, rt: RuntimeDep, _: Public) -> Response:
    hook = await _hook(request, rt)
    return _twiml(await run_in_threadpool(voice.queue_wait, rt, hook))


@router.post(
    "/queue-redirect",
    responses=WEBHOOK_RESPONSES,
    summary="A caller the provider took out of a queue for a reserved agent: ring them",
)
async def queue_redirect(request: Request, rt: RuntimeDep, _: Public) -> Response:
    hook = await _hook(request, rt)
    return _twiml(await run_in_threadpool(_queue_redirect, rt, hook))


def _queue_redirect(rt: Runtime, hook: voice.Webhook) -> str:
    voice.set_leave_reason(rt, hook.call_sid, "agent")
    return agent_legs.connect(rt, hook.call_sid)


@router.post(
    "/queue-leave", responses=WEBHOOK_RESPONSES, summary="A waiting caller accepts a call back"
)
async def queue_leave(request: Request, rt: RuntimeDep, _: Public) -> Response:
    hook = await _hook(request, rt)
    return _twiml(await run_in_threadpool(voice.queue_leave, rt, hook))


@router.post("/recording", responses=WEBHOOK_RESPONSES, summary="A voicemail was recorded")
async def recording(request: Request, rt: RuntimeDep, _: Public) -> Response:
    hook = await _hook(request, rt)
    return _twiml(await run_in_threadpool(voice.recording, rt, hook))


@router.post(
    "/transcription",
    status_code=204,
    responses=WEBHOOK_RESPONSES,
    summary="A voicemail's transcript",
)
async def transcription(request: Request, rt: RuntimeDep, _: Public) -> Response:
    hook = await _hook(request, rt)
    await run_in_threadpool(voice.transcription, rt, hook)
    return Response(status_code=204)


@router.post("/whisper", responses=WEBHOOK_RESPONSES, summary="What a warm-transfer target hears")
async def whisper(request: Request, rt: RuntimeDep, _: Public) -> Response:
    await _hook(request, rt)
    return _twiml(
        '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Transferred call from the '
        "careline phone line. The caller's details are on their timeline.</Say></Response>"
    )


@router.post("/status", status_code=204, responses=WEBHOOK_RESPONSES, summary="The call ended")
async def status(request: Request, rt: RuntimeDep, _: Public) -> Response:
    hook = await _hook(request, rt)
    await run_in_threadpool(voice.call_ended, rt, hook)
    return Response(status_code=204)


LegId = Annotated[str, Query(min_length=1, max_length=36, pattern=r"^[A-Za-z0-9-]+$")]


@router.post(
    "/call-back",
    responses=WEBHOOK_RESPONSES,
    summary="A staff member picked up the call back careline rang them for (worklist)",
)
async def call_back(request: Request, rt: RuntimeDep, _: Public, leg: LegId) -> Response:
    from careline.telephony import callbacks

    await _hook(request, rt)
    return _twiml(await run_in_threadpool(callbacks.staff_answered, rt, leg=leg))


@router.post(
    "/call-back-status",
    responses=WEBHOOK_RESPONSES,
    summary="The patient's leg of a call back ended",
)
async def call_back_status(request: Request, rt: RuntimeDep, _: Public, leg: LegId) -> Response:
    from careline.telephony import callbacks

    hook = await _hook(request, rt)
    answer = await run_in_threadpool(
        callbacks.bridge_ended,
        rt,
        leg=leg,
        dial_status=hook.params.get("DialCallStatus", ""),
        seconds=hook.params.get("DialCallDuration"),
    )
    return _twiml(answer)


ReminderId = Annotated[str, Query(min_length=1, max_length=36, pattern=r"^[A-Za-z0-9-]+$")]


@router.post("/reminder", responses=WEBHOOK_RESPONSES, summary="A patient answered a reminder call")
async def reminder_call(
    request: Request, rt: RuntimeDep, _: Public, reminder: ReminderId
) -> Response:
    hook = await _hook(request, rt)
    return _twiml(await run_in_threadpool(voice.reminder_call, rt, hook, reminder_id=reminder))


@router.post(
    "/reminder-input",
    responses=WEBHOOK_RESPONSES,
    summary="The patient's keypad answer to a reminder call (1, 2, 3)",
)
async def reminder_input(
    request: Request, rt: RuntimeDep, _: Public, reminder: ReminderId
) -> Response:
    hook = await _hook(request, rt)
    return _twiml(await run_in_threadpool(voice.reminder_input, rt, hook, reminder_id=reminder))


@router.post(
    "/fallback",
    responses=WEBHOOK_RESPONSES,
    summary="The safe plan when careline fails (needs no database)",
)
async def fallback_plan(
    request: Request,
    rt: RuntimeDep,
    _: Public,
    step: Annotated[str, Query(max_length=20, pattern=r"^[a-z]+$")] = "start",
) -> Response:
    signed = await verified(request, rt, audit_failure=False)
    return _twiml(fallback.answer(step, signed.params, rt.settings, rt.cipher))


sms_router = APIRouter(prefix="/telephony/sms", tags=["telephony"])


@sms_router.post(
    "/status",
    status_code=204,
    responses=WEBHOOK_RESPONSES,
    summary="A message's delivery status (the provider's status callback)",
)
async def sms_status(request: Request, rt: RuntimeDep, _: Public) -> Response:
    from careline.core.errors import CarelineError
    from careline.messaging import service as messaging

    signed = await verified(request, rt)
    sid = signed.params.get("MessageSid") or signed.params.get("SmsSid") or ""
    status = signed.params.get("MessageStatus") or signed.params.get("SmsStatus") or ""
    try:
        await run_in_threadpool(
            messaging.record_status,
            rt,
            provider_id=sid[:64],
            status=status[:20],
            error_code=(signed.params.get("ErrorCode") or None),
        )
    except CarelineError as exc:
        # An unknown message or status is the provider's business, not a retry loop:
        # acknowledge it and keep a trace (no PHI: ids and codes only).
        log.warning("status callback not applied: %s", exc.error_id)
    return Response(status_code=204)


@router.post(
    "/speech",
    responses=WEBHOOK_RESPONSES,
    summary="A spoken answer recorded for on-premise recognition (menus, triage)",
)
async def speech(request: Request, rt: RuntimeDep, _: Public) -> Response:
    hook = await _hook(request, rt)
    # Downloading and recognising take a moment: off the event loop.
    return _twiml(await run_in_threadpool(voice.speech, rt, hook))
