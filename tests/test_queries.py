"""The query layer: tolerant look-ups, and user text that looks like SQL."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from assistant.db import models
from assistant.db.session import session_scope
from assistant.queries.names import COUNTRY, INSTITUTION, PROGRAMME, NameCache, NameIndex
from assistant.queries.partners import find_partners, search_partners
from assistant.queries.snapshot import Snapshot, SnapshotCache


@pytest.fixture(scope="module")
def names(loaded_engine) -> NameIndex:
    return NameCache(loaded_engine).get()


@pytest.fixture(scope="module")
def snapshot(loaded_engine) -> Snapshot:
    return SnapshotCache(loaded_engine).get()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Cadiz", "Universidad de Cádiz"),
        ("Karolinska", "Karolinska Institutet"),
        ("karolinksa institutet", "Karolinska Institutet"),
        ("Montreal", "Université de Montréal"),
        ("UNIVERSITE DE MONTREAL", "Université de Montréal"),
        ("Charité", "Freie Universität Berlin (La Charité)"),
        ("charite", "Freie Universität Berlin (La Charité)"),
        ("Sapienza", "Sapienza Università di Roma"),
        ("NUS", "National University of Singapore"),
        ("Semelweis", "Semmelweis Egyetem"),
        ("Universite Saint Joseph", "Université Saint-Joseph de Beyrouth"),
    ],
)
def test_partner_found_whatever_the_case_accents_or_typos(snapshot: Snapshot, names: NameIndex, typed: str, expected: str) -> None:
    found = search_partners(snapshot, names, typed)
    assert found, f"nothing found for {typed!r}"
    assert found[0].name == expected


@pytest.mark.parametrize(("typed", "expected"), [("Espagne", "es"), ("spain", "es"), ("Etats-Unis", "us"), ("USA", "us"), ("Japon", "jp")])
def test_countries_in_english_and_french(names: NameIndex, typed: str, expected: str) -> None:
    assert names.lookup(COUNTRY, typed)[0].value == expected


def test_schools_by_the_names_students_use(names: NameIndex) -> None:
    assert names.lookup(INSTITUTION, "Lille")[0].value == "lille-medicine"
    assert names.lookup(INSTITUTION, "paris-cite")[0].value == "upc"


def test_generic_words_do_not_match_every_university(names: NameIndex) -> None:
    assert names.lookup("partner", "university") == []
    assert names.lookup(PROGRAMME, "summer school")[0].value == "kind:summer-school"


@pytest.mark.parametrize(
    "hostile",
    ["' OR '1'='1", "es'; DROP TABLE partners; --", 'x" UNION SELECT name FROM sqlite_master --', "%", "_"],
)
def test_sql_looking_text_is_only_ever_a_value(loaded_engine, snapshot: Snapshot, names: NameIndex, hostile: str) -> None:
    with session_scope(loaded_engine) as session:
        before = session.execute(select(func.count()).select_from(models.Partner)).scalar_one()
    assert find_partners(snapshot, country=hostile) == []
    assert find_partners(snapshot, city=hostile) == []
    assert find_partners(snapshot, programme=hostile) == []
    assert search_partners(snapshot, names, hostile) == []
    with session_scope(loaded_engine) as session:
        assert session.execute(select(func.count()).select_from(models.Partner)).scalar_one() == before


def test_partners_of_lille_include_the_university_of_lille_partners(snapshot: Snapshot) -> None:
    lille = {partner.name for partner in find_partners(snapshot, school="lille-medicine")}
    paris = {partner.name for partner in find_partners(snapshot, school="upc-medicine")}
    assert "University of Kent" in lille
    assert "Karolinska Institutet" in paris
    assert "Karolinska Institutet" not in lille, "the two schools' partners never mix"


@pytest.mark.parametrize(
    ("question", "school", "holds"),
    [
        ("on how many sites is the UFR de médecine spread?", "upc-medicine", "6 main sites"),
        ("combien d'associations d'étudiants y a-t-il ?", "lille-medicine", "associations"),
        ("how long does residency last?", "lille-medicine", "3 to 6 years"),
    ],
)
def test_the_kind_of_answer_asked_for_ranks_first(loaded_engine, snapshot: Snapshot, question: str, school: str, holds: str) -> None:
    from assistant.queries.schools import family
    from assistant.queries.search import FACT, GRANT, NETWORK, SERVICE, TextIndexCache

    index = TextIndexCache(loaded_engine).get()
    institutions = family(snapshot, school)
    hits = index.search(question, (FACT, SERVICE, NETWORK, GRANT), institutions)
    assert hits and holds in hits[0].text, [hit.text[:60] for hit in hits]
