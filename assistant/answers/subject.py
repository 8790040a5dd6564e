"""Short questions about what the last answer was about: "where is it?" after one partner or programme, "who is it
for?" after a programme, whatever the classifier read in those few words."""

from __future__ import annotations

import re

from assistant.answers.common import Context, Reply, Subject, cite, localised, programme_fact, programme_name, reply
from assistant.answers.partners import partner_place
from assistant.queries.catalogue import ProgrammeInfo, find_programmes, get_programme
from assistant.queries.names import CONTINENT_PREFIX, KIND_PREFIX
from assistant.queries.partners import PartnerInfo, get_partners
from assistant.queries.search import DISTINCTIVE_LENGTH, answering_sentences, search_text
from assistant.queries.snapshot import Snapshot
from assistant.text import normalise

# At most this many words make a question about "it" rather than a new question.
SUBJECT_QUESTION_WORDS = 8
# The attribute a short question asks of its subject, on normalised text (no accents, no apostrophes).
PLACE_QUESTION = re.compile(
    r"\b(?:where|which country|what country|which city|what city|in which (?:country|city)|located|"
    r"ou (?:est|se trouve|se situe|ca se|c est|sont|se passe)|c est ou|quel pays|quelle ville|situe|situee)\b"
)
WEBSITE_QUESTION = re.compile(r"\b(?:website|web site|site web|site internet|site|link|lien|url|web page|page web)\b")
# The detail saying which programme a "which one ...?" question asks for, cut to its sentences within this length.
WHICH_DETAIL_CHARACTERS = 200
# A "which one ...?" question may say more of what it looks for ("which one teaches emergency skills?").
WHICH_QUESTION_WORDS = 14
ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
# "Which one ...?" asks for one of the programmes of the last answer.
WHICH_ONE = re.compile(
    r"\b(?:which one|which ones|which of them|which of the two|which of these|which of those|"
    r"lequel|laquelle|lesquels|lesquelles)\b"
)
AUDIENCE_QUESTION = re.compile(
    r"\b(?:who is (?:it|this|that) for|who s it for|who (?:is|are) (?:it|they) (?:aimed|meant) at|for whom|"
    r"pour qui|a qui (?:s adresse|est ce destine)|s adresse a qui|c est pour qui)\b"
)


def answer_about_subject(snapshot: Snapshot, context: Context) -> list[Reply]:
    """Which of the last answer's programmes the message asks for; where the partner it names, or the last
    answer's one partner (in the place it names) or programme, is; or whom that programme is for; none when the
    message names something else itself or asks another thing."""
    words = normalise(context.said_now or context.text)
    which = _which_programme(snapshot, context, words)
    if which:
        return which
    if len(words.split()) > SUBJECT_QUESTION_WORDS:
        return []
    places_named = context.countries or context.cities or context.regions
    partner = _partner_meant(snapshot, context)
    if partner is not None and PLACE_QUESTION.search(words):
        return [_partner_place(context, partner)]
    if context.partners or context.programmes or places_named:
        return []
    subject = context.previous_subject
    programme = _last_programme(snapshot, context, subject)
    if PLACE_QUESTION.search(words) and programme is not None:
        venue = localised(context, programme.venue_en, programme.venue_fr)
        if venue:
            return [programme_fact(context, programme, venue)]
    if WEBSITE_QUESTION.search(words):
        website = _website(snapshot, context, subject, programme)
        if website is not None:
            return [website]
    if AUDIENCE_QUESTION.search(words) and programme is not None:
        audience = localised(context, programme.audience_en, programme.audience_fr)
        if audience:
            return [programme_fact(context, programme, audience)]
    return []


def asks_about_subject(text: str) -> bool:
    """Whether a message of a few words asks which one, where, for whom or the website of what the last answer was
    about."""
    words = normalise(text)
    return (len(words.split()) <= WHICH_QUESTION_WORDS and bool(WHICH_ONE.search(words))) or (
        len(words.split()) <= SUBJECT_QUESTION_WORDS
        and any(pattern.search(words) for pattern in (PLACE_QUESTION, AUDIENCE_QUESTION, WEBSITE_QUESTION))
    )


def _which_programme(snapshot: Snapshot, context: Context, words: str) -> list[Reply]:
    """ "Which one gives the BLS certificate?" after the two summer schools: the programme whose texts hold the
    question's words, with the detail holding most of them; none when it is not such a question, or no programme
    of the last answer stands out."""
    which = WHICH_ONE.search(words)
    if which is None or len(words.split()) > WHICH_QUESTION_WORDS:
        return []
    subject = context.previous_subject
    places = context.countries or context.cities or context.regions or context.partners
    if places or any(subject.get(listed) for listed in ("partners", "countries", "cities", "regions")):
        # After a list of partners, "which of them ...?" is one of those partners; "Erasmus in Spain? which ones?"
        # asks for partners.
        return []
    candidates = _programmes_talked_about(snapshot, context)
    if len(candidates) < 2:
        return []
    rest = f"{words[: which.start()]} {words[which.end() :]}"
    asked = _asked_words(rest, context.said_now or context.text)
    if not asked:
        return []

    def matched(text: str | None) -> int:
        folded = normalise(text or "")
        return sum(bool(word.search(folded)) for word in asked)

    scores = [
        matched(" ".join(text or "" for text in (*_texts_of(programme), programme.short_name_en,
                                                  programme.short_name_fr, *programme.aliases)))
        for programme in candidates
    ]  # fmt: skip
    best = max(scores)
    if best == 0 or scores.count(best) > 1:
        return []
    programme = candidates[scores.index(best)]
    details = [
        localised(context, english, french)
        for english, french in zip(_texts_of(programme, "en"), _texts_of(programme, "fr"), strict=True)
    ]
    detail = max(details[1:], key=matched)  # the name is said anyway
    if not detail or not matched(detail):
        detail = details[1]
    return [programme_fact(context, programme, answering_sentences(detail or "", rest, WHICH_DETAIL_CHARACTERS))]


