"""Timeline use cases: start, extend and end interactions; notes; read a patient's history.

Other capabilities (calls, messaging, reminders) record contacts through these
functions. Every function is one transaction, audited; an interaction with a
patient is scope-checked through the patients service. An interaction with no
patient yet (an unknown caller) is scoped by its location, when it has one.

Event sequence numbers are `max + 1` under a lock on the interaction row
(PostgreSQL `FOR UPDATE`; SQLite's `BEGIN IMMEDIATE` already serialises
writers), with a unique `(interaction_id, seq)` constraint as the backstop: a
conflict retries once in a fresh transaction.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from careline.core.errors import (
    Conflict,
    FieldProblem,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from careline.directory.service import location_exists
from careline.events import service as events
from careline.events.model import EventKind
from careline.patients import service as patients
from careline.runtime import Runtime
from careline.security import audit
from careline.security.model import Actor, Permission
from careline.security.service import phi_transaction
from careline.timeline import conversations
from careline.timeline.model import (
    OPEN,
    RECORDED,
    Channel,
    ConversationView,
    Direction,
    EventView,
    InteractionView,
    NewEvent,
    data_problems,
    external_ref_problems,
    kind_problems,
    status_problems,
    text_problems,
)
from careline.timeline.tables import InteractionEventRow, InteractionRow

log = logging.getLogger("careline.timeline")

#: Attempts at appending an event when another writer took the same sequence number.
APPEND_ATTEMPTS = 2


class NoSuchInteraction(NotFound):
    error_id = "no-such-interaction"


class InteractionOutOfScope(Forbidden):
    error_id = "interaction-out-of-scope"


def _fail(problems: list[FieldProblem]) -> None:
    if problems:
        names = ", ".join(p.field for p in problems[:5])
        raise ValidationFailed(f"Fix these fields and retry: {names}.", problems=problems)


def _event_view(ev: InteractionEventRow) -> EventView:
    return EventView(
        id=ev.id,
        interaction_id=ev.interaction_id,
        seq=ev.seq,
        at=ev.at,
        kind=ev.kind,
        data=dict(ev.data or {}),
        text=ev.text,
        actor_user_id=ev.actor_user_id,
        actor_name=ev.actor_name,
        staff_id=ev.staff_id,
    )


def _view(row: InteractionRow) -> InteractionView:
    return InteractionView(
        id=row.id,
        patient_id=row.patient_id,
        channel=Channel(row.channel),
        direction=Direction(row.direction),
        staff_id=row.staff_id,
        location_id=row.location_id,
        started_at=row.started_at,
        ended_at=row.ended_at,
        status=row.status,
        summary=row.summary,
        external_ref=row.external_ref,
        events=[_event_view(e) for e in row.events],
    )


def _access(
    rt: Runtime, s: Session, *, actor: Actor, permission: Permission, row: InteractionRow
) -> bool:
    """Scope check for one interaction; True when it rests on break-glass."""
    if row.patient_id is not None:
        return patients.require_patient_access(
            rt, s, actor=actor, permission=permission, patient_id=row.patient_id
        )
    if row.location_id is not None and not actor.can(permission, row.location_id):
        raise InteractionOutOfScope("This interaction belongs to a location outside yours.")
    if row.location_id is None and actor.scope_location_ids(permission) is not None:
        # An unknown caller who never reached a clinic (hung up at the network menu):
        # network-wide staff only, not every clinic's (issue 11, item 4).
        raise InteractionOutOfScope("This interaction belongs to no clinic of yours.")
    return False


def _interaction(s: Session, interaction_id: str, *, lock: bool = False) -> InteractionRow:
    stmt = select(InteractionRow).where(InteractionRow.id == interaction_id)
    if lock:
        stmt = stmt.with_for_update().options(lazyload(InteractionRow.events))
    row = s.execute(stmt).scalar_one_or_none()
    if row is None:
        raise NoSuchInteraction("No interaction has this id.")
    return row


def _audit(
    rt: Runtime,
    s: Session,
    *,
    actor: Actor,
    action: str,
    row: InteractionRow,
    flagged: bool,
    details: dict[str, Any] | None = None,
) -> None:
    audit.record(
        s,
        clock=rt.clock,
        actor=actor,
        action=action,
        resource_type="interaction",
        resource_id=row.id,
        patient_id=row.patient_id,
        flagged=flagged,
        details=details,
    )
    if action in _CHANGES:
        _tell(s, row)


#: Audited actions that change what a timeline or the inbox shows (reads change nothing).
_CHANGES = frozenset(
    {
        "interaction.start",
        "interaction.event",
        "interaction.end",
        "interaction.link_patient",
        "interaction.place",
        "timeline.note",
    }
)


def _tell(s: Session, row: InteractionRow) -> None:
    """Open timelines and inboxes at the interaction's clinic refetch (ids only)."""
    ids = {"interaction_id": row.id}
    if row.patient_id is not None:
        ids["patient_id"] = row.patient_id
    events.publish_in(
        s,
        kind=EventKind.conversation,
        permission=Permission.timeline_read,
        location_id=row.location_id,
        ids=ids,
    )


