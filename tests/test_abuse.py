"""One client cannot hurt the others, through the real servers with small limits kept in Redis.

Each test plays its clients from loopback addresses of their own (127.0.x.y), so that the per-address limit
sees them as different clients, as it would see students on different networks.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine

from assistant.config import REPORTS_DIR
from assistant.db.feedback import AnswerFeedback, Erasure
from assistant.db.session import create_db_engine, session_scope
from tests.conftest import RunningAssistant, running_assistant
from tests.http_client import Reply, announce_oversized_body, ask, post_json, request
from tests.services import ServerUnavailable, throwaway_redis

pytestmark = pytest.mark.servers

LIMITS = {
    "sender_per_minute": 20,
    "sender_burst": 8,
    "address_per_minute": 30,
    "address_burst": 12,
    "max_session_messages": 5,
}
QUESTION = "Which partner universities do you have in Spain?"
MALFORMED_SOCKET_EVENT = 'This message could not be read: send {"message": "...", "session_id": "..."} after a session_request.'
FIGURES: dict[str, str] = {}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory, knowledge) -> Iterator[RunningAssistant]:
    """The real servers with small limits, their buckets in a throwaway Redis."""
    try:
        with throwaway_redis() as redis_url, running_assistant(
            tmp_path_factory.mktemp("guarded"), knowledge, redis_url=redis_url, **LIMITS
        ) as running:
            yield running
    except ServerUnavailable as error:
        pytest.fail(str(error), pytrace=False)
    if FIGURES:
        REPORTS_DIR.mkdir(parents=True, exist_ok=True)
        (REPORTS_DIR / "abuse.md").write_text(
            "\n".join(["# Measured by tests/test_abuse.py", "", *FIGURES.values(), ""]), encoding="utf-8"
        )


@pytest.fixture(scope="module")
def database(guarded: RunningAssistant) -> Iterator[Engine]:
    engine = create_db_engine(guarded.services.settings.database_url, timeout_seconds=5)
    yield engine
    engine.dispose()


def student_id() -> str:
    """An id as the widget makes them: 128 random bits in hexadecimal."""
    return uuid.uuid4().hex


def answered(reply: Reply) -> str:
    assert reply.status == 200, reply.body
    return "\n".join(message.get("text", "") for message in reply.json())


def test_a_flood_gets_429_while_another_student_keeps_the_usual_latency(guarded: RunningAssistant) -> None:
    url = guarded.rasa_url
    student, student_address = student_id(), "127.0.2.1"
    baseline = [ask(url, student, QUESTION, student_address) for _ in range(3)]
    assert all("Universidad de Cádiz" in answered(reply) for reply in baseline)

    flooding = threading.Event()
    flooding.set()
    floods: dict[str, list[Reply]] = {"sender": [], "address": []}
    flooder = student_id()

    def flood(kind: str, address: str) -> None:
        while flooding.is_set():
            sender = flooder if kind == "sender" else student_id()
            reply = ask(url, sender, QUESTION, address, metadata={"language": "fr"})
            floods[kind].append(reply)

    # One sender from several addresses (so that only its own rate stops it), and many senders from one address.
    threads = [threading.Thread(target=flood, args=("sender", f"127.0.3.{n}")) for n in range(1, 4)]
    threads += [threading.Thread(target=flood, args=("address", "127.0.4.1")) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        # Until both floods are over their rates and what they were allowed is answered (each thread waits for its
        # answer before sending again: six refusals in a row mean none of the three is waiting on a real answer).
        deadline = time.monotonic() + 60
        while not all(len(replies) >= 6 and {reply.status for reply in replies[-6:]} == {429}
                      for replies in floods.values()):
            assert time.monotonic() < deadline, "the floods were never refused"
            time.sleep(0.05)
        time.sleep(0.5)
        flooded_from = {kind: len(replies) for kind, replies in floods.items()}
        during = []
        for _ in range(4):  # a student reading each answer a moment before the next question
            during.append(ask(url, student, QUESTION, student_address))
            time.sleep(0.25)
        flooded = {kind: len(replies) - flooded_from[kind] for kind, replies in floods.items()}
    finally:
        flooding.clear()
        for thread in threads:
            thread.join()

    assert all("Universidad de Cádiz" in answered(reply) for reply in during)
    for kind, replies in floods.items():
        allowed = sum(reply.status == 200 for reply in replies)
        refused = [reply for reply in replies if reply.status == 429]
        burst = LIMITS[f"{kind}_burst"]
        assert burst <= allowed <= burst + 6, (kind, allowed)  # the burst, and what the rate refilled meanwhile
        assert len(refused) > 3 * allowed, (kind, len(refused))
        assert {reply.status for reply in replies} == {200, 429}
        assert all(int(reply.headers["retry-after"]) >= 1 for reply in refused)
        assert refused[-1].json()["error"].startswith("Vous envoyez des messages plus vite")  # the page's language
        assert flooded[kind] >= 6, "the flood went on while the student was measured"  # two per thread at least
    usual = statistics.median(reply.seconds for reply in baseline)
    under_flood = statistics.median(reply.seconds for reply in during)
    refused_seconds = statistics.median(reply.seconds for replies in floods.values() for reply in replies if reply.status == 429)
    FIGURES["latency"] = (
        f"- another student's reply, median: {1000 * usual:.0f} ms alone, {1000 * under_flood:.0f} ms during the floods "
        f"({sum(flooded.values())} refused requests meanwhile, each answered 429 in a median {1000 * refused_seconds:.1f} ms)"
    )
    assert under_flood <= 2 * usual + 0.25, FIGURES["latency"]


async def socketio_student(url: str, address: str, questions: list[Any], page: Any) -> list[str]:
    """One student on the widget's socket.io channel, from `address`: sends every question at once and returns the
    replies' texts, once there is one per question and none has come for 2 s (or after 30 s)."""
    import aiohttp
    import socketio

    replies: list[str] = []
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(local_addr=(address, 0)))
    client = socketio.AsyncClient(http_session=session)
    client.on("bot_uttered", lambda data: replies.append(data.get("text", "")))
    confirmed = asyncio.get_running_loop().create_future()
    client.on("session_confirm", lambda session_id: confirmed.set_result(session_id))
    try:
        # Polling only: this aiohttp's websocket client is older than python-engineio's expects.
        await client.connect(url, transports=["polling"], socketio_path="/socket.io")
        await client.emit("session_request", {"session_id": student_id()})
        session_id = await asyncio.wait_for(confirmed, 10)
        for question in questions:
            event = question if isinstance(question, dict) else {"message": question, "session_id": session_id}
            await client.emit("user_uttered", {"metadata": page, **event})
        deadline, seen = time.monotonic() + 30, -1
        while time.monotonic() < deadline and (len(replies) < len(questions) or seen != len(replies)):
            seen = len(replies)
            await asyncio.sleep(2)
    finally:
        await client.disconnect()
        await session.close()
    return replies


