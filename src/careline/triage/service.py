"""Triage for the edges: one process-wide classifier over the shipped lexicons.

Every place a patient's words enter careline (every speech input of a call,
voicemail transcripts, inbound texts) calls `triage` here, so all of them get
the same decision and the same safety rules. The lexicons (and, when its
package is installed, the embedding model) load once per process.
"""

from __future__ import annotations

from functools import lru_cache

from careline.metrics.model import counts_triage
from careline.triage import embedding
from careline.triage.lexicon import Lexicon
from careline.triage.loader import load_lexicons
from careline.triage.model import TriageResult, classify


@lru_cache(maxsize=1)
def shipped_lexicon() -> Lexicon:
    """The lexicons shipped with careline, parsed once."""
    return load_lexicons()


@counts_triage
def triage(text: str, language: str | None = None) -> TriageResult:
    """Urgency, intent, guidance and why, for one utterance or message: the rules
    and, when its model is installed, the statistical layer (the safer wins)."""
    layer = embedding.load_layer()
    if layer is None or not text.strip():
        return classify(text, shipped_lexicon(), language=language)
    vote = layer.vote(text[:2000])
    return classify(text, shipped_lexicon(), language=language, neighbours=vote, mode="rules+model")


def classify_words(text: str, language: str) -> tuple[str, str | None]:
    """The call-flow engine's `Classifier`: urgency and intent of a caller's words."""
    result = triage(text, language)
    return result.urgency.value, result.intent.value


def spoken_language(text: str) -> str | None:
    """The language of a caller's words by the lexicons (rules only: cheap), for a
    prompt heard before the caller chose one; None for no words."""
    if not text.strip():
        return None
    return classify(text[:2000], shipped_lexicon()).language
