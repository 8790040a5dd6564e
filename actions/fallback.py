"""What to do when the assistant is not sure what the student asked."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

TOPIC_RESPONSE_PREFIX = "utter_topic_"
SUGGESTED = 2
# Entities found by the gazetteer travel with the suggestion, so the chosen topic is answered for them.
CARRIED_ENTITIES = ("programme", "partner", "country", "city", "region", "institution", "study_year")


def topic_label(domain: Dict[Text, Any], intent: Text, language: Text) -> str | None:
    """The domain's label for an intent ("utter_topic_ask_fees"), in the student's language."""
    variants = domain.get("responses", {}).get(TOPIC_RESPONSE_PREFIX + intent) or []
    for variant in variants:
        conditions = variant.get("condition") or []
        if any(condition.get("value") == language for condition in conditions):
            return variant.get("text")
    return next((variant.get("text") for variant in variants if not variant.get("condition")), None)


class ActionSuggestTopics(Action):
    """Offers the two likeliest topics as buttons, and a way to reach a person."""

    def name(self) -> Text:
        return "action_suggest_topics"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[Text, Any],
    ) -> List[Dict[Text, Any]]:
        language = tracker.get_slot("language") or "en"
        ranking = [item["name"] for item in tracker.latest_message.get("intent_ranking") or []]
        entities = {
            item["entity"]: item["value"]
            for item in tracker.latest_message.get("entities") or []
            if item.get("entity") in CARRIED_ENTITIES
        }
        suffix = json.dumps(entities, ensure_ascii=False) if entities else ""
        buttons = []
        for intent in ranking:
            label = topic_label(domain, intent, language)
            if label:
                buttons.append({"title": label, "payload": f"/{intent}{suffix}"})
            if len(buttons) == SUGGESTED:
                break
        if not buttons:
            dispatcher.utter_message(response="utter_default")
            return []
        buttons.append({"title": topic_label(domain, "human_handoff", language) or "…", "payload": "/human_handoff"})
        dispatcher.utter_message(response="utter_did_you_mean", buttons=buttons)
        return []
