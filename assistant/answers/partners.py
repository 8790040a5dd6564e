"""Answers about partner universities."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace

from assistant.answers.common import (
    Button,
    Context,
    Reply,
    Subject,
    cite,
    lead_then_list,
    localised,
    programme_fact,
    reply,
    school_name,
    schools_in_scope,
)
from assistant.answers.contacts import KIND_TOPICS, contact_line, contacts_for_topic, office_contacts
from assistant.geography import CONTINENT_LABELS, CONTINENT_PARTS, SHARE_CONTINENT_LABELS, excluded_continents
from assistant.queries.catalogue import ProgrammeInfo, find_programmes, get_programme, programme_kind
from assistant.queries.names import CONTINENT_PREFIX, KIND_PREFIX, PARTNER, NameIndex
from assistant.queries.partners import PartnerInfo, find_partners, get_partners
from assistant.queries.schools import family
from assistant.queries.search import distinctive_words
from assistant.queries.snapshot import ProgrammeKindInfo, Snapshot
from assistant.text import SENTENCE_BREAK, first_sentences, normalise

MAX_PARTNER_BUTTONS = 8
# A list names at most this many partners; a longer one over several countries is counted by country.
MAX_PARTNERS_LISTED = MAX_PARTNER_BUTTONS
# A word of a partner's name that at most this many of the school's partners' names hold singles it out.
RARE_NAME_WORD = 2
# A summary by country names this many countries, those with most partners; the others are counted.
SUMMARISED_COUNTRIES = 6
# A programme said for a place is described by this many characters of its description at most.
PROGRAMME_SENTENCE = 200
PARTNERS_WORD = re.compile(r"\b(?:partners?|partenaires?)\b")


def answer_partner_list(snapshot: Snapshot, context: Context) -> list[Reply]:
    """Partners of the school(s) in scope, filtered by the place and programme the student named."""
    if {"country", "city", "region"} & set(context.unrecognised) and not _names_a_place(context):
        return [reply("unknown_place")]
    if context.partner_cities and not _names_a_place(context):
        # "partners in New York?": the city, with every partner there, not the one whose name it also is.
        context = replace(
            context,
            cities=list(dict.fromkeys(context.partner_cities.values())),
            partners=[partner for partner in context.partners if partner not in context.partner_cities],
        )
    if context.partners and not _names_a_place(context):
        # "do you have partners at Karolinska?": the named partner is the answer, not every partner.
        return _named_partners(snapshot, context, context.partners)
    found: dict[str, list[PartnerInfo]] = {}
    if not (context.programmes or _names_a_place(context)) and context.previous_programmes:
        # "which countries?" after talking of the summer clerkships: that programme's partners, if it has any.
        follow_up = replace(context, programmes=context.previous_programmes[:1])
        found = _partners_by_school(snapshot, follow_up)
        if any(found.values()):
            context = follow_up
        elif described := _partners_described(snapshot, context, context.previous_programmes[0]):
            return [described]
    if not any(found.values()):
        found = _partners_by_school(snapshot, context)
    excluded = excluded_continents(normalise(context.text))
    place = _place_label(snapshot, context, excluded)
    replies: list[Reply] = []
    narrowed = {
        school: _named_by_the_question(snapshot, context, school, partners) for school, partners in found.items()
    }
    for school, partners in narrowed.items():
        name = school_name(snapshot, context, school)
        if not partners:
            for_the_place = _programmes_for_the_place(snapshot, context, school)
            if for_the_place:
                # "Exchange programmes with the USA at Lille?": no partner university, but a programme for that place.
                replies.append(_programmes_reply(snapshot, context, for_the_place))
            elif len(found) == 1:
                # Asked of one school: whom to ask, as for any fact the documents do not give.
                contact = office_contacts(snapshot, replace(context, school=school))
                replies.append(reply("partners_none_ask", school=name, place=place or "—", contact=contact))
            elif not any(narrowed.values()):
                # When the other school has some, its list is the answer: "none at Lille" is not what was asked.
                replies.append(reply("partners_none", school=name, place=place or "—"))
            continue
        shown = partners[:MAX_PARTNERS_LISTED]
        shared = _shared_programmes(context, partners)
        listed_for = f"{place}, {shared}" if shared and place and not context.programmes else place
        if context.show_all:
            lines = [_partner_line(context, partner, with_programmes=not shared) for partner in partners]
            shown = []
        elif place and (len(partners) <= MAX_PARTNERS_LISTED or len({p.country for p in partners}) == 1):
            lines = [_partner_line(context, partner, with_programmes=not shared) for partner in shown]
            if len(partners) > len(shown):
                lines.append(f"… (+{len(partners) - len(shown)})")
        else:
            lines = _countries_summary(context, partners)
            shown = []
        answer = reply(
            "partners_found" if len(partners) > 1 else "partner_found",
            school=name,
            count=len(partners),
            place=listed_for or _all_label(context),
            partners=lead_then_list(lines),
            source=cite(context, [partner.source for partner in partners]),
        )
        if len(shown) > 1:
            answer["buttons"] = partner_buttons(shown)
        if not context.show_all and len(partners) > len(shown):
            answer["buttons"] = [*answer.get("buttons", []), _show_all_button(context, school, len(partners))]
        answer["subject"] = Subject(
            schools=[school],
            countries=context.countries,
            cities=context.cities,
            regions=context.regions,
            programmes=context.programmes,
            partners=[partner.id for partner in partners] if len(partners) <= MAX_PARTNERS_LISTED else [],
        )
        replies.append(answer)
    return replies


def _partners_described(snapshot: Snapshot, context: Context, programme_id: str) -> Reply | None:
    """The sentence of a programme's description naming its partners, when the documents list none of them as
    partner universities ("with which partners?" after PHEMED)."""
    programme = get_programme(snapshot, programme_id)
    if programme is None:
        return None
    summary = localised(context, programme.summary_en, programme.summary_fr) or ""
    sentence = next((text for text in SENTENCE_BREAK.split(summary) if PARTNERS_WORD.search(normalise(text))), None)
    if sentence is None:
        return None
    return programme_fact(context, programme, sentence)


def _programmes_for_the_place(snapshot: Snapshot, context: Context, school: str) -> list[ProgrammeInfo]:
    """The school's programmes whose name says a country asked about ("ISEP – United States")."""
    countries = [country for code in context.countries if (country := snapshot.countries.get(code)) is not None]
    spellings = [normalise(name) for country in countries for name in (country.name_en, country.name_fr)]
    if not spellings:
        return []
    return [
        programme
        for programme in find_programmes(snapshot, school)
        if any(
            re.search(rf"\b{re.escape(spelling)}\b", normalise(f"{programme.name_en} {programme.name_fr}"))
            for spelling in spellings
        )
    ]


