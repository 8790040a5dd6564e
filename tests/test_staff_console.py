"""The staff console in Debian's Chromium, against the real servers (assistant, action server, console), writing only
to temporary copies of data/: sign-in, teaching a missed question, a fee change answered without restart, an editor
kept to its school, CSRF, stored text shown as text, retrain and compare, the test chat, and axe-core on every page."""
from __future__ import annotations

import os
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from assistant.config import get_settings
from assistant.db.session import create_db_engine
from assistant.knowledge.store import export_knowledge
from assistant.server.runner import ModelWatch, latest_model
from assistant.staff import audit
from assistant.staff.retrain import stop_job
from tests.conftest import RunningAssistant, running_assistant, screenshot_path
from tests.console import PASSWORD, add_accounts, project_copy
from tests.scripted import user as said, write_conversation
from tests.test_widget_accessibility import blocking_violations

pytestmark = [pytest.mark.servers, pytest.mark.browser]

XSS = "<img src=x onerror=alert(1)>"
FEE_QUESTION = "how much does the AI summer school cost?"
PARIS = {"school": "upc-medicine", "language": "en"}


@dataclass
class Staff:
    """The running assistant with its console, the console's URL, its database and the copies it writes."""

    assistant: RunningAssistant
    url: str
    engine: Engine
    knowledge_dir: Path
    project_dir: Path
    models: ModelWatch


@pytest.fixture(scope="module")
def staff(tmp_path_factory: pytest.TempPathFactory, knowledge) -> Iterator[Staff]:
    work = tmp_path_factory.mktemp("staff-console")
    knowledge_dir, project_dir = project_copy(work)
    models = work / "models"
    models.mkdir()
    live = latest_model(get_settings().models_dir)
    assert live is not None, "No trained model in models/: run `make test`, which trains one first."
    os.symlink(live, models / live.name)
    with running_assistant(
        work,
        knowledge,
        console=True,
        knowledge_dir=knowledge_dir,
        project_dir=project_dir,
        models_dir=models,
        staff_secret_key=uuid.uuid4().hex,
        sender_per_minute=0,
        address_per_minute=0,
    ) as running:
        engine = create_db_engine(running.services.settings.database_url, 5)
        add_accounts(engine)
        try:
            url = f"http://127.0.0.1:{running.services.settings.staff_port}"
            yield Staff(running, url, engine, knowledge_dir, project_dir, ModelWatch(models))
        finally:
            stop_job(models)
            engine.dispose()


def sign_in(page: Page, staff: Staff, name: str) -> None:
    page.goto(f"{staff.url}/sign-in")
    page.get_by_label("Account name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions the assistant did not handle well")


def store(staff: Staff, sender: str, events: list) -> None:
    """Write a conversation as Rasa stores it (from another thread: Playwright's loop runs in this one)."""
    writer = threading.Thread(target=write_conversation, args=(staff.assistant.services.settings.database_url, sender, events))
    writer.start()
    writer.join()


def csrf_token(page: Page) -> str:
    return page.locator('input[name="csrf_token"]').first.get_attribute("value") or ""


def test_start_retraining_in_the_background(page: Page, staff: Staff) -> None:
    """Started first, so that it trains while the other tests run; the last test compares the scores."""
    sign_in(page, staff, "admin")
    page.get_by_role("link", name="Retrain").click()
    page.get_by_role("button", name="Train a new model").click()
    expect(page.locator(".state")).to_have_text(re.compile("training|scoring"))
    assert staff.assistant.ask_text("hello", metadata=PARIS), "the live assistant keeps answering"


def test_sign_in_wrong_password_then_sign_out(page: Page, staff: Staff) -> None:
    page.goto(f"{staff.url}/audit/")
    expect(page).to_have_url(re.compile("/sign-in"))
    page.get_by_label("Account name").fill("reader")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("The account name or the password is wrong.")
    sign_in(page, staff, "reader")
    expect(page.get_by_text("Signed in as reader (reviewer)")).to_be_visible()
    page.get_by_role("button", name="Français").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questions que l'assistant a mal traitées")
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté·e.")).to_be_visible()
    page.goto(f"{staff.url}/")
    expect(page).to_have_url(re.compile("/sign-in"))
    actions = [entry.action for entry in audit.entries(staff.engine, limit=4)]
    assert actions[:3] == [audit.SIGN_OUT, audit.SIGN_IN, audit.SIGN_IN_FAILED]


