"""Actions about partner universities."""
from __future__ import annotations

from typing import List, Text

from sqlalchemy.orm import Session

from actions.base import KnowledgeAction
from assistant.answers.common import Context, Reply
from assistant.answers.partners import answer_partner_list
from assistant.queries.names import NameIndex


class ActionListPartners(KnowledgeAction):
    """Lists partner universities by country, city, region or programme."""

    def name(self) -> Text:
        return "action_list_partners"

    def answer(self, session: Session, names: NameIndex, context: Context) -> List[Reply]:
        return answer_partner_list(session, context)
