"""A model is retrained only when its configuration or training data change."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import runner
from assistant.config import PROJECT_ROOT


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("config.yml", "domain.yml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    for folder in runner.RASA_DATA_PATHS:
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    monkeypatch.setattr(runner, "PROJECT_ROOT", tmp_path)
    (tmp_path / "models").mkdir()
    return tmp_path


def fake_model(project: Path, name: str, fingerprint: str) -> Path:
    model = project / "models" / f"{name}.tar.gz"
    model.write_bytes(b"model")
    model.with_name(f"{name}.inputs.sha256").write_text(fingerprint + "\n")
    return model


def test_unchanged_inputs_reuse_the_model_without_training(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = fake_model(project_copy, "trained", runner.training_fingerprint(project_copy))
    monkeypatch.setattr(runner.subprocess, "run", lambda *a, **k: pytest.fail("must not train"))
    assert runner.train(project_copy / "models") == model


@pytest.mark.parametrize("changed", ["config.yml", "domain.yml", "data/nlu/fr/partners.yml", "data/rules/basics.yml"])
def test_a_changed_input_needs_a_new_model(project_copy: Path, changed: str) -> None:
    fake_model(project_copy, "trained", runner.training_fingerprint(project_copy))
    assert runner.current_model(project_copy / "models") is not None
    with (project_copy / changed).open("a", encoding="utf-8") as file:
        file.write("\n# edited by staff\n")
    assert runner.current_model(project_copy / "models") is None


def test_a_new_training_file_needs_a_new_model(project_copy: Path) -> None:
    fake_model(project_copy, "trained", runner.training_fingerprint(project_copy))
    (project_copy / "data" / "nlu" / "en" / "extra.yml").write_text('version: "3.1"\nnlu: []\n')
    assert runner.current_model(project_copy / "models") is None
