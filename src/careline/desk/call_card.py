"""The agent's call card and wrap-up: what an agent sees of the call offered to them
(or that they are on, or are writing up), and the disposition and note they record.

The queue facts (department, priority, language, wait) are the desk's own and carry
no PHI. Everything else on the card is PHI and is read through its owners' public
services, each of which checks scope and audits: the call's timeline interaction (the
triage decision and the caller's words, how the caller was identified), the patient's
recent interactions and their open tasks. An agent sees that part only with
patients:read at the call's clinic; the card itself is audited as one more read
(`desk.call_card`), naming the patient when there is one.

Wrap-up records an `agent.wrap_up` event on the call's interaction (disposition in
the event's data, the note encrypted as its text, the staff member named) and then
ends wrap-up exactly like "finish" does. One wrap-up per call: the recorded event is
the proof, and wrap-ups of one agent are serialised (a per-process lock on SQLite, an
advisory lock on PostgreSQL) so a double submit cannot record two.

Pure helpers (reading triage and identification out of timeline events) come first;
the two use cases follow.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from careline.core.db import transaction
from careline.core.errors import Conflict, Forbidden, NotFound
from careline.desk import service as desk
from careline.desk.model import (
    WRAP_UP_EVENT,
    CallCardView,
    CallerPatient,
    CallTriage,
    CardStatus,
    DeskView,
    Disposition,
    EntryStatus,
    OpenTask,
    RecentInteraction,
    TriageWord,
    WrapUpIn,
)
from careline.desk.tables import QueueEntryRow
from careline.directory import service as directory
from careline.directory.model import PresenceState
from careline.events import service as events
from careline.patients import service as patients
from careline.routing.model import PresenceConflict
from careline.runtime import Runtime
from careline.security import audit
from careline.security.model import Actor, Permission
from careline.security.service import phi_transaction
from careline.timeline import service as timeline
from careline.timeline.model import Channel, EventView, InteractionView
from careline.triage.model import classify
from careline.triage.service import shipped_lexicon
from careline.worklist import service as worklist

#: Earlier contacts shown on the card.
RECENT = 5
#: Open tasks shown on the card.
TASKS = 10
_URGENCY_RANK = {"emergency": 0, "urgent": 1, "routine": 2}
_TRIAGE_EVENTS = ("triage.result",)


class NoCurrentCall(NotFound):
    error_id = "no-current-call"
    title = "No call is offered to you"


class NotInWrapUp(Conflict):
    error_id = "not-in-wrap-up"
    title = "You are not wrapping up a call"


class WrapUpAlreadyRecorded(Conflict):
    error_id = "wrap-up-already-recorded"
    title = "This call's wrap-up is already recorded"


class NoCallInteraction(NotFound):
    error_id = "no-call-interaction"
    title = "The call has no timeline to record on"


# ---------------------------------------------------------------- pure helpers


def call_triage(events_: Sequence[EventView], language: str | None) -> CallTriage | None:
    """The last triage decision of the call (the one its route followed) and the
    phrases of the caller's words that drove it, found again by the rules layer so
    the card can highlight them (offsets into `words`)."""
    found = [e for e in events_ if e.kind in _TRIAGE_EVENTS]
    if not found:
        return None
    last = max(found, key=lambda e: e.seq)
    data = last.data or {}
    urgency = str(data.get("urgency") or "urgent")  # an unreadable decision is urgent
    intent = data.get("intent")
    words = last.text
    drivers: list[TriageWord] = []
    if words and words.strip():
        result = classify(words[:2000], shipped_lexicon(), language=language)
        drivers = [
            TriageWord(
                start=m.start,
                end=m.end,
                phrase=m.phrase,
                urgency=m.urgency.value,
                discounted=m.discounted,
            )
            for m in sorted(result.matched, key=lambda m: (m.start, m.end))
            if 0 <= m.start < m.end <= len(words)
        ]
    return CallTriage(
        urgency=urgency,
        intent=str(intent) if isinstance(intent, str) else None,
        escalated=bool(data.get("escalated", False)),
        words=words,
        drivers=drivers,
    )


def caller_patient(patient_id: str | None, events_: Sequence[EventView]) -> CallerPatient | None:
    """Who the call is about and how careline knows: a date of birth keyed by the
    caller verifies them; a number that belongs to one patient only identifies."""
    if patient_id is None:
        return None
    identified = [e for e in events_ if e.kind == "caller.identified"]
    by = identified[-1].data.get("by") if identified else None
    if isinstance(by, str) and by:
        return CallerPatient(patient_id=patient_id, verified=True, identified_by=by[:40])
    return CallerPatient(patient_id=patient_id, verified=False, identified_by="caller_id")


def recorded_disposition(events_: Sequence[EventView], entry_id: str) -> Disposition | None:
    """The disposition a wrap-up already recorded for this queue entry, if any."""
    for e in events_:
        if e.kind == WRAP_UP_EVENT and (e.data or {}).get("entry_id") == entry_id:
            try:
                return Disposition(str(e.data.get("disposition")))
            except ValueError:
                return Disposition.other
    return None


def recent_interaction(view: InteractionView) -> RecentInteraction:
    """An earlier contact by what happened, never by what was said."""
    kinds = list(dict.fromkeys(e.kind for e in view.events))
    urgencies = [
        str(e.data.get("urgency"))
        for e in view.events
        if e.kind.startswith("triage") and str((e.data or {}).get("urgency")) in _URGENCY_RANK
    ]
    dispositions = [str(e.data.get("disposition")) for e in view.events if e.kind == WRAP_UP_EVENT]
    return RecentInteraction(
        id=view.id,
        channel=view.channel.value,
        direction=view.direction.value,
        started_at=view.started_at,
        status=view.status,
        kinds=kinds[:8],
        urgency=min(urgencies, key=_URGENCY_RANK.__getitem__) if urgencies else None,
        disposition=dispositions[-1] if dispositions else None,
    )


def may_read_phi(actor: Actor, location_id: str | None) -> bool:
    """patients:read at the call's clinic (network-wide for a call of no clinic)."""
    if location_id is None:
        return actor.scope_location_ids(Permission.patients_read) is None
    return actor.can(Permission.patients_read, location_id)


