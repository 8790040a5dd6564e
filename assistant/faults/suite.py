"""Each fault under load, on one topology: students talk, the fault is injected, repaired, and every message is
checked, its reply and its place in the conversation store."""

from __future__ import annotations

import dataclasses
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import get_settings
from assistant.faults.ledger import lost_and_twice, stored_message_ids
from assistant.faults.scenarios import SCENARIOS, Scenario
from assistant.faults.students import Sent, Students
from assistant.server.balancer import READY_PATH
from assistant.server.cluster import Topology, running_topology
from assistant.server.runner import latest_model

APOLOGY_TARGET_SECONDS = 5.0
RECOVERY_TARGET_SECONDS = 20.0
READY_TIMEOUT_SECONDS = 90.0


@dataclass(frozen=True)
class Plan:
    """How many students, how long before the fault, during it and after its repair."""

    students: int = 20
    think_seconds: float = 1.0
    before_seconds: float = 5.0
    fault_seconds: float = 12.0
    after_seconds: float = 15.0


FULL = Plan()
# The short form `make test` runs (tests/test_faults.py): fewer students, shorter phases, the same checks.
SHORT = Plan(students=6, think_seconds=0.5, before_seconds=2.0, fault_seconds=6.0, after_seconds=8.0)


@dataclass(frozen=True)
class ScenarioResult:
    """What one scenario measured."""

    name: str
    apology: str
    sent: int
    errors: int  # no reply at all, even after the widget's retry
    first_attempts_failed: int
    in_flight: int | None  # requests in progress on the killed replica when it was killed
    lost: int
    twice: int
    apologies: int
    apology_seconds: float | None  # the longest wait of a message sent while the fault lasted
    recovery_seconds: float | None  # from the repair to the first answer after which every message is answered
    failures: dict[str, int] = field(default_factory=dict)  # how first attempts failed, by kind

    def problems(self) -> list[str]:
        """The targets this scenario missed, in words (none: all met)."""
        found = []
        if self.errors:
            found.append(f"{self.errors} message(s) got no reply")
        if self.lost:
            found.append(f"{self.lost} answered message(s) missing from the conversation store")
        if self.twice:
            found.append(f"{self.twice} message(s) in the conversation store twice")
        if self.in_flight is not None and self.first_attempts_failed > self.in_flight:
            found.append(
                f"{self.first_attempts_failed} requests failed, more than the {self.in_flight} in progress on the "
                "killed replica"
            )
        if self.apology == "expected" and not self.apologies:
            found.append("no apology while the fault lasted")
        if self.apology == "none" and self.apologies:
            found.append(f"{self.apologies} apologies where none was expected")
        if self.apology_seconds is not None and self.apology_seconds > APOLOGY_TARGET_SECONDS:
            found.append(f"a student waited {self.apology_seconds:.1f} s (target {APOLOGY_TARGET_SECONDS:.0f} s)")
        if self.recovery_seconds is None:
            found.append("not answered normally after the repair")
        elif self.recovery_seconds > RECOVERY_TARGET_SECONDS:
            found.append(f"recovered after {self.recovery_seconds:.1f} s (target {RECOVERY_TARGET_SECONDS:.0f} s)")
        return found


def recovery_seconds(sent: Sequence[Sent], repaired_at: float) -> float | None:
    """From the repair to the reply of the first answer sent after the last message not answered normally."""
    after = sorted((message for message in sent if message.sent_at >= repaired_at), key=lambda m: m.sent_at)
    last_bad = max((index for index, message in enumerate(after) if message.outcome != "answer"), default=-1)
    answered = [message for message in after[last_bad + 1 :] if message.outcome == "answer"]
    return answered[0].replied_at - repaired_at if answered else None


