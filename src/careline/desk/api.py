"""Routes: an agent's desk (presence, the call ringing for them, wrap-up) and the
live queue. No PHI: calls are shown by queue, priority and language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from careline.api.deps import Page, PageDep, RuntimeDep, require
from careline.api.problems import problem_responses
from careline.desk import service as svc
from careline.desk.model import DeskPresence, DeskView, WaitingCallView
from careline.security.model import Actor, Permission

router = APIRouter(prefix="/api/v1/desk", tags=["desk"])

Agent = Annotated[Actor, Depends(require(Permission.presence_write))]
Viewer = Annotated[Actor, Depends(require(Permission.directory_read))]


@router.get(
    "/me",
    responses=problem_responses(404),
    summary="My presence, the call offered to me or that I am on, and calls waiting for me",
)
def my_desk(rt: RuntimeDep, actor: Agent) -> DeskView:
    return svc.my_desk(rt, actor=actor)


@router.put(
    "/me/presence",
    responses=problem_responses(404, 409),
    summary="Go available (take the next call), away or offline",
    description="Busy and wrap-up come from calls and cannot be set by hand; nobody leaves "
    "a ringing or connected call by a status change (409 presence-transition-invalid).",
)
def set_my_presence(body: DeskPresence, rt: RuntimeDep, actor: Agent) -> DeskView:
    return svc.set_my_presence(rt, actor=actor, state=body.state)


@router.post(
    "/me/wrap-up/finish",
    responses=problem_responses(404, 409),
    summary="Done with my notes: available now (wrap-up also ends by itself)",
)
def finish_wrap_up(rt: RuntimeDep, actor: Agent) -> DeskView:
    return svc.finish_my_wrap_up(rt, actor=actor)


@router.get(
    "/queue",
    responses=problem_responses(),
    summary="Calls waiting or ringing an agent now, highest priority first",
)
def live_queue(rt: RuntimeDep, actor: Viewer, page: PageDep) -> Page[WaitingCallView]:
    scope = actor.scope_location_ids(Permission.directory_read)
    items, total = svc.waiting_calls(rt, location_ids=scope, limit=page.limit, offset=page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
