"""Text normalisation shared by look-ups and the gazetteer."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

APOSTROPHES_AND_PUNCTUATION = re.compile(r"[\u2018\u2019\u02bc'`´\".,;:!?()\[\]{}«»/\\|*_~-]")
SPACES = re.compile(r"\s+")


class _TextOfHtml(HTMLParser):
    """The text of a fragment that may hold HTML tags, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(" ")


# Characters that reorder the text shown after them (embeddings, overrides, isolates, marks).
BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def valid_unicode(text: str, replacement: str = "") -> str:
    """`text` as valid Unicode: a surrogate pair split in two is joined again (the emoji it was), a lone surrogate
    becomes `replacement`."""
    if not any("\ud800" <= char <= "\udfff" for char in text):
        return text
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return joined.replace("\ufffd", replacement)


def valid_text(text: str) -> str:
    """`text` as valid Unicode without control codes (line breaks and tabs kept): what may be stored."""
    return "".join(char for char in valid_unicode(text) if char in "\n\t" or unicodedata.category(char) != "Cc")


def printable(text: str, limit: int | None = None) -> str:
    """Any stored text, safe to print on one line of a staff member's terminal or report: invalid characters
    shown as "\ufffd", control codes and right-to-left controls as visible escapes ("\\x1b", "<U+202E>"),
    spaces and line breaks collapsed, and at most `limit` characters (ending with "…")."""
    shown = []
    for char in valid_unicode(text, "\ufffd"):
        if char in BIDI_CONTROLS:
            shown.append(f"<U+{ord(char):04X}>")
        elif char.isspace():
            shown.append(" ")
        elif unicodedata.category(char) == "Cc":
            shown.append(f"\\x{ord(char):02x}")
        else:
            shown.append(char)
    line = SPACES.sub(" ", "".join(shown)).strip()
    if limit is not None and len(line) > limit:
        return line[: limit - 1] + "…"
    return line


def clean_message(text: str) -> str:
    """What a student's message says, before it is understood: full-width and other compatibility letters as
    plain ones (NFKC), HTML tags dropped ("<b>fees</b>" is "fees"), invalid characters and control codes removed,
    spaces collapsed."""
    text = unicodedata.normalize("NFKC", valid_unicode(text))
    if "<" in text or "&" in text:
        parser = _TextOfHtml()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    return SPACES.sub(" ", valid_text(text)).strip()


SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9«\"(])")


def first_sentences(text: str, limit: int) -> str:
    """The text's first sentence, and the next ones while they fit in `limit` characters."""
    sentences = SENTENCE_BREAK.split(text.strip())
    kept = sentences[0]
    for sentence in sentences[1:]:
        if len(kept) + 1 + len(sentence) > limit:
            break
        kept = f"{kept} {sentence}"
    return kept


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
