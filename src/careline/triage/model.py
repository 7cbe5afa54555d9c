"""Triage of a caller's words: urgency, intent, language and IVR guidance.

Pure: takes text and a `Lexicon`, returns a `TriageResult`; no I/O, no clock.
The decision is safety first: any emergency cue that is not negated and not
about the past wins over everything the caller also asked for, and a
self-harm cue makes the intent `crisis`. What matched (and what was discounted,
and why) is returned so a clinician can see how the decision was made.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field
from rapidfuzz import process
from rapidfuzz.distance import OSA

from careline.triage.lexicon import (
    GAP_WORDS,
    Category,
    Cue,
    CueKind,
    Guidance,
    Intent,
    Lexicon,
    Phrase,
    Urgency,
)
from careline.triage.neighbours import Neighbour, NeighbourVote
from careline.triage.readings import (
    find_readings,
    immunocompromised_fever,
    infant_fever_without_number,
)
from careline.triage.text import Token, tokenize

_RANK = {Urgency.routine: 0, Urgency.urgent: 1, Urgency.emergency: 2}

#: Ties between intents of equal weight go to the earlier one: clinical needs
#: before paperwork, the more specific task before the general one.
INTENT_ORDER: tuple[Intent, ...] = (
    Intent.crisis,
    Intent.symptom,
    Intent.cancel,
    Intent.refill,
    Intent.results,
    Intent.records,
    Intent.referral,
    Intent.billing,
    Intent.scheduling,
    Intent.operator,
    Intent.info,
)

#: Floating-point slack so a threshold of 0.75 admits exactly 0.75.
_EPSILON = 1e-9
_REPEATS = re.compile(r"(.)\1+")


class Match(BaseModel):
    """One lexicon phrase found in the text, and whether it was discounted.

    `heard` and `start`/`end` (character offsets into the text) point at the
    caller's own words: PHI, to show a clinician, never to log.
    """

    model_config = ConfigDict(frozen=True)

    rule_id: str
    phrase: str
    heard: str
    category: Category
    urgency: Urgency
    intent: Intent
    language: str
    negated: bool = False
    historical: bool = False
    fuzzy: bool = False
    start: int
    end: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def discounted(self) -> bool:
        """Negated or about the past: shown, but it does not drive the decision."""
        return self.negated or self.historical


class ReadingFound(BaseModel):
    """A number read from the words and what it means (see `readings`)."""

    model_config = ConfigDict(frozen=True)

    vital: str
    value: float
    second: float | None
    emergency: bool
    why: str


class LayerVerdict(BaseModel):
    """What one layer concluded, before the safer of the two was taken."""

    model_config = ConfigDict(frozen=True)

    urgency: Urgency | None  # None: the layer abstained
    intent: Intent
    confidence: float


Layer = Literal["rules", "model", "default"]


class TriageResult(BaseModel):
    """What the IVR, the SMS inbox and the voicemail queue act on, and why."""

    model_config = ConfigDict(frozen=True)

    urgency: Urgency
    intent: Intent
    language: str
    guidance: Guidance | None
    matched: list[Match]
    #: Live clinical content was found (a symptom, body function, reading...).
    clinical: bool = False
    #: Which layer set the urgency: "rules", "model", or "default" (nothing
    #: understood, so at least urgent: a nurse decides).
    decided_by: Layer = "rules"
    #: "rules+model", or "rules-only" when the embedding model is not installed.
    mode: str = "rules-only"
    rules: LayerVerdict | None = None
    model: LayerVerdict | None = None
    readings: list[ReadingFound] = []
    neighbours: list[Neighbour] = []
    reasons: list[str] = []


@dataclass(frozen=True)
class _Hit:
    """A phrase match over token positions [start, end)."""

    phrase: Phrase
    start: int
    end: int
    fuzzy: bool


@dataclass(frozen=True)
class _CueHit:
    cue: Cue
    start: int
    end: int


class _WordMatcher:
    """Exact or tolerant comparison of a caller's word with lexicon words.

    A word is compared fuzzily only when both are long enough, hold no digits
    and start with the same letter: typos rarely hit the first letter, and
    short words ("no", "dolor" vs "color") are where false alarms come from.
    Results are cached per call, so a long text costs one lookup per distinct word.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self.vocabulary = lexicon.vocabulary
        self._first_words = tuple(lexicon.phrases_by_first_word)
        self._squeezed: dict[str, list[str]] = {}
        for word in self._first_words:
            self._squeezed.setdefault(squeeze(word), []).append(word)
        self._min_threshold = min(lang.fuzzy.threshold for lang in lexicon.languages)
        self._min_length = min(lang.fuzzy.min_length for lang in lexicon.languages)
        self._candidates: dict[str, list[str]] = {}
        self._similarity: dict[tuple[str, str], float] = {}

    @staticmethod
    def _eligible(a: str, b: str, min_length: int) -> bool:
        return (
            len(a) >= min_length
            and len(b) >= min_length
            and a[0] == b[0]
            and a.isalpha()
            and b.isalpha()
        )

    def similarity(self, heard: str, lexicon_word: str, min_length: int) -> float:
        if heard == lexicon_word:
            return 1.0
        if not self._eligible(heard, lexicon_word, min_length):
            return 0.0
        key = (heard, lexicon_word)
        if key not in self._similarity:
            self._similarity[key] = OSA.normalized_similarity(heard, lexicon_word)
        return self._similarity[key]

    def first_word_candidates(self, heard: str) -> list[str]:
        """Lexicon first words that `heard` is or could be a misspelling of."""
        found = self._candidates.get(heard)
        if found is not None:
            return found
        found = []
        if heard in self._lexicon.phrases_by_first_word:
            found.append(heard)
        if heard.isalpha():
            found.extend(self._squeezed.get(squeeze(heard), ()))
        if len(heard) >= self._min_length and heard.isalpha():
            for word, _, _ in process.extract(
                heard,
                self._first_words,
                scorer=OSA.normalized_similarity,
                score_cutoff=self._min_threshold - _EPSILON,
                limit=None,
            ):
                if self._eligible(heard, word, self._min_length):
                    found.append(word)
        found = list(dict.fromkeys(found))
        self._candidates[heard] = found
        return found


