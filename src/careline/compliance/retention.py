"""Retention rules and legal holds: what careline keeps, for how long, and what
happens after (issue 13). Pure: no I/O.

A rule names a record type, how many days it is kept from its event (a call's or
text's start, a task's completion, a job's finish), and what happens then: `strip`
removes the content and keeps the fact (who, when, which channel), `delete` removes
the record. A clinic may override the network's rule for records that carry a clinic
(calls, voicemails, texts, notes, tasks). Records under a legal hold — by patient, by
interaction, or by a date range — are never touched.

The defaults follow common US practice and are easy to change (`careline retention
set`): communications that may form part of the medical record (texts, staff notes)
keep their content 7 years; call transcripts and voicemails 1 year; worklist tasks
2 years; job records 90 days. The audit log is not purged by careline: HIPAA asks for
six years of it and its hash chain must stay verifiable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class RecordType(StrEnum):
    calls = "calls"  # voice interactions: what callers said, summaries
    voicemails = "voicemails"  # voicemail interactions: transcripts
    texts = "texts"  # SMS, reminders, offers: interactions and outbound messages
    notes = "notes"  # staff notes on the timeline
    tasks = "tasks"  # worklist tasks, once done
    jobs = "jobs"  # finished background jobs and their transitions (no PHI)


class Action(StrEnum):
    strip_content = "strip"  # remove the content, keep the fact
    delete = "delete"  # remove the record


#: Which record types may be deleted outright, and which only stripped: a timeline
#: keeps the fact of every contact (the PHI channel report counts them).
ALLOWED_ACTIONS: dict[RecordType, frozenset[Action]] = {
    RecordType.calls: frozenset({Action.strip_content}),
    RecordType.voicemails: frozenset({Action.strip_content}),
    RecordType.texts: frozenset({Action.strip_content}),
    RecordType.notes: frozenset({Action.strip_content}),
    RecordType.tasks: frozenset({Action.delete}),
    RecordType.jobs: frozenset({Action.delete}),
}

#: Record types that belong to a clinic, so a clinic may have its own rule.
PER_CLINIC = frozenset(
    {RecordType.calls, RecordType.voicemails, RecordType.texts, RecordType.notes, RecordType.tasks}
)

#: Keep at least a day: a rule of 0 would purge what is being written.
MIN_DAYS = 1
MAX_DAYS = 36_500


@dataclass(frozen=True)
class Rule:
    record_type: RecordType
    keep_days: int
    action: Action
    location_id: str | None = None  # None: the network's rule

    def cutoff(self, now: datetime) -> datetime:
        """Records whose event is before this moment are due."""
        return now - timedelta(days=self.keep_days)


DEFAULT_RULES: dict[RecordType, Rule] = {
    RecordType.calls: Rule(RecordType.calls, 365, Action.strip_content),
    RecordType.voicemails: Rule(RecordType.voicemails, 365, Action.strip_content),
    RecordType.texts: Rule(RecordType.texts, 7 * 365, Action.strip_content),
    RecordType.notes: Rule(RecordType.notes, 7 * 365, Action.strip_content),
    RecordType.tasks: Rule(RecordType.tasks, 2 * 365, Action.delete),
    RecordType.jobs: Rule(RecordType.jobs, 90, Action.delete),
}

#: The timeline channels each record type covers.
CHANNELS: dict[RecordType, tuple[str, ...]] = {
    RecordType.calls: ("voice",),
    RecordType.voicemails: ("voicemail",),
    RecordType.texts: ("sms", "reminder", "offer"),
    RecordType.notes: ("note",),
}


def rule_problems(record_type: RecordType, keep_days: int, action: Action) -> list[str]:
    """Why a rule cannot be set (empty: it can)."""
    problems = []
    if not MIN_DAYS <= keep_days <= MAX_DAYS:
        problems.append(f"keep_days must be between {MIN_DAYS} and {MAX_DAYS}")
    if action not in ALLOWED_ACTIONS[record_type]:
        allowed = ", ".join(sorted(a.value for a in ALLOWED_ACTIONS[record_type]))
        problems.append(f"{record_type.value} can only be: {allowed}")
    return problems


@dataclass(frozen=True)
class Hold:
    """A legal hold: any of patient, interaction or date range (all given must match)."""

    id: str
    reason: str
    patient_id: str | None = None
    interaction_id: str | None = None
    starts: datetime | None = None
    ends: datetime | None = None

    def covers(self, *, patient_id: str | None, interaction_id: str | None, at: datetime) -> bool:
        if self.patient_id is not None and self.patient_id != patient_id:
            return False
        if self.interaction_id is not None and self.interaction_id != interaction_id:
            return False
        if self.starts is not None and at < self.starts:
            return False
        return not (self.ends is not None and at >= self.ends)


def held(
    holds: list[Hold], *, patient_id: str | None, interaction_id: str | None, at: datetime
) -> bool:
    return any(h.covers(patient_id=patient_id, interaction_id=interaction_id, at=at) for h in holds)
