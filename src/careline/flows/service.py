"""Flow use cases: drafts, publishing, rollback, version history, number bindings,
and `flow_for_number` for the telephony edge.

Each public function is one transaction and returns views. Publishing validates
the whole graph and refuses (422 `flow-invalid`, every problem listed by node)
without writing anything; otherwise the new version becomes current in the same
transaction. Rollback appends a copy of the chosen earlier version as a new
version (`restored_from` says which), so numbers only grow and the history tells
what answered the phone when; it is validated like a publish.

Writes follow the scope of the actor's `flows:write`: a flow whose numbers are
bound to locations can be changed by someone whose permission covers all of
them; a binding without a location needs the permission network-wide.
Every change is audited by flow id, with the version for publish and rollback.
Flows hold no PHI, so reads are not audited.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careline.core.db import transaction
from careline.core.errors import Conflict, FieldProblem, NotFound, ValidationFailed
from careline.core.phone import to_e164
from careline.directory import service as directory
from careline.directory.model import Calendar
from careline.directory.model import is_open as calendar_is_open
from careline.flows.model import (
    BindingCreate,
    BindingView,
    FlowDiff,
    FlowDocument,
    FlowSummary,
    FlowVersionSummary,
    FlowVersionView,
    FlowView,
    LiveFlow,
    Problem,
    ValidationReport,
    diff_flows,
    parse_flow,
    report,
    validate_flow,
)
from careline.flows.tables import FlowBindingRow, FlowRow, FlowVersionRow
from careline.runtime import Runtime
from careline.security import audit
from careline.security.model import Actor, Permission
from careline.security.service import require_scope


class NoSuchFlow(NotFound):
    error_id = "no-such-flow"


class FlowInvalid(ValidationFailed):
    error_id = "flow-invalid"
    title = "The flow has problems"


def flow_invalid(problems: list[Problem]) -> FlowInvalid:
    """The refusal of an unsafe graph: `errors` by node path, `problems` by node and code."""
    return FlowInvalid(
        f"The flow has {len(problems)} problem(s); nothing was published. "
        "Fix each one listed in 'problems' and publish again.",
        problems=[
            FieldProblem(
                f"document.nodes.{p.node_id}" if p.node_id else "document", f"{p.code}: {p.message}"
            )
            for p in problems
        ],
        extra={
            "problems": [
                {"node_id": p.node_id, "code": p.code, "message": p.message} for p in problems
            ]
        },
    )


# ---------------------------------------------------------------- helpers


def _check_scope(actor: Actor, location_ids: Iterable[str | None]) -> None:
    """The route checked `flows:write` somewhere; here it must cover these locations
    (None: network-wide)."""
    require_scope(
        actor, Permission.flows_write, location_ids, what=" This flow answers numbers there."
    )


def _audit(
    s: Session, rt: Runtime, actor: Actor, action: str, flow_id: str, **details: Any
) -> None:
    audit.record(
        s,
        clock=rt.clock,
        actor=actor,
        action=action,
        resource_type="flow",
        resource_id=flow_id,
        details=details or None,
    )


def _flow_row(s: Session, flow_id: str, *, lock: bool = False) -> FlowRow:
    stmt = select(FlowRow).where(FlowRow.id == flow_id)
    if lock:  # publishes and draft saves of one flow queue up (SQLite: BEGIN IMMEDIATE)
        stmt = stmt.with_for_update()
    row = s.execute(stmt).scalar_one_or_none()
    if row is None:
        raise NoSuchFlow("No flow has this id.")
    return row


def _bindings(s: Session, flow_id: str) -> list[FlowBindingRow]:
    return list(
        s.execute(
            select(FlowBindingRow)
            .where(FlowBindingRow.flow_id == flow_id)
            .order_by(FlowBindingRow.created_at, FlowBindingRow.id)
        ).scalars()
    )


def _binding_view(row: FlowBindingRow) -> BindingView:
    return BindingView(
        id=row.id,
        flow_id=row.flow_id,
        number=row.number,
        location_id=row.location_id,
        created_at=row.created_at,
    )


def _version_row(s: Session, flow_id: str, number: int) -> FlowVersionRow | None:
    return s.execute(
        select(FlowVersionRow).where(
            FlowVersionRow.flow_id == flow_id, FlowVersionRow.number == number
        )
    ).scalar_one_or_none()


def _stored(document: FlowDocument) -> dict[str, Any]:
    return document.model_dump(mode="json")


def _summary(row: FlowRow) -> FlowSummary:
    return FlowSummary(
        id=row.id,
        name=row.name,
        current_version=row.current_version,
        draft_revision=row.draft_revision,
        draft_updated_at=row.draft_updated_at,
        draft_updated_by=row.draft_updated_by,
    )


def _view(s: Session, row: FlowRow) -> FlowView:
    current = _version_row(s, row.id, row.current_version) if row.current_version else None
    return FlowView(
        **_summary(row).model_dump(),
        draft=FlowDocument.model_validate(row.draft),
        draft_changed=current is None or current.document != row.draft,
        bindings=[_binding_view(b) for b in _bindings(s, row.id)],
    )


def _version_summary(row: FlowVersionRow, current: int | None) -> FlowVersionSummary:
    return FlowVersionSummary(
        id=row.id,
        flow_id=row.flow_id,
        number=row.number,
        published_at=row.published_at,
        published_by=row.published_by,
        reason=row.reason,
        restored_from=row.restored_from,
        current=row.number == current,
    )


#: Parsed documents of stored versions, by (flow id, version number). A version never
#: changes once written (a publish or rollback writes or points at another), so a
#: process parses each once: re-validating the document on every call step was a
#: tenth of a webhook's time (issue 14).
_PARSED: OrderedDict[tuple[str, int], FlowDocument] = OrderedDict()
_PARSED_MAX = 256
_PARSED_LOCK = threading.Lock()


def _parsed(row: FlowVersionRow) -> FlowDocument:
    key = (row.flow_id, row.number)
    with _PARSED_LOCK:
        found = _PARSED.get(key)
        if found is not None:
            _PARSED.move_to_end(key)
            return found
    document = FlowDocument.model_validate(row.document)
    with _PARSED_LOCK:
        _PARSED[key] = document
        while len(_PARSED) > _PARSED_MAX:
            _PARSED.popitem(last=False)
    return document


def version_document(rt: Runtime, *, flow_id: str, number: int) -> FlowDocument:
    """The document of one stored version, for the engine (a call keeps the version it
    started with): from this process's cache, else read once."""
    with _PARSED_LOCK:
        found = _PARSED.get((flow_id, number))
    if found is not None:
        return found
    with transaction(rt.sessions) as s:
        version = _version_row(s, flow_id, number)
        if version is None:
            raise NotFound(f"The flow has no version {number}.", error_id="no-such-flow-version")
        return _parsed(version)


