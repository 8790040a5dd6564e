"""Simulated students on the REST webhook: conversations of held-out questions and follow-ups, closed loop."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field

import aiohttp

from assistant.bench.client import ask_text
from assistant.bench.latency import LoadResult
from assistant.staff.heldout import HeldoutQuestion, page_metadata

# Short follow-ups as students type them after an answer (see README: "and in Sweden?", "how much?", "when?").
FOLLOW_UPS = {
    "en": ("and in Sweden?", "how much?", "when?", "how long is it?", "and in Lille?"),
    "fr": ("et en Suède ?", "combien ?", "quand ?", "ça dure combien de temps ?", "et à Lille ?"),
}
REQUEST_TIMEOUT_SECONDS = 30.0
LONG_CYCLE = 20


@dataclass(frozen=True)
class Turn:
    """One message of a simulated conversation."""

    text: str
    metadata: dict[str, str]
    follow_up: bool
    fixed_response: bool = False  # answered from domain.yml alone, without the action server


def conversation(questions: list[HeldoutQuestion], rng: random.Random) -> list[Turn]:
    """A new conversation: a held-out question, then up to two more turns.

    Each further turn is a short follow-up or another held-out question in the
    same language, sent from the same page (same metadata).
    """
    opener = rng.choice(questions)
    metadata = page_metadata(opener)
    same_language = [question for question in questions if question.language == opener.language]
    turns = [Turn(opener.question, metadata, follow_up=False, fixed_response=opener.expect_response is not None)]
    for _ in range(rng.choice((0, 1, 1, 2))):
        if rng.random() < 0.5:
            turns.append(Turn(rng.choice(FOLLOW_UPS[opener.language]), metadata, follow_up=True))
        else:
            question = rng.choice(same_language)
            turns.append(
                Turn(question.question, metadata, follow_up=True, fixed_response=question.expect_response is not None)
            )
    return turns


def is_answer(status: int, replies: object) -> bool:
    """A reply counts when the status is 200 and at least one bot message has text."""
    return (
        status == 200
        and isinstance(replies, list)
        and any(isinstance(reply, dict) and str(reply.get("text") or "").strip() for reply in replies)
    )


async def _send(session: aiohttp.ClientSession, url: str, sender: str, turn: Turn) -> bool:
    body = {"sender": sender, "message": turn.text, "metadata": turn.metadata}
    try:
        async with session.post(url, json=body) as response:
            replies = await response.json(content_type=None) if response.status == 200 else None
            return is_answer(response.status, replies)
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        return False


@dataclass
class _Tally:
    """The latencies and errors of the timed messages of one load run."""

    latencies: list[float] = field(default_factory=list)
    fixed_response: list[float] = field(default_factory=list)
    action: list[float] = field(default_factory=list)
    errors: int = 0
    follow_ups: int = 0

    async def send(self, session: aiohttp.ClientSession, url: str, sender: str, turn: Turn, follow_up: bool) -> None:
        sent = time.perf_counter()
        if await _send(session, url, sender, turn):
            latency = 1000 * (time.perf_counter() - sent)
            self.latencies.append(latency)
            (self.fixed_response if turn.fixed_response else self.action).append(latency)
            self.follow_ups += follow_up
        else:
            self.errors += 1

    def result(self, concurrency: int, seconds: float) -> LoadResult:
        return LoadResult(
            concurrency,
            seconds,
            tuple(self.latencies),
            self.errors,
            self.follow_ups,
            tuple(self.fixed_response),
            tuple(self.action),
        )


async def _run_level(
    url: str, concurrency: int, seconds: float, questions: list[HeldoutQuestion], seed: int
) -> LoadResult:
    tally = _Tally()
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=concurrency)
    started = time.perf_counter()
    deadline = started + seconds

    async def student(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        while time.perf_counter() < deadline:
            sender = f"bench-{uuid.uuid4().hex}"
            for turn in conversation(questions, rng):
                if time.perf_counter() >= deadline:
                    return
                await tally.send(session, url, sender, turn, turn.follow_up)

    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(*(student(number) for number in range(concurrency)))
    return tally.result(concurrency, time.perf_counter() - started)


def run_level(
    rasa_url: str, concurrency: int, seconds: float, questions: list[HeldoutQuestion], seed: int = 7
) -> LoadResult:
    """`concurrency` students, each sending its next message as soon as the last is answered, for `seconds`."""
    url = f"{rasa_url}/webhooks/rest/webhook"
    return asyncio.run(_run_level(url, concurrency, seconds, questions, seed))


@dataclass(frozen=True)
class RealisticModel:
    """Students arriving over `ramp_seconds`, each asking `questions` messages with a think time between them
    (exponential, mean `think_seconds`), as students of the schools' pages do."""

    ramp_seconds: float = 10.0
    questions: int = 4
    think_seconds: float = 5.0


