"""The faults: how each is caused on the running topology, and how it is repaired.

Processes are stopped with SIGSTOP (hung: the kernel still accepts their connections, nothing answers), killed
with SIGKILL (dead), PostgreSQL stopped with `pg_ctl stop` and Redis terminated; the repair is what an operator
(or systemd) does: SIGCONT, start the process again. Nothing is done to the Rasa servers or HAProxy to help
them recover.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass

from assistant.server.balancer import server_stats
from assistant.server.cluster import Topology
from assistant.server.runner import Service

# After the kill, until HAProxy has seen each of the dead replica's requests fail.
KILL_SETTLE_SECONDS = 1.0


@dataclass(frozen=True)
class Scenario:
    """A fault: `inject` causes it (returning the requests in progress on a killed replica, else None), `repair`
    ends it `fault_seconds` later. `apology`: "expected" while the fault lasts, "allowed" (a moment), "none"."""

    name: str
    inject: Callable[[Topology], int | None]
    repair: Callable[[Topology], None]
    apology: str
    fault_seconds: float | None = None  # None: the plan's


def _signal(services: list[Service], signal_number: int) -> None:
    for service in services:
        assert service.process is not None, f"the {service.name} was never started"
        try:
            os.killpg(service.process.pid, signal_number)
        except ProcessLookupError:
            continue
        if signal_number == signal.SIGKILL:
            service.process.wait(timeout=10)


def _actions(topology: Topology) -> list[Service]:
    return topology.services.named("action server")


def _restart(topology: Topology, services: list[Service]) -> None:
    for service in services:
        topology.services.restart(service)


def _postgres(topology: Topology):
    if topology.engines.postgres is None:
        raise RuntimeError("the fault suite starts its own PostgreSQL: leave DATABASE_URL unset")
    return topology.engines.postgres


def _redis(topology: Topology):
    if topology.engines.redis is None:
        raise RuntimeError("the fault suite starts its own Redis: leave REDIS_URL unset")
    return topology.engines.redis


def _hang_actions(topology: Topology) -> None:
    _signal(_actions(topology), signal.SIGSTOP)


def _resume_actions(topology: Topology) -> None:
    _signal(_actions(topology), signal.SIGCONT)


def _kill_actions(topology: Topology) -> None:
    _signal(_actions(topology), signal.SIGKILL)


def _restart_actions(topology: Topology) -> None:
    _restart(topology, _actions(topology))


def _stop_postgres(topology: Topology) -> None:
    _postgres(topology).stop("fast")


def _start_postgres(topology: Topology) -> None:
    _postgres(topology).start()


def _hang_postgres(topology: Topology) -> None:
    _postgres(topology).pause()


def _resume_postgres(topology: Topology) -> None:
    _postgres(topology).resume()


def _restart_postgres(topology: Topology) -> None:
    _postgres(topology).stop("fast")
    _postgres(topology).start()


def _stop_redis(topology: Topology) -> None:
    _redis(topology).stop()


def _start_redis(topology: Topology) -> None:
    _redis(topology).start()


def _failed_on(stats: dict[tuple[str, str], dict[str, str]], server: str) -> int:
    row = stats[("rasa", server)]
    return int(row["eresp"] or 0) + int(row["srv_abrt"] or 0)


def _kill_rasa(topology: Topology) -> int:
    """SIGKILL the first Rasa replica. Returns its requests in progress when it died, as HAProxy saw them: those
    in progress just before, or those that then failed on it (some may come in between), whichever is more."""
    victim = topology.services.named("Rasa")[0]
    before = server_stats(topology.services.balancer_socket)
    _signal([victim], signal.SIGKILL)
    time.sleep(KILL_SETTLE_SECONDS)
    after = server_stats(topology.services.balancer_socket)
    in_progress = int(before[("rasa", "rasa1")]["scur"] or 0)
    return max(in_progress, _failed_on(after, "rasa1") - _failed_on(before, "rasa1"))


def _restart_rasa(topology: Topology) -> None:
    _restart(topology, topology.services.named("Rasa")[:1])


def _nothing(_: Topology) -> None:
    return None


SCENARIOS = (
    Scenario("action servers hung (SIGSTOP)", _hang_actions, _resume_actions, "expected"),
    Scenario("action servers dead (SIGKILL)", _kill_actions, _restart_actions, "expected"),
    Scenario("database down (stopped)", _stop_postgres, _start_postgres, "expected"),
    Scenario("database hung (SIGSTOP)", _hang_postgres, _resume_postgres, "expected"),
    Scenario("Redis down (stopped)", _stop_redis, _start_redis, "expected"),
    Scenario("PostgreSQL restarted", _restart_postgres, _nothing, "allowed", fault_seconds=0),
    Scenario("a Rasa replica SIGKILLed", _kill_rasa, _restart_rasa, "none"),
)
