"""Training the benchmark's models with `rasa train`, its output kept in a log file."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import time
from pathlib import Path

from assistant.config import PROJECT_ROOT
from assistant.server.runner import RASA_DATA_PATHS

TRAINING_HOOK = re.compile(
    r"(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) .*?(?P<event>Starting to train|Finished training) component '(?P<name>[^']+)'"
)


def train_model(
    config: Path,
    out_dir: Path,
    name: str,
    log_path: Path,
    nlu_only: bool = False,
    nlu_data: Path | None = None,
    domain: Path | None = None,
) -> tuple[Path, float]:
    """Train a full model (or an NLU-only one) without forcing, so Rasa's cache reuses unchanged parts.

    `nlu_data` and `domain` (NLU-only models) train on other phrases than the project's `data/nlu`.

    Returns:
        The model file and the seconds training took.

    Raises:
        RuntimeError: training failed (the end of its log says why).
    """
    rasa = str(Path(sys.executable).parent / "rasa")
    if nlu_only:
        command = [rasa, "train", "nlu", "--nlu", str(nlu_data or "data/nlu")]
    else:
        command = [rasa, "train", "--data", *RASA_DATA_PATHS]
    command += ["--config", str(config), "--domain", str(domain or "domain.yml"), "--out", str(out_dir)]
    command += ["--fixed-model-name", name]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with log_path.open("ab") as log:
        finished = subprocess.run(
            command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    seconds = time.monotonic() - started
    model = out_dir / f"{name}.tar.gz"
    if finished.returncode != 0 or not model.exists():
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
        raise RuntimeError(f"Training {name} failed (log: {log_path}):\n{tail}")
    return model, seconds


def component_seconds(log_text: str) -> dict[str, float]:
    """Seconds each component took to train, from the start and end lines `rasa train` logs (whole seconds)."""
    started: dict[str, datetime.datetime] = {}
    durations: dict[str, float] = {}
    for match in TRAINING_HOOK.finditer(log_text):
        moment = datetime.datetime.strptime(match.group("time"), "%Y-%m-%d %H:%M:%S")
        if match.group("event") == "Starting to train":
            started[match.group("name")] = moment
        elif match.group("name") in started:
            seconds = (moment - started.pop(match.group("name"))).total_seconds()
            durations[match.group("name")] = durations.get(match.group("name"), 0.0) + seconds
    return durations
