"""The fault suite's short form (`make faults` runs the full one): the topology under load survives each fault
with a bounded answer, and no message is lost or answered twice, checked against the conversation store."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.config import REPORTS_DIR
from assistant.faults.scenarios import SCENARIOS
from assistant.faults.suite import SHORT, ScenarioResult, run_scenarios, table
from assistant.server.cluster import Topology

pytestmark = [pytest.mark.servers, pytest.mark.faults]


@pytest.fixture(scope="module")
def results(topology: Topology) -> Iterator[dict[str, ScenarioResult]]:
    measured = run_scenarios(topology, SHORT, progress=lambda _: None)
    REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    (REPORTS_DIR / "faults-short.md").write_text("\n".join(["# Fault suite, short form (tests/test_faults.py)", "", table(measured), ""]))
    yield {result.name: result for result in measured}


@pytest.mark.parametrize("name", [scenario.name for scenario in SCENARIOS])
def test_the_scenario_meets_its_targets(results: dict[str, ScenarioResult], name: str) -> None:
    result = results[name]
    assert result.sent > 0
    assert result.problems() == [], table([result])


def test_a_killed_replica_loses_no_message_and_the_others_go_on(results: dict[str, ScenarioResult]) -> None:
    killed = results["a Rasa replica SIGKILLed"]
    assert killed.errors == 0 and killed.lost == 0 and killed.twice == 0 and killed.apologies == 0
    assert killed.in_flight is not None and killed.first_attempts_failed <= killed.in_flight
