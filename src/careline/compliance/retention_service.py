"""Retention: the effective rules, legal holds, the dry-run plan and the purge.

The purge works in batches, each its own transaction with one audit entry of counts
(never PHI), so a crash loses at most the batch in flight and the next run picks up
where it stopped: a record is due by what it is (its age, not yet purged, not held),
not by any progress marker. Records under an active legal hold are excluded in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, and_, delete, false, not_, or_, select, update
from sqlalchemy.orm import Session

from careline.compliance.retention import (
    CHANNELS,
    DEFAULT_RULES,
    PER_CLINIC,
    Action,
    RecordType,
    Rule,
    rule_problems,
)
from careline.compliance.tables import LegalHoldRow, RetentionRuleRow
from careline.core.db import transaction
from careline.core.errors import FieldProblem, NotFound, ValidationFailed
from careline.jobs.model import TERMINAL
from careline.jobs.tables import JobRow
from careline.messaging.tables import OutboundMessageRow
from careline.runtime import Runtime
from careline.security import audit
from careline.security.model import Actor
from careline.timeline.tables import InteractionEventRow, InteractionRow
from careline.worklist.tables import FrontDeskTaskRow

BATCH = 200
REASON_MIN = 10


class NoSuchHold(NotFound):
    error_id = "no-such-hold"


@dataclass(frozen=True)
class PlanLine:
    record_type: RecordType
    scope: str  # "network" or a clinic's location id
    keep_days: int
    action: Action
    cutoff: datetime
    due: int


@dataclass(frozen=True)
class HoldView:
    id: str
    reason: str
    patient_id: str | None
    interaction_id: str | None
    starts: datetime | None
    ends: datetime | None
    placed_by: str
    placed_at: datetime
    released_at: datetime | None


# ---------------------------------------------------------------- rules


def _rules(s: Session) -> list[Rule]:
    """The network's rule for every type (defaults where none is stored), then the
    clinics' own."""
    stored = list(s.execute(select(RetentionRuleRow)).scalars())
    network = dict(DEFAULT_RULES)
    clinics: list[Rule] = []
    for row in stored:
        rule = Rule(RecordType(row.record_type), row.keep_days, Action(row.action), row.location_id)
        if row.location_id is None:
            network[rule.record_type] = rule
        else:
            clinics.append(rule)
    return [network[t] for t in RecordType] + sorted(
        clinics, key=lambda r: (r.record_type.value, r.location_id or "")
    )


def rules(rt: Runtime) -> list[Rule]:
    with transaction(rt.sessions) as s:
        return _rules(s)


def set_rule(
    rt: Runtime,
    *,
    actor: Actor,
    record_type: RecordType,
    keep_days: int,
    action: Action,
    location_id: str | None = None,
) -> Rule:
    """Set the network's rule for a record type, or a clinic's own (audited)."""
    problems = [FieldProblem("rule", p) for p in rule_problems(record_type, keep_days, action)]
    if location_id is not None and record_type not in PER_CLINIC:
        problems.append(FieldProblem("location_id", f"{record_type.value} has one network rule"))
    if problems:
        raise ValidationFailed("The retention rule is not valid.", problems=problems)
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(RetentionRuleRow).where(
                RetentionRuleRow.record_type == record_type.value,
                RetentionRuleRow.location_id.is_(None)
                if location_id is None
                else RetentionRuleRow.location_id == location_id,
            )
        ).scalar_one_or_none()
        if row is None:
            row = RetentionRuleRow(record_type=record_type.value, location_id=location_id)
            s.add(row)
        row.keep_days, row.action = keep_days, action.value
        row.updated_by, row.updated_at = actor.username[:120], now
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="retention.rule",
            resource_type="retention_rule",
            details={
                "record_type": record_type.value,
                "keep_days": keep_days,
                "action": action.value,
                "scope": location_id or "network",
            },
        )
    return Rule(record_type, keep_days, action, location_id)


# ---------------------------------------------------------------- holds


def _hold_view(row: LegalHoldRow) -> HoldView:
    return HoldView(
        row.id,
        row.reason,
        row.patient_id,
        row.interaction_id,
        row.starts,
        row.ends,
        row.placed_by,
        row.placed_at,
        row.released_at,
    )


