"""A message sent again (the widget retries once a request that failed) is answered once.

The widget gives each message an id (`message_id`, as random as a conversation id) and, when a request fails
(the replica that had it was killed, the balancer answered 502), sends the same message again with
`"retry": true`. Rasa keeps the id with the student's message. A retry is then handled under the conversation's
lock like any message, but first looked up in the conversation: when the message is already there (the first
request was handled, only its answer was lost), the answers given then are sent again instead of handling it a
second time, so no message is ever in a conversation twice.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

MESSAGE_ID = re.compile(r"^[0-9a-f]{32,64}$")
# Whether the message being handled (in this task) is a retry; set by the channel (assistant/server/channels.py).
retrying: ContextVar[bool] = ContextVar("retrying", default=False)

Handler = Callable[[MessageProcessor, UserMessage], Awaitable[Any]]


def valid_message_id(value: Any) -> bool:
    return isinstance(value, str) and bool(MESSAGE_ID.match(value))


def answers_given(tracker: DialogueStateTracker, message_id: str) -> list[dict[str, Any]] | None:
    """The bot's messages that followed the student's message `message_id`; None when it is not in the tracker."""
    answers: list[dict[str, Any]] | None = None
    for event in tracker.events:
        if isinstance(event, UserUttered):
            if answers is not None:
                break
            if event.message_id == message_id:
                answers = []
        elif isinstance(event, BotUttered) and answers is not None:
            answers.append(event.message())
    return answers


def answering_retries_once(handle_message: Handler) -> Handler:
    """Rasa's `MessageProcessor.handle_message`, sending a retried message's first answers when it was handled."""

    async def handle(processor: MessageProcessor, message: UserMessage) -> Any:
        if retrying.get() and valid_message_id(message.message_id):
            tracker = await processor.tracker_store.retrieve(message.sender_id)
            answers = answers_given(tracker, message.message_id) if tracker is not None else None
            if answers is not None:
                for answer in answers:
                    await message.output_channel.send_response(message.sender_id, answer)
                return None
        return await handle_message(processor, message)

    return handle


def answer_retries_once() -> None:
    """Make every Rasa message processor of this process answer a retried message once."""
    original = getattr(MessageProcessor, "_rasa_handle_message", MessageProcessor.handle_message)
    MessageProcessor._rasa_handle_message = original
    MessageProcessor.handle_message = answering_retries_once(original)