def _version_view(row: FlowVersionRow, current: int | None) -> FlowVersionView:
    return FlowVersionView(
        **_version_summary(row, current).model_dump(),
        document=_parsed(row).model_copy(deep=True),
    )


def _write_scope(s: Session, actor: Actor, flow_id: str) -> None:
    _check_scope(actor, {b.location_id for b in _bindings(s, flow_id)})


# ---------------------------------------------------------------- flows and drafts


def _create(s: Session, rt: Runtime, *, actor: Actor, document: FlowDocument) -> FlowRow:
    now = rt.clock.now()
    row = FlowRow(
        name=document.name,
        draft=_stored(document),
        draft_revision=1,
        draft_updated_at=now,
        draft_updated_by=actor.username,
        current_version=None,
        created_at=now,
    )
    s.add(row)
    s.flush()
    _audit(s, rt, actor, "flow.create", row.id)
    return row


def create_flow(rt: Runtime, *, actor: Actor, document: FlowDocument) -> FlowView:
    """A new flow whose draft is `document` (drafts may be incomplete: see `validate`)."""
    with transaction(rt.sessions) as s:
        return _view(s, _create(s, rt, actor=actor, document=document))


def list_flows(rt: Runtime, *, limit: int, offset: int) -> tuple[list[FlowSummary], int]:
    with transaction(rt.sessions) as s:
        total = s.execute(select(func.count(FlowRow.id))).scalar_one()
        rows = s.execute(
            select(FlowRow).order_by(FlowRow.name, FlowRow.id).limit(limit).offset(offset)
        ).scalars()
        return [_summary(r) for r in rows], int(total)


def get_flow(rt: Runtime, *, flow_id: str) -> FlowView:
    with transaction(rt.sessions) as s:
        return _view(s, _flow_row(s, flow_id))


def save_draft(
    rt: Runtime,
    *,
    actor: Actor,
    flow_id: str,
    document: FlowDocument,
    base_revision: int | None = None,
) -> FlowView:
    """Replace the draft. With `base_revision`, refuse (409) if someone saved since."""
    with transaction(rt.sessions) as s:
        row = _flow_row(s, flow_id, lock=True)
        _write_scope(s, actor, flow_id)
        if base_revision is not None and base_revision != row.draft_revision:
            raise Conflict(
                f"The draft was saved by someone else since revision {base_revision} "
                f"(it is now {row.draft_revision}); reload it and apply your change again.",
                error_id="draft-changed",
            )
        row.draft = _stored(document)
        row.name = document.name
        row.draft_revision += 1
        row.draft_updated_at = rt.clock.now()
        row.draft_updated_by = actor.username
        s.flush()
        _audit(s, rt, actor, "flow.draft", row.id, draft_revision=row.draft_revision)
        return _view(s, row)


