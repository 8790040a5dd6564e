"""Baseline (c): a plain TF-IDF + logistic-regression intent classifier (scikit-learn).

Word unigrams and bigrams of the raw text (scikit-learn's TfidfVectorizer),
LogisticRegression with scikit-learn's defaults (C=1, lbfgs). Unlike ours it
reads names as they are written (no placeholders), has no character n-grams
and no class balancing. lbfgs is deterministic, so its seed changes nothing.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from assistant.nlu.classifier import PlaceholderIntentClassifier


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(PlaceholderIntentClassifier):
    """TF-IDF word features and logistic regression, trained on the raw training phrases."""

    model_file = "tfidf_intent_classifier.joblib"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"random_seed": 42, "ranking_length": 10}

    def new_pipeline(self) -> Pipeline:
        return make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2)),
            LogisticRegression(max_iter=1000, random_state=int(self._config["random_seed"])),
        )

    def training_texts(self, examples: list[Message]) -> list[str]:
        return [message.get(TEXT) or "" for message in examples]

    def text_to_classify(self, message: Message) -> str:
        return message.get(TEXT) or ""
