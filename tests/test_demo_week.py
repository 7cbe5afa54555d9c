"""The demo seeds a working week from the day it runs, through the real use cases, so
every list and report has something in it on the first run."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from careline.demo import seed_demo
from careline.directory import service as directory
from careline.reminders import service as reminders
from careline.reminders.model import ReminderStatus
from careline.scheduling import service as scheduling
from careline.security.model import SYSTEM
from careline.timeline import service as timeline
from careline.waitlist import service as waitlist
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind


def test_the_demo_has_a_week_of_visits_reminders_waitlist_tasks_and_texts(rt, clock):
    assert seed_demo(rt, patients_count=90)
    locations, _ = directory.list_locations(rt, limit=10, offset=0)
    today_and_next: list = []
    for location in locations:
        local_today = clock.now().astimezone(ZoneInfo(location.timezone)).date()
        for offset in (0, 1, 2, 7):
            visits, _ = scheduling.list_appointments_at_location(
                rt, actor=SYSTEM, location_id=location.id,
                day=local_today + timedelta(days=offset), limit=200, offset=0,
            )  # fmt: skip
            today_and_next += visits
    assert len(today_and_next) >= 40
    assert all(v.start > clock.now() for v in today_and_next)
    # Reminders were planned, and one visit's 48-hour reminder is due at once.
    due_now = []
    for visit in today_and_next:
        for r in reminders.list_reminders(rt, actor=SYSTEM, appointment_id=visit.id):
            assert r.status in (ReminderStatus.planned, ReminderStatus.void, ReminderStatus.sent)
            if r.status is ReminderStatus.planned and r.due_at <= clock.now() + timedelta(
                minutes=1
            ):
                due_now.append(r)
    assert due_now, "no reminder is due when the demo starts"
    waiting = sum(
        waitlist.list_entries(rt, actor=SYSTEM, limit=50, offset=0, location_id=loc.id)[1]
        for loc in locations
    )
    assert waiting >= 10
    tasks, _ = worklist.list_tasks(rt, actor=SYSTEM, limit=100, offset=0)
    kinds = {t.kind for t in tasks}
    assert {TaskKind.voicemail, TaskKind.callback_request, TaskKind.reply_needs_staff} <= kinds
    # The demo's fever text went through triage: an urgent task for the nurses.
    assert TaskKind.urgent_clinical_review in kinds
    free = [
        slot
        for loc in locations
        for slot in scheduling.free_slots(
            rt, location_id=loc.id, window_start=clock.now(),
            window_end=clock.now() + timedelta(days=8),
        )
    ]  # fmt: skip
    assert free
    # Texts from a shared household number wait, unattached, for staff to attach.
    unattached, _ = timeline.list_unattached(rt, actor=SYSTEM, limit=10, offset=0)
    which = [t for t in tasks if t.kind is TaskKind.which_patient]
    assert len(which) == len([i for i in unattached if i.channel.value == "sms"])


def test_the_front_desk_and_nurse_logins_each_have_a_desk_at_riverside(rt, clock):
    """Their logins are linked both ways to staff who take Riverside's scheduling and
    nurse-triage calls, so the agent desk works for them on the first run."""
    from careline.desk import service as desk
    from careline.security import service as security

    assert seed_demo(rt, patients_count=30)
    riverside = next(
        loc.id
        for loc in directory.list_locations(rt, limit=10, offset=0)[0]
        if loc.name == "Riverside Family Medicine"
    )
    for username, skill in (("frontdesk", "scheduling"), ("nurse", "nurse_triage")):
        user = security.get_user_by_username(rt, username=username)
        assert user.staff_id is not None
        staff = directory.get_staff(rt, staff_id=user.staff_id)
        assert staff.user_id == user.id
        assert skill in staff.skills and riverside in staff.location_ids
        actor = security.actor_for_user_id(rt, user_id=user.id)
        assert desk.my_desk(rt, actor=actor).staff_id == staff.id
