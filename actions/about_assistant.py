"""Questions about the assistant itself ("who are you?", "what can you do?"), unless the few words the classifier
read that way ask about someone or something named ("c'est qui Vincent Sobanski ?", "which one is in English?")."""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import base


class AboutTheAssistant(Action, metaclass=ABCMeta):
    """Sends `response`, unless the message asks a question any answer would take (`answer_whatever_the_intent`)."""

    response = ""

    @abstractmethod
    def name(self) -> str:
        """The action's name in the domain."""

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        replies = base.answer_anyway(tracker)
        if replies:
            base.send_all(dispatcher, replies, base.language_of(tracker))
        else:
            dispatcher.utter_message(response=self.response)
        return []


class ActionAnswerBotChallenge(AboutTheAssistant):
    """Says that it is an automated assistant answering from the schools' brochures."""

    response = "utter_bot_challenge"

    def name(self) -> str:
        return "action_answer_bot_challenge"


class ActionAnswerCapabilities(AboutTheAssistant):
    """Says what the assistant can answer."""

    response = "utter_capabilities"

    def name(self) -> str:
        return "action_answer_capabilities"
