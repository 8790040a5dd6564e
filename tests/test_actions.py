"""Actions run as the action server runs them: a Tracker in, a CollectingDispatcher out."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

import actions.base
from actions.contacts import ActionAnswerContact, ActionHandoff
from actions.eligibility import ActionAskEligibilityProgramme, ActionEligibilityVerdict, ValidateEligibilityForm
from actions.partners import ActionCheckPartner, ActionListPartners
from actions.programmes import (
    ActionAnswerDates,
    ActionAnswerDuration,
    ActionAnswerEligibility,
    ActionAnswerFees,
    ActionAnswerHowToApply,
    ActionAnswerProgrammeInfo,
)
from actions.school import (
    ActionAnswerCity,
    ActionAnswerGrants,
    ActionAnswerNetworks,
    ActionAnswerSchoolFacts,
    ActionAnswerServices,
    ActionAnswerStatistics,
)
from assistant.answers.eligibility import home_university_said
from assistant.staff.blind import first_sentence

pytestmark = pytest.mark.anyio

PARIS = dt.timezone(dt.timedelta(hours=1))  # November: Europe/Paris is UTC+1


def tracker(text: str, entities: list[dict[str, Any]] = (), slots: dict[str, Any] | None = None, metadata: dict | None = None) -> Tracker:
    return Tracker(
        sender_id="test",
        slots={"language": "en", **(slots or {})},
        latest_message={"text": text, "entities": list(entities), "intent": {}, "metadata": metadata or {}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def run(action, tracker_: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker_, {})
    return dispatcher.messages


async def test_partners_in_spain_of_the_school_that_has_some(knowledge_db) -> None:
    messages = await run(ActionListPartners(), tracker("partners in Spain?", [{"entity": "country", "value": "es"}]))
    assert [m["wording"] for m in messages] == ["partners_found"]
    assert "Universidad de Cádiz" in messages[0]["partners"]
    assert messages[0]["count"] == "3"


@pytest.mark.parametrize(
    ("text", "city", "partner", "expected"),
    [
        ("do you have a partner in lisbon", "lisbon", "upc-universidad-de-lisboa", ["Universidad de Lisboa"]),
        ("which universities in New York are partners?", "New York", "upc-albert-einstein-college-of-medicine", ["Columbia", "Einstein"]),
    ],
)
async def test_a_city_that_is_also_a_partner_name_lists_the_partners_there(
    knowledge_db, text: str, city: str, partner: str, expected: list[str]
) -> None:
    start = text.index(city)
    named = {"entity": "partner", "value": partner, "start": start, "end": start + len(city), "text": city, "other_kinds": ["city"]}
    messages = await run(ActionListPartners(), tracker(text, [named], metadata={"school": "upc"}))
    assert [m["wording"] for m in messages] in (["partners_found"], ["partner_found"])
    assert all(name in messages[0]["partners"] for name in expected)


async def test_a_partner_named_in_a_list_question_is_the_answer_not_every_partner(knowledge_db) -> None:
    messages = await run(
        ActionListPartners(),
        tracker("do you have partners at karolinska?", [{"entity": "partner", "value": "upc-karolinska-institutet"}]),
    )
    assert [m["wording"] for m in messages] == ["is_partner"]
    assert "Karolinska" in messages[0]["text"]


async def test_injected_unknown_country_is_not_answered_with_every_partner(knowledge_db) -> None:
    messages = await run(ActionListPartners(), tracker('/ask_partners{"country": "zz"}', [{"entity": "country", "value": "zz"}]))
    assert [m["wording"] for m in messages] == ["unknown_place"]


async def test_partner_of_the_other_school_is_not_claimed(knowledge_db) -> None:
    messages = await run(
        ActionCheckPartner(),
        tracker("is karolinska a partner?", [{"entity": "partner", "value": "upc-karolinska-institutet"}], metadata={"school": "lille-medicine"}),
    )
    assert messages[0]["wording"] == "partner_of_other_school"


async def test_summer_school_fees_in_french(knowledge_db) -> None:
    messages = await run(
        ActionAnswerFees(),
        tracker("combien coûte la summer school ?", [{"entity": "programme", "value": "kind:summer-school"}], {"language": "fr"}),
    )
    assert messages[0]["wording"] == "programme_fact", "a fee is complete in itself: no contact line"
    assert "2 500" in messages[0]["detail"] and "3 100" in messages[0]["detail"]


async def test_follow_up_uses_the_programme_discussed_before(knowledge_db) -> None:
    messages = await run(ActionAnswerDates(), tracker("when?", slots={"programme": "kind:summer-school"}))
    assert "July 2026" in messages[0]["detail"] or "07/2026" in messages[0]["detail"]


async def test_unknown_fee_gives_the_contact_instead_of_a_guess(knowledge_db) -> None:
    messages = await run(
        ActionAnswerFees(),
        tracker("tuition for the erasmus exchange?", [{"entity": "programme", "value": "upc-erasmus-exchange-europe"}]),
    )
    assert messages[0]["wording"] == "programme_detail_unknown"
    assert "mobilite.international.medecine@u-paris.fr" in messages[0]["contact"]


@pytest.mark.parametrize(
    ("now", "wording"),
    [
        (dt.datetime(2026, 11, 24, 10, 0, tzinfo=PARIS), "handoff_open"),
        (dt.datetime(2026, 11, 28, 10, 0, tzinfo=PARIS), "handoff_closed"),
    ],
)
async def test_handoff_depends_on_confirmed_office_hours(
    confirmed_office_hours, monkeypatch: pytest.MonkeyPatch, now: dt.datetime, wording: str
) -> None:
    monkeypatch.setattr(ActionHandoff, "clock", staticmethod(lambda: now))
    messages = await run(ActionHandoff(), tracker("I want to talk to someone", metadata={"school": "lille-medicine"}))
    assert messages[0]["wording"] == wording
    assert "ri-sante@univ-lille.fr" in messages[0]["contact"]
    if wording == "handoff_open":
        assert "+33 (0)3 20 62 69 19" in messages[0]["contact"]
    else:
        assert "Monday 30/11 at 09:30" in messages[0]["reopens"]


async def test_handoff_without_confirmed_hours_gives_e_mail_and_phone_and_no_hours(knowledge_db, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ActionHandoff, "clock", staticmethod(lambda: dt.datetime(2026, 11, 28, 10, 0, tzinfo=PARIS)))
    messages = await run(ActionHandoff(), tracker("je veux parler à quelqu'un", slots={"language": "fr"}, metadata={"school": "lille-medicine"}))
    assert messages[0]["text"] == (
        "Faculté de Médecine de Lille : écrivez à Relations internationales (Dr. Vincent SOBANSKI): ri-sante@univ-lille.fr, "
        "+33 (0)3 20 62 69 19."
    )


async def test_database_down_gives_an_apology_with_a_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    for cache in (actions.base.names, actions.base.texts, actions.base.knowledge):
        monkeypatch.setattr(cache, "get", broken)
    messages = await run(ActionListPartners(), tracker("partners in Spain?", [{"entity": "country", "value": "es"}]))
    assert messages[0]["text"].startswith("Sorry, I can't reach my information right now.")
    assert "ri-sante@univ-lille.fr" in messages[0]["text"]
    assert "mobilite.international.medecine@u-paris.fr" in messages[0]["text"]


async def test_low_confidence_offers_the_two_likeliest_topics_then_a_person(knowledge_db) -> None:
    from ruamel.yaml import YAML

    from actions.fallback import ActionSuggestTopics
    from assistant.config import PROJECT_ROOT

    domain = YAML(typ="safe").load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    uncertain = tracker("exchange money Karolinska?", [{"entity": "partner", "value": "upc-karolinska-institutet"}], {"language": "fr"})
    uncertain.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.25},
        {"name": "ask_grants", "confidence": 0.2},
        {"name": "ask_is_partner", "confidence": 0.18},
        {"name": "ask_fees", "confidence": 0.1},
    ]
    dispatcher = CollectingDispatcher()
    await ActionSuggestTopics().run(dispatcher, uncertain, domain)
    [message] = dispatcher.messages
    assert message["wording"] == "did_you_mean_or_write"
    # Neither school named: both offices, for a question the buttons do not cover.
    assert "mobilite.international.medecine@u-paris.fr" in message["text"] and "ri-sante@univ-lille.fr" in message["text"]
    assert [button["title"] for button in message["buttons"]] == [
        "Aides financières",
        "Une université est-elle partenaire ?",
        "Autre chose : parler à une personne",
    ]
    assert message["buttons"][0]["payload"] == '/ask_grants{"partner": "upc-karolinska-institutet"}'
    assert message["buttons"][-1]["payload"] == "/human_handoff"


async def test_low_confidence_answers_a_message_one_text_clearly_answers(knowledge_db) -> None:
    from actions.fallback import ActionSuggestTopics

    unsure = tracker("PRESAGE ???", metadata={"school": "lille-medicine"})
    unsure.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.2}]
    messages = await run(ActionSuggestTopics(), unsure)
    assert messages[0]["wording"] in ("asked_school_fact", "asked_school_facts") and "PRESAGE" in messages[0]["text"]


async def test_an_unsure_message_naming_a_school_by_its_city_is_answered_not_looped(knowledge_db) -> None:
    from actions.fallback import ActionSuggestTopics

    lille = {"entity": "institution", "value": "lille-medicine", "other_kinds": ["city"]}
    unsure = tracker("lille med school website", [lille])
    unsure.latest_message["intent_ranking"] = [{"name": "nlu_fallback", "confidence": 0.2}]
    messages = await run(ActionSuggestTopics(), unsure)  # was a RecursionError: the apology for a database down
    assert "medecine.univ-lille2.fr" in messages[0]["text"]


@pytest.mark.parametrize(
    ("text", "entities", "expected"),
    [
        ("can you give me a crêpe recipe?", [], "out_of_scope"),
        ("c'est quoi la PACES chez vous ?", [], "fact"),  # a fact named by its first word plainly answers it
        ("the Aarhus thing, my cousin did it, is it fun??", [{"entity": "programme", "value": "upc-aarhus-summer-programme"}], "did_you_mean_or_write"),
    ],
)
async def test_out_of_scope_is_said_unless_the_message_names_a_programme_or_partner(
    knowledge_db, text: str, entities: list, expected: str
) -> None:
    from actions.fallback import ActionOutOfScope

    question = tracker(text, entities)
    question.latest_message["intent_ranking"] = [{"name": "out_of_scope"}, {"name": "ask_programme_info"}, {"name": "ask_dates"}]
    messages = await run(ActionOutOfScope(), question)
    assert [m["wording"] for m in messages] == [expected]


@pytest.mark.parametrize(("text", "expected"), [("the second one", 2), ("le premier", 1), ("la dernière", -1), ("number 3", 3), ("hmm", None)])
def test_ordinals_in_both_languages(text: str, expected: int | None) -> None:
    from actions.follow_up import ordinal_from

    assert ordinal_from(text) == expected


async def test_follow_up_answers_the_previous_question_for_the_new_place(knowledge_db) -> None:
    from actions.follow_up import ActionAnswerFollowUp

    follow_up = tracker("and in Sweden?", [{"entity": "country", "value": "se"}])
    follow_up.events = [
        {"event": "user", "text": "partners in Belgium?", "parse_data": {"intent": {"name": "ask_partners"}}},
        {"event": "bot", "text": "…", "data": {}},
        {"event": "user", "text": "and in Sweden?", "parse_data": {"intent": {"name": "inform"}}},
    ]
    dispatcher = CollectingDispatcher()
    await ActionAnswerFollowUp().run(dispatcher, follow_up, {})
    assert dispatcher.messages[0]["wording"] == "partner_found"
    assert "Karolinska Institutet" in dispatcher.messages[0]["partners"]


async def test_a_named_facility_is_found_but_a_loose_match_is_not_volunteered(knowledge_db) -> None:
    from actions.programmes import ActionAnswerEligibility, ActionAnswerProgrammeInfo

    presage = await run(ActionAnswerProgrammeInfo(), tracker("what is PRESAGE?", metadata={"school": "lille-medicine"}))
    assert presage[0]["wording"] == "asked_school_facts" and "PRESAGE" in presage[0]["facts"]
    loose = await run(
        ActionAnswerEligibility(),
        tracker("what are the requirements to study there as an international student?", metadata={"school": "lille-medicine"}),
    )
    assert loose[0]["wording"] != "facts", "no loosely matching fact is volunteered"
    assert "ri-sante@univ-lille.fr" in loose[0]["contact"]


async def test_school_named_in_the_question_limits_the_answer_to_that_school(knowledge_db) -> None:
    messages = await run(
        ActionAnswerSchoolFacts(),
        tracker(
            "how many students at paris cité medical school",
            [{"entity": "institution", "value": "upc-medicine", "start": 21, "end": 46}],
        ),
    )
    assert messages[0]["wording"] in ("asked_school_fact", "asked_school_facts")
    assert "Paris Cité" in messages[0]["school"]
    facts = messages[0].get("facts") or messages[0].get("fact") or ""
    assert "26,000" in facts and "12,000" not in facts


async def test_a_partner_alone_means_the_programme_made_for_it(knowledge_db) -> None:
    messages = await run(
        ActionAnswerDuration(),
        tracker("how many weeks is the aarhus program", [{"entity": "partner", "value": "upc-aarhus-university"}]),
    )
    assert [m["wording"] for m in messages] == ["programme_fact"]
    assert "Aarhus" in messages[0]["programme"] and "2 weeks to 1 month" in messages[0]["detail"]


async def test_a_partner_named_with_a_kind_narrows_it(knowledge_db) -> None:
    messages = await run(
        ActionAnswerEligibility(),
        tracker(
            "from what year can I do the exchange with singapore?",
            [
                {"entity": "programme", "value": "kind:academic-exchange"},
                {"entity": "partner", "value": "upc-national-university-of-singapore"},
            ],
        ),
    )
    assert [m["programme"] for m in messages] == ["Academic exchange outside Europe"]


async def test_a_named_programme_wins_over_the_kind_said_with_it(knowledge_db) -> None:
    messages = await run(
        ActionAnswerDates(),
        tracker(
            "when is the next IDEAL4PREPAREDNESS summer school",
            [{"entity": "programme", "value": "upc-ideal4preparedness"}, {"entity": "programme", "value": "kind:summer-school"}],
        ),
    )
    assert [m["wording"] for m in messages] == ["programme_detail_unknown"]
    assert "IDEAL4PREPAREDNESS" in messages[0]["programme"] and "Summer School" not in messages[0]["programme"]
    assert "projets.international.medecine@u-paris.fr" in messages[0]["contact"]


async def test_clerkships_abroad_are_not_answered_with_incoming_clerkships(knowledge_db) -> None:
    messages = await run(
        ActionAnswerDuration(),
        tracker("how long do the summer clerkships abroad last?", [{"entity": "programme", "value": "kind:clinical-clerkship"}]),
    )
    assert [m["wording"] for m in messages] == ["programme_detail_unknown"]
    assert "3 months" not in str(messages)


@pytest.mark.parametrize(
    "question",
    ["avec quelles universités hors europe peut-on faire un échange ?", "des partenaires d'échange hors d'Europe ?"],
)
async def test_partners_outside_a_continent_exclude_it(knowledge_db, question: str) -> None:
    messages = await run(
        ActionListPartners(),
        tracker(
            question,
            [{"entity": "region", "value": "continent:europe"}, {"entity": "programme", "value": "kind:academic-exchange"}],
            {"language": "fr"},
            metadata={"school": "upc-medicine"},
        ),
    )
    assert "hors Europe" in messages[0]["place"]
    assert "Singapour" in messages[0]["partners"] and "Espagne" not in messages[0]["partners"]


async def test_a_vague_services_question_lists_every_service(knowledge_db) -> None:
    messages = await run(ActionAnswerServices(), tracker("what services are there for international students"))
    lille = next(m for m in messages if "Lille" in m["school"])
    assert "Student healthcare center" in lille["facts"] and "Social security registration" in lille["facts"]


async def test_grants_end_with_whom_to_ask(knowledge_db) -> None:
    messages = await run(ActionAnswerGrants(), tracker("which grants are there?", metadata={"school": "upc-medicine"}))
    assert [m["wording"] for m in messages] == ["asked_school_facts", "more_details"]
    assert "mobilite.international.medecine@u-paris.fr" in messages[-1]["contact"]


@pytest.mark.parametrize(
    ("action", "text", "school", "missing", "contact"),
    [
        (ActionAnswerGrants(), "how much money is the erasmus grant?", "upc-medicine", "the amount", "u-paris.fr"),
        (ActionAnswerServices(), "how much are the french classes?", "lille-medicine", "the amount", "univ-lille.fr"),
        (ActionAnswerCity(), "how much is rent per month in lille?", "lille-medicine", "the amount", "univ-lille.fr"),
    ],
)
async def test_a_reply_without_the_kind_of_value_asked_says_so_first_with_the_offices_e_mail(
    knowledge_db, action, text: str, school: str, missing: str, contact: str
) -> None:
    messages = await run(action, tracker(text, metadata={"school": school}))
    assert messages[0]["wording"] == "value_not_given"
    assert messages[0]["what"] == missing and contact in messages[0]["contact"]
    assert "€" not in " ".join(str(message) for message in messages)
    assert len(messages) == 2  # the closest texts, then nothing more: the e-mail is said once


@pytest.mark.parametrize(
    ("action", "text", "language", "school", "value", "left_out"),
    [
        # The sentence giving the count, not the network's other sentence.
        (ActionAnswerNetworks(), "how many faculties are in the ECTS Medical Association Network?", "en",
         "upc-medicine", "53", "once a year"),
        # A size asked, the size given alone: not followed by PRESAGE's description.
        (ActionAnswerSchoolFacts(), "what's the size of the presage centre?", "en", "lille-medicine", "2,500 m²",
         "mannequins"),
        # A count asked, a count given: "34 research units", not only the share of Inserm's research.
        (ActionAnswerSchoolFacts(), "combien d'unités de recherche ?", "fr", "upc-medicine", "34", None),
        # A total asked: the total, not every year's count.
        (ActionAnswerStatistics(), "since 2021/2022 how many clerkship exchanges in total?", "en", "upc-medicine",
         "1,274", "2023-2024"),
    ],
)
async def test_the_asked_value_is_in_the_first_sentence_without_what_was_not_asked(
    knowledge_db, action, text: str, language: str, school: str, value: str, left_out: str | None
) -> None:
    messages = await run(action, tracker(text, slots={"language": language}, metadata={"school": school}))
    answer = messages[0].get("fact") or messages[0].get("facts") or messages[0].get("statistics") or ""
    assert value in first_sentence(answer)
    assert left_out is None or left_out not in str(messages)


async def test_what_is_x_is_answered_by_the_text_that_starts_with_x(knowledge_db) -> None:
    messages = await run(ActionAnswerSchoolFacts(), tracker("what is Eurasante?", metadata={"school": "lille-medicine"}))
    assert messages[0]["fact" if "fact" in messages[0] else "facts"].startswith("Eurasante is")


async def test_figures_answer_for_a_school_without_yearly_statistics(knowledge_db) -> None:
    messages = await run(
        ActionAnswerStatistics(),
        tracker("how many students, interns and teachers go abroad each year?", metadata={"school": "lille-medicine"}),
    )
    assert messages[0]["wording"] == "asked_school_fact"
    assert "150" in first_sentence(messages[0]["fact"])


async def test_who_runs_the_office_names_its_head_and_how_to_reach_the_office(knowledge_db) -> None:
    messages = await run(
        ActionAnswerContact(),
        tracker("qui dirige le service des relations internationales ?", slots={"language": "fr"}, metadata={"school": "upc-medicine"}),
    )
    assert "Magdalena van Eeckhout" in messages[0]["contacts"]
    assert "mobilite.international.medecine@u-paris.fr" in messages[0]["contacts"]


async def test_a_year_in_the_question_finds_the_fact_of_that_year(knowledge_db) -> None:
    messages = await run(
        ActionAnswerSchoolFacts(),
        tracker("what happened in 1951 in the history of the med school?", metadata={"school": "lille-medicine"}),
    )
    assert "Cité Hospitalière" in messages[0]["text"].splitlines()[0]


async def test_a_list_of_partners_offers_each_one_to_choose(knowledge_db) -> None:
    messages = await run(
        ActionListPartners(),
        tracker("partners in Spain?", [{"entity": "country", "value": "es"}], metadata={"school": "upc-medicine"}),
    )
    titles = [button["title"] for button in messages[0]["buttons"]]
    assert "Universidad de Cádiz" in titles and len(titles) == 3
    assert messages[0]["buttons"][0]["payload"].startswith('/ask_is_partner{"partner": "upc-')


async def test_a_figure_about_one_named_programme_is_answered_from_that_programme(knowledge_db) -> None:
    messages = await run(
        ActionAnswerStatistics(),
        tracker("how many places are there in the AI summer school?", [{"entity": "programme", "value": "upc-summer-school-ai"}]),
    )
    assert [m["wording"] for m in messages] == ["programme_detail"]
    assert "summerschool.medicine@u-paris.fr" in messages[0]["contact"]


async def test_a_partir_de_quand_is_not_about_leaving(knowledge_db) -> None:
    messages = await run(
        ActionAnswerDates(),
        tracker("à partir de quand on peut candidater aux summer schools", [{"entity": "programme", "value": "kind:summer-school"}], {"language": "fr"}),
    )
    assert "Janvier 2026" in str(messages)


async def test_a_statistic_about_a_counted_programme_stays_a_statistic(knowledge_db) -> None:
    messages = await run(
        ActionAnswerStatistics(),
        tracker("number of incoming exchange students in 2021-2022", [{"entity": "programme", "value": "upc-incoming-exchange"}]),
    )
    assert [m["wording"] for m in messages] == ["statistic"]
    assert messages[0]["text"].startswith("89 students")


@pytest.mark.parametrize(
    ("text", "entities", "first", "absent"),
    [
        (
            "how many students went abroad for clerkships in 2023-2024?",
            [{"entity": "programme", "value": "kind:clinical-clerkship"}],
            "196 students",
            ["2024-2025", "Lille"],
        ),
        ("combien d'étudiants accueillis en échange en 2024/25 ?", [{"entity": "programme", "value": "kind:academic-exchange"}], "66 étudiants", ["2023-2024"]),
    ],
)
async def test_one_figure_asked_is_one_figure_first(knowledge_db, text: str, entities: list, first: str, absent: list) -> None:
    language = "fr" if "combien" in text else "en"
    messages = await run(ActionAnswerStatistics(), tracker(text, entities, {"language": language}))
    assert len(messages) == 1 and messages[0]["text"].startswith(first)
    assert not any(word in messages[0]["text"] for word in absent)


async def test_a_share_asked_for_one_year_and_continent_is_that_share_alone(knowledge_db) -> None:
    messages = await run(
        ActionAnswerStatistics(),
        tracker("what percentage of outgoing clerkships went to africa in 2024/2025", [{"entity": "region", "value": "continent:africa"}]),
    )
    assert len(messages) == 1
    text = messages[0]["text"]
    assert text.startswith("26.9% of the students went to Africa") and "Europe" not in text and "2023-2024" not in text


async def test_what_is_a_facility_gives_its_description_before_its_figures(knowledge_db) -> None:
    messages = await run(
        ActionAnswerSchoolFacts(), tracker("qu'est-ce que PRESAGE", slots={"language": "fr"}, metadata={"school": "lille-medicine"})
    )
    assert "centre de simulation" in messages[0]["facts"].splitlines()[0]


async def test_a_figure_about_a_kind_the_statistics_do_not_count_gives_the_programmes_and_their_contact(knowledge_db) -> None:
    summer = await run(
        ActionAnswerStatistics(),
        tracker("how many students can join the summer schools?", [{"entity": "programme", "value": "kind:summer-school"}]),
    )
    assert summer[0]["wording"] in ("programme_detail", "programme_details")
    assert "summerschool.medicine@u-paris.fr" in summer[0]["contact"]
    exchange = await run(
        ActionAnswerStatistics(),
        tracker(
            "how many students go on exchange each year?",
            [{"entity": "programme", "value": "kind:academic-exchange"}],
            metadata={"school": "lille-medicine"},
        ),
    )
    assert [m["wording"] for m in exchange] in (["asked_school_fact"], ["asked_school_facts"]), "a counted kind stays a figure, even where not counted"


async def test_a_city_other_than_the_schools_is_answered_with_its_partners(knowledge_db) -> None:
    messages = await run(ActionAnswerCity(), tracker("what about shanghai?", [{"entity": "city", "value": "Shanghai"}]))
    assert messages[0]["wording"] == "partners_found"
    assert "Shanghai University of Medicine and Health Sciences" in messages[0]["partners"]
    paris = await run(
        ActionAnswerCity(),
        tracker("how far is paris from the city?", [{"entity": "city", "value": "Paris"}], metadata={"school": "lille-medicine"}),
    )
    assert paris[0]["wording"] in ("asked_school_fact", "asked_school_facts"), "the other school's city is not a partner's"


async def test_a_fact_that_clearly_answers_a_services_question_is_given(knowledge_db) -> None:
    messages = await run(
        ActionAnswerServices(), tracker("how many student associations are there?", metadata={"school": "lille-medicine"})
    )
    assert [m["wording"] for m in messages] == ["asked_school_fact"], "the one text that answers, alone"
    assert "112" in messages[0]["fact"]


async def test_a_question_about_two_services_answers_both(knowledge_db) -> None:
    messages = await run(
        ActionAnswerServices(), tracker("do you have sports services and a cultural center?", metadata={"school": "lille-medicine"})
    )
    assert "Sports services" in messages[0]["facts"] and "Cultural Center" in messages[0]["facts"]


async def test_doing_a_programme_at_a_partner_ends_with_whom_to_ask(knowledge_db) -> None:
    messages = await run(
        ActionCheckPartner(),
        tracker(
            "can I go on exchange to dallas in 4th year?",
            [
                {"entity": "programme", "value": "kind:academic-exchange"},
                {"entity": "partner", "value": "upc-ut-southwestern-medical-center"},
            ],
        ),
    )
    assert [m["wording"] for m in messages] == ["is_partner", "more_details"]
    assert "mobilite.international.medecine@u-paris.fr" in messages[-1]["contact"]


async def test_when_can_i_apply_gives_who_may_apply_and_from_what_date(knowledge_db) -> None:
    messages = await run(
        ActionAnswerEligibility(),
        tracker("when can I apply to the summer schools?", [{"entity": "programme", "value": "kind:summer-school"}]),
    )
    assert len(messages) == 1, "both summer schools in one reply"
    assert "January 2026" in messages[0]["text"] and "International students" in messages[0]["text"]


async def test_one_text_far_ahead_of_the_others_answers_without_holding_every_word(knowledge_db) -> None:
    from actions.programmes import ActionAnswerLanguages

    messages = await run(
        ActionAnswerLanguages(),
        tracker("mon français est pas terrible, vous avez des cours de langue ?", slots={"language": "fr"}, metadata={"school": "lille-medicine"}),
    )
    assert messages[0]["wording"] == "asked_school_fact" and "Cours de français" in messages[0]["fact"]


async def test_school_words_beside_its_name_are_left_out_and_whole_words_outrank_parts_of_words(knowledge_db) -> None:
    text = "on which sites is the Paris Cité med school?"
    start = text.index("Paris Cité")
    messages = await run(
        ActionAnswerSchoolFacts(),
        tracker(text, [{"entity": "institution", "value": "upc", "start": start, "end": start + len("Paris Cité")}]),
    )
    assert "Bichat" in messages[0]["facts"].splitlines()[0], "not the partner universités, which hold 'sites' inside a word"


async def test_programme_info_gives_its_places_when_the_documents_give_them(knowledge_db) -> None:
    from dataclasses import replace

    from assistant.answers.common import Context
    from assistant.answers.programmes import DETAILS
    from assistant.queries.catalogue import get_programme

    programme = get_programme(actions.base.knowledge.get(), "upc-summer-school-ai")
    summary = DETAILS["ask_programme_info"][0]
    asked = Context(text="how many places are there?")
    assert summary(asked, replace(programme, places=40)).startswith("Places: 40.")
    assert "Places" not in summary(asked, programme)
    assert "Places" not in summary(Context(text="what is it?"), replace(programme, places=40)), "only when asked"


async def test_replies_are_worded_in_the_conversations_language(knowledge_db) -> None:
    spain = [{"entity": "country", "value": "es"}]
    english = await run(ActionListPartners(), tracker("partners in Spain?", spain))
    french = await run(ActionListPartners(), tracker("partenaires en Espagne ?", spain, {"language": "fr"}))
    assert ": 3 partner universities: " in english[0]["text"] and "\nSource: " in english[0]["text"]
    assert " : 3 universités partenaires : " in french[0]["text"] and "\nSource : " in french[0]["text"]
    assert "Universidad de Cádiz" in french[0]["text"]


async def test_a_wording_edit_is_live_without_restart(knowledge_db, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    import os
    import shutil

    from assistant.config import PROJECT_ROOT
    from assistant.wording import LiveWording

    folder = shutil.copytree(PROJECT_ROOT / "data" / "wording", tmp_path / "wording")
    monkeypatch.setattr(actions.base, "wording", LiveWording(folder))
    question = tracker("partners in Spain?", [{"entity": "country", "value": "es"}])
    assert "partner universities:" in (await run(ActionListPartners(), question))[0]["text"]

    partners = folder / "partners.yml"
    status = partners.stat()
    partners.write_text(partners.read_text(encoding="utf-8").replace("{count} partner universities:", "{count} partners, namely"),
                        encoding="utf-8")
    os.utime(partners, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    assert ": 3 partners, namely " in (await run(ActionListPartners(), question))[0]["text"]


async def test_the_core_fallback_says_it_did_not_understand_and_forgets_the_message() -> None:
    from rasa_sdk.events import UserUtteranceReverted

    from actions.fallback import ActionDefaultFallback

    dispatcher = CollectingDispatcher()
    events = await ActionDefaultFallback().run(dispatcher, tracker("blorp", slots={"language": "fr"}), {})
    assert dispatcher.messages[0]["text"].startswith("Je n'ai pas bien compris. Pouvez-vous reformuler ?")
    assert events == [UserUtteranceReverted()]


@pytest.mark.parametrize(
    ("school", "kept"),
    [("upc", "kind:partner-clerkship"), ("lille-medicine", None)],
)
async def test_the_eligibility_check_keeps_only_a_programme_the_school_offers(knowledge_db, school: str, kept: str | None) -> None:
    question = tracker("can I come for a clerkship?", [{"entity": "programme", "value": "kind:partner-clerkship"}],
                       metadata={"school": school})
    dispatcher = CollectingDispatcher()
    slots = await ValidateEligibilityForm().validate_eligibility_programme("kind:partner-clerkship", dispatcher, question, {})
    assert slots == {"eligibility_programme": kept}


async def test_the_eligibility_check_offers_the_programmes_of_the_school_when_none_fits(knowledge_db) -> None:
    messages = await run(ActionAskEligibilityProgramme(), tracker("can I come for a clerkship?", metadata={"school": "lille-medicine"}))
    assert messages[0]["wording"] == "ask_eligibility_programme"
    titles = [button["title"] for button in messages[0]["buttons"]]
    assert "International students in Lille" in titles
    assert not any("Paris" in title for title in titles)


async def test_the_eligibility_verdict_quotes_what_the_documents_say_when_they_set_no_rule(knowledge_db) -> None:
    slots = {"eligibility_programme": "lille-international-students", "study_year": "5", "home_university": "Universidade de São Paulo"}
    messages = await run(ActionEligibilityVerdict(), tracker("Universidade de São Paulo", slots=slots))
    assert messages[0]["wording"] == "eligibility_no_rule"
    assert "200 international students" in messages[0]["text"]
    assert "the documents give no rule on who may apply" in messages[0]["text"]
    assert "ri-sante@univ-lille.fr" in messages[-1]["text"]


async def test_the_eligibility_verdict_offers_the_programmes_when_it_has_none_to_check(knowledge_db) -> None:
    slots = {"eligibility_programme": "kind:partner-clerkship", "study_year": "5", "home_university": "Universidade de São Paulo"}
    messages = await run(ActionEligibilityVerdict(), tracker("Universidade de São Paulo", slots=slots, metadata={"school": "lille-medicine"}))
    assert [m["wording"] for m in messages] == ["eligibility_no_programme"]
    payloads = [button["payload"] for button in messages[0]["buttons"]]
    assert '/check_eligibility{"programme": "lille-international-students"}' in payloads


@pytest.mark.parametrize(
    ("text", "says_nothing_specific"),
    [("is there housing for international students?", True), ("which services are there for international students?", False)],
)
async def test_a_service_the_documents_do_not_name_is_not_answered_by_the_list_alone(
    knowledge_db, text: str, says_nothing_specific: bool
) -> None:
    messages = await run(ActionAnswerServices(), tracker(text, metadata={"school": "upc"}))
    wordings = [m["wording"] for m in messages]
    assert wordings[-1] == "asked_school_facts"
    assert (wordings[0] == "nothing_specific_listing_all") == says_nothing_specific
    if says_nothing_specific:
        assert "I found nothing specific on that" in messages[0]["text"]
        assert "mobilite.international.medecine@u-paris.fr" in messages[0]["text"]


@pytest.mark.parametrize(
    ("previous", "scoped"),
    [("kind:clinical-clerkship", True), ("kind:summer-school", False)],
)
async def test_which_countries_after_a_programme_lists_that_programmes_partners(
    knowledge_db, previous: str, scoped: bool
) -> None:
    everything = await run(ActionListPartners(), tracker("which countries?", metadata={"school": "upc"}))
    follow_up = await run(ActionListPartners(), tracker("which countries?", slots={"programme": previous}, metadata={"school": "upc"}))
    assert follow_up[0]["wording"] == "partners_found"
    assert (int(follow_up[0]["count"]) < int(everything[0]["count"])) == scoped
    assert ("clinical clerkship" in follow_up[0]["text"].casefold()) == scoped


async def test_a_place_asked_about_while_the_form_wants_the_year_is_answered_not_taken_as_the_year(knowledge_db) -> None:
    question = tracker("and in Japan?", [{"entity": "country", "value": "jp"}], metadata={"school": "upc"})
    dispatcher = CollectingDispatcher()
    slots = await ValidateEligibilityForm().validate_study_year("and in Japan?", dispatcher, question, {})
    assert slots == {"study_year": None}
    assert [m["wording"] for m in dispatcher.messages] == ["partner_found"]
    assert "Japan" in dispatcher.messages[0]["text"]


@pytest.mark.parametrize(
    ("text", "entities", "kept"),
    [
        ("and in Japan?", [{"entity": "country", "value": "jp"}], None),
        ("Universidad de Chile", [{"entity": "country", "value": "cl"}], "Universidad de Chile"),
        ("Yokohama City University", [{"entity": "partner", "value": "upc-yokohama-city-university"}, {"entity": "city", "value": "Yokohama"}],
         "Yokohama City University"),
        ("Sapienza Roma", [{"entity": "city", "value": "Rome"}], "Sapienza Roma"),
        ("is Charité a partner?", [{"entity": "partner", "value": "upc-freie-universitat-berlin-charite"}], None),
        ("oui", [], None),
    ],
)
async def test_a_place_asked_about_while_the_form_wants_the_home_university_is_answered_not_taken_as_it(
    knowledge_db, text: str, entities: list, kept: str | None
) -> None:
    question = tracker(text, entities, metadata={"school": "upc"})
    intent = "ask_is_partner" if "partner?" in text else "affirm" if text == "oui" else "inform"
    question.latest_message["intent_ranking"] = [{"name": intent}]
    dispatcher = CollectingDispatcher()
    slots = await ValidateEligibilityForm().validate_home_university(text, dispatcher, question, {})
    assert slots == {"home_university": kept}
    # A question asked instead is answered before the form asks again.
    assert bool(dispatcher.messages) == (kept is None and intent != "affirm")


async def test_a_list_of_programmes_offers_each_as_a_button(knowledge_db) -> None:
    # Paris Cité has two summer schools (with one description) and a short summer programme in Aarhus.
    question = tracker("what summer schools do you have?", [{"entity": "programme", "value": "kind:summer-school"}],
                       metadata={"school": "upc"})
    messages = await run(ActionAnswerProgrammeInfo(), question)
    buttons = messages[-1]["buttons"]
    shown = "\n".join(message["text"] for message in messages)
    assert len(buttons) == 2, "one button for each programme shown, also when two share a description"
    assert all(button["title"] in shown for button in buttons)
    assert "Aarhus" not in shown, "the summer schools, not the short summer programme abroad"
    assert all(button["payload"].startswith('/ask_programme_info{"programme": "') for button in buttons)


@pytest.mark.parametrize(
    ("action", "text"),
    [
        (ActionAnswerFees(), "how much is an Erasmus traineeship in Paris?"),
        (ActionAnswerEligibility(), "je peux faire un Erasmus Traineeship à Paris ?"),
    ],
)
async def test_a_request_the_documents_refuse_is_answered_with_the_refusal_not_with_the_programme_it_names(
    knowledge_db, action, text: str
) -> None:
    erasmus = [{"entity": "programme", "value": "upc-erasmus-exchange-europe"}]
    messages = await run(action, tracker(text, erasmus, {"language": "fr" if "Paris ?" in text else "en"}))
    assert len(messages) == 1
    assert "Erasmus Traineeship" in messages[0]["text"]
    assert messages[0]["programme"] in ("Partner clerkships (incoming)", "Stages partenaires (venir en échange)")


async def test_a_word_of_the_refusal_that_also_describes_the_programme_does_not_read_as_refused(knowledge_db) -> None:
    clerkships = [{"entity": "programme", "value": "upc-incoming-partner-clerkships"}]
    messages = await run(ActionAnswerHowToApply(), tracker("how do I send a clerkship request?", clerkships))
    assert "Apply through your home university" in messages[0]["text"]
    assert "not accepted" not in messages[0]["text"]


async def test_the_eligibility_check_of_a_refused_request_checks_the_programme_that_refuses_it(knowledge_db) -> None:
    question = tracker("my uni isn't a partner, can I still do an erasmus traineeship at paris cite?",
                       [{"entity": "programme", "value": "upc-erasmus-exchange-europe"}])
    question.latest_message["intent"] = {"name": "check_eligibility", "confidence": 0.9}
    question.latest_message["intent_ranking"] = [question.latest_message["intent"]]
    slots = await ValidateEligibilityForm().extract_eligibility_programme(CollectingDispatcher(), question, {})
    assert slots == {"eligibility_programme": "upc-incoming-partner-clerkships"}


async def test_where_students_go_leads_with_the_destination_shares(knowledge_db) -> None:
    text = "what share of students go abroad to each continent?"
    messages = await run(ActionAnswerStatistics(), tracker(text, metadata={"school": "upc"}))
    first_line = messages[0]["statistics"].splitlines()[0]
    assert "where students went" in first_line
    assert first_line.split(": ", 1)[1].startswith("Europe 32.89%")


async def test_the_share_of_a_region_is_its_latest_year_first(knowledge_db) -> None:
    entities = [{"entity": "region", "value": "continent:asia"}]
    messages = await run(ActionAnswerStatistics(), tracker("what percentage go to Asia?", entities, metadata={"school": "upc"}))
    assert messages[0]["text"].startswith("26.6% of the students went to Asia")
    assert "Earlier years: 2023-2024: 22.81%" in messages[0]["text"]


async def test_a_programme_name_both_schools_use_means_the_programme_of_the_school_asked_about(knowledge_db) -> None:
    entities = [{"entity": "programme", "value": "upc-erasmus-exchange-europe"}, {"entity": "institution", "value": "lille-medicine"}]
    messages = await run(ActionAnswerDates(), tracker("what's the deadline for erasmus applications at lille?", entities))
    assert "Erasmus+ – Europe" in messages[0]["text"]
    assert "u-paris.fr" not in str(messages) and "Paris Cité" not in str(messages)


async def test_a_school_question_after_a_programme_is_about_that_programmes_school(knowledge_db) -> None:
    messages = await run(ActionAnswerContact(), tracker("who do I contact?", slots={"programme": "upc-summer-school-ai"}))
    assert "summerschool.medicine@u-paris.fr" in str(messages)
    assert "univ-lille.fr" not in str(messages)


@pytest.mark.parametrize(
    ("text", "kind", "school", "wording", "offered"),
    [
        ("does lille have summer schools?", "kind:summer-school", "lille-medicine", "kind_offered_elsewhere", "Summer School"),
        ("how much is continuing medical education at paris cité?", "kind:continuing-education", "upc", "kind_offered_elsewhere",
         "Continuing Medical Education"),
    ],
)
async def test_a_kind_of_programme_the_school_does_not_have_is_said_plainly_with_the_other_schools(
    knowledge_db, text: str, kind: str, school: str, wording: str, offered: str
) -> None:
    action = ActionAnswerProgrammeInfo() if "have" in text else ActionAnswerFees()
    messages = await run(action, tracker(text, [{"entity": "programme", "value": kind}], metadata={"school": school}))
    assert [m["wording"] for m in messages] == [wording]
    assert "the documents list no" in messages[0]["text"]
    assert any(offered.casefold() in button["title"].casefold() for button in messages[0]["buttons"])
    # The buttons offer the other school's programmes only.
    assert all(('"upc-' in button["payload"]) == (school != "upc") for button in messages[0]["buttons"])


@pytest.mark.parametrize(
    ("text", "name", "entity", "said"),
    [
        ("je suis étudiante en 5e année à l'Université de Montréal, je peux faire un stage chez vous ?",
         "Université de Montréal", "partner", True),
        ("hello, I'm a 3rd year student at Paris Cité, where can I go on exchange?", "Paris Cité", "institution", True),
        ("I'm a student in Germany, can I do a clerkship at Paris Cité?", "Paris Cité", "institution", False),
        ("can I do a clerkship at Karolinska?", "Karolinska", "partner", False),
        ("je suis en 4e année au Maroc, à l'UIASS. Je peux venir faire un stage à Paris Cité ?", "UIASS", "partner", True),
        ("I'm a 5th-year student, can I do a clerkship at Karolinska?", "Karolinska", "partner", False),
    ],
)
def test_the_home_university_said_when_the_check_starts_is_kept(text: str, name: str, entity: str, said: bool) -> None:
    start = text.index(name)
    found = home_university_said(text, [{"entity": entity, "start": start, "end": start + len(name)}])
    assert found == (name if said else None)


@pytest.mark.parametrize(("home", "kept"), [("Université de Montréal", "Partner clerkships"), ("Paris Cité", "Clinical clerkships abroad")])
async def test_the_verdict_checks_only_the_programmes_going_the_students_way(knowledge_db, home: str, kept: str) -> None:
    slots = {"eligibility_programme": "kind:clinical-clerkship", "study_year": "5", "home_university": home}
    messages = await run(ActionEligibilityVerdict(), tracker(home, slots=slots, metadata={"school": "upc"}))
    named = {programme for m in messages if (programme := m.get("programme"))}
    assert named and all(kept in programme for programme in named)


@pytest.mark.parametrize(
    "text",
    [
        "I'm a 3rd-year student abroad, can I do a partner clerkship at Paris Cité?",
        "I'm a 5th-year med student at a partner university. Can I do a clinical clerkship at the Paris Cité medical school?",
        "je suis en 5e année dans une université partenaire, je peux faire un stage à Paris Cité ?",
    ],
)
async def test_a_student_from_elsewhere_starting_the_check_gets_the_rule_of_the_clerkship_for_coming(
    knowledge_db, text: str
) -> None:
    from actions.eligibility import ActionAskHomeUniversity

    checking = Tracker(
        sender_id="test",
        slots={"language": "fr" if "je suis" in text else "en", "eligibility_programme": "kind:clinical-clerkship",
               "study_year": "5"},
        latest_message={"text": text, "entities": [], "intent": {"name": "check_eligibility", "confidence": 0.9},
                        "intent_ranking": [{"name": "check_eligibility", "confidence": 0.9}],
                        "metadata": {"school": "upc-medicine"}},
        events=[], paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen",
    )
    messages = await run(ActionAskHomeUniversity(), checking)
    assert [m["wording"] for m in messages][1:] == ["ask_home_university"]
    assert messages[0]["wording"] in ("programme_detail", "programme_fact")
    assert "4th and the 6th year" in messages[0]["text"] or "4e et la 6e année" in messages[0]["text"]
    assert "going abroad" not in messages[0]["text"] and "partant" not in messages[0]["text"]


async def test_what_is_x_asked_of_one_school_is_answered_by_the_other_when_only_it_has_x(knowledge_db) -> None:
    messages = await run(ActionAnswerSchoolFacts(), tracker("what's PRESAGE?", slots={"school": "upc"}))
    assert "simulation" in messages[0]["text"]
    assert messages[0]["school"] == "Lille University School of Medicine"


async def test_a_home_university_that_is_a_partner_does_not_narrow_the_programmes_checked(knowledge_db) -> None:
    text = "je suis étudiante en 5e année à l'Université de Montréal, je peux faire un stage chez vous ?"
    slots = {"eligibility_programme": "kind:clinical-clerkship", "study_year": "5", "home_university": "Université de Montréal",
             "language": "fr"}
    montreal = [{"entity": "partner", "value": "upc-universite-de-montreal"}]
    messages = await run(ActionEligibilityVerdict(), tracker(text, montreal, slots=slots, metadata={"school": "upc"}))
    assert [m["wording"] for m in messages] == ["eligibility_partner_ok", "eligibility_year_ok", "eligibility_confirm"]
    assert "Stages partenaires" in messages[0]["text"]
    assert messages[-1]["text"] == "Pour confirmer votre situation : mobilite.international.medecine@u-paris.fr."


async def test_what_is_the_school_gives_its_first_facts_not_i_dont_know(knowledge_db) -> None:
    text = "c'est quoi la faculté de médecine de Lille ?"
    lille = {"entity": "institution", "value": "lille-medicine", "start": text.index("Lille"), "end": text.index("Lille") + 5}
    question = tracker(text, [lille], {"language": "fr"})
    messages = await run(ActionAnswerSchoolFacts(), question)
    assert [m["wording"] for m in messages] == ["asked_school_facts", "more_details"]
    assert messages[0]["school"] == "Faculté de Médecine de Lille"
    assert messages[0]["facts"].count("\n- ") == 2
    assert "ri-sante@univ-lille.fr" in messages[1]["text"]


async def test_a_detail_asked_of_nothing_named_is_not_answered_by_a_text_sharing_its_word(knowledge_db) -> None:
    messages = await run(ActionAnswerDuration(), tracker("how long?", metadata={"school": "lille-medicine"}))
    assert "facts" not in [m["wording"] for m in messages]
    assert "Cultural" not in str(messages)


@pytest.mark.parametrize(
    ("text", "entities", "place"),
    [
        ("hi, I'm from Morocco, which partners do you have in Africa?", [("country", "ma", "Morocco"), ("region", "continent:africa", "Africa")],
         "Africa"),
        ("je viens du Maroc, vous avez des partenaires au Maroc ?", [("country", "ma", "Maroc")], "Maroc"),
    ],
)
async def test_the_country_a_student_comes_from_is_not_the_place_asked_about(
    knowledge_db, text: str, entities: list, place: str
) -> None:
    found = [{"entity": kind, "value": value, "start": text.index(name), "end": text.index(name) + len(name)}
             for kind, value, name in entities]
    messages = await run(ActionListPartners(), tracker(text, found, {"language": "fr" if "Maroc" in text else "en"},
                                                       metadata={"school": "upc"}))
    assert messages[0]["place"].startswith((place, "Afrique" if place == "Africa" else place))


async def test_a_form_question_is_never_sent_twice_in_a_row(knowledge_db) -> None:
    from actions.eligibility import ActionAskStudyYear

    first = await run(ActionAskStudyYear(), tracker("can I apply?", slots={"eligibility_programme": "upc-summer-school-ai"}))
    assert first[-1]["wording"] == "ask_study_year"
    asked = tracker("how do I apply?", slots={"eligibility_programme": "upc-summer-school-ai"})
    asked.events = [
        {"event": "user", "text": "can I apply?"},
        {"event": "bot", "text": first[-1]["text"], "metadata": {"wording": "ask_study_year"}},
        {"event": "user", "text": "how do I apply?"},
    ]
    again = await run(ActionAskStudyYear(), asked)
    assert again[-1]["wording"] == "ask_study_year_again" and again[-1]["text"] != first[-1]["text"]
    assert again[-1]["buttons"] == [{"title": "Stop the check", "payload": "/stop"}], "a way out of the form"


@pytest.mark.parametrize(
    ("text", "language", "first", "absent"),
    [
        ("what's the difference between the two summer schools?", "en", "AI summer school / Hands-on summer school: ", "Aarhus"),
        ("which one is cheaper, the AI or the hands-on summer school?", "en", "same fees for all", "Dates"),
        ("quelle est la différence entre les deux summer schools ?", "fr", "Summer School IA / Summer School Hands-on : ", "Aarhus"),
    ],
)
async def test_a_comparison_is_a_short_side_by_side(knowledge_db, text: str, language: str, first: str, absent: str) -> None:
    entities = [{"entity": "programme", "value": "kind:summer-school"}]
    messages = await run(ActionAnswerProgrammeInfo(), tracker(text, entities, {"language": language}, metadata={"school": "upc"}))
    assert [m["wording"] for m in messages] == ["programme_comparison"]
    text_shown = messages[0]["text"]
    assert first in text_shown.splitlines()[0] and absent not in text_shown
    assert len(text_shown) <= 600


def test_every_question_a_follow_up_repeats_has_its_answering_action() -> None:
    from actions.context import QUESTION_INTENTS
    from actions.follow_up import ANSWERS

    assert set(ANSWERS) == QUESTION_INTENTS


@pytest.mark.parametrize(
    ("text", "entities", "bare"),
    [
        ("and Paris Cité?", [{"entity": "institution", "value": "upc-medicine", "start": 4, "end": 14}], True),
        ("Lille ?", [{"entity": "institution", "value": "lille-medicine", "start": 0, "end": 5}], True),
        ("how many students at Lille?", [{"entity": "institution", "value": "lille-medicine", "start": 21, "end": 26}], False),
        ("what about fees?", [], False),
    ],
)
def test_a_message_of_names_alone_is_a_bare_follow_up(text: str, entities: list, bare: bool) -> None:
    from actions.context import names_only

    assert names_only(tracker(text, entities)) == bare


async def test_and_the_other_school_asks_the_previous_question_of_it(knowledge_db) -> None:
    question = tracker("and Paris Cité?", [{"entity": "institution", "value": "upc", "start": 4, "end": 14},
                                           {"entity": "language", "value": "en", "start": 0, "end": 15}])
    question.events = [
        {"event": "user", "text": "how many students at Lille medical school?",
         "parse_data": {"intent": {"name": "ask_school_facts"},
                        "entities": [{"entity": "institution", "value": "lille-medicine", "start": 21, "end": 41},
                                     {"entity": "language", "value": "en", "start": 0, "end": 42}]}},
        {"event": "bot", "text": "..."},
        {"event": "user", "text": "and Paris Cité?", "parse_data": {"intent": {"name": "ask_school_facts"}}},
    ]
    messages = await run(ActionAnswerSchoolFacts(), question)
    assert "26,000" in messages[0]["text"].split("\n")[0] and "Lille" not in str(messages)


@pytest.mark.parametrize(
    ("slots", "page", "expected"),
    [({}, "fr", "fr"), ({"language": "en"}, "fr", None), ({}, "de", None)],
)
async def test_a_session_starts_in_the_page_language_unless_the_conversation_has_one(
    slots: dict, page: str, expected: str | None
) -> None:
    from actions.session import ActionSessionStart

    start = tracker("", slots={**slots, "session_started_metadata": {"language": page}})
    if "language" not in slots:
        start.slots.pop("language")
    events = await ActionSessionStart().run(CollectingDispatcher(), start, {"session_config": {}})
    assert events[0]["event"] == "session_started" and events[-1]["name"] == "action_listen"
    set_language = [event["value"] for event in events if event.get("name") == "language"]
    assert set_language == ([expected] if expected else list(slots.values()))


@pytest.mark.parametrize(
    ("text", "school", "language", "since"),
    [
        ("when did Paris Cité join ECTSMA?", "upc-medicine", "en", "since April 2024."),
        ("depuis quand êtes-vous dans SGroup ?", "lille-medicine", "fr", "depuis 2020."),
    ],
)
async def test_when_a_network_was_joined_is_its_date(knowledge_db, text: str, school: str, language: str, since: str) -> None:
    messages = await run(ActionAnswerNetworks(), tracker(text, slots={"language": language}, metadata={"school": school}))
    assert since in messages[0]["text"].split("\n")[0]


@pytest.mark.parametrize(
    ("text", "gives_contact"),
    [
        ("Do I need a B2 certificate in French for the incoming partner clerkships?", True),
        ("in which languages are the incoming partner clerkships?", False),
    ],
)
async def test_a_detail_that_does_not_say_all_that_was_asked_adds_whom_to_ask(
    knowledge_db, text: str, gives_contact: bool
) -> None:
    from actions.programmes import ActionAnswerLanguages

    clerkships = [{"entity": "programme", "value": "upc-incoming-partner-clerkships"}]
    [message] = await run(ActionAnswerLanguages(), tracker(text, clerkships))
    assert "English" in message["text"]
    assert ("mobilite.international.medecine@u-paris.fr" in message["text"]) == gives_contact


async def test_a_list_of_networks_and_associations_names_every_one(knowledge_db) -> None:
    messages = await run(
        ActionAnswerNetworks(),
        tracker("what international networks and associations is the University of Lille in?",
                metadata={"school": "lille-medicine"}),
    )
    listed = " ".join(message.get("text") or "" for message in messages)
    assert "European University Association" in listed
    assert "SGroup" in listed and "Agence universitaire de la Francophonie" in listed




async def test_a_question_in_words_no_text_uses_finds_the_text_said_otherwise(knowledge_db) -> None:
    lille = {"school": "lille-medicine"}
    papers = await run(ActionAnswerSchoolFacts(), tracker("how many papers a year?", metadata=lille))
    assert "thousand publications" in first_sentence(papers[0].get("fact") or papers[0].get("facts") or "")
    firms = await run(ActionAnswerSchoolFacts(), tracker("how many firms around the campus?", metadata=lille))
    assert "170" in first_sentence(firms[0].get("fact") or firms[0].get("facts") or "")
async def test_an_answer_reads_no_database_once_warm_and_a_staff_edit_is_answered_without_restart(
    engine, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """The action server answers from the knowledge it keeps in memory, and reads it again when staff change it."""
    import time

    from sqlalchemy import event

    from assistant.knowledge.edit import edit_entry, find_entry, form_values, version
    from assistant.knowledge.loader import load_knowledge
    from assistant.knowledge.store import import_knowledge
    from assistant.queries.names import NameCache
    from assistant.queries.search import TextIndexCache
    from assistant.queries.snapshot import SnapshotCache
    from tests.console import project_copy

    knowledge_dir, _ = project_copy(tmp_path)
    import_knowledge(load_knowledge(knowledge_dir), engine)
    interval = 1.0
    monkeypatch.setattr(actions.base, "names", NameCache(engine, interval))
    monkeypatch.setattr(actions.base, "texts", TextIndexCache(engine, interval))
    monkeypatch.setattr(actions.base, "knowledge", SnapshotCache(engine, interval))
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    async def ask() -> list[dict[str, Any]]:
        programme = [{"entity": "programme", "value": "upc-summer-school-ai"}]
        said = tracker("how much does the AI summer school cost?", programme, metadata={"school": "upc-medicine"})
        return await run(ActionAnswerFees(), said)

    await ask()  # the caches read the knowledge
    statements.clear()
    warm = await ask()
    assert "€3,100" in warm[0]["detail"]
    assert len(statements) <= 3, f"at most a revision check per cache, not a query per fact: {statements}"

    entry = find_entry(load_knowledge(knowledge_dir), "programmes", "upc-summer-school-ai")[1].entry
    values = form_values(entry, "programmes")
    edited = {**values, "fee_max_eur": "3350", "fees_en": values["fees_en"].replace("€3,100", "€3,350")}
    edit_entry(knowledge_dir, engine, "programmes", "upc-summer-school-ai", edited, version(entry, "programmes"))
    time.sleep(interval + 0.1)
    assert "€3,350" in (await ask())[0]["detail"], "the edit is answered within the revision check interval"
