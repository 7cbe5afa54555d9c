"""The scheduling routes: real HTTP through the app, permissions, scope and problem+json."""

from __future__ import annotations

from datetime import timedelta

from scheduling_helpers import audit_entries

from careline.security.model import Role


def iso(dt) -> str:
    return dt.isoformat()


def test_front_desk_books_lists_moves_and_cancels(
    client, clock, make_user, login, clinic, make_slot
):
    login(make_user((Role.agent, clinic.location)))
    slot, later = make_slot(hours=24), make_slot(hours=48)

    offered = client.get("/api/v1/slots", params={"location_id": clinic.location})
    assert offered.status_code == 200
    assert [s["id"] for s in offered.json()["items"]] == [slot, later]
    assert offered.json()["total"] == 2

    r = client.post("/api/v1/appointments", json={"patient_id": clinic.patient, "slot_id": slot})
    assert r.status_code == 201, r.text
    appt = r.json()
    assert appt["status"] == "booked" and appt["appointment_type"]["code"] == "FOLLOWUP"

    again = client.post(
        "/api/v1/appointments", json={"patient_id": clinic.patient, "slot_id": slot}
    )
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["error_id"] == "slot-taken"

    assert client.get(f"/api/v1/appointments/{appt['id']}").json()["id"] == appt["id"]
    mine = client.get("/api/v1/appointments", params={"patient_id": clinic.patient}).json()
    assert mine["total"] == 1 and mine["items"][0]["id"] == appt["id"]
    day = "2026-03-03"  # tomorrow 09:00 in Chicago
    today = client.get(
        "/api/v1/appointments", params={"location_id": clinic.location, "day": day}
    ).json()
    assert [a["id"] for a in today["items"]] == [appt["id"]]

    r = client.post(f"/api/v1/appointments/{appt['id']}/confirm")
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    assert r.json()["confirmed_via"] == "staff"  # not "by reminder": someone here did it
    r = client.post(f"/api/v1/appointments/{appt['id']}/reschedule", json={"slot_id": later})
    assert r.status_code == 200, r.text
    assert r.json()["slot_id"] == later and r.json()["status"] == "booked"
    r = client.post(f"/api/v1/appointments/{appt['id']}/cancel", json={"reason": "patient"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    free = client.get("/api/v1/slots").json()
    assert {s["id"] for s in free["items"]} == {slot, later}

    r = client.post(f"/api/v1/appointments/{appt['id']}/arrived")
    assert r.status_code == 409 and r.json()["error_id"] == "appointment-transition-refused"


def test_outcomes_over_http(client, clock, make_user, login, clinic, make_slot, book):
    login(make_user(Role.agent))
    appt = book(make_slot(hours=0.2))  # in 12 minutes
    early = client.post(f"/api/v1/appointments/{appt.id}/noshow")
    assert early.status_code == 409 and "started" in early.json()["detail"]
    clock.advance(timedelta(minutes=13))  # within the session's idle limit
    assert client.post(f"/api/v1/appointments/{appt.id}/noshow").json()["status"] == "noshow"
    other = book(make_slot(hours=2))
    assert client.post(f"/api/v1/appointments/{other.id}/arrived").json()["status"] == "arrived"
    done = client.post(f"/api/v1/appointments/{other.id}/fulfilled")
    assert done.json()["status"] == "fulfilled"


def test_bad_input_is_named_and_nothing_is_written(client, clock, make_user, login, clinic):
    login(make_user(Role.agent))
    naive = client.post(
        "/api/v1/appointments",
        json={
            "patient_id": clinic.patient,
            "staff_id": clinic.provider,
            "location_id": clinic.location,
            "start": "2026-03-05T09:00:00",
            "duration_minutes": 30,
            "appointment_type": {"code": "ANNUAL", "display": "Annual check-up"},
        },
    )
    assert naive.status_code == 422
    assert naive.json()["errors"][0]["field"] == "body.start"
    half = client.post(
        "/api/v1/appointments",
        json={
            "patient_id": clinic.patient,
            "slot_id": "00000000-0000-0000-0000-000000000000",
            "start": iso(clock.now() + timedelta(days=1)),
        },
    )
    assert half.status_code == 422 and half.json()["errors"][0]["field"] == "body.start"
    extra = client.post(
        "/api/v1/appointments", json={"patient_id": clinic.patient, "notes": "chest pain"}
    )
    assert extra.status_code == 422
    assert "chest pain" not in extra.text  # input values are never echoed back
    bad_reason = client.post(
        "/api/v1/appointments/00000000-0000-0000-0000-000000000000/cancel",
        json={"reason": "because"},
    )
    assert bad_reason.status_code == 422
    missing = client.get("/api/v1/appointments/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json()["error_id"] == "no-such-appointment"
    both = client.get(
        "/api/v1/appointments",
        params={"patient_id": clinic.patient, "location_id": clinic.location},
    )
    assert both.status_code == 422
    assert client.get("/api/v1/appointments").status_code == 422
    assert audit_entries(rt=client.app.state.runtime, action="appointment.create") == []


def test_permissions(client, make_user, login, clinic, make_slot, book):
    slot = make_slot()
    appt = book(make_slot(hours=30))
    # A supervisor may read appointments but not book them.
    login(make_user(Role.supervisor))
    assert client.get(f"/api/v1/appointments/{appt.id}").status_code == 200
    r = client.post("/api/v1/appointments", json={"patient_id": clinic.patient, "slot_id": slot})
    assert r.status_code == 403 and r.json()["error_id"] == "permission-denied"
    # An auditor sees no PHI; open capacity holds none.
    login(make_user(Role.auditor))
    assert client.get(f"/api/v1/appointments/{appt.id}").status_code == 403
    assert client.get("/api/v1/slots").status_code == 200  # capacity is not PHI
    # Agents find capacity but do not publish it; managers do, at their locations.
    login(make_user(Role.agent))
    start = iso(clinic_start(client, hours=72))
    body = {
        "staff_id": clinic.provider,
        "location_id": clinic.location,
        "start": start,
        "duration_minutes": 20,
    }
    assert client.post("/api/v1/slots", json=body).status_code == 403
    login(make_user((Role.manager, "00000000-0000-0000-0000-00000000aaaa")))
    r = client.post("/api/v1/slots", json=body)
    assert r.status_code == 403 and r.json()["error_id"] == "location-out-of-scope"
    login(make_user((Role.manager, clinic.location)))
    r = client.post("/api/v1/slots", json=body)
    assert r.status_code == 201, r.text
    new = r.json()["id"]
    assert client.post(f"/api/v1/slots/{new}/block").json()["status"] == "blocked"
    assert new not in {s["id"] for s in client.get("/api/v1/slots").json()["items"]}
    assert client.post(f"/api/v1/slots/{new}/unblock").json()["status"] == "free"
    assert client.get(f"/api/v1/slots/{new}").json()["status"] == "free"


def clinic_start(client, *, hours: int):
    return client.app.state.runtime.clock.now() + timedelta(hours=hours)


def test_scope_of_an_agent(client, rt, make_user, login, clinic, make_location, make_slot, book):
    south = make_location("South Clinic")
    appt = book(make_slot())
    login(make_user((Role.agent, south)))
    r = client.get(f"/api/v1/appointments/{appt.id}")
    assert r.status_code == 403
    assert audit_entries(rt, outcome="denied")[-1].patient_id == clinic.patient
    r = client.get(
        "/api/v1/appointments", params={"location_id": clinic.location, "day": "2026-03-03"}
    )
    assert r.status_code == 403 and r.json()["error_id"] == "location-out-of-scope"
    r = client.get("/api/v1/appointments", params={"patient_id": clinic.patient})
    assert r.status_code == 403
    r = client.post(f"/api/v1/appointments/{appt.id}/cancel", json={"reason": "patient"})
    assert r.status_code == 403
    assert client.get("/api/v1/slots").json()["total"] == 0  # the slot is still busy
