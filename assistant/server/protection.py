"""One client cannot hurt the others: request bodies are small, and each sender and each address has a rate.

Every route of the REST channel (messages, ratings, privacy, erasure) is checked before its handler runs: the
client's address first, then, when the body names one, its sender (the conversation id). Over its rate, a
client gets 429 with a short sentence in the page's language and `Retry-After`; a body over the size limit is
refused with 413 by Sanic itself, from its Content-Length, before it is read.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.config import Settings
from assistant.metadata import language_code
from assistant.server.limits import Buckets, Rate, bucket_key, make_buckets

TOO_MANY = {
    "en": "You are sending messages faster than the assistant can answer. Please wait {seconds} s, then try again.",
    "fr": "Vous envoyez des messages plus vite que l'assistant ne peut répondre. Merci d'attendre {seconds} s, "
    "puis de réessayer.",
}


@dataclass(frozen=True)
class Limited:
    """Why a request is refused, and for how long."""

    kind: str
    wait_seconds: float


class Protection:
    """The rates of the REST channel's clients, in this process or in Redis (shared by every Rasa process)."""

    def __init__(self, settings: Settings, buckets: Buckets | None = None) -> None:
        self.settings = settings
        self.sender_rate = Rate(settings.sender_per_minute, settings.sender_burst)
        self.address_rate = Rate(settings.address_per_minute, settings.address_burst)
        self._buckets = buckets

    @property
    def buckets(self) -> Buckets:
        # Made on first use, in the event loop of the process that serves the requests.
        if self._buckets is None:
            self._buckets = make_buckets(self.settings.redis_url)
        return self._buckets

    def configure(self, app: Sanic) -> None:
        """Sanic's own limits: the request size, and which proxies' client addresses to trust."""
        app.config.REQUEST_MAX_SIZE = self.settings.max_request_bytes
        if self.settings.proxies_count:
            app.config.PROXIES_COUNT = self.settings.proxies_count

    async def limited(self, kind: str, client: str, rate: Rate) -> Limited | None:
        if rate.unlimited or not client:
            return None
        wait = await self.buckets.take(bucket_key(kind, client), rate)
        return Limited(kind, wait) if wait > 0 else None

    async def check(self, request: Request) -> HTTPResponse | None:
        """None when the request may go on, else the 429 to answer."""
        address = client_address(request, self.settings.proxies_count)
        refused = await self.limited("address", address, self.address_rate)
        body = _json_body(request) if request.method == "POST" else None
        if refused is None and isinstance(body, dict) and isinstance(body.get("sender"), str):
            refused = await self.limited("sender", body["sender"], self.sender_rate)
        if refused is None:
            return None
        return too_many(refused, request_language(request, body))

    async def check_sender(self, sender: str) -> Limited | None:
        """For channels whose messages are not requests of their own (socket.io): the sender's rate."""
        return await self.limited("sender", sender, self.sender_rate)

    async def check_address(self, address: str) -> Limited | None:
        """For channels whose messages are not requests of their own (socket.io): the client address's rate."""
        return await self.limited("address", address, self.address_rate)


class MalformedFraming(ValueError):
    """A request whose body length cannot be known: Sanic answers 400 Bad Request."""


async def check_framing(head: bytes, **_context: Any) -> None:
    """Refuse a request head whose body framing Sanic 21.12 fails on with a 500: a Content-Length that is not a
    number, or a Transfer-Encoding other than "chunked" without a Content-Length. Called by Sanic on every
    request head (the signal `http.lifecycle.read_head`); what it raises Sanic answers with 400."""
    headers: dict[str, list[str]] = {}
    for line in head.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    lengths = headers.get("content-length", [])
    if any(not length.isdigit() for length in lengths):
        raise MalformedFraming("Content-Length is not a number")
    encodings = headers.get("transfer-encoding", [])
    if encodings and not lengths and encodings[0] != "chunked":
        raise MalformedFraming("Transfer-Encoding other than chunked, without Content-Length")


def client_address(request: Request, proxies_count: int) -> str:
    """The client's address: the socket's peer, or, behind `proxies_count` trusted proxies, the one they give."""
    if proxies_count:
        forwarded = request.remote_addr
        if forwarded:
            return forwarded
    return request.ip or ""


def _json_body(request: Request) -> Any:
    try:
        return json.loads(request.body) if request.body else None
    except (ValueError, UnicodeDecodeError):
        return None


def request_language(request: Request, body: Any) -> str:
    """The page's language: the metadata's, else the browser's first (Accept-Language), else English."""
    metadata = body.get("metadata") if isinstance(body, dict) else None
    language = language_code(metadata.get("language")) if isinstance(metadata, dict) else None
    if language is None:
        accepted = request.headers.get("accept-language", "")
        language = "fr" if accepted.strip().lower().startswith("fr") else "en"
    return language


def too_many_text(language: str, wait_seconds: float) -> str:
    return TOO_MANY.get(language, TOO_MANY["en"]).format(seconds=max(1, math.ceil(wait_seconds)))


def too_many(refused: Limited, language: str) -> HTTPResponse:
    """429 with the sentence a student reads, and when to try again."""
    seconds = max(1, math.ceil(refused.wait_seconds))
    return response.json(
        {"error": too_many_text(language, refused.wait_seconds), "retry_after": seconds, "language": language},
        status=429,
        headers={"Retry-After": str(seconds)},
    )
