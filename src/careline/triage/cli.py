"""`careline triage`: classify words from the command line, one JSON object per line.

For a clinical lead reviewing the lexicons ("what does this sentence give?"),
for batch checks of transcripts, and to try the recogniser on a WAV file.
Nothing is logged: the caller's words go to standard output only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from careline.triage.lexicon import Lexicon
    from careline.triage.model import TriageResult


def _line(text: str, result: TriageResult) -> str:
    body: dict[str, Any] = {
        "text": text,
        "urgency": result.urgency.value,
        "intent": result.intent.value,
        "language": result.language,
        "guidance": result.guidance.value if result.guidance else None,
        "matched": [
            {
                "rule": m.rule_id,
                "phrase": m.phrase,
                "heard": m.heard,
                "category": m.category.value,
                "negated": m.negated,
                "historical": m.historical,
            }
            for m in result.matched
        ],
    }
    return json.dumps(body, ensure_ascii=False)


def _lexicon(directory: Path | None) -> Lexicon:
    from careline.core.errors import CarelineError
    from careline.triage.loader import load_lexicons

    try:
        return load_lexicons(directory=directory)
    except CarelineError as exc:
        typer.secho(f"{exc.error_id}: {exc.detail}", fg=typer.colors.RED, err=True)
        for problem in exc.problems:
            typer.echo(f"  {problem.field}: {problem.message}", err=True)
        raise typer.Exit(2) from None


def triage(
    text: Annotated[
        list[str] | None,
        typer.Argument(
            help="Words to classify (joined by spaces). Without them, each line of "
            "standard input is classified.",
            show_default=False,
        ),
    ] = None,
    language: Annotated[
        str | None,
        typer.Option(
            "--language", "-l", help="The caller's language (en, es); detected when absent."
        ),
    ] = None,
    lexicons: Annotated[
        Path | None,
        typer.Option(
            "--lexicons",
            help="Folder of reviewed lexicon files (en.toml, es.toml...) "
            "instead of the shipped ones.",
            exists=True,
            file_okay=False,
        ),
    ] = None,
    audio: Annotated[
        Path | None,
        typer.Option(
            "--audio",
            help="A 16 kHz mono 16-bit WAV file: transcribe it (offline, English) "
            "and classify the words.",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    menu: Annotated[
        list[str] | None,
        typer.Option(
            "--menu",
            help="With --audio: a menu option to listen for (repeatable); recognition "
            "is limited to these options.",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check-lexicons", help="Only validate the lexicon files and print a summary."
        ),
    ] = False,
) -> None:
    """Classify a caller's words: urgency, intent, language and guidance (911/988).

    Prints one JSON object per text: {"text", "urgency", "intent", "language",
    "guidance", "matched"}. Exits 2 when a lexicon file is invalid, naming the
    file, the rule and the problem.

    \b
    Examples:
      careline triage "no chest pain, I just need to reschedule"
      printf 'me duele el pecho\\nmy bill\\n' | careline triage
      careline triage --audio answer.wav --menu billing --menu pharmacy
    """
    from careline.core.errors import CarelineError
    from careline.triage.model import classify

    lexicon = _lexicon(lexicons)
    if check:
        typer.echo(
            json.dumps(
                {
                    lang.language: {
                        "file": lang.source,
                        "rules": len(lang.rules),
                        "phrases": sum(len(r.phrases) for r in lang.rules),
                    }
                    for lang in lexicon.languages
                }
            )
        )
        return
    if menu and audio is None:
        raise typer.BadParameter("--menu only applies with --audio.", param_hint="--menu")
    try:
        if language is not None:
            lexicon.language(language)
        if audio is not None:
            from careline.triage.transcribe import PocketsphinxTranscriber

            heard = PocketsphinxTranscriber().transcribe(audio, grammar=menu or None)
            texts = [heard.text]
        elif text:
            texts = [" ".join(text)]
        else:
            texts = [line.rstrip("\r\n") for line in sys.stdin]
        for item in texts:
            if item.strip() or audio is not None:
                typer.echo(_line(item, classify(item, lexicon, language=language)))
    except CarelineError as exc:
        typer.secho(f"{exc.error_id}: {exc.detail}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
