"""The external section of the benchmark: each system trained on each HINT3 bot, scored on its real queries."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.bench.external_metrics import OutOfScopeScores, Parsed, out_of_scope_scores
from assistant.bench.hint3 import BOTS, Bot, load_bot
from assistant.bench.metrics import OUT_OF_SCOPE_ANSWERS
from assistant.bench.systems import (
    BASELINE_CHAR_CLASSIFIER,
    BASELINE_CLASSIFIER,
    CONFIGS_DIR,
    PREVIOUS_CLASSIFIER,
    SEEDS,
    Config,
    component_takes_seed,
    read_yaml,
    seeded,
    with_classifier_swapped,
    with_epochs,
    with_pipeline,
    write_yaml,
)
from assistant.bench.training import train_model
from assistant.bench.workspace import Workspace
from assistant.staff.evaluation import quiet_rasa

# DIET's 100 epochs take about 4 min per curekart model on 2 shared cores (measured 2026-12-06): 3 seeds and
# 2 bots would take half an hour. After 20 epochs its training accuracy is 1.0 on both bots.
EXTERNAL_DIET_EPOCHS = 20


@dataclass(frozen=True)
class ExternalSystem:
    key: str
    title: str
    summary: str
    config: Config
    deterministic: bool = False


@dataclass(frozen=True)
class ExternalRun:
    """One model: a system trained on a bot with a seed, its scores and how long training took."""

    system: str
    bot: str
    seed: int
    scores: OutOfScopeScores
    training_seconds: float


@dataclass
class ExternalResults:
    systems: list[ExternalSystem]
    bots: list[Bot]
    runs: list[ExternalRun] = field(default_factory=list)
    total_seconds: float = 0.0
    diet_epochs: int = EXTERNAL_DIET_EPOCHS

    def scores(self, system: str, bot: str) -> list[OutOfScopeScores]:
        return [run.scores for run in self.runs if run.system == system and run.bot == bot]


def external_systems(project_config: Config, diet_epochs: int = EXTERNAL_DIET_EPOCHS) -> list[ExternalSystem]:
    """Ours (config.yml's pipeline), ours before issue 20, the two TF-IDF baselines and Rasa's default pipeline."""
    default_pipeline = read_yaml(CONFIGS_DIR / "rasa_default_pipeline.yml")["pipeline"]
    return [
        ExternalSystem("ours", "ours (config.yml)", "config.yml's pipeline, unchanged", project_config),
        ExternalSystem(
            "previous",
            "ours before issue 20",
            "config.yml's pipeline with the classifier of commit 8614ec7 (calibrated SVM, fixed threshold 0.25; "
            "intents under 5 phrases padded by repeating them), assistant/bench/baseline.py",
            with_classifier_swapped(project_config, PREVIOUS_CLASSIFIER),
        ),
        ExternalSystem(
            "tfidf",
            "TF-IDF + logistic regression",
            "the bench's baseline: word 1-2 grams, C=1 (assistant/bench/baseline.py), in config.yml's pipeline",
            with_classifier_swapped(project_config, BASELINE_CLASSIFIER),
            deterministic=True,
        ),
        ExternalSystem(
            "tfidf-char",
            "TF-IDF word + char + logistic regression",
            "word 1-2 and character 2-4 grams, C=10: the baseline data/external/hint3/README.md quotes",
            with_classifier_swapped(project_config, BASELINE_CHAR_CLASSIFIER),
            deterministic=True,
        ),
        ExternalSystem(
            "rasa-default",
            "Rasa default pipeline",
            f"the `rasa init` pipeline (DIET), {diet_epochs} epochs instead of 100 (time), its own fallback at 0.3",
            with_epochs(with_pipeline(project_config, default_pipeline), diet_epochs),
        ),
    ]


def parsed_from(result: dict[str, object]) -> Parsed:
    """A parse result of Rasa (`intent`, `intent_ranking`) as a decision and the best intent's confidence."""
    intent = result.get("intent") or {}
    ranking = result.get("intent_ranking") or []
    assert isinstance(intent, dict) and isinstance(ranking, list)
    name = str(intent.get("name") or "")
    best = next((item for item in ranking if item.get("name") not in OUT_OF_SCOPE_ANSWERS), None)
    if best is None:
        best = intent if name not in OUT_OF_SCOPE_ANSWERS else {"name": "", "confidence": 0.0}
    return Parsed(
        intent=None if name in OUT_OF_SCOPE_ANSWERS or not name else name,
        top_intent=str(best.get("name") or ""),
        confidence=float(best.get("confidence") or 0.0),
    )


def parse_queries(model: Path, texts: Sequence[str]) -> list[Parsed]:
    """Each text parsed by the model's NLU, in this process."""
    with quiet_rasa():
        from rasa.core.agent import Agent

        agent = Agent.load(str(model))

    async def parse_all() -> list[Parsed]:
        return [parsed_from(await agent.parse_message(text)) for text in texts]

    return asyncio.run(parse_all())


def bot_domain(bot: Bot, path: Path) -> Path:
    """A domain with the bot's intents alone, so that no intent of ours enters its models."""
    return write_yaml({"version": "3.1", "intents": list(bot.intents)}, path)


def run_external(
    space: Workspace,
    progress: Callable[[str], None],
    project_config: Config,
    bots: Sequence[str] = BOTS,
    seeds: Sequence[int] = SEEDS,
    system_keys: Sequence[str] | None = None,
    limit: int | None = None,
    diet_epochs: int = EXTERNAL_DIET_EPOCHS,
) -> ExternalResults:
    """Train every system on every bot (deterministic systems once, the others once per seed) and score them.

    Needs the knowledge database of `space` imported (our pipeline's gazetteer reads it).
    """
    systems = [
        system
        for system in external_systems(project_config, diet_epochs)
        if system_keys is None or system.key in system_keys
    ]
    results = ExternalResults(systems, [load_bot(name, limit=limit) for name in bots], diet_epochs=diet_epochs)
    for bot in results.bots:
        domain = bot_domain(bot, space.root / f"hint3-{bot.name}-domain.yml")
        labels = [None if bot.is_out_of_scope(query) else query.label for query in bot.queries]
        for system in systems:
            for seed in seeds[:1] if system.deterministic else seeds:
                name = f"hint3-{bot.name}-{system.key}-{seed}"
                config = write_yaml(seeded(system.config, seed, component_takes_seed), space.root / f"{name}.yml")
                progress(f"HINT3 {bot.name}: training {system.title}, seed {seed} ...")
                model, seconds = train_model(
                    config,
                    space.models_dir,
                    name,
                    space.logs_dir / "train-hint3.log",
                    nlu_only=True,
                    nlu_data=bot.train_path,
                    domain=domain,
                )
                scores = out_of_scope_scores(labels, parse_queries(model, [query.text for query in bot.queries]))
                results.runs.append(ExternalRun(system.key, bot.name, seed, scores, seconds))
                progress(
                    f"  {seconds:.0f} s; out-of-scope MCC best {scores.best_mcc:.3f} (at {scores.best_threshold:.2f}),"
                    f" shipped {scores.shipped_mcc:.3f}; in-scope accuracy {100 * scores.in_scope_accuracy:.1f} %,"
                    f" out-of-scope recall {100 * scores.out_of_scope_recall:.1f} %"
                )
    return results
