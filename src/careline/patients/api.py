"""Routes: patients, their search (POST: no PHI in URLs), SMS consent and break-glass."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from careline.api.deps import Page, PageDep, RuntimeDep, require
from careline.api.problems import problem_responses
from careline.patients import service as svc
from careline.patients.model import (
    BreakGlassView,
    PatientCreate,
    PatientMatch,
    PatientSearch,
    PatientSummary,
    PatientUpdate,
    PatientView,
    SmsConsent,
    SmsConsentView,
    SummaryRequest,
)
from careline.security.model import Actor, Permission

router = APIRouter(prefix="/api/v1", tags=["patients"])

PatientId = Annotated[str, Path(max_length=36)]


class BreakGlassRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=1000, description="Why care needs this record")


class SmsConsentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sms_consent: SmsConsent


@router.post(
    "/patients", status_code=201, responses=problem_responses(409), summary="Register a patient"
)
def create_patient(
    body: PatientCreate,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_write))],
) -> PatientView:
    return svc.create_patient(rt, actor=actor, data=body)


@router.get("/patients", responses=problem_responses(), summary="Patients of my locations")
def list_patients(
    rt: RuntimeDep,
    page: PageDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_read))],
) -> Page[PatientSummary]:
    items, total = svc.list_patients(rt, actor=actor, limit=page.limit, offset=page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/patients/search",
    responses=problem_responses(),
    summary="Find patients by phone number, MRN, or family name + date of birth",
)
def search_patients(
    body: PatientSearch,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_read))],
) -> list[PatientMatch]:
    return svc.search_patients(rt, actor=actor, query=body)


@router.post(
    "/patients/summaries",
    responses=problem_responses(),
    summary="Names of up to 200 patients at once (those in your clinics), in the order asked",
)
def patient_summaries(
    body: SummaryRequest,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_read))],
) -> list[PatientSummary]:
    """For lists (a day's appointments, a worklist): one request instead of one per row.
    Ids outside your clinics are left out; each patient returned is audited."""
    return svc.summaries(rt, actor=actor, patient_ids=body.ids)


@router.get("/patients/{patient_id}", responses=problem_responses(404), summary="One patient")
def get_patient(
    patient_id: PatientId,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_read))],
) -> PatientView:
    return svc.get_patient(rt, actor=actor, patient_id=patient_id)


@router.patch(
    "/patients/{patient_id}",
    responses=problem_responses(404, 409),
    summary="Change some fields of a patient (lists given replace the whole list)",
)
def update_patient(
    patient_id: PatientId,
    body: PatientUpdate,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_write))],
) -> PatientView:
    return svc.update_patient(rt, actor=actor, patient_id=patient_id, changes=body)


@router.put(
    "/patients/{patient_id}/sms-consent",
    responses=problem_responses(404),
    summary="Record that the patient opted in to or out of text messages",
)
def set_sms_consent(
    patient_id: PatientId,
    body: SmsConsentUpdate,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.patients_write))],
) -> SmsConsentView:
    return svc.set_sms_consent(
        rt, actor=actor, patient_id=patient_id, consent=body.sms_consent, source="staff"
    )


@router.post(
    "/patients/{patient_id}/break-glass",
    responses=problem_responses(404),
    summary="Open a patient outside my locations for a few hours, with a reason (reviewed)",
)
def break_glass(
    patient_id: PatientId,
    body: BreakGlassRequest,
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.break_glass))],
) -> BreakGlassView:
    return svc.break_glass(rt, actor=actor, patient_id=patient_id, reason=body.reason)
