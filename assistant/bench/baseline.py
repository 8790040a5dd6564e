"""The TF-IDF + logistic-regression baselines (scikit-learn), on the raw text.

- `TfidfIntentClassifier`, the bench's baseline (c): word unigrams and bigrams
  (scikit-learn's TfidfVectorizer), LogisticRegression with scikit-learn's
  defaults (C=1, lbfgs). Unlike ours it reads names as they are written (no
  placeholders), has no character n-grams and no class balancing.
- `TfidfCharIntentClassifier`, the stronger one quoted for HINT3
  (data/external/hint3/README.md): word 1-2 and character 2-4 grams (within
  words), C=10. Its lbfgs training takes minutes on our 9,663 phrases, so it
  is measured on the HINT3 bots only.

Both confidences are the regression's probabilities, and both keep the
FallbackClassifier's fixed threshold. lbfgs is deterministic, so the seed
changes nothing.
"""

from __future__ import annotations

from typing import Any

import numpy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

from assistant.nlu.classifier import IntentRanker, PlaceholderIntentClassifier
from assistant.nlu.intent_model import ProbabilityRanker


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

    def train_model(self, texts: list[str], intents: list[str]) -> IntentRanker:
        return ProbabilityRanker(self.new_pipeline().fit(texts, numpy.array(intents)))

    def training_texts(self, examples: list[Message]) -> list[str]:
        return [message.get(TEXT) or "" for message in examples]

    def text_to_classify(self, message: Message) -> str:
        return message.get(TEXT) or ""


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class TfidfCharIntentClassifier(TfidfIntentClassifier):
    """TF-IDF word and character n-grams and logistic regression (C=10), trained on the raw training phrases."""

    model_file = "tfidf_char_intent_classifier.joblib"

    def new_pipeline(self) -> Pipeline:
        return make_pipeline(
            make_union(TfidfVectorizer(ngram_range=(1, 2)), TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))),
            LogisticRegression(C=10, max_iter=2000, random_state=int(self._config["random_seed"])),
        )
