"""Route: the live event stream a screen listens to (Server-Sent Events)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from careline.api.deps import RuntimeDep, signed_in_passively
from careline.api.problems import problem_responses
from careline.core.db import transaction
from careline.directory import service as directory
from careline.events import service as svc
from careline.events.model import Audience
from careline.security import service as security
from careline.security.model import Actor

router = APIRouter(prefix="/api/v1", tags=["events"])

Listener = Annotated[Actor, Depends(signed_in_passively())]


@router.get(
    "/events",
    responses={200: {"content": {"text/event-stream": {}}}, **problem_responses()},
    response_class=StreamingResponse,
    summary="Live events for my screens (Server-Sent Events): what changed, by id",
    description="Each event names a kind (task, queue, desk, presence, conversation, "
    "appointment, resync) and opaque ids, never PHI: refetch the resource through the "
    "API. Only events the caller's permissions and clinics allow are sent; desk events "
    "reach the one staff member they concern. Opening the stream does not count as "
    "activity: the session still idles out, and the stream then ends with a "
    "`signed-out` event.",
)
def live_events(rt: RuntimeDep, actor: Listener) -> StreamingResponse:
    staff_id = None
    if actor.user_id is not None:
        with transaction(rt.sessions) as s:
            staff_id = directory.staff_id_for_user(s, user_id=actor.user_id)
    session_id = actor.session_id

    def still_signed_in() -> bool:
        if session_id is None:
            return True  # an API token: revocation is checked when it reconnects
        return security.session_still_open(rt, session_id=session_id)

    return StreamingResponse(
        svc.stream(
            rt.events,
            Audience(actor=actor, staff_id=staff_id),
            still_signed_in=still_signed_in,
            recheck_seconds=rt.settings.live_recheck_seconds,
            heartbeat_seconds=rt.settings.live_heartbeat_seconds,
        ),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
