"""Checks of the training phrases (data/nlu/<language>/*.yml) and the wording (data/wording/*.yml) that staff edit,
with file and line for each problem."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.process import cdist
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import MarkedYAMLError

from assistant.problems import FileProblem
from assistant.text import normalise
from assistant.wording import check_wording

LANGUAGES = ("en", "fr")
MINIMUM_EXAMPLES = 25
# fuzz.ratio of two normalised phrases, at or above which phrases of different intents are near-duplicates.
NEAR_DUPLICATE = 92.0
RASA_DATA_PATHS = ("data/nlu", "data/rules", "data/stories")
WORDING_FOLDER = "data/wording"
ANSI_CODES = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Phrase:
    """One training example as written, and where."""

    path: str
    line: int
    intent: str
    language: str
    text: str
    entities: tuple[str, ...]


@dataclass(frozen=True)
class IntentBlock:
    path: str
    line: int
    intent: str
    language: str


def _examples(block: object, first_line: int) -> Iterator[tuple[int, str]]:
    """(line, example) for each `- example` line of a literal `examples: |` block starting at `first_line`."""
    for offset, raw in enumerate(str(block).splitlines()):
        stripped = raw.strip()
        if stripped.startswith("- "):
            yield first_line + offset, stripped[2:].strip()
        elif stripped == "-":
            yield first_line + offset, ""


def read_phrases(project: Path) -> tuple[list[Phrase], list[IntentBlock], list[FileProblem]]:
    """Every example of every intent in data/nlu/en and data/nlu/fr, with its line."""
    from rasa.shared.nlu.training_data.entities_parser import find_entities_in_training_example, replace_entities

    phrases: list[Phrase] = []
    blocks: list[IntentBlock] = []
    problems: list[FileProblem] = []
    yaml = YAML(typ="rt")
    for language in LANGUAGES:
        for file in sorted((project / "data" / "nlu" / language).rglob("*.yml")):
            path = file.relative_to(project).as_posix()
            try:
                document = yaml.load(file.read_text(encoding="utf-8"))
            except MarkedYAMLError as error:
                line = error.problem_mark.line + 1 if error.problem_mark else 0
                problems.append(
                    FileProblem(path, line, f"not valid YAML ({error.problem}): check the indentation and quotes")
                )
                continue
            items = document.get("nlu") if isinstance(document, dict) else None
            if not isinstance(items, list):
                problems.append(
                    FileProblem(path, 1, "no 'nlu:' list: start the file like the others (version, then nlu:)")
                )
                continue
            for item in items:
                if not isinstance(item, CommentedMap) or "intent" not in item:
                    continue
                intent, line = str(item["intent"]), item.lc.line + 1
                blocks.append(IntentBlock(path, line, intent, language))
                if "examples" not in item:
                    problems.append(FileProblem(path, line, f"intent '{intent}' has no 'examples: |' list"))
                    continue
                examples_line = item.lc.value("examples")[0] + 2
                for example_line, example in _examples(item["examples"], examples_line):
                    try:
                        entities = tuple(entity["entity"] for entity in find_entities_in_training_example(example))
                        text = replace_entities(example)
                    except Exception as error:
                        problems.append(FileProblem(path, example_line, f"entity annotation not understood: {error}"))
                        continue
                    phrases.append(Phrase(path, example_line, intent, language, text, entities))
    return phrases, blocks, problems


def _domain(project: Path) -> tuple[set[str], set[str]]:
    domain = YAML(typ="safe").load((project / "domain.yml").read_text(encoding="utf-8"))
    intents = {next(iter(item)) if isinstance(item, dict) else item for item in domain.get("intents") or []}
    entities = {next(iter(item)) if isinstance(item, dict) else item for item in domain.get("entities") or []}
    return intents, entities


def check_domain_names(
    phrases: list[Phrase], blocks: list[IntentBlock], intents: set[str], entities: set[str]
) -> list[FileProblem]:
    """Intents and entities the domain does not declare."""
    problems = [
        FileProblem(
            block.path,
            block.line,
            f"intent '{block.intent}' is not in domain.yml: correct its name, or add it to the domain's intents",
        )
        for block in blocks
        if block.intent not in intents
    ]
    for phrase in phrases:
        for entity in phrase.entities:
            if entity not in entities:
                problems.append(
                    FileProblem(
                        phrase.path,
                        phrase.line,
                        f"entity '{entity}' is not in domain.yml: use one of {', '.join(sorted(entities))}",
                    )
                )
    return problems


def check_counts(
    phrases: list[Phrase], blocks: list[IntentBlock], intents: set[str], minimum: int
) -> list[FileProblem]:
    """Every intent of the domain has examples in each language (an error), at least `minimum` (a warning: one
    phrase is enough to train)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for phrase in phrases:
        counts[(phrase.intent, phrase.language)] += 1
    first_block: dict[tuple[str, str], IntentBlock] = {}
    for block in blocks:
        first_block.setdefault((block.intent, block.language), block)
    problems = []
    for intent in sorted(intents):
        for language in LANGUAGES:
            count = counts[(intent, language)]
            first = first_block.get((intent, language))
            if first is None:
                problems.append(
                    FileProblem(
                        f"data/nlu/{language}",
                        0,
                        f"intent '{intent}' has no examples in this language: add at least {minimum}",
                    )
                )
            elif count < minimum:
                problems.append(
                    FileProblem(
                        first.path,
                        first.line,
                        f"intent '{intent}' has {count} example(s) in '{language}': it trains, but at least "
                        f"{minimum} are advised for new wordings to be recognised",
                        error=False,
                    )
                )
    return problems


