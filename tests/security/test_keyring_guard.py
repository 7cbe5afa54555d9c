"""A database is never served with a keyring that cannot open it (issue 11, item 25).

Before: serving an existing database from another directory silently made a fresh
keyring; /readyz said ready, every sign-in was a 500, `audit verify` blamed entry 1,
and new data went under the wrong keys.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from careline.api.app import create_app
from careline.bootstrap import build_runtime
from careline.cli import app
from careline.core.settings import Environment, Settings
from careline.security.keyring import Keyring, KeyringError, save_keyring
from careline.security.model import Role


def test_no_new_keyring_is_made_for_a_database_that_holds_data(rt, make_user, tmp_path):
    make_user(Role.agent)  # the database now holds sealed data and audit entries
    elsewhere = tmp_path / "elsewhere" / "keyring.json"
    moved = rt.settings.model_copy(update={"keyring_file": elsewhere})
    with pytest.raises(KeyringError, match="CARELINE_KEYRING_FILE"):
        build_runtime(moved)
    assert not elsewhere.exists()


def test_the_cli_says_which_keyring_is_missing(rt, make_user, tmp_path, monkeypatch):
    make_user(Role.agent)
    monkeypatch.setenv("CARELINE_DATABASE_URL", rt.settings.database_url)
    monkeypatch.setenv("CARELINE_KEYRING_FILE", str(tmp_path / "none.json"))
    done = CliRunner().invoke(app, ["audit", "verify"])
    assert done.exit_code == 2
    assert "no keyring at" in done.output and "Traceback" not in done.output
    assert not (tmp_path / "none.json").exists()


def test_a_fresh_database_still_gets_a_keyring_in_development(tmp_path):
    path = tmp_path / "keyring.json"
    fresh = Settings(
        environment=Environment.development,
        database_url=f"sqlite:///{tmp_path / 'new.db'}",
        keyring_file=path,
    )
    runtime = build_runtime(fresh)
    runtime.events.close()
    runtime.engine.dispose()
    assert path.exists()


def test_readyz_refuses_a_keyring_that_does_not_open_the_data(rt, make_user, tmp_path):
    make_user(Role.agent)
    with TestClient(create_app(rt)) as ok:
        assert ok.get("/readyz").status_code == 200
    other = tmp_path / "other-keyring.json"
    save_keyring(other, Keyring.generate())
    wrong = build_runtime(rt.settings.model_copy(update={"keyring_file": other}))
    try:
        with TestClient(create_app(wrong)) as client:
            r = client.get("/readyz")
        assert r.status_code == 503
        assert r.json()["status"] == "keyring-mismatch"
    finally:
        wrong.events.close()
        wrong.engine.dispose()
