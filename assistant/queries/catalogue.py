"""Programmes, contacts, facts, statistics, networks, grants and services of a school."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from assistant.queries.names import KIND_PREFIX
from assistant.queries.schools import SourceRef, family

# A name's acronym alias: "EUA", "ECTSMA", "AUF".
ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,7}")

if TYPE_CHECKING:
    from assistant.queries.snapshot import Snapshot


@dataclass(frozen=True)
class OfficeHoursInfo:
    weekday: str
    opens: dt.time
    closes: dt.time
    placeholder: bool


@dataclass(frozen=True)
class ContactInfo:
    id: str
    institution: str
    role_en: str
    role_fr: str
    person: str | None
    email: str | None
    phone: str | None
    address: str | None
    topics: tuple[str, ...]
    office_hours: tuple[OfficeHoursInfo, ...]
    source: SourceRef


@dataclass(frozen=True)
class ProgrammeInfo:
    id: str
    institution: str
    kind: str
    direction: str
    name_en: str
    name_fr: str
    short_name_en: str | None
    short_name_fr: str | None
    aliases: tuple[str, ...]
    summary_en: str | None
    summary_fr: str | None
    min_year: int | None
    max_year: int | None
    eligibility_en: str | None
    eligibility_fr: str | None
    how_to_apply_en: str | None
    how_to_apply_fr: str | None
    duration_en: str | None
    duration_fr: str | None
    languages: tuple[str, ...]
    start_date: dt.date | None
    end_date: dt.date | None
    dates_en: str | None
    dates_fr: str | None
    application_opens_en: str | None
    application_opens_fr: str | None
    fee_min_eur: float | None
    fee_max_eur: float | None
    fees_en: str | None
    fees_fr: str | None
    ects_credits: float | None
    certificate_en: str | None
    certificate_fr: str | None
    places: int | None
    venue_en: str | None
    venue_fr: str | None
    audience_en: str | None
    audience_fr: str | None
    not_accepted_en: str | None
    not_accepted_fr: str | None
    url: str | None
    contact: ContactInfo | None
    source: SourceRef

    def accepts_year(self, year: int) -> bool | None:
        """Whether a student in `year` meets the programme's year rule (None when it has none)."""
        if self.min_year is None and self.max_year is None:
            return None
        return (self.min_year or 1) <= year <= (self.max_year or 99)


@dataclass(frozen=True)
class FactInfo:
    id: str
    institution: str
    topic: str
    value: float | None
    year: int | None
    text_en: str
    text_fr: str
    source: SourceRef


@dataclass(frozen=True)
class StatisticInfo:
    id: str
    institution: str
    kind: str
    direction: str
    academic_year: str
    students: int
    source: SourceRef


@dataclass(frozen=True)
class ShareInfo:
    id: str
    institution: str
    kind: str
    academic_year: str
    dimension: str
    category: str
    percent: float
    source: SourceRef


@dataclass(frozen=True)
class NetworkInfo:
    id: str
    institution: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    summary_en: str | None
    summary_fr: str | None
    joined: str | None
    members: int | None
    countries: int | None
    url: str | None
    source: SourceRef

    @property
    def shown_name(self) -> str:
        """The name, with the acronym it also goes by ("European University Association (EUA)")."""
        acronym = next((alias for alias in self.aliases if ACRONYM.fullmatch(alias) and alias not in self.name), None)
        return f"{self.name} ({acronym})" if acronym else self.name


@dataclass(frozen=True)
class GrantInfo:
    id: str
    institution: str
    name_en: str
    name_fr: str
    summary_en: str | None
    summary_fr: str | None
    url: str | None
    # The programmes the grant is for, in file order.
    programmes: tuple[str, ...]
    source: SourceRef


@dataclass(frozen=True)
class ServiceInfo:
    id: str
    institution: str
    name_en: str
    name_fr: str
    summary_en: str | None
    summary_fr: str | None
    url: str | None
    source: SourceRef


class _OfInstitution(Protocol):
    """An entry of one institution (a programme, a fact, a contact...)."""

    @property
    def institution(self) -> str: ...


Entry = TypeVar("Entry", bound=_OfInstitution)


def _in_school(snapshot: Snapshot, entries: Iterable[Entry], school: str | None) -> list[Entry]:
    """The entries of a school and its university (all of them without a school), in their order."""
    if school is None:
        return list(entries)
    members = family(snapshot, school)
    return [entry for entry in entries if entry.institution in members]


