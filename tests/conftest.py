"""Shared fixtures: real databases (SQLite always, PostgreSQL when configured),
a runtime on a manual clock, an HTTP client, and factories for users.

Database-backed tests run once per engine: `rt` is parametrised over SQLite and,
when CARELINE_TEST_DATABASE_URL is set, PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from careline.api.app import create_app
from careline.bootstrap import build_runtime
from careline.core.clock import ManualClock
from careline.core.db import Base, make_engine
from careline.core.settings import Environment, Settings
from careline.db_schema import load_all_tables
from careline.runtime import Runtime
from careline.security import mfa
from careline.security import service as security
from careline.security.keyring import Keyring, save_keyring
from careline.security.model import SYSTEM, Role

PG_URL = os.environ.get("CARELINE_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
START = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # a Monday, 10:00 in New York

load_all_tables()


@pytest.fixture(scope="session")
def keyring_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "keyring.json"
    save_keyring(path, Keyring.generate())
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database for this test process, dropped at the end."""
    if not PG_URL:
        yield None
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"careline_test_{worker}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_pg(url: str) -> None:
    engine = make_engine(url)
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    sqlite_template: Path,
    pg_database: str | None,
) -> str:
    if request.param == "sqlite":
        path = tmp_path / "careline.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    assert pg_database is not None
    _truncate_pg(pg_database)
    return pg_database


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def settings(db_url: str, keyring_path: Path, tmp_path: Path) -> Settings:
    # The keyring is shared by the session; each test's audit anchor is its own.
    return Settings(
        environment=Environment.test,
        database_url=db_url,
        keyring_file=keyring_path,
        audit_anchor_file=tmp_path / "audit-anchor.jsonl",
    )


@pytest.fixture
def rt(settings: Settings, clock: ManualClock) -> Iterator[Runtime]:
    runtime = build_runtime(settings, clock=clock)
    yield runtime
    runtime.events.close()  # a PostgreSQL LISTEN thread must not outlive its database
    runtime.engine.dispose()


@pytest.fixture
def client(rt: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(rt), base_url="http://testserver") as c:
        yield c


@dataclass
class TestUser:
    id: str
    username: str
    password: str
    totp_secret: str | None

    def code(self, clock: ManualClock) -> str | None:
        return mfa.code_at(self.totp_secret, clock.now()) if self.totp_secret else None


@pytest.fixture
def make_user(rt: Runtime):
    """Factory: a user with roles given as (role, location_id) or Role."""

    def make(*roles: Role | tuple[Role, str | None], username: str | None = None) -> TestUser:
        grants = [
            security.RoleGrantView(role=r[0], location_id=r[1])
            if isinstance(r, tuple)
            else security.RoleGrantView(role=r)
            for r in roles
        ]
        name = username or f"user{uuid.uuid4().hex[:8]}"
        password = "correct horse battery"
        new = security.create_user(
            rt,
            actor=SYSTEM,
            username=name,
            display_name=name.title(),
            password=password,
            roles=grants,
        )
        return TestUser(new.user.id, name, password, new.totp_secret)

    return make


@pytest.fixture
def login(client: TestClient, clock: ManualClock):
    """Sign a test user in on `client` (password + current TOTP code)."""

    def do(user: TestUser) -> dict:
        r = client.post(
            "/api/v1/auth/login",
            json={"username": user.username, "password": user.password, "totp": user.code(clock)},
        )
        assert r.status_code == 200, r.text
        # Each login must use a fresh TOTP step: a code is accepted once.
        from datetime import timedelta

        clock.advance(timedelta(seconds=31))
        return r.json()

    return do


@pytest.fixture
def make_location(rt: Runtime):
    """Factory: a location row (directory tests cover the full create use case)."""
    from careline.core.db import transaction
    from careline.directory.tables import LocationRow

    def make(name: str = "Test Clinic", timezone: str = "America/New_York") -> str:
        with transaction(rt.sessions) as s:
            row = LocationRow(
                name=name,
                timezone=timezone,
                code=uuid.uuid4().hex[:8].upper(),
                address={
                    "line1": "1 Test Street",
                    "city": "Springfield",
                    "region": "IL",
                    "postal_code": "62701",
                    "country": "US",
                },
                hours=[{"weekday": d, "opens": "08:00", "closes": "17:00"} for d in range(5)],
            )
            s.add(row)
            s.flush()
            return row.id

    return make
