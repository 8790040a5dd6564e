"""Answers about the schools themselves: facts and figures, the city, services, networks, grants, statistics."""
from __future__ import annotations

from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.answers.common import Context, Reply, cite, localised, reply, school_name, schools_in_scope
from assistant.answers.contacts import office_contacts
from assistant.db import models
from assistant.geography import CONTINENT_LABELS
from assistant.queries import catalogue
from assistant.queries.schools import SourceRef, family, get_source
from assistant.queries.search import FACT, GRANT, NETWORK, SERVICE, Hit, TextIndex
from assistant.text import normalise

SCHOOL_TOPICS = ("figures", "history", "facilities", "research", "education", "industry", "mission")
CITY_TOPICS = ("city",)
DIRECTION_LABELS = {"outgoing": ("outgoing", "sortants"), "incoming": ("incoming", "entrants")}
SHARE_LABELS = {
    **CONTINENT_LABELS,
    "america": ("America", "Amérique"),
    "partner": ("partner destinations", "destinations partenaires"),
    "non-partner": ("non-partner destinations", "destinations non partenaires"),
}
# A specific match ("what is Circle U?") is answered alone; a vague one lists everything of that kind.
SPECIFIC_SCORE = 0.3
# Words that name a whole kind rather than one of its items: "services for international students" asks for them all.
KIND_WORDS = frozenset(
    """service services international internationaux internationales foreign etranger etrangers student students
    etudiant etudiants etudiante etudiantes available offer offered offers propose proposes disponible disponibles
    grant grants bourse bourses funding financement financial financiere financieres aide aides help mobility mobilite
    network networks reseau reseaux alliance alliances university universite faculty faculte school ecole""".split()
)


def _hit_line(session: Session, context: Context, hit: Hit) -> tuple[str, SourceRef]:
    table = {FACT: models.Fact, SERVICE: models.Service, NETWORK: models.Network, GRANT: models.Grant}[hit.kind]
    row = session.get(table, hit.id)
    if hit.kind == FACT:
        text = localised(context, row.text_en, row.text_fr)
    elif hit.kind == NETWORK:
        summary = localised(context, row.summary_en, row.summary_fr)
        text = f"{row.name}: {summary}" if summary else row.name
    else:
        name = localised(context, row.name_en, row.name_fr)
        summary = localised(context, row.summary_en, row.summary_fr)
        text = f"{name}: {summary}" if summary and summary != name else name
    return f"- {text}", get_source(session, row.source)


def _facts_reply(session: Session, context: Context, school: str, hits: List[Hit]) -> Reply:
    lines, sources = zip(*(_hit_line(session, context, hit) for hit in hits))
    return reply(
        "utter_facts",
        school=school_name(session, context, school),
        facts="\n".join(lines),
        source=cite(context, list(sources)),
    )


def _no_information(session: Session, context: Context) -> Reply:
    return reply("utter_no_information", contact=office_contacts(session, context))


def answer_from_texts(
    session: Session,
    context: Context,
    index: TextIndex,
    kinds: tuple[str, ...],
    topics: Optional[tuple[str, ...]] = None,
    list_all_when_vague: bool = False,
) -> List[Reply]:
    """The texts of each school in scope that best answer the question (its school names left out)."""
    question = context.topic_text
    if list_all_when_vague:
        question = " ".join(word for word in normalise(question).split() if word not in KIND_WORDS)
    found: dict[str, List[Hit]] = {}
    for school in schools_in_scope(session, context):
        hits = index.search(question, kinds, family(session, school), topics)
        found[school] = [hit for hit in hits if hit.score >= hits[0].score * 0.6] if hits and hits[0].score >= SPECIFIC_SCORE else hits
    specific = {school for school, hits in found.items() if hits and hits[0].score >= SPECIFIC_SCORE}
    replies = []
    for school, hits in found.items():
        if list_all_when_vague and not specific:
            hits = index.search(context.topic_text, kinds, family(session, school), topics, limit=20, min_score=0.0)
        elif specific and school not in specific:
            continue
        if hits:
            replies.append(_facts_reply(session, context, school, hits))
    return replies or [_no_information(session, context)]


