"""Our RulePolicy finds the same applicable rules as Rasa's, on the trained model's rules."""

from __future__ import annotations

import json
import random
import tarfile
from typing import Any

import pytest
from rasa.core.policies.rule_policy import RulePolicy as RasaRulePolicy

from assistant.config import get_settings
from assistant.dialogue.policies import Rules, applicable_keys
from assistant.server.runner import latest_model


def model_lookup() -> dict[str, Any]:
    model = latest_model(get_settings().models_dir)
    if model is None:
        pytest.fail("No model: run `make test`, which trains one first.")
    with tarfile.open(model) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("RulePolicy1/rule_policy.json"))
        return json.load(archive.extractfile(member))["lookup"]


def rasa_keys(lookup: dict[str, str], states: list[dict[str, Any]]) -> set[str]:
    return RasaRulePolicy._get_possible_keys(RasaRulePolicy.__new__(RasaRulePolicy), lookup, states)


def conversations(lookup: dict[str, str], count: int) -> list[list[dict[str, Any]]]:
    """State histories made of the rules' own turns: whole rules, their ends, rules one after another, turns
    shuffled, a slot or intent changed, conversation starts; as the tracker gives them (tuples, not lists)."""
    chance = random.Random(17)
    rules = [json.loads(key) for key in lookup]
    turns = [turn for rule in rules for turn in rule]

    def as_tracker_state(state: dict[str, Any]) -> dict[str, Any]:
        return {kind: {k: tuple(v) if isinstance(v, list) else v for k, v in sub.items()} for kind, sub in state.items()}

    made: list[list[dict[str, Any]]] = [[as_tracker_state(t) for t in rule] for rule in rules]
    for _ in range(count):
        first, second = chance.choice(rules), chance.choice(rules)
        history = [*first[: chance.randint(0, len(first))], *second[chance.randint(0, len(second) - 1) :]]
        history = [*chance.sample(turns, chance.randint(0, 4)), *history]
        if history and chance.random() < 0.3:
            state = dict(history[-1])
            user = dict(state.get("user", {}))
            user["intent"] = chance.choice(["ask_fees", "greet", "check_eligibility", "nlu_fallback"])
            state["user"] = user
            history[-1] = state
        if chance.random() < 0.2:
            history = [{}, *history]
        made.append([as_tracker_state(turn) for turn in history])
    return made


@pytest.mark.parametrize("table", ["rules", "rules_for_loop_unhappy_path"])
def test_the_applicable_rules_are_rasas(table: str) -> None:
    lookup = model_lookup()[table]
    rules = Rules(lookup, json.loads)
    histories = conversations(lookup, 3000)
    found_some = 0
    for states in histories:
        expected = rasa_keys(lookup, states)
        assert applicable_keys(rules, states) == expected, states
        found_some += bool(expected)
    assert found_some > len(lookup)  # the histories do exercise the rules


def random_state(chance: random.Random, for_rule: bool) -> dict[str, Any]:
    """A state from a small vocabulary, so that rules overlap: previous actions, intents, slots set, unset or
    required unset, an active loop; empty sub-states and conversation starts too."""
    state: dict[str, Any] = {}
    action = chance.choice(["action_listen", "utter_a", "action_b", None, None])
    if action:
        state["prev_action"] = {"action_name": action}
    intent = chance.choice(["ask_fees", "greet", None])
    if intent:
        state["user"] = {"intent": intent}
    slots = {}
    for slot in ("school", "programme"):
        value = chance.choice([None, (1.0,), (0.0,), "should_not_be_set", (), 0])
        if value is not None:
            slots[slot] = list(value) if for_rule and isinstance(value, tuple) else value
    if slots:
        state["slots"] = slots
    loop = chance.choice([None, "eligibility_form", "should_not_be_set"])
    if loop:
        state["active_loop"] = {"name": loop}
    if chance.random() < 0.1:
        state["user"] = {}
    return state


def test_the_applicable_rules_are_rasas_on_overlapping_rules() -> None:
    chance = random.Random(1717)
    for _ in range(300):
        lookup = {
            json.dumps([random_state(chance, True) for _ in range(chance.randint(0, 4))]): "action"
            for _ in range(chance.randint(1, 40))
        }
        rules = Rules(lookup, json.loads)
        for _ in range(20):
            states = [random_state(chance, False) for _ in range(chance.randint(0, 7))]
            if states and chance.random() < 0.5:  # a history ending with a rule's own turns
                rule = json.loads(chance.choice(list(lookup)))
                states = [*states[: chance.randint(0, len(states))], *rule]
            assert applicable_keys(rules, states) == rasa_keys(lookup, states), (list(lookup), states)
