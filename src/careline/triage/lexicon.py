"""Lexicons: the clinical vocabulary of triage, parsed and checked from plain data.

A lexicon file (see docs/triage.md) is reviewed by a clinical lead, not a
programmer, so every mistake in it must be reported with the file, the rule id
and what is wrong, and nothing half-valid is ever used. Parsing is pure: the
loader reads the file, this module turns a TOML document into a `Lexicon`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from careline.core.errors import FieldProblem, ValidationFailed
from careline.triage.text import tokenize, words


class Urgency(StrEnum):
    emergency = "emergency"
    urgent = "urgent"
    routine = "routine"


class Intent(StrEnum):
    symptom = "symptom"
    crisis = "crisis"
    scheduling = "scheduling"
    cancel = "cancel"
    refill = "refill"
    billing = "billing"
    results = "results"
    referral = "referral"
    records = "records"
    info = "info"
    operator = "operator"
    unknown = "unknown"


class Guidance(StrEnum):
    """What the IVR tells the caller before anything else."""

    call_911 = "call-911"
    call_988 = "call-988"


class Category(StrEnum):
    """The section a rule sits in; it fixes the rule's default urgency and intent."""

    emergency = "emergency"
    crisis = "crisis"
    urgent = "urgent"
    symptom = "symptom"
    #: Broad clinical vocabulary (body parts, functions, conditions, clinical terms):
    #: any live mention makes the words clinical, so never routine.
    clinical = "clinical"
    intent = "intent"
    #: Not a file section: a number read from the words ("190 over 110").
    reading = "reading"
    #: Not a file section: the statistical layer's nearest exemplars.
    exemplar = "exemplar"
    #: Not a file section: a severity word ("severe") next to a symptom.
    escalation = "escalation"


#: Default (urgency, intent, guidance) of each file section.
SECTION_DEFAULTS: dict[Category, tuple[Urgency, Intent | None, Guidance | None]] = {
    Category.emergency: (Urgency.emergency, Intent.symptom, Guidance.call_911),
    Category.crisis: (Urgency.emergency, Intent.crisis, Guidance.call_988),
    Category.urgent: (Urgency.urgent, Intent.symptom, None),
    # Clinical content is never routine (docs/triage.md, the safety contract).
    Category.symptom: (Urgency.urgent, Intent.symptom, None),
    Category.clinical: (Urgency.urgent, Intent.symptom, None),
    Category.intent: (Urgency.routine, None, None),
}

#: Sections whose rules all say "clinical content" (a phrase may sit in two).
CLINICAL_SECTIONS = frozenset({Category.urgent, Category.symptom, Category.clinical})

#: `a ... b` in a phrase: up to this many other words may stand between a and b
#: ("my face and lips are swelling", "swallowed half a bottle of pills").
GAP_WORDS = 4
GAP = "..."

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
#: A phrase may expand to at most this many variants (keeps typos in `(a|b)` cheap).
MAX_VARIANTS = 1024
MAX_WEIGHT = 10

_RULE_KEYS = frozenset(
    {
        "id",
        "phrases",
        "intent",
        "weight",
        "guidance",
        "fuzzy",
        "negatable",
        "historical",
        "note",
        "urgency",
        "across",
    }
)
_TOP_KEYS = frozenset(
    {"language", "name", "markers", "fuzzy", "negation", "history", "scope", "escalation"}
    | {c.value for c in SECTION_DEFAULTS}
)
_SETTINGS_KEYS: dict[str, frozenset[str]] = {
    "fuzzy": frozenset(
        {"threshold", "single_word_threshold", "min_length", "single_word_min_length"}
    ),
    "negation": frozenset({"window", "cues", "pseudo", "terminators"}),
    "history": frozenset({"window", "before", "after"}),
    "scope": frozenset({"terminators"}),
    "escalation": frozenset({"window", "cues"}),
}


class LexiconInvalid(ValidationFailed):
    """A lexicon file is malformed; `problems` names every rule and field at fault."""

    error_id = "triage-lexicon-invalid"
    title = "The triage lexicon is invalid"


class UnknownLanguage(ValidationFailed):
    error_id = "triage-unknown-language"
    title = "No triage lexicon for this language"


