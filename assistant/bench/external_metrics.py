"""Out-of-scope detection scores on labelled queries (pure functions): MCC over a threshold sweep and at the
decision the pipeline ships with, in-scope accuracy and out-of-scope recall."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Thresholds of the sweep, as HINT3's paper and data/external/hint3/README.md: 0.00, 0.05, ..., 1.00.
SWEEP = tuple(step / 20 for step in range(21))


@dataclass(frozen=True)
class Parsed:
    """What a pipeline made of one query: its decision (intent, or out of scope) and its best intent's confidence."""

    intent: str | None  # None: the pipeline's fallback or out-of-scope answer
    top_intent: str
    confidence: float


@dataclass(frozen=True)
class OutOfScopeScores:
    """One model on one bot."""

    best_mcc: float
    best_threshold: float
    shipped_mcc: float
    in_scope_accuracy: float  # at the shipped decision: the right intent, not the fallback
    out_of_scope_recall: float  # at the shipped decision


def mcc(truth: Sequence[bool], predicted: Sequence[bool]) -> float:
    """Matthews correlation of binary decisions (0 when a margin is empty)."""
    pairs = list(zip(truth, predicted, strict=True))
    tp = sum(t and p for t, p in pairs)
    tn = sum(not t and not p for t, p in pairs)
    fp = sum(p and not t for t, p in pairs)
    fn = sum(t and not p for t, p in pairs)
    denominator = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / denominator if denominator else 0.0


def out_of_scope_scores(
    labels: Sequence[str | None], parsed: Sequence[Parsed], sweep: Sequence[float] = SWEEP
) -> OutOfScopeScores:
    """Scores against the labels (None: out of scope). A query counts as out of scope at threshold t when its best
    intent's confidence is below t; the best threshold is the lowest of those with the highest MCC.

    Raises:
        ValueError: as many labels as parsed queries are needed, at least one.
    """
    if len(labels) != len(parsed) or not labels:
        raise ValueError("out_of_scope_scores needs one parsed query per label, and at least one")
    truth = [label is None for label in labels]
    best_mcc, best_threshold = max(
        (mcc(truth, [item.confidence < threshold for item in parsed]), -threshold) for threshold in sweep
    )
    in_scope = [(label, item) for label, item in zip(labels, parsed, strict=True) if label is not None]
    out_of_scope = [item for label, item in zip(labels, parsed, strict=True) if label is None]
    return OutOfScopeScores(
        best_mcc=best_mcc,
        best_threshold=-best_threshold,
        shipped_mcc=mcc(truth, [item.intent is None for item in parsed]),
        in_scope_accuracy=(sum(item.intent == label for label, item in in_scope) / len(in_scope))
        if in_scope
        else float("nan"),
        out_of_scope_recall=(sum(item.intent is None for item in out_of_scope) / len(out_of_scope))
        if out_of_scope
        else float("nan"),
    )
