"""Numbers in a caller's words: vital signs and readings, judged against written thresholds.

Pure. A reading is clinical content by itself (so never routine); these rules
only decide whether it is an emergency. The thresholds are in `THRESHOLDS`
and in docs/triage.md, where a clinical lead reviews them. Readings are found
on the normalised tokens (`text.tokenize`): "190 over 110", "190/110",
"sugar is 45", "temp 104", "39,5 grados", "oxygen 85%", "pulse 160", and the
age of a patient when the words give it ("my 6 week old", "bebé de 2 meses").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from careline.triage.text import Token


class Vital(StrEnum):
    blood_pressure = "blood-pressure"
    glucose = "glucose"
    temperature = "temperature"
    heart_rate = "heart-rate"
    oxygen = "oxygen"


@dataclass(frozen=True)
class Thresholds:
    """Where a reading becomes an emergency (reviewed clinical settings)."""

    systolic_high: float = 180  # mmHg, hypertensive crisis
    diastolic_high: float = 120
    systolic_low: float = 80  # shock range
    glucose_low: float = 55  # mg/dL, level-2 hypoglycaemia
    glucose_high: float = 400
    fever_high_c: float = 40.5  # any age
    hypothermia_c: float = 35.0
    infant_fever_c: float = 38.0  # under 3 months: always an emergency
    infant_fever_months: float = 3
    fever_c: float = 38.0  # a fever, for the immunocompromised rule
    heart_rate_high: float = 150  # beats per minute
    heart_rate_low: float = 40
    oxygen_low: float = 90  # SpO2 %, at or below


THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Reading:
    """One number the words gave, in standard units, and what it means."""

    vital: Vital
    value: float  # systolic for blood pressure; °C; mg/dL; bpm; %
    second: float | None  # diastolic
    emergency: bool
    why: str
    start: int  # token positions [start, end)
    end: int


def _num(token: Token) -> float | None:
    try:
        return float(token.text)
    except ValueError:
        return None


_BP_WORDS = frozenset(
    {"bp", "pressure", "presion", "tension", "blood", "systolic", "diastolic", "arterial"}
)
_OVER = frozenset({"over", "sobre", "por", "slash", "entre"})
_GLUCOSE_WORDS = frozenset(
    {
        "sugar", "sugars", "glucose", "bs", "bg", "cbg", "fingerstick", "glucometer", "azucar",
        "meter", "cgm", "dexcom", "glucometro",
        "glucosa", "glucemia", "glicemia", "sugar's",
    }
)  # fmt: skip
_TEMP_WORDS = frozenset(
    {
        "temp", "temperature", "fever", "febrile", "fahrenheit", "celsius", "degrees", "grados",
        "temperatura", "fiebre", "calentura", "f", "c",
    }
)  # fmt: skip
_HR_WORDS = frozenset(
    {"pulse", "hr", "bpm", "heart", "rate", "heartbeat", "pulso", "latidos", "frecuencia"}
)
_O2_WORDS = frozenset(
    {"oxygen", "o2", "sat", "sats", "saturation", "spo2", "oximeter", "pulseox", "oxigeno",
     "saturacion", "ox"}
)  # fmt: skip
_PERCENT = frozenset({"percent", "por", "ciento", "porciento", "%"})
_IMMUNO = frozenset(
    {
        "chemo", "chemotherapy", "transplant", "neutropenic", "neutropenia", "immunocompromised",
        "quimio", "quimioterapia", "trasplante", "transplante", "inmunosuprimido",
        "immunosuppressed", "leukemia", "leucemia", "radiation", "dialysis", "dialisis",
    }
)  # fmt: skip
_FEVER_WORDS = frozenset({"fever", "febrile", "fiebre", "calentura", "temperature", "temp"})
_INFANT_WORDS = frozenset({"newborn", "neonate", "recien", "nacido", "nacida", "neonato"})
_AGE_UNITS = {
    "day": 1 / 30, "days": 1 / 30, "dia": 1 / 30, "dias": 1 / 30,
    "week": 0.25, "weeks": 0.25, "wk": 0.25, "wks": 0.25, "semana": 0.25, "semanas": 0.25,
    "month": 1.0, "months": 1.0, "mo": 1.0, "mos": 1.0, "mes": 1.0, "meses": 1.0,
    "year": 12.0, "years": 12.0, "yr": 12.0, "yrs": 12.0, "ano": 12.0, "anos": 12.0,
}  # fmt: skip
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1, "an": 1,
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12,
}  # fmt: skip


def _near(
    tokens: Sequence[Token], at: int, vocabulary: frozenset[str], before: int, after: int
) -> bool:
    """A word of `vocabulary` within `before` words before or `after` words after `at`,
    without crossing a clause boundary."""
    i = at - 1
    while i >= 0 and at - i <= before and not tokens[i].is_boundary:
        if tokens[i].text in vocabulary:
            return True
        i -= 1
    i = at + 1
    while i < len(tokens) and i - at <= after and not tokens[i].is_boundary:
        if tokens[i].text in vocabulary:
            return True
        i += 1
    return False


def age_in_months(tokens: Sequence[Token]) -> float | None:
    """The youngest age the words give ("6 week old" -> 1.5, "newborn" -> 0)."""
    ages: list[float] = []
    for i, token in enumerate(tokens):
        if token.text in _INFANT_WORDS and not (token.text == "nacido" and i == 0):
            ages.append(0.0)
        unit = _AGE_UNITS.get(token.text)
        if unit is None or i == 0:
            continue
        prev = tokens[i - 1]
        count = _num(prev)
        if count is None:
            count = _WORD_NUMBERS.get(prev.text)
        if count is None:
            continue
        # "6 weeks old", "6 week old", "de 2 meses", "2 month-old baby"; not "2 days ago"
        nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
        before = tokens[i - 2].text if i >= 2 else ""
        if nxt in {"old", "de", "edad"} or before in {"de", "tiene", "has", "is"} or nxt == "":
            if nxt in {"ago", "since"}:
                continue
            ages.append(count * unit)
    return min(ages) if ages else None


def _celsius(value: float) -> float | None:
    if 30 <= value <= 45:
        return value
    if 86 <= value <= 113:
        return (value - 32) * 5 / 9
    return None


def find_readings(tokens: Sequence[Token], thresholds: Thresholds = THRESHOLDS) -> list[Reading]:
    """Every reading the words give, each judged on its own (and on the patient's age)."""
    t = thresholds
    out: list[Reading] = []
    age = age_in_months(tokens)
    used: set[int] = set()
    for i, token in enumerate(tokens):
        value = _num(token)
        if value is None or i in used:
            continue
        # Blood pressure: "190 over 110", "presion 180 sobre 120", "190/110" (the
        # slash is no token: two numbers one character apart).
        second, end = None, i + 1
        if i + 2 < len(tokens) and tokens[i + 1].text in _OVER:
            second, end = _num(tokens[i + 2]), i + 3
        elif i + 1 < len(tokens) and tokens[i + 1].start - token.end == 1:
            second, end = _num(tokens[i + 1]), i + 2
        if second is not None and 60 <= value <= 300 and 30 <= second <= 200:
            used.add(end - 1)
            high = value >= t.systolic_high or second >= t.diastolic_high
            low = value < t.systolic_low
            why = f"blood pressure {value:g}/{second:g}"
            out.append(Reading(Vital.blood_pressure, value, second, high or low, why, i, end))
            continue
        if _near(tokens, i, _GLUCOSE_WORDS, 4, 2):
            mgdl = value * 18 if value < 35 else value  # mmol/L below 35
            if 10 <= mgdl <= 1500:
                emergency = mgdl < t.glucose_low or mgdl >= t.glucose_high
                out.append(
                    Reading(
                        Vital.glucose, mgdl, None, emergency, f"glucose {mgdl:g} mg/dL", i, i + 1
                    )
                )
                continue
        if _near(tokens, i, _O2_WORDS, 4, 2) and 50 <= value <= 100:
            out.append(
                Reading(
                    Vital.oxygen, value, None, value <= t.oxygen_low, f"oxygen {value:g}%", i, i + 1
                )
            )
            continue
        if _near(tokens, i, _HR_WORDS, 4, 2) and 20 <= value <= 260:
            emergency = value >= t.heart_rate_high or value < t.heart_rate_low
            out.append(
                Reading(Vital.heart_rate, value, None, emergency, f"heart rate {value:g}", i, i + 1)
            )
            continue
        if _near(tokens, i, _TEMP_WORDS, 4, 2) or _bare_temperature(tokens, i, value):
            c = _celsius(value)
            if c is not None and (c >= 37.5 or c < t.hypothermia_c):
                infant = age is not None and age < t.infant_fever_months
                emergency = (
                    c >= t.fever_high_c or c < t.hypothermia_c or (infant and c >= t.infant_fever_c)
                )
                why = f"temperature {c:.1f} °C" + (f" at {age:g} months" if infant else "")
                out.append(Reading(Vital.temperature, c, None, emergency, why, i, i + 1))
    return out


def _bare_temperature(tokens: Sequence[Token], at: int, value: float) -> bool:
    """'she has 102.5', 'tiene 38,5': a number only a temperature can be."""
    prev = tokens[at - 1].text if at else ""
    decimal = "." in tokens[at].text
    fahrenheit = 99.5 <= value <= 108 and (decimal or prev in {"has", "of", "is", "at", "running"})
    celsius = 37.5 <= value <= 42.5 and decimal and prev in {"has", "of", "is", "at", "tiene", "de"}
    return fahrenheit or celsius


def infant_fever_without_number(
    tokens: Sequence[Token], thresholds: Thresholds = THRESHOLDS
) -> bool:
    """'my 5 week old has a fever': a fever word and an age under 3 months."""
    age = age_in_months(tokens)
    if age is None or age >= thresholds.infant_fever_months:
        return False
    return any(t.text in _FEVER_WORDS or t.text in {"hot", "caliente"} for t in tokens)


def immunocompromised_fever(tokens: Sequence[Token]) -> bool:
    """A fever in someone on chemotherapy, after a transplant, neutropenic: urgent at least."""
    words = {t.text for t in tokens}
    return bool(words & _IMMUNO) and bool(words & _FEVER_WORDS)
