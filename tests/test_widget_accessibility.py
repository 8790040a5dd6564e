"""axe-core, run inside the demo pages (bundled with axe-playwright-python: no network), finds no serious problem."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.chat_widget import ChatWidget

pytestmark = [pytest.mark.servers, pytest.mark.browser]

BLOCKING_IMPACTS = {"serious", "critical"}
QUESTIONS = {
    "lille": ("Which partner universities do you have in Belgium?", "Can I apply?"),
    "paris-cite": ("Quelles sont vos universités partenaires en Espagne ?", "Est-ce que je peux candidater ?"),
}


def blocking_violations(page: Page) -> list[str]:
    """Serious and critical axe-core violations on the page, one line each."""
    violations = Axe().run(page).response["violations"]
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in violations
        if violation["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("school", ["lille", "paris-cite"])
def test_no_serious_accessibility_violation_with_a_conversation(page: Page, assistant_servers, school: str) -> None:
    page.goto(f"{assistant_servers.web_url}/{school}/")
    assert blocking_violations(page) == [], "closed widget"
    chat = ChatWidget(page)
    chat.open()
    expect(chat.privacy).to_be_visible()
    for question in QUESTIONS[school]:
        chat.ask(question)
    expect(chat.choices.first).to_be_visible(timeout=60_000)
    page.locator(".medchat-thumb").first.click()
    assert blocking_violations(page) == [], "open widget with messages, quick replies and feedback"