def test_teach_a_missed_question_writes_it_to_the_training_file(page: Page, staff: Staff) -> None:
    question = f"zqxj blorf wibble {uuid.uuid4().hex[:6]}"
    staff.assistant.ask(question, metadata={"school": "lille-medicine", "language": "en"})
    sign_in(page, staff, "lille")
    group = page.locator(".group", has_text=question)
    expect(group).to_be_visible()
    expect(group).to_contain_text("lille-medicine")
    intent = group.get_by_label("Intent").input_value()
    assert intent and intent != "nlu_fallback", "the likeliest intent is preselected"
    page.screenshot(path=str(screenshot_path("console-inbox")), full_page=True)
    group.get_by_role("button", name="Teach").click()
    expect(page.get_by_role("status")).to_contain_text("'" + question + "' was added to data/nlu/en/")
    written = [path for path in (staff.project_dir / "data" / "nlu" / "en").glob("*.yml") if f"- {question}\n" in path.read_text()]
    assert len(written) == 1
    block = written[0].read_text().split(f"- intent: {intent}\n", 1)[1].split("- intent:", 1)[0]
    assert f"    - {question}\n" in block, "under the chosen intent"
    expect(page.locator(".group", has_text=question)).to_have_count(0)
    page.get_by_label("Status").select_option("done")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".group", has_text=question)).to_be_visible()
    entry = audit.entries(staff.engine, action=audit.TEACH, limit=1)[0]
    assert entry.actor == "lille" and question in entry.new_value


def test_a_phrase_the_checks_refuse_is_not_written(page: Page, staff: Staff) -> None:
    sign_in(page, staff, "admin")
    files = {path: path.read_bytes() for path in (staff.project_dir / "data" / "nlu").rglob("*.yml")}
    store(staff, uuid.uuid4().hex, [
        # "Hello!" is a greeting phrase already: under another intent the checks refuse it.
        said("Hello!", datetime.now(timezone.utc), "nlu_fallback", 0.1, second="thank", language="en"),
    ])
    page.reload()
    group = page.locator(".group", has_text="Hello!").first
    group.get_by_label("Intent").select_option("ask_fees")
    group.get_by_role("button", name="Teach").click()
    expect(page.get_by_role("status")).to_contain_text("Not added:")
    assert {path: path.read_bytes() for path in files} == files


def test_a_fee_change_is_answered_without_restart(page: Page, staff: Staff) -> None:
    before = staff.assistant.ask_text(FEE_QUESTION, metadata=PARIS)
    assert "€3,100" in before
    sign_in(page, staff, "paris")
    page.get_by_role("link", name="Facts").click()
    page.get_by_role("link", name="Summer School: Artificial Intelligence and Digital Innovation in Medicine").click()
    page.get_by_label("Highest fee (euros)").fill("-5")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#e-fee_max_eur")).to_contain_text("fee_max_eur")
    page.locator("#e-fee_max_eur").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_path("console-fact-error")))
    page.get_by_label("Highest fee (euros)").fill("3350")
    fees = page.get_by_label("Fees, as said to students (English)")
    fees.fill(fees.input_value().replace("€3,100", "€3,350"))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved (2 field(s) changed)")
    saved = time.monotonic()
    answer = ""
    while time.monotonic() - saved < 10 and "€3,350" not in answer:
        answer = staff.assistant.ask_text(FEE_QUESTION, metadata=PARIS)
    assert "€3,350" in answer, "answered within 10 s, without retraining or restart"
    programmes = (staff.knowledge_dir / "programmes.yml").read_text(encoding="utf-8")
    assert "fee_max_eur: 3350" in programmes and "€3,350" in programmes
    exported = staff.knowledge_dir.parent / "exported"
    export_knowledge(exported, staff.engine)
    for path in staff.knowledge_dir.glob("*.yml"):
        assert (exported / path.name).read_bytes() == path.read_bytes(), f"{path.name}: export is byte-identical"
    edits = audit.entries(staff.engine, action=audit.EDIT, limit=3)
    assert {(entry.target, entry.old_value, entry.new_value) for entry in edits if entry.outcome == "done"} >= {
        ("programmes/upc-summer-school-ai.fee_max_eur", "3100", "3350")
    }


def test_a_lille_editor_cannot_change_a_paris_fee(page: Page, staff: Staff) -> None:
    sign_in(page, staff, "lille")
    before = (staff.knowledge_dir / "programmes.yml").read_bytes()
    denied = len(audit.entries(staff.engine, action=audit.DENIED))
    url = f"{staff.url}/facts/programmes/upc-summer-school-ai"
    response = page.goto(url)
    assert response is not None and response.status == 403
    expect(page.get_by_text("Your account may not do this")).to_be_visible()
    page.goto(f"{staff.url}/facts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Facts of lille-medicine")
    posted = page.request.post(url, form={"csrf_token": csrf_token(page), "fee_max_eur": "1", "version": "x"})
    assert posted.status == 403
    assert (staff.knowledge_dir / "programmes.yml").read_bytes() == before, "nothing changed"
    entries = audit.entries(staff.engine, action=audit.DENIED)
    assert len(entries) == denied + 2
    assert entries[0].actor == "lille" and entries[0].school == "upc-medicine" and "POST" in entries[0].target


def test_a_post_without_csrf_token_is_refused(page: Page, staff: Staff) -> None:
    sign_in(page, staff, "admin")
    response = page.request.post(f"{staff.url}/inbox/status", form={"key": "x", "status": "ignored"})
    assert response.status == 400 and "reload the page" in response.text()


