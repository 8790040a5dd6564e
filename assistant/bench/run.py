"""The whole benchmark, step by step, with a progress line for each."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from assistant.bench.chart import write_chart
from assistant.bench.client import ask_text
from assistant.bench.datachange import PROGRAMMES_FILE, fee_change, time_to_live_answer
from assistant.bench.external import ExternalResults, run_external
from assistant.bench.external_report import write_external
from assistant.bench.hint3 import BOTS
from assistant.bench.intents import predict_intents
from assistant.bench.latency import LoadResult
from assistant.bench.load import run_level, warm_up
from assistant.bench.machine import Machine, resident_memory, this_machine
from assistant.bench.metrics import intent_scores
from assistant.bench.report import P95_TARGET_MS, THROUGHPUT_TARGET, load_setups, write_report
from assistant.bench.results import BenchResults, Resources, ScaledLoad, SystemResult
from assistant.bench.scale import ScaleResults, run_scale, write_scale
from assistant.bench.systems import (
    PROJECT_CONFIG,
    SEEDS,
    System,
    component_takes_seed,
    read_yaml,
    seeded,
    systems,
    write_yaml,
)
from assistant.bench.training import component_seconds, train_model
from assistant.bench.workspace import Workspace, free_port, workspace
from assistant.config import PROJECT_ROOT, get_settings
from assistant.server.runner import Service, Services, latest_model, train
from assistant.staff.heldout import HeldoutQuestion, length_summary, load_heldout, pass_rates, run_heldout

if TYPE_CHECKING:
    from typing_extensions import Unpack

DOCS_DIR = PROJECT_ROOT / "docs"
REPORT_PATH = DOCS_DIR / "benchmarks.md"
CHART_PATH = DOCS_DIR / "benchmark_latency.png"
# Its classifier gives the same model whatever the seed (tests/test_bench.py checks it): trained once.
DETERMINISTIC_SYSTEMS = ("tfidf",)


@dataclass(frozen=True)
class LoadPlan:
    """Concurrency levels, how long each runs, and how many Rasa processes the second set-up has."""

    levels: tuple[tuple[int, float], ...] = ((1, 20.0), (10, 25.0), (50, 25.0))
    warm_up_messages: int = 10
    scaled_workers: int = 2


class Progress:
    """Prints each step with the time since the start."""

    def __init__(self, echo: Callable[[str], None]) -> None:
        self._echo = echo
        self.started = time.monotonic()

    def __call__(self, line: str) -> None:
        self._echo(f"[{self.elapsed / 60:4.1f} min] {line}")

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


def _import_knowledge(space: Workspace) -> float:
    from assistant.db.migrate import upgrade
    from assistant.db.session import create_db_engine
    from assistant.knowledge.loader import load_knowledge
    from assistant.knowledge.store import import_knowledge

    started = time.monotonic()
    upgrade(space.database_url)
    engine = create_db_engine(space.database_url, timeout_seconds=5)
    try:
        import_knowledge(load_knowledge(get_settings().knowledge_dir), engine)
    finally:
        engine.dispose()
    return time.monotonic() - started


def _train_all(
    space: Workspace, system_list: list[System], results: dict[str, SystemResult], progress: Progress
) -> tuple[float, dict[str, Path], dict[tuple[str, int], Path]]:
    """Full models (first seed) for the servers, NLU-only models for the other seeds of the systems that use them."""
    progress("training our full model (`assistant train --force` code) ...")
    started = time.monotonic()
    log_path = space.logs_dir / "train-ours.log"
    full_models = {"ours": train(space.models_dir / "ours", force=True, log_path=log_path)}
    full_training = time.monotonic() - started
    results["ours"].training_seconds["full, config.yml, --force"] = full_training
    results["ours"].training_seconds.update(
        {
            f"of which {name}": seconds
            for name, seconds in component_seconds(log_path.read_text(errors="replace")).items()
        }
    )
    progress(f"  full training: {full_training:.0f} s")
    nlu_models: dict[tuple[str, int], Path] = {}
    configs = {
        (system.key, seed): write_yaml(
            seeded(system.config, seed, component_takes_seed), space.root / f"{system.key}-{seed}.yml"
        )
        for system in system_list
        for seed in SEEDS
    }
    for system in system_list[1:]:
        progress(f"training {system.title}, full model, seed {SEEDS[0]} ...")
        model, seconds = train_model(
            configs[(system.key, SEEDS[0])], space.models_dir, f"{system.key}-{SEEDS[0]}", space.logs_dir / "train.log"
        )
        full_models[system.key] = model
        results[system.key].training_seconds[f"full, seed {SEEDS[0]}"] = seconds
        progress(f"  {seconds:.0f} s")
    for system in system_list:
        if results[system.key].deterministic:
            continue
        for seed in SEEDS[1:]:
            progress(f"training {system.title}, NLU only, seed {seed} ...")
            model, seconds = train_model(
                configs[(system.key, seed)],
                space.models_dir,
                f"{system.key}-nlu-{seed}",
                space.logs_dir / "train.log",
                nlu_only=True,
            )
            nlu_models[(system.key, seed)] = model
            results[system.key].training_seconds[f"NLU only, seed {seed}"] = seconds
            progress(f"  {seconds:.0f} s")
    return full_training, full_models, nlu_models


def _score_intents(
    questions: list[HeldoutQuestion],
    system_list: list[System],
    full_models: dict[str, Path],
    nlu_models: dict[tuple[str, int], Path],
    results: dict[str, SystemResult],
    progress: Progress,
) -> None:
    languages = sorted({question.language for question in questions})
    for system in system_list:
        result = results[system.key]
        for seed in SEEDS[:1] if result.deterministic else SEEDS:
            model = full_models[system.key] if seed == SEEDS[0] else nlu_models[(system.key, seed)]
            progress(f"parsing {len(questions)} held-out questions with {system.title}, seed {seed} ...")
            predicted, parse_ms = predict_intents(model, questions)
            result.seeds.append(seed)
            result.parse_ms.append(parse_ms)
            for language in languages:
                pairs = [
                    (q.intent, guess) for q, guess in zip(questions, predicted, strict=True) if q.language == language
                ]
                scores = intent_scores([truth for truth, _ in pairs], [guess for _, guess in pairs])
                result.scores.setdefault(language, []).append(scores)
                progress(f"  {language}: intent accuracy {100 * scores.accuracy:.1f} %, macro F1 {scores.macro_f1:.3f}")


class SettingsOverrides(TypedDict, total=False):
    """The settings a run changes from the workspace's."""

    rasa_workers: int
    redis_url: str | None


