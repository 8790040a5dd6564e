"""An isolated place to run the benchmark: temporary database, models, Rasa cache, logs and free ports."""

from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.config import Settings, get_settings


@dataclass(frozen=True)
class Workspace:
    root: Path
    database_url: str
    models_dir: Path
    logs_dir: Path

    def settings(self) -> Settings:
        """The project's settings with this workspace's database and models, free ports, and no rate limits: the
        question sets and the load come from one address, far faster than any student (the limits' own cost is
        measured by tests/test_abuse.py)."""
        return dataclasses.replace(
            get_settings(),
            database_url=self.database_url,
            models_dir=self.models_dir,
            rasa_port=free_port(),
            action_port=free_port(),
            sender_per_minute=0,
            address_per_minute=0,
        )


def free_port() -> int:
    with socket.socket() as sock:
        # Any address: a port in use on another loopback address (a test client's) is not free for the servers,
        # which listen on all addresses.
        sock.bind(("0.0.0.0", 0))
        return sock.getsockname()[1]


@contextmanager
def workspace(keep: bool = False) -> Iterator[Workspace]:
    """A temporary workspace; the environment points this process and the servers it starts at it.

    Rasa's training cache goes there too, so the user's `.rasa/cache` is neither used nor filled.
    """
    root = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
    space = Workspace(root, f"sqlite:///{root / 'assistant.db'}", root / "models", root / "logs")
    overrides = {
        "DATABASE_URL": space.database_url,
        "MODELS_DIR": str(space.models_dir),
        "RASA_CACHE_DIRECTORY": str(root / "rasa-cache"),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        yield space
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
