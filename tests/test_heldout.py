"""The held-out questions (never trained on), answered through the real servers.

The product target is 95 % in each language (issue 4); measured on 2026-11-22:
89.9 % in English, 87.8 % in French. The test guards against falling back
below 85 %, and is to be raised as the assistant improves.
"""
from __future__ import annotations

import uuid

import pytest

from assistant.config import PROJECT_ROOT
from assistant.staff.heldout import load_heldout, pass_rates, run_heldout, write_report

pytestmark = pytest.mark.servers
REPORT = PROJECT_ROOT / "reports" / "heldout.md"
# Since issue 16 a reply must also fit in 600 characters (measured 2026-12-06: 78.2 % en, 75.1 % fr before the
# answers were shortened, 96.1 % / 93.9 % after; 97.8 % / 96.1 % on 2026-12-07). The target is 97 %; this guard is
# just below the level reached.
MINIMUM_PASS_RATE = 0.95


def test_heldout_set_is_large_and_bilingual() -> None:
    questions = load_heldout()
    assert len(questions) >= 200
    assert {question.language for question in questions} == {"en", "fr"}


def test_heldout_questions_are_answered_correctly(assistant_servers) -> None:
    outcomes = run_heldout(
        lambda text, metadata: assistant_servers.ask_text(text, sender=uuid.uuid4().hex, metadata=metadata),
        load_heldout(),
    )
    write_report(outcomes, REPORT)
    rates = pass_rates(outcomes)
    for language, (passed, total) in rates.items():
        assert passed / total >= MINIMUM_PASS_RATE, f"{language}: {passed}/{total} passed; failures in {REPORT}"
