"""Training the benchmark's models with `rasa train`, its output kept in a log file."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from assistant.config import PROJECT_ROOT
from assistant.runner import RASA_DATA_PATHS


def train_model(config: Path, out_dir: Path, name: str, log_path: Path, nlu_only: bool = False) -> tuple[Path, float]:
    """Train a full model (or an NLU-only one) without forcing, so Rasa's cache reuses unchanged parts.

    Returns:
        The model file and the seconds training took.

    Raises:
        RuntimeError: training failed (the end of its log says why).
    """
    rasa = str(Path(sys.executable).parent / "rasa")
    if nlu_only:
        command = [rasa, "train", "nlu", "--nlu", "data/nlu"]
    else:
        command = [rasa, "train", "--data", *RASA_DATA_PATHS]
    command += ["--config", str(config), "--domain", "domain.yml", "--out", str(out_dir), "--fixed-model-name", name]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with log_path.open("ab") as log:
        finished = subprocess.run(command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    model = out_dir / f"{name}.tar.gz"
    if finished.returncode != 0 or not model.exists():
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
        raise RuntimeError(f"Training {name} failed (log: {log_path}):\n{tail}")
    return model, seconds
