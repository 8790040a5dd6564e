"""Which language, English or French, a student writes in."""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

SUPPORTED = ("en", "fr")
WORD = re.compile(r"[^\W\d_]{2,}")
# Short messages ("ok", "DFASM1") are weak evidence: they must be very clear to switch language.
CONFIDENCE_FOR_SHORT = 0.9
CONFIDENCE_OVER_PAGE = 0.9
CONFIDENCE_ALONE = 0.75
# A message this short that holds a small word of the page's language stays in it: "et en Erasmus Traineeship ?"
# is French, although the detector reads "Traineeship" as English.
SHORT_MESSAGE_WORDS = 5
FUNCTION_WORDS = {
    "en": frozenset(["and", "the", "of", "in", "for", "what", "is", "are", "how", "to", "with", "about"]),
    "fr": frozenset(
        ["et", "le", "la", "les", "de", "du", "des", "en", "pour", "avec", "est", "un", "une", "quel", "quelle"]
    ),
}


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH).build()


def said_language(text: str, page_language: str | None = None) -> str | None:
    """The language `text` itself is clearly written in, or None when it is too short or unclear to tell.

    Clearly means confidently enough to override the page's language when there is one.
    """
    page = page_language if page_language in SUPPORTED else None
    words = WORD.findall(text)
    if not words:
        return None
    if page and len(words) < SHORT_MESSAGE_WORDS and FUNCTION_WORDS[page] & {word.casefold() for word in words}:
        return None
    best = max(_detector().compute_language_confidence_values(text), key=lambda value: value.value)
    needed = CONFIDENCE_FOR_SHORT if len(words) < 2 else CONFIDENCE_OVER_PAGE if page else CONFIDENCE_ALONE
    return best.language.iso_code_639_1.name.lower() if best.value >= needed else None


def detect_language(text: str, page_language: str | None = None) -> str | None:
    """The language of `text`, or the page's language when the text is unclear.

    Returns:
        "en", "fr", or None when neither the text nor the page tells.
    """
    page = page_language if page_language in SUPPORTED else None
    return said_language(text, page) or page
