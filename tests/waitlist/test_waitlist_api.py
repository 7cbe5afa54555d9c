"""HTTP: entries behind permissions, and the report's JSON and CSV shapes."""

from __future__ import annotations

import csv
import io

from careline.security.model import Role
from careline.waitlist import service as waitlist


def test_entries_and_report_over_http(
    rt, client, make_user, login, wl_clinic, new_patient, new_entry, new_slot
) -> None:
    clerk = make_user((Role.agent, wl_clinic.location))
    login(clerk)
    patient = new_patient()
    r = client.post(
        "/api/v1/waitlist",
        json={
            "patient_id": patient,
            "department_id": wl_clinic.department,
            "location_ids": [wl_clinic.location],
            "priority": 2,
            "preferred_times": [{"weekdays": [1], "start": "08:00", "end": "12:00"}],
        },
    )
    assert r.status_code == 201, r.text
    entry = r.json()
    assert entry["status"] == "waiting" and entry["priority"] == 2
    bad = client.post("/api/v1/waitlist", json={"patient_id": patient, "location_ids": []})
    assert bad.status_code == 422
    listed = client.get("/api/v1/waitlist", params={"location_id": wl_clinic.location}).json()
    assert [e["id"] for e in listed["items"]] == [entry["id"]]
    assert client.get("/api/v1/waitlist").status_code == 422  # neither patient nor location
    assert client.delete(f"/api/v1/waitlist/{entry['id']}").json()["status"] == "withdrawn"

    new_entry()
    waitlist.offer_slot(rt, slot_id=new_slot(), reason="test")
    span = {"from": "2026-03-01T00:00:00Z", "to": "2026-03-31T00:00:00Z"}
    rows = client.get("/api/v1/reports/waitlist", params=span).json()
    assert rows == [
        {
            "location_id": wl_clinic.location,
            "appointment_type": "FOLLOWUP",
            "openings": 1,
            "offers": 1,
            "filled": 0,
            "fill_rate": 0.0,
            "median_seconds_to_first_offer": 0.0,
            "median_seconds_to_fill": None,
        }
    ]
    text = client.get("/api/v1/reports/waitlist", params={**span, "format": "csv"})
    assert text.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(text.text)))
    assert table[0] == [
        "location_id",
        "appointment_type",
        "openings",
        "offers",
        "filled",
        "fill_rate",
        "median_seconds_to_first_offer",
        "median_seconds_to_fill",
    ]
    assert table[1][:5] == [wl_clinic.location, "FOLLOWUP", "1", "1", "0"] and table[1][7] == ""
    assert (
        client.get("/api/v1/reports/waitlist", params={**span, "format": "xml"}).status_code == 422
    )
    backwards = {"from": span["to"], "to": span["from"]}
    assert client.get("/api/v1/reports/waitlist", params=backwards).status_code == 422


def test_report_and_entries_need_permissions(client, make_user, login, wl_clinic) -> None:
    login(make_user(Role.auditor))
    assert (
        client.get("/api/v1/waitlist", params={"location_id": wl_clinic.location}).status_code
        == 403
    )
    assert client.put("/api/v1/waitlist/settings", json={"wave_size": 2}).status_code == 403


def test_a_slots_offers_show_who_was_asked_and_who_took_it(
    rt, client, clock, make_user, make_location, login, wl_clinic, new_entry, new_slot
) -> None:
    from sqlalchemy import select

    from careline.core.db import transaction
    from careline.messaging import replies
    from careline.security.model import SYSTEM
    from careline.security.tables import AuditEntryRow
    from careline.waitlist import replies as _registered  # noqa: F401

    first, second = new_entry(), new_entry()
    patients = {
        waitlist.get_entry(rt, actor=SYSTEM, entry_id=e).patient_id: e for e in (first, second)
    }
    slot = new_slot()
    waitlist.offer_slot(rt, slot_id=slot, reason="test")
    clerk = make_user((Role.agent, wl_clinic.location))
    login(clerk)
    offers = client.get(f"/api/v1/waitlist/slots/{slot}/offers")
    assert offers.status_code == 200, offers.text
    asked = offers.json()
    assert asked and all(o["status"] == "open" for o in asked)
    taker = asked[0]["patient_id"]
    assert taker in patients
    answer = replies.offer(rt, patient_id=taker, text="YES", at=clock.now())
    assert answer is not None and "booked" in answer
    listed = client.get(f"/api/v1/waitlist/slots/{slot}/offers").json()
    after = {o["patient_id"]: o["status"] for o in listed}
    assert after[taker] == "accepted"
    with transaction(rt.sessions) as s:
        audited = set(
            s.execute(
                select(AuditEntryRow.patient_id).where(
                    AuditEntryRow.action == "waitlist.offer.read"
                )
            ).scalars()
        )
    assert taker in audited

    # Another clinic's front desk is told there is no such slot; unknown ids likewise.
    elsewhere = make_user((Role.agent, make_location("Lakeside")))
    login(elsewhere)
    r = client.get(f"/api/v1/waitlist/slots/{slot}/offers")
    assert r.status_code == 404 and r.json()["error_id"] == "no-such-slot"
    assert taker not in r.text
    assert client.get("/api/v1/waitlist/slots/nope/offers").status_code == 404
