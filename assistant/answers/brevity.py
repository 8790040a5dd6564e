"""Keeping an answer short enough to read at a glance in the chat window."""

from __future__ import annotations

from collections.abc import Callable

from assistant.answers.common import Reply, reply

# Longer than this, an answer no longer fits the widget's window: its optional lines go.
REPLY_CHARACTERS = 400
# A programme's detail with its "more details" contact, and the same without it (the source stays).
WITHOUT_CONTACT = {"programme_detail": "programme_fact", "programme_details": "programme_facts"}


def shortened(replies: list[Reply], rendered_length: Callable[[Reply], int]) -> list[Reply]:
    """The replies of one answer, the programme details' "more details" contact left out when they are longer than
    REPLY_CHARACTERS in all: a long description is read, its contact line would push it out of the window."""
    if not any(answer["wording"] in WITHOUT_CONTACT for answer in replies) or (
        sum(rendered_length(answer) for answer in replies) <= REPLY_CHARACTERS
    ):
        return replies
    return [_without_contact(answer) if answer["wording"] in WITHOUT_CONTACT else answer for answer in replies]


def _without_contact(answer: Reply) -> Reply:
    variables = {name: value for name, value in answer["variables"].items() if name != "contact"}
    shorter = Reply(**answer)
    shorter.update(reply(WITHOUT_CONTACT[answer["wording"]], **variables))
    return shorter