def validate_draft(rt: Runtime, *, flow_id: str) -> ValidationReport:
    """Every problem that would stop the draft from being published."""
    with transaction(rt.sessions) as s:
        row = _flow_row(s, flow_id)
        return report(validate_flow(FlowDocument.model_validate(row.draft)))


# ---------------------------------------------------------------- publish and rollback


def _append_version(
    s: Session,
    rt: Runtime,
    *,
    actor: Actor,
    row: FlowRow,
    document: dict[str, Any],
    reason: str,
    restored_from: int | None,
) -> FlowVersionRow:
    number = (
        s.execute(
            select(func.max(FlowVersionRow.number)).where(FlowVersionRow.flow_id == row.id)
        ).scalar_one()
        or 0
    ) + 1
    version = FlowVersionRow(
        flow_id=row.id,
        number=number,
        document=document,
        published_at=rt.clock.now(),
        published_by=actor.username,
        published_by_user_id=actor.user_id,
        reason=reason,
        restored_from=restored_from,
    )
    s.add(version)
    row.current_version = number
    try:
        s.flush()
    except IntegrityError:  # another publish took the number between our read and write
        raise Conflict(
            "The flow was published by someone else at the same moment; reload and retry.",
            error_id="flow-changed",
        ) from None
    return version


def _unknown_locations(s: Session, document: FlowDocument) -> list[Problem]:
    """Clinics a node names (hours, queue, set) must exist: a typo would send every
    caller to nobody's queue, so it is refused at publish, by node."""
    return [
        Problem(node_id, "unknown-location", "no location has this id")
        for node_id, node in document.nodes.items()
        if (where := getattr(node, "location_id", None)) is not None
        and not directory.location_exists(s, where)
    ]


def _publish(
    s: Session,
    rt: Runtime,
    *,
    actor: Actor,
    flow_id: str,
    reason: str,
    draft_revision: int | None,
) -> FlowVersionView:
    row = _flow_row(s, flow_id, lock=True)
    _write_scope(s, actor, flow_id)
    if draft_revision is not None and draft_revision != row.draft_revision:
        raise Conflict(
            f"The draft changed since revision {draft_revision} (it is now "
            f"{row.draft_revision}); review it again before publishing.",
            error_id="draft-changed",
        )
    document = FlowDocument.model_validate(row.draft)
    problems = validate_flow(document) or _unknown_locations(s, document)
    if problems:
        raise flow_invalid(problems)
    if row.current_version is not None:
        current = _version_row(s, row.id, row.current_version)
        if current is not None and current.document == row.draft:
            raise Conflict(
                f"The draft is the same as the live version {row.current_version}.",
                error_id="nothing-to-publish",
            )
    version = _append_version(
        s, rt, actor=actor, row=row, document=row.draft, reason=reason, restored_from=None
    )
    _audit(
        s,
        rt,
        actor,
        "flow.publish",
        row.id,
        version=version.number,
        draft_revision=row.draft_revision,
    )
    return _version_view(version, row.current_version)


def publish_flow(
    rt: Runtime,
    *,
    actor: Actor,
    flow_id: str,
    reason: str,
    draft_revision: int | None = None,
) -> FlowVersionView:
    """Make the draft the live version, if its whole graph validates."""
    with transaction(rt.sessions) as s:
        return _publish(
            s, rt, actor=actor, flow_id=flow_id, reason=reason, draft_revision=draft_revision
        )


def rollback_flow(
    rt: Runtime, *, actor: Actor, flow_id: str, to_version: int, reason: str
) -> FlowVersionView:
    """Put an earlier published version back: appended as a new, current version."""
    with transaction(rt.sessions) as s:
        row = _flow_row(s, flow_id, lock=True)
        _write_scope(s, actor, flow_id)
        if row.current_version is None:
            raise Conflict("The flow has never been published.", error_id="flow-not-published")
        if to_version == row.current_version:
            raise Conflict(
                f"Version {to_version} is already the live version.", error_id="already-current"
            )
        earlier = _version_row(s, row.id, to_version)
        if earlier is None:
            raise NotFound(
                f"The flow has no version {to_version}.", error_id="no-such-flow-version"
            )
        problems = validate_flow(FlowDocument.model_validate(earlier.document))
        if problems:  # the rules grew stricter since it was published
            raise flow_invalid(problems)
        version = _append_version(
            s,
            rt,
            actor=actor,
            row=row,
            document=earlier.document,
            reason=reason,
            restored_from=earlier.number,
        )
        _audit(
            s,
            rt,
            actor,
            "flow.rollback",
            row.id,
            version=version.number,
            restored_from=earlier.number,
        )
        return _version_view(version, row.current_version)


