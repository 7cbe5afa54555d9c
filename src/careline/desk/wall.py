"""The supervisor's wall: the live queues of each clinic, every agent's state, the
callers who have waited too long, and today's figures — read-only.

The pure part (wait limits and alerts, service level, grouping into queues, the
day's figures in the clinic's time zone) are plain functions over `WallEntry`
records, tested without a database. `wall` loads everything in a handful of
queries (locations, staff, queue entries, tasks), whatever the number of clinics,
queues or agents. No PHI: queues, priorities, counts and staff display names only
(never a caller's name or number).

Definitions the wall uses (also shown in the API description):

- **Waiting**: in line with no agent's phone ringing; **ringing**: offered to an
  agent who has not picked up yet. Both are "in line": a ringing caller still hears
  the wait music, so the longest wait and the alerts count both.
- **Wait limits** (`WAIT_LIMITS`): an emergency caller in line is always an alert
  (0 s: they should never wait); urgent after 120 s; routine callers never alert.
- **Offered** today: calls that entered a clinic's queue since local midnight;
  **answered**: of those, an agent picked up; **abandoned**: left the queue with no
  agent (hung up, chose a call back, or overflowed elsewhere).
- **Service level**: answered within `SERVICE_LEVEL_SECONDS` (60 s) of entering the
  queue, as a share of today's calls that stopped waiting (answered + abandoned);
  calls still in line are not counted yet. None when no call has stopped waiting.
- **Callbacks** and **voicemails** today: front-desk tasks of kind
  `callback_request`, and `voicemail` / `urgent_voicemail` (one task per message),
  filed at the clinic since local midnight.

Queue entries belong to the clinic the call flow chose before queueing (a network
line asks the caller, or knows their home clinic); an entry with no clinic at all
is on no wall.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, and_, or_, select

from careline.core.db import transaction
from careline.core.errors import Forbidden, NotFound
from careline.desk.model import HOLDING, EntryStatus, safe_priority
from careline.desk.tables import QueueEntryRow
from careline.directory import service as directory
from careline.directory.model import LocationView, PresenceState, StaffView
from careline.routing.model import Priority
from careline.runtime import Runtime
from careline.security.model import Actor, Permission
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind

#: Seconds a caller of each priority may be in line before the wall raises an alert
#: (None: never). Emergency callers should not wait at all.
WAIT_LIMITS: Mapping[Priority, int | None] = {
    Priority.emergency: 0,
    Priority.urgent: 120,
    Priority.routine: None,
}
#: Service level: the share of calls answered within this many seconds.
SERVICE_LEVEL_SECONDS = 60
CALLBACK_KINDS = frozenset({TaskKind.callback_request})
VOICEMAIL_KINDS = frozenset({TaskKind.voicemail, TaskKind.urgent_voicemail})
IN_LINE = frozenset({EntryStatus.waiting, EntryStatus.offered})
#: How the agents table is ordered: on calls first, then free, then away.
PRESENCE_ORDER = {
    PresenceState.busy: 0,
    PresenceState.wrap_up: 1,
    PresenceState.available: 2,
    PresenceState.away: 3,
    PresenceState.offline: 4,
}


@dataclass(frozen=True)
class WallEntry:
    """A queue entry as the wall reasons about it (ids and codes only)."""

    id: str
    location_id: str | None
    department: str
    priority: str
    status: EntryStatus
    entered_at: datetime
    offered_at: datetime | None = None
    answered_at: datetime | None = None
    staff_id: str | None = None


# ---------------------------------------------------------------- views


class WallQueue(BaseModel):
    """One live queue: a clinic's department at one priority."""

    location_id: str
    department: str
    priority: str
    waiting: int = Field(description="In line, no agent ringing")
    ringing: int = Field(description="Offered to an agent whose phone rings")
    connected: int = Field(description="Talking to an agent now")
    longest_wait_seconds: int = Field(description="Of the callers in line now (0: none)")
    oldest_entered_at: datetime | None = Field(
        description="When the longest-waiting caller in line entered (to tick on screen)"
    )
    offered_today: int
    answered_today: int
    abandoned_today: int
    service_level_today: float | None = Field(description="0..1; None: no call finished waiting")


