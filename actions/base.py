"""The shared shape of the assistant's actions: read the context, answer from the knowledge kept in memory."""

from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.context import as_previous_question, context_from, names_only, previous_question
from assistant.answers.brevity import shortened
from assistant.answers.common import Context, Reply
from assistant.answers.contacts import answer_contact, office_contacts
from assistant.answers.fallback import apology
from assistant.answers.programmes import answer_programme_website
from assistant.answers.school import answer_by_search, answer_standing_out, answer_text_follow_up
from assistant.answers.study_years import answer_study_year_code
from assistant.answers.subject import answer_about_subject
from assistant.config import PROJECT_ROOT, get_settings
from assistant.queries.names import NameCache
from assistant.queries.search import TextIndexCache
from assistant.queries.snapshot import Snapshot, SnapshotCache
from assistant.wording import LiveWording

logger = logging.getLogger(__name__)

names = NameCache()
texts = TextIndexCache()
knowledge = SnapshotCache()
wording = LiveWording(get_settings().wording_dir, PROJECT_ROOT)


def read_knowledge() -> None:
    """Read the knowledge caches now, or log why they cannot be read yet (each is read again when used)."""
    try:
        for cache in (knowledge, names, texts):
            cache.get()
    except SQLAlchemyError as error:
        logger.warning("The knowledge cannot be read yet (%s): it is read at the first answer", error)


def send(dispatcher: CollectingDispatcher, reply: Reply, language: str) -> None:
    """Send a reply worded in the conversation's language, naming its wording entry and values (kept with the
    conversation)."""
    words = wording.current()
    text = words.render(reply["wording"], language, reply["variables"])
    subject = {"subject": dict(reply["subject"])} if reply.get("subject") else {}
    buttons = [
        {
            "title": words.render(button["title_wording"], language, button.get("title_values") or {})
            if "title_wording" in button
            else button.get("title", ""),
            "payload": button.get("payload", ""),
        }
        for button in reply.get("buttons") or []
    ]
    dispatcher.utter_message(text=text, buttons=buttons, wording=reply["wording"], **reply["variables"], **subject)


def send_all(dispatcher: CollectingDispatcher, replies: list[Reply], language: str) -> None:
    """Send each reply, in order, their optional lines left out when they are too long to read at a glance."""
    words = wording.current()
    for answer in shortened(replies, lambda one: len(words.render(one["wording"], language, one["variables"]))):
        send(dispatcher, answer, language)


def answer_whatever_the_intent(snapshot: Snapshot, context: Context) -> list[Reply]:
    """What a message asks whatever intent the classifier read in it: what a year-of-study code means, who a person
    named is, where (for whom, the website of) the last answer's subject is, a programme's website, a short
    follow-up of an answer from the texts; none when it asks none of these."""
    return (
        answer_study_year_code(snapshot, context, texts.get())
        or (answer_contact(snapshot, context, None, texts.get()) if context.persons else [])
        or answer_about_subject(snapshot, context)
        or answer_programme_website(snapshot, context)
        or answer_text_follow_up(snapshot, context, texts.get())
    )


def language_of(tracker: Tracker) -> str:
    """The conversation's language (the `language` slot)."""
    return tracker.get_slot("language") or "en"


def clear_answer(tracker: Tracker) -> list[Reply] | None:
    """The facts, services, networks or grants that clearly answer the message, whatever its intent: a short
    follow-up of an answer from them first ("il se réunit souvent ?" after ECTSMA); None when nothing clearly
    does (or the database is unavailable: the caller's own reply follows)."""
    try:
        index = names.get()
        snapshot = knowledge.get()
        context = context_from(snapshot, index, tracker)
        return (
            answer_study_year_code(snapshot, context, texts.get())
            or answer_text_follow_up(snapshot, context, texts.get())
            or answer_by_search(snapshot, context, texts.get())
            or None
        )
    except SQLAlchemyError:
        logger.exception("Knowledge database unavailable while looking for a clear answer")
        return None


