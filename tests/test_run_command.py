"""`assistant run` (what `make run` starts): ready, answering, serving the demo pages, and Ctrl-C leaves no process behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT
from assistant.server.runner import current_model
from tests.conftest import RunningAssistant, free_port

pytestmark = pytest.mark.servers


def children_of(pid: int) -> set[int]:
    """Every descendant process of `pid` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_run_answers_and_ctrl_c_stops_every_process(tmp_path: Path) -> None:
    if current_model(PROJECT_ROOT / "models") is None:
        pytest.fail("No model for the current training data: run `make test`, which trains one first.")
    rasa_port, action_port, web_port, staff_port = free_port(), free_port(), free_port(), free_port()
    environment = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp_path / 'run.db'}",
        RASA_PORT=str(rasa_port),
        ACTION_PORT=str(action_port),
        WEB_PORT=str(web_port),
        STAFF_PORT=str(staff_port),
        PYTHONUNBUFFERED="1",
    )
    log_path = tmp_path / "run.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "run"],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            # As when started in the background by a shell or CI: SIGINT inherited as ignored.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )
    try:
        deadline = time.monotonic() + 240
        while "Ready in" not in log_path.read_text():
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(1)
        output = log_path.read_text()
        assert "using " in output and "unchanged" in output, "an unchanged project must not retrain"
        answer = RunningAssistant(None, f"http://127.0.0.1:{rasa_port}", "").ask_text(  # type: ignore[arg-type]
            "Which partner universities do you have in Spain?"
        )
        assert "Universidad Complutense de Madrid" in answer
        for school in ("paris-cite", "lille"):
            url = f"http://localhost:{web_port}/{school}/"
            assert url in output, "the demo pages' URLs are printed"
            with urllib.request.urlopen(url.replace("localhost", "127.0.0.1"), timeout=10) as page:
                assert f'data-server="http://127.0.0.1:{rasa_port}"'.encode() in page.read()
        console = f"http://localhost:{staff_port}/"
        assert console in output, "the staff console's URL is printed"
        with urllib.request.urlopen(f"http://127.0.0.1:{staff_port}/sign-in", timeout=10) as page:
            assert b'name="password"' in page.read()
        started = children_of(process.pid)
        assert started, "the servers run as child processes"

        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0, log_path.read_text()
        time.sleep(1)
        assert not [pid for pid in started if alive(pid)], "a server outlived Ctrl-C"
        assert "All servers stopped." in log_path.read_text()
    finally:
        if process.poll() is None:
            process.kill()
