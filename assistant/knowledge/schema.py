"""What a valid entry of each knowledge file looks like.

Field order here is the order staff see in the files and the order an export
writes. Cross-file references are checked by `assistant.knowledge.files`.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConstrainedFloat, ConstrainedInt, ConstrainedStr, Extra, validator


class Slug(ConstrainedStr):
    regex = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
    max_length: int | None = 120


class CountryCode(Slug):
    """A two-letter code: a slug too, so that it can be a country's id."""

    regex = re.compile(r"^[a-z]{2}$")
    max_length = None  # the pattern fixes the length: a wrong one is reported as a wrong form


class Text(ConstrainedStr):
    strip_whitespace = True
    min_length = 1


class AcademicYear(ConstrainedStr):
    regex = re.compile(r"^(\d{4})-(\d{4})$")


class LanguageCode(ConstrainedStr):
    regex = re.compile(r"^(en|fr)$")


class YearOrMonth(ConstrainedStr):
    """A year such as 2020, or a year and month such as 2024-04."""

    regex = re.compile(r"^\d{4}(-\d{2})?$")


class NetworkKind(ConstrainedStr):
    regex = re.compile(r"^(alliance|network|consortium|association)$")


class StatisticDirection(ConstrainedStr):
    regex = re.compile(r"^(outgoing|incoming)$")


class ShareDimension(ConstrainedStr):
    regex = re.compile(r"^(continent|destination)$")


class StudyYearNumber(ConstrainedInt):
    ge = 1
    le = 11


class Count(ConstrainedInt):
    ge = 0


class CalendarYear(ConstrainedInt):
    ge = 1000
    le = 2100


class Amount(ConstrainedFloat):
    ge = 0


class Credits(ConstrainedFloat):
    ge = 0
    le = 120


class Percent(ConstrainedFloat):
    ge = 0
    le = 100


EMAIL_PATTERN = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 ()./-]{6,}$")
URL_PATTERN = re.compile(r"^(https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/\S*)?$")
TIME_PATTERN = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

CONTINENTS = ("europe", "africa", "asia", "north-america", "south-america", "oceania", "antarctica")
PROGRAMME_KINDS = (
    "academic-exchange",
    "clinical-clerkship",
    "partner-clerkship",
    "summer-programme",
    "summer-school",
    "continuing-education",
    "european-project",
    "exchange-programme",
)
DIRECTIONS = ("outgoing", "incoming", "both")
CONTACT_TOPICS = (
    "general",
    "exchange",
    "clerkship",
    "incoming",
    "summer-school",
    "projects",
    "grants",
    "dean",
)
FACT_TOPICS = ("figures", "history", "facilities", "research", "education", "industry", "city", "mission")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _one_of(allowed: tuple[str, ...]):
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"'{value}' is not one of: {', '.join(allowed)}")
        return value

    return check


def _matches(pattern: re.Pattern[str], what: str):
    def check(value: str | None) -> str | None:
        if value is not None and not pattern.match(value):
            raise ValueError(f"'{value}' is not a valid {what}")
        return value

    return check


class Entry(BaseModel):
    """Fields shared by every entry."""

    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True

    id: Slug


class SourceEntry(Entry):
    title_en: Text
    title_fr: Text
    file: Text | None
    language: LanguageCode
    valid_for: Text


class InstitutionEntry(Entry):
    name_en: Text
    name_fr: Text
    short_names: list[Text] = []
    parent: Slug | None
    city: Text | None
    country: CountryCode | None
    address: Text | None
    website: Text | None
    source: Slug

    _website = validator("website", allow_reuse=True)(_matches(URL_PATTERN, "web address"))


class CountryEntry(Entry):
    id: CountryCode
    name_en: Text
    name_fr: Text
    aliases: list[Text] = []
    region_en: Text | None
    region_fr: Text | None
    continent: str

    _continent = validator("continent", allow_reuse=True)(_one_of(CONTINENTS))


class StudyYearEntry(Entry):
    year: StudyYearNumber
    label_en: Text
    label_fr: Text
    codes: list[Text] = []


class ProgrammeKindEntry(Entry):
    name_en: Text
    name_fr: Text
    aliases: list[Text] = []

    _id = validator("id", allow_reuse=True)(_one_of(PROGRAMME_KINDS))


class ContactEntry(Entry):
    institution: Slug
    role_en: Text
    role_fr: Text
    person: Text | None
    email: Text | None
    phone: Text | None
    address: Text | None
    topics: list[str] = []
    source: Slug

    _email = validator("email", allow_reuse=True)(_matches(EMAIL_PATTERN, "e-mail address"))
    _phone = validator("phone", allow_reuse=True)(_matches(PHONE_PATTERN, "phone number"))
    _topics = validator("topics", each_item=True, allow_reuse=True)(_one_of(CONTACT_TOPICS))


class OfficeHoursEntry(Entry):
    contact: Slug
    weekday: str
    opens: str
    closes: str
    placeholder: bool = True

    _weekday = validator("weekday", allow_reuse=True)(_one_of(WEEKDAYS))
    _times = validator("opens", "closes", pre=True, allow_reuse=True)(
        _matches(TIME_PATTERN, "time (write it HH:MM, for example '09:30')")
    )

    @validator("closes")
    def closes_after_opening(cls, closes: str, values: dict) -> str:
        opens = values.get("opens")
        if opens is not None and closes <= opens:
            raise ValueError(f"closing time {closes} is not after opening time {opens}")
        return closes