def _next_seq(s: Session, interaction_id: str) -> int:
    top = s.execute(
        select(func.max(InteractionEventRow.seq)).where(
            InteractionEventRow.interaction_id == interaction_id
        )
    ).scalar_one()
    return int(top or 0) + 1


# ---------------------------------------------------------------- writes


def start_interaction(
    rt: Runtime,
    *,
    actor: Actor,
    channel: Channel | str,
    direction: Direction | str,
    patient_id: str | None = None,
    staff_id: str | None = None,
    location_id: str | None = None,
    external_ref: str | None = None,
    at: datetime | None = None,
) -> InteractionView:
    """Open an interaction (status `open`); `patient_id` None for a caller not yet known."""
    problems = external_ref_problems(external_ref)
    if channel not in set(Channel):
        problems.append(FieldProblem("channel", "is not a known channel"))
    if direction not in set(Direction):
        problems.append(FieldProblem("direction", "is not a known direction"))
    _fail(problems)
    with phi_transaction(rt) as s:
        if location_id is not None and not location_exists(s, location_id):
            _fail([FieldProblem("location_id", "no location has this id")])
        row = InteractionRow(
            patient_id=patient_id,
            channel=Channel(channel).value,
            direction=Direction(direction).value,
            staff_id=staff_id,
            location_id=location_id,
            started_at=at or rt.clock.now(),
            status=OPEN,
            external_ref=external_ref,
            events=[],
        )
        flagged = _access(rt, s, actor=actor, permission=Permission.timeline_write, row=row)
        s.add(row)
        s.flush()
        _audit(
            rt,
            s,
            actor=actor,
            action="interaction.start",
            row=row,
            flagged=flagged,
            details={"channel": row.channel, "direction": row.direction},
        )
        return _view(row)


def append_event(
    rt: Runtime,
    *,
    actor: Actor,
    interaction_id: str,
    kind: str,
    data: dict[str, Any] | None = None,
    text: str | None = None,
    at: datetime | None = None,
    staff_id: str | None = None,
) -> EventView:
    """Add the next event to an interaction. `data` is stored in the clear: no PHI in it."""
    _fail(kind_problems(kind) + data_problems(data) + text_problems(text))
    for attempt in range(1, APPEND_ATTEMPTS + 1):
        try:
            with phi_transaction(rt) as s:
                row = _interaction(s, interaction_id, lock=True)
                flagged = _access(rt, s, actor=actor, permission=Permission.timeline_write, row=row)
                ev = InteractionEventRow(
                    interaction_id=row.id,
                    seq=_next_seq(s, row.id),
                    at=at or rt.clock.now(),
                    kind=kind,
                    data=dict(data or {}),
                    text=text,
                    actor_user_id=actor.user_id,
                    actor_name=actor.username,
                    staff_id=staff_id,
                )
                s.add(ev)
                s.flush()
                _audit(
                    rt,
                    s,
                    actor=actor,
                    action="interaction.event",
                    row=row,
                    flagged=flagged,
                    details={"kind": kind, "seq": ev.seq},
                )
                return _event_view(ev)
        except IntegrityError:
            if attempt == APPEND_ATTEMPTS:
                raise Conflict(
                    "Another writer kept taking this interaction's next event number; retry.",
                    error_id="event-seq-conflict",
                ) from None
    raise AssertionError("unreachable")