def subject_answer(tracker: Tracker) -> list[Reply] | None:
    """Where, for whom or the website of what the last answer was about ("le lien ?"), whatever the message's
    intent; None when it does not ask that of one thing (or the database is unavailable)."""
    try:
        snapshot = knowledge.get()
        return answer_about_subject(snapshot, context_from(snapshot, names.get(), tracker)) or None
    except SQLAlchemyError:
        logger.exception("Knowledge database unavailable while answering about the last subject")
        return None


def answer_anyway(tracker: Tracker) -> list[Reply] | None:
    """What the message asks whatever intent was read in it (`answer_whatever_the_intent`); None when it asks none
    of those (or the database is unavailable: the caller's own reply follows)."""
    try:
        snapshot = knowledge.get()
        return answer_whatever_the_intent(snapshot, context_from(snapshot, names.get(), tracker)) or None
    except SQLAlchemyError:
        logger.exception("Knowledge database unavailable while looking for an answer whatever the intent")
        return None


def office_e_mails(tracker: Tracker) -> str | None:
    """The international offices' e-mails for the schools in scope, on one line; None when the database is
    unavailable."""
    try:
        index = names.get()
        snapshot = knowledge.get()
        return office_contacts(snapshot, context_from(snapshot, index, tracker), e_mail_only=True) or None
    except SQLAlchemyError:
        logger.exception("Knowledge database unavailable while looking for the offices' e-mails")
        return None


def standing_out_answer(tracker: Tracker) -> list[Reply] | None:
    """A short follow-up of an answer from the texts, answered from them; else the one text that plainly answers
    the message, whatever its intent; None when neither (or the database is unavailable: the caller's own reply
    follows)."""
    try:
        index = names.get()
        snapshot = knowledge.get()
        context = context_from(snapshot, index, tracker)
        found = (
            answer_study_year_code(snapshot, context, texts.get())
            or answer_programme_website(snapshot, context)
            or answer_text_follow_up(snapshot, context, texts.get())
        )
        return found or answer_standing_out(snapshot, context, texts.get()) or None
    except SQLAlchemyError:
        logger.exception("Knowledge database unavailable while looking for a standing-out answer")
        return None


class KnowledgeAction(Action, metaclass=ABCMeta):
    """An action that answers from the knowledge database, and apologises with a contact if it cannot."""

    # Slots emptied once the answer is given (for example the answers to a finished form).
    resets: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        """The replies for this question."""

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[dict[str, Any]]:
        from actions.follow_up import ANSWERS

        answers_a_question = type(self) in ANSWERS.values()  # not the eligibility form's own questions
        if names_only(tracker):
            # "and in Lille?" asks the previous question again, whatever the classifier read in those two words.
            asked_before = ANSWERS.get(previous_question(tracker) or "")
            if answers_a_question and asked_before is not None and asked_before is not type(self):
                return await asked_before().run(dispatcher, tracker, domain)
            tracker = as_previous_question(tracker)
        try:
            index = names.get()
            snapshot = knowledge.get()
            context = context_from(snapshot, index, tracker)
            replies = (answer_whatever_the_intent(snapshot, context) if answers_a_question else []) or self.answer(
                snapshot, context
            )
            if answers_a_question and [reply["wording"] for reply in replies] == ["no_information"]:
                # Nothing of the kind the classifier read ("Eurasante à Lille, c'est quoi ?" taken for the city):
                # a text of another kind that clearly answers it comes before "the documents don't say".
                replies = answer_by_search(snapshot, context, texts.get(), covering=True) or replies
        except SQLAlchemyError:
            logger.exception("Knowledge database unavailable in %s", self.name())
            dispatcher.utter_message(text=apology(language_of(tracker)))
            return []
        send_all(dispatcher, replies, context.language)
        return [SlotSet(slot, None) for slot in self.resets]
