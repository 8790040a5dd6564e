"""The token buckets behind the rate limits: in memory, and in Redis shared by several processes."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from assistant.config import ConfigurationError, get_settings
from assistant.server.limits import MemoryBuckets, Rate, RedisBuckets, bucket_key
from assistant.server.protection import too_many_text
from tests.services import ServerUnavailable, throwaway_redis

RATE = Rate(per_minute=20, burst=5)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_passes_then_one_message_every_three_seconds() -> None:
    clock = Clock()
    buckets = MemoryBuckets(clock)
    waits = [buckets.take_now("a", RATE) for _ in range(7)]
    assert waits[:5] == [0.0] * 5
    assert waits[5] == pytest.approx(3.0)  # 20 a minute: one token every 3 s
    clock.now += 3.0
    assert buckets.take_now("a", RATE) == 0.0
    assert buckets.take_now("a", RATE) > 0
    assert buckets.take_now("another client", RATE) == 0.0  # each client has its own bucket
    clock.now += 3600
    assert [buckets.take_now("a", RATE) for _ in range(6)].count(0.0) == 5  # refilled up to the burst, no more


def test_quiet_clients_are_forgotten_so_memory_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("assistant.server.limits.MEMORY_PRUNE_SIZE", 100)
    clock = Clock()
    buckets = MemoryBuckets(clock)
    for index in range(100):
        buckets.take_now(f"client {index}", RATE)
    clock.now += 60
    buckets.take_now("a new one", RATE)
    assert len(buckets.buckets) <= 2


def test_a_bucket_key_holds_no_client_text_and_takes_any_text() -> None:
    key = bucket_key("sender", "\ud800 " + "x" * 10_000)
    assert key.startswith("medchat:limit:sender:") and len(key) < 60


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    try:
        with throwaway_redis() as url:
            yield url
    except ServerUnavailable as error:
        pytest.fail(str(error), pytrace=False)


def test_two_processes_sharing_redis_share_the_buckets(redis_url: str) -> None:
    async def run() -> tuple[list[float], float]:
        first, second = RedisBuckets(redis_url), RedisBuckets(redis_url)  # as two Rasa processes
        key = bucket_key("sender", "flooding student")
        waits = [await (first if index % 2 else second).take(key, RATE) for index in range(8)]
        other = await first.take(bucket_key("sender", "another student"), RATE)
        await first.client.close()
        await second.client.close()
        return waits, other

    waits, other = asyncio.run(run())
    assert waits[:5] == [0.0] * 5
    assert all(2.5 < wait <= 3.0 * 3 for wait in waits[5:])
    assert other == 0.0


def test_with_redis_unreachable_each_process_keeps_limiting_on_its_own() -> None:
    async def run() -> list[float]:
        buckets = RedisBuckets("redis://127.0.0.1:1/0")
        waits = [await buckets.take("k", RATE) for _ in range(6)]
        await buckets.client.close()
        return waits

    waits = asyncio.run(run())
    assert waits[:5] == [0.0] * 5 and waits[5] > 0


def test_the_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "30")
    monkeypatch.setenv("RATE_LIMIT_BURST", "4")
    monkeypatch.setenv("ADDRESS_RATE_LIMIT_PER_MINUTE", "0")
    monkeypatch.setenv("MAX_REQUEST_BYTES", "1000")
    monkeypatch.setenv("MAX_SESSION_MESSAGES", "50")
    settings = get_settings()
    assert (settings.sender_per_minute, settings.sender_burst, settings.address_per_minute) == (30, 4, 0)
    assert (settings.max_request_bytes, settings.max_session_messages) == (1000, 50)
    assert settings.environment()["RATE_LIMIT_PER_MINUTE"] == "30"  # what the Rasa server process is given
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "lots")
    with pytest.raises(ConfigurationError, match="RATE_LIMIT_PER_MINUTE must be a whole number"):
        get_settings()


def test_the_429_sentence_is_in_the_pages_language() -> None:
    assert too_many_text("fr", 2.2) == (
        "Vous envoyez des messages plus vite que l'assistant ne peut répondre. Merci d'attendre 3 s, puis de réessayer."
    )
    assert too_many_text("en", 0.1).startswith("You are sending messages faster") and "wait 1 s" in too_many_text("en", 0.1)


def test_on_socketio_a_sender_over_its_rate_is_asked_to_wait_and_not_understood() -> None:
    import dataclasses

    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from assistant.server.channels import guarded
    from assistant.server.protection import Protection

    handled: list[str] = []

    async def understand(message: UserMessage) -> None:
        handled.append(message.text or "")
        await message.output_channel.send_text_message(message.sender_id, "an answer")

    settings = dataclasses.replace(get_settings(), sender_per_minute=20, sender_burst=2)
    handle = guarded(understand, Protection(settings, MemoryBuckets()))
    output = CollectingOutputChannel()
    for _ in range(3):
        asyncio.run(handle(UserMessage("bonjour", output, "socket-sender", metadata={"language": "fr"})))
    assert handled == ["bonjour", "bonjour"]
    assert output.messages[-1]["text"].startswith("Vous envoyez des messages plus vite")


@pytest.mark.parametrize(
    ("headers", "refused"),
    [
        ("Content-Length: 12", False),
        ("Transfer-Encoding: chunked", False),
        ("Content-Length: abc", True),
        ("Content-Length: -1", True),
        ("Transfer-Encoding: gzip", True),
        ("Transfer-Encoding: gzip\r\nContent-Length: 3", False),
    ],
)
def test_request_heads_sanic_would_fail_on_are_refused(headers: str, refused: bool) -> None:
    from assistant.server.protection import MalformedFraming, check_framing

    head = f"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: x\r\n{headers}".encode()
    if refused:
        with pytest.raises(MalformedFraming):
            asyncio.run(check_framing(head))
    else:
        asyncio.run(check_framing(head))