def append_events(
    rt: Runtime,
    *,
    actor: Actor,
    interaction_id: str,
    new: Sequence[NewEvent],
    at: datetime | None = None,
) -> list[EventView]:
    """Add several events in order, in one transaction with one audit entry: what one
    call step logs (issue 14: a step's events were one transaction and one audit
    entry each, a third of a webhook's time). Events that fail their checks are left
    out and named in the log; the rest are kept."""
    valid = []
    for one in new:
        problems = kind_problems(one.kind) + data_problems(one.data) + text_problems(one.text)
        if problems:
            log.warning("timeline event refused: %s", problems[0].field)
            continue
        valid.append(one)
    if not valid:
        return []
    for attempt in range(1, APPEND_ATTEMPTS + 1):
        try:
            with phi_transaction(rt) as s:
                row = _interaction(s, interaction_id, lock=True)
                flagged = _access(rt, s, actor=actor, permission=Permission.timeline_write, row=row)
                first = _next_seq(s, row.id)
                when = at or rt.clock.now()
                rows = [
                    InteractionEventRow(
                        interaction_id=row.id,
                        seq=first + i,
                        at=when,
                        kind=one.kind,
                        data=dict(one.data or {}),
                        text=one.text,
                        actor_user_id=actor.user_id,
                        actor_name=actor.username,
                    )
                    for i, one in enumerate(valid)
                ]
                s.add_all(rows)
                s.flush()
                _audit(
                    rt,
                    s,
                    actor=actor,
                    action="interaction.event",
                    row=row,
                    flagged=flagged,
                    details={"kinds": [r.kind for r in rows], "seq": first},
                )
                return [_event_view(r) for r in rows]
        except IntegrityError:
            if attempt == APPEND_ATTEMPTS:
                raise Conflict(
                    "Another writer kept taking this interaction's next event number; retry.",
                    error_id="event-seq-conflict",
                ) from None
    raise AssertionError("unreachable")


def end_interaction(
    rt: Runtime,
    *,
    actor: Actor,
    interaction_id: str,
    status: str,
    summary: str | None = None,
    at: datetime | None = None,
) -> InteractionView:
    """Close an interaction. Ending it again with the same status is a no-op (webhook retries)."""
    problems = status_problems(status) + text_problems(summary, field="summary")
    if status == OPEN:
        problems.append(FieldProblem("status", "an ended interaction cannot be 'open'"))
    _fail(problems)
    with phi_transaction(rt) as s:
        row = _interaction(s, interaction_id, lock=True)
        flagged = _access(rt, s, actor=actor, permission=Permission.timeline_write, row=row)
        if row.ended_at is not None:
            if row.status != status:
                raise Conflict(
                    f"This interaction already ended with status '{row.status}'.",
                    error_id="interaction-already-ended",
                )
            return _view(row)
        row.ended_at = at or rt.clock.now()
        row.status = status
        if summary is not None:
            row.summary = summary
        _audit(
            rt,
            s,
            actor=actor,
            action="interaction.end",
            row=row,
            flagged=flagged,
            details={"status": status},
        )
        return _view(row)


