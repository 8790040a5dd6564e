"""A conversation session holding too many student messages is closed, and a new one starts.

Rasa 3.6 starts a new session only after a time without messages (`session_expiration_time` in domain.yml);
here a session also ends once it holds `MAX_SESSION_MESSAGES` student messages (those before the conversation's
window included, assistant/server/conversation_window.py). The next message then starts a new one with Rasa's
session start (our `action_session_start`: slots carried over, as after a pause).
"""

from __future__ import annotations

from collections.abc import Callable

from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.server.conversation_window import session_messages


def bounded(has_expired: Callable[[MessageProcessor, DialogueStateTracker], bool], limit: int):
    """Rasa's check that a session has expired, also true once the session holds `limit` student messages."""

    def has_session_expired(processor: MessageProcessor, tracker: DialogueStateTracker) -> bool:
        return has_expired(processor, tracker) or session_messages(tracker) >= limit

    return has_session_expired


def bound_sessions(limit: int) -> None:
    """Make every Rasa message processor of this process close sessions at `limit` student messages."""
    original = getattr(MessageProcessor, "_rasa_has_session_expired", MessageProcessor._has_session_expired)
    MessageProcessor._rasa_has_session_expired = original
    MessageProcessor._has_session_expired = bounded(original, limit)
