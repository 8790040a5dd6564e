"""PostgreSQL and Redis on this machine, from Debian's binaries, for the one-machine topology and the tests.

`make cluster` (and the fault suite, and the tests) start a PostgreSQL cluster and a Redis server in a folder of
their own, on 127.0.0.1 and a free port, when no DATABASE_URL or REDIS_URL is given; on several hosts a school
runs its own PostgreSQL and Redis instead (docs/deploy.md). Each can be stopped, started again, or paused
(SIGSTOP: a hung server that still accepts connections) and resumed, as the fault suite does.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

INSTALL_HINT = "run `make test` (it installs them)"


class ServerUnavailable(RuntimeError):
    """A local server could not be started."""


def free_port() -> int:
    """A TCP port free on every address (servers listen on all of them, clients may use any loopback address)."""
    with socket.socket() as sock:
        sock.bind(("0.0.0.0", 0))
        return sock.getsockname()[1]


def log_tail(path: Path, lines: int = 40) -> str:
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
    on_path = shutil.which("initdb")
    if on_path and (Path(on_path).parent / "pg_ctl").exists():
        return Path(on_path).parent
    raise ServerUnavailable(
        f"PostgreSQL's initdb and pg_ctl were not found (Debian package postgresql): {INSTALL_HINT}"
    )


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


def _pause_tree(pid: int, signal_number: int) -> None:
    """Send SIGSTOP or SIGCONT to a process and all its children."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for process in processes:
        try:
            process.send_signal(signal_number)
        except psutil.NoSuchProcess:
            continue


@dataclass
class PostgresCluster:
    """A PostgreSQL cluster in `work` (created on first start, kept across restarts), on 127.0.0.1 and `port`.

    Trust authentication from 127.0.0.1 only. `durable=False` (the tests) turns fsync off.
    """

    work: Path
    port: int = field(default_factory=free_port)
    durable: bool = True
    bin_dir: Path = field(default_factory=postgres_bin_dir)

    @property
    def data(self) -> Path:
        return self.work / "data"

    @property
    def log(self) -> Path:
        return self.work / "postgres.log"

    @property
    def url(self) -> str:
        """The admin URL (database `postgres`)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str, check: bool = True) -> None:
        user = _unprivileged_user()
        prefix = ["runuser", "-u", user, "--"] if user else []
        result = subprocess.run(
            [*prefix, *command], cwd=self.work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        if check and result.returncode != 0:
            raise ServerUnavailable(
                f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n"
                f"--- PostgreSQL log ({self.log}) ---\n{log_tail(self.log)}"
            )

    def start(self, timeout_seconds: float = 60) -> str:
        """Create the cluster if needed, start it and wait until it accepts connections: its admin URL."""
        self.work.mkdir(parents=True, exist_ok=True)
        user = _unprivileged_user()
        if user:
            shutil.chown(self.work, user=user)
        if not (self.data / "PG_VERSION").exists():
            self._run(
                str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--locale=C.UTF-8", *([] if self.durable else ["--no-sync"]),
            )  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.work} -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            str(self.bin_dir / "pg_ctl"), "start", "-D", str(self.data), "-l", str(self.log), "-o", options,
            "-w", "-t", str(int(timeout_seconds)),
        )  # fmt: skip
        self._wait(timeout_seconds)
        return self.url

    def _wait(self, timeout_seconds: float) -> None:
        import psycopg2

        deadline = time.monotonic() + timeout_seconds
        while True:
            try:
                psycopg2.connect(
                    host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", connect_timeout=2
                ).close()
                return
            except psycopg2.OperationalError as error:
                if time.monotonic() > deadline:
                    raise ServerUnavailable(
                        f"PostgreSQL on port {self.port} did not accept connections within {timeout_seconds:.0f} s "
                        f"({error}):\n--- PostgreSQL log ({self.log}) ---\n{log_tail(self.log)}"
                    ) from error
                time.sleep(0.1)

    def stop(self, mode: str = "fast") -> None:
        """Stop the cluster (`immediate`: as a crash would, without a checkpoint)."""
        if (self.data / "postmaster.pid").exists():
            self.resume()
            self._run(str(self.bin_dir / "pg_ctl"), "stop", "-D", str(self.data), "-m", mode, "-w", check=False)

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def pause(self) -> None:
        """Stop every process of the cluster (SIGSTOP): connections are still accepted by the kernel, none answered."""
        pid = self.postmaster_pid()
        if pid is not None:
            _pause_tree(pid, signal.SIGSTOP)

    def resume(self) -> None:
        pid = self.postmaster_pid()
        if pid is not None:
            _pause_tree(pid, signal.SIGCONT)


@dataclass
class RedisServer:
    """Debian's redis-server on 127.0.0.1 and `port`, its files in `work` (nothing saved to disk)."""

    work: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def log(self) -> Path:
        return self.work / "redis.log"

    def start(self, timeout_seconds: float = 30) -> str:
        """Start the server and wait until it answers PING: its URL."""
        executable = shutil.which("redis-server") or (
            "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
        )
        if executable is None:
            raise ServerUnavailable(f"redis-server was not found (Debian package redis-server): {INSTALL_HINT}")
        self.work.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.work), "--logfile", str(self.log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait(timeout_seconds)
        return self.url

    def _wait(self, timeout_seconds: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout_seconds
        while True:
            if self.process.poll() is not None:
                raise ServerUnavailable(
                    f"redis-server exited with {self.process.returncode}:\n--- Redis log ({self.log}) ---\n"
                    f"{log_tail(self.log)}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise ServerUnavailable(
                    f"redis-server on port {self.port} did not answer PING within {timeout_seconds:.0f} s:\n"
                    f"--- Redis log ({self.log}) ---\n{log_tail(self.log)}"
                )
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGCONT)
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
