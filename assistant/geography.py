"""Names of the continents, the one piece of geography the countries file refers to by id."""

from __future__ import annotations

import re

from assistant.text import normalise

CONTINENT_NAMES: dict[str, tuple[str, ...]] = {
    # Not "EU": read without its capitals it is the French "eu" ("il y a eu plus d'entrants ?").
    "europe": ("Europe", "European", "européen", "européenne", "UE"),
    "africa": ("Africa", "Afrique", "African", "africain"),
    "asia": ("Asia", "Asie", "Asian", "asiatique"),
    "north-america": ("North America", "Amérique du Nord", "Northern America"),
    "south-america": (
        "South America",
        "Amérique du Sud",
        "Latin America",
        "Amérique latine",
        "Latam",
    ),
    "oceania": ("Oceania", "Océanie", "Australasia"),
    "antarctica": ("Antarctica", "Antarctique"),
    # The documents' shares count "America" as one; a partner is in one of its parts.
    "america": ("America", "Amérique", "the Americas", "Americas", "les Amériques", "Amériques"),
}
# A continent named as a whole that the countries file splits in parts.
CONTINENT_PARTS: dict[str, tuple[str, ...]] = {"america": ("north-america", "south-america")}

CONTINENT_LABELS: dict[str, tuple[str, str]] = {
    "europe": ("Europe", "Europe"),
    "africa": ("Africa", "Afrique"),
    "asia": ("Asia", "Asie"),
    "north-america": ("North America", "Amérique du Nord"),
    "south-america": ("South America", "Amérique du Sud"),
    "oceania": ("Oceania", "Océanie"),
    "antarctica": ("Antarctica", "Antarctique"),
}
# Continents the documents' shares name as a whole.
SHARE_CONTINENT_LABELS: dict[str, tuple[str, str]] = {"america": ("America", "Amérique")}

# Everyday names of the UN regions that the countries file uses (`region_en`).
REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "Western Asia": ("Middle East", "Near East", "Moyen-Orient", "Proche-Orient"),
    "Northern Africa": ("North Africa", "Afrique du Nord", "Maghreb"),
}

# "outside Europe", "hors de l'Europe", "non-European": the words that turn a continent into all the others.
EXCLUDING_WORDS = (
    r"(?:outside(?: of)?|out of|beyond|except|excluding|apart from|other than|non|not in|hors(?: de| d)?(?: l)?|"
    r"en dehors de(?: l)?|ailleurs qu en|sauf(?: en)?|extra)"
)


EXCLUDED_CONTINENT = {
    continent: re.compile(
        rf"\b{EXCLUDING_WORDS} (?:{'|'.join(re.escape(normalise(spelling)) for spelling in spellings)})\b"
    )
    for continent, spellings in CONTINENT_NAMES.items()
}


def excluded_continents(normalised_text: str) -> set[str]:
    """Continents the (normalised) question rules out: {"europe"} for "partners outside Europe?"."""
    excluded = {continent for continent, pattern in EXCLUDED_CONTINENT.items() if pattern.search(normalised_text)}
    return excluded | {part for continent in excluded for part in CONTINENT_PARTS.get(continent, ())}
