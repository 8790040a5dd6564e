"""The chart of latency and throughput against the number of concurrent students."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from assistant.bench.latency import LoadResult


def write_chart(
    setups: Sequence[tuple[str, Sequence[LoadResult]]], path: Path, p95_target_ms: float, throughput_target: float
) -> Path:
    """A PNG with p50/p95/p99 latency (log scale) and messages per second for each concurrency level and set-up."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, (latency_axis, throughput_axis) = pyplot.subplots(1, 2, figsize=(11, 4.5))
    levels = sorted({result.concurrency for _, results in setups for result in results})
    for index, (name, results) in enumerate(setups):
        line = "-" if index == 0 else ":"
        setup_levels = [result.concurrency for result in results]
        for percent, marker in ((50, "o"), (95, "s"), (99, "^")):
            latency_axis.plot(
                setup_levels,
                [result.percentile(percent) for result in results],
                marker + line,
                label=f"p{percent}, {name}",
            )
        throughput_axis.plot(setup_levels, [result.messages_per_second for result in results], "o" + line, label=name)
    latency_axis.axhline(p95_target_ms, color="grey", linestyle="--", label=f"p95 target {p95_target_ms:.0f} ms")
    latency_axis.set(
        xscale="log", yscale="log", xlabel="concurrent students", ylabel="latency (ms)", title="REST webhook latency"
    )
    latency_axis.set_xticks(levels, [str(level) for level in levels])
    latency_axis.legend(fontsize="small")
    throughput_axis.axhline(throughput_target, color="grey", linestyle="--", label=f"target {throughput_target:.0f}/s")
    highest = max([throughput_target] + [r.messages_per_second for _, results in setups for r in results])
    throughput_axis.set(
        xscale="log",
        xlabel="concurrent students",
        ylabel="answered messages per second",
        title="Throughput",
        ylim=(0, highest * 1.2),
    )
    throughput_axis.set_xticks(levels, [str(level) for level in levels])
    throughput_axis.legend(fontsize="small")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    pyplot.close(figure)
    return path
