"""Routes: reminder plans, an appointment's reminders, the reminder report, and the
provider's inbound SMS webhook (front-desk tasks are `worklist.api`'s).

The webhook is `public()`: the provider's signature (checked with
`careline.telephony.signature.verify`) is its authentication.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from twilio.twiml.messaging_response import MessagingResponse

from careline.api.deps import Instant, Page, PageDep, RuntimeDep, public, require
from careline.api.problems import problem_responses
from careline.core.errors import FieldProblem, ValidationFailed
from careline.reminders import service as svc
from careline.reminders.model import (
    REPORT_COLUMNS,
    ReminderPlanIn,
    ReminderPlanView,
    ReminderView,
    ReportRow,
)
from careline.security.model import Actor, Permission
from careline.telephony.signature import verified

router = APIRouter(tags=["reminders"])

Id = Annotated[str, Path(max_length=36)]
Reader = Annotated[Actor, Depends(require(Permission.patients_read))]
Writer = Annotated[Actor, Depends(require(Permission.patients_write))]
SetUpReader = Annotated[Actor, Depends(require(Permission.directory_read))]
SetUpWriter = Annotated[Actor, Depends(require(Permission.directory_write))]


@router.put(
    "/api/v1/reminder-plans",
    responses=problem_responses(),
    summary="Create or replace the reminder plan of a location and/or appointment type",
)
def set_plan(body: ReminderPlanIn, rt: RuntimeDep, actor: SetUpWriter) -> ReminderPlanView:
    return svc.set_plan(rt, actor=actor, data=body)


@router.get(
    "/api/v1/reminder-plans",
    responses=problem_responses(),
    summary="Configured reminder plans (the default applies where none matches)",
)
def list_plans(rt: RuntimeDep, page: PageDep, _actor: SetUpReader) -> Page[ReminderPlanView]:
    items, total = svc.list_plans(rt, limit=page.limit, offset=page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/api/v1/reminder-plans/effective",
    responses=problem_responses(),
    summary="The plan that applies to a location and appointment type",
)
def effective_plan(
    rt: RuntimeDep,
    _actor: SetUpReader,
    location_id: Annotated[str, Query(max_length=36)],
    type_code: Annotated[str, Query(min_length=1, max_length=64)],
) -> ReminderPlanView:
    return svc.effective_plan(rt, location_id=location_id, type_code=type_code)


@router.post(
    "/api/v1/appointments/{appointment_id}/reminders",
    responses=problem_responses(404),
    summary="(Re)plan an appointment's reminders now (after a booking or a move)",
)
def plan_reminders(appointment_id: Id, rt: RuntimeDep, actor: Writer) -> list[ReminderView]:
    svc.list_reminders(rt, actor=actor, appointment_id=appointment_id)  # scope check
    return svc.plan_reminders(rt, appointment_id=appointment_id)


@router.get(
    "/api/v1/appointments/{appointment_id}/reminders",
    responses=problem_responses(404),
    summary="An appointment's reminders",
)
def list_reminders(appointment_id: Id, rt: RuntimeDep, actor: Reader) -> list[ReminderView]:
    return svc.list_reminders(rt, actor=actor, appointment_id=appointment_id)


def report_csv(rows: list[ReportRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row.model_dump())
    return out.getvalue()


@router.get(
    "/api/v1/reports/reminders",
    responses=problem_responses(),
    response_model=list[ReportRow],
    summary="Reminders sent/delivered/confirmed, cancellations and no-shows (JSON or CSV)",
)
def reminder_report(
    rt: RuntimeDep,
    actor: Reader,
    from_: Annotated[Instant, Query(alias="from")],
    to: Instant,
    format: Literal["json", "csv"] = "json",
) -> Response | list[ReportRow]:
    if from_.tzinfo is None or to.tzinfo is None:
        raise ValidationFailed(
            "Give 'from' and 'to' with a UTC offset.",
            problems=[FieldProblem("query.from", "must include a UTC offset")],
        )
    rows = svc.reminder_report(rt, actor=actor, start=from_, end=to)
    if format == "csv":
        return Response(report_csv(rows), media_type="text/csv; charset=utf-8")
    return rows


@router.post(
    "/telephony/sms/inbound",
    responses=problem_responses(),
    response_class=Response,
    summary="The provider's inbound SMS webhook (signed); answers in TwiML",
)
async def inbound_sms(
    request: Request, rt: RuntimeDep, _guard: Annotated[None, Depends(public())]
) -> Response:
    signed = await verified(request, rt)
    params = signed.params
    sid = params.get("MessageSid") or params.get("SmsSid") or ""
    if not sid or len(sid) > 64:
        raise ValidationFailed(
            "The provider's message id is missing.",
            problems=[FieldProblem("MessageSid", "is required (at most 64 characters)")],
        )
    answer = await run_in_threadpool(
        svc.handle_inbound_sms,
        rt,
        message_sid=sid,
        from_=params.get("From", ""),
        to=params.get("To") or None,
        body=params.get("Body", ""),
    )
    twiml = MessagingResponse()
    if answer:
        twiml.message(answer)
    return Response(str(twiml), media_type="application/xml")
