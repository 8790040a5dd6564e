"""Answers about programmes: what they are, who may apply, how, when, how long, how much, in which language."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import replace

from assistant.answers.common import (
    RELATED_KINDS,
    Button,
    Context,
    Reply,
    Subject,
    cite,
    lead_then_list,
    localised,
    programme_name,
    reply,
    school_name,
)
from assistant.answers.contacts import KIND_TOPICS, contact_line, contacts_for_topic, office_contacts
from assistant.answers.school import answer_by_search, answer_statistics, asks_a_yearly_or_total_count
from assistant.queries.catalogue import (
    ProgrammeInfo,
    find_programmes,
    get_programme,
    programmes_of_partners,
    programmes_with_refusals,
)
from assistant.queries.names import KIND_PREFIX
from assistant.queries.schools import family, schools
from assistant.queries.search import TextIndex, distinctive_words, kinds_not_given, topic_words, wanted_kinds
from assistant.queries.snapshot import Snapshot
from assistant.text import SENTENCE_BREAK, first_sentences, normalise

LANGUAGE_NAMES = {"en": ("English", "anglais"), "fr": ("French", "français")}
MAX_PROGRAMMES_ANSWERED = 3
# The first letters of the words asking when something started ("start", "commencé", "lancé"): they narrow no
# sentence of a description down.
STARTING = ("start", "began", "begin", "comme", "debut", "lance", "launc")

# A kind the school does not offer is answered with its nearest kind: a summer school asked at a school that only
# has a short summer programme abroad (asked where it has both, "the summer school" is the summer school).
FALLBACK_KINDS = {"summer-school": "summer-programme", "summer-programme": "summer-school"}
# Words that tell which way a student means to go, matched on the normalised question.
INCOMING_WORDS = re.compile(
    r"\b(incoming|come|coming|visiting|foreign student|international student|from abroad|my home university|"
    r"my university|my faculty|my school|at your|with you|entrant|entrants|venir|viens|accueil|etudiant etranger|"
    r"etudiants etrangers|mon universite|ma fac|ma faculte|chez vous)\b"
)
# "I'm a 3rd-year student abroad", "je suis en 5e année dans une université partenaire": the student studies
# elsewhere, so comes; "abroad" there is where they are, not where they go.
# Words saying that the student studies somewhere, said before where ("5th-year student at", "en 4e année au").
STUDYING = r"\b(?:student|studying|study|studies|etudiant|etudiante|etudie|etudies|inscrit|inscrite|year|annee)\b"
STUDYING_ELSEWHERE = re.compile(
    STUDYING + r"[^.?!,;]{0,40}?"
    r"\b(?:abroad|overseas|a l etranger|(?:at|in|from|of) (?:a|one of your|one of the) partner|"
    r"(?:dans|a|d) (?:une|l une des) (?:universite|universites|fac|faculte|facultes)s? partenaires?)\b"
)
# "partir" is leaving, but "à partir de" is "from".
OUTGOING_WORDS = re.compile(
    r"\b(outgoing|abroad|go on|go to|going to|go abroad|leave|sortant|sortants|(?<!\ba )partir|a l etranger)\b"
)
# "When can I apply?" asks who may apply and from what date: both are given.
WHEN_WORDS = re.compile(r"\b(when|quand)\b")
# The words that say which detail is asked ("how long", "combien"): a question with no other word names nothing.
DETAIL_WORDS = {
    "ask_duration": re.compile(r"\b(long|length|duration|last|lasts|weeks?|months?|duree|dure|semaines?|mois|temps)\b"),
    "ask_fees": re.compile(
        r"\b(cost|costs|price|prices|fees?|expensive|cheap|pay|prix|cout|coute|frais|tarifs?|cher|payer)\b"
    ),
    "ask_dates": re.compile(r"\b(date|dates|start|starts|begin|begins|deadline|debut|commence|commencer|limite)\b"),
    "ask_languages": re.compile(r"\b(languages?|english|french|langues?|anglais|francais)\b"),
    "ask_credits": re.compile(r"\b(credits?|ects|certificate|certificat|attestation)\b"),
}
# Details after which the student usually writes to the office: the reply gives its e-mail.
CONTACT_HELPS = frozenset(["ask_programme_info", "ask_eligibility", "ask_how_to_apply", "ask_dates"])
# A programme described in a chat reply: the summary's first sentences up to this many characters.
SUMMARY_CHARACTERS = 360
WHERE_WORDS = re.compile(r"\b(where|location|venue|place|ou|lieu|lieux|endroit|site|sites|campus)\b")
PLACES_WORDS = re.compile(r"\b(places|spots|seats|how many students|combien d etudiants|capacity|capacite)\b")
DEADLINE_WORDS = re.compile(
    r"\b(deadline|deadlines|until when|last day|closing date|date limite|jusqu a quand|cloture)\b"
)


def _dates(context: Context, programme: ProgrammeInfo) -> str | None:
    parts = []
    dates = localised(context, programme.dates_en, programme.dates_fr)
    if dates:
        parts.append(dates)
    elif programme.start_date and programme.end_date:
        parts.append(f"{programme.start_date:%d/%m/%Y} – {programme.end_date:%d/%m/%Y}")
    opens = localised(context, programme.application_opens_en, programme.application_opens_fr)
    if opens:
        parts.append(("Candidatures : " if context.french else "Applications: ") + opens)
    return " ".join(parts) or None


def _duration(context: Context, programme: ProgrammeInfo) -> str | None:
    return localised(context, programme.duration_en, programme.duration_fr)


def _fees(context: Context, programme: ProgrammeInfo) -> str | None:
    fees = localised(context, programme.fees_en, programme.fees_fr)
    if fees or programme.fee_min_eur is None:
        return fees
    if programme.fee_max_eur is None or programme.fee_max_eur == programme.fee_min_eur:
        return f"{programme.fee_min_eur:g} €"
    return f"{programme.fee_min_eur:g} – {programme.fee_max_eur:g} €"


def _languages(context: Context, programme: ProgrammeInfo) -> str | None:
    if not programme.languages:
        return None
    names = [LANGUAGE_NAMES[code][1 if context.french else 0] for code in programme.languages if code in LANGUAGE_NAMES]
    if context.french:
        return " et ".join(f"en {name}" for name in names)
    return "in " + " and ".join(names)


def _credits(context: Context, programme: ProgrammeInfo) -> str | None:
    certificate = localised(context, programme.certificate_en, programme.certificate_fr)
    if certificate:
        return certificate
    if programme.ects_credits is not None:
        return f"{programme.ects_credits:g} ECTS"
    return None


def _eligibility(context: Context, programme: ProgrammeInfo) -> str | None:
    """Who may apply: the rule, else whom the programme is for; and what it does not accept."""
    parts = [
        localised(context, programme.eligibility_en, programme.eligibility_fr)
        or localised(context, programme.audience_en, programme.audience_fr),
        localised(context, programme.not_accepted_en, programme.not_accepted_fr),
    ]
    return " ".join(part for part in parts if part) or None


def _refusal(context: Context, programme: ProgrammeInfo) -> str | None:
    """What the programme does not accept: the answer to a request it refuses, whatever was asked of it."""
    return localised(context, programme.not_accepted_en, programme.not_accepted_fr)


def _how_to_apply(context: Context, programme: ProgrammeInfo) -> str | None:
    parts = [localised(context, programme.how_to_apply_en, programme.how_to_apply_fr)]
    if programme.url and programme.url not in (parts[0] or ""):
        parts.append(programme.url)
    return " ".join(part for part in parts if part) or None


def _summary(context: Context, programme: ProgrammeInfo) -> str | None:
    """What the programme is, in its summary's first sentence; where it takes place and its places when asked."""
    question = normalise(context.text)
    summary = localised(context, programme.summary_en, programme.summary_fr)
    parts = [first_sentences(summary, SUMMARY_CHARACTERS) if summary else None]
    venue = localised(context, programme.venue_en, programme.venue_fr)
    asked = []
    if venue and WHERE_WORDS.search(question):
        asked.append(venue)
    if programme.places is not None and PLACES_WORDS.search(question):
        asked.append(f"Places : {programme.places}." if context.french else f"Places: {programme.places}.")
    if asked:
        # "Where is it?" is answered by the place alone, not the description after it.
        return " ".join(asked)
    told = _told_in_description(context, programme)
    if told:
        # "What years did IDEAL+ run?": the sentence giving them.
        return told
    if programme.url:
        parts.append(programme.url)
    return " ".join(part for part in parts if part) or None


