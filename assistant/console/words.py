"""The console's own words in English and French (words.yml), and the language each page is shown in."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import request, session
from ruamel.yaml import YAML

WORDS_FILE = Path(__file__).resolve().parent / "words.yml"
LANGUAGES = ("en", "fr")


@lru_cache(maxsize=1)
def _words() -> dict[str, dict[str, str]]:
    return YAML(typ="safe").load(WORDS_FILE.read_text(encoding="utf-8"))


def current_language() -> str:
    """The language chosen in this session, else the browser's preference between English and French."""
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def word(key: str, **values: object) -> str:
    """The console's text for `key` in the current language, with `{name}` parts filled in."""
    entry = _words()[key]
    return entry[current_language()].format(**values)