def place_hold(
    rt: Runtime,
    *,
    actor: Actor,
    reason: str,
    patient_id: str | None = None,
    interaction_id: str | None = None,
    starts: datetime | None = None,
    ends: datetime | None = None,
) -> HoldView:
    """Keep every record the hold covers, whatever the rules say, until released."""
    problems = []
    if len(reason.strip()) < REASON_MIN:
        problems.append(FieldProblem("reason", f"say why, in at least {REASON_MIN} characters"))
    if patient_id is None and interaction_id is None and starts is None and ends is None:
        problems.append(FieldProblem("hold", "name a patient, an interaction or a date range"))
    for name, at in (("starts", starts), ("ends", ends)):
        if at is not None and at.tzinfo is None:
            problems.append(FieldProblem(name, "must carry a time zone"))
    if starts is not None and ends is not None and ends <= starts:
        problems.append(FieldProblem("ends", "must be after starts"))
    if problems:
        raise ValidationFailed("The legal hold is not valid.", problems=problems)
    with transaction(rt.sessions) as s:
        row = LegalHoldRow(
            patient_id=patient_id,
            interaction_id=interaction_id,
            starts=starts,
            ends=ends,
            reason=reason.strip()[:500],
            placed_by=actor.username[:120],
            placed_at=rt.clock.now(),
        )
        s.add(row)
        s.flush()
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="retention.hold",
            resource_type="legal_hold",
            resource_id=row.id,
            patient_id=patient_id,
        )
        return _hold_view(row)


def release_hold(rt: Runtime, *, actor: Actor, hold_id: str) -> HoldView:
    with transaction(rt.sessions) as s:
        row = s.get(LegalHoldRow, hold_id)
        if row is None:
            raise NoSuchHold("No legal hold has this id.")
        if row.released_at is None:
            row.released_at, row.released_by = rt.clock.now(), actor.username[:120]
            audit.record(
                s,
                clock=rt.clock,
                actor=actor,
                action="retention.release",
                resource_type="legal_hold",
                resource_id=row.id,
                patient_id=row.patient_id,
            )
        return _hold_view(row)


def holds(rt: Runtime, *, include_released: bool = False) -> list[HoldView]:
    with transaction(rt.sessions) as s:
        q = select(LegalHoldRow).order_by(LegalHoldRow.placed_at, LegalHoldRow.id)
        if not include_released:
            q = q.where(LegalHoldRow.released_at.is_(None))
        return [_hold_view(r) for r in s.execute(q).scalars()]


def _not_held(s: Session, *, patient: Any, at: Any, interaction: Any | None) -> ColumnElement[bool]:
    """SQL: the record is under no active hold (each hold's given parts must all match
    for it to cover a record)."""
    covered: list[ColumnElement[bool]] = []
    for h in s.execute(select(LegalHoldRow).where(LegalHoldRow.released_at.is_(None))).scalars():
        parts: list[ColumnElement[bool]] = []
        # `is_not(None)` first: NOT (NULL = x) is NULL in SQL, which would wrongly
        # exclude every record with no patient from the purge.
        if h.patient_id is not None:
            parts.append(and_(patient.is_not(None), patient == h.patient_id))
        if h.interaction_id is not None:
            if interaction is None:
                continue  # an interaction's hold covers no record outside the timeline
            parts.append(and_(interaction.is_not(None), interaction == h.interaction_id))
        if h.starts is not None:
            parts.append(at >= h.starts)
        if h.ends is not None:
            parts.append(at < h.ends)
        covered.append(and_(*parts))
    if not covered:
        return not_(false())
    return not_(or_(*covered))


# ---------------------------------------------------------------- what is due


def _scope(column: Any, rule: Rule, clinics_with_own: set[str]) -> ColumnElement[bool]:
    if rule.location_id is not None:
        return cast(ColumnElement[bool], column == rule.location_id)
    if not clinics_with_own:
        return not_(false())
    return or_(column.is_(None), column.not_in(sorted(clinics_with_own)))


def _of_type(record_type: RecordType) -> ColumnElement[bool]:
    """Interactions of a record type. A voicemail is a call that left one (a voice
    interaction with a `voicemail.*` event); calls are the others."""
    has_voicemail = (
        select(InteractionEventRow.id)
        .where(
            InteractionEventRow.interaction_id == InteractionRow.id,
            InteractionEventRow.kind.like("voicemail.%"),
        )
        .exists()
    )
    channels = InteractionRow.channel.in_(CHANNELS[record_type])
    if record_type is RecordType.calls:
        return and_(channels, not_(has_voicemail))
    if record_type is RecordType.voicemails:
        return or_(channels, and_(InteractionRow.channel == "voice", has_voicemail))
    return channels


def _own(all_rules: list[Rule], record_type: RecordType) -> set[str]:
    return {r.location_id for r in all_rules if r.record_type is record_type and r.location_id}


