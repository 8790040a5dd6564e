"""Edit one knowledge entry from the staff console: checked by the rules of `assistant db check`, written back to
its file in `data/knowledge/` (the files stay the source of truth: an export is byte-identical) and imported.

The running assistant notices the import by the knowledge revision it bumps (assistant/queries/cache.py), so it
answers with the change within seconds, without retraining or restart.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Engine

from assistant.filecache import read_cached
from assistant.knowledge.files import KNOWLEDGE_FILES_BY_NAME, KnowledgeFile
from assistant.knowledge.loader import (
    KnowledgeError,
    KnowledgeSet,
    LoadedEntry,
    describe_error,
    entry_field_lines,
    load_knowledge,
    with_file,
)
from assistant.knowledge.store import dump_file, file_row, import_knowledge

# The files the console edits, and the fields that are not edited there (what an entry is and whose it is).
EDITABLE_FILES = ("programmes", "partners", "contacts", "office_hours", "facts")
FIXED_FIELDS = ("id", "institution")
_lock = threading.Lock()


@dataclass(frozen=True)
class FieldProblem:
    """A problem with the edit, next to its field (None: about the entry as a whole or another file)."""

    field: str | None
    message: str


class EditRefused(ValueError):
    """Nothing was changed; `problems` say why."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class FieldSpec:
    """How the console shows a field: its name, and whether it is a list (one item a line), long text or yes/no."""

    name: str
    kind: str


def field_specs(file_name: str) -> list[FieldSpec]:
    """The editable fields of a file's entries, in file order."""
    specs = []
    for name, model_field in KNOWLEDGE_FILES_BY_NAME[file_name].entry.__fields__.items():
        if name in FIXED_FIELDS:
            continue
        if model_field.outer_type_ is bool:
            kind = "yes-no"
        elif getattr(model_field.outer_type_, "__origin__", None) is list or model_field.shape != 1:
            kind = "list"
        elif name.endswith(("_en", "_fr")) and not name.startswith(("name", "short_name", "role")):
            kind = "long"
        else:
            kind = "short"
        specs.append(FieldSpec(name, kind))
    return specs


def school_of(knowledge: KnowledgeSet, file_name: str, entry: Any) -> str | None:
    """The school whose office an entry belongs to: its institution, or the school of that university."""
    institution = getattr(entry, "institution", None)
    if institution is None and file_name == "office_hours":
        contact = next((item.entry for item in knowledge.entries["contacts"] if item.entry.id == entry.contact), None)
        institution = getattr(contact, "institution", None)
    institutions = [item.entry for item in knowledge.entries.get("institutions", [])]
    parents = {getattr(item, "parent", None) for item in institutions}
    schools = {item.id: getattr(item, "parent", None) for item in institutions if item.id not in parents}
    if institution in schools:
        return institution
    return next((school for school, parent in schools.items() if parent == institution), None)


def find_entry(knowledge: KnowledgeSet, file_name: str, entry_id: str) -> tuple[int, LoadedEntry] | None:
    """The position and entry of this id in its file."""
    for index, loaded in enumerate(knowledge.entries.get(file_name, [])):
        if loaded.entry.id == entry_id:
            return index, loaded
    return None


def form_values(entry: Any, file_name: str) -> dict[str, str]:
    """The entry's editable fields as the form shows them (lists one item a line, nothing as empty)."""
    row = file_row(KNOWLEDGE_FILES_BY_NAME[file_name], entry.dict())
    values = {}
    for spec in field_specs(file_name):
        value = row.get(spec.name)
        if spec.kind == "list":
            values[spec.name] = "\n".join(str(item) for item in value or [])
        elif spec.kind == "yes-no":
            values[spec.name] = "yes" if value else "no"
        else:
            values[spec.name] = "" if value is None else str(value)
    return values


