"""`rasa` on the command line, with the action server's replies checked by a JSON Schema validator built once,
sessions bounded in length (assistant/server/sessions.py), action calls given up after ACTION_TIMEOUT_SECONDS,
a retried message answered once
(assistant/server/retries.py), and our conversation store used as it is.

Rasa 3.6 checks every reply of the action server with `jsonschema.validate`,
which first checks the response schema itself against the JSON Schema 2020-12
meta-schema: about 50 ms of the Rasa server's CPU for each answer that comes
from the database, the largest single cost of such a message (measured with
py-spy under load, 2026-11-23). The reply is still checked against the same
schema; only the schema's own check happens once instead of every time. Likewise Rasa finds the class of each
event it reads (from the conversation store, from the action server) by walking all of `Event`'s subclasses,
about 0.09 ms each time (15 % of the Rasa server's time in a conversation of some 50 messages before its window
was bounded, py-spy on 2026-12-07): here each event type's class is looked up once.

Rasa wraps every tracker store in a `FailSafeTrackerStore`, which, when the store fails, goes on with an empty
conversation in memory (the student is answered as a stranger, and the message is lost). Our
`ConversationStore` is not wrapped: when it cannot read or save the conversation in time, handling the message
fails and the student gets the apology with the offices' contacts (assistant/server/channels.py).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import aiohttp
import rasa.core.actions.action as rasa_actions
from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event


@lru_cache(maxsize=1)
def action_response_validator() -> Validator:
    """The validator of the action server's replies, its schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's `RemoteAction._validate_action_result`, with the validator built once.

    Raises:
        ValidationError: the reply does not have the format Rasa expects.
    """
    try:
        action_response_validator().validate(result)
    except ValidationError as error:
        error.message += f". The action server's reply to '{action.name()}' does not have the format Rasa expects."
        raise
    return True


_rasa_resolve_by_type = Event.resolve_by_type


@lru_cache(maxsize=256)
def _event_class(type_name: str) -> type[Event] | None:
    try:
        return _rasa_resolve_by_type(type_name)
    except ValueError:
        return None


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Rasa's `Event.resolve_by_type`, each type's class found once (an unknown type is left to Rasa's own)."""
    return _event_class(type_name) or _rasa_resolve_by_type(type_name, default)


def create_tracker_store(store: TrackerStore | None, domain: Domain) -> TrackerStore:
    """Rasa's `Agent._create_tracker_store`, without the fail-safe wrapper around our conversation store."""
    from assistant.server.conversation_store import ConversationStore

    if isinstance(store, ConversationStore):
        store.domain = domain
        return store
    return _rasa_create_tracker_store(store, domain)


_rasa_create_tracker_store = Agent._create_tracker_store


def main() -> None:
    """Run Rasa's command line (`python -m assistant.server.rasa_server run ...`)."""
    from rasa.__main__ import main as rasa_main

    from assistant.config import get_settings
    from assistant.server.retries import answer_retries_once
    from assistant.server.sessions import bound_sessions

    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_by_type)
    # Rasa waits 5 minutes for the action server; a hung one must give the student the apology in seconds.
    rasa_actions.DEFAULT_REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=get_settings().action_timeout_seconds)
    Agent._create_tracker_store = staticmethod(create_tracker_store)
    bound_sessions(get_settings().max_session_messages)
    answer_retries_once()
    rasa_main()


if __name__ == "__main__":
    main()
