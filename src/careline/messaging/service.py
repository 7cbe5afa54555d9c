"""Outbound messaging use cases: send exactly once, deliver through the jobs runner,
record status callbacks.

Exactly once, step by step:

1. `send_message` inserts the message under its idempotency key (UNIQUE) and, in
   the same transaction, schedules a `messaging.send` job. A second call with
   the same key finds the row and sends nothing; a crash before the commit
   leaves nothing behind; after it, the job exists and will run.
2. The job (`deliver_message`) hands the message to the provider *outside* any
   transaction, with the same idempotency key; a provider keeps one message per
   key (the outbox does; an adapter for a carrier API without idempotency keys
   must find a message it already created for the key before creating another,
   or a crash during the call can still send twice). A crash
   after the provider accepted but before the receipt was stored means the
   job's lease runs out, another worker retries, and the provider returns the
   first receipt instead of sending again.
3. The receipt is recorded; a message no longer `pending` is never handed over
   again.

Provider errors that may pass are retried with backoff by the jobs runner;
permanent ones (invalid number, opted out) end the message as `undeliverable`,
and running out of tries ends it as `failed`. SMS to a patient who opted out
is refused before it reaches the provider — when it is requested and again
when it is sent.
"""

from __future__ import annotations

import logging
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from careline.core.db import transaction
from careline.core.errors import (
    CarelineError,
    Conflict,
    FieldProblem,
    NotFound,
    ValidationFailed,
)
from careline.core.phone import to_e164
from careline.jobs import service as jobs
from careline.jobs.model import DEFAULT_MAX_ATTEMPTS, Defer, PermanentFailure, RetryLater, safe_code
from careline.messaging import failures
from careline.messaging.model import (
    DEFAULT_SENDER,
    MessageChannel,
    MessageStatus,
    OutboundMessageView,
    StaffMessage,
    count_segments,
    message_problems,
    next_allowed_send,
    next_status,
    status_from_provider,
)
from careline.messaging.tables import OutboundMessageRow
from careline.patients import service as patients
from careline.patients.model import PatientView, SmsConsent
from careline.providers.protocol import OutboundMessage, ProviderError, Receipt
from careline.runtime import Runtime
from careline.security import audit
from careline.security.crypto import blind_index
from careline.security.model import Actor, Permission, system_actor
from careline.security.service import phi_transaction

log = logging.getLogger("careline.messaging")

#: The job kind that hands one message to the provider.
SEND_JOB = "messaging.send"
#: Error code of a message refused because its patient opted out of SMS.
OPTED_OUT = "opted-out"
#: Error code when the provider gave no code of its own.
PROVIDER_ERROR = "provider-error"


class NoSuchMessage(NotFound):
    error_id = "no-such-message"


def _fail(problems: list[FieldProblem]) -> None:
    if problems:
        names = ", ".join(p.field for p in problems[:5])
        raise ValidationFailed(f"Fix these fields and retry: {names}.", problems=problems)


def _view(row: OutboundMessageRow) -> OutboundMessageView:
    return OutboundMessageView(
        id=row.id,
        idempotency_key=row.idempotency_key,
        patient_id=row.patient_id,
        channel=MessageChannel(row.channel),
        to=row.to_number,
        sender=row.sender,
        body=row.body,
        status=MessageStatus(row.status),
        provider=row.provider,
        provider_id=row.provider_id,
        attempts=row.attempts,
        error_code=row.error_code,
        segments=row.segments,
        encoding=row.encoding,
        recipient_tz=row.recipient_tz,
        due_at=row.due_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        sent_at=row.sent_at,
        delivered_at=row.delivered_at,
    )


def _by_key(s: Session, key: str) -> OutboundMessageRow | None:
    return s.execute(
        select(OutboundMessageRow).where(OutboundMessageRow.idempotency_key == key)
    ).scalar_one_or_none()


