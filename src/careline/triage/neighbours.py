"""The statistical layer's decision: a vote of the nearest reviewed exemplars.

Pure: takes similarities (cosine, from `embedding`) between the caller's words
and every exemplar of the bank, returns what the neighbours say and how sure
they are. It generalises to wording nobody wrote down because the embedding
places "an elephant is sitting on my chest" near "crushing chest pain". The
thresholds below were calibrated on the exemplar bank (leave-one-out) and the
dev split of the blind evaluation set, never on its test split (docs/triage.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from careline.triage.lexicon import Intent, Urgency

#: Neighbours that vote.
K = 12
#: Softmax temperature over cosine similarity: e5's similarities are compressed
#: (unrelated text scores ~0.75), so small differences must count.
TEMPERATURE = 0.015
#: Share of the vote that makes the layer call an emergency / at least urgent.
EMERGENCY_SHARE = 0.5
URGENT_SHARE = 0.65
#: A neighbour this close is trusted: below it the layer abstains (says nothing).
MIN_SIMILARITY = 0.88
#: The layer may stand as positive evidence of an administrative request only
#: when it is this sure (rules found no clinical content; see `model.classify`).
ADMIN_SHARE = 0.85
ADMIN_SIMILARITY = 0.885


class ExemplarLabel(BaseModel):
    """One reviewed exemplar's labels (its text is in the bank file)."""

    model_config = ConfigDict(frozen=True)

    id: str
    urgency: Urgency
    intent: Intent


class Neighbour(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    urgency: Urgency
    intent: Intent
    similarity: float


class NeighbourVote(BaseModel):
    """What the nearest exemplars say about one utterance."""

    model_config = ConfigDict(frozen=True)

    urgency: Urgency | None  # None: abstained (nothing near enough)
    intent: Intent
    urgency_share: dict[Urgency, float]
    intent_confidence: float
    top_similarity: float
    neighbours: list[Neighbour]

    @property
    def admin_evidence(self) -> bool:
        """Sure enough that this is a purely administrative request."""
        return (
            self.urgency is Urgency.routine
            and self.urgency_share.get(Urgency.routine, 0.0) >= ADMIN_SHARE
            and self.top_similarity >= ADMIN_SIMILARITY
            and self.intent not in (Intent.symptom, Intent.crisis, Intent.unknown)
        )


@dataclass(frozen=True)
class VoteSettings:
    k: int = K
    temperature: float = TEMPERATURE
    emergency_share: float = EMERGENCY_SHARE
    urgent_share: float = URGENT_SHARE
    min_similarity: float = MIN_SIMILARITY


def vote(
    similarities: npt.NDArray[np.float32],
    labels: Sequence[ExemplarLabel],
    settings: VoteSettings = VoteSettings(),
    *,
    exclude: int | None = None,
) -> NeighbourVote:
    """The neighbours' vote. `exclude` leaves one exemplar out (for calibration)."""
    sims = similarities.astype(np.float64, copy=True)
    if exclude is not None:
        sims[exclude] = -np.inf
    k = min(settings.k, len(labels))
    top = np.argpartition(-sims, k - 1)[:k]
    top = top[np.argsort(-sims[top])]
    best = float(sims[top[0]])
    weights = np.exp((sims[top] - best) / settings.temperature)
    weights /= weights.sum()
    urgency_share = dict.fromkeys(Urgency, 0.0)
    intent_share: dict[Intent, float] = {}
    neighbours: list[Neighbour] = []
    for index, weight in zip(top, weights, strict=True):
        label = labels[int(index)]
        urgency_share[label.urgency] += float(weight)
        intent_share[label.intent] = intent_share.get(label.intent, 0.0) + float(weight)
        neighbours.append(
            Neighbour(
                id=label.id,
                urgency=label.urgency,
                intent=label.intent,
                similarity=round(float(sims[index]), 4),
            )
        )
    intent = max(intent_share, key=intent_share.__getitem__)
    urgency: Urgency | None
    if best < settings.min_similarity:
        urgency = None
    elif urgency_share[Urgency.emergency] >= settings.emergency_share:
        urgency = Urgency.emergency
    elif urgency_share[Urgency.emergency] + urgency_share[Urgency.urgent] >= settings.urgent_share:
        urgency = Urgency.urgent
    else:
        urgency = Urgency.routine
    return NeighbourVote(
        urgency=urgency,
        intent=intent,
        urgency_share={u: round(v, 4) for u, v in urgency_share.items()},
        intent_confidence=round(intent_share[intent], 4),
        top_similarity=round(best, 4),
        neighbours=neighbours,
    )