# ---------------------------------------------------------------- finding my call


@dataclass(frozen=True)
class _MyCall:
    staff_id: str
    entry_id: str
    call_sid: str
    status: CardStatus
    department: str
    priority: str
    language: str | None
    location_id: str | None
    entered_at: datetime
    offered_at: datetime | None
    answered_at: datetime | None
    ended_at: datetime | None
    interpreter: bool
    overflow: bool
    wrap_up_ends_at: datetime | None


def _staff_id(s: Session, actor: Actor) -> str:
    staff_id = directory.staff_id_for_user(s, user_id=actor.user_id) if actor.user_id else None
    if staff_id is None:
        raise desk.NotAnAgent(
            "Your user account is not linked to a staff record, so it cannot take calls. "
            "Ask an administrator to set user_id on your staff record."
        )
    return staff_id


def _last_answered(s: Session, staff_id: str) -> QueueEntryRow | None:
    return s.execute(
        select(QueueEntryRow)
        .where(
            QueueEntryRow.staff_id == staff_id,
            QueueEntryRow.status == EntryStatus.done.value,
            QueueEntryRow.answered_at.is_not(None),
        )
        .order_by(QueueEntryRow.ended_at.desc(), QueueEntryRow.id)
        .limit(1)
    ).scalar_one_or_none()


