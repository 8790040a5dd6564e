"""Short follow-ups: "and in Sweden?", "what about Lille?", "the second one"."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.contacts import ActionAnswerContact, ActionAnswerOfficeHours
from actions.context import as_previous_question, entity_kinds, names_only, previous_question
from actions.fallback import ActionSuggestTopics
from actions.partners import ActionCheckPartner, ActionListPartners
from actions.programmes import (
    ActionAnswerCredits,
    ActionAnswerDates,
    ActionAnswerDuration,
    ActionAnswerEligibility,
    ActionAnswerFees,
    ActionAnswerHowToApply,
    ActionAnswerLanguages,
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
from assistant.text import normalise

# The action that answers each question intent (as in data/rules/).
ANSWERS: dict[str, type[Action]] = {
    "ask_partners": ActionListPartners,
    "ask_is_partner": ActionCheckPartner,
    "ask_programme_info": ActionAnswerProgrammeInfo,
    "ask_eligibility": ActionAnswerEligibility,
    "ask_how_to_apply": ActionAnswerHowToApply,
    "ask_dates": ActionAnswerDates,
    "ask_duration": ActionAnswerDuration,
    "ask_fees": ActionAnswerFees,
    "ask_languages": ActionAnswerLanguages,
    "ask_credits": ActionAnswerCredits,
    "ask_contact": ActionAnswerContact,
    "ask_office_hours": ActionAnswerOfficeHours,
    "ask_school_facts": ActionAnswerSchoolFacts,
    "ask_city": ActionAnswerCity,
    "ask_services": ActionAnswerServices,
    "ask_networks": ActionAnswerNetworks,
    "ask_grants": ActionAnswerGrants,
    "ask_statistics": ActionAnswerStatistics,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "premier": 1, "premiere": 1, "deuxieme": 2, "seconde": 2, "troisieme": 3, "quatrieme": 4,
    "cinquieme": 5, "sixieme": 6, "septieme": 7, "huitieme": 8, "last": -1, "dernier": -1, "derniere": -1,
}  # fmt: skip
# Questions whose answer does not depend on a country or city: a message naming one is not their follow-up.
WITHOUT_PLACES = frozenset(["ask_school_facts", "ask_services", "ask_networks", "ask_contact", "ask_office_hours"])
NUMBER = re.compile(r"\b([1-8])\b")
PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<entities>\{.*\})?$")

# "No, I meant outgoing": a correction of the previous question, not an answer to it.
MEANT = re.compile(r"\b(?:i meant|i mean|meant|je voulais dire|je veux dire|je parlais d|je parlais des)\b")


def ordinal_from(text: str) -> int | None:
    """1 for "the first one" / "le premier" / "1", -1 for "the last one"."""
    words = normalise(text).split()
    for word in words:
        if word in ORDINALS:
            return ORDINALS[word]
    number = NUMBER.search(normalise(text))
    return int(number.group(1)) if number else None


def last_buttons(tracker: Tracker) -> list[dict[str, Any]]:
    """The buttons the assistant offered since the student's previous message."""
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                break
        elif event.get("event") == "bot" and (event.get("data") or {}).get("buttons"):
            return event["data"]["buttons"]
    return []


class ActionAnswerFollowUp(Action):
    """Answers a short follow-up as the previous question, with what the student now names.

    It runs the answering action itself (rather than a FollowupAction), so the
    dialogue goes straight back to listening.
    """

    def name(self) -> str:
        return "action_answer_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        chosen = _chosen_button(tracker)
        if chosen is not None:
            intent, entities = chosen
            events: list[dict[str, Any]] = []
            tracker = copy.deepcopy(tracker)
            tracker.latest_message["entities"] = [
                *(tracker.latest_message.get("entities") or []),
                *({"entity": entity, "value": value} for entity, value in entities.items()),
            ]
            if "programme" in entities:
                tracker.slots["programme"] = entities["programme"]
                events.append(SlotSet("programme", entities["programme"]))
            return events + await ANSWERS[intent]().run(dispatcher, tracker, domain)
        names = entity_kinds(tracker)
        previous = previous_question(tracker)
        if previous in WITHOUT_PLACES and names & {"country", "city", "region"} and not names_only(tracker):
            # "exchange programmes with the USA?" after "when was the school founded?" asks for partners there.
            answer: Action = ActionListPartners()
        elif previous and names:
            answer = ANSWERS[previous]()
            tracker = as_previous_question(tracker)
        elif "partner" in names:
            answer = ActionCheckPartner()
        elif names & {"country", "city", "region"}:
            answer = ActionListPartners()
        elif "programme" in names:
            answer = ActionAnswerProgrammeInfo()
        else:
            answer = ActionSuggestTopics()
        return await answer.run(dispatcher, tracker, domain)


class ActionAnswerCorrection(Action):
    """ "No" ends the topic; but "no, I meant the summer programme in Aarhus" or "no wait, I meant outgoing" asks
    the previous question again, about what it names."""

    def name(self) -> str:
        return "action_answer_correction"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        previous = previous_question(tracker)
        if entity_kinds(tracker) and previous:
            return await ActionAnswerFollowUp().run(dispatcher, tracker, domain)
        if previous and MEANT.search(normalise(tracker.latest_message.get("text") or "")):
            return await ANSWERS[previous]().run(dispatcher, as_previous_question(tracker), domain)
        dispatcher.utter_message(response="utter_anything_else")
        return []


def _chosen_button(tracker: Tracker) -> tuple[str, dict[str, Any]] | None:
    """The intent and entities of the button the student picked by its rank ("the second one")."""
    ordinal = ordinal_from(tracker.latest_message.get("text") or "")
    buttons = last_buttons(tracker)
    if ordinal is None or not buttons:
        return None
    index = ordinal - 1 if ordinal > 0 else ordinal
    if not -len(buttons) <= index < len(buttons):
        return None
    match = PAYLOAD.match(buttons[index].get("payload") or "")
    if not match or match.group("intent") not in ANSWERS:
        return None
    return match.group("intent"), json.loads(match.group("entities") or "{}")
