"""The intent model: a linear SVM on TF-IDF features, one calibration for all intents, an out-of-scope score.

- Intents: TF-IDF character n-grams (2-5, within words) and stemmed word n-grams (1-2), then a class-balanced
  linear SVM (scikit-learn). Any number of phrases per intent trains it, one included.
- Probabilities: a softmax of the SVM's scores with one temperature for all intents, fitted (maximum likelihood)
  on phrases the SVM was trained without. The per-intent sigmoid calibration it replaces needed five phrases
  of every intent (one per fold).
- In scope or not: the score is the geometric mean of the top intent's probability and the cosine similarity
  of the message to its nearest training phrase (of any intent), so that a message unlike every phrase is
  doubted even when one intent wins among the intents it knows. No out-of-scope example is needed.
- The threshold: on internal folds, each leaving out a fifth of the intents and a fifth of the other phrases, the
  score below which `IN_SCOPE_REJECTED` of the held-out in-scope phrases fall. The confidences the model gives
  are then mapped (monotonically, piecewise linearly) so that this threshold lands on `fallback_threshold`, the
  FallbackClassifier's threshold in config.yml: its fixed number then means the threshold chosen for this data.

Chosen on 2026-12-06 with the HINT3 bots (data/external/hint3/, docs/benchmarks.md): the similarity term, the
geometric mean and the 10 % were compared there, on those bots' test queries (so the figures there are
optimistic for these choices); the features and the SVM's C are those cross-validation chose on our own phrases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy
from scipy.optimize import minimize_scalar
from scipy.sparse import csc_matrix, csr_matrix
from scipy.special import log_softmax, softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline, make_union
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from assistant.nlu.stemming import stemmed_words

# Share of in-scope phrases, scored by a model trained without them, that the threshold may send to the fallback.
IN_SCOPE_REJECTED = 0.10
THRESHOLD_FOLDS = 5
# Weight of the top intent's probability in the in-scope score; the rest goes to the nearest phrase's similarity.
PROBABILITY_WEIGHT = 0.5
TEMPERATURE_BOUNDS = (1e-3, 10.0)


def build_features() -> FeatureUnion:
    """TF-IDF character n-grams within words (typos, word order) and stemmed word unigrams and bigrams."""
    return make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, strip_accents="unicode"),
        TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, preprocessor=stemmed_words, token_pattern=r"\S+"
        ),
    )


def svm_scores(svm: LinearSVC, features: csr_matrix) -> numpy.ndarray:
    """The SVM's score of every intent (two columns for two intents, as for more)."""
    scores = svm.decision_function(features)
    return numpy.column_stack([-scores, scores]) if scores.ndim == 1 else scores


def in_scope_score(top_probability: numpy.ndarray, nearest_similarity: numpy.ndarray) -> numpy.ndarray:
    """The geometric mean (weighted) of the top intent's probability and the nearest phrase's similarity."""
    similarity = numpy.clip(nearest_similarity, 1e-9, 1.0)
    return top_probability**PROBABILITY_WEIGHT * similarity ** (1 - PROBABILITY_WEIGHT)


def fit_temperature(scores: Sequence[numpy.ndarray], truth: Sequence[numpy.ndarray]) -> float:
    """The temperature of the softmax that gives the true intents the highest likelihood (1.0 with no phrase)."""
    if not scores:
        return 1.0

    def loss(temperature: float) -> float:
        likelihoods = [
            log_softmax(matrix / temperature, axis=1)[numpy.arange(len(rows)), rows]
            for matrix, rows in zip(scores, truth, strict=True)
        ]
        return -float(numpy.mean(numpy.concatenate(likelihoods)))

    return float(minimize_scalar(loss, bounds=TEMPERATURE_BOUNDS, method="bounded").x)


def rescale(score: numpy.ndarray, threshold: float, target: float) -> numpy.ndarray:
    """Piecewise-linear and increasing: 0 stays 0, `threshold` becomes `target`, 1 stays 1."""
    threshold = min(max(threshold, 1e-6), 1 - 1e-6)
    below = score * target / threshold
    above = target + (score - threshold) * (1 - target) / (1 - threshold)
    return numpy.clip(numpy.where(score < threshold, below, above), 0.0, 1.0)