def _programmes_reply(snapshot: Snapshot, context: Context, programmes: list[ProgrammeInfo]) -> Reply:
    """Each programme named with the first sentence of its description."""
    lines = [
        f"{localised(context, programme.name_en, programme.name_fr)}: "
        f"{first_sentences(localised(context, programme.summary_en, programme.summary_fr) or '', PROGRAMME_SENTENCE)}"
        for programme in programmes
    ]
    return reply(
        "programme_facts",
        details=lead_then_list(lines),
        source=cite(context, [programme.source for programme in programmes]),
    )


def _names_a_place(context: Context) -> bool:
    return bool(context.countries or context.cities or context.regions)


def _partners_by_school(snapshot: Snapshot, context: Context) -> dict[str, list[PartnerInfo]]:
    """The partners of each school in scope that match the place and programme in `context`."""
    filters = _filters(context, excluded_continents(normalise(context.text)))
    return {school: find_partners(snapshot, school=school, **filters) for school in schools_in_scope(snapshot, context)}


def partner_buttons(partners: list[PartnerInfo]) -> list[Button]:
    """Quick replies for the partners of a short list, each asking what the partnership covers."""
    return [
        Button(title=partner.name, payload=f'/ask_is_partner{{"partner": "{partner.id}"}}')
        for partner in partners[:MAX_PARTNER_BUTTONS]
    ]


