"""A model is retrained only when its configuration or training data change, and replaces the live one only if not worse."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from assistant.server import runner
from assistant.config import PROJECT_ROOT
from assistant.staff.scoring import HeldoutScore


@pytest.fixture
def project_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("config.yml", "domain.yml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    for folder in (*runner.RASA_DATA_PATHS, runner.NLU_COMPONENTS):
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
    monkeypatch.setattr(runner, "_rasa_train", lambda *a, **k: pytest.fail("must not train"))
    assert runner.train(project_copy / "models") == model


@pytest.mark.parametrize(
    "changed", ["config.yml", "domain.yml", "data/nlu/fr/partners.yml", "data/rules/basics.yml", "assistant/nlu/classifier.py"]
)
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


def score(percent_en: int, percent_fr: int) -> HeldoutScore:
    return HeldoutScore({"en": percent_en, "fr": percent_fr}, {"en": 100, "fr": 100})


@pytest.fixture
def live_model(project_copy: Path) -> Path:
    """A live model trained from other data than the project's current data."""
    model = fake_model(project_copy, "live", "an older fingerprint")
    os.utime(model, (time.time() - 3600, time.time() - 3600))
    return model


@pytest.fixture
def training(project_copy: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Training writes a model named `new`; scores come from SCORES by model name. Returns the progress lines."""
    trained: list[str] = []

    def rasa_train(command: list[str], log_path: Path, progress) -> None:  # noqa: ANN001
        trained.append("new")
        (project_copy / "models" / "new.tar.gz").write_bytes(b"model")

    monkeypatch.setattr(runner, "_rasa_train", rasa_train)
    monkeypatch.setattr(runner, "_score", lambda model, progress: SCORES[model.name.removesuffix(".tar.gz")])
    return trained


SCORES: dict[str, HeldoutScore] = {}


def test_a_worse_model_does_not_replace_the_live_one(project_copy: Path, live_model: Path, training: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SCORES, "live", score(95, 90))
    monkeypatch.setitem(SCORES, "new", score(93, 90))
    lines: list[str] = []
    assert runner.train(project_copy / "models", progress=lines.append) == live_model
    assert runner.latest_model(project_copy / "models") == live_model
    assert (project_copy / "models" / "refused" / "new.tar.gz").exists()
    assert "new model  new.tar.gz: 91.5 % of 200 held-out questions (en 93.0 %, fr 90.0 %)" in lines
    assert "live model live.tar.gz: 92.5 % of 200 held-out questions (en 95.0 %, fr 90.0 %)" in lines
    assert any("the new model is worse: NOT used" in line for line in lines)

    again: list[str] = []
    assert runner.train(project_copy / "models", progress=again.append) == live_model
    assert training == ["new"], "the same data must not be trained again"
    assert "already gave a worse model" in again[0]


def test_a_model_as_good_or_better_becomes_live(project_copy: Path, live_model: Path, training: list[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SCORES, "live", score(95, 90))
    monkeypatch.setitem(SCORES, "new", score(94, 91))
    new = runner.train(project_copy / "models")
    assert new.name == "new.tar.gz"
    assert runner.latest_model(project_copy / "models") == new
    assert runner.current_model(project_copy / "models") == new


def test_force_makes_a_worse_model_live(project_copy: Path, live_model: Path, training: list[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(SCORES, "live", score(95, 90))
    monkeypatch.setitem(SCORES, "new", score(80, 80))
    lines: list[str] = []
    assert runner.train(project_copy / "models", force=True, progress=lines.append).name == "new.tar.gz"
    assert any("--force makes new.tar.gz the live model" in line for line in lines)


def test_the_first_model_needs_no_comparison(project_copy: Path, training: list[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "_score", lambda *a: pytest.fail("nothing to compare with"))
    assert runner.train(project_copy / "models").name == "new.tar.gz"


def test_when_scoring_fails_the_new_model_is_used_and_the_reason_given(project_copy: Path, live_model: Path,
                                                                       training: list[str],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(model: Path, progress) -> HeldoutScore:  # noqa: ANN001
        raise OSError("no held-out questions")

    monkeypatch.setattr(runner, "_score", broken)
    lines: list[str] = []
    assert runner.train(project_copy / "models", progress=lines.append).name == "new.tar.gz"
    assert any("could not score the models (OSError: no held-out questions)" in line for line in lines)