def _existing(
    rt: Runtime, *, actor: Actor, key: str, patient_id: str
) -> OutboundMessageView | None:
    """The message already decided under this key (not a second send), if any.

    Returning it shows its number and text again: scope-checked and audited like a read.
    """
    with phi_transaction(rt) as s:
        row = _by_key(s, key)
        if row is None:
            return None
        if row.patient_id != patient_id:
            # Same key, another patient: a caller bug that must not pass silently.
            raise Conflict(
                "This idempotency key already belongs to a message for another patient.",
                error_id="idempotency-key-reused",
            )
        flagged = patients.require_patient_access(
            rt, s, actor=actor, permission=Permission.timeline_write, patient_id=patient_id
        )
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="message.replay",
            resource_type="message",
            resource_id=row.id,
            patient_id=patient_id,
            flagged=flagged,
            details={"status": row.status},
        )
        return _view(row)


def _sms_number(patient: PatientView) -> str:
    capable = [p for p in patient.phones if p.sms_capable]
    capable.sort(key=lambda p: not p.primary)
    if not capable:
        raise ValidationFailed(
            "The patient has no number that can receive texts.",
            error_id="no-sms-number",
            problems=[FieldProblem("to", "the patient has no SMS-capable number; give one")],
        )
    return capable[0].number


# ---------------------------------------------------------------- use cases


def clinic_sender(rt: Runtime, location_id: str | None) -> str:
    """The number a clinic's texts come from: its own, or the network's default."""
    if location_id is None:
        return DEFAULT_SENDER
    from careline.directory import service as directory

    return directory.get_location(rt, location_id=location_id).sms_number or DEFAULT_SENDER


