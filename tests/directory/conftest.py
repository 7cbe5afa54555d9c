"""Directory test helpers: a signed-in administrator and request factories."""

from __future__ import annotations

from typing import Any

import pytest
from directory_bodies import location_body, staff_body

from careline.security.model import Role


@pytest.fixture
def admin(client, make_user, login):
    """`client`, signed in as an administrator (directory read and write)."""
    login(make_user(Role.admin))
    return client


@pytest.fixture
def new_location(admin):
    """Factory: POST a location (body overrides as keywords) and return its JSON."""

    def make(**overrides: Any) -> dict[str, Any]:
        r = admin.post("/api/v1/locations", json=location_body(**overrides))
        assert r.status_code == 201, r.text
        return r.json()

    return make


@pytest.fixture
def new_department(admin):
    def make(name: str = "Nurse line", kind: str = "nurse_triage", location_id: str | None = None):
        r = admin.post(
            "/api/v1/departments", json={"name": name, "kind": kind, "location_id": location_id}
        )
        assert r.status_code == 201, r.text
        return r.json()

    return make


@pytest.fixture
def new_staff(admin):
    def make(**overrides: Any) -> dict[str, Any]:
        r = admin.post("/api/v1/staff", json=staff_body(**overrides))
        assert r.status_code == 201, r.text
        return r.json()

    return make
