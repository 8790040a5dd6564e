"""What every answer needs: the reply shape, the question's context, labels in two languages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from assistant.queries.catalogue import ProgrammeInfo
from assistant.queries.schools import SourceRef, get_institution, schools
from assistant.queries.snapshot import Snapshot
from assistant.wording_keys import WORDING_KEYS

FRENCH = "fr"

# Students use one word for related kinds ("clerkship" for going abroad and for coming to Paris).
RELATED_KINDS = {
    "clinical-clerkship": ("clinical-clerkship", "partner-clerkship"),
    "partner-clerkship": ("partner-clerkship", "clinical-clerkship"),
    "academic-exchange": ("academic-exchange", "exchange-programme"),
    "exchange-programme": ("exchange-programme", "academic-exchange"),
}


class Button(TypedDict, total=False):
    """A quick reply: the text shown and the message it sends; or, for a title staff word, the wording entry
    (`title_wording`) and its values, rendered in the conversation's language when sent."""

    title: str
    payload: str
    title_wording: str
    title_values: dict[str, str]


class _ReplyFields(TypedDict):
    wording: str
    variables: dict[str, str]


class Subject(TypedDict, total=False):
    """What an answer was about, kept with the bot message: a follow-up ("his e-mail?", "and in 2024-2025?")
    asks the same of it, changing only what it names."""

    schools: list[str]
    contacts: list[str]
    years: list[str]
    kind: str
    direction: str
    # The filters of a list of partners: "which one is in Rome?" keeps them.
    countries: list[str]
    cities: list[str]
    regions: list[str]
    programmes: list[str]
    # The destination shares given ("africa", "non-partner"): "and in 2024-2025?" asks the same shares.
    shares: list[str]
    # The one text an answer quoted, as "kind:id" ("network:ectsma"): "its website?" asks for that text's.
    texts: list[str]
    # The name that one text is about ("PRESAGE: ..."): "how many people train there?" two questions later is still
    # about it.
    names: list[str]
    # The partners the answer named: "where is it?" after one of them asks where it is.
    partners: list[str]
    # The topics of the documents' texts quoted ("figures", "city"): "and in Lille?" after a figure of Paris Cité
    # is Lille's figure, not a text about the city.
    topics: list[str]
    # Whether the figures were totals since the first year counted ("1,274 clerkship exchanges since 2021"):
    # "dont combien de sortants ?" asks for the same total, one way.
    total: bool


class Reply(_ReplyFields, total=False):
    """One bot message: an entry of the wording files (data/wording/), the values of its placeholders, quick
    replies, and what it was about."""

    buttons: list[Button]
    subject: Subject


@dataclass(frozen=True)
class Context:
    """What the student asked about, resolved to database ids."""

    language: str = "en"
    school: str | None = None
    # The institution the student named, as named: a school's university ("University of Lille") or the school.
    named_institution: str | None = None
    # Both schools named ("which has more students, Paris Cité or Lille?"): each answers.
    both_schools_named: bool = False
    countries: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    # "Show all": the whole list asked for, not its summary (the quick reply under a summarised list).
    show_all: bool = False
    # The contacts whose person the message names ("who is Didier Gosset?"), by contact id.
    persons: list[str] = field(default_factory=list)
    # Partners named by a city name ("Madrid", "New York"), each with that city: a list question means the city.
    partner_cities: dict[str, str] = field(default_factory=dict)
    previous_programmes: list[str] = field(default_factory=list)
    previous_partners: list[str] = field(default_factory=list)
    unrecognised: list[str] = field(default_factory=list)
    intent: str | None = None
    text: str = ""
    # The message as the student wrote it: `text` also holds the previous question's words in a follow-up.
    said_now: str = ""
    topic_text: str = ""
    # Whether the message points back at what the conversation is about ("how many people train there?").
    points_back: bool = False
    # The message as written, without the names the gazetteer found in it.
    unnamed_text: str = ""
    study_year: str | None = None
    home_university: str | None = None
    eligibility_programme: str | None = None
    # The wording entry of the assistant's last message before this question, if it sent one.
    previous_wording: str | None = None
    # The student's previous question, as asked; and everything the student wrote before this message.
    previous_text: str = ""
    earlier_text: str = ""
    # What the assistant's last answer was about (merged over its messages).
    previous_subject: Subject = field(default_factory=lambda: Subject())

    @property
    def french(self) -> bool:
        return self.language == FRENCH


def reply(wording: str, **variables: object) -> Reply:
    """A reply with the wording entry `wording`, given exactly the values the entry's placeholders take.

    Raises:
        ValueError: the entry is not in WORDING_KEYS, or takes other values (a mistake in the code).
    """
    expected = WORDING_KEYS.get(wording)
    if expected is None:
        raise ValueError(f"{wording!r} is not a wording entry of WORDING_KEYS")
    if set(variables) != expected.filled:
        raise ValueError(f"the wording entry {wording!r} takes {sorted(expected.filled)}, not {sorted(variables)}")
    return Reply(wording=wording, variables={key: str(value) for key, value in variables.items()})


def lead_then_list(lines: list[str]) -> str:
    """The first item right after the reply's opening words, so that the first sentence answers; the others listed
    below it."""
    return "".join([lines[0], *(f"\n- {line}" for line in lines[1:])]) if lines else ""


def localised(context: Context, english: str | None, french: str | None) -> str | None:
    """The text in the student's language, or in the other one if only that exists."""
    return (french or english) if context.french else (english or french)


def schools_in_scope(snapshot: Snapshot, context: Context) -> list[str]:
    """The school asked about, or both when the student has not said which."""
    return [context.school] if context.school else schools(snapshot)


def school_name(snapshot: Snapshot, context: Context, institution_id: str) -> str:
    institution = get_institution(snapshot, institution_id)
    if institution is None:
        return institution_id
    return localised(context, institution.name_en, institution.name_fr) or institution_id


def school_fact_reply(context: Context, wording: str, school: str, name: str, **values: object) -> Reply:
    """The `fact` or `facts` reply of a school, named first unless the student is asking about it already (its
    page, or named in the conversation, not both schools): then `asked_school_fact(s)`."""
    if context.school == school and not context.both_schools_named:
        return reply(f"asked_school_{wording}", school=name, **values)
    return reply(wording, school=name, **values)


def cite(context: Context, sources: list[SourceRef]) -> str:
    """Sources as students read them, each once: title, and the period when the title lacks it."""
    unique: dict[str, SourceRef] = {source.id: source for source in sources}
    cited = []
    for source in unique.values():
        title = source.title_fr if context.french else source.title_en
        undated = "non datée" if context.french else "undated"
        period = undated if source.valid_for == "undated" else source.valid_for
        cited.append(title if period in title else f"{title} ({period})")
    return "; ".join(cited)


def programme_name(context: Context, programme: ProgrammeInfo, full: bool = False) -> str:
    """What replies call the programme: its short name when the knowledge file gives one (unless `full`, in a
    list of programmes, as the student will find it elsewhere), else its name."""
    short = None if full else localised(context, programme.short_name_en, programme.short_name_fr)
    return short or localised(context, programme.name_en, programme.name_fr) or programme.id


def programme_fact(context: Context, programme: ProgrammeInfo, detail: str) -> Reply:
    """One detail of one programme, with its source, about that programme for a follow-up."""
    answer = reply(
        "programme_fact",
        programme=programme_name(context, programme),
        detail=detail,
        source=cite(context, [programme.source]),
    )
    answer["subject"] = Subject(programmes=[programme.id])
    return answer
