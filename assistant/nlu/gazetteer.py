"""A spaCy gazetteer of the database's names: partners, countries, cities, regions, programmes, schools.

Matching is case-, accent-, apostrophe- and hyphen-insensitive ("l'Espagne",
"CADIZ", "Saint Joseph") and each match carries the canonical id of what it
names, so every spelling of a partner maps to the same partner.
"""

# No `from __future__ import annotations` here: spaCy validates factory signatures at run time.
import re
from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from assistant.queries.names import (
    CITY,
    COUNTRY,
    INSTITUTION,
    PARTNER,
    PERSON,
    PROGRAMME,
    REGION,
    STUDY_YEAR,
    NameIndex,
)
from assistant.text import fold

# When one stretch of text names two things ("Lille" the school and the city), the first kind wins.
ENTITY_PRIORITY = (INSTITUTION, PARTNER, PERSON, PROGRAMME, COUNTRY, REGION, CITY, STUDY_YEAR)
SEPARATORS = re.compile(r"[\u2018\u2019\u02bc'`´\-\u2010\u2011\u2013]")
FACTORY_NAME = "assistant_gazetteer"
ALL_NAMES = "names"  # span group of every match, overlapping ones included
# An acronym of at most this many letters ("US", "UK") names something only written in capitals: "tell us" is not
# the United States.
ACRONYM_LETTERS = 3
ACRONYM = "acronym"
ORIGINAL_TEXT = "original_text"  # the message as written, kept in `doc.user_data` for the acronyms' case


@dataclass(frozen=True)
class FoundEntity:
    """A name found in a message: its kind, canonical id and where it stands."""

    entity: str
    value: str
    start: int
    end: int
    text: str
    # The other kinds the same words name: "Lille" is the school and also the city.
    other_kinds: tuple[str, ...] = ()


def matching_text(text: str) -> str:
    """The form both messages and names are matched in; same length as `text`."""
    return SEPARATORS.sub(" ", fold(text))


class Gazetteer:
    """spaCy pipeline component adding the names of a `NameIndex` to `doc.ents`."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.nlp = nlp
        self.name = name
        self.revision: int | None = None
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")

    def use_names(self, index: NameIndex) -> None:
        """Replace the patterns by the names of `index`."""
        matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        patterns: dict[str, list[Doc]] = {}
        seen: set[tuple[str, str, str]] = set()
        for name in index.names:
            key = matching_text(name.spelling).strip()
            if key and (name.entity, name.value, key) not in seen:
                seen.add((name.entity, name.value, key))
                acronym = name.spelling.isupper() and len(name.spelling) <= ACRONYM_LETTERS
                match_id = f"{name.entity}\t{name.value}" + (f"\t{ACRONYM}" if acronym else "")
                patterns.setdefault(match_id, []).append(self.nlp.make_doc(key))
        for match_id, docs in patterns.items():
            matcher.add(match_id, docs)
        self.matcher = matcher
        self.revision = index.revision

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        original = doc.user_data.get(ORIGINAL_TEXT)
        for match_id, start, end in self.matcher(doc):
            entity, value, *acronym = self.nlp.vocab.strings[match_id].split("\t")
            span = Span(doc, start, end, label=entity, kb_id=value)
            if (
                acronym
                and isinstance(original, str)
                and not _written_as_acronym(original, span.start_char, span.end_char)
            ):
                continue
            spans.append(span)
        priority = {entity: rank for rank, entity in enumerate(ENTITY_PRIORITY)}
        spans.sort(key=lambda span: priority.get(span.label_, len(priority)))
        doc.spans[ALL_NAMES] = spans
        doc.set_ents(filter_spans(spans))  # what `doc.ents = ...` does, in the form spaCy's stubs type
        return doc


def _written_as_acronym(text: str, start: int, end: int) -> bool:
    """Whether an acronym's letters are written in capitals, or after "the" ("in the us")."""
    return text[start:end].isupper() or text[:start].rstrip().casefold().endswith("the")


@Language.factory(FACTORY_NAME)
def create_gazetteer(nlp: Language, name: str) -> Gazetteer:
    return Gazetteer(nlp, name)


class EntityFinder:
    """Finds database names in messages, keeping its patterns in step with the database."""

    def __init__(self) -> None:
        self.nlp = spacy.blank("xx")
        gazetteer = self.nlp.add_pipe(FACTORY_NAME)
        assert isinstance(gazetteer, Gazetteer)  # what `create_gazetteer` makes; spaCy types it as any Pipe
        self.gazetteer = gazetteer

    def find(self, text: str, index: NameIndex) -> list[FoundEntity]:
        """Every name of `index` in `text`, longest match first where two overlap."""
        if self.gazetteer.revision != index.revision:
            self.gazetteer.use_names(index)
        doc = self.nlp.make_doc(matching_text(text))
        doc.user_data[ORIGINAL_TEXT] = text
        doc = self.nlp(doc)
        kinds_by_place: dict[tuple[int, int], list[str]] = {}
        for span in doc.spans[ALL_NAMES]:
            kinds = kinds_by_place.setdefault((span.start, span.end), [])
            if span.label_ not in kinds:
                kinds.append(span.label_)
        return [
            FoundEntity(
                span.label_,
                span.kb_id_,
                span.start_char,
                span.end_char,
                text[span.start_char : span.end_char],
                tuple(kind for kind in kinds_by_place[(span.start, span.end)] if kind != span.label_),
            )
            for span in sorted(doc.ents, key=lambda span: span.start_char)
        ]
