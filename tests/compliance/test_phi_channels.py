"""The PHI channel report (issue 13): "can you identify, right now, every channel
through which patient information has been communicated in the last 30 days?"
A seeded month is counted channel by channel; auditors only; counts, never PHI."""

from __future__ import annotations

from datetime import date, timedelta

from typer.testing import CliRunner

from careline.cli import app
from careline.messaging import service as messaging
from careline.patients import service as patients
from careline.patients.model import PatientCreate, PhoneIn
from careline.security import service as security
from careline.security.model import SYSTEM, Permission, Role
from careline.timeline import service as timeline


def _patient(rt, clinic: str, family: str, phone: str) -> str:
    return patients.create_patient(
        rt,
        actor=SYSTEM,
        data=PatientCreate(
            given_name="Ada",
            family_name=family,
            date_of_birth=date(1980, 1, 2),
            home_location_id=clinic,
            phones=[PhoneIn(number=phone, sms_capable=True, primary=True)],
        ),
    ).id


def _month(rt, clock, clinic: str) -> dict[str, str]:
    """Two patients; calls in and out, one unknown caller, a voicemail, texts both ways,
    a token's reads, a break-glass opening — and one call outside the period."""
    old = timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="inbound", location_id=clinic
    )  # 40 days ago: outside the period
    clock.advance(timedelta(days=40))
    a = _patient(rt, clinic, "Zyxwarden", "+13125550142")
    b = _patient(rt, clinic, "Qorvalle", "+13125550143")
    for patient in (a, b, a):
        timeline.start_interaction(
            rt,
            actor=SYSTEM,
            channel="voice",
            direction="inbound",
            patient_id=patient,
            location_id=clinic,
        )
    timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="inbound", location_id=clinic
    )  # an unknown caller
    vm = timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="inbound", patient_id=b, location_id=clinic
    )
    timeline.append_event(
        rt,
        actor=SYSTEM,
        interaction_id=vm.id,
        kind="voicemail.recorded",
        text="please call me about my results",
    )
    timeline.start_interaction(
        rt, actor=SYSTEM, channel="voice", direction="outbound", patient_id=a, location_id=clinic
    )
    timeline.start_interaction(
        rt, actor=SYSTEM, channel="sms", direction="inbound", patient_id=a, location_id=clinic
    )
    for patient, key in ((a, "k1"), (b, "k2")):
        messaging.send_message(
            rt,
            actor=SYSTEM,
            patient_id=patient,
            body="Your visit is tomorrow at 9",
            idempotency_key=key,
        )
    admin = security.create_user(
        rt,
        actor=SYSTEM,
        username="integrator",
        display_name="EHR",
        password="a long enough passphrase",
        roles=[security.RoleGrantView(role=Role.admin)],
    )
    owner = security.actor_for_user_id(rt, user_id=admin.user.id)
    token = security.create_token(
        rt, actor=owner, name="ehr-sync", scopes=[Permission.patients_read], expires_in_days=1
    )
    reader = security.authenticate_token(rt, secret=token.secret, ip="10.0.0.9")
    for patient in (a, b, a):
        patients.get_patient(rt, actor=reader, patient_id=patient)
    return {"a": a, "b": b, "old": old.id}


def _line(report: dict, channel: str, detail: str) -> dict:
    found = [ln for ln in report["lines"] if ln["channel"] == channel and detail in ln["detail"]]
    assert len(found) == 1, (channel, detail, report["lines"])
    return found[0]


def test_a_seeded_month_is_counted_channel_by_channel(
    client, rt, clock, make_location, make_user, login
):
    clinic = make_location("Riverside")
    _month(rt, clock, clinic)
    login(make_user(Role.auditor))
    r = client.get("/api/v1/reports/phi-channels")
    assert r.status_code == 200, r.text
    report = r.json()
    inbound = _line(report, "calls", "inbound")
    assert (inbound["count"], inbound["patients"], inbound["unknown"]) == (
        5,
        2,
        1,
    )  # not the old one
    assert _line(report, "calls", "outbound")["count"] == 1
    voicemails = _line(report, "voicemails", "recorded")
    assert (voicemails["count"], voicemails["patients"]) == (1, 1)
    assert _line(report, "texts", "inbound")["count"] == 1
    sent = _line(report, "texts", "outbound from")
    assert (sent["count"], sent["patients"]) == (2, 2)
    token = _line(report, "api-tokens", "ehr-sync")
    assert (token["count"], token["patients"]) == (3, 2)
    assert not any(ln["channel"] == "break-glass" for ln in report["lines"])
    # Counts only: no name, number or words of a patient.
    for secret in ("Zyxwarden", "Qorvalle", "+13125550142", "results", "tomorrow at 9"):
        assert secret not in r.text
    longer = client.get(
        "/api/v1/reports/phi-channels",
        params={"since": (clock.now() - timedelta(days=60)).isoformat()},
    )
    assert _line(longer.json(), "calls", "inbound")["count"] == 6  # the old call too


