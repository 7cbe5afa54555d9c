"""The inbox over HTTP: one entry per patient, urgent texts waiting for a reply first,
only the clinics a user works for, a staff reply taking a conversation off the
needs-reply list."""

from __future__ import annotations

from careline.security.model import Role

FEVER = "my son has had a fever of 103 since last night"
EARLIER = "can I come in earlier on Thursday?"


def _inbox(client, view="needs_reply"):
    r = client.get("/api/v1/conversations", params={"view": view})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_urgent_first_names_shown_and_a_reply_clears_needs_reply(
    client, rt, clinic, make_patient, text, make_user, login
):
    calm, calm_phone = make_patient()
    sick, sick_phone = make_patient()
    assert text(calm_phone, EARLIER)[0] == 200
    assert text(sick_phone, FEVER)[0] == 200
    login(make_user((Role.agent, clinic.location)))
    items = _inbox(client)
    assert [i["patient_id"] for i in items] == [sick, calm]
    assert items[0]["urgency"] == "urgent" and items[0]["needs_reply"] is True
    assert items[0]["patient_name"] == "Example, Sam" and items[0]["last_text"] == FEVER
    r = client.post(
        f"/api/v1/patients/{calm}/messages",
        json={"body": "Yes, 9:00 works.", "respect_quiet_hours": False},
        headers={"Idempotency-Key": "inbox-test-0001"},
    )
    assert r.status_code == 201, r.text
    assert [i["patient_id"] for i in _inbox(client)] == [sick]
    everything = _inbox(client, "all")
    assert [i["patient_id"] for i in everything] == [sick, calm]
    assert everything[1]["last_direction"] == "outbound" and everything[1]["needs_reply"] is False


def test_another_clinics_user_sees_none_of_it(
    client, clinic, make_patient, text, make_user, login, make_location
):
    _, phone = make_patient()
    text(phone, EARLIER)
    login(make_user((Role.agent, make_location("Elsewhere"))))
    assert _inbox(client, "all") == []


def test_a_shared_numbers_text_is_listed_with_its_number_for_the_clinic_texted(
    client, rt, clinic, make_patient, text, make_user, login
):

    from careline.directory import service as directory
    from careline.directory.model import LocationUpdate
    from careline.security.model import SYSTEM

    directory.update_location(
        rt, actor=SYSTEM, location_id=clinic.location,
        changes=LocationUpdate(main_phone="+13125550000"),
    )  # fmt: skip
    home = "+13125550166"
    make_patient(phone=home)
    make_patient(phone=home)
    assert text(home, EARLIER)[0] == 200
    login(make_user((Role.agent, clinic.location)))
    [item] = _inbox(client)
    assert item["patient_id"] is None and item["number"] == home
    assert item["location_id"] == clinic.location and item["last_text"] == EARLIER


def test_a_text_from_an_unknown_number_is_kept_for_the_clinic_it_was_sent_to(
    client, rt, clinic, text, make_user, login
):
    from careline.directory import service as directory
    from careline.directory.model import LocationUpdate
    from careline.security.model import SYSTEM

    directory.update_location(
        rt, actor=SYSTEM, location_id=clinic.location,
        changes=LocationUpdate(main_phone="+13125550000"),
    )  # fmt: skip
    stranger = "+17735550123"
    code, answers = text(stranger, "is my prescription ready?")
    assert code == 200 and answers == []  # nothing to act on, nothing said back
    login(make_user((Role.agent, clinic.location)))
    [item] = _inbox(client)
    assert item["patient_id"] is None and item["number"] == stranger
    assert item["last_text"] == "is my prescription ready?" and item["needs_reply"] is True
    assert client.get("/api/v1/interactions").json()["total"] == 1


def test_unread_is_per_person_and_a_new_text_makes_it_unread_again(
    client, rt, clock, clinic, make_patient, text, make_user, login
):
    from datetime import timedelta

    _, phone = make_patient()
    text(phone, EARLIER)
    me, colleague = (
        make_user((Role.agent, clinic.location)),
        make_user((Role.agent, clinic.location)),
    )
    login(me)
    [item] = _inbox(client, "unread")
    assert item["unread"] is True
    key = item["key"]
    assert client.post(f"/api/v1/conversations/{key}/read").status_code == 204
    assert _inbox(client, "unread") == []
    assert _inbox(client, "all")[0]["unread"] is False
    login(colleague)  # opening it was mine: still unread for them
    assert [i["key"] for i in _inbox(client, "unread")] == [key]
    clock.advance(timedelta(minutes=5))
    text(phone, "also, is parking free?")
    login(me)
    assert [i["key"] for i in _inbox(client, "unread")] == [key]


def test_a_conversation_is_given_to_a_colleague_and_every_inbox_shows_who_has_it(
    client, clinic, make_patient, text, make_user, login, make_location
):
    _, phone = make_patient()
    text(phone, EARLIER)
    me = make_user((Role.agent, clinic.location), username="ana.front")
    colleague = make_user((Role.agent, clinic.location), username="ben.front")
    outsider = make_user((Role.agent, make_location("Elsewhere")))
    login(me)
    key = _inbox(client, "unassigned")[0]["key"]
    r = client.put(f"/api/v1/conversations/{key}/assignee", json={"user_id": colleague.id})
    assert r.status_code == 200, r.text
    assert r.json() == {"assigned_to": colleague.id, "assigned_name": "Ben.Front"}
    assert _inbox(client, "unassigned") == [] and _inbox(client, "mine") == []
    assert _inbox(client, "all")[0]["assigned_name"] == "Ben.Front"
    # Only to someone who works for the clinic.
    r = client.put(f"/api/v1/conversations/{key}/assignee", json={"user_id": outsider.id})
    assert r.status_code == 422
    r = client.put(f"/api/v1/conversations/{key}/assignee", json={"user_id": "no-such-user"})
    assert r.status_code == 422
    login(colleague)
    assert [i["key"] for i in _inbox(client, "mine")] == [key]
    assert client.put(f"/api/v1/conversations/{key}/assignee", json={}).status_code == 200
    assert [i["key"] for i in _inbox(client, "unassigned")] == [key]
    # Another clinic's user can neither read nor take it: the patient is out of their
    # scope (403, as on the patient's own record, where break-glass is offered).
    login(outsider)
    r = client.post(f"/api/v1/conversations/{key}/read")
    assert r.status_code == 403 and r.json()["error_id"] == "patient-out-of-scope"
    r = client.put(f"/api/v1/conversations/{key}/assignee", json={"user_id": outsider.id})
    assert r.status_code == 403
    assert client.post("/api/v1/conversations/patient:nobody/read").status_code == 404
    assert client.post("/api/v1/conversations/other:thing/read").status_code == 422