def _eligibility_and_dates(context: Context, programme: ProgrammeInfo) -> str | None:
    parts = [_eligibility(context, programme), _dates(context, programme)]
    return " ".join(part for part in parts if part) or None


Detail = Callable[[Context, ProgrammeInfo], str | None]

# What each question asks of a programme, and how to name it when the documents do not say.
DETAILS: dict[str, tuple[Detail, str, str]] = {
    "ask_programme_info": (_summary, "a description", "de description"),
    "ask_eligibility": (_eligibility, "who may apply", "les conditions d'accès"),
    "ask_how_to_apply": (_how_to_apply, "how to apply", "la procédure de candidature"),
    "ask_dates": (_dates, "the dates or deadlines", "les dates ou la date limite"),
    "ask_duration": (_duration, "the duration", "la durée"),
    "ask_fees": (_fees, "the fees", "les frais"),
    "ask_languages": (_languages, "the teaching language", "la langue d'enseignement"),
    "ask_credits": (_credits, "credits or a certificate", "les crédits ou le certificat"),
}


# Comparing programmes ("what's the difference between the two summer schools?", "which one is cheaper?").
COMPARISON_WORDS = re.compile(
    r"\b(difference|differences|differ|compare|comparison|comparing|versus|vs|which one|which is|the two|both|"
    r"cheaper|more expensive|longer|shorter|lequel|laquelle|comparer|comparaison|les deux|entre les|moins cher|"
    r"plus cher|plus long|plus longue|plus court|plus courte)\b"
)
# Details of several programmes sharing a start of at least this many characters say it once.
SHARED_DETAIL_CHARACTERS = 40
# In a comparison nobody narrowed, a differing detail is quoted only when this short; longer ones are named.
QUOTED_IN_COMPARISON = 80
WEBSITE_WORDS = re.compile(
    r"\b(?:website|web site|web page|webpage|url|link|site web|site internet|lien|page web|quel site|which site)\b"
)
CHEAPER_WORDS = re.compile(r"\b(cheaper|cheapest|less expensive|moins cher|moins chere|moins couteux)\b")
# Comparatives that name the detail compared.
COMPARATIVES = {
    "ask_fees": re.compile(
        r"\b(cheaper|cheapest|more expensive|less expensive|moins cher|moins chere|plus cher|plus chere)\b"
    ),
    "ask_duration": re.compile(r"\b(longer|shorter|plus long|plus longue|plus court|plus courte|dure le plus)\b"),
}


