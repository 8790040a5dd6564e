"""Students under load for the fault suite: short conversations, each message with its id, retried once as the
widget does (assistant/web/static/widget.js) when the request fails, each outcome recorded."""

from __future__ import annotations

import asyncio
import random
import threading
import time
import uuid
from dataclasses import dataclass

import aiohttp

from assistant.answers.fallback import apology

QUESTIONS = {
    "en": (
        "which partner universities are in Spain?",
        "and in Sweden?",
        "how much is the summer school?",
        "what are the office hours of the international office?",
    ),
    "fr": (
        "quelles universités partenaires en Espagne ?",
        "et en Suède ?",
        "combien coûte l'école d'été ?",
        "quels sont les horaires du bureau international ?",
    ),
}
APOLOGIES = {apology("en"), apology("fr")}
RETRY_AFTER_SECONDS = 1.0  # as the widget: one retry, a second after the failure
REQUEST_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Sent:
    """One student message and what became of it."""

    sender: str
    message_id: str
    sent_at: float  # time.monotonic()
    seconds: float  # until the reply (after the retry, if any), or until it failed
    outcome: str  # "answer", "apology" or "error" (no reply, even after the retry)
    first_attempt_failed: bool
    failure: str = ""  # how the first attempt failed: the HTTP status, the client's error, "no text"

    @property
    def replied_at(self) -> float:
        return self.sent_at + self.seconds


def outcome_of(status: int, replies: object) -> tuple[str, str]:
    """ "answer", "apology" or "error", and for an error what it was."""
    if status != 200 or not isinstance(replies, list):
        return "error", f"HTTP {status}"
    texts = [str(reply.get("text") or "") for reply in replies if isinstance(reply, dict)]
    if not any(text.strip() for text in texts):
        return "error", "no text"
    return ("apology" if any(text in APOLOGIES for text in texts) else "answer"), ""


class Students:
    """`count` students talking to `url` in a thread of their own until `stop()`; what they sent is in `sent`."""

    def __init__(self, url: str, count: int, think_seconds: float = 0.5, seed: int = 17) -> None:
        self.url = f"{url}/webhooks/rest/webhook"
        self.count = count
        self.think_seconds = think_seconds
        self.seed = seed
        self.sent: list[Sent] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def start(self) -> Students:
        self._thread.start()
        return self

    def stop(self) -> list[Sent]:
        self._stopping.set()
        self._thread.join(timeout=REQUEST_TIMEOUT_SECONDS * 2 + 5)
        return list(self.sent)

    async def _run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            await asyncio.gather(*(self._student(session, number) for number in range(self.count)))

    async def _student(self, session: aiohttp.ClientSession, number: int) -> None:
        rng = random.Random(self.seed * 1000 + number)
        while not self._stopping.is_set():
            language = rng.choice(("en", "fr"))
            sender = uuid.uuid4().hex
            for text in QUESTIONS[language]:
                if self._stopping.is_set():
                    return
                await self._send(session, sender, text, language)
                await asyncio.sleep(rng.uniform(0.5, 1.5) * self.think_seconds)

    async def _send(self, session: aiohttp.ClientSession, sender: str, text: str, language: str) -> None:
        message_id = uuid.uuid4().hex
        body: dict[str, object] = {
            "sender": sender,
            "message": text,
            "metadata": {"school": "lille-medicine", "language": language},
            "message_id": message_id,
        }
        started = time.monotonic()
        outcome, failure = await self._post(session, body)
        failed = outcome == "error"
        if failed:
            await asyncio.sleep(RETRY_AFTER_SECONDS)
            outcome, _ = await self._post(session, {**body, "retry": True})
        self.sent.append(Sent(sender, message_id, started, time.monotonic() - started, outcome, failed, failure))

    async def _post(self, session: aiohttp.ClientSession, body: dict[str, object]) -> tuple[str, str]:
        try:
            async with session.post(self.url, json=body) as response:
                replies = await response.json(content_type=None) if response.status == 200 else None
                return outcome_of(response.status, replies)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            return "error", type(error).__name__
