"""Accuracy figures from predicted intents, and their mean and spread over seeds (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import mean

from sklearn.metrics import accuracy_score, f1_score

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
# Both give the student the "I cannot help with that" kind of reply.
OUT_OF_SCOPE_ANSWERS = (OUT_OF_SCOPE, FALLBACK)


@dataclass(frozen=True)
class IntentScores:
    """Intent accuracy, macro F1, in-scope accuracy and out-of-scope recall of one model on one language."""

    accuracy: float
    macro_f1: float
    in_scope_accuracy: float
    out_of_scope_recall: float


@dataclass(frozen=True)
class Spread:
    """Mean, minimum and maximum of a figure over seeds."""

    mean: float
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


def intent_scores(truth: Sequence[str], predicted: Sequence[str]) -> IntentScores:
    """Score predicted intents against the true ones.

    Accuracy and macro F1 (over the true intents) count a low-confidence
    `nlu_fallback` as wrong; out-of-scope recall counts it as right, since the
    student is then told too that the assistant cannot help with that.
    """
    if len(truth) != len(predicted) or not truth:
        raise ValueError("intent_scores needs as many predictions as questions, and at least one")
    in_scope = [(true, guess) for true, guess in zip(truth, predicted, strict=True) if true != OUT_OF_SCOPE]
    out_of_scope = [guess for true, guess in zip(truth, predicted, strict=True) if true == OUT_OF_SCOPE]
    return IntentScores(
        accuracy=float(accuracy_score(truth, predicted)),
        macro_f1=float(f1_score(truth, predicted, labels=sorted(set(truth)), average="macro", zero_division=0)),
        in_scope_accuracy=sum(true == guess for true, guess in in_scope) / len(in_scope) if in_scope else float("nan"),
        out_of_scope_recall=(
            sum(guess in OUT_OF_SCOPE_ANSWERS for guess in out_of_scope) / len(out_of_scope)
            if out_of_scope
            else float("nan")
        ),
    )


def spread(values: Sequence[float]) -> Spread:
    """Mean and min-max range of the values of one figure over seeds."""
    if not values:
        raise ValueError("spread needs at least one value")
    return Spread(mean(values), min(values), max(values))


def beats(ours: Spread, baseline: Spread) -> bool:
    """Whether our mean is above the baseline's by more than the wider of the two spreads."""
    return ours.mean - baseline.mean > max(ours.width, baseline.width)
