"""The Rasa server's check of the action server's replies: same verdicts as Rasa's own, schema checked once."""
from __future__ import annotations

from typing import Any, Dict

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from assistant.server.rasa_server import validate_action_result

ACTION = RemoteAction("action_answer_fees", EndpointConfig("http://127.0.0.1:1/webhook"))

VALID_REPLIES = [
    {"events": [], "responses": []},
    {
        "events": [{"event": "slot", "name": "school", "value": "upc", "timestamp": None}],
        "responses": [{"text": "Fees: €2,500", "buttons": [{"title": "Lille", "payload": "/inform{\"school\": \"lille\"}"}]}],
    },
    {"events": [{"event": "followup", "name": "action_listen"}], "responses": [{"response": "utter_greet"}]},
]
INVALID_REPLIES = [
    {"events": "slot school upc", "responses": []},
    {"events": [{"name": "school"}], "responses": []},
    {"events": [], "responses": "Fees: €2,500"},
]


@pytest.mark.parametrize("reply", VALID_REPLIES)
def test_a_well_formed_reply_is_accepted(reply: Dict[str, Any]) -> None:
    jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    assert validate_action_result(ACTION, reply) is True


@pytest.mark.parametrize("reply", INVALID_REPLIES)
def test_a_malformed_reply_is_refused_as_by_rasa_and_names_the_action(reply: Dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(reply, RemoteAction.action_response_format_spec())
    with pytest.raises(jsonschema.ValidationError, match="action_answer_fees"):
        validate_action_result(ACTION, reply)


def test_each_event_type_is_read_as_the_same_class_as_rasa_reads_it() -> None:
    from rasa.shared.core.events import Event
    from rasa.shared.utils.common import all_subclasses

    from assistant.server.rasa_server import _rasa_resolve_by_type, resolve_by_type

    for cls in all_subclasses(Event):
        if getattr(cls, "type_name", None):
            assert resolve_by_type(cls.type_name) is _rasa_resolve_by_type(cls.type_name)
    assert resolve_by_type("no-such-event", Event) is Event
    with pytest.raises(ValueError, match="Unknown event name"):
        resolve_by_type("no-such-event")
