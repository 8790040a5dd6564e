"""The asked value first: for each kind of question, the reply's first sentence states it, and a follow-up keeps
what the previous answer was about. Actions run as the action server runs them, over the real knowledge files."""

from __future__ import annotations

import re

from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.contacts import ActionAnswerContact, ActionAnswerOfficeHours
from actions.fallback import ActionOutOfScope, ActionSuggestTopics
from actions.partners import ActionCheckPartner, ActionListPartners
from actions.programmes import ActionAnswerCredits, ActionAnswerDuration, ActionAnswerFees, ActionAnswerProgrammeInfo
from actions.school import ActionAnswerCity, ActionAnswerNetworks, ActionAnswerSchoolFacts, ActionAnswerStatistics
from assistant.queries.names import NameCache
from assistant.staff.blind import first_sentence
from tests.test_actions import run

pytestmark = pytest.mark.anyio


def entity(kind: str, value: str, said_in: str | None = None, words: str | None = None) -> dict[str, Any]:
    """An entity as the NLU finds it; with its place in the message when `words` of `said_in` name it."""
    place = {}
    if said_in and words:
        start = said_in.index(words)
        place = {"start": start, "end": start + len(words), "text": words}
    return {"entity": kind, "value": value, **place}


def tracker(
    text: str,
    entities: list[dict[str, Any]] = (),
    metadata: dict | None = None,
    before: list[dict[str, Any]] = (),
    intent: str | None = None,
    language: str = "en",
) -> Tracker:
    """The student's message, in the conversation's `language`, after the events `before` (see `turn`)."""
    return Tracker(
        sender_id="test",
        slots={"language": language},
        latest_message={
            "text": text,
            "entities": list(entities),
            "intent": {"name": intent, "confidence": 0.9} if intent else {},
            "intent_ranking": [{"name": intent, "confidence": 0.9}] if intent else [],
            "metadata": metadata or {},
        },
        events=[*before, {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def turn(action, text: str, entities: list[dict[str, Any]] = (), intent: str | None = None, **kwargs) -> list:
    """The events of one exchange: the question, and the assistant's messages as Rasa keeps them (their metadata
    holds the wording entry and what the answer was about)."""
    messages = await run(action, tracker(text, entities, intent=intent, **kwargs))
    question = {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, "entities": list(entities)}}
    return [question, *({"event": "bot", "text": m["text"], "metadata": m} for m in messages)]


def opening(messages: list[dict[str, Any]]) -> str:
    return first_sentence(messages[0]["text"])


# --- Each kind of question: the asked value in the first sentence -------------------------------------------------


async def test_a_yearly_count_is_the_first_words(knowledge_db) -> None:
    messages = await run(
        ActionAnswerStatistics(),
        tracker(
            "how many students went on clinical clerkships abroad in 2023-2024?",
            [entity("programme", "kind:clinical-clerkship")],
            metadata={"school": "upc"},
        ),
    )
    assert opening(messages).startswith("196 students")
    assert "273" not in messages[0]["text"], "not the other years"


async def test_a_count_asked_without_a_year_gives_the_latest_first(knowledge_db) -> None:
    messages = await run(
        ActionAnswerStatistics(),
        tracker(
            "how many students go abroad for clinical clerkships?",
            [entity("programme", "kind:clinical-clerkship")],
            metadata={"school": "upc"},
        ),
    )
    assert opening(messages).startswith("273 students") and "2024-2025" in opening(messages)


async def test_a_destination_share_is_the_first_words(knowledge_db) -> None:
    messages = await run(
        ActionAnswerStatistics(),
        tracker(
            "what share of clerkship students went to partner destinations in 2024-2025?",
            [entity("programme", "kind:clinical-clerkship")],
            metadata={"school": "upc"},
        ),
    )
    assert opening(messages).startswith("26.4% of the students went to partner destinations")


async def test_a_share_asked_of_a_count_the_student_repeats_is_that_year(knowledge_db) -> None:
    messages = await run(
        ActionAnswerStatistics(),
        tracker(
            "Among the 273 students who did a clerkship abroad, what share went to Asia?",
            [entity("programme", "kind:clinical-clerkship"), entity("region", "continent:asia")],
            metadata={"school": "upc"},
        ),
    )
    assert opening(messages).startswith("26.6% of the students went to Asia")
    assert "22.81" not in messages[0]["text"], "not the year 196 went"


async def test_a_share_asked_without_a_year_gives_the_latest_first_then_steps_back(knowledge_db) -> None:
    question = "what share of outgoing clerkship students went to Asia?"
    entities = [entity("programme", "kind:clinical-clerkship"), entity("region", "continent:asia")]
    messages = await run(ActionAnswerStatistics(), tracker(question, entities, metadata={"school": "upc"}))
    assert opening(messages).startswith("26.6% of the students went to Asia") and "2024-2025" in opening(messages)
    assert "Earlier years: 2023-2024: 22.81%" in messages[0]["text"]
    before = await turn(ActionAnswerStatistics(), question, entities, metadata={"school": "upc"})
    earlier = await run(
        ActionAnswerStatistics(), tracker("and the year before?", metadata={"school": "upc"}, before=before)
    )
    assert opening(earlier).startswith("22.81% of the students went to Asia") and "2023-2024" in opening(earlier)


async def test_credits_asked_of_both_summer_schools_leave_out_what_only_one_adds(knowledge_db) -> None:
    summer_schools = [entity("programme", "kind:summer-school")]
    credits = await run(ActionAnswerCredits(), tracker("do i get ects for it?", summer_schools, metadata={"school": "upc"}))
    assert "5 ECTS" in opening(credits) and "AFGSU" not in credits[0]["text"]
    afgsu = await run(
        ActionAnswerCredits(), tracker("which summer school gives the AFGSU 2?", summer_schools, metadata={"school": "upc"})
    )
    assert opening(afgsu).startswith("Hands-on summer school") and "AFGSU 2" in opening(afgsu)
    assert "AI summer school" not in afgsu[0]["text"], "only the one that gives it"


async def test_a_duration_is_the_first_sentence(knowledge_db) -> None:
    messages = await run(
        ActionAnswerDuration(),
        tracker("how long is the Erasmus exchange?", [entity("programme", "upc-erasmus-exchange-europe")]),
    )
    assert "semester" in opening(messages)


async def test_a_fee_is_the_first_sentence(knowledge_db) -> None:
    messages = await run(
        ActionAnswerFees(),
        tracker("how much is the AI summer school?", [entity("programme", "upc-summer-school-ai")]),
    )
    assert "2,500" in opening(messages) and "3,100" in opening(messages)


async def test_a_person_asked_for_is_named_first(knowledge_db) -> None:
    messages = await run(ActionAnswerContact(), tracker("who is the dean?", metadata={"school": "lille-medicine"}))
    assert opening(messages).startswith("Lille University School of Medicine: Prof. Didier GOSSET, Dean")
    assert "20 62 69 03" in opening(messages)


async def test_a_website_is_the_first_sentence(knowledge_db) -> None:
    messages = await run(
        ActionAnswerSchoolFacts(), tracker("website of the medical school?", metadata={"school": "lille-medicine"})
    )
    assert "medecine.univ-lille2.fr" in opening(messages)
    assert "www.univ-lille.fr" not in messages[0]["text"], "the school's, not its university's"


async def test_the_schools_own_figure_before_its_universitys(knowledge_db) -> None:
    messages = await run(
        ActionAnswerSchoolFacts(),
        tracker(
            "how many students does the Lille med school have?",
            [entity("institution", "lille-medicine")],
        ),
    )
    assert "12,000" in opening(messages)
    assert "67,000" not in messages[0]["text"]
    university = await run(
        ActionAnswerSchoolFacts(),
        tracker("what is the total number of students at the University of Lille?", [entity("institution", "ulille")]),
    )
    assert "The University of Lille" in opening(university) and "Lille University School of Medicine has" not in university[0]["text"]


async def test_a_question_naming_the_university_is_answered_by_its_texts(knowledge_db) -> None:
    question = "When was the University of Lille founded?"
    messages = await run(
        ActionAnswerSchoolFacts(),
        tracker(question, [entity("institution", "ulille", question, "University of Lille")], intent="ask_school_facts"),
    )
    assert opening(messages).startswith("2018"), "not the first medical school of the North in 1570"


async def test_a_postal_address_is_the_first_sentence_and_alone(knowledge_db) -> None:
    messages = await run(
        ActionAnswerContact(), tracker("what is the postal address of the faculty?", metadata={"school": "lille-medicine"})
    )
    assert "F-59045 Lille Cedex" in opening(messages)
    assert "@" not in messages[0]["text"]


async def test_opening_hours_say_alike_days_once(confirmed_office_hours) -> None:
    messages = await run(ActionAnswerOfficeHours(), tracker("when is the office open?", metadata={"school": "upc"}))
    assert "Monday to Friday: 09:30–12:30, 14:00–17:00" in opening(messages)
    assert "Tuesday" not in messages[0]["text"]


async def test_opening_hours_the_documents_do_not_give_are_not_said(knowledge_db) -> None:
    messages = await run(ActionAnswerOfficeHours(), tracker("office opening hours?", metadata={"school": "upc"}))
    assert "the documents don't give the office's opening hours" in opening(messages)
    assert "mobilite.international.medecine@u-paris.fr" in messages[0]["text"]
    assert not re.search(r"\d{1,2}[:h]\d\d", messages[0]["text"]), "no hours staff have not confirmed"


@pytest.mark.parametrize(
    ("question", "school", "office"),
    [
        ("when is the international projects office open?", "upc-medicine", "projets.international.medecine@u-paris.fr"),
        ("what time does the dean's office close on friday?", "lille-medicine", "medecine@univ-lille.fr"),
        ("opening hours of the summer school office?", "upc-medicine", "summerschool.medicine@u-paris.fr"),
    ],
)
async def test_opening_hours_are_those_of_the_office_named(knowledge_db, question: str, school: str, office: str) -> None:
    messages = await run(ActionAnswerOfficeHours(), tracker(question, metadata={"school": school}))
    assert office in messages[0]["text"]


@pytest.mark.parametrize(
    ("question", "page", "asked"),
    [
        ("I'm on the Lille page but my question is about Paris Cité: what's their summer school e-mail?", "Lille", "Paris Cité"),
        ("Je suis sur la page de Lille, mais pour Paris Cité c'est quoi le mail des summer schools ?", "Lille", "Paris Cité"),
    ],
)
async def test_the_school_whose_page_the_student_is_on_is_not_a_school_asked_about(
    knowledge_db, question: str, page: str, asked: str
) -> None:
    entities = [entity("institution", "lille-medicine", question, page), entity("institution", "upc-medicine", question, asked)]
    messages = await run(ActionAnswerContact(), tracker(question, entities, metadata={"school": "lille-medicine"}))
    text = "\n".join(message["text"] for message in messages)
    assert "summerschool.medicine@u-paris.fr" in text and "univ-lille.fr" not in text


async def test_a_definition_is_the_first_sentence(knowledge_db) -> None:
    messages = await run(ActionAnswerNetworks(), tracker("what is InclusU?"))
    assert [m["school"] for m in messages] == ["Lille University School of Medicine"], "only the school it belongs to"
    assert "InclusU: Strategic alliance of seven European universities" in opening(messages)


async def test_the_sentence_that_answers_comes_first(knowledge_db) -> None:
    messages = await run(ActionAnswerNetworks(), tracker("how often does ECTSMA meet?", metadata={"school": "upc"}))
    assert opening(messages).endswith("It meets once a year to share good practice in the internationalisation of medicine.")


async def test_a_count_of_partners_is_one_line_by_country(knowledge_db) -> None:
    messages = await run(
        ActionListPartners(),
        tracker(
            "how many Erasmus partner universities?",
            [entity("programme", "upc-erasmus-exchange-europe")],
            metadata={"school": "upc"},
        ),
    )
    text = messages[0]["text"]
    assert "29 partner universities: Italy (5), Belgium (4)" in text
    assert "other countries" in text and len(text) <= 300


async def test_where_a_partner_named_is_is_its_city(knowledge_db) -> None:
    question = "UT Southwestern c'est dans quelle ville ?"
    utsw = entity("partner", "upc-ut-southwestern-medical-center", question, "UT Southwestern")
    messages = await run(ActionAnswerCity(), tracker(question, [utsw], intent="ask_city"))
    assert "Dallas" in opening(messages) and "100 000" not in messages[0]["text"], "not Lille, the student city"


async def test_where_the_one_partner_of_a_list_in_a_place_is(knowledge_db) -> None:
    exchanges = [entity("programme", "kind:academic-exchange"), entity("region", "continent:europe")]
    question = "any exchange options outside of europe?"
    before = await turn(ActionListPartners(), question, exchanges, metadata={"school": "upc"})
    messages = await run(
        ActionAnswerCity(),
        tracker("what city is the american one in?", [entity("country", "us")], metadata={"school": "upc"}, before=before),
    )
    assert "Dallas" in opening(messages)


async def test_a_list_of_one_country_says_no_place_its_names_or_heading_already_say(knowledge_db) -> None:
    messages = await run(
        ActionListPartners(),
        tracker(
            "Erasmus partners in Italy?",
            [entity("programme", "upc-erasmus-exchange-europe"), entity("country", "it")],
            metadata={"school": "upc"},
        ),
    )
    text = messages[0]["text"]
    assert "Università degli Studi di Firenze (University of Florence)\n" in text, "not ', Florence' again"
    assert text.count("Italy") == 1, "the heading says it"
    assert "Sapienza Università di Roma (Sapienza University of Rome)" in text


async def test_country_adjectives_name_the_country(knowledge_db) -> None:
    index = NameCache(knowledge_db).get()
    assert [match.value for match in index.lookup("country", "German", limit=1)] == ["de"]
    assert [match.value for match in index.lookup("country", "espagnoles", limit=1)] == ["es"]


async def test_comparing_two_kinds_compares_one_programme_of_each(knowledge_db) -> None:
    messages = await run(
        ActionAnswerProgrammeInfo(),
        tracker(
            "difference between an academic exchange and a clinical clerkship abroad?",
            [entity("programme", "kind:academic-exchange"), entity("programme", "kind:clinical-clerkship")],
            metadata={"school": "upc"},
        ),
    )
    assert messages[0]["wording"] == "programme_comparison"
    assert messages[0]["programmes"].count(" / ") == 1
    assert len(messages[0]["text"]) <= 600


async def test_a_university_not_among_the_partners_gets_the_contact(knowledge_db) -> None:
    messages = await run(ActionCheckPartner(), tracker("is Harvard a partner?", metadata={"school": "upc"}))
    assert "mobilite.international.medecine@u-paris.fr" in messages[0]["text"]


# --- Follow-ups keep what the previous answer was about -----------------------------------------------------------


async def test_his_email_after_the_dean_is_the_deans(knowledge_db) -> None:
    before = await turn(ActionAnswerContact(), "who is the dean?", intent="ask_contact", metadata={"school": "lille-medicine"})
    messages = await run(
        ActionAnswerContact(), tracker("his email?", before=before, intent="ask_contact", metadata={"school": "lille-medicine"})
    )
    assert "medecine@univ-lille.fr" in opening(messages) and "ri-sante" not in messages[0]["text"]


async def test_another_year_keeps_what_was_counted(knowledge_db) -> None:
    before = await turn(
        ActionAnswerStatistics(),
        "how many students went on clinical clerkships abroad in 2023-2024?",
        [entity("programme", "kind:clinical-clerkship")],
        intent="ask_statistics",
        metadata={"school": "upc"},
    )
    messages = await run(
        ActionAnswerStatistics(), tracker("and in 2024-2025?", before=before, intent="ask_statistics", metadata={"school": "upc"})
    )
    assert opening(messages).startswith("273 students") and "outgoing" in opening(messages)
    africa = await run(
        ActionAnswerStatistics(),
        tracker(
            "and to Africa?",
            [entity("region", "continent:africa")],
            before=[*before, *await turn(ActionAnswerStatistics(), "and in 2024-2025?", intent="ask_statistics", before=before, metadata={"school": "upc"})],
            intent="ask_statistics",
            metadata={"school": "upc"},
        ),
    )
    assert opening(africa).startswith("26.9% of the students went to Africa")


async def test_another_school_keeps_the_country_of_the_list(knowledge_db) -> None:
    before = await turn(
        ActionListPartners(),
        "Paris Cité partner universities in Belgium",
        [entity("institution", "upc-medicine"), entity("country", "be")],
        intent="ask_partners",
    )
    messages = await run(
        ActionListPartners(),
        tracker(
            "and for Lille?",
            [entity("institution", "lille-medicine", "and for Lille?", "Lille")],
            before=before,
            intent="ask_partners",
        ),
    )
    text = messages[0]["text"]
    assert "Belgium: 2 partner universities" in text and "Ghent" in text and "Antwerp" not in text


async def test_how_big_after_a_definition_is_about_the_thing_defined(knowledge_db) -> None:
    before = await turn(ActionAnswerSchoolFacts(), "what is PRESAGE?", intent="ask_school_facts", metadata={"school": "lille-medicine"})
    messages = await run(
        ActionAnswerSchoolFacts(), tracker("how big is it?", before=before, intent="ask_school_facts", metadata={"school": "lille-medicine"})
    )
    assert "PRESAGE" in opening(messages) and "2,500 m²" in opening(messages)
    weather = await run(
        ActionOutOfScope(),
        tracker("what's the weather like?", before=before, intent="out_of_scope", metadata={"school": "lille-medicine"}),
    )
    assert weather[0]["wording"] == "out_of_scope", "a follow-up must hold one of its own words"


async def test_a_follow_up_stays_with_the_school_the_last_answer_was_about(knowledge_db) -> None:
    before = await turn(ActionAnswerSchoolFacts(), "what is Eurasante?", intent="ask_school_facts")
    messages = await run(ActionAnswerStatistics(), tracker("how many companies?", before=before, intent="ask_statistics"))
    assert [m["school"] for m in messages] == ["Lille University School of Medicine"]
    assert "170 companies" in opening(messages)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("what happened in 1951?", "Cité Hospitalière"),
        ("how much turnover is there?", "8 billion euros"),
    ],
)
async def test_a_small_talk_looking_question_one_text_plainly_answers_is_answered(
    knowledge_db, question: str, answer: str
) -> None:
    messages = await run(ActionOutOfScope(), tracker(question, intent="out_of_scope"))
    assert answer in opening(messages)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("what happens in MED-4 to MED-6?", "half-time hospital clerkships"),
        ("and in MED-3?", "healthy individual"),
    ],
)
async def test_a_year_code_the_curriculum_groups_with_others_names_its_text(knowledge_db, question: str, answer: str) -> None:
    messages = await run(ActionOutOfScope(), tracker(question, metadata={"school": "lille-medicine"}, intent="out_of_scope"))
    assert answer in opening(messages)