def _asked_words(words: str, said: str) -> list[re.Pattern[str]]:
    """What a "which one ...?" question asks, as patterns of normalised text: its topic words by their first
    letters ("certificate" finds "certification"), and the acronyms it writes in capitals ("BLS", "IA") whole."""
    topic = [re.compile(rf"\b{re.escape(word[:DISTINCTIVE_LENGTH])}") for word in search_text(words).split()]
    acronyms = [re.compile(rf"\b{re.escape(normalise(word))}\b") for word in ACRONYM.findall(said)]
    return topic + acronyms


def _programmes_talked_about(snapshot: Snapshot, context: Context) -> list[ProgrammeInfo]:
    """The programmes of the last answer: those it named, else those of the kind talked about, else those of the
    kind of the one programme talked about ("which of them ...?" after "which one ...?")."""
    named = [get_programme(snapshot, value) for value in context.previous_subject.get("programmes") or ()]
    specific = [programme for programme in named if programme is not None]
    if len(specific) > 1:
        return specific
    of_kind = _programmes_of_kind(snapshot, context)
    talked_about = [
        programme for value in context.previous_programmes[:1] if (programme := get_programme(snapshot, value))
    ]
    return of_kind or [
        found
        for programme in talked_about
        for found in find_programmes(snapshot, programme.institution, programme.kind)
    ]


def _programmes_of_kind(snapshot: Snapshot, context: Context) -> list[ProgrammeInfo]:
    """The school's programmes of the kind talked about before ("the summer schools")."""
    kinds = [value.removeprefix(KIND_PREFIX) for value in context.previous_programmes if value.startswith(KIND_PREFIX)]
    return [found for kind in kinds[:1] for found in find_programmes(snapshot, context.school, kind)]


def _texts_of(programme: ProgrammeInfo, language: str | None = None) -> list[str | None]:
    """A programme's name and the texts describing it, in one language or both."""
    fields = ("name", "summary", "certificate", "audience", "venue", "eligibility", "how_to_apply", "duration",
              "dates", "application_opens", "fees")  # fmt: skip
    languages = (language,) if language else ("en", "fr")
    return [
        " ".join(str(getattr(programme, f"{field}_{each}") or "") for each in languages) or None for field in fields
    ]


def _website(snapshot: Snapshot, context: Context, subject: Subject, programme: ProgrammeInfo | None) -> Reply | None:
    """The web address of the one network the last answer quoted, or of its programme."""
    label = "Site internet : " if context.french else "Website: "
    texts = list(subject.get("texts") or ())
    network = snapshot.networks.get(texts[0].removeprefix("network:")) if len(texts) == 1 else None
    if network is not None and texts[0].startswith("network:") and network.url:
        answer = reply("fact", school=network.name, fact=label + network.url, source=cite(context, [network.source]))
        answer["subject"] = Subject(texts=texts)
        return answer
    if programme is not None and programme.url:
        return programme_fact(context, programme, label + programme.url)
    # "The summer schools" talked about before: their one website.
    of_kind = _programmes_of_kind(snapshot, context)
    urls = {found.url for found in of_kind}
    if of_kind and len(urls) == 1 and of_kind[0].url:
        names = " / ".join(programme_name(context, found) for found in of_kind)
        return reply(
            "programme_fact", programme=names, detail=label + of_kind[0].url, source=cite(context, [of_kind[0].source])
        )
    return None


def _partner_meant(snapshot: Snapshot, context: Context) -> PartnerInfo | None:
    """The one partner the message names ("UT Southwestern c'est dans quelle ville ?"), else the one of the last
    answer's partners in the place it names ("what city is the american one in?"), else the last answer's one
    partner when the message names nothing; None otherwise."""
    if context.partners:
        named = get_partners(snapshot, list(context.partners))
        return named[0] if len(named) == 1 and not context.programmes else None
    if context.programmes:
        return None
    partners = get_partners(snapshot, list(context.previous_subject.get("partners") or ()))
    if context.countries or context.cities or context.regions:
        partners = [
            partner
            for partner in partners
            if partner.country in context.countries
            or normalise(partner.city or "") in {normalise(city) for city in context.cities}
            or any(region in (partner.region, CONTINENT_PREFIX + partner.continent) for region in context.regions)
        ]
    return partners[0] if len(partners) == 1 else None


def _last_programme(snapshot: Snapshot, context: Context, subject: Subject) -> ProgrammeInfo | None:
    """The programme the last answer was about: the one it named, or the conversation's when that answer was
    about a programme (its subject names no school, partner or contact)."""
    named = list(subject.get("programmes") or ())
    if not named and not subject.get("schools") and context.previous_programmes:
        named = context.previous_programmes[:1]
    specific = [programme for value in named if (programme := get_programme(snapshot, value)) is not None]
    return specific[0] if len(specific) == 1 else None


def _partner_place(context: Context, partner: PartnerInfo) -> Reply:
    place = partner_place(context, partner)
    answer = reply("partner_place", partner=partner.name, place=place, source=cite(context, [partner.source]))
    answer["subject"] = Subject(partners=[partner.id], schools=[partner.school])
    return answer
