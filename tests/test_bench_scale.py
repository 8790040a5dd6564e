"""The scale section of docs/benchmarks.md (assistant/bench/scale.py): its figures beside their targets, and
`assistant bench --only scale` rewriting it alone."""
from __future__ import annotations

from pathlib import Path

from assistant.bench.latency import LoadResult
from assistant.bench.scale import END_MARKER, START_MARKER, ScaleResults, SetupResult, render_scale, write_scale


def level(students: int, p95_ms: float, seconds: float = 10.0, errors: int = 0) -> LoadResult:
    return LoadResult(students, seconds, tuple([p95_ms / 2] * 95 + [p95_ms] * 5), errors, 0)


def results(last_ms: float) -> ScaleResults:
    one = SetupResult("one process", [level(100, 150), level(200, 700)], [level(10, 300), level(40, 900, seconds=2)])
    return ScaleResults([one], 300, [50.0] * 20, [last_ms] * 20)


def test_each_figure_stands_beside_its_target_met_or_missed() -> None:
    text = "\n".join(render_scale(results(last_ms=60)))
    assert "| 1.20 (60 ms against 50 ms) | ≤ 1.5 (met) |" in text
    assert "one process: 200 students" in text and "p95 ≤ 200 ms at 200, 0 errors (**missed**)" in text
    assert "one process: 100 students" in text and "| 0 errors (met) |" in text
    # The best saturation level (100 messages in 2 s), under its target.
    assert "best of 10, 40 students" in text and "50.0 msg/s" in text and "≥ 80 msg/s, 0 errors (**missed**)" in text
    assert "≤ 1.5 (**missed**)" in "\n".join(render_scale(results(last_ms=80)))


def test_only_the_scale_section_is_rewritten(tmp_path: Path) -> None:
    report = tmp_path / "benchmarks.md"
    report.write_text("\n".join(["# Benchmarks", "", "before", "", START_MARKER, "old", END_MARKER, "", "after", ""]))
    write_scale(results(last_ms=60), report)
    text = report.read_text()
    assert text.startswith("# Benchmarks\n\nbefore\n\n") and text.endswith("\n\nafter\n")
    assert "old" not in text and text.count(START_MARKER) == 1