def squeeze(word: str) -> str:
    """'feverr' -> 'fever', 'cancell' -> 'cancel': doubled letters are the commonest typo."""
    return _REPEATS.sub(r"\1", word)


def _word_matches(
    heard: str, wanted: str, phrase: Phrase, matcher: _WordMatcher, *, single: bool
) -> int | None:
    """0 for an exact match, 1 for a tolerated misspelling, None for no match."""
    if heard == wanted:
        return 0
    settings = phrase.fuzzy
    if not phrase.rule.fuzzy:
        return None
    if len(wanted) >= settings.min_length and heard.isalpha() and squeeze(heard) == squeeze(wanted):
        return 1
    # A one-word phrase (or one-word part of a `...` phrase) is fuzzily matched only
    # when long, and never against a word the lexicon knows ("factura" is billing,
    # not a misspelt "fractura"; "pero" is no misspelt "peso").
    if single and (len(wanted) < settings.single_word_min_length or heard in matcher.vocabulary):
        return None
    score = matcher.similarity(heard, wanted, settings.min_length)
    needed = settings.single_word_threshold if single else settings.threshold
    return 1 if score + _EPSILON >= needed else None


def _match_run(
    tokens: Sequence[Token], at: int, run: tuple[str, ...], phrase: Phrase, matcher: _WordMatcher
) -> int | None:
    """Misspelt words if `run` matches at token `at` (no boundary inside), else None."""
    if at + len(run) > len(tokens):
        return None
    fuzzy_words = 0
    for k, wanted in enumerate(run):
        token = tokens[at + k]
        if token.is_boundary:
            return None
        found = _word_matches(token.text, wanted, phrase, matcher, single=len(run) == 1)
        if found is None:
            return None
        fuzzy_words += found
    return fuzzy_words


