"""Read and check the knowledge files, reporting every problem with its file and line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError

from assistant.knowledge.files import KNOWLEDGE_FILES, KnowledgeFile
from assistant.knowledge.schema import Entry

if TYPE_CHECKING:
    from pydantic.error_wrappers import ErrorDict

FIELD_HINTS = {
    "id": "use lower-case letters, digits and dashes only, for example 'upc-karolinska'",
    "country": "use the two-letter country code from countries.yml, for example 'es' for Spain",
    "language": "write 'en' or 'fr'",
    "languages": "write 'en' or 'fr'",
    "academic_year": "write it like 2024-2025",
    "joined": "write a year such as 2020, or a year and month such as 2024-04",
    "kind": "see the README for the allowed kinds",
    "dimension": "write 'continent' or 'destination'",
    "direction": "write 'outgoing' or 'incoming'",
}


class _DatesAsTextConstructor(RoundTripConstructor):
    """Leaves dates as text, so that an impossible one is reported by validation, with its line."""


_DatesAsTextConstructor.add_constructor("tag:yaml.org,2002:timestamp", _DatesAsTextConstructor.construct_yaml_str)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _DatesAsTextConstructor
    return yaml


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a knowledge file, said plainly."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class LoadedEntry:
    """A valid entry and where it stands in its file (lines count from 1)."""

    entry: Entry
    line: int
    field_lines: dict[str | tuple[str, int], int]

    def line_of(self, field_name: str, index: int | None = None) -> int:
        if index is not None and (field_name, index) in self.field_lines:
            return self.field_lines[(field_name, index)]
        return self.field_lines.get(field_name, self.line)


@dataclass
class KnowledgeSet:
    """Every entry of every knowledge file, checked and in file order."""

    entries: dict[str, list[LoadedEntry]] = field(default_factory=dict)

    def ids(self, file_name: str) -> set[str]:
        return {loaded.entry.id for loaded in self.entries.get(file_name, [])}


class KnowledgeError(Exception):
    """The knowledge files have problems; nothing was changed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def load_knowledge(directory: Path) -> KnowledgeSet:
    """Read all knowledge files of a directory.

    Raises:
        KnowledgeError: with every problem found, each with file and line.
    """
    problems: list[Problem] = []
    knowledge = KnowledgeSet()
    expected = {knowledge_file.filename for knowledge_file in KNOWLEDGE_FILES}
    for path in sorted(directory.glob("*.y*ml")):
        if path.name not in expected:
            problems.append(Problem(path.name, 1, f"unknown file: knowledge files are {', '.join(sorted(expected))}"))
    for knowledge_file in KNOWLEDGE_FILES:
        path = directory / knowledge_file.filename
        if not path.exists():
            problems.append(Problem(knowledge_file.filename, 1, "the file is missing"))
            continue
        knowledge.entries[knowledge_file.name] = _load_file(path, knowledge_file, problems)
    for knowledge_file in KNOWLEDGE_FILES:
        _check_references(knowledge_file, knowledge, problems)
    _check_parents(knowledge, problems)
    if problems:
        raise KnowledgeError(problems)
    return knowledge


def with_file(knowledge: KnowledgeSet, file_name: str, path: Path) -> KnowledgeSet:
    """`knowledge` with one file read from `path` instead, checked as `load_knowledge` checks every file.

    Raises:
        KnowledgeError: with every problem found, each with file and line.
    """
    problems: list[Problem] = []
    changed = next(knowledge_file for knowledge_file in KNOWLEDGE_FILES if knowledge_file.name == file_name)
    result = KnowledgeSet({**knowledge.entries, file_name: _load_file(path, changed, problems)})
    for knowledge_file in KNOWLEDGE_FILES:
        _check_references(knowledge_file, result, problems)
    _check_parents(result, problems)
    if problems:
        raise KnowledgeError(problems)
    return result


def _load_file(path: Path, knowledge_file: KnowledgeFile, problems: list[Problem]) -> list[LoadedEntry]:
    name = knowledge_file.filename
    try:
        document = _yaml().load(path.read_text(encoding="utf-8"))
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(Problem(name, line, f"this is not valid YAML: {error.problem or error.context}"))
        return []
    except UnicodeDecodeError:
        problems.append(Problem(name, 1, "the file is not UTF-8 text: save it as UTF-8"))
        return []
    if document is None:
        return []
    if not isinstance(document, CommentedSeq):
        problems.append(Problem(name, 1, "the file must be a list of entries, each starting with '- id:'"))
        return []

    loaded: list[LoadedEntry] = []
    first_line_of_id: dict[str, int] = {}
    first_line_of_key: dict[tuple[Any, ...], int] = {}
    for index, raw in enumerate(document):
        entry_line = document.lc.item(index)[0] + 1
        if not isinstance(raw, CommentedMap):
            problems.append(Problem(name, entry_line, "each entry must be a set of 'field: value' lines"))
            continue
        field_lines = _field_lines(raw, entry_line)
        try:
            entry = knowledge_file.entry.parse_obj(_plain(raw))
        except ValidationError as error:
            for detail in error.errors():
                problems.append(_validation_problem(name, detail, field_lines, entry_line))
            continue
        if entry.id in first_line_of_id:
            problems.append(
                Problem(
                    name, entry_line, f"duplicate id '{entry.id}' (first used on line {first_line_of_id[entry.id]})"
                )
            )
            continue
        first_line_of_id[entry.id] = entry_line
        if knowledge_file.unique_together:
            key = tuple(_normalised(getattr(entry, column)) for column in knowledge_file.unique_together)
            if key in first_line_of_key:
                described = ", ".join(
                    f"{column} '{getattr(entry, column)}'" for column in knowledge_file.unique_together
                )
                problems.append(
                    Problem(
                        name, entry_line, f"duplicate entry: {described} is already on line {first_line_of_key[key]}"
                    )
                )
                continue
            first_line_of_key[key] = entry_line
        loaded.append(LoadedEntry(entry, entry_line, field_lines))
    return loaded


