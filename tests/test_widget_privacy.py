"""The widget's privacy controls and its polite refusal, in headless Chromium, against the real servers."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assistant.db.session import create_db_engine
from tests.chat_widget import ChatWidget
from tests.test_erasure import counts

pytestmark = [pytest.mark.servers, pytest.mark.browser]


def stored(database_url: str, sender: str) -> tuple[int, int]:
    """The conversation's events and ratings on the server."""
    engine = create_db_engine(database_url, timeout_seconds=5)
    try:
        return counts(engine, sender)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("page_name", "button", "done"),
    [
        ("lille", "Delete this conversation", "This conversation was deleted from the school's server"),
        ("paris-cite", "Supprimer cette conversation", "Cette conversation a été supprimée du serveur de l'école"),
    ],
)
def test_a_student_deletes_the_conversation_from_the_server(
    page: Page, assistant_servers, page_name: str, button: str, done: str
) -> None:
    database_url = assistant_servers.services.settings.database_url
    page.goto(f"{assistant_servers.web_url}/{page_name}/")
    chat = ChatWidget(page)
    chat.open()
    chat.acknowledge_privacy()
    chat.ask("Which partner universities do you have in Spain?")
    page.locator(".medchat-thumb[data-rating='down']").first.click()
    expect(page.locator(".medchat-feedback-status").first).not_to_be_empty()
    sender = chat.state()["sessionId"]
    assert stored(database_url, sender)[0] > 0 and stored(database_url, sender)[1] == 1

    chat.privacy_toggle.click()
    page.get_by_role("button", name=button).click()
    expect(page.locator(".medchat-privacy-status")).to_contain_text(done)
    assert stored(database_url, sender) == (0, 0)
    expect(chat.bot_messages).to_have_count(0)  # and from this browser
    assert chat.state()["sessionId"] != sender, "the next message starts a new conversation"
    chat.ask("Which partner universities do you have in Spain?")
    assert stored(database_url, sender) == (0, 0)


def test_a_refused_message_asks_the_student_to_wait_in_the_pages_language(page: Page, assistant_servers) -> None:
    page.route(
        "**/webhooks/rest/webhook",
        # What the server answers (assistant/server/protection.py); the page cannot read Retry-After across origins.
        lambda route: route.fulfill(status=429, headers={"Retry-After": "7", "Access-Control-Allow-Origin": "*"},
                                    json={"error": "You are sending messages faster", "retry_after": 7, "language": "en"}),
    )
    page.goto(f"{assistant_servers.web_url}/paris-cite/")
    chat = ChatWidget(page)
    chat.open()
    chat.acknowledge_privacy()
    chat.input.fill("Quels partenaires en Espagne ?")
    chat.input.press("Enter")
    expect(chat.error).to_contain_text("Vous envoyez des messages plus vite que l'assistant ne peut répondre. "
                                       "Merci d'attendre 7 s, puis de réessayer.")
    expect(page.locator(".medchat-retry")).to_be_visible()