async def test_a_question_taken_for_another_kind_is_answered_by_the_text_it_names(knowledge_db) -> None:
    question = "Eurasante à Lille, c'est quoi ?"
    messages = await run(
        ActionAnswerCity(), tracker(question, [entity("institution", "lille-medicine", question, "Lille")], intent="ask_city")
    )
    assert "Eurasante" in opening(messages) and messages[0]["wording"] != "no_information"


async def test_an_unsure_question_is_answered_by_the_text_holding_its_topic_words_not_its_common_ones(
    knowledge_db,
) -> None:
    messages = await run(
        ActionSuggestTopics(),
        tracker(
            "how many patients take part in clinical trials each year?",
            metadata={"school": "lille-medicine"},
            intent="nlu_fallback",
        ),
    )
    assert "10,000 patients" in opening(messages), "'take part' and 'each' are not what it is about"


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather in Lille tomorrow?",
        "can you book me a train to brussels",
        "what is the capital of France?",
        "who won the World Cup in 2018?",
    ],
)
async def test_a_question_no_text_plainly_answers_stays_out_of_scope(knowledge_db, question: str) -> None:
    messages = await run(ActionOutOfScope(), tracker(question, intent="out_of_scope"))
    assert messages[0]["wording"] == "out_of_scope"


# --- Answers short enough to read at a glance ----------------------------------------------------------------------