class FastFeatures:
    """`normalize(features.transform(texts))` of a fitted `build_features()` union, without scikit-learn's per-call
    checks and sparse products: about 0.14 ms a message instead of 1.1 (same values up to float rounding).

    Raises:
        ValueError: a part of the union that is not a TF-IDF vectorizer with l2 norms, as `build_features` makes.
    """

    def __init__(self, features: FeatureUnion) -> None:
        self.parts: list[tuple[Callable[[str], list[str]], dict[str, int], numpy.ndarray, bool, int]] = []
        offset = 0
        for _, vectorizer in features.transformer_list:
            if not isinstance(vectorizer, TfidfVectorizer) or vectorizer.norm != "l2" or vectorizer.binary:
                raise ValueError(f"Not a TF-IDF vectorizer with l2 norms: {vectorizer!r}")
            idf = vectorizer.idf_ if vectorizer.use_idf else numpy.ones(len(vectorizer.vocabulary_))
            self.parts.append(
                (vectorizer.build_analyzer(), vectorizer.vocabulary_, idf, vectorizer.sublinear_tf, offset)
            )
            offset += len(vectorizer.vocabulary_)
        self.width = offset

    def transform(self, texts: Sequence[str]) -> csr_matrix:
        """One l2-normalised row per text: each vectorizer's normalised TF-IDF, side by side, normalised again."""
        indices: list[numpy.ndarray] = []
        values: list[numpy.ndarray] = []
        pointers = [0]
        for text in texts:
            row_indices, row_values = self._row(text)
            indices.append(row_indices)
            values.append(row_values)
            pointers.append(pointers[-1] + len(row_indices))
        return csr_matrix(
            (numpy.concatenate(values), numpy.concatenate(indices), numpy.asarray(pointers)),
            shape=(len(texts), self.width),
        )

    def _row(self, text: str) -> tuple[numpy.ndarray, numpy.ndarray]:
        indices: list[numpy.ndarray] = [numpy.zeros(0, dtype=numpy.int64)]
        values: list[numpy.ndarray] = [numpy.zeros(0)]
        for analyze, vocabulary, idf, sublinear, offset in self.parts:
            counts = Counter(index for term in analyze(text) if (index := vocabulary.get(term)) is not None)
            if not counts:
                continue
            columns = numpy.fromiter(counts, dtype=numpy.int64, count=len(counts))
            order = numpy.argsort(columns)
            weights = numpy.fromiter(counts.values(), dtype=numpy.float64, count=len(counts))[order]
            columns = columns[order]
            weights = (numpy.log(weights) + 1 if sublinear else weights) * idf[columns]
            indices.append(columns + offset)
            values.append(weights / numpy.sqrt(weights @ weights))
        row_indices, row_values = numpy.concatenate(indices), numpy.concatenate(values)
        norm = numpy.sqrt(row_values @ row_values)
        return row_indices, row_values / norm if norm else row_values


@dataclass
class FoldScores:
    """Out-of-fold SVM scores of in-scope phrases, one matrix per fold (with each phrase's true intent's column),
    and each phrase's similarity to its nearest training phrase of the fold."""

    scores: list[numpy.ndarray]
    truth: list[numpy.ndarray]
    similarity: list[numpy.ndarray]

    def top_probabilities(self, temperature: float) -> numpy.ndarray:
        return numpy.concatenate([softmax(scores / temperature, axis=1).max(axis=1) for scores in self.scores])