def _due_ids(
    s: Session, rule: Rule, all_rules: list[Rule], now: datetime, limit: int | None
) -> dict[str, list[str]]:
    """Ids due under `rule`, by table (`interactions`, `outbound_messages`, ...)."""
    cutoff = rule.cutoff(now)
    own = _own(all_rules, rule.record_type)
    found: dict[str, list[str]] = {}

    def take(q: Any) -> list[str]:
        return list(s.execute(q.limit(limit) if limit else q).scalars())

    if rule.record_type in CHANNELS:
        found["interactions"] = take(
            select(InteractionRow.id)
            .where(
                _of_type(rule.record_type),
                InteractionRow.started_at < cutoff,
                InteractionRow.purged_at.is_(None),
                _scope(InteractionRow.location_id, rule, own),
                _not_held(
                    s,
                    patient=InteractionRow.patient_id,
                    at=InteractionRow.started_at,
                    interaction=InteractionRow.id,
                ),
            )
            .order_by(InteractionRow.started_at, InteractionRow.id)
        )
    if rule.record_type is RecordType.texts and rule.location_id is None:
        # Messages carry no clinic: the network's rule governs them.
        found["outbound_messages"] = take(
            select(OutboundMessageRow.id)
            .where(
                OutboundMessageRow.created_at < cutoff,
                OutboundMessageRow.purged_at.is_(None),
                _not_held(
                    s,
                    patient=OutboundMessageRow.patient_id,
                    at=OutboundMessageRow.created_at,
                    interaction=None,
                ),
            )
            .order_by(OutboundMessageRow.created_at, OutboundMessageRow.id)
        )
    if rule.record_type is RecordType.tasks:
        found["front_desk_tasks"] = take(
            select(FrontDeskTaskRow.id)
            .where(
                FrontDeskTaskRow.status == "done",
                FrontDeskTaskRow.done_at < cutoff,
                _scope(FrontDeskTaskRow.location_id, rule, own),
                _not_held(
                    s,
                    patient=FrontDeskTaskRow.patient_id,
                    at=FrontDeskTaskRow.created_at,
                    interaction=FrontDeskTaskRow.interaction_id,
                ),
            )
            .order_by(FrontDeskTaskRow.done_at, FrontDeskTaskRow.id)
        )
    if rule.record_type is RecordType.jobs:
        found["jobs"] = take(
            select(JobRow.id)
            .where(JobRow.status.in_([t.value for t in TERMINAL]), JobRow.finished_at < cutoff)
            .order_by(JobRow.finished_at, JobRow.id)
        )
    return found


def plan(rt: Runtime, *, now: datetime | None = None) -> list[PlanLine]:
    """What a purge would do now (a dry run): per rule, how many records are due."""
    at = now or rt.clock.now()
    with transaction(rt.sessions) as s:
        all_rules = _rules(s)
        return [
            PlanLine(
                rule.record_type,
                rule.location_id or "network",
                rule.keep_days,
                rule.action,
                rule.cutoff(at),
                sum(len(v) for v in _due_ids(s, rule, all_rules, at, None).values()),
            )
            for rule in all_rules
        ]


# ---------------------------------------------------------------- the purge


def _apply(s: Session, table: str, ids: list[str], now: datetime) -> None:
    if table == "interactions":
        s.execute(
            update(InteractionEventRow)
            .where(InteractionEventRow.interaction_id.in_(ids))
            .values(text=None)
        )
        s.execute(
            update(InteractionRow)
            .where(InteractionRow.id.in_(ids))
            .values(summary=None, purged_at=now)
        )
    elif table == "outbound_messages":
        # Through the ORM: ciphertexts are bound to their row (issue 11, item 24).
        for row in s.execute(
            select(OutboundMessageRow).where(OutboundMessageRow.id.in_(ids))
        ).scalars():
            row.body, row.to_number, row.to_index, row.purged_at = "", "", None, now
    elif table == "front_desk_tasks":
        s.execute(delete(FrontDeskTaskRow).where(FrontDeskTaskRow.id.in_(ids)))
    elif table == "jobs":
        s.execute(delete(JobRow).where(JobRow.id.in_(ids)))  # job_events cascade


def run(rt: Runtime, *, actor: Actor, batch: int = BATCH) -> dict[str, int]:
    """Purge what is due, a batch per transaction; returns counts by record type."""
    done: dict[str, int] = {}
    with transaction(rt.sessions) as s:
        all_rules = _rules(s)
    for rule in all_rules:
        while True:
            now = rt.clock.now()
            with transaction(rt.sessions) as s:
                due = _due_ids(s, rule, all_rules, now, batch)
                count = sum(len(v) for v in due.values())
                if count == 0:
                    break
                for table, ids in due.items():
                    if ids:
                        _apply(s, table, ids, now)
                audit.record(
                    s,
                    clock=rt.clock,
                    actor=actor,
                    action="retention.purge",
                    resource_type="retention",
                    details={
                        "record_type": rule.record_type.value,
                        "scope": rule.location_id or "network",
                        "action": rule.action.value,
                        "count": count,
                    },
                )
            done[rule.record_type.value] = done.get(rule.record_type.value, 0) + count
    return done