async def test_a_long_description_leaves_out_its_contact_line_but_keeps_its_source(knowledge_db) -> None:
    messages = await run(
        ActionAnswerProgrammeInfo(),
        tracker("what is IDEAL4PREPAREDNESS?", [entity("programme", "upc-ideal4preparedness")]),
    )
    text = "\n".join(message["text"] for message in messages)
    assert "IDEAL4PREPAREDNESS" in opening(messages)
    assert "Source: Paris Cité brochure" in text
    assert "More details" not in text and len(text) <= 400


async def test_a_short_detail_keeps_whom_to_ask(knowledge_db) -> None:
    messages = await run(
        ActionAnswerProgrammeInfo(),
        tracker("how do I apply to the AI summer school?", [entity("programme", "upc-summer-school-ai")]),
    )
    text = "\n".join(message["text"] for message in messages)
    assert "More details: summerschool.medicine@u-paris.fr" in text


async def test_networks_are_listed_with_the_acronyms_they_go_by(knowledge_db) -> None:
    messages = await run(
        ActionAnswerNetworks(),
        tracker("which networks is the university a member of?", metadata={"school": "lille-medicine"}),
    )
    text = messages[0]["text"]
    assert "European University Association (EUA)" in text
    assert "Agence universitaire de la Francophonie (AUF)" in text
    assert "SGroup (" not in text, "no acronym made up for a name without one"



