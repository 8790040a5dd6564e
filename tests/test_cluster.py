"""The topology (docs/deploy.md): Rasa replicas and action-server replicas behind HAProxy, sharing PostgreSQL and
Redis, started by the same code as `assistant run --replicas 2` / `make cluster`."""
from __future__ import annotations

import subprocess
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from assistant.cli import main
from assistant.server.balancer import READY_PATH, haproxy_executable
from assistant.server.cluster import Topology
from tests.conftest import RunningAssistant

pytestmark = pytest.mark.servers


def test_the_balancer_configuration_for_several_hosts_is_valid_haproxy(tmp_path: Path) -> None:
    out = tmp_path / "haproxy.cfg"
    result = CliRunner().invoke(
        main, ["balancer", "--rasa", "10.0.0.11:5005,10.0.0.12:5005", "--actions", "10.0.0.21:5055", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    config = out.read_text()
    assert "server rasa2 10.0.0.12:5005 check" in config and "server actions1 10.0.0.21:5055 check" in config
    checked = subprocess.run([haproxy_executable(), "-c", "-f", str(out)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_balancer_is_ready_once_every_replica_answers(topology: Topology) -> None:
    with urllib.request.urlopen(f"{topology.url}{READY_PATH}", timeout=5) as response:
        assert response.status == 200
    assert len(topology.services.named("Rasa")) == 2 and len(topology.services.named("action server")) == 2


def test_conversations_through_the_balancer_keep_their_follow_ups_and_are_kept_in_postgresql(
    topology: Topology,
) -> None:
    assistant = RunningAssistant(topology.services, topology.url, "")
    metadata = {"school": "upc-medicine", "language": "en"}

    def conversation(_: int) -> tuple[str, str, str]:
        sender = uuid.uuid4().hex
        first = assistant.ask_text("which partner universities are in Belgium?", sender=sender, metadata=metadata)
        second = assistant.ask_text("and in Sweden?", sender=sender, metadata=metadata)
        return sender, first, second

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(conversation, range(12)))
    for _, belgium, sweden in answers:
        assert "Belgium" in belgium
        assert "Sweden" in sweden and "Belgium" not in sweden
    engine = create_engine(topology.engines.settings.database_url)
    try:
        with engine.connect() as connection:
            for sender, _, _ in answers:
                users = connection.execute(
                    text("SELECT count(*) FROM events WHERE sender_id = :sender AND type_name = 'user'"),
                    {"sender": sender},
                ).scalar_one()
                assert users == 2
    finally:
        engine.dispose()
    assert topology.engines.settings.database_url.startswith("postgresql://")
