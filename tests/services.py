"""Throwaway servers for the tests: a PostgreSQL cluster and a Redis, each on a free port, removed afterwards.

They use Debian's binaries (`make test` installs them: .ci/test-deps) through assistant/server/engines.py; when
one is missing that is an error, not a reason to skip.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.server.engines import PostgresCluster, RedisServer, ServerUnavailable, postgres_bin_dir

__all__ = ["ServerUnavailable", "postgres_bin_dir", "throwaway_postgres", "throwaway_redis"]


@contextmanager
def throwaway_postgres(timeout_seconds: float = 60) -> Iterator[str]:
    """A new PostgreSQL cluster in a temporary directory, on 127.0.0.1 and a free port: its admin URL.

    Trust authentication, no fsync; stopped and deleted on exit, also when starting it fails.
    """
    work = Path(tempfile.mkdtemp(prefix="test-postgres-"))
    cluster = PostgresCluster(work, durable=False)
    try:
        yield cluster.start(timeout_seconds)
    finally:
        cluster.stop("immediate")
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def throwaway_redis(timeout_seconds: float = 30) -> Iterator[str]:
    """Debian's redis-server on 127.0.0.1 and a free port, nothing saved to disk: its URL. Stopped on exit."""
    work = Path(tempfile.mkdtemp(prefix="test-redis-"))
    server = RedisServer(work)
    try:
        yield server.start(timeout_seconds)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