def _my_call(s: Session, staff_id: str, now: datetime, wrap_up: timedelta) -> _MyCall | None:
    """The call ringing for me or that I am on; else, while I wrap up (and wrap-up has
    not run out), the call I last answered."""
    holding = s.execute(
        select(QueueEntryRow)
        .where(
            QueueEntryRow.staff_id == staff_id,
            QueueEntryRow.status.in_([EntryStatus.offered.value, EntryStatus.connected.value]),
        )
        .order_by(QueueEntryRow.updated_at.desc(), QueueEntryRow.id)
        .limit(1)
    ).scalar_one_or_none()
    ends: datetime | None = None
    if holding is not None:
        row = holding
        status = CardStatus(row.status)
    else:
        [me] = directory.routing_staff(s, staff_ids=[staff_id])
        if me.presence is not PresenceState.wrap_up or me.since + wrap_up <= now:
            return None
        last = _last_answered(s, staff_id)
        if last is None:
            return None
        row, status, ends = last, CardStatus.wrap_up, me.since + wrap_up
    return _MyCall(
        staff_id=staff_id,
        entry_id=row.id,
        call_sid=row.call_sid,
        status=status,
        department=row.department,
        priority=row.priority,
        language=row.language,
        location_id=row.location_id,
        entered_at=row.entered_at,
        offered_at=row.offered_at,
        answered_at=row.answered_at,
        ended_at=row.ended_at,
        interpreter=bool(row.interpreter),
        overflow=bool(row.overflow),
        wrap_up_ends_at=ends,
    )


def _wrap_up_time(rt: Runtime) -> timedelta:
    return timedelta(seconds=rt.settings.wrap_up_seconds)


def _interaction(rt: Runtime, actor: Actor, call_sid: str) -> InteractionView | None:
    """The call's timeline interaction (an audited, scope-checked read)."""
    return timeline.find_by_external_ref(
        rt, actor=actor, external_ref=call_sid, channel=Channel.voice
    )


def _open_tasks(rt: Runtime, actor: Actor, patient_id: str) -> list[OpenTask]:
    """The patient's open worklist tasks in the actor's clinics, in working order (the
    worklist's own list, so each one shown is its audited read)."""
    items, _ = worklist.list_tasks(
        rt, actor=actor, limit=TASKS, offset=0, status="open", patient_id=patient_id
    )
    return [
        OpenTask(
            id=t.id,
            kind=t.kind.value,
            urgency=t.urgency.value,
            created_at=t.created_at,
            due_at=t.due_at,
            claimed_by_name=t.claimed_by_name,
        )
        for t in items
    ]


# ---------------------------------------------------------------- the call card


def my_call_card(rt: Runtime, *, actor: Actor) -> CallCardView:
    """The card of the call offered to the signed-in agent, that they are on, or that
    they are wrapping up (404 no-current-call when none)."""
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        staff_id = _staff_id(s, actor)
        call = _my_call(s, staff_id, now, _wrap_up_time(rt))
    if call is None:
        raise NoCurrentCall("No call is ringing for you, connected or waiting for your wrap-up.")
    until = call.answered_at or now
    card = CallCardView(
        entry_id=call.entry_id,
        status=call.status,
        department=call.department,
        priority=call.priority,
        language=call.language,
        location_id=call.location_id,
        entered_at=call.entered_at,
        offered_at=call.offered_at,
        answered_at=call.answered_at,
        ended_at=call.ended_at,
        waited_seconds=max(0, int((until - call.entered_at).total_seconds())),
        interpreter=call.interpreter,
        overflow=call.overflow,
        phi_withheld=True,
        interaction_id=None,
        triage=None,
        patient=None,
        recent=[],
        open_tasks=[],
        wrap_up_ends_at=call.wrap_up_ends_at,
        disposition=None,
    )
    if not may_read_phi(actor, call.location_id):
        return card
    try:
        interaction = _interaction(rt, actor, call.call_sid)
    except Forbidden:  # the timeline refused (and audited the refusal)
        return card
    if interaction is None:
        return card.model_copy(update={"phi_withheld": False})
    card = card.model_copy(
        update={
            "phi_withheld": False,
            "interaction_id": interaction.id,
            "triage": call_triage(interaction.events, call.language),
            "disposition": recorded_disposition(interaction.events, call.entry_id),
        }
    )
    patient = caller_patient(interaction.patient_id, interaction.events)
    visible = (
        patient is not None
        and patients.summaries(rt, actor=actor, patient_ids=[patient.patient_id]) != []
    )
    if patient is not None and visible:
        history, _ = timeline.list_timeline(
            rt, actor=actor, patient_id=patient.patient_id, limit=RECENT + 1, offset=0
        )
        card = card.model_copy(
            update={
                "patient": patient,
                "recent": [recent_interaction(i) for i in history if i.id != interaction.id][
                    :RECENT
                ],
                "open_tasks": _open_tasks(rt, actor, patient.patient_id),
            }
        )
    with phi_transaction(rt) as s:
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="desk.call_card",
            resource_type="queue_entry",
            resource_id=call.entry_id,
            patient_id=card.patient.patient_id if card.patient else None,
            details={"status": call.status.value, "interaction_id": interaction.id},
        )
    return card


