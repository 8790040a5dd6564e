"""How long a fee changed in a knowledge file takes to reach the live answer, without retraining or restart."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.db.session import create_db_engine
from assistant.knowledge.loader import load_knowledge
from assistant.knowledge.store import import_knowledge
from assistant.staff.heldout import HeldoutQuestion, page_metadata

AMOUNT = re.compile(r"€(\d{1,3}(?:,\d{3})+|\d+)")
PROGRAMMES_FILE = "programmes.yml"


@dataclass(frozen=True)
class FeeChange:
    """A held-out fee question, the amount its answer gives now, and the amount it should give after the change."""

    question: HeldoutQuestion
    old: str
    new: str

    def describe(self) -> str:
        return (
            f"{self.old} replaced by {self.new} in a copy of `data/knowledge/{PROGRAMMES_FILE}`, imported with "
            f"the import code into the running assistant's database; then the held-out question "
            f'"{self.question.question}" is asked every 0.25 s until the reply gives {self.new}.'
        )


def fee_change(questions: list[HeldoutQuestion], programmes_text: str) -> FeeChange | None:
    """The first held-out fee question whose expected amount is written in the programmes file, raised by 100."""
    for question in questions:
        if question.intent != "ask_fees":
            continue
        for expected in question.expect:
            match = AMOUNT.fullmatch(expected)
            if match and expected in programmes_text:
                new = f"€{int(match.group(1).replace(',', '')) + 100:,}"
                if new not in programmes_text:
                    return FeeChange(question, expected, new)
    return None


def time_to_live_answer(
    change: FeeChange,
    knowledge_dir: Path,
    work_dir: Path,
    database_url: str,
    ask: Callable[[str, dict[str, str]], str],
    wait_seconds: float = 30.0,
) -> tuple[float | None, float]:
    """Apply the change to a copy of the knowledge files, import it, and wait for the live answer.

    Returns:
        Seconds from the import's start to the first reply with the new amount (None if not within
        `wait_seconds`), and the seconds the import itself took.
    """
    edited = work_dir / "knowledge"
    shutil.copytree(knowledge_dir, edited)
    programmes = edited / PROGRAMMES_FILE
    programmes.write_text(programmes.read_text(encoding="utf-8").replace(change.old, change.new), encoding="utf-8")
    engine = create_db_engine(database_url, timeout_seconds=5)
    try:
        started = time.monotonic()
        import_knowledge(load_knowledge(edited), engine)
        imported = time.monotonic() - started
        while time.monotonic() - started < wait_seconds:
            if change.new in ask(change.question.question, page_metadata(change.question)):
                return time.monotonic() - started, imported
            time.sleep(0.25)
        return None, imported
    finally:
        engine.dispose()
