"""Voicemails the fallback plan kept while the database was down, brought in once it
is back (issue 11, item 14).

The fallback plan (`telephony.fallback`) needs no database: it appends each
voicemail's recording and transcript, sealed, to the spool file. When the
database answers again, `careline serve` (or `careline voicemail import-spool`)
files each call as a voicemail interaction on the caller's timeline (or the
clinic's unattached ones), with a front-desk task whose urgency follows triage
of the transcript. Importing twice files nothing twice (the call's id is the
interaction's external reference and the task's key), and an imported spool is
renamed, never deleted, so nothing is lost if the import stops half way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from careline.core.db import unit_of_work
from careline.core.errors import CarelineError
from careline.core.phone import InvalidPhoneNumber, to_e164
from careline.flows import service as flows
from careline.patients import service as patients
from careline.runtime import Runtime
from careline.security.model import system_actor
from careline.telephony.fallback import read_spool, spool_path
from careline.timeline import service as timeline
from careline.timeline.model import Channel, Direction
from careline.triage.service import triage
from careline.worklist import service as worklist
from careline.worklist.model import TaskKind, TaskUrgency

log = logging.getLogger("careline.telephony")
ACTOR = system_actor("fallback-spool")


@dataclass(frozen=True)
class SpoolReport:
    calls: int
    filed: int
    already: int


def _merged(records: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """One record per call: the recording's fields and the transcript's, together."""
    calls: dict[str, dict[str, str]] = {}
    for record in records:
        sid = record.get("call_sid", "")[:64]
        if not sid:
            continue
        merged = calls.setdefault(sid, {})
        for key, value in record.items():
            if value and not merged.get(key):
                merged[key] = value
    return calls


def import_spool(rt: Runtime) -> SpoolReport:
    """File every spooled voicemail (see the module docstring); safe to repeat."""
    path = spool_path(rt.settings)
    if not path.exists():
        return SpoolReport(0, 0, 0)
    calls = _merged(read_spool(rt.settings, rt.cipher))
    filed = already = 0
    for sid, record in calls.items():
        if _file(rt, sid, record):
            filed += 1
        else:
            already += 1
    done = path.with_name(f"voicemail.imported-{rt.clock.now():%Y%m%dT%H%M%S}.jsonl")
    path.rename(done)
    log.info("spooled voicemails imported: %d filed, %d already filed", filed, already)
    return SpoolReport(len(calls), filed, already)


def _file(rt: Runtime, sid: str, record: dict[str, str]) -> bool:
    ref = f"fallback:{sid}"
    if timeline.find_by_external_ref(rt, actor=ACTOR, external_ref=ref) is not None:
        return False
    location_id = None
    try:
        location_id = flows.flow_for_number(rt, number=record.get("to", "")).binding.location_id
    except CarelineError:
        log.warning("a spooled voicemail names a number no flow answers")
    patient_id = None
    try:
        e164 = to_e164(record.get("from", ""), default_region=rt.settings.default_region)
        found = patients.match_caller(rt, phone_e164=e164)
        patient_id = found[0] if len(found) == 1 else None  # a shared number stays unplaced
    except InvalidPhoneNumber:
        log.warning("a spooled voicemail has no usable caller number")
    at = datetime.fromisoformat(record["received_at"]) if record.get("received_at") else None
    transcript = record.get("transcript", "")[:10_000]
    verdict = triage(transcript) if transcript.strip() else None  # before the write lock
    # One unit: an interaction without its task would be skipped by a re-import.
    with unit_of_work(rt.sessions):
        interaction = timeline.start_interaction(
            rt,
            actor=ACTOR,
            channel=Channel.voice,
            direction=Direction.inbound,
            patient_id=patient_id,
            location_id=location_id,
            external_ref=ref,
            at=at,
        )
        timeline.append_event(
            rt,
            actor=ACTOR,
            interaction_id=interaction.id,
            kind="voicemail.recorded",
            data={
                "by": "fallback-plan",
                "recording_seconds": record.get("recording_seconds", "")[:8],
                "urgency": verdict.urgency.value if verdict else "unknown",
            },
            text=transcript or None,
            at=at,
        )
        urgency = TaskUrgency.urgent
        if verdict is not None:
            urgency = TaskUrgency(verdict.urgency.value)
        worklist.create_task(
            rt,
            kind=TaskKind.voicemail,
            patient_id=patient_id,
            appointment_id=None,
            location_id=location_id,
            dedupe_key=f"voicemail:{ref}",
            interaction_id=interaction.id,
            urgency=urgency,
        )
    return True
