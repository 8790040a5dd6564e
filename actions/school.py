"""Actions about the schools: facts and figures, the city, services, networks, grants, statistics."""

from __future__ import annotations

from actions import base
from actions.base import KnowledgeAction
from assistant.answers import school
from assistant.answers.common import Context, Reply
from assistant.answers.programmes import answer_programme_detail, programmes_in_question
from assistant.queries.snapshot import Snapshot


class ActionAnswerSchoolFacts(KnowledgeAction):
    """Figures, history, facilities and research of a school."""

    def name(self) -> str:
        return "action_answer_school_facts"

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        return school.answer_school_facts(snapshot, context, base.texts.get())


class ActionAnswerCity(KnowledgeAction):
    """Life in the city."""

    def name(self) -> str:
        return "action_answer_city"

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        return school.answer_city(snapshot, context, base.texts.get())


class ActionAnswerServices(KnowledgeAction):
    """Services for international students."""

    def name(self) -> str:
        return "action_answer_services"

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        return school.answer_services(snapshot, context, base.texts.get())


class ActionAnswerNetworks(KnowledgeAction):
    """Networks and alliances."""

    def name(self) -> str:
        return "action_answer_networks"

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        return school.answer_networks(snapshot, context, base.texts.get())


class ActionAnswerGrants(KnowledgeAction):
    """Mobility grants."""

    def name(self) -> str:
        return "action_answer_grants"

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        return school.answer_grants(snapshot, context, base.texts.get())


class ActionAnswerStatistics(KnowledgeAction):
    """Yearly mobility figures; a figure about a programme (or a kind of programme) the statistics do not count
    ("how many places in the summer school?") is answered from that programme, with its contact."""

    def name(self) -> str:
        return "action_answer_statistics"

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        named = programmes_in_question(snapshot, context) if context.programmes else []
        if named and not any(programme.kind in school.counted_kinds(snapshot) for programme in named):
            return answer_programme_detail(snapshot, context, "ask_programme_info", base.texts.get())
        return school.answer_statistics(snapshot, context, base.texts.get())