def _match_phrase(
    tokens: Sequence[Token], at: int, phrase: Phrase, matcher: _WordMatcher
) -> _Hit | None:
    """The phrase starting at token `at`; each `...` gap skips up to GAP_WORDS words
    of the same clause (the nearest continuation wins)."""
    first, *rest = phrase.segments
    fuzzy_words = _match_run(tokens, at, first, phrase, matcher)
    if fuzzy_words is None:
        return None
    end = at + len(first)
    across = phrase.rule.across
    for run in rest:
        for skip in range(len(tokens) if across else GAP_WORDS + 1):
            start = end + skip
            if start >= len(tokens) or (skip and not across and tokens[start - 1].is_boundary):
                return None
            found = _match_run(tokens, start, run, phrase, matcher)
            if found is not None:
                fuzzy_words += found
                end = start + len(run)
                break
        else:
            return None
    n = len(phrase.words)
    # At most half the words of a phrase (rounded up) may be misspelt.
    if n > 1 and fuzzy_words > (n + 1) // 2:
        return None
    return _Hit(phrase, at, end, fuzzy_words > 0)


def _find_phrases(tokens: Sequence[Token], lexicon: Lexicon, matcher: _WordMatcher) -> list[_Hit]:
    hits: list[_Hit] = []
    for at, token in enumerate(tokens):
        if token.is_boundary:
            continue
        for first in matcher.first_word_candidates(token.text):
            for phrase in lexicon.phrases_by_first_word[first]:
                hit = _match_phrase(tokens, at, phrase, matcher)
                if hit is not None:
                    hits.append(hit)
    return _keep_longest(hits)


def _keep_longest(hits: list[_Hit]) -> list[_Hit]:
    """Drop a hit lying inside a longer one, and repeats of a rule on one span.

    This is how a reviewed longer phrase ("chest pain clinic", an [[intent]])
    hides the shorter emergency phrase inside it.
    """
    kept: list[_Hit] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start, h.fuzzy)):
        inside = any(
            k.start <= hit.start
            and hit.end <= k.end
            and ((k.end - k.start) > (hit.end - hit.start) or k.phrase.rule == hit.phrase.rule)
            for k in kept
        )
        if not inside:
            kept.append(hit)
    return sorted(kept, key=lambda h: (h.start, h.end))


#: "in 2019", "en 2015": a year in the past dates what stands before it (history).
_YEAR_WORDS = frozenset({"in", "en", "since", "desde", "back"})
#: "it's back now", "otra vez": a past event has returned, so it is live again.
_RECURRENCE = (
    ("its", "back"), ("it", "is", "back"), ("came", "back"), ("coming", "back"),
    ("started", "again"), ("again",), ("returned",), ("back", "again"),
    ("volvio",), ("regreso",), ("otra", "vez"), ("de", "nuevo"), ("otra", "ves"),
)  # fmt: skip


def _find_cues(tokens: Sequence[Token], lexicon: Lexicon) -> list[_CueHit]:
    found: list[_CueHit] = []
    window = lexicon.languages[0].history_window
    for at, token in enumerate(tokens):
        if (
            token.text.isdigit()
            and len(token.text) == 4
            and 1930 <= int(token.text) <= 2025
            and at > 0
            and tokens[at - 1].text in _YEAR_WORDS
        ):
            cue = Cue(CueKind.history_after, ("in", token.text), window, "*")
            found.append(_CueHit(cue, at - 1, at + 1))
        for cue in lexicon.cues_by_first_word.get(token.text, ()):
            n = len(cue.words)
            if at + n <= len(tokens) and all(
                tokens[at + k].text == w for k, w in enumerate(cue.words)
            ):
                found.append(_CueHit(cue, at, at + n))
    return found


