"""Answers about the schools themselves: facts and figures, the city, services, networks, grants, statistics."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from assistant.answers.common import (
    RELATED_KINDS,
    Context,
    Reply,
    Subject,
    cite,
    lead_then_list,
    localised,
    reply,
    school_fact_reply,
    school_name,
    schools_in_scope,
)
from assistant.answers.contacts import office_contacts
from assistant.answers.partners import answer_partner_list
from assistant.geography import CONTINENT_LABELS, SHARE_CONTINENT_LABELS
from assistant.queries import catalogue
from assistant.queries.catalogue import ShareInfo, StatisticInfo
from assistant.queries.names import CONTINENT_PREFIX, KIND_PREFIX
from assistant.queries.schools import SourceRef, family, schools
from assistant.queries.search import (
    FACT,
    GRANT,
    INSTITUTION,
    NETWORK,
    SERVICE,
    Hit,
    TextIndex,
    answering_sentences,
    distinctive_words,
    fact_name,
    kinds_not_given,
    names_a_topic,
    search_text,
    topic_words,
    wanted_kinds,
)
from assistant.queries.snapshot import ProgrammeKindInfo, Snapshot
from assistant.text import fold, normalise, without_spans

SCHOOL_TOPICS = ("figures", "history", "facilities", "research", "education", "industry", "mission", "identity")
CITY_TOPICS = ("city",)
OVERVIEW_FACTS = 3
# A reply quotes one text up to this many characters, a listed fact up to LISTED_FACT_CHARACTERS, and lists at most
# MAX_LISTED texts.
ANSWER_CHARACTERS = 280
LISTED_FACT_CHARACTERS = 160
MAX_LISTED = 15
# A question that matches no text of its kind is answered with the first few of them, by name.
MAX_VAGUE_LISTED = 5
# A message taken for small talk is answered by the one text it names among this many best matches.
NAMED_AMONG = 5
# The words naming a kind of item listed in full (networks, services, grants), on normalised text.
LIST_OF_A_KIND = re.compile(
    r"\b(?:networks?|reseaux?|alliances?|associations?|services?|grants?|bourses?|aides?|fundings?|financements?)\b"
)
# A specific question is answered by its best text, and by one more only when it scores about as well: the asked
# fact first and alone, not every related one.
CONTEXT_SCORE_RATIO = 0.9
MAX_ANSWER_TEXTS = 2
# A second text whose topic words are at least this share of the first's says it again: it is left out.
REPEATED_WORDS_SHARE = 0.8
HEADING_CHARACTERS = 60
ANSWER_TEXTS_CHARACTERS = 450
DIRECTION_LABELS = {"outgoing": ("outgoing", "sortants"), "incoming": ("incoming", "entrants")}
SHARE_LABELS = {
    **CONTINENT_LABELS,
    **SHARE_CONTINENT_LABELS,
    "partner": ("partner destinations", "destinations partenaires"),
    "non-partner": ("non-partner destinations", "destinations non partenaires"),
}
# A specific match ("what is Circle U?") is answered alone; a vague one lists everything of that kind.
SPECIFIC_SCORE = 0.3
# A text holding less than this share of the question's distinctive words answers it only in part.
PARTLY_ANSWERED = 0.6
# A text scoring this many times the next best is what the question is about, whatever its wording.
STANDOUT_RATIO = 1.5
# Of the score a text needs to answer alone, the share it needs when both schools are named and compared.
COMPARED_SCORE_SHARE = 0.5
# Answers quoting the documents' texts, and the most topic words a message following one up has ("how big?").
TEXT_ANSWERS = frozenset(["fact", "facts", "asked_school_fact", "asked_school_facts", "network_joined"])
# Questions that follow up an answer their own way: "who runs it?" after the office's staff asks for its head.
OWN_FOLLOW_UPS = frozenset(["ask_contact", "ask_office_hours"])
# "When did that office open?", "le bureau a ouvert quand ?": when it was opened, not its opening hours.
OPENED_IN_THE_PAST = re.compile(
    r"\b(?:when did\b.*\bopen|opened|a ouvert|a ete ouvert|ont ouvert|ont ete ouverts?|a ete inaugure\w*|inaugurated)\b"
)
FOLLOW_UP_WORDS = 2
# ... or this many when it points back at it ("how many people train there every year?").
POINTING_FOLLOW_UP_WORDS = 5
# A message taken for another subject is answered by a text this good and this far ahead of the next: of the
# 974 out-of-scope training phrases, 4 pass (2026-12-08).
STANDING_OUT_SCORE = 0.5
STANDING_OUT_RATIO = 3.0
# ... or this far ahead when it holds this share of the question's words (years aside).
COVERED_STANDING_OUT_RATIO = 2.0
STANDING_OUT_COVERED = 0.75
# Words that name a whole kind rather than one of its items: "services for international students" asks for them all.
KIND_WORDS = frozenset(
    [
        "service",
        "services",
        "international",
        "internationaux",
        "internationales",
        "foreign",
        "etranger",
        "etrangers",
        "student",
        "students",
        "etudiant",
        "etudiants",
        "etudiante",
        "etudiantes",
        "available",
        "offer",
        "offered",
        "offers",
        "propose",
        "proposes",
        "disponible",
        "disponibles",
        "grant",
        "grants",
        "bourse",
        "bourses",
        "funding",
        "financement",
        "financial",
        "financiere",
        "financieres",
        "aide",
        "aides",
        "help",
        "mobility",
        "mobilite",
        "network",
        "networks",
        "reseau",
        "reseaux",
        "alliance",
        "alliances",
        "associations",
        "member",
        "members",
        "membre",
        "membres",
        "part",
        "partie",
        "fait",
        "belong",
        "belongs",
        "appartient",
        "european",
        "europeens",
        "europeennes",
        "university",
        "universite",
        "faculty",
        "faculte",
        "school",
        "ecole",
    ]
)
# A figure holding this share of a statistics question's words answers it rather than the yearly counts
# ("how many countries do students go to for clerkships?").
FIGURE_COVERS = 0.66
FIGURES_SEARCHED = 3
BOTH_WAYS_SCORE_RATIO = 0.8
# What the yearly counts speak to, by the first letters of the words (see `distinctive_words`): the students,
# the kind of mobility, its direction, the year.
COUNTED_WORDS = (
    "stude", "etudi", "clerk", "stage", "elect", "exch", "echan", "erasm", "abroa", "etran", "outgo", "incom",
    "entra", "sorta", "mobil", "clini", "acade", "went", "goin", "leav", "part", "venu", "each", "chaq", "year",
    "anne", "many", "much", "numb", "nomb", "combi", "host", "recei", "accue", "welc", "send", "sent", "envo",
)  # fmt: skip
# Words joining the several things one question asks about, on normalised text.
# Questions about where students go ("what percentage go to Europe?") want the destination shares first.
# The shares of partner and non-partner destinations, beside those of the continents.
DESTINATION_SHARES = frozenset(["partner", "non-partner"])
# "Which year had the most outgoing ones?", "en quelle année y en a-t-il eu le plus ?": the year of the largest count.
PEAK_YEAR_WORDS = re.compile(
    r"\b(?:which|what|quelle) (?:academic )?(?:year|annee)\b.*\b(?:most|highest|largest|biggest|record|peak|"
    r"le plus|la plus|maximum)\b|\b(?:le plus|most)\b.*\b(?:en|in) (?:quelle|which|what) (?:annee|year)\b"
)
TOP_SHARE_WORDS = re.compile(
    r"\b(?:which|what|quel|quelle) (?:continent|region)\b.*\b(?:top|most|first|biggest|largest|main|le plus|"
    r"la plus|en tete|premier|premiere|principal)\b|\b(?:top|most popular|main|premier|principal) continent\b"
    r"|\b(?:mostly|mainly|surtout|principalement|majoritairement)\b.*\b(?:continent|region)\b"
)
COUNT_WORDS = re.compile(r"\b(?:how many|number of|combien|nombre)\b")
SHARE_WORDS = re.compile(
    r"\b(percent|percentage|share|proportion|how many go|where do|where did|pourcentage|quelle part|"
    r"combien partent|ou partent|ou vont|ou sont alles|breakdown|by continent|per continent|each continent|"
    r"which continents|by region|repartition|par continent|quels continents|par region)\b"
)
CONJUNCTIONS = re.compile(r"\b(?:or|and|ou|et)\b")
# What a reply says it does not know, by the kind of answer asked (`kinds_not_given`).
VALUE_NAMES = {
    "amount": ("the amount", "le montant"),
    "number": ("the number", "le nombre"),
    "year": ("the date", "la date"),
    "website": ("the web address", "l'adresse web"),
    "distance": ("the distance", "la distance"),
    "duration": ("the duration", "la durée"),
    "size": ("the size", "la taille"),
}


def _hit_text(
    snapshot: Snapshot, context: Context, hit: Hit, limit: int, school: str | None = None
) -> tuple[str, SourceRef]:
    """A fact's text, or a service's, network's or grant's name and summary, cut to its first sentences within
    `limit` characters; in a list (`limit` 0) a service, network or grant is only named. An institution's
    website is named with the institution unless it is `school`, the one the reply is about."""
    if hit.kind == INSTITUTION:
        institution = snapshot.institutions[hit.id]
        website = (
            f"{'site internet' if context.french else 'website'}{' :' if context.french else ':'} {institution.website}"
        )
        if hit.id != school:
            website = f"{localised(context, institution.name_en, institution.name_fr)}, {website}"
        return website, institution.source
    question = context.topic_text
    if hit.kind == FACT:
        fact = snapshot.facts[hit.id]
        text = answering_sentences(
            localised(context, fact.text_en, fact.text_fr) or "", question, max(limit, LISTED_FACT_CHARACTERS)
        )
        return text, fact.source
    if hit.kind == NETWORK:
        network = snapshot.networks[hit.id]
        name, summary, source = (
            network.shown_name,
            localised(context, network.summary_en, network.summary_fr),
            network.source,
        )
        names: tuple[str, ...] = (network.name, *network.aliases)
        if network.url and "website" in {kind.name for kind in wanted_kinds(question)}:
            return f"{name}: {network.url}", source
    else:
        row = snapshot.services[hit.id] if hit.kind == SERVICE else snapshot.grants[hit.id]
        name = localised(context, row.name_en, row.name_fr) or row.id
        summary, source = localised(context, row.summary_en, row.summary_fr), row.source
        names = (row.name_en, row.name_fr)
    if not (limit and summary and summary != name):
        return name, source
    return f"{name}: {answering_sentences(summary, question, limit, names)}", source


def _texts_answer(
    snapshot: Snapshot,
    context: Context,
    school: str,
    hits: list[Hit],
    tell_missing: bool = True,
    detailed_first: bool = True,
    listed: int = MAX_LISTED,
) -> list[Reply]:
    """The texts' reply, after saying (with `tell_missing`) that they lack the kind of value asked, in which case
    they are only quoted shortly (a fact's first sentence, a service's or grant's name), as what the documents say
    instead."""
    missing = _value_not_given(snapshot, context, school, hits[:listed]) if tell_missing else []
    characters = 0 if missing else ANSWER_CHARACTERS
    return [*missing, _facts_reply(snapshot, context, school, hits, detailed_first, listed, characters)]


def _facts_reply(
    snapshot: Snapshot,
    context: Context,
    school: str,
    hits: list[Hit],
    detailed_first: bool = True,
    listed: int = MAX_LISTED,
    characters: int = ANSWER_CHARACTERS,
) -> Reply:
    """The one text that answers, or a short list of them (at most `listed`, the rest counted): the best one
    told, unless every item of a kind is listed, the others named."""
    name = school_name(snapshot, context, school)
    if len(hits) == 1:
        text, source = _hit_text(snapshot, context, hits[0], characters, school)
        answer = school_fact_reply(context, "fact", school, name, fact=text, source=cite(context, [source]))
        answer["subject"] = Subject(
            schools=[school],
            topics=[hits[0].topic],
            texts=[f"{hits[0].kind}:{hits[0].id}"],
            names=_named_by(context, hits[0]),
        )
        return answer
    shown = hits[:listed]
    lines, sources = zip(
        *(
            _hit_text(snapshot, context, hit, characters if detailed_first and rank == 0 else 0, school)
            for rank, hit in enumerate(shown)
        ),
        strict=True,
    )
    more = [f"… (+{len(hits) - listed})"] if len(hits) > listed else []
    answer = school_fact_reply(
        context, "facts", school, name, facts=lead_then_list([*lines, *more]), source=cite(context, list(sources))
    )
    answer["subject"] = Subject(
        schools=[school], topics=sorted({hit.topic for hit in shown}), names=_named_by(context, shown[0])
    )
    return answer


def _named_by(context: Context, hit: Hit) -> list[str]:
    """The name a text is about ("PRESAGE: ..."), else, in a follow-up, the one the conversation was about."""
    own = fact_name(hit.text)
    if own:
        return list(own)
    return list(context.previous_subject.get("names") or []) if _followed(context) else []


def _no_information(snapshot: Snapshot, context: Context) -> Reply:
    return reply("no_information", contact=office_contacts(snapshot, context))


def answer_from_texts(
    snapshot: Snapshot,
    context: Context,
    index: TextIndex,
    kinds: tuple[str, ...],
    topics: tuple[str, ...] | None = None,
    list_all_when_vague: bool = False,
) -> list[Reply]:
    """The texts of each school in scope that best answer the question (its school names left out).

    With `list_all_when_vague`, a question that names no item of the kind is
    answered by a fact that clearly matches it ("how many student
    associations?"), else by every item of the kind.
    """
    # Names the message writes, besides those the gazetteer knows, that no text of the documents uses.
    unmentioned = index.unmentioned_names(context.unnamed_text)
    if unmentioned:
        # "What is your rank in the Shanghai ranking?": no text says Shanghai; the nearest ones would not answer.
        return [
            reply("not_mentioned", name=unmentioned[0], contact=office_contacts(snapshot, context, e_mail_only=True))
        ]
    question = context.topic_text
    if list_all_when_vague:
        question = " ".join(word for word in normalise(question).split() if word not in KIND_WORDS)
    # Both schools named are compared: each with its best text, even one matching less clearly.
    needed = SPECIFIC_SCORE * COMPARED_SCORE_SHARE if context.both_schools_named else SPECIFIC_SCORE
    found: dict[str, list[Hit]] = {}
    for school in _schools_to_search(snapshot, context, index):
        preferred = preferred_institution(snapshot, context, school)
        hits = _search_each_part(index, question, kinds, family(snapshot, school), topics, preferred)
        if hits is None:
            searched = family(snapshot, school)
            if preferred != school:
                # The university the student names ("when was the University of Lille founded?"): its own texts
                # when one matches, its name being left out of the question.
                own = index.search(question, kinds, [preferred], topics, earlier=_followed(context))
                searched = [preferred] if own and own[0].score >= needed else searched
            hits = index.search(question, kinds, searched, topics, preferred=preferred, earlier=_followed(context))
            hits = (
                best_texts(_going_the_asked_way(hits, context), question, context.said_now)
                if hits and hits[0].score >= needed
                else hits
            )
        found[school] = hits
    specific = {school for school, hits in found.items() if hits and hits[0].score >= needed}
    if context.school is None and len(specific) > 1 and not context.both_schools_named:
        # "InclusU: how many universities?" asked of no school: the school whose texts match it far better.
        best = max(hit.score for school in specific for hit in found[school])
        specific = {school for school in specific if max(hit.score for hit in found[school]) * STANDOUT_RATIO >= best}
    if list_all_when_vague and not specific:
        clear_facts = _clear_facts(snapshot, context, index, kinds)
        if clear_facts:
            return clear_facts
    replies = []
    unmatched_lists = False
    for school, hits in found.items():
        if list_all_when_vague and not specific:
            hits = index.search(context.topic_text, kinds, family(snapshot, school), topics, limit=20, min_score=0.0)
        elif specific and school not in specific:
            continue
        if hits:
            # Every item of the kind for "what services are there?"; the first few when the question asked for
            # something they do not hold ("is there housing?").
            nothing_matched = (
                list_all_when_vague
                and not specific
                and bool(search_text(question))
                and not _asks_the_whole_list(context.topic_text, question, hits)
            )
            unmatched_lists = unmatched_lists or nothing_matched
            listed = MAX_VAGUE_LISTED if nothing_matched else MAX_LISTED
            answer = _texts_answer(
                snapshot, context, school, hits, bool(specific or not list_all_when_vague), bool(specific), listed
            )
            replies += answer
            if (
                specific == {school}
                and answer[0]["wording"] != "value_not_given"
                and not any(hit.covers(question, PARTLY_ANSWERED) for hit in hits[:listed])
            ):
                # "How many exchange places?" answered by the number of international students: whom to ask.
                replies.append(reply("more_details", contact=_e_mail(snapshot, context, school)))
    if replies and unmatched_lists:
        # "Is there housing?" matched nothing: the full list must not read as the answer.
        contact = office_contacts(snapshot, context, e_mail_only=True)
        replies.insert(0, reply("nothing_specific_listing_all", contact=contact))
    return replies or [_no_information(snapshot, context)]


def _asks_the_whole_list(question: str, beyond_the_kind: str, hits: list[Hit]) -> bool:
    """Whether a question naming the kind asked for ("de quels réseaux institutionnels ... ?") has, beyond the
    kind's words, only words that none of the items holds: it asks for them all, not for one they lack ("is there
    housing?")."""
    words = distinctive_words(beyond_the_kind)
    return bool(LIST_OF_A_KIND.search(normalise(question))) and not any(
        word in normalise(hit.text) for hit in hits for word in words
    )


def _value_not_given(snapshot: Snapshot, context: Context, school: str, hits: list[Hit]) -> list[Reply]:
    """ "The documents don't give the amount; ask ..." before texts that match the question but do not give the
    kind of answer it wants; nothing when they give it."""
    missing = kinds_not_given(wanted_kinds(context.text), [hit.text for hit in hits])
    if not missing:
        return []
    english, french = VALUE_NAMES[missing[0]]
    return [
        reply("value_not_given", what=french if context.french else english, contact=_e_mail(snapshot, context, school))
    ]


def _e_mail(snapshot: Snapshot, context: Context, school: str) -> str:
    """The e-mail of one school's office, where whom to ask is an aside."""
    return office_contacts(snapshot, replace(context, school=school), e_mail_only=True)


def answer_text_follow_up(snapshot: Snapshot, context: Context, index: TextIndex) -> list[Reply]:
    """A short follow-up of an answer from the documents' texts ("how big is it?" after PRESAGE), answered from
    the texts about what the previous question asked; none when it is not one, or they do not answer it."""
    opened = bool(OPENED_IN_THE_PAST.search(normalise(context.text)))
    if not _followed(context) or (context.intent in OWN_FOLLOW_UPS and not opened):
        return []
    kinds = (FACT, SERVICE, NETWORK, GRANT, INSTITUTION)
    # "Who are the partners in the 3i network?" after a fact on alliances names its own subject.
    named_now = _named_texts(index, context.topic_text, kinds)
    if named_now and named_now[0] not in _named_texts(index, context.previous_text, kinds):
        return []
    topics = set(context.previous_subject.get("topics") or ())
    kept = next((group for group in (SCHOOL_TOPICS, CITY_TOPICS) if topics and topics <= set(group)), None)
    replies = answer_from_texts(snapshot, context, index, kinds, kept)
    return [] if replies[0]["wording"] == "no_information" else replies


def _named_texts(index: TextIndex, question: str, kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    """The texts a question names ("PRESAGE", "the 3i network"), best first, as (kind, id)."""
    return [(hit.kind, hit.id) for hit in index.search(question, kinds, said_otherwise=False) if hit.named]


def _followed(context: Context) -> str:
    """The previous question, when the message is a short follow-up of an answer from the documents' texts ("how
    big?" after "what is PRESAGE?"); else nothing."""
    names_its_own = context.countries or context.cities or context.regions or context.programmes or context.partners
    own_words = len(distinctive_words(context.topic_text))
    # "How many people train there?" after PRESAGE's size: PRESAGE, the name the conversation is about.
    points_at_a_name = context.points_back and bool(context.previous_subject.get("names"))
    followed = (
        context.previous_wording in TEXT_ANSWERS
        and (own_words <= FOLLOW_UP_WORDS or (points_at_a_name and own_words <= POINTING_FOLLOW_UP_WORDS))
        and not names_its_own
    )
    if not followed:
        return ""
    previous = context.previous_text
    about = " ".join(context.previous_subject.get("names") or ())
    return f"{without_spans(previous, replaced_by_follow_up(previous, context.said_now))} {about}".strip()


def replaced_by_follow_up(previous: str, said: str) -> list[tuple[int, int]]:
    """Where the previous question says what a follow-up says instead, as (start, end) stretches of it: its way
    ("and incoming ones?" after the outgoing clerkships is not about outgoing ones; "in total?"), its years ("and
    in 2022-2023?")."""
    asked, folded = normalise(said), fold(previous)
    patterns = []
    ways = [INCOMING_WORDS, OUTGOING_WORDS, BOTH_WAYS_WORDS]
    if any(way.search(asked) for way in ways):
        patterns += ways
    if YEAR.search(asked):
        patterns.append(WRITTEN_YEAR)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(match.span() for pattern in patterns for match in pattern.finditer(folded)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _going_the_asked_way(hits: list[Hit], context: Context) -> list[Hit]:
    """The texts about the way the message asks ("and outgoing?": the outgoing figure, not the total of both ways;
    "in total?": the figure of both ways); all of them when it asks no way or none is about it."""
    said = normalise(context.said_now)
    asked = _direction(said)
    if asked is None and BOTH_WAYS_WORDS.search(said):
        both = [hit for hit in hits if _both_ways(normalise(hit.text))]
        return both or hits
    going = [hit for hit in hits if asked and _direction(normalise(hit.text)) == asked]
    return going or hits


def _both_ways(text: str) -> bool:
    """Whether a normalised text counts both ways ("incoming + outgoing")."""
    return bool(INCOMING_WORDS.search(text) and OUTGOING_WORDS.search(text))


def best_texts(hits: list[Hit], question: str, said: str = "") -> list[Hit]:
    """The best text, and the next ones (at most MAX_ANSWER_TEXTS in all) scoring about as well, of the same
    institution: the school's own figure is not followed by its university's. When the question wants a kind of
    answer (a number, a size), a text giving it comes first among those scoring about as well ("the size of the
    PRESAGE centre": its area, not its description), and only texts giving it follow. Those holding more of the
    words `said` (the message as written), then of the question, come first."""
    wanted = wanted_kinds(question)

    def gives_what_is_asked(hit: Hit) -> bool:
        return bool(wanted) and not kinds_not_given(wanted, [hit.text])

    close = [hit for hit in hits if hit.score >= hits[0].score * CONTEXT_SCORE_RATIO]
    giving = next((hit for hit in close if gives_what_is_asked(hit)), None)
    if giving is not None:
        hits = [giving, *(hit for hit in hits if hit is not giving)]
    chosen: list[Hit] = []
    for hit in hits:
        if len(chosen) == MAX_ANSWER_TEXTS:
            break
        if hit.score < hits[0].score * CONTEXT_SCORE_RATIO or hit.institution != hits[0].institution:
            continue
        if giving is not None and not gives_what_is_asked(hit):
            continue
        if chosen and _words_held(hit, question) < _words_held(chosen[0], question):
            # "How many beds?": the number of beds, not also the number of staff the same page gives.
            continue
        if chosen and sum(len(text.text) for text in [*chosen, hit]) > ANSWER_TEXTS_CHARACTERS:
            # A second text only while the reply stays short.
            break
        if any(_says_again(hit.text, text.text) for text in chosen):
            continue
        chosen.append(hit)
    # The text the question names first ("the partners in the 3i network": 3i's, not InclusU's that says
    # "partners"), then the one holding more of the message's own words ("how many student associations?" leads
    # with them, not with the number of students; "and consultation rooms?" after the hospital rooms), then of the
    # question. Not by words when the best text holds none of them: it was found by other words (search_words.yml:
    # "firms", companies).
    if not chosen or not _words_held(chosen[0], said or question):
        return sorted(chosen, key=lambda hit: not hit.named)
    return sorted(
        chosen, key=lambda hit: (not hit.named, -_words_held(hit, said or question), -_words_held(hit, question))
    )


def _words_held(hit: Hit, question: str) -> int:
    """How many of the question's distinctive words (their first letters) a text holds."""
    text = normalise(hit.text)
    return sum(word in text for word in set(distinctive_words(question)))


def _says_again(text: str, said: str) -> bool:
    """Whether `text` adds nearly nothing to `said`: most of its topic words are in it ("the research units
    represent almost 25 % of Inserm's" after "34 research units, representing almost 25 % of Inserm's")."""
    if _heading(text) and _heading(said) and _heading(text) != _heading(said):
        # Two named items described alike ("Erasmus+ study allowance: ...", "Erasmus+ traineeship allowance: ...").
        return False
    words = set(distinctive_words(text))
    return bool(words) and len(words & set(distinctive_words(said))) >= REPEATED_WORDS_SHARE * len(words)


def _heading(text: str) -> str | None:
    """The name a text starts with, before its colon or first full stop ("Erasmus+ study allowance"), if short."""
    head = re.split(r":|\.\s", text, maxsplit=1)[0]
    return head.strip() if len(head) < len(text) and len(head) <= HEADING_CHARACTERS else None


def _schools_to_search(snapshot: Snapshot, context: Context, index: TextIndex) -> list[str]:
    """The schools in scope; but "what is PRESAGE?" asked while talking of Paris Cité is answered by Lille,
    whose texts alone name it (the reply names the school)."""
    in_scope = schools_in_scope(snapshot, context)
    defining = index.institutions_defining(context.topic_text)
    if context.school is None or not defining or defining & set(family(snapshot, context.school)):
        return in_scope
    return [school for school in schools(snapshot) if defining & set(family(snapshot, school))] or in_scope


def _search_each_part(
    index: TextIndex,
    question: str,
    kinds: tuple[str, ...],
    institutions: list[str],
    topics: tuple[str, ...] | None,
    preferred: str,
) -> list[Hit] | None:
    """For a question about several things ("sports or a cultural centre?"), the best texts for each;
    None unless each part clearly matches a text of its own."""
    parts = [part for part in CONJUNCTIONS.split(normalise(question)) if search_text(part)]
    if len(parts) < 2:
        return None
    merged: dict[tuple[str, str], Hit] = {}
    for part in parts:
        # Each part in its own words: said otherwise, "teachers go abroad" would stand for a question of its own.
        hits = index.search(part, kinds, institutions, topics, preferred=preferred, said_otherwise=False)
        if not hits or hits[0].score < SPECIFIC_SCORE:
            return None
        for hit in hits:
            if hit.score >= hits[0].score * 0.6:
                merged.setdefault((hit.kind, hit.id), hit)
    return list(merged.values())


def _clear_facts(snapshot: Snapshot, context: Context, index: TextIndex, kinds: tuple[str, ...]) -> list[Reply]:
    """The facts that clearly answer the question, when they match it better than any item of `kinds`."""
    replies = []
    for school in schools_in_scope(snapshot, context):
        hits = clear_hits(
            index,
            context.topic_text,
            (FACT, *kinds),
            family(snapshot, school),
            preferred_institution(snapshot, context, school),
        )
        if hits and hits[0].kind == FACT:
            replies += _texts_answer(snapshot, context, school, [hit for hit in hits if hit.kind == FACT])
    return replies


def answer_by_search(snapshot: Snapshot, context: Context, index: TextIndex, covering: bool = False) -> list[Reply]:
    """The facts, services, networks or grants that clearly match the question; none when nothing does. With
    `covering`, only texts the question names or whose words it holds ("how long?" is matched by none)."""
    if covering and not names_a_topic(context.topic_text):
        return []
    replies = []
    for school in _schools_to_search(snapshot, context, index):
        hits = clear_hits(
            index,
            context.topic_text,
            (FACT, SERVICE, NETWORK, GRANT, INSTITUTION),
            family(snapshot, school),
            preferred_institution(snapshot, context, school),
        )
        if covering:
            hits = [hit for hit in hits if hit.named or hit.covers(context.topic_text)]
        if hits:
            replies += _texts_answer(snapshot, context, school, hits)
    return replies


def answer_standing_out(snapshot: Snapshot, context: Context, index: TextIndex) -> list[Reply]:
    """The one text that matches the message far better than any other, of the schools in scope; none otherwise.

    A message the classifier takes for small talk or another subject ("what happened in 1951?", "LabEx
    labels?") is still answered when one of the documents' texts plainly is about it.
    """
    kinds = (FACT, SERVICE, NETWORK, GRANT, INSTITUTION)
    institutions = [member for school in schools_in_scope(snapshot, context) for member in family(snapshot, school)]
    ranked = index.search(context.topic_text, kinds, institutions, min_score=0.0, limit=NAMED_AMONG)
    # The one text the message names ("MED-4 to MED-6", "PRESAGE") stands out however few words it shares, and
    # however well another matches a common word ("what does MED-4/5/6 involve?": not the staff "involved" in
    # research).
    named = [hit for hit in ranked if hit.named]
    named_alone = len(named) == 1
    ranked = [*named, *(hit for hit in ranked if not hit.named)] if named_alone else ranked[:2]
    if not ranked or ranked[0].score < (SPECIFIC_SCORE if named_alone else STANDING_OUT_SCORE):
        return []
    if not named_alone and len(ranked) > 1:
        ratio = ranked[0].score / max(ranked[1].score, 1e-9)
        # Less far ahead, the text must also hold the question's words beyond a year: "who won the World Cup in
        # 2018?" is not about the University of Lille's founding in 2018.
        covered = ranked[0].covers(YEAR.sub(" ", context.topic_text), STANDING_OUT_COVERED)
        if ratio < STANDING_OUT_RATIO and not (ratio >= COVERED_STANDING_OUT_RATIO and covered):
            return []
    school = next(
        school for school in schools_in_scope(snapshot, context) if ranked[0].institution in family(snapshot, school)
    )
    return [_facts_reply(snapshot, context, school, ranked[:1])]


def clear_hits(
    index: TextIndex, question: str, kinds: tuple[str, ...], institutions: list[str], preferred: str | None = None
) -> list[Hit]:
    """The texts that clearly match the question, best first; none when nothing does.

    "Clearly" means a good score and either most of the question's distinctive
    words in the text, or a text far ahead of every other: "requirements for
    international students" must not be answered with the number of
    international students, while "I don't speak French well, are there
    language courses?" is answered with the French classes.
    """
    ranked = index.search(question, kinds, institutions, min_score=0.0, preferred=preferred)
    if not ranked or ranked[0].score < SPECIFIC_SCORE:
        return []
    if len(ranked) == 1 or ranked[0].score >= STANDOUT_RATIO * max(hit.score for hit in ranked[1:]):
        return ranked[:1]
    return best_texts(
        [
            hit
            for hit in ranked
            if hit.score >= max(SPECIFIC_SCORE, ranked[0].score * 0.8) and (hit.named or hit.covers(question))
        ],
        question,
    )


def answer_school_facts(snapshot: Snapshot, context: Context, index: TextIndex) -> list[Reply]:
    if not search_text(context.topic_text):
        return _overview(snapshot, context)
    return answer_from_texts(snapshot, context, index, (FACT, INSTITUTION), SCHOOL_TOPICS)


def preferred_institution(snapshot: Snapshot, context: Context, school: str) -> str:
    """The institution whose texts answer first: the school's university when the student named it ("how many
    students at the University of Lille?"), else the school itself."""
    named = context.named_institution
    return named if named and named in family(snapshot, school) else school


def _overview(snapshot: Snapshot, context: Context) -> list[Reply]:
    """ "What is the Lille medical school?" names nothing to search for: the first facts the documents give
    about the school, its own before its university's."""
    replies = []
    for school in schools_in_scope(snapshot, context):
        facts = [fact for fact in catalogue.facts_about(snapshot, school) if fact.topic in SCHOOL_TOPICS]
        facts.sort(key=lambda fact: fact.institution != school)
        chosen = facts[:OVERVIEW_FACTS]
        if chosen:
            replies.append(
                school_fact_reply(
                    context,
                    "facts",
                    school,
                    school_name(snapshot, context, school),
                    facts=lead_then_list([localised(context, fact.text_en, fact.text_fr) or "" for fact in chosen]),
                    source=cite(context, [fact.source for fact in chosen]),
                )
            )
    if not replies:
        return [_no_information(snapshot, context)]
    return [*replies, reply("more_details", contact=office_contacts(snapshot, context))]


def answer_city(snapshot: Snapshot, context: Context, index: TextIndex) -> list[Reply]:
    """Life in the schools' cities; about another city the documents only know its partner universities."""
    school_cities = {normalise(city) for institution in snapshot.institutions.values() if (city := institution.city)}
    if context.cities and not school_cities & {normalise(city) for city in context.cities}:
        return answer_partner_list(snapshot, context)
    return answer_from_texts(snapshot, context, index, (FACT,), CITY_TOPICS)


def answer_services(snapshot: Snapshot, context: Context, index: TextIndex) -> list[Reply]:
    return answer_from_texts(snapshot, context, index, (SERVICE,), list_all_when_vague=True)


def answer_networks(snapshot: Snapshot, context: Context, index: TextIndex) -> list[Reply]:
    """The networks that match; "when did you join ECTSMA?" is answered by the date the documents give."""
    # "What's the website of ECTSMA, the network UPC joined?" asks for the website, not the date.
    another_kind = {kind.name for kind in wanted_kinds(context.topic_text)} - {"year"}
    if JOINED_WORDS.search(normalise(context.topic_text)) and not another_kind:
        joined = _network_joined(snapshot, context, index)
        if joined:
            return joined
    return answer_from_texts(snapshot, context, index, (NETWORK,), list_all_when_vague=True)


def _network_joined(snapshot: Snapshot, context: Context, index: TextIndex) -> list[Reply]:
    replies = []
    for school in schools_in_scope(snapshot, context):
        hits = clear_hits(index, context.topic_text, (NETWORK,), family(snapshot, school))
        network = next(
            (row for row in catalogue.networks_of(snapshot, school) if hits and row.id == hits[0].id and row.joined),
            None,
        )
        if network is None or network.joined is None:
            continue
        year, _, month = network.joined.partition("-")
        months = MONTHS_FR if context.french else MONTHS_EN
        since = f"{months[int(month) - 1]} {year}" if month.isdigit() and 1 <= int(month) <= 12 else year
        joined = reply(
            "network_joined",
            school=school_name(snapshot, context, network.institution),
            network=network.name,
            since=since,
            source=cite(context, [network.source]),
        )
        # "Ça regroupe combien de facultés ?" next is about the network.
        joined["subject"] = Subject(
            schools=[school], topics=[network.kind], texts=[f"{NETWORK}:{network.id}"], names=[network.name]
        )
        replies.append(joined)
    return replies


def answer_grants(snapshot: Snapshot, context: Context, index: TextIndex) -> list[Reply]:
    """The grants that match, then whom to ask: the documents give no amounts."""
    replies = answer_from_texts(snapshot, context, index, (GRANT,), list_all_when_vague=True)
    if replies[-1]["wording"] in TEXT_ANSWERS and replies[0]["wording"] not in (
        "nothing_specific_listing_all",
        "value_not_given",
    ):
        replies.append(reply("more_details", contact=office_contacts(snapshot, context, e_mail_only=True)))
    return replies


def _percent(context: Context, value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return (text.replace(".", ",") + " %") if context.french else f"{text}%"


def counted_kinds(snapshot: Snapshot) -> set[str]:
    """The kinds of programme the yearly mobility statistics count, at any school: a school without yearly
    statistics answers how many go on them with its figures."""
    return {statistic.kind for statistic in catalogue.mobility_statistics(snapshot, None)}


# What a statistics question names, on normalised text: academic years ("2023-2024", "2024/25"), single years,
# and whether it counts students coming in or going out.
YEAR_SPAN = re.compile(r"\b(20\d\d) (?:(?:to|a|et|and) )?(20\d\d|\d\d)\b")
YEAR = re.compile(r"\b(20\d\d)\b")
# A number of students, not a year or a percentage ("the 273 students", "ces 196 étudiants").
COUNT_SAID = re.compile(r"\b(?!(?:19|20)\d\d\b)(\d{2,4})\b(?! ?(?:%|percent|pour ?cent))")
# A year or an academic year as written ("2021", "2021/2022", "2022-23").
WRITTEN_YEAR = re.compile(r"\b20\d\d(?:\s*[-/–]\s*(?:20)?\d\d)?\b")
SHORT_YEAR_SPAN = re.compile(r"\b(2\d) (2\d)\b")  # "22-23", "22/23"
SINCE = re.compile(r"\b(?:since|depuis|from|a partir de|after|apres)(?: l annee| the year)? $")
# "and the year before?", "et l'année d'après ?": the year next to the one the conversation was about.
YEAR_BEFORE = re.compile(r"\b(?:(?:the )?year before|previous year|prior year|annee (?:d )?avant|annee precedente)\b")
YEAR_AFTER = re.compile(r"\b(?:(?:the )?year after|following year|annee (?:d )?apres|annee suivante)\b")
INCOMING_WORDS = re.compile(
    r"\b(?:incoming|inbound|came|come|coming|welcome[sd]?|host(?:s|ed)?|receive[sd]?|entrants?|accueill\w*|"
    r"recus|venus?|venues?|viennent)\b"
)
PARTNER_WORDS = re.compile(r"\bpartner|\bpartenaire")
NON_PARTNER_WORDS = re.compile(r"\b(?:non|not|hors|without|sans) ?(?:a )?(?:partner|partenaire)")
STATISTICS_WORDINGS = frozenset(["statistic", "statistic_with_earlier", "statistics", "share", "share_with_earlier"])
# "When did you join ECTSMA?", "membre depuis quand ?": the date a network was joined.
JOINED_WORDS = re.compile(
    r"\b(?:when|since when|what year|which year|join|joined|quand|depuis quand|quelle annee|rejoint|adhere)\b"
)
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")  # fmt: skip
# "How many ... every year?" is answered by a figure that says how many each year, not by the yearly counts.
# "How many in total since 2021?": the cumulated figure ("Since 2021/2022: 1,274 ..."), not the yearly counts.
TOTAL_WORDS = re.compile(r"\b(?:total|in all|altogether|overall|en tout|au total|cumul\w*)\b|\b(?:since|depuis) 20\d\d")
# "In total?" after one way's figure: both ways.
BOTH_WAYS_WORDS = re.compile(r"\b(?:total|in all|altogether|overall|both ways|en tout|au total|dans les deux sens)\b")
PER_YEAR = re.compile(r"\b(?:every|each|per|a) year\b|\bannually\b|\bchaque annee\b|\bpar an\b|\btous les ans\b")
OUTGOING_WORDS = re.compile(
    # Not "parti", "partie": "partie échanges académiques" is a section, not students who left.
    r"\b(?:outgoing|outbound|went|go|going|abroad|sends?|sent|left|sortants?|partis|parties|partent|partir|"
    r"envo\w*|etranger)\b"
)


def academic_years(text: str) -> set[str]:
    """The academic years a normalised question names ("2023-2024", "2024/25"; "in 2024" is either year
    around it), not those it counts from ("since 2021")."""
    years = {
        f"{match.group(1)}-{match.group(2) if len(match.group(2)) == 4 else match.group(1)[:2] + match.group(2)}"
        for match in YEAR_SPAN.finditer(text)
        if not SINCE.search(text[: match.start()])
    }
    years |= {
        f"20{match.group(1)}-20{match.group(2)}"
        for match in SHORT_YEAR_SPAN.finditer(text)
        if int(match.group(2)) == int(match.group(1)) + 1 and not SINCE.search(text[: match.start()])
    }
    if not years and not YEAR_SPAN.search(text):
        for match in YEAR.finditer(text):
            if not SINCE.search(text[: match.start()]):
                year = int(match.group(1))
                years |= {f"{year - 1}-{year}", f"{year}-{year + 1}"}
    return years


@dataclass(frozen=True)
class StatisticsQuestion:
    """What a statistics question narrows the figures to; None where it does not say."""

    years: frozenset[str] | None
    kind: str | None
    direction: str | None
    regions: frozenset[str]
    asks_shares: bool
    # "partner", "non-partner" or both when the question asks for the share of partner destinations.
    destinations: frozenset[str] = frozenset()
    # "Which continent was the top one?": the largest continent's share.
    asks_top: bool = False
    # "Which year had the most?": the largest yearly count.
    asks_peak: bool = False
    # "Combien d'étudiants ..., et quelle part en Asie ?": the count as well as the share.
    asks_count_too: bool = False

    @classmethod
    def of(cls, snapshot: Snapshot, context: Context) -> StatisticsQuestion:
        text = normalise(context.text)
        # What the student names now comes first, then what the figures just given were about, then the words of
        # the previous question that a follow-up is read with ("and the year before?", "et les entrants ?").
        said_now = normalise(context.said_now or context.text)
        years = academic_years(said_now)
        kinds = [
            programme[len(KIND_PREFIX) :]
            if programme.startswith(KIND_PREFIX)
            else catalogue.programme_kind(snapshot, programme)
            for programme in context.programmes
        ]
        regions = frozenset(
            region[len(CONTINENT_PREFIX) :] for region in context.regions if region.startswith(CONTINENT_PREFIX)
        )
        # "and to Oceania?" after the non-partner share asks Oceania's alone.
        destinations_text = said_now if regions else text
        destinations = frozenset(
            category
            for category, said in (
                ("non-partner", NON_PARTNER_WORDS.search(destinations_text)),
                ("partner", PARTNER_WORDS.search(NON_PARTNER_WORDS.sub(" ", destinations_text))),
            )
            if said
        )
        # A follow-up ("and in 2024-2025?", "and outgoing?") keeps what the previous figures were about.
        previous = context.previous_subject if context.previous_wording in STATISTICS_WORDINGS else Subject()
        direction = _direction(said_now) or previous.get("direction") or _direction(text)
        counts = catalogue.mobility_statistics(snapshot, context.school)
        years = (
            years
            or counted_years(counts, said_now, direction)
            or set(previous.get("years") or ())
            or academic_years(text)
            or counted_years(counts, text, direction)
        )
        asks_peak = bool(PEAK_YEAR_WORDS.search(said_now))
        if asks_peak:
            # Over every year, not the one the conversation was about.
            years = academic_years(said_now)
        step = -1 if YEAR_BEFORE.search(text) else 1 if YEAR_AFTER.search(text) else 0
        if step and len(years) == 1:
            years = {"-".join(str(int(year) + step) for year in years.pop().split("-"))}
        asks_top = bool(TOP_SHARE_WORDS.search(said_now))
        # "and in 2024-2025?" after a share is that share in that year, unless it now asks how many.
        shares_before = set(previous.get("shares") or ()) if not COUNT_WORDS.search(said_now) else set()
        if shares_before and not (regions or destinations or asks_top):
            regions = frozenset(shares_before - DESTINATION_SHARES)
            destinations = frozenset(shares_before & DESTINATION_SHARES)
        return cls(
            years=frozenset(years) or None,
            kind=next((kind for kind in kinds if kind), None) or previous.get("kind"),
            direction=direction,
            regions=regions,
            asks_shares=bool(regions or destinations or shares_before or asks_top or SHARE_WORDS.search(text)),
            destinations=destinations,
            asks_top=asks_top,
            asks_peak=asks_peak,
            asks_count_too=bool(COUNT_WORDS.search(SHARE_WORDS.sub(" ", said_now)) and CONJUNCTIONS.search(said_now)),
        )

    def counts(self, statistics: list[StatisticInfo]) -> list[StatisticInfo]:
        """The yearly counts asked for; a criterion that matches nothing is not applied."""
        for keep in (
            lambda row: self.kind is None or row.kind in RELATED_KINDS.get(self.kind, (self.kind,)),
            lambda row: self.direction is None or row.direction == self.direction,
            lambda row: self.years is None or row.academic_year in self.years,
        ):
            narrowed = [row for row in statistics if keep(row)]
            statistics = narrowed or statistics
        if self.asks_peak and len({(row.kind, row.direction) for row in statistics}) == 1:
            return [max(statistics, key=lambda row: row.students)]
        return statistics

    def shares(self, shares: list[ShareInfo]) -> list[ShareInfo]:
        """The destination shares asked for: of the years and continents named, when the documents have them."""
        in_years = [share for share in shares if self.years is None or share.academic_year in self.years]
        shares = in_years or shares
        if self.asks_top:
            latest = max(share.academic_year for share in shares) if shares else None
            continents = [
                share for share in shares if share.academic_year == latest and share.category not in DESTINATION_SHARES
            ]
            return [max(continents, key=lambda share: share.percent)] if continents else shares
        # "North America" names the documents' "America" share.
        named = [
            share
            for share in shares
            if any(share.category in region.split("-") for region in self.regions)
            or share.category in self.destinations
        ]
        return named or shares

    def subject(self, statistics: list[StatisticInfo], shares: list[ShareInfo]) -> Subject:
        """What the figures given were about, for a follow-up to keep."""
        rows: list[StatisticInfo | ShareInfo] = [*statistics, *shares]
        subject = Subject(
            years=sorted({row.academic_year for row in rows}), schools=sorted({row.institution for row in rows})
        )
        if len({row.kind for row in rows}) == 1:
            subject["kind"] = rows[0].kind
        if shares:
            subject["shares"] = sorted({share.category for share in shares})
        directions = {row.direction for row in statistics}
        if len(directions) == 1:
            subject["direction"] = directions.pop()
        elif self.direction:
            subject["direction"] = self.direction
        return subject


def counted_years(statistics: list[StatisticInfo], text: str, direction: str | None) -> set[str]:
    """The academic years of the counts a normalised message repeats: "of the 273 students who went abroad" is
    about the year 273 went (going the way it says, when it says one)."""
    said = {int(number) for number in COUNT_SAID.findall(text)}
    counted = [row for row in statistics if row.students in said]
    return {row.academic_year for row in counted if direction is None or row.direction == direction} or {
        row.academic_year for row in counted
    }


def _direction(text: str) -> str | None:
    """ "incoming" or "outgoing" when a normalised text says one of them and not the other."""
    incoming, outgoing = bool(INCOMING_WORDS.search(text)), bool(OUTGOING_WORDS.search(text))
    return "incoming" if incoming and not outgoing else "outgoing" if outgoing and not incoming else None


def _figure_answers(hit: Hit, question: str) -> bool:
    """Whether a figure answers a statistics question the yearly counts cannot: it holds most of the words the
    counts do not speak to ("how many countries?", "in total since 2021?")."""
    beyond = [word for word in topic_words(question) if not word.startswith(COUNTED_WORDS)]
    text = normalise(hit.text)
    return bool(beyond) and sum(word in text for word in beyond) / len(beyond) >= FIGURE_COVERS


def asks_a_yearly_or_total_count(snapshot: Snapshot, context: Context) -> bool:
    """Whether the question names an academic year the mobility statistics count ("in 2022-2023"), or asks how
    many in total ("combien de stages entrants au total ?")."""
    if TOTAL_WORDS.search(normalise(context.text)) and any(
        kind.name == "number" for kind in wanted_kinds(context.text)
    ):
        return True
    years = academic_years(normalise(context.text))
    return bool(years) and any(
        statistic.academic_year in years for statistic in catalogue.mobility_statistics(snapshot, context.school)
    )


def answer_statistics(snapshot: Snapshot, context: Context, index: TextIndex) -> list[Reply]:
    """The yearly mobility counts or destination shares the question asks for: one figure when it names the year
    and what was counted, else the matching rows; a school without statistics answers from its figures."""
    if _followed(context):
        # "How many faculties?" after the ECTS network is about the network, not the yearly counts.
        return answer_from_texts(snapshot, context, index, (FACT, SERVICE, NETWORK, GRANT))
    question = StatisticsQuestion.of(snapshot, context)
    kinds = snapshot.programme_kinds
    counted = {
        school: catalogue.mobility_statistics(snapshot, school) for school in schools_in_scope(snapshot, context)
    }
    if context.school is None and any(counted.values()):
        counted = {school: statistics for school, statistics in counted.items() if statistics}
    replies = []
    for school, all_statistics in counted.items():
        if not all_statistics:
            # A school without yearly counts answers from its facts ("how many companies?" after Eurasante).
            replies += answer_from_texts(snapshot, replace(context, school=school), index, (FACT,), SCHOOL_TOPICS)
            continue
        name = school_name(snapshot, context, school)
        shares = question.shares(catalogue.mobility_shares(snapshot, school)) if question.asks_shares else []
        statistics = [] if shares else question.counts(all_statistics)
        # A school without yearly counts answers from its figures; one with them adds a figure that clearly
        # matches the question ("how many countries?", a total since 2021), which alone answers a question that
        # names no year.
        lines = _share_lines(context, kinds, shares) + _count_lines(context, kinds, statistics)
        follows_a_total = _follows_a_total(context)
        asks_total = bool(TOTAL_WORDS.search(normalise(context.topic_text))) or follows_a_total
        hits = index.search(
            context.topic_text,
            (FACT,),
            family(snapshot, school),
            ("figures",),
            limit=FIGURES_SEARCHED,
            min_score=SPECIFIC_SCORE,
            preferred=preferred_institution(snapshot, context, school),
            # "Dont combien de sortants ?" after a total is about that total.
            earlier=context.previous_text if follows_a_total else "",
        )
        # The best figure going the asked way: "how many went abroad since 2021?" is not the incoming total.
        if question.direction:
            hits = [hit for hit in hits if _direction(normalise(hit.text)) in (None, question.direction)]
            # A total asked one way is that way's total, not both ways' ("dont combien de sortants ?": 723, not
            # 1,274 in all).
            going = [hit for hit in hits if _direction(normalise(hit.text)) == question.direction]
            if going and asks_total and going[0].score >= hits[0].score * BOTH_WAYS_SCORE_RATIO:
                hits = [*going, *(hit for hit in hits if hit not in going)]
        elif hits:
            # No way asked: a total of both ways ("627 exchanges, incoming + outgoing") before one way's, when it
            # matches about as well.
            # "In total", "au total": that total, however well the one-way figures match the rest.
            asks_both_ways = bool(BOTH_WAYS_WORDS.search(normalise(context.topic_text)))
            both_ways = [
                hit
                for hit in hits
                if (asks_both_ways and _both_ways(normalise(hit.text)))
                or (_direction(normalise(hit.text)) is None and hit.score >= hits[0].score * BOTH_WAYS_SCORE_RATIO)
            ]
            hits = both_ways or hits
        hits = hits[:1]
        figures = [_hit_text(snapshot, context, hit, 0) for hit in hits]
        per_year = bool(PER_YEAR.search(normalise(context.topic_text)))
        figure_answers = (
            bool(lines)
            and question.years is None
            and any(
                _figure_answers(hit, context.topic_text)
                or (per_year and PER_YEAR.search(normalise(hit.text)))
                or (asks_total and TOTAL_WORDS.search(normalise(hit.text)))
                for hit in hits
            )
        )
        single = None if figure_answers else _single_figure(context, kinds, name, question, statistics, shares)
        if single is not None:
            count_too = (
                _single_figure(context, kinds, name, question, question.counts(all_statistics), [])
                if shares and question.asks_count_too
                else None
            )
            if count_too is not None:
                replies.append(count_too)
            if str(single["wording"]).endswith("_with_earlier"):
                # The year stated is the latest: a follow-up ("and the year before?") steps from it.
                latest = max([row.academic_year for row in statistics] + [share.academic_year for share in shares])
                statistics = [row for row in statistics if row.academic_year == latest]
                shares = [share for share in shares if share.academic_year == latest]
            single["subject"] = question.subject(statistics, shares)
            replies.append(single)
            continue
        if figure_answers:
            lines = []
            statistics, shares = [], []
        lines = [line for line, _ in figures] + lines
        if not lines:
            continue
        sources = cite(
            context,
            [row.source for row in statistics] + [share.source for share in shares] + [source for _, source in figures],
        )
        if statistics or shares:
            answer = reply("statistics", school=name, statistics=lead_then_list(lines), source=sources)
            answer["subject"] = question.subject(statistics, shares)
            replies.append(answer)
        else:
            answer = school_fact_reply(context, "facts", school, name, facts=lead_then_list(lines), source=sources)
            answer["subject"] = Subject(schools=[school], topics=["figures"], total=asks_total)
            replies.append(answer)
    return replies or [_no_information(snapshot, context)]


def _follows_a_total(context: Context) -> bool:
    """Whether the message follows up totals, naming no year nor anything but what the counts say ("dont combien
    de stages sortants ?", "et entrants ?" after the exchanges since 2021; not "to how many countries?")."""
    said = context.said_now or context.text
    return (
        bool(context.previous_subject.get("total"))
        and not academic_years(normalise(said))
        and all(word.startswith(COUNTED_WORDS) for word in topic_words(said))
    )


def _single_figure(
    context: Context,
    kinds: Mapping[str, ProgrammeKindInfo],
    school: str,
    question: StatisticsQuestion,
    statistics: list[StatisticInfo],
    shares: list[ShareInfo],
) -> Reply | None:
    """One figure when the question narrows the rows to one count or one share; the latest year's count, the
    earlier ones after it, when it names what was counted but no year."""
    if shares and len({(share.kind, share.category) for share in shares}) == 1:
        yearly = sorted(shares, key=lambda share: share.academic_year)
        latest_share = yearly[-1]
        where = SHARE_LABELS.get(latest_share.category, (latest_share.category, latest_share.category))[
            1 if context.french else 0
        ]
        percent = _percent(context, latest_share.percent)
        what = localised(context, kinds[latest_share.kind].name_en, kinds[latest_share.kind].name_fr)
        year, source = latest_share.academic_year, cite(context, [row.source for row in yearly])
        if len(yearly) == 1:
            return reply("share", percent=percent, where=where, school=school, what=what, year=year, source=source)
        return reply(
            "share_with_earlier",
            percent=percent,
            where=where,
            school=school,
            what=what,
            year=year,
            earlier=" · ".join(f"{row.academic_year}: {_percent(context, row.percent)}" for row in yearly[:-1]),
            source=source,
        )
    if not statistics or len({(row.kind, row.direction) for row in statistics}) != 1:
        return None
    if len(statistics) > 1 and question.years is not None:
        return None
    ordered = sorted(statistics, key=lambda row: row.academic_year)
    latest = ordered[-1]
    kind = localised(context, kinds[latest.kind].name_en, kinds[latest.kind].name_fr)
    what = f"{kind}, {DIRECTION_LABELS[latest.direction][1 if context.french else 0]}"
    sources = cite(context, [row.source for row in ordered])
    if len(ordered) == 1:
        return reply(
            "statistic", students=latest.students, school=school, what=what, year=latest.academic_year, source=sources
        )
    return reply(
        "statistic_with_earlier",
        students=latest.students,
        school=school,
        what=what,
        year=latest.academic_year,
        earlier=" · ".join(f"{row.academic_year}: {row.students}" for row in ordered[:-1]),
        source=sources,
    )


def _count_lines(
    context: Context, kinds: Mapping[str, ProgrammeKindInfo], statistics: list[StatisticInfo]
) -> list[str]:
    rows: dict[tuple[str, str], list[str]] = {}
    for statistic in statistics:
        rows.setdefault((statistic.kind, statistic.direction), []).append(
            f"{statistic.academic_year}: {statistic.students}"
        )
    return [
        f"{localised(context, kinds[kind].name_en, kinds[kind].name_fr)}, "
        f"{DIRECTION_LABELS[direction][1 if context.french else 0]}: {' · '.join(values)}"
        for (kind, direction), values in rows.items()
    ]


def _share_lines(context: Context, kinds: Mapping[str, ProgrammeKindInfo], shares: list[ShareInfo]) -> list[str]:
    lines = []
    for year in sorted({share.academic_year for share in shares}):
        parts = [
            f"{SHARE_LABELS.get(share.category, (share.category, share.category))[1 if context.french else 0]} "
            f"{_percent(context, share.percent)}"
            for share in shares
            if share.academic_year == year
        ]
        kind = kinds[shares[0].kind]
        label = localised(context, kind.name_en, kind.name_fr)
        where = "destinations" if context.french else "where students went"
        lines.append(f"{label} {year} ({where}): {', '.join(parts)}")
    return lines
