"""Blind question sets: conversations written from the source documents, never tuned on.

Each conversation is one or more turns asked in the same conversation, with what each
reply must hold, what it must not, the value its first sentence must state, and a
length limit: a reply is judged as a student would read it, not only for its facts.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from assistant.config import PROJECT_ROOT
from assistant.staff.heldout import fact_problems, known_school, report_header

BLIND_DIR = PROJECT_ROOT / "tests" / "data" / "blind"
# Every blind set, by name: a new one is written before each round of changes it measures, and the older ones
# are kept to show that what was gained holds.
BLIND_SETS = {
    "blind": BLIND_DIR,
    "blind-2": PROJECT_ROOT / "tests" / "data" / "blind-2",
    "blind-3": PROJECT_ROOT / "tests" / "data" / "blind-3",
    "blind-4": PROJECT_ROOT / "tests" / "data" / "blind-4",
    "blind-5": PROJECT_ROOT / "tests" / "data" / "blind-5",
    "blind-6": PROJECT_ROOT / "tests" / "data" / "blind-6",
    "blind-7": PROJECT_ROOT / "tests" / "data" / "blind-7",
    "blind-8": PROJECT_ROOT / "tests" / "data" / "blind-8",
    "blind-9": PROJECT_ROOT / "tests" / "data" / "blind-9",
    "blind-10": PROJECT_ROOT / "tests" / "data" / "blind-10",
    "blind-11": PROJECT_ROOT / "tests" / "data" / "blind-11",
}
# A sentence ends at a full stop, question or exclamation mark followed by a space, or at a line break; not after
# a title or an abbreviation ("Dr. Vincent SOBANSKI", "e.g. Erasmus", "Ph.D. programs").
SENTENCE_END = re.compile(
    r"(?<!\bDr\.)(?<!\bPr\.)(?<!\bProf\.)(?<!\bMr\.)(?<!\bSt\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!Ph\.D\.)(?<=[.!?…])\s|\n"
)


@dataclass(frozen=True)
class Turn:
    ask: str
    expect: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    lead: str | None = None
    max_chars: int | None = None


@dataclass(frozen=True)
class ScriptedConversation:
    id: str
    language: str
    turns: tuple[Turn, ...]
    school: str | None = None

    @property
    def metadata(self) -> dict[str, str]:
        """What the web page sends with every message: its language and, when it has one, its school."""
        metadata = {"language": self.language}
        if self.school:
            metadata["school"] = self.school
        return metadata


@dataclass
class TurnOutcome:
    conversation: ScriptedConversation
    index: int
    answer: str
    problems: list[str] = field(default_factory=list)

    @property
    def turn(self) -> Turn:
        return self.conversation.turns[self.index]

    @property
    def passed(self) -> bool:
        return not self.problems


def load_conversations(directory: Path = BLIND_DIR) -> list[ScriptedConversation]:
    """The conversations of every `<language>.yml` file of a folder."""
    conversations = []
    for path in sorted(directory.glob("*.yml")):
        for entry in YAML(typ="safe").load(path.read_text(encoding="utf-8")):
            turns = tuple(
                Turn(
                    ask=turn["ask"],
                    expect=tuple(turn.get("expect") or ()),
                    forbid=tuple(turn.get("forbid") or ()),
                    lead=turn.get("lead"),
                    max_chars=turn.get("max_chars"),
                )
                for turn in entry["turns"]
            )
            conversations.append(
                ScriptedConversation(
                    entry["id"], path.stem, turns, known_school(entry.get("school"), path, entry["id"])
                )
            )
    return conversations


def first_sentence(answer: str) -> str:
    """The reply's first sentence: up to the first full stop, question or exclamation mark, or line break."""
    return SENTENCE_END.split(answer.strip(), maxsplit=1)[0]


def judge_turn(conversation: ScriptedConversation, index: int, answer: str) -> TurnOutcome:
    """Whether a reply holds every expected fact, no forbidden one, leads with the asked value and is short enough."""
    turn = conversation.turns[index]
    outcome = TurnOutcome(conversation, index, answer, fact_problems(answer, turn.expect, turn.forbid))
    if turn.lead and turn.lead.casefold() not in first_sentence(answer).casefold():
        outcome.problems.append(f"{turn.lead!r} not in the first sentence")
    if turn.max_chars is not None and len(answer) > turn.max_chars:
        outcome.problems.append(f"{len(answer)} characters, limit {turn.max_chars}")
    return outcome


def run_conversations(
    ask: Callable[[str, str, dict[str, str]], str], conversations: list[ScriptedConversation]
) -> list[TurnOutcome]:
    """Play each conversation with a sender of its own; `ask(sender, text, metadata)` returns the reply text."""
    outcomes = []
    for conversation in conversations:
        sender = uuid.uuid4().hex
        for index, turn in enumerate(conversation.turns):
            outcomes.append(judge_turn(conversation, index, ask(sender, turn.ask, conversation.metadata)))
    return outcomes


def turn_pass_rates(outcomes: list[TurnOutcome]) -> dict[str, tuple[int, int]]:
    """Turns passed and total per language."""
    rates: dict[str, tuple[int, int]] = {}
    for outcome in outcomes:
        passed, total = rates.get(outcome.conversation.language, (0, 0))
        rates[outcome.conversation.language] = (passed + outcome.passed, total + 1)
    return rates


def write_report(outcomes: list[TurnOutcome], path: Path, title: str = "Blind conversations") -> None:
    """Pass rates, reply lengths and every failed turn, with its reply."""
    lines = report_header(title, turn_pass_rates(outcomes), [len(outcome.answer) for outcome in outcomes])
    for outcome in outcomes:
        if not outcome.passed:
            answer = outcome.answer.replace("\n", " / ")[:500]
            lines.append(
                f"- `{outcome.conversation.id}` turn {outcome.index + 1} {outcome.turn.ask!r}: "
                f"{'; '.join(outcome.problems)}. Reply: {answer!r}"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
