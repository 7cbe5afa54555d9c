"""Routes: a patient's timeline, staff notes, one interaction."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from careline.api.deps import Page, PageDep, RuntimeDep, require
from careline.api.problems import problem_responses
from careline.security.model import Actor, Permission
from careline.timeline import conversations
from careline.timeline import service as svc
from careline.timeline.model import (
    Channel,
    ConversationAssign,
    ConversationAssignee,
    ConversationView,
    InteractionView,
    NoteCreate,
    PatientLink,
)

router = APIRouter(prefix="/api/v1", tags=["timeline"])

Id = Annotated[str, Path(max_length=36)]


@router.get(
    "/patients/{patient_id}/timeline",
    responses=problem_responses(404),
    summary="Every contact with a patient, newest first, with its events in order",
)
def get_timeline(
    patient_id: Id,
    rt: RuntimeDep,
    page: PageDep,
    actor: Annotated[Actor, Depends(require(Permission.timeline_read))],
    channel: Annotated[Channel | None, Query(description="Only this channel")] = None,
) -> Page[InteractionView]:
    items, total = svc.list_timeline(
        rt,
        actor=actor,
        patient_id=patient_id,
        limit=page.limit,
        offset=page.offset,
        channel=channel,
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/patients/{patient_id}/notes",
    status_code=201,
    responses=problem_responses(404),
    summary="Add a staff note to a patient's timeline",
)
def add_note(
    patient_id: Id,
    body: NoteCreate,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.timeline_write))],
) -> InteractionView:
    return svc.add_note(rt, actor=actor, patient_id=patient_id, text=body.text)


@router.get(
    "/interactions/{interaction_id}",
    responses=problem_responses(404),
    summary="One interaction with its events",
)
def get_interaction(
    interaction_id: Id,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.timeline_read))],
) -> InteractionView:
    return svc.get_interaction(rt, actor=actor, interaction_id=interaction_id)


@router.get(
    "/interactions",
    responses=problem_responses(),
    summary="Calls, voicemails and texts not yet on a patient's timeline (unknown callers)",
)
def list_unattached(
    rt: RuntimeDep,
    page: PageDep,
    actor: Annotated[Actor, Depends(require(Permission.timeline_read))],
    location_id: Annotated[
        str | None, Query(max_length=36, description="Only this clinic's")
    ] = None,
) -> Page[InteractionView]:
    """Only interactions with no patient, of the clinics you work for (the clinic the
    caller chose, or whose number they wrote to)."""
    items, total = svc.list_unattached(
        rt, actor=actor, limit=page.limit, offset=page.offset, location_id=location_id
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/interactions/{interaction_id}/patient",
    responses=problem_responses(404, 409),
    summary="Attach an unknown caller's call, voicemail or text to the patient it was",
)
def attach_patient(
    interaction_id: Id,
    body: PatientLink,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.timeline_write))],
) -> InteractionView:
    return svc.link_patient(
        rt, actor=actor, interaction_id=interaction_id, patient_id=body.patient_id
    )


@router.get(
    "/conversations",
    responses=problem_responses(),
    summary="The inbox: texts of the last 30 days, one entry per patient, urgent first",
)
def list_conversations(
    rt: RuntimeDep,
    page: PageDep,
    actor: Annotated[Actor, Depends(require(Permission.timeline_read))],
    view: Annotated[
        Literal["needs_reply", "unread", "mine", "unassigned", "all"],
        Query(
            description="needs_reply: the last text is theirs; unread: a text came in since "
            "you last opened it; mine: you are answering it; unassigned: nobody is"
        ),
    ] = "needs_reply",
    location_id: Annotated[
        str | None, Query(max_length=36, description="Only this clinic's")
    ] = None,
) -> Page[ConversationView]:
    """Only patients of the clinics you work for, and texts careline could not attach
    to one patient that came in to those clinics' numbers."""
    items, total = svc.list_conversations(
        rt,
        actor=actor,
        limit=page.limit,
        offset=page.offset,
        location_id=location_id,
        view=view,
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


ConversationKey = Annotated[
    str,
    Path(
        max_length=48,
        pattern=r"^(patient|text):[A-Za-z0-9-]{1,40}$",
        description="As the inbox lists it: patient:<id> or text:<interaction id>",
    ),
]


@router.post(
    "/conversations/{key}/read",
    status_code=204,
    responses=problem_responses(404),
    summary="I opened this conversation: what came in until now is read (for me)",
)
def read_conversation(
    key: ConversationKey,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.timeline_read))],
) -> None:
    conversations.mark_read(rt, actor=actor, key=key)


@router.put(
    "/conversations/{key}/assignee",
    responses=problem_responses(404, 422),
    summary="Who answers this conversation (a colleague at its clinic, yourself, or nobody)",
)
def assign_conversation(
    key: ConversationKey,
    body: ConversationAssign,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.timeline_write))],
) -> ConversationAssignee:
    state = conversations.assign(rt, actor=actor, key=key, user_id=body.user_id)
    return ConversationAssignee(assigned_to=state.assigned_to, assigned_name=state.assigned_name)
