"""Exporting timeline interactions as FHIR R4 Communications (R4B model validated)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from fhir.resources.R4B.communication import Communication

from careline.integrations.fhir import service as fhir
from careline.integrations.fhir.model import CARELINE_PATIENT, communication_for
from careline.patients import service as patients
from careline.patients.model import PatientCreate
from careline.security.model import SYSTEM, Role
from careline.timeline import service as timeline
from careline.timeline.model import Channel, Direction

HERE = Path(__file__).parent


@pytest.fixture
def patient(rt, make_location):
    home = make_location("North Clinic")
    data = PatientCreate(
        given_name="Testa",
        family_name="Fakename",
        date_of_birth=date(1980, 4, 12),
        home_location_id=home,
    )
    return patients.create_patient(rt, actor=SYSTEM, data=data)


@pytest.fixture
def text_in(rt, clock, patient):
    """An inbound text with what the patient wrote, answered and closed."""
    it = timeline.start_interaction(
        rt,
        actor=SYSTEM,
        channel=Channel.sms,
        direction=Direction.inbound,
        patient_id=patient.id,
        external_ref="SM0123",
    )
    timeline.append_event(
        rt, actor=SYSTEM, interaction_id=it.id, kind="sms.in", text="Can I move my visit?"
    )
    clock.advance(timedelta(minutes=2))
    return timeline.end_interaction(rt, actor=SYSTEM, interaction_id=it.id, status="completed")


def validate(doc: dict) -> Communication:
    return Communication.model_validate(doc)


def test_an_inbound_text_without_its_words_by_default(text_in, patient):
    doc = communication_for(text_in)
    model = validate(doc)
    assert model.status == "completed"
    assert doc["resourceType"] == "Communication" and doc["id"] == text_in.id
    assert doc["subject"] == {"identifier": {"system": CARELINE_PATIENT, "value": patient.id}}
    assert doc["sender"] == doc["subject"] and "recipient" not in doc
    assert doc["received"].endswith("Z") and "sent" not in doc
    assert doc["medium"][0]["coding"][0]["code"] == "WRITTEN"
    assert doc["category"][0]["coding"][0] == {
        "system": "https://careline.dev/fhir/CodeSystem/channel",
        "code": "sms",
    }
    assert {"system": "urn:careline:provider-ref", "value": "SM0123"} in doc["identifier"]
    assert "payload" not in doc and "move my visit" not in json.dumps(doc)

    with_text = communication_for(text_in, include_text=True)
    validate(with_text)
    assert with_text["payload"] == [{"contentString": "Can I move my visit?"}]


def test_statuses_media_and_categories(rt, patient):
    call = timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="outbound", patient_id=patient.id
    )
    doc = communication_for(call)
    validate(doc)
    assert doc["status"] == "in-progress"
    assert doc["medium"][0]["coding"][0]["code"] == "PHONE"
    assert doc["recipient"] == [doc["subject"]] and "sent" in doc
    failed = timeline.end_interaction(rt, actor=SYSTEM, interaction_id=call.id, status="no-answer")
    assert communication_for(failed)["status"] == "not-done"

    reminder = timeline.start_interaction(
        rt, actor=SYSTEM, channel="reminder", direction="outbound", patient_id=patient.id
    )
    doc = communication_for(reminder)
    validate(doc)
    assert doc["category"][0]["coding"][0]["code"] == "reminder"
    assert "medium" not in doc  # the channel alone does not say how it was sent

    unknown_caller = timeline.start_interaction(
        rt, actor=SYSTEM, channel="voicemail", direction="inbound"
    )
    doc = communication_for(unknown_caller)
    validate(doc)
    assert "subject" not in doc and "sender" not in doc


def test_an_imported_patient_is_referred_to_by_the_ehrs_id(rt, clock):
    from datetime import UTC, datetime

    clock.set(datetime(2026, 3, 2, 15, 0, tzinfo=UTC))
    doc = json.loads((HERE / "valid_bundle.json").read_text())
    fhir.import_bundle(rt, actor=SYSTEM, document=doc, default_timezone="America/New_York")
    linked = fhir._link(rt, "Patient", "pat-1")
    assert linked is not None
    note = timeline.add_note(rt, actor=SYSTEM, patient_id=linked.careline_id, text="Called back")
    out = fhir.export_communication(rt, actor=SYSTEM, interaction_id=note.id)
    validate(out)
    assert out["subject"] == {"reference": "Patient/pat-1"}
    assert out["status"] == "completed" and "payload" not in out


def test_the_route_serves_fhir_json_scoped_and_audited(
    client, rt, make_user, login, make_location, text_in, patient
):
    login(make_user(Role.agent))
    r = client.get(f"/api/v1/interactions/{text_in.id}/fhir")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/fhir+json")
    body = r.json()
    validate(body)
    assert "payload" not in body
    r = client.get(f"/api/v1/interactions/{text_in.id}/fhir", params={"include_text": "true"})
    assert r.json()["payload"][0]["contentString"] == "Can I move my visit?"

    missing = client.get("/api/v1/interactions/00000000-0000-0000-0000-000000000000/fhir")
    assert missing.status_code == 404 and missing.json()["error_id"] == "no-such-interaction"

    from careline.core.db import transaction
    from careline.security.tables import AuditEntryRow

    with transaction(rt.sessions) as s:
        from sqlalchemy import select

        exports = list(
            s.execute(
                select(AuditEntryRow).where(AuditEntryRow.action == "fhir.export.communication")
            ).scalars()
        )
    assert [e.patient_id for e in exports] == [patient.id, patient.id]
    assert [e.details["include_text"] for e in exports] == [False, True]

    login(make_user((Role.agent, make_location("Elsewhere"))))
    assert client.get(f"/api/v1/interactions/{text_in.id}/fhir").status_code == 403
    login(make_user(Role.auditor))
    denied = client.get(f"/api/v1/interactions/{text_in.id}/fhir")
    assert denied.status_code == 403 and denied.json()["error_id"] == "permission-denied"
