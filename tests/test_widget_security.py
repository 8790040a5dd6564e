"""The widget cannot be turned against its users: text stays text, links are allow-listed, CORS holds."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.chat_widget import ChatWidget

pytestmark = [pytest.mark.servers, pytest.mark.browser]

TYPED_ATTACKS = [
    '<img src=x onerror="window.hacked = 1">',
    "javascript:window.hacked=2",
    "[click me](javascript:window.hacked=3)",
]
SERVER_TEXT = (
    "Write to international@example.org or mailto:office@example.org, call tel:+33123456789, "
    "read https://example.org/apply. Not these: javascript:window.hacked=4 data:text/html,<b>x</b> "
    '<img src=x onerror="window.hacked=5"> <a href="javascript:window.hacked=6">here</a>'
)
ALLOWED_HREFS = [
    "mailto:international@example.org",
    "mailto:office@example.org",
    "tel:+33123456789",
    "https://example.org/apply",
]


def test_what_a_student_types_is_shown_as_literal_text_and_runs_nothing(page: Page, assistant_servers) -> None:
    page.goto(f"{assistant_servers.web_url}/lille/")
    chat = ChatWidget(page)
    chat.open()
    for attack in TYPED_ATTACKS:
        chat.ask(attack)
    expect(chat.user_messages).to_have_text(TYPED_ATTACKS)
    widget = page.locator(".medchat")
    expect(widget.locator("img")).to_have_count(0)
    expect(widget.locator("a[href^='javascript']")).to_have_count(0)
    expect(chat.user_messages.locator("a")).to_have_count(0)
    assert page.evaluate("window.hacked") is None


def test_what_the_server_sends_is_text_with_only_allowed_links(page: Page, assistant_servers) -> None:
    reply = [{"text": SERVER_TEXT, "buttons": [{"title": "<b onclick=\"window.hacked=7\">Bold</b>", "payload": "/greet"}]}]
    page.route("**/webhooks/rest/webhook", lambda route: route.fulfill(json=reply))
    page.goto(f"{assistant_servers.web_url}/lille/")
    chat = ChatWidget(page)
    chat.open()
    chat.input.fill("hello")
    chat.input.press("Enter")
    expect(chat.bot_messages.first).to_have_text(SERVER_TEXT)
    links = chat.bot_messages.first.locator("a")
    assert [link.get_attribute("href") for link in links.all()] == ALLOWED_HREFS
    expect(chat.choices).to_have_text(['<b onclick="window.hacked=7">Bold</b>'])
    widget = page.locator(".medchat")
    expect(widget.locator("img, b, [onclick], [onerror]")).to_have_count(0)
    chat.choices.first.click()
    assert page.evaluate("window.hacked") is None


def test_a_page_on_another_origin_is_refused_by_cors(page: Page, assistant_servers) -> None:
    """The demo page opened as http://localhost:... is not the configured origin (http://127.0.0.1:...)."""
    other_origin = assistant_servers.web_url.replace("127.0.0.1", "localhost")
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{other_origin}/lille/")
    chat = ChatWidget(page)
    chat.open()
    chat.input.fill("Which partner universities do you have in Belgium?")
    chat.input.press("Enter")
    expect(chat.error).to_be_visible(timeout=30_000)
    expect(chat.bot_messages).to_have_count(0)
    assert any("CORS policy" in line for line in console), console