def _service_memory(service: Service) -> int:
    """Resident memory in bytes of a started service and its children."""
    assert service.process is not None, f"the {service.name} was never started"
    return resident_memory(service.process.pid)


@contextmanager
def _running(
    space: Workspace, model: Path, title: str, progress: Progress, **overrides: Unpack[SettingsOverrides]
) -> Iterator[tuple[Services, str, float]]:
    """Both servers with `model` on free ports: the services, the Rasa server's URL and the seconds to ready."""
    settings = dataclasses.replace(space.settings(), **overrides)
    services = Services(settings, model, log_dir=space.logs_dir / model.name.replace(".tar.gz", ""))
    progress(f"starting the servers with {title} ...")
    ready = services.start(timeout_seconds=240)
    progress(f"  ready in {ready:.0f} s")
    try:
        yield services, f"http://127.0.0.1:{settings.rasa_port}", ready
    finally:
        services.stop()


def _end_to_end(rasa_url: str, questions: list[HeldoutQuestion], result: SystemResult, progress: Progress) -> None:
    progress(f"asking the {len(questions)} held-out questions ...")
    outcomes = run_heldout(lambda text, metadata: ask_text(rasa_url, text, metadata), questions)
    result.end_to_end = pass_rates(outcomes)
    result.end_to_end_seed = SEEDS[0]
    result.reply_length = length_summary([len(outcome.answer) for outcome in outcomes])
    for language, (passed, total) in sorted(result.end_to_end.items()):
        progress(f"  end-to-end {language}: {passed}/{total} answers correct")


