"""Reading what the student asked from a Rasa tracker."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence, Set
from typing import Any

from rasa_sdk import Tracker

from assistant.answers.common import Context, Subject
from assistant.answers.school import replaced_by_follow_up
from assistant.queries.catalogue import is_known_programme
from assistant.queries.names import CITY, INSTITUTION, OTHER_KINDS, PARTNER, PERSON, PROGRAMME, NameIndex
from assistant.queries.schools import family, school_of
from assistant.queries.search import search_text
from assistant.queries.snapshot import Snapshot
from assistant.text import fold, normalise, without_spans

# Words naming a school ("med school", "faculté de médecine"), matched on accent-folded text next to its name.
_SCHOOL_WORD = r"(?:med|medical|medicine|medecine|school|ecole|faculty|faculte|fac|ufr|university|universite|de|of)"
SCHOOL_WORDS_BEFORE = re.compile(rf"(?:\b{_SCHOOL_WORD}\s+)+$")
SCHOOL_WORDS_AFTER = re.compile(rf"(?:\s+{_SCHOOL_WORD}\b)+")
# "The school", "your faculty", "la fac": the school talked about, named without its name.
SCHOOL_MEANT = re.compile(
    r"\b(?:the|this|your|our|la|le|l'|cette|votre|ta|notre)\s*(?:(?:med|medical|medecine|de medecine)\s+)?"
    r"(?:med school|medical school|school|faculty|faculte|fac|ecole|ufr)\b(?:\s+(?:de medecine|of medicine))?"
)

# The school's university, said without its name: "the whole university", "l'université".
UNIVERSITY_MEANT = re.compile(
    r"\b(?:the|whole|entire|l'|l |toute l'|toute l |cette|this)\s*(?:whole\s+|entire\s+)?(?:university|universite)\b"
    r"(?!\s+(?:of|de|hospital|hospitals))"
)

# Where the student comes from, said right before a country: "I'm from Morocco", "je viens du Maroc".
COMING_FROM = re.compile(
    r"\b(?:i['\u2019 ]?m|i am|we are|we['\u2019 ]re|come|coming|comes|je suis|je viens|nous venons|originaire|venant)\s+"
    r"(?:from|du|de|des|d|de la)(?:\s+the)?\s*['\u2019]?\s*$"
)

# The intents that ask a question of the documents (a follow-up repeats the last of them).
QUESTION_INTENTS = frozenset(
    [
        "ask_partners", "ask_is_partner", "ask_programme_info", "ask_eligibility", "ask_how_to_apply", "ask_dates",
        "ask_duration", "ask_fees", "ask_languages", "ask_credits", "ask_contact", "ask_office_hours",
        "ask_school_facts", "ask_city", "ask_services", "ask_networks", "ask_grants", "ask_statistics",
    ]
)  # fmt: skip
# Marks a message read as the previous question with what it now names.
FOLLOW_UP = "read_as_follow_up"
SUBJECT_LISTS = (
    "schools",
    "contacts",
    "years",
    "countries",
    "cities",
    "regions",
    "programmes",
    "partners",
    "shares",
    "texts",
    "topics",
)
# Wordings of a line ending an answer ("More details: ..."): the answer is the message before it.
TRAILING_WORDINGS = frozenset(["more_details"])
# Wordings of a list of partners, whose places and programme a follow-up keeps.
PARTNER_LISTS = frozenset(["partners_found", "partner_found", "partners_none", "partners_none_ask"])
# Words pointing back at what the last answer listed: "which one is in Rome?", "which of those is for Erasmus?".
REFERS_BACK = re.compile(
    r"\b(?:which one|which ones|which of (?:those|them|these)|of (?:those|them|these)|among (?:them|those)|"
    r"laquelle|lequel|lesquelles|lesquels|parmi (?:eux|elles|ces|celles|ceux))\b"
)
# A short question about "it" ("which country is it in?", "c'est combien ?") asks about the last answer's subject.
ABOUT_IT = re.compile(
    r"\b(?:it|its|it s|this|that|these|those|there|they|them|their|he|she|his|her|ca|cela|c est|y|son|sa|ses|leur|leurs|"
    r"celui ci|celle ci|celui la|celle la|la bas)\b"
)
ABOUT_IT_WORDS = 8
POINTING_BACK_WORDS = 12
# "Il y a", "is there": no pointing back.
THERE_IS = re.compile(r"\b(?:il y a|y a t il|y a|is there|are there|there is|there are)\b")
# Also pointing back, but too common to make an unsure message a follow-up ("il y a ...").
ABOUT_THEM = re.compile(r"\b(?:elle|elles|ils|dont)\b")
# A short message that starts like this goes on with the previous question ("and the year before?", "et le
# numéro ?", "what about Lille?").
CONTINUES = re.compile(r"^(?:and|et|what about|how about|or|ou|but|mais|also|aussi)\b")
CONTINUES_WORDS = 7
# At most this many words besides its names make a message a bare follow-up ("and for Paris Cité?").
NAMES_ONLY_WORDS = 3

# Entity values must name something in the database: a `/intent{...}` message can carry anything.
KNOWN = {
    "country": lambda snapshot, value: value in snapshot.countries,
    "partner": lambda snapshot, value: value in snapshot.partners,
    "programme": is_known_programme,
}


# On accent-folded text. "sur la page de Lille", "on the website of Lille": the page, named after it.
PAGE_BEFORE = re.compile(
    r"\b(?:on|sur) (?:the |la |le |this |cette |ce )?(?:web ?)?(?:page|site|website)(?: web)? (?:of|de|du|d')"
    r"(?: ?l'| la | le | the )?\s*$"
)
# "on the Lille page", "on Lille's website": the page, named before it.
ON_BEFORE = re.compile(r"\b(?:on|sur) (?:the |la |le |this )?$")
PAGE_AFTER = re.compile(r"^(?:'s)? (?:web ?)?(?:page|site|website)\b")


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    """Values of an entity in the latest message, in order, each once."""
    entities: list[dict[str, Any]] = tracker.latest_message.get("entities") or []
    return list(dict.fromkeys(str(item["value"]) for item in entities if item.get("entity") == entity))


def institutions_asked(tracker: Tracker) -> list[str]:
    """The institutions the latest message names, but the page the student says they are on ("I'm on the Lille
    page but my question is about Paris Cité", "je suis sur la page de Lille, mais pour Paris Cité ...")."""
    text = tracker.latest_message.get("text") or ""
    entities: list[dict[str, Any]] = tracker.latest_message.get("entities") or []
    asked = [
        str(item["value"])
        for item in entities
        if item.get("entity") == INSTITUTION
        and not (
            isinstance(item.get("start"), int)
            and isinstance(item.get("end"), int)
            and _names_the_page(fold(text[: item["start"]]), fold(text[item["end"] :]))
        )
    ]
    return list(dict.fromkeys(asked))


def _names_the_page(before: str, after: str) -> bool:
    """Whether a name between these texts is the page the student is on: "on the Lille page", "on Lille's
    website", "sur la page de Lille", "sur le site de Lille"."""
    return bool(PAGE_BEFORE.search(before) or (ON_BEFORE.search(before) and PAGE_AFTER.match(after)))


def entity_kinds(tracker: Tracker) -> set[str]:
    """The kinds of names in the latest message (partner, country, ...), its language aside."""
    return {str(item.get("entity")) for item in tracker.latest_message.get("entities") or []} - {"language"}


def page_metadata(tracker: Tracker) -> dict[str, Any]:
    """What the web page sent with the message (school, language)."""
    metadata = tracker.latest_message.get("metadata") or {}
    return metadata if isinstance(metadata, dict) else {}


def resolve_school(
    snapshot: Snapshot,
    names: NameIndex,
    tracker: Tracker,
    programmes: Sequence[str] = (),
    answered: Sequence[str] = (),
    earlier_programmes: Sequence[str] = (),
) -> str | None:
    """The school the student means: said now, else said earlier, else the school of a programme named now, else
    the one school the last answer was about (`answered`: "how many companies?" after Lille's Eurasante), else
    the school of the programme talked about earlier ("who do I contact?" after the AI summer school), else the
    page's."""
    said = institutions_asked(tracker)
    if not said:
        # "Who is Didier Gosset?": the school of the person named.
        said = [
            contact.institution for value in entity_values(tracker, PERSON) if (contact := snapshot.contacts.get(value))
        ]
    page_school = str(page_metadata(tracker).get("school") or "")
    page_family = family(snapshot, page_school) if page_school in snapshot.institutions else []

    def school_of_programme(values: Sequence[str]) -> list[str]:
        rows = [row for value in values if (row := snapshot.programmes.get(value)) is not None]
        if rows and page_family and _namesakes(snapshot, names, rows[0].id, page_family):
            # "Erasmus partners in Spain?" on Lille's page is about Lille's Erasmus+, although "Erasmus" is also a
            # name of Paris Cité's exchange.
            return [page_school]
        return [row.institution for row in rows][:1]

    said_schools = schools_named(snapshot, said)
    if len(said_schools) > 1:
        # "Which is bigger, Lille or Paris Cité?" is about both.
        return None
    last_answer = list(answered) if len(answered) == 1 else []
    for candidate in [
        *said,
        tracker.get_slot("school"),
        *school_of_programme(programmes),
        *last_answer,
        *school_of_programme(earlier_programmes),
        page_school,
    ]:
        if not candidate:
            continue
        if str(candidate) in snapshot.institutions:
            return school_of(snapshot, str(candidate))
        matches = names.lookup(INSTITUTION, str(candidate), limit=1)
        if matches:
            return school_of(snapshot, matches[0].value)
    return None


def _known(snapshot: Snapshot, entity: str, values: list[str]) -> list[str]:
    check = KNOWN.get(entity)
    return [value for value in values if check is None or check(snapshot, value)]


def _regions(values: list[str], names: NameIndex) -> list[str]:
    known = {name.value for name in names.names if name.entity == "region"}
    return [value for value in values if value in known]


def _partners_named_by_their_city(tracker: Tracker, names: NameIndex) -> dict[str, str]:
    """Partners the student named by a city name ("partners in New York?", "Madrid"), each with that city."""
    entities: list[dict[str, Any]] = tracker.latest_message.get("entities") or []
    named: dict[str, str] = {}
    for item in entities:
        if item.get("entity") == PARTNER and CITY in (item.get(OTHER_KINDS) or ()):
            cities = names.lookup(CITY, str(item.get("text") or ""), limit=1, cutoff=100)
            if cities:
                named[str(item["value"])] = cities[0].value
    return named


def _programmes_of_school(
    snapshot: Snapshot, names: NameIndex, school: str | None, values: list[str], named: bool = True
) -> list[str]:
    """Each programme named, or the school's programme of the same name when it belongs to the other school:
    "Erasmus at Lille" is Lille's Erasmus+, although "Erasmus" is also a name of Paris Cité's exchange. A
    programme talked about before (not `named` now) that the school has no namesake of is left out: "and in
    Lille, how much is housing?" after Paris Cité's exchange is not about Paris Cité's exchange."""
    if school is None:
        return values
    ours = family(snapshot, school)
    resolved = []
    for value in values:
        row = snapshot.programmes.get(value)
        if row is not None and row.institution not in ours:
            namesake = next(iter(_namesakes(snapshot, names, value, ours)), None)
            if namesake is None and not named:
                continue
            value = namesake or value
        resolved.append(value)
    return list(dict.fromkeys(resolved))


def _namesakes(snapshot: Snapshot, names: NameIndex, programme: str, institutions: list[str]) -> list[str]:
    """The institutions' programmes sharing a name with `programme`, in file order."""
    spellings: dict[str, set[str]] = {}
    for name in names.names:
        if name.entity == PROGRAMME:
            spellings.setdefault(name.value, set()).add(normalise(name.spelling))
    return [
        other.id
        for other in snapshot.programmes.values()
        if other.institution in institutions and spellings.get(other.id, set()) & spellings.get(programme, set())
    ]


def _places_asked_about(tracker: Tracker, given: dict[str, list[str]]) -> dict[str, list[str]]:
    """The countries named, without the one the student says they come from ("I'm from Morocco, which partners
    in Africa?" asks about Africa), unless it is the only place named."""
    text = fold(tracker.latest_message.get("text") or "")
    entities: list[dict[str, Any]] = tracker.latest_message.get("entities") or []
    origins = {
        str(item["value"])
        for item in entities
        if item.get("entity") == "country"
        and isinstance(item.get("start"), int)
        and COMING_FROM.search(text[: item["start"]])
    }
    asked = [country for country in given["country"] if country not in origins]
    if origins and (asked or given["region"] or given["city"]):
        return {**given, "country": asked}
    return given


# The quick reply under a summarised list asks for all of it: `/ask_partners{"listing": "all", ...}`.
LISTING = "listing"
SHOW_ALL = "all"
# The names left out of `unnamed_text`: all the gazetteer's (a place no text names may still be in one, "South
# America" in "Belo Horizonte, Brazil").
GAZETTEER_NAMES = frozenset([INSTITUTION, PARTNER, PROGRAMME, PERSON, CITY, "country", "region", "study_year"])


def context_from(snapshot: Snapshot, names: NameIndex, tracker: Tracker) -> Context:
    """The question's context: language, school, the things it names, and what came before."""
    previous = tracker.get_slot("programme")
    given = _places_asked_about(
        tracker,
        {entity: entity_values(tracker, entity) for entity in ("country", "city", "region", "programme", "partner")},
    )
    known = {
        "country": _known(snapshot, "country", given["country"]),
        "city": [city for city in given["city"] if names.lookup(CITY, city, limit=1)],
        "region": _regions(given["region"], names),
        "programme": _known(snapshot, "programme", given["programme"]),
        "partner": _known(snapshot, "partner", given["partner"]),
    }
    subject = previous_subject(tracker)
    follows_up = tracker.latest_message.get(FOLLOW_UP) or names_only(tracker) or refers_back(tracker)
    if previous_wording(tracker) in PARTNER_LISTS and follows_up and not known["partner"]:
        _keep_listed(known, subject, bool(_partners_named_by_their_city(tracker, names)))
    previous_programmes = _known(snapshot, "programme", [previous] if previous else [])
    previous_partner = tracker.get_slot("partner")
    said_now = _said_now(tracker)
    school = resolve_school(
        snapshot, names, tracker, known["programme"], subject.get("schools", []), previous_programmes
    )
    return Context(
        language=tracker.get_slot("language") or page_metadata(tracker).get("language") or "en",
        school=school,
        named_institution=_institution_meant(snapshot, tracker, school),
        both_schools_named=len(schools_named(snapshot, institutions_asked(tracker))) > 1,
        countries=known["country"],
        cities=known["city"],
        regions=known["region"],
        programmes=_programmes_of_school(snapshot, names, school, known["programme"]),
        partners=known["partner"],
        persons=[value for value in entity_values(tracker, PERSON) if value in snapshot.contacts],
        show_all=SHOW_ALL in entity_values(tracker, LISTING),
        partner_cities=_partners_named_by_their_city(tracker, names),
        previous_programmes=_programmes_of_school(snapshot, names, school, previous_programmes, named=False),
        previous_partners=_known(snapshot, "partner", [previous_partner] if previous_partner else []),
        unrecognised=[entity for entity, values in given.items() if values and not known[entity]],
        intent=tracker.get_intent_of_latest_message(),
        text=tracker.latest_message.get("text") or "",
        said_now=said_now,
        topic_text=without_names(tracker),
        points_back=points_back(said_now),
        unnamed_text=without_spans(said_now, _spans(tracker.latest_message.get("entities") or [], GAZETTEER_NAMES)),
        study_year=tracker.get_slot("study_year"),
        home_university=tracker.get_slot("home_university"),
        eligibility_programme=tracker.get_slot("eligibility_programme"),
        previous_wording=previous_wording(tracker),
        previous_subject=subject,
        previous_text=_previous_topic(tracker),
        earlier_text=" ".join(
            str(event.get("text") or "") for event in tracker.events[:-1] if event.get("event") == "user"
        ),
    )


def schools_named(snapshot: Snapshot, institutions: Sequence[str]) -> set[str]:
    """The schools of the institutions named (the University of Lille is Lille's medical school's)."""
    return {school_of(snapshot, value) for value in institutions if value in snapshot.institutions}


def _institution_meant(snapshot: Snapshot, tracker: Tracker, school: str | None) -> str | None:
    """The institution the student names ("University of Lille"), or the school's university said without its name
    ("the whole university"); in a short follow-up ("elle a combien d'étudiants ?"), the one the previous message
    meant."""
    users = [event for event in tracker.events if event.get("event") == "user"][:-1]
    text = tracker.latest_message.get("text") or ""
    candidates = [(text, tracker.latest_message.get("entities") or [])]
    # Back through the conversation while each message follows up the one before it.
    while users and (asks_about_it(candidates[-1][0]) or CONTINUES.match(normalise(candidates[-1][0]))):
        previous = users.pop()
        candidates.append((str(previous.get("text") or ""), (previous.get("parse_data") or {}).get("entities") or []))
    for said, entities in candidates:
        named = [
            str(item["value"])
            for item in entities
            if item.get("entity") == INSTITUTION and str(item.get("value")) in snapshot.institutions
        ]
        if len(schools_named(snapshot, named)) > 1:
            # "Which has more students, Paris Cité or Lille?" compares the schools, each by its own texts.
            return None
        if named:
            return named[0]
        members = family(snapshot, school) if school else []
        if members and members[0] != school and UNIVERSITY_MEANT.search(fold(said)):
            return members[0]
    return None


def _spans(entities: list[dict[str, Any]], kinds: Set[str]) -> list[tuple[int, int]]:
    """Where the entities of those kinds are in their message, as (start, end)."""
    return [
        (item["start"], item["end"])
        for item in entities
        if item.get("entity") in kinds and isinstance(item.get("start"), int) and isinstance(item.get("end"), int)
    ]


def points_back(text: str) -> bool:
    """Whether a message of a few words points back at what the conversation talks about ("how many people train
    there?", "combien de personnes y sont formées ?"); not "il y a", "is there".."""
    words = THERE_IS.sub(" ", normalise(text))
    return len(words.split()) <= POINTING_BACK_WORDS and bool(ABOUT_IT.search(words))


def asks_about_it(text: str) -> bool:
    """Whether a short message is about "it", "those", "elle": what the conversation talks about."""
    words = normalise(text)
    return len(words.split()) <= ABOUT_IT_WORDS and bool(ABOUT_IT.search(words) or ABOUT_THEM.search(words))


def _keep_listed(known: dict[str, list[str]], listed: Subject, city_named: bool) -> None:
    """A follow-up of a list of partners keeps its filters but those it changes: "and for Lille?" keeps the
    country, "which of those is for Erasmus?" adds the programme, "which one is in Rome?" narrows to the city;
    "Karolinska?" (a partner named) asks about that partner, not the list."""
    if not (known["country"] or known["city"] or known["region"] or city_named):
        known["country"] = list(listed.get("countries", []))
        known["city"] = list(listed.get("cities", []))
        known["region"] = list(listed.get("regions", []))
    if not known["programme"]:
        known["programme"] = list(listed.get("programmes", []))


def asks_about_last_subject(tracker: Tracker) -> bool:
    """Whether a short message asks about "it" while the conversation has a question to follow."""
    text = normalise(tracker.latest_message.get("text") or "")
    return (
        len(text.split()) <= ABOUT_IT_WORDS and bool(ABOUT_IT.search(text)) and previous_question(tracker) is not None
    )


def continues_previous_question(tracker: Tracker) -> bool:
    """Whether a short message starting with "and", "et", "what about" ... goes on with the conversation's question."""
    text = normalise(tracker.latest_message.get("text") or "")
    return (
        len(text.split()) <= CONTINUES_WORDS and bool(CONTINUES.match(text)) and previous_question(tracker) is not None
    )


def asks_the_same_kind_again(tracker: Tracker, likeliest: str) -> bool:
    """Whether an unsure message starting with "and", "et" ... is, as the classifier's likeliest reading, the same
    kind of question as the conversation's last one, however long ("and how many came in for a clerkship that
    year?" after the outgoing count)."""
    text = normalise(tracker.latest_message.get("text") or "")
    return bool(CONTINUES.match(text)) and likeliest == previous_question(tracker)


def refers_back(tracker: Tracker) -> bool:
    """Whether the message points back at what the last answer listed ("which one is in Rome?")."""
    return bool(REFERS_BACK.search(normalise(tracker.latest_message.get("text") or "")))


def previous_wording(tracker: Tracker) -> str | None:
    """The wording entry of the assistant's last message before the student's latest one."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif event.get("event") == "bot" and seen_user:
            wording = (event.get("metadata") or {}).get("wording")
            if wording in TRAILING_WORDINGS:
                continue
            return str(wording) if wording else None
    return None


def previous_subject(tracker: Tracker) -> Subject:
    """What the assistant's answer to the student's previous message was about, over all its messages."""
    subject: dict[str, Any] = {}
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                break
            seen_user = True
        elif event.get("event") == "bot" and seen_user:
            about = (event.get("metadata") or {}).get("subject")
            if isinstance(about, dict):
                schools = [*subject.get("schools", []), *(about.get("schools") or [])]
                subject = {**about, **subject, "schools": list(dict.fromkeys(schools))}
    result = Subject()
    for key in SUBJECT_LISTS:
        if isinstance(subject.get(key), list):
            result[key] = [str(value) for value in subject[key]]  # type: ignore[literal-required]
    if isinstance(subject.get("kind"), str):
        result["kind"] = subject["kind"]
    if isinstance(subject.get("direction"), str):
        result["direction"] = subject["direction"]
    if subject.get("total") is True:
        result["total"] = True
    return result


def _said_now(tracker: Tracker) -> str:
    """The student's latest message as written, even when read as the previous question (`as_previous_question`)."""
    if not tracker.latest_message.get(FOLLOW_UP):
        return tracker.latest_message.get("text") or ""
    users = [event for event in tracker.events if event.get("event") == "user"]
    return str(users[-1].get("text") or "") if users else ""


def _previous_topic(tracker: Tracker) -> str:
    """The previous question without the schools it names; nothing when this message already holds its words
    (read as the previous question by `as_previous_question`)."""
    asked = _previous_question_event(tracker)
    if asked is None or tracker.latest_message.get(FOLLOW_UP):
        return ""
    return _topic(str(asked.get("text") or ""), (asked.get("parse_data") or {}).get("entities") or [])


def previous_question(tracker: Tracker) -> str | None:
    """The intent of the student's last question before this message."""
    asked = _previous_question_event(tracker)
    return ((asked.get("parse_data") or {}).get("intent") or {}).get("name") if asked else None


def _previous_question_event(tracker: Tracker) -> dict[str, Any] | None:
    users = [event for event in tracker.events if event.get("event") == "user"]
    for event in reversed(users[:-1]):
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent in QUESTION_INTENTS:
            return event
    return None


def as_previous_question(tracker: Tracker) -> Tracker:
    """The follow-up ("and Paris Cité?") read as the previous question with what it now names: the previous
    question's words, without the names of the kinds said now, follow the follow-up's (whose names keep their
    places), so that the question keeps its subject."""
    asked = _previous_question_event(tracker)
    if asked is None:
        return tracker
    named_now = entity_kinds(tracker)
    replaced = _spans((asked.get("parse_data") or {}).get("entities") or [], named_now)
    previous = str(asked.get("text") or "")
    said = str(tracker.latest_message.get("text") or "")
    previous_words = without_spans(previous, [*replaced, *replaced_by_follow_up(previous, said)])
    followed = copy.deepcopy(tracker)
    followed.latest_message["text"] = f"{tracker.latest_message.get('text') or ''} {previous_words}".strip()
    followed.latest_message[FOLLOW_UP] = True
    return followed


def names_only(tracker: Tracker) -> bool:
    """Whether the message is a few words around names and nothing else ("and Paris Cité?", "Lille?"): it asks
    the previous question again, about what it names."""
    entities = [item for item in tracker.latest_message.get("entities") or [] if item.get("entity") != "language"]
    text = tracker.latest_message.get("text") or ""
    spans = [
        (item["start"], item["end"])
        for item in entities
        if isinstance(item.get("start"), int) and isinstance(item.get("end"), int)
    ]
    rest = without_spans(text, spans)
    return bool(entities) and len(rest.split()) <= NAMES_ONLY_WORDS and not search_text(rest)


def without_names(tracker: Tracker) -> str:
    """The message without the school's name, so that "students at Paris Cité" searches for "students".

    Words naming a school said next to the name belong to it: "the Paris Cité med school sites" searches
    for "sites"; so does "the school" said alone ("when was the school founded?" searches for "founded").
    """
    return _topic(tracker.latest_message.get("text") or "", tracker.latest_message.get("entities") or [])


def _topic(text: str, entities: list[dict[str, Any]]) -> str:
    """`text` without the schools it names (see `without_names`)."""
    spans = [
        _with_school_words(text, item["start"], item["end"])
        for item in entities
        if item.get("entity") == INSTITUTION and isinstance(item.get("start"), int) and isinstance(item.get("end"), int)
    ]
    spans += [match.span() for match in SCHOOL_MEANT.finditer(fold(text))]
    return without_spans(text, _merged(spans))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _with_school_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened over the school words right before and after it."""
    before = SCHOOL_WORDS_BEFORE.search(fold(text[:start]))
    after = SCHOOL_WORDS_AFTER.match(fold(text[end:]))
    return (before.start() if before else start, end + (after.end() if after else 0))
