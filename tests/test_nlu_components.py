"""The NLU components of the pipeline, on their own."""
from __future__ import annotations

import pytest

from assistant.nlu.classifier import placeholder_text
from assistant.nlu.gazetteer import EntityFinder
from assistant.nlu.language import detect_language
from assistant.queries.names import NameCache


@pytest.fixture(scope="module")
def finder_and_names(loaded_engine):
    return EntityFinder(), NameCache(loaded_engine).get()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Which partner universities do you have in Spain?", [("country", "es", "Spain")]),
        ("des partenaires en ESPAGNE ?", [("country", "es", "ESPAGNE")]),
        ("stage au Japon", [("programme", "kind:clinical-clerkship", "stage"), ("country", "jp", "Japon")]),
        ("is karolinska a partner", [("partner", "upc-karolinska-institutet", "karolinska")]),
        ("a semester at Cadiz", [("partner", "upc-universidad-de-cadiz", "Cadiz")]),
        ("I'm in DFASM1", [("study_year", "4", "DFASM1")]),
        ("partners in Latin America", [("region", "continent:south-america", "Latin America")]),
    ],
)
def test_gazetteer_finds_names_whatever_their_case_or_accents(finder_and_names, text: str, expected: list) -> None:
    finder, names = finder_and_names
    assert [(found.entity, found.value, found.text) for found in finder.find(text, names)] == expected


def test_the_longest_name_wins(finder_and_names) -> None:
    finder, names = finder_and_names
    found = finder.find("is the Université de Montréal a partner?", names)
    assert [(f.entity, f.text) for f in found] == [("partner", "Université de Montréal")]


@pytest.mark.parametrize(
    ("text", "page", "expected"),
    [
        ("Which partner universities do you have in Spain?", None, "en"),
        ("Quelles universités partenaires en Espagne ?", None, "fr"),
        ("ok", "fr", "fr"),
        ("how much does the summer school cost?", "fr", "en"),
        ("merci", None, None),
        ("", "en", "en"),
    ],
)
def test_language_of_the_message_else_of_the_page(text: str, page: str | None, expected: str | None) -> None:
    assert detect_language(text, page) == expected



def test_names_become_their_kind_for_the_classifier() -> None:
    text = "is Karolinska Institutet a partner in Sweden?"
    entities = [
        {"entity": "language", "value": "en", "start": 0, "end": len(text)},
        {"entity": "partner", "value": "x", "start": 3, "end": 24},
        {"entity": "country", "value": "se", "start": 38, "end": 44},
    ]
    assert placeholder_text(text, entities).split() == ["is", "__partner__", "a", "partner", "in", "__country__", "?"]
