"""The chat widget on the demo pages, in headless Chromium, against the real servers."""
from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, Request, Route, expect

from tests.chat_widget import ChatWidget, hold_answers, partner_names, wait_for_held
from tests.conftest import screenshot_path

pytestmark = [pytest.mark.servers, pytest.mark.browser]

LILLE_METADATA = {"school": "lille", "language": "en"}


def open_page(page: Page, assistant_servers, school: str) -> ChatWidget:
    page.goto(f"{assistant_servers.web_url}/{school}/")
    return ChatWidget(page)


def test_a_question_is_answered_from_the_database_with_timestamps(page: Page, assistant_servers) -> None:
    partners = partner_names(assistant_servers.services.settings.database_url, "lille-medicine", "be")
    assert partners, "the knowledge files hold Lille's Belgian partners"
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    answer = chat.ask("Which partner universities do you have in Belgium?")
    for partner in partners:
        assert partner in answer
    expect(chat.user_messages.last).to_have_text("Which partner universities do you have in Belgium?")
    for message in page.locator(".medchat-message").all():
        assert message.locator("time").get_attribute("datetime"), "every message shows when it was sent"


def test_a_quick_reply_sends_its_payload_and_shows_its_title(page: Page, assistant_servers) -> None:
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    sent: list[dict[str, Any]] = []
    page.on("request", lambda request: sent.append(request.post_data_json) if request.method == "POST" else None)
    chat.ask("Can I apply?")
    expect(chat.choices.first).to_be_visible(timeout=60_000)
    choice = chat.choices.first
    title = choice.inner_text()
    before = chat.bot_messages.count()
    choice.click()
    expect(chat.user_messages.last).to_have_text(title)
    expect(chat.input).to_be_focused()
    chat.answer_after(before)
    assert sent[-1]["message"].startswith("/"), "the button's payload, not its title, is sent"
    assert sent[-1]["metadata"] == LILLE_METADATA
    assert sent[-1]["sender"] == sent[0]["sender"]


def test_the_conversation_survives_a_reload(page: Page, assistant_servers) -> None:
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    answer = chat.ask("Which partner universities do you have in Belgium?")
    session_id = chat.state()["sessionId"]
    page.reload()
    chat = ChatWidget(page)
    expect(chat.panel).to_be_visible()
    expect(chat.user_messages).to_have_text(["Which partner universities do you have in Belgium?"])
    expect(chat.bot_messages.first).to_have_text(answer)
    assert chat.state()["sessionId"] == session_id


def test_start_over_clears_the_conversation_and_starts_a_new_session(page: Page, assistant_servers) -> None:
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    chat.ask("Which partner universities do you have in Belgium?")
    session_id = chat.state()["sessionId"]
    page.locator(".medchat-start-over").click()
    expect(page.locator(".medchat-message")).to_have_count(0)
    expect(chat.input).to_be_focused()
    state = chat.state()
    assert state["messages"] == []
    assert state["sessionId"] != session_id
    page.reload()
    expect(ChatWidget(page).panel).to_be_visible()
    expect(page.locator(".medchat-message")).to_have_count(0)


def test_keyboard_alone_opens_asks_chooses_and_closes(page: Page, assistant_servers) -> None:
    chat = open_page(page, assistant_servers, "lille")
    for _ in range(10):
        page.keyboard.press("Tab")
        if chat.launcher.evaluate("element => element === document.activeElement"):
            break
    expect(chat.launcher).to_be_focused()
    page.keyboard.press("Enter")
    expect(chat.panel).to_be_visible()
    expect(chat.input).to_be_focused()
    page.keyboard.type("Can I apply?")
    page.keyboard.press("Enter")
    expect(chat.choices.first).to_be_visible(timeout=60_000)
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.classList.contains('medchat-choice')"):
            break
    focused_title = page.evaluate("document.activeElement.textContent")
    assert focused_title in chat.choices.all_inner_texts(), "Shift+Tab reaches the quick replies"
    before = chat.bot_messages.count()
    page.keyboard.press("Enter")
    expect(chat.user_messages.last).to_have_text(focused_title)
    chat.answer_after(before)
    page.keyboard.press("Escape")
    expect(chat.panel).to_be_hidden()
    expect(chat.launcher).to_be_focused()
    expect(chat.launcher).to_have_attribute("aria-expanded", "false")


def test_new_answers_are_announced_in_a_live_region(page: Page, assistant_servers) -> None:
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    answer = chat.ask("Which partner universities do you have in Belgium?")
    live = page.locator(".medchat [aria-live='polite']")
    expect(live).to_contain_text(answer.splitlines()[0])


def test_server_down_shows_an_error_and_retry_works_after_restart(page: Page, assistant_servers) -> None:
    services = assistant_servers.services
    rasa = services.services[1]
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    rasa.stop()
    try:
        chat.input.fill("Which partner universities do you have in Belgium?")
        chat.input.press("Enter")
        expect(chat.error).to_be_visible(timeout=30_000)
        expect(chat.error).to_contain_text("cannot be reached")
        expect(chat.error).to_have_attribute("role", "alert")
        page.screenshot(path=str(screenshot_path("test_server_down_error_shown")))
    finally:
        services.restart(rasa)
    page.locator(".medchat-retry").click()
    chat.answer_after(0)
    expect(chat.error).to_be_hidden()
    expect(chat.user_messages).to_have_count(1)  # retrying does not repeat the question