async def test_the_schools_name_opens_a_fact_only_when_the_student_had_not_said_which_school(knowledge_db) -> None:
    on_its_page = await run(ActionAnswerSchoolFacts(), tracker("what is PRESAGE?", metadata={"school": "lille-medicine"}))
    assert opening(on_its_page).startswith("PRESAGE")
    assert "Source: Lille medical school brochure" in on_its_page[0]["text"]
    unsaid = await run(ActionAnswerSchoolFacts(), tracker("what is PRESAGE?"))
    assert opening(unsaid).startswith("Lille University School of Medicine: ")


@pytest.mark.parametrize(
    ("text", "language", "value"),
    [("l'internat dure combien de temps ?", "fr", "3 à 6 ans"), ("how long is the residency?", "en", "3 to 6 years")],
)
async def test_how_long_a_part_of_the_curriculum_lasts_is_found_without_a_programme(
    knowledge_db, text: str, language: str, value: str
) -> None:
    """The words asking for the duration are not what the question is about, and "combien de temps" is answered by
    a duration as well as by a distance."""
    question = tracker(text, [entity("study_year", "7")], metadata={"school": "lille-medicine", "language": language})
    question.slots["language"] = language
    messages = await run(ActionAnswerDuration(), question)
    assert value in opening(messages)
    assert "ne donnent pas" not in messages[0]["text"] and "don't give" not in messages[0]["text"]