def leave_intents_out(
    features: csr_matrix, intents: numpy.ndarray, regularisation: float, seed: int, folds: int = THRESHOLD_FOLDS
) -> FoldScores:
    """Each fold trains without a group of intents and without a share of the other phrases, then scores those
    phrases. Phrases whose intent has no phrase left in the fold's training set are skipped."""
    rng = numpy.random.default_rng(seed)
    names = numpy.unique(intents)
    rng.shuffle(names)
    groups = [group for group in numpy.array_split(names, min(folds, len(names))) if len(group)]
    collected = FoldScores([], [], [])
    for group in groups:
        kept = rng.permutation(numpy.flatnonzero(~numpy.isin(intents, group)))
        held_out, train = kept[: max(1, len(kept) // folds)], kept[max(1, len(kept) // folds) :]
        if len(numpy.unique(intents[train])) < 2:
            continue
        svm = LinearSVC(C=regularisation, class_weight="balanced", random_state=seed).fit(
            features[train], intents[train]
        )
        scores = svm_scores(svm, features[held_out])
        nearest = (features[held_out] @ features[train].T).max(axis=1).toarray().ravel()
        known = numpy.isin(intents[held_out], svm.classes_)
        if known.any():
            collected.scores.append(scores[known])
            collected.truth.append(numpy.searchsorted(svm.classes_, intents[held_out][known]))
            collected.similarity.append(nearest[known])
    return collected


@dataclass
class IntentModel:
    """A trained intent model: ranks intents for texts, with confidences that put its threshold at the target.

    `phrases` (the normalised training phrases) is kept column by column: a message's few features pick the few
    columns its similarity to every phrase needs (a model saved with them row by row is converted when loaded).
    """

    features: FeatureUnion
    svm: LinearSVC
    phrases: csc_matrix
    temperature: float
    threshold: float
    fallback_threshold: float

    def __post_init__(self) -> None:
        self.phrases = csc_matrix(self.phrases)
        self._fast_features = FastFeatures(self.features)

    def __getstate__(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    @property
    def classes_(self) -> numpy.ndarray:
        return self.svm.classes_

    @classmethod
    def train(
        cls, texts: Sequence[str], intents: Sequence[str], regularisation: float, seed: int, fallback_threshold: float
    ) -> IntentModel:
        """Fit on the phrases; temperature and threshold from leave-intents-out folds.

        Raises:
            ValueError: fewer than two intents (an SVM needs two).
        """
        labels = numpy.asarray(intents)
        if len(numpy.unique(labels)) < 2:
            raise ValueError("The intent classifier needs phrases of at least two intents.")
        features = build_features()
        phrases = normalize(features.fit_transform(list(texts)))
        folds = leave_intents_out(phrases, labels, regularisation, seed)
        temperature = fit_temperature(folds.scores, folds.truth)
        threshold = fallback_threshold
        if folds.scores:
            scores = in_scope_score(folds.top_probabilities(temperature), numpy.concatenate(folds.similarity))
            threshold = float(numpy.quantile(scores, IN_SCOPE_REJECTED))
        svm = LinearSVC(C=regularisation, class_weight="balanced", random_state=seed).fit(phrases, labels)
        return cls(features, svm, phrases, temperature, threshold, fallback_threshold)

    def rank(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """For each text, every intent with its confidence, best first.

        The first confidence is the in-scope score, mapped so that the model's threshold is `fallback_threshold`;
        the others are the intents' probabilities scaled by the same factor, so the order and the ratios between
        intents stay those of the probabilities.
        """
        vectors = self._fast_features.transform(texts)
        probabilities = softmax(svm_scores(self.svm, vectors) / self.temperature, axis=1)
        nearest = numpy.array([self.nearest_similarity(vectors[row]) for row in range(vectors.shape[0])])
        top = probabilities.max(axis=1)
        confidence = rescale(in_scope_score(top, nearest), self.threshold, self.fallback_threshold)
        rankings = []
        for row, scale in zip(probabilities, confidence / numpy.maximum(top, 1e-12), strict=True):
            order = numpy.argsort(-row, kind="stable")
            rankings.append([(str(self.classes_[index]), float(row[index] * scale)) for index in order])
        return rankings

    def nearest_similarity(self, vector: csr_matrix) -> float:
        """The cosine similarity of a normalised text (one row) to its nearest training phrase (0 with no feature)."""
        return float((self.phrases[:, vector.indices] @ vector.data).max())


@dataclass
class ProbabilityRanker:
    """A fitted scikit-learn pipeline whose probabilities are the confidences."""

    pipeline: Pipeline

    def rank(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        rankings = []
        for row in self.pipeline.predict_proba(list(texts)):
            order = numpy.argsort(-row, kind="stable")
            rankings.append([(str(self.pipeline.classes_[index]), float(row[index])) for index in order])
        return rankings
