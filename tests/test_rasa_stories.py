"""Rasa's own end-to-end test stories (tests/stories/), run with --fail-on-prediction-errors."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT, get_settings
from assistant.server.runner import current_model

pytestmark = pytest.mark.servers


def test_story_predictions_match(tmp_path: Path) -> None:
    model = current_model(get_settings().models_dir)
    if model is None:
        pytest.fail("No model for the current training data: run `make test`, which trains one first.")
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "rasa"),
            "test",
            "core",
            "--model",
            str(model),
            "--stories",
            "tests/stories",
            "--fail-on-prediction-errors",
            "--out",
            str(tmp_path),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    failed = (tmp_path / "failed_test_stories.yml").read_text() if (tmp_path / "failed_test_stories.yml").exists() else ""
    assert result.returncode == 0, failed or result.stdout[-3000:] + result.stderr[-3000:]