def test_on_socketio_many_students_from_one_address_are_asked_to_wait_while_another_is_answered(
    guarded: RunningAssistant,
) -> None:
    url, page = guarded.rasa_url, {"language": "fr"}
    # Three conversations from one address, each under its own sender's burst, together over the address's.
    per_student = LIMITS["sender_burst"] - 2
    flood_size = 3 * per_student

    async def play() -> tuple[list[list[str]], list[str]]:
        floods = asyncio.gather(
            *(socketio_student(url, "127.0.9.1", ["Bonjour !"] * per_student, page) for _ in range(3))
        )
        return await asyncio.gather(floods, socketio_student(url, "127.0.9.2", [QUESTION], {"language": "en"}))

    flooded, other = asyncio.run(play())
    replies = [reply for student in flooded for reply in student]
    waits = [reply for reply in replies if reply.startswith("Vous envoyez des messages plus vite")]
    answers = [reply for reply in replies if reply not in waits]
    # The burst, and at most what the rate (30 a minute) refilled while they were answered.
    assert flood_size - LIMITS["address_burst"] - 3 <= len(waits) <= flood_size - LIMITS["address_burst"], replies
    assert answers and all("Bonjour" in answer for answer in answers), answers
    assert "Universidad de Cádiz" in "\n".join(other)


