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