def send_message(
    rt: Runtime,
    *,
    actor: Actor,
    patient_id: str,
    body: str,
    idempotency_key: str,
    to: str | None = None,
    channel: MessageChannel = MessageChannel.sms,
    sender: str | None = None,
    location_id: str | None = None,
    not_before: datetime | None = None,
    recipient_tz: str | None = None,
    deliver: bool = True,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> OutboundMessageView:
    """Decide to send `body` to a patient, once per `idempotency_key`.

    The same key again returns the message already decided, whatever its state
    (and never sends twice). `to` defaults to the patient's primary SMS-capable
    number. The send is due at `not_before` (default now), moved out of quiet
    hours when `recipient_tz` is given (and re-checked at send time, so retries
    respect them too). With `deliver`, a message due now is handed to the
    provider before this returns; otherwise a worker sends it. A patient who
    opted out gets an `undeliverable` message with error `opted-out`, never a send.

    Without a `sender`, the message comes from the clinic's own texting number
    (`location_id`'s `sms_number`) when it has one, so the patient sees the clinic
    they know; else from the network's Messaging Service or default sender.

    The key is stored and passed to the provider in the clear: build it from ids
    and a purpose (`reminder:<appointment id>:24h`), never from PHI.
    """
    if sender is None:
        sender = clinic_sender(rt, location_id)
    _fail(
        message_problems(
            body=body, idempotency_key=idempotency_key, sender=sender, recipient_tz=recipient_tz
        )
    )
    if channel is not MessageChannel.sms:
        raise ValidationFailed(
            "Only SMS can be sent for now; voice messages need the telephony capability.",
            error_id="channel-not-supported",
            problems=[FieldProblem("channel", "only 'sms' is supported")],
        )
    if not_before is not None and not_before.tzinfo is None:
        raise ValueError("not_before must be timezone-aware")
    found = _existing(rt, actor=actor, key=idempotency_key, patient_id=patient_id)
    if found is not None:
        return found
    # Scope check, consent and number in one audited read of the patient.
    patient = patients.get_patient(rt, actor=actor, patient_id=patient_id)
    number = (
        to_e164(to, default_region=rt.settings.default_region, field="to")
        if to is not None
        else _sms_number(patient)
    )
    now = rt.clock.now()
    due = max(now, not_before) if not_before is not None else now
    if recipient_tz is not None:
        due = next_allowed_send(due, recipient_tz)
    opted_out = patient.sms_consent is SmsConsent.opted_out
    segments = count_segments(body)
    job_id: str | None = None
    try:
        with phi_transaction(rt) as s:
            flagged = patients.require_patient_access(
                rt, s, actor=actor, permission=Permission.timeline_write, patient_id=patient_id
            )
            row = OutboundMessageRow(
                idempotency_key=idempotency_key,
                patient_id=patient_id,
                channel=channel.value,
                to_number=number,
                to_index=blind_index(number),
                sender=sender,
                body=body,
                status=(MessageStatus.undeliverable if opted_out else MessageStatus.pending).value,
                error_code=OPTED_OUT if opted_out else None,
                attempts=0,
                segments=segments.segments,
                encoding=segments.encoding.value,
                recipient_tz=recipient_tz,
                due_at=due,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()  # the idempotency key's constraint speaks here
            if not opted_out:
                job = jobs.schedule_in(
                    s,
                    now=now,
                    kind=SEND_JOB,
                    payload={"message_id": row.id},
                    due_at=due,
                    dedupe_key=f"{SEND_JOB}:{row.id}",
                    max_attempts=max_attempts,
                )
                row.job_id = job_id = job.id
            audit.record(
                s,
                clock=rt.clock,
                actor=actor,
                action="message.create",
                resource_type="message",
                resource_id=row.id,
                patient_id=patient_id,
                flagged=flagged,
                details={
                    "channel": channel.value,
                    "status": row.status,
                    "segments": segments.segments,
                    "encoding": segments.encoding.value,
                },
            )
            message_id = row.id
            view = _view(row)
    except IntegrityError:
        # Another caller decided the same message meanwhile: theirs is the one.
        again = _existing(rt, actor=actor, key=idempotency_key, patient_id=patient_id)
        if again is None:
            raise
        return again
    if opted_out:
        log.info("message %s refused: patient opted out of SMS", message_id)
        return view
    if deliver and job_id is not None and due <= now:
        jobs.run_now(rt, job_id=job_id, run=send_job, on_give_up=give_up_job)
        return _reload(rt, message_id)
    return view


#: What a client's Idempotency-Key may look like (it is stored in the clear: no PHI).
CLIENT_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,100}$")


def send_staff_message(
    rt: Runtime, *, actor: Actor, patient_id: str, message: StaffMessage, client_key: str
) -> OutboundMessageView:
    """A text from a member of staff to a patient, through the provider, exactly once per
    `client_key` (the client's Idempotency-Key), on the patient's timeline.

    Refused for a patient who opted out (STOP): nothing is created. Quiet hours, when
    respected, hold it until the morning at the patient's clinic (`due_at` says when).
    """
    if not CLIENT_KEY.match(client_key):
        raise ValidationFailed(
            "Give an Idempotency-Key header: 8 to 100 letters, digits or _ . : -",
            problems=[FieldProblem("header.Idempotency-Key", "8-100 of [A-Za-z0-9_.:-]")],
        )
    patient = patients.get_patient(rt, actor=actor, patient_id=patient_id)
    if patient.sms_consent is SmsConsent.opted_out:
        raise Conflict(
            "This patient has opted out of texts (STOP). Call them instead.",
            error_id="patient-opted-out",
        )
    tz = None
    if message.respect_quiet_hours and patient.home_location_id:
        from careline.directory import service as directory

        tz = directory.get_location(rt, location_id=patient.home_location_id).timezone
    key = f"staff:{actor.user_id or 'system'}:{client_key}"
    sent = send_message(
        rt,
        actor=actor,
        patient_id=patient_id,
        body=message.body,
        idempotency_key=key,
        to=message.to,
        location_id=patient.home_location_id,
        recipient_tz=tz,
    )
    _staff_text_on_timeline(rt, actor=actor, view=sent)
    return sent


def send_now(rt: Runtime, *, actor: Actor, message_id: str) -> OutboundMessageView:
    """A message held for quiet hours goes now, because staff say so ("send now
    anyway"): the same message, so the patient never gets it twice. Audited."""
    now = rt.clock.now()
    with phi_transaction(rt) as s:
        row = s.get(OutboundMessageRow, message_id)
        if row is None or row.patient_id is None:
            raise NoSuchMessage("No message has this id.")
        flagged = patients.require_patient_access(
            rt, s, actor=actor, permission=Permission.timeline_write, patient_id=row.patient_id
        )
        if row.status != MessageStatus.pending.value or row.job_id is None:
            raise Conflict(
                "This message is no longer waiting: it has been sent or has ended.",
                error_id="message-not-waiting",
            )
        row.recipient_tz = None  # staff overrode quiet hours for this one message
        row.due_at = now
        row.updated_at = now
        jobs.bring_forward_in(s, job_id=row.job_id, now=now)
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="message.send_now",
            resource_type="message",
            resource_id=row.id,
            patient_id=row.patient_id,
            flagged=flagged,
        )
        job_id = row.job_id
    jobs.run_now(rt, job_id=job_id, run=send_job, on_give_up=give_up_job)
    return _reload(rt, message_id)