class _Scopes:
    """Which stretches of the text a negation or history cue reaches."""

    def __init__(self, tokens: Sequence[Token], cues: list[_CueHit], hits: list[_Hit]) -> None:
        # _stops: where every scope ends; _neg_stops: also where negation alone ends.
        self._stops = [t.is_boundary for t in tokens]
        self._neg_stops = list(self._stops)
        for c in cues:
            if c.cue.kind is CueKind.terminator:
                for i in range(c.start, c.end):
                    self._stops[i] = self._neg_stops[i] = True
            elif c.cue.kind is CueKind.negation_terminator:
                for i in range(c.start, c.end):
                    self._neg_stops[i] = True
        pseudo = [c for c in cues if c.cue.kind is CueKind.pseudo]

        def overlaps(c: _CueHit, start: int, end: int) -> bool:
            return c.start < end and start < c.end

        # A negation word inside a pseudo-negation ("not sure") or inside a phrase
        # that itself says "no" ("no puedo respirar", "not breathing") is no cue.
        self._negations = [
            c
            for c in cues
            if c.cue.kind is CueKind.negation
            and not any(overlaps(c, p.start, p.end) for p in pseudo)
            and not any(overlaps(c, h.start, h.end) for h in hits)
        ]
        self._before = [c for c in cues if c.cue.kind is CueKind.history_before]
        self._after = [c for c in cues if c.cue.kind is CueKind.history_after]

    def _clear(self, start: int, end: int, *, negation: bool = False) -> bool:
        """No clause boundary or scope terminator in tokens [start, end)."""
        return not any((self._neg_stops if negation else self._stops)[start:end])

    def _forward(self, cues: list[_CueHit], start: int, *, negation: bool = False) -> bool:
        return any(
            c.end <= start
            and start - c.end < c.cue.window
            and self._clear(c.end, start, negation=negation)
            for c in cues
        )

    def negated(self, start: int) -> bool:
        return self._forward(self._negations, start, negation=True)

    def historical(self, start: int, end: int) -> bool:
        if self._forward(self._before, start):
            return True
        return any(
            c.start >= end and c.start - end < c.cue.window and self._clear(end, c.start)
            for c in self._after
        )

    def near(self, a_start: int, a_end: int, b_start: int, b_end: int, window: int) -> bool:
        """Spans a and b are within `window` words of each other in one clause."""
        if a_end <= b_start:
            return b_start - a_end < window and self._clear(a_end, b_start)
        if b_end <= a_start:
            return a_start - b_end < window and self._clear(b_end, a_start)
        return False


def _heard(text: str, tokens: Sequence[Token], start: int, end: int) -> str:
    return text[tokens[start].start : tokens[end - 1].end]


def _matches(text: str, tokens: Sequence[Token], lexicon: Lexicon) -> list[Match]:
    matcher = _WordMatcher(lexicon)
    hits = _find_phrases(tokens, lexicon, matcher)
    cues = _find_cues(tokens, lexicon)
    scopes = _Scopes(tokens, cues, hits)
    out: list[Match] = []
    for hit in hits:
        rule = hit.phrase.rule
        out.append(
            Match(
                rule_id=rule.qualified_id,
                phrase=hit.phrase.text,
                heard=_heard(text, tokens, hit.start, hit.end),
                category=rule.category,
                urgency=rule.urgency,
                intent=rule.intent,
                language=rule.language,
                negated=rule.negatable and scopes.negated(hit.start),
                historical=rule.historical
                and scopes.historical(hit.start, hit.end)
                and not _recurs_after(tokens, hit.end),
                fuzzy=hit.fuzzy,
                start=tokens[hit.start].start,
                end=tokens[hit.end - 1].end,
            )
        )
    out.extend(_escalations(text, tokens, cues, hits, out, scopes))
    return sorted(out, key=lambda m: (m.start, m.end, m.rule_id))


def _recurs_after(tokens: Sequence[Token], end: int) -> bool:
    """A past event said to be back ("... last year and it's back now")."""
    for at in range(end, len(tokens)):
        for words in _RECURRENCE:
            if tuple(t.text for t in tokens[at : at + len(words)]) == words:
                return True
    return False


