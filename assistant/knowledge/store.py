"""Import checked knowledge into the database in one transaction, and export it back to files."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import SingleQuotedScalarString
from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from assistant.db.models import KnowledgeRevision
from assistant.db.session import session_scope
from assistant.knowledge.files import KNOWLEDGE_FILES, KnowledgeFile
from assistant.knowledge.loader import KnowledgeSet

FILE_HEADER = "# {filename}: one entry per item. Fields and how to edit: README.md in this folder.\n"
SELF_REFERENCES = {"institutions": "parent"}
TIME_FIELDS = {"opens", "closes"}

Row = dict[str, Any]


@dataclass(frozen=True)
class FileChanges:
    """What an import changes in one file's table."""

    name: str
    added: int
    removed: int
    changed: int
    total: int


def import_knowledge(
    knowledge: KnowledgeSet,
    engine: Engine | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> list[FileChanges]:
    """Replace the knowledge in the database by `knowledge`, all or nothing.

    Returns:
        Per file, how many entries were added, removed and changed.
    """
    with session_scope(engine) as session:
        before = export_rows(session)
        for knowledge_file in reversed(KNOWLEDGE_FILES):
            for link in knowledge_file.links.values():
                session.execute(delete(link.table))
            session.execute(delete(knowledge_file.table))
        changes = []
        for knowledge_file in KNOWLEDGE_FILES:
            loaded = knowledge.entries.get(knowledge_file.name, [])
            progress(f"{knowledge_file.filename}: {len(loaded)} entries")
            _insert(session, knowledge_file, [item.entry.dict() for item in loaded])
            after = [file_row(knowledge_file, item.entry.dict()) for item in loaded]
            changes.append(_compare(knowledge_file.name, before.get(knowledge_file.name, []), after))
        _bump_revision(session)
    return changes


def _insert(session: Session, knowledge_file: KnowledgeFile, entries: list[Row]) -> None:
    if not entries:
        return
    self_reference = SELF_REFERENCES.get(knowledge_file.name)
    rows = []
    for position, entry in enumerate(entries):
        row = {key: value for key, value in entry.items() if key not in knowledge_file.links}
        row = {key: _to_column(key, value) for key, value in row.items()}
        row["position"] = position
        if self_reference:
            row[self_reference] = None
        rows.append(row)
    session.execute(insert(knowledge_file.table), rows)
    if self_reference:
        for entry in entries:
            if entry.get(self_reference):
                session.execute(
                    update(knowledge_file.table)
                    .where(knowledge_file.table.id == entry["id"])
                    .values({self_reference: entry[self_reference]})
                )
    for field_name, link in knowledge_file.links.items():
        link_rows = [
            {link.owner_column: entry["id"], link.value_column: value, "position": position}
            for entry in entries
            for position, value in enumerate(entry.get(field_name) or [])
        ]
        if link_rows:
            session.execute(insert(link.table), link_rows)


def _to_column(field_name: str, value: Any) -> Any:
    if field_name in TIME_FIELDS and isinstance(value, str):
        return dt.time.fromisoformat(value)
    if field_name == "joined" and value is not None:
        return str(value)
    return value


def _bump_revision(session: Session) -> None:
    now = dt.datetime.now(dt.timezone.utc)
    current = session.execute(select(KnowledgeRevision).where(KnowledgeRevision.id == 1)).scalar_one_or_none()
    if current is None:
        session.add(KnowledgeRevision(id=1, revision=1, imported_at=now))
    else:
        current.revision += 1
        current.imported_at = now


def _compare(name: str, before: list[Row], after: list[Row]) -> FileChanges:
    old = {row["id"]: row for row in before}
    new = {row["id"]: row for row in after}
    return FileChanges(
        name=name,
        added=len(new.keys() - old.keys()),
        removed=len(old.keys() - new.keys()),
        changed=sum(1 for key in new.keys() & old.keys() if new[key] != old[key]),
        total=len(new),
    )


def export_rows(session: Session) -> dict[str, list[Row]]:
    """Every table as the rows its file would hold, in file order."""
    exported: dict[str, list[Row]] = {}
    for knowledge_file in KNOWLEDGE_FILES:
        links = {field_name: _link_values(session, link) for field_name, link in knowledge_file.links.items()}
        rows = session.execute(select(knowledge_file.table).order_by(knowledge_file.table.position)).scalars()
        exported[knowledge_file.name] = [
            file_row(
                knowledge_file,
                {
                    field_name: links[field_name].get(row.id, []) if field_name in links else getattr(row, field_name)
                    for field_name in knowledge_file.entry.__fields__
                },
            )
            for row in rows
        ]
    return exported


def _link_values(session: Session, link: Any) -> dict[str, list[str]]:
    owner = getattr(link.table, link.owner_column)
    value = getattr(link.table, link.value_column)
    values: dict[str, list[str]] = {}
    for owner_id, item in session.execute(select(owner, value).order_by(owner, link.table.position)):
        values.setdefault(owner_id, []).append(item)
    return values


def file_row(knowledge_file: KnowledgeFile, entry: Row) -> Row:
    """The canonical form of an entry: file field order, no empty fields, whole numbers as integers."""
    row: Row = {}
    for field_name in knowledge_file.entry.__fields__:
        value = entry.get(field_name)
        if value is None or value == []:
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        elif isinstance(value, dt.time):
            value = value.strftime("%H:%M")
        elif field_name == "joined" and isinstance(value, str) and value.isdigit():
            value = int(value)
        row[field_name] = value
    return row


def dump_file(knowledge_file: KnowledgeFile, rows: list[Row]) -> str:
    """The text of a knowledge file holding `rows`."""
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=2, offset=0)
    # One line per field: folded lines with escapes are hard to edit by hand.
    # ruamel.yaml sets `self.width = None` without an annotation, so mypy takes the attribute to be always None.
    yaml.width = 100_000  # type: ignore[assignment]
    yaml.allow_unicode = True
    buffer = io.StringIO()
    buffer.write(FILE_HEADER.format(filename=knowledge_file.filename))
    if rows:
        quoted = [
            {key: SingleQuotedScalarString(value) if key in TIME_FIELDS else value for key, value in row.items()}
            for row in rows
        ]
        yaml.dump(quoted, buffer)
    else:
        buffer.write("[]\n")
    return buffer.getvalue()


def export_knowledge(directory: Path, engine: Engine | None = None) -> list[Path]:
    """Write every table back to its file in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    with session_scope(engine) as session:
        exported = export_rows(session)
    written = []
    for knowledge_file in KNOWLEDGE_FILES:
        path = directory / knowledge_file.filename
        path.write_text(dump_file(knowledge_file, exported[knowledge_file.name]), encoding="utf-8")
        written.append(path)
    return written
