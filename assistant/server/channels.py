"""The REST and socket.io channels, guarded: every message gets a reply, and only our intents can be typed.

Rasa replies with nothing when the action server is down or an action fails;
these channels then send an apology with the international offices' e-mails,
read from the knowledge files so that it works with the database down too. A
message whose conversation cannot be read or saved gets the apology as well
(on REST in place of the answers, which the conversation would not hold).
Student messages are never logged above debug level. The REST channel also
takes the widget's answer ratings (/webhooks/rest/feedback), tells how long
conversations are kept (/webhooks/rest/privacy) and erases a conversation
(/webhooks/rest/erase). What comes in is checked first: request size and rates
(`protection.py`), text as valid Unicode, metadata as a known school and
language (`assistant/metadata.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from ruamel.yaml import YAML
from sanic import response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.answers.fallback import apology
from assistant.config import PROJECT_ROOT, get_settings
from assistant.metadata import page_metadata
from assistant.nlu.language import detect_language
from assistant.server.conversation_store import ConversationStoreUnavailable
from assistant.server.erasure import ErasureError, conversation_to_erase, erase_conversation
from assistant.server.feedback import FeedbackError, parse_feedback, record_feedback
from assistant.server.protection import Protection, check_framing, client_address, too_many_text
from assistant.server.retries import retrying, valid_message_id
from assistant.text import clean_message

logger = logging.getLogger(__name__)

INTENT_MESSAGE = re.compile(r"^\s*/(?P<intent>[A-Za-z_][\w-]*)")
MAX_MESSAGE_LENGTH = 5000
# The REST body's "message_id" and "retry" (assistant/server/retries.py), passed from the request to the handler.
CLIENT_MESSAGE = "client_message"
MALFORMED_EVENT = {
    "en": 'This message could not be read: send {"message": "...", "session_id": "..."} after a session_request.',
    "fr": 'Ce message n\'a pas pu être lu : envoyez {"message": "...", "session_id": "..."} après un session_request.',
}

NewMessageHandler = Callable[[UserMessage], Awaitable[Any]]


@lru_cache(maxsize=1)
def _domain() -> dict[str, Any]:
    return YAML(typ="safe").load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def typed_intents() -> frozenset[str]:
    """Intents a message may name directly ("/ask_fees{...}", as quick-reply buttons do): the domain's own."""
    return frozenset(_domain()["intents"])


def neutralised(text: str | None) -> str:
    """The text a student may send: cleaned (`clean_message`), limited in length, and `/intent` only for the
    domain's intents."""
    text = clean_message((text if isinstance(text, str) else "")[:MAX_MESSAGE_LENGTH])
    match = INTENT_MESSAGE.match(text)
    if match and match.group("intent") not in typed_intents():
        return text.lstrip().lstrip("/")
    return text


