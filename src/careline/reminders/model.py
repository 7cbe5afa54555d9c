"""Reminders' pure core: plans, when each reminder is due, the texts, and what a reply means.

No I/O and no clock: instants and time zones come in as arguments. Minimum
necessary PHI: a reminder names the clinic, the local date and time and how to
reply — never the appointment type or a diagnosis unless the plan allows it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from string import Formatter
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from careline.messaging.model import (
    CONFIRM_WORDS as CARRIER_CONFIRM_WORDS,
)
from careline.messaging.model import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    HELP_WORDS,
    OPT_IN_WORDS,
    OPT_OUT_WORDS,
    ReplyKeyword,
    SegmentInfo,
    classify_reply,
    count_segments,
    next_allowed_send,
    normalise_reply,
)
from careline.worklist.model import TaskKind, TaskUrgency

Strict = ConfigDict(extra="forbid", str_strip_whitespace=True)
StepName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]

# ---------------------------------------------------------------- plans


class StepKind(StrEnum):
    before = "before"  # a fixed time before the visit (48 h)
    day_of = "day_of"  # a local wall-clock time on the day of the visit (08:00)


class ReminderStep(BaseModel):
    model_config = Strict
    name: StepName
    kind: StepKind
    hours_before: int | None = Field(default=None, ge=1, le=24 * 14)
    local_time: time | None = None


class ReminderPlanIn(BaseModel):
    """A reminder plan for a location and/or appointment type (None: any)."""

    model_config = Strict
    location_id: str | None = Field(default=None, max_length=36)
    type_code: str | None = Field(default=None, min_length=1, max_length=64)
    steps: list[ReminderStep] = Field(min_length=1, max_length=5)
    include_type: bool = False
    prep_instructions: str | None = Field(default=None, max_length=160)
    templates: dict[str, str] = Field(
        default_factory=dict,
        max_length=8,
        description="The reminder's wording per language, replacing careline's ('en', "
        "'es'). Placeholders: {date}, {time} and {reply} (how to confirm, cancel and "
        "STOP) are required; {clinic}, {what} and {prep} may be used; nothing else.",
    )
    prep_translations: dict[str, str] = Field(
        default_factory=dict,
        max_length=8,
        description="The prep instructions in other languages, by code ('es': ...). A "
        "patient whose language has none is told, in their language, to call the clinic "
        "for them: an English sentence is never put inside a Spanish text.",
    )
    include_prep: bool = False
    no_answer_hours: int = Field(default=24, ge=1, le=24 * 7)
    notify_caregivers: bool = True


class ReminderPlanView(ReminderPlanIn):
    id: str | None  # None: the built-in default
    updated_at: datetime | None = None
    #: Languages careline texts in whose prep instructions this plan lacks.
    prep_missing_languages: list[str] = Field(default_factory=list)


DEFAULT_STEPS = [
    ReminderStep(name="48h", kind=StepKind.before, hours_before=48),
    ReminderStep(name="dayof", kind=StepKind.day_of, local_time=time(8, 0)),
]


def default_plan() -> ReminderPlanView:
    return ReminderPlanView(id=None, steps=list(DEFAULT_STEPS))


def plan_problems(plan: ReminderPlanIn) -> list[tuple[str, str]]:
    """Field problems of a plan (field, message)."""
    out: list[tuple[str, str]] = []
    names: set[str] = set()
    for i, step in enumerate(plan.steps):
        if step.name in names:
            out.append((f"body.steps.{i}.name", "is used twice"))
        names.add(step.name)
        if step.kind is StepKind.before and step.hours_before is None:
            out.append((f"body.steps.{i}.hours_before", "is required for a 'before' step"))
        if step.kind is StepKind.day_of and step.local_time is None:
            out.append((f"body.steps.{i}.local_time", "is required for a 'day_of' step"))
    if plan.include_prep and not plan.prep_instructions:
        out.append(("body.prep_instructions", "is required when include_prep is true"))
    for code, template in plan.templates.items():
        field = f"body.templates.{code}"
        if code not in LANGUAGES:
            out.append((field, f"must be one of: {', '.join(LANGUAGES)}"))
            continue
        out.extend((field, problem) for problem in template_problems(template))
    for code, text in plan.prep_translations.items():
        if code not in LANGUAGES or code == LANGUAGES[0]:
            others = ", ".join(LANGUAGES[1:])
            out.append((f"body.prep_translations.{code}", f"must be one of: {others}"))
        elif not 1 <= len(text.strip()) <= 160:
            out.append((f"body.prep_translations.{code}", "must be 1 to 160 characters"))
    return out


#: What a manager's reminder wording must say, and what else it may.
TEMPLATE_REQUIRED = frozenset({"date", "time", "reply"})
TEMPLATE_ALLOWED = TEMPLATE_REQUIRED | {"clinic", "what", "prep"}
TEMPLATE_MAX = 320


def template_problems(template: str) -> list[str]:
    """Why a manager's reminder wording cannot be used (empty: it can). {reply} is
    required because it carries STOP: a reminder must always say how to opt out."""
    if not template.strip() or len(template) > TEMPLATE_MAX:
        return [f"must be 1 to {TEMPLATE_MAX} characters"]
    try:
        fields = [name for _, name, spec, conv in Formatter().parse(template) if name is not None]
    except ValueError:
        return ["has an unmatched { or }: write {{ and }} for braces"]
    problems = []
    unknown = sorted({f for f in fields if f not in TEMPLATE_ALLOWED})
    if unknown:
        allowed = ", ".join("{" + a + "}" for a in sorted(TEMPLATE_ALLOWED))
        problems.append(f"uses {', '.join('{' + u + '}' for u in unknown)}; allowed: {allowed}")
    missing = sorted(TEMPLATE_REQUIRED - set(fields))
    if missing:
        problems.append(f"must include {', '.join('{' + m + '}' for m in missing)}")
    return problems


def prep_missing(plan: ReminderPlanIn) -> list[str]:
    """The languages (besides English, the instructions' own) without a translation of
    the prep instructions, when the plan sends them: for the manager to fill in."""
    if not (plan.include_prep and plan.prep_instructions):
        return []
    return [code for code in LANGUAGES[1:] if not plan.prep_translations.get(code)]


def prep_text(plan: ReminderPlanIn, lang: str) -> str | None:
    """The prep instructions in the patient's language; for a language without a
    translation, a sentence in that language asking them to call for them."""
    if not (plan.include_prep and plan.prep_instructions):
        return None
    if lang == LANGUAGES[0]:
        return plan.prep_instructions
    translated = plan.prep_translations.get(lang)
    if translated:
        return translated
    return TEMPLATES.get(lang, TEMPLATES["en"])["prep_call"]


def pick_plan(
    plans: list[ReminderPlanView], *, location_id: str, type_code: str
) -> ReminderPlanView:
    """The most specific plan: location+type, then type, then location, then the default."""
    ranked = {
        (location_id, type_code): 0,
        (None, type_code): 1,
        (location_id, None): 2,
        (None, None): 3,
    }
    best = [
        (ranked[(p.location_id, p.type_code)], p)
        for p in plans
        if (p.location_id, p.type_code) in ranked
    ]
    if not best:
        return default_plan()
    return min(best, key=lambda x: x[0])[1]


#: A step whose time passed less than this long ago (a late sweep) is still sent, now.
LATE_GRACE = timedelta(hours=2)


#: A reminder reaching the patient closer to the visit than this is no use to them.
SEND_MARGIN = timedelta(minutes=15)


def too_late_to_send(
    *, now: datetime, due_at: datetime, start: datetime, later_steps_due: Sequence[datetime]
) -> bool:
    """At send time (the worker may come back hours late): the moment has passed when the
    visit is about to start, the reminder is more than `LATE_GRACE` past its time (the
    rule planning applies), or a later step of the same visit is already due (it says
    the same, closer to the visit)."""
    return (
        now >= start - SEND_MARGIN
        or now > due_at + LATE_GRACE
        or any(due <= now for due in later_steps_due)
    )


def step_due(step: ReminderStep, *, start: datetime, tz: str) -> datetime:
    """When a step is due, before quiet hours are applied (UTC)."""
    if step.kind is StepKind.before:
        assert step.hours_before is not None
        return (start - timedelta(hours=step.hours_before)).astimezone(UTC)
    assert step.local_time is not None
    zone = ZoneInfo(tz)
    day = start.astimezone(zone).date()
    return datetime.combine(day, step.local_time, tzinfo=zone).astimezone(UTC)


def plan_send_time(
    step: ReminderStep, *, start: datetime, tz: str, now: datetime
) -> datetime | None:
    """When to send a step: its time moved out of quiet hours (on the recipient's clock);
    None when it is too late (passed more than `LATE_GRACE` ago, or not before the visit)."""
    due = step_due(step, start=start, tz=tz)
    if due < now - LATE_GRACE:
        return None
    send = next_allowed_send(max(due, now), tz)
    if send >= start:
        return None
    return send


# ---------------------------------------------------------------- templates

_EN_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_ES_DAYS = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"]
_ES_MONTHS = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]

LANGUAGES = ("en", "es")

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "reminder": "{clinic}: reminder of your {what} on {date} at {time}.{prep} {reply}",
        "reply": "Reply C to confirm, R to reschedule, N to cancel. STOP to end texts.",
        "prep_call": "Please call us for how to prepare for this visit.",
        "what": "appointment",
        "confirmed": "{clinic}: thank you, your appointment on {date} at {time} is confirmed.",
        "cancelled": (
            "{clinic}: your appointment on {date} at {time} is cancelled. "
            "To stop all texts, reply STOP."
        ),
        "reschedule": "{clinic}: we will contact you to reschedule.{options}",
        "options": " Open times: {slots}. Call us to book one.",
        "help": (
            "{clinic} appointment reminders. Reply C to confirm, R to reschedule, N to cancel. "
            "Reply STOP to opt out. Msg & data rates may apply."
        ),
        "stopped": (
            "{clinic}: you will receive no more texts from us. Reply START to resubscribe."
        ),
        "started": (
            "{clinic}: you are subscribed to texts again. Reply HELP for help, STOP to opt out."
        ),
        "unknown": (
            "{clinic}: sorry, we did not understand. "
            "Reply C to confirm, R to reschedule, N to cancel, HELP for help."
        ),
        "nothing": "{clinic}: we found no upcoming appointment to change. Please call us.",
        "which_patient": (
            "{clinic}: thank you, we got your message. More than one patient uses this "
            "number, so someone from our team will contact you."
        ),
        "emergency": (
            "{clinic}: If this is an emergency, call 911 now. Do not wait for a text reply. "
            "Our care team has been alerted."
        ),
        "crisis": (
            "{clinic}: You are not alone. Call or text 988, the Suicide & Crisis Lifeline, "
            "any time. If you are in danger now, call 911. Our care team has been alerted."
        ),
        "nurse_call": (
            "{clinic}: we got your message. A nurse will call you soon. "
            "If it gets worse or is an emergency, call 911."
        ),
        "care_review": (
            "{clinic}: we got your message and our care team will review it. "
            "If it is an emergency, call 911."
        ),
    },
    "es": {
        "reminder": "{clinic}: le recordamos su {what} el {date} a las {time}.{prep} {reply}",
        "reply": (
            "Responda C para confirmar, R para cambiarla, N para cancelar. "
            "STOP para no recibir más."
        ),
        "what": "cita",
        "prep_call": "Llámenos para saber cómo prepararse para esta cita.",
        "confirmed": "{clinic}: gracias, su cita del {date} a las {time} está confirmada.",
        "cancelled": (
            "{clinic}: su cita del {date} a las {time} está cancelada. "
            "Para no recibir más mensajes, responda STOP."
        ),
        "reschedule": "{clinic}: le contactaremos para cambiar su cita.{options}",
        "options": " Horarios libres: {slots}. Llámenos para reservar.",
        "help": (
            "{clinic} recordatorios de citas. Responda C para confirmar, R para cambiar, "
            "N para cancelar. STOP para no recibir más. "
            "Pueden aplicarse tarifas de mensajes y datos."
        ),
        "stopped": (
            "{clinic}: no recibirá más mensajes. Responda START para volver a suscribirse."
        ),
        "started": (
            "{clinic}: vuelve a recibir mensajes. Responda HELP para ayuda, STOP para salir."
        ),
        "unknown": (
            "{clinic}: no entendimos. Responda C para confirmar, R para cambiar, "
            "N para cancelar, HELP para ayuda."
        ),
        "nothing": "{clinic}: no encontramos una cita próxima. Por favor llámenos.",
        "which_patient": (
            "{clinic}: gracias, recibimos su mensaje. Varios pacientes usan este número; "
            "alguien de nuestro equipo se comunicará con usted."
        ),
        "emergency": (
            "{clinic}: Si es una emergencia, llame al 911 ahora. No espere una respuesta "
            "por texto. Avisamos a nuestro equipo de salud."
        ),
        "crisis": (
            "{clinic}: No está solo. Llame o envíe un texto al 988, la Línea de Prevención "
            "del Suicidio y Crisis, a toda hora. Si corre peligro ahora, llame al 911. "
            "Avisamos a nuestro equipo de salud."
        ),
        "nurse_call": (
            "{clinic}: recibimos su mensaje. Una enfermera le llamará pronto. "
            "Si empeora o es una emergencia, llame al 911."
        ),
        "care_review": (
            "{clinic}: recibimos su mensaje y nuestro equipo de salud lo revisará. "
            "Si es una emergencia, llame al 911."
        ),
    },
}


def language_of(preferred: str) -> str:
    """Our template language for a patient's preferred language tag ("es-MX" → "es")."""
    base = preferred.strip().lower().split("-")[0].split("_")[0]
    return base if base in LANGUAGES else "en"


def local_date_time(at: datetime, tz: str, lang: str) -> tuple[str, str]:
    """The visit's local date and time as a patient reads them."""
    local = at.astimezone(ZoneInfo(tz))
    if lang == "es":
        day = f"{_ES_DAYS[local.weekday()]} {local.day} {_ES_MONTHS[local.month - 1]}"
        return day, f"{local.hour}:{local.minute:02d}"
    day = f"{_EN_DAYS[local.weekday()]} {_EN_MONTHS[local.month - 1]} {local.day}"
    hour = local.hour % 12 or 12
    return day, f"{hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"


def to_gsm7(text: str) -> str:
    """Fold characters with no GSM-7 form to their base letter (á → a, í → i), keeping those
    GSM-7 has (é, ñ, ü, ¿, ¡), so a Spanish text is not forced into UCS-2 (70 a segment)."""
    out: list[str] = []
    for ch in text:
        if ch in GSM7_BASIC or ch in GSM7_EXTENSION:
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base and all(c in GSM7_BASIC for c in base):
            out.append(base)
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class Rendered:
    text: str
    segments: SegmentInfo


def render(lang: str, key: str, *, gsm_fold: bool = True, **values: str) -> Rendered:
    """A message in `lang` (falling back to English) with its segment count."""
    table = TEMPLATES.get(lang, TEMPLATES["en"])
    text = " ".join(table[key].format(**values).split())
    if gsm_fold:
        text = to_gsm7(text)
    return Rendered(text=text, segments=count_segments(text))


def render_reminder(
    plan: ReminderPlanView,
    *,
    lang: str,
    clinic: str,
    start: datetime,
    tz: str,
    type_display: str | None,
) -> Rendered:
    """The reminder SMS: clinic, local date and time, and how to reply; the visit type and
    prep instructions only when the plan allows them (minimum necessary PHI)."""
    table = TEMPLATES.get(lang, TEMPLATES["en"])
    day, clock = local_date_time(start, tz, lang)
    what = table["what"]
    if plan.include_type and type_display:
        what = f"{what} ({type_display})"
    text = prep_text(plan, lang if lang in TEMPLATES else "en")
    prep = f" {text}" if text else ""
    custom = plan.templates.get(lang if lang in TEMPLATES else "en")
    if custom:
        wording = " ".join(
            custom.format(
                clinic=clinic, what=what, date=day, time=clock, prep=prep, reply=table["reply"]
            ).split()
        )
        folded = to_gsm7(wording)
        return Rendered(text=folded, segments=count_segments(folded))
    return render(
        lang,
        "reminder",
        clinic=clinic,
        what=what,
        date=day,
        time=clock,
        prep=prep,
        reply=table["reply"],
    )


VOICE_SCRIPTS = {
    "en": (
        "Hello. This is {clinic} with a reminder of your appointment on {date} at {time}. "
        "To confirm, press 1. To reschedule, press 2. To cancel, press 3."
    ),
    "es": (
        "Hola. Le llamamos de {clinic} para recordarle su cita el {date} a las {time}. "
        "Para confirmar, oprima 1. Para cambiar la cita, oprima 2. Para cancelarla, oprima 3."
    ),
}


def voice_script(*, lang: str, clinic: str, start: datetime, tz: str) -> str:
    """What a voice reminder says (no visit type: someone else may answer the phone)."""
    day, clock = local_date_time(start, tz, lang)
    template = VOICE_SCRIPTS.get(lang, VOICE_SCRIPTS["en"])
    return template.format(clinic=clinic, date=day, time=clock)


# ---------------------------------------------------------------- replies


class ReplyAction(StrEnum):
    confirm = "confirm"
    reschedule = "reschedule"
    cancel = "cancel"  # cancel the appointment
    opt_out = "opt_out"
    opt_in = "opt_in"
    help = "help"
    clinical = "clinical"  # triage found clinical content: a clinician's task, no keyword
    none = "none"


CONFIRM_WORDS = frozenset({"C", "Y", "1", "YES", "CONFIRM", "SI", "SÍ"})
RESCHEDULE_WORDS = frozenset({"R", "2", "RESCHEDULE", "CAMBIAR"})
CANCEL_APPOINTMENT_WORDS = frozenset({"N", "3", "NO", "CANCELAR"})


def interpret_reply(text: str, *, opted_out: bool, has_pending_appointment: bool) -> ReplyAction:
    """What a reply to a reminder asks for. Builds on `messaging.model.classify_reply`.

    The CANCEL rule: a bare "CANCEL" is a carrier opt-out word *and* an appointment word.
    While the sender has an upcoming appointment they were reminded of, it cancels that
    appointment (the answer also tells them how to stop texts); with none, it is an
    opt-out, per carrier rules. Other opt-out words (STOP, END, QUIT...) always opt out.
    """
    words = normalise_reply(text)
    if words == "CANCEL" and has_pending_appointment and not opted_out:
        return ReplyAction.cancel
    keyword = classify_reply(text, opted_out=opted_out)
    if keyword is ReplyKeyword.opt_out:
        return ReplyAction.opt_out
    if keyword is ReplyKeyword.opt_in:
        return ReplyAction.opt_in
    if keyword is ReplyKeyword.help:
        return ReplyAction.help
    if keyword is ReplyKeyword.confirm or words in CONFIRM_WORDS:
        return ReplyAction.confirm
    if words in RESCHEDULE_WORDS:
        return ReplyAction.reschedule
    if words in CANCEL_APPOINTMENT_WORDS:
        return ReplyAction.cancel
    return ReplyAction.none


#: Every whole-message keyword someone may send us (reminder replies, carrier keywords).
KEYWORD_REPLIES = (
    CONFIRM_WORDS
    | RESCHEDULE_WORDS
    | CANCEL_APPOINTMENT_WORDS
    | CARRIER_CONFIRM_WORDS
    | OPT_OUT_WORDS
    | OPT_IN_WORDS
    | HELP_WORDS
)


def is_keyword_reply(text: str) -> bool:
    """Whether the whole text is one of our keywords ("C", "Sí", "1", "STOP", "HELP").

    Such a text is read as the keyword whatever triage makes of it: a bare keyword
    carries no clinical content, and a Spanish "sí" must confirm, not raise an alarm.
    A longer text is triaged ("yes but my chest hurts", "STOP I want to die").
    """
    return normalise_reply(text) in KEYWORD_REPLIES


#: Keypad answers to a voice reminder.
VOICE_DIGITS = {"1": ReplyAction.confirm, "2": ReplyAction.reschedule, "3": ReplyAction.cancel}


def voice_digit_action(digits: str) -> ReplyAction:
    """1 confirms, 2 asks to reschedule, 3 cancels; anything else is not understood."""
    return VOICE_DIGITS.get(digits.strip()[:1] if digits.strip() else "", ReplyAction.none)


# ---------------------------------------------------------------- records


class ReminderStatus(StrEnum):
    planned = "planned"  # a job will send it
    sent = "sent"  # handed to messaging
    voice_pending = "voice_pending"  # due, waiting for the voice edge to call
    refused = "refused"  # messaging refused it (opted out, no number)
    void = "void"  # not to be sent: the visit moved or was cancelled, or its moment passed


class ReminderView(BaseModel):
    id: str
    appointment_id: str
    patient_id: str
    location_id: str
    type_code: str
    step: str
    recipient: Literal["patient", "caregiver"]
    channel: str
    appointment_start: datetime
    due_at: datetime
    status: ReminderStatus
    message_id: str | None
    error_code: str | None


# ---------------------------------------------------------------- clinical content


@dataclass(frozen=True)
class ClinicalReading:
    """What careline does with an inbound text whose words triage found clinical."""

    task: TaskKind
    urgency: TaskUrgency
    template: str  # the answer's key in TEMPLATES
    #: A 911/988 message: sent even to someone who opted out of texts (it is not marketing,
    #: and withholding it could cost a life). Other answers follow consent as usual.
    safety: bool


def clinical_reading(*, urgency: str, intent: str, guidance: str | None) -> ClinicalReading | None:
    """How to answer triage's reading of a text; None when it holds no clinical content.

    Clinical content is an intent of `symptom` or `crisis`, or an `emergency` urgency.
    Emergency or crisis (or any 911/988 guidance: safety first): 911 guidance (988 as
    well for a crisis, or whenever triage's guidance names 988) and an emergency task.
    An urgent symptom: a nurse calls back. A routine symptom: the care team reads it.
    Anything else (including urgent words triage did not understand, intent `unknown`)
    is not clinical: keywords read it.
    """
    crisis = intent == "crisis" or guidance == "call-988"
    if urgency == "emergency" or crisis or guidance == "call-911":
        return ClinicalReading(
            task=TaskKind.clinical_emergency,
            urgency=TaskUrgency.emergency,
            template="crisis" if crisis else "emergency",
            safety=True,
        )
    if intent != "symptom":
        return None
    if urgency == "urgent":
        return ClinicalReading(
            task=TaskKind.urgent_clinical_review,
            urgency=TaskUrgency.urgent,
            template="nurse_call",
            safety=False,
        )
    return ClinicalReading(
        task=TaskKind.clinical_review,
        urgency=TaskUrgency.routine,
        template="care_review",
        safety=False,
    )


class ReportRow(BaseModel):
    location_id: str
    type_code: str
    appointments: int
    reminders_sent: int
    reminders_delivered: int
    confirmed: int
    cancelled: int
    noshow: int
    noshow_rate: float


REPORT_COLUMNS = list(ReportRow.model_fields)
