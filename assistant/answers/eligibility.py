"""The eligibility check: a student's year and home university against a programme's rules, quoting them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.answers.common import Context, Reply, cite, localised, programme_name, reply, school_name
from assistant.answers.contacts import KIND_TOPICS, contact_line, contacts_for_topic
from assistant.answers.programmes import STUDYING, programme_buttons, programmes_in_question
from assistant.queries.catalogue import ProgrammeInfo, find_programmes
from assistant.queries.names import INSTITUTION, PARTNER, STUDY_YEAR, NameIndex
from assistant.queries.schools import family, school_of
from assistant.queries.snapshot import Snapshot
from assistant.text import fold, normalise

ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "premiere": 1, "premier": 1, "deuxieme": 2, "seconde": 2, "troisieme": 3, "quatrieme": 4, "cinquieme": 5,
    "sixieme": 6,
}  # fmt: skip
YEAR_NUMBER = re.compile(r"\b([1-9])\s*(?:st|nd|rd|th|e|eme|ere|er|re)?\b")


def study_year_from(text: str, names: NameIndex) -> int | None:
    """The year of study in an answer such as "DFASM1", "5th year", "cinquième année" or "4"."""
    matches = names.lookup(STUDY_YEAR, text, limit=1, cutoff=90)
    if matches:
        return int(matches[0].value)
    words = normalise(text)
    for word, year in ORDINAL_WORDS.items():
        if re.search(rf"\b{word}\b", words):
            return year
    number = YEAR_NUMBER.search(words)
    return int(number.group(1)) if number else None


# "I'm a 5th-year student at X", "je suis étudiante en 5e année à l'X", "je suis en 4e année au Maroc, à l'X": where
# the student studies, said before a name.
STUDENT_AT = re.compile(
    STUDYING + r"[^.?!,;]{0,40}?(?:,\s*)?\b(?:at|from|in|a|au|de|chez)\s+(?:the\s+|l['\u2019]\s*|la\s+|le\s+)?$"
)


def home_university_said(text: str, entities: list[dict[str, Any]]) -> str | None:
    """The university or school the student says they study at, as they wrote it, if a name found follows
    such words; "can I do a clerkship at Karolinska?" names where to go, not where they study."""
    folded = fold(text)
    for entity in entities:
        start, end = entity.get("start"), entity.get("end")
        if (
            entity.get("entity") in (PARTNER, INSTITUTION)
            and isinstance(start, int)
            and isinstance(end, int)
            and STUDENT_AT.search(folded[:start])
        ):
            return text[start:end]
    return None


@dataclass(frozen=True)
class HomeUniversity:
    """Where the student studies now, as far as the database knows it."""

    text: str
    school: str | None = None
    partner: str | None = None
    partner_name: str | None = None


def home_university_from(text: str, names: NameIndex, snapshot: Snapshot) -> HomeUniversity:
    """A school of ours, a partner university, or another university (kept as typed)."""
    words = normalise(text).split()
    chunks = [" ".join(words[i : i + n]) for n in (6, 5, 4, 3, 2, 1) for i in range(len(words) - n + 1)]
    for entity in (INSTITUTION, PARTNER):
        for chunk in chunks:
            if len(chunk) < 3:
                continue
            match = names.lookup(entity, chunk, limit=1, cutoff=90)
            if match:
                if entity == INSTITUTION:
                    return HomeUniversity(text, school=school_of(snapshot, match[0].value))
                return HomeUniversity(text, partner=match[0].value, partner_name=match[0].spelling)
    return HomeUniversity(text)


def eligibility_verdict(
    snapshot: Snapshot, context: Context, study_year: int | None, home: HomeUniversity | None
) -> list[Reply]:
    """For each programme in question: the year rule and the home-university rule, each quoted, then the contact."""
    programmes = programmes_in_question(snapshot, context)
    if not programmes:
        which = reply("eligibility_no_programme")
        which["buttons"] = programme_buttons(
            snapshot, context, "check_eligibility", find_programmes(snapshot, school=context.school)
        )
        return [which]
    if home is not None:
        programmes = in_students_direction(snapshot, programmes, home)
    replies: list[Reply] = []
    for programme in programmes[:3]:
        replies += _verdict(snapshot, context, programme, study_year, home)
    contacts = contacts_for_topic(snapshot, programmes[0].institution, KIND_TOPICS.get(programmes[0].kind))
    if contacts:
        # The verdict is read first: whom to write to is its e-mail alone.
        replies.append(reply("eligibility_confirm", contact=contacts[0].email or contact_line(context, contacts[0])))
    return replies


def in_students_direction(
    snapshot: Snapshot, programmes: list[ProgrammeInfo], home: HomeUniversity
) -> list[ProgrammeInfo]:
    """Of the programmes in question, those going the student's way: out of their own school, into another."""
    matching = [
        programme
        for programme in programmes
        if programme.direction == "both"
        or programme.direction
        == ("outgoing" if home.school == school_of(snapshot, programme.institution) else "incoming")
    ]
    return matching or programmes


def _verdict(
    snapshot: Snapshot,
    context: Context,
    programme: ProgrammeInfo,
    study_year: int | None,
    home: HomeUniversity | None,
) -> list[Reply]:
    name = programme_name(context, programme)
    rule = localised(context, programme.eligibility_en, programme.eligibility_fr) or ""
    source = cite(context, [programme.source])
    school = school_of(snapshot, programme.institution)
    replies = []
    if home is not None:
        home_reply = _home_rule(snapshot, context, programme, name, school, home)
        if home_reply is not None:
            replies.append(home_reply)
    accepts = programme.accepts_year(study_year) if study_year is not None else None
    audience = localised(context, programme.audience_en, programme.audience_fr) or rule
    if accepts is None and audience:
        replies.append(reply("eligibility_no_year_rule", programme=name, audience=audience, source=source))
    elif accepts is None:
        summary = localised(context, programme.summary_en, programme.summary_fr) or ""
        replies.append(reply("eligibility_no_rule", programme=name, summary=summary, source=source))
    else:
        replies.append(
            reply(
                "eligibility_year_ok" if accepts else "eligibility_year_no",
                programme=name,
                year=study_year,
                rule=rule or f"{programme.min_year}–{programme.max_year}",
                source=source,
            )
        )
    return replies


def _home_rule(
    snapshot: Snapshot, context: Context, programme: ProgrammeInfo, name: str, school: str, home: HomeUniversity
) -> Reply | None:
    school_label = school_name(snapshot, context, school)
    if programme.direction == "outgoing" and home.school != school:
        return reply("eligibility_not_home_school", programme=name, school=school_label, home=home.text)
    if programme.kind == "partner-clerkship":
        partner_of_school = home.partner is not None and _partner_of(snapshot, home.partner, school)
        if not partner_of_school:
            refused = localised(context, programme.not_accepted_en, programme.not_accepted_fr) or ""
            return reply("eligibility_not_partner", programme=name, home=home.text, rule=refused)
        return reply("eligibility_partner_ok", programme=name, home=home.partner_name or home.text)
    return None


def _partner_of(snapshot: Snapshot, partner_id: str, school: str) -> bool:
    partner = snapshot.partners.get(partner_id)
    return partner is not None and partner.institution in family(snapshot, school)
