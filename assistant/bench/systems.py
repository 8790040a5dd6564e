"""The three systems compared, built from the project's config.yml so that their dialogue policies are identical."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from assistant.config import PROJECT_ROOT

CONFIGS_DIR = Path(__file__).resolve().parent / "configs"
PROJECT_CONFIG = PROJECT_ROOT / "config.yml"
OUR_CLASSIFIER = "assistant.nlu.classifier.PlaceholderIntentClassifier"
BASELINE_CLASSIFIER = "assistant.bench.baseline.TfidfIntentClassifier"
BASELINE_CHAR_CLASSIFIER = "assistant.bench.baseline.TfidfCharIntentClassifier"
PREVIOUS_CLASSIFIER = "assistant.bench.baseline.PreviousIntentClassifier"
SEEDS = (42, 43, 44)
# Rasa's default pipeline trains DIET for 100 epochs. On 2 shared cores (load average 7) with our 3,500
# phrases, 10 epochs took 13 min (the first 2.5 min, later ones about 1 min), so 100 epochs for 3 seeds
# cannot fit a 20-minute benchmark. Its training accuracy was 0.95-0.97 after 5 epochs, 0.99 after 10.
DEFAULT_PIPELINE_EPOCHS = 5

Config = dict[str, Any]


@dataclass(frozen=True)
class System:
    """One NLU pipeline under test, with the project's policies."""

    key: str
    title: str
    summary: str
    config: Config


def read_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def write_yaml(data: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)
    return path


def with_pipeline(project_config: Config, pipeline: list[dict[str, Any]]) -> Config:
    """The project's configuration (policies included) with another NLU pipeline."""
    config = copy.deepcopy(project_config)
    config["pipeline"] = copy.deepcopy(pipeline)
    return config


def with_classifier_swapped(project_config: Config, classifier: str) -> Config:
    """The project's configuration with our intent classifier replaced by `classifier` (default settings).

    Raises:
        ValueError: config.yml no longer uses our classifier.
    """
    pipeline = project_config.get("pipeline") or []
    names = [component.get("name") for component in pipeline]
    if OUR_CLASSIFIER not in names:
        raise ValueError(f"config.yml has no {OUR_CLASSIFIER} to swap for the TF-IDF baseline")
    return with_pipeline(
        project_config,
        [{"name": classifier} if component.get("name") == OUR_CLASSIFIER else component for component in pipeline],
    )


def with_epochs(config: Config, epochs: int) -> Config:
    """The configuration with every NLU component that has an `epochs` setting trained for `epochs`."""
    result = copy.deepcopy(config)
    for component in result.get("pipeline") or []:
        if "epochs" in component:
            component["epochs"] = epochs
    return result


def seeded(config: Config, seed: int, takes_seed: Callable[[str], bool]) -> Config:
    """The configuration with `random_seed: seed` in every NLU component that takes one (policies untouched)."""
    result = copy.deepcopy(config)
    for component in result.get("pipeline") or []:
        if takes_seed(component["name"]):
            component["random_seed"] = seed
    return result


def component_takes_seed(name: str) -> bool:
    """Whether a Rasa component (built-in name or module path) has a `random_seed` setting."""
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe

    return "random_seed" in DefaultV1Recipe._from_registry(name).clazz.get_default_config()


def systems(project_config: Config) -> list[System]:
    """Ours, Rasa's default pipeline and the TF-IDF baseline, in the order of the report."""
    default_pipeline = read_yaml(CONFIGS_DIR / "rasa_default_pipeline.yml")["pipeline"]
    return [
        System("ours", "ours (config.yml)", "our pipeline as trained by `assistant train`", project_config),
        System(
            "rasa-default",
            "Rasa default pipeline",
            "the `rasa init` pipeline of Rasa 3.6 (DIET), assistant/bench/configs/rasa_default_pipeline.yml, "
            f"with DIET trained for {DEFAULT_PIPELINE_EPOCHS} epochs instead of 100 to fit the time budget",
            with_epochs(with_pipeline(project_config, default_pipeline), DEFAULT_PIPELINE_EPOCHS),
        ),
        System(
            "tfidf",
            "TF-IDF + logistic regression",
            "ours with the intent classifier swapped for scikit-learn TfidfVectorizer + LogisticRegression "
            "(assistant/bench/baseline.py): same gazetteer, language detector and fallback",
            with_classifier_swapped(project_config, BASELINE_CLASSIFIER),
        ),
    ]