def _venue(context: Context, programme: ProgrammeInfo) -> str | None:
    return localised(context, programme.venue_en, programme.venue_fr)


def _audience(context: Context, programme: ProgrammeInfo) -> str | None:
    return localised(context, programme.audience_en, programme.audience_fr)


# What a comparison sets side by side, with its label in each language, and the intent whose words ask for it.
COMPARED: tuple[tuple[str, Detail, str, str], ...] = (
    ("ask_dates", _dates, "Dates", "Dates"),
    ("ask_duration", _duration, "Duration", "Durée"),
    ("ask_fees", _fees, "Fees", "Frais"),
    ("ask_languages", _languages, "Language", "Langue"),
    ("ask_credits", _credits, "Credits", "Crédits"),
    ("", _venue, "Where", "Lieu"),
    ("ask_eligibility", _audience, "Who it is for", "Public"),
)


def asks_comparison(context: Context) -> bool:
    return bool(COMPARISON_WORDS.search(normalise(context.text)))


def programmes_compared(context: Context, programmes: list[ProgrammeInfo]) -> list[ProgrammeInfo]:
    """The programmes of the kind named ("the two summer schools" are not the Aarhus summer programme)."""
    kinds = [value[len(KIND_PREFIX) :] for value in context.programmes if value.startswith(KIND_PREFIX)]
    same_kind = [programme for programme in programmes if programme.kind in kinds]
    if len(set(kinds)) >= 2:
        # "An academic exchange or a clinical clerkship?" compares the kinds: the first programme of each.
        first_of_each = {kind: next((p for p in same_kind if p.kind == kind), None) for kind in dict.fromkeys(kinds)}
        return [programme for programme in first_of_each.values() if programme is not None]
    return same_kind if len(same_kind) >= 2 else programmes


def _kind_labels(snapshot: Snapshot, context: Context, programmes: list[ProgrammeInfo]) -> list[str] | None:
    """Each programme called by its kind when the comparison is of kinds, one programme each ("an exchange or a
    clerkship?"); None otherwise."""
    asked = {value[len(KIND_PREFIX) :] for value in context.programmes if value.startswith(KIND_PREFIX)}
    kinds = [programme.kind for programme in programmes]
    if len(asked) < 2 or len(set(kinds)) != len(kinds) or not set(kinds) <= asked:
        return None
    rows = [snapshot.programme_kinds.get(kind) for kind in kinds]
    return [localised(context, row.name_en, row.name_fr) or row.id for row in rows if row is not None] or None