class WallAlert(BaseModel):
    """A caller in line past their priority's limit."""

    entry_id: str
    location_id: str
    department: str
    priority: str
    status: EntryStatus
    entered_at: datetime
    waited_seconds: int
    limit_seconds: int


class WallCall(BaseModel):
    """The call an agent is being rung for, or is on."""

    department: str
    priority: str
    status: EntryStatus
    location_id: str | None
    since: datetime = Field(description="When it started ringing, or was answered")


class WallAgent(BaseModel):
    staff_id: str
    display_name: str
    title: str | None
    location_ids: list[str]
    presence: PresenceState
    presence_since: datetime
    seconds_in_state: int
    current_call: WallCall | None


class WallHour(BaseModel):
    """One hour of today (clinic time): the calls that entered a queue in it."""

    hour: int = Field(ge=0, le=23)
    offered: int
    answered: int
    abandoned: int


class WallFigures(BaseModel):
    day: date = Field(description="Today in the clinic's time zone")
    offered: int
    answered: int
    abandoned: int
    answered_within_target: int
    service_level: float | None = Field(description="0..1; None: no call finished waiting")
    callbacks: int
    voicemails: int
    hours: list[WallHour] = Field(description="Midnight up to this hour, clinic time")


class WallClinic(BaseModel):
    location_id: str
    name: str
    timezone: str
    queues: list[WallQueue]
    figures: WallFigures


class WallView(BaseModel):
    at: datetime
    service_level_seconds: int
    wait_limits: dict[str, int | None] = Field(description="Seconds per priority; None: never")
    alerts: list[WallAlert]
    clinics: list[WallClinic]
    agents: list[WallAgent]


# ---------------------------------------------------------------- pure parts


def wait_limit(priority: str) -> int | None:
    """The seconds a caller of this priority may wait (unknown priorities: urgent's)."""
    return WAIT_LIMITS[safe_priority(priority)]


def seconds_between(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds()))


def in_line(entry: WallEntry) -> bool:
    return entry.status in IN_LINE


def alerts(entries: Iterable[WallEntry], now: datetime) -> list[WallAlert]:
    """Callers in line longer than their priority allows, most urgent and longest
    waiting first. A caller exactly at the limit alerts (emergency: at once)."""
    found = []
    for e in entries:
        limit = wait_limit(e.priority)
        if e.location_id is None or not in_line(e) or limit is None:
            continue
        waited = seconds_between(e.entered_at, now)
        if waited >= limit:
            found.append(
                WallAlert(
                    entry_id=e.id,
                    location_id=e.location_id,
                    department=e.department,
                    priority=e.priority,
                    status=e.status,
                    entered_at=e.entered_at,
                    waited_seconds=waited,
                    limit_seconds=limit,
                )
            )
    found.sort(key=lambda a: (-safe_priority(a.priority).rank, a.entered_at, a.entry_id))
    return found


def answered_within(entry: WallEntry, seconds: int) -> bool:
    return entry.answered_at is not None and (
        seconds_between(entry.entered_at, entry.answered_at) <= seconds
    )


def abandoned(entry: WallEntry) -> bool:
    """Left the queue with no agent having picked up."""
    return entry.status is EntryStatus.left and entry.answered_at is None


def service_level(
    entries: Iterable[WallEntry], *, seconds: int = SERVICE_LEVEL_SECONDS
) -> float | None:
    """Answered within `seconds`, over the calls that stopped waiting (answered or
    abandoned); callers still in line do not count yet. None: nothing to divide."""
    done = [e for e in entries if e.answered_at is not None or abandoned(e)]
    if not done:
        return None
    return sum(1 for e in done if answered_within(e, seconds)) / len(done)


