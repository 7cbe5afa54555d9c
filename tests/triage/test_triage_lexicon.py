"""Lexicon files: the shipped ones are valid, and every mistake a reviewer can
make is refused with the file, the rule id and what is wrong."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from careline.triage.lexicon import (
    MAX_VARIANTS,
    Category,
    Guidance,
    Intent,
    LexiconInvalid,
    Urgency,
    build_lexicon,
    expand,
    parse_lexicon,
)
from careline.triage.loader import LEXICON_DIR, load_lexicon, load_lexicons, read_language_file
from careline.triage.model import classify

RULE = """
[[emergency]]
id = "chest-pain"
phrases = ["chest pain"]
"""
MINIMAL = 'language = "en"\n' + RULE


def top(extra: str) -> str:
    """A minimal file with `extra` among the top-level keys (before any table)."""
    return f'language = "en"\n{extra}\n' + RULE


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def problems_of(body: str, name: str = "en.toml", tmp_path: Path | None = None) -> LexiconInvalid:
    assert tmp_path is not None
    with pytest.raises(LexiconInvalid) as err:
        read_language_file(write(tmp_path, name, body))
    return err.value


# ---------------------------------------------------------------- shipped files


def test_shipped_lexicons_load_with_both_languages():
    lexicon = load_lexicons()
    assert lexicon.codes == ("en", "es")
    for lang in lexicon.languages:
        categories = {r.category for r in lang.rules}
        assert categories == {
            Category.emergency,
            Category.crisis,
            Category.urgent,
            Category.symptom,
            Category.clinical,
            Category.intent,
        }, lang.language
        intents = {r.intent for r in lang.rules}
        assert intents == set(Intent) - {Intent.unknown}, lang.language
        assert lang.negation_cues and lang.history_before and lang.history_after


def test_shipped_rules_have_the_section_defaults():
    lexicon = load_lexicons()
    chest = lexicon.rule("en:chest-pain")
    assert (chest.urgency, chest.intent, chest.guidance) == (
        Urgency.emergency,
        Intent.symptom,
        Guidance.call_911,
    )
    suicidal = lexicon.rule("es:suicidal")
    assert (suicidal.intent, suicidal.guidance, suicidal.negatable) == (
        Intent.crisis,
        Guidance.call_988,
        False,
    )
    assert not lexicon.rule("en:records").historical  # requests are made now


def test_load_one_language():
    spanish = load_lexicon("es-MX")
    assert spanish.codes == ("es",)
    assert classify("me duele el pecho", spanish).urgency is Urgency.emergency
    # English words are not matched by a Spanish-only lexicon (so, understood by
    # nothing, they are urgent by default, never routine).
    r = classify("chest pain", spanish)
    assert (r.matched, r.decided_by) == ([], "default")


def test_unknown_language_file(tmp_path):
    with pytest.raises(LexiconInvalid) as err:
        load_lexicon("fr")
    assert err.value.error_id == "triage-unknown-language"
    assert "available: en, es" in err.value.detail
    with pytest.raises(LexiconInvalid):
        load_lexicon("../en")


def test_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(LexiconInvalid, match="No lexicon files"):
        load_lexicons(directory=tmp_path)


def test_a_clinic_can_use_its_own_reviewed_copy(tmp_path):
    text = (LEXICON_DIR / "en.toml").read_text("utf-8")
    text += '\n[[urgent]]\nid = "tick-bite"\nphrases = ["tick bite", "bitten by a tick"]\n'
    (tmp_path / "en.toml").write_text(text, "utf-8")
    lexicon = load_lexicons(directory=tmp_path)
    assert lexicon.codes == ("en",)
    r = classify("I found a tick bite on my leg", lexicon)
    assert r.urgency is Urgency.urgent and "en:tick-bite" in [m.rule_id for m in r.matched]


# ---------------------------------------------------------------- pattern syntax


def test_expand_alternatives_and_optional_words():
    assert expand("pain in (my|the) chest") == ["pain in my chest", "pain in the chest"]
    assert expand("chest [is] tight") == ["chest is tight", "chest tight"]
    assert len(expand("(a|b|c) [x] (d|e)")) == 12
    assert expand("plain words") == ["plain words"]


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(my )?chest", "optional words are written [my]"),
        ("chest (pain", "unbalanced"),
        ("chest pain)", "unbalanced"),
        ("((a|b)|c)", "unbalanced or nested"),
        ("a|b", "'|' outside"),
        ("[a|b]", "no '|'"),
        ("(a|)", "non-empty"),
        ("[]", "optional words"),
    ],
)
def test_expand_refuses_bad_patterns(pattern, reason):
    with pytest.raises(ValueError, match=reason.replace("(", r"\(").replace("[", r"\[")):
        expand(pattern)


def test_expand_limits_variants():
    pattern = " ".join(["(a|b|c|d)"] * 6)  # 4096 variants
    with pytest.raises(ValueError, match=f"at most {MAX_VARIANTS}"):
        expand(pattern)


# ---------------------------------------------------------------- validation


def test_minimal_file_is_valid(tmp_path):
    lang = read_language_file(write(tmp_path, "en.toml", MINIMAL))
    assert [r.qualified_id for r in lang.rules] == ["en:chest-pain"]
    assert lang.fuzzy.threshold == 0.75  # defaults apply


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        (top("colour = 1"), "colour", "unknown section or key"),
        (
            MINIMAL + '[[urgent]]\nphrases = ["x"]\n',
            "[[urgent]] #1.id",
            "lower-case letters",
        ),
        (
            MINIMAL + '[[urgent]]\nid = "Bad Id"\nphrases = ["x"]\n',
            "[[urgent]] #1.id",
            "lower-case letters",
        ),
        (
            MINIMAL + '[[urgent]]\nid = "chest-pain"\nphrases = ["other"]\n',
            "rule 'chest-pain'",
            "id is used by another rule",
        ),
        (
            MINIMAL + '[[urgent]]\nid = "fever"\nphrases = []\n',
            "rule 'fever'.phrases",
            "non-empty list",
        ),
        (
            MINIMAL + '[[urgent]]\nid = "fever"\nphrases = "fever"\n',
            "rule 'fever'.phrases",
            "non-empty list",
        ),
        (
            MINIMAL + '[[urgent]]\nid = "fever"\nphrases = ["fever", 3]\n',
            "rule 'fever'.phrases[1]",
            "non-empty string",
        ),
        (
            MINIMAL + '[[urgent]]\nid = "fever"\nphrases = ["(high fever"]\n',
            "rule 'fever'.phrases[0] '(high fever'",
            "unbalanced",
        ),
        (
            MINIMAL + '[[urgent]]\nid = "fever"\nphrases = ["fever?"]\n',
            "rule 'fever'.phrases[0] 'fever?'",
            "punctuation",
        ),
        (
            MINIMAL + '[[urgent]]\nid = "fever"\nphrases = ["!!!"]\n',
            "rule 'fever'.phrases[0] '!!!'",
            "punctuation",
        ),
        (
            MINIMAL + '[[intent]]\nid = "bill"\nphrases = ["bill"]\n',
            "rule 'bill'.intent",
            "must say which intent",
        ),
        (
            MINIMAL + '[[intent]]\nid = "bill"\nintent = "money"\nphrases = ["bill"]\n',
            "rule 'bill'.intent",
            "'money' is not one of",
        ),
        (
            MINIMAL + '[[intent]]\nid = "sad"\nintent = "crisis"\nphrases = ["sad"]\n',
            "rule 'sad'.intent",
            "use [[crisis]]",
        ),
        (
            MINIMAL + '[[urgent]]\nid = "fever"\nguidance = "call-911"\nphrases = ["fever"]\n',
            "rule 'fever'.guidance",
            "only [[emergency]] and [[crisis]]",
        ),
        (
            MINIMAL + '[[crisis]]\nid = "sad"\nguidance = "call-112"\nphrases = ["sad"]\n',
            "rule 'sad'.guidance",
            "'call-112' is not one of",
        ),
        (
            MINIMAL
            + '[[intent]]\nid = "bill"\nintent = "billing"\nweight = 11\nphrases = ["bill"]\n',
            "rule 'bill'.weight",
            "from 1 to 10",
        ),
        (
            MINIMAL + '[[urgent]]\nid = "fever"\nnegatable = "no"\nphrases = ["fever"]\n',
            "rule 'fever'.negatable",
            "true or false",
        ),
        (
            MINIMAL + '[[urgent]]\nid = "fever"\nphrase = ["fever"]\nphrases = ["fever"]\n',
            "rule 'fever'.phrase",
            "unknown field",
        ),
        (
            MINIMAL + '[[urgent]]\nid = "pain"\nphrases = ["Chest  PAIN"]\n',
            "rule 'pain'.phrases 'Chest PAIN'",
            "already belongs to rule 'chest-pain'",
        ),
        (MINIMAL + "[fuzzy]\nthreshold = 0.2\n", "fuzzy.threshold", "from 0.5 to 1.0"),
        (MINIMAL + "[fuzzy]\nthreshold = true\n", "fuzzy.threshold", "from 0.5 to 1.0"),
        (MINIMAL + "[negation]\nwindow = 0\n", "negation.window", "from 1 to 12"),
        (MINIMAL + "[negation]\nwindows = 3\n", "negation.windows", "unknown setting"),
        (MINIMAL + '[negation]\ncues = ["(no"]\n', "negation.cues[0] '(no'", "unbalanced"),
        (top("negation = 3"), "negation", "must be a table"),
        (MINIMAL + "[emergency]\nx = 1\n", "", "not valid TOML"),  # TOML itself refuses
        ('language = "en"\n', "rules", "defines no rules"),
        ("language = 'EN'\n" + RULE, "language", "ISO 639"),
        (top("markers = 'the'"), "markers", "list of common words"),
        (MINIMAL.replace("[[emergency]]", "[emergency]"), "[[emergency]]", "array of tables"),
    ],
)
def test_each_mistake_names_the_file_rule_and_problem(tmp_path, body, where, message):
    error = problems_of(body, tmp_path=tmp_path)
    assert error.error_id == "triage-lexicon-invalid"
    assert "en.toml" in error.detail
    if where:
        fields = {p.field: p.message for p in error.problems}
        assert f"en.toml: {where}" in fields, fields
        assert message in fields[f"en.toml: {where}"]
    else:
        assert message in error.detail


def test_all_problems_are_reported_at_once(tmp_path):
    body = MINIMAL + textwrap.dedent(
        """
        [[urgent]]
        id = "Fever"
        phrases = []
        [[intent]]
        id = "bill"
        intent = "money"
        phrases = ["(bill"]
        [fuzzy]
        threshold = 3
        """
    )
    error = problems_of(body, tmp_path=tmp_path)
    assert len(error.problems) >= 4
    assert error.detail.startswith(f"{len(error.problems)} problem(s) in en.toml")


def test_invalid_toml_says_where(tmp_path):
    error = problems_of('language = "en"\n[[emergency]\nid = 1\n', tmp_path=tmp_path)
    assert "not valid TOML" in error.detail and "line 2" in error.detail


def test_file_must_be_utf8_and_named_after_its_language(tmp_path):
    bad = tmp_path / "en.toml"
    bad.write_bytes(b'language = "en"\n# \xff\xfe\n')
    with pytest.raises(LexiconInvalid, match="not UTF-8"):
        read_language_file(bad)
    error = problems_of(MINIMAL, name="es.toml", tmp_path=tmp_path)
    assert "must be named en.toml" in error.detail


def test_unreadable_file(tmp_path):
    with pytest.raises(LexiconInvalid, match="cannot be read"):
        read_language_file(tmp_path / "en.toml")


def test_the_same_language_twice_is_refused():
    lang = parse_lexicon(
        {"language": "en", "emergency": [{"id": "a", "phrases": ["a b"]}]}, source="x"
    )
    with pytest.raises(LexiconInvalid, match="loaded twice"):
        build_lexicon([lang, lang])
    with pytest.raises(LexiconInvalid, match="at least one language"):
        build_lexicon([])


def test_a_bad_file_among_good_ones_stops_loading(tmp_path):
    (tmp_path / "en.toml").write_text((LEXICON_DIR / "en.toml").read_text("utf-8"), "utf-8")
    write(tmp_path, "es.toml", 'language = "es"\n[[urgent]]\nid = "fiebre"\nphrases = []\n')
    with pytest.raises(LexiconInvalid) as err:
        load_lexicons(directory=tmp_path)
    fields = [p.field for p in err.value.problems]
    assert "es.toml: rule 'fiebre'.phrases" in fields
    assert all(f.startswith("es.toml: ") for f in fields)


@pytest.mark.parametrize(
    "words",
    [
        "can I push my mammogram to next week, my nipple has some discharge",
        "the lymph node in my neck feels bigger, can I get an appointment",
        "quiero cambiar mi cita, me salio algo en la axila",
        "necesito mi receta y he tenido pensamientos oscuros",
        "I need a refill and I keep having dark thoughts",
    ],
)
def test_a_body_part_or_a_dark_thought_inside_an_admin_request_is_never_routine(words):
    from careline.triage.service import shipped_lexicon

    assert classify(words, shipped_lexicon()).urgency is not Urgency.routine
