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


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH).build()


def detect_language(text: str, page_language: str | None = None) -> str | None:
    """The language of `text`, or the page's language when the text is unclear.

    Returns:
        "en", "fr", or None when neither the text nor the page tells.
    """
    page = page_language if page_language in SUPPORTED else None
    words = WORD.findall(text)
    if not words:
        return page
    best = max(_detector().compute_language_confidence_values(text), key=lambda value: value.value)
    detected = best.language.iso_code_639_1.name.lower()
    needed = CONFIDENCE_FOR_SHORT if len(words) < 2 else CONFIDENCE_OVER_PAGE if page else CONFIDENCE_ALONE
    if best.value >= needed:
        return detected
    return page