@dataclass(frozen=True)
class Rule:
    """One reviewed clinical or administrative cue and the phrases that say it."""

    id: str
    language: str
    category: Category
    urgency: Urgency
    intent: Intent
    phrases: tuple[str, ...]
    weight: int = 1
    guidance: Guidance | None = None
    fuzzy: bool = True
    negatable: bool = True
    historical: bool = True
    note: str | None = None
    #: `a ... b` may span the whole message (clauses and any distance), for
    #: combinations specific enough to mean danger wherever they are said
    #: ("hit his head" ... "threw up twice").
    across: bool = False

    @property
    def qualified_id(self) -> str:
        """'en:chest-pain' — ids are unique per file, so the language qualifies them."""
        return f"{self.language}:{self.id}"


@dataclass(frozen=True)
class FuzzySettings:
    """How far a caller's word may be from a lexicon word and still count."""

    threshold: float = 0.75
    single_word_threshold: float = 0.85
    min_length: int = 4
    single_word_min_length: int = 7


@dataclass(frozen=True)
class LanguageLexicon:
    """Everything one language file says, already expanded into word tuples."""

    language: str
    name: str
    source: str
    rules: tuple[Rule, ...]
    markers: frozenset[str]
    fuzzy: FuzzySettings
    negation_window: int
    negation_cues: tuple[tuple[str, ...], ...]
    pseudo_negations: tuple[tuple[str, ...], ...]
    negation_terminators: tuple[tuple[str, ...], ...]
    history_window: int
    history_before: tuple[tuple[str, ...], ...]
    history_after: tuple[tuple[str, ...], ...]
    terminators: tuple[tuple[str, ...], ...]
    escalation_window: int
    escalation_cues: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Phrase:
    """One expanded variant of a rule phrase, as folded words.

    `segments` are the runs of words between `...` gaps; `words` is all of them.
    """

    segments: tuple[tuple[str, ...], ...]
    text: str
    rule: Rule
    fuzzy: FuzzySettings

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(w for segment in self.segments for w in segment)


class CueKind(StrEnum):
    negation = "negation"
    pseudo = "pseudo"
    history_before = "history-before"
    history_after = "history-after"
    terminator = "terminator"
    negation_terminator = "negation-terminator"
    escalation = "escalation"


@dataclass(frozen=True)
class Cue:
    """A scope word of one language (cues match exactly, never fuzzily)."""

    kind: CueKind
    words: tuple[str, ...]
    window: int
    language: str


@dataclass
class Lexicon:
    """The lexicons of one or more languages, indexed for matching.

    Matching always uses every language held here (callers switch language
    mid-sentence); the `language` given to `classify` only names the caller's.
    """

    languages: tuple[LanguageLexicon, ...]
    phrases_by_first_word: dict[str, list[Phrase]] = field(init=False, repr=False)
    cues_by_first_word: dict[str, list[Cue]] = field(init=False, repr=False)
    rules_by_id: dict[str, Rule] = field(init=False, repr=False)
    #: Every word of every phrase and marker: a real word is never a typo of another.
    vocabulary: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.languages:
            raise LexiconInvalid("A lexicon needs at least one language.")
        seen: set[str] = set()
        for lang in self.languages:
            if lang.language in seen:
                raise LexiconInvalid(f"Language '{lang.language}' is loaded twice.")
            seen.add(lang.language)
        index: dict[str, list[Phrase]] = {}
        cues: dict[str, list[Cue]] = {}
        vocabulary: set[str] = set()
        for lang in self.languages:
            vocabulary.update(lang.markers)
            for rule in lang.rules:
                for text in rule.phrases:
                    phrase = Phrase(segments(text), text, rule, lang.fuzzy)
                    index.setdefault(phrase.words[0], []).append(phrase)
                    vocabulary.update(phrase.words)
            for kind, window, sequences in (
                (CueKind.negation, lang.negation_window, lang.negation_cues),
                (CueKind.pseudo, 0, lang.pseudo_negations),
                (CueKind.history_before, lang.history_window, lang.history_before),
                (CueKind.history_after, lang.history_window, lang.history_after),
                (CueKind.terminator, 0, lang.terminators),
                (CueKind.negation_terminator, 0, lang.negation_terminators),
                (CueKind.escalation, lang.escalation_window, lang.escalation_cues),
            ):
                for seq in sequences:
                    cues.setdefault(seq[0], []).append(Cue(kind, seq, window, lang.language))
        self.phrases_by_first_word = index
        self.cues_by_first_word = cues
        self.rules_by_id = {r.qualified_id: r for lang in self.languages for r in lang.rules}
        self.vocabulary = frozenset(vocabulary)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.language for lang in self.languages)

    def language(self, code: str) -> LanguageLexicon:
        """The lexicon of `code` ('es', 'es-MX', 'ES'); UnknownLanguage otherwise."""
        primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
        for lang in self.languages:
            if lang.language == primary:
                return lang
        raise UnknownLanguage(
            f"No triage lexicon for language '{code[:16]}'; available: {', '.join(self.codes)}.",
            problems=[FieldProblem("language", "no lexicon for this language")],
        )

    def rule(self, qualified_id: str) -> Rule:
        """The rule behind a match's `rule_id` ('en:chest-pain')."""
        return self.rules_by_id[qualified_id]


