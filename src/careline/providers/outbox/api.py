"""Route: what the outbox provider holds (what careline would have sent)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from careline.api.deps import Page, PageDep, RuntimeDep, require
from careline.api.problems import problem_responses
from careline.providers.outbox.service import OutboxItem, list_outbox
from careline.security.model import Actor, Permission

router = APIRouter(prefix="/api/v1", tags=["outbox"])


@router.get(
    "/outbox", responses=problem_responses(), summary="Messages and calls held by the outbox"
)
def get_outbox(
    rt: RuntimeDep,
    page: PageDep,
    actor: Annotated[Actor, Depends(require(Permission.outbox_read))],
    patient_id: Annotated[str | None, Query(max_length=36)] = None,
) -> Page[OutboxItem]:
    items, total = list_outbox(
        rt.sessions,
        rt.clock,
        actor=actor,
        limit=page.limit,
        offset=page.offset,
        patient_id=patient_id,
    )
    return Page(items=items, total=total, limit=page.limit, offset=page.offset)
