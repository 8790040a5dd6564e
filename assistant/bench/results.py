"""What one benchmark run measured, as plain data for the report."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.bench.external import ExternalResults
from assistant.bench.latency import LoadResult
from assistant.bench.machine import Machine
from assistant.bench.metrics import IntentScores


@dataclass
class SystemResult:
    """Accuracy of one system: NLU scores per language and seed, end-to-end pass counts for one seed."""

    key: str
    title: str
    summary: str
    seeds: list[int] = field(default_factory=list)
    scores: dict[str, list[IntentScores]] = field(default_factory=dict)
    parse_ms: list[float] = field(default_factory=list)
    end_to_end: dict[str, tuple[int, int]] = field(default_factory=dict)
    end_to_end_seed: int | None = None
    # Median, 90th percentile and longest reply to the held-out questions, in characters (buttons aside).
    reply_length: dict[str, int] = field(default_factory=dict)
    training_seconds: dict[str, float] = field(default_factory=dict)
    deterministic: bool = False


@dataclass
class Resources:
    """Time and memory figures (None where the step could not be measured)."""

    import_seconds: float
    full_training_seconds: float
    ready_seconds: float
    rasa_memory_bytes: int
    action_memory_bytes: int
    data_change_seconds: float | None
    data_change_import_seconds: float
    data_change_description: str


@dataclass
class ScaledLoad:
    """The load levels again with several Rasa processes sharing a Redis lock store (RASA_WORKERS, REDIS_URL)."""

    workers: int
    load: list[LoadResult]
    rasa_memory_bytes: int


@dataclass
class BenchResults:
    machine: Machine
    questions: dict[str, int]
    systems: list[SystemResult]
    load: list[LoadResult]
    resources: Resources
    total_seconds: float
    chart_name: str
    scaled: ScaledLoad | None = None
    external: ExternalResults | None = None
