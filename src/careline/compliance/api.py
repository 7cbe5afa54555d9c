"""Routes: the PHI channel report (auditors)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends

from careline.api.deps import Instant, RuntimeDep, require
from careline.api.problems import problem_responses
from careline.compliance import service as svc
from careline.compliance.model import PhiChannelReport
from careline.security.model import Actor, Permission

router = APIRouter(prefix="/api/v1", tags=["compliance"])
Auditor = Annotated[Actor, Depends(require(Permission.audit_read))]


@router.get(
    "/reports/phi-channels",
    responses=problem_responses(),
    summary="Every channel patient information went through in a period (default 30 days)",
)
def phi_channels(
    rt: RuntimeDep, actor: Auditor, since: Instant | None = None, until: Instant | None = None
) -> PhiChannelReport:
    """Counts only: calls by direction, texts by sender, voicemails, API tokens that read
    patients, break-glass openings, FHIR imports and exports. Audited."""
    end = until or rt.clock.now()
    start = since or end - timedelta(days=30)
    return svc.phi_channels(rt, actor=actor, since=start, until=end)
