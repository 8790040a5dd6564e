"""`rasa` on the command line, with the action server's replies checked by a JSON Schema validator built once,
sessions bounded in length (assistant/server/sessions.py), action calls given up after ACTION_TIMEOUT_SECONDS
(once per message),
a retried message answered once
(assistant/server/retries.py), our conversation store used as it is, and the action server's connections
kept alive between calls (assistant/server/action_calls.py), and the model's first messages parsed before the
server takes students.

Rasa 3.6 checks every reply of the action server with `jsonschema.validate`,
which first checks the response schema itself against the JSON Schema 2020-12
meta-schema: about 50 ms of the Rasa server's CPU for each answer that comes
from the database, the largest single cost of such a message (measured with
py-spy under load, 2026-11-23). The reply is still checked against the same
schema; only the schema's own check happens once instead of every time, and each event is checked against its own
type's schema only (same verdicts, `quick_action_response_validator`). Likewise Rasa finds the class of each
event it reads (from the conversation store, from the action server) by walking all of `Event`'s subclasses,
about 0.09 ms each time (15 % of the Rasa server's time in a conversation of some 50 messages before its window
was bounded, py-spy on 2026-12-07): here each event type's class is looked up once.

Rasa wraps every tracker store in a `FailSafeTrackerStore`, which, when the store fails, goes on with an empty
conversation in memory (the student is answered as a stranger, and the message is lost). Our
`ConversationStore` is not wrapped: when it cannot read or save the conversation in time, handling the message
fails and the student gets the apology with the offices' contacts (assistant/server/channels.py).

A freshly loaded model parses its first message in about 0.7 s (TensorFlow builds its graphs), ten times the next
ones, on the event loop that every other message waits on: on a busy or slow machine the first students of a new
replica got the apology. The model parses a message in each language once loaded, before the server answers its
health check.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

import aiohttp
import rasa.core.actions.action as rasa_actions
from aiohttp import ClientResponseError
from jsonschema import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import extend, validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.exceptions import RasaException

logger = logging.getLogger("assistant.server.rasa_server")

WARM_UP_MESSAGES = ("hello, which programmes can I apply to?", "bonjour, à quels programmes puis-je candidater ?")


@lru_cache(maxsize=1)
def action_response_validator() -> Validator:
    """The validator of the action server's replies, its schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _event_type_required(subschema: Any) -> Any:
    """The `event` a subschema requires (`properties.event.const`), or `_ANY_EVENT`."""
    if not isinstance(subschema, dict):
        return _ANY_EVENT
    event = subschema.get("properties", {}).get("event", {})
    return event.get("const", _ANY_EVENT) if isinstance(event, dict) else _ANY_EVENT


_ANY_EVENT = object()


