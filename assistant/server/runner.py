"""Start the action server and the Rasa server (or replicas of both behind HAProxy), wait until all answer, stop
them cleanly."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from assistant.config import PROJECT_ROOT, Settings
from assistant.server.balancer import READY_PATH, haproxy_config, haproxy_executable, write_config
from assistant.web.server import HEALTH_PATH

if TYPE_CHECKING:
    from assistant.staff.scoring import HeldoutScore

RASA_DATA_PATHS = ("data/nlu", "data/rules", "data/stories")
NLU_COMPONENTS = "assistant/nlu"  # our pipeline components: their code is part of what a model is trained from
ENDPOINTS_FILE = PROJECT_ROOT / "endpoints.yml"
REFUSED_DIR = "refused"
PURGE_INTERVAL_SECONDS = 24 * 3600
RETRY_PURGE_SECONDS = 3600


def spawn_logged(
    command: list[str], log_path: Path, cwd: Path, environment: dict[str, str] | None = None
) -> subprocess.Popen:
    """A process of its own session (stopped with its children), its output appended to `log_path`."""
    with log_path.open("ab") as log:
        return subprocess.Popen(
            command,
            cwd=cwd,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


@dataclass
class Service:
    """A server process of ours, in its own process group so that it and its children stop together."""

    name: str
    command: list[str]
    health_url: str
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self, environment: dict[str, str]) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.process = spawn_logged(self.command, self.log_path, PROJECT_ROOT, environment)

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.health_url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    def exited(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self, grace_seconds: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        for signal_number, wait in ((signal.SIGTERM, grace_seconds), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.process.pid, signal_number)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def endpoints_file(settings: Settings, run_dir: Path, replicated: bool = False) -> Path:
    """endpoints.yml, with a Redis lock store (assistant/server/lock_store.py) added when several Rasa processes
    (workers of one server, or `replicated` servers) share the conversations.

    Each Rasa process handles any conversation; the lock store makes a
    conversation's messages wait for each other across processes.
    """
    if (settings.rasa_workers == 1 and not replicated) or not settings.redis_url:
        return ENDPOINTS_FILE
    redis = urlsplit(settings.redis_url)
    lock_store = [
        "lock_store:",
        "  type: assistant.server.lock_store.AtomicRedisLockStore",
        f"  url: {redis.hostname or 'localhost'}",
        f"  port: {redis.port or 6379}",
        f"  db: {int(redis.path.strip('/') or 0)}",
    ]
    if redis.password:
        lock_store.append(f"  password: {redis.password}")
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / f"endpoints-{settings.rasa_port}.yml"
    path.touch(mode=0o600)
    path.write_text(ENDPOINTS_FILE.read_text(encoding="utf-8") + "\n" + "\n".join(lock_store) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Replicas:
    """The ports of the Rasa replicas and of the action-server replicas on this machine, behind HAProxy, which
    listens on the settings' Rasa and action ports."""

    rasa_ports: tuple[int, ...]
    action_ports: tuple[int, ...]

    @classmethod
    def next_to(cls, settings: Settings, rasa: int, actions: int) -> Replicas:
        """`rasa` and `actions` replicas on the ports following the settings' (5006, 5007 ...; 5056 ...)."""
        return cls(
            tuple(settings.rasa_port + 1 + number for number in range(rasa)),
            tuple(settings.action_port + 1 + number for number in range(actions)),
        )


def action_server(port: int, log_path: Path, name: str = "action server") -> Service:
    return Service(
        name,
        [sys.executable, "-m", "assistant.server.action_server", "--actions", "actions", "--port", str(port)],
        f"http://127.0.0.1:{port}/health",
        log_path,
    )


def rasa_server(settings: Settings, model_path: Path, port: int, endpoints: Path, log_path: Path, name: str) -> Service:
    return Service(
        name,
        [
            sys.executable,
            "-m",
            "assistant.server.rasa_server",
            "run",
            "--model",
            str(model_path),
            "--port",
            str(port),
            "--endpoints",
            str(endpoints),
            "--credentials",
            "credentials.yml",
            "--cors",
            *settings.cors_origins,
        ],
        f"http://127.0.0.1:{port}/",
        log_path,
    )