async def test_an_unsure_message_saying_the_name_a_fact_starts_with_is_answered_by_that_fact(knowledge_db) -> None:
    from actions.fallback import ActionSuggestTopics

    unsure = tracker("What is PACES in the Lille curriculum?", intent="nlu_fallback")
    messages = await run(ActionSuggestTopics(), unsure)
    assert opening(messages).startswith("Lille University School of Medicine: PACES (1st year)")


# --- Round 10 -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("What is the e-mail address of the international relations office at Lille medical school?", "en"),
        ("c'est quoi l'adresse mail des relations internationales de la fac de Lille ?", "fr"),
    ],
)
async def test_an_e_mail_address_is_not_the_postal_address(knowledge_db, question: str, language: str) -> None:
    asked = tracker(question, [entity("institution", "lille-medicine")], intent="ask_contact")
    asked.slots["language"] = language
    messages = await run(ActionAnswerContact(), asked)
    assert "ri-sante@univ-lille.fr" in opening(messages)
    assert "F-59045" not in messages[0]["text"]


async def test_the_postal_address_is_still_given_when_asked(knowledge_db) -> None:
    messages = await run(
        ActionAnswerContact(),
        tracker("what is the postal address of the Lille medical school?", [entity("institution", "lille-medicine")]),
    )
    assert "F-59045 Lille Cedex" in opening(messages)


