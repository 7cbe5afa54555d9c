"""Routes: the front desk's worklist — list tasks in working order, one task with what
is needed to act on it, claim/release, resolve with a note.

A task of a clinic outside the caller's scope answers 404 `no-such-task`, for reads
and writes alike. Every change is pushed to screens as a live "task" event.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Path, Query
from pydantic import BaseModel, Field

from careline.api.deps import Page, PageDep, RuntimeDep, require
from careline.api.problems import problem_responses
from careline.security.model import Actor, Permission
from careline.worklist import service as svc
from careline.worklist.model import TaskClaim, TaskDetail, TaskDone, TaskView

router = APIRouter(tags=["worklist"])

Id = Annotated[str, Path(max_length=36)]
Reader = Annotated[Actor, Depends(require(Permission.patients_read))]
Writer = Annotated[Actor, Depends(require(Permission.patients_write))]


@router.get(
    "/api/v1/tasks",
    responses=problem_responses(),
    summary=(
        "Front-desk and clinical tasks in working order: most urgent first (emergencies, "
        "urgent, then routine), then the soonest due, then the oldest"
    ),
)
def list_tasks(
    rt: RuntimeDep,
    page: PageDep,
    actor: Reader,
    status: Literal["open", "done"] | None = "open",
    location_id: Annotated[str | None, Query(max_length=36)] = None,
    view: Annotated[
        Literal["all", "mine", "unclaimed"],
        Query(description="mine: claimed by you; unclaimed: claimed by nobody"),
    ] = "all",
) -> Page[TaskView]:
    """Due times: an emergency is due at once, an urgent task within 15 minutes, a
    routine one by the end of its clinic's business day. Tasks of clinics outside
    yours are left out."""
    items, total = svc.list_tasks(
        rt,
        actor=actor,
        limit=page.limit,
        offset=page.offset,
        status=status,
        location_id=location_id,
        view=view,
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/api/v1/tasks/{task_id}",
    responses=problem_responses(404),
    summary="One task with what is needed to act on it (number, transcript, appointment)",
)
def get_task(task_id: Id, rt: RuntimeDep, actor: Reader) -> TaskDetail:
    """The number to call back (the caller's, else the patient's; decrypted), the
    voicemail transcript or the text's words, whether a recording exists, and the
    linked appointment. Reading it is audited (`task.detail`, and each PHI read)."""
    return svc.task_detail(rt, actor=actor, task_id=task_id)


@router.post(
    "/api/v1/tasks/{task_id}/claim",
    responses=problem_responses(403, 404, 409),
    summary="Claim a task, so colleagues see you are on it",
)
def claim_task(
    task_id: Id,
    rt: RuntimeDep,
    actor: Writer,
    body: Annotated[TaskClaim | None, Body()] = None,
) -> TaskView:
    """Claiming your own task again changes nothing. A task a colleague holds answers
    409 `task-claimed` (naming them); a clinic manager may take it over with
    `{"take_over": true}`. A done task answers 409 `task-done`. API tokens cannot
    claim (403 `claim-needs-user`)."""
    take_over = body.take_over if body else False
    return svc.claim_task(rt, actor=actor, task_id=task_id, take_over=take_over)


class CallbackRinging(BaseModel):
    """The call back is under way: the staff member's phone is ringing."""

    interaction_id: str = Field(description="The outbound call on the patient's timeline")
    ringing: str = Field(description="The phone that rings, masked (…0142)")


@router.post(
    "/api/v1/tasks/{task_id}/call-back",
    status_code=202,
    responses=problem_responses(403, 404, 409),
    summary="Call the patient back through the clinic's number: your phone rings first",
)
def call_back(task_id: Id, rt: RuntimeDep, actor: Writer) -> CallbackRinging:
    """careline rings your staff record's phone from the clinic's main number; when you
    answer, it connects you to the number on the task with the clinic's number as the
    caller id (your own number is never shown to the patient). The task is claimed by
    you and the call goes on the patient's timeline. 409 `no-staff-phone`,
    `no-clinic-number`, `no-number-to-call` or `call-not-placed` say what to fix."""
    from careline.worklist.callback import place_callback

    placed = place_callback(rt, actor=actor, task_id=task_id)
    return CallbackRinging(interaction_id=placed.interaction_id, ringing=placed.ringing)


@router.post(
    "/api/v1/tasks/{task_id}/release",
    responses=problem_responses(404, 409),
    summary="Release a task you claimed, back to everyone",
)
def release_task(task_id: Id, rt: RuntimeDep, actor: Writer) -> TaskView:
    """Releasing an unclaimed task changes nothing; a colleague's claim answers 409
    `task-claimed` (a clinic manager may release it)."""
    return svc.release_task(rt, actor=actor, task_id=task_id)


@router.post(
    "/api/v1/tasks/{task_id}/done",
    responses=problem_responses(404, 409, 422),
    summary="Resolve a task, optionally with a note for the patient's timeline",
)
def complete_task(
    task_id: Id,
    rt: RuntimeDep,
    actor: Writer,
    body: Annotated[TaskDone | None, Body()] = None,
) -> TaskView:
    """With `{"note": "..."}` the note lands on the patient's timeline as a staff note
    (422 when the task has no patient yet). A task a colleague holds answers 409
    `task-claimed`. Resolving a done task again changes nothing."""
    note = body.note if body else None
    return svc.complete_task(rt, actor=actor, task_id=task_id, note=note)
