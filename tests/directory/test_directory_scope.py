"""Directory writes follow role scope: a manager of one clinic edits only that clinic."""

from __future__ import annotations

from directory_bodies import location_body, staff_body

from careline.security.model import Role


def test_location_manager_writes_only_their_location(client, make_user, login, make_location):
    mine, other = make_location(name="Mine"), make_location(name="Other")
    login(make_user((Role.manager, mine)))

    assert client.patch(f"/api/v1/locations/{mine}", json={"name": "Mine 2"}).status_code == 200
    r = client.patch(f"/api/v1/locations/{other}", json={"name": "Taken"})
    assert r.status_code == 403
    assert r.json()["error_id"] == "location-out-of-scope"
    assert client.get(f"/api/v1/locations/{other}").json()["name"] == "Other"
    # Adding or removing clinics, and the organisation, are network-wide.
    assert client.post("/api/v1/locations", json=location_body()).status_code == 403
    assert client.delete(f"/api/v1/locations/{mine}").status_code == 403
    org = {"name": "X", "country": "US"}
    assert client.put("/api/v1/organisation", json=org).status_code == 403

    dept = {"name": "Front desk", "kind": "scheduling"}
    assert client.post("/api/v1/departments", json={**dept, "location_id": mine}).status_code == 201
    assert (
        client.post("/api/v1/departments", json={**dept, "location_id": other}).status_code == 403
    )
    assert client.post("/api/v1/departments", json=dept).status_code == 403  # network-wide

    r = client.post("/api/v1/staff", json=staff_body(location_ids=[mine]))
    assert r.status_code == 201, r.text
    staff_id = r.json()["id"]
    assert client.post("/api/v1/staff", json=staff_body(location_ids=[other])).status_code == 403
    assert client.post("/api/v1/staff", json=staff_body()).status_code == 403
    r = client.patch(f"/api/v1/staff/{staff_id}", json={"location_ids": [mine, other]})
    assert r.status_code == 403
    assert client.get(f"/api/v1/staff/{staff_id}").json()["location_ids"] == [mine]


def test_network_manager_writes_everywhere(client, make_user, login, make_location):
    other = make_location()
    login(make_user(Role.manager))
    assert client.patch(f"/api/v1/locations/{other}", json={"name": "Y"}).status_code == 200
    assert client.post("/api/v1/locations", json=location_body()).status_code == 201