def _escalations(
    text: str,
    tokens: Sequence[Token],
    cues: list[_CueHit],
    hits: list[_Hit],
    matches: list[Match],
    scopes: _Scopes,
) -> list[Match]:
    """A severity word ("severe", "worst", "muy fuerte") next to a live symptom is
    reported with it: every symptom is already urgent, the cue says why in words."""
    out: list[Match] = []
    for c in cues:
        if c.cue.kind is not CueKind.escalation or scopes.negated(c.start):
            continue
        if any(h.start <= c.start and c.end <= h.end for h in hits):
            continue  # part of a phrase already ("severe bleeding")
        for hit, match in zip(hits, matches, strict=True):
            if (
                match.intent is Intent.symptom
                and match.urgency is not Urgency.emergency
                and match.category is not Category.escalation
                and not match.discounted
                and scopes.near(c.start, c.end, hit.start, hit.end, c.cue.window)
            ):
                out.append(
                    Match(
                        rule_id=f"{c.cue.language}:escalation",
                        phrase=" ".join(c.cue.words),
                        heard=_heard(text, tokens, c.start, c.end),
                        category=Category.escalation,
                        urgency=Urgency.urgent,
                        intent=Intent.symptom,
                        language=c.cue.language,
                        start=tokens[c.start].start,
                        end=tokens[c.end - 1].end,
                    )
                )
                break
    return out


def _detect_language(tokens: Sequence[Token], matches: list[Match], lexicon: Lexicon) -> str:
    """The language with most phrase hits (2 points) and common words (1 point);
    the lexicon's first language when nothing tells them apart."""
    scores = dict.fromkeys(lexicon.codes, 0)
    for m in matches:
        if m.language in scores:
            scores[m.language] += 2
    for token in tokens:
        for lang in lexicon.languages:
            if token.text in lang.markers:
                scores[lang.language] += 1
    best = max(scores.values())
    return next(code for code in lexicon.codes if scores[code] == best)


#: Categories whose live matches are clinical content (never routine).
CLINICAL = frozenset(
    {
        Category.emergency,
        Category.crisis,
        Category.urgent,
        Category.symptom,
        Category.clinical,
        Category.escalation,
        Category.reading,
    }
)


def _reading_matches(
    text: str, tokens: Sequence[Token], matches: list[Match]
) -> tuple[list[Match], list[ReadingFound]]:
    """Readings as matches (so negation and history apply to them like to phrases),
    plus the two context rules: an infant's fever and a fever in the immunocompromised."""
    found = find_readings(tokens)
    out: list[Match] = []
    views: list[ReadingFound] = []
    for r in found:
        views.append(
            ReadingFound(
                vital=r.vital.value, value=round(r.value, 1), second=r.second,
                emergency=r.emergency, why=r.why,
            )
        )  # fmt: skip
        out.append(
            Match(
                rule_id=f"reading:{r.vital.value}",
                phrase=r.why,
                heard=_heard(text, tokens, r.start, r.end),
                category=Category.reading,
                urgency=Urgency.emergency if r.emergency else Urgency.urgent,
                intent=Intent.symptom,
                language="*",
                start=tokens[r.start].start,
                end=tokens[r.end - 1].end,
            )
        )
    whole = (tokens[0].start, tokens[-1].end) if tokens else (0, 0)
    if infant_fever_without_number(tokens):
        out.append(
            Match(
                rule_id="reading:infant-fever", phrase="fever under 3 months of age",
                heard=text[whole[0] : whole[1]], category=Category.reading,
                urgency=Urgency.emergency, intent=Intent.symptom, language="*",
                start=whole[0], end=whole[1],
            )
        )  # fmt: skip
    if immunocompromised_fever(tokens):
        out.append(
            Match(
                rule_id="reading:immunocompromised-fever",
                phrase="fever with chemotherapy, transplant or neutropenia",
                heard=text[whole[0] : whole[1]], category=Category.reading,
                urgency=Urgency.urgent, intent=Intent.symptom, language="*",
                start=whole[0], end=whole[1],
            )
        )  # fmt: skip
    return out, views


