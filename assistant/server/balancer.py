"""HAProxy (Debian's package) in front of the Rasa replicas and the action-server replicas.

One configuration serves one machine (`assistant run --replicas N`) and several hosts (`assistant balancer`
writes it for the hosts a school names, docs/deploy.md). Students' requests reach the Rasa replicas through the
`rasa` front end, the Rasa replicas reach the action servers through the `actions` front end:

- health checks: Rasa's `GET /` (given 5 s: a replica busy with students answers late) and the action server's
  `GET /health` (given 1 s: a hung one is out within about 2 s), every second; a replica failing two in a row is
  taken out, two good ones put it back; `GET /balancer/ready` answers 200 only while every replica is in;
- a request is retried on another replica only when it never reached one (connection refused): a student
  message that reached a replica is never sent twice by the balancer (each goes on a new connection, so one
  sent to a replica that just died is refused, not lost);
- action calls only read the database, so one that got no answer at all (a replica that died with it) is sent
  to another action server; one that takes longer than ACTION_TIMEOUT_SECONDS is answered 504, so that Rasa
  gives the student the apology in time instead of waiting for a hung action server;
- a Rasa replica is given at most 10 messages at once; the others wait in HAProxy's queue (first come, first
  served, 30 s at most) rather than slow down every message and health check of the replica;
- socket.io keeps each client on one replica (its long-polling session lives in one process); REST messages go
  to the replica with the fewest requests in progress, as any replica handles any conversation.
"""

from __future__ import annotations

import csv
import shutil
import socket
from collections.abc import Sequence
from pathlib import Path

from assistant.server.engines import ServerUnavailable

READY_PATH = "/balancer/ready"
CHECK_INTERVAL_MS = 1000
RASA_CHECK_TIMEOUT_SECONDS = 5
ACTION_CHECK_TIMEOUT_SECONDS = 1
# Messages a Rasa replica handles at once; more wait in HAProxy's queue, first come first served, at most
# QUEUE_TIMEOUT_SECONDS. A replica given hundreds at once answers all of them, and its health check, late.
RASA_MAXCONN = 10
QUEUE_TIMEOUT_SECONDS = 30
ACTION_TIMEOUT_SECONDS = 3.0  # ACTION_TIMEOUT_SECONDS (assistant/config.py) on one machine
# A student message may wait for its conversation's lock and the action server: well over a normal answer.
RASA_TIMEOUT_SECONDS = 60


def haproxy_executable() -> str:
    executable = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if executable is None:
        raise ServerUnavailable("haproxy was not found (Debian package haproxy): run `make test` (it installs it)")
    return executable


def _servers(name: str, addresses: Sequence[str], maxconn: int | None = None) -> list[str]:
    limit = f" maxconn {maxconn}" if maxconn else ""
    return [f"    server {name}{number} {address} check{limit}" for number, address in enumerate(addresses, start=1)]


def haproxy_config(
    rasa_servers: Sequence[str],
    action_servers: Sequence[str],
    rasa_port: int,
    action_port: int,
    bind_address: str = "*",
    stats_socket: Path | None = None,
    action_timeout_seconds: float = ACTION_TIMEOUT_SECONDS,
) -> str:
    """The HAProxy configuration: students on `rasa_port`, the Rasa replicas' action calls on `action_port`;
    servers as "host:port"; `stats_socket`, a local socket where HAProxy tells each replica's state and load
    (`echo "show stat" | socat stdio <socket>`)."""
    if not rasa_servers or not action_servers:
        raise ValueError("the balancer needs at least one Rasa server and one action server")
    check = f"inter {CHECK_INTERVAL_MS} fastinter 500 downinter {CHECK_INTERVAL_MS} fall 2 rise 2"
    lines = [
        "# Written by `assistant balancer` / `assistant run --replicas` (assistant/server/balancer.py).",
        "global",
        "    maxconn 4096",
        *([f"    stats socket {stats_socket} mode 600 level operator"] if stats_socket else []),
        "",
        "defaults",
        "    mode http",
        "    option http-buffer-request",
        "    option redispatch 1",
        "    retries 2",
        "    retry-on conn-failure",
        "    timeout connect 1s",
        "    timeout client 65s",
        "    timeout http-request 10s",
        f"    timeout server {RASA_TIMEOUT_SECONDS}s",
        f"    timeout queue {QUEUE_TIMEOUT_SECONDS}s",
        f"    default-server {check}",
        "",
        "frontend rasa",
        f"    bind {bind_address}:{rasa_port}",
        "    option forwardfor",
        # One request per client connection: with kept-alive connections, when a replica died HAProxy closed
        # some clients' connections without an answer; now each in flight gets a 502, which the widget retries.
        "    option httpclose",
        f"    monitor-uri {READY_PATH}",
        f"    monitor fail if {{ nbsrv(rasa) lt {len(rasa_servers)} }} || {{ nbsrv(actions) lt {len(action_servers)} }}",
        "    use_backend rasa_sticky if { path_beg /socket.io }",
        "    default_backend rasa",
        "",
        "backend rasa",
        "    balance leastconn",
        # A replica busy with students answers its check late: slow is not down (a dead one refuses at once).
        f"    timeout check {RASA_CHECK_TIMEOUT_SECONDS}s",
        # A new connection for each request: one sent on a kept-alive connection to a replica that just died
        # would fail as if it had reached it; on a new connection it is refused, and sent to another replica.
        "    http-reuse never",
        "    option httpchk GET /",
        "    http-check expect status 200",
        *_servers("rasa", rasa_servers, RASA_MAXCONN),
        "",
        "backend rasa_sticky",
        "    balance source",
        f"    timeout check {RASA_CHECK_TIMEOUT_SECONDS}s",
        "    http-reuse never",
        "    hash-type consistent",
        "    option httpchk GET /",
        "    http-check expect status 200",
        *_servers("rasa", rasa_servers),
        "",
        "frontend actions",
        f"    bind {bind_address}:{action_port}",
        "    default_backend actions",
        "",
        "backend actions",
        "    balance leastconn",
        # A hung action server is taken out within about 2 s: action calls then fail at once (the apology).
        f"    timeout check {ACTION_CHECK_TIMEOUT_SECONDS}s",
        f"    timeout server {int(action_timeout_seconds * 1000)}ms",
        "    retry-on conn-failure empty-response",
        "    option httpchk GET /health",
        "    http-check expect status 200",
        *_servers("actions", action_servers),
        "",
    ]
    return "\n".join(lines)


def server_stats(stats_socket: Path) -> dict[tuple[str, str], dict[str, str]]:
    """HAProxy's `show stat` by (backend, server): `scur` requests in progress, `status` UP or DOWN, ..."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(2)
        connection.connect(str(stats_socket))
        connection.sendall(b"show stat\n")
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    text = b"".join(chunks).decode().lstrip("# ")
    return {(row["pxname"], row["svname"]): row for row in csv.DictReader(text.splitlines()) if row.get("pxname")}


def write_config(path: Path, config: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config, encoding="utf-8")
    return path
