"""Retrain and compare, for the staff console: a candidate model trained in a process of its own, scored with the
live one on the held-out questions, then promoted or discarded by an administrator.

The job writes its progress to a JSON status file the console reads; the live assistant keeps answering with the
live model throughout. Run as `python -m assistant.staff.retrain --project DIR --models DIR`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

CANDIDATES = "candidates"
STATUS_FILE = "status.json"
TRAINING, SCORING, READY, FAILED = "training", "scoring", "ready", "failed"


@dataclass
class JobStatus:
    """What the job is doing, what it said, and, once ready, the candidate and both models' scores per language."""

    state: str
    started: float
    lines: list[str] = field(default_factory=list)
    candidate: str | None = None
    live: str | None = None
    new_scores: dict[str, list[int]] = field(default_factory=dict)
    live_scores: dict[str, list[int]] = field(default_factory=dict)
    error: str | None = None
    # The job's process (its own process group), to stop it.
    pid: int | None = None

    @property
    def running(self) -> bool:
        return self.state in (TRAINING, SCORING)


def candidates_dir(models_dir: Path) -> Path:
    return models_dir / CANDIDATES


def read_status(models_dir: Path) -> JobStatus | None:
    """The last job's status, if a job was started."""
    path = candidates_dir(models_dir) / STATUS_FILE
    try:
        return JobStatus(**json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def _save(models_dir: Path, status: JobStatus) -> None:
    path = candidates_dir(models_dir) / STATUS_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(status), ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)


def start_job(project: Path, models_dir: Path) -> JobStatus:
    """Start training a candidate in the background (its own process group), unless a job is running."""
    from assistant.server.runner import latest_model, spawn_logged

    current = read_status(models_dir)
    if current is not None and current.running:
        return current
    folder = candidates_dir(models_dir)
    folder.mkdir(parents=True, exist_ok=True)
    live = latest_model(models_dir)
    status = JobStatus(TRAINING, time.time(), ["training started"], live=live.name if live else None)
    _save(models_dir, status)
    process = spawn_logged(
        [sys.executable, "-m", "assistant.staff.retrain", "--project", str(project), "--models", str(models_dir)],
        folder / "job.log",
        project,
    )
    status.pid = process.pid
    _save(models_dir, status)
    return status


def stop_job(models_dir: Path) -> None:
    """Stop a running job and its training (`assistant run` does when it stops)."""
    status = read_status(models_dir)
    if status is None or not status.running or status.pid is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(status.pid, signal.SIGTERM)
    status.state, status.error = FAILED, "stopped"
    _save(models_dir, status)


def run_job(project: Path, models_dir: Path) -> None:
    """Train the candidate into models/candidates/, then score it and the live model."""
    from assistant.server.runner import RASA_DATA_PATHS, _rasa_train, training_fingerprint
    from assistant.staff.scoring import predict_heldout, score

    status = read_status(models_dir) or JobStatus(TRAINING, time.time())
    status.pid = os.getpid()
    folder = candidates_dir(models_dir)

    def progress(line: str) -> None:
        status.lines.append(line)
        _save(models_dir, status)

    try:
        for old in folder.glob("*.tar.gz"):
            old.unlink()
        command = [
            str(Path(sys.executable).parent / "rasa"),
            "train",
            "--domain",
            "domain.yml",
            "--config",
            "config.yml",
            "--out",
            str(folder),
            "--data",
            *RASA_DATA_PATHS,
            "--force",
        ]
        _rasa_train(command, folder / "train.log", progress, cwd=project)
        model = next(iter(sorted(folder.glob("*.tar.gz"))), None)
        if model is None:
            raise RuntimeError("training produced no model")
        model.with_name(model.name.replace(".tar.gz", ".inputs.sha256")).write_text(
            training_fingerprint(project) + "\n"
        )
        status.candidate, status.state = model.name, SCORING
        progress(f"trained {model.name}; scoring it on the held-out questions")
        new = score(predict_heldout(model, progress=progress))
        status.new_scores = {language: [new.correct[language], new.total[language]] for language in new.total}
        if status.live:
            progress(f"scoring the live model {status.live}")
            live = score(predict_heldout(models_dir / status.live, progress=progress))
            status.live_scores = {language: [live.correct[language], live.total[language]] for language in live.total}
        status.state = READY
        progress("ready: promote or discard")
    except Exception as error:  # the console shows why, whatever it was
        status.state, status.error = FAILED, f"{type(error).__name__}: {error}"
        _save(models_dir, status)
        raise


def promote(models_dir: Path) -> str:
    """Make the candidate the live model (the newest in models/, which `assistant run` serves); its name."""
    status = read_status(models_dir)
    if status is None or status.state != READY or not status.candidate:
        raise LookupError("no candidate model is ready")
    folder = candidates_dir(models_dir)
    fingerprint = status.candidate.replace(".tar.gz", ".inputs.sha256")
    (folder / fingerprint).replace(models_dir / fingerprint)
    (folder / status.candidate).replace(models_dir / status.candidate)
    status.state = "promoted"
    _save(models_dir, status)
    return status.candidate


def discard(models_dir: Path) -> str:
    """Delete the candidate; its name."""
    status = read_status(models_dir)
    if status is None or status.state != READY or not status.candidate:
        raise LookupError("no candidate model is ready")
    for path in candidates_dir(models_dir).glob("*"):
        if path.name.startswith(status.candidate.replace(".tar.gz", "")):
            path.unlink()
    status.state = "discarded"
    _save(models_dir, status)
    return status.candidate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--models", type=Path, required=True)
    arguments = parser.parse_args()
    run_job(arguments.project, arguments.models)


if __name__ == "__main__":
    main()
