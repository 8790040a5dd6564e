"""The wording entries the code sends (data/wording/), and the values it fills in each: the contract between the
answers and the texts staff edit, checked by `assistant/wording.py`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Placeholders:
    """The values the code fills in an entry: those every text must show, and those a text may leave out."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()

    @property
    def filled(self) -> frozenset[str]:
        return self.required | self.optional


def _fills(*required: str, optional: tuple[str, ...] = ()) -> Placeholders:
    return Placeholders(frozenset(required), frozenset(optional))


TOPIC_PREFIX = "topic_"
# Intents the "did you mean" buttons may offer (actions/fallback.py); each is named by the entry `topic_<intent>`.
SUGGESTED_TOPICS = (
    "ask_partners",
    "ask_is_partner",
    "ask_programme_info",
    "ask_eligibility",
    "check_eligibility",
    "ask_how_to_apply",
    "ask_dates",
    "ask_duration",
    "ask_fees",
    "ask_grants",
    "ask_languages",
    "ask_credits",
    "ask_contact",
    "ask_office_hours",
    "ask_school_facts",
    "ask_statistics",
    "ask_services",
    "ask_city",
    "ask_networks",
    "human_handoff",
)

WORDING_KEYS: dict[str, Placeholders] = {
    # partners.yml
    "partners_found": _fills("school", "place", "count", "partners", "source"),
    "partner_found": _fills("school", "place", "partners", "source", optional=("count",)),
    "partners_none": _fills("school", "place"),
    "partners_none_ask": _fills("school", "place", "contact"),
    "unknown_place": _fills(),
    "is_partner": _fills("partner", "place", "school", "programmes", "source"),
    "is_network_partner": _fills("partner", "place", "school", "programmes", "source"),
    "partner_place": _fills("partner", "place", "source"),
    "partner_of_other_school": _fills("partner", "school", "asked"),
    "partner_not_found": _fills("contact"),
    # programmes.yml
    "programme_detail": _fills("programme", "detail", "source", "contact"),
    "programme_fact": _fills("programme", "detail", "source"),
    "programme_details": _fills("details", "source", "contact"),
    "programme_facts": _fills("details", "source"),
    "programme_comparison": _fills("programmes", "comparison", "source"),
    "programme_detail_unknown": _fills("programme", "missing", "contact"),
    "which_programme": _fills("contact"),
    "kind_not_offered": _fills("school", "kind", "contact"),
    "kind_offered_elsewhere": _fills("school", "kind", "contact", "other"),
    # contacts.yml
    "contacts": _fills("school", "contacts", "source"),
    "office_hours": _fills("school", "contact", "hours"),
    "office_hours_unknown": _fills("school", "contact"),
    "handoff_open": _fills("school", "contact"),
    "handoff_closed": _fills("school", "contact", "reopens"),
    "handoff_email": _fills("school", "contact", optional=("reopens",)),
    "more_details": _fills("contact"),
    "not_mentioned": _fills("name", "contact"),
    "no_information": _fills("contact"),
    # school.yml
    "facts": _fills("school", "facts", "source"),
    "fact": _fills("school", "fact", "source"),
    "asked_school_facts": _fills("facts", "source", optional=("school",)),
    "asked_school_fact": _fills("fact", "source", optional=("school",)),
    "study_year_code": _fills("code", "year"),
    "network_joined": _fills("school", "network", "since", "source"),
    "nothing_specific_listing_all": _fills("contact"),
    "value_not_given": _fills("what", "contact"),
    "statistics": _fills("school", "statistics", "source"),
    "statistic": _fills("school", "students", "what", "year", "source"),
    "statistic_with_earlier": _fills("school", "students", "what", "year", "earlier", "source"),
    "share": _fills("percent", "where", "school", "what", "year", "source"),
    "share_with_earlier": _fills("percent", "where", "school", "what", "year", "earlier", "source"),
    # eligibility.yml
    "ask_eligibility_programme": _fills(),
    "ask_study_year": _fills(),
    "ask_home_university": _fills(),
    "ask_eligibility_programme_again": _fills(),
    "ask_study_year_again": _fills(),
    "ask_home_university_again": _fills(),
    "button_stop_check": _fills(),
    "button_show_all_partners": _fills("count"),
    "out_of_scope": _fills(),
    "study_year_not_understood": _fills(),
    "eligibility_no_programme": _fills(),
    "eligibility_year_ok": _fills("programme", "year", "rule", "source"),
    "eligibility_year_no": _fills("programme", "year", "rule", "source"),
    "eligibility_no_year_rule": _fills("programme", "audience", "source"),
    "eligibility_no_rule": _fills("programme", "summary", "source"),
    "eligibility_not_home_school": _fills("programme", "school", "home"),
    "eligibility_not_partner": _fills("programme", "home", "rule"),
    "eligibility_partner_ok": _fills("programme", "home"),
    "eligibility_confirm": _fills("contact"),
    # fallback.yml
    "default": _fills(),
    "did_you_mean": _fills(),
    "did_you_mean_or_write": _fills("contact"),
    **{TOPIC_PREFIX + intent: _fills() for intent in SUGGESTED_TOPICS},
}