def test_stored_html_is_shown_as_text(page: Page, staff: Staff) -> None:
    sender = uuid.uuid4().hex
    store(staff, sender, [
        said(XSS, datetime.now(timezone.utc) - timedelta(minutes=1), "nlu_fallback", 0.1, second="ask_fees",
             language="en", school="lille-medicine"),
    ])
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, staff, "admin")
    expect(page.locator(".group q", has_text=XSS).first).to_be_visible()
    assert page.locator("img[src=x]").count() == 0
    page.locator(".group", has_text=XSS).first.get_by_role("link").first.click()
    expect(page.locator(".transcript .text", has_text=XSS)).to_be_visible()
    assert page.locator("img[src=x]").count() == 0 and dialogs == []


def test_the_test_chat_is_kept_out_of_the_figures(page: Page, staff: Staff) -> None:
    sign_in(page, staff, "reader")
    page.get_by_role("link", name="Usage").click()
    messages = page.get_by_role("row", name=re.compile("student messages")).first.inner_text()
    page.screenshot(path=str(screenshot_path("console-usage")), full_page=True)
    page.get_by_role("link", name="Test chat").click()
    page.get_by_label("School").select_option("lille-medicine")
    page.get_by_label("Language").select_option("en")
    page.get_by_label("Message").fill("zzkq vrumble the staff test")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".transcript .assistant").first).to_be_visible(timeout=30_000)
    expect(page.locator(".transcript .student")).to_contain_text("zzkq vrumble the staff test")
    page.get_by_role("link", name="Missed questions").click()
    expect(page.locator(".group", has_text="zzkq vrumble")).to_have_count(0)
    page.get_by_role("link", name="Usage").click()
    assert page.get_by_role("row", name=re.compile("student messages")).first.inner_text() == messages


def test_conversations_find_read_and_delete(page: Page, staff: Staff) -> None:
    sender = uuid.uuid4().hex
    staff.assistant.ask("Which partner universities do you have in Spain?", sender=sender, metadata=PARIS)
    sign_in(page, staff, "admin")
    page.get_by_role("link", name="Conversations").click()
    page.get_by_label("Conversation id").fill(sender[:10])
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=sender).click()
    expect(page.locator(".transcript .student .meta")).to_contain_text("ask_partners")
    expect(page.locator(".transcript .assistant").first).to_contain_text("Spain")
    page.screenshot(path=str(screenshot_path("console-transcript")), full_page=True)
    page.get_by_role("button", name="Delete this conversation").click()
    expect(page.get_by_role("status")).to_contain_text("The conversation was deleted")
    assert page.goto(f"{staff.url}/conversations/{sender}").status == 404
    entry = audit.entries(staff.engine, action=audit.DELETE, limit=1)[0]
    assert entry.actor == "admin" and sender in entry.target


def test_no_serious_accessibility_violation_on_any_page(page: Page, staff: Staff) -> None:
    page.goto(f"{staff.url}/sign-in")
    assert blocking_violations(page) == [], "sign-in"
    sign_in(page, staff, "admin")
    pages = ["/", "/facts/", "/facts/programmes/upc-summer-school-ai", "/facts/?file=office_hours", "/conversations/",
             "/usage/", "/training/", "/test-chat/", "/audit/"]
    for path in pages:
        page.goto(f"{staff.url}{path}")
        assert blocking_violations(page) == [], path
    page.goto(f"{staff.url}/conversations/")
    page.locator("tbody a").first.click()
    assert blocking_violations(page) == [], "transcript"
    page.get_by_role("button", name="Français").click()
    page.goto(f"{staff.url}/facts/programmes/upc-summer-school-ai")
    assert blocking_violations(page) == [], "fact editor in French"


def test_retrain_and_compare_shows_both_scores(page: Page, staff: Staff) -> None:
    sign_in(page, staff, "admin")
    page.get_by_role("link", name="Retrain").click()
    expect(page.locator(".state")).to_have_text("ready to compare", timeout=400_000)
    scores = page.locator("table.scores")
    expect(scores.get_by_role("row", name=re.compile("^new"))).to_contain_text("%")
    expect(scores.get_by_role("row", name=re.compile("^live"))).to_contain_text("%")
    for language in ("en", "fr"):
        expect(scores.get_by_role("columnheader", name=language)).to_be_visible()
    page.get_by_role("button", name="Promote the new model").click()
    expect(page.locator(".state")).to_have_text("promoted")
    page.screenshot(path=str(screenshot_path("console-retrain")), full_page=True)
    promoted = staff.models.new_model()
    assert promoted is not None and promoted.parent == staff.assistant.services.settings.models_dir
    staff.assistant.services.serve_model(promoted)  # what `assistant run` does when it notices the promoted model
    assert "Complutense" in staff.assistant.ask_text("Which partner universities do you have in Spain?", metadata=PARIS)
    actions = {entry.action for entry in audit.entries(staff.engine, limit=50)}
    assert {audit.TRAIN, audit.PROMOTE} <= actions
