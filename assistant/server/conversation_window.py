"""The part of a conversation Rasa works with at each message: its latest `WINDOW_MESSAGES` student messages.

Rasa reads a conversation's whole session from the store at every message, replays it, computes the policies'
states over all of it and sends all of it to the action server: each message cost more than the one before (in
one conversation, messages 181-200 took 4.5 times messages 1-20 on 2026-12-07; py-spy: reading the session was
a third of the time, the policies' states an eighth). Here the store keeps, for each conversation, a
checkpoint: where its window starts (an event id) and the state before it (the slots that were set, the
active form) as events. Rasa is given those events, then the window's: the same slots, form and latest turns,
so the same predictions (the policies look back a few turns: `max_history` 5 at most) and the same answers,
at a cost that no longer grows with the conversation.

What the actions read from earlier messages (the previous question, the words of the conversation that say
which way a student goes) is read from the window: the last 10 student messages, against the 200 of a whole
session before.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.slots import Slot
from rasa.shared.core.trackers import DialogueStateTracker

WINDOW_MESSAGES = 10
ACTION_LISTEN = "action_listen"
_LOADED = "_conversation_window"


@dataclass(frozen=True)
class Loaded:
    """What a tracker given to Rasa holds: how many events (the state events first), the database id of each
    (None for the state events), and the student messages of its session before the window."""

    events: int
    ids: tuple[int | None, ...]
    earlier_messages: int


@dataclass(frozen=True)
class Checkpoint:
    """Where a conversation's window starts, the state before it as events, and the student messages before."""

    first_event_id: int
    state: tuple[dict[str, Any], ...]
    earlier_messages: int

    def state_json(self) -> str:
        return json.dumps(list(self.state))


def remember(tracker: DialogueStateTracker, loaded: Loaded) -> None:
    setattr(tracker, _LOADED, loaded)


def loaded_of(tracker: DialogueStateTracker) -> Loaded | None:
    """What the store gave Rasa in this tracker; None for a tracker the store did not make (a new one)."""
    loaded = getattr(tracker, _LOADED, None)
    return loaded if isinstance(loaded, Loaded) else None


def session_messages(tracker: DialogueStateTracker) -> int:
    """The student messages of the tracker's latest session, those before its window included."""
    loaded = loaded_of(tracker)
    count, started = 0, False
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            started = True
            break
        if isinstance(event, UserUttered):
            count += 1
    return count if started or loaded is None else count + loaded.earlier_messages


def state_events(tracker: DialogueStateTracker) -> list[dict[str, Any]]:
    """Events that give a new tracker the state of `tracker`: the slots that were set, and the active form."""
    events = [SlotSet(slot.name, slot.value).as_dict() for slot in tracker.slots.values() if slot.has_been_set]
    if tracker.active_loop_name:
        events.append(ActiveLoop(tracker.active_loop_name).as_dict())
    return events


def _is_listen(event: Event) -> bool:
    return isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN


def next_checkpoint(
    sender_id: str, events: Sequence[Event], ids: Sequence[int | None], earlier_messages: int, slots: list[Slot]
) -> Checkpoint | None:
    """The checkpoint that keeps the latest `WINDOW_MESSAGES` student messages of the latest session, or None
    when the tracker holds no more than those (the current checkpoint, if any, stays right)."""
    session_start = max((index for index, event in enumerate(events) if isinstance(event, SessionStarted)), default=-1)
    users = [index for index, event in enumerate(events) if index > session_start and isinstance(event, UserUttered)]
    if len(users) <= WINDOW_MESSAGES:
        return None
    cut = users[-WINDOW_MESSAGES]
    if cut > 0 and _is_listen(events[cut - 1]) and ids[cut - 1] is not None:
        cut -= 1  # the window starts with Rasa listening, as a turn does
    first_event_id = ids[cut]
    if first_event_id is None:
        return None
    before = DialogueStateTracker.from_events(sender_id, list(events[:cut]), slots)
    earlier = sum(1 for index in users if index < cut) + (earlier_messages if session_start < 0 else 0)
    return Checkpoint(first_event_id, tuple(state_events(before)), earlier)
