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


def test_action_calls_share_one_kept_alive_connection_and_answer_as_rasas_requests(tmp_path, monkeypatch) -> None:
    """Two action calls go over one connection; replies, errors and the endpoints file read as with Rasa's own."""
    import asyncio

    from aiohttp import web
    from rasa.utils.endpoints import ClientResponseError

    from assistant.server.action_calls import KeepAliveEndpoint, read_endpoints

    peers: list[Any] = []

    async def webhook(request: web.Request) -> web.Response:
        peers.append(request.transport.get_extra_info("peername") if request.transport else None)
        body = await request.json()
        if body.get("fail"):
            return web.Response(status=500, text="broken")
        if body.get("plain"):
            return web.Response(text="not json")
        return web.json_response({"events": [], "responses": [{"text": body["text"]}], "token": request.query["token"]})

    async def calls() -> list[Any]:
        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        endpoint = KeepAliveEndpoint.of(EndpointConfig(f"http://127.0.0.1:{port}/webhook", token="secret"))
        try:
            replies = [await endpoint.request(json={"text": "one"}), await endpoint.request(json={"text": "two"})]
            replies.append(await endpoint.request(json={"plain": True}))
            with pytest.raises(ClientResponseError) as failed:
                await endpoint.request(json={"fail": True})
            replies.append(failed.value.status)
        finally:
            await endpoint.close()
            await runner.cleanup()
        return replies

    replies = asyncio.run(calls())
    assert replies[:2] == [{"events": [], "responses": [{"text": text}], "token": "secret"} for text in ("one", "two")]
    assert replies[2:] == [None, 500]
    assert len(set(peers)) == 1

    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'store.db'}")
    from assistant.config import PROJECT_ROOT

    action = read_endpoints(str(PROJECT_ROOT / "endpoints.yml")).action
    assert isinstance(action, KeepAliveEndpoint) and action.url == "http://127.0.0.1:5055/webhook"


def every_kind_of_event() -> list[dict[str, Any]]:
    """One event of each type Rasa knows, as the action server would send it."""
    from rasa.shared.core import events

    made = [
        events.SlotSet("school", "upc-medicine"),
        events.SlotSet("years", [1, 2]),
        events.FollowupAction("action_listen"),
        events.ActiveLoop("eligibility_form"),
        events.ActiveLoop(None),
        events.BotUttered("Fees: €2,500", {"buttons": []}),
        events.UserUttered("hi", {"name": "greet", "confidence": 0.9}, [{"entity": "school", "value": "lille"}]),
        events.ActionExecuted("action_answer_fees"),
        events.Restarted(),
        events.AllSlotsReset(),
        events.ReminderScheduled("ask_fees", __import__("datetime").datetime(2026, 12, 7)),
        events.ReminderCancelled("reminder"),
        events.ActionReverted(),
        events.UserUtteranceReverted(),
        events.ConversationPaused(),
        events.ConversationResumed(),
        events.StoryExported(),
        events.AgentUttered("text"),
        events.LoopInterrupted(True),
        events.ActionExecutionRejected("eligibility_form"),
        events.SessionStarted(),
        events.EntitiesAdded([{"entity": "school", "value": "lille"}]),
        events.DefinePrevUserUtteredFeaturization(False),
    ]
    return [event.as_dict() for event in made]


def replies_good_and_bad() -> list[dict[str, Any]]:
    import copy
    import random

    chance = random.Random(17)
    kinds = every_kind_of_event()
    replies: list[dict[str, Any]] = [*VALID_REPLIES, *INVALID_REPLIES]
    replies += [{"events": [event], "responses": []} for event in kinds]
    spoilers = [
        lambda e: e.pop("event"),
        lambda e: e.update(event="no-such-event"),
        lambda e: e.update(event=7),
        lambda e: e.update(event=chance.choice(kinds)["event"]),
        lambda e: e.update(timestamp="yesterday"),
        lambda e: e.update(name=3),
        lambda e: e.update(value={"set": object.__name__}),
        lambda e: e.update(text=None, parse_data="greet"),
        lambda e: e.update(metadata=[]),
    ]
    for _ in range(600):
        picked = copy.deepcopy(chance.sample(kinds, chance.randint(1, 5)))
        for event in picked:
            if chance.random() < 0.3:
                chance.choice(spoilers)(event)
        replies.append({"events": picked, "responses": [{"text": "a"}] if chance.random() < 0.5 else []})
    return replies


def test_the_quick_check_of_replies_gives_the_full_checks_verdict() -> None:
    from assistant.server.rasa_server import action_response_validator, quick_action_response_validator

    full, quick = action_response_validator(), quick_action_response_validator()
    verdicts = [full.is_valid(reply) for reply in replies_good_and_bad()]
    assert [quick.is_valid(reply) for reply in replies_good_and_bad()] == verdicts
    assert 100 < sum(verdicts) < len(verdicts) - 100  # many of each
    for reply, valid in zip(replies_good_and_bad(), verdicts):
        if not valid:  # the error raised is the full check's (its first)
            with pytest.raises(jsonschema.ValidationError) as raised:
                validate_action_result(ACTION, reply)
            assert raised.value.message.startswith(next(full.iter_errors(reply)).message)
