"""Latency percentiles and throughput of a load level (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy


@dataclass(frozen=True)
class LoadResult:
    """What one concurrency level measured."""

    concurrency: int
    seconds: float
    latencies_ms: tuple[float, ...]
    errors: int
    follow_ups: int
    fixed_response_ms: tuple[float, ...] = ()
    action_ms: tuple[float, ...] = ()

    @property
    def messages(self) -> int:
        return len(self.latencies_ms) + self.errors

    @property
    def messages_per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds > 0 else 0.0

    def percentile(self, percent: float) -> float:
        return percentile(self.latencies_ms, percent)


def percentile(values: Sequence[float], percent: float) -> float:
    """The `percent` percentile (linear interpolation between the closest ranks); NaN for no value."""
    if not values:
        return float("nan")
    return float(numpy.percentile(numpy.asarray(values, dtype=float), percent))


def saturation(results: Sequence[LoadResult]) -> LoadResult:
    """The level that answered the most messages per second."""
    return max(results, key=lambda result: result.messages_per_second)
