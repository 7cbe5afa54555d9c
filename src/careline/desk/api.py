"""Routes: an agent's desk (presence, the call ringing for them, wrap-up) and the
live queue. No PHI: calls are shown by queue, priority and language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from careline.api.deps import Page, PageDep, RuntimeDep, require
from careline.api.problems import problem_responses
from careline.desk import call_card
from careline.desk import service as svc
from careline.desk import wall as wall_svc
from careline.desk.model import CallCardView, DeskPresence, DeskView, WaitingCallView, WrapUpIn
from careline.desk.wall import WallView
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


@router.get(
    "/wall",
    responses=problem_responses(403, 404),
    summary="The supervisor's wall: live queues, agents, alerts and today's figures",
    description="Of the clinics where you hold directory:read (or the one asked for: 403 "
    "location-out-of-scope outside them). Waiting and ringing callers are in line; an "
    "emergency caller in line is always an alert, an urgent one after 120 s (wait_limits). "
    "Service level: answered within 60 s of entering the queue over today's calls that "
    "stopped waiting (answered or abandoned). Today is the clinic's own day. No PHI.",
)
def supervisor_wall(
    rt: RuntimeDep,
    actor: Viewer,
    location_id: Annotated[str | None, Query(max_length=36, description="Only this clinic")] = None,
) -> WallView:
    return wall_svc.wall(rt, actor=actor, location_id=location_id)


@router.get(
    "/me/call",
    responses=problem_responses(404),
    summary="The card of the call offered to me, that I am on, or that I am wrapping up",
    description="Queue facts always (department, priority, language, wait). The triage "
    "decision with the caller's words, the caller's patient (id, and whether the caller "
    "verified it), their last 5 interactions (what happened, not what was said) and open "
    "tasks need patients:read at the call's clinic (otherwise phi_withheld is true); "
    "reading them is audited. 404 no-current-call when there is no such call.",
)
def my_call_card(rt: RuntimeDep, actor: Agent) -> CallCardView:
    return call_card.my_call_card(rt, actor=actor)


@router.post(
    "/me/wrap-up",
    responses=problem_responses(404, 409),
    summary="Record my wrap-up (disposition and note) on the call's timeline; then available",
    description="Dispositions: resolved, appointment_booked, message_taken, callback_needed, "
    "transferred, clinical_advice, wrong_number, other. The note (at most 2000 characters) "
    "is stored encrypted on the call's timeline, with the staff member's name. Once per "
    "call: 409 wrap-up-already-recorded for a call already wrapped up, 409 not-in-wrap-up "
    "when you are not wrapping up a call (on one, or wrap-up time ran out).",
)
def record_wrap_up(body: WrapUpIn, rt: RuntimeDep, actor: Agent) -> DeskView:
    return call_card.record_wrap_up(rt, actor=actor, data=body)
