"""Schools, their parent universities, and the sources facts come from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.queries.snapshot import Snapshot


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


def get_institution(snapshot: Snapshot, institution_id: str) -> InstitutionInfo | None:
    return snapshot.institutions.get(institution_id)


def _parents(snapshot: Snapshot) -> dict[str, str | None]:
    """Each institution's parent, in file order."""
    return {institution.id: institution.parent for institution in snapshot.institutions.values()}


def family(snapshot: Snapshot, institution_id: str) -> list[str]:
    """The institution with its parent universities and the schools within it.

    A question about the Lille medical school is also answered by what the
    University of Lille offers it, and the other way round.
    """
    return _family(_parents(snapshot), institution_id)


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


def school_of(snapshot: Snapshot, institution_id: str) -> str:
    """The medical school an institution belongs with: its family's deepest member with students."""
    parents = _parents(snapshot)
    members = _family(parents, institution_id)
    leaves = [member for member in members if not any(parent == member for parent in parents.values())]
    return leaves[0] if leaves else institution_id


def schools(snapshot: Snapshot) -> list[str]:
    """The medical schools students ask about, in file order (institutions without children)."""
    parents = {institution.parent for institution in snapshot.institutions.values() if institution.parent}
    return [institution_id for institution_id in snapshot.institutions if institution_id not in parents]
