"""Teach the assistant a student's question: the phrase is added under an intent, in the training file of its
topic and language (`data/nlu/<language>/<topic>.yml`), only if `assistant nlu check`'s checks still pass."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from assistant.staff.nlu_check import RASA_DATA_PATHS, WORDING_FOLDER, check_training_phrases, read_phrases
from assistant.text import normalise, valid_text

# What the checks read, copied to try a phrase before it is written.
CHECKED_PATHS = (*RASA_DATA_PATHS, WORDING_FOLDER, "domain.yml")
MAX_PHRASE_LENGTH = 300


class TeachRefused(ValueError):
    """The phrase was not written; the message says why, in plain words."""


@dataclass(frozen=True)
class Taught:
    """Where a phrase was written, and the checks' warnings about it."""

    path: str
    line: int
    phrase: str
    warnings: tuple[str, ...]


def training_phrase(text: str) -> str:
    """A student's message as a training phrase: one line, valid text, no brackets (read as entity marks)."""
    cleaned = " ".join(valid_text(text).replace("\ufffd", "").split())
    return cleaned.replace("[", "(").replace("]", ")").replace("{", "(").replace("}", ")")


def intents_of(project: Path, language: str) -> list[str]:
    """The intents that have training phrases in this language, by name."""
    _, blocks, _ = read_phrases(project)
    return sorted({block.intent for block in blocks if block.language == language})


def _insert_line(lines: list[str], intent_line: int, phrase: str) -> tuple[list[str], int]:
    """The file's lines with `- phrase` after the last example of the intent starting at `intent_line` (from 1)."""
    start = intent_line - 1
    examples = next(index for index in range(start, len(lines)) if lines[index].strip().startswith("examples:"))
    last, indent = examples, None
    for index in range(examples + 1, len(lines)):
        stripped = lines[index].strip()
        if not stripped:
            continue
        current = len(lines[index]) - len(lines[index].lstrip())
        if current <= len(lines[start]) - len(lines[start].lstrip()):
            break
        indent = indent if indent is not None else lines[index][:current]
        last = index
    new_line = f"{indent or '    '}- {phrase}"
    return [*lines[: last + 1], new_line, *lines[last + 1 :]], last + 2


def teach(project: Path, intent: str, language: str, text: str) -> Taught:
    """Add `text` under `intent` in its language's training file, after checking it as `assistant nlu check` does.

    Raises:
        TeachRefused: an empty or too long phrase, an intent without phrases in this language, a phrase already
            there, or a phrase the checks find an error in (for example the same phrase under another intent).
    """
    phrase = training_phrase(text)
    if not phrase:
        raise TeachRefused("the message has no text to learn from")
    if len(phrase) > MAX_PHRASE_LENGTH:
        raise TeachRefused(f"the phrase is longer than {MAX_PHRASE_LENGTH} characters: shorten it first")
    phrases, blocks, _ = read_phrases(project)
    block = next((block for block in blocks if block.intent == intent and block.language == language), None)
    if block is None:
        raise TeachRefused(f"there is no intent '{intent}' with {language} phrases: choose another intent")
    if any(p.intent == intent and normalise(p.text) == normalise(phrase) for p in phrases):
        raise TeachRefused(f"'{phrase}' is already a phrase of '{intent}'")
    path = project / block.path
    lines, line = _insert_line(path.read_text(encoding="utf-8").splitlines(), block.line, phrase)
    new_text = "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory(prefix="teach-") as work:
        trial = Path(work)
        for name in CHECKED_PATHS:
            source = project / name
            if source.is_dir():
                shutil.copytree(source, trial / name)
            elif source.exists():
                shutil.copy2(source, trial / name)
        (trial / block.path).write_text(new_text, encoding="utf-8")
        after = check_training_phrases(trial)
    # The problems about the new phrase: at its line, or naming it as the earlier of two (a duplicate below it).
    about = [
        problem
        for problem in after
        if (problem.path == block.path and problem.line == line) or f"({block.path}:{line})" in problem.message
    ]
    refused = next((problem for problem in about if problem.error), None)
    if refused is not None:
        raise TeachRefused(refused.message)
    warnings = tuple(problem.message for problem in about)
    path.write_text(new_text, encoding="utf-8")
    return Taught(block.path, line, phrase, warnings)
