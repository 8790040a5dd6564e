"""Text normalisation shared by look-ups and the gazetteer."""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES_AND_PUNCTUATION = re.compile(r"[\u2018\u2019\u02bc'`´\".,;:!?()\[\]{}«»/\\|*_~-]")
SPACES = re.compile(r"\s+")


def fold_char(char: str) -> str:
    """One character, lower-cased and without its accent (length kept: 'É' -> 'e')."""
    folded = unicodedata.normalize("NFD", char)[0].lower()
    return folded if len(folded) == 1 else char


def fold(text: str) -> str:
    """Lower case without accents, same length as `text` so offsets stay valid."""
    return "".join(fold_char(char) for char in text)


def normalise(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, for comparisons."""
    without_punctuation = APOSTROPHES_AND_PUNCTUATION.sub(" ", fold(text))
    return SPACES.sub(" ", without_punctuation).strip()


def without_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each (start, end) stretch replaced by a space, e.g. the names found in a message."""
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return text
