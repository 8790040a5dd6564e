"""The knowledge of one revision, read once and kept in memory for the query layer.

Students' questions only read the knowledge; staff change it by an import, which
bumps the knowledge revision. So the action server reads every table once per
revision into frozen dataclasses (`Snapshot`) and answers from them, without a
statement per question; `SnapshotCache` reads them again when the revision changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from assistant.db import models
from assistant.queries.cache import RevisionCache
from assistant.queries.catalogue import (
    ContactInfo,
    FactInfo,
    GrantInfo,
    NetworkInfo,
    OfficeHoursInfo,
    ProgrammeInfo,
    ServiceInfo,
    ShareInfo,
    StatisticInfo,
)
from assistant.queries.partners import PartnerInfo, ProgrammeRef
from assistant.queries.schools import InstitutionInfo, SourceRef, school_of

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Info = TypeVar("Info", bound="DataclassInstance")


@dataclass(frozen=True)
class CountryInfo:
    id: str
    name_en: str
    name_fr: str
    region_en: str | None
    region_fr: str | None
    continent: str


@dataclass(frozen=True)
class ProgrammeKindInfo:
    id: str
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class StudyYearInfo:
    year: int
    label_en: str
    label_fr: str
    # How the schools write that year ("DFGSM3", "PACES").
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Snapshot:
    """Every table students' questions read, by id, in the order the query layer lists them."""

    revision: int
    institutions: Mapping[str, InstitutionInfo]
    countries: Mapping[str, CountryInfo]
    programme_kinds: Mapping[str, ProgrammeKindInfo]
    contacts: Mapping[str, ContactInfo]
    programmes: Mapping[str, ProgrammeInfo]
    # By country name, then in file order, as `find_partners` lists them.
    partners: Mapping[str, PartnerInfo]
    facts: Mapping[str, FactInfo]
    networks: Mapping[str, NetworkInfo]
    grants: Mapping[str, GrantInfo]
    services: Mapping[str, ServiceInfo]
    # Oldest academic year first, then in file order.
    statistics: tuple[StatisticInfo, ...]
    shares: tuple[ShareInfo, ...]
    study_years: tuple[StudyYearInfo, ...] = ()


def read_snapshot(session: Session, revision: int) -> Snapshot:
    """Read the knowledge of `revision` (one statement per table)."""
    sources = {
        row.id: SourceRef(row.id, row.title_en, row.title_fr, row.valid_for)
        for row in session.execute(select(models.Source)).scalars()
    }
    institutions = {
        row.id: _info(InstitutionInfo, row, sources)
        for row in session.execute(select(models.Institution).order_by(models.Institution.position)).scalars()
    }
    contacts = _contacts(session, sources)
    programmes = {
        row.id: _info(ProgrammeInfo, row, sources, contact=contacts.get(row.contact) if row.contact else None)
        for row in session.execute(select(models.Programme).order_by(models.Programme.position)).scalars()
    }
    grant_programmes: dict[str, list[str]] = {}
    for grant, programme in session.execute(
        select(models.GrantProgramme.grant, models.GrantProgramme.programme).order_by(models.GrantProgramme.position)
    ):
        grant_programmes.setdefault(grant, []).append(programme)
    snapshot = Snapshot(
        revision=revision,
        institutions=institutions,
        countries={
            row.id: CountryInfo(row.id, row.name_en, row.name_fr, row.region_en, row.region_fr, row.continent)
            for row in session.execute(select(models.Country).order_by(models.Country.position)).scalars()
        },
        programme_kinds={
            row.id: ProgrammeKindInfo(row.id, row.name_en, row.name_fr)
            for row in session.execute(select(models.ProgrammeKind).order_by(models.ProgrammeKind.position)).scalars()
        },
        contacts=contacts,
        programmes=programmes,
        partners={},
        facts=_by_id(session, models.Fact, FactInfo, sources),
        networks=_by_id(session, models.Network, NetworkInfo, sources),
        grants={
            row.id: _info(GrantInfo, row, sources, programmes=tuple(grant_programmes.get(row.id, ())))
            for row in session.execute(select(models.Grant).order_by(models.Grant.position)).scalars()
        },
        services=_by_id(session, models.Service, ServiceInfo, sources),
        statistics=_by_year(session, models.MobilityStatistic, StatisticInfo, sources),
        shares=_by_year(session, models.MobilityShare, ShareInfo, sources),
        study_years=tuple(
            StudyYearInfo(row.year, row.label_en, row.label_fr, tuple(row.codes or ()))
            for row in session.execute(select(models.StudyYear).order_by(models.StudyYear.position)).scalars()
        ),
    )
    # A partner names its school, found among the institutions above.
    return replace(snapshot, partners=_partners(session, snapshot, sources))


