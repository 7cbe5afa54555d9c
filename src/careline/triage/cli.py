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


def _line(text: str, result: TriageResult, *, explain: bool = False) -> str:
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
    if explain:
        body["explain"] = {
            "mode": result.mode,
            "decided_by": result.decided_by,
            "clinical": result.clinical,
            "reasons": result.reasons,
            "rules": result.rules.model_dump(mode="json") if result.rules else None,
            "model": result.model.model_dump(mode="json") if result.model else None,
            "readings": [r.model_dump(mode="json") for r in result.readings],
            "exemplars": [n.model_dump(mode="json") for n in result.neighbours],
        }
    return json.dumps(body, ensure_ascii=False)


def _evaluate(path: Path, *, show: bool) -> None:
    """`careline triage eval FILE.jsonl`: the report; exit 1 on any under-triage."""
    from careline.triage.evaluation import Outcome, read_cases, report, under_triaged
    from careline.triage.service import triage as run_triage

    try:
        cases = read_cases(path.read_text(encoding="utf-8").splitlines(), source=path.name)
    except (OSError, ValueError) as exc:
        typer.secho(f"triage-eval-input: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    outcomes: list[Outcome] = []
    with typer.progressbar(cases, label=f"triaging {len(cases)} cases", file=sys.stderr) as bar:
        for case in bar:
            result = run_triage(case.text, case.language)
            outcomes.append(Outcome(case, result.urgency, result.intent))
    figures = report(outcomes)
    from careline.triage.embedding import status

    figures["mode"] = status().mode
    typer.echo(json.dumps(figures, indent=2))
    missed = under_triaged(outcomes)
    if show:
        for o in missed:
            typer.echo(
                f"UNDER-TRIAGE {o.case.urgency.value}->{o.urgency.value}: {o.case.text}", err=True
            )
    if missed:
        typer.secho(f"{len(missed)} under-triaged case(s)", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)


def _build_bank() -> None:
    """`careline triage build-bank`: precompute the exemplar embeddings into the package."""
    from careline.triage import embedding

    try:
        embedder = embedding.E5Embedder()
    except Exception as exc:
        typer.secho(
            f"triage-model-unavailable: {type(exc).__name__}", fg=typer.colors.RED, err=True
        )
        raise typer.Exit(2) from None
    bank = embedding.read_bank()
    typer.echo(f"embedding {len(bank)} exemplars...", err=True)
    path = embedding.write_matrix(embedder, bank)
    typer.echo(f"wrote {path}")


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
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Also print why: which layer decided, the rules, readings and nearest "
            "exemplars, and whether the model is installed (rules-only otherwise).",
        ),
    ] = False,
    show_misses: Annotated[
        bool,
        typer.Option("--show-misses", help="With eval: print each under-triaged case."),
    ] = False,
) -> None:
    """Classify a caller's words: urgency, intent, language and guidance (911/988).

    Prints one JSON object per text: {"text", "urgency", "intent", "language",
    "guidance", "matched"} (and "explain" with --explain). Exits 2 when a
    lexicon file is invalid, naming the file, the rule and the problem.

    `careline triage eval FILE.jsonl` measures triage on labelled lines
    ({"text", "urgency", "intent", "language"}): confusion matrix, recall per
    class, under- and over-triage, intent accuracy; exits 1 on any under-triage.
    `careline triage build-bank` re-embeds the exemplar bank after it changed.

    \b
    Examples:
      careline triage "no chest pain, I just need to reschedule"
      careline triage --explain "an elephant is sitting on my chest"
      careline triage eval tests/triage/eval/dev.jsonl
      printf 'me duele el pecho\\nmy bill\\n' | careline triage
      careline triage --audio answer.wav --menu billing --menu pharmacy
    """
    from careline.core.errors import CarelineError
    from careline.triage.model import classify

    if text and text[0] == "eval":
        if len(text) != 2:
            raise typer.BadParameter("usage: careline triage eval FILE.jsonl")
        _evaluate(Path(text[1]), show=show_misses)
        return
    if text and text == ["build-bank"]:
        _build_bank()
        return
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
                if lexicons is None:
                    from careline.triage.service import triage as run_triage

                    result = run_triage(item, language)
                else:  # a clinical lead's own lexicons: the rules alone
                    result = classify(item, lexicon, language=language)
                typer.echo(_line(item, result, explain=explain))
    except CarelineError as exc:
        typer.secho(f"{exc.error_id}: {exc.detail}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
