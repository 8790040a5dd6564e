"""The benchmark's pure parts: metrics, percentiles, configurations, conversations, report and chart.

The full benchmark (`make bench`) trains models and loads the servers for many
minutes: it is not part of the test suite.
"""
from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from assistant.bench.chart import write_chart
from assistant.bench.datachange import fee_change
from assistant.bench.latency import LoadResult, percentile, saturation
from assistant.bench.load import conversation, is_answer
from assistant.bench.machine import Machine, cpu_model, resident_memory
from assistant.bench.metrics import Spread, beats, intent_scores, spread
from assistant.bench.report import load_setups, render, write_report
from assistant.bench.results import BenchResults, Resources, ScaledLoad, SystemResult
from assistant.bench.systems import BASELINE_CLASSIFIER, DEFAULT_PIPELINE_EPOCHS, OUR_CLASSIFIER, seeded, systems, with_classifier_swapped
from assistant.staff.heldout import HeldoutQuestion

PROJECT_CONFIG = {
    "language": "en",
    "pipeline": [{"name": "WhitespaceTokenizer"}, {"name": OUR_CLASSIFIER, "random_seed": 42}, {"name": "FallbackClassifier"}],
    "policies": [{"name": "RulePolicy"}, {"name": "TEDPolicy", "epochs": 40, "random_seed": 42}],
}


def question(id: str, language: str = "en", intent: str = "ask_fees", **fields) -> HeldoutQuestion:
    return HeldoutQuestion(id=id, language=language, question=f"question {id}", intent=intent, **fields)


# --- metrics -------------------------------------------------------------------------


def test_percentiles_interpolate_between_ranks() -> None:
    assert percentile([10, 20, 30, 40], 50) == 25
    assert percentile([10, 20, 30, 40], 100) == 40
    assert percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_percentile_of_no_latency_is_not_a_number() -> None:
    assert percentile([], 95) != percentile([], 95)


def test_throughput_counts_answered_messages_and_saturation_is_the_busiest_level() -> None:
    quiet = LoadResult(1, 10.0, (100.0,) * 50, errors=0, follow_ups=0)
    busy = LoadResult(10, 10.0, (300.0,) * 200, errors=2, follow_ups=0)
    assert quiet.messages_per_second == 5.0
    assert busy.messages_per_second == 20.0 and busy.messages == 202
    assert saturation([quiet, busy]) is busy


def test_intent_scores_on_a_tiny_example() -> None:
    truth = ["ask_fees", "ask_fees", "ask_dates", "out_of_scope", "out_of_scope"]
    predicted = ["ask_fees", "ask_dates", "ask_dates", "nlu_fallback", "ask_fees"]
    scores = intent_scores(truth, predicted)
    assert scores.accuracy == pytest.approx(2 / 5)
    assert scores.in_scope_accuracy == pytest.approx(2 / 3)
    assert scores.out_of_scope_recall == pytest.approx(1 / 2)
    # F1 per true intent: ask_fees p 1/2 r 1/2 -> 1/2; ask_dates p 1/2 r 1 -> 2/3; out_of_scope never predicted -> 0.
    assert scores.macro_f1 == pytest.approx((0.5 + 2 / 3 + 0) / 3)


def test_intent_scores_refuse_mismatched_lists() -> None:
    with pytest.raises(ValueError):
        intent_scores(["greet"], [])


def test_ours_beats_a_baseline_only_by_more_than_the_wider_spread() -> None:
    assert spread([0.8, 0.9, 0.85]) == Spread(pytest.approx(0.85), 0.8, 0.9)
    assert beats(Spread(0.90, 0.90, 0.90), Spread(0.80, 0.78, 0.82))
    assert not beats(Spread(0.90, 0.90, 0.90), Spread(0.85, 0.80, 0.90))
    assert not beats(Spread(0.80, 0.80, 0.80), Spread(0.90, 0.90, 0.90))


# --- systems ---------------------------------------------------------------------------


def test_seeds_go_to_nlu_components_that_take_one_and_never_to_the_policies() -> None:
    config = seeded(PROJECT_CONFIG, 43, takes_seed=lambda name: name == OUR_CLASSIFIER)
    assert config["pipeline"][1]["random_seed"] == 43
    assert "random_seed" not in config["pipeline"][0]
    assert config["policies"] == PROJECT_CONFIG["policies"]
    assert PROJECT_CONFIG["pipeline"][1]["random_seed"] == 42


def test_the_three_systems_share_our_policies_and_differ_in_nlu() -> None:
    ours, default, tfidf = systems(PROJECT_CONFIG)
    assert ours.config == PROJECT_CONFIG
    assert default.config["policies"] == tfidf.config["policies"] == PROJECT_CONFIG["policies"]
    diet = next(component for component in default.config["pipeline"] if component["name"] == "DIETClassifier")
    assert diet["epochs"] == DEFAULT_PIPELINE_EPOCHS < 100
    names = [component["name"] for component in tfidf.config["pipeline"]]
    assert names == ["WhitespaceTokenizer", "assistant.bench.baseline.TfidfIntentClassifier", "FallbackClassifier"]