async def test_how_long_a_journey_takes_is_a_duration_the_documents_give(knowledge_db) -> None:
    asked = await turn(
        ActionAnswerCity(),
        "how long does it take to get from lille to london",
        [entity("institution", "lille-medicine")],
        intent="ask_city",
    )
    assert "1 h 15" in first_sentence(asked[1]["text"]) and "don't give" not in asked[1]["text"]
    brussels = await run(ActionAnswerCity(), tracker("and to brussels?", before=asked, intent="ask_city"))
    assert "35 minutes" in opening(brussels)


async def test_how_long_ago_a_network_was_created_is_a_date_not_a_distance(knowledge_db) -> None:
    asked = tracker("le réseau ECTS Medical Association a été créé il y a combien de temps ?", intent="ask_networks")
    asked.slots["language"] = "fr"
    messages = await run(ActionAnswerNetworks(), asked)
    assert "il y a 20 ans" in opening(messages)
    assert "distance" not in messages[0]["text"]


@pytest.mark.parametrize(
    ("question", "answer", "not_said"),
    [
        ("and InclusU's german partner?", "Viadrina", "incubator"),
        ("Who co-founded the InterUniSanté network?", "Paris-Saclay", "don't give"),
        ("What is the InterUniSanté network and who founded it?", "Paris-Saclay", "don't give"),
    ],
)
async def test_a_networks_sentence_answering_the_question_is_found_by_words_other_than_its_name(
    knowledge_db, question: str, answer: str, not_said: str
) -> None:
    messages = await run(ActionAnswerNetworks(), tracker(question, intent="ask_networks"))
    assert answer in opening(messages)
    assert not_said not in messages[0]["text"]


async def test_a_networks_website_is_given_when_asked(knowledge_db) -> None:
    messages = await run(ActionAnswerNetworks(), tracker("what's the website of ECTSMA?", intent="ask_networks"))
    assert "https://www.ectsma.org" in opening(messages)


async def test_an_unsure_follow_up_of_a_network_is_answered_from_its_text(knowledge_db) -> None:
    before = await turn(
        ActionAnswerNetworks(),
        "le réseau ECTS Medical Association a été créé il y a combien de temps ?",
        intent="ask_networks",
        language="fr",
    )
    unsure = tracker("il se réunit souvent ?", before=before, intent="nlu_fallback", language="fr")
    assert "une fois par an" in opening(await run(ActionSuggestTopics(), unsure))


