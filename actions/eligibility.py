"""The eligibility check form: which programme, which year, which home university; then the verdict."""

from __future__ import annotations

import re
from abc import abstractmethod
from dataclasses import replace
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import base
from actions.base import KnowledgeAction
from actions.context import context_from, entity_values
from actions.follow_up import ANSWERS, ActionAnswerFollowUp
from actions.partners import ActionCheckPartner
from assistant.answers.common import Button, Context, Reply, reply
from assistant.answers.eligibility import (
    HomeUniversity,
    eligibility_verdict,
    home_university_from,
    home_university_said,
    in_students_direction,
    study_year_from,
)
from assistant.answers.programmes import (
    answer_programme_detail,
    programme_buttons,
    programmes_in_question,
    programmes_refusing_request,
    programmes_to_check,
)
from assistant.queries.catalogue import is_known_programme
from assistant.queries.snapshot import Snapshot
from assistant.text import normalise

MAX_ANSWER_LENGTH = 200
PLACE_ENTITIES = ("country", "city", "region")
# "oui", "no": answers that name no university; the form asks its question again.
NOT_A_NAME = ("affirm", "deny")
QUESTION_START = re.compile(
    r"(and|what about|how about|any|is|are|do you|does|et|quid|y a t il|il y a|est ce|c est|vous avez|avez vous)\b"
)
# Words a question holds and a university's name or a year of study does not ("ok and how would I apply?").
QUESTION_WORD = re.compile(
    r"\b(what|how|when|where|why|which|who|whom|comment|quand|pourquoi|combien|quel|quelle|quels|quelles|quoi)\b"
)


