"""Text normalisation shared by lexicon phrases and callers' words.

Both sides go through the same steps so that "Can't", "cant" and "can't" typed
with a typographic apostrophe, or "corazón" and "corazon", compare equal: lower
case, accents removed, apostrophes dropped inside words, numbers kept whole
("103.5"). Punctuation that ends a clause is kept as a boundary token because
negation and history never reach across it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Marks that end a clause: a negation or history cue stops here.
BOUNDARY = "|"

#: ASCII, right single quotation mark, modifier letter apostrophe, grave, acute.
_APOSTROPHE_CHARS = frozenset("'\u2019\u02bc`\u00b4")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+|[.,;:!?¿¡()\[\]\n\r\"“”]")
_BOUNDARY_CHARS = frozenset('.,;:!?¿¡()[]\n\r"“”')


@dataclass(frozen=True)
class Token:
    """One word (or clause boundary) and where it sits in the original text."""

    text: str
    start: int
    end: int

    @property
    def is_boundary(self) -> bool:
        return self.text == BOUNDARY


def fold(word: str) -> str:
    """Lower case without accents: "Corazón" -> "corazon"."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str) -> list[Token]:
    """Words and clause boundaries of `text`, with offsets into `text` itself.

    Folding is done per match so offsets stay those of the caller's text (a
    folded string can differ in length from the original).
    """
    tokens: list[Token] = []
    # Drop in-word apostrophes ("can't" -> "cant"), keeping a map back to offsets.
    cleaned_chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        inside_word = 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()
        if ch in _APOSTROPHE_CHARS and inside_word:
            continue
        cleaned_chars.append(ch)
        offsets.append(i)
    cleaned = "".join(cleaned_chars)
    for match in _TOKEN.finditer(cleaned):
        raw = match.group(0)
        start = offsets[match.start()]
        end = offsets[match.end() - 1] + 1
        if raw in _BOUNDARY_CHARS:
            if tokens and tokens[-1].is_boundary:
                continue
            tokens.append(Token(BOUNDARY, start, end))
            continue
        if raw[0].isdigit():
            tokens.append(Token(raw.replace(",", "."), start, end))
            continue
        tokens.append(Token(fold(raw), start, end))
    return tokens


def words(text: str) -> tuple[str, ...]:
    """The folded words of a lexicon phrase (boundaries dropped)."""
    return tuple(t.text for t in tokenize(text) if not t.is_boundary)