async def test_an_unsure_and_question_of_the_same_kind_as_the_last_goes_on_with_it(knowledge_db) -> None:
    asked = await turn(
        ActionAnswerStatistics(),
        "how many paris cité students did a clinical clerkship abroad in 2022-2023?",
        [entity("programme", "kind:clinical-clerkship"), entity("institution", "upc")],
        intent="ask_statistics",
    )
    unsure = tracker(
        "and how many came in for a clerkship that year",
        [entity("programme", "kind:clinical-clerkship")],
        before=asked,
        intent="nlu_fallback",
    )
    unsure.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.25},
        {"name": "ask_statistics", "confidence": 0.23},
        {"name": "inform", "confidence": 0.14},
    ]
    messages = await run(ActionSuggestTopics(), unsure)
    assert opening(messages).startswith("124 students"), "the incoming count of 2022-2023"


async def test_how_many_countries_is_answered_by_the_count_of_countries(knowledge_db) -> None:
    messages = await run(
        ActionAnswerStatistics(),
        tracker(
            "In how many countries have students done clerkships abroad?",
            [entity("programme", "kind:clinical-clerkship")],
            metadata={"school": "upc-medicine"},
            intent="ask_statistics",
        ),
    )
    assert "57 countries" in opening(messages)
    assert "273" not in messages[0]["text"]


async def test_a_breakdown_by_continent_gives_every_continents_share(knowledge_db) -> None:
    asked = tracker(
        "répartition par continent des étudiants de l'UPC partis en stage en 2024-2025 ?",
        [entity("institution", "upc"), entity("programme", "kind:clinical-clerkship")],
        intent="ask_statistics",
    )
    asked.slots["language"] = "fr"
    text = (await run(ActionAnswerStatistics(), asked))[0]["text"]
    assert all(continent in text for continent in ("Europe", "Afrique", "Amérique", "Asie", "Océanie"))


async def test_the_year_with_the_most_students_is_found_over_every_year(knowledge_db) -> None:
    asked = await turn(
        ActionAnswerStatistics(),
        "how many paris cité students did a clinical clerkship abroad in 2022-2023?",
        [entity("programme", "kind:clinical-clerkship"), entity("institution", "upc")],
        intent="ask_statistics",
    )
    messages = await run(
        ActionAnswerStatistics(), tracker("which year had the most outgoing ones?", before=asked, intent="ask_statistics")
    )
    assert opening(messages).startswith("273 students") and "2024-2025" in opening(messages)


async def test_a_list_asked_with_words_no_item_holds_is_the_whole_list(knowledge_db) -> None:
    question = "De quels réseaux institutionnels l'Université de Lille est-elle membre ?"
    asked = tracker(
        question, [entity("institution", "ulille", question, "Université de Lille")], intent="ask_networks"
    )
    asked.slots["language"] = "fr"
    text = (await run(ActionAnswerNetworks(), asked))[0]["text"]
    assert "Agence universitaire de la Francophonie (AUF)" in text and "(+" not in text
    assert "rien trouvé de précis" not in text


async def test_a_list_that_lacks_what_was_asked_still_says_so(knowledge_db) -> None:
    messages = await run(
        ActionAnswerNetworks(),
        tracker("which networks work on space research?", metadata={"school": "lille-medicine"}, intent="ask_networks"),
    )
    assert messages[0]["wording"] == "nothing_specific_listing_all"


async def test_a_count_and_a_share_asked_together_are_both_given(knowledge_db) -> None:
    asked = tracker(
        "en 2023-2024 combien d'étudiants de paris cité en stage sortant, et quelle part en asie ?",
        [entity("institution", "upc"), entity("programme", "kind:clinical-clerkship"), entity("region", "continent:asia")],
        intent="ask_statistics",
    )
    asked.slots["language"] = "fr"
    messages = await run(ActionAnswerStatistics(), asked)
    assert opening(messages).startswith("196 étudiants")
    assert "22,81 %" in "\n".join(message["text"] for message in messages)
    alone = tracker(
        "how many students went to Asia for clerkships in 2024-2025?",
        [entity("programme", "kind:clinical-clerkship"), entity("region", "continent:asia")],
        metadata={"school": "upc-medicine"},
        intent="ask_statistics",
    )
    assert [message["text"].split(" ")[0] for message in await run(ActionAnswerStatistics(), alone)] == ["26.6%"]


async def test_a_follow_up_naming_another_text_is_about_that_text(knowledge_db) -> None:
    asked = await turn(
        ActionAnswerNetworks(), "What university alliances is the University of Lille part of?", intent="ask_networks"
    )
    messages = await run(
        ActionAnswerNetworks(), tracker("who are the partners in the 3i network", before=asked, intent="ask_networks")
    )
    assert "3i University Network" in opening(messages) and "Ghent" in opening(messages)


