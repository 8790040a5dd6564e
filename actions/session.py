"""The start of a conversation session: the page's language is the conversation's until the student shows theirs."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.nlu.language import SUPPORTED


class ActionSessionStart(Action):
    """As Rasa's own session start (slots carried over, then listening), and the `language` slot set from the page's
    metadata when the conversation has none yet: a first message too short to tell ("ok") is answered in the page's
    language, and later short ones in the conversation's."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        carry_over = (domain.get("session_config") or {}).get("carry_over_slots_to_new_session", True)
        carried = [
            SlotSet(name, value)
            for name, value in tracker.slots.items()
            if carry_over and value is not None and name != "session_started_metadata"
        ]
        metadata = tracker.get_slot("session_started_metadata") or {}
        page_language = metadata.get("language") if isinstance(metadata, dict) else None
        language = (
            []
            if tracker.get_slot("language") or page_language not in SUPPORTED
            else [SlotSet("language", page_language)]
        )
        return [SessionStarted(), *carried, *language, ActionExecuted("action_listen")]
