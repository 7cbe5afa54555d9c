"""Triage fixtures: the shipped lexicons (parsed once) and a classify shortcut."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from careline.triage.lexicon import Lexicon
from careline.triage.loader import load_lexicons
from careline.triage.model import TriageResult, classify


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return load_lexicons()


@pytest.fixture(scope="session")
def triage(lexicon: Lexicon) -> Callable[..., TriageResult]:
    def run(text: str, language: str | None = None) -> TriageResult:
        return classify(text, lexicon, language=language)

    return run
