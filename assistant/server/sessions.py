"""A conversation session holding too many student messages is closed, and a new one starts.

Rasa reads a conversation's current session from the conversation store at every message, so each message
of a session costs more than the one before. Rasa 3.6 starts a new session only after a time without
messages (`session_expiration_time` in domain.yml); here a session also ends once it holds
`MAX_SESSION_MESSAGES` student messages. The next message then starts a new one with Rasa's session start
(our `action_session_start`: slots carried over, as after a pause), so no sender can make its own messages
ever more expensive.
"""

from __future__ import annotations

from collections.abc import Callable

from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker


def session_messages(tracker: DialogueStateTracker) -> int:
    """The student messages of the tracker's latest session."""
    count = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        if isinstance(event, UserUttered):
            count += 1
    return count


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