def _staff_text_on_timeline(rt: Runtime, *, actor: Actor, view: OutboundMessageView) -> None:
    """The staff text as an outbound SMS interaction (once, even when the key is replayed)."""
    from careline.timeline import service as timeline
    from careline.timeline.model import Channel as TimelineChannel
    from careline.timeline.model import Direction

    ref = f"message:{view.id}"
    if timeline.find_by_external_ref(rt, actor=actor, external_ref=ref) is not None:
        return
    try:
        started = timeline.start_interaction(
            rt,
            actor=actor,
            channel=TimelineChannel.sms,
            direction=Direction.outbound,
            patient_id=view.patient_id,
            external_ref=ref,
        )
        timeline.append_event(
            rt,
            actor=actor,
            interaction_id=started.id,
            kind="sms.sent_by_staff",
            text=view.body,
            data={"message_id": view.id, "status": view.status.value},
        )
        timeline.end_interaction(rt, actor=actor, interaction_id=started.id, status="completed")
    except CarelineError as exc:
        log.warning("staff text %s not on the timeline: %s", view.id, exc.error_id)


def _reload(rt: Runtime, message_id: str) -> OutboundMessageView:
    # The caller's own audited write covers this read-back of what it just wrote.
    with transaction(rt.sessions) as s:
        row = s.get(OutboundMessageRow, message_id)
        if row is None:
            raise NoSuchMessage("No message has this id.")
        return _view(row)


def _set_outcome(
    rt: Runtime, message_id: str, status: MessageStatus, code: str | None
) -> OutboundMessageView | None:
    """Record an outcome on a message that is still pending (never overwrite a receipt)."""
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        row = s.get(OutboundMessageRow, message_id)
        if row is None:
            return None
        if row.status == MessageStatus.pending.value:
            row.status = status.value
            row.error_code = code
            row.updated_at = now
        return _view(row)


def deliver_message(rt: Runtime, *, message_id: str) -> OutboundMessageView:
    """Hand one pending message to the provider and record the receipt (the job's work).

    Raises `Defer` in quiet hours, `PermanentFailure` when it must never be sent
    (opted out, refused by the provider), `RetryLater` for provider errors that
    may pass. A message already handed over is returned as is.
    """
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        row = s.get(OutboundMessageRow, message_id)
        if row is None:
            raise PermanentFailure("no-such-message")
        if row.status != MessageStatus.pending.value:
            return _view(row)
        patient_id, channel, tz = row.patient_id, MessageChannel(row.channel), row.recipient_tz
    if tz is not None and (allowed := next_allowed_send(now, tz)) > now:
        raise Defer(allowed)
    actor = system_actor("messaging")
    if channel is MessageChannel.sms and patient_id is not None:
        patient = patients.get_patient(rt, actor=actor, patient_id=patient_id)
        if patient.sms_consent is SmsConsent.opted_out:
            _set_outcome(rt, message_id, MessageStatus.undeliverable, OPTED_OUT)
            raise PermanentFailure(OPTED_OUT)
    with transaction(rt.sessions) as s:
        row = s.get(OutboundMessageRow, message_id)
        if row is None:
            raise PermanentFailure("no-such-message")
        if row.status != MessageStatus.pending.value:
            return _view(row)
        row.attempts += 1
        row.updated_at = now
        # Recorded before the provider is called, on the wall clock (the provider's
        # clock is what it will be compared with): if this try's answer is lost, the
        # next try asks the provider what it accepted since then.
        lost_since = row.handed_off_at
        row.handed_off_at = lost_since or datetime.now(UTC)
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="message.send",
            resource_type="message",
            resource_id=row.id,
            patient_id=row.patient_id,
            details={"attempt": row.attempts, "channel": row.channel},
        )
        outbound = OutboundMessage(
            to=row.to_number,
            from_=row.sender,
            body=row.body,
            idempotency_key=row.idempotency_key,
            patient_id=row.patient_id,
            # A provider can only call back an absolute URL: none without a public base.
            status_callback=(
                f"{rt.settings.public_base_url.rstrip('/')}{STATUS_PATH}"
                if rt.settings.public_base_url
                else None
            ),
        )
    # No transaction is open while the provider works: it may be slow, and the
    # idempotency key (or, for a provider without keys, the hand-off record and
    # `_adopt`), not a lock, is what keeps a retry from sending twice.
    try:
        receipt = _adopt(rt, message_id, outbound, lost_since) if lost_since else None
        if receipt is None:
            receipt = rt.provider.send_message(outbound)
    except ProviderError as exc:
        code = safe_code(exc.code or PROVIDER_ERROR)
        if exc.permanent:
            _set_outcome(rt, message_id, MessageStatus.undeliverable, code)
            _after_refusal(rt, message_id, code)
            raise PermanentFailure(code) from None
        with transaction(rt.sessions) as s:
            row = s.get(OutboundMessageRow, message_id)
            if row is not None and row.status == MessageStatus.pending.value:
                row.error_code = code
                row.updated_at = rt.clock.now()
        raise RetryLater(
            code,
            at_least=timedelta(seconds=exc.retry_after) if exc.retry_after else None,
            jitter=_jitter(code),
        ) from None
    reported = status_from_provider(receipt.status) or MessageStatus.sent
    with transaction(rt.sessions) as s:
        row = s.get(OutboundMessageRow, message_id)
        if row is None:
            raise PermanentFailure("no-such-message")
        done = rt.clock.now()
        row.provider = receipt.provider
        row.provider_id = receipt.provider_id
        row.handed_off_at = None
        row.status = next_status(MessageStatus(row.status), reported).value
        row.error_code = None
        row.sent_at = row.sent_at or done
        if row.status == MessageStatus.delivered.value:
            row.delivered_at = row.delivered_at or done
        row.updated_at = done
        return _view(row)