def _show_all_button(context: Context, school: str, count: int) -> Button:
    """The quick reply asking for the whole list a summary or a short list stands for: same school, place and
    programme."""
    entities = {"listing": "all", "institution": school}
    for entity, values in (
        ("country", context.countries),
        ("city", context.cities),
        ("region", context.regions),
        ("programme", context.programmes),
    ):
        if values:
            entities[entity] = values[0]
    return Button(
        payload=f"/ask_partners{json.dumps(entities, ensure_ascii=False)}",
        title_wording="button_show_all_partners",
        title_values={"count": str(count)},
    )


def _filters(context: Context, excluded: set[str]) -> dict:
    filters: dict = {}
    places = [("country", country) for country in context.countries]
    if not places:
        places = [("city", city) for city in context.cities]
    if not places:
        for region in context.regions:
            continent = region[len(CONTINENT_PREFIX) :] if region.startswith(CONTINENT_PREFIX) else None
            if continent in excluded:
                places += [("continent", other) for other in CONTINENT_LABELS if other not in excluded]
            elif continent is not None:
                places += [("continent", part) for part in CONTINENT_PARTS.get(continent, (continent,))]
            else:
                places.append(("region", region))
    if places:
        filters["places"] = places
    if context.programmes:
        # A programme named with its kind ("Erasmus exchanges") is that programme.
        specific = [value for value in context.programmes if not value.startswith(KIND_PREFIX)]
        programme = (specific or context.programmes)[0]
        if programme.startswith(KIND_PREFIX):
            filters["kind"] = programme[len(KIND_PREFIX) :]
        else:
            filters["programme"] = programme
    return filters


def _named_by_the_question(
    snapshot: Snapshot, context: Context, school: str, partners: list[PartnerInfo]
) -> list[PartnerInfo]:
    """The partners of a list whose names hold a word of the question that few partners' names hold: "which
    German one is linked to the Charité?" is Freie Universität Berlin (La Charité); "university" names them all."""
    # Not the words of the school's own names: "Paris Cité" does not single out Paris-Saclay.
    school_names = " ".join(
        " ".join((institution.name_en, institution.name_fr, *institution.short_names))
        for member in family(snapshot, school)
        if (institution := snapshot.institutions.get(member)) is not None
    )
    asked = set(distinctive_words(context.said_now or context.text)) - set(distinctive_words(school_names))
    if len(partners) < 2 or not any(asked & set(_name_words(partner)) for partner in partners):
        return partners  # nothing to narrow by: no need to read every partner
    every = find_partners(snapshot, school=school)
    frequency = Counter(word for partner in every for word in set(_name_words(partner)))
    rare = {word for word in asked if frequency[word] <= RARE_NAME_WORD}
    named = [partner for partner in partners if rare & set(_name_words(partner))]
    return named if 0 < len(named) < len(partners) else partners


def _name_words(partner: PartnerInfo) -> list[str]:
    return distinctive_words(f"{partner.name} {partner.name_en}")


def _place_label(snapshot: Snapshot, context: Context, excluded: set[str]) -> str | None:
    parts: list[str] = []
    if context.countries:
        countries = [snapshot.countries.get(country) for country in context.countries]
        parts.append(" + ".join(localised(context, c.name_en, c.name_fr) or c.id for c in countries if c is not None))
    elif context.cities:
        parts.append(" + ".join(context.cities))
    elif context.regions:
        labels = []
        for region in context.regions:
            if region.startswith(CONTINENT_PREFIX):
                continent = region[len(CONTINENT_PREFIX) :]
                english, french = CONTINENT_LABELS.get(continent) or SHARE_CONTINENT_LABELS[continent]
                if continent in excluded:
                    english, french = f"outside {english}", f"hors {french}"
                labels.append(french if context.french else english)
            else:
                labels.append(_region_label(snapshot, context, region))
        parts.append(" + ".join(labels))
    if context.programmes:
        parts.append(_programme_label(snapshot, context, context.programmes[0]))
    return ", ".join(parts) or None


