"""Schools, their parent universities, and the sources facts come from."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db import models

PARENTS_KEY = "institution_parents"


@dataclass(frozen=True)
class SourceRef:
    """Where a fact comes from, to cite in an answer."""

    id: str
    title_en: str
    title_fr: str
    valid_for: str


@dataclass(frozen=True)
class InstitutionInfo:
    id: str
    name_en: str
    name_fr: str
    short_names: tuple[str, ...]
    parent: str | None
    city: str | None
    country: str | None
    address: str | None
    website: str | None
    source: SourceRef


def get_source(session: Session, source_id: str) -> SourceRef:
    source = session.get(models.Source, source_id)
    return SourceRef(source.id, source.title_en, source.title_fr, source.valid_for)


def get_institution(session: Session, institution_id: str) -> InstitutionInfo | None:
    row = session.get(models.Institution, institution_id)
    if row is None:
        return None
    return InstitutionInfo(
        id=row.id,
        name_en=row.name_en,
        name_fr=row.name_fr,
        short_names=tuple(row.short_names),
        parent=row.parent,
        city=row.city,
        country=row.country,
        address=row.address,
        website=row.website,
        source=get_source(session, row.source),
    )


def _parents(session: Session) -> dict[str, str | None]:
    """Each institution's parent, read once per session (one unit of work reads one revision of the knowledge)."""
    parents: dict[str, str | None] | None = session.info.get(PARENTS_KEY)
    if parents is None:
        parents = dict(session.execute(select(models.Institution.id, models.Institution.parent)).all())
        session.info[PARENTS_KEY] = parents
    return parents


def family(session: Session, institution_id: str) -> list[str]:
    """The institution with its parent universities and the schools within it.

    A question about the Lille medical school is also answered by what the
    University of Lille offers it, and the other way round.
    """
    return _family(_parents(session), institution_id)


def _family(parents: dict[str, str | None], institution_id: str) -> list[str]:
    if institution_id not in parents:
        return []
    root = institution_id
    while parent := parents.get(root):
        root = parent
    members = [root]
    for member in members:
        members += [child for child, parent in parents.items() if parent == member and child not in members]
    return members


def school_of(session: Session, institution_id: str) -> str:
    """The medical school an institution belongs with: its family's deepest member with students."""
    parents = _parents(session)
    members = _family(parents, institution_id)
    leaves = [member for member in members if not any(parent == member for parent in parents.values())]
    return leaves[0] if leaves else institution_id


def schools(session: Session) -> list[str]:
    """The medical schools students ask about, in file order (institutions without children)."""
    rows = session.execute(
        select(models.Institution.id, models.Institution.parent).order_by(models.Institution.position)
    ).all()
    parents = {parent for _, parent in rows if parent}
    return [institution_id for institution_id, _ in rows if institution_id not in parents]
