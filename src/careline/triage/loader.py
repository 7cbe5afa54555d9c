"""Reading lexicon files: the only I/O of triage's decision.

The shipped files live in `careline/triage/lexicons/`; a clinic can point at
its own reviewed copies with `directory=`. Every problem names the file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from careline.core.errors import FieldProblem
from careline.triage.lexicon import (
    LanguageLexicon,
    Lexicon,
    LexiconInvalid,
    build_lexicon,
    parse_lexicon,
)

#: The lexicons shipped with careline.
LEXICON_DIR = Path(__file__).parent / "lexicons"


def read_language_file(path: Path) -> LanguageLexicon:
    """Parse and check one lexicon file; LexiconInvalid names what is wrong."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LexiconInvalid(
            f"{path.name}: cannot be read ({exc.strerror or exc.__class__.__name__}).",
            problems=[FieldProblem(path.name, "cannot be read")],
        ) from None
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise LexiconInvalid(
            f"{path.name}: is not UTF-8 text.",
            problems=[FieldProblem(path.name, "is not UTF-8 text")],
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise LexiconInvalid(
            f"{path.name}: is not valid TOML: {exc}.",
            problems=[FieldProblem(path.name, f"not valid TOML: {exc}")],
        ) from None
    lexicon = parse_lexicon(doc, source=path.name)
    if lexicon.language != path.stem:
        raise LexiconInvalid(
            f"{path.name}: says language = '{lexicon.language}'; "
            f"the file must be named {lexicon.language}.toml.",
            problems=[FieldProblem(f"{path.name}: language", "does not match the file name")],
        )
    return lexicon


def load_lexicon(language: str, *, directory: Path | None = None) -> Lexicon:
    """The lexicon of one language ('en', 'es'), from `directory` or the shipped one."""
    folder = directory or LEXICON_DIR
    code = language.strip().replace("_", "-").split("-", 1)[0].lower()
    path = folder / f"{code}.toml"
    if not code.isalpha() or not path.is_file():
        available = ", ".join(sorted(p.stem for p in folder.glob("*.toml"))) or "none"
        raise LexiconInvalid(
            f"No lexicon file for language '{language[:16]}' (available: {available}).",
            error_id="triage-unknown-language",
            problems=[FieldProblem("language", "no lexicon file for this language")],
        )
    return build_lexicon([read_language_file(path)])


def load_lexicons(*, directory: Path | None = None) -> Lexicon:
    """Every language file in `directory` (default: the shipped lexicons).

    English comes first when present: it is the language reported when the
    words give no clue.
    """
    folder = directory or LEXICON_DIR
    paths = sorted(folder.glob("*.toml"), key=lambda p: (p.stem != "en", p.stem))
    if not paths:
        raise LexiconInvalid(
            f"No lexicon files (*.toml) in {folder.name}/.",
            problems=[FieldProblem(folder.name, "holds no *.toml lexicon")],
        )
    return build_lexicon([read_language_file(p) for p in paths])
