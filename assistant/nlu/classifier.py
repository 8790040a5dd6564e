"""The intent classifier as a Rasa component: names replaced by their kind, then the intent model.

The model (assistant/nlu/intent_model.py) is a linear SVM on TF-IDF character
and stemmed word n-grams with one softmax temperature for all intents, and an
out-of-scope threshold chosen on internal folds and stored with it; its
confidences are mapped so that this threshold falls on the FallbackClassifier's
(`fallback_threshold`, the same number as in config.yml). Any number of phrases
per intent trains it (`assistant nlu check` still warns under 25).

History: the SVM with per-intent sigmoid calibration it replaces (2026-11-23)
scored macro F1 0.932 in both languages by cross-validation, against 0.927 for
a logistic regression (C=30); it needed 5 phrases per intent and shipped a fixed
threshold of 0.25. Stemmed word n-grams and a school named by its city alone
read as the city added 0.002 (en) and 0.005 (fr) on the same folds;
per-language models lost 0.012.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.pipeline import Pipeline
from sqlalchemy.exc import SQLAlchemyError

from assistant.nlu.components import entity_record
from assistant.nlu.gazetteer import EntityFinder
from assistant.nlu.intent_model import IntentModel, ProbabilityRanker
from assistant.nlu.stemming import WORD, stemmed_words, word_stem
from assistant.queries.names import CITY, INSTITUTION, OTHER_KINDS, NameCache
from assistant.text import fold, normalise

logger = logging.getLogger(__name__)

MODEL_FILE = "intent_classifier.joblib"
NLU_PACKAGE = Path(__file__).resolve().parent
GREETINGS_FILE = "greetings.json"
# "bonjour, c'est combien la summer school ?" is a question: a greeting opening a longer message is read past
# when what follows is, on its own, clearly a question about the schools. "Salut ! y a quelqu'un ?" and
# "hi, how are you?" stay greetings: what follows them reads as small talk, or not clearly as a question.
GREETING_INTENT = "greet"
MAX_GREETING_WORDS = 3
MIN_WORDS_AFTER_GREETING = 3
MIN_CONFIDENCE_AFTER_GREETING = 0.5
SMALL_TALK_INTENTS = (
    "greet", "goodbye", "thank", "affirm", "deny", "stop", "bot_challenge", "ask_capabilities", "human_handoff",
    "out_of_scope", "inform", "choose_item",
)  # fmt: skip
# "How do I apply for an exchange? I'm at a uni in Spain": a message of several sentences is ranked by the one
# that is, on its own, clearly a question about the schools, when the whole message is less clear.
# Unlike the documents' sentences (assistant.text.SENTENCE_BREAK), a student's next one may start in lower case.
SENTENCE_END = re.compile(r"(?<=[?!.])\s+(?=\S)")
MIN_CONFIDENCE_OF_A_SENTENCE = 0.4
UNMARKED_ENTITIES = ("language",)
__all__ = ["PlaceholderIntentClassifier", "placeholder_text", "stemmed_words", "word_stem"]


def placeholder_text(text: str, entities: list[dict[str, Any]]) -> str:
    """The text with each name replaced by its kind (`__country__`), as the classifier reads it."""
    spans = sorted(
        (
            (entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END], placeholder_kind(entity))
            for entity in entities
            if entity.get(ENTITY_ATTRIBUTE_TYPE) not in UNMARKED_ENTITIES
            and isinstance(entity.get(ENTITY_ATTRIBUTE_START), int)
            and isinstance(entity.get(ENTITY_ATTRIBUTE_END), int)
        ),
        reverse=True,
    )
    last_start = len(text) + 1
    for start, end, kind in spans:
        if end <= last_start:
            text = f"{text[:start]} __{kind}__ {text[end:]}"
            last_start = start
    return text


def placeholder_kind(entity: dict[str, Any]) -> str:
    """The kind a name stands for in the classifier's text.

    A school named by its city alone ("how expensive is Lille?", "Lille est
    connue pour quoi ?") reads as the city: the words around it, not the name,
    tell whether the student asks about the school or the town. The entity the
    answer uses is still the school.
    """
    kind = entity.get(ENTITY_ATTRIBUTE_TYPE)
    if kind == INSTITUTION and CITY in (entity.get(OTHER_KINDS) or ()):
        return CITY
    return str(kind)


class GreetingOpeners:
    """The short greetings among the training phrases ("hi", "good morning", "bonjour"), to read past them."""

    def __init__(self, openers: list[str]) -> None:
        self.openers = openers
        alternatives = "|".join(r"\W+".join(re.escape(word) for word in opener.split()) for opener in openers)
        self._pattern = re.compile(rf"^\W*(?:{alternatives})\b\W*") if openers else None

    @classmethod
    def from_examples(cls, examples: list[Message]) -> GreetingOpeners:
        phrases = {normalise(message.get(TEXT) or "") for message in examples if message.get(INTENT) == GREETING_INTENT}
        short = {phrase for phrase in phrases if phrase and len(phrase.split()) <= MAX_GREETING_WORDS}
        return cls(sorted(short, key=lambda opener: (-len(opener), opener)))

    def question_after(self, text: str) -> str | None:
        """The message after the greeting it opens with, if several words follow it."""
        match = self._pattern.match(fold(text)) if self._pattern else None
        if match is None:
            return None
        rest = text[match.end() :]
        return rest if len(WORD.findall(rest)) >= MIN_WORDS_AFTER_GREETING else None


def gazetteer_entities() -> Callable[[str], list[dict[str, Any]]]:
    """Finds names as the pipeline's gazetteer does; finds none (with a warning) if the database is unavailable."""
    try:
        index = NameCache().get()
    except SQLAlchemyError:
        logger.warning("Knowledge database unavailable: training without name placeholders.")
        return lambda text: []
    finder = EntityFinder()

    def find(text: str) -> list[dict[str, Any]]:
        return [entity_record(found) for found in finder.find(text, index)]

    return find


class IntentRanker(Protocol):
    """A trained intent model: every intent with its confidence for each text, best first."""

    def rank(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]: ...


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class PlaceholderIntentClassifier(GraphComponent, IntentClassifier):
    """The intent model on the text with names replaced by placeholders; reads past an opening greeting."""

    model_file = MODEL_FILE

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"regularisation": 2.0, "random_seed": 42, "ranking_length": 10, "fallback_threshold": 0.25}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: IntentRanker | None = None,
        greetings: GreetingOpeners | None = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model
        self._greetings = greetings or GreetingOpeners([])

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """A hash of the NLU package's code. Rasa's training cache fingerprints only this class's own source: without
        it, a change to the intent model (or stemming, or the gazetteer) reused the classifier older code trained."""
        digest = hashlib.sha256()
        for path in sorted(NLU_PACKAGE.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PlaceholderIntentClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Learns from the training examples, their names found by the same gazetteer as at prediction time.

        The examples' own entity annotations are not used: they mark names the
        database does not know ("Harvard"), which live messages would not mark.
        Rasa also passes one message without text per intent of the domain;
        those are not phrases and are left out. One phrase of an intent is enough.
        """
        examples = [
            message
            for message in training_data.intent_examples
            if message.get(INTENT) and (message.get(TEXT) or "").strip()
        ]
        model = self.train_model(self.training_texts(examples), [str(message.get(INTENT)) for message in examples])
        self._model = model
        self._greetings = GreetingOpeners.from_examples(examples)
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(model, directory / self.model_file)
            (directory / GREETINGS_FILE).write_text(
                json.dumps(self._greetings.openers, ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    def train_model(self, texts: list[str], intents: list[str]) -> IntentRanker:
        return IntentModel.train(
            texts,
            intents,
            regularisation=float(self._config["regularisation"]),
            seed=int(self._config["random_seed"]),
            fallback_threshold=float(self._config["fallback_threshold"]),
        )

    def training_texts(self, examples: list[Message]) -> list[str]:
        names = gazetteer_entities()
        return [placeholder_text(message.get(TEXT) or "", names(message.get(TEXT) or "")) for message in examples]

    def text_to_classify(self, message: Message) -> str:
        return placeholder_text(message.get(TEXT) or "", message.get(ENTITIES) or [])

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> PlaceholderIntentClassifier:
        with model_storage.read_from(resource) as directory:
            model = joblib.load(directory / cls.model_file)
            if isinstance(model, Pipeline):  # a model trained before 2026-12-06: its probabilities, threshold fixed
                model = ProbabilityRanker(model)
            greetings = json.loads((directory / GREETINGS_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, model, GreetingOpeners(greetings))

    def _ranking(self, text: str) -> list[dict[str, Any]]:
        assert self._model is not None, "only a trained or loaded classifier ranks intents"
        ranked = self._model.rank([text])[0]
        return [
            {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: score}
            for name, score in ranked[: int(self._config["ranking_length"])]
        ]

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if self._model is None:
                continue
            if not (message.get(TEXT) or "").strip():
                # No intent, as Rasa's own classifiers give an empty message: the fallback then says it did not
                # understand (without an intent, Rasa's FallbackClassifier fails and the student got the apology).
                message.set(INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
                continue
            text = self.text_to_classify(message)
            ranking = self._ranking(text)
            question = self._greetings.question_after(text)
            if question is not None:
                ranking_of_question = self._ranking(question)
                if _clear_question(ranking_of_question, MIN_CONFIDENCE_AFTER_GREETING):
                    ranking = ranking_of_question
            ranking = self._clearest_sentence(text, ranking)
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def _clearest_sentence(self, text: str, ranking: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The ranking of the message, or of its clearest sentence when the message has several, the whole is not
        clearly a question about the schools, and that sentence alone is."""
        sentences = SENTENCE_END.split(text.strip())
        if len(sentences) < 2 or _clear_question(ranking, MIN_CONFIDENCE_OF_A_SENTENCE):
            return ranking
        best = ranking
        for sentence in sentences:
            candidate = self._ranking(sentence)
            if _clear_question(candidate, MIN_CONFIDENCE_OF_A_SENTENCE) and (
                candidate[0][PREDICTED_CONFIDENCE_KEY] > best[0][PREDICTED_CONFIDENCE_KEY]
            ):
                best = candidate
        return best


def _clear_question(ranking: list[dict[str, Any]], threshold: float) -> bool:
    """Whether a ranking's best intent is a question about the schools, not small talk, at `threshold` or more."""
    best = ranking[0]
    return best[INTENT_NAME_KEY] not in SMALL_TALK_INTENTS and best[PREDICTED_CONFIDENCE_KEY] >= threshold
