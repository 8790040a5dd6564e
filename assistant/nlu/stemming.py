"""Stemmed words of a text in English and French, as the intent classifier's word features read them."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from sklearn.feature_extraction.text import strip_accents_unicode

WORD = re.compile(r"\w+")
ENGLISH_STEMMER = snowballstemmer.stemmer("english")
FRENCH_STEMMER = snowballstemmer.stemmer("french")


@lru_cache(maxsize=65536)
def word_stem(word: str) -> str:
    """The English then French Snowball stem of a lower-case word ("candidatures" and "candidater" share one)."""
    return str(FRENCH_STEMMER.stemWord(ENGLISH_STEMMER.stemWord(word)))


def stemmed_words(text: str) -> str:
    """The text's words, accents removed and stemmed; placeholders kept whole."""
    words = WORD.findall(strip_accents_unicode(text.lower()))
    return " ".join(word if word.startswith("__") else word_stem(word) for word in words)
