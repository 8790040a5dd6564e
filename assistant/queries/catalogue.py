"""Programmes, contacts, facts, statistics, networks, grants and services of a school."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from assistant.db import models
from assistant.queries.names import KIND_PREFIX
from assistant.queries.schools import SourceRef, family, get_source

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Info = TypeVar("Info", bound="DataclassInstance")


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
    kind: str
    summary_en: str | None
    summary_fr: str | None
    joined: str | None
    members: int | None
    countries: int | None
    url: str | None
    source: SourceRef


@dataclass(frozen=True)
class GrantInfo:
    id: str
    institution: str
    name_en: str
    name_fr: str
    summary_en: str | None
    summary_fr: str | None
    url: str | None
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


def _info(cls: type[Info], row: Any, session: Session, **extra: Any) -> Info:
    values = {}
    for info_field in fields(cls):
        if info_field.name in extra:
            values[info_field.name] = extra[info_field.name]
        elif info_field.name == "source":
            values["source"] = get_source(session, row.source)
        else:
            value = getattr(row, info_field.name)
            values[info_field.name] = tuple(value) if isinstance(value, list) else value
    return cls(**values)


def _in_school(table: Any, session: Session, school: str | None) -> Any:
    query = select(table)
    if school is not None:
        query = query.where(table.institution.in_(family(session, school)))
    return query


def get_contact(session: Session, contact_id: str) -> ContactInfo | None:
    row = session.get(models.Contact, contact_id)
    return None if row is None else _contact_info(session, row)


def _contact_info(session: Session, row: models.Contact) -> ContactInfo:
    topics = session.execute(
        select(models.ContactTopic.topic)
        .where(models.ContactTopic.contact == row.id)
        .order_by(models.ContactTopic.position)
    ).scalars()
    hours = session.execute(
        select(models.OfficeHours).where(models.OfficeHours.contact == row.id).order_by(models.OfficeHours.position)
    ).scalars()
    return _info(
        ContactInfo,
        row,
        session,
        topics=tuple(topics),
        office_hours=tuple(OfficeHoursInfo(h.weekday, h.opens, h.closes, h.placeholder) for h in hours),
    )


def contacts_for(session: Session, school: str | None, topic: str | None = None) -> list[ContactInfo]:
    """Contacts of a school (and its university) for a topic, in file order; all of them without a topic."""
    query = _in_school(models.Contact, session, school).order_by(models.Contact.position)
    if topic is not None:
        query = query.where(
            models.Contact.id.in_(select(models.ContactTopic.contact).where(models.ContactTopic.topic == topic))
        )
    return [_contact_info(session, row) for row in session.execute(query).scalars()]


def _programme_info(session: Session, row: models.Programme) -> ProgrammeInfo:
    return _info(ProgrammeInfo, row, session, contact=get_contact(session, row.contact) if row.contact else None)


def get_programme(session: Session, programme_id: str) -> ProgrammeInfo | None:
    row = session.get(models.Programme, programme_id)
    return None if row is None else _programme_info(session, row)


def find_programmes(
    session: Session, school: str | None = None, kind: str | None = None, direction: str | None = None
) -> list[ProgrammeInfo]:
    """Programmes of a school, optionally of one kind and direction, in file order."""
    query = _in_school(models.Programme, session, school).order_by(models.Programme.position)
    if kind is not None:
        query = query.where(models.Programme.kind == kind)
    if direction is not None:
        query = query.where(models.Programme.direction.in_((direction, "both")))
    return [_programme_info(session, row) for row in session.execute(query).scalars()]


def programmes_with_refusals(session: Session, school: str | None = None) -> list[ProgrammeInfo]:
    """Programmes whose documents name requests they do not accept, in file order."""
    query = (
        _in_school(models.Programme, session, school)
        .where(or_(models.Programme.not_accepted_en.is_not(None), models.Programme.not_accepted_fr.is_not(None)))
        .order_by(models.Programme.position)
    )
    return [_programme_info(session, row) for row in session.execute(query).scalars()]


def programmes_of_partners(session: Session, partner_ids: list[str]) -> list[tuple[str, int]]:
    """The programmes the partners take part in, each with its number of partners, dedicated ones first."""
    if not partner_ids:
        return []
    taken_part_in = select(models.PartnerProgramme.programme).where(models.PartnerProgramme.partner.in_(partner_ids))
    rows = session.execute(
        select(models.PartnerProgramme.programme, func.count(models.PartnerProgramme.partner))
        .where(models.PartnerProgramme.programme.in_(taken_part_in))
        .group_by(models.PartnerProgramme.programme)
    ).all()
    return sorted(((programme, count) for programme, count in rows), key=lambda row: (row[1], row[0]))


def programme_kind(session: Session, value: str) -> str | None:
    """The kind of programme a `programme` entity value names ("upc-phemed" or "kind:summer-school"), if known."""
    if value.startswith(KIND_PREFIX):
        return value[len(KIND_PREFIX) :]
    programme = session.get(models.Programme, value)
    return programme.kind if programme is not None else None


def is_known_programme(session: Session, value: str) -> bool:
    """Whether `value` names a programme ("upc-phemed") or a kind of programme ("kind:summer-school")."""
    if value.startswith(KIND_PREFIX):
        return session.get(models.ProgrammeKind, value[len(KIND_PREFIX) :]) is not None
    return session.get(models.Programme, value) is not None


def facts_about(session: Session, school: str | None, topic: str | None = None) -> list[FactInfo]:
    """Facts about a school and its university, optionally on one topic, in file order."""
    query = _in_school(models.Fact, session, school).order_by(models.Fact.position)
    if topic is not None:
        query = query.where(models.Fact.topic == topic)
    return [_info(FactInfo, row, session) for row in session.execute(query).scalars()]


def mobility_statistics(
    session: Session,
    school: str | None,
    kind: str | None = None,
    direction: str | None = None,
    academic_year: str | None = None,
) -> list[StatisticInfo]:
    """Yearly student counts, oldest year first."""
    table = models.MobilityStatistic
    query = _in_school(table, session, school).order_by(table.academic_year, table.position)
    for column, value in (("kind", kind), ("direction", direction), ("academic_year", academic_year)):
        if value is not None:
            query = query.where(getattr(table, column) == value)
    return [_info(StatisticInfo, row, session) for row in session.execute(query).scalars()]


def mobility_shares(
    session: Session, school: str | None, academic_year: str | None = None, dimension: str | None = None
) -> list[ShareInfo]:
    """Shares of outgoing students by continent or destination type."""
    table = models.MobilityShare
    query = _in_school(table, session, school).order_by(table.academic_year, table.position)
    if academic_year is not None:
        query = query.where(table.academic_year == academic_year)
    if dimension is not None:
        query = query.where(table.dimension == dimension)
    return [_info(ShareInfo, row, session) for row in session.execute(query).scalars()]


def networks_of(session: Session, school: str | None) -> list[NetworkInfo]:
    query = _in_school(models.Network, session, school).order_by(models.Network.position)
    return [_info(NetworkInfo, row, session) for row in session.execute(query).scalars()]


def grants_of(session: Session, school: str | None, programme: str | None = None) -> list[GrantInfo]:
    query = _in_school(models.Grant, session, school).order_by(models.Grant.position)
    if programme is not None:
        query = query.where(
            models.Grant.id.in_(select(models.GrantProgramme.grant).where(models.GrantProgramme.programme == programme))
        )
    return [_info(GrantInfo, row, session) for row in session.execute(query).scalars()]


def services_of(session: Session, school: str | None) -> list[ServiceInfo]:
    query = _in_school(models.Service, session, school).order_by(models.Service.position)
    return [_info(ServiceInfo, row, session) for row in session.execute(query).scalars()]
