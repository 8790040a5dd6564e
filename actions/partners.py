"""Actions about partner universities."""

from __future__ import annotations

from actions import base
from actions.base import KnowledgeAction
from assistant.answers.common import Context, Reply
from assistant.answers.partners import answer_is_partner, answer_partner_list
from assistant.answers.programmes import answer_programme_detail, programmes_refusing_request
from assistant.queries.snapshot import Snapshot


class ActionListPartners(KnowledgeAction):
    """Lists partner universities by country, city, region or programme."""

    def name(self) -> str:
        return "action_list_partners"

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        return answer_partner_list(snapshot, context)


class ActionCheckPartner(KnowledgeAction):
    """Says whether a university (or a place) is a partner, and for which programmes."""

    def name(self) -> str:
        return "action_check_partner"

    def answer(self, snapshot: Snapshot, context: Context) -> list[Reply]:
        if not context.partners and programmes_refusing_request(snapshot, context):
            # "My university has no partnership with you, can I still come?": what the programme refuses.
            return answer_programme_detail(snapshot, context, "ask_eligibility", base.texts.get())
        return answer_is_partner(snapshot, context, base.names.get())