def place_interaction(
    rt: Runtime, *, actor: Actor, interaction_id: str, location_id: str
) -> InteractionView:
    """Record the clinic an interaction turned out to be for (a call to the network's
    main number, once the caller chose a clinic), so it is scoped to that clinic. An
    interaction already placed keeps its clinic."""
    with phi_transaction(rt) as s:
        row = _interaction(s, interaction_id, lock=True)
        flagged = _access(rt, s, actor=actor, permission=Permission.timeline_write, row=row)
        if row.location_id is None:
            if not location_exists(s, location_id):
                _fail([FieldProblem("location_id", "no location has this id")])
            row.location_id = location_id
            _audit(
                rt,
                s,
                actor=actor,
                action="interaction.place",
                row=row,
                flagged=flagged,
                details={"location_id": location_id},
            )
        return _view(row)


def link_patient(
    rt: Runtime, *, actor: Actor, interaction_id: str, patient_id: str
) -> InteractionView:
    """Attach an identified patient to an interaction that had none (an unknown caller)."""
    with phi_transaction(rt) as s:
        row = _interaction(s, interaction_id, lock=True)
        _access(rt, s, actor=actor, permission=Permission.timeline_write, row=row)
        if row.patient_id is not None and row.patient_id != patient_id:
            raise Conflict(
                "This interaction already belongs to another patient.",
                error_id="interaction-has-patient",
            )
        flagged = patients.require_patient_access(
            rt, s, actor=actor, permission=Permission.timeline_write, patient_id=patient_id
        )
        row.patient_id = patient_id
        _audit(rt, s, actor=actor, action="interaction.link_patient", row=row, flagged=flagged)
        return _view(row)


def list_unattached(
    rt: Runtime,
    *,
    actor: Actor,
    limit: int,
    offset: int,
    location_id: str | None = None,
) -> tuple[list[InteractionView], int]:
    """Calls, voicemails and texts careline could not put on one patient's timeline (an
    unknown or unverified caller, a shared number), newest first, only those of the
    actor's locations: staff attach them to the right patient (`link_patient`). Reading
    them is audited (their words and numbers are PHI)."""
    scope = (
        None
        if Permission.timeline_read in actor.extra_permissions
        else actor.scope_location_ids(Permission.timeline_read)
    )
    with phi_transaction(rt) as s:
        stmt = select(InteractionRow).where(InteractionRow.patient_id.is_(None))
        if location_id is not None:
            stmt = stmt.where(InteractionRow.location_id == location_id)
        if scope is not None:
            stmt = stmt.where(InteractionRow.location_id.in_(scope))
        total = s.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
        rows = list(
            s.execute(
                stmt.order_by(InteractionRow.started_at.desc(), InteractionRow.id)
                .limit(limit)
                .offset(offset)
            ).scalars()
        )
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="interaction.list_unattached",
            resource_type="interaction",
            details={"count": len(rows), "location_id": location_id},
        )
        return [_view(r) for r in rows], int(total)


#: How far back the inbox looks.
CONVERSATION_DAYS = 30
_URGENCY_RANK = {"emergency": 0, "urgent": 1}


def _text_of(row: InteractionRow) -> str | None:
    for event in row.events:
        if event.kind in ("sms.received", "sms.sent_by_staff") and event.text:
            return str(event.text)
    return next((str(e.text) for e in row.events if e.text), None)


_E164 = re.compile(r"\+\d{8,15}")


def _number_of(row: InteractionRow) -> str | None:
    """The sender of an unattached text: named (encrypted) in the note careline wrote on
    it ("Call back at ...", "Several patients use ..."), never in the clear."""
    for event in row.events:
        if event.kind in ("triage.alert", "sms.shared_number", "sms.unknown_sender") and event.text:
            found = _E164.search(str(event.text))
            if found:
                return found.group(0)
    return None


def _urgency_of(row: InteractionRow) -> str | None:
    """The urgency careline acted on (its triage alert, with a clinical task), not every
    triage reading: a "thanks!" nobody could classify is not an urgent conversation."""
    for event in row.events:
        if event.kind == "triage.alert":
            value = (event.data or {}).get("urgency")
            if isinstance(value, str):
                return value
    return None


