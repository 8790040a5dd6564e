"""NLU scores per language (precision, recall and F1 per intent, the worst confusions), by cross-validation."""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

from assistant.config import PROJECT_ROOT

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str
    message: Any  # the Rasa training Message, with its entity annotations


@dataclass(frozen=True)
class Prediction:
    example: Example
    predicted: str


@contextmanager
def quiet_rasa() -> Iterator[None]:
    """Keep TensorFlow's and Rasa's start-up chatter and per-message debug lines off the staff's screen.

    Rasa logs every parsed message at debug level, which an unconfigured structlog prints.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import structlog

        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
        yield


def load_examples(nlu_dir: Path = NLU_DIR) -> list[Example]:
    """Every training example with its intent and language (the folder it is in)."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for language in LANGUAGES:
        data = load_data(str(nlu_dir / language))
        for message in data.intent_examples:
            examples.append(Example(message.get("text"), message.get("intent"), language, message))
    return examples


def _training_file(examples: list[Example], path: Path) -> None:
    from rasa.shared.nlu.training_data.training_data import TrainingData

    data = TrainingData(training_examples=[example.message for example in examples])
    path.write_text(data.nlu_as_yaml(), encoding="utf-8")


def cross_validate(
    folds: int = 5,
    seed: int = 42,
    config: Path = PROJECT_ROOT / "config.yml",
    progress: Callable[[str], None] = lambda _: None,
) -> list[Prediction]:
    """Train on k-1 folds, predict the held-back fold, for every fold (stratified by intent)."""
    with quiet_rasa():
        from rasa.core.agent import Agent
        from rasa.model_training import train_nlu

    examples = load_examples()
    labels = [f"{example.intent}/{example.language}" for example in examples]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    predictions: list[Prediction] = []
    with tempfile.TemporaryDirectory() as work:
        for fold, (train_index, test_index) in enumerate(splitter.split(examples, labels), start=1):
            progress(f"fold {fold}/{folds}: training on {len(train_index)} examples")
            training = Path(work) / f"fold{fold}.yml"
            _training_file([examples[i] for i in train_index], training)
            model = train_nlu(str(config), str(training), str(Path(work) / "models"), fixed_model_name=f"fold{fold}")
            agent = Agent.load(model)
            progress(f"fold {fold}/{folds}: predicting {len(test_index)} examples")
            for i in test_index:
                parsed = asyncio.run(agent.parse_message(examples[i].text))
                ranking = [
                    item["name"] for item in parsed.get("intent_ranking") or [] if item["name"] != "nlu_fallback"
                ]
                predictions.append(Prediction(examples[i], ranking[0] if ranking else "nlu_fallback"))
    return predictions


def macro_f1(predictions: list[Prediction], language: str) -> float:
    chosen = [p for p in predictions if p.example.language == language]
    return float(
        f1_score([p.example.intent for p in chosen], [p.predicted for p in chosen], average="macro", zero_division=0)
    )


def write_report(predictions: list[Prediction], path: Path, title: str) -> None:
    """Markdown report: macro F1 per language, per-intent scores, most confused pairs with examples."""
    lines = [f"# {title}", ""]
    for language in LANGUAGES:
        lines.append(f"- {language}: macro F1 {macro_f1(predictions, language):.3f}")
    for language in LANGUAGES:
        chosen = [p for p in predictions if p.example.language == language]
        truth = [p.example.intent for p in chosen]
        guessed = [p.predicted for p in chosen]
        intents = sorted(set(truth))
        precision, recall, f1, support = precision_recall_fscore_support(
            truth, guessed, labels=intents, zero_division=0
        )
        lines += ["", f"## {language}", "", "| intent | precision | recall | F1 | examples |", "|---|---|---|---|---|"]
        for row in zip(intents, precision, recall, f1, support, strict=True):
            lines.append(f"| {row[0]} | {row[1]:.2f} | {row[2]:.2f} | {row[3]:.2f} | {row[4]} |")
        confusions = Counter((p.example.intent, p.predicted) for p in chosen if p.example.intent != p.predicted)
        lines += ["", "Most confused (true → predicted, count, example):", ""]
        for (true, predicted), count in confusions.most_common(10):
            example = next(p.example.text for p in chosen if (p.example.intent, p.predicted) == (true, predicted))
            lines.append(f'- {true} → {predicted}: {count} ("{example}")')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