# ---------------------------------------------------------------- wrap-up


_LOCAL_WRAP_UPS = threading.Lock()


@contextmanager
def _one_wrap_up_at_a_time(rt: Runtime, staff_id: str) -> Iterator[None]:
    """Serialise one agent's wrap-ups across the check, the timeline write and the end
    of wrap-up (three transactions): SQLite runs one process, so a process lock does;
    PostgreSQL takes a session advisory lock keyed by the staff member."""
    if rt.engine.dialect.name != "postgresql":
        with _LOCAL_WRAP_UPS:
            yield
        return
    digest = hashlib.sha256(f"careline:wrap-up:{staff_id}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    with rt.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})


def record_wrap_up(rt: Runtime, *, actor: Actor, data: WrapUpIn) -> DeskView:
    """The agent's disposition and note for the call they are wrapping up, on that
    call's timeline; then they are available (and may be offered the next call).

    409 wrap-up-already-recorded for a call already wrapped up; 409 not-in-wrap-up
    when the agent is not wrapping up a call (on a call, or wrap-up ran out)."""
    note = (data.note or "").strip() or None
    with transaction(rt.sessions) as s:
        staff_id = _staff_id(s, actor)
    with _one_wrap_up_at_a_time(rt, staff_id):
        now = rt.clock.now()
        with transaction(rt.sessions) as s:
            call = _my_call(s, staff_id, now, _wrap_up_time(rt))
            last = _last_answered(s, staff_id)
            last_sid, last_id = (last.call_sid, last.id) if last is not None else (None, None)
        if last_sid is not None and last_id is not None:
            earlier = _interaction(rt, actor, last_sid)
            if earlier is not None and recorded_disposition(earlier.events, last_id):
                raise WrapUpAlreadyRecorded(
                    "This call's wrap-up is already on its timeline; it is recorded once."
                )
        if call is None or call.status is not CardStatus.wrap_up:
            raise NotInWrapUp(
                "Wrap-up is recorded after a call you answered ends, until wrap-up time "
                "runs out; you are not wrapping up a call now."
            )
        interaction = _interaction(rt, actor, call.call_sid)
        if interaction is None:
            raise NoCallInteraction("This call has no timeline interaction to record on.")
        staff = directory.get_staff(rt, staff_id=staff_id)
        timeline.append_event(
            rt,
            actor=actor,
            interaction_id=interaction.id,
            kind=WRAP_UP_EVENT,
            data={
                "disposition": data.disposition.value,
                "entry_id": call.entry_id,
                "staff_id": staff_id,
                "staff_name": staff.display_name,
            },
            text=note,
            staff_id=staff_id,
        )
        with transaction(rt.sessions) as s:
            events.publish_in(
                s,
                kind="desk",
                permission=Permission.presence_write,
                location_id=None,
                staff_id=staff_id,
                ids={"entry_id": call.entry_id, "interaction_id": interaction.id},
            )
        try:
            return desk.finish_my_wrap_up(rt, actor=actor)
        except PresenceConflict:  # wrap-up ran out meanwhile and a new call rings
            return desk.my_desk(rt, actor=actor)
