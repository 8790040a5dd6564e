"""Actions about partner universities."""

from __future__ import annotations

from sqlalchemy.orm import Session

from actions import base
from actions.base import KnowledgeAction
from assistant.answers.common import Context, Reply
from assistant.answers.partners import answer_is_partner, answer_partner_list


class ActionListPartners(KnowledgeAction):
    """Lists partner universities by country, city, region or programme."""

    def name(self) -> str:
        return "action_list_partners"

    def answer(self, session: Session, context: Context) -> list[Reply]:
        return answer_partner_list(session, context)


class ActionCheckPartner(KnowledgeAction):
    """Says whether a university (or a place) is a partner, and for which programmes."""

    def name(self) -> str:
        return "action_check_partner"

    def answer(self, session: Session, context: Context) -> list[Reply]:
        return answer_is_partner(session, context, base.names.get())