def test_the_french_page_answers_in_french(page: Page, assistant_servers) -> None:
    partners = partner_names(assistant_servers.services.settings.database_url, "upc-medicine", "es")
    chat = open_page(page, assistant_servers, "paris-cite")
    expect(page.locator(".medchat")).to_have_attribute("lang", "fr")
    chat.open()
    expect(page.locator(".medchat-send")).to_have_text("Envoyer")
    answer = chat.ask("Quelles sont vos universités partenaires en Espagne ?")
    assert "Espagne" in answer and "partenaire" in answer
    assert partners and all(partner in answer for partner in partners)


@pytest.mark.parametrize("browser_context_options", [{"viewport": {"width": 320, "height": 640}}])
def test_usable_at_320_pixels_wide(page: Page, assistant_servers) -> None:
    chat = open_page(page, assistant_servers, "lille")
    box = chat.launcher.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320
    chat.open()
    for control in (chat.panel, chat.input, page.locator(".medchat-send"), page.locator(".medchat-close")):
        box = control.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320, control
    chat.ask("Which partner universities do you have in Belgium?")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "no sideways scrolling"
    box = chat.bot_messages.first.bounding_box()
    assert box and box["x"] + box["width"] <= 320


def test_the_privacy_notice_gives_the_retention_from_the_server(page: Page, assistant_servers) -> None:
    page.route("**/webhooks/rest/privacy", lambda route: route.fulfill(json={"retention_days": 30}))
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    expect(chat.privacy).to_be_visible()
    expect(chat.privacy).to_contain_text("messages of this conversation")
    expect(chat.privacy).to_contain_text("for 30 days")
    expect(chat.panel).to_have_attribute("aria-describedby", chat.privacy.get_attribute("id"))
    page.locator(".medchat-privacy-ok").click()
    expect(chat.privacy).to_be_hidden()
    page.reload()
    expect(ChatWidget(page).panel).to_be_visible()
    expect(chat.privacy).to_be_hidden()  # shown on the first opening only


def test_the_privacy_notice_without_a_retention_says_the_school_sets_it(page: Page, assistant_servers) -> None:
    page.route("**/webhooks/rest/privacy", lambda route: route.fulfill(status=500, body="broken"))
    chat = open_page(page, assistant_servers, "paris-cite")
    chat.open()
    expect(chat.privacy).to_contain_text("durée limitée fixée par l'école")


def test_a_thumb_down_sends_the_answer_and_question_for_review(page: Page, assistant_servers) -> None:
    received: list[Request] = []

    def accept(route: Route, request: Request) -> None:
        received.append(request)
        route.fulfill(status=201, json={"status": "recorded"})

    page.route("**/webhooks/rest/feedback", accept)
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    answer = chat.ask("Which partner universities do you have in Belgium?")
    message = page.locator(".medchat-from-bot").first
    thumb_down = message.get_by_role("button", name="This answer did not help")
    thumb_down.click()
    expect(message.locator(".medchat-feedback-status")).to_have_text("Thank you for your feedback.")
    expect(thumb_down).to_have_attribute("aria-pressed", "true")
    assert len(received) == 1
    assert received[0].method == "POST"
    assert received[0].headers["content-type"] == "application/json"
    assert json.loads(received[0].post_data) == {
        "sender": chat.state()["sessionId"],
        "rating": "down",
        "answer": answer,
        "question": "Which partner universities do you have in Belgium?",
        "metadata": LILLE_METADATA,
    }


def test_feedback_that_cannot_be_sent_says_so(page: Page, assistant_servers) -> None:
    page.route("**/webhooks/rest/feedback", lambda route: route.abort("connectionrefused"))
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    chat.ask("Which partner universities do you have in Belgium?")
    message = page.locator(".medchat-from-bot").first
    message.get_by_role("button", name="This answer helped").click()
    expect(message.locator(".medchat-feedback-status")).to_have_text("Your feedback could not be sent.")


def test_the_typing_indicator_shows_while_waiting(page: Page, assistant_servers) -> None:
    held = hold_answers(page)
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    chat.input.fill("Which partner universities do you have in Belgium?")
    chat.input.press("Enter")
    typing = page.locator(".medchat-typing")
    expect(typing).to_be_visible()
    expect(typing).to_contain_text("typing")
    wait_for_held(page, held, 1)
    held[0].fulfill(json=[{"text": "Here is the answer."}])
    expect(chat.bot_messages.first).to_have_text("Here is the answer.")
    expect(typing).to_be_hidden()


def test_an_arriving_answer_leaves_the_focus_where_it_is(page: Page, assistant_servers) -> None:
    held = hold_answers(page)
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    for number, text in enumerate(("First question", "Second question")):
        chat.input.fill(text)
        chat.input.press("Enter")
        wait_for_held(page, held, number + 1)
        if number == 0:
            held[0].fulfill(json=[{"text": "First answer."}])
            expect(chat.bot_messages.first).to_have_text("First answer.")
    thumb = page.locator(".medchat-thumb").first
    thumb.focus()
    held[1].fulfill(json=[{"text": "Second answer."}])
    expect(chat.bot_messages.nth(1)).to_have_text("Second answer.")
    expect(thumb).to_be_focused()


@pytest.mark.parametrize("browser_context_options", [{"reduced_motion": "reduce"}, {"reduced_motion": "no-preference"}])
def test_animations_stop_when_the_student_prefers_reduced_motion(
    page: Page, assistant_servers, browser_context_options: dict[str, Any]
) -> None:
    open_page(page, assistant_servers, "lille").open()
    animation = page.locator(".medchat-dot").first.evaluate("dot => getComputedStyle(dot).animationName")
    panel_animation = page.locator(".medchat-panel").evaluate("panel => getComputedStyle(panel).animationName")
    if browser_context_options["reduced_motion"] == "reduce":
        assert animation == "none" and panel_animation == "none"
    else:
        assert animation != "none" and panel_animation != "none"