# ---------------------------------------------------------------- phrase patterns


def segments(phrase: str) -> tuple[tuple[str, ...], ...]:
    """The word runs of an expanded phrase, split at `...` gaps."""
    return tuple(words(part) for part in phrase.split(GAP))


_GROUP = re.compile(r"\(([^()\[\]]*)\)|\[([^()\[\]]*)\]")


def expand(pattern: str) -> list[str]:
    """Expand `(a|b)` alternatives and `[optional words]` into plain phrases.

    "pain in (my|the) chest" -> ["pain in my chest", "pain in the chest"];
    "chest [is] tight" -> ["chest is tight", "chest tight"]. Groups do not nest.
    Raises ValueError with a reason a reviewer understands.
    """
    pieces: list[list[str]] = []
    pos = 0
    for match in _GROUP.finditer(pattern):
        pieces.append([pattern[pos : match.start()]])
        if match.group(1) is not None:
            options = [o.strip() for o in match.group(1).split("|")]
            if len(options) < 2 or any(not o for o in options):
                raise ValueError(
                    f"'({match.group(1)})' needs two or more non-empty a|b options "
                    f"(optional words are written [{match.group(1).strip()}])"
                )
        else:
            inner = match.group(2).strip()
            if not inner or "|" in inner:
                raise ValueError(f"'[{match.group(2)}]' must hold optional words, no '|'")
            options = [inner, ""]
        pieces.append(options)
        pos = match.end()
    pieces.append([pattern[pos:]])
    leftover = "".join(p[0] for p in pieces[::2])
    if any(ch in leftover for ch in "()[]|"):
        raise ValueError("unbalanced or nested brackets, or '|' outside '( )'")
    count = 1
    for options in pieces:
        count *= len(options)
    if count > MAX_VARIANTS:
        raise ValueError(f"expands to {count} variants (at most {MAX_VARIANTS})")
    return [" ".join("".join(combo).split()) for combo in itertools.product(*pieces)]


# ---------------------------------------------------------------- parsing and checks


