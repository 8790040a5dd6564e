"""Intents a trained model gives the held-out questions, parsed in this process with the page metadata."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from assistant.staff.evaluation import quiet_rasa
from assistant.staff.heldout import HeldoutQuestion, page_metadata


def predict_intents(model: Path, questions: list[HeldoutQuestion]) -> tuple[list[str], float]:
    """The intent the model's NLU gives each question (after its fallback), and the mean parse time in ms."""
    with quiet_rasa():
        from rasa.core.agent import Agent
        from rasa.core.channels.channel import UserMessage

        agent = Agent.load(str(model))

    async def parse_all() -> list[str]:
        intents = []
        for number, question in enumerate(questions):
            message = UserMessage(question.question, sender_id=f"bench-{number}", metadata=page_metadata(question))
            parsed = await agent.processor.parse_message(message)
            intents.append((parsed.get("intent") or {}).get("name") or "")
        return intents

    started = time.perf_counter()
    intents = asyncio.run(parse_all())
    return intents, 1000 * (time.perf_counter() - started) / max(1, len(questions))
