"""`make check` (ruff and mypy, run by `make test` before pytest) passes on our code and catches a planted mistake."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT

BIN = Path(sys.executable).parent


def make_check(root: Path) -> subprocess.CompletedProcess[str]:
    # STAMP= : the copy has no virtualenv of its own; it uses this one.
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(root), "check", f"BIN={BIN}", "STAMP="],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    for name in ("assistant", "actions"):
        shutil.copytree(PROJECT_ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    return tmp_path


def test_make_check_passes_on_the_code_as_it_is(project_copy: Path) -> None:
    result = make_check(project_copy)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("planted", "reported"),
    [
        ("import os\n", "F401"),  # an unused import: ruff
        ("def count() -> int:\n    return \"three\"\n", "Incompatible return value type"),  # mypy
        ("x = {  'a':1 }\n", "would be reformatted"),  # not formatted: ruff format
    ],
)
def test_make_check_fails_on_a_planted_mistake(project_copy: Path, planted: str, reported: str) -> None:
    module = project_copy / "assistant" / "text.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n\n" + planted, encoding="utf-8")
    result = make_check(project_copy)
    assert result.returncode != 0
    assert reported in result.stdout + result.stderr
