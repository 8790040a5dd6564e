"""Throwaway servers for the tests: a PostgreSQL cluster and a Redis, each on a free port, removed afterwards.

They use Debian's binaries (`make test` installs them: .ci/test-deps); when one is missing that is an error,
not a reason to skip.
"""
from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

INSTALL_HINT = "run `make test` (it installs them)"


class ServerUnavailable(RuntimeError):
    """A throwaway server could not be started."""


def _free_port() -> int:
    with socket.socket() as sock:
        # Any address: a port in use on another loopback address (a test client's) is not free for the servers,
        # which listen on all addresses.
        sock.bind(("0.0.0.0", 0))
        return sock.getsockname()[1]


def _log_tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def postgres_bin_dir() -> Path:
    """The directory holding initdb and pg_ctl: Debian's highest version, else the ones on PATH."""
    def version(initdb: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", initdb.parent.parent.name))

    for initdb in sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=version, reverse=True):
        if (initdb.parent / "pg_ctl").exists():
            return initdb.parent
    initdb = shutil.which("initdb")
    if initdb and (Path(initdb).parent / "pg_ctl").exists():
        return Path(initdb).parent
    raise ServerUnavailable(f"PostgreSQL's initdb and pg_ctl were not found (Debian package postgresql): {INSTALL_HINT}")


def _unprivileged_user() -> str | None:
    """initdb and pg_ctl refuse to run as root: as root, the cluster belongs to `postgres` (or `nobody`)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise ServerUnavailable("running as root and there is no `postgres` or `nobody` user to own a PostgreSQL cluster")


@contextmanager
def throwaway_postgres(timeout_seconds: float = 60) -> Iterator[str]:
    """A new PostgreSQL cluster in a temporary directory, on 127.0.0.1 and a free port: its admin URL.

    Trust authentication, no fsync; stopped and deleted on exit, also when starting it fails.
    """
    bin_dir = postgres_bin_dir()
    user = _unprivileged_user()
    prefix = ["runuser", "-u", user, "--"] if user else []
    work = Path(tempfile.mkdtemp(prefix="test-postgres-"))
    data, log = work / "data", work / "postgres.log"
    port = _free_port()
    started = False
    try:
        if user:
            shutil.chown(work, user=user)

        def run(*command: str) -> None:
            result = subprocess.run(
                [*prefix, *command], cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            )
            if result.returncode != 0:
                raise ServerUnavailable(
                    f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n"
                    f"--- PostgreSQL log ({log}) ---\n{_log_tail(log)}"
                )

        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync")
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {work} -c fsync=off -c synchronous_commit=off " \
                  "-c full_page_writes=off"
        started = True
        run(str(bin_dir / "pg_ctl"), "start", "-D", str(data), "-l", str(log), "-o", options,
            "-w", "-t", str(int(timeout_seconds)))
        _wait_for_postgres(port, log, timeout_seconds)
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "stop", "-D", str(data), "-m", "immediate", "-w"],
                           cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


def _wait_for_postgres(port: int, log: Path, timeout_seconds: float) -> None:
    import psycopg2

    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", connect_timeout=2).close()
            return
        except psycopg2.OperationalError as error:
            if time.monotonic() > deadline:
                raise ServerUnavailable(
                    f"the throwaway PostgreSQL on port {port} did not accept connections within {timeout_seconds:.0f} s "
                    f"({error}):\n--- PostgreSQL log ({log}) ---\n{_log_tail(log)}"
                ) from error
            time.sleep(0.1)


@contextmanager
def throwaway_redis(timeout_seconds: float = 30) -> Iterator[str]:
    """Debian's redis-server on 127.0.0.1 and a free port, nothing saved to disk: its URL. Stopped on exit."""
    executable = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)
    if executable is None:
        raise ServerUnavailable(f"redis-server was not found (Debian package redis-server): {INSTALL_HINT}")
    work = Path(tempfile.mkdtemp(prefix="test-redis-"))
    log = work / "redis.log"
    port = _free_port()
    process = subprocess.Popen(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(work), "--logfile", str(log)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for_redis(process, port, log, timeout_seconds)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(work, ignore_errors=True)


def _wait_for_redis(process: subprocess.Popen, port: int, log: Path, timeout_seconds: float) -> None:
    deadline = time.monotonic() + timeout_seconds
    while True:
        if process.poll() is not None:
            raise ServerUnavailable(
                f"redis-server exited with {process.returncode}:\n--- Redis log ({log}) ---\n{_log_tail(log)}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                if connection.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ServerUnavailable(
                f"redis-server on port {port} did not answer PING within {timeout_seconds:.0f} s:\n"
                f"--- Redis log ({log}) ---\n{_log_tail(log)}"
            )
        time.sleep(0.05)
