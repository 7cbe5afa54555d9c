"""Who is calling, when a number belongs to several patients (a household, a caregiver).

The call never goes on "the first match": the caller is asked for the patient's date
of birth on the keypad (and, when two share it, the first letters of the first name),
and the call goes on as that patient; if they cannot, or do not, it goes on unverified
(no patient) and is listed for staff to attach. The prompt listens for speech too:
words said instead of digits skip the question and are heard by the flow's first
prompt, so an emergency is triaged at once, never held up by identification.

The progress kept on the call row holds patient ids and counters only (no PHI).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from twilio.twiml.voice_response import VoiceResponse

from careline.telephony.render import voice_language

IDENTIFY_PATH = "/telephony/voice/identify"
#: Wrong dates of birth allowed before the call goes on unverified.
MAX_TRIES = 2
#: Seconds the caller has to start keying.
TIMEOUT_SECONDS = 6

BIRTH_DATE = (
    "To find the right record, please enter the patient's date of birth: two digits for "
    "the month, two for the day, and four for the year.",
    "Para encontrar el expediente, marque la fecha de nacimiento del paciente: dos dígitos "
    "para el mes, dos para el día y cuatro para el año.",
)
FIRST_NAME = (
    "Please enter the first three letters of the patient's first name on the keypad.",
    "Marque en el teclado las tres primeras letras del nombre del paciente.",
)
NO_MATCH = ("That does not match our records.", "Eso no coincide con nuestros registros.")


@dataclass(frozen=True)
class Progress:
    """Where identification stands: the candidates left and what is asked next."""

    candidates: tuple[str, ...]
    stage: str = "birth_date"  # birth_date | first_name
    tries: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"candidates": list(self.candidates), "stage": self.stage, "tries": self.tries}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Progress:
        return cls(
            candidates=tuple(str(c) for c in raw.get("candidates", [])),
            stage=str(raw.get("stage", "birth_date")),
            tries=int(raw.get("tries", 0)),
        )


def ask(progress: Progress, *, retry: bool = False) -> str:
    """The TwiML question for the stage: keypad or speech; silence falls through to the
    same URL with nothing keyed (the call then goes on unverified)."""
    english, spanish = BIRTH_DATE if progress.stage == "birth_date" else FIRST_NAME
    vr = VoiceResponse()
    gather = vr.gather(
        input="dtmf speech",
        num_digits=8 if progress.stage == "birth_date" else 3,
        action=IDENTIFY_PATH,
        method="POST",
        timeout=TIMEOUT_SECONDS,
        speech_timeout="auto",
        language=voice_language("en"),
    )
    if retry:
        gather.say(NO_MATCH[0], language=voice_language("en"))
    gather.say(english, language=voice_language("en"))
    gather.say(spanish, language=voice_language("es"))
    vr.redirect(IDENTIFY_PATH, method="POST")
    return str(vr)


@dataclass(frozen=True)
class Decision:
    """What to do with the caller's answer: ask again (`progress`), or go on (`patient_id`,
    None for unverified; `speech`, words to hand to the flow's first prompt)."""

    progress: Progress | None = None
    retry: bool = False
    patient_id: str | None = None
    speech: str | None = None
    verified_by: str | None = None


def decide(progress: Progress, *, digits: str, speech: str, matches: list[str] | None) -> Decision:
    """The next step, given what was keyed or said and (for digits) which candidates match."""
    if speech:
        return Decision(speech=speech)
    if not digits or matches is None:
        return Decision()  # silence or a key press we cannot read: go on unverified
    if len(matches) == 1:
        by = "birth_date" if progress.stage == "birth_date" else "birth_date+first_name"
        return Decision(patient_id=matches[0], verified_by=by)
    if len(matches) > 1 and progress.stage == "birth_date":
        return Decision(progress=Progress(tuple(matches), stage="first_name"))
    if not matches and progress.stage == "birth_date" and progress.tries + 1 < MAX_TRIES:
        return Decision(
            progress=Progress(progress.candidates, tries=progress.tries + 1), retry=True
        )
    return Decision()
