"""Shared fixtures: databases on SQLite and PostgreSQL, and the real servers."""
from __future__ import annotations

import dataclasses
import json
import os
import re
import socket
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from psycopg2 import sql
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url

from assistant.config import PROJECT_ROOT, get_settings
from assistant.db.migrate import upgrade
from assistant.db.session import create_db_engine
from assistant.knowledge.loader import load_knowledge
from assistant.knowledge.store import import_knowledge
from assistant.server.runner import Services, latest_model
from tests.services import ServerUnavailable, throwaway_postgres

KNOWLEDGE_DIR = PROJECT_ROOT / "data" / "knowledge"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """TEST_POSTGRES_URL when set, else a throwaway cluster (tests/services.py) started at the first PostgreSQL test."""
    if POSTGRES_URL:
        yield POSTGRES_URL
        return
    try:
        with throwaway_postgres() as url:
            yield url
    except ServerUnavailable as error:
        pytest.fail(str(error), pytrace=False)


def _fresh_postgres_database(request: pytest.FixtureRequest) -> tuple[str, callable]:
    admin_url = request.getfixturevalue("postgres_admin_url")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    name = f"test_{uuid.uuid4().hex[:12]}"

    def run(statement: sql.Composed) -> None:
        connection = admin.raw_connection()
        try:
            connection.cursor().execute(statement)
        finally:
            connection.close()

    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop() -> None:
        run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.dispose()

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'knowledge.db'}"
        return
    url, drop = _fresh_postgres_database(request)
    yield url
    drop()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a migrated, empty database."""
    upgrade(database_url)
    engine = create_db_engine(database_url, timeout_seconds=5)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def knowledge():
    """The project's knowledge files, checked."""
    return load_knowledge(KNOWLEDGE_DIR)


@pytest.fixture(scope="session", params=BACKENDS)
def loaded_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, knowledge) -> Iterator[Engine]:
    """A database holding the project's knowledge, on each backend (shared by read-only tests)."""
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('loaded') / 'knowledge.db'}", (lambda: None)
    else:
        url, drop = _fresh_postgres_database(request)
    upgrade(url)
    engine = create_db_engine(url, timeout_seconds=5)
    import_knowledge(knowledge, engine)
    yield engine
    engine.dispose()
    drop()


@pytest.fixture
def knowledge_db(loaded_engine, monkeypatch: pytest.MonkeyPatch):
    """The loaded database, as the actions and their caches read it (actions run as the action server runs them)."""
    import actions.base
    from assistant.queries.names import NameCache
    from assistant.queries.search import TextIndexCache
    from assistant.queries.snapshot import SnapshotCache

    monkeypatch.setattr("assistant.db.session.get_engine", lambda *args: loaded_engine)
    monkeypatch.setattr("assistant.queries.cache.get_engine", lambda *args: loaded_engine)
    monkeypatch.setattr(actions.base, "names", NameCache(loaded_engine))
    monkeypatch.setattr(actions.base, "texts", TextIndexCache(loaded_engine))
    monkeypatch.setattr(actions.base, "knowledge", SnapshotCache(loaded_engine))
    return loaded_engine


@pytest.fixture
def confirmed_office_hours(knowledge_db):
    """The loaded database with its office hours confirmed by staff (the documents give none), for one test."""
    from sqlalchemy import update

    from assistant.db.models import OfficeHours

    with knowledge_db.begin() as connection:
        connection.execute(update(OfficeHours).values(placeholder=False))
    yield knowledge_db
    with knowledge_db.begin() as connection:
        connection.execute(update(OfficeHours).values(placeholder=True))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def free_port() -> int:
    with socket.socket() as sock:
        # Any address: a port in use on another loopback address (a test client's) is not free for the servers,
        # which listen on all addresses.
        sock.bind(("0.0.0.0", 0))
        return sock.getsockname()[1]