def _rules_verdict(lexicon: Lexicon, live: list[Match]) -> tuple[LayerVerdict, Guidance | None]:
    """The explainable layer. Routine only with positive evidence: a live
    administrative intent and no live clinical content."""
    rules = lexicon.rules_by_id
    clinical = [m for m in live if m.category in CLINICAL]
    if clinical:
        urgency = max((m.urgency for m in clinical), key=_RANK.__getitem__)
        crisis = any(m.intent is Intent.crisis for m in clinical)
        intent = Intent.crisis if crisis else Intent.symptom
        guidance = None
        if urgency is Urgency.emergency:
            given = {
                rule.guidance
                for m in clinical
                if m.urgency is Urgency.emergency
                and (rule := rules.get(m.rule_id)) is not None
                and rule.guidance is not None
            }
            # A body in danger (overdose, not breathing) needs 911 even in a crisis.
            guidance = Guidance.call_911
            if Guidance.call_911 not in given and (crisis or Guidance.call_988 in given):
                guidance = Guidance.call_988
        return LayerVerdict(urgency=urgency, intent=intent, confidence=1.0), guidance
    admin = [m for m in live if m.category is Category.intent]
    if not admin:
        return LayerVerdict(urgency=None, intent=Intent.unknown, confidence=0.0), None
    # Each rule counts once, by its weight.
    weights: dict[str, tuple[Intent, int]] = {}
    for m in admin:
        rule = rules.get(m.rule_id)
        weights[m.rule_id] = (m.intent, rule.weight if rule else 1)
    scores: dict[Intent, int] = {}
    for found, weight in weights.values():
        scores[found] = scores.get(found, 0) + weight
    intent = max(scores, key=lambda i: (scores[i], -INTENT_ORDER.index(i)))
    confidence = scores[intent] / sum(scores.values())
    return LayerVerdict(urgency=Urgency.routine, intent=intent, confidence=confidence), None


#: The neighbours' share for a clinical intent (symptom, crisis) that makes words the
#: rules called routine urgent instead.
CLINICAL_VOTE = 0.55


def _model_verdict(vote: NeighbourVote) -> LayerVerdict:
    return LayerVerdict(urgency=vote.urgency, intent=vote.intent, confidence=vote.intent_confidence)


