"""A trained model's intents on the held-out questions (NLU only, in this process, no server)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.staff.evaluation import LANGUAGES, Example, Prediction, quiet_rasa
from assistant.staff.heldout import HeldoutQuestion, load_heldout


@dataclass(frozen=True)
class HeldoutScore:
    """How many held-out questions a model gave the right intent, per language."""

    correct: dict[str, int]
    total: dict[str, int]

    @property
    def accuracy(self) -> float:
        total = sum(self.total.values())
        return sum(self.correct.values()) / total if total else 0.0

    def __str__(self) -> str:
        per_language = ", ".join(
            f"{language} {100 * self.correct[language] / self.total[language]:.1f} %"
            for language in LANGUAGES
            if self.total.get(language)
        )
        return f"{100 * self.accuracy:.1f} % of {sum(self.total.values())} held-out questions ({per_language})"


def predict_heldout(
    model: Path, questions: list[HeldoutQuestion] | None = None, progress: Callable[[str], None] = lambda _: None
) -> list[Prediction]:
    """The intent a model gives each held-out question (`nlu_fallback` when it is unsure)."""
    with quiet_rasa():
        from rasa.core.agent import Agent
        from rasa.core.channels.channel import UserMessage

        questions = load_heldout() if questions is None else questions
        progress(f"loading {model.name}")
        agent = Agent.load(str(model))

    async def parse_all() -> list[Prediction]:
        predictions = []
        for question in questions:
            metadata = {"language": question.language}
            if question.school:
                metadata["school"] = question.school
            parsed = await agent.processor.parse_message(UserMessage(question.question, metadata=metadata))
            predicted = (parsed.get("intent") or {}).get("name") or "nlu_fallback"
            predictions.append(
                Prediction(Example(question.question, question.intent, question.language, None), predicted)
            )
        return predictions

    progress(f"asking {len(questions)} held-out questions")
    return asyncio.run(parse_all())


def score(predictions: list[Prediction]) -> HeldoutScore:
    correct = dict.fromkeys(LANGUAGES, 0)
    total = dict.fromkeys(LANGUAGES, 0)
    for prediction in predictions:
        total[prediction.example.language] += 1
        correct[prediction.example.language] += prediction.predicted == prediction.example.intent
    return HeldoutScore(correct, total)