def test_swapping_a_classifier_that_is_not_there_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="PlaceholderIntentClassifier"):
        with_classifier_swapped({"pipeline": [{"name": "DIETClassifier"}]}, "x.Y")


# --- load and data change ---------------------------------------------------------------


def test_conversations_open_with_a_question_and_stay_in_its_language_and_page() -> None:
    questions = [
        question("en-1", school="lille-medicine"),
        question("en-2", intent="greet", expect_response="utter_greet"),
        question("fr-1", language="fr"),
    ]
    rng = random.Random(3)
    plans = [conversation(questions, rng) for _ in range(200)]
    assert all(1 <= len(plan) <= 3 and not plan[0].follow_up for plan in plans)
    assert all(turn.follow_up for plan in plans for turn in plan[1:])
    assert any(len(plan) > 1 for plan in plans) and any(len(plan) == 1 for plan in plans)
    for plan in plans:
        assert len({tuple(sorted(turn.metadata.items())) for turn in plan}) == 1
        if plan[0].metadata["language"] == "fr":
            assert all("question en-" not in turn.text for turn in plan)
    greetings = [turn for plan in plans for turn in plan if turn.text == "question en-2"]
    assert greetings and all(turn.fixed_response for turn in greetings)


def test_an_answer_needs_status_200_and_some_text() -> None:
    assert is_answer(200, [{"recipient_id": "x", "text": "Hello!"}])
    assert not is_answer(200, [])
    assert not is_answer(200, [{"recipient_id": "x", "image": "a.png"}])
    assert not is_answer(500, [{"text": "error"}])
    assert not is_answer(200, None)


def test_the_fee_change_raises_an_amount_the_programmes_file_gives() -> None:
    questions = [
        question("en-1", intent="ask_dates", expect=("€2,500",)),
        question("en-2", expect=("someone@example.org",)),
        question("en-3", expect=("€2,500", "€3,100")),
    ]
    change = fee_change(questions, "fees_en: From €2,500 to €3,100.")
    assert change is not None
    assert (change.question.id, change.old, change.new) == ("en-3", "€2,500", "€2,600")
    assert fee_change(questions, "fees_en: free") is None


# --- machine --------------------------------------------------------------------------


