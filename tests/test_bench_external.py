"""The benchmark's external section (HINT3 real-user queries): its metrics, its report, and a fast real run."""

from __future__ import annotations

import math

import pytest

from assistant.bench.external import ExternalResults, ExternalRun, external_systems, parsed_from
from assistant.bench.external_metrics import Parsed, mcc, out_of_scope_scores
from assistant.bench.external_report import END_MARKER, START_MARKER, render_external, splice
from assistant.bench.hint3 import BOTS, HINT3_DIR, load_bot
from assistant.bench.systems import BASELINE_CHAR_CLASSIFIER, OUR_CLASSIFIER

PROJECT_CONFIG = {
    "language": "en",
    "pipeline": [{"name": "WhitespaceTokenizer"}, {"name": OUR_CLASSIFIER, "random_seed": 42}, {"name": "FallbackClassifier"}],
    "policies": [{"name": "RulePolicy"}],
}


def test_the_hint3_bots_are_shipped_with_their_licence_and_load_without_the_shared_folder() -> None:
    readme = (HINT3_DIR / "README.md").read_text(encoding="utf-8")
    assert "Open Database License" in readme and "hellohaptik/HINT3" in readme
    sizes = {}
    for name in BOTS:
        bot = load_bot(name)
        assert bot.train_path.is_file() and bot.oos_label == "oos"
        sizes[name] = (len(bot.queries), sum(bot.is_out_of_scope(query) for query in bot.queries), len(bot.intents))
    assert sizes == {"sofmattress": (397, 144, 21), "curekart": (991, 532, 28)}
    assert len(load_bot("curekart", limit=10).queries) == 10


def test_mcc_of_perfect_opposite_and_uninformative_decisions() -> None:
    assert mcc([True, False, True, False], [True, False, True, False]) == 1.0
    assert mcc([True, False, True, False], [False, True, False, True]) == -1.0
    assert mcc([True, False], [True, True]) == 0.0


def test_out_of_scope_scores_sweep_the_threshold_and_report_the_shipped_decision_beside_it() -> None:
    labels = ["a", "b", None, None]
    parsed = [
        Parsed("a", "a", 0.9),
        Parsed(None, "b", 0.3),  # right intent, but the pipeline fell back
        Parsed(None, "a", 0.1),
        Parsed("b", "b", 0.2),  # out of scope, but the pipeline answered
    ]
    scores = out_of_scope_scores(labels, parsed)
    # Below 0.25 the two out-of-scope queries are caught and the in-scope ones kept: a perfect split.
    assert scores.best_mcc == 1.0 and scores.best_threshold == 0.25
    assert scores.shipped_mcc == 0.0
    assert scores.in_scope_accuracy == 0.5 and scores.out_of_scope_recall == 0.5
    with pytest.raises(ValueError):
        out_of_scope_scores(labels, parsed[:2])


def test_a_fallback_is_out_of_scope_and_its_confidence_is_the_best_intent_s() -> None:
    fell_back = parsed_from({
        "intent": {"name": "nlu_fallback", "confidence": 0.25},
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.25}, {"name": "EMI", "confidence": 0.12},
                           {"name": "COD", "confidence": 0.05}],
    })
    assert fell_back == Parsed(None, "EMI", 0.12)
    answered = parsed_from({"intent": {"name": "COD", "confidence": 0.8}, "intent_ranking": [{"name": "COD", "confidence": 0.8}]})
    assert answered == Parsed("COD", "COD", 0.8)


def test_the_external_systems_keep_our_pipeline_and_swap_only_the_classifier() -> None:
    ours, previous, tfidf, tfidf_char, default = external_systems(PROJECT_CONFIG, diet_epochs=7)
    assert ours.config == PROJECT_CONFIG and not ours.deterministic
    assert not previous.deterministic and tfidf.deterministic and tfidf_char.deterministic
    assert [c["name"] for c in tfidf_char.config["pipeline"]] == ["WhitespaceTokenizer", BASELINE_CHAR_CLASSIFIER, "FallbackClassifier"]
    diet = next(c for c in default.config["pipeline"] if c["name"] == "DIETClassifier")
    assert diet["epochs"] == 7


def test_only_the_external_section_of_a_report_is_replaced() -> None:
    report = f"# Benchmarks\n\nheld-out\n\n{START_MARKER}\nold figures\n{END_MARKER}\n\n## Latency\n"
    replaced = splice(report, [START_MARKER, "new figures", END_MARKER])
    assert "new figures" in replaced and "old figures" not in replaced
    assert replaced.startswith("# Benchmarks\n\nheld-out") and replaced.endswith("## Latency\n")
    assert splice("# Benchmarks\n", [START_MARKER, "x", END_MARKER]).endswith(f"{START_MARKER}\nx\n{END_MARKER}\n")


def test_the_external_section_runs_on_the_shipped_data(tmp_path) -> None:
    """The fast form of `assistant bench --only external`: our pipeline, one bot's first queries, one seed."""
    import warnings

    from assistant.bench.external import run_external
    from assistant.bench.run import PROJECT_CONFIG as CONFIG_PATH
    from assistant.bench.run import _import_knowledge
    from assistant.bench.systems import read_yaml
    from assistant.bench.workspace import workspace

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    lines: list[str] = []
    with workspace() as space:
        _import_knowledge(space)
        results = run_external(
            space, lines.append, read_yaml(CONFIG_PATH), bots=["sofmattress"], seeds=(42,), system_keys=["ours"], limit=60
        )
    [run] = results.runs
    assert (run.system, run.bot, run.seed) == ("ours", "sofmattress", 42)
    scores = run.scores
    assert -1 <= scores.shipped_mcc <= scores.best_mcc <= 1 and 0 <= scores.best_threshold <= 1
    # Far better than chance on real users' queries, even on this subset (0.55 when written).
    assert scores.best_mcc > 0.3
    assert not math.isnan(scores.in_scope_accuracy) and not math.isnan(scores.out_of_scope_recall)
    section = "\n".join(render_external(results))
    assert "### sofmattress (60 queries" in section and "| ours (config.yml) |" in section
    assert "Dialogflow" in section


def test_the_report_gives_mean_and_range_over_seeds_and_the_margin_against_each_baseline() -> None:
    from assistant.bench.external_metrics import OutOfScopeScores

    bot = load_bot("sofmattress", limit=5)
    systems = [external_systems(PROJECT_CONFIG)[0], external_systems(PROJECT_CONFIG)[2]]

    def run(system: str, seed: int, best: float) -> ExternalRun:
        return ExternalRun(system, "sofmattress", seed, OutOfScopeScores(best, 0.3, best - 0.1, 0.7, 0.6), 10.0)

    results = ExternalResults(
        systems, [bot], [run("ours", 42, 0.60), run("ours", 43, 0.62), run("ours", 44, 0.61), run("tfidf", 42, 0.50)]
    )
    text = "\n".join(render_external(results))
    assert "| ours (config.yml) | 0.610 (0.600–0.620) | 0.510 (0.500–0.520) | 70.0 % | 60.0 % | 10 s |" in text
    assert "| sofmattress | TF-IDF + logistic regression | **yes** (+0.110 vs spread 0.020) |" in text