def list_conversations(
    rt: Runtime,
    *,
    actor: Actor,
    limit: int,
    offset: int,
    needs_reply_only: bool = False,
    location_id: str | None = None,
    view: str | None = None,
) -> tuple[list[ConversationView], int]:
    """The inbox: the last 30 days of texts, one entry per patient (or per text from a
    number careline could not attach), of the actor's clinics only. Emergencies and
    urgent texts waiting for a reply come first, then newest first. Audited as one read
    naming no patient (opening a conversation is the per-patient read).

    `view`: "needs_reply" (their text is the last), "unread" (a text came in since you
    last opened it), "mine" (you are answering it), "unassigned", or all."""
    if view == "needs_reply":
        needs_reply_only = True
    since = rt.clock.now() - timedelta(days=CONVERSATION_DAYS)
    scope = (
        None
        if Permission.timeline_read in actor.extra_permissions
        else actor.scope_location_ids(Permission.timeline_read)
    )
    with phi_transaction(rt) as s:
        rows = list(
            s.execute(
                select(InteractionRow)
                .where(InteractionRow.channel == Channel.sms.value)
                .where(InteractionRow.started_at >= since)
                .order_by(InteractionRow.started_at.desc(), InteractionRow.id)
                .limit(2000)
            ).scalars()
        )
        latest: dict[str, InteractionRow] = {}
        last_inbound: dict[str, InteractionRow] = {}
        for row in rows:
            key = f"patient:{row.patient_id}" if row.patient_id else f"text:{row.id}"
            latest.setdefault(key, row)
            if row.direction == Direction.inbound.value:
                last_inbound.setdefault(key, row)
        names = patients.visible_summaries(
            s, actor=actor, patient_ids=[r.patient_id for r in latest.values() if r.patient_id]
        )
        states = conversations.states_in(s, user_id=actor.user_id, keys=list(latest))
        items: list[ConversationView] = []
        for key, row in latest.items():
            if row.patient_id is not None:
                summary = names.get(row.patient_id)
                if summary is None:
                    continue
                where = summary.home_location_id
                name = f"{summary.family_name}, {summary.given_name}"
            else:
                where = row.location_id
                if scope is not None and where not in scope:
                    continue
                name = None
            if location_id is not None and where != location_id:
                continue
            inbound = last_inbound.get(key)
            needs_reply = row.direction == Direction.inbound.value
            if needs_reply_only and not needs_reply:
                continue
            number = _number_of(row) if row.patient_id is None else None
            state = states[key]
            unread = inbound is not None and (
                state.read_at is None or inbound.started_at > state.read_at
            )
            if (
                (view == "unread" and not unread)
                or (
                    view == "mine" and (actor.user_id is None or state.assigned_to != actor.user_id)
                )
                or (view == "unassigned" and state.assigned_to is not None)
            ):
                continue
            items.append(
                ConversationView(
                    key=key,
                    patient_id=row.patient_id,
                    patient_name=name,
                    number=number,
                    location_id=where,
                    last_at=row.started_at,
                    last_direction=Direction(row.direction),
                    last_text=_text_of(row),
                    needs_reply=needs_reply,
                    urgency=_urgency_of(inbound) if inbound is not None else None,
                    interaction_id=row.id,
                    unread=unread,
                    assigned_to=state.assigned_to,
                    assigned_name=state.assigned_name,
                )
            )
        items.sort(
            key=lambda c: (
                _URGENCY_RANK.get(c.urgency or "", 2) if c.needs_reply else 2,
                -c.last_at.timestamp(),
            )
        )
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="conversation.list",
            resource_type="conversation",
            details={"count": len(items), "location_id": location_id},
        )
        return items[offset : offset + limit], len(items)


