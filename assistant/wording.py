"""The wording of the action server's replies (data/wording/*.yml, English and French, edited by staff).

The files are checked against what the code fills (assistant/wording_keys.py), every problem with its file
and line; the action server refuses to start on a broken file, and re-reads the files when they change,
keeping the last good wording if an edit breaks them. No retraining: the model does not depend on them.
"""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError

from assistant.problems import FileProblem
from assistant.wording_keys import WORDING_KEYS, Placeholders

logger = logging.getLogger(__name__)

ENGLISH = "en"
FRENCH = "fr"
LANGUAGE_NAMES = {ENGLISH: "English", FRENCH: "French"}
PLACEHOLDER_NAME = re.compile(r"^[a-z_]+$")
DUPLICATE_KEY = re.compile(r'found duplicate key "(?P<key>[^"]*)"')

Texts = dict[str, dict[str, str]]


class WordingError(Exception):
    """The wording files have errors: they cannot be used."""

    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the wording files")
        self.problems = problems


@dataclass(frozen=True)
class Wording:
    """Checked texts: for each entry, its English and French text."""

    texts: Mapping[str, Mapping[str, str]]

    def text(self, key: str, language: str) -> str:
        """The entry's text in the conversation's language: French when it is "fr", English otherwise."""
        return self.texts[key][FRENCH if language == FRENCH else ENGLISH]

    def render(self, key: str, language: str, variables: Mapping[str, str]) -> str:
        """The entry's text in that language, with its placeholders filled."""
        return self.text(key, language).format_map(variables)


def _shown(path: Path, root: Path | None) -> str:
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return str(path)


def _placeholder_problems(key: str, language: str, text: str, expected: Placeholders) -> list[str]:
    """What is wrong with the placeholders of one text (nothing when they are right)."""
    try:
        fields = [
            (name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text) if name is not None
        ]
    except ValueError as error:
        return [
            f"'{key}' ({language}): a brace {{ or }} is not paired ({error}): write placeholders as {{name}}, "
            "and a brace meant as text as {{ or }}"
        ]
    problems = []
    used = set()
    allowed = ", ".join(f"{{{name}}}" for name in sorted(expected.filled))
    hint = f"the placeholders of this entry are {allowed}" if allowed else "this entry has no placeholder"
    for name, spec, conversion in fields:
        if not PLACEHOLDER_NAME.match(name) or spec or conversion:
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            problems.append(f"'{key}' ({language}): {{{written}}} is not a placeholder: {hint}")
        elif name not in expected.filled:
            problems.append(f"'{key}' ({language}): {{{name}}} is not filled in by the assistant: {hint}")
        used.add(name)
    for name in sorted(expected.required - used):
        problems.append(f"'{key}' ({language}): {{{name}}} is missing: the assistant fills it in; put it back")
    return problems


def _read_file(path: Path, shown: str) -> tuple[CommentedMap | None, list[FileProblem]]:
    try:
        document = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except DuplicateKeyError as error:
        match = DUPLICATE_KEY.search(str(error.problem))
        key = match.group("key") if match else "an entry"
        line = error.problem_mark.line + 1 if error.problem_mark else 0
        return None, [FileProblem(shown, line, f"'{key}' is written twice here: keep one")]
    except MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else 0
        return None, [FileProblem(shown, line, f"not valid YAML ({error.problem}): check the indentation and quotes")]
    except (OSError, UnicodeDecodeError) as error:
        return None, [FileProblem(shown, 0, f"cannot be read ({error})")]
    if document is None:
        return CommentedMap(), []
    if not isinstance(document, CommentedMap):
        return None, [FileProblem(shown, 1, "write each entry as `name:` followed by its `en:` and `fr:` texts")]
    return document, []