def _region_label(snapshot: Snapshot, context: Context, region: str) -> str:
    french = next((country.region_fr for country in snapshot.countries.values() if country.region_en == region), None)
    return (french or region) if context.french else region


def _programme_label(snapshot: Snapshot, context: Context, programme: str) -> str:
    if programme.startswith(KIND_PREFIX):
        row: ProgrammeKindInfo | ProgrammeInfo | None = snapshot.programme_kinds.get(programme[len(KIND_PREFIX) :])
    else:
        row = snapshot.programmes.get(programme)
    if row is None:
        return programme
    return localised(context, row.name_en, row.name_fr) or programme


def _programmes_of(context: Context, partner: PartnerInfo) -> str:
    return ", ".join(
        dict.fromkeys(localised(context, ref.name_en, ref.name_fr) or ref.id for ref in partner.programmes)
    )


def _shared_programmes(context: Context, partners: list[PartnerInfo]) -> str | None:
    """What every partner of a list is a partner for, when it is the same for all: said once, not on each line."""
    programmes = {_programmes_of(context, partner) for partner in partners}
    return programmes.pop() if len(programmes) == 1 and len(partners) > 1 else None


def _partner_line(context: Context, partner: PartnerInfo, with_programmes: bool = True) -> str:
    """One partner of a list: its name as the document writes it, its city, and what it is a partner for unless
    the question named the programme or every partner listed shares it."""
    programmes = _programmes_of(context, partner) if with_programmes else ""
    # The one country asked is the list's heading: each partner's city alone.
    one_country = len(context.countries) == 1
    where = (partner.city or "") if one_country else partner_place(context, partner)
    names = normalise(f"{partner.name} {partner.name_en}")
    if where and partner.city and normalise(partner.city) in names:
        # "National University of Singapore", "University of Florence" already say their city: the country alone,
        # if it is another name.
        where = ", ".join(part for part in where.split(", ")[1:] if normalise(part) not in names)
    said = where and normalise(where) not in names
    line = partner_name(partner) + (f", {where}" if said else "")
    return line + (f" — {programmes}" if programmes and not context.programmes else "")


def partner_name(partner: PartnerInfo) -> str:
    """The document's name of a partner, with its English name only when that says more than a spelling."""
    if normalise(partner.name) in normalise(partner.name_en) or normalise(partner.name_en) in normalise(partner.name):
        return partner.name
    # "UCLouvain (Catholic University of Louvain)" in brackets reads "UCLouvain, Catholic University of Louvain".
    english = re.sub(r"\s*\(([^()]*)\)", r", \1", partner.name_en)
    return f"{partner.name} ({english})"


def _countries_summary(context: Context, partners: list[PartnerInfo]) -> list[str]:
    """One line: the countries with most partners and their counts, the others counted ("and 13 other countries")."""
    counts = sorted(
        Counter(partner.country_fr if context.french else partner.country_en for partner in partners).items(),
        key=lambda item: -item[1],
    )
    named = counts[:SUMMARISED_COUNTRIES]
    others = len(counts) - len(named)
    line = ", ".join(f"{country} ({count})" for country, count in named)
    if others:
        line += f" et {others} autres pays" if context.french else f" and {others} other countries"
    return [line]


def _all_label(context: Context) -> str:
    return "tous pays" if context.french else "all countries"