def get_contact(snapshot: Snapshot, contact_id: str) -> ContactInfo | None:
    return snapshot.contacts.get(contact_id)


def contacts_for(snapshot: Snapshot, school: str | None, topic: str | None = None) -> list[ContactInfo]:
    """Contacts of a school (and its university) for a topic, in file order; all of them without a topic."""
    contacts = _in_school(snapshot, snapshot.contacts.values(), school)
    return [contact for contact in contacts if topic is None or topic in contact.topics]


def get_programme(snapshot: Snapshot, programme_id: str) -> ProgrammeInfo | None:
    return snapshot.programmes.get(programme_id)


def find_programmes(
    snapshot: Snapshot, school: str | None = None, kind: str | None = None, direction: str | None = None
) -> list[ProgrammeInfo]:
    """Programmes of a school, optionally of one kind and direction, in file order."""
    return [
        programme
        for programme in _in_school(snapshot, snapshot.programmes.values(), school)
        if (kind is None or programme.kind == kind)
        and (direction is None or programme.direction in (direction, "both"))
    ]


def programmes_with_refusals(snapshot: Snapshot, school: str | None = None) -> list[ProgrammeInfo]:
    """Programmes whose documents name requests they do not accept, in file order."""
    return [
        programme
        for programme in _in_school(snapshot, snapshot.programmes.values(), school)
        if programme.not_accepted_en is not None or programme.not_accepted_fr is not None
    ]


def programmes_of_partners(snapshot: Snapshot, partner_ids: list[str]) -> list[tuple[str, int]]:
    """The programmes the partners take part in, each with its number of partners, dedicated ones first."""
    taken_part_in = {
        programme.id
        for partner_id in partner_ids
        if (partner := snapshot.partners.get(partner_id)) is not None
        for programme in partner.programmes
    }
    counts = Counter(
        programme.id
        for partner in snapshot.partners.values()
        for programme in partner.programmes
        if programme.id in taken_part_in
    )
    return sorted(counts.items(), key=lambda row: (row[1], row[0]))


def programme_kind(snapshot: Snapshot, value: str) -> str | None:
    """The kind of programme a `programme` entity value names ("upc-phemed" or "kind:summer-school"), if known."""
    if value.startswith(KIND_PREFIX):
        return value[len(KIND_PREFIX) :]
    programme = snapshot.programmes.get(value)
    return programme.kind if programme is not None else None


def is_known_programme(snapshot: Snapshot, value: str) -> bool:
    """Whether `value` names a programme ("upc-phemed") or a kind of programme ("kind:summer-school")."""
    if value.startswith(KIND_PREFIX):
        return value[len(KIND_PREFIX) :] in snapshot.programme_kinds
    return value in snapshot.programmes


def facts_about(snapshot: Snapshot, school: str | None, topic: str | None = None) -> list[FactInfo]:
    """Facts about a school and its university, optionally on one topic, in file order."""
    facts = _in_school(snapshot, snapshot.facts.values(), school)
    return [fact for fact in facts if topic is None or fact.topic == topic]


def mobility_statistics(
    snapshot: Snapshot,
    school: str | None,
    kind: str | None = None,
    direction: str | None = None,
    academic_year: str | None = None,
) -> list[StatisticInfo]:
    """Yearly student counts, oldest year first."""
    return [
        statistic
        for statistic in _in_school(snapshot, snapshot.statistics, school)
        if (kind is None or statistic.kind == kind)
        and (direction is None or statistic.direction == direction)
        and (academic_year is None or statistic.academic_year == academic_year)
    ]


def mobility_shares(
    snapshot: Snapshot, school: str | None, academic_year: str | None = None, dimension: str | None = None
) -> list[ShareInfo]:
    """Shares of outgoing students by continent or destination type."""
    return [
        share
        for share in _in_school(snapshot, snapshot.shares, school)
        if (academic_year is None or share.academic_year == academic_year)
        and (dimension is None or share.dimension == dimension)
    ]


def networks_of(snapshot: Snapshot, school: str | None) -> list[NetworkInfo]:
    return _in_school(snapshot, snapshot.networks.values(), school)


def grants_of(snapshot: Snapshot, school: str | None, programme: str | None = None) -> list[GrantInfo]:
    grants = _in_school(snapshot, snapshot.grants.values(), school)
    return [grant for grant in grants if programme is None or programme in grant.programmes]


def services_of(snapshot: Snapshot, school: str | None) -> list[ServiceInfo]:
    return _in_school(snapshot, snapshot.services.values(), school)