def list_versions(
    rt: Runtime, *, flow_id: str, limit: int, offset: int
) -> tuple[list[FlowVersionSummary], int]:
    """A flow's published versions, newest first."""
    with transaction(rt.sessions) as s:
        row = _flow_row(s, flow_id)
        where = FlowVersionRow.flow_id == flow_id
        total = s.execute(select(func.count(FlowVersionRow.id)).where(where)).scalar_one()
        rows = s.execute(
            select(FlowVersionRow)
            .where(where)
            .order_by(FlowVersionRow.number.desc())
            .limit(limit)
            .offset(offset)
        ).scalars()
        return [_version_summary(v, row.current_version) for v in rows], int(total)


def get_version(rt: Runtime, *, flow_id: str, number: int) -> FlowVersionView:
    with transaction(rt.sessions) as s:
        row = _flow_row(s, flow_id)
        version = _version_row(s, flow_id, number)
        if version is None:
            raise NotFound(f"The flow has no version {number}.", error_id="no-such-flow-version")
        return _version_view(version, row.current_version)


def diff_versions(rt: Runtime, *, flow_id: str, number: int, against: int | None) -> FlowDiff:
    """What version `number` changed compared with `against` (default: the one before)."""
    with transaction(rt.sessions) as s:
        _flow_row(s, flow_id)
        base_number = number - 1 if against is None else against
        new = _version_row(s, flow_id, number)
        old = _version_row(s, flow_id, base_number)
        if new is None or old is None:
            missing = number if new is None else base_number
            raise NotFound(f"The flow has no version {missing}.", error_id="no-such-flow-version")
        return diff_flows(
            FlowDocument.model_validate(old.document), FlowDocument.model_validate(new.document)
        )


# ---------------------------------------------------------------- bindings


def _number(raw: str, field_name: str) -> str:
    text = raw.strip()
    if not text.startswith("+"):
        raise ValidationFailed(
            "Give the number in E.164 form: '+', the country code, then the number.",
            error_id="invalid-phone-number",
            problems=[FieldProblem(field_name, "must be in E.164 form, e.g. +13125550100")],
        )
    return to_e164(text, field=field_name)


def _number_taken(flow_id: str, other: str) -> Conflict:
    same = other == flow_id
    return Conflict(
        "This number is already bound to "
        + ("this flow." if same else "another flow; unbind it there first."),
        error_id="number-already-bound",
        extra={"flow_id": other},
    )


def _bind(
    s: Session, rt: Runtime, *, actor: Actor, flow_id: str, data: BindingCreate
) -> BindingView:
    number = _number(data.number, "body.number")
    _check_scope(actor, [data.location_id])
    row = _flow_row(s, flow_id, lock=True)
    _write_scope(s, actor, flow_id)
    if data.location_id is not None and not directory.location_exists(s, data.location_id):
        raise ValidationFailed(
            "No location has this id.",
            error_id="no-such-location",
            problems=[FieldProblem("body.location_id", "no location has this id")],
        )
    taken = s.execute(
        select(FlowBindingRow.flow_id).where(FlowBindingRow.number == number)
    ).scalar_one_or_none()
    if taken is not None:
        raise _number_taken(flow_id, taken)
    binding = FlowBindingRow(
        flow_id=row.id, number=number, location_id=data.location_id, created_at=rt.clock.now()
    )
    s.add(binding)
    try:
        with s.begin_nested():
            s.flush()
    except IntegrityError:  # bound elsewhere by a concurrent request
        raise Conflict(
            "This number was bound to a flow at the same moment.", error_id="number-already-bound"
        ) from None
    _audit(s, rt, actor, "flow.bind", row.id, binding_id=binding.id, location_id=data.location_id)
    return _binding_view(binding)


def bind_number(rt: Runtime, *, actor: Actor, flow_id: str, data: BindingCreate) -> BindingView:
    """Answer `number` with this flow (a number answers with one flow only)."""
    with transaction(rt.sessions) as s:
        return _bind(s, rt, actor=actor, flow_id=flow_id, data=data)