def test_break_glass_openings_are_flagged(client, rt, clock, make_location, make_user, login):
    clinic, other = make_location("Riverside"), make_location("Harbour")
    patient = _patient(rt, other, "Zyxwarden", "+13125550142")
    nurse = make_user((Role.clinician, clinic))
    security.break_glass(
        rt,
        actor=security.actor_for_user_id(rt, user_id=nurse.id),
        patient_id=patient,
        reason="Covering the on-call for Harbour tonight",
    )
    login(make_user(Role.auditor))
    glass = _line(client.get("/api/v1/reports/phi-channels").json(), "break-glass", "opened")
    assert (
        glass["count"] == 1 and glass["flagged"] and glass["audit_action"] == "patient.break_glass"
    )


def test_only_auditors_and_the_report_is_audited(client, rt, make_user, login):
    login(make_user(Role.agent))
    assert client.get("/api/v1/reports/phi-channels").status_code == 403
    login(make_user(Role.auditor))
    assert client.get("/api/v1/reports/phi-channels").status_code == 200
    entries = client.get("/api/v1/audit", params={"action": "report.phi_channels"}).json()
    assert entries["total"] == 1


def test_the_cli_prints_one_line_per_channel(rt, clock, settings, make_location, monkeypatch):
    import json

    clinic = make_location("Riverside")
    _month(rt, clock, clinic)
    monkeypatch.setenv("CARELINE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CARELINE_KEYRING_FILE", str(settings.keyring_file))
    done = CliRunner().invoke(app, ["report", "phi-channels", "--days", "3650"])
    assert done.exit_code == 0, done.output
    lines = [json.loads(x) for x in done.output.splitlines() if x.startswith("{")]
    assert {ln["channel"] for ln in lines} >= {"calls", "voicemails", "texts", "api-tokens"}


def test_a_call_back_through_a_personal_phone_is_flagged(
    client, rt, make_location, make_user, login
):
    from careline.directory import service as directory
    from careline.directory.model import (
        Endpoint,
        EndpointKind,
        EndpointOwner,
        LocationUpdate,
        StaffCreate,
    )
    from careline.worklist import service as worklist
    from careline.worklist.callback import place_callback
    from careline.worklist.model import TaskKind

    clinic = make_location("Riverside")
    directory.update_location(
        rt, actor=SYSTEM, location_id=clinic, changes=LocationUpdate(main_phone="+13125550100")
    )
    patient = _patient(rt, clinic, "Zyxwarden", "+13125550142")
    users = []
    for name, owner in (("homeworker", EndpointOwner.personal), ("deskworker", None)):
        user = make_user((Role.agent, clinic), username=name)
        phone = Endpoint(
            kind=EndpointKind.phone,
            address="+16465550101" if owner else "+16465550102",
            **({"managed_by": owner} if owner else {}),
        )
        directory.create_staff(
            rt,
            actor=SYSTEM,
            data=StaffCreate(
                display_name=name, location_ids=[clinic], user_id=user.id, endpoints=[phone]
            ),
        )
        users.append(user)
    for user in users:
        task = worklist.create_task(
            rt,
            kind=TaskKind.callback_request,
            patient_id=patient,
            appointment_id=None,
            location_id=clinic,
        )
        place_callback(rt, actor=security.actor_for_user_id(rt, user_id=user.id), task_id=task.id)
    login(make_user(Role.auditor))
    report = client.get("/api/v1/reports/phi-channels").json()
    assert _line(report, "calls", "call backs through the clinic")["count"] == 2
    personal = _line(report, "calls", "personal phone")
    assert (personal["count"], personal["patients"], personal["flagged"]) == (1, 1, True)
    assert "+16465550101" not in str(report)
