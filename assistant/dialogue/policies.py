"""Rasa's `RulePolicy`, finding the rules that apply to a conversation at a lower cost, with the same result.

Rasa 3.6's `RulePolicy._get_possible_keys` goes back through all the conversation's states (its window, a few
dozen), and at each turn re-reads every rule still possible from its JSON key (`json.loads` behind an LRU cache,
then a reversed copy, lists made tuples again at each comparison): 136 rules × the turns, twice per prediction
(the rules, then the rules for unhappy form paths). Here each rule's turns are read once, already reversed and
with lists as tuples, and the walk back stops once no rule is possible or every rule left is shorter than the turns
walked: a rule shorter than the history walked is applicable whatever the earlier turns (Rasa's own test), so the
keys found are the same set. Predictions, their policy name ("RulePolicy", in the events) and training are Rasa's.

Rasa's training checks compare the configured policies with its own class (`==`, not `issubclass`): the check of
the fallback action against the domain is made here instead, and the warning that no RulePolicy is configured,
untrue with this one, is silenced (that message only) once this module is loaded.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from rasa.core.policies import rule_policy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.nlu.constants import ACTION_NAME

warnings.filterwarnings("ignore", message="'RulePolicy' is not included in the model's policy", category=UserWarning)

State = Mapping[str, Mapping[str, Any]]
# One turn of a rule: its sub-states' (kind, ((key, value), ...)), values that are lists made tuples.
RuleTurn = tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]


class RuleTurns:
    """A rule's turns, latest first, as `RulePolicy._is_rule_applicable` reads them."""

    __slots__ = ("previous_actions", "turns")

    def __init__(self, states: list[dict[str, dict[str, Any]]]) -> None:
        latest_first = list(reversed(states))
        self.turns: tuple[RuleTurn, ...] = tuple(
            tuple(
                (kind, tuple((key, tuple(value) if isinstance(value, list) else value) for key, value in sub.items()))
                for kind, sub in state.items()
            )
            for state in latest_first
        )
        self.previous_actions = tuple(bool(state.get(PREVIOUS_ACTION)) for state in latest_first)


def _turn_matches(rule_turn: RuleTurn, conversation_state: State) -> bool:
    """`RulePolicy._does_rule_match_state` on a turn read once."""
    for kind, rule_sub_state in rule_turn:
        conversation_sub_state = conversation_state.get(kind, {})
        for key, value_from_rules in rule_sub_state:
            value_from_conversation = conversation_sub_state.get(key)
            if value_from_rules == SHOULD_NOT_BE_SET:
                if value_from_conversation and value_from_conversation != SHOULD_NOT_BE_SET:
                    return False
            elif value_from_rules and value_from_conversation != value_from_rules:
                return False
    return True


def _applicable(rule: RuleTurns, turn_index: int, conversation_state: State) -> bool:
    """`RulePolicy._is_rule_applicable`, for a turn the rule has (`turn_index` < its length)."""
    rule_previous_action = rule.previous_actions[turn_index]
    current_previous_action = bool(conversation_state.get(PREVIOUS_ACTION))
    if not rule_previous_action and not current_previous_action:
        return True
    if not rule_previous_action or not current_previous_action:
        return False
    return _turn_matches(rule.turns[turn_index], conversation_state)


class Rules:
    """The rules of one lookup (the rules, or the rules for unhappy form paths), each read once; and, for the
    latest turn, the rules by the previous action they require, since a rule requiring another previous action
    than the conversation's cannot apply."""

    def __init__(self, lookup: Mapping[str, str], states_of: Callable[[str], list[dict[str, dict[str, Any]]]]) -> None:
        self.turns = {key: RuleTurns(states_of(key)) for key in lookup}
        self.by_latest_action: dict[str | None, list[str]] = {}
        for key, rule in self.turns.items():
            required = dict(rule.turns[0]).get(PREVIOUS_ACTION, ()) if rule.turns else ()
            action = dict(required).get(ACTION_NAME)
            action = action if action and action != SHOULD_NOT_BE_SET else None
            self.by_latest_action.setdefault(action, []).append(key)

    def candidates(self, latest_state: State) -> list[str]:
        """The rules that may apply to a conversation's latest state, in the lookup's order."""
        action = latest_state.get(PREVIOUS_ACTION, {}).get(ACTION_NAME)
        if isinstance(action, Hashable) and action is not None and action in self.by_latest_action:
            found = {*self.by_latest_action[action], *self.by_latest_action.get(None, ())}
            return [key for key in self.turns if key in found]
        return list(self.by_latest_action.get(None, ()))


def applicable_keys(rules: Rules, states: list[State]) -> set[str]:
    """The keys of `rules` that `RulePolicy._get_possible_keys` finds applicable to `states`."""
    if not states:
        return set(rules.turns)
    turns = rules.turns
    latest = states[-1]
    possible = [key for key in rules.candidates(latest) if not turns[key].turns or _applicable(turns[key], 0, latest)]
    for turn_index, state in enumerate(reversed(states)):
        if turn_index == 0:
            continue
        longer = [key for key in possible if len(turns[key].turns) > turn_index]
        if not longer:
            break
        kept = {key for key in longer if _applicable(turns[key], turn_index, state)}
        possible = [key for key in possible if len(turns[key].turns) <= turn_index or key in kept]
    return set(possible)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class RulePolicy(rule_policy.RulePolicy):
    """Rasa's `RulePolicy`, each rule read once when first needed (see the module's docstring)."""

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        self.raise_if_incompatible_with_domain(self.config, domain)
        return super().train(training_trackers, domain, **kwargs)

    def _get_possible_keys(self, lookup: dict[str, str], states: list[State]) -> set[str]:
        return applicable_keys(self._rules_of(lookup), states)

    def _rules_of(self, lookup: dict[str, str]) -> Rules:
        """The rules of a lookup (the rules, or the rules for unhappy paths), read once."""
        read: dict[int, tuple[dict[str, str], Rules]] = self.__dict__.setdefault("_rules_read", {})
        kept = read.get(id(lookup))
        if kept is None or kept[0] is not lookup or len(kept[1].turns) != len(lookup):
            kept = read[id(lookup)] = (lookup, Rules(lookup, self._rule_key_to_state))
        return kept[1]