def _adopt(
    rt: Runtime, message_id: str, outbound: OutboundMessage, since: datetime
) -> Receipt | None:
    """An earlier try's answer was lost (the worker died, the provider never replied):
    the provider's own copy of this message, if it has one that no other message of
    careline's has already claimed. A provider that cannot be asked raises
    ProviderError, so nothing is resent blind."""
    for receipt in rt.provider.find_messages(outbound, since=since):
        with transaction(rt.sessions) as s:
            taken = s.execute(
                select(OutboundMessageRow.id).where(
                    OutboundMessageRow.provider == receipt.provider,
                    OutboundMessageRow.provider_id == receipt.provider_id,
                    OutboundMessageRow.id != message_id,
                )
            ).first()
        if taken is None:
            log.info("message %s: adopted what the provider already accepted", message_id)
            return receipt
    return None


def _after_refusal(rt: Runtime, message_id: str, code: str) -> None:
    """What a provider's permanent refusal means for the patient, beyond this message:
    the capabilities that care were wired in by the composition root."""
    with transaction(rt.sessions) as s:
        row = s.get(OutboundMessageRow, message_id)
        if row is None or row.patient_id is None:
            return
        patient_id = row.patient_id
    if code == OPTED_OUT:
        # The carrier holds the patient's STOP: careline's consent must say so too.
        try:
            patients.set_sms_consent(
                rt,
                actor=system_actor("messaging"),
                patient_id=patient_id,
                consent=SmsConsent.opted_out,
                source="carrier",
            )
        except CarelineError as exc:
            log.warning("message %s: consent not updated: %s", message_id, exc.error_id)
    for listener in failures.listeners():
        try:
            listener(rt, patient_id=patient_id, message_id=message_id, code=code)
        except Exception as exc:  # one listener's failure must not hide the others
            log.error("message %s: refusal listener failed: %s", message_id, type(exc).__name__)


#: Seconds of random spread added to retries after a fleet-wide provider problem.
RETRY_JITTER_SECONDS = 10.0
#: Provider problems that hit every message at once (throttling, an outage): their
#: retries are spread so the whole backlog does not return in the same second.
FLEET_WIDE = frozenset({"throttled", "provider-unavailable", "provider-no-answer"})


def _jitter(code: str) -> timedelta:
    if code not in FLEET_WIDE:
        return timedelta(0)
    return timedelta(seconds=random.uniform(0, RETRY_JITTER_SECONDS))


@dataclass(frozen=True)
class LastSent:
    """What careline last texted a number: to whom (the patient the message is about,
    also for a caregiver's number) and why (the idempotency key names its purpose)."""

    message_id: str
    patient_id: str | None
    purpose: str
    at: datetime


