"""The supervisor wall's pure parts: wait limits and alerts, the service level,
queues grouped by department and priority, today's figures in the clinic's day,
and the agents table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from careline.desk.model import EntryStatus
from careline.desk.wall import (
    SERVICE_LEVEL_SECONDS,
    WallEntry,
    agents,
    alerts,
    day_start,
    figures,
    queues,
    service_level,
    wait_limit,
)
from careline.directory.model import PresenceState, StaffView
from careline.worklist.model import TaskKind

# 10:00 in Chicago (CST, UTC-6) on a Tuesday.
NOW = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)
CHICAGO = "America/Chicago"
CLINIC = "loc-1"


def entry(
    n: int,
    *,
    ago: int,
    priority: str = "routine",
    department: str = "scheduling",
    status: EntryStatus = EntryStatus.waiting,
    answered_after: int | None = None,
    staff_id: str | None = None,
    location_id: str | None = CLINIC,
) -> WallEntry:
    entered = NOW - timedelta(seconds=ago)
    answered = entered + timedelta(seconds=answered_after) if answered_after is not None else None
    return WallEntry(
        id=f"e{n}",
        location_id=location_id,
        department=department,
        priority=priority,
        status=status,
        entered_at=entered,
        offered_at=entered + timedelta(seconds=1) if staff_id else None,
        answered_at=answered,
        staff_id=staff_id,
    )


def test_limits_emergency_always_urgent_after_two_minutes_routine_never():
    assert wait_limit("emergency") == 0
    assert wait_limit("urgent") == 120
    assert wait_limit("routine") is None
    assert wait_limit("no-such-priority") == 120  # unknown: treated as urgent, safety first


def test_alerts_name_callers_past_their_limit_most_urgent_first():
    found = alerts(
        [
            entry(1, ago=119, priority="urgent"),  # not yet
            entry(2, ago=121, priority="urgent"),
            entry(3, ago=0, priority="emergency"),  # at once
            entry(4, ago=3600, priority="routine"),  # routine never alerts
            entry(5, ago=600, priority="urgent", status=EntryStatus.offered, staff_id="s1"),
            entry(6, ago=600, priority="urgent", status=EntryStatus.connected, staff_id="s2"),
            entry(7, ago=600, priority="urgent", status=EntryStatus.left),
        ],
        NOW,
    )
    assert [a.entry_id for a in found] == ["e3", "e5", "e2"]
    assert found[0].limit_seconds == 0 and found[0].waited_seconds == 0
    assert found[2].waited_seconds == 121 and found[2].limit_seconds == 120
    assert found[1].status is EntryStatus.offered  # ringing callers are still in line


def test_an_urgent_caller_exactly_at_the_limit_alerts():
    assert [a.entry_id for a in alerts([entry(1, ago=120, priority="urgent")], NOW)] == ["e1"]


def test_service_level_counts_calls_that_stopped_waiting():
    assert service_level([]) is None
    assert service_level([entry(1, ago=30)]) is None  # still waiting: not counted yet
    level = service_level(
        [
            entry(1, ago=500, status=EntryStatus.done, answered_after=SERVICE_LEVEL_SECONDS),
            entry(2, ago=500, status=EntryStatus.done, answered_after=SERVICE_LEVEL_SECONDS + 1),
            entry(3, ago=500, status=EntryStatus.left),  # abandoned
            entry(4, ago=500, status=EntryStatus.connected, answered_after=5, staff_id="s1"),
            entry(5, ago=10),  # still waiting
        ]
    )
    assert level == 2 / 4


def test_day_start_is_the_clinics_midnight():
    assert day_start(NOW, CHICAGO) == datetime(2026, 3, 3, 6, 0, tzinfo=UTC)
    assert day_start(NOW, "Asia/Tokyo") == datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
    # Just after midnight in Chicago: today began minutes ago.
    late = datetime(2026, 3, 4, 6, 5, tzinfo=UTC)
    assert day_start(late, CHICAGO) == datetime(2026, 3, 4, 6, 0, tzinfo=UTC)


def test_figures_count_today_in_the_clinics_time_zone():
    ten_hours = 10 * 3600
    today = figures(
        [
            entry(1, ago=ten_hours + 60, status=EntryStatus.done, answered_after=5),  # yesterday
            entry(2, ago=3 * 3600, status=EntryStatus.done, answered_after=20),  # 07:00
            entry(3, ago=3 * 3600, status=EntryStatus.done, answered_after=90),  # 07:00
            entry(4, ago=600, status=EntryStatus.left),  # 09:50, abandoned
            entry(5, ago=30),  # 09:59, waiting
        ],
        [
            (TaskKind.callback_request, NOW - timedelta(hours=1)),
            (TaskKind.voicemail, NOW - timedelta(hours=2)),
            (TaskKind.urgent_voicemail, NOW - timedelta(hours=2)),
            (TaskKind.voicemail, NOW - timedelta(hours=11)),  # yesterday
            (TaskKind.no_answer, NOW),  # not a figure of the wall
        ],
        now=NOW,
        timezone=CHICAGO,
    )
    assert str(today.day) == "2026-03-03"
    assert (today.offered, today.answered, today.abandoned) == (4, 2, 1)
    assert today.answered_within_target == 1
    assert today.service_level == 1 / 3
    assert (today.callbacks, today.voicemails) == (1, 2)
    assert [h.hour for h in today.hours] == list(range(11))  # midnight to 10:00
    assert (today.hours[7].offered, today.hours[7].answered) == (2, 2)
    assert (today.hours[9].offered, today.hours[9].abandoned) == (2, 1)
    assert sum(h.offered for h in today.hours) == today.offered


def test_an_empty_day_has_zeros_and_no_service_level():
    empty = figures([], [], now=NOW, timezone=CHICAGO)
    assert (empty.offered, empty.answered, empty.abandoned, empty.callbacks) == (0, 0, 0, 0)
    assert empty.service_level is None
    assert all(h.offered == 0 for h in empty.hours)


def test_queues_group_by_department_and_priority_most_urgent_first():
    since = day_start(NOW, CHICAGO)
    got = queues(
        [
            entry(1, ago=40),
            entry(2, ago=90),
            entry(3, ago=100, status=EntryStatus.offered, staff_id="s1"),
            entry(4, ago=300, status=EntryStatus.connected, answered_after=10, staff_id="s2"),
            entry(5, ago=20, priority="urgent", department="nurse_triage"),
            entry(6, ago=3000, status=EntryStatus.left),
            entry(7, ago=10, department="billing"),
        ],
        now=NOW,
        since=since,
    )
    assert [(q.department, q.priority) for q in got] == [
        ("nurse_triage", "urgent"),
        ("billing", "routine"),
        ("scheduling", "routine"),
    ]
    scheduling = got[2]
    assert (scheduling.waiting, scheduling.ringing, scheduling.connected) == (2, 1, 1)
    assert scheduling.longest_wait_seconds == 100  # the ringing caller is still in line
    assert scheduling.oldest_entered_at == NOW - timedelta(seconds=100)
    assert (scheduling.offered_today, scheduling.answered_today) == (5, 1)
    assert scheduling.abandoned_today == 1
    assert scheduling.service_level_today == 1 / 2
    assert got[0].waiting == 1 and got[0].longest_wait_seconds == 20


def test_a_queue_with_nobody_in_line_waits_zero():
    [q] = queues(
        [entry(1, ago=50, status=EntryStatus.done, answered_after=3)],
        now=NOW,
        since=day_start(NOW, CHICAGO),
    )
    assert (q.waiting, q.longest_wait_seconds, q.oldest_entered_at) == (0, 0, None)


def staff(n: int, presence: PresenceState, since_ago: int) -> StaffView:
    return StaffView(
        id=f"s{n}",
        display_name=f"Agent {n}",
        title=None,
        department_ids=[],
        location_ids=[CLINIC],
        skills=[],
        languages=["en"],
        endpoints=[],
        presence=presence,
        presence_since=NOW - timedelta(seconds=since_ago),
        user_id=None,
    )


def test_agents_show_state_time_in_it_and_their_call():
    listed = agents(
        [
            staff(1, PresenceState.offline, 9000),
            staff(2, PresenceState.available, 300),
            staff(3, PresenceState.busy, 45),
            staff(4, PresenceState.available, 600),
        ],
        [entry(1, ago=100, priority="urgent", status=EntryStatus.offered, staff_id="s3")],
        now=NOW,
    )
    assert [a.staff_id for a in listed] == ["s3", "s4", "s2", "s1"]
    busy = listed[0]
    assert busy.seconds_in_state == 45
    assert busy.current_call is not None
    assert (busy.current_call.priority, busy.current_call.status) == ("urgent", "offered")
    assert busy.current_call.since == NOW - timedelta(seconds=99)
    assert all(a.current_call is None for a in listed[1:])
