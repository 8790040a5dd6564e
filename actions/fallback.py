"""What to do when the assistant is not sure what the student asked."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher

from actions import base
from actions.contacts import ActionAnswerContact
from actions.context import (
    as_previous_question,
    asks_about_last_subject,
    asks_the_same_kind_again,
    continues_previous_question,
    entity_kinds,
    entity_values,
    previous_question,
    refers_back,
)
from assistant.answers.common import Button, reply
from assistant.answers.programmes import DETAILS as PROGRAMME_DETAILS
from assistant.answers.subject import asks_about_subject
from assistant.queries.names import OTHER_KINDS, PERSON
from assistant.wording import Wording
from assistant.wording_keys import TOPIC_PREFIX, WORDING_KEYS

SUGGESTED = 2
# Names only the assistant's subject has: a message holding one is about international study at the schools.
IN_SCOPE_NAMES = frozenset(["programme", "partner"])
# Names that, in a message the classifier is unsure of, make it a follow-up of the previous question.
FOLLOWED_NAMES = frozenset(["country", "city", "region", "partner", "institution"])
# Names that, in a message the classifier is unsure of, are what it asks about ("is there a partner uni in madrid").
PLACES = frozenset(["country", "city", "region"])
# An unsure message naming a programme asks the programme question ranked first with at least this confidence;
# one naming a partner is about that partner unless another question is ranked with it.
NAMED_QUESTION_CONFIDENCE = 0.15
# A follow-up keeps the previous question unless the classifier reads another one with at least this confidence.
ANOTHER_QUESTION_CONFIDENCE = 0.3
# Entities found by the gazetteer travel with the suggestion, so the chosen topic is answered for them.
CARRIED_ENTITIES = ("programme", "partner", "country", "city", "region", "institution", "study_year")


def topic_label(wording: Wording, intent: str, language: str) -> str | None:
    """The name of an intent's topic on a button ("topic_ask_fees"), in the student's language; None if it has none."""
    key = TOPIC_PREFIX + intent
    return wording.text(key, language) if key in WORDING_KEYS else None


class ActionSuggestTopics(Action):
    """Offers the two likeliest topics as buttons, and a way to reach a person."""

    def name(self) -> str:
        return "action_suggest_topics"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        language = base.language_of(tracker)
        # Imported here: the follow-up action offers these topics itself when it has nothing to follow.
        from actions.follow_up import ANSWERS, ActionAnswerFollowUp

        if PERSON in entity_kinds(tracker):
            # "Didier Gosset?", "what does Magdalena van Eeckhout do": that person's role and contact.
            return await ActionAnswerContact().run(dispatcher, tracker, domain)

        follows = bool(entity_kinds(tracker) & FOLLOWED_NAMES) or (refers_back(tracker) and bool(entity_kinds(tracker)))
        if follows and previous_question(tracker):
            # "which one is in Rome?" after a list of partners, "laquelle pour les stages ?": the previous
            # question, for what is named now.
            return await ActionAnswerFollowUp().run(dispatcher, tracker, domain)
        about_subject = (
            base.subject_answer(tracker) if asks_about_subject(tracker.latest_message.get("text") or "") else None
        )
        if about_subject:
            # "le lien ?" after the AI summer school's dates: its website.
            base.send_all(dispatcher, about_subject, language)
            return []
        if asks_about_last_subject(tracker):
            return await answer_likeliest_question(dispatcher, tracker, domain)
        if continues_previous_question(tracker):
            return await answer_continued_question(dispatcher, tracker, domain)
        likeliest = likeliest_question(tracker)
        if likeliest is not None and asks_the_same_kind_again(tracker, likeliest):
            return await ANSWERS[likeliest]().run(dispatcher, tracker, domain)
        about_named = question_about_what_it_names(tracker)
        if about_named is not None:
            return await about_named.run(dispatcher, tracker, domain)
        if unsure_if_out_of_scope(tracker):
            # "What's the weather like in Paris tomorrow?" ranked a hair above out of scope is out of scope.
            return await ActionOutOfScope().run(dispatcher, tracker, domain)
        if follows and names_a_place(tracker):
            # With no question before, "is there a partner uni in madrid" asks for the partners there.
            return await ActionAnswerFollowUp().run(dispatcher, tracker, domain)
        return answer_clearly_or_suggest(dispatcher, tracker, language)


def question_about_what_it_names(tracker: Tracker) -> Action | None:
    """For an unsure message naming one partner or programme: "where's UT Southwestern?" is that partner's
    answer (its city, its programmes); "6th year, c'est ok ?" about a programme is the programme question the
    classifier ranks first, when it ranks one clearly enough. None otherwise."""
    from actions.follow_up import ANSWERS

    kinds = entity_kinds(tracker)
    clear = [
        str(item["name"])
        for item in tracker.latest_message.get("intent_ranking") or []
        if item.get("name") in ANSWERS and (item.get("confidence") or 0.0) >= NAMED_QUESTION_CONFIDENCE
    ]
    if "programme" in kinds:
        asked = next((intent for intent in clear if intent in PROGRAMME_DETAILS), None)
        return ANSWERS[asked]() if asked else None
    partner_questions = {"ask_is_partner", "ask_partners"}
    if kinds == {"partner"} and len(entity_values(tracker, "partner")) == 1 and set(clear) <= partner_questions:
        # Unless another question is clearly read in it: "exchange money Karolinska?" may be about grants.
        return ANSWERS["ask_is_partner"]()
    return None


def unsure_if_out_of_scope(tracker: Tracker) -> bool:
    """Whether out of scope is one of the two readings the classifier hesitates between."""
    ranking = [
        item.get("name")
        for item in tracker.latest_message.get("intent_ranking") or []
        if item.get("name") != "nlu_fallback"
    ]
    return "out_of_scope" in ranking[:2]


def names_a_place(tracker: Tracker) -> bool:
    """Whether the message names a country, city or region (a partner named by its city counts: "Madrid"; a school
    named by its city does not: "lille med school website")."""
    return any(
        item.get("entity") in PLACES or (item.get("entity") == "partner" and "city" in (item.get(OTHER_KINDS) or ()))
        for item in tracker.latest_message.get("entities") or []
    )


def likeliest_question(tracker: Tracker) -> str | None:
    """The question intent the classifier ranks first for the message, if any."""
    from actions.follow_up import ANSWERS

    ranking = tracker.latest_message.get("intent_ranking") or []
    return next((str(item["name"]) for item in ranking if item.get("name") in ANSWERS), None)


async def answer_likeliest_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[dict[str, Any]]:
    """The message answered as the likeliest question the classifier ranks, about what the conversation is about;
    the topics offered when it ranks none."""
    from actions.follow_up import ANSWERS

    for item in tracker.latest_message.get("intent_ranking") or []:
        if item.get("name") in ANSWERS:
            return await ANSWERS[item["name"]]().run(dispatcher, tracker, domain)
    return answer_clearly_or_suggest(dispatcher, tracker, base.language_of(tracker))


async def answer_continued_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[dict[str, Any]]:
    """ "and the year before?", "et la surface ?": the previous question asked again with what the message changes,
    unless the classifier plainly reads another question in it ("and where is the office?" after the hours)."""
    from actions.follow_up import ANSWERS

    ranked = [item for item in tracker.latest_message.get("intent_ranking") or [] if item.get("name") in ANSWERS]
    previous = previous_question(tracker)
    if (ranked and (ranked[0].get("confidence") or 0.0) >= ANOTHER_QUESTION_CONFIDENCE) or previous not in ANSWERS:
        intent = ranked[0]["name"] if ranked else None
    else:
        intent = previous
    if intent is None:
        return answer_clearly_or_suggest(dispatcher, tracker, base.language_of(tracker))
    return await ANSWERS[intent]().run(dispatcher, as_previous_question(tracker), domain)


def answer_clearly_or_suggest(
    dispatcher: CollectingDispatcher, tracker: Tracker, language: str
) -> list[dict[str, Any]]:
    """The texts of the documents that clearly answer the message ("PRESAGE?"), else its likely topics."""
    found = base.clear_answer(tracker)
    if not found:
        return suggest_topics(dispatcher, tracker, language)
    base.send_all(dispatcher, found, language)
    return []


def suggest_topics(dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> list[dict[str, Any]]:
    """The two likeliest topics as buttons, carrying the names the message holds, and a way to reach a person."""
    wording = base.wording.current()
    ranking = [item["name"] for item in tracker.latest_message.get("intent_ranking") or []]
    entities = {
        item["entity"]: item["value"]
        for item in tracker.latest_message.get("entities") or []
        if item.get("entity") in CARRIED_ENTITIES
    }
    suffix = json.dumps(entities, ensure_ascii=False) if entities else ""
    buttons: list[Button] = []
    for intent in ranking:
        label = topic_label(wording, intent, language)
        if label:
            buttons.append({"title": label, "payload": f"/{intent}{suffix}"})
        if len(buttons) == SUGGESTED:
            break
    if not buttons:
        base.send(dispatcher, reply("default"), language)
        return []
    buttons.append({"title": topic_label(wording, "human_handoff", language) or "…", "payload": "/human_handoff"})
    contact = base.office_e_mails(tracker)
    did_you_mean = reply("did_you_mean_or_write", contact=contact) if contact else reply("did_you_mean")
    did_you_mean["buttons"] = buttons
    base.send(dispatcher, did_you_mean, language)
    return []


class ActionOutOfScope(Action):
    """Says what the assistant answers; but a message naming one of the documents' programmes or partners is not
    out of scope: it is answered when one of their texts clearly does, else its likely topics are offered; nor
    is one that a text of the documents plainly answers ("what happened in 1951?")."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        language = base.language_of(tracker)
        if PERSON in entity_kinds(tracker):
            return await ActionAnswerContact().run(dispatcher, tracker, domain)
        if entity_kinds(tracker) & IN_SCOPE_NAMES:
            return answer_clearly_or_suggest(dispatcher, tracker, language)
        found = base.standing_out_answer(tracker)
        if found:
            base.send_all(dispatcher, found, language)
            return []
        if asks_about_last_subject(tracker):
            # "Which country is it in?" after the Aarhus programme is about it, not another subject.
            return await answer_likeliest_question(dispatcher, tracker, domain)
        base.send(dispatcher, reply("out_of_scope"), language)
        return []


class ActionDefaultFallback(Action):
    """Rasa's fallback when no rule or story says what to do next: as Rasa's own, it says it did not understand and
    forgets the message, but in the words of data/wording/ (a response only an action sends has no place in the
    domain: Rasa's validator warns about it)."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        base.send(dispatcher, reply("default"), base.language_of(tracker))
        return [UserUtteranceReverted()]
