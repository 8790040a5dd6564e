"""Whole conversations through the REST webhook of the real servers, in English and French."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.servers

PARIS_PAGE_EN = {"school": "upc-medicine", "language": "en"}
PARIS_PAGE_FR = {"school": "upc-medicine", "language": "fr"}
LILLE_PAGE_EN = {"school": "lille-medicine", "language": "en"}


class Conversation:
    """One student's conversation, message after message."""

    def __init__(self, servers, metadata: dict | None = None) -> None:
        self.servers = servers
        self.sender = uuid.uuid4().hex
        self.metadata = metadata

    def say(self, text: str) -> list[dict]:
        return self.servers.ask(text, sender=self.sender, metadata=self.metadata)

    def text(self, text: str) -> str:
        return "\n".join(reply.get("text", "") for reply in self.say(text))


def test_partner_follow_up_to_another_country(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    assert "Université Catholique de Louvain" in chat.text("Which partners do you have in Belgium?")
    assert "Karolinska Institutet" in chat.text("and in Sweden?")


def test_programme_follow_ups_how_much_then_when(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    chat.say("I'm interested in the summer schools")
    assert "3,100" in chat.text("how much?")
    assert "July" in chat.text("when?")


def test_french_conversation_follows_a_switch_to_english(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_FR)
    assert "Espagne" in chat.text("Quelles universités partenaires en Espagne ?")
    assert "Spain" in chat.text("Which partner universities do you have in Spain?")


def test_school_named_in_the_message_wins_over_the_page(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    answer = chat.text("who should I contact at Lille for an exchange?")
    assert "ri-sante@univ-lille.fr" in answer
    assert "u-paris.fr" not in answer


def test_unknown_school_answers_for_both_naming_each(assistant_servers) -> None:
    answer = Conversation(assistant_servers).text("who should I contact about an exchange?")
    assert "ri-sante@univ-lille.fr" in answer and "mobilite.international.medecine@u-paris.fr" in answer
    assert "Lille" in answer and "Paris Cité" in answer


def test_unknown_fact_gives_the_contact_not_a_guess(assistant_servers) -> None:
    answer = Conversation(assistant_servers, PARIS_PAGE_EN).text(
        "what is the deadline to apply for the Erasmus exchange?"
    )
    assert "mobilite.international.medecine@u-paris.fr" in answer


def test_eligibility_form_with_a_question_in_the_middle(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    first = chat.text("can I apply for the Erasmus exchange?")
    assert "year" in first.lower()
    fees = chat.text("how much does the summer school cost?")
    assert "3,100" in fees, "a question during the form is answered"
    assert "year" in fees.lower(), "and the form asks its question again"
    assert "university" in chat.text("DFGSM2").lower()
    verdict = chat.text("Université Paris Cité")
    assert "not in your current year of study (2)" in verdict
    assert "DFGSM3" in verdict, "the verdict quotes the rule"


def test_eligibility_form_for_an_incoming_student_from_a_non_partner(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    chat.say("am I eligible for an incoming clerkship in Paris?")
    chat.say("5th year")
    verdict = chat.text("University of Nowhere")
    assert "not among the partner universities" in verdict
    assert "Erasmus Traineeship" in verdict


def test_eligibility_form_for_a_kind_of_programme_the_school_does_not_offer(assistant_servers) -> None:
    chat = Conversation(assistant_servers, LILLE_PAGE_EN)
    asked = chat.say("I'm a 5th year med student from Brazil, can I come to Lille for a clerkship?")
    buttons = [button["title"] for reply in asked for button in reply.get("buttons") or []]
    assert "International students in Lille" in buttons, asked
    assert "university" in chat.text("International students in Lille").lower()
    verdict = chat.text("Universidade de São Paulo")
    assert "200 international students" in verdict, "what the documents say, as they set no rule"
    assert "ri-sante@univ-lille.fr" in verdict


def test_a_place_asked_while_the_form_wants_the_year_is_answered(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_FR)
    chat.say("je voudrais faire un stage d'été à l'étranger, c'est possible ?")
    answer = chat.text("et au Japon ?")
    assert "Yokohama" in answer
    assert "année d'études" in answer, "and the form asks its question again"
    assert "pas compris" not in answer


def test_a_partner_question_while_the_form_wants_the_home_university_is_answered(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    chat.say("am I eligible for an incoming clerkship in Paris?")
    chat.say("5th year")
    answer = chat.text("is Charité a partner?")
    assert "Freie Universität Berlin" in answer
    assert "the university you study at now" in answer, "and the form asks for it again, in other words"
    assert "meets the rule" in chat.text("Freie Universität Berlin")


def test_a_student_naming_their_partner_university_gets_the_verdict_at_once(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_FR)
    verdict = chat.text(
        "salut ! je suis étudiante en 5e année à l'Université de Montréal, je peux faire un stage chez vous ?"
    )
    assert "Stages partenaires" in verdict and "Université de Montréal" in verdict
    assert "Dans quelle université" not in verdict


def test_a_greeting_before_a_question_does_not_hide_it(assistant_servers) -> None:
    assert "€" in Conversation(assistant_servers, PARIS_PAGE_FR).text("bonjour, c'est combien la summer school IA ?")


def test_a_programme_name_both_schools_use_follows_the_school_asked_about(assistant_servers) -> None:
    answer = Conversation(assistant_servers, PARIS_PAGE_EN).text(
        "what's the deadline for erasmus applications at lille?"
    )
    assert "ri-sante@univ-lille.fr" in answer
    assert "u-paris.fr" not in answer


def test_the_second_one_after_a_list_of_programmes(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    listed = chat.text("what summer schools do you have?")
    assert "Artificial Intelligence and Digital Innovation in Medicine" in listed and "Hands-on Training" in listed
    chosen = chat.text("the second one")
    assert "Hands-on summer school" in chosen and "AI summer school" not in chosen
    assert "€" in chat.text("how much is it?"), "the conversation goes on about the chosen one"


def test_stop_leaves_the_form(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_FR)
    chat.say("est-ce que je peux candidater à l'échange Erasmus ?")
    assert "arrête" in chat.text("stop")
    assert "Espagne" in chat.text("Quelles universités partenaires en Espagne ?")


def test_choosing_the_second_programme_offered(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    offered = chat.say("how much does it cost?")
    buttons = [button for reply in offered for button in reply.get("buttons") or []]
    assert len(buttons) >= 2, offered
    second = chat.text("the second one")
    assert "€" in second and "Source" in second


def test_choosing_the_second_partner_of_a_list(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    listed = chat.say("which partners do you have in Spain?")
    buttons = [button for reply in listed for button in reply.get("buttons") or []]
    assert len(buttons) == 3, listed
    second = chat.text("the second one")
    assert buttons[1]["title"] in second and "partner" in second


def test_choosing_a_suggested_topic_answers_it(assistant_servers) -> None:
    chat = Conversation(assistant_servers, LILLE_PAGE_EN)
    answer = chat.text('/ask_contact{"institution": "lille-medicine"}')
    assert "ri-sante@univ-lille.fr" in answer


def test_handoff_gives_the_schools_contact(assistant_servers) -> None:
    answer = Conversation(assistant_servers, LILLE_PAGE_EN).text("I want to talk to a human")
    assert "ri-sante@univ-lille.fr" in answer
    assert "u-paris.fr" not in answer


def test_out_of_scope_volunteers_no_fact(assistant_servers) -> None:
    answer = Conversation(assistant_servers, PARIS_PAGE_EN).text("what's the weather like in Paris tomorrow?")
    assert "only answer questions" in answer
    assert "@" not in answer


def test_which_one_is_in_rome_filters_the_last_list(assistant_servers) -> None:
    chat = Conversation(assistant_servers, {"language": "en"})
    assert "Pavia" in chat.text("which partners in Italy?")
    rome = chat.text("which one is in Rome?")
    assert "Sapienza" in rome and "Pavia" not in rome


def test_for_which_programme_asks_it_of_the_partner_just_named(assistant_servers) -> None:
    chat = Conversation(assistant_servers, {"language": "en"})
    assert "Yokohama" in chat.text("is Yokohama City University a partner?")
    assert chat.text("for which programme?").startswith("Clinical clerkships abroad")


def test_a_question_after_the_summer_schools_stays_with_them(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    compared = chat.text("what is the difference between the two summer schools?")
    assert "AI summer school" in compared and "Hands-on summer school" in compared
    follow_up = chat.text("is accommodation included?")
    assert "summer school" in follow_up.lower() and "Lille" not in follow_up


def test_and_the_other_school_keeps_the_question_and_the_language(assistant_servers) -> None:
    chat = Conversation(assistant_servers, {"language": "en"})
    assert "12,000" in chat.text("how many students at Lille medical school?")
    other = chat.text("and Paris Cité?")
    assert "26,000" in other.splitlines()[0] and "Lille" not in other and "étudiants" not in other


def test_a_short_follow_up_keeps_the_conversations_language_not_the_pages(assistant_servers) -> None:
    chat = Conversation(assistant_servers, {"language": "en"})
    assert "Suède" in chat.text("Quelles sont les universités partenaires en Suède ?")
    assert chat.text("Karolinska ?").startswith("Oui")
    assert "Yes" in Conversation(assistant_servers, {"language": "en"}).text("Karolinska?"), "the page's language first"


def test_a_count_follow_up_shifts_the_year_then_the_direction(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_FR)
    assert chat.text("combien d'étudiants sont partis en stage à l'étranger en 2024-2025 ?").startswith("273")
    assert chat.text("et l'année d'avant ?").startswith("196")  # 2023-2024, still clerkships going abroad
    english = Conversation(assistant_servers, PARIS_PAGE_EN)
    english.say("how many clinical clerkship students went abroad in 2023-2024?")
    assert english.text("and the previous year?").startswith("144")


def test_a_figure_going_the_asked_way_and_a_yearly_figure_alone(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    since = chat.text("since 2021-2022, how many students went abroad on academic exchanges?")
    assert "211" in since and "416" not in since
    yearly = Conversation(assistant_servers, PARIS_PAGE_EN).text(
        "about how many students do you send on Erasmus each year?"
    )
    assert "about 40" in yearly and "2021-2022" not in yearly  # the figure, not every yearly count


def test_the_website_of_the_programme_just_talked_about(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    chat.say("when are the summer schools?")
    assert "u-paris.fr/summerschoolmedicine-2026" in chat.text("do they have a website?")


def test_a_word_of_one_listed_partners_name_picks_it(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    chat.say("Erasmus partners in Germany?")
    picked = chat.text("which of them is the one with the Charité?")
    assert "Freie Universität Berlin" in picked and "Heidelberg" not in picked


def test_an_unsure_message_naming_a_partner_gets_that_partner(assistant_servers) -> None:
    assert "Dallas" in Conversation(assistant_servers, PARIS_PAGE_EN).text("UT Southwestern, where is that?")


def test_the_pages_school_keeps_a_programme_both_schools_name(assistant_servers) -> None:
    answer = Conversation(assistant_servers, LILLE_PAGE_EN).text("Erasmus partner universities in Spain?")
    assert "univ-lille.fr" in answer and "Cádiz" not in answer  # Lille lists none there: whom to ask


def test_a_school_named_by_its_city_in_an_unsure_message_is_answered(assistant_servers) -> None:
    answer = Conversation(assistant_servers).text("lille medical school website")
    assert "univ-lille2.fr" in answer and "can't reach my information" not in answer


def test_a_total_then_one_way_of_it(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_FR)
    total = chat.text("depuis 2021/2022, combien de stages entrants au total ?")
    assert total.split("\n")[0].endswith("551 stages entrants.") and "2023-2024" not in total
    outgoing = chat.text("et sortants ?")
    assert "723 stages sortants" in outgoing.split("\n")[0] and "1 274" not in outgoing


def test_a_question_after_a_sentence_about_the_student_is_answered(assistant_servers) -> None:
    answer = Conversation(assistant_servers, LILLE_PAGE_EN).text(
        "I'm a professor abroad and would like to set up a partnership with your faculty. Whom should I write to?"
    )
    assert "ri-sante@univ-lille.fr" in answer and "Did you mean" not in answer


def test_a_clerkship_count_of_one_year_then_a_correction_of_its_direction(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    incoming = chat.text("incoming clerkship students at Paris Cité in 2022-2023?")
    assert incoming.startswith("124 students") and "56" not in incoming  # not the academic exchanges' count
    assert chat.text("no wait, I meant outgoing").startswith("144 students")


def test_where_is_it_after_one_partner_gives_its_place(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    assert "JIPMER" in chat.text("does paris cite have a clerkship partner in india")
    answer = chat.text("where is it?")
    assert answer.startswith("Jawaharlal") and "Pondicherry, India" in answer.split("\n")[0]


def test_which_country_and_who_is_it_for_after_a_programme(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_FR)
    chat.say("le programme court a aarhus ca dure combien de temps")
    assert "Danemark" in chat.text("c'est dans quel pays deja ?").split("\n")[0]
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    chat.say("what is IDEAL4PREPAREDNESS?")
    assert "Train the Trainers" in chat.text("who is it for").split("\n")[0]


def test_a_place_after_a_partner_list_is_that_place_not_a_namesake_of_the_school(assistant_servers) -> None:
    chat = Conversation(assistant_servers, {"language": "fr"})
    chat.say("on peut faire un stage clinique au japon avec paris cité ?")
    answer = chat.text("et en chine ?")
    assert "Jiao Tong" in answer and "Saclay" not in answer


def test_a_partner_of_both_schools_is_said_for_each_with_what_for(assistant_servers) -> None:
    answer = Conversation(assistant_servers).text("KU Leuven: partner of paris cite or of lille?")
    assert "Erasmus" in answer and "3i University Network" in answer and "—" not in answer


def test_partners_of_a_project_that_lists_none_are_its_description(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_FR)
    chat.say("PHEMED ?")
    answer = chat.text("avec quels partenaires")
    assert "Nicosie" in answer and "Berlin" in answer and "53" not in answer


def test_share_follow_ups_keep_asking_for_a_share(assistant_servers) -> None:
    chat = Conversation(assistant_servers, {"language": "fr"})
    chat.say("en 2023-2024 quel pourcentage des stages sortants en afrique ?")
    assert chat.text("et l'amerique ?").startswith("Amérique : 20,61 %")
    assert chat.text("et en 2024-2025 ?").startswith("Amérique : 18,8 %")
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    chat.say("what percentage of outgoing clerkship students went to non-partner places in 2023-24?")
    answer = chat.text("and to oceania?")
    assert answer.startswith("2.63%") and "79.48" not in answer
    chat.say("in 2023-2024 where did paris cité clerkship students go, by continent?")
    assert chat.text("and in 2024-25 which continent was the top one?").startswith(
        "26.9% of the students went to Africa"
    )


def test_a_detail_both_summer_schools_share_is_said_once(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    chat.say("tell me about the paris summer schools")
    answer = chat.text("do i get ects for it?")
    assert answer.count("5 ECTS") == 1 and "AFGSU 2" not in answer, "not what only one adds, which was not asked"
    where = Conversation(assistant_servers, PARIS_PAGE_FR).text("les summer schools se passent ou ?")
    assert where.count("iLumens") == 1 and "deux semaines" not in where


def test_who_founded_a_network_is_its_founders_not_a_missing_date(assistant_servers) -> None:
    answer = Conversation(assistant_servers, PARIS_PAGE_FR).text("interunisanté c co-fondé par qui ?")
    assert "Paris-Saclay" in answer and "date" not in answer


def test_a_programme_for_a_country_without_partners_there(assistant_servers) -> None:
    chat = Conversation(assistant_servers, LILLE_PAGE_EN)
    chat.say("when was the school founded?")
    answer = chat.text("exchange programs with the USA at univ lille?")
    assert answer.startswith("International Student Exchange Program (ISEP)") and "1570" not in answer


def test_both_schools_named_in_a_comparison_answer_each_with_one_figure(assistant_servers) -> None:
    answer = Conversation(assistant_servers).text("which med school has more students, paris cite or lille?")
    assert "26,000" in answer and "12,000" in answer and "Erasmus" not in answer
    french = Conversation(assistant_servers, {"language": "fr"}).text(
        "entre paris cité et lille, quelle fac de medecine a le plus d'etudiants ?"
    )
    assert "12 000" in french and "Eurasante" not in french
    units = Conversation(assistant_servers).text(
        "which has more research units, the university of lille or the paris cité med school?"
    )
    assert "34 research units" in units and "65 research units" in units and units.count("Inserm") == 1


def test_who_runs_it_after_the_office_is_its_head(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    chat.say("how many people work at the paris cite med international office?")
    assert "van Eeckhout" in chat.text("who runs it").split("\n")[0]
    chat = Conversation(assistant_servers, PARIS_PAGE_FR)
    chat.say("le service RI de la fac de medecine de paris cite c'est combien de personnes ?")
    assert "van Eeckhout" in chat.text("qui le dirige ?").split("\n")[0]


def test_a_programme_question_inside_the_eligibility_check_is_answered_in_the_conversations_language(
    assistant_servers,
) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_FR)
    chat.say("ma fac n'est pas partenaire, je peux quand même faire un stage chez vous ?")
    answer = chat.text("et en Erasmus Traineeship ?")
    assert "ne sont pas acceptées" in answer and "Source :" in answer
    assert "year of study" not in answer and "I didn't catch" not in answer


def test_the_website_of_what_the_last_answer_was_about(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_FR)
    chat.say("comment on candidate à la summer school de paris cité ?")
    assert "u-paris.fr/summerschoolmedicine-2026" in chat.text("le lien ?").split("\n")[0]
    chat = Conversation(assistant_servers, PARIS_PAGE_FR)
    chat.say("c'est quoi l'ECTS Medical Association Network ?")
    assert "ectsma.org" in chat.text("son site web ?").split("\n")[0]


def test_a_count_a_programme_description_gives_is_its_sentence(assistant_servers) -> None:
    answer = Conversation(assistant_servers, LILLE_PAGE_EN).text(
        "continuing medical education, how many courses are there?"
    )
    assert "160" in answer.split("\n")[0] and "clinical updates" not in answer


def test_the_french_word_eu_is_not_europe(assistant_servers) -> None:
    answer = Conversation(assistant_servers, PARIS_PAGE_FR).text(
        "en 2023-2024 il y a eu plus d'étudiants entrants ou sortants en échange académique ?"
    )
    assert "60" in answer and "36" in answer and "Europe" not in answer


def test_a_person_named_is_their_role_and_contact_at_their_school_only(assistant_servers) -> None:
    chat = Conversation(assistant_servers, {"language": "en"})
    answer = chat.text("who's Vincent Sobanski?")
    assert "International Relations" in answer and "ri-sante@univ-lille.fr" in answer and "u-paris.fr" not in answer
    answer = chat.text("and his phone number?")
    assert "20 62 69 19" in answer and "u-paris.fr" not in answer
    answer = Conversation(assistant_servers, {"language": "fr"}).text("que fait Magdalena van Eeckhout ?")
    assert "Responsable du Service des Relations Internationales" in answer and "univ-lille.fr" not in answer


def test_a_year_of_study_code_is_explained(assistant_servers) -> None:
    assert "5th year" in Conversation(assistant_servers, PARIS_PAGE_EN).text("what's DFASM2 exactly?")
    assert "1re année" in Conversation(assistant_servers, PARIS_PAGE_FR).text("PACES ça veut dire quoi ?")


def test_a_question_asked_in_the_eligibility_check_is_answered_not_taken_for_a_university(
    assistant_servers,
) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    assert "university" in chat.text("I'm in 5th year, can I come to you for a partner clerkship?")
    answer = chat.text("and how do I apply for it?")
    assert "is not among the partner universities" not in answer and "home university" in answer
    assert "university you study at" in answer.split("\n")[-1]


def test_which_one_after_several_programmes_is_the_one_whose_texts_say_it(assistant_servers) -> None:
    chat = Conversation(assistant_servers, {"language": "en"})
    chat.say("tell me about the summer schools of paris cité")
    answer = chat.text("which one teaches emergency skills with a BLS certification?")
    assert answer.startswith("Hands-on summer school") and "BLS" in answer and "AI summer school" not in answer
    chat = Conversation(assistant_servers, {"language": "fr"})
    chat.say("quelles summer schools propose paris cité ?")
    answer = chat.text("laquelle parle d'intelligence artificielle ?")
    assert answer.startswith("Summer School IA") and "Hands-on" not in answer


def test_a_follow_up_naming_the_other_way_or_the_total_replaces_the_way_asked_before(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    assert "723" in chat.text("since 2021, how many clinical clerkships went abroad from paris cité?")
    assert "551" in chat.text("what about incoming ones?").split("\n")[0]
    assert "1,274" in chat.text("and in total?").split("\n")[0]
    answer = Conversation(assistant_servers, PARIS_PAGE_FR).text(
        "au total, combien d'échanges académiques depuis 2021 ?"
    )
    assert "627" in answer and "416" not in answer


def test_a_question_naming_what_no_document_mentions_says_so_with_the_contact(assistant_servers) -> None:
    answer = Conversation(assistant_servers, LILLE_PAGE_EN).text(
        "where does the faculty stand in the Webometrics ranking?"
    )
    assert "don't mention" in answer and "ri-sante@univ-lille.fr" in answer
    answer = Conversation(assistant_servers, PARIS_PAGE_FR).text("le CHU a combien de lits ?")
    assert "ne parlent pas" not in answer


def test_a_second_text_is_given_only_when_it_is_about_what_was_asked(assistant_servers) -> None:
    answer = Conversation(assistant_servers, LILLE_PAGE_EN).text("how many beds does the university hospital have?")
    assert "8,277" in answer and "21,800" not in answer


def test_a_follow_up_pointing_back_stays_with_the_named_thing_of_the_answer_before(assistant_servers) -> None:
    chat = Conversation(assistant_servers, LILLE_PAGE_EN)
    chat.say("tell me about PRESAGE")
    assert "2,500" in chat.text("what's its surface in m²?").split("\n")[0]
    assert "5,000" in chat.text("and how many learners does it train there each year?").split("\n")[0]


def test_a_programme_detail_keeps_the_sentences_about_what_was_asked(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_EN)
    chat.say("how long do incoming partner clerkships last?")
    answer = chat.text("which year of study do I have to be in?")
    assert "4th" in answer and "not accepted" not in answer and "going abroad" not in answer
    answer = Conversation(assistant_servers, PARIS_PAGE_EN).text(
        "my university isn't a partner of yours, can I still come for a partner clerkship?"
    )
    assert "not accepted" in answer


def test_a_list_summarised_by_country_offers_the_whole_list_in_one_quick_reply(assistant_servers) -> None:
    chat = Conversation(assistant_servers, PARIS_PAGE_FR)
    replies = chat.say("quelles sont toutes les universités partenaires de la fac ?")
    summary = "\n".join(reply.get("text", "") for reply in replies)
    show_all = [button for reply in replies for button in reply.get("buttons") or [] if "listing" in button["payload"]]
    assert "autres pays" in summary and len(show_all) == 1 and show_all[0]["title"].startswith("Voir les ")
    count = int(show_all[0]["title"].removeprefix("Voir les "))
    everything = chat.text(show_all[0]["payload"])
    assert f"{count} universités partenaires" in everything and everything.count("\n- ") == count - 1
    assert "Paris-Saclay" in everything and "Karolinska" in everything


def test_the_schools_own_name_does_not_narrow_its_partner_list(assistant_servers) -> None:
    answer = Conversation(assistant_servers, {"language": "en"}).text("list the partners of Université Paris Cité")
    assert "other countries" in answer and "1 partner university" not in answer


def test_a_university_said_not_to_be_a_partner_gets_what_the_programme_refuses(assistant_servers) -> None:
    answer = Conversation(assistant_servers, PARIS_PAGE_EN).text(
        "we have no partnership with your faculty, can I still apply for a partner clerkship?"
    )
    assert "outside a partnership" in answer and "list no partner" not in answer