@lru_cache(maxsize=1)
def quick_action_response_validator() -> Validator:
    """A validator of the same schema with the same verdicts, quicker on events.

    Each event of a reply is checked against `oneOf` some 20 event schemas, one per event type, each requiring its
    type (`"event": {"const": "slot"}`): an event valid under exactly one of them. Those requiring another type
    than the event's cannot be valid, so only the others are tried: exactly one of them is valid when exactly one
    of all is (0.2 ms instead of 1.6 for a reply setting five slots). A reply it finds invalid is checked
    again by the full validator, whose error is the one raised.
    """
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    one_of = validator_class.VALIDATORS["oneOf"]

    def one_of_the_events_type(validator: Any, subschemas: Any, instance: Any, schema: Any) -> Any:
        event = instance.get("event") if isinstance(instance, dict) else None
        if isinstance(event, str):
            subschemas = [s for s in subschemas if _event_type_required(s) in (_ANY_EVENT, event)]
        return one_of(validator, subschemas, instance, schema)

    return extend(validator_class, {"oneOf": one_of_the_events_type})(schema)


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's `RemoteAction._validate_action_result`, with the validators built once.

    Raises:
        ValidationError: the reply does not have the format Rasa expects.
    """
    try:
        if not quick_action_response_validator().is_valid(result):
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


# Whether an action call of the message being handled (in this task) timed out: its later calls fail at once.
_gave_up: ContextVar[bool] = ContextVar("action_server_gave_up", default=False)


def _timed_out(error: BaseException) -> bool:
    cause = error.__cause__ if isinstance(error, RasaException) else error
    return isinstance(error, asyncio.TimeoutError) or (isinstance(cause, ClientResponseError) and cause.status == 504)


def answering_in_time(run: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Rasa's `RemoteAction.run`, not waiting twice for one message: once an action call timed out (or HAProxy
    answered 504), the message's next calls (a new conversation's session start, then its answer) fail at once,
    so the student gets the apology after one time-out, not one per call."""

    async def run_action(action: RemoteAction, *args: Any, **kwargs: Any) -> Any:
        if _gave_up.get():
            raise RasaException(f"'{action.name()}' not called: the action server did not answer this message in time")
        try:
            return await run(action, *args, **kwargs)
        except (asyncio.TimeoutError, RasaException) as error:
            if _timed_out(error):
                _gave_up.set(True)
            raise

    return run_action


def waiting_afresh(handle_message: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Rasa's `MessageProcessor.handle_message`, each message waiting for the action server afresh."""

    async def handle(processor: Any, message: Any) -> Any:
        _gave_up.set(False)
        return await handle_message(processor, message)

    return handle


def create_tracker_store(store: TrackerStore | None, domain: Domain) -> TrackerStore:
    """Rasa's `Agent._create_tracker_store`, without the fail-safe wrapper around our conversation store."""
    from assistant.server.conversation_store import ConversationStore

    if isinstance(store, ConversationStore):
        store.domain = domain
        return store
    return _rasa_create_tracker_store(store, domain)


_rasa_create_tracker_store = Agent._create_tracker_store


def warming_up(load_agent: Callable[..., Awaitable[Agent]]) -> Callable[..., Awaitable[Agent]]:
    """Rasa's `load_agent_on_start`, the loaded model then parsing WARM_UP_MESSAGES."""

    async def load_and_warm_up(*args: Any, **kwargs: Any) -> Agent:
        agent = await load_agent(*args, **kwargs)
        if agent.is_ready():
            started = time.monotonic()
            for text in WARM_UP_MESSAGES:
                await agent.parse_message(text)
            logger.info("The model parsed its first messages in %.1f s", time.monotonic() - started)
        return agent

    return load_and_warm_up


def main() -> None:
    """Run Rasa's command line (`python -m assistant.server.rasa_server run ...`)."""
    import rasa.core.run as rasa_run
    from rasa.__main__ import main as rasa_main
    from rasa.core.utils import AvailableEndpoints

    from assistant.config import get_settings
    from assistant.server.action_calls import closing_sessions, read_endpoints
    from assistant.server.retries import answer_retries_once
    from assistant.server.sessions import bound_sessions

    RemoteAction._validate_action_result = validate_action_result
    RemoteAction.run = answering_in_time(RemoteAction.run)
    Event.resolve_by_type = staticmethod(resolve_by_type)
    # Rasa waits 5 minutes for the action server; a hung one must give the student the apology in seconds.
    rasa_actions.DEFAULT_REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=get_settings().action_timeout_seconds)
    Agent._create_tracker_store = staticmethod(create_tracker_store)
    AvailableEndpoints.read_endpoints = staticmethod(read_endpoints)
    rasa_run.close_resources = closing_sessions(rasa_run.close_resources)
    rasa_run.load_agent_on_start = warming_up(rasa_run.load_agent_on_start)
    bound_sessions(get_settings().max_session_messages)
    answer_retries_once()
    MessageProcessor.handle_message = waiting_afresh(MessageProcessor.handle_message)
    rasa_main()


if __name__ == "__main__":
    main()
