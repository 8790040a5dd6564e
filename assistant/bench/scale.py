"""The scale section of the benchmark (issue 17): the realistic load model on one process and on the topology,
the long-conversation ratio, and saturation throughput; `assistant bench --only scale` rewrites it alone."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from assistant.bench.external_report import splice_between
from assistant.bench.latency import LoadResult, saturation
from assistant.bench.load import RealisticModel, long_conversation, run_level, run_realistic, warm_up
from assistant.bench.workspace import Workspace
from assistant.server.cluster import running_topology
from assistant.server.runner import Services
from assistant.staff.heldout import HeldoutQuestion

START_MARKER = "<!-- scale section: start (assistant bench --only scale rewrites it) -->"
END_MARKER = "<!-- scale section: end -->"
RATIO_TARGET = 1.5
P95_TARGET_MS = 200.0
THROUGHPUT_TARGET = 80.0
WARM_UP_MESSAGES = 10


@dataclass(frozen=True)
class ScalePlan:
    students: tuple[int, ...] = (100, 200)
    model: RealisticModel = field(default_factory=RealisticModel)
    long_messages: int = 300
    saturation_levels: tuple[tuple[int, float], ...] = ((10, 20.0), (40, 20.0))


@dataclass
class SetupResult:
    """One set-up's figures: the realistic levels and the saturation levels."""

    name: str
    realistic: list[LoadResult] = field(default_factory=list)
    saturation: list[LoadResult] = field(default_factory=list)


@dataclass
class ScaleResults:
    setups: list[SetupResult]
    messages: int  # of the long conversation
    first_ms: list[float]  # messages 1-20 of a new conversation
    last_ms: list[float]  # the long conversation's last 20, sent alternately with those
    written: str = ""

    def ratio(self) -> float:
        return statistics.median(self.last_ms) / statistics.median(self.first_ms)


def _measure(
    name: str, url: str, questions: list[HeldoutQuestion], plan: ScalePlan, progress: Callable[[str], None]
) -> SetupResult:
    result = SetupResult(name)
    for students in plan.students:
        progress(f"{name}: {students} students, ramp {plan.model.ramp_seconds:.0f} s, {plan.model.questions} questions")
        level = run_realistic(url, students, questions, plan.model)
        result.realistic.append(level)
        progress(
            f"  p95 {level.percentile(95):.0f} ms, {level.messages_per_second:.1f} messages/s, {level.errors} errors"
        )
    for concurrency, seconds in plan.saturation_levels:
        progress(f"{name}: saturation, {concurrency} students without think time for {seconds:.0f} s")
        level = run_level(url, concurrency, seconds, questions)
        result.saturation.append(level)
        progress(
            f"  {level.messages_per_second:.1f} messages/s, p95 {level.percentile(95):.0f} ms, {level.errors} errors"
        )
    return result


@contextmanager
def _one_process(space: Workspace, model: Path) -> Iterator[str]:
    settings = space.settings()
    services = Services(settings, model, log_dir=space.logs_dir / "scale-one")
    services.start(timeout_seconds=240)
    try:
        yield f"http://127.0.0.1:{settings.rasa_port}"
    finally:
        services.stop()


def run_scale(
    space: Workspace,
    model: Path,
    questions: list[HeldoutQuestion],
    progress: Callable[[str], None],
    plan: ScalePlan = ScalePlan(),
) -> ScaleResults:
    progress("scale: one Rasa process and one action server (SQLite) ...")
    with _one_process(space, model) as url:
        warm_up(url, questions, WARM_UP_MESSAGES)
        progress(f"scale: one conversation of {plan.long_messages} messages ...")
        first_ms, last_ms = long_conversation(url, plan.long_messages, questions)
        progress(
            f"  messages 1-20 {statistics.median(first_ms):.0f} ms, {plan.long_messages - 19}-{plan.long_messages} "
            f"{statistics.median(last_ms):.0f} ms: {statistics.median(last_ms) / statistics.median(first_ms):.2f}x"
        )
        one = _measure("one process", url, questions, plan, progress)
    progress("scale: the topology (2 Rasa, 2 action servers, HAProxy, PostgreSQL, Redis) ...")
    # The workspace's database is SQLite: the topology starts a PostgreSQL (and a Redis) of its own.
    with running_topology(
        space.root / "topology", model, space.settings(), progress=lambda line: progress(f"  {line}")
    ) as topology:
        warm_up(topology.url, questions, WARM_UP_MESSAGES)
        cluster = _measure("topology, 2 + 2 replicas", topology.url, questions, plan, progress)
    return ScaleResults([one, cluster], plan.long_messages, first_ms, last_ms)


def _cell(level: LoadResult) -> str:
    return (
        f"p50 {level.percentile(50):.0f} / p95 {level.percentile(95):.0f} / p99 {level.percentile(99):.0f} ms, "
        f"{level.messages_per_second:.1f} msg/s, {level.errors} errors ({level.messages} messages)"
    )


def render_scale(results: ScaleResults) -> list[str]:
    """The section as Markdown lines, between its markers."""
    lines = [START_MARKER, "## Scale: realistic load, long conversations, the topology (issue 17)", ""]
    if results.written:
        lines += [results.written, ""]
    ratio = results.ratio()
    lines += [
        "| what | measured | target |",
        "|---|---|---|",
        f"| one conversation of {results.messages} messages: median of messages {results.messages - 19}-"
        f"{results.messages} against messages 1-20 (sent alternately with them, the same 20 messages) | "
        f"{ratio:.2f} ({statistics.median(results.last_ms):.0f} ms against {statistics.median(results.first_ms):.0f} ms)"
        f" | ≤ {RATIO_TARGET} ({'met' if ratio <= RATIO_TARGET else '**missed**'}) |",
    ]
    for setup in results.setups:
        for level in setup.realistic:
            met = level.errors == 0 and (level.concurrency < 200 or level.percentile(95) <= P95_TARGET_MS)
            target = f"p95 ≤ {P95_TARGET_MS:.0f} ms at 200, 0 errors" if level.concurrency >= 200 else "0 errors"
            lines.append(
                f"| {setup.name}: {level.concurrency} students (ramp 10 s, 4 questions, 5 s think time) | "
                f"{_cell(level)} | {target} ({'met' if met else '**missed**'}) |"
            )
        best = saturation(setup.saturation)
        met = best.messages_per_second >= THROUGHPUT_TARGET and best.errors == 0
        lines.append(
            f"| {setup.name}: saturation (best of {', '.join(str(level.concurrency) for level in setup.saturation)} "
            f"students without think time) | {_cell(best)} | ≥ {THROUGHPUT_TARGET:.0f} msg/s, 0 errors "
            f"({'met' if met else '**missed**'}) |"
        )
    lines += [
        "",
        "Every figure comes from one run on a shared machine (the load average is given above): other work took "
        "cores too, and the load generator runs on the same 2 cores as the servers, so the figures are lower "
        "bounds of what 2 idle cores give, not like-for-like comparisons with earlier runs.",
        END_MARKER,
    ]
    return lines


def write_scale(results: ScaleResults, path: Path) -> Path:
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    path.write_text(splice_between(existing, render_scale(results), START_MARKER, END_MARKER), encoding="utf-8")
    return path
