"""`careline triage`: arguments or standard input in, one JSON object per line out."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from careline.cli import app

runner = CliRunner()
#: Help and usage errors are drawn by rich to the terminal width; fix it wide.
WIDE = {"COLUMNS": "200"}


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_words_as_arguments_give_one_json_line():
    result = runner.invoke(app, ["triage", "no", "chest", "pain,", "I", "need", "to", "reschedule"])
    assert result.exit_code == 0, result.output
    [body] = lines(result.stdout)
    assert body["text"] == "no chest pain, I need to reschedule"
    assert (body["urgency"], body["intent"], body["language"], body["guidance"]) == (
        "routine",
        "scheduling",
        "en",
        None,
    )
    chest = next(m for m in body["matched"] if m["rule"] == "en:chest-pain")
    assert chest["negated"] is True and chest["phrase"] == "chest pain"


def test_each_line_of_standard_input_is_classified():
    stdin = "me duele el pecho\n\nI want to kill myself\r\nwhat are your hours\n"
    result = runner.invoke(app, ["triage"], input=stdin)
    assert result.exit_code == 0, result.output
    bodies = lines(result.stdout)
    assert [b["text"] for b in bodies] == [
        "me duele el pecho",
        "I want to kill myself",
        "what are your hours",
    ]
    assert [(b["urgency"], b["intent"], b["guidance"]) for b in bodies] == [
        ("emergency", "symptom", "call-911"),
        ("emergency", "crisis", "call-988"),
        ("routine", "info", None),
    ]
    assert bodies[0]["language"] == "es"


def test_empty_input_prints_nothing():
    result = runner.invoke(app, ["triage"], input="")
    assert result.exit_code == 0 and result.stdout == ""


def test_language_option():
    result = runner.invoke(app, ["triage", "--language", "es-MX", "hola"])
    assert result.exit_code == 0
    assert lines(result.stdout)[0]["language"] == "es"
    bad = runner.invoke(app, ["triage", "-l", "fr", "bonjour"])
    assert bad.exit_code == 2
    assert "triage-unknown-language" in bad.stderr and bad.stdout == ""


def test_check_lexicons_summarises_the_files():
    result = runner.invoke(app, ["triage", "--check-lexicons"])
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert set(summary) == {"en", "es"}
    assert summary["en"]["file"] == "en.toml" and summary["es"]["rules"] > 20


def test_an_invalid_lexicon_folder_exits_2_naming_file_and_rule(tmp_path):
    (tmp_path / "en.toml").write_text(
        'language = "en"\n[[urgent]]\nid = "fever"\nphrases = ["(fever"]\n', "utf-8"
    )
    result = runner.invoke(app, ["triage", "--lexicons", str(tmp_path), "fever"])
    assert result.exit_code == 2
    assert "triage-lexicon-invalid" in result.stderr
    assert "en.toml: rule 'fever'.phrases[0] '(fever'" in result.stderr
    assert "unbalanced" in result.stderr


def test_a_custom_lexicon_folder_is_used(tmp_path):
    (tmp_path / "en.toml").write_text(
        'language = "en"\n[[urgent]]\nid = "tick-bite"\nphrases = ["tick bite"]\n', "utf-8"
    )
    result = runner.invoke(app, ["triage", "--lexicons", str(tmp_path), "a tick bite"])
    assert result.exit_code == 0
    body = lines(result.stdout)[0]
    assert body["urgency"] == "urgent" and body["matched"][0]["rule"] == "en:tick-bite"


def test_menu_needs_audio():
    result = runner.invoke(app, ["triage", "--menu", "billing", "hello"], env=WIDE)
    assert result.exit_code == 2
    assert "--menu only applies with --audio" in result.output


def test_help_documents_input_and_output():
    result = runner.invoke(app, ["triage", "--help"], env=WIDE)
    assert result.exit_code == 0
    for words in ["standard input", "JSON", "--language", "--audio", "--menu", "--check-lexicons"]:
        assert words in result.stdout, words
    listing = runner.invoke(app, ["--help"], env=WIDE)
    assert "triage" in listing.stdout
