"""Answers about who to contact, when offices are open, and handing over to a person."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from assistant.answers.common import (
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
from assistant.queries.catalogue import ContactInfo, OfficeHoursInfo, contacts_for, get_contact
from assistant.queries.schools import family, get_institution
from assistant.queries.search import CONTACT, TextIndex
from assistant.queries.snapshot import Snapshot
from assistant.text import normalise

# The postal address is given when the question asks for it, not for an e-mail or web address (on normalised text).
ADDRESS_WORDS = re.compile(r"\b(address|adress|adresse|postal|post|mail to|courrier|where|ou se trouve|ou est)\b")
ELECTRONIC_ADDRESS = re.compile(
    r"\b(?:e ?mail|mail|web|internet|site)s? (?:address|adress)(?:es)?\b|"
    r"\badresses? (?:e ?mail|mail|electronique|courriel|web|internet|du site)\b"
)

PARIS = ZoneInfo("Europe/Paris")
KIND_TOPICS = {
    "academic-exchange": "exchange",
    "clinical-clerkship": "clerkship",
    "partner-clerkship": "incoming",
    "summer-programme": "exchange",
    "summer-school": "summer-school",
    "european-project": "projects",
    "exchange-programme": "exchange",
    "continuing-education": "general",
}
# "Who runs the office?": the person at its head rather than the office's own address.
HEAD_QUESTION = re.compile(
    r"\b(head|heads|runs|run|leads|lead|in charge|manager|manages|director|dirige|dirigeant|dirigeante|"
    r"responsable|chef|directeur|directrice|gere)\b"
)
HEAD_ROLE = re.compile(r"\b(head|director|dean|responsable|directeur|directrice|doyen|chef)\b", re.IGNORECASE)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The words of a question about opening hours (on normalised text), left out when matching the office it names.
HOURS_QUESTION = re.compile(
    r"\b(?:what time|when|open(?:s|ing)?|clos(?:e|es|ed|ing)|hours?|time|today|tomorrow|lunch ?time|morning|afternoon"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|horaires?|heures?|ouvert|ouvre|ouverture|ferme"
    r"|fermeture|quand|aujourd hui|demain|midi|matin|apres midi|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b"
)
WEEKDAY_NAMES = {
    "mon": ("Monday", "lundi"),
    "tue": ("Tuesday", "mardi"),
    "wed": ("Wednesday", "mercredi"),
    "thu": ("Thursday", "jeudi"),
    "fri": ("Friday", "vendredi"),
    "sat": ("Saturday", "samedi"),
    "sun": ("Sunday", "dimanche"),
}


# Everything this assistant covers is international study: its office is the default contact.
DEFAULT_TOPIC = "exchange"


def contacts_for_topic(snapshot: Snapshot, school: str, topic: str | None) -> list[ContactInfo]:
    """Contacts for a topic at a school, else its international office, else its general contacts;
    those with an e-mail first."""
    for wanted in dict.fromkeys((topic or DEFAULT_TOPIC, DEFAULT_TOPIC, "general", None)):
        contacts = contacts_for(snapshot, school, wanted)
        if contacts:
            return sorted(contacts, key=lambda contact: contact.email is None)
    return []


def office_contacts(snapshot: Snapshot, context: Context, topic: str | None = None, e_mail_only: bool = False) -> str:
    """The first contact for the topic at each school in scope, on one line; only their e-mails with
    `e_mail_only`, where the contact is an aside."""
    contacts = [
        contact
        for school in schools_in_scope(snapshot, context)
        for contact in contacts_for_topic(snapshot, school, topic)[:1]
    ]
    if e_mail_only and all(contact.email for contact in contacts):
        return ", ".join(str(contact.email) for contact in contacts)
    return "; ".join(contact_line(context, contact) for contact in contacts)


def contact_line(
    context: Context,
    contact: ContactInfo,
    with_phone: bool = True,
    with_address: bool = False,
    person_first: bool = False,
) -> str:
    """ "Role (person): e-mail, phone" in the student's language; "Person, role: ..." when the student asked for
    that person ("who is the dean?")."""
    role = localised(context, contact.role_en, contact.role_fr) or ""
    who = role
    if contact.person:
        who = f"{contact.person}, {role}" if person_first else f"{role} ({contact.person})"
    reach = [contact.email] + ([contact.phone] if with_phone else []) + ([contact.address] if with_address else [])
    details = ", ".join(item for item in reach if item)
    return f"{who}: {details}" if details else str(who)


def persons_named(snapshot: Snapshot, context: Context, school: str) -> list[ContactInfo]:
    """The school's contacts the NLU found named ("Didier Gosset", "the dean")."""
    return [
        contact
        for value in context.persons
        if (contact := get_contact(snapshot, value)) is not None and contact.institution in family(snapshot, school)
    ]