def _load(rasa_url: str, questions: list[HeldoutQuestion], plan: LoadPlan, progress: Progress) -> list[LoadResult]:
    progress(f"warming up with {plan.warm_up_messages} messages ...")
    warm_up(rasa_url, questions, plan.warm_up_messages)
    results = []
    for concurrency, seconds in plan.levels:
        progress(f"load: {concurrency} concurrent students for {seconds:.0f} s ...")
        result = run_level(rasa_url, concurrency, seconds, questions)
        results.append(result)
        progress(
            f"  {result.messages_per_second:.1f} messages/s, p50 {result.percentile(50):.0f} ms, "
            f"p95 {result.percentile(95):.0f} ms, p99 {result.percentile(99):.0f} ms, {result.errors} errors"
        )
    return results


@contextmanager
def _redis_server(progress: Progress) -> Iterator[str | None]:
    """A throw-away Redis (Debian's redis-server) on a free port: its URL, or None when it is not installed."""
    executable = shutil.which("redis-server")
    if executable is None:
        progress("redis-server not installed (apt-get install redis-server): several Rasa processes not measured")
        yield None
        return
    port = free_port()
    process = subprocess.Popen(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _scaled_load(
    space: Workspace, model: Path, questions: list[HeldoutQuestion], plan: LoadPlan, progress: Progress
) -> ScaledLoad | None:
    workers = plan.scaled_workers
    with _redis_server(progress) as redis_url:
        if redis_url is None:
            return None
        title = f"ours, {workers} Rasa processes and a Redis lock store"
        with _running(space, model, title, progress, rasa_workers=workers, redis_url=redis_url) as (
            services,
            rasa_url,
            _,
        ):
            load = _load(rasa_url, questions, plan, progress)
            memory = _service_memory(services.services[1])
            progress(f"memory: Rasa server ({workers} processes) {memory / 1e9:.2f} GB")
    return ScaledLoad(workers, load, memory)


def run_benchmark(
    echo: Callable[[str], None] = print,
    report_path: Path = REPORT_PATH,
    chart_path: Path = CHART_PATH,
    plan: LoadPlan = LoadPlan(),
    keep_workspace: bool = False,
    external: bool = True,
) -> BenchResults:
    """Measure everything on an isolated workspace and write the report and its chart."""
    progress = Progress(echo)
    machine = this_machine()
    questions = load_heldout()
    system_list = systems(read_yaml(PROJECT_CONFIG))
    results = {
        system.key: SystemResult(
            system.key, system.title, system.summary, deterministic=system.key in DETERMINISTIC_SYSTEMS
        )
        for system in system_list
    }
    progress(
        f"{machine.cores} cores, {machine.memory_bytes / 2**30:.0f} GiB, {machine.cpu_model}; commit {machine.commit}; "
        f"load average {machine.load_average[0]:.1f}"
    )
    with workspace(keep=keep_workspace) as space:
        progress(f"workspace {space.root} (temporary database, models, Rasa cache, logs)")
        import_seconds = _import_knowledge(space)
        progress(f"knowledge imported in {import_seconds:.1f} s")
        full_training, full_models, nlu_models = _train_all(space, system_list, results, progress)
        _score_intents(questions, system_list, full_models, nlu_models, results, progress)
        # Baselines first, ours last: our servers stay up for the load and resource measurements.
        for system in system_list[1:]:
            with _running(space, full_models[system.key], system.title, progress) as (_, rasa_url, _ready):
                _end_to_end(rasa_url, questions, results[system.key], progress)
        with _running(space, full_models["ours"], system_list[0].title, progress) as (services, rasa_url, ready):
            _end_to_end(rasa_url, questions, results["ours"], progress)
            load = _load(rasa_url, questions, plan, progress)
            rasa_memory = _service_memory(services.services[1])
            action_memory = _service_memory(services.services[0])
            progress(f"memory: Rasa server {rasa_memory / 1e9:.2f} GB, action server {action_memory / 1e9:.2f} GB")
            knowledge_dir = get_settings().knowledge_dir
            change = fee_change(questions, (knowledge_dir / PROGRAMMES_FILE).read_text(encoding="utf-8"))
            if change is None:
                raise RuntimeError("No held-out fee question has an amount written in programmes.yml to change.")
            progress(f"data change: {change.old} -> {change.new}, imported, waiting for the live answer ...")
            live, change_import = time_to_live_answer(
                change, knowledge_dir, space.root, space.database_url, lambda text, meta: ask_text(rasa_url, text, meta)
            )
            progress(f"  live after {live:.1f} s" if live is not None else "  not live within 30 s")
        scaled = _scaled_load(space, full_models["ours"], questions, plan, progress)
        scale = run_scale(space, full_models["ours"], questions, progress)
        external_results = None
        if external:
            started = progress.elapsed
            external_results = run_external(space, progress, read_yaml(PROJECT_CONFIG))
            external_results.total_seconds = progress.elapsed - started
        resources = Resources(
            import_seconds=import_seconds,
            full_training_seconds=full_training,
            ready_seconds=ready,
            rasa_memory_bytes=rasa_memory,
            action_memory_bytes=action_memory,
            data_change_seconds=live,
            data_change_import_seconds=change_import,
            data_change_description=change.describe(),
        )
    counts: dict[str, int] = {}
    for question in questions:
        counts[question.language] = counts.get(question.language, 0) + 1
    bench = BenchResults(
        machine=dataclasses.replace(machine, load_average=this_machine().load_average),
        questions=counts,
        systems=[results[system.key] for system in system_list],
        load=load,
        resources=resources,
        total_seconds=progress.elapsed,
        chart_name=chart_path.name,
        scaled=scaled,
        external=external_results,
    )
    write_chart(
        [(setup.name, setup.load) for setup in load_setups(bench)], chart_path, P95_TARGET_MS, THROUGHPUT_TARGET
    )
    write_report(bench, report_path)
    scale.written = _written("assistant bench", machine)
    write_scale(scale, report_path)
    progress(f"report: {report_path}, chart: {chart_path}")
    return bench


def _written(command: str, machine: Machine) -> str:
    return (
        f"Measured by `{command}` on {machine.date}, commit {machine.commit} ({machine.cores} cores, load average "
        f"{machine.load_average[0]:.1f} at the start, {this_machine().load_average[0]:.1f} at the end)."
    )


def run_scale_only(
    echo: Callable[[str], None] = print, report_path: Path = REPORT_PATH, keep_workspace: bool = False
) -> ScaleResults:
    """Only the scale section, measured on an isolated workspace with the project's live model, then written in
    place of the report's scale section, the rest of the report unchanged."""
    progress = Progress(echo)
    machine = this_machine()
    model = latest_model(get_settings().models_dir)
    if model is None:
        raise RuntimeError("No trained model in models/: run `make model` first.")
    progress(
        f"{machine.cores} cores, commit {machine.commit}, load average {machine.load_average[0]:.1f}; model {model.name}"
    )
    with workspace(keep=keep_workspace) as space:
        progress(f"workspace {space.root}; knowledge imported in {_import_knowledge(space):.1f} s")
        results = run_scale(space, model, load_heldout(), progress)
    results.written = _written("assistant bench --only scale", machine)
    write_scale(results, report_path)
    progress(f"report: {report_path} (scale section)")
    return results


def run_external_only(
    echo: Callable[[str], None] = print,
    report_path: Path = REPORT_PATH,
    keep_workspace: bool = False,
    bots: Sequence[str] = BOTS,
    seeds: Sequence[int] = SEEDS,
    limit: int | None = None,
) -> ExternalResults:
    """Only the external section (HINT3): measured on an isolated workspace, then written in place of the
    report's external section, the rest of the report unchanged."""
    progress = Progress(echo)
    machine = this_machine()
    with workspace(keep=keep_workspace) as space:
        progress(f"workspace {space.root}; knowledge imported in {_import_knowledge(space):.1f} s")
        results = run_external(space, progress, read_yaml(PROJECT_CONFIG), bots=bots, seeds=seeds, limit=limit)
    results.total_seconds = progress.elapsed
    written = (
        f"Measured by `assistant bench --only external` on {machine.date}, commit {machine.commit} "
        f"({machine.cores} cores, load average {this_machine().load_average[0]:.1f} at the end)."
    )
    write_external(results, report_path, written)
    progress(f"report: {report_path} (external section)")
    return results
