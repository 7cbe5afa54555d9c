"""Calling a patient back from the worklist, through the clinic's own number.

The seeds ask that staff reach patients "through the organisation's system, not
personal carriers": a receptionist or a nurse working from home presses Call back
on a task, careline rings *their* phone (the staff record's phone endpoint) from
the clinic's main number, and when they pick up, the provider's webhook
(`telephony.callbacks`) connects them to the patient with the clinic's number as
the caller id. The patient never sees a personal number; the call is on the
patient's timeline (an outbound voice interaction, the number in its encrypted
text) and the task is claimed by whoever is calling.
"""

from __future__ import annotations

from dataclasses import dataclass

from careline.core.db import transaction, unit_of_work
from careline.core.errors import Conflict
from careline.directory import service as directory
from careline.providers.protocol import OutboundCall, ProviderError
from careline.runtime import Runtime
from careline.security.model import Actor
from careline.timeline import service as timeline
from careline.timeline.model import Channel, Direction
from careline.worklist import service as worklist

#: Where the provider asks what to do once the staff member picks up.
CALL_BACK_PATH = "/telephony/voice/call-back"
DIALLING = "callback.dialling"


class NoPhoneToRing(Conflict):
    error_id = "no-staff-phone"
    title = "You have no phone to ring"


class NoClinicNumber(Conflict):
    error_id = "no-clinic-number"
    title = "The clinic has no number to call from"


class NoNumberToCall(Conflict):
    error_id = "no-number-to-call"
    title = "There is no number to call back"


class CallNotPlaced(Conflict):
    error_id = "call-not-placed"
    title = "The phone company did not place the call"


@dataclass(frozen=True)
class CallbackPlaced:
    interaction_id: str
    #: The staff member's phone, masked (…0142): what is ringing.
    ringing: str


def _masked(number: str) -> str:
    return f"…{number[-4:]}"


def place_callback(rt: Runtime, *, actor: Actor, task_id: str) -> CallbackPlaced:
    """Ring the actor's phone from the clinic's number; the webhook then bridges them to
    the number on the task (see the module docstring)."""
    detail = worklist.task_detail(rt, actor=actor, task_id=task_id)  # scoped and audited
    if detail.caller_number is None:
        raise NoNumberToCall("Neither the task nor its patient has a number to call.")
    with transaction(rt.sessions) as s:
        staff_id = directory.staff_id_for_user(s, user_id=actor.user_id or "")
    staff = directory.get_staff(rt, staff_id=staff_id) if staff_id else None
    phones = sorted(
        (e for e in (staff.endpoints if staff else []) if e.kind == "phone"),
        key=lambda e: e.managed_by != "organisation",  # the organisation's phones first
    )
    endpoint = phones[0] if phones else None
    phone = endpoint.address if endpoint else None
    if endpoint is None or phone is None:
        raise NoPhoneToRing(
            "Your staff record has no phone number to ring: ask a manager to add one "
            "(Directory, your staff record, endpoints)."
        )
    location = (
        directory.get_location(rt, location_id=detail.location_id) if detail.location_id else None
    )
    if location is None or not location.main_phone:
        raise NoClinicNumber(
            "The task's clinic has no main phone number to call from: a manager can add it "
            "to the clinic's details."
        )
    worklist.claim_task(rt, actor=actor, task_id=task_id)
    # The call and its number commit together, before the provider is asked to ring.
    with unit_of_work(rt.sessions):
        interaction = timeline.start_interaction(
            rt,
            actor=actor,
            channel=Channel.voice,
            direction=Direction.outbound,
            patient_id=detail.patient_id,
            staff_id=staff_id,
            location_id=location.id,
        )
        timeline.append_event(
            rt,
            actor=actor,
            interaction_id=interaction.id,
            kind=DIALLING,
            # Which kind of device rings: a personal one shows in the PHI channel report.
            data={"task_id": task_id, "ringing": endpoint.managed_by.value},
            text=detail.caller_number,  # encrypted at rest; read back by the bridge webhook
            staff_id=staff_id,
        )
    base = (rt.settings.public_base_url or "").rstrip("/")
    try:
        rt.provider.place_call(
            OutboundCall(
                to=phone,
                from_=location.main_phone,
                url=f"{base}{CALL_BACK_PATH}?leg={interaction.id}",
                idempotency_key=f"callback-call:{interaction.id}",
                patient_id=detail.patient_id,
            )
        )
    except ProviderError as exc:
        timeline.append_event(
            rt,
            actor=actor,
            interaction_id=interaction.id,
            kind="callback.failed",
            data={"code": (exc.code or "provider-error")[:40]},
        )
        timeline.end_interaction(rt, actor=actor, interaction_id=interaction.id, status="failed")
        raise CallNotPlaced(
            "The call could not be placed; try again in a moment, or call from the clinic's phone."
        ) from None
    return CallbackPlaced(interaction_id=interaction.id, ringing=_masked(phone))
