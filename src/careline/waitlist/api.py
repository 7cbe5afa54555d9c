"""Routes: waitlist entries (patient-scoped, audited), wave settings, and the waitlist report."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from careline.api.deps import Instant, Page, PageDep, RuntimeDep, require
from careline.api.problems import problem_responses
from careline.security.model import Actor, Permission
from careline.waitlist import replies as _registered  # noqa: F401  registers the SMS handler
from careline.waitlist import service as svc
from careline.waitlist.model import (
    EntryCreate,
    EntryStatus,
    EntryUpdate,
    EntryView,
    OfferView,
    OpeningView,
    ReportRow,
    WaveSettings,
)

router = APIRouter(prefix="/api/v1", tags=["waitlist"])

EntryId = Annotated[str, Path(max_length=36)]
SlotId = Annotated[str, Path(max_length=36)]
REPORT_COLUMNS = list(ReportRow.model_fields)


@router.post(
    "/waitlist", status_code=201, responses=problem_responses(404), summary="Add to the waitlist"
)
def create_entry(
    body: EntryCreate,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_write))],
) -> EntryView:
    return svc.create_entry(rt, actor=actor, data=body)


@router.get(
    "/waitlist", responses=problem_responses(), summary="Entries of a patient or a location"
)
def list_entries(
    rt: RuntimeDep,
    page: PageDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_read))],
    patient_id: Annotated[str | None, Query(max_length=36)] = None,
    location_id: Annotated[str | None, Query(max_length=36)] = None,
    status: EntryStatus | None = None,
) -> Page[EntryView]:
    items, total = svc.list_entries(
        rt,
        actor=actor,
        limit=page.limit,
        offset=page.offset,
        patient_id=patient_id,
        location_id=location_id,
        status=status,
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get("/waitlist/{entry_id}", responses=problem_responses(404), summary="One entry")
def get_entry(
    entry_id: EntryId,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_read))],
) -> EntryView:
    return svc.get_entry(rt, actor=actor, entry_id=entry_id)


@router.patch(
    "/waitlist/{entry_id}", responses=problem_responses(404, 409), summary="Change or withdraw"
)
def update_entry(
    entry_id: EntryId,
    body: EntryUpdate,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_write))],
) -> EntryView:
    return svc.update_entry(rt, actor=actor, entry_id=entry_id, changes=body)


@router.delete("/waitlist/{entry_id}", responses=problem_responses(404, 409), summary="Withdraw")
def withdraw_entry(
    entry_id: EntryId,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_write))],
) -> EntryView:
    return svc.withdraw_entry(rt, actor=actor, entry_id=entry_id)


@router.post(
    "/waitlist/slots/{slot_id}/offer",
    responses=problem_responses(404),
    summary="Offer a free slot to the waitlist now",
)
def offer_slot(
    slot_id: SlotId,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.directory_write))],
) -> OpeningView | None:
    return svc.offer_slot_as(rt, actor=actor, slot_id=slot_id)


@router.get(
    "/waitlist/slots/{slot_id}/offers",
    responses=problem_responses(404),
    summary="Who a slot was offered to, and who took it (first sent first)",
)
def slot_offers(
    slot_id: SlotId,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_read))],
) -> list[OfferView]:
    return svc.list_slot_offers(rt, actor=actor, slot_id=slot_id)


@router.put("/waitlist/settings", responses=problem_responses(), summary="Wave plan")
def set_wave_settings(
    body: WaveSettings,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.directory_write))],
    department_id: Annotated[str | None, Query(max_length=36)] = None,
) -> WaveSettings:
    return svc.set_wave_settings(rt, actor=actor, department_id=department_id, data=body)


@router.get(
    "/reports/waitlist",
    responses=problem_responses(),
    summary="Waitlist metrics per location and appointment type (json or csv)",
)
def waitlist_report(
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_read))],
    from_: Annotated[Instant, Query(alias="from")],
    to: Instant,
    format: Literal["json", "csv"] = "json",
) -> Response:
    rows = svc.report(rt, actor=actor, start=from_, end=to)
    if format == "json":
        return Response(
            content="[" + ",".join(r.model_dump_json() for r in rows) + "]",
            media_type="application/json",
        )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in r.model_dump().items()})
    return Response(content=out.getvalue(), media_type="text/csv")