def compare_programmes(context: Context, programmes: list[ProgrammeInfo], labels: list[str] | None = None) -> Reply:
    """A short side-by-side: what differs between programmes with each one's value, what they share named once,
    and what the documents omit; programmes alike in every detail differ by what their summaries alone say."""
    question = normalise(context.text)
    asked = [
        row
        for row in COMPARED
        if any(words.search(question) for words in (DETAIL_WORDS.get(row[0]), COMPARATIVES.get(row[0])) if words)
    ]
    labels = labels or [programme_name(context, programme) for programme in programmes]
    unknown = "non précisé" if context.french else "not given"
    lines = [_cheapest(context, programmes, labels)] if CHEAPER_WORDS.search(question) else []
    same: list[str] = []
    different: list[str] = []
    for _, detail, english, french in asked or COMPARED:
        values = [detail(context, programme) for programme in programmes]
        label = french if context.french else english
        if not any(values):
            if asked:
                lines.append(
                    f"{label} : non précisé par les documents"
                    if context.french
                    else f"{label}: the documents do not say"
                )
        elif len(set(values)) == 1:
            same.append(f"{label.lower()} ({values[0]})" if asked else label.lower())
        elif asked or all(len(value or "") <= QUOTED_IN_COMPARISON for value in values):
            lines.append(
                f"{label} — "
                + "; ".join(
                    f"{name}: {(value or unknown).rstrip('.')}" for name, value in zip(labels, values, strict=True)
                )
            )
        else:
            different.append(label.lower())
    if not asked:
        # What each one is about comes first: it is what sets programmes of one kind apart.
        subjects = _distinctive_sentences(context, programmes)
        lines = [f"{name}: {subject}" for name, subject in zip(labels, subjects, strict=True) if subject] + lines
    if different:
        lines.append(("Différents aussi : " if context.french else "Also different: ") + ", ".join(different))
    if same:
        lines.append(("Identiques : " if context.french else "The same for all: ") + ", ".join(same))
    return reply(
        "programme_comparison",
        programmes=" / ".join(labels),
        comparison=lead_then_list(lines),
        source=cite(context, [programme.source for programme in programmes]),
    )


def _distinctive_sentences(context: Context, programmes: list[ProgrammeInfo]) -> list[str | None]:
    """For each programme, the first sentence of its summary that no other programme's summary holds."""
    sentences = [
        SENTENCE_BREAK.split(localised(context, programme.summary_en, programme.summary_fr) or "")
        for programme in programmes
    ]
    distinctive: list[str | None] = []
    for index, own in enumerate(sentences):
        others = {sentence for other, theirs in enumerate(sentences) if other != index for sentence in theirs}
        distinctive.append(next((sentence for sentence in own if sentence and sentence not in others), None))
    return distinctive


def _cheapest(context: Context, programmes: list[ProgrammeInfo], labels: list[str]) -> str:
    """Which programme costs least, from the fees the documents give; plainly when they give one range for all."""
    fees = [(programme.fee_min_eur, programme.fee_max_eur) for programme in programmes]
    if any(low is None for low, _ in fees):
        return (
            "Les documents ne donnent pas les frais de chacun."
            if context.french
            else "The documents do not give each one's fees."
        )
    if len(set(fees)) == 1:
        if context.french:
            return "Les documents donnent les mêmes frais pour tous : aucun n'est moins cher d'après eux."
        return "The documents give the same fees for all of them: none is cheaper according to them."
    cheapest = min(range(len(programmes)), key=lambda index: fees[index][0] or 0)
    return f"{labels[cheapest]} est le moins cher." if context.french else f"{labels[cheapest]} is the cheapest."


def programmes_refusing_request(snapshot: Snapshot, context: Context) -> list[ProgrammeInfo]:
    """The programmes whose documents refuse what the question asks for: "an Erasmus traineeship in Paris?"
    names a request the partner clerkships do not accept, although "Erasmus" alone names the exchange.

    Two consecutive words of the question must be in the refusal, and neither in what the programme is,
    so that "how do I send a clerkship request?" is not read as a refused request.
    """
    asked = _word_pairs(context.text)
    not_a_partner = bool(NOT_A_PARTNER.search(normalise(context.said_now or context.text)))
    if not asked and not not_a_partner:
        return []
    refusing = []
    for programme in programmes_with_refusals(snapshot, context.school):
        refused = f"{programme.not_accepted_en or ''} {programme.not_accepted_fr or ''}"
        if not_a_partner and PARTNERSHIP.search(normalise(refused)):
            # "My university isn't one of your partners, can I come?": the requests outside a partnership.
            refusing.append(programme)
            continue
        refusal = _word_pairs(f"{programme.not_accepted_en or ''} . {programme.not_accepted_fr or ''}")
        described = distinctive_words(
            " ".join(
                text or ""
                for text in (
                    programme.name_en, programme.name_fr, programme.summary_en, programme.summary_fr,
                    programme.eligibility_en, programme.eligibility_fr, programme.audience_en, programme.audience_fr,
                )
            )
        )  # fmt: skip
        if any(first not in described and second not in described for first, second in asked & refusal):
            refusing.append(programme)
    return refusing