class CountingOutput(OutputChannel):
    """Passes bot messages on to the real channel, counting them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    @classmethod
    def name(cls) -> str:
        return "counting"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


@lru_cache(maxsize=1)
def shared_protection() -> Protection:
    """The rates of this process, one set for both channels: a sender cannot double its rate by using both."""
    return Protection(get_settings())


def guarded(on_new_message: NewMessageHandler, protection: Protection | None = None) -> NewMessageHandler:
    """Handles a message so that the student always gets at least one reply; with `protection`, a sender over its
    rate gets the sentence asking to wait instead (channels whose requests are not checked: socket.io)."""

    async def handle(message: UserMessage) -> None:
        client = message.metadata.get(CLIENT_MESSAGE) if isinstance(message.metadata, dict) else None
        message.text = neutralised(message.text)
        metadata = page_metadata(message.metadata)
        message.metadata = metadata
        if isinstance(client, dict):
            message.message_id = client["id"]
        retry = retrying.set(isinstance(client, dict) and client["retry"])
        try:
            await answer(message, metadata)
        finally:
            retrying.reset(retry)

    async def answer(message: UserMessage, metadata: dict[str, Any]) -> None:
        if protection is not None:
            refused = await protection.check_sender(str(message.sender_id))
            if refused is not None:
                text = too_many_text(metadata.get("language", "en"), refused.wait_seconds)
                await message.output_channel.send_text_message(message.sender_id, text)
                return
        output = CountingOutput(message.output_channel)
        message.output_channel = output
        try:
            await on_new_message(message)
        except asyncio.CancelledError:
            # Rasa's REST channel would log the student's text at error level on a time-out; handled here, it is not.
            logger.error("Handling a message timed out (conversation %s)", message.sender_id)
        except ConversationStoreUnavailable as error:
            logger.error("The conversation store is unavailable (conversation %s): %s", message.sender_id, error)
            if isinstance(output.inner, CollectingOutputChannel):
                # Not kept, so not answered: the student gets the apology, not answers the conversation lacks.
                output.inner.messages.clear()
                output.sent = 0
        except Exception:
            logger.exception("Handling a message failed (conversation %s)", message.sender_id)
        if output.sent == 0:
            logger.error("No reply to a message (conversation %s): sending the apology", message.sender_id)
            language = detect_language(message.text or "", metadata.get("language")) or "en"
            await output.inner.send_text_message(message.sender_id, apology(language))

    return handle


def valid_sender(sender: Any) -> bool:
    """A conversation id: a text of 1 to 200 printable characters (no control code, no invalid character)."""
    return isinstance(sender, str) and bool(sender.strip()) and len(sender) <= 200 and sender.isprintable()


class GuardedRestInput(RestInput):
    """REST channel at /webhooks/rest/webhook that always replies, answers a malformed request with 400, a client
    over its rate with 429 and a body over the size limit with 413. A body may name its message
    (`"message_id"`, 32 to 64 hexadecimal characters) and say it is sent again (`"retry": true`): a retried
    message already in the conversation gets its first answers again (assistant/server/retries.py)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def _extract_sender(self, request: Request) -> str | None:
        if not isinstance(request.json, dict):
            raise SanicException('Send JSON: {"sender": "...", "message": "..."}', status_code=400)
        sender = request.json.get("sender")
        if not valid_sender(sender):
            raise SanicException(
                "'sender' must be a non-empty text of at most 200 printable characters", status_code=400
            )
        return sender

    def _extract_message(self, req: Request) -> str | None:
        return neutralised(req.json.get("message"))

    def _extract_input_channel(self, req: Request) -> str:
        # Rasa would take any "input_channel" the client names; every message here comes through this channel.
        return self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata: dict[str, Any] = dict(page_metadata(request.json.get("metadata")))
        message_id = request.json.get("message_id")
        if valid_message_id(message_id):
            metadata[CLIENT_MESSAGE] = {"id": message_id, "retry": request.json.get("retry") is True}
        return metadata

    def blueprint(self, on_new_message: NewMessageHandler):
        protection = shared_protection()
        webhooks = super().blueprint(guarded(on_new_message))
        webhooks.add_route(receive_feedback, "/feedback", methods=["POST"])
        webhooks.add_route(privacy, "/privacy", methods=["GET"])
        webhooks.add_route(erase, "/erase", methods=["POST"])

        async def configure(app: Any, _loop: Any) -> None:
            protection.configure(app)

        async def check(request: Request) -> HTTPResponse | None:
            return None if request.method == "OPTIONS" else await protection.check(request)

        webhooks.listener("before_server_start")(configure)
        webhooks.middleware("request")(check)
        webhooks.signal("http.lifecycle.read_head")(check_framing)
        return webhooks


async def receive_feedback(request: Request) -> HTTPResponse:
    """Stores a student's rating of an answer: 200 recorded, 400 malformed, 503 database unavailable."""
    try:
        feedback = parse_feedback(request.json)
    except SanicException:
        return response.json({"error": "The body is not valid JSON."}, status=400)
    except FeedbackError as error:
        return response.json({"error": str(error)}, status=400)
    try:
        await asyncio.get_running_loop().run_in_executor(None, record_feedback, feedback)
    except Exception as error:
        # Only the error's kind: a database error's message would quote the student's question.
        logger.error("Recording feedback failed (conversation %s): %s", feedback.conversation_id, type(error).__name__)
        return response.json({"error": "The rating could not be saved just now; please try again later."}, status=503)
    return response.json({"status": "recorded"})


