"""`assistant evaluate`: the live model scored on the held-out questions, in a report per language."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assistant import cli
from assistant.staff.heldout import load_heldout


def test_evaluate_writes_per_intent_scores_and_confusions_for_each_language(tmp_path: Path) -> None:
    report = tmp_path / "evaluation.md"
    result = CliRunner().invoke(cli.main, ["evaluate", "--report", str(report)])
    assert result.exit_code == 0, result.output
    assert f"of {len(load_heldout())} held-out questions (en " in result.output
    text = report.read_text(encoding="utf-8")
    assert "on the held-out questions (NLU intents only)" in text
    for language in ("en", "fr"):
        section = text.split(f"## {language}\n", 1)[1]
        assert "| intent | precision | recall | F1 | examples |" in section
        assert "| ask_fees |" in section
        assert "Most confused (true → predicted, count, example):" in section


def test_evaluate_without_a_model_says_what_to_do(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("MODELS_DIR", str(tmp_path))
    result = CliRunner().invoke(cli.main, ["evaluate"])
    assert result.exit_code == 1
    assert "No trained model yet: run `assistant train` first." in result.output