def check_duplicates(phrases: list[Phrase], near: float = NEAR_DUPLICATE) -> list[FileProblem]:
    """The same phrase under two intents (an error), and nearly the same phrase under two intents (a warning)."""
    problems = []
    first: dict[str, Phrase] = {}
    for phrase in phrases:
        key = normalise(phrase.text)
        earlier = first.get(key)
        if earlier is None:
            first[key] = phrase
        elif earlier.intent != phrase.intent:
            problems.append(
                FileProblem(
                    phrase.path,
                    phrase.line,
                    f"'{phrase.text}' is an example of '{phrase.intent}' and of "
                    f"'{earlier.intent}' ({earlier.path}:{earlier.line}): keep "
                    "it under one intent only",
                )
            )
    for language in LANGUAGES:
        unique = [phrase for key, phrase in first.items() if phrase.language == language and key]
        texts = [normalise(phrase.text) for phrase in unique]
        if len(texts) < 2:
            continue
        scores = cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=near, dtype="uint8")
        for i, j in zip(*scores.nonzero(), strict=True):
            if i < j and unique[i].intent != unique[j].intent:
                a, b = unique[i], unique[j]
                problems.append(
                    FileProblem(
                        b.path,
                        b.line,
                        f"'{b.text}' ({b.intent}) is nearly the same as '{a.text}' "
                        f"({a.intent}, {a.path}:{a.line}): the model cannot tell them "
                        "apart; reword one or move it",
                        error=False,
                    )
                )
    return problems


def check_responses_used(project: Path) -> list[FileProblem]:
    """Responses of the domain that no rule or story sends (what Rasa's validator warns about, here with the line).

    Actions send their replies from data/wording/, never from the domain.
    """
    text = "\n".join(
        path.read_text(encoding="utf-8") for folder in RASA_DATA_PATHS[1:] for path in (project / folder).rglob("*.yml")
    )
    domain = YAML(typ="rt").load((project / "domain.yml").read_text(encoding="utf-8"))
    responses = domain.get("responses") or CommentedMap()
    return [
        FileProblem(
            "domain.yml",
            responses.lc.key(name)[0] + 1,
            f"response '{name}' is sent by no rule or story: remove "
            "it, use it in a rule, or, if an action sends it, move it "
            f"to {WORDING_FOLDER}/",
            error=False,
        )
        for name in responses
        if not re.search(rf"\b{name}\b", text)
    ]


def check_wording_files(project: Path) -> list[FileProblem]:
    """The wording files of the actions' replies: every entry the code sends, in English and French, with the
    placeholders the code fills; entries no code sends; broken YAML and duplicates."""
    _, problems = check_wording(project / WORDING_FOLDER, root=project)
    return problems


def check_training_phrases(project: Path, minimum: int = MINIMUM_EXAMPLES) -> list[FileProblem]:
    """Our checks of the training phrases and the wording, errors first."""
    phrases, blocks, problems = read_phrases(project)
    intents, entities = _domain(project)
    problems += check_domain_names(phrases, blocks, intents, entities)
    problems += check_counts(phrases, blocks, intents, minimum)
    problems += check_duplicates(phrases)
    problems += check_responses_used(project)
    problems += check_wording_files(project)
    return sorted(problems, key=lambda problem: (not problem.error, problem.path, problem.line))


def rasa_validate(project: Path, progress: Callable[[str], None] = lambda _: None) -> tuple[bool, list[str]]:
    """Run `rasa data validate` on the project; whether it passed, and what it warned about."""
    command = [
        str(Path(sys.executable).parent / "rasa"),
        "data",
        "validate",
        "--domain",
        "domain.yml",
        "--config",
        "config.yml",
        "--data",
        *RASA_DATA_PATHS,
    ]
    progress("running Rasa's own validator (rasa data validate), up to a minute ...")
    result = subprocess.run(command, cwd=project, capture_output=True, text=True)
    messages = [_rasa_message(line) for line in (result.stdout + "\n" + result.stderr).splitlines()]
    return result.returncode == 0, list(dict.fromkeys(message for message in messages if message))


def _rasa_message(line: str) -> str | None:
    """The text of one of Rasa's warnings or errors, without colours; None for other lines."""
    line = ANSI_CODES.sub("", line).strip()
    message = None
    if "UserWarning:" in line:
        message = line.split("UserWarning:", 1)[1].strip()
    elif re.search(r"\s(WARNING|ERROR)\s", line):
        message = line.split(" - ", 1)[-1].strip()
    return message
