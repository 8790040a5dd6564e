"""Actions about contacts, office hours and handing over to a person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from sqlalchemy.orm import Session

from actions import base
from actions.base import KnowledgeAction
from assistant.answers.common import Context, Reply
from assistant.answers.contacts import answer_contact, answer_handoff, answer_office_hours
from assistant.answers.programmes import topic_of


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class ActionAnswerContact(KnowledgeAction):
    """The contact for the topic in question."""

    def name(self) -> str:
        return "action_answer_contact"

    def answer(self, session: Session, context: Context) -> list[Reply]:
        return answer_contact(session, context, topic_of(session, context), base.texts.get())


class ActionAnswerOfficeHours(KnowledgeAction):
    """When the office in question is open."""

    def name(self) -> str:
        return "action_answer_office_hours"

    def answer(self, session: Session, context: Context) -> list[Reply]:
        return answer_office_hours(session, context, topic_of(session, context))


class ActionHandoff(KnowledgeAction):
    """A person to talk to: phone and e-mail in office hours, else the e-mail and when the office reopens."""

    clock: ClassVar[Callable[[], dt.datetime]] = staticmethod(utc_now)

    def name(self) -> str:
        return "action_handoff"

    def answer(self, session: Session, context: Context) -> list[Reply]:
        return answer_handoff(session, context, topic_of(session, context), type(self).clock())