async def _run_realistic(
    url: str, students: int, model: RealisticModel, questions: list[HeldoutQuestion], seed: int
) -> LoadResult:
    tally = _Tally()
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    connector = aiohttp.TCPConnector(limit=0)
    started = time.perf_counter()

    async def student(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        await asyncio.sleep(model.ramp_seconds * number / max(1, students))
        sender = f"bench-{uuid.uuid4().hex}"
        turns = conversation(questions, rng)
        while len(turns) < model.questions:
            turns += conversation(questions, rng)[: model.questions - len(turns)]
        for index, turn in enumerate(turns[: model.questions]):
            if index:
                await asyncio.sleep(rng.expovariate(1 / model.think_seconds))
            await tally.send(session, url, sender, turn, index > 0)

    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(*(student(number) for number in range(students)))
    return tally.result(students, time.perf_counter() - started)


def run_realistic(
    rasa_url: str,
    students: int,
    questions: list[HeldoutQuestion],
    model: RealisticModel = RealisticModel(),
    seed: int = 7,
) -> LoadResult:
    """`students` students of the realistic model; `concurrency` of the result is the number of students."""
    return asyncio.run(_run_realistic(f"{rasa_url}/webhooks/rest/webhook", students, model, questions, seed))


def warm_up(rasa_url: str, questions: list[HeldoutQuestion], messages: int) -> None:
    """A few messages first: the servers' first answers load caches and are slower than any later one."""
    for question in questions[:messages]:
        ask_text(rasa_url, question.question, {"language": question.language})


def long_conversation(
    rasa_url: str, messages: int, questions: list[HeldoutQuestion]
) -> tuple[list[float], list[float]]:
    """The latencies in ms of messages 1-20 of a new conversation and of the last 20 of one of `messages`
    messages: the same 20 held-out questions and follow-ups from one page, over and over, so that they are the
    same messages. The long conversation's first messages are sent untimed, then its last 20 alternately with
    the new one's 20: both meet the same load of the machine (on a shared machine, a series of 20 messages
    takes up to 1.8 times another a minute later)."""
    rng = random.Random(17)
    cycle: list[Turn] = []
    while len(cycle) < LONG_CYCLE:
        cycle += conversation(questions, rng)
    metadata = cycle[0].metadata
    turns = [Turn(cycle[index % LONG_CYCLE].text, metadata, index % LONG_CYCLE > 0) for index in range(messages)]
    url = f"{rasa_url}/webhooks/rest/webhook"
    long_sender, new_sender = f"bench-long-{uuid.uuid4().hex}", f"bench-new-{uuid.uuid4().hex}"

    async def timed(session: aiohttp.ClientSession, sender: str, turn: Turn) -> float:
        sent = time.perf_counter()
        await _send(session, url, sender, turn)
        return 1000 * (time.perf_counter() - sent)

    async def run() -> tuple[list[float], list[float]]:
        first: list[float] = []
        last: list[float] = []
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)) as session:
            for turn in turns[: messages - LONG_CYCLE]:
                await _send(session, url, long_sender, turn)
            for index, turn in enumerate(turns[messages - LONG_CYCLE :]):
                first.append(await timed(session, new_sender, turns[index]))
                last.append(await timed(session, long_sender, turn))
        return first, last

    return asyncio.run(run())