def answer_is_partner(snapshot: Snapshot, context: Context, names: NameIndex) -> list[Reply]:
    """Whether a named university is a partner, and for what; or which partners a named place or programme has."""
    places_named = context.countries or context.cities or context.regions
    # A place asked about ("and in China?") is not a typo of a partner's name.
    partner_ids = context.partners or ([] if places_named else _partners_spelt_loosely(names, context.topic_text))
    if partner_ids:
        return _named_partners(snapshot, context, _with_namesakes(snapshot, names, partner_ids))
    if context.countries or context.cities or context.regions or context.programmes:
        # "Can I do an exchange outside Europe?" names a programme, not a university: its partners.
        return answer_partner_list(snapshot, context)
    return [reply("partner_not_found", contact=office_contacts(snapshot, context))]


def _named_partners(snapshot: Snapshot, context: Context, partner_ids: list[str]) -> list[Reply]:
    """What each named partner is a partner for (or that it is the other school's), and whom to ask about a programme."""
    partners = get_partners(snapshot, partner_ids)
    if context.school and any(partner.school == context.school for partner in partners):
        partners = [partner for partner in partners if partner.school == context.school]
    replies = []
    for partner in partners:
        if context.school and partner.school != context.school:
            replies.append(
                reply(
                    "partner_of_other_school",
                    partner=partner.name,
                    asked=school_name(snapshot, context, context.school),
                    school=school_name(snapshot, context, partner.school),
                )
            )
            continue
        programmes = ", ".join(
            dict.fromkeys(localised(context, ref.name_en, ref.name_fr) or ref.id for ref in partner.programmes)
        )
        answer = reply(
            "is_partner" if programmes or not partner.networks else "is_network_partner",
            partner=partner.name,
            place=partner_place(context, partner),
            school=school_name(snapshot, context, partner.school),
            programmes=programmes or ", ".join(partner.networks),
            source=cite(context, [partner.source]),
        )
        answer["subject"] = Subject(schools=[partner.school], partners=[partner.id])
        replies.append(answer)
    answered = [partner for partner in partners if not context.school or partner.school == context.school]
    if answered and context.programmes:
        replies += _whom_to_ask(snapshot, context, answered[0].school)
    return replies


def _with_namesakes(snapshot: Snapshot, names: NameIndex, partner_ids: list[str]) -> list[str]:
    """The named partners and those of the same name at the other school: KU Leuven is a partner of both."""
    ids = []
    for partner_id in partner_ids:
        partner = snapshot.partners.get(partner_id)
        namesakes = [match.value for match in names.lookup(PARTNER, partner.name, cutoff=100)] if partner else []
        ids += [partner_id, *namesakes]
    return list(dict.fromkeys(ids))


def _whom_to_ask(snapshot: Snapshot, context: Context, school: str) -> list[Reply]:
    """A question about doing a programme at a partner ("from what year can I do the exchange with Singapore?")
    ends with the office that answers for that programme."""
    kind = programme_kind(snapshot, context.programmes[0])
    contacts = contacts_for_topic(snapshot, school, KIND_TOPICS.get(kind or ""))
    return [reply("more_details", contact=contacts[0].email or contact_line(context, contacts[0]))] if contacts else []


def _partners_spelt_loosely(names: NameIndex, text: str) -> list[str]:
    """Partners named with a typo ("karolinksa"): the best match among the message's word groups."""
    words = normalise(text).split()
    best = []
    for size in (3, 2, 1):
        for start in range(len(words) - size + 1):
            chunk = " ".join(words[start : start + size])
            if len(chunk) >= 5:
                best += names.lookup(PARTNER, chunk, limit=1, cutoff=88)
    best.sort(key=lambda match: -match.score)
    return [best[0].value] if best else []


def partner_place(context: Context, partner: PartnerInfo) -> str:
    country = partner.country_fr if context.french else partner.country_en
    # Each place once: "Singapore", not "Singapore, Singapore".
    return ", ".join(dict.fromkeys(part for part in (partner.city, country) if part))
