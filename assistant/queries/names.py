"""Every name students may use for a known thing, read from the database.

One index serves the spaCy gazetteer (exact, case- and accent-insensitive
matching in messages) and the query layer's typo-tolerant look-ups. It is
rebuilt by itself when an import bumps the knowledge revision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from assistant.db import models
from assistant.geography import CONTINENT_NAMES, REGION_ALIASES
from assistant.queries.cache import RevisionCache
from assistant.text import normalise

PARTNER = "partner"
COUNTRY = "country"
CITY = "city"
REGION = "region"
PROGRAMME = "programme"
INSTITUTION = "institution"
STUDY_YEAR = "study_year"
PERSON = "person"
# Entity key listing the other kinds the same words name ("Lille": the school, and the city).
OTHER_KINDS = "other_kinds"

KIND_PREFIX = "kind:"
# The first regional indicator letter: two of them write a country's flag ("🇵🇹" is P and T).
REGIONAL_INDICATOR_A = 0x1F1E6
CONTINENT_PREFIX = "continent:"
MIN_FUZZY_LENGTH = 4
PERSON_TITLE = re.compile(r"^(?:(?:Prof|Pr|Dr|Mr|Mrs|Ms|M|Mme)\.?\s+)+")
# A family name alone names a person when it has at least this many letters ("Gosset"; not "Li").
MIN_FAMILY_NAME_LETTERS = 5
GENERIC_WORDS = frozenset(
    [
        "university",
        "universite",
        "universidad",
        "universita",
        "universitat",
        "universiteit",
        "universidade",
        "universitatea",
        "univerzita",
        "univerza",
        "uniwersytet",
        "egyetem",
        "college",
        "school",
        "faculty",
        "faculte",
        "medical",
        "medicine",
        "medecine",
        "institute",
        "institut",
        "instituto",
        "institutet",
        "center",
        "centre",
        "centro",
        "degli",
        "studi",
        "della",
        "national",
        "nacional",
        "hospital",
        "sciences",
        "health",
    ]
)


@dataclass(frozen=True)
class Name:
    """One spelling of a known thing: `value` is its canonical id."""

    entity: str
    value: str
    spelling: str


@dataclass(frozen=True)
class Match:
    """A look-up result with its similarity score (100 is exact)."""

    entity: str
    value: str
    spelling: str
    score: float


@dataclass
class NameIndex:
    """The names of one knowledge revision, grouped for look-ups."""

    revision: int
    names: list[Name]
    _by_entity: dict[str, dict[str, list[Name]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for name in self.names:
            key = normalise(name.spelling)
            if key:
                self._by_entity.setdefault(name.entity, {}).setdefault(key, []).append(name)

    def lookup(self, entity: str, text: str, limit: int = 5, cutoff: float = 86) -> list[Match]:
        """Things of one entity type named by `text`: exact first, then close spellings."""
        spellings = self._by_entity.get(entity, {})
        key = normalise(text)
        if not key:
            return []
        if key in spellings:
            return _unique(Match(n.entity, n.value, n.spelling, 100.0) for n in spellings[key])[:limit]
        if len(key) < MIN_FUZZY_LENGTH:
            return []
        candidates = process.extract(key, list(spellings), scorer=_similarity, score_cutoff=cutoff, limit=limit * 3)
        matches = (
            Match(n.entity, n.value, n.spelling, score)
            for spelling, score, _ in sorted(candidates, key=lambda item: -item[1])
            for n in spellings[spelling]
        )
        return _unique(matches)[:limit]


def _similarity(query: str, choice: str, **_: object) -> float:
    """Whole-name typos ("Karolinksa Institutet") or the distinctive words of a name ("Montreal")."""
    scores = [fuzz.ratio(query, choice)]
    query_words = _distinctive(query)
    choice_words = _distinctive(choice)
    if query_words and choice_words:
        scores.append(fuzz.token_set_ratio(" ".join(query_words), " ".join(choice_words)) - 5)
        if len(query_words) == 1:
            scores.append(max(fuzz.ratio(query_words[0], word) for word in choice_words) - 3)
    return max(scores)


def _distinctive(text: str) -> list[str]:
    return [word for word in text.split() if len(word) >= MIN_FUZZY_LENGTH and word not in GENERIC_WORDS]


def _unique(matches: Iterable[Match]) -> list[Match]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for match in matches:
        if (match.entity, match.value) not in seen:
            seen.add((match.entity, match.value))
            unique.append(match)
    return unique


def flag_emoji(country_id: str) -> tuple[str, ...]:
    """The flag emoji of a country, from its two-letter ISO code ("pt" is 🇵🇹, written as two regional indicator
    letters); none for another id."""
    if len(country_id) != 2 or not country_id.isascii() or not country_id.isalpha():
        return ()
    return ("".join(chr(REGIONAL_INDICATOR_A + ord(letter) - ord("a")) for letter in country_id.lower()),)


def load_names(session: Session) -> list[Name]:
    """All names of partners, countries, cities, regions, programmes, schools, contact persons and years of study."""
    names: list[Name] = []
    for partner in session.execute(select(models.Partner)).scalars():
        names += [Name(PARTNER, partner.id, spelling) for spelling in (partner.name, partner.name_en, *partner.aliases)]
        if partner.city:
            names.append(Name(CITY, partner.city, partner.city))
    for country in session.execute(select(models.Country)).scalars():
        names += [
            Name(COUNTRY, country.id, spelling)
            for spelling in (country.name_en, country.name_fr, *country.aliases, *flag_emoji(country.id))
        ]
        for region in {country.region_en, country.region_fr, *REGION_ALIASES.get(country.region_en or "", ())} - {None}:
            names.append(Name(REGION, country.region_en or region, region))
    for continent, spellings in CONTINENT_NAMES.items():
        names += [Name(REGION, CONTINENT_PREFIX + continent, spelling) for spelling in spellings]
    for programme in session.execute(select(models.Programme)).scalars():
        names += [
            Name(PROGRAMME, programme.id, spelling)
            for spelling in (
                programme.name_en,
                programme.name_fr,
                *(name for name in (programme.short_name_en, programme.short_name_fr) if name),
                *programme.aliases,
            )
        ]
    for kind in session.execute(select(models.ProgrammeKind)).scalars():
        names += [
            Name(PROGRAMME, KIND_PREFIX + kind.id, spelling) for spelling in (kind.name_en, kind.name_fr, *kind.aliases)
        ]
    for institution in session.execute(select(models.Institution)).scalars():
        names += [
            Name(INSTITUTION, institution.id, spelling)
            for spelling in (institution.name_en, institution.name_fr, *institution.short_names)
        ]
        if institution.city:
            names.append(Name(CITY, institution.city, institution.city))
    for contact in session.execute(select(models.Contact).where(models.Contact.person.is_not(None))).scalars():
        names += [Name(PERSON, contact.id, spelling) for spelling in person_spellings(str(contact.person))]
    for study_year in session.execute(select(models.StudyYear)).scalars():
        names += [
            Name(STUDY_YEAR, str(study_year.year), spelling)
            for spelling in (study_year.label_en, study_year.label_fr, *study_year.codes)
        ]
    return names


def person_spellings(person: str) -> list[str]:
    """How a student names a contact person: as written ("Prof. Didier GOSSET"), without the title, and by the
    family name alone when it is long enough to name only that person ("Gosset", "de Lastours", "Lastours")."""
    name = PERSON_TITLE.sub("", person).strip()
    words = name.split()
    family_names = [" ".join(words[start:]) for start in range(1, len(words))]
    return [
        person,
        name,
        *(family for family in family_names if len(family.replace(" ", "")) >= MIN_FAMILY_NAME_LETTERS),
    ]


class NameCache(RevisionCache[NameIndex]):
    """The current `NameIndex`, rebuilt after an import."""

    def __init__(self, engine: Engine | None = None, check_interval: float = 2.0) -> None:
        super().__init__(lambda session, revision: NameIndex(revision, load_names(session)), engine, check_interval)
