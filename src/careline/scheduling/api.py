"""Routes: appointments (book, read, list, move, cancel, outcomes) and slots (open capacity).

Appointments are PHI about a patient: they reuse `patients:read` / `patients:write`
(the people who may see and change a patient's record are the ones who book them).
Slots hold no PHI: finding open capacity needs `directory:read`, publishing or
blocking it `directory:write` at its location, like the rest of a clinic's set-up.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from careline.api.deps import Day, Instant, Page, PageDep, RuntimeDep, require
from careline.api.problems import problem_responses
from careline.core.errors import FieldProblem, ValidationFailed
from careline.scheduling import service as svc
from careline.scheduling.model import (
    AppointmentCreate,
    AppointmentView,
    CancelRequest,
    RescheduleRequest,
    SlotCreate,
    SlotStatus,
    SlotView,
)
from careline.security.model import Actor, Permission

router = APIRouter(prefix="/api/v1", tags=["scheduling"])

Id = Annotated[str, Path(max_length=36)]
QueryId = Annotated[str | None, Query(max_length=36)]
Reader = Annotated[Actor, Depends(require(Permission.patients_read))]
Writer = Annotated[Actor, Depends(require(Permission.patients_write))]


@router.post(
    "/appointments",
    status_code=201,
    responses=problem_responses(404, 409),
    summary="Book an appointment into a free slot, or at a time with a provider",
)
def create_appointment(body: AppointmentCreate, rt: RuntimeDep, actor: Writer) -> AppointmentView:
    return svc.create_appointment(rt, actor=actor, data=body)


@router.get(
    "/appointments",
    responses=problem_responses(404),
    summary="A patient's appointments (patient_id), or a location's day (location_id + day)",
)
def list_appointments(
    rt: RuntimeDep,
    page: PageDep,
    actor: Reader,
    patient_id: QueryId = None,
    location_id: QueryId = None,
    day: Annotated[Day | None, Query(description="Local calendar day of the location")] = None,
    since: Annotated[Instant | None, Query(description="With patient_id: from here")] = None,
) -> Page[AppointmentView]:
    if patient_id is not None and location_id is None and day is None:
        items, total = svc.list_appointments_for_patient(
            rt,
            actor=actor,
            patient_id=patient_id,
            limit=page.limit,
            offset=page.offset,
            since=since,
        )
    elif patient_id is None and location_id is not None and day is not None and since is None:
        items, total = svc.list_appointments_at_location(
            rt, actor=actor, location_id=location_id, day=day, limit=page.limit, offset=page.offset
        )
    else:
        raise ValidationFailed(
            "Give either patient_id (and optionally since), or location_id with day.",
            problems=[FieldProblem("query", "give patient_id, or location_id and day")],
        )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/appointments/{appointment_id}", responses=problem_responses(404), summary="One appointment"
)
def get_appointment(appointment_id: Id, rt: RuntimeDep, actor: Reader) -> AppointmentView:
    return svc.get_appointment(rt, actor=actor, appointment_id=appointment_id)


@router.post(
    "/appointments/{appointment_id}/reschedule",
    responses=problem_responses(404, 409),
    summary="Move to a free slot or another time; the old time becomes open capacity",
)
def reschedule(
    appointment_id: Id, body: RescheduleRequest, rt: RuntimeDep, actor: Writer
) -> AppointmentView:
    return svc.reschedule(rt, actor=actor, appointment_id=appointment_id, to=body)


@router.post(
    "/appointments/{appointment_id}/cancel",
    responses=problem_responses(404, 409),
    summary="Cancel with a reason code; its slot becomes free",
)
def cancel(
    appointment_id: Id, body: CancelRequest, rt: RuntimeDep, actor: Writer
) -> AppointmentView:
    return svc.cancel(rt, actor=actor, appointment_id=appointment_id, reason=body.reason)


@router.post(
    "/appointments/{appointment_id}/confirm",
    responses=problem_responses(404, 409),
    summary="The patient confirmed they will come",
)
def confirm(appointment_id: Id, rt: RuntimeDep, actor: Writer) -> AppointmentView:
    return svc.confirm(rt, actor=actor, appointment_id=appointment_id)


@router.post(
    "/appointments/{appointment_id}/arrived",
    responses=problem_responses(404, 409),
    summary="The patient arrived (checked in)",
)
def mark_arrived(appointment_id: Id, rt: RuntimeDep, actor: Writer) -> AppointmentView:
    return svc.mark_arrived(rt, actor=actor, appointment_id=appointment_id)


@router.post(
    "/appointments/{appointment_id}/noshow",
    responses=problem_responses(404, 409),
    summary="The patient did not come",
)
def mark_noshow(appointment_id: Id, rt: RuntimeDep, actor: Writer) -> AppointmentView:
    return svc.mark_noshow(rt, actor=actor, appointment_id=appointment_id)


@router.post(
    "/appointments/{appointment_id}/fulfilled",
    responses=problem_responses(404, 409),
    summary="The visit took place",
)
def mark_fulfilled(appointment_id: Id, rt: RuntimeDep, actor: Writer) -> AppointmentView:
    return svc.mark_fulfilled(rt, actor=actor, appointment_id=appointment_id)


# ---------------------------------------------------------------- slots


@router.get(
    "/slots", responses=problem_responses(), summary="Open capacity: free slots, soonest first"
)
def list_free_slots(
    rt: RuntimeDep,
    page: PageDep,
    _: Annotated[Actor, Depends(require(Permission.directory_read))],
    location_id: QueryId = None,
    department_id: QueryId = None,
    staff_id: QueryId = None,
    appointment_type: Annotated[str | None, Query(max_length=64)] = None,
    window_start: Annotated[Instant | None, Query(alias="from")] = None,
    window_end: Annotated[Instant | None, Query(alias="to")] = None,
) -> Page[SlotView]:
    items, total = svc.list_free_slots(
        rt,
        limit=page.limit,
        offset=page.offset,
        department_id=department_id,
        appointment_type=appointment_type,
        location_id=location_id,
        staff_id=staff_id,
        window_start=window_start,
        window_end=window_end,
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/slots",
    status_code=201,
    responses=problem_responses(409),
    summary="Publish a free slot of a provider's time",
)
def create_slot(
    body: SlotCreate,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.directory_write))],
) -> SlotView:
    return svc.create_slot(rt, actor=actor, data=body)


@router.get("/slots/{slot_id}", responses=problem_responses(404), summary="One slot")
def get_slot(
    slot_id: Id,
    rt: RuntimeDep,
    _: Annotated[Actor, Depends(require(Permission.directory_read))],
) -> SlotView:
    return svc.get_slot(rt, slot_id=slot_id)


@router.post(
    "/slots/{slot_id}/block",
    responses=problem_responses(404, 409),
    summary="Take a free slot out of open capacity",
)
def block_slot(
    slot_id: Id,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.directory_write))],
) -> SlotView:
    return svc.set_slot_status(rt, actor=actor, slot_id=slot_id, status=SlotStatus.blocked)


@router.post(
    "/slots/{slot_id}/unblock",
    responses=problem_responses(404, 409),
    summary="Offer a blocked slot again",
)
def unblock_slot(
    slot_id: Id,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.directory_write))],
) -> SlotView:
    return svc.set_slot_status(rt, actor=actor, slot_id=slot_id, status=SlotStatus.free)
