"""The blind conversations (tests/data/blind/), written from the documents and never tuned on, through the real servers.

Scored once before the answer rework of issue 16 and once after it (README). The
guard below is the level reached; the product target is 97 % in each language.
"""

from __future__ import annotations

import pytest

from assistant.config import PROJECT_ROOT
from assistant.staff.blind import (
    BLIND_SETS,
    ScriptedConversation,
    Turn,
    first_sentence,
    judge_turn,
    load_conversations,
    run_conversations,
    turn_pass_rates,
    write_report,
)

# Each set's floor, a little under what was measured; the target is 97 %. Set 1: 19.7 % en / 15.6 % fr before issue
# 16's changes, 58.1 % / 57.2 % after the first round (2026-12-06), 77.4 % / 76.8 % after the second (2026-12-07).
# Set 2, written before the second round: 53.9 % / 63.4 % before it, 70.8 % / 72.1 % after. Set 3, written before
# the third round (2026-12-07, session 9): 63.9 % / 64.6 % before it, 67.8 % / 66.3 % after (sets 1 and 2: 81.6 % /
# 78.4 % and 79.2 % / 79.7 %, their failures having guided that round).
# Set 6, written before round 6 (2026-12-07, session 12): 77.2 % / 73.3 % before it, 78.2 % / 75.4 % after.
# Set 7, written before round 7 (2026-12-07, session 13): 72.0 % / 77.2 % before it, 72.5 % / 78.3 % after.
# Set 8, written before round 8 (2026-12-07, session 14): 65.1 % / 73.4 % before it, 67.4 % / 75.1 % after (sets 6
# and 7, whose failures guided that round: 81.7 % / 78.5 % and 74.6 % / 81.5 %).
# Set 9, written before round 9 (2026-12-08, session 15): 76.8 % / 81.8 % before it, 78.0 % / 83.0 % after (set 8,
# whose failures guided that round: 76.2 % / 83.1 %).
# Set 10, written before round 10 (2026-12-08, session 16): 82.8 % / 76.1 % before it, 86.2 % / 78.4 % after (set 9,
# whose failures guided that round: 84.2 % / 88.1 %).
# Set 11, written before round 11 (2026-12-08, session 16): 79.4 % / 77.4 % before it and after it (set 10, whose
# failures guided that short round: 87.4 % / 80.7 %).
MINIMUM_PASS_RATES = {
    "blind": 0.85,
    "blind-2": 0.85,
    "blind-3": 0.82,
    "blind-4": 0.85,
    "blind-5": 0.81,
    "blind-6": 0.81,
    "blind-7": 0.76,
    "blind-8": 0.76,
    "blind-9": 0.83,
    "blind-10": 0.79,
    "blind-11": 0.76,
}


def test_blind_set_is_large_bilingual_and_a_third_multi_turn() -> None:
    conversations = load_conversations()
    turns = [turn for conversation in conversations for turn in conversation.turns]
    multi_turn = [turn for conversation in conversations if len(conversation.turns) > 1 for turn in conversation.turns]
    assert len(turns) >= 300
    assert len(multi_turn) >= len(turns) / 3
    assert {conversation.language for conversation in conversations} == {"en", "fr"}
    assert all(turn.max_chars for turn in turns), "every turn has a length limit"


def test_a_reply_that_buries_the_asked_value_or_runs_long_fails() -> None:
    conversation = ScriptedConversation("x", "en", (Turn("how many?", expect=("196",), lead="196", max_chars=80),))
    assert judge_turn(conversation, 0, "196 students went abroad in 2023-2024. Source: report.").passed
    buried = judge_turn(conversation, 0, "Here are the figures.\n2022-2023: 180\n2023-2024: 196")
    assert buried.problems == ["'196' not in the first sentence"]
    long = judge_turn(conversation, 0, "196 students went abroad. " + "More context. " * 10)
    assert long.problems == [f"{len(long.answer)} characters, limit 80"]


def test_the_first_sentence_ends_at_a_full_stop_or_a_line_break() -> None:
    assert first_sentence("12 000 students. It is large.") == "12 000 students."
    assert first_sentence("Fees: 1 200 €\nSource: leaflet") == "Fees: 1 200 €"
    assert first_sentence("Ask Dr. Vincent SOBANSKI: ri-sante@univ-lille.fr. Or call.") == (
        "Ask Dr. Vincent SOBANSKI: ri-sante@univ-lille.fr."
    )
    assert first_sentence("Ph.D. and M.D.-Ph.D. programs in 45 specialties. Also masters.") == (
        "Ph.D. and M.D.-Ph.D. programs in 45 specialties."
    )


@pytest.mark.servers
@pytest.mark.parametrize("name", sorted(MINIMUM_PASS_RATES))
def test_blind_conversations_are_answered_correctly(assistant_servers, name: str) -> None:
    report = PROJECT_ROOT / "reports" / f"{name}.md"
    outcomes = run_conversations(
        lambda sender, text, metadata: assistant_servers.ask_text(text, sender=sender, metadata=metadata),
        load_conversations(BLIND_SETS[name]),
    )
    write_report(outcomes, report, f"Conversations of the {name} set")
    for language, (passed, total) in turn_pass_rates(outcomes).items():
        assert passed / total >= MINIMUM_PASS_RATES[name], f"{language}: {passed}/{total} turns passed; failures in {report}"


def test_every_blind_set_has_a_floor() -> None:
    assert set(MINIMUM_PASS_RATES) == set(BLIND_SETS)