class ProgrammeEntry(Entry):
    institution: Slug
    kind: str
    direction: str
    name_en: Text
    name_fr: Text
    short_name_en: Text | None = None
    short_name_fr: Text | None = None
    aliases: list[Text] = []
    summary_en: Text | None
    summary_fr: Text | None
    min_year: StudyYearNumber | None
    max_year: StudyYearNumber | None
    eligibility_en: Text | None
    eligibility_fr: Text | None
    how_to_apply_en: Text | None
    how_to_apply_fr: Text | None
    duration_en: Text | None
    duration_fr: Text | None
    languages: list[LanguageCode] = []
    start_date: dt.date | None
    end_date: dt.date | None
    dates_en: Text | None
    dates_fr: Text | None
    application_opens_en: Text | None
    application_opens_fr: Text | None
    fee_min_eur: Amount | None
    fee_max_eur: Amount | None
    fees_en: Text | None
    fees_fr: Text | None
    ects_credits: Credits | None
    certificate_en: Text | None
    certificate_fr: Text | None
    places: Count | None
    venue_en: Text | None
    venue_fr: Text | None
    audience_en: Text | None
    audience_fr: Text | None
    not_accepted_en: Text | None
    not_accepted_fr: Text | None
    url: Text | None
    contact: Slug | None
    source: Slug

    _kind = validator("kind", allow_reuse=True)(_one_of(PROGRAMME_KINDS))
    _direction = validator("direction", allow_reuse=True)(_one_of(DIRECTIONS))
    _url = validator("url", allow_reuse=True)(_matches(URL_PATTERN, "web address"))

    @validator("max_year")
    def years_in_order(cls, max_year: int | None, values: dict) -> int | None:
        min_year = values.get("min_year")
        if max_year is not None and min_year is not None and max_year < min_year:
            raise ValueError(f"max_year {max_year} is before min_year {min_year}")
        return max_year

    @validator("end_date")
    def dates_in_order(cls, end: dt.date | None, values: dict) -> dt.date | None:
        start = values.get("start_date")
        if end is not None and start is not None and end < start:
            raise ValueError(f"end_date {end} is before start_date {start}")
        return end

    @validator("fee_max_eur")
    def fees_in_order(cls, fee_max: float | None, values: dict) -> float | None:
        fee_min = values.get("fee_min_eur")
        if fee_max is not None and fee_min is not None and fee_max < fee_min:
            raise ValueError(f"fee_max_eur {fee_max:g} is below fee_min_eur {fee_min:g}")
        return fee_max


class PartnerEntry(Entry):
    institution: Slug
    name: Text
    name_en: Text
    aliases: list[Text] = []
    city: Text | None
    country: CountryCode
    programmes: list[Slug] = []
    networks: list[Slug] = []
    source: Slug


class GrantEntry(Entry):
    institution: Slug
    name_en: Text
    name_fr: Text
    summary_en: Text | None
    summary_fr: Text | None
    programmes: list[Slug] = []
    url: Text | None
    source: Slug

    _url = validator("url", allow_reuse=True)(_matches(URL_PATTERN, "web address"))


class NetworkEntry(Entry):
    institution: Slug
    name: Text
    aliases: list[Text] = []
    kind: NetworkKind
    summary_en: Text | None
    summary_fr: Text | None
    joined: CalendarYear | YearOrMonth | None
    members: Count | None
    countries: Count | None
    url: Text | None
    source: Slug

    _url = validator("url", allow_reuse=True)(_matches(URL_PATTERN, "web address"))


class FactEntry(Entry):
    institution: Slug
    topic: str
    value: float | None
    year: CalendarYear | None
    text_en: Text
    text_fr: Text
    source: Slug

    _topic = validator("topic", allow_reuse=True)(_one_of(FACT_TOPICS))


class ServiceEntry(Entry):
    institution: Slug
    name_en: Text
    name_fr: Text
    summary_en: Text | None
    summary_fr: Text | None
    url: Text | None
    source: Slug


class MobilityStatisticEntry(Entry):
    institution: Slug
    kind: Slug
    direction: StatisticDirection
    academic_year: AcademicYear
    students: Count
    source: Slug

    @validator("academic_year")
    def consecutive_years(cls, value: str) -> str:
        first, second = (int(part) for part in value.split("-"))
        if second != first + 1:
            raise ValueError(f"'{value}' is not an academic year (write it like 2024-2025)")
        return value


class MobilityShareEntry(Entry):
    institution: Slug
    kind: Slug
    academic_year: AcademicYear
    dimension: ShareDimension
    category: Slug
    percent: Percent
    source: Slug


class SearchWordsEntry(Entry):
    words: list[Text]

    @validator("words")
    def at_least_two(cls, words: list[str]) -> list[str]:
        if len(words) < 2:
            raise ValueError("list at least two words or phrases that mean the same thing")
        return words
