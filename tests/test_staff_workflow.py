"""What staff rely on: an imported change is answered at once, a restart loses no conversation, missed messages are found."""
from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from rasa.shared.nlu.training_data.loading import load_data

from assistant import cli
from assistant.db.session import create_db_engine, get_engine
from assistant.knowledge.loader import load_knowledge
from assistant.knowledge.store import import_knowledge
from assistant.staff.review import find_missed
from tests.conftest import KNOWLEDGE_DIR
from tests.test_knowledge_files import GOOD_PARTNER, append

pytestmark = pytest.mark.servers


def wait_for(ask, expected: str, seconds: float = 20.0) -> str:
    deadline = time.monotonic() + seconds
    while True:
        answer = ask()
        if expected in answer or time.monotonic() > deadline:
            return answer
        time.sleep(1)


def test_an_imported_change_is_answered_without_retraining_or_restart(assistant_servers, tmp_path: Path) -> None:
    edited = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, edited)
    programmes = edited / "programmes.yml"
    programmes.write_text(programmes.read_text(encoding="utf-8").replace("€3,100", "€3,300"), encoding="utf-8")
    append(edited, "partners.yml", GOOD_PARTNER.format(programme="upc-erasmus-exchange-europe"))
    engine = create_db_engine(assistant_servers.services.settings.database_url, 5)
    metadata = {"school": "upc-medicine", "language": "en"}
    try:
        import_knowledge(load_knowledge(edited), engine)
        fees = wait_for(lambda: assistant_servers.ask_text("how much does the AI summer school cost?", metadata=metadata), "€3,300")
        assert "€3,300" in fees
        partner = wait_for(lambda: assistant_servers.ask_text("is Universitetet i Bergen a partner?", metadata=metadata), "Bergen")
        assert "Universitetet i Bergen" in partner and "Norway" in partner
    finally:
        import_knowledge(load_knowledge(KNOWLEDGE_DIR), engine)
        engine.dispose()


def test_a_restart_of_the_rasa_server_keeps_the_conversation(assistant_servers) -> None:
    sender = uuid.uuid4().hex
    metadata = {"school": "upc-medicine", "language": "en"}
    assistant_servers.ask("I'm interested in the summer schools", sender=sender, metadata=metadata)
    assistant_servers.services.restart(assistant_servers.services.services[1])
    assert "3,100" in assistant_servers.ask_text("how much?", sender=sender, metadata=metadata)


def test_review_finds_a_fallback_sent_through_the_rest_webhook_and_exports_it(
    assistant_servers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender = uuid.uuid4().hex
    gibberish = "zqxj blorf wibble"
    assistant_servers.ask("hello", sender=sender, metadata={"language": "en"})
    assistant_servers.ask(gibberish, sender=sender, metadata={"language": "en"})
    database_url = assistant_servers.services.settings.database_url
    engine = create_db_engine(database_url, 5)
    try:
        missed = [message for message in find_missed(engine) if message.conversation_id == sender]
    finally:
        engine.dispose()
    assert [message.text for message in missed] == [gibberish]
    # Gibberish is either not understood (fallback) or declined as out of scope, depending on the model.
    assert {"not understood (fallback)", "out of scope"} & set(missed[0].reasons)
    assert missed[0].likeliest_intent not in (None, "nlu_fallback")

    monkeypatch.setenv("DATABASE_URL", database_url)
    get_engine.cache_clear()
    exported = tmp_path / "missed.yml"
    try:
        result = CliRunner().invoke(cli.main, ["review", "--export", str(exported)])
    finally:
        get_engine.cache_clear()
    assert result.exit_code == 0, result.output
    assert sender in result.output
    examples = {(message.get("text"), message.get("intent")) for message in load_data(str(exported)).intent_examples}
    assert (gibberish, missed[0].likeliest_intent) in examples