def wait_until_ready(topology: Topology, timeout_seconds: float = READY_TIMEOUT_SECONDS) -> None:
    """Until HAProxy has every replica in again."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            with urllib.request.urlopen(f"{topology.url}{READY_PATH}", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the topology was not whole again {timeout_seconds:.0f} s after a repair")
        time.sleep(0.5)


def run_scenario(topology: Topology, scenario: Scenario, plan: Plan) -> ScenarioResult:
    students = Students(topology.url, plan.students, plan.think_seconds).start()
    time.sleep(plan.before_seconds)
    fault_at = time.monotonic()
    in_flight = scenario.inject(topology)
    time.sleep(plan.fault_seconds if scenario.fault_seconds is None else scenario.fault_seconds)
    repair_at = time.monotonic()
    scenario.repair(topology)
    repaired_at = time.monotonic() if scenario.fault_seconds != 0 else fault_at
    time.sleep(plan.after_seconds)
    sent = students.stop()
    stored = stored_message_ids(topology.engines.settings.database_url, (message.sender for message in sent))
    lost, twice = lost_and_twice(sent, stored)
    during = [message for message in sent if fault_at <= message.sent_at < repair_at]
    return ScenarioResult(
        name=scenario.name,
        apology=scenario.apology,
        sent=len(sent),
        errors=sum(message.outcome == "error" for message in sent),
        first_attempts_failed=sum(message.first_attempt_failed for message in sent),
        in_flight=in_flight,
        lost=lost,
        twice=twice,
        apologies=sum(message.outcome == "apology" for message in sent),
        apology_seconds=max((message.seconds for message in during), default=None)
        if scenario.apology != "none"
        else None,
        recovery_seconds=recovery_seconds(sent, repaired_at),
        failures=dict(Counter(message.failure for message in sent if message.first_attempt_failed)),
    )


def run_suite(
    work: Path,
    plan: Plan = FULL,
    scenarios: Sequence[Scenario] = SCENARIOS,
    progress: Callable[[str], None] = print,
) -> list[ScenarioResult]:
    """Start the topology (2 Rasa and 2 action servers, HAProxy, PostgreSQL, Redis) and run each scenario."""
    model = latest_model(get_settings().models_dir)
    if model is None:
        raise RuntimeError("No trained model in models/: run `make model` first.")
    # Every simulated student comes from this machine's address: no rate limits.
    settings = dataclasses.replace(get_settings(), sender_per_minute=0, address_per_minute=0)
    progress("starting the topology: 2 Rasa servers, 2 action servers, HAProxy, PostgreSQL, Redis ...")
    with running_topology(work, model, settings, progress=lambda line: progress(f"  {line}")) as topology:
        return run_scenarios(topology, plan, scenarios, progress)


def run_scenarios(
    topology: Topology, plan: Plan, scenarios: Sequence[Scenario] = SCENARIOS, progress: Callable[[str], None] = print
) -> list[ScenarioResult]:
    """Each scenario in turn on a running topology (started with its own PostgreSQL and Redis)."""
    results = []
    for scenario in scenarios:
        wait_until_ready(topology)
        progress(f"{scenario.name}: {plan.students} students ...")
        result = run_scenario(topology, scenario, plan)
        results.append(result)
        problems = result.problems()
        failures = ", ".join(f"{count} {kind}" for kind, count in result.failures.items())
        progress(
            f"  {result.sent} messages; "
            + ("; ".join(problems) if problems else "all targets met")
            + (f" (failed first attempts: {failures})" if failures else "")
        )
    wait_until_ready(topology)
    return results


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def table(results: Sequence[ScenarioResult]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| scenario | messages sent | errors | failed first attempts (in flight) | messages lost | answered twice "
        "| apologies | time to apology | time to recovery | targets |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        in_flight = "" if result.in_flight is None else f" ({result.in_flight})"
        problems = result.problems()
        lines.append(
            f"| {result.name} | {result.sent} | {result.errors} | {result.first_attempts_failed}{in_flight} | "
            f"{result.lost} | {result.twice} | {result.apologies} | {_seconds(result.apology_seconds)} | "
            f"{_seconds(result.recovery_seconds)} | {'met' if not problems else '**missed**: ' + '; '.join(problems)} |"
        )
    return "\n".join(lines)
