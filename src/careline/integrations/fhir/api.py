"""Route: a timeline interaction as a FHIR R4 `Communication` (application/fhir+json)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from careline.api.deps import RuntimeDep, require
from careline.api.problems import problem_responses
from careline.integrations.fhir import service as svc
from careline.security.model import Actor, Permission

router = APIRouter(prefix="/api/v1", tags=["fhir"])

FHIR_JSON = "application/fhir+json"


@router.get(
    "/interactions/{interaction_id}/fhir",
    response_class=Response,
    responses={
        200: {
            "description": "A FHIR R4 Communication resource",
            "content": {FHIR_JSON: {"schema": {"type": "object"}}},
        },
        **problem_responses(404),
    },
    summary="One interaction as a FHIR R4 Communication, for the EHR",
)
def communication(
    interaction_id: Annotated[str, Path(max_length=36)],
    rt: RuntimeDep,
    actor: Annotated[Actor, Depends(require(Permission.timeline_read))],
    include_text: Annotated[
        bool, Query(description="Include what was said or written (payload); off by default")
    ] = False,
) -> Response:
    doc = svc.export_communication(
        rt, actor=actor, interaction_id=interaction_id, include_text=include_text
    )
    return Response(content=json.dumps(doc), media_type=FHIR_JSON)
