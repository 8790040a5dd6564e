"""Driving the chat widget in a browser page, as a student would (used by the browser tests)."""
from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, Route, expect

from assistant.db.session import create_db_engine
from assistant.queries.partners import find_partners
from assistant.queries.snapshot import SnapshotCache

ANSWER_TIMEOUT_MS = 60_000


class ChatWidget:
    """The widget on a page: open it, ask, read the answers."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.launcher = page.locator(".medchat-launcher")
        self.panel = page.locator(".medchat-panel")
        self.input = page.locator(".medchat-input")
        self.user_messages = page.locator(".medchat-from-user .medchat-text")
        self.bot_messages = page.locator(".medchat-from-bot .medchat-text")
        self.choices = page.locator(".medchat-choice")
        self.error = page.locator(".medchat-error")
        self.privacy = page.locator(".medchat-privacy")
        self.privacy_toggle = page.locator(".medchat-privacy-toggle")
        self.privacy_details = page.locator(".medchat-privacy-details")
        self.conversation = page.locator(".medchat-body")  # the scrolling part: intro line and messages
        self.typing = page.locator(".medchat-typing")

    def open(self) -> None:
        self.launcher.click()
        expect(self.panel).to_be_visible()
        expect(self.input).to_be_focused()

    def acknowledge_privacy(self) -> None:
        """Press the privacy notice's OK, as a student who has read it."""
        self.page.locator(".medchat-privacy-ok").click()
        expect(self.privacy_details).to_be_hidden()

    def ask_and_wait(self, text: str) -> int:
        """Ask, wait until the whole reply is shown (no more typing indicator); the index of its first bot message."""
        before = self.bot_messages.count()
        self.ask(text)
        expect(self.typing).to_be_hidden(timeout=ANSWER_TIMEOUT_MS)
        return before

    def scroll_state(self) -> dict[str, float]:
        """The conversation's scroll position: scrollTop, clientHeight and scrollHeight."""
        return self.conversation.evaluate(
            "body => ({top: body.scrollTop, height: body.clientHeight, full: body.scrollHeight})"
        )

    def ask(self, text: str) -> str:
        """Type a question, send it with Enter and return the first new bot message."""
        before = self.bot_messages.count()
        self.input.fill(text)
        self.input.press("Enter")
        return self.answer_after(before)

    def answer_after(self, before: int) -> str:
        """The text of the first bot message after the `before` already shown, waiting for it."""
        answer = self.bot_messages.nth(before)
        expect(answer).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
        return answer.inner_text()

    def state(self) -> dict[str, Any]:
        """What the widget keeps in the browser's localStorage."""
        return self.page.evaluate(
            """() => {
                const key = Object.keys(localStorage).find((name) => name.startsWith("medchat:"));
                return key ? JSON.parse(localStorage.getItem(key)) : null;
            }"""
        )


def partner_names(database_url: str, school: str, country: str) -> list[str]:
    """The names of a school's partners in a country, read from the database the servers use."""
    engine = create_db_engine(database_url, timeout_seconds=5)
    try:
        return [partner.name for partner in find_partners(SnapshotCache(engine).get(), school=school, country=country)]
    finally:
        engine.dispose()


def hold_answers(page: Page) -> list[Route]:
    """Intercept the messages sent to the assistant; the test answers each one itself with `route.fulfill`."""
    held: list[Route] = []
    page.route("**/webhooks/rest/webhook", lambda route: held.append(route))
    return held


def wait_for_held(page: Page, held: list[Route], count: int) -> None:
    """Wait (at most 10 s) until `count` messages have been intercepted."""
    for _ in range(100):
        if len(held) >= count:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{len(held)} message(s) sent, {count} expected")
