"""The held-out question set: questions never used for training, with what each answer must contain."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from assistant.config import PROJECT_ROOT, get_settings
from assistant.metadata import known_schools, school_id
from assistant.wording import load_wording
from assistant.wording_keys import WORDING_KEYS

HELDOUT_DIR = PROJECT_ROOT / "tests" / "data" / "heldout"
# A question's reply must fit this many characters (buttons aside) unless the question sets its own `max_chars`.
DEFAULT_MAX_CHARS = 600


@dataclass(frozen=True)
class HeldoutQuestion:
    id: str
    language: str
    question: str
    intent: str
    school: str | None = None
    expect: tuple[str, ...] = ()
    forbid: tuple[str, ...] = ()
    expect_response: str | None = None
    max_chars: int = DEFAULT_MAX_CHARS


@dataclass
class Outcome:
    question: HeldoutQuestion
    answer: str
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def known_school(school: str | None, path: Path, entry_id: str) -> str | None:
    """A question set's school: one of the database's school ids (what the widget sends), or none.

    Raises:
        ValueError: another id, which a web page could not send.
    """
    if school is not None and school_id(school) is None:
        raise ValueError(f"{path.name}, {entry_id}: school {school!r} is not one of {sorted(known_schools())}")
    return school


def load_heldout(directory: Path = HELDOUT_DIR) -> list[HeldoutQuestion]:
    questions = []
    for path in sorted(directory.glob("*.yml")):
        language = path.stem
        for entry in YAML(typ="safe").load(path.read_text(encoding="utf-8")):
            questions.append(
                HeldoutQuestion(
                    id=entry["id"],
                    language=language,
                    question=entry["question"],
                    intent=entry["intent"],
                    school=known_school(entry.get("school"), path, entry["id"]),
                    expect=tuple(entry.get("expect") or ()),
                    forbid=tuple(entry.get("forbid") or ()),
                    expect_response=entry.get("expect_response"),
                    max_chars=entry.get("max_chars", DEFAULT_MAX_CHARS),
                )
            )
    return questions


def response_texts(domain_path: Path = PROJECT_ROOT / "domain.yml") -> dict[tuple[str, str], str]:
    """The text of each plain response of the domain and of each wording entry without placeholders, per language."""
    domain = YAML(typ="safe").load(domain_path.read_text(encoding="utf-8"))
    texts: dict[tuple[str, str], str] = {}
    for name, variants in domain["responses"].items():
        for variant in variants:
            language = "fr" if any(c.get("value") == "fr" for c in variant.get("condition") or []) else "en"
            texts.setdefault((name, language), variant["text"])
    wording = load_wording(get_settings().wording_dir)
    for name, placeholders in WORDING_KEYS.items():
        if not placeholders.filled:
            for language in ("en", "fr"):
                texts[(name, language)] = wording.text(name, language)
    return texts


def judge(question: HeldoutQuestion, answer: str, responses: dict[tuple[str, str], str]) -> Outcome:
    """Whether an answer contains every expected fact, no forbidden one, and the expected response."""
    outcome = Outcome(question, answer, fact_problems(answer, question.expect, question.forbid))
    if len(answer) > question.max_chars:
        outcome.problems.append(f"{len(answer)} characters, limit {question.max_chars}")
    if question.expect_response:
        text = responses.get((question.expect_response, question.language))
        if text is None or text not in answer:
            outcome.problems.append(f"not the {question.expect_response} response in {question.language}")
    return outcome


def fact_problems(answer: str, expect: tuple[str, ...], forbid: tuple[str, ...]) -> list[str]:
    """The expected facts an answer misses and the forbidden ones it holds (case-insensitive)."""
    folded = answer.casefold()
    return [f"missing {expected!r}" for expected in expect if expected.casefold() not in folded] + [
        f"contains forbidden {forbidden!r}" for forbidden in forbid if forbidden.casefold() in folded
    ]


def page_metadata(question: HeldoutQuestion) -> dict[str, str]:
    """The metadata a school's web page would send with the question."""
    metadata = {"language": question.language}
    if question.school:
        metadata["school"] = question.school
    return metadata


def run_heldout(ask: Callable[[str, dict], str], questions: list[HeldoutQuestion]) -> list[Outcome]:
    """Ask every question as a new conversation, with the page metadata a school's web page would send."""
    responses = response_texts()
    return [judge(question, ask(question.question, page_metadata(question)), responses) for question in questions]


def pass_rates(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """Passed and total per language."""
    rates: dict[str, tuple[int, int]] = {}
    for outcome in outcomes:
        passed, total = rates.get(outcome.question.language, (0, 0))
        rates[outcome.question.language] = (passed + outcome.passed, total + 1)
    return rates


def length_summary(lengths: list[int]) -> dict[str, int]:
    """Median, 90th percentile and maximum of reply lengths in characters."""
    if not lengths:
        return {"median": 0, "p90": 0, "max": 0}
    ordered = sorted(lengths)
    return {
        "median": round(statistics.median(ordered)),
        "p90": ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))],
        "max": ordered[-1],
    }


def write_report(outcomes: list[Outcome], path: Path) -> None:
    lines = report_header("Held-out questions", pass_rates(outcomes), [len(outcome.answer) for outcome in outcomes])
    for outcome in outcomes:
        if not outcome.passed:
            answer = outcome.answer.replace("\n", " / ")[:400]
            lines.append(
                f"- `{outcome.question.id}` ({outcome.question.intent}) {outcome.question.question!r}: "
                f"{'; '.join(outcome.problems)}. Answer: {answer!r}"
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def report_header(title: str, rates: dict[str, tuple[int, int]], lengths: list[int]) -> list[str]:
    """A question set report's opening lines: what passed per language, and how long the replies were."""
    summary = length_summary(lengths)
    return [
        f"# {title} through the real servers",
        "",
        *(
            f"- {language}: {passed}/{total} passed ({100 * passed / total:.1f} %)"
            for language, (passed, total) in sorted(rates.items())
        ),
        f"- reply length (characters, buttons aside): median {summary['median']}, p90 {summary['p90']}, "
        f"max {summary['max']}",
        "",
        "## Failures",
        "",
    ]
