"""Route: a member of staff texts a patient (the inbox's reply)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path

from careline.api.deps import RuntimeDep, require
from careline.api.problems import problem_responses
from careline.messaging import service as svc
from careline.messaging.model import OutboundMessageView, StaffMessage
from careline.security.model import Actor, Permission

router = APIRouter(prefix="/api/v1", tags=["messaging"])


@router.post(
    "/patients/{patient_id}/messages",
    status_code=201,
    responses=problem_responses(404, 409),
    summary="Text a patient from the clinic (through the provider, once per Idempotency-Key)",
)
def send_message(
    patient_id: Annotated[str, Path(max_length=36)],
    body: StaffMessage,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.timeline_write))],
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", max_length=100)],
) -> OutboundMessageView:
    """Sent from the clinic's sender; refused (409 `patient-opted-out`) after STOP;
    held for quiet hours unless `respect_quiet_hours` is false. The same key again
    returns the first answer and sends nothing."""
    return svc.send_staff_message(
        rt, actor=actor, patient_id=patient_id, message=body, client_key=idempotency_key
    )


@router.post(
    "/messages/{message_id}/send-now",
    responses=problem_responses(404, 409),
    summary="Send a text held for quiet hours now (the same message: never twice)",
)
def send_now(
    message_id: Annotated[str, Path(max_length=36)],
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.timeline_write))],
) -> OutboundMessageView:
    """409 `message-not-waiting` when it already went or ended."""
    return svc.send_now(rt, actor=actor, message_id=message_id)