def add_note(
    rt: Runtime, *, actor: Actor, patient_id: str, text: str, at: datetime | None = None
) -> InteractionView:
    """A staff note on a patient's timeline: a `note` interaction with one `note` event."""
    with phi_transaction(rt) as s:
        return add_note_in(rt, s, actor=actor, patient_id=patient_id, text=text, at=at)


def add_note_in(
    rt: Runtime,
    s: Session,
    *,
    actor: Actor,
    patient_id: str,
    text: str,
    at: datetime | None = None,
    data: dict[str, Any] | None = None,
    field: str = "body.text",
) -> InteractionView:
    """`add_note` inside the caller's `phi_transaction` (a task resolved with a note:
    both commit or neither). `data` holds opaque ids only (e.g. the task's)."""
    _fail(text_problems(text, field=field))
    when = at or rt.clock.now()
    flagged = patients.require_patient_access(
        rt, s, actor=actor, permission=Permission.timeline_write, patient_id=patient_id
    )
    row = InteractionRow(
        patient_id=patient_id,
        channel=Channel.note.value,
        direction=Direction.internal.value,
        started_at=when,
        ended_at=when,
        status=RECORDED,
        events=[
            InteractionEventRow(
                seq=1,
                at=when,
                kind="note",
                data=dict(data or {}),
                text=text,
                actor_user_id=actor.user_id,
                actor_name=actor.username,
            )
        ],
    )
    s.add(row)
    s.flush()
    _audit(rt, s, actor=actor, action="timeline.note", row=row, flagged=flagged)
    return _view(row)


# ---------------------------------------------------------------- reads


def get_interaction(rt: Runtime, *, actor: Actor, interaction_id: str) -> InteractionView:
    with phi_transaction(rt) as s:
        row = _interaction(s, interaction_id)
        flagged = _access(rt, s, actor=actor, permission=Permission.timeline_read, row=row)
        _audit(rt, s, actor=actor, action="interaction.read", row=row, flagged=flagged)
        return _view(row)


def find_by_external_ref(
    rt: Runtime, *, actor: Actor, external_ref: str, channel: Channel | None = None
) -> InteractionView | None:
    """The latest interaction carrying a provider's call or message id, if any."""
    _fail(external_ref_problems(external_ref))
    with phi_transaction(rt) as s:
        stmt = select(InteractionRow).where(InteractionRow.external_ref == external_ref)
        if channel is not None:
            stmt = stmt.where(InteractionRow.channel == Channel(channel).value)
        row = s.execute(
            stmt.order_by(InteractionRow.started_at.desc(), InteractionRow.id.desc()).limit(1)
        ).scalar_one_or_none()
        if row is None:
            return None
        flagged = _access(rt, s, actor=actor, permission=Permission.timeline_read, row=row)
        _audit(rt, s, actor=actor, action="interaction.read", row=row, flagged=flagged)
        return _view(row)


def list_timeline(
    rt: Runtime,
    *,
    actor: Actor,
    patient_id: str,
    limit: int,
    offset: int,
    channel: Channel | None = None,
) -> tuple[list[InteractionView], int]:
    """A patient's interactions, newest first, each with its events in order."""
    with phi_transaction(rt) as s:
        flagged = patients.require_patient_access(
            rt, s, actor=actor, permission=Permission.timeline_read, patient_id=patient_id
        )
        stmt = select(InteractionRow).where(InteractionRow.patient_id == patient_id)
        if channel is not None:
            stmt = stmt.where(InteractionRow.channel == Channel(channel).value)
        total = s.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
        rows = s.execute(
            stmt.order_by(InteractionRow.started_at.desc(), InteractionRow.id.desc())
            .limit(limit)
            .offset(offset)
        ).scalars()
        items = [_view(r) for r in rows]
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="timeline.read",
            resource_type="patient",
            resource_id=patient_id,
            patient_id=patient_id,
            flagged=flagged,
            details={"count": len(items), "channel": channel.value if channel else None},
        )
        return items, int(total)
