"""Rasa graph components of the assistant's NLU pipeline."""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    METADATA,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sqlalchemy.exc import SQLAlchemyError

from assistant.nlu.gazetteer import EntityFinder, FoundEntity
from assistant.nlu.language import said_language
from assistant.queries.names import OTHER_KINDS, NameCache
from assistant.text import without_spans

logger = logging.getLogger(__name__)

LANGUAGE_ENTITY = "language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class GazetteerEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Finds partners, countries, cities, regions, programmes, schools and years of study.

    The names come from the knowledge database at run time, so a partner staff
    import is recognised at once, without retraining.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"check_interval_seconds": 2.0}

    def __init__(self, config: dict[str, Any]) -> None:
        self._names = NameCache(check_interval=float(config["check_interval_seconds"]))
        self._finder: EntityFinder | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GazetteerEntityExtractor:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = self._entities(message.get(TEXT) or "")
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(entities), add_to_output=True)
        return messages

    def _entities(self, text: str) -> list[dict[str, Any]]:
        if not text.strip():
            return []
        try:
            index = self._names.get()
            if self._finder is None:
                self._finder = EntityFinder()
            found = self._finder.find(text, index)
        except SQLAlchemyError:
            logger.exception("Knowledge database unavailable: no gazetteer entities for this message.")
            return []
        except Exception:
            logger.exception("Gazetteer failed: no gazetteer entities for this message.")
            return []
        return [entity_record(item) for item in found]


def entity_record(found: FoundEntity) -> dict[str, Any]:
    """A found name as a Rasa entity; `other_kinds` only when the words also name something else."""
    entity: dict[str, Any] = {
        ENTITY_ATTRIBUTE_TYPE: found.entity,
        ENTITY_ATTRIBUTE_VALUE: found.value,
        ENTITY_ATTRIBUTE_START: found.start,
        ENTITY_ATTRIBUTE_END: found.end,
        ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
        "text": found.text,
    }
    if found.other_kinds:
        entity[OTHER_KINDS] = list(found.other_kinds)
    return entity


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class LanguageDetector(GraphComponent, EntityExtractorMixin):
    """Adds a `language` entity (en or fr) when the message clearly shows its language.

    Names found by the gazetteer are left out: "Université Paris Cité" says
    nothing about the language a student writes in. It therefore comes after
    the gazetteer in the pipeline.

    A `language` slot filled from it makes every response follow the student's
    language, including a switch in mid-conversation.
    """

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            metadata = message.get(METADATA) or {}
            page_language = metadata.get("language") if isinstance(metadata, dict) else None
            # Names ("Karolinska", "Amérique du Sud") can mislead the detector, so they are left out first. A
            # message that does not then clearly show its language ("ok", "and Paris Cité?") sets none on a page
            # that has one: the conversation keeps its own, which the session start took from the page
            # (actions/session.py). Without a page, the whole text decides.
            without_names = _without_names(text, message.get(ENTITIES) or [])
            language = said_language(without_names, page_language) or (None if page_language else said_language(text))
            if language is None:
                continue
            entity = {
                ENTITY_ATTRIBUTE_TYPE: LANGUAGE_ENTITY,
                ENTITY_ATTRIBUTE_VALUE: language,
                ENTITY_ATTRIBUTE_START: 0,
                ENTITY_ATTRIBUTE_END: len(text),
                ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
            }
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name([entity]), add_to_output=True)
        return messages


def _without_names(text: str, entities: list[dict[str, Any]]) -> str:
    spans = [
        (entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END])
        for entity in entities
        if isinstance(entity.get(ENTITY_ATTRIBUTE_START), int) and isinstance(entity.get(ENTITY_ATTRIBUTE_END), int)
    ]
    return without_spans(text, spans)