@dataclass
class Services:
    """The action server, the Rasa server and the demonstration pages of one running assistant, and with
    `console` the staff console (`assistant run` starts it; the benchmarks and most tests do without); with
    `replicas`, several Rasa and action servers behind HAProxy (assistant/server/balancer.py) instead, on the same
    Rasa and action ports."""

    settings: Settings
    model_path: Path
    log_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "var" / "logs")
    services: list[Service] = field(default_factory=list)
    replicas: Replicas | None = None
    console: bool = False

    def __post_init__(self) -> None:
        run_dir = self.log_dir.parent / "run"
        endpoints = endpoints_file(self.settings, run_dir, replicated=self.replicas is not None)
        if self.replicas is None:
            servers = [
                action_server(self.settings.action_port, self.log_dir / "actions.log"),
                rasa_server(
                    self.settings,
                    self.model_path,
                    self.settings.rasa_port,
                    endpoints,
                    self.log_dir / "rasa.log",
                    "Rasa server",
                ),
            ]
        else:
            servers = self._replicated(endpoints, run_dir)
        self.services = [
            *servers,
            Service(
                "web pages server",
                [
                    sys.executable,
                    "-m",
                    "assistant.web",
                    "--port",
                    str(self.settings.web_port),
                    "--rasa-port",
                    str(self.settings.rasa_port),
                ],
                f"http://127.0.0.1:{self.settings.web_port}{HEALTH_PATH}",
                self.log_dir / "web.log",
            ),
        ]
        if self.console:
            self.services.append(
                Service(
                    "staff console",
                    [sys.executable, "-m", "assistant.console", "--port", str(self.settings.staff_port)],
                    f"http://127.0.0.1:{self.settings.staff_port}{HEALTH_PATH}",
                    self.log_dir / "console.log",
                )
            )

    def _replicated(self, endpoints: Path, run_dir: Path) -> list[Service]:
        assert self.replicas is not None
        actions = [
            action_server(port, self.log_dir / f"actions-{number}.log", f"action server {number}")
            for number, port in enumerate(self.replicas.action_ports, start=1)
        ]
        rasa = [
            rasa_server(
                self.settings, self.model_path, port, endpoints, self.log_dir / f"rasa-{number}.log", f"Rasa {number}"
            )
            for number, port in enumerate(self.replicas.rasa_ports, start=1)
        ]
        config = haproxy_config(
            [f"127.0.0.1:{port}" for port in self.replicas.rasa_ports],
            [f"127.0.0.1:{port}" for port in self.replicas.action_ports],
            self.settings.rasa_port,
            self.settings.action_port,
            stats_socket=self.balancer_socket,
            action_timeout_seconds=self.settings.action_timeout_seconds,
        )
        path = write_config(run_dir / f"haproxy-{self.settings.rasa_port}.cfg", config)
        balancer = Service(
            "load balancer (HAProxy)",
            [haproxy_executable(), "-db", "-f", str(path)],
            f"http://127.0.0.1:{self.settings.rasa_port}{READY_PATH}",
            self.log_dir / "haproxy.log",
        )
        return [*actions, *rasa, balancer]

    @property
    def balancer_socket(self) -> Path:
        """HAProxy's stats socket (assistant/server/balancer.py: `server_stats`)."""
        return self.log_dir.parent / "run" / f"haproxy-{self.settings.rasa_port}.sock"

    def named(self, prefix: str) -> list[Service]:
        """The services whose name starts with `prefix` ("Rasa", "action server")."""
        return [service for service in self.services if service.name.startswith(prefix)]

    def environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        environment.update(self.settings.environment())
        environment.update(
            DATABASE_URL=self.settings.database_url,
            KNOWLEDGE_DIR=str(self.settings.knowledge_dir),
            MODELS_DIR=str(self.settings.models_dir),
            PROJECT_DIR=str(self.settings.project_dir),
            RASA_PORT=str(self.settings.rasa_port),
            STAFF_PORT=str(self.settings.staff_port),
            ACTION_SERVER_URL=f"http://127.0.0.1:{self.settings.action_port}/webhook",
            SANIC_WORKERS=str(self.settings.rasa_workers),
            PYTHONUNBUFFERED="1",
        )
        if self.replicas is not None:
            # The replicas see HAProxy's address: the client's is the one it adds (X-Forwarded-For).
            environment["PROXIES_COUNT"] = str(self.settings.proxies_count + 1)
        return environment

    def start(self, timeout_seconds: float = 180.0, progress: Callable[[str], None] = lambda _: None) -> float:
        """Start every service and wait until all answer.

        Returns:
            Seconds from start to ready.

        Raises:
            RuntimeError: a service exited or did not answer in time (all are stopped).
        """
        started = time.monotonic()
        environment = self.environment()
        for service in self.services:
            progress(f"starting the {service.name} (log: {service.log_path})")
            service.start(environment)
        waiting = list(self.services)
        while waiting:
            for service in list(waiting):
                if service.exited() is not None:
                    self.stop()
                    raise RuntimeError(f"The {service.name} stopped at start-up:\n{service.log_tail()}")
                if service.healthy():
                    progress(f"{service.name} ready after {time.monotonic() - started:.0f} s")
                    waiting.remove(service)
            if time.monotonic() - started > timeout_seconds:
                self.stop()
                names = ", ".join(service.name for service in waiting)
                raise RuntimeError(f"Not ready after {timeout_seconds:.0f} s: {names}")
            if waiting:
                time.sleep(0.5)
        return time.monotonic() - started

    def restart(self, service: Service, timeout_seconds: float = 180.0) -> None:
        """Stop one service and start it again, waiting until it answers."""
        service.stop()
        service.start(self.environment())
        deadline = time.monotonic() + timeout_seconds
        while not service.healthy():
            if service.exited() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The {service.name} did not come back:\n{service.log_tail()}")
            time.sleep(0.5)

    def serve_model(self, model: Path) -> None:
        """Restart the Rasa server with another model (replicas one after the other, the others answering
        meanwhile); conversations are in the database, so none is lost."""
        self.model_path = model
        for rasa in self.named("Rasa"):
            rasa.command[rasa.command.index("--model") + 1] = str(model)
            self.restart(rasa)

    def crashed(self) -> Service | None:
        """A service that has exited on its own, if any."""
        return next((service for service in self.services if service.exited() is not None), None)

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