# The student's university is not a partner: "my uni isn't one of your partners", "no partnership with you",
# "mon université n'est pas partenaire".
NOT_A_PARTNER = re.compile(
    r"\b(?:no|not|isn t|isnt|aren t|without|pas|sans|hors|aucun|aucune)"
    r"(?:\s+(?:one|of|your|our|a|an|any|with|you|vos|nos|un|une|de|des|vraiment|encore))*"
    r"\s+(?:partners?|partnerships?|partenaires?|partenariats?)\b"
)
PARTNERSHIP = re.compile(r"\b(?:partnership|partenariat)")


def _word_pairs(text: str) -> set[tuple[str, str]]:
    words = distinctive_words(text)
    return set(itertools.pairwise(words))


def programmes_in_question(snapshot: Snapshot, context: Context) -> list[ProgrammeInfo]:
    """The programmes the student means: one whose documents refuse what is asked, named now (a programme, or
    a kind), offered by a partner named now, or named earlier in the conversation.

    A named programme wins over a kind said with it ("the IDEAL4PREPAREDNESS summer school"); a partner named
    with a kind narrows it ("the exchange with Singapore"); a partner alone means the programmes made for it
    ("the Aarhus programme") or, if none is, all it takes part in.
    """
    return _programmes_meant(snapshot, context)[0]


def _programmes_meant(snapshot: Snapshot, context: Context) -> tuple[list[ProgrammeInfo], bool]:
    """The programmes in question, and whether they are those refusing what is asked."""
    refusing = programmes_refusing_request(snapshot, context)
    if refusing:
        return refusing, True
    offered = programmes_of_partners(snapshot, context.partners)
    if context.programmes:
        found = _programmes_named(snapshot, context, context.programmes)
        narrowed = [programme for programme in found if programme.id in {id_ for id_, _ in offered}]
        found = narrowed or found
    elif offered:
        dedicated = [programme_id for programme_id, partners in offered if partners == 1]
        found = [
            programme
            for programme_id in (dedicated or [programme_id for programme_id, _ in offered])
            if (programme := get_programme(snapshot, programme_id)) is not None
        ]
    elif context.previous_programmes:
        found = _answered_before(snapshot, context) or _programmes_named(snapshot, context, context.previous_programmes)
    else:
        # "For which programme?" after "is Yokohama City University a partner?": that partner's programmes.
        found = [
            programme
            for programme_id, _ in programmes_of_partners(snapshot, context.previous_partners)
            if (programme := get_programme(snapshot, programme_id)) is not None
        ]
    return in_direction(found, normalise(context.text)), False


def _answered_before(snapshot: Snapshot, context: Context) -> list[ProgrammeInfo]:
    """The programmes the last answer was about, those of the school in question: "the incoming partner clerkship",
    not every clerkship, after an answer about it."""
    school = family(snapshot, context.school) if context.school else None
    return [
        programme
        for value in context.previous_subject.get("programmes") or ()
        if (programme := get_programme(snapshot, value)) is not None
        and (school is None or programme.institution in school)
    ]


def _programmes_named(snapshot: Snapshot, context: Context, values: list[str]) -> list[ProgrammeInfo]:
    specific = [value for value in values if not value.startswith(KIND_PREFIX)]
    found: dict[str, ProgrammeInfo] = {}
    for value in specific:
        programme = get_programme(snapshot, value)
        if programme is not None:
            found.setdefault(programme.id, programme)
    if found:
        return list(found.values())
    for value in values:
        kind = value[len(KIND_PREFIX) :]
        for related in RELATED_KINDS.get(kind, (kind,)):
            for programme in find_programmes(snapshot, school=context.school, kind=related):
                found.setdefault(programme.id, programme)
    if not found:
        for value in values:
            fallback = FALLBACK_KINDS.get(value[len(KIND_PREFIX) :])
            for programme in find_programmes(snapshot, school=context.school, kind=fallback) if fallback else []:
                found.setdefault(programme.id, programme)
    return list(found.values())


def in_direction(programmes: list[ProgrammeInfo], question: str) -> list[ProgrammeInfo]:
    """Only the programmes going the way the question says, when it says so."""
    incoming = bool(INCOMING_WORDS.search(question) or STUDYING_ELSEWHERE.search(question))
    outgoing = bool(OUTGOING_WORDS.search(INCOMING_WORDS.sub(" ", STUDYING_ELSEWHERE.sub(" ", question))))
    if incoming == outgoing:
        return programmes
    wanted = "incoming" if incoming else "outgoing"
    matching = [programme for programme in programmes if programme.direction in (wanted, "both")]
    return matching or programmes