def _info(cls: type[Info], row: Any, sources: Mapping[str, SourceRef], **extra: Any) -> Info:
    """The dataclass `cls` with the row's columns of the same names, lists as tuples, its source as a `SourceRef`."""
    values = {}
    for info_field in fields(cls):
        if info_field.name in extra:
            values[info_field.name] = extra[info_field.name]
        elif info_field.name == "source":
            values["source"] = sources[row.source]
        else:
            value = getattr(row, info_field.name)
            values[info_field.name] = tuple(value) if isinstance(value, list) else value
    return cls(**values)


def _by_id(session: Session, table: Any, cls: type[Info], sources: Mapping[str, SourceRef]) -> dict[str, Info]:
    """A table's rows by id, in file order."""
    return {
        row.id: _info(cls, row, sources) for row in session.execute(select(table).order_by(table.position)).scalars()
    }


def _by_year(session: Session, table: Any, cls: type[Info], sources: Mapping[str, SourceRef]) -> tuple[Info, ...]:
    """A table of yearly figures, oldest academic year first, then in file order."""
    query = select(table).order_by(table.academic_year, table.position)
    return tuple(_info(cls, row, sources) for row in session.execute(query).scalars())


def _contacts(session: Session, sources: Mapping[str, SourceRef]) -> dict[str, ContactInfo]:
    """The contacts by id in file order, each with its topics and office hours in file order."""
    topics: dict[str, list[str]] = {}
    for contact, topic in session.execute(
        select(models.ContactTopic.contact, models.ContactTopic.topic).order_by(models.ContactTopic.position)
    ):
        topics.setdefault(contact, []).append(topic)
    hours: dict[str, list[OfficeHoursInfo]] = {}
    for row in session.execute(select(models.OfficeHours).order_by(models.OfficeHours.position)).scalars():
        hours.setdefault(row.contact, []).append(OfficeHoursInfo(row.weekday, row.opens, row.closes, row.placeholder))
    return {
        row.id: _info(
            ContactInfo,
            row,
            sources,
            topics=tuple(topics.get(row.id, ())),
            office_hours=tuple(hours.get(row.id, ())),
        )
        for row in session.execute(select(models.Contact).order_by(models.Contact.position)).scalars()
    }


def _partners(session: Session, snapshot: Snapshot, sources: Mapping[str, SourceRef]) -> dict[str, PartnerInfo]:
    """The partners by id, by country name then in file order, each with its programmes and networks in file
    order."""
    programmes: dict[str, list[ProgrammeRef]] = {}
    for partner_id, programme_id in session.execute(
        select(models.PartnerProgramme.partner, models.PartnerProgramme.programme).order_by(
            models.PartnerProgramme.partner, models.PartnerProgramme.position
        )
    ):
        programme = snapshot.programmes[programme_id]
        programmes.setdefault(partner_id, []).append(
            ProgrammeRef(programme.id, programme.kind, programme.name_en, programme.name_fr)
        )
    networks: dict[str, list[str]] = {}
    for partner_id, network_id in session.execute(
        select(models.PartnerNetwork.partner, models.PartnerNetwork.network).order_by(
            models.PartnerNetwork.partner, models.PartnerNetwork.position
        )
    ):
        networks.setdefault(partner_id, []).append(snapshot.networks[network_id].name)
    rows = session.execute(
        select(models.Partner)
        .join(models.Country, models.Partner.country == models.Country.id)
        .order_by(models.Country.name_en, models.Partner.position)
    ).scalars()
    partners = {}
    for row in rows:
        country = snapshot.countries[row.country]
        partners[row.id] = PartnerInfo(
            id=row.id,
            institution=row.institution,
            school=school_of(snapshot, row.institution),
            name=row.name,
            name_en=row.name_en,
            city=row.city,
            country=country.id,
            country_en=country.name_en,
            country_fr=country.name_fr,
            continent=country.continent,
            region=country.region_en,
            programmes=tuple(programmes.get(row.id, ())),
            source=sources[row.source],
            networks=tuple(networks.get(row.id, ())),
        )
    return partners


class SnapshotCache(RevisionCache[Snapshot]):
    """The current `Snapshot`, read again after an import."""

    def __init__(self, engine: Engine | None = None, check_interval: float = 2.0) -> None:
        super().__init__(read_snapshot, engine, check_interval)