def day_start(now: datetime, timezone: str) -> datetime:
    """Midnight today in `timezone`, as a UTC instant."""
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone).date()
    return datetime.combine(local, time(0), tzinfo=zone).astimezone(UTC)


def figures(
    entries: Sequence[WallEntry],
    tasks: Iterable[tuple[TaskKind, datetime]],
    *,
    now: datetime,
    timezone: str,
) -> WallFigures:
    """Today's figures of one clinic: entries and tasks from before its local
    midnight are ignored; hours are the clinic's."""
    zone = ZoneInfo(timezone)
    start = day_start(now, timezone)
    today = [e for e in entries if e.entered_at >= start]
    task_kinds = [kind for kind, at in tasks if at >= start]
    last_hour = now.astimezone(zone).hour
    hours = [WallHour(hour=h, offered=0, answered=0, abandoned=0) for h in range(last_hour + 1)]
    for e in today:
        bucket = hours[min(e.entered_at.astimezone(zone).hour, last_hour)]
        bucket.offered += 1
        bucket.answered += e.answered_at is not None
        bucket.abandoned += abandoned(e)
    return WallFigures(
        day=now.astimezone(zone).date(),
        offered=len(today),
        answered=sum(1 for e in today if e.answered_at is not None),
        abandoned=sum(1 for e in today if abandoned(e)),
        answered_within_target=sum(1 for e in today if answered_within(e, SERVICE_LEVEL_SECONDS)),
        service_level=service_level(today),
        callbacks=sum(1 for k in task_kinds if k in CALLBACK_KINDS),
        voicemails=sum(1 for k in task_kinds if k in VOICEMAIL_KINDS),
        hours=hours,
    )


def queues(entries: Iterable[WallEntry], *, now: datetime, since: datetime) -> list[WallQueue]:
    """One clinic's entries grouped by department and priority: who is in line now,
    and today's (entered at or after `since`) counts. Most urgent queues first."""
    groups: dict[tuple[str, str, str], list[WallEntry]] = defaultdict(list)
    for e in entries:
        if e.location_id is not None:
            groups[(e.location_id, e.department, e.priority)].append(e)
    out = []
    for (location_id, department, priority), members in groups.items():
        line = [e for e in members if in_line(e)]
        today = [e for e in members if e.entered_at >= since]
        oldest = min((e.entered_at for e in line), default=None)
        out.append(
            WallQueue(
                location_id=location_id,
                department=department,
                priority=priority,
                waiting=sum(1 for e in line if e.status is EntryStatus.waiting),
                ringing=sum(1 for e in line if e.status is EntryStatus.offered),
                connected=sum(1 for e in members if e.status is EntryStatus.connected),
                longest_wait_seconds=seconds_between(oldest, now) if oldest else 0,
                oldest_entered_at=oldest,
                offered_today=len(today),
                answered_today=sum(1 for e in today if e.answered_at is not None),
                abandoned_today=sum(1 for e in today if abandoned(e)),
                service_level_today=service_level(today),
            )
        )
    out.sort(key=lambda q: (-safe_priority(q.priority).rank, q.department, q.location_id))
    return out


def agents(
    staff: Iterable[StaffView], holding: Iterable[WallEntry], *, now: datetime
) -> list[WallAgent]:
    """Every agent with their state, time in it, and the call they hold (if any):
    on calls first, then free (longest free first), then away and offline."""
    calls: dict[str, WallEntry] = {}
    for e in holding:
        if e.staff_id is not None and e.status in HOLDING:
            calls[e.staff_id] = e
    out = []
    for member in staff:
        call = calls.get(member.id)
        current = None
        if call is not None:
            since = call.answered_at if call.status is EntryStatus.connected else call.offered_at
            current = WallCall(
                department=call.department,
                priority=call.priority,
                status=call.status,
                location_id=call.location_id,
                since=since or call.entered_at,
            )
        out.append(
            WallAgent(
                staff_id=member.id,
                display_name=member.display_name,
                title=member.title,
                location_ids=member.location_ids,
                presence=member.presence,
                presence_since=member.presence_since,
                seconds_in_state=seconds_between(member.presence_since, now),
                current_call=current,
            )
        )
    out.sort(key=lambda a: (PRESENCE_ORDER.get(a.presence, 9), a.presence_since, a.display_name))
    return out