class _Problems:
    """Collects every problem of one file so a reviewer sees them all at once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[tuple[str, str]] = []

    def add(self, where: str, message: str) -> None:
        self.items.append((where, message))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        shown = "; ".join(f"{where}: {message}" for where, message in self.items[:5])
        more = f" (and {len(self.items) - 5} more)" if len(self.items) > 5 else ""
        raise LexiconInvalid(
            f"{len(self.items)} problem(s) in {self.source}: {shown}{more}",
            problems=[FieldProblem(f"{self.source}: {w}", m) for w, m in self.items],
        )


def _int(
    table: Mapping[str, Any], key: str, default: int, lo: int, hi: int, where: str, p: _Problems
) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        p.add(f"{where}.{key}", f"must be a whole number from {lo} to {hi}")
        return default
    return int(value)


def _ratio(table: Mapping[str, Any], key: str, default: float, p: _Problems) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.5 <= value <= 1.0:
        p.add(f"fuzzy.{key}", "must be a number from 0.5 to 1.0 (1.0 turns fuzzy matching off)")
        return default
    return float(value)


def _phrase_list(value: Any, where: str, p: _Problems, *, required: bool) -> list[str]:
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        p.add(where, "must be a non-empty list of phrases" if required else "must be a list")
        return []
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            p.add(f"{where}[{i}]", "must be a non-empty string")
            continue
        try:
            variants = expand(item)
        except ValueError as exc:
            p.add(f"{where}[{i}] '{item}'", str(exc))
            continue
        for variant in variants:
            parts = variant.split(GAP)
            tokens = [tokenize(part) for part in parts]
            if any(t.is_boundary for part in tokens for t in part):
                p.add(f"{where}[{i}] '{item}'", "punctuation such as ? , . ! is not allowed")
                break
            if not all(tokens):
                p.add(
                    f"{where}[{i}] '{item}'",
                    "has no words after normalisation (or a '...' gap at an end)",
                )
                break
            out.append(f" {GAP} ".join(" ".join(part.split()) for part in parts))
    return out


def _cues(value: Any, where: str, p: _Problems) -> tuple[tuple[str, ...], ...]:
    return tuple(dict.fromkeys(words(v) for v in _phrase_list(value, where, p, required=False)))


def _table(doc: Mapping[str, Any], key: str, p: _Problems) -> Mapping[str, Any]:
    value = doc.get(key, {})
    if not isinstance(value, dict):
        p.add(key, "must be a table ([section])")
        return {}
    for unknown in sorted(set(value) - _SETTINGS_KEYS[key]):
        p.add(
            f"{key}.{unknown}", f"unknown setting; known: {', '.join(sorted(_SETTINGS_KEYS[key]))}"
        )
    return value


def _enum(value: Any, kind: type[StrEnum], where: str, p: _Problems) -> Any:
    try:
        return kind(value)
    except ValueError:
        p.add(where, f"'{value}' is not one of: {', '.join(m.value for m in kind)}")
        return None


def _bool(raw: Mapping[str, Any], key: str, default: bool, where: str, p: _Problems) -> bool:
    value = raw.get(key, default)
    if not isinstance(value, bool):
        p.add(f"{where}.{key}", "must be true or false")
        return default
    return value


def _rule(raw: Any, category: Category, index: int, language: str, p: _Problems) -> Rule | None:
    where = f"[[{category.value}]] #{index + 1}"
    if not isinstance(raw, dict):
        p.add(where, "must be a table with id and phrases")
        return None
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not RULE_ID.fullmatch(rule_id):
        p.add(f"{where}.id", "must be lower-case letters, digits and '-' (e.g. 'chest-pain')")
        rule_id = None
    else:
        where = f"rule '{rule_id}'"
    for unknown in sorted(set(raw) - _RULE_KEYS):
        p.add(f"{where}.{unknown}", f"unknown field; known: {', '.join(sorted(_RULE_KEYS))}")
    urgency, intent, guidance = SECTION_DEFAULTS[category]
    if "intent" in raw:
        intent = _enum(raw["intent"], Intent, f"{where}.intent", p)
        if intent in (Intent.crisis, Intent.unknown):
            p.add(f"{where}.intent", f"'{intent}' is not allowed here; use [[crisis]] for crisis")
            intent = None
    elif intent is None:
        p.add(f"{where}.intent", "an [[intent]] rule must say which intent it signals")
    if "urgency" in raw:
        # Self-harm thoughts without a plan are an urgent crisis; a plan is an emergency.
        if category is not Category.crisis:
            p.add(f"{where}.urgency", "only [[crisis]] rules set their urgency")
        elif raw["urgency"] not in ("urgent", "emergency"):
            p.add(f"{where}.urgency", "must be 'urgent' or 'emergency'")
        else:
            urgency = Urgency(raw["urgency"])
            if urgency is Urgency.urgent:
                guidance = None
    if "guidance" in raw:
        guidance = _enum(raw["guidance"], Guidance, f"{where}.guidance", p)
        if guidance is not None and category not in (Category.emergency, Category.crisis):
            p.add(f"{where}.guidance", "only [[emergency]] and [[crisis]] rules give guidance")
    phrases = _phrase_list(raw.get("phrases"), f"{where}.phrases", p, required=True)
    weight = _int(raw, "weight", 1, 1, MAX_WEIGHT, where, p)
    note = raw.get("note")
    if note is not None and not isinstance(note, str):
        p.add(f"{where}.note", "must be a string")
        note = None
    fuzzy = _bool(raw, "fuzzy", True, where, p)
    across = _bool(raw, "across", False, where, p)
    negatable = _bool(raw, "negatable", True, where, p)
    # A request ("records from last year") is made now: history cues discount
    # clinical events, not what the caller asks for.
    historical = _bool(raw, "historical", category is not Category.intent, where, p)
    if rule_id is None or intent is None or not phrases:
        return None
    return Rule(
        id=rule_id,
        language=language,
        category=category,
        urgency=urgency,
        intent=intent,
        phrases=tuple(dict.fromkeys(phrases)),
        weight=weight,
        guidance=guidance,
        fuzzy=fuzzy,
        negatable=negatable,
        historical=historical,
        note=note,
        across=across,
    )


def parse_lexicon(doc: Mapping[str, Any], *, source: str) -> LanguageLexicon:
    """Check a parsed TOML document and build one language's lexicon.

    `source` names the file in every problem. Raises LexiconInvalid listing all
    problems found, so one review round fixes them all.
    """
    p = _Problems(source)
    for unknown in sorted(set(doc) - _TOP_KEYS):
        p.add(unknown, f"unknown section or key; known: {', '.join(sorted(_TOP_KEYS))}")
    language = doc.get("language")
    if not isinstance(language, str) or not LANGUAGE.fullmatch(language):
        p.add("language", "must be a lower-case ISO 639 code such as 'en' or 'es'")
        language = "xx"
    name = doc.get("name", language)
    if not isinstance(name, str):
        p.add("name", "must be a string")
        name = language
    markers_raw = doc.get("markers", [])
    if not isinstance(markers_raw, list) or not all(isinstance(m, str) for m in markers_raw):
        p.add("markers", "must be a list of common words of the language")
        markers_raw = []
    markers = frozenset(w for m in markers_raw for w in words(m))

    fz = _table(doc, "fuzzy", p)
    fuzzy = FuzzySettings(
        threshold=_ratio(fz, "threshold", 0.75, p),
        single_word_threshold=_ratio(fz, "single_word_threshold", 0.85, p),
        min_length=_int(fz, "min_length", 4, 3, 20, "fuzzy", p),
        single_word_min_length=_int(fz, "single_word_min_length", 7, 3, 30, "fuzzy", p),
    )
    neg = _table(doc, "negation", p)
    hist = _table(doc, "history", p)
    scope = _table(doc, "scope", p)
    esc = _table(doc, "escalation", p)

    rules: list[Rule] = []
    for category in SECTION_DEFAULTS:
        section = doc.get(category.value, [])
        if not isinstance(section, list):
            p.add(f"[[{category.value}]]", "must be an array of tables ([[...]] entries)")
            continue
        for i, raw in enumerate(section):
            rule = _rule(raw, category, i, language, p)
            if rule is not None:
                rules.append(rule)
    _check_duplicates(rules, p)
    if not rules:
        p.add("rules", "the file defines no rules")
    lexicon = LanguageLexicon(
        language=language,
        name=name,
        source=source,
        rules=tuple(rules),
        markers=markers,
        fuzzy=fuzzy,
        negation_window=_int(neg, "window", 5, 1, 12, "negation", p),
        negation_cues=_cues(neg.get("cues"), "negation.cues", p),
        pseudo_negations=_cues(neg.get("pseudo"), "negation.pseudo", p),
        negation_terminators=_cues(neg.get("terminators"), "negation.terminators", p),
        history_window=_int(hist, "window", 6, 1, 12, "history", p),
        history_before=_cues(hist.get("before"), "history.before", p),
        history_after=_cues(hist.get("after"), "history.after", p),
        terminators=_cues(scope.get("terminators"), "scope.terminators", p),
        escalation_window=_int(esc, "window", 3, 1, 8, "escalation", p),
        escalation_cues=_cues(esc.get("cues"), "escalation.cues", p),
    )
    p.raise_if_any()
    return lexicon


def _check_duplicates(rules: Iterable[Rule], p: _Problems) -> None:
    """One id, one rule; a phrase in two rules that would decide differently
    (another section, intent or urgency) is refused. Repeating a phrase in two
    rules that agree is harmless and allowed (broad rules overlap narrow ones)."""
    ids: set[str] = set()
    owner: dict[tuple[str, ...], Rule] = {}
    for rule in rules:
        if rule.id in ids:
            p.add(f"rule '{rule.id}'", "id is used by another rule in this file")
        ids.add(rule.id)
        for phrase in rule.phrases:
            key = tuple(w for seg in segments(phrase) for w in (*seg, GAP))
            first = owner.setdefault(key, rule)
            other = first.id
            same = (first.category, first.intent, first.urgency) == (
                rule.category,
                rule.intent,
                rule.urgency,
            ) or (
                {first.category, rule.category} <= CLINICAL_SECTIONS
                and first.urgency == rule.urgency
            )
            if other != rule.id and not same:
                p.add(
                    f"rule '{rule.id}'.phrases '{phrase}'",
                    f"already belongs to rule '{other}'; one phrase, one rule",
                )


def build_lexicon(languages: Sequence[LanguageLexicon]) -> Lexicon:
    """Index one or more parsed languages for `classify`."""
    return Lexicon(tuple(languages))