@dataclass
class DailyPurge:
    """Applies the retention period when first asked, then once a day (a failed purge is retried an hour later)."""

    settings: Settings
    progress: Callable[[str], None] = lambda _: None
    clock: Callable[[], float] = time.monotonic
    next_run: float = float("-inf")

    def run_if_due(self) -> None:
        if self.clock() < self.next_run:
            return
        from sqlalchemy.exc import SQLAlchemyError

        from assistant.db.session import get_engine
        from assistant.staff.purge import purge

        try:
            result = purge(get_engine(self.settings.database_url), self.settings.retention_days)
        except SQLAlchemyError as error:
            self.progress(f"could not delete old conversations ({type(error).__name__}); trying again in an hour")
            self.next_run = self.clock() + RETRY_PURGE_SECONDS
            return
        self.progress(result.summary())
        self.next_run = self.clock() + PURGE_INTERVAL_SECONDS


@dataclass
class ModelWatch:
    """Notices a model made live while the assistant runs (promoted in the console, or by `assistant train`)."""

    models_dir: Path
    seen: Path | None = None

    def __post_init__(self) -> None:
        self.seen = latest_model(self.models_dir)

    def new_model(self) -> Path | None:
        """The newest model, if it is not the one that was newest when last asked."""
        newest = latest_model(self.models_dir)
        if newest is None or newest == self.seen:
            return None
        self.seen = newest
        return newest


def latest_model(models_dir: Path) -> Path | None:
    """The newest trained model, if there is one."""
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    return models[-1] if models else None