def classify(
    text: str,
    lexicon: Lexicon,
    *,
    language: str | None = None,
    neighbours: NeighbourVote | None = None,
    mode: str = "rules-only",
) -> TriageResult:
    """Urgency, intent, language, guidance and why, for one caller's words.

    Two layers, the safer wins: the rules (lexicons and readings) and, when the
    edge passes `neighbours` (the statistical layer's vote for these words), the
    nearest reviewed exemplars. Routine needs positive evidence; words nobody
    understood are urgent ("default"); see docs/triage.md, the safety contract.

    `language` (e.g. 'es' or 'es-MX'), when the caller already chose one, is
    reported as is; phrases of every language in `lexicon` are still matched,
    because callers mix languages and an emergency in either must not be missed.
    """
    chosen = lexicon.language(language).language if language is not None else None
    tokens = tokenize(text)
    matches = _matches(text, tokens, lexicon)
    readings, reading_views = _reading_matches(text, tokens, matches)
    matches = sorted([*matches, *readings], key=lambda m: (m.start, m.end, m.rule_id))
    live = [m for m in matches if not m.discounted]
    rules, guidance = _rules_verdict(lexicon, live)
    model = _model_verdict(neighbours) if neighbours is not None else None
    reasons: list[str] = []
    clinical = rules.intent in (Intent.symptom, Intent.crisis)

    urgency: Urgency
    intent: Intent
    decided_by: Layer
    if rules.urgency is not None:
        urgency, intent, decided_by = rules.urgency, rules.intent, "rules"
        reasons.append(
            "clinical content: "
            + ", ".join(sorted({m.rule_id for m in live if m.category in CLINICAL}))
            if clinical
            else f"administrative request ({rules.intent.value}) and no clinical content"
        )
    elif neighbours is not None and neighbours.admin_evidence:
        urgency, intent, decided_by = Urgency.routine, neighbours.intent, "model"
        reasons.append(
            f"no rule matched; the nearest exemplars agree on {neighbours.intent.value} "
            f"({neighbours.intent_confidence:.0%})"
        )
    else:
        urgency, intent, decided_by = Urgency.urgent, Intent.unknown, "default"
        reasons.append("nothing recognised with confidence: at least urgent, a nurse decides")

    # The embedding cannot read "no" or "last year": where the rules discounted every
    # clinical phrase they found, the neighbours may raise the words to urgent (a
    # nurse decides), not to an emergency.
    fully_discounted = not clinical and any(
        m.discounted and m.category in CLINICAL for m in matches
    )
    if model is not None and model.urgency is Urgency.emergency and fully_discounted:
        model = model.model_copy(update={"urgency": Urgency.urgent})
    if model is not None and model.urgency is not None and _RANK[model.urgency] > _RANK[urgency]:
        share = neighbours.urgency_share.get(model.urgency, 0.0) if neighbours else 0.0
        reasons.append(f"the nearest exemplars say {model.urgency.value} ({share:.0%} of the vote)")
        urgency, decided_by = model.urgency, "model"
        crisis = model.intent is Intent.crisis or intent is Intent.crisis
        intent = Intent.crisis if crisis else Intent.symptom
        clinical = True
        if urgency is Urgency.emergency:
            guidance = Guidance.call_988 if crisis else Guidance.call_911
    elif (
        model is not None
        and urgency is Urgency.routine
        and model.intent in (Intent.symptom, Intent.crisis)
        and model.confidence >= CLINICAL_VOTE
    ):
        # Routine needs no clinical content: when the neighbours hear a symptom the
        # rules did not place (a body part or a sign no lexicon lists), a nurse decides.
        urgency, decided_by, clinical = Urgency.urgent, "model", True
        intent = model.intent
        reasons.append(
            f"the nearest exemplars speak of {model.intent.value} ({model.confidence:.0%}): "
            "not routine, a nurse decides"
        )
    elif (
        model is not None
        and model.intent is Intent.crisis
        and model.confidence >= 0.5
        and urgency is not Urgency.routine
        and intent is not Intent.crisis
    ):
        # The neighbours hear self-harm the rules missed: a behavioural-health clinician.
        intent = Intent.crisis
        reasons.append("the nearest exemplars speak of self-harm")
        if urgency is Urgency.emergency and guidance is None:
            guidance = Guidance.call_988
    elif (
        model is not None
        and decided_by == "rules"
        and not clinical
        and model.urgency is Urgency.routine
        and model.confidence > rules.confidence
        and model.intent not in (Intent.symptom, Intent.crisis, Intent.unknown)
    ):
        intent = model.intent  # routine either way: the more confident layer names the task
    if urgency is Urgency.emergency:
        if guidance is None:
            guidance = Guidance.call_988 if intent is Intent.crisis else Guidance.call_911
    else:
        # Thoughts of self-harm without a plan: 988 is offered, a clinician calls today.
        guidance = Guidance.call_988 if intent is Intent.crisis else None
    discounted = [m.rule_id for m in matches if m.discounted]
    if discounted:
        reasons.append("discounted (negated or past): " + ", ".join(sorted(set(discounted))))
    return TriageResult(
        urgency=urgency,
        intent=intent,
        language=chosen or _detect_language(tokens, matches, lexicon),
        guidance=guidance,
        matched=matches,
        clinical=clinical,
        decided_by=decided_by,
        mode=mode,
        rules=rules,
        model=model,
        readings=reading_views,
        neighbours=neighbours.neighbours if neighbours is not None else [],
        reasons=reasons,
    )
