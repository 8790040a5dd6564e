"""The chart of latency and throughput against the number of concurrent students."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from assistant.bench.latency import LoadResult


def write_chart(results: Sequence[LoadResult], path: Path, p95_target_ms: float, throughput_target: float) -> Path:
    """A PNG with p50/p95/p99 latency (log scale) and messages per second for each concurrency level."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    levels = [result.concurrency for result in results]
    figure, (latency_axis, throughput_axis) = pyplot.subplots(1, 2, figsize=(10, 4))
    for percent, style in ((50, "o-"), (95, "s-"), (99, "^-")):
        latency_axis.plot(levels, [result.percentile(percent) for result in results], style, label=f"p{percent}")
    latency_axis.axhline(p95_target_ms, color="grey", linestyle="--", label=f"p95 target {p95_target_ms:.0f} ms")
    latency_axis.set(xscale="log", yscale="log", xlabel="concurrent students", ylabel="latency (ms)",
                     title="REST webhook latency")
    latency_axis.set_xticks(levels, [str(level) for level in levels])
    latency_axis.legend()
    throughput_axis.plot(levels, [result.messages_per_second for result in results], "o-", label="answered messages/s")
    throughput_axis.axhline(throughput_target, color="grey", linestyle="--", label=f"target {throughput_target:.0f}/s")
    throughput_axis.set(xscale="log", xlabel="concurrent students", ylabel="messages per second", title="Throughput",
                        ylim=(0, max(throughput_target, *(r.messages_per_second for r in results)) * 1.2))
    throughput_axis.set_xticks(levels, [str(level) for level in levels])
    throughput_axis.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    pyplot.close(figure)
    return path