def answer_by_search(session: Session, context: Context, index: TextIndex) -> List[Reply]:
    """The facts, services, networks or grants that clearly match the question; none when nothing does.

    "Clearly" means a good score and most of the question's distinctive words
    in the text: "requirements for international students" must not be
    answered with the number of international students.
    """
    replies = []
    for school in schools_in_scope(session, context):
        hits = index.search(context.topic_text, (FACT, SERVICE, NETWORK, GRANT), family(session, school), min_score=SPECIFIC_SCORE)
        hits = [hit for hit in hits if hit.score >= hits[0].score * 0.8 and hit.covers(context.topic_text)] if hits else []
        if hits:
            replies.append(_facts_reply(session, context, school, hits))
    return replies


def answer_school_facts(session: Session, context: Context, index: TextIndex) -> List[Reply]:
    return answer_from_texts(session, context, index, (FACT,), SCHOOL_TOPICS)


def answer_city(session: Session, context: Context, index: TextIndex) -> List[Reply]:
    return answer_from_texts(session, context, index, (FACT,), CITY_TOPICS)


def answer_services(session: Session, context: Context, index: TextIndex) -> List[Reply]:
    return answer_from_texts(session, context, index, (SERVICE,), list_all_when_vague=True)


def answer_networks(session: Session, context: Context, index: TextIndex) -> List[Reply]:
    return answer_from_texts(session, context, index, (NETWORK,), list_all_when_vague=True)


def answer_grants(session: Session, context: Context, index: TextIndex) -> List[Reply]:
    """The grants that match, then whom to ask: the documents give no amounts."""
    replies = answer_from_texts(session, context, index, (GRANT,), list_all_when_vague=True)
    if replies[-1]["response"] == "utter_facts":
        replies.append(reply("utter_more_details", contact=office_contacts(session, context)))
    return replies


def _percent(context: Context, value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return (text.replace(".", ",") + " %") if context.french else f"{text}%"


def counted_kinds(session: Session, context: Context) -> set[str]:
    """The kinds of programme the yearly mobility statistics of the schools in scope count."""
    return {
        statistic.kind
        for school in schools_in_scope(session, context)
        for statistic in catalogue.mobility_statistics(session, school)
    }


def answer_statistics(session: Session, context: Context, index: TextIndex) -> List[Reply]:
    """Yearly mobility counts, where outgoing students went each year, and the matching figures."""
    kinds = {kind.id: kind for kind in session.execute(select(models.ProgrammeKind)).scalars()}
    replies = []
    for school in schools_in_scope(session, context):
        statistics = catalogue.mobility_statistics(session, school)
        rows: dict[tuple[str, str], List[str]] = {}
        for statistic in statistics:
            rows.setdefault((statistic.kind, statistic.direction), []).append(
                f"{statistic.academic_year}: {statistic.students}"
            )
        lines = [
            f"- {localised(context, kinds[kind].name_en, kinds[kind].name_fr)}, "
            f"{DIRECTION_LABELS[direction][1 if context.french else 0]}: {' · '.join(values)}"
            for (kind, direction), values in rows.items()
        ]
        shares = catalogue.mobility_shares(session, school)
        for year in sorted({share.academic_year for share in shares}):
            parts = [
                f"{SHARE_LABELS.get(share.category, (share.category, share.category))[1 if context.french else 0]} "
                f"{_percent(context, share.percent)}"
                for share in shares
                if share.academic_year == year
            ]
            kind = kinds[shares[0].kind]
            label = localised(context, kind.name_en, kind.name_fr)
            lines.append(f"- {label} {year} ({'destinations' if context.french else 'where students went'}): {', '.join(parts)}")
        figures = index.search(context.topic_text, (FACT,), family(session, school), ("figures",), limit=3, min_score=0.1)
        figure_lines = [_hit_line(session, context, hit) for hit in figures]
        lines += [line for line, _ in figure_lines]
        if not lines:
            continue
        sources = cite(context, [statistic.source for statistic in statistics] + [source for _, source in figure_lines])
        name = school_name(session, context, school)
        if statistics or shares:
            replies.append(reply("utter_statistics", school=name, statistics="\n".join(lines), source=sources))
        else:
            replies.append(reply("utter_facts", school=name, facts="\n".join(lines), source=sources))
    return replies or [_no_information(session, context)]
