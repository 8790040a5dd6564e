"""Actions answering one detail of a programme: what it is, eligibility, application, dates, duration, fees,
language, credits."""

from __future__ import annotations

from abc import abstractmethod

from actions import base
from actions.base import KnowledgeAction
from assistant.answers.common import Context, Reply
from assistant.answers.programmes import answer_programme_detail
from assistant.queries.snapshot import Snapshot


class ProgrammeDetailAction(KnowledgeAction):
    """Answers the detail its intent asks for, for the programme in question."""

    @property
    @abstractmethod
    def intent(self) -> str:
        """The intent this action answers."""

    def name(self) -> str:
        return "action_answer_" + self.intent.removeprefix("ask_")

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        return answer_programme_detail(snapshot, context, self.intent, base.texts.get())


class ActionAnswerProgrammeInfo(ProgrammeDetailAction):
    """What a programme is."""

    intent = "ask_programme_info"


class ActionAnswerEligibility(ProgrammeDetailAction):
    """Who may apply to a programme."""

    intent = "ask_eligibility"


class ActionAnswerHowToApply(ProgrammeDetailAction):
    """How and where to apply."""

    intent = "ask_how_to_apply"


class ActionAnswerDates(ProgrammeDetailAction):
    """Dates, deadlines and when applications open."""

    intent = "ask_dates"


class ActionAnswerDuration(ProgrammeDetailAction):
    """How long a programme lasts."""

    intent = "ask_duration"


class ActionAnswerFees(ProgrammeDetailAction):
    """What a programme costs."""

    intent = "ask_fees"


class ActionAnswerLanguages(ProgrammeDetailAction):
    """The language a programme is taught in."""

    intent = "ask_languages"


class ActionAnswerCredits(ProgrammeDetailAction):
    """Credits and certificates."""

    intent = "ask_credits"
