"""Partner universities: by country, city, region, programme or name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.queries.names import PARTNER, NameIndex
from assistant.queries.schools import SourceRef, family

if TYPE_CHECKING:
    from assistant.queries.snapshot import Snapshot


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
    # The country's region, as stored in countries.yml (English).
    region: str | None
    programmes: tuple[ProgrammeRef, ...]
    source: SourceRef
    networks: tuple[str, ...] = ()


def find_partners(
    snapshot: Snapshot,
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
    members = family(snapshot, school) if school is not None else None
    asked_places = {(kind_of_place, value) for kind_of_place, value in places or ()}
    return [
        partner
        for partner in snapshot.partners.values()
        if (members is None or partner.institution in members)
        and (country is None or partner.country == country)
        and (city is None or partner.city == city)
        and (continent is None or partner.continent == continent)
        and (region is None or partner.region == region)
        and (not asked_places or not asked_places.isdisjoint(_places(partner)))
        and (
            (programme is None and kind is None)
            or any(
                (programme is None or linked.id == programme) and (kind is None or linked.kind == kind)
                for linked in partner.programmes
            )
        )
    ]


def _places(partner: PartnerInfo) -> set[tuple[str, str | None]]:
    """Where a partner is, as `find_partners` is asked about places."""
    return {
        ("country", partner.country),
        ("city", partner.city),
        ("continent", partner.continent),
        ("region", partner.region),
    }


def get_partners(snapshot: Snapshot, partner_ids: list[str]) -> list[PartnerInfo]:
    """Partners by id, in the order given."""
    return [partner for partner_id in partner_ids if (partner := snapshot.partners.get(partner_id)) is not None]


def search_partners(snapshot: Snapshot, names: NameIndex, text: str, limit: int = 5) -> list[PartnerInfo]:
    """Partners named by `text`, tolerant of case, accents and typos ("Karolinksa" finds Karolinska Institutet)."""
    matches = names.lookup(PARTNER, text, limit=limit)
    return get_partners(snapshot, [match.value for match in matches])
