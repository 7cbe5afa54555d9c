"""Issue 11, item 3: a supervisor of one clinic read another clinic's patient's message
text and number through GET /api/v1/outbox, and the audit named no patient."""

from __future__ import annotations

from sqlalchemy import select

from careline.core.db import transaction
from careline.messaging import service as messaging
from careline.messaging.model import StaffMessage
from careline.security.model import SYSTEM, Role
from careline.security.tables import AuditEntryRow


def _send(rt, patient_id, body, key):
    return messaging.send_staff_message(
        rt,
        actor=SYSTEM,
        patient_id=patient_id,
        message=StaffMessage(body=body, respect_quiet_hours=False),
        client_key=key,
    )


def test_the_outbox_shows_only_your_clinics_patients_and_audits_each(
    rt, client, make_user, login, make_location, make_patient
):
    here, there = make_location("Here"), make_location("There")
    mine = make_patient(phone="+13125550143", location_id=here)
    theirs = make_patient(phone="+13125550144", location_id=there)
    _send(rt, mine, "Your visit is confirmed.", "scope-test-0001")
    _send(rt, theirs, "Your results are ready.", "scope-test-0002")
    login(make_user((Role.supervisor, here)))
    r = client.get("/api/v1/outbox")
    assert r.status_code == 200, r.text
    page = r.json()
    assert {i["patient_id"] for i in page["items"]} == {mine} and page["total"] == 1
    assert "+13125550144" not in r.text and "results are ready" not in r.text
    # Asking for the other clinic's patient by id shows nothing either.
    assert client.get("/api/v1/outbox", params={"patient_id": theirs}).json()["items"] == []
    with transaction(rt.sessions) as s:
        named = set(
            s.execute(
                select(AuditEntryRow.patient_id).where(AuditEntryRow.action == "outbox.read")
            ).scalars()
        )
    assert mine in named and theirs not in named
    login(make_user(Role.supervisor))  # network-wide: sees both
    assert {i["patient_id"] for i in client.get("/api/v1/outbox").json()["items"]} == {mine, theirs}
