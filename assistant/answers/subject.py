"""Short questions about what the last answer was about: "where is it?" after one partner or programme, "who is it
for?" after a programme, whatever the classifier read in those few words."""

from __future__ import annotations

import re

from assistant.answers.common import Context, Reply, Subject, cite, localised, programme_fact, programme_name, reply
from assistant.answers.partners import partner_place
from assistant.queries.catalogue import ProgrammeInfo, find_programmes, get_programme
from assistant.queries.names import KIND_PREFIX
from assistant.queries.partners import PartnerInfo, get_partners
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
AUDIENCE_QUESTION = re.compile(
    r"\b(?:who is (?:it|this|that) for|who s it for|who (?:is|are) (?:it|they) (?:aimed|meant) at|for whom|"
    r"pour qui|a qui (?:s adresse|est ce destine)|s adresse a qui|c est pour qui)\b"
)


def answer_about_subject(snapshot: Snapshot, context: Context) -> list[Reply]:
    """Where the one partner or programme of the last answer is, or whom that programme is for; none when the
    message names something itself or asks another thing."""
    words = normalise(context.said_now or context.text)
    names_its_own = context.partners or context.programmes or context.countries or context.cities or context.regions
    if len(words.split()) > SUBJECT_QUESTION_WORDS or names_its_own:
        return []
    subject = context.previous_subject
    partner = _one_partner(snapshot, subject)
    programme = _last_programme(snapshot, context, subject)
    if PLACE_QUESTION.search(words):
        if partner is not None:
            return [_partner_place(context, partner)]
        if programme is not None and (venue := localised(context, programme.venue_en, programme.venue_fr)):
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
    """Whether a message of a few words asks where, for whom or the website of what the last answer was about."""
    words = normalise(text)
    return len(words.split()) <= SUBJECT_QUESTION_WORDS and any(
        pattern.search(words) for pattern in (PLACE_QUESTION, AUDIENCE_QUESTION, WEBSITE_QUESTION)
    )


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
    kinds = [value.removeprefix(KIND_PREFIX) for value in context.previous_programmes if value.startswith(KIND_PREFIX)]
    of_kind = [found for kind in kinds[:1] for found in find_programmes(snapshot, context.school, kind)]
    urls = {found.url for found in of_kind}
    if of_kind and len(urls) == 1 and of_kind[0].url:
        names = " / ".join(programme_name(context, found) for found in of_kind)
        return reply(
            "programme_fact", programme=names, detail=label + of_kind[0].url, source=cite(context, [of_kind[0].source])
        )
    return None


def _one_partner(snapshot: Snapshot, subject: Subject) -> PartnerInfo | None:
    partners = get_partners(snapshot, list(subject.get("partners") or ()))
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