def check_wording(folder: Path, root: Path | None = None) -> tuple[Texts, list[FileProblem]]:
    """Read every wording file of `folder`; the texts, and every problem (errors and warnings).

    Args:
        folder: the wording folder (data/wording).
        root: files are named relative to this folder in the problems (the project), when they are inside it.
    """
    texts: Texts = {}
    found_at: dict[str, str] = {}
    problems: list[FileProblem] = []
    unread = False  # then entries of the unreadable file are not reported missing as well
    files = sorted(folder.glob("*.yml")) if folder.is_dir() else []
    if not files:
        return texts, [FileProblem(_shown(folder, root), 0, "no wording file (*.yml) in this folder")]
    for path in files:
        shown = _shown(path, root)
        document, read_problems = _read_file(path, shown)
        problems += read_problems
        unread = unread or document is None
        if document is None:
            continue
        for raw_key, entry in document.items():
            key = str(raw_key)
            line = document.lc.key(raw_key)[0] + 1
            if key in found_at:
                problems.append(FileProblem(shown, line, f"'{key}' is already in {found_at[key]}: keep one"))
                continue
            found_at[key] = f"{shown}:{line}"
            expected = WORDING_KEYS.get(key)
            if expected is None:
                problems.append(
                    FileProblem(
                        shown,
                        line,
                        f"'{key}' is sent by no part of the assistant: check its name, or remove it",
                        error=False,
                    )
                )
            if not isinstance(entry, CommentedMap):
                problems.append(
                    FileProblem(
                        shown,
                        line,
                        f"'{key}' needs its English text (en:) and its French "
                        "text (fr:) on the lines below it, indented",
                    )
                )
                continue
            texts[key] = {}
            for language, text in entry.items():
                text_line = entry.lc.key(language)[0] + 1
                if language not in LANGUAGE_NAMES:
                    problems.append(
                        FileProblem(
                            shown,
                            text_line,
                            f"'{key}' has a text in '{language}': the languages are en (English) and fr (French)",
                        )
                    )
                elif not isinstance(text, str) or not text.strip():
                    problems.append(FileProblem(shown, text_line, f"'{key}' ({language}): write the text, in quotes"))
                else:
                    texts[key][language] = text
                    if expected is not None:
                        problems += [
                            FileProblem(shown, text_line, message)
                            for message in _placeholder_problems(key, language, text, expected)
                        ]
            for language, name in LANGUAGE_NAMES.items():
                if language not in entry:
                    problems.append(FileProblem(shown, line, f"'{key}' has no {name} text: add `{language}:` under it"))
    for key in WORDING_KEYS:
        if key not in found_at and not unread:
            problems.append(
                FileProblem(
                    _shown(folder, root),
                    0,
                    f"'{key}' is missing: the assistant sends it; add it with its en and fr texts",
                )
            )
    return texts, problems


def load_wording(folder: Path, root: Path | None = None) -> Wording:
    """The checked wording of `folder`.

    Raises:
        WordingError: the files have errors (warnings are logged).
    """
    texts, problems = check_wording(folder, root)
    errors = [problem for problem in problems if problem.error]
    if errors:
        raise WordingError(errors)
    for problem in problems:
        logger.warning("%s", problem)
    return Wording(texts)


Signature = tuple[tuple[str, int, int], ...]


def _signature(folder: Path) -> Signature:
    """Name, modification time and size of each wording file: changes when a file is edited, added or removed."""
    signature = []
    for path in sorted(folder.glob("*.yml")):
        try:
            status = path.stat()
        except OSError:
            continue
        signature.append((path.name, status.st_mtime_ns, status.st_size))
    return tuple(signature)


class LiveWording:
    """The wording in use, re-read when a file changes; an edit with errors is logged and the last good one kept."""

    def __init__(self, folder: Path, root: Path | None = None) -> None:
        self.folder = folder
        self.root = root
        self._wording: Wording | None = None
        self._signature: Signature | None = None

    def current(self) -> Wording:
        """The wording, re-read first if a file changed.

        Raises:
            WordingError: on the first reading only, when the files have errors.
        """
        signature = _signature(self.folder)
        if signature == self._signature and self._wording is not None:
            return self._wording
        try:
            wording = load_wording(self.folder, self.root)
        except WordingError as error:
            if self._wording is None:
                raise
            logger.error(
                "The wording files were changed but have %d error(s); the replies keep the last good "
                "wording until they are fixed:\n%s",
                len(error.problems),
                "\n".join(f"  {problem}" for problem in error.problems),
            )
            self._signature = signature
            return self._wording
        if self._wording is not None:
            logger.info("Wording re-read from %s", self.folder)
        self._wording, self._signature = wording, signature
        return wording
