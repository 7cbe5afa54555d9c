"""The auditor's console: the audit log searched by patient, user, action and time,
"reviewed" marks, and a search exported as CSV.

An auditor holds no PHI permission, so a patient is found by family name and date of
birth through the patients' blind index (nothing is decrypted, no patient data comes
back: only which patient ids matched). The terms are in the request body, never in a
URL, and never in the audit entry that records the search itself. Review marks live in
their own table: the hash-chained entries are never changed, so `audit verify` holds.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careline.core.db import transaction
from careline.core.errors import FieldProblem, NotFound, ValidationFailed
from careline.patients.service import ids_by_name_and_birth
from careline.runtime import Runtime
from careline.security import audit
from careline.security.audit import AuditQuery
from careline.security.model import Actor
from careline.security.tables import AuditEntryRow, AuditReviewRow

#: Most entries one CSV export holds (newest first); the answer says how many matched.
EXPORT_LIMIT = 10_000

CSV_COLUMNS = (
    "seq",
    "at",
    "actor_user_id",
    "actor_name",
    "action",
    "outcome",
    "resource_type",
    "resource_id",
    "patient_id",
    "ip",
    "flagged",
    "break_glass",
    "reviewed_at",
    "reviewed_by",
    "details",
)


class NoSuchAuditEntry(NotFound):
    error_id = "no-such-audit-entry"


@dataclass(frozen=True)
class ConsoleSearch:
    """What the auditor asked for. A patient is given by id, or by family name together
    with date of birth (the blind index covers the pair)."""

    family_name: str | None = None
    date_of_birth: date | None = None
    patient_id: str | None = None
    user_id: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    flagged_only: bool = False
    limit: int = 50
    offset: int = 0

    @property
    def by_patient_name(self) -> bool:
        return self.family_name is not None or self.date_of_birth is not None


class ReviewView(BaseModel):
    seq: int
    reviewed_by: str
    reviewed_by_name: str
    reviewed_at: datetime


class ConsoleEntry(BaseModel):
    seq: int
    at: datetime
    actor_user_id: str | None
    actor_name: str
    action: str
    outcome: str
    resource_type: str | None
    resource_id: str | None
    patient_id: str | None
    ip: str | None
    flagged: bool
    #: Break-glass access (or an alert about it): the screen highlights these.
    break_glass: bool
    details: dict[str, object]
    review: ReviewView | None


class ConsoleResult(BaseModel):
    items: list[ConsoleEntry]
    total: int
    limit: int
    offset: int
    #: With a patient search by name and date of birth: the ids of the patients found
    #: (empty: nobody matched, so no entries). None when no such search was asked.
    matched_patient_ids: list[str] | None


# ---------------------------------------------------------------- pure rules


def search_problems(q: ConsoleSearch) -> list[FieldProblem]:
    """A name always with a date of birth, one way of naming the patient, a real window."""
    problems = []
    if q.family_name is not None and q.date_of_birth is None:
        problems.append(FieldProblem("body.date_of_birth", "is required with family_name"))
    if q.date_of_birth is not None and q.family_name is None:
        problems.append(FieldProblem("body.family_name", "is required with date_of_birth"))
    if q.family_name is not None and not q.family_name.strip():
        problems.append(FieldProblem("body.family_name", "must not be blank"))
    if q.patient_id is not None and q.by_patient_name:
        problems.append(
            FieldProblem("body.patient_id", "give the patient by id or by name, not both")
        )
    if q.since is not None and q.until is not None and q.since >= q.until:
        problems.append(FieldProblem("body.until", "must be after since"))
    return problems


def is_break_glass(action: str, *, flagged: bool, patient_id: str | None) -> bool:
    """Emergency access, as the log shows it: the break-glass itself, a burst alert, or a
    patient read or write flagged because it rested on an open break-glass grant."""
    if action == "patient.break_glass" or action.startswith("alert.break_glass"):
        return True
    return flagged and patient_id is not None


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will not run: text starting like a formula gets a quote
    (usernames typed at a failed sign-in are attacker-chosen)."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def to_csv(entries: list[ConsoleEntry]) -> str:
    """RFC 4180 CSV (CRLF, quoted where needed), one row per entry, UTC times."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        row = [
            str(e.seq),
            e.at.isoformat(),
            e.actor_user_id or "",
            e.actor_name,
            e.action,
            e.outcome,
            e.resource_type or "",
            e.resource_id or "",
            e.patient_id or "",
            e.ip or "",
            "true" if e.flagged else "false",
            "true" if e.break_glass else "false",
            e.review.reviewed_at.isoformat() if e.review else "",
            e.review.reviewed_by_name if e.review else "",
            json.dumps(e.details, sort_keys=True, default=str) if e.details else "",
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return out.getvalue()