def answer_programme_detail(
    snapshot: Snapshot, context: Context, intent: str, index: TextIndex | None = None
) -> list[Reply]:
    """The detail `intent` asks for, for each programme in question; or the contact when the documents lack it.

    With no programme in question, a clear match among the facts, services,
    networks and grants ("what is PRESAGE?") answers instead, when `index` is given.
    """
    if index is not None and intent == "ask_programme_info" and asks_a_yearly_or_total_count(snapshot, context):
        # "Incoming clerkships at Paris Cité in 2022-2023?" asks for that year's figure.
        return answer_statistics(snapshot, context, index)
    detail, missing_en, missing_fr = DETAILS[intent]
    if intent == "ask_eligibility" and WHEN_WORDS.search(normalise(context.text)):
        detail = _eligibility_and_dates
    programmes, refused = _programmes_meant(snapshot, context)
    compared = programmes_compared(context, programmes)
    if not refused and len(compared) >= 2 and asks_comparison(context):
        return [
            compare_programmes(context, compared[:MAX_PROGRAMMES_ANSWERED], _kind_labels(snapshot, context, compared))
        ]
    if refused:
        # Whatever is asked of a request the documents refuse (its price, its dates), the refusal is the answer.
        detail = _refusal
    if not programmes:
        found = _kind_not_offered(snapshot, context, intent)
        if not found and index is not None and _names_a_thing(context, intent):
            found = answer_by_search(snapshot, context, index)
        return found or _without_programme(snapshot, context, intent)
    answered: dict[str, list[ProgrammeInfo]] = {}
    unknown: list[ProgrammeInfo] = []
    for programme in programmes:
        text = detail(context, programme)
        if text and intent != "ask_programme_info" and detail is DETAILS[intent][0]:
            # The detail as the documents give it, not one put together for the question (eligibility and dates).
            text = sentences_asked(text, context.topic_text)
        if text:
            answered.setdefault(text, []).append(programme)
        else:
            unknown.append(programme)
    groups = _asked_parts(
        context, _shared_part_once(_asked_parts(context, list(answered.items()))[:MAX_PROGRAMMES_ANSWERED])
    )
    listing = intent == "ask_programme_info" and sum(len(group) for _, group in groups) > 1
    with_contact = intent in CONTACT_HELPS or _asks_beyond(context, intent, groups)
    replies = [_detail_reply(snapshot, context, groups, with_contact, listing)] if groups else []
    listed = [programme for group in list(answered.values())[:MAX_PROGRAMMES_ANSWERED] for programme in group]
    if intent == "ask_programme_info" and len(listed) > 1:
        # A list of programmes: "the second one" picks from these buttons and the conversation goes on about it.
        replies[-1]["buttons"] = programme_buttons(snapshot, context, intent, listed, full_names=listing)
    if intent == "ask_dates" and DEADLINE_WORDS.search(normalise(context.text)):
        replies.append(
            reply(
                "programme_detail_unknown",
                programme=" / ".join(programme_name(context, programme) for programme in programmes),
                missing="la date limite de candidature" if context.french else "the application deadline",
                contact=_contact_for(snapshot, context, programmes[0]),
            )
        )
    elif unknown and not answered and (told := _told_in_description(context, unknown[0])):
        # "When did the first IDEAL project start?": the description gives it ("IDEAL (2016-2019)").
        replies.append(
            reply(
                "programme_fact",
                programme=programme_name(context, unknown[0]),
                detail=told,
                source=cite(context, [unknown[0].source]),
            )
        )
    elif unknown and not answered:
        replies += [
            reply(
                "programme_detail_unknown",
                programme=" / ".join(programme_name(context, programme) for programme in unknown),
                missing=missing_fr if context.french else missing_en,
                contact=_contact_for(snapshot, context, unknown[0]),
            )
        ]
    return replies


def sentences_asked(text: str, question: str) -> str:
    """A detail's first sentence, and each later one holding a word of the question: "what year must I be in?" is
    answered by the years of study, without the requests the programme refuses; "and if my university is not a
    partner?" keeps them."""
    sentences = SENTENCE_BREAK.split(text.strip())
    words = set(distinctive_words(question))
    if len(sentences) == 1 or not words:
        return text
    kept = [sentences[0]]
    kept += [sentence for sentence in sentences[1:] if any(word in normalise(sentence) for word in words)]
    return " ".join(kept)


def _told_in_description(context: Context, programme: ProgrammeInfo) -> str | None:
    """The sentence of the programme's description giving the kind of value asked (a year, a number) and holding
    a word of the question beyond the programme's names; None when none does ("when is the next IDEAL4PREPAREDNESS
    summer school?" is not answered by the years of the projects before it)."""
    wanted = wanted_kinds(context.said_now or context.text)
    names = normalise(f"{programme.name_en} {programme.name_fr} {' '.join(programme.aliases)}")
    own = [word for word in topic_words(context.topic_text) if word not in names and not word.startswith(STARTING)]
    asked = f" {normalise(context.text)} "
    spellings = {normalise(name) for name in (programme.name_en, programme.name_fr, *programme.aliases)}
    said = [name for name in spellings if name and f" {name} " in asked]
    summary = localised(context, programme.summary_en, programme.summary_fr) or ""
    for sentence in SENTENCE_BREAK.split(summary):
        folded = f" {normalise(sentence)} "
        # "Le projet IDEAL a commencé en quelle année ?" names nothing beyond the programme: the sentence giving the
        # value about the name it says ("IDEAL (2016-2019)"), not "when is IDEAL4PREPAREDNESS?".
        about = any(word in folded for word in own) if own else any(f" {name} " in folded for name in said)
        if wanted and not kinds_not_given(wanted, [sentence]) and about:
            return sentence
    return None


