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

from pydantic import BaseModel, ConfigDict, computed_field
from rapidfuzz import process
from rapidfuzz.distance import OSA

from careline.triage.lexicon import (
    Category,
    Cue,
    CueKind,
    Guidance,
    Intent,
    Lexicon,
    Phrase,
    Urgency,
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


class TriageResult(BaseModel):
    """What the IVR, the SMS inbox and the voicemail queue act on."""

    model_config = ConfigDict(frozen=True)

    urgency: Urgency
    intent: Intent
    language: str
    guidance: Guidance | None
    matched: list[Match]


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


def _match_phrase(
    tokens: Sequence[Token], at: int, phrase: Phrase, matcher: _WordMatcher
) -> _Hit | None:
    n = len(phrase.words)
    if at + n > len(tokens):
        return None
    settings = phrase.fuzzy
    rule = phrase.rule
    # A one-word phrase is fuzzily matched only when long, and never against a
    # word the lexicon knows ("factura" is billing, not a misspelt "fractura").
    single = n == 1
    fuzzy_words = 0
    for k, wanted in enumerate(phrase.words):
        token = tokens[at + k]
        if token.is_boundary:
            return None
        heard = token.text
        if heard == wanted:
            continue
        if not rule.fuzzy:
            return None
        if (
            len(wanted) >= settings.min_length
            and heard.isalpha()
            and squeeze(heard) == squeeze(wanted)
        ):
            fuzzy_words += 1
            continue
        if single and (
            len(wanted) < settings.single_word_min_length or heard in matcher.vocabulary
        ):
            return None
        score = matcher.similarity(heard, wanted, settings.min_length)
        needed = settings.single_word_threshold if single else settings.threshold
        if score + _EPSILON < needed:
            return None
        fuzzy_words += 1
    # At most half the words of a phrase (rounded up) may be misspelt.
    if n > 1 and fuzzy_words > (n + 1) // 2:
        return None
    return _Hit(phrase, at, at + n, fuzzy_words > 0)


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


def _find_cues(tokens: Sequence[Token], lexicon: Lexicon) -> list[_CueHit]:
    found: list[_CueHit] = []
    for at, token in enumerate(tokens):
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
                historical=rule.historical and scopes.historical(hit.start, hit.end),
                fuzzy=hit.fuzzy,
                start=tokens[hit.start].start,
                end=tokens[hit.end - 1].end,
            )
        )
    out.extend(_escalations(text, tokens, cues, hits, out, scopes))
    return sorted(out, key=lambda m: (m.start, m.end, m.rule_id))


def _escalations(
    text: str,
    tokens: Sequence[Token],
    cues: list[_CueHit],
    hits: list[_Hit],
    matches: list[Match],
    scopes: _Scopes,
) -> list[Match]:
    """A severity word ("severe", "worst", "muy fuerte") next to a live routine
    symptom makes it urgent: when torn between urgent and routine, urgent."""
    out: list[Match] = []
    for c in cues:
        if c.cue.kind is not CueKind.escalation or scopes.negated(c.start):
            continue
        if any(h.start <= c.start and c.end <= h.end for h in hits):
            continue  # part of a phrase already ("severe bleeding")
        for hit, match in zip(hits, matches, strict=True):
            if (
                match.intent is Intent.symptom
                and match.urgency is Urgency.routine
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
        scores[m.language] += 2
    for token in tokens:
        for lang in lexicon.languages:
            if token.text in lang.markers:
                scores[lang.language] += 1
    best = max(scores.values())
    return next(code for code in lexicon.codes if scores[code] == best)


def _decide(lexicon: Lexicon, live: list[Match]) -> tuple[Urgency, Intent, Guidance | None]:
    if not live:
        return Urgency.routine, Intent.unknown, None
    urgency = max((m.urgency for m in live), key=_RANK.__getitem__)
    rules = lexicon.rules_by_id
    if any(m.intent is Intent.crisis for m in live):
        intent = Intent.crisis
    else:
        # Each rule counts once, by its weight, among the matches of the top urgency.
        weights: dict[str, tuple[Intent, int]] = {}
        for m in live:
            if m.urgency is urgency:
                rule = rules.get(m.rule_id)
                weights[m.rule_id] = (m.intent, rule.weight if rule else 1)
        scores: dict[Intent, int] = {}
        for found, weight in weights.values():
            scores[found] = scores.get(found, 0) + weight
        intent = max(scores, key=lambda i: (scores[i], -INTENT_ORDER.index(i)))
    guidance = None
    if urgency is Urgency.emergency:
        given = {
            rule.guidance
            for m in live
            if m.urgency is Urgency.emergency
            and (rule := rules.get(m.rule_id)) is not None
            and rule.guidance is not None
        }
        # A body in danger (overdose, not breathing) needs 911 even in a crisis.
        for choice in (Guidance.call_911, Guidance.call_988):
            if choice in given:
                guidance = choice
                break
    return urgency, intent, guidance


def classify(text: str, lexicon: Lexicon, *, language: str | None = None) -> TriageResult:
    """Urgency, intent, language and guidance for one caller's words.

    `language` (e.g. 'es' or 'es-MX'), when the caller already chose one, is
    reported as is; phrases of every language in `lexicon` are still matched,
    because callers mix languages and an emergency in either must not be missed.
    """
    chosen = lexicon.language(language).language if language is not None else None
    tokens = tokenize(text)
    matches = _matches(text, tokens, lexicon)
    live = [m for m in matches if not m.discounted]
    urgency, intent, guidance = _decide(lexicon, live)
    return TriageResult(
        urgency=urgency,
        intent=intent,
        language=chosen or _detect_language(tokens, matches, lexicon),
        guidance=guidance,
        matched=matches,
    )