# ---------------------------------------------------------------- use cases


def _review_view(row: AuditReviewRow) -> ReviewView:
    return ReviewView(
        seq=row.seq,
        reviewed_by=row.reviewed_by,
        reviewed_by_name=row.reviewed_by_name,
        reviewed_at=row.reviewed_at,
    )


def _entries(s: Session, rows: list[AuditEntryRow]) -> list[ConsoleEntry]:
    seqs = [r.seq for r in rows]
    reviews = {
        r.seq: _review_view(r)
        for r in s.execute(select(AuditReviewRow).where(AuditReviewRow.seq.in_(seqs))).scalars()
    }
    return [
        ConsoleEntry(
            seq=r.seq,
            at=r.at,
            actor_user_id=r.actor_user_id,
            actor_name=r.actor_name,
            action=r.action,
            outcome=r.outcome,
            resource_type=r.resource_type,
            resource_id=r.resource_id,
            patient_id=r.patient_id,
            ip=r.ip,
            flagged=r.flagged,
            break_glass=is_break_glass(r.action, flagged=r.flagged, patient_id=r.patient_id),
            details=dict(r.details or {}),
            review=reviews.get(r.seq),
        )
        for r in rows
    ]


def _run(
    rt: Runtime, *, actor: Actor, query: ConsoleSearch, action: str, limit: int, offset: int
) -> ConsoleResult:
    problems = search_problems(query)
    if problems:
        raise ValidationFailed("The audit search has invalid fields.", problems=problems)
    with transaction(rt.sessions) as s:
        matched: list[str] | None = None
        if query.family_name is not None and query.date_of_birth is not None:
            matched = ids_by_name_and_birth(
                s, family_name=query.family_name, date_of_birth=query.date_of_birth
            )
        rows, total = audit.search(
            s,
            AuditQuery(
                patient_id=query.patient_id,
                patient_ids=tuple(matched) if matched is not None else None,
                user_id=query.user_id,
                action=query.action,
                since=query.since,
                until=query.until,
                flagged=True if query.flagged_only else None,
                limit=limit,
                offset=offset,
            ),
        )
        items = _entries(s, rows)
        # What was asked and what it found, without the name or the date of birth.
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action=action,
            resource_type="audit_log",
            details={
                "patient_search": "name_and_birth_date" if matched is not None else None,
                "matched_patient_ids": matched,
                "patient_id": query.patient_id,
                "user_id": query.user_id,
                "action": query.action,
                "since": query.since.isoformat() if query.since else None,
                "until": query.until.isoformat() if query.until else None,
                "flagged_only": query.flagged_only,
                "count": len(items),
                "total": total,
            },
        )
    return ConsoleResult(
        items=items, total=total, limit=limit, offset=offset, matched_patient_ids=matched
    )


def search(rt: Runtime, *, actor: Actor, query: ConsoleSearch) -> ConsoleResult:
    """One page of matching entries, newest first; the search is itself audited."""
    return _run(
        rt,
        actor=actor,
        query=query,
        action="audit.search",
        limit=query.limit,
        offset=query.offset,
    )


def export_csv(rt: Runtime, *, actor: Actor, query: ConsoleSearch) -> tuple[str, int]:
    """Every match up to EXPORT_LIMIT as CSV (paging ignored), and how many matched;
    audited as `audit.export`."""
    result = _run(rt, actor=actor, query=query, action="audit.export", limit=EXPORT_LIMIT, offset=0)
    return to_csv(result.items), result.total


def review(rt: Runtime, *, actor: Actor, seq: int) -> ReviewView:
    """Mark one entry reviewed. The first mark stands: marking it again answers the
    existing mark (a retried click is not a second review). Audited as `audit.review`."""
    with transaction(rt.sessions) as s:
        if s.get(AuditEntryRow, seq) is None:
            raise NoSuchAuditEntry("No audit entry has this number.")
        existing = s.get(AuditReviewRow, seq)
        if existing is not None:
            return _review_view(existing)
        row = AuditReviewRow(
            seq=seq,
            reviewed_by=actor.user_id or actor.username,
            reviewed_by_name=actor.username,
            reviewed_at=rt.clock.now(),
        )
        try:
            with s.begin_nested():
                s.add(row)
        except IntegrityError:  # a colleague marked it at the same moment
            won = s.get(AuditReviewRow, seq, populate_existing=True)
            assert won is not None
            return _review_view(won)
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="audit.review",
            resource_type="audit_entry",
            resource_id=str(seq),
        )
        return _review_view(row)
