"""The PHI channel report: counted from the timeline, the messages and the audit log.

Read-only, set-based (a few GROUP BY queries whatever the period), and itself
audited (`report.phi_channels`). Counts and names of channels only: no patient,
number or text leaves this module.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import distinct, func, select

from careline.compliance.model import ChannelLine, PhiChannelReport
from careline.core.db import transaction
from careline.messaging.tables import OutboundMessageRow
from careline.runtime import Runtime
from careline.security import audit
from careline.security.model import Actor
from careline.security.tables import AuditEntryRow
from careline.timeline.tables import InteractionEventRow, InteractionRow

#: Audited actions that carried a patient's information to an integration.
TOKEN_READS = ("patient.read", "timeline.read", "interaction.read", "message.read", "task.detail")
FHIR_ACTIONS = ("fhir.import", "fhir.export.communication")


def phi_channels(
    rt: Runtime, *, actor: Actor, since: datetime, until: datetime
) -> PhiChannelReport:
    """Every channel through which patient information entered or left careline."""
    lines: list[ChannelLine] = []
    with transaction(rt.sessions) as s:
        window = (InteractionRow.started_at >= since, InteractionRow.started_at < until)
        calls = s.execute(
            select(
                InteractionRow.direction,
                func.count(),
                func.count(distinct(InteractionRow.patient_id)),
                func.count().filter(InteractionRow.patient_id.is_(None)),
            )
            .where(InteractionRow.channel == "voice", *window)
            .group_by(InteractionRow.direction)
            .order_by(InteractionRow.direction)
        ).all()
        for direction, count, patients, unknown in calls:
            lines.append(
                ChannelLine(
                    channel="calls",
                    detail=str(direction),
                    count=int(count),
                    patients=int(patients),
                    unknown=int(unknown),
                )
            )
        dialled = s.execute(
            select(
                InteractionEventRow.interaction_id,
                InteractionEventRow.data,
                InteractionRow.patient_id,
            )
            .join(InteractionRow, InteractionRow.id == InteractionEventRow.interaction_id)
            .where(InteractionEventRow.kind == "callback.dialling", *window)
        ).all()
        call_backs = len({leg for leg, _, _ in dialled})
        if call_backs:
            lines.append(
                ChannelLine(
                    channel="calls",
                    detail="call backs through the clinic's number (staff phones rung first)",
                    count=call_backs,
                    patients=len({patient for _, _, patient in dialled if patient}),
                )
            )
        personal = [
            patient for _, data, patient in dialled if (data or {}).get("ringing") == "personal"
        ]
        if personal:
            lines.append(
                ChannelLine(
                    channel="calls",
                    detail="call backs bridged through a staff member's personal phone",
                    count=len(personal),
                    patients=len({p for p in personal if p}),
                    flagged=True,
                    why="patient calls reached a device the organisation does not manage",
                )
            )
        voicemails = s.execute(
            select(
                func.count(distinct(InteractionEventRow.interaction_id)),
                func.count(distinct(InteractionRow.patient_id)),
            )
            .join(InteractionRow, InteractionRow.id == InteractionEventRow.interaction_id)
            .where(InteractionEventRow.kind == "voicemail.recorded", *window)
        ).one()
        if voicemails[0]:
            lines.append(
                ChannelLine(
                    channel="voicemails",
                    detail="recorded (stored at the provider; transcripts on the timeline)",
                    count=int(voicemails[0]),
                    patients=int(voicemails[1]),
                )
            )
        inbound_texts = s.execute(
            select(
                func.count(),
                func.count(distinct(InteractionRow.patient_id)),
                func.count().filter(InteractionRow.patient_id.is_(None)),
            ).where(InteractionRow.channel == "sms", InteractionRow.direction == "inbound", *window)
        ).one()
        if inbound_texts[0]:
            lines.append(
                ChannelLine(
                    channel="texts",
                    detail="inbound",
                    count=int(inbound_texts[0]),
                    patients=int(inbound_texts[1]),
                    unknown=int(inbound_texts[2]),
                )
            )
        sent = s.execute(
            select(
                OutboundMessageRow.channel,
                OutboundMessageRow.sender,
                func.count(),
                func.count(distinct(OutboundMessageRow.patient_id)),
            )
            .where(OutboundMessageRow.created_at >= since, OutboundMessageRow.created_at < until)
            .group_by(OutboundMessageRow.channel, OutboundMessageRow.sender)
            .order_by(OutboundMessageRow.channel, OutboundMessageRow.sender)
        ).all()
        for channel, sender, count, patients in sent:
            lines.append(
                ChannelLine(
                    channel="texts" if channel == "sms" else f"outbound {channel}",
                    detail=f"outbound from {sender}",
                    count=int(count),
                    patients=int(patients),
                )
            )
        in_audit = (AuditEntryRow.at >= since, AuditEntryRow.at < until)
        tokens = s.execute(
            select(
                AuditEntryRow.actor_name,
                func.count(),
                func.count(distinct(AuditEntryRow.patient_id)),
            )
            .where(
                AuditEntryRow.actor_name.contains("/token:"),
                AuditEntryRow.action.in_(TOKEN_READS),
                AuditEntryRow.patient_id.is_not(None),
                AuditEntryRow.outcome == "ok",
                *in_audit,
            )
            .group_by(AuditEntryRow.actor_name)
            .order_by(AuditEntryRow.actor_name)
        ).all()
        for name, count, patients in tokens:
            lines.append(
                ChannelLine(
                    channel="api-tokens",
                    detail=f"read by the integration {name.split('/token:', 1)[1]!r}",
                    count=int(count),
                    patients=int(patients),
                    audit_action="patient.read",
                )
            )
        glass = s.execute(
            select(func.count(), func.count(distinct(AuditEntryRow.patient_id))).where(
                AuditEntryRow.action == "patient.break_glass", *in_audit
            )
        ).one()
        if glass[0]:
            lines.append(
                ChannelLine(
                    channel="break-glass",
                    detail="patients opened outside the user's clinics",
                    count=int(glass[0]),
                    patients=int(glass[1]),
                    flagged=True,
                    why="every break-glass opening is reviewed",
                    audit_action="patient.break_glass",
                )
            )
        fhir = s.execute(
            select(
                AuditEntryRow.action, func.count(), func.count(distinct(AuditEntryRow.patient_id))
            )
            .where(AuditEntryRow.action.in_(FHIR_ACTIONS), *in_audit)
            .group_by(AuditEntryRow.action)
            .order_by(AuditEntryRow.action)
        ).all()
        for action, count, patients in fhir:
            lines.append(
                ChannelLine(
                    channel="fhir",
                    detail="import from the EHR"
                    if action == "fhir.import"
                    else "export to the EHR",
                    count=int(count),
                    patients=int(patients),
                    audit_action=str(action),
                )
            )
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="report.phi_channels",
            details={"since": since.isoformat(), "until": until.isoformat(), "lines": len(lines)},
        )
    return PhiChannelReport(since=since, until=until, lines=lines)