# ---------------------------------------------------------------- the query


def _entry(row: QueueEntryRow) -> WallEntry:
    return WallEntry(
        id=row.id,
        location_id=row.location_id,
        department=row.department,
        priority=row.priority,
        status=EntryStatus(row.status),
        entered_at=row.entered_at,
        offered_at=row.offered_at,
        answered_at=row.answered_at,
        staff_id=row.staff_id,
    )


def _clinics(actor: Actor, location_id: str | None) -> list[str] | None:
    """The clinics to show (None: all): the one asked for, if the actor may read
    the directory there, else every clinic they may."""
    scope = actor.scope_location_ids(Permission.directory_read)
    if location_id is None:
        return None if scope is None else sorted(scope)
    if scope is not None and location_id not in scope:
        raise Forbidden(
            "Your directory:read permission does not cover this location.",
            error_id="location-out-of-scope",
        )
    return [location_id]


def _open_or_since(location_ids: list[str], since: datetime) -> ColumnElement[bool]:
    return and_(
        QueueEntryRow.location_id.in_(location_ids),
        or_(
            QueueEntryRow.status.in_([s.value for s in IN_LINE | HOLDING]),
            QueueEntryRow.entered_at >= since,
        ),
    )


def wall(rt: Runtime, *, actor: Actor, location_id: str | None = None) -> WallView:
    """The wall of the actor's clinics (or of one of them): a handful of queries
    in one transaction, computed by the pure functions above."""
    wanted = _clinics(actor, location_id)
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        clinics: list[LocationView] = directory.locations_in(s, location_ids=wanted)
        if location_id is not None and not clinics:
            raise NotFound("No location has this id.", error_id="no-such-location")
        ids = [c.id for c in clinics]
        staff = directory.staff_in(s, location_ids=wanted)
        starts = {c.id: day_start(now, c.timezone) for c in clinics}
        earliest = min(starts.values(), default=now)
        # One query: the clinics' open and today's entries, and the calls the agents
        # shown hold (an overflow call may belong to a clinic not on this wall).
        rows = s.execute(
            select(QueueEntryRow).where(
                or_(
                    _open_or_since(ids, earliest),
                    and_(
                        QueueEntryRow.status.in_([h.value for h in HOLDING]),
                        QueueEntryRow.staff_id.in_([m.id for m in staff]),
                    ),
                )
            )
        ).scalars()
        entries = [_entry(r) for r in rows]
        tasks = worklist.tasks_created_in(
            s, kinds=CALLBACK_KINDS | VOICEMAIL_KINDS, location_ids=ids, since=earliest
        )
    by_clinic: dict[str, list[WallEntry]] = defaultdict(list)
    for e in entries:
        if e.location_id in starts:
            by_clinic[e.location_id].append(e)
    tasks_by_clinic: dict[str, list[tuple[TaskKind, datetime]]] = defaultdict(list)
    for loc, kind, at in tasks:
        tasks_by_clinic[loc].append((kind, at))
    shown = [e for group in by_clinic.values() for e in group]
    return WallView(
        at=now,
        service_level_seconds=SERVICE_LEVEL_SECONDS,
        wait_limits={p.value: limit for p, limit in WAIT_LIMITS.items()},
        alerts=alerts(shown, now),
        clinics=[
            WallClinic(
                location_id=c.id,
                name=c.name,
                timezone=c.timezone,
                queues=queues(by_clinic[c.id], now=now, since=starts[c.id]),
                figures=figures(
                    by_clinic[c.id], tasks_by_clinic[c.id], now=now, timezone=c.timezone
                ),
            )
            for c in clinics
        ],
        agents=agents(staff, entries, now=now),
    )
