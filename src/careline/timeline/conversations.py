"""The inbox's working state: who read a conversation when, and who is answering it.

A conversation is keyed as the inbox lists it: ``patient:<id>`` (every text of one
patient) or ``text:<interaction id>`` (a text careline could not attach). Both checks
below are the inbox's own: a patient's conversation needs their timeline at your
clinics; an unattached text needs the clinic its number belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from careline.core.errors import FieldProblem, NotFound, ValidationFailed
from careline.events import service as events
from careline.events.model import EventKind
from careline.patients import service as patients
from careline.runtime import Runtime
from careline.security import audit
from careline.security import service as security
from careline.security.model import Actor, Permission
from careline.security.service import phi_transaction
from careline.timeline.tables import ConversationAssignmentRow, ConversationReadRow, InteractionRow


class NoSuchConversation(NotFound):
    error_id = "no-such-conversation"


@dataclass(frozen=True)
class ConversationState:
    read_at: datetime | None
    assigned_to: str | None
    assigned_name: str | None


def _where(rt: Runtime, s: Session, *, actor: Actor, key: str) -> str | None:
    """The clinic of a conversation the actor may work on (404 otherwise, as for any
    located thing of another clinic)."""
    kind, _, ident = key.partition(":")
    if kind == "patient" and ident:
        try:
            patients.require_patient_access(
                rt, s, actor=actor, permission=Permission.timeline_read, patient_id=ident
            )
        except NotFound:
            raise NoSuchConversation("No conversation has this key.") from None
        summary = patients.visible_summaries(s, actor=actor, patient_ids=[ident]).get(ident)
        if summary is None:
            raise NoSuchConversation("No conversation has this key.")
        return summary.home_location_id
    if kind == "text" and ident:
        row = s.get(InteractionRow, ident)
        if row is None or row.patient_id is not None or row.channel != "sms":
            raise NoSuchConversation("No conversation has this key.")
        if not actor.can(Permission.timeline_read, row.location_id):
            raise NoSuchConversation("No conversation has this key.")
        return row.location_id
    raise NoSuchConversation("No conversation has this key.")


def mark_read(rt: Runtime, *, actor: Actor, key: str) -> None:
    """The actor opened the conversation: what came in until now is read, for them."""
    if actor.user_id is None:
        return  # an API token has no inbox of its own
    now = rt.clock.now()
    with phi_transaction(rt) as s:
        _where(rt, s, actor=actor, key=key)
        row = s.get(ConversationReadRow, (actor.user_id, key))
        if row is None:
            s.add(ConversationReadRow(user_id=actor.user_id, conversation_key=key, read_at=now))
        else:
            row.read_at = max(row.read_at, now)


def assign(rt: Runtime, *, actor: Actor, key: str, user_id: str | None) -> ConversationState:
    """Give the conversation to a colleague who can see it (or take it, or let it go).
    Colleagues' inboxes show the change at once; audited."""
    now = rt.clock.now()
    with phi_transaction(rt) as s:
        where = _where(rt, s, actor=actor, key=key)
        row = s.get(ConversationAssignmentRow, key)
        if user_id is None:
            if row is not None:
                s.delete(row)
        else:
            colleague = security.active_users_in(s, user_ids=[user_id]).get(user_id)
            if colleague is None or not colleague.can(Permission.timeline_read, where):
                raise ValidationFailed(
                    "That colleague cannot answer this conversation (no such active user, "
                    "or they do not work for this clinic).",
                    problems=[FieldProblem("body.user_id", "cannot see this conversation")],
                )
            if row is None:
                s.add(
                    ConversationAssignmentRow(
                        conversation_key=key,
                        user_id=user_id,
                        assigned_by=actor.user_id,
                        assigned_at=now,
                    )
                )
            else:
                row.user_id, row.assigned_by, row.assigned_at = user_id, actor.user_id, now
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="conversation.assign",
            resource_type="conversation",
            resource_id=key,
            patient_id=key.partition(":")[2] if key.startswith("patient:") else None,
            details={"to": user_id},
        )
        events.publish_in(
            s,
            kind=EventKind.conversation,
            permission=Permission.timeline_read,
            location_id=where,
            ids={"conversation": key},
        )
        names = security.display_names_in(s, user_ids=[user_id] if user_id else [])
        return ConversationState(
            read_at=None, assigned_to=user_id, assigned_name=names.get(user_id or "")
        )


def states_in(
    s: Session, *, user_id: str | None, keys: Sequence[str]
) -> dict[str, ConversationState]:
    """Inside the inbox's transaction: each conversation's read time (for this user) and
    assignee, in two queries whatever the number of conversations."""
    if not keys:
        return {}
    wanted = list(set(keys))
    reads: dict[str, datetime] = {}
    if user_id is not None:
        reads = {
            k: at
            for k, at in s.execute(
                select(ConversationReadRow.conversation_key, ConversationReadRow.read_at)
                .where(ConversationReadRow.user_id == user_id)
                .where(ConversationReadRow.conversation_key.in_(wanted))
            )
        }
    assigned = {
        k: uid
        for k, uid in s.execute(
            select(
                ConversationAssignmentRow.conversation_key, ConversationAssignmentRow.user_id
            ).where(ConversationAssignmentRow.conversation_key.in_(wanted))
        )
    }
    names = security.display_names_in(s, user_ids=list(assigned.values()))
    return {
        k: ConversationState(
            read_at=reads.get(k),
            assigned_to=assigned.get(k),
            assigned_name=names.get(assigned.get(k) or ""),
        )
        for k in wanted
    }