def _asked_parts(
    context: Context, groups: list[tuple[str, list[ProgrammeInfo]]]
) -> list[tuple[str, list[ProgrammeInfo]]]:
    """The details holding what the question names beyond the programmes' names, when only some do: "which summer
    school gives the AFGSU 2?" is the Hands-on one's, and "do I get ECTS?" leaves out what one adds to the credits."""
    names = normalise(" ".join(f"{p.name_en} {p.name_fr} {' '.join(p.aliases)}" for _, group in groups for p in group))
    words = [word for word in distinctive_words(context.topic_text) if word not in names]
    holding = [(text, group) for text, group in groups if any(word in normalise(text) for word in words)]
    return holding if holding else groups


def _shared_part_once(groups: list[tuple[str, list[ProgrammeInfo]]]) -> list[tuple[str, list[ProgrammeInfo]]]:
    """Details that all start with the shortest of them said once for every programme, then what each adds: "5 ECTS
    credits ..." for both summer schools, and the AFGSU 2 for the Hands-on one alone."""
    if len(groups) < 2:
        return groups
    shortest = min((text for text, _ in groups), key=len)
    shared = shortest.rstrip(" .")
    if len(shared) < SHARED_DETAIL_CHARACTERS or not all(text.startswith(shared) for text, _ in groups):
        return groups
    everyone = [programme for _, group in groups for programme in group]
    extras = [(text[len(shared) :].strip(" .,;+"), group) for text, group in groups if text.rstrip(" .") != shared]
    return [(shortest, everyone), *((f"{extra}." if extra else extra, group) for extra, group in extras if extra)]


def _asks_beyond(context: Context, intent: str, groups: list[tuple[str, list[ProgrammeInfo]]]) -> bool:
    """Whether the question asks more than the detail given says ("do I need a B2 certificate?" answered with
    the teaching languages): its words beyond the detail's and the programmes' names are not in the answer, so
    the reply says whom to ask."""
    words = normalise(context.topic_text)
    if intent in DETAIL_WORDS:
        words = DETAIL_WORDS[intent].sub(" ", words)
    said = normalise(" ".join(text for text, _ in groups))
    names = normalise(" ".join(f"{p.name_en} {p.name_fr} {' '.join(p.aliases)}" for _, group in groups for p in group))
    return any(word not in said and word not in names for word in distinctive_words(words))


def _detail_reply(
    snapshot: Snapshot,
    context: Context,
    groups: list[tuple[str, list[ProgrammeInfo]]],
    with_contact: bool,
    full_names: bool = False,
) -> Reply:
    """One reply for the detail of one or more programmes, citing each source and office once; a list of
    programmes (`full_names`) names each in full, as the student will find it elsewhere."""
    programmes = [programme for _, group in groups for programme in group]
    source = cite(context, [programme.source for programme in programmes])
    contact = "; ".join(dict.fromkeys(_contact_for(snapshot, context, group[0]) for _, group in groups))
    if len(groups) == 1:
        text, group = groups[0]
        name = " / ".join(programme_name(context, programme, full_names) for programme in group)
        if with_contact:
            answer = reply("programme_detail", programme=name, detail=text, source=source, contact=contact)
        else:
            answer = reply("programme_fact", programme=name, detail=text, source=source)
    else:
        details = lead_then_list(
            [
                f"{' / '.join(programme_name(context, programme, full_names) for programme in group)}: {text}"
                for text, group in groups
            ]
        )
        if with_contact:
            answer = reply("programme_details", details=details, source=source, contact=contact)
        else:
            answer = reply("programme_facts", details=details, source=source)
    # "What year do I need to be in?" next is about these programmes, not every one of their kind.
    answer["subject"] = Subject(programmes=list(dict.fromkeys(programme.id for programme in programmes)))
    return answer


