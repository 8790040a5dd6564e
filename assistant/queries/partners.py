"""Partner universities: by country, city, region, programme or name."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from assistant.db import models
from assistant.queries.names import PARTNER, NameIndex
from assistant.queries.schools import SourceRef, family, get_source, school_of


@dataclass(frozen=True)
class ProgrammeRef:
    id: str
    kind: str
    name_en: str
    name_fr: str


@dataclass(frozen=True)
class PartnerInfo:
    """A partner university and what it is a partner for."""

    id: str
    institution: str
    school: str
    name: str
    name_en: str
    city: str | None
    country: str
    country_en: str
    country_fr: str
    continent: str
    programmes: tuple[ProgrammeRef, ...]
    source: SourceRef
    networks: tuple[str, ...] = ()


def find_partners(
    session: Session,
    *,
    school: str | None = None,
    country: str | None = None,
    city: str | None = None,
    continent: str | None = None,
    region: str | None = None,
    programme: str | None = None,
    kind: str | None = None,
    places: list[tuple[str, str]] | None = None,
) -> list[PartnerInfo]:
    """Partners matching every given criterion, ordered by country then as the documents list them.

    Args:
        school: an institution id; partners of its parent university and its schools count too.
        country: an ISO country id such as "es".
        city: a city as stored (see `NameIndex.lookup`).
        continent: a continent id such as "asia".
        region: a region name as stored in countries.yml (English).
        programme: a programme id.
        kind: a programme kind id such as "clinical-clerkship".
        places: several places at once, any of which may match: ("country", "gr"), ("region", "Western Asia").
    """
    query = select(models.Partner, models.Country).join(models.Country, models.Partner.country == models.Country.id)
    if school is not None:
        query = query.where(models.Partner.institution.in_(family(session, school)))
    if country is not None:
        query = query.where(models.Partner.country == country)
    if city is not None:
        query = query.where(models.Partner.city == city)
    if continent is not None:
        query = query.where(models.Country.continent == continent)
    if region is not None:
        query = query.where(models.Country.region_en == region)
    if places:
        columns = {
            "country": models.Partner.country,
            "city": models.Partner.city,
            "continent": models.Country.continent,
            "region": models.Country.region_en,
        }
        query = query.where(or_(*(columns[kind_of_place] == value for kind_of_place, value in places)))
    if programme is not None or kind is not None:
        linked = select(models.PartnerProgramme.partner).join(
            models.Programme, models.Programme.id == models.PartnerProgramme.programme
        )
        if programme is not None:
            linked = linked.where(models.Programme.id == programme)
        if kind is not None:
            linked = linked.where(models.Programme.kind == kind)
        query = query.where(models.Partner.id.in_(linked))
    rows = session.execute(query.order_by(models.Country.name_en, models.Partner.position)).all()
    return _partner_infos(session, rows)


def get_partners(session: Session, partner_ids: list[str]) -> list[PartnerInfo]:
    """Partners by id, in the order given."""
    if not partner_ids:
        return []
    rows = session.execute(
        select(models.Partner, models.Country)
        .join(models.Country, models.Partner.country == models.Country.id)
        .where(models.Partner.id.in_(partner_ids))
    ).all()
    by_id = {info.id: info for info in _partner_infos(session, rows)}
    return [by_id[partner_id] for partner_id in partner_ids if partner_id in by_id]


def search_partners(session: Session, names: NameIndex, text: str, limit: int = 5) -> list[PartnerInfo]:
    """Partners named by `text`, tolerant of case, accents and typos ("Karolinksa" finds Karolinska Institutet)."""
    matches = names.lookup(PARTNER, text, limit=limit)
    return get_partners(session, [match.value for match in matches])


def _partner_infos(session: Session, rows: list) -> list[PartnerInfo]:
    partner_ids = [partner.id for partner, _ in rows]
    programmes: dict[str, list[ProgrammeRef]] = {}
    if partner_ids:
        linked = session.execute(
            select(models.PartnerProgramme.partner, models.Programme)
            .join(models.Programme, models.Programme.id == models.PartnerProgramme.programme)
            .where(models.PartnerProgramme.partner.in_(partner_ids))
            .order_by(models.PartnerProgramme.partner, models.PartnerProgramme.position)
        ).all()
        for partner_id, programme in linked:
            programmes.setdefault(partner_id, []).append(
                ProgrammeRef(programme.id, programme.kind, programme.name_en, programme.name_fr)
            )
    networks: dict[str, list[str]] = {}
    if partner_ids:
        memberships = session.execute(
            select(models.PartnerNetwork.partner, models.Network.name)
            .join(models.Network, models.Network.id == models.PartnerNetwork.network)
            .where(models.PartnerNetwork.partner.in_(partner_ids))
            .order_by(models.PartnerNetwork.partner, models.PartnerNetwork.position)
        ).all()
        for partner_id, network_name in memberships:
            networks.setdefault(partner_id, []).append(network_name)
    sources: dict[str, SourceRef] = {}
    schools: dict[str, str] = {}
    infos = []
    for partner, country in rows:
        if partner.source not in sources:
            sources[partner.source] = get_source(session, partner.source)
        if partner.institution not in schools:
            schools[partner.institution] = school_of(session, partner.institution)
        infos.append(
            PartnerInfo(
                id=partner.id,
                institution=partner.institution,
                school=schools[partner.institution],
                name=partner.name,
                name_en=partner.name_en,
                city=partner.city,
                country=country.id,
                country_en=country.name_en,
                country_fr=country.name_fr,
                continent=country.continent,
                programmes=tuple(programmes.get(partner.id, [])),
                source=sources[partner.source],
                networks=tuple(networks.get(partner.id, [])),
            )
        )
    return infos
