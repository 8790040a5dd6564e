"""Actions about contacts, office hours and handing over to a person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from actions import base
from actions.base import KnowledgeAction
from assistant.answers.common import Context, Reply
from assistant.answers.contacts import answer_contact, answer_handoff, answer_office_hours
from assistant.answers.programmes import topic_of
from assistant.queries.snapshot import Snapshot


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class ActionAnswerContact(KnowledgeAction):
    """The contact for the topic in question."""

    def name(self) -> str:
        return "action_answer_contact"

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        return answer_contact(snapshot, context, topic_of(snapshot, context), base.texts.get())


class ActionAnswerOfficeHours(KnowledgeAction):
    """When the office in question is open."""

    def name(self) -> str:
        return "action_answer_office_hours"

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        return answer_office_hours(snapshot, context, topic_of(snapshot, context), base.texts.get())


class ActionHandoff(KnowledgeAction):
    """A person to talk to: phone and e-mail in office hours, else the e-mail and when the office reopens."""

    clock: ClassVar[Callable[[], dt.datetime]] = staticmethod(utc_now)

    def name(self) -> str:
        return "action_handoff"

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        return answer_handoff(snapshot, context, topic_of(snapshot, context), type(self).clock())