def list_bindings(
    rt: Runtime, *, flow_id: str, limit: int, offset: int
) -> tuple[list[BindingView], int]:
    with transaction(rt.sessions) as s:
        _flow_row(s, flow_id)
        rows = _bindings(s, flow_id)
        return [_binding_view(b) for b in rows[offset : offset + limit]], len(rows)


def unbind_number(rt: Runtime, *, actor: Actor, flow_id: str, binding_id: str) -> None:
    with transaction(rt.sessions) as s:
        _flow_row(s, flow_id, lock=True)
        binding = s.get(FlowBindingRow, binding_id)
        if binding is None or binding.flow_id != flow_id:
            raise NotFound("This flow has no binding with this id.", error_id="no-such-binding")
        _check_scope(actor, [binding.location_id])
        s.delete(binding)
        _audit(
            s,
            rt,
            actor,
            "flow.unbind",
            flow_id,
            binding_id=binding_id,
            location_id=binding.location_id,
        )


# ---------------------------------------------------------------- for the telephony edge


def flow_for_number(rt: Runtime, *, number: str) -> LiveFlow:
    """The published flow answering `number` now, with its binding (for the webhooks).

    Raises `NotFound` (`no-flow-for-number`) when the number is not bound, or its flow
    has never been published."""
    e164 = _number(number, "number")
    with transaction(rt.sessions) as s:
        binding = s.execute(
            select(FlowBindingRow).where(FlowBindingRow.number == e164)
        ).scalar_one_or_none()
        row = s.get(FlowRow, binding.flow_id) if binding is not None else None
        if binding is None or row is None or row.current_version is None:
            raise NotFound("No published flow answers this number.", error_id="no-flow-for-number")
        version = _version_row(s, row.id, row.current_version)
        if version is None:  # pragma: no cover - current_version always names a row
            raise NotFound("No published flow answers this number.", error_id="no-flow-for-number")
        return LiveFlow(
            flow_id=row.id,
            version=version.number,
            version_id=version.id,
            document=_parsed(version),
            binding=_binding_view(binding),
        )


@dataclass
class CalendarFacts:
    """`is_open` / `is_holiday` for a `StepContext`, reading each location's calendar
    once (one call may check the same location's hours more than once)."""

    rt: Runtime
    _calendars: dict[str, Calendar] = field(default_factory=dict)

    def _calendar(self, location_id: str) -> Calendar:
        if location_id not in self._calendars:
            self._calendars[location_id] = directory.get_location_calendar(
                self.rt, location_id=location_id
            )
        return self._calendars[location_id]

    def is_open(self, location_id: str, at: datetime) -> bool:
        return calendar_is_open(self._calendar(location_id), at)

    def is_holiday(self, location_id: str, at: datetime) -> bool:
        calendar = self._calendar(location_id)
        if calendar.holidays is None:
            return False
        return calendar.holidays.is_holiday(at.astimezone(calendar.zone).date())

    def timezone(self, location_id: str) -> str:
        return self._calendar(location_id).timezone


# ---------------------------------------------------------------- the example


def example_document(name: str = "main-line") -> FlowDocument:
    """A flow shipped in `careline/flows/examples/` (validates clean; see the tests)."""
    if not name.replace("-", "").isalnum():
        raise NotFound("No example flow has this name.", error_id="no-such-example")
    source = resources.files("careline.flows").joinpath("examples", f"{name}.json")
    if not source.is_file():
        raise NotFound("No example flow has this name.", error_id="no-such-example")
    return parse_flow(json.loads(source.read_text(encoding="utf-8")))


def install_example(
    rt: Runtime,
    *,
    actor: Actor,
    number: str,
    location_id: str | None = None,
    name: str = "main-line",
    document: FlowDocument | None = None,
) -> LiveFlow:
    """Create, publish and bind an example flow (`document`, else the shipped example
    `name`) in one transaction, for the demo network's main number. Safe to re-run:
    a number already bound is left alone."""
    document = document or example_document(name)
    e164 = _number(number, "number")
    with transaction(rt.sessions) as s:
        bound = s.execute(
            select(FlowBindingRow.id).where(FlowBindingRow.number == e164)
        ).scalar_one_or_none()
        if bound is None:
            row = _create(s, rt, actor=actor, document=document)
            reason = f"Install the '{name}' example flow"
            _publish(s, rt, actor=actor, flow_id=row.id, reason=reason, draft_revision=None)
            _bind(
                s,
                rt,
                actor=actor,
                flow_id=row.id,
                data=BindingCreate(number=e164, location_id=location_id),
            )
    return flow_for_number(rt, number=e164)
