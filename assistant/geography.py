"""Names of the continents, the one piece of geography the countries file refers to by id."""
from __future__ import annotations

CONTINENT_NAMES: dict[str, tuple[str, ...]] = {
    "europe": ("Europe", "European", "européen", "européenne", "EU", "UE"),
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
}

CONTINENT_LABELS: dict[str, tuple[str, str]] = {
    continent: (names[0], names[1]) for continent, names in CONTINENT_NAMES.items()
}