def contacts_named(
    snapshot: Snapshot, context: Context, school: str, index: TextIndex, asking: re.Pattern[str] | None = None
) -> list[ContactInfo]:
    """The school's contacts the message names by their role ("the summer school office", "the dean"), best first;
    the words `asking` for what is wanted of them ("what time does it close?") left out of the match."""
    topic = asking.sub(" ", normalise(context.topic_text)) if asking else context.topic_text
    named = index.search(topic, (CONTACT,), family(snapshot, school), min_score=0.2)
    if HEAD_QUESTION.search(normalise(context.topic_text)):
        named = [hit for hit in named if HEAD_ROLE.search(hit.text)] or named
        if not named and context.previous_text:
            # "Who runs it?" after a question about the international office: that office's head.
            earlier = index.search(context.previous_text, (CONTACT,), family(snapshot, school), min_score=0.1)
            named = [hit for hit in earlier if HEAD_ROLE.search(hit.text)]
    named = [hit for hit in named if hit.score >= named[0].score * 0.8] if named else []
    # A contact the index still has can have gone from the database: the index follows an import within seconds.
    return [contact for hit in named if (contact := get_contact(snapshot, hit.id)) is not None]


def answer_contact(snapshot: Snapshot, context: Context, topic: str | None, index: TextIndex) -> list[Reply]:
    """The contact the student names (the dean, the summer schools...), else the one for the topic."""
    replies = []
    asks_address = bool(ADDRESS_WORDS.search(ELECTRONIC_ADDRESS.sub(" ", normalise(context.text))))
    for school in schools_in_scope(snapshot, context):
        persons = persons_named(snapshot, context, school)
        if context.persons and not persons:
            # "Who is Didier Gosset?" is about his school only.
            continue
        found = persons or contacts_named(snapshot, context, school, index)
        if not found and not context.programmes:
            # "His e-mail?" after "who is the dean?": the same person.
            found = [
                contact
                for contact_id in context.previous_subject.get("contacts", [])
                if (contact := get_contact(snapshot, contact_id)) is not None
                and contact.institution in family(snapshot, school)
            ]
        institution = get_institution(snapshot, school)
        if asks_address and institution is not None and institution.address:
            label = "adresse postale : " if context.french else "postal address: "
            replies.append(
                school_fact_reply(
                    context,
                    "fact",
                    school,
                    school_name(snapshot, context, school),
                    fact=label + institution.address,
                    source=cite(context, [institution.source]),
                )
            )
            continue
        contacts = found or contacts_for_topic(snapshot, school, topic)[:2]
        if contacts and not any(contact.email or contact.phone for contact in contacts):
            contacts += contacts_for_topic(snapshot, school, topic)[:1]
        if contacts:
            answer = reply(
                "contacts",
                school=school_name(snapshot, context, school),
                contacts=lead_then_list(
                    [
                        contact_line(context, contact, with_address=asks_address, person_first=bool(found))
                        for contact in contacts
                    ]
                ),
                source=cite(context, [contact.source for contact in contacts]),
            )
            answer["subject"] = Subject(contacts=[contact.id for contact in contacts], schools=[school])
            replies.append(answer)
    return replies


def _opening_now(hours: list[OfficeHoursInfo], now: dt.datetime) -> OfficeHoursInfo | None:
    weekday = WEEKDAYS[now.weekday()]
    return next((h for h in hours if h.weekday == weekday and h.opens <= now.time() < h.closes), None)


def next_opening(hours: list[OfficeHoursInfo], now: dt.datetime) -> dt.datetime | None:
    """When the office next opens after `now` (Europe/Paris), within a week."""
    for days_ahead in range(8):
        day = now.date() + dt.timedelta(days=days_ahead)
        weekday = WEEKDAYS[day.weekday()]
        openings = sorted(h.opens for h in hours if h.weekday == weekday)
        for opens in openings:
            moment = dt.datetime.combine(day, opens, tzinfo=PARIS)
            if moment > now:
                return moment
    return None


