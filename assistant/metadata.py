"""What a web page may say about a message (its school, its language), checked: anything else is "not given".

The schools are the database's: the institutions of `institutions.yml` that no other institution belongs to
(`upc-medicine`, `lille-medicine`), read from the knowledge files the database is built from, so that the
channels check them without a query and with the database down. The widget, the channels, the ratings, the
reports and the question sets all use these ids.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from assistant.config import get_settings

LANGUAGES = ("en", "fr")
# Ids the widget sent before the schools had one id everywhere (2026-12-06): read in stored conversations only.
FORMER_SCHOOL_IDS = {"paris-cite": "upc-medicine", "lille": "lille-medicine"}

_cache: dict[Path, tuple[float, frozenset[str]]] = {}


def known_schools(knowledge_dir: Path | None = None) -> frozenset[str]:
    """The database's school ids, re-read when `institutions.yml` changes; none when it cannot be read."""
    path = (knowledge_dir or get_settings().knowledge_dir) / "institutions.yml"
    try:
        modified = path.stat().st_mtime
    except OSError:
        return frozenset()
    cached = _cache.get(path)
    if cached is not None and cached[0] == modified:
        return cached[1]
    try:
        entries = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or []
    except (OSError, ValueError):
        return frozenset()
    institutions = [entry for entry in entries if isinstance(entry, dict) and isinstance(entry.get("id"), str)]
    parents = {entry.get("parent") for entry in institutions}
    schools = frozenset(entry["id"] for entry in institutions if entry["id"] not in parents)
    _cache[path] = (modified, schools)
    return schools


def school_id(value: Any) -> str | None:
    """A known school id, or None."""
    return value if isinstance(value, str) and value in known_schools() else None


def language_code(value: Any) -> str | None:
    """ "en" or "fr", or None."""
    return value if isinstance(value, str) and value in LANGUAGES else None


def page_metadata(raw: Any) -> dict[str, str]:
    """The metadata kept with a message: a known school and language, each only when given; nothing else."""
    metadata = raw if isinstance(raw, dict) else {}
    kept = {"school": school_id(metadata.get("school")), "language": language_code(metadata.get("language"))}
    return {key: value for key, value in kept.items() if value is not None}


def stored_school(value: Any) -> str | None:
    """The school of a stored message or rating, former ids read as today's; None for anything unknown."""
    if isinstance(value, str) and value in FORMER_SCHOOL_IDS:
        return FORMER_SCHOOL_IDS[value]
    return school_id(value)
