"""A new replica is ready for its first students when it says it is: the model has parsed its first messages and
the action server has read the knowledge, or, with the database down, starts all the same."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from assistant.config import PROJECT_ROOT
from tests.conftest import free_port

pytestmark = pytest.mark.servers


def test_the_rasa_server_parses_its_first_messages_before_answering_its_health_check(assistant_servers) -> None:
    """The parsing is part of loading the model, which Rasa finishes before it takes requests."""
    log = (assistant_servers.services.log_dir / "rasa.log").read_text(encoding="utf-8")
    assert "assistant.server.rasa_server  - The model parsed its first messages in" in log


def test_the_action_server_starts_with_the_database_down_and_says_so() -> None:
    port = free_port()
    closed = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant.server.action_server", "--actions", "actions", "--port", str(port)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{closed}/assistant"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.communicate()[0]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the action server did not answer its health check in 120 s"
                time.sleep(0.5)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "The knowledge cannot be read yet" in output and "it is read at the first answer" in output
    assert "Traceback" not in output
