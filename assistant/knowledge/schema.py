"""What a valid entry of each knowledge file looks like.

Field order here is the order staff see in the files and the order an export
writes. Cross-file references are checked by `assistant.knowledge.files`.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import List, Optional, Union

from pydantic import BaseModel, Extra, confloat, conint, constr, validator

Slug = constr(regex=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)
CountryCode = constr(regex=r"^[a-z]{2}$")
Text = constr(strip_whitespace=True, min_length=1)
AcademicYear = constr(regex=r"^(\d{4})-(\d{4})$")

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


def _one_of(allowed: tuple[str, ...]):  # noqa: ANN202
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"'{value}' is not one of: {', '.join(allowed)}")
        return value

    return check


def _matches(pattern: re.Pattern[str], what: str):  # noqa: ANN202
    def check(value: Optional[str]) -> Optional[str]:
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
    file: Optional[Text]
    language: constr(regex=r"^(en|fr)$")
    valid_for: Text


class InstitutionEntry(Entry):
    name_en: Text
    name_fr: Text
    short_names: List[Text] = []
    parent: Optional[Slug]
    city: Optional[Text]
    country: Optional[CountryCode]
    address: Optional[Text]
    website: Optional[Text]
    source: Slug

    _website = validator("website", allow_reuse=True)(_matches(URL_PATTERN, "web address"))


class CountryEntry(Entry):
    id: CountryCode
    name_en: Text
    name_fr: Text
    aliases: List[Text] = []
    region_en: Optional[Text]
    region_fr: Optional[Text]
    continent: str

    _continent = validator("continent", allow_reuse=True)(_one_of(CONTINENTS))


class StudyYearEntry(Entry):
    year: conint(ge=1, le=11)
    label_en: Text
    label_fr: Text
    codes: List[Text] = []


class ProgrammeKindEntry(Entry):
    name_en: Text
    name_fr: Text
    aliases: List[Text] = []

    _id = validator("id", allow_reuse=True)(_one_of(PROGRAMME_KINDS))


class ContactEntry(Entry):
    institution: Slug
    role_en: Text
    role_fr: Text
    person: Optional[Text]
    email: Optional[Text]
    phone: Optional[Text]
    address: Optional[Text]
    topics: List[str] = []
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
    def closes_after_opening(cls, closes: str, values: dict) -> str:  # noqa: N805
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
    aliases: List[Text] = []
    summary_en: Optional[Text]
    summary_fr: Optional[Text]
    min_year: Optional[conint(ge=1, le=11)]
    max_year: Optional[conint(ge=1, le=11)]
    eligibility_en: Optional[Text]
    eligibility_fr: Optional[Text]
    how_to_apply_en: Optional[Text]
    how_to_apply_fr: Optional[Text]
    duration_en: Optional[Text]
    duration_fr: Optional[Text]
    languages: List[constr(regex=r"^(en|fr)$")] = []
    start_date: Optional[dt.date]
    end_date: Optional[dt.date]
    dates_en: Optional[Text]
    dates_fr: Optional[Text]
    application_opens_en: Optional[Text]
    application_opens_fr: Optional[Text]
    fee_min_eur: Optional[confloat(ge=0)]
    fee_max_eur: Optional[confloat(ge=0)]
    fees_en: Optional[Text]
    fees_fr: Optional[Text]
    ects_credits: Optional[confloat(ge=0, le=120)]
    certificate_en: Optional[Text]
    certificate_fr: Optional[Text]
    places: Optional[conint(ge=0)]
    venue_en: Optional[Text]
    venue_fr: Optional[Text]
    audience_en: Optional[Text]
    audience_fr: Optional[Text]
    not_accepted_en: Optional[Text]
    not_accepted_fr: Optional[Text]
    url: Optional[Text]
    contact: Optional[Slug]
    source: Slug

    _kind = validator("kind", allow_reuse=True)(_one_of(PROGRAMME_KINDS))
    _direction = validator("direction", allow_reuse=True)(_one_of(DIRECTIONS))
    _url = validator("url", allow_reuse=True)(_matches(URL_PATTERN, "web address"))

    @validator("max_year")
    def years_in_order(cls, max_year: Optional[int], values: dict) -> Optional[int]:  # noqa: N805
        min_year = values.get("min_year")
        if max_year is not None and min_year is not None and max_year < min_year:
            raise ValueError(f"max_year {max_year} is before min_year {min_year}")
        return max_year

    @validator("end_date")
    def dates_in_order(cls, end: Optional[dt.date], values: dict) -> Optional[dt.date]:  # noqa: N805
        start = values.get("start_date")
        if end is not None and start is not None and end < start:
            raise ValueError(f"end_date {end} is before start_date {start}")
        return end

    @validator("fee_max_eur")
    def fees_in_order(cls, fee_max: Optional[float], values: dict) -> Optional[float]:  # noqa: N805
        fee_min = values.get("fee_min_eur")
        if fee_max is not None and fee_min is not None and fee_max < fee_min:
            raise ValueError(f"fee_max_eur {fee_max:g} is below fee_min_eur {fee_min:g}")
        return fee_max


class PartnerEntry(Entry):
    institution: Slug
    name: Text
    name_en: Text
    aliases: List[Text] = []
    city: Optional[Text]
    country: CountryCode
    programmes: List[Slug] = []
    networks: List[Slug] = []
    source: Slug


class GrantEntry(Entry):
    institution: Slug
    name_en: Text
    name_fr: Text
    summary_en: Optional[Text]
    summary_fr: Optional[Text]
    programmes: List[Slug] = []
    url: Optional[Text]
    source: Slug

    _url = validator("url", allow_reuse=True)(_matches(URL_PATTERN, "web address"))


class NetworkEntry(Entry):
    institution: Slug
    name: Text
    aliases: List[Text] = []
    kind: constr(regex=r"^(alliance|network|consortium|association)$")
    summary_en: Optional[Text]
    summary_fr: Optional[Text]
    joined: Optional[Union[conint(ge=1000, le=2100), constr(regex=r"^\d{4}(-\d{2})?$")]]
    members: Optional[conint(ge=0)]
    countries: Optional[conint(ge=0)]
    url: Optional[Text]
    source: Slug

    _url = validator("url", allow_reuse=True)(_matches(URL_PATTERN, "web address"))


class FactEntry(Entry):
    institution: Slug
    topic: str
    value: Optional[float]
    year: Optional[conint(ge=1000, le=2100)]
    text_en: Text
    text_fr: Text
    source: Slug

    _topic = validator("topic", allow_reuse=True)(_one_of(FACT_TOPICS))


class ServiceEntry(Entry):
    institution: Slug
    name_en: Text
    name_fr: Text
    summary_en: Optional[Text]
    summary_fr: Optional[Text]
    url: Optional[Text]
    source: Slug


class MobilityStatisticEntry(Entry):
    institution: Slug
    kind: Slug
    direction: constr(regex=r"^(outgoing|incoming)$")
    academic_year: AcademicYear
    students: conint(ge=0)
    source: Slug

    @validator("academic_year")
    def consecutive_years(cls, value: str) -> str:  # noqa: N805
        first, second = (int(part) for part in value.split("-"))
        if second != first + 1:
            raise ValueError(f"'{value}' is not an academic year (write it like 2024-2025)")
        return value


class MobilityShareEntry(Entry):
    institution: Slug
    kind: Slug
    academic_year: AcademicYear
    dimension: constr(regex=r"^(continent|destination)$")
    category: Slug
    percent: confloat(ge=0, le=100)
    source: Slug