def last_sent_to(rt: Runtime, *, number: str, since: datetime) -> LastSent | None:
    """The newest message handed to the provider for `number` since `since`, if any.
    Used to match a reply to the conversation it answers; the number is looked up by
    its keyed hash, never in the clear."""
    with transaction(rt.sessions) as s:
        row = s.execute(
            select(OutboundMessageRow)
            .where(
                OutboundMessageRow.to_index == blind_index(number),
                OutboundMessageRow.sent_at.is_not(None),
                OutboundMessageRow.sent_at >= since,
            )
            .order_by(OutboundMessageRow.sent_at.desc(), OutboundMessageRow.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        if row is None or row.sent_at is None:
            return None
        return LastSent(
            message_id=row.id,
            patient_id=row.patient_id,
            purpose=row.idempotency_key.split(":", 1)[0],
            at=row.sent_at,
        )


#: Where providers report delivery (see `careline.telephony.api`).
STATUS_PATH = "/telephony/sms/status"


def record_status(
    rt: Runtime,
    *,
    provider_id: str,
    status: str,
    provider: str | None = None,
    error_code: str | None = None,
) -> OutboundMessageView:
    """A delivery status from the provider (a status callback). Late or repeated callbacks
    never move a message backwards; unknown status words are refused."""
    reported = status_from_provider(status)
    if reported is None:
        raise ValidationFailed(
            "Unknown message status.",
            problems=[FieldProblem("status", "is not a known provider status")],
        )
    now = rt.clock.now()
    with transaction(rt.sessions) as s:
        stmt = select(OutboundMessageRow).where(OutboundMessageRow.provider_id == provider_id)
        if provider is not None:
            stmt = stmt.where(OutboundMessageRow.provider == provider)
        rows = list(s.execute(stmt.limit(2)).scalars())
        if len(rows) != 1:
            if rows:
                raise Conflict(
                    "Several providers use this id; name the provider.",
                    error_id="ambiguous-provider-id",
                )
            raise NoSuchMessage("No message has this provider id.")
        row = rows[0]
        before = MessageStatus(row.status)
        after = next_status(before, reported)
        if after is not before:
            row.status = after.value
            row.updated_at = now
            if after is MessageStatus.delivered:
                row.delivered_at = now
            if after in (MessageStatus.failed, MessageStatus.undeliverable):
                row.error_code = safe_code(error_code) if error_code else after.value
            audit.record(
                s,
                clock=rt.clock,
                actor=system_actor("messaging-status"),
                action="message.status",
                resource_type="message",
                resource_id=row.id,
                patient_id=row.patient_id,
                details={"before": before.value, "after": after.value},
            )
        return _view(row)


def get_message(rt: Runtime, *, actor: Actor, message_id: str) -> OutboundMessageView:
    """One message, number and text included: an audited PHI read, scope-checked."""
    with phi_transaction(rt) as s:
        row = s.get(OutboundMessageRow, message_id)
        if row is None:
            raise NoSuchMessage("No message has this id.")
        flagged = False
        if row.patient_id is not None:
            flagged = patients.require_patient_access(
                rt, s, actor=actor, permission=Permission.timeline_read, patient_id=row.patient_id
            )
        audit.record(
            s,
            clock=rt.clock,
            actor=actor,
            action="message.read",
            resource_type="message",
            resource_id=row.id,
            patient_id=row.patient_id,
            flagged=flagged,
        )
        return _view(row)


# ---------------------------------------------------------------- the job kind


def _message_id(payload: dict[str, Any]) -> str:
    value = payload.get("message_id")
    if not isinstance(value, str) or not value:
        raise PermanentFailure("bad-payload")
    return value


def send_job(rt: Runtime, payload: dict[str, Any]) -> None:
    """`messaging.send`: payload `{"message_id": ...}`."""
    deliver_message(rt, message_id=_message_id(payload))


def give_up_job(rt: Runtime, payload: dict[str, Any], code: str) -> None:
    """The send job ran out of tries (or failed for good): a still-pending message failed."""
    message_id = payload.get("message_id")
    if isinstance(message_id, str):
        _set_outcome(rt, message_id, MessageStatus.failed, code)
