"""Baseline (c): a plain TF-IDF + logistic-regression intent classifier (scikit-learn).

Word unigrams and bigrams of the raw text (scikit-learn's TfidfVectorizer),
LogisticRegression with scikit-learn's defaults (C=1, lbfgs). Unlike ours it
reads names as they are written (no placeholders), has no character n-grams
and no class balancing. lbfgs is deterministic, so its seed changes nothing.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

MODEL_FILE = "tfidf_intent_classifier.joblib"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfIntentClassifier(GraphComponent, IntentClassifier):
    """TF-IDF word features and logistic regression, trained on the raw training phrases."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"random_seed": 42, "ranking_length": 10}

    def __init__(
        self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource, pipeline: Optional[Pipeline] = None
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._pipeline = pipeline

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TfidfIntentClassifier":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [message for message in training_data.intent_examples if message.get(INTENT)]
        pipeline = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2)),
            LogisticRegression(max_iter=1000, random_state=int(self._config["random_seed"])),
        )
        pipeline.fit([message.get(TEXT) or "" for message in examples], [message.get(INTENT) for message in examples])
        self._pipeline = pipeline
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(pipeline, directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TfidfIntentClassifier":
        with model_storage.read_from(resource) as directory:
            pipeline = joblib.load(directory / MODEL_FILE)
        return cls(config, model_storage, resource, pipeline)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if self._pipeline is None or not (message.get(TEXT) or "").strip():
                continue
            probabilities = self._pipeline.predict_proba([message.get(TEXT)])[0]
            ranked = sorted(zip(self._pipeline.classes_, probabilities), key=lambda item: -item[1])
            ranking = [
                {INTENT_NAME_KEY: str(name), PREDICTED_CONFIDENCE_KEY: float(score)}
                for name, score in ranked[: int(self._config["ranking_length"])]
            ]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