@dataclasses.dataclass
class RunningAssistant:
    """The real servers, and a way to talk to them as the web page does."""

    services: Services
    rasa_url: str
    web_url: str

    def ask(self, message: str, sender: str | None = None, metadata: dict[str, Any] | None = None) -> list[dict]:
        """Send a message through the REST channel and return the bot's messages."""
        body = {"sender": sender or uuid.uuid4().hex, "message": message}
        if metadata is not None:
            body["metadata"] = metadata
        request = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
            return json.loads(response.read())

    def ask_text(self, message: str, **kwargs: Any) -> str:
        return "\n".join(reply.get("text", "") for reply in self.ask(message, **kwargs))


@contextmanager
def running_assistant(work: Path, knowledge, console: bool = False, **overrides: Any) -> Iterator[RunningAssistant]:
    """The action server, Rasa server and demo pages with the trained model (and with `console` the staff console),
    on free ports, over a new database in `work`; `overrides` replace settings (limits, Redis, the console's
    folders). The Rasa server grants CORS to the demo pages' origin only."""
    model = latest_model(get_settings().models_dir)
    if model is None:
        pytest.fail("No trained model in models/: run `make test`, which trains one first.")
    database_url = f"sqlite:///{work / 'assistant.db'}"
    upgrade(database_url)
    engine = create_db_engine(database_url, timeout_seconds=5)
    import_knowledge(knowledge, engine)
    engine.dispose()
    web_port = free_port()
    web_url = f"http://127.0.0.1:{web_port}"
    settings = dataclasses.replace(
        get_settings(),
        database_url=database_url,
        rasa_port=free_port(),
        action_port=free_port(),
        web_port=web_port,
        staff_port=free_port(),
        cors_origins=(web_url,),
        **overrides,
    )
    services = Services(settings, model, log_dir=work / "logs", console=console)
    services.start(timeout_seconds=240)
    try:
        yield RunningAssistant(services, f"http://127.0.0.1:{settings.rasa_port}", web_url)
    finally:
        services.stop()


@pytest.fixture(scope="session")
def assistant_servers(tmp_path_factory: pytest.TempPathFactory, knowledge) -> Iterator[RunningAssistant]:
    """The real servers, started once, without rate limits: the held-out questions alone are 360 messages from one
    address in a minute. The limits are tested with servers of their own (tests/test_abuse.py)."""
    with running_assistant(
        tmp_path_factory.mktemp("servers"), knowledge, sender_per_minute=0, address_per_minute=0
    ) as running:
        yield running


@pytest.fixture(scope="session")
def topology(tmp_path_factory: pytest.TempPathFactory):
    """The topology of docs/deploy.md (2 Rasa and 2 action servers behind HAProxy, PostgreSQL, Redis), started once
    for tests/test_cluster.py and the fault suite's short form, without rate limits (every test student is
    127.0.0.1)."""
    from assistant.server.cluster import running_topology

    model = latest_model(get_settings().models_dir)
    if model is None:
        pytest.fail("No trained model in models/: run `make test`, which trains one first.")
    settings = dataclasses.replace(get_settings(), sender_per_minute=0, address_per_minute=0)
    with running_topology(tmp_path_factory.mktemp("topology"), model, settings) as running:
        yield running


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS_DIR = PROJECT_ROOT / "reports" / "screenshots"


@pytest.fixture(scope="module")
def chromium():
    """Debian's headless Chromium driven by Playwright (no browser download), one per test module."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (.ci/run installs it in CI)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def screenshot_path(node_name: str) -> Path:
    """Where a test's screenshot is kept (reports/ is git-ignored)."""
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', node_name)}.png"


@pytest.fixture
def browser_context_options() -> dict[str, Any]:
    """Options of each test's fresh browser context (overridden by tests that need another viewport)."""
    return {"viewport": {"width": 1280, "height": 800}, "locale": "en-GB"}


@pytest.fixture
def page(chromium, browser_context_options: dict[str, Any], request: pytest.FixtureRequest):
    """A page in a fresh browser context (empty storage); its last state is saved as a screenshot."""
    context = chromium.new_context(**browser_context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    try:
        page.screenshot(path=str(screenshot_path(request.node.name)), full_page=True)
    finally:
        context.close()