async def test_a_follow_up_of_the_date_a_network_was_joined_is_about_the_network(knowledge_db) -> None:
    before = await turn(ActionAnswerNetworks(), "depuis quand est-elle dans ECTSMA ?", intent="ask_networks", language="fr")
    assert "avril 2024" in first_sentence(before[1]["text"])
    follow_up = tracker("ça regroupe combien de facultés ?", before=before, intent="ask_school_facts", language="fr")
    assert "53 facultés" in opening(await run(ActionAnswerSchoolFacts(), follow_up))


async def test_when_a_programme_named_by_an_earlier_name_started_is_read_in_its_description(knowledge_db) -> None:
    from actions.programmes import ActionAnswerDates

    question = "le projet IDEAL a commencé en quelle année ?"
    asked = tracker(question, [entity("programme", "upc-ideal4preparedness", question, "IDEAL")], intent="ask_dates")
    asked.slots["language"] = "fr"
    assert "IDEAL (2016-2019)" in opening(await run(ActionAnswerDates(), asked))
    own_name = "when is IDEAL4PREPAREDNESS?"
    unsaid = tracker(own_name, [entity("programme", "upc-ideal4preparedness", own_name, "IDEAL4PREPAREDNESS")])
    text = (await run(ActionAnswerDates(), unsaid))[0]["text"]
    assert "don't give the dates" in text and "2016" not in text


@pytest.mark.parametrize(
    ("question", "language"),
    [("what's InterUniSanté? who founded it?", "en"), ("C'est quoi le réseau InterUniSanté et qui l'a fondé ?", "fr")],
)
async def test_what_a_network_is_and_who_founded_it_are_both_said(knowledge_db, question: str, language: str) -> None:
    asked = tracker(question, intent="ask_networks")
    asked.slots["language"] = language
    text = (await run(ActionAnswerNetworks(), asked))[0]["text"]
    assert "Saclay" in text and ("national" in text or "nationale" in text)
    assert "don't give" not in text and "ne donnent pas" not in text
    defined_only = (await run(ActionAnswerNetworks(), tracker("what is InterUniSanté?", intent="ask_networks")))[0]
    assert "Saclay" not in defined_only["text"], "what it is, in its first sentence alone"


async def test_small_talk_naming_one_text_is_answered_by_it_whatever_matches_its_common_words(knowledge_db) -> None:
    messages = await run(ActionOutOfScope(), tracker("what does MED-4/5/6 involve?", intent="out_of_scope"))
    assert opening(messages).startswith("Lille University School of Medicine: MED-4/5/6")


async def test_a_networks_website_is_asked_even_when_the_question_says_it_was_joined(knowledge_db) -> None:
    question = "what's the website of ECTSMA, the network UPC medicine joined?"
    messages = await run(
        ActionAnswerNetworks(),
        tracker(question, [entity("institution", "upc", question, "UPC")], intent="ask_networks"),
    )
    assert "https://www.ectsma.org" in opening(messages) and "April 2024" not in messages[0]["text"]


async def test_when_an_office_abroad_opened_is_a_date_not_opening_hours(knowledge_db) -> None:
    asked = await turn(
        ActionAnswerSchoolFacts(),
        "does the University of Lille have an office in Latin America?",
        [entity("institution", "ulille")],
        intent="ask_school_facts",
    )
    messages = await run(
        ActionAnswerOfficeHours(), tracker("when did that office open?", before=asked, intent="ask_office_hours")
    )
    assert "2019" in opening(messages) and "opening hours" not in messages[0]["text"]
    hours = await run(
        ActionAnswerOfficeHours(), tracker("when is the office open?", before=asked, intent="ask_office_hours")
    )
    assert hours[0]["wording"] == "office_hours_unknown"


async def test_a_follow_up_of_a_total_asks_that_total_one_way(knowledge_db) -> None:
    question = "combien d'échanges en stage clinique au total depuis 2021-2022 ?"
    clerkships = [entity("programme", "kind:clinical-clerkship")]
    asked = await turn(
        ActionAnswerStatistics(), question, clerkships, intent="ask_statistics", metadata={"school": "upc-medicine"}
    )
    assert "1,274" in first_sentence(asked[1]["text"])
    one_way = tracker(
        "dont combien de stages sortants ?",
        clerkships,
        metadata={"school": "upc-medicine"},
        before=asked,
        intent="ask_statistics",
    )
    one_way.slots["language"] = "fr"
    assert "723 stages sortants" in opening(await run(ActionAnswerStatistics(), one_way))
    countries = tracker(
        "to how many countries did students leave?", metadata={"school": "upc-medicine"}, before=asked, intent="ask_statistics"
    )
    assert "57 countries" in opening(await run(ActionAnswerStatistics(), countries))