def test_on_socketio_a_malformed_event_gets_a_plain_sentence_and_the_conversation_goes_on(
    guarded: RunningAssistant,
) -> None:
    page = {"school": "lille-medicine", "language": "en"}
    odd = [{"message": "hello", "session_id": "\x00bad"}, {"message": ["not", "a", "text"]}, {"session_id": 7}]
    replies = asyncio.run(socketio_student(guarded.rasa_url, "127.0.9.3", [*odd, "partners in Belgium?"], page))
    assert replies[:3] == [MALFORMED_SOCKET_EVENT] * 3
    assert any("Gent" in reply or "Ghent" in reply for reply in replies[3:]), replies
    replies = asyncio.run(socketio_student(guarded.rasa_url, "127.0.9.3", ["Bonjour"], json.dumps(page)))
    assert replies and "Bonjour" in replies[0]  # metadata as a JSON text, as some socket.io clients send it


def test_a_body_over_the_limit_is_refused_with_413_before_it_is_read(guarded: RunningAssistant) -> None:
    url = guarded.rasa_url
    limit = guarded.services.settings.max_request_bytes
    head = announce_oversized_body(url, "/webhooks/rest/webhook", 50_000_000, b'{"sender": "x", "message": "')
    assert head.startswith(b"HTTP/1.1 413"), head[:200]
    for path in ("/webhooks/rest/webhook", "/webhooks/rest/feedback", "/webhooks/rest/erase"):
        body = json.dumps({"sender": student_id(), "message": "x" * (limit + 10)}).encode()
        reply = request(url, "POST", path, body, {"Content-Type": "application/json"}, source="127.0.5.1")
        assert reply.status == 413, path
    just_under = json.dumps({"sender": student_id(), "message": "partners in Spain? " * ((limit - 200) // 19)})
    assert len(just_under.encode()) < limit
    assert answered(post_json(url, "/webhooks/rest/webhook", json.loads(just_under), source="127.0.5.2"))


def test_a_conversation_past_the_bound_goes_on_in_a_new_session(guarded: RunningAssistant, database: Engine) -> None:
    sender, bound = student_id(), LIMITS["max_session_messages"]
    page = {"school": "lille-medicine", "language": "en"}
    for _ in range(bound):
        ask(guarded.rasa_url, sender, "Quelles universités partenaires avez-vous en Espagne ?", "127.0.6.1", page)
    last = ask(guarded.rasa_url, sender, "et en Suède ?", "127.0.6.1", page)
    with database.connect() as connection:
        kinds = connection.execute(
            text("SELECT type_name FROM events WHERE sender_id = :sender ORDER BY id"), {"sender": sender}
        ).scalars().all()
    starts = [index for index, kind in enumerate(kinds) if kind == "session_started"]
    users = [index for index, kind in enumerate(kinds) if kind == "user"]
    assert len(starts) == 2, kinds
    assert sum(starts[0] < index < starts[1] for index in users) == bound  # the first session: exactly the bound
    assert sum(index > starts[1] for index in users) == 1
    # The conversation goes on: its language (French on an English page) and its topic carried into the new session.
    assert "Suède" in answered(last) and "partenaire" in answered(last)


def test_unknown_metadata_is_stored_as_not_given(guarded: RunningAssistant, database: Engine) -> None:
    odd, known = student_id(), student_id()
    ask(guarded.rasa_url, odd, "hello", "127.0.7.1", {"school": "harvard", "language": "de", "x": "y" * 1000})
    ask(guarded.rasa_url, known, "hello", "127.0.7.1", {"school": "lille-medicine", "language": "fr"})
    spoofed = post_json(guarded.rasa_url, "/webhooks/rest/webhook",
                        {"sender": odd, "message": "hi", "input_channel": "socketio", "metadata": "lille"}, "127.0.7.1")
    assert spoofed.status == 200
    with database.connect() as connection:
        stored = {
            sender: [json.loads(data) for data in connection.execute(
                text("SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' ORDER BY id"),
                {"sender": sender},
            ).scalars()]
            for sender in (odd, known)
        }
    page_keys = ("school", "language")
    assert [{key: event["metadata"].get(key) for key in page_keys} for event in stored[odd]] == [
        {"school": None, "language": None}
    ] * 2
    assert all("x" not in event["metadata"] for event in stored[odd])
    assert {event["input_channel"] for event in stored[odd]} == {"rest"}
    assert {key: stored[known][0]["metadata"].get(key) for key in page_keys} == {"school": "lille-medicine", "language": "fr"}


def test_a_student_erases_exactly_their_conversation(guarded: RunningAssistant, database: Engine) -> None:
    url, address = guarded.rasa_url, "127.0.8.1"
    mine, theirs = student_id(), student_id()
    for sender in (mine, theirs):
        ask(url, sender, QUESTION, address)
        rating = {"sender": sender, "rating": "down", "answer": "An answer.", "question": QUESTION}
        assert post_json(url, "/webhooks/rest/feedback", rating, address).status == 200

    def stored(sender: str) -> tuple[int, int]:
        with session_scope(database) as session:
            events = session.execute(text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()
            ratings = session.scalar(select(func.count()).select_from(AnswerFeedback).where(
                AnswerFeedback.conversation_id == sender))
            return events, ratings

    with session_scope(database) as session:
        erasures_before = session.scalar(select(func.count()).select_from(Erasure))
    assert post_json(url, "/webhooks/rest/erase", {"sender": mine}, address).json() == {"status": "erased"}
    assert stored(mine) == (0, 0)
    assert stored(theirs)[0] > 0 and stored(theirs)[1] == 1
    assert post_json(url, "/webhooks/rest/erase", {"sender": mine}, address).status == 200  # again: nothing left
    with session_scope(database) as session:
        assert session.scalar(select(func.count()).select_from(Erasure)) == erasures_before + 1
    guessable = post_json(url, "/webhooks/rest/erase", {"sender": "alice"}, address)
    assert guessable.status == 403 and "chat widget" in guessable.json()["error"]
    assert post_json(url, "/webhooks/rest/erase", ["not", "an", "object"], address).status == 400
    # The conversation id can go on: a new conversation, with nothing of the erased one.
    assert "Universidad de Cádiz" in answered(ask(url, mine, QUESTION, address))


def hostile_requests() -> list[tuple[str, str, bytes | None, dict[str, str]]]:
    """At least 500 requests no web page sends: (method, path, body, headers)."""
    json_type = {"Content-Type": "application/json"}
    routes = ["/webhooks/rest/webhook", "/webhooks/rest/feedback", "/webhooks/rest/erase", "/webhooks/rest/privacy",
              "/webhooks/rest/", "/", "/socket.io/?EIO=4&transport=polling", "/webhooks/rest/nothing", "/model/parse"]
    odd_texts = ["\ud800", "\udfff\ud800", "\x00\x1b[2J\x07", "\u202eevil\u202c", "🎓" * 2000, "Z̸̢͓a̷l̴g̵o̶" * 50,
                 "x" * 60_000, "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://x}", "%s%n%x", "\ufeff\u200b"]
    payloads = ["/restart", "/session_start", "/nlu_fallback", "/ask_partners{\"country\": {\"$gt\": \"\"}}",
                '/ask_fees{"programme": "\' OR 1=1 --"}', '/ask_partners{"country": ', "/ask_partners{" + "[" * 500,
                '/greet{"language": "de", "school": "harvard"}', "/" + "a" * 5000, '/ask_contact{"institution": 42}']
    wrong_types: list[object] = [None, 42, 3.5, True, [], {}, ["x"], {"a": 1}, "", " ", "x" * 300]
    bodies: list[bytes] = [b"", b"not json", b"{", b"[]", b"null", b"42", b'"text"', b"{\"sender\": }", b"\xff\xfe\x00",
                           b"[" * 100_000, json.dumps({"a": [[[[]]]]}).encode(), b'{"sender": "\\ud800", "message": 1}']
    requests: list[tuple[str, str, bytes | None, dict[str, str]]] = []
    for route in routes:
        for method in ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"):
            requests.append((method, route, b"{}" if method in ("POST", "PUT", "PATCH") else None, json_type))
        for body in bodies:
            requests.append(("POST", route, body, json_type))
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                             "application/xml", "application/json; charset=latin-1"):
            requests.append(("POST", route, b"sender=a&message=b", {"Content-Type": content_type}))
    for field in ("sender", "message", "metadata", "rating", "answer", "question", "input_channel"):
        for value in [*wrong_types, *odd_texts[:6]]:
            body = {"sender": student_id(), "message": "hello", "rating": "up", "answer": "An answer.", field: value}
            for route in routes[:3]:
                requests.append(("POST", route, json.dumps(body).encode(), json_type))
    for message in [*odd_texts, *payloads]:
        for metadata in (None, {"school": "harvard", "language": "de"}, {"school": message, "language": message}):
            body = {"sender": student_id(), "message": message, "metadata": metadata}
            requests.append(("POST", routes[0], json.dumps(body).encode(), json_type))
        requests.append(("POST", routes[0] + "?stream=true", json.dumps({"sender": student_id(), "message": message}).encode(), json_type))
    for size in (70_000, 200_000):
        requests.append(("POST", routes[0], json.dumps({"sender": "a", "message": "x" * size}).encode(), json_type))
    requests.append(("POST", routes[0], b"{}", {"Content-Type": "application/json", "Expect": "teapot"}))
    for framing in ({"Transfer-Encoding": "gzip"}, {"Transfer-Encoding": "Chunked"}, {"Content-Length": "abc"},
                    {"Content-Length": "-5"}):
        for route in routes[:4]:
            requests.append(("POST", route, b"{}", {"Content-Type": "application/json", **framing}))
    return requests


def test_hostile_requests_never_get_a_5xx_nor_a_dropped_connection(guarded: RunningAssistant) -> None:
    requests = hostile_requests()
    assert len(requests) >= 500

    def send(numbered: tuple[int, tuple[str, str, bytes | None, dict[str, str]]]) -> tuple[str, int | str]:
        index, (method, path, body, headers) = numbered
        source = f"127.1.{index // 200}.{index % 200 + 1}"  # an address each: the limits must not hide the handlers
        try:
            return f"{method} {path} {body[:60] if body else body!r}", request(
                guarded.rasa_url, method, path, body, headers, source=source, timeout=60
            ).status
        except Exception as error:  # a dropped or reset connection is a failure, reported with the request
            return f"{method} {path} {body[:60] if body else body!r}", f"{type(error).__name__}: {error}"

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(send, enumerate(requests)))
    seconds = time.monotonic() - started
    failures = [(what, status) for what, status in results if not isinstance(status, int) or status >= 500]
    assert not failures, failures[:10]
    statuses = sorted({status for _, status in results if isinstance(status, int)})
    FIGURES["fuzz"] = f"- {len(requests)} hostile requests in {seconds:.1f} s, answered with {statuses}"
    assert 413 in statuses and 400 in statuses and 200 in statuses
    assert "Universidad de Cádiz" in answered(ask(guarded.rasa_url, student_id(), QUESTION, "127.0.9.1"))