def _field_lines(raw: CommentedMap, entry_line: int) -> dict[Any, int]:
    lines: dict[Any, int] = {}
    for key, value in raw.items():
        try:
            lines[key] = raw.lc.key(key)[0] + 1
        except (KeyError, TypeError):
            lines[key] = entry_line
        if isinstance(value, CommentedSeq):
            for index in range(len(value)):
                lines[(key, index)] = value.lc.item(index)[0] + 1
    return lines


def _plain(value: Any) -> Any:
    if isinstance(value, CommentedMap):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, CommentedSeq):
        return [_plain(item) for item in value]
    return value


def _normalised(value: Any) -> Any:
    return value.casefold().strip() if isinstance(value, str) else value


def _validation_problem(file_name: str, detail: ErrorDict, field_lines: dict[Any, int], entry_line: int) -> Problem:
    location = detail["loc"]
    field_name = str(location[0]) if location else ""
    index = location[1] if len(location) > 1 and isinstance(location[1], int) else None
    line = field_lines.get((field_name, index), field_lines.get(field_name, entry_line))
    return Problem(file_name, line, describe_error(detail))


def describe_error(detail: ErrorDict) -> str:
    """One validation error of an entry's field, said plainly."""
    location = detail["loc"]
    field_name = str(location[0]) if location else ""
    error_type = detail["type"]
    if error_type == "value_error.missing":
        return f"the field '{field_name}' is missing"
    if error_type == "value_error.extra":
        return f"unknown field '{field_name}' (check its spelling against the README)"
    if error_type in ("type_error.none.not_allowed", "value_error.any_str.min_length"):
        return f"the field '{field_name}' must not be empty"
    if error_type == "value_error.str.regex":
        hint = FIELD_HINTS.get(field_name, "see the README for the expected form")
        return f"'{field_name}' has a value in the wrong form: {hint}"
    if error_type.startswith("value_error.date") or error_type == "type_error.date":
        return f"'{field_name}' is not a real date: write it YYYY-MM-DD, for example 2026-07-06"
    return f"'{field_name}': {detail['msg']}"


def entry_field_lines(text: str, index: int) -> dict[Any, int]:
    """The line of each field of the `index`-th entry of a knowledge file's text (lines count from 1)."""
    document = _yaml().load(text)
    return _field_lines(document[index], document.lc.item(index)[0] + 1)


def _check_references(knowledge_file: KnowledgeFile, knowledge: KnowledgeSet, problems: list[Problem]) -> None:
    for field_name, target in knowledge_file.references.items():
        known = knowledge.ids(target)
        for loaded in knowledge.entries.get(knowledge_file.name, []):
            for index, value in _values(getattr(loaded.entry, field_name)):
                if value not in known:
                    what = "country" if target == "countries" else f"{target[:-1].replace('_', ' ')} id"
                    problems.append(
                        Problem(
                            knowledge_file.filename,
                            loaded.line_of(field_name, index),
                            f"unknown {what} '{value}' in '{field_name}': there is no such id in {target}.yml",
                        )
                    )


def _check_parents(knowledge: KnowledgeSet, problems: list[Problem]) -> None:
    """An institution may not be its own parent, even through others: the assistant walks up the parents."""
    loaded = {entry.entry.id: entry for entry in knowledge.entries.get("institutions", [])}
    for institution_id, entry in loaded.items():
        seen = [institution_id]
        parent = getattr(entry.entry, "parent", None)
        while parent in loaded and parent not in seen:
            seen.append(parent)
            parent = getattr(loaded[parent].entry, "parent", None)
        if parent == institution_id:
            chain = " → ".join([*seen, institution_id])
            problems.append(
                Problem("institutions.yml", entry.line_of("parent"), f"'parent' makes a loop: {chain}; break it")
            )


def _values(value: Any) -> Iterable[tuple[int | None, Any]]:
    if value is None:
        return []
    if isinstance(value, list):
        return list(enumerate(value))
    return [(None, value)]