def answer_programme_website(snapshot: Snapshot, context: Context) -> list[Reply]:
    """ "What's the website?" about the programmes named or just talked about: their web addresses; none when the
    message asks something else, names a school (its own website answers) or no programme has one."""
    asks = WEBSITE_WORDS.search(normalise(context.said_now or context.text))
    if not asks or context.named_institution or not (context.programmes or context.previous_programmes):
        return []
    programmes, _ = _programmes_meant(snapshot, context)
    label = "Site internet : " if context.french else "Website: "
    groups: dict[str, list[ProgrammeInfo]] = {}
    for programme in programmes:
        if programme.url:
            groups.setdefault(label + programme.url, []).append(programme)
    if not groups:
        return []
    return [_detail_reply(snapshot, context, list(groups.items())[:MAX_PROGRAMMES_ANSWERED], with_contact=False)]


def _names_a_thing(context: Context, intent: str) -> bool:
    """Whether the question has words besides those of the detail it asks: "how long?" names nothing to search
    for, and must not be answered by a text that happens to hold "long"."""
    words = normalise(context.topic_text)
    if intent in DETAIL_WORDS:
        words = DETAIL_WORDS[intent].sub(" ", words)
    return bool(distinctive_words(words))


def _kind_not_offered(snapshot: Snapshot, context: Context, intent: str) -> list[Reply]:
    """ "Does Lille have summer schools?": the school asked about has none of the kind named; the other school's,
    if it has some, are offered as buttons."""
    kinds = [value[len(KIND_PREFIX) :] for value in context.programmes if value.startswith(KIND_PREFIX)]
    if not kinds or not context.school:
        return []
    kind = snapshot.programme_kinds.get(kinds[0])
    if kind is None:
        return []
    school = school_name(snapshot, context, context.school)
    kind_name = localised(context, kind.name_en, kind.name_fr) or kind.id
    for other in schools(snapshot):
        elsewhere = [
            programme
            for related in RELATED_KINDS.get(kind.id, (kind.id,))
            for programme in find_programmes(snapshot, school=other, kind=related)
        ]
        if other != context.school and elsewhere:
            offered = reply(
                "kind_offered_elsewhere",
                school=school,
                kind=kind_name,
                contact=office_contacts(snapshot, context),
                other=school_name(snapshot, context, other),
            )
            offered["buttons"] = programme_buttons(snapshot, replace(context, school=other), intent, elsewhere)
            return [offered]
    return [reply("kind_not_offered", school=school, kind=kind_name, contact=office_contacts(snapshot, context))]


def _without_programme(snapshot: Snapshot, context: Context, intent: str) -> list[Reply]:
    """No programme named: never guess one. Offer those that have this detail, with the contact for the rest."""
    detail = DETAILS[intent][0]
    candidates = [
        programme for programme in find_programmes(snapshot, school=context.school) if detail(context, programme)
    ]
    contacts = office_contacts(snapshot, context)
    if not candidates:
        return [reply("no_information", contact=contacts)]
    which = reply("which_programme", contact=contacts)
    which["buttons"] = programme_buttons(snapshot, context, intent, candidates)
    return [which]


def programmes_to_check(snapshot: Snapshot, context: Context) -> list[ProgrammeInfo]:
    """The school's programmes an eligibility check offers: those going the student's way (said in the question
    in the conversation), and not continuing education for a student who gave a year of study."""
    programmes = find_programmes(snapshot, school=context.school)
    if context.study_year:
        programmes = [programme for programme in programmes if programme.kind != "continuing-education"]
    return in_direction(programmes, normalise(f"{context.text} {context.earlier_text}"))


def programme_buttons(
    snapshot: Snapshot, context: Context, intent: str, programmes: list[ProgrammeInfo], full_names: bool = False
) -> list[Button]:
    """Quick replies naming programmes (by their full names when the reply does), each sending `intent` with that
    programme."""
    return [
        Button(
            title=_button_title(snapshot, context, programme, full_names),
            payload=f'/{intent}{{"programme": "{programme.id}"}}',
        )
        for programme in programmes[:8]
    ]


def _button_title(snapshot: Snapshot, context: Context, programme: ProgrammeInfo, full_name: bool = False) -> str:
    name = programme_name(context, programme, full_name)
    return name if context.school else f"{name} ({school_name(snapshot, context, programme.institution)})"


def _contact_for(snapshot: Snapshot, context: Context, programme: ProgrammeInfo) -> str:
    """The programme's office as a student writes to it: its e-mail (its phone when it has none)."""
    contact = programme.contact
    if contact is None:
        contacts = contacts_for_topic(snapshot, programme.institution, KIND_TOPICS.get(programme.kind))
        contact = contacts[0] if contacts else None
    if contact is None:
        return ""
    return contact.email or contact.phone or contact_line(context, contact)


def topic_of(snapshot: Snapshot, context: Context) -> str | None:
    """The contact topic of the programme in question ("summer-school", "exchange", ...), if any."""
    programmes = programmes_in_question(snapshot, context)
    return KIND_TOPICS.get(programmes[0].kind) if programmes else None
