"""Flows over HTTP and through the service: drafts, publish, rollback, versions,
bindings, flow_for_number, permissions and audit, on every database engine."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest
from flow_docs import good_flow, text
from sqlalchemy import func, select

from careline.core.db import transaction
from careline.core.errors import NotFound
from careline.flows import service
from careline.flows.model import validate_flow
from careline.flows.tables import FlowRow, FlowVersionRow
from careline.security.model import SYSTEM, Role
from careline.security.tables import AuditEntryRow

FLOWS = "/api/v1/flows"


def audit_entries(rt, **where) -> list[AuditEntryRow]:
    with transaction(rt.sessions) as s:
        stmt = select(AuditEntryRow).order_by(AuditEntryRow.seq)
        for k, v in where.items():
            stmt = stmt.where(getattr(AuditEntryRow, k) == v)
        return list(s.execute(stmt).scalars())


def count(rt, table) -> int:
    with transaction(rt.sessions) as s:
        return int(s.execute(select(func.count()).select_from(table)).scalar_one())


def broken_flow() -> dict:
    data = good_flow()
    data["nodes"]["menu"]["no_input"] = None
    data["nodes"]["q_front"]["overflow"] = "gone"
    data["nodes"]["lonely"] = {"kind": "hangup"}
    return data


@pytest.fixture
def manager(client, make_user, login):
    user = make_user(Role.manager, username="flow.manager")
    login(user)
    return client


@pytest.fixture
def new_flow(manager):
    def make(document: dict | None = None) -> dict:
        r = manager.post(FLOWS, json={"document": document or good_flow()})
        assert r.status_code == 201, r.text
        return r.json()

    return make


def publish(client, flow_id: str, reason: str = "First go-live", **extra) -> object:
    return client.post(f"{FLOWS}/{flow_id}/publish", json={"reason": reason, **extra})


# ---------------------------------------------------------------- flows and drafts


def test_create_get_and_list(manager, new_flow):
    created = new_flow()
    assert created["name"] == "Small clinic"
    assert created["current_version"] is None
    assert created["draft_revision"] == 1
    assert created["draft_changed"] is True
    assert created["draft_updated_by"] == "flow.manager"
    assert created["draft"]["nodes"]["menu"]["options"][0]["digit"] == "1"
    assert manager.get(f"{FLOWS}/{created['id']}").json() == created
    page = manager.get(FLOWS).json()
    assert page["total"] == 1 and page["items"][0]["id"] == created["id"]
    assert manager.get(f"{FLOWS}/00000000-0000-0000-0000-000000000000").status_code == 404


def test_bad_documents_are_refused_naming_the_field(manager):
    data = good_flow()
    data["nodes"]["menu"]["options"][0]["digit"] = "12"
    r = manager.post(FLOWS, json={"document": data})
    assert r.status_code == 422
    fields = [e["field"] for e in r.json()["errors"]]
    assert "body.document.nodes.menu.menu.options.0.digit" in fields
    r = manager.post(FLOWS, json={"document": good_flow(), "extra": 1})
    assert r.status_code == 422
    assert manager.get(FLOWS).json()["total"] == 0


def test_drafts_may_be_incomplete_and_list_their_problems(manager, new_flow):
    flow = new_flow(broken_flow())
    r = manager.get(f"{FLOWS}/{flow['id']}/draft/problems")
    assert r.status_code == 200
    body = r.json()
    assert body["valid"] is False
    assert {(p["node_id"], p["code"]) for p in body["problems"]} == {
        ("menu", "menu-without-no-input"),
        ("q_front", "unknown-target"),
        ("lonely", "unreachable-node"),
    }
    r = manager.post(f"{FLOWS}/lint", json=good_flow())
    assert r.json() == {"valid": True, "problems": []}


def test_saving_a_draft_checks_the_base_revision(manager, new_flow, rt):
    flow = new_flow()
    url = f"{FLOWS}/{flow['id']}/draft"
    changed = good_flow()
    changed["name"] = "Renamed clinic"
    r = manager.put(url, json={"document": changed, "base_revision": 1})
    assert r.status_code == 200, r.text
    assert r.json()["draft_revision"] == 2 and r.json()["name"] == "Renamed clinic"
    stale = manager.put(url, json={"document": good_flow(), "base_revision": 1})
    assert stale.status_code == 409 and stale.json()["error_id"] == "draft-changed"
    assert manager.get(f"{FLOWS}/{flow['id']}").json()["name"] == "Renamed clinic"
    [entry] = audit_entries(rt, action="flow.draft")
    assert entry.resource_id == flow["id"] and entry.details == {"draft_revision": 2}


# ---------------------------------------------------------------- publish


def test_publish_refuses_an_invalid_flow_listing_every_problem_and_writes_nothing(
    manager, new_flow, rt
):
    flow = new_flow(broken_flow())
    seq_before = len(audit_entries(rt))
    r = publish(manager, flow["id"])
    assert r.status_code == 422
    body = r.json()
    assert body["error_id"] == "flow-invalid"
    assert r.headers["content-type"].startswith("application/problem+json")
    listed = [(p["node_id"], p["code"]) for p in body["problems"]]
    assert listed == [
        ("menu", "menu-without-no-input"),
        ("q_front", "unknown-target"),
        ("lonely", "unreachable-node"),
    ]
    fields = [e["field"] for e in body["errors"]]
    assert fields == ["document.nodes.menu", "document.nodes.q_front", "document.nodes.lonely"]
    assert count(rt, FlowVersionRow) == 0
    assert manager.get(f"{FLOWS}/{flow['id']}").json()["current_version"] is None
    assert len(audit_entries(rt)) == seq_before


def test_publish_rollback_versions_and_audit(manager, new_flow, rt):
    flow = new_flow()
    fid = flow["id"]
    r = publish(manager, fid, reason="First go-live")
    assert r.status_code == 201, r.text
    v1 = r.json()
    assert (v1["number"], v1["current"], v1["restored_from"]) == (1, True, None)
    assert v1["published_by"] == "flow.manager" and v1["reason"] == "First go-live"
    again = publish(manager, fid)
    assert again.status_code == 409 and again.json()["error_id"] == "nothing-to-publish"

    changed = good_flow()
    changed["nodes"]["vm"]["prompt"] = text("Please leave a message after the tone.")
    assert manager.put(f"{FLOWS}/{fid}/draft", json={"document": changed}).status_code == 200
    v2 = publish(manager, fid, reason="Clearer voicemail prompt").json()
    assert v2["number"] == 2

    r = manager.post(f"{FLOWS}/{fid}/rollback", json={"version": 1, "reason": "Callers confused"})
    assert r.status_code == 201, r.text
    v3 = r.json()
    assert (v3["number"], v3["restored_from"], v3["current"]) == (3, 1, True)
    assert v3["document"] == v1["document"]

    page = manager.get(f"{FLOWS}/{fid}/versions").json()
    assert [(v["number"], v["current"]) for v in page["items"]] == [
        (3, True),
        (2, False),
        (1, False),
    ]
    assert "document" not in page["items"][0]
    assert manager.get(f"{FLOWS}/{fid}/versions/2").json()["reason"] == "Clearer voicemail prompt"
    assert manager.get(f"{FLOWS}/{fid}/versions/9").json()["error_id"] == "no-such-flow-version"
    diff = manager.get(f"{FLOWS}/{fid}/versions/2/diff").json()
    assert diff == {"added": [], "removed": [], "changed": ["vm"], "settings_changed": []}
    assert (
        manager.get(f"{FLOWS}/{fid}/versions/3/diff", params={"against": 1}).json()["changed"] == []
    )
    # The draft is untouched by the rollback: work in progress is not lost.
    current = manager.get(f"{FLOWS}/{fid}").json()
    assert current["current_version"] == 3 and current["draft_changed"] is True

    publishes = audit_entries(rt, action="flow.publish")
    assert [(e.resource_id, e.details["version"], e.actor_name) for e in publishes] == [
        (fid, 1, "flow.manager"),
        (fid, 2, "flow.manager"),
    ]
    [rollback] = audit_entries(rt, action="flow.rollback")
    assert rollback.details == {"version": 3, "restored_from": 1}
    assert rollback.actor_user_id is not None


def test_publish_and_rollback_need_a_reason(manager, new_flow):
    flow = new_flow()
    for body in ({}, {"reason": ""}, {"reason": "  x "}):
        r = manager.post(f"{FLOWS}/{flow['id']}/publish", json=body)
        assert r.status_code == 422
        assert [e["field"] for e in r.json()["errors"]] == ["body.reason"]
    assert publish(manager, flow["id"]).status_code == 201
    r = manager.post(f"{FLOWS}/{flow['id']}/rollback", json={"version": 1})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.reason"


def test_rollback_refusals(manager, new_flow):
    flow = new_flow()
    url = f"{FLOWS}/{flow['id']}/rollback"
    body = {"version": 1, "reason": "Go back"}
    assert manager.post(url, json=body).json()["error_id"] == "flow-not-published"
    publish(manager, flow["id"])
    assert manager.post(url, json=body).json()["error_id"] == "already-current"
    r = manager.post(url, json={"version": 7, "reason": "Go back"})
    assert r.status_code == 404 and r.json()["error_id"] == "no-such-flow-version"
    assert manager.post(url, json={"version": 0, "reason": "Go back"}).status_code == 422


def test_publish_refuses_a_draft_that_changed_since_review(manager, new_flow):
    flow = new_flow()
    manager.put(f"{FLOWS}/{flow['id']}/draft", json={"document": good_flow()})
    r = publish(manager, flow["id"], draft_revision=1)
    assert r.status_code == 409 and r.json()["error_id"] == "draft-changed"
    assert publish(manager, flow["id"], draft_revision=2).status_code == 201


# ---------------------------------------------------------------- bindings


def bind(client, flow_id: str, number: str, location_id: str | None = None):
    return client.post(
        f"{FLOWS}/{flow_id}/bindings", json={"number": number, "location_id": location_id}
    )


def test_bind_a_number_and_find_the_live_flow(manager, new_flow, rt, make_location):
    location_id = make_location()
    flow = new_flow()
    r = bind(manager, flow["id"], "+1 (312) 555-0100", location_id)
    assert r.status_code == 201, r.text
    binding = r.json()
    assert binding["number"] == "+13125550100" and binding["location_id"] == location_id
    with pytest.raises(NotFound) as unpublished:
        service.flow_for_number(rt, number="+13125550100")
    assert unpublished.value.error_id == "no-flow-for-number"

    publish(manager, flow["id"])
    live = service.flow_for_number(rt, number="+13125550100")
    assert (live.flow_id, live.version, live.binding.location_id) == (flow["id"], 1, location_id)
    assert validate_flow(live.document) == []
    page = manager.get(f"{FLOWS}/{flow['id']}/bindings").json()
    assert page["total"] == 1 and page["items"][0]["id"] == binding["id"]
    assert manager.get(f"{FLOWS}/{flow['id']}").json()["bindings"] == [binding]
    [entry] = audit_entries(rt, action="flow.bind")
    assert entry.details == {"binding_id": binding["id"], "location_id": location_id}
    assert "+1312" not in str(entry.details)

    r = manager.delete(f"{FLOWS}/{flow['id']}/bindings/{binding['id']}")
    assert r.status_code == 204
    with pytest.raises(NotFound):
        service.flow_for_number(rt, number="+13125550100")
    assert len(audit_entries(rt, action="flow.unbind")) == 1
    gone = manager.delete(f"{FLOWS}/{flow['id']}/bindings/{binding['id']}")
    assert gone.status_code == 404 and gone.json()["error_id"] == "no-such-binding"


def test_flow_for_number_follows_rollbacks(manager, new_flow, rt):
    flow = new_flow()
    bind(manager, flow["id"], "+13125550100")
    publish(manager, flow["id"])
    changed = good_flow()
    changed["nodes"]["vm"]["max_seconds"] = 60
    manager.put(f"{FLOWS}/{flow['id']}/draft", json={"document": changed})
    publish(manager, flow["id"], reason="Shorter messages")
    assert service.flow_for_number(rt, number="+13125550100").document.nodes["vm"].max_seconds == 60
    manager.post(f"{FLOWS}/{flow['id']}/rollback", json={"version": 1, "reason": "Too short"})
    live = service.flow_for_number(rt, number="+13125550100")
    assert live.version == 3 and live.document.nodes["vm"].max_seconds == 120


@pytest.mark.parametrize("number", ["2125550111", "+1 999 555 0100", "+44 12", "call me", ""])
def test_invalid_numbers_are_refused_naming_the_field(manager, new_flow, number):
    flow = new_flow()
    r = bind(manager, flow["id"], number)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["body.number"]
    assert number.strip() == "" or number not in r.text  # never echoed back
    assert manager.get(f"{FLOWS}/{flow['id']}/bindings").json()["total"] == 0


def test_a_number_answers_with_one_flow_only(manager, new_flow):
    first, second = new_flow(), new_flow()
    assert bind(manager, first["id"], "+13125550100").status_code == 201
    for flow in (second, first):
        r = bind(manager, flow["id"], "+1 312 555 0100")
        assert r.status_code == 409 and r.json()["error_id"] == "number-already-bound"
    assert bind(manager, second["id"], "+13125550101").status_code == 201


def test_binding_to_an_unknown_location_is_refused(manager, new_flow):
    flow = new_flow()
    r = bind(manager, flow["id"], "+13125550100", "00000000-0000-0000-0000-000000000000")
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["body.location_id"]
    assert bind(manager, "00000000-0000-0000-0000-000000000000", "+13125550100").status_code == 404


# ---------------------------------------------------------------- permissions


def test_supervisors_read_but_do_not_write(client, make_user, login, rt):
    flow = service.create_flow(rt, actor=SYSTEM, document=_document())
    login(make_user(Role.supervisor))
    assert client.get(FLOWS).status_code == 200
    assert client.get(f"{FLOWS}/{flow.id}/versions").status_code == 200
    for method, url, body in [
        ("post", FLOWS, {"document": good_flow()}),
        ("put", f"{FLOWS}/{flow.id}/draft", {"document": good_flow()}),
        ("post", f"{FLOWS}/{flow.id}/publish", {"reason": "Go live"}),
        ("post", f"{FLOWS}/{flow.id}/rollback", {"version": 1, "reason": "Back"}),
        ("post", f"{FLOWS}/{flow.id}/bindings", {"number": "+13125550100"}),
    ]:
        r = client.request(method, url, json=body)
        assert r.status_code == 403, (url, r.text)
        assert r.json()["error_id"] == "permission-denied"
    assert count(rt, FlowVersionRow) == 0


@pytest.mark.parametrize("role", [Role.agent, Role.clinician, Role.auditor])
def test_other_roles_cannot_read_flows(client, make_user, login, role):
    login(make_user(role))
    assert client.get(FLOWS).status_code == 403


def test_anonymous_callers_are_refused(client):
    assert client.get(FLOWS).status_code == 401
    assert client.post(f"{FLOWS}/lint", json=good_flow()).status_code == 401


def test_a_location_scoped_manager_edits_only_flows_of_their_locations(
    client, make_user, login, make_location, rt
):
    mine, theirs = make_location("Mine"), make_location("Theirs")
    other = service.create_flow(rt, actor=SYSTEM, document=_document())
    service.bind_number(rt, actor=SYSTEM, flow_id=other.id, data=_binding("+13125550150", theirs))
    login(make_user((Role.manager, mine)))
    r = client.post(FLOWS, json={"document": good_flow()})
    assert r.status_code == 201
    own = r.json()["id"]
    assert bind(client, own, "+13125550151", mine).status_code == 201
    for location in (theirs, None):
        r = bind(client, own, "+13125550152", location)
        assert r.status_code == 403 and r.json()["error_id"] == "location-out-of-scope"
    assert publish(client, own).status_code == 201
    refused = [
        client.put(f"{FLOWS}/{other.id}/draft", json={"document": good_flow()}),
        publish(client, other.id),
    ]
    assert [r.json()["error_id"] for r in refused] == ["location-out-of-scope"] * 2
    assert service.get_flow(rt, flow_id=other.id).draft_revision == 1


def _document():
    from flow_docs import flow

    return flow(good_flow())


def _binding(number: str, location_id: str | None):
    from careline.flows.model import BindingCreate

    return BindingCreate(number=number, location_id=location_id)


# ---------------------------------------------------------------- example and calendar facts


def test_install_example_publishes_and_binds_once(rt, make_location):
    location_id = make_location()
    live = service.install_example(rt, actor=SYSTEM, number="+13125550100", location_id=location_id)
    assert live.version == 1 and live.binding.location_id == location_id
    assert live.document == service.example_document()
    again = service.install_example(rt, actor=SYSTEM, number="+13125550100")
    assert again.flow_id == live.flow_id
    assert count(rt, FlowRow) == 1
    with pytest.raises(NotFound):
        service.example_document("../secrets")


def test_install_example_is_one_transaction(rt, make_location):
    # The number is taken by an unpublished flow: nothing of the example is left behind.
    other = service.create_flow(rt, actor=SYSTEM, document=_document())
    service.bind_number(rt, actor=SYSTEM, flow_id=other.id, data=_binding("+13125550100", None))
    with pytest.raises(Exception) as caught:
        service.install_example(rt, actor=SYSTEM, number="+13125550100")
    assert getattr(caught.value, "error_id", None) == "no-flow-for-number"
    assert count(rt, FlowRow) == 1


def test_calendar_facts_read_the_directory(rt, make_location):
    location_id = make_location(timezone="America/New_York")  # Mon-Fri 08:00-17:00
    facts = service.CalendarFacts(rt)
    assert facts.is_open(location_id, datetime(2026, 3, 2, 15, 0, tzinfo=UTC)) is True
    assert facts.is_open(location_id, datetime(2026, 3, 2, 23, 0, tzinfo=UTC)) is False
    assert facts.is_holiday(location_id, datetime(2026, 7, 3, 15, 0, tzinfo=UTC)) is True
    assert facts.is_holiday(location_id, datetime(2026, 7, 6, 15, 0, tzinfo=UTC)) is False
    assert facts.timezone(location_id) == "America/New_York"


def test_documents_are_stored_and_read_back_unchanged(rt):
    doc = _document()
    created = service.create_flow(rt, actor=SYSTEM, document=doc)
    assert service.get_flow(rt, flow_id=created.id).draft == doc
    data = copy.deepcopy(good_flow())
    data["nodes"]["oncall"]["rota"].insert(
        0,
        {
            "starts": "2026-03-03T20:00:00-06:00",
            "ends": "2026-03-04T08:00:00-06:00",
            "target": "+13125550169",
        },
    )
    from flow_docs import flow

    service.save_draft(rt, actor=SYSTEM, flow_id=created.id, document=flow(data))
    stored = service.get_flow(rt, flow_id=created.id).draft
    assert stored == flow(data)


def test_concurrent_publishes_make_one_version(rt):
    import threading

    flow = service.create_flow(rt, actor=SYSTEM, document=_document())
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def publish_now() -> None:
        barrier.wait()
        try:
            version = service.publish_flow(rt, actor=SYSTEM, flow_id=flow.id, reason="Go live")
            outcomes.append(f"v{version.number}")
        except Exception as exc:
            outcomes.append(getattr(exc, "error_id", type(exc).__name__))

    threads = [threading.Thread(target=publish_now) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["nothing-to-publish", "v1"]
    assert count(rt, FlowVersionRow) == 1
