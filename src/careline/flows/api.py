"""Routes: call flows, their drafts, validation, publishing, rollback, versions and
the numbers they answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from careline.api.deps import Page, PageDep, RuntimeDep, require
from careline.api.problems import problem_responses
from careline.flows import service as svc
from careline.flows.model import (
    ID_PATTERN,
    BindingCreate,
    BindingView,
    DraftUpdate,
    FlowCreate,
    FlowDiff,
    FlowDocument,
    FlowSummary,
    FlowVersionSummary,
    FlowVersionView,
    FlowView,
    PublishRequest,
    RollbackRequest,
    ValidationReport,
    report,
    validate_flow,
)
from careline.security.model import Actor, Permission

router = APIRouter(prefix="/api/v1", tags=["flows"])

Reader = Annotated[Actor, Depends(require(Permission.flows_read))]
Writer = Annotated[Actor, Depends(require(Permission.flows_write))]
FlowId = Annotated[str, Path(pattern=ID_PATTERN)]
BindingId = Annotated[str, Path(pattern=ID_PATTERN)]
VersionNumber = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/flows", responses=problem_responses(), summary="Call flows, by name")
def list_flows(rt: RuntimeDep, page: PageDep, _: Reader) -> Page[FlowSummary]:
    items, total = svc.list_flows(rt, limit=page.limit, offset=page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/flows",
    status_code=201,
    responses=problem_responses(),
    summary="Create a flow from a draft document (it may still be incomplete)",
)
def create_flow(body: FlowCreate, rt: RuntimeDep, actor: Writer) -> FlowView:
    return svc.create_flow(rt, actor=actor, document=body.document)


@router.post(
    "/flows/lint",
    responses=problem_responses(),
    summary="Every problem of a flow document, by node (nothing is stored)",
)
def lint_flow(body: FlowDocument, _: Reader) -> ValidationReport:
    return report(validate_flow(body))


@router.get("/flows/{flow_id}", responses=problem_responses(404), summary="A flow and its draft")
def get_flow(flow_id: FlowId, rt: RuntimeDep, _: Reader) -> FlowView:
    return svc.get_flow(rt, flow_id=flow_id)


@router.put(
    "/flows/{flow_id}/draft",
    responses=problem_responses(404, 409),
    summary="Replace the draft (409 if base_revision is given and someone saved since)",
)
def save_draft(flow_id: FlowId, body: DraftUpdate, rt: RuntimeDep, actor: Writer) -> FlowView:
    return svc.save_draft(
        rt, actor=actor, flow_id=flow_id, document=body.document, base_revision=body.base_revision
    )


@router.get(
    "/flows/{flow_id}/draft/problems",
    responses=problem_responses(404),
    summary="What would stop the draft from being published",
)
def draft_problems(flow_id: FlowId, rt: RuntimeDep, _: Reader) -> ValidationReport:
    return svc.validate_draft(rt, flow_id=flow_id)


@router.post(
    "/flows/{flow_id}/publish",
    status_code=201,
    responses=problem_responses(404, 409),
    summary="Publish the draft as the new live version (422 flow-invalid lists every problem)",
)
def publish_flow(
    flow_id: FlowId, body: PublishRequest, rt: RuntimeDep, actor: Writer
) -> FlowVersionView:
    return svc.publish_flow(
        rt, actor=actor, flow_id=flow_id, reason=body.reason, draft_revision=body.draft_revision
    )


@router.post(
    "/flows/{flow_id}/rollback",
    status_code=201,
    responses=problem_responses(404, 409),
    summary="Put an earlier version back live (as a new version that copies it)",
)
def rollback_flow(
    flow_id: FlowId, body: RollbackRequest, rt: RuntimeDep, actor: Writer
) -> FlowVersionView:
    return svc.rollback_flow(
        rt, actor=actor, flow_id=flow_id, to_version=body.version, reason=body.reason
    )


@router.get(
    "/flows/{flow_id}/versions",
    responses=problem_responses(404),
    summary="Published versions, newest first",
)
def list_versions(
    flow_id: FlowId, rt: RuntimeDep, page: PageDep, _: Reader
) -> Page[FlowVersionSummary]:
    items, total = svc.list_versions(rt, flow_id=flow_id, limit=page.limit, offset=page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.get(
    "/flows/{flow_id}/versions/{number}",
    responses=problem_responses(404),
    summary="One published version with its document",
)
def get_version(
    flow_id: FlowId, number: VersionNumber, rt: RuntimeDep, _: Reader
) -> FlowVersionView:
    return svc.get_version(rt, flow_id=flow_id, number=number)


@router.get(
    "/flows/{flow_id}/versions/{number}/diff",
    responses=problem_responses(404),
    summary="Nodes a version added, removed and changed (against the one before, by default)",
)
def diff_version(
    flow_id: FlowId,
    number: VersionNumber,
    rt: RuntimeDep,
    _: Reader,
    against: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> FlowDiff:
    return svc.diff_versions(rt, flow_id=flow_id, number=number, against=against)


@router.get(
    "/flows/{flow_id}/bindings",
    responses=problem_responses(404),
    summary="The numbers this flow answers",
)
def list_bindings(flow_id: FlowId, rt: RuntimeDep, page: PageDep, _: Reader) -> Page[BindingView]:
    items, total = svc.list_bindings(rt, flow_id=flow_id, limit=page.limit, offset=page.offset)
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)


@router.post(
    "/flows/{flow_id}/bindings",
    status_code=201,
    responses=problem_responses(404, 409),
    summary="Answer a number (E.164, one flow per number) with this flow",
)
def bind_number(flow_id: FlowId, body: BindingCreate, rt: RuntimeDep, actor: Writer) -> BindingView:
    return svc.bind_number(rt, actor=actor, flow_id=flow_id, data=body)


@router.delete(
    "/flows/{flow_id}/bindings/{binding_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(404),
    summary="Stop answering a number with this flow",
)
def unbind_number(
    flow_id: FlowId, binding_id: BindingId, rt: RuntimeDep, actor: Writer
) -> Response:
    svc.unbind_number(rt, actor=actor, flow_id=flow_id, binding_id=binding_id)
    return Response(status_code=204)