def training_fingerprint(project_root: Path | None = None) -> str:
    """A hash of everything a model is trained from: configuration, domain, training data, and the code of our
    NLU components (a change there can change what the model holds)."""
    project_root = project_root or PROJECT_ROOT
    digest = hashlib.sha256()
    files = [project_root / "config.yml", project_root / "domain.yml"]
    for folder in RASA_DATA_PATHS:
        files += sorted((project_root / folder).rglob("*.yml"))
    files += sorted((project_root / NLU_COMPONENTS).glob("*.py"))
    for path in files:
        digest.update(path.relative_to(project_root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _fingerprint_path(model: Path) -> Path:
    return model.with_name(model.name.replace(".tar.gz", ".inputs.sha256"))


def current_model(models_dir: Path) -> Path | None:
    """The newest model trained from exactly the current configuration and data, if any."""
    fingerprint = training_fingerprint()
    models = sorted(models_dir.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime, reverse=True)
    for model in models:
        recorded = _fingerprint_path(model)
        if recorded.exists() and recorded.read_text().strip() == fingerprint:
            return model
    return None


def refused_model(models_dir: Path) -> Path | None:
    """A model trained from exactly the current configuration and data but refused as worse, if any."""
    fingerprint = training_fingerprint()
    for model in sorted(
        (models_dir / REFUSED_DIR).glob("*.tar.gz"), key=lambda path: path.stat().st_mtime, reverse=True
    ):
        recorded = _fingerprint_path(model)
        if recorded.exists() and recorded.read_text().strip() == fingerprint:
            return model
    return None


def _set_aside(model: Path) -> Path:
    """Move a refused model out of the models `assistant run` chooses from."""
    refused = model.parent / REFUSED_DIR
    refused.mkdir(exist_ok=True)
    _fingerprint_path(model).replace(_fingerprint_path(refused / model.name))
    return Path(model.replace(refused / model.name))


def _rasa_train(command: list[str], log_path: Path, progress: Callable[[str], None], cwd: Path = PROJECT_ROOT) -> None:
    """Run `rasa train` in `cwd` (the project), its output in a log file, with a progress line every 15 s."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        while process.poll() is None:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                progress(f"still training ({time.monotonic() - started:.0f} s)")
    if process.returncode != 0:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
        raise RuntimeError(f"Training failed (full log: {log_path}):\n{tail}")


def _score(model: Path, progress: Callable[[str], None]) -> HeldoutScore:
    from assistant.staff.scoring import predict_heldout, score

    return score(predict_heldout(model, progress=progress))


def train(
    models_dir: Path,
    force: bool = False,
    progress: Callable[[str], None] = lambda _: None,
    log_path: Path | None = None,
) -> Path:
    """Train a model, or reuse the last one when the configuration and training data are unchanged.

    Rasa's output goes to `log_path` (by default var/logs/train.log).

    A new model replaces the live one (the newest in `models_dir`) only if it gives at least as many held-out
    questions their right intent; a worse one is moved to `models_dir/refused/` unless `force` is set.

    Returns:
        The model to run.
    """
    live = latest_model(models_dir)
    if not force:
        model = current_model(models_dir)
        if model is not None:
            progress(f"configuration and training data unchanged: using {model.name}")
            return model
        refused = refused_model(models_dir)
        if refused is not None and live is not None:
            progress(
                f"these training data already gave a worse model ({refused}): still using {live.name}; "
                "`assistant train --force` makes a new model live anyway"
            )
            return live
    fingerprint = training_fingerprint()
    started = time.time()
    executables = Path(sys.executable).parent
    command = [
        str(executables / "rasa"),
        "train",
        "--domain",
        "domain.yml",
        "--config",
        "config.yml",
        "--out",
        str(models_dir),
        "--data",
        *RASA_DATA_PATHS,
    ]
    if force:
        command.append("--force")
    log_path = log_path or PROJECT_ROOT / "var" / "logs" / "train.log"
    progress(f"training the model, about 1 to 2 minutes (Rasa's output: {log_path})")
    models_before = set(models_dir.glob("*.tar.gz"))
    _rasa_train(command, log_path, progress)
    # New files, not modification times: a file's time can lag the clock by a few milliseconds.
    new_models = sorted(set(models_dir.glob("*.tar.gz")) - models_before, key=lambda path: path.stat().st_mtime)
    if not new_models:
        raise RuntimeError(f"Training produced no model in {models_dir}")
    model = new_models[-1]
    _fingerprint_path(model).write_text(fingerprint + "\n")
    progress(f"trained {model.name} in {time.time() - started:.0f} s")
    if live is None:
        return model
    return _keep_the_better(model, live, force, progress)


def _keep_the_better(new: Path, live: Path, force: bool, progress: Callable[[str], None]) -> Path:
    progress("comparing the new model with the live one on the held-out questions")
    try:
        new_score, live_score = _score(new, progress), _score(live, progress)
    except Exception as error:
        progress(f"could not score the models ({type(error).__name__}: {error}); using the new model {new.name}")
        return new
    progress(f"new model  {new.name}: {new_score}")
    progress(f"live model {live.name}: {live_score}")
    if new_score.accuracy >= live_score.accuracy:
        progress(f"the new model is as good or better: {new.name} is now the live model")
        return new
    if force:
        progress(f"the new model is worse, but --force makes {new.name} the live model")
        return new
    refused = _set_aside(new)
    progress(f"the new model is worse: NOT used, kept aside as {refused}; the live model stays {live.name}")
    return live
