"""Issue 11, item 1: nobody grants more than they hold, nobody changes their own roles,
and user management is scoped by clinic like everything else.

The attack that broke it: an administrator of one clinic sent
`PUT /api/v1/users/<own id>/roles {"roles":[{"role":"admin"}]}`, became administrator
of the whole network, and read another clinic's patient.
"""

from __future__ import annotations

import pytest

from careline.security.model import (
    SYSTEM,
    Actor,
    Role,
    RoleGrant,
    manages_user,
    may_grant,
    sees_user,
)

PASSWORD = "a long passphrase"


@pytest.fixture
def make_patient_at(rt):
    from datetime import date

    from careline.patients import service as patients
    from careline.patients.model import PatientCreate

    def make(location_id: str) -> str:
        return patients.create_patient(
            rt,
            actor=SYSTEM,
            data=PatientCreate(
                given_name="Sam",
                family_name="Example",
                date_of_birth=date(1980, 1, 2),
                home_location_id=location_id,
            ),
        ).id

    return make


def _new(client, roles, username):
    return client.post(
        "/api/v1/users",
        json={
            "username": username,
            "display_name": username,
            "password": PASSWORD,
            "roles": roles,
        },
    )


def test_the_attack_a_clinic_admin_cannot_make_themselves_network_admin(
    client, make_user, make_location, login, make_patient_at
):
    here, there = make_location("Riverside"), make_location("Lakeside")
    admin = make_user((Role.admin, here))
    someone_elsewhere = make_patient_at(there)
    login(admin)
    r = client.put(f"/api/v1/users/{admin.id}/roles", json={"roles": [{"role": "admin"}]})
    assert r.status_code == 403 and r.json()["error_id"] == "own-roles"
    # Not even a harmless change of their own roles, and not through another admin's
    # account of the same clinic either.
    r = client.put(
        f"/api/v1/users/{admin.id}/roles", json={"roles": [{"role": "agent", "location_id": here}]}
    )
    assert r.status_code == 403
    me = client.get("/api/v1/auth/me").json()
    assert [(g["role"], g["location_id"]) for g in me["user"]["roles"]] == [("admin", here)]
    r = client.get(f"/api/v1/patients/{someone_elsewhere}")
    assert r.status_code in (403, 404)


def test_grants_never_exceed_the_granters_roles_or_clinics(client, make_user, make_location, login):
    here, there = make_location("Riverside"), make_location("Lakeside")
    login(make_user((Role.admin, here)))
    for roles in (
        [{"role": "admin"}],  # network-wide
        [{"role": "agent"}],  # network-wide, a weaker role: still beyond this clinic
        [{"role": "agent", "location_id": there}],  # another clinic
        [{"role": "agent", "location_id": here}, {"role": "admin", "location_id": there}],
    ):
        r = _new(client, roles, f"user{len(roles)}{roles[-1]['role']}")
        assert r.status_code == 403, (roles, r.text)
        assert r.json()["error_id"] == "grant-exceeds-yours"
    r = _new(client, [{"role": "clinician", "location_id": here}], "nurse.here")
    assert r.status_code == 201, r.text  # break-glass is a clinician's, not a privilege
    colleague = r.json()["user"]["id"]
    r = client.put(
        f"/api/v1/users/{colleague}/roles",
        json={"roles": [{"role": "clinician", "location_id": there}]},
    )
    assert r.status_code == 403 and r.json()["error_id"] == "grant-exceeds-yours"
    r = client.put(
        f"/api/v1/users/{colleague}/roles",
        json={"roles": [{"role": "agent", "location_id": here}]},
    )
    assert r.status_code == 200


def test_a_clinic_admin_manages_only_their_clinics_users(client, make_user, make_location, login):
    here, there = make_location("Riverside"), make_location("Lakeside")
    network_admin = make_user(Role.admin)
    elsewhere = make_user((Role.agent, there))
    both = make_user((Role.agent, here), (Role.agent, there))
    local = make_user((Role.agent, here))
    login(make_user((Role.admin, here)))
    listed = {u["id"] for u in client.get("/api/v1/users", params={"limit": 200}).json()["items"]}
    assert local.id in listed and both.id in listed
    assert network_admin.id not in listed and elsewhere.id not in listed
    for target in (network_admin, elsewhere):
        assert client.get(f"/api/v1/users/{target.id}").status_code == 404
        for method, path, body in (
            ("PUT", "active", {"active": False}),
            ("POST", "unlock", None),
            ("POST", "mfa-reset", None),
        ):
            r = client.request(method, f"/api/v1/users/{target.id}/{path}", json=body)
            assert r.status_code == 404, (path, r.text)
    # Someone who also works elsewhere: visible here, but not this admin's to change.
    r = client.put(f"/api/v1/users/{both.id}/active", json={"active": False})
    assert r.status_code == 403 and r.json()["error_id"] == "user-out-of-scope"
    assert client.put(f"/api/v1/users/{local.id}/active", json={"active": False}).status_code == 200


def test_a_network_admin_still_runs_the_network(client, make_user, make_location, login):
    here = make_location("Riverside")
    login(make_user(Role.admin))
    r = _new(client, [{"role": "admin"}], "second.admin")
    assert r.status_code == 201
    r = _new(client, [{"role": "manager", "location_id": here}], "clinic.manager")
    assert r.status_code == 201


@pytest.mark.parametrize(
    ("held", "wanted", "allowed"),
    [
        ((RoleGrant(Role.admin, None),), RoleGrant(Role.admin, None), True),
        ((RoleGrant(Role.admin, None),), RoleGrant(Role.clinician, "a"), True),
        ((RoleGrant(Role.admin, "a"),), RoleGrant(Role.clinician, "a"), True),
        ((RoleGrant(Role.admin, "a"),), RoleGrant(Role.admin, None), False),
        ((RoleGrant(Role.admin, "a"),), RoleGrant(Role.agent, "b"), False),
        ((RoleGrant(Role.manager, None),), RoleGrant(Role.agent, "a"), False),  # no users:manage
        (
            (RoleGrant(Role.admin, "a"), RoleGrant(Role.agent, "b")),
            RoleGrant(Role.agent, "b"),
            False,
        ),
    ],
)
def test_may_grant(held, wanted, allowed):
    actor = Actor(user_id="u", username="u", grants=held)
    assert may_grant(actor, wanted) is allowed


def test_scoped_reads_and_management_rules():
    clinic_admin = Actor(user_id="u", username="u", grants=(RoleGrant(Role.admin, "a"),))
    auditor = Actor(user_id="v", username="v", grants=(RoleGrant(Role.auditor, None),))
    assert sees_user(clinic_admin, [RoleGrant(Role.agent, "a")])
    assert not sees_user(clinic_admin, [RoleGrant(Role.agent, "b")])
    assert not sees_user(clinic_admin, [RoleGrant(Role.admin, None)])
    assert sees_user(auditor, [RoleGrant(Role.admin, None)])
    assert manages_user(clinic_admin, [RoleGrant(Role.agent, "a")])
    assert not manages_user(clinic_admin, [RoleGrant(Role.agent, "a"), RoleGrant(Role.agent, "b")])
    assert manages_user(SYSTEM, [RoleGrant(Role.admin, None)])
    token = Actor(
        user_id="w",
        username="w",
        grants=(RoleGrant(Role.admin, None),),
        token_scopes=frozenset(),
    )
    assert not may_grant(token, RoleGrant(Role.agent, "a"))
