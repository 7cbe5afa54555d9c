"""Issue 11, item 2: a manager of one clinic offered another clinic's slot and changed
the network-wide waitlist settings. Writes follow the scope of the actor's roles."""

from __future__ import annotations

from careline.security.model import Role

WAVE = {"wave_size": 3, "spacing_minutes": 10, "offer_minutes": 30}


def test_another_clinics_slot_and_the_network_settings_are_out_of_reach(
    client, make_user, login, wl_clinic, new_slot, make_location
):
    slot = new_slot()
    login(make_user((Role.manager, make_location("Elsewhere"))))
    r = client.post(f"/api/v1/waitlist/slots/{slot}/offer")
    assert r.status_code == 403 and r.json()["error_id"] == "location-out-of-scope"
    r = client.put("/api/v1/waitlist/settings", json=WAVE)
    assert r.status_code == 403 and r.json()["error_id"] == "location-out-of-scope"
    r = client.put(
        "/api/v1/waitlist/settings", json=WAVE, params={"department_id": wl_clinic.department}
    )
    assert r.status_code == 403


def test_the_clinics_own_manager_may(client, make_user, login, wl_clinic, new_slot, new_entry):
    new_entry()
    slot = new_slot()
    login(make_user((Role.manager, wl_clinic.location)))
    assert client.post(f"/api/v1/waitlist/slots/{slot}/offer").status_code == 200
    r = client.put(
        "/api/v1/waitlist/settings", json=WAVE, params={"department_id": wl_clinic.department}
    )
    assert r.status_code == 200, r.text
    # The network's default still needs a network-wide role.
    assert client.put("/api/v1/waitlist/settings", json=WAVE).status_code == 403
    login(make_user(Role.manager))
    assert client.put("/api/v1/waitlist/settings", json=WAVE).status_code == 200
