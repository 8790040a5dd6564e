"""The topology on one machine (`assistant run --replicas N`, `make cluster`): the shared PostgreSQL and Redis.

The replicas share a PostgreSQL database (conversations and knowledge) and a Redis (conversation locks, rate
limits). DATABASE_URL (a PostgreSQL one) and REDIS_URL name a school's own; when they are not given, a
PostgreSQL cluster and a Redis server are started here from Debian's binaries, their files in `var/cluster/`
(the PostgreSQL cluster is kept, so conversations survive a restart), and stopped with the assistant.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from assistant.config import PROJECT_ROOT, Settings
from assistant.server.engines import PostgresCluster, RedisServer, free_port
from assistant.server.runner import Replicas, Services

CLUSTER_DIR = PROJECT_ROOT / "var" / "cluster"
DATABASE_NAME = "assistant"


def create_database(admin_url: str, name: str = DATABASE_NAME) -> str:
    """The URL of database `name` on the server of `admin_url`, created if missing."""
    import psycopg2
    from psycopg2 import sql

    url = make_url(admin_url)
    connection = psycopg2.connect(
        host=url.host, port=url.port, user=url.username, password=url.password, dbname=url.database or "postgres"
    )
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()
    return url.set(database=name).render_as_string(hide_password=False)


@dataclass
class SharedEngines:
    """The settings naming the shared PostgreSQL and Redis, and those of them started here."""

    settings: Settings
    postgres: PostgresCluster | None = None
    redis: RedisServer | None = None


@contextmanager
def shared_engines(
    settings: Settings, work: Path = CLUSTER_DIR, durable: bool = True, progress: Callable[[str], None] = lambda _: None
) -> Iterator[SharedEngines]:
    """`settings` with a PostgreSQL DATABASE_URL and a REDIS_URL, starting local servers for those not given
    (`durable=False`, for tests: PostgreSQL without fsync)."""
    engines = SharedEngines(settings)
    with ExitStack() as stack:
        if make_url(settings.database_url).get_backend_name() != "postgresql":
            engines.postgres = PostgresCluster(work / "postgres", durable=durable)
            progress(f"starting PostgreSQL in {engines.postgres.work} (no PostgreSQL DATABASE_URL given)")
            stack.callback(engines.postgres.stop)
            admin_url = engines.postgres.start()
            engines.settings = dataclasses.replace(engines.settings, database_url=create_database(admin_url))
        if not settings.redis_url:
            engines.redis = RedisServer(work / "redis")
            progress(f"starting Redis on port {engines.redis.port} (no REDIS_URL given)")
            stack.callback(engines.redis.stop)
            engines.settings = dataclasses.replace(engines.settings, redis_url=engines.redis.start())
        yield engines


@dataclass
class Topology:
    """A running topology: its services (replicas, HAProxy, pages), the shared engines, the students' URL."""

    services: Services
    engines: SharedEngines
    url: str


@contextmanager
def running_topology(
    work: Path,
    model: Path,
    settings: Settings,
    rasa: int = 2,
    actions: int = 2,
    progress: Callable[[str], None] = lambda _: None,
) -> Iterator[Topology]:
    """`rasa` Rasa servers and `actions` action servers behind HAProxy on free ports, over a new PostgreSQL and
    Redis in `work` (unless `settings` names them) holding the knowledge files: for the tests, the fault suite
    and the benchmark."""
    from assistant.db.migrate import upgrade
    from assistant.db.session import create_db_engine
    from assistant.knowledge.loader import load_knowledge
    from assistant.knowledge.store import import_knowledge

    settings = dataclasses.replace(
        settings, rasa_port=free_port(), action_port=free_port(), web_port=free_port(), rasa_workers=1
    )
    # Not under `work`: as root, PostgreSQL runs as another user, who must reach its folder (pytest's are private).
    engines_dir = Path(tempfile.mkdtemp(prefix="topology-"))
    engines_dir.chmod(0o755)
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, engines_dir, ignore_errors=True)
        engines = stack.enter_context(shared_engines(settings, engines_dir, durable=False, progress=progress))
        upgrade(engines.settings.database_url)
        engine = create_db_engine(engines.settings.database_url, timeout_seconds=10)
        try:
            import_knowledge(load_knowledge(engines.settings.knowledge_dir), engine)
        finally:
            engine.dispose()
        replicas = Replicas(tuple(free_port() for _ in range(rasa)), tuple(free_port() for _ in range(actions)))
        services = Services(engines.settings, model, log_dir=work / "logs", replicas=replicas)
        services.start(timeout_seconds=300, progress=progress)
        try:
            yield Topology(services, engines, f"http://127.0.0.1:{engines.settings.rasa_port}")
        finally:
            services.stop()