class ValidateEligibilityForm(FormValidationAction):
    """Checks each answer of the eligibility form, asking again when it cannot be understood."""

    def name(self) -> str:
        return "validate_eligibility_form"

    async def extract_eligibility_programme(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The programme named when the check starts or when the form asks for it; a question asked
        in the middle of the form ("how much is the summer school?") does not change it."""
        if tracker.get_slot("eligibility_programme"):
            return {}
        starting = tracker.get_intent_of_latest_message() == "check_eligibility"
        asked = tracker.get_slot("requested_slot") == "eligibility_programme"
        if starting:
            snapshot = base.knowledge.get()
            refusing = programmes_refusing_request(snapshot, context_from(snapshot, base.names.get(), tracker))
            if refusing:
                # "Can I do an Erasmus traineeship in Paris?" is checked against the programme that refuses it.
                return {"eligibility_programme": refusing[0].id}
        named = entity_values(tracker, "programme")
        if named and (starting or asked):
            return {"eligibility_programme": named[0]}
        if starting and tracker.get_slot("programme"):
            return {"eligibility_programme": tracker.get_slot("programme")}
        return {}

    async def extract_home_university(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The home university said when the check starts ("I'm a 5th-year student at McGill, can I apply?")."""
        if tracker.get_slot("home_university") or tracker.get_intent_of_latest_message() != "check_eligibility":
            return {}
        said = home_university_said(
            tracker.latest_message.get("text") or "", tracker.latest_message.get("entities") or []
        )
        return {"home_university": said} if said else {}

    async def validate_eligibility_programme(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Keeps a programme, or a kind of programme, only if the school in question offers it:
        "a clerkship in Lille" names a kind Lille does not have, so the form asks which programme instead."""
        value = str(value)
        snapshot = base.knowledge.get()
        offered = is_known_programme(snapshot, value) and bool(
            programmes_in_question(
                snapshot, replace(context_from(snapshot, base.names.get(), tracker), programmes=[value])
            )
        )
        return {"eligibility_programme": value if offered else None}

    async def validate_study_year(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        year = study_year_from(str(value)[:MAX_ANSWER_LENGTH], base.names.get())
        if year is None and await _answer_question_asked_instead(dispatcher, tracker, domain):
            return {"study_year": None}
        if year is None or not 1 <= year <= 11:
            base.send(dispatcher, reply("study_year_not_understood"), base.language_of(tracker))
            return {"study_year": None}
        return {"study_year": str(year)}

    async def validate_home_university(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value).strip()[:MAX_ANSWER_LENGTH]
        if tracker.get_intent_of_latest_message() in NOT_A_NAME:
            return {"home_university": None}
        # "Universidad de Chile" and "Karolinska" name a place or a partner too, but do not start like a question.
        asks = QUESTION_START.match(normalise(text)) or QUESTION_WORD.search(normalise(text))
        if asks and await _answer_question_asked_instead(dispatcher, tracker, domain):
            return {"home_university": None}
        return {"home_university": text or None}


async def _answer_question_asked_instead(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> bool:
    """Answers a question asked instead of the form's ("and in Japan?", "is Charité a partner?", "what about an
    Erasmus Traineeship?"), so that the form asks its question again; False if the message is not one."""
    if entity_values(tracker, "partner") and tracker.get_intent_of_latest_message() == "ask_is_partner":
        await ActionCheckPartner().run(dispatcher, tracker, domain)
        return True
    if any(entity_values(tracker, kind) for kind in PLACE_ENTITIES):
        await ActionAnswerFollowUp().run(dispatcher, tracker, domain)
        return True
    text = (tracker.latest_message.get("text") or "").strip()
    if entity_values(tracker, "programme") and (text.endswith("?") or QUESTION_START.match(normalise(text))):
        # "What about an Erasmus Traineeship?" asks the question before it of that programme.
        await ActionAnswerFollowUp().run(dispatcher, tracker, domain)
        return True
    if QUESTION_WORD.search(normalise(text)):
        # "How would I apply next year?", "what does DFGSM3 mean?": not a name but a question, answered as the
        # likeliest of the assistant's questions the classifier ranks (the check itself is ranked first, often).
        for item in tracker.latest_message.get("intent_ranking") or []:
            if item.get("name") in ANSWERS:
                await ANSWERS[str(item["name"])]().run(dispatcher, tracker, domain)
                return True
    return False


# Each form question, and how it is put when it was the assistant's last message already.
ASKED_AGAIN = {
    "ask_eligibility_programme": "ask_eligibility_programme_again",
    "ask_study_year": "ask_study_year_again",
    "ask_home_university": "ask_home_university_again",
}


def form_question(context: Context, question: str) -> Reply:
    """The form's question; asked again right after itself, what it still needs and a button to leave the check."""
    if context.previous_wording not in (question, ASKED_AGAIN[question]):
        return reply(question)
    again = reply(ASKED_AGAIN[question])
    stop = base.wording.current().text("button_stop_check", context.language)
    again["buttons"] = [Button(title=stop, payload="/stop")]
    return again


class ActionAskEligibilityProgramme(KnowledgeAction):
    """Asks which programme to check, offering the school's programmes as buttons."""

    def name(self) -> str:
        return "action_ask_eligibility_programme"

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        programmes = programmes_to_check(snapshot, context)
        question = form_question(context, "ask_eligibility_programme")
        question["buttons"] = [
            *programme_buttons(snapshot, context, "inform", programmes),
            *question.get("buttons", []),
        ]
        return [question]


class ActionEligibilityVerdict(KnowledgeAction):
    """Gives the verdict of the eligibility check, quoting the rules it applied."""

    resets = ("eligibility_programme", "study_year", "home_university")

    def name(self) -> str:
        return "action_eligibility_verdict"

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        study_year = context.study_year
        year = int(study_year) if study_year is not None and study_year.isdigit() else None
        checked, home = checked_context(snapshot, context)
        return eligibility_verdict(snapshot, checked, year, home)


def checked_context(snapshot: Snapshot, context: Context) -> tuple[Context, HomeUniversity | None]:
    """The context of the programme being checked, and where the student studies when they said it: that is
    where they come from, not a partner to narrow the programmes by, and the programmes checked are those going
    their way ("je suis en 4e année à l'UIASS, je peux venir faire un stage ?": the clerkship for coming)."""
    home = (
        home_university_from(context.home_university, base.names.get(), snapshot) if context.home_university else None
    )
    checked = replace(
        context,
        programmes=[context.eligibility_programme] if context.eligibility_programme else [],
        partners=[partner for partner in context.partners if home is None or partner != home.partner],
    )
    if home is not None and checked.programmes:
        going_their_way = in_students_direction(snapshot, programmes_in_question(snapshot, checked), home)
        checked = replace(checked, programmes=[programme.id for programme in going_their_way])
    return checked, home


class FormQuestion(KnowledgeAction):
    """Asks one question of the eligibility form; on the first one, quotes the programme's rule first."""

    @property
    @abstractmethod
    def question(self) -> str:
        """The wording entry that asks the question."""

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        rule: list[Reply] = []
        if context.intent == "check_eligibility" and context.eligibility_programme:
            checked, _ = checked_context(snapshot, context)
            rule = [
                found
                for found in answer_programme_detail(snapshot, checked, "ask_eligibility")
                if found["wording"] in ("programme_detail", "programme_details")
            ]
        return [*rule, form_question(context, self.question)]


class ActionAskStudyYear(FormQuestion):
    """Asks the year of study."""

    question = "ask_study_year"

    def name(self) -> str:
        return "action_ask_study_year"


class ActionAskHomeUniversity(FormQuestion):
    """Asks the home university."""

    question = "ask_home_university"

    def name(self) -> str:
        return "action_ask_home_university"