def test_cpu_model_is_read_from_cpuinfo(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Example CPU 3000\n")
    assert cpu_model(cpuinfo) == "Example CPU 3000"


def test_resident_memory_of_this_process_and_of_a_gone_one() -> None:
    assert resident_memory(os.getpid()) > 10_000_000
    assert resident_memory(2**22 + 12345) == 0


# --- report ---------------------------------------------------------------------------


def _results(p95_at_10: float, live: float | None, full_training: float = 80.0) -> BenchResults:
    def system(key: str, title: str, accuracy: tuple[float, ...], deterministic: bool) -> SystemResult:
        from assistant.bench.metrics import IntentScores

        result = SystemResult(key, title, f"{title} summary", seeds=[42, 43, 44], deterministic=deterministic)
        for language in ("en", "fr"):
            result.scores[language] = [IntentScores(value, value, value, 0.9) for value in accuracy]
        result.parse_ms = [2.0, 2.0, 2.0]
        result.end_to_end = {"en": (90, 100), "fr": (85, 100)} if key == "ours" else {"en": (60, 100), "fr": (55, 100)}
        result.end_to_end_seed = 42
        result.training_seconds = {"full, seed 42": 80.0, "of which TEDPolicy": 50.0}
        return result

    load = [
        LoadResult(1, 20.0, (40.0,) * 400, 0, 100, (20.0,) * 50, (45.0,) * 350),
        LoadResult(10, 20.0, (p95_at_10,) * 500, 0, 120),
        LoadResult(50, 20.0, (900.0,) * 520, 0, 130),
    ]
    return BenchResults(
        machine=Machine(2, 24 * 2**30, "Example CPU", "3.10.12", "2026-11-23 01:00 UTC", "abc1234"),
        questions={"en": 100, "fr": 100},
        systems=[
            system("ours", "ours (config.yml)", (0.85, 0.85, 0.85), True),
            system("rasa-default", "Rasa default pipeline", (0.70, 0.74, 0.72), False),
            system("tfidf", "TF-IDF + logistic regression", (0.84, 0.84, 0.84), True),
        ],
        load=load,
        resources=Resources(3.0, full_training, 30.0, int(0.9e9), int(0.3e9), live, 2.0, "a fee raised"),
        total_seconds=900.0,
        chart_name="benchmark_latency.png",
    )


def test_report_states_each_target_met_or_missed_with_why_and_fix() -> None:
    text = render(_results(p95_at_10=400.0, live=None, full_training=400.0))
    assert "| p95 latency at 10 concurrent students | 400 ms | ≤ 150 ms | **no** |" in text
    assert "| full training (`assistant train --force`) | 6.7 min (400 s) | ≤ 5 min | **no** |" in text
    assert "| data-file change to the live answer, no retraining | not live within the wait | ≤ 10 s | **no** |" in text
    missed = text.split("## Targets missed")[1]
    assert "p95 latency" in missed and "Why:" in missed and "Fix:" in missed
    assert "By component: TEDPolicy 50 s" in missed
    assert "start to ready" not in missed


def test_report_puts_the_three_systems_side_by_side_with_spreads_and_verdicts() -> None:
    text = render(_results(p95_at_10=100.0, live=4.0))
    assert "2 cores (Example CPU), 24 GiB" in text and "abc1234" in text and "2026-11-23" in text
    english = text.split("### EN")[1].split("### FR")[0]
    assert "| ours (config.yml) | 90.0 % (90/100) | 85.0 % (85.0–85.0) |" in english
    assert "| Rasa default pipeline | 60.0 % (60/100) | 72.0 % (70.0–74.0) |" in english
    verdicts = text.split("more than the spread?")[1]
    default_row = next(line for line in verdicts.splitlines() if line.startswith("| en | Rasa default pipeline"))
    tfidf_row = next(line for line in verdicts.splitlines() if line.startswith("| en | TF-IDF"))
    assert "**yes** (+13.0 vs spread 4.0)" in default_row
    assert "no (+1.0 vs spread 0.0)" not in tfidf_row and "**yes** (+1.0 vs spread 0.0)" in tfidf_row
    assert "| 10 | 20 s | 500 | 0 | 25.0 | 100 | 100 | 100 |" in text
    assert "![Latency and throughput against concurrent students](benchmark_latency.png)" in text


def test_report_and_chart_are_written(tmp_path: Path) -> None:
    results = _results(p95_at_10=100.0, live=4.0)
    report = write_report(results, tmp_path / "docs" / "benchmarks.md")
    chart = write_chart([(setup.name, setup.load) for setup in load_setups(results)], tmp_path / "docs" / "benchmark_latency.png", 150.0, 40.0)
    assert report.read_text(encoding="utf-8").startswith("# Benchmarks")
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 5_000


def test_training_time_per_component_is_read_from_rasa_train_log() -> None:
    from assistant.bench.training import component_seconds

    log = (
        "2026-11-23 01:33:04 INFO     rasa.engine.training.hooks  - Starting to train component 'PlaceholderIntentClassifier'.\n"
        "2026-11-23 01:33:24 INFO     rasa.engine.training.hooks  - Finished training component 'PlaceholderIntentClassifier'.\n"
        "Epochs: 100%| 40/40\n"
        "2026-11-23 01:34:26 INFO     rasa.engine.training.hooks  - Starting to train component 'TEDPolicy'.\n"
        "2026-11-23 01:35:43 INFO     rasa.engine.training.hooks  - Finished training component 'TEDPolicy'.\n"
        "2026-11-23 01:35:44 INFO     rasa.engine.training.hooks  - Restored component 'RulePolicy' from cache.\n"
    )
    assert component_seconds(log) == {"PlaceholderIntentClassifier": 20.0, "TEDPolicy": 77.0}


def test_the_baseline_trained_once_by_the_benchmark_gives_the_same_model_whatever_the_seed() -> None:
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    from rasa.shared.nlu.training_data.message import Message

    component = DefaultV1Recipe._from_registry(BASELINE_CLASSIFIER).clazz
    rng = random.Random(7)
    words = {"ask_fees": ["cost", "price", "fees", "tuition", "euros"], "ask_dates": ["when", "date", "deadline", "month"],
             "greet": ["hello", "hi", "bonjour", "hey"]}
    texts, intents = [], []
    for intent, vocabulary in words.items():
        for _ in range(30):
            texts.append(" ".join(rng.choice(vocabulary + ["the", "summer", "school", "is", "what"]) for _ in range(5)))
            intents.append(intent)
    probabilities = []
    for seed in (42, 43):
        instance = component({**component.get_default_config(), "random_seed": seed}, None, None)
        pipeline = instance.new_pipeline()
        pipeline.fit(instance.training_texts([Message(data={"text": text}) for text in texts]), intents)
        probabilities.append(pipeline.predict_proba(["what is the price of the summer school", "hello when"]))
    assert (probabilities[0] == probabilities[1]).all()


def test_report_counts_the_throughput_of_several_processes_and_the_memory_of_every_set_up() -> None:
    results = _results(p95_at_10=400.0, live=2.0)
    results.scaled = ScaledLoad(
        2,
        [LoadResult(1, 20.0, (30.0,) * 500, 0, 100), LoadResult(10, 20.0, (300.0,) * 900, 0, 200),
         LoadResult(50, 20.0, (1000.0,) * 880, 0, 200)],
        int(1.7e9),
    )
    text = render(results)
    assert "| messages per second at saturation, errors | 26.0/s at 50 students, 0 errors with 1 Rasa process; " \
        "45.0/s at 10 students, 0 errors with 2 Rasa processes + Redis lock store | ≥ 40/s, 0 errors | yes |" in text
    assert "| Rasa server resident memory after the load | 0.90 GB with 1 Rasa process; 1.70 GB with 2 Rasa " \
        "processes + Redis lock store | < 1.5 GB | **no** |" in text
    assert "| 2 Rasa processes + Redis lock store | 10 | 20 s | 900 | 0 | 45.0 |" in text
