"""Routes: the organisation, locations (and open status), departments, staff, presence."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from careline.api.deps import Instant, Page, PageDep, RuntimeDep, require
from careline.api.problems import problem_responses
from careline.directory import service as svc
from careline.directory.model import (
    ID_PATTERN,
    Closure,
    ClosureView,
    DepartmentCreate,
    DepartmentKind,
    DepartmentUpdate,
    DepartmentView,
    LocationCreate,
    LocationDays,
    LocationUpdate,
    LocationView,
    OpenStatus,
    OrganisationUpdate,
    OrganisationView,
    PresenceState,
    PresenceUpdate,
    StaffCreate,
    StaffUpdate,
    StaffView,
)
from careline.security.model import Actor, Permission

router = APIRouter(prefix="/api/v1", tags=["directory"])

Reader = Annotated[Actor, Depends(require(Permission.directory_read))]
Writer = Annotated[Actor, Depends(require(Permission.directory_write))]
IdQuery = Annotated[str | None, Query(pattern=ID_PATTERN)]
LocationId = Annotated[str, Path(pattern=ID_PATTERN)]
DepartmentId = Annotated[str, Path(pattern=ID_PATTERN)]
StaffId = Annotated[str, Path(pattern=ID_PATTERN)]
ClosureId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$")]

# ---------------------------------------------------------------- organisation


@router.get("/organisation", responses=problem_responses(404), summary="The organisation")
def get_organisation(rt: RuntimeDep, _: Reader) -> OrganisationView:
    return svc.get_organisation(rt)


@router.put("/organisation", responses=problem_responses(409), summary="Set the organisation")
def set_organisation(body: OrganisationUpdate, rt: RuntimeDep, actor: Writer) -> OrganisationView:
    return svc.set_organisation(rt, actor=actor, data=body)


# ---------------------------------------------------------------- locations


@router.get("/locations", responses=problem_responses())
def list_locations(rt: RuntimeDep, page: PageDep, _: Reader) -> Page[LocationView]:
    items, total = svc.list_locations(rt, limit=page.limit, offset=page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/locations", status_code=201, responses=problem_responses(409))
def create_location(body: LocationCreate, rt: RuntimeDep, actor: Writer) -> LocationView:
    return svc.create_location(rt, actor=actor, data=body)


@router.get("/locations/{location_id}", responses=problem_responses(404))
def get_location(location_id: LocationId, rt: RuntimeDep, _: Reader) -> LocationView:
    return svc.get_location(rt, location_id=location_id)


@router.patch("/locations/{location_id}", responses=problem_responses(404, 409))
def update_location(
    location_id: LocationId, body: LocationUpdate, rt: RuntimeDep, actor: Writer
) -> LocationView:
    return svc.update_location(rt, actor=actor, location_id=location_id, changes=body)


@router.delete(
    "/locations/{location_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(404, 409),
    summary="Delete a location no department or staff member belongs to",
)
def delete_location(location_id: LocationId, rt: RuntimeDep, actor: Writer) -> Response:
    svc.delete_location(rt, actor=actor, location_id=location_id)
    return Response(status_code=204)


@router.post(
    "/locations/{location_id}/closures",
    status_code=201,
    responses=problem_responses(404),
    summary="Add one closure (every other stays as it is)",
    description="The same closure added twice is one closure (its id comes from its dates "
    "and reason). Use this rather than PATCH with `closures`, which replaces the whole list "
    "and can undo a colleague's edit made meanwhile.",
)
def add_closure(
    location_id: LocationId, body: Closure, rt: RuntimeDep, actor: Writer
) -> ClosureView:
    return svc.add_closure(rt, actor=actor, location_id=location_id, closure=body)


@router.delete(
    "/locations/{location_id}/closures/{closure_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(404),
    summary="Remove one closure by its id",
)
def remove_closure(
    location_id: LocationId, closure_id: ClosureId, rt: RuntimeDep, actor: Writer
) -> Response:
    svc.remove_closure(rt, actor=actor, location_id=location_id, closure_id_=closure_id)
    return Response(status_code=204)


@router.get(
    "/locations/{location_id}/open-status",
    responses=problem_responses(404),
    summary="Is the location open at an instant (default now), and when does it next open",
)
def open_status(
    location_id: LocationId,
    rt: RuntimeDep,
    _: Reader,
    at: Annotated[
        Instant | None, Query(description="ISO 8601 instant with offset, e.g. 2026-03-09T12:30Z")
    ] = None,
) -> OpenStatus:
    return svc.location_open_status(rt, location_id=location_id, at=at)


@router.get(
    "/locations/{location_id}/days",
    responses=problem_responses(404),
    summary="Open or closed on each local day (default: the next 14 from today)",
    description="Each day's opening periods in the location's wall time: the weekly "
    "hours after an observed public holiday (named) and the local closures (listed).",
)
def location_days(
    location_id: LocationId,
    rt: RuntimeDep,
    _: Reader,
    from_: Annotated[
        date | None,
        Query(alias="from", description="First local date (default: today at the location)"),
    ] = None,
    days: Annotated[int, Query(ge=1, le=62)] = 14,
) -> LocationDays:
    return svc.location_days(rt, location_id=location_id, start=from_, days=days)


# ---------------------------------------------------------------- departments


@router.get("/departments", responses=problem_responses())
def list_departments(
    rt: RuntimeDep,
    page: PageDep,
    _: Reader,
    location_id: IdQuery = None,
    kind: DepartmentKind | None = None,
) -> Page[DepartmentView]:
    items, total = svc.list_departments(
        rt, limit=page.limit, offset=page.offset, location_id=location_id, kind=kind
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/departments", status_code=201, responses=problem_responses())
def create_department(body: DepartmentCreate, rt: RuntimeDep, actor: Writer) -> DepartmentView:
    return svc.create_department(rt, actor=actor, data=body)


@router.get("/departments/{department_id}", responses=problem_responses(404))
def get_department(department_id: DepartmentId, rt: RuntimeDep, _: Reader) -> DepartmentView:
    return svc.get_department(rt, department_id=department_id)


@router.patch("/departments/{department_id}", responses=problem_responses(404))
def update_department(
    department_id: DepartmentId, body: DepartmentUpdate, rt: RuntimeDep, actor: Writer
) -> DepartmentView:
    return svc.update_department(rt, actor=actor, department_id=department_id, changes=body)


@router.delete(
    "/departments/{department_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(404, 409),
    summary="Delete a department with no staff in it",
)
def delete_department(department_id: DepartmentId, rt: RuntimeDep, actor: Writer) -> Response:
    svc.delete_department(rt, actor=actor, department_id=department_id)
    return Response(status_code=204)


# ---------------------------------------------------------------- staff


@router.get("/staff", responses=problem_responses())
def list_staff(
    rt: RuntimeDep,
    page: PageDep,
    _: Reader,
    location_id: IdQuery = None,
    department_id: IdQuery = None,
    presence: PresenceState | None = None,
) -> Page[StaffView]:
    items, total = svc.list_staff(
        rt,
        limit=page.limit,
        offset=page.offset,
        location_id=location_id,
        department_id=department_id,
        presence=presence,
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/staff/available",
    responses=problem_responses(),
    summary="Available staff matching the filters, longest-available first",
)
def available_staff(
    rt: RuntimeDep,
    _: Reader,
    department_kind: DepartmentKind | None = None,
    language: Annotated[str | None, Query(max_length=12, examples=["es"])] = None,
    location_id: IdQuery = None,
) -> list[StaffView]:
    return svc.find_available_staff(
        rt, department_kind=department_kind, language=language, location_id=location_id
    )


@router.post("/staff", status_code=201, responses=problem_responses(409))
def create_staff(body: StaffCreate, rt: RuntimeDep, actor: Writer) -> StaffView:
    return svc.create_staff(rt, actor=actor, data=body)


@router.get("/staff/{staff_id}", responses=problem_responses(404))
def get_staff(staff_id: StaffId, rt: RuntimeDep, _: Reader) -> StaffView:
    return svc.get_staff(rt, staff_id=staff_id)


@router.patch("/staff/{staff_id}", responses=problem_responses(404, 409))
def update_staff(staff_id: StaffId, body: StaffUpdate, rt: RuntimeDep, actor: Writer) -> StaffView:
    return svc.update_staff(rt, actor=actor, staff_id=staff_id, changes=body)


@router.delete(
    "/staff/{staff_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(404),
)
def delete_staff(staff_id: StaffId, rt: RuntimeDep, actor: Writer) -> Response:
    svc.delete_staff(rt, actor=actor, staff_id=staff_id)
    return Response(status_code=204)


@router.put(
    "/staff/{staff_id}/presence",
    responses=problem_responses(404),
    summary="Set a staff member's presence (available, busy, wrap_up, away, offline)",
)
def set_presence(
    staff_id: StaffId,
    body: PresenceUpdate,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.presence_write))],
) -> StaffView:
    return svc.set_presence(rt, actor=actor, staff_id=staff_id, state=body.state)