async def privacy(_: Request) -> HTTPResponse:
    """How many days conversations and ratings are kept."""
    return response.json({"retention_days": get_settings().retention_days})


def _json(request: Request) -> Any:
    try:
        return request.json
    except SanicException:
        return None


async def erase(request: Request) -> HTTPResponse:
    """Erases the conversation whose id the widget holds: 200 erased, 400 malformed, 403 an id that could be
    guessed, 503 database unavailable."""
    try:
        conversation_id = conversation_to_erase(_json(request))
    except ErasureError as error:
        return response.json({"error": str(error)}, status=error.status)
    try:
        # Under the conversation's lock, as Rasa handles a message: one being answered is stored whole first, and
        # erased with the rest, rather than written back after the erasure.
        async with _conversation_lock(request, conversation_id):
            await asyncio.get_running_loop().run_in_executor(None, erase_conversation, conversation_id)
    except Exception as error:
        logger.error("Erasing a conversation failed: %s", type(error).__name__)
        return response.json(
            {"error": "The conversation could not be erased just now; please try again later."}, status=503
        )
    return response.json({"status": "erased"})


def _conversation_lock(request: Request, conversation_id: str) -> contextlib.AbstractAsyncContextManager[Any]:
    """The lock Rasa holds on a conversation while it handles one of its messages (shared by every Rasa process
    through Redis when configured); no lock before the model is loaded."""
    agent = getattr(getattr(getattr(request, "app", None), "ctx", None), "agent", None)
    lock_store = getattr(agent, "lock_store", None)
    return lock_store.lock(conversation_id) if lock_store is not None else contextlib.nullcontext()


class GuardedSocketIOInput(SocketIOInput):
    """socket.io channel that always replies, delivers its replies to the conversation's room, refuses a malformed
    event with a plain sentence, and asks a client over its address's or its sender's rate to wait."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: NewMessageHandler):
        protection = shared_protection()
        understand = guarded(on_new_message, protection)
        webhook = super().blueprint(understand)
        handlers = self.sio.handlers[self.namespace or "/"]

        async def session_request(sid: str, data: Any) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not valid_sender(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                # Rasa 3.6 does not await this coroutine (RasaHQ/rasa#13027): no reply ever reached the room.
                await self.sio.enter_room(sid, session_id, namespace=self.namespace)
            await self.sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        async def handle_message(sid: str, data: Any) -> None:
            event = data if isinstance(data, dict) else {}
            metadata = page_metadata(_metadata_object(event.get(self.metadata_key)))
            sender = event.get("session_id") if self.session_persistence else sid
            if not valid_sender(sender) or not isinstance(event.get("message", ""), str):
                text = MALFORMED_EVENT.get(metadata.get("language", "en"), MALFORMED_EVENT["en"])
                await self.sio.emit(self.bot_message_evt, {"text": text}, room=sid, namespace=self.namespace)
                return
            # The address is the one of the socket's handshake request: the HTTP checks do not see the messages
            # that follow on the same socket.
            environ = self.sio.get_environ(sid, self.namespace) or {}
            request = environ.get("sanic.request")
            address = client_address(request, protection.settings.proxies_count) if request is not None else ""
            refused = await protection.check_address(address)
            if refused is not None:
                text = too_many_text(metadata.get("language", "en"), refused.wait_seconds)
                await self.sio.emit(self.bot_message_evt, {"text": text}, room=sid, namespace=self.namespace)
                return
            output = SocketIOOutput(self.sio, self.bot_message_evt)
            await understand(
                UserMessage(event.get("message", ""), output, sender, input_channel=self.name(), metadata=metadata)
            )

        handlers["session_request"] = session_request
        handlers[self.user_message_evt] = handle_message
        return webhook


def _metadata_object(raw: Any) -> Any:
    """The page's metadata, which socket.io clients may also send as a JSON text."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return None
    return raw