def _when(context: Context, moment: dt.datetime) -> str:
    english, french = WEEKDAY_NAMES[WEEKDAYS[moment.weekday()]]
    return (
        f"{french} {moment:%d/%m} à {moment:%H:%M}" if context.french else f"{english} {moment:%d/%m} at {moment:%H:%M}"
    )


def answer_handoff(snapshot: Snapshot, context: Context, topic: str | None, now: dt.datetime) -> list[Reply]:
    """A person to reach: phone and e-mail while the office is open, else the e-mail and when it reopens.

    Hours staff have not confirmed are not the documents' and are not said: the student gets the e-mail and phone.
    """
    now = now.astimezone(PARIS)
    replies = []
    for school in schools_in_scope(snapshot, context):
        contacts = contacts_for_topic(snapshot, school, topic)
        if not contacts:
            continue
        contact = contacts[0]
        hours = confirmed_hours(contact)
        name = school_name(snapshot, context, school)
        if not hours:
            replies.append(reply("handoff_email", school=name, contact=contact_line(context, contact), reopens=""))
        elif _opening_now(hours, now) and contact.phone:
            replies.append(reply("handoff_open", school=name, contact=contact_line(context, contact)))
        else:
            reopens = next_opening(hours, now)
            replies.append(
                reply(
                    "handoff_closed" if reopens else "handoff_email",
                    school=name,
                    contact=contact_line(context, contact, with_phone=False),
                    reopens=_when(context, reopens) if reopens else "",
                )
            )
    return replies


def confirmed_hours(contact: ContactInfo) -> list[OfficeHoursInfo]:
    """The contact's opening hours that staff have confirmed (the documents give none)."""
    return [hours for hours in contact.office_hours if not hours.placeholder]


def opening_days(context: Context, hours_by_day: dict[str, str]) -> str:
    """The week's openings, days in a row with the same hours said once: "Monday to Friday: 09:30–12:30, 14:00–17:00"."""
    runs: list[tuple[str, str, str]] = []  # first day, last day, hours
    for day in WEEKDAYS:
        if day not in hours_by_day:
            continue
        first, last, hours = runs[-1] if runs else ("", "", "")
        if runs and hours == hours_by_day[day] and WEEKDAYS.index(day) == WEEKDAYS.index(last) + 1:
            runs[-1] = (first, day, hours)
        else:
            runs.append((day, day, hours_by_day[day]))
    language = 1 if context.french else 0

    def days(first: str, last: str) -> str:
        if first == last:
            return WEEKDAY_NAMES[first][language]
        if context.french:
            return f"du {WEEKDAY_NAMES[first][1]} au {WEEKDAY_NAMES[last][1]}"
        return f"{WEEKDAY_NAMES[first][0]} to {WEEKDAY_NAMES[last][0]}"

    colon = " : " if context.french else ": "
    return "; ".join(f"{days(first, last)}{colon}{hours}" for first, last, hours in runs)


def answer_office_hours(snapshot: Snapshot, context: Context, topic: str | None, index: TextIndex) -> list[Reply]:
    """Opening hours of the office in question (named, else the topic's); without hours confirmed by staff, that
    they are not known."""
    replies = []
    for school in schools_in_scope(snapshot, context):
        named = persons_named(snapshot, context, school) or contacts_named(
            snapshot, context, school, index, HOURS_QUESTION
        )
        contacts = [contact for contact in named if contact.email or contact.phone] or contacts_for_topic(
            snapshot, school, topic
        )[:1]
        if not contacts:
            continue
        name = school_name(snapshot, context, school)
        contact = next((contact for contact in contacts if confirmed_hours(contact)), None)
        if contact is None:
            # No hours to give: each office the student may mean, to write to.
            lines = "; ".join(contact_line(context, contact) for contact in contacts[:2])
            replies.append(reply("office_hours_unknown", school=name, contact=lines))
            continue
        by_day: dict[str, str] = {}
        for hours in confirmed_hours(contact):
            opening = f"{hours.opens:%H:%M}–{hours.closes:%H:%M}"
            by_day[hours.weekday] = f"{by_day[hours.weekday]}, {opening}" if hours.weekday in by_day else opening
        replies.append(
            reply(
                "office_hours", school=name, contact=contact_line(context, contact), hours=opening_days(context, by_day)
            )
        )
    return replies