def version(entry: Any, file_name: str) -> str:
    """A digest of the entry as it is: a form sent from an older version is refused rather than overwrite."""
    row = file_row(KNOWLEDGE_FILES_BY_NAME[file_name], entry.dict())
    return hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _candidate(knowledge_file: KnowledgeFile, row: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    candidate = dict(row)
    for spec in field_specs(knowledge_file.name):
        if spec.name not in values:
            continue
        raw = values[spec.name]
        if spec.kind == "list":
            candidate[spec.name] = [line.strip() for line in raw.splitlines() if line.strip()]
        elif spec.kind == "yes-no":
            candidate[spec.name] = raw == "yes"
        else:
            candidate[spec.name] = raw.strip() or None
    return {key: value for key, value in candidate.items() if value is not None}


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.editing")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def edit_entry(
    directory: Path,
    engine: Engine,
    file_name: str,
    entry_id: str,
    values: dict[str, str],
    expected_version: str,
    allowed_school: str | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Change an entry's fields, check every file as `assistant db check` does, write its file and import it.

    Args:
        directory: The knowledge folder.
        engine: The database the assistant answers from.
        file_name: One of EDITABLE_FILES.
        entry_id: The entry's id.
        values: The form's text per field.
        expected_version: `version()` of the entry the form was made from.
        allowed_school: When given, the entry must be this school's before and after the change.

    Returns:
        The fields changed, with their old and new values.

    Raises:
        EditRefused: with each problem next to its field; nothing was changed.
        PermissionError: the entry is another school's.
        LookupError: no such entry.
    """
    knowledge_file = KNOWLEDGE_FILES_BY_NAME[file_name]
    with _lock:
        try:
            knowledge = read_cached("knowledge", directory, lambda: load_knowledge(directory))
        except KnowledgeError as error:
            raise EditRefused([FieldProblem(None, str(problem)) for problem in error.problems]) from error
        found = find_entry(knowledge, file_name, entry_id)
        if found is None:
            raise LookupError(entry_id)
        index, loaded = found
        if allowed_school is not None and school_of(knowledge, file_name, loaded.entry) != allowed_school:
            raise PermissionError(entry_id)
        if version(loaded.entry, file_name) != expected_version:
            raise EditRefused([FieldProblem(None, "this entry was changed meanwhile: reload the page and edit again")])
        rows = [file_row(knowledge_file, item.entry.dict()) for item in knowledge.entries[file_name]]
        try:
            entry = knowledge_file.entry.parse_obj(_candidate(knowledge_file, rows[index], values))
        except ValidationError as error:
            raise EditRefused(
                [
                    FieldProblem(str(detail["loc"][0]) if detail["loc"] else None, describe_error(detail))
                    for detail in error.errors()
                ]
            ) from error
        if allowed_school is not None and school_of(knowledge, file_name, entry) != allowed_school:
            raise PermissionError(entry_id)
        old_row, new_row = rows[index], file_row(knowledge_file, entry.dict())
        changes = {
            name: (old_row.get(name), new_row.get(name))
            for name in knowledge_file.entry.__fields__
            if old_row.get(name) != new_row.get(name)
        }
        if not changes:
            return changes
        rows[index] = new_row
        text = dump_file(knowledge_file, rows)
        with tempfile.TemporaryDirectory(prefix="knowledge-edit-") as work:
            trial = Path(work) / knowledge_file.filename
            trial.write_text(text, encoding="utf-8")
            try:
                checked = with_file(knowledge, file_name, trial)
            except KnowledgeError as error:
                lines = {line: name for name, line in entry_field_lines(text, index).items() if isinstance(name, str)}
                raise EditRefused(
                    [
                        FieldProblem(
                            lines.get(problem.line) if problem.file == knowledge_file.filename else None,
                            problem.message,
                        )
                        for problem in error.problems
                    ]
                ) from error
        path = directory / knowledge_file.filename
        previous = path.read_text(encoding="utf-8")
        _write(path, text)
        try:
            import_knowledge(checked, engine)
        except BaseException:
            _write(path, previous)
            raise
        return changes
