"""What the console's pages stand on, without a browser: teaching a phrase, editing an entry, the inbox's triage,
staff test conversations left out, usage by school, and the watch for a promoted model."""
from __future__ import annotations

import os
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from assistant.db.staff import DONE, NEW
from assistant.knowledge.edit import EditRefused, edit_entry, find_entry, form_values, version
from assistant.knowledge.loader import load_knowledge
from assistant.knowledge.store import export_knowledge, import_knowledge
from assistant.server.runner import ModelWatch
from assistant.staff.conversations import STAFF_TEST_PREFIX, read_turns
from assistant.staff.inbox import read_inbox, set_status
from assistant.staff.review import find_missed
from assistant.staff.teach import TeachRefused, teach
from assistant.staff.usage import read_usage
from tests.console import project_copy
from tests.scripted import action, user, write_conversation

NOW = datetime.now(timezone.utc) - timedelta(hours=2)
ENTRY = "upc-summer-school-ai"


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    return project_copy(tmp_path)


def test_teach_writes_the_phrase_under_its_intent_and_refuses_what_the_checks_refuse(copies) -> None:
    _, project = copies
    taught = teach(project, "ask_fees", "fr", "combien coûte la summer school [IA] pour un interne de Tourcoing ?")
    lines = (project / taught.path).read_text(encoding="utf-8").splitlines()
    assert lines[taught.line - 1] == "    - combien coûte la summer school (IA) pour un interne de Tourcoing ?", "brackets would be entity marks"
    assert taught.path.startswith("data/nlu/fr/")
    with pytest.raises(TeachRefused, match="already a phrase"):
        teach(project, "ask_fees", "fr", "Combien coûte la summer school (IA) pour un interne de Tourcoing ?")
    with pytest.raises(TeachRefused, match="ask_fees"):
        teach(project, "greet", "fr", "combien coûte la summer school (IA) pour un interne de Tourcoing ?")
    with pytest.raises(TeachRefused, match="no intent 'ask_nothing'"):
        teach(project, "ask_nothing", "en", "anything")
    with pytest.raises(TeachRefused, match="no text"):
        teach(project, "ask_fees", "en", " \x1b ")


def test_an_edit_is_checked_field_by_field_and_written_back_byte_identical(copies, engine) -> None:
    knowledge_dir, _ = copies
    import_knowledge(load_knowledge(knowledge_dir), engine)
    entry = find_entry(load_knowledge(knowledge_dir), "programmes", ENTRY)[1].entry
    values, current = form_values(entry, "programmes"), version(entry, "programmes")
    before = (knowledge_dir / "programmes.yml").read_bytes()
    for field, value, message in [
        ("start_date", "2026-02-30", "not a real date"),
        ("contact", "nobody-at-all", "unknown contact id 'nobody-at-all'"),
        ("end_date", "2026-01-01", "before start_date"),
    ]:
        with pytest.raises(EditRefused) as refused:
            edit_entry(knowledge_dir, engine, "programmes", ENTRY, {**values, field: value}, current)
        assert [(problem.field, message in problem.message) for problem in refused.value.problems] == [(field, True)]
    with pytest.raises(PermissionError):
        edit_entry(knowledge_dir, engine, "programmes", ENTRY, values, current, allowed_school="lille-medicine")
    assert (knowledge_dir / "programmes.yml").read_bytes() == before, "nothing written"
    changes = edit_entry(knowledge_dir, engine, "programmes", ENTRY, {**values, "fee_min_eur": "2600"}, current)
    assert changes == {"fee_min_eur": (2500, 2600)}
    with pytest.raises(EditRefused, match="changed meanwhile"):
        edit_entry(knowledge_dir, engine, "programmes", ENTRY, values, current)
    exported = knowledge_dir.parent / "exported"
    export_knowledge(exported, engine)
    for path in knowledge_dir.glob("*.yml"):
        assert (exported / path.name).read_bytes() == path.read_bytes(), path.name


def test_staff_tests_are_left_out_and_the_inbox_keeps_its_triage(engine, database_url: str) -> None:
    write_conversation(database_url, "student-1", [
        user("blorp the visa thing", NOW, "nlu_fallback", 0.2, second="ask_visa", language="en", school="lille-medicine"),
        action("action_suggest_topics", NOW + timedelta(seconds=1)),
        user("blorp the visa thing?", NOW + timedelta(minutes=1), "nlu_fallback", 0.2, second="ask_visa", language="en",
             school="lille-medicine"),
    ])
    write_conversation(database_url, f"{STAFF_TEST_PREFIX}1-abc", [
        user("blorp the visa thing", NOW, "nlu_fallback", 0.2, second="ask_visa", language="en", school="upc-medicine"),
    ])
    assert {turn.conversation_id for turn in read_turns(engine)} == {"student-1"}
    assert len(read_turns(engine, conversation_id=f"{STAFF_TEST_PREFIX}1-abc")) == 1, "shown when asked for by id"
    assert {message.conversation_id for message in find_missed(engine)} == {"student-1"}
    [item] = read_inbox(engine)
    assert (item.status, item.school, item.language, len(item.group.messages)) == (NEW, "lille-medicine", "en", 2)
    assert item.likeliest_intent == "ask_visa"
    set_status(engine, item, DONE, "admin")
    assert [entry.status for entry in read_inbox(engine)] == [DONE]
    today = datetime.now(timezone.utc).date()
    assert read_usage(engine, today - timedelta(days=1), today).messages == 2
    assert read_usage(engine, today - timedelta(days=1), today, school="upc-medicine").messages == 0
    assert read_usage(engine, today - timedelta(days=1), today, school="lille-medicine", language="fr").messages == 0


def test_the_model_watch_notices_a_newer_model(tmp_path: Path) -> None:
    live = tmp_path / "20261201-live.tar.gz"
    live.write_bytes(b"model")
    watch = ModelWatch(tmp_path)
    assert watch.new_model() is None
    promoted = tmp_path / "20261207-promoted.tar.gz"
    promoted.write_bytes(b"model")
    os.utime(promoted, (time.time() + 5, time.time() + 5))
    assert watch.new_model() == promoted
    assert watch.new_model() is None, "noticed once"
