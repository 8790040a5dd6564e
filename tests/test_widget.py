"""The chat widget on the demo pages, in headless Chromium, against the real servers."""
from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, Request, Route, expect

from tests.chat_widget import ChatWidget, hold_answers, partner_names, wait_for_held
from tests.conftest import screenshot_path
from tests.test_widget_accessibility import blocking_violations

pytestmark = [pytest.mark.servers, pytest.mark.browser]

LILLE_METADATA = {"school": "lille-medicine", "language": "en"}
VIEWPORTS = [
    pytest.param({"viewport": {"width": 1280, "height": 800}, "locale": "en-GB"}, id="desktop"),
    pytest.param({"viewport": {"width": 320, "height": 640}, "locale": "en-GB"}, id="320px"),
]
# Real replies taller than the conversation area at both sizes: one long message, and three messages with buttons.
LONG_QUESTIONS = ["Quels services la faculté de Lille propose-t-elle aux étudiants internationaux ?", "What exchanges can I do?"]
SHORT_QUESTION = "hello"


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


def test_a_failed_request_is_sent_once_more_with_its_id_and_the_student_sees_only_the_answer(
    page: Page, assistant_servers
) -> None:
    """As when the replica that had the message was killed and the load balancer answered 502 (tests/test_faults.py)."""
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    bodies: list[dict[str, Any]] = []

    def fail_first(route: Route, request: Request) -> None:
        bodies.append(request.post_data_json)
        if len(bodies) == 1:
            route.fulfill(status=502, body="502 Bad Gateway")
        else:
            route.continue_()

    page.route("**/webhooks/rest/webhook", fail_first)
    answer = chat.ask("Which partner universities do you have in Belgium?")
    assert "Belgium" in answer
    expect(chat.error).to_be_hidden()
    assert [body.get("retry", False) for body in bodies] == [False, True]
    assert bodies[0]["message_id"] == bodies[1]["message_id"] and len(bodies[0]["message_id"]) == 32
    expect(chat.user_messages).to_have_count(1)


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
    chat.acknowledge_privacy()
    expect(chat.panel).not_to_have_attribute("aria-describedby", chat.privacy.get_attribute("id"))
    page.reload()
    expect(ChatWidget(page).panel).to_be_visible()
    expect(chat.privacy_details).to_be_hidden()  # shown in full on the first opening only
    expect(chat.privacy_toggle).to_have_attribute("aria-expanded", "false")


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


def box(locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found, f"{locator} is not displayed"
    return found


@pytest.mark.parametrize("question", LONG_QUESTIONS, ids=["one-message", "several-messages"])
@pytest.mark.parametrize("browser_context_options", VIEWPORTS)
def test_a_long_reply_opens_at_its_first_line(page: Page, assistant_servers, question: str) -> None:
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    chat.acknowledge_privacy()
    chat.ask_and_wait(SHORT_QUESTION)  # something above, so that showing the reply's start means scrolling
    first = chat.ask_and_wait(question)
    area = box(chat.conversation)
    reply_top = box(page.locator(".medchat-from-bot").nth(first))["y"]
    last = box(page.locator(".medchat-message").last)
    reply_bottom = last["y"] + last["height"]
    scroll = chat.scroll_state()
    assert reply_bottom - reply_top > scroll["height"], "this test needs a reply taller than the conversation area"
    assert area["y"] <= reply_top < area["y"] + area["height"], "the reply's first line is in view"
    assert reply_top - area["y"] <= 24, "the reply's first line is at the top of the conversation area"
    assert scroll["top"] + scroll["height"] < scroll["full"] - 50, "not scrolled to the end of the reply"
    expect(chat.user_messages.last).to_have_text(question)  # the question itself may be scrolled out of view
    live = page.locator(".medchat [aria-live='polite']")
    expect(live).to_contain_text(chat.bot_messages.nth(first).inner_text().splitlines()[0])  # announced as before
    page.reload()  # the conversation comes back at the latest reply's first line
    page.wait_for_function(REPLY_AT_THE_TOP, arg=first)


REPLY_AT_THE_TOP = """first => {
    const area = document.querySelector(".medchat-body").getBoundingClientRect();
    const reply = document.querySelectorAll(".medchat-from-bot")[first].getBoundingClientRect();
    return reply.top >= area.top && reply.top - area.top <= 24;
}"""


@pytest.mark.parametrize("browser_context_options", VIEWPORTS)
def test_a_short_reply_after_a_long_one_is_shown_whole(page: Page, assistant_servers) -> None:
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    chat.acknowledge_privacy()
    chat.ask_and_wait(LONG_QUESTIONS[0])
    first = chat.ask_and_wait(SHORT_QUESTION)
    area = box(chat.conversation)
    reply = page.locator(".medchat-from-bot").nth(first)
    top, bottom = box(reply)["y"], box(reply)["y"] + box(reply)["height"]
    assert area["y"] <= top and bottom <= area["y"] + area["height"], "the whole reply is in view"
    scroll = chat.scroll_state()
    assert scroll["full"] > scroll["height"], "the conversation is taller than its area"
    assert scroll["top"] + scroll["height"] >= scroll["full"] - 1, "a reply that fits is shown down to its end"


INTRO_LABEL_OVERLAPS = """label => {
    // Every position of the scrolling element holding the first message label: where do the two boxes meet?
    const intro = document.querySelector(".medchat-intro");
    let scroller = label.parentElement;
    while (scroller && !/auto|scroll/.test(getComputedStyle(scroller).overflowY)) scroller = scroller.parentElement;
    const overlaps = [];
    for (let y = 0; y <= scroller.scrollHeight; y += 4) {
        scroller.scrollTop = y;
        const a = intro.getBoundingClientRect(), b = label.getBoundingClientRect();
        if (a.bottom > b.top && b.bottom > a.top && a.right > b.left && b.right > a.left) overlaps.push(scroller.scrollTop);
    }
    return overlaps;
}"""


@pytest.mark.parametrize("browser_context_options", VIEWPORTS)
def test_the_intro_line_never_overlaps_the_first_message_label(page: Page, assistant_servers) -> None:
    chat = open_page(page, assistant_servers, "lille")
    chat.open()
    chat.ask_and_wait("Which partner universities do you have in Belgium?")
    label = page.locator(".medchat-meta").first
    intro, first_label = box(page.locator(".medchat-intro")), box(label)
    assert intro["y"] + intro["height"] <= first_label["y"], "the intro line comes before the first message"
    assert label.evaluate(INTRO_LABEL_OVERLAPS) == [], "with the privacy notice open"
    chat.acknowledge_privacy()
    assert label.evaluate(INTRO_LABEL_OVERLAPS) == [], "with the privacy notice closed"


@pytest.mark.parametrize(
    ("school", "words"),
    [
        ("lille", ("Privacy", "stored on the school's server for 30 days")),
        ("paris-cite", ("Confidentialité", "conservés sur le serveur de l'école pendant 30 jours")),
    ],
)
@pytest.mark.parametrize("browser_context_options", VIEWPORTS)
def test_the_privacy_notice_once_read_is_one_line_that_opens_again(
    page: Page, assistant_servers, school: str, words: tuple[str, str], request: pytest.FixtureRequest
) -> None:
    title, retention = words
    page.route("**/webhooks/rest/privacy", lambda route: route.fulfill(json={"retention_days": 30}))
    chat = open_page(page, assistant_servers, school)
    chat.open()
    expect(chat.privacy_details).to_contain_text(retention)
    expect(chat.privacy_toggle).to_have_attribute("aria-expanded", "true")
    chat.acknowledge_privacy()
    window_height = page.viewport_size["height"]
    for _ in range(2):  # once acknowledged, and again after a reload
        expect(chat.privacy_toggle).to_have_text(title)
        expect(chat.privacy_toggle).to_have_attribute("aria-expanded", "false")
        notice = box(chat.privacy)
        assert notice["height"] < 40 and notice["height"] < 0.1 * window_height, notice
        page.screenshot(path=str(screenshot_path(f"{request.node.name}_closed")))
        page.reload()
        expect(chat.panel).to_be_visible()
    chat.input.focus()
    for _ in range(6):  # the keyboard reaches it from the question box
        page.keyboard.press("Shift+Tab")
        if chat.privacy_toggle.evaluate("toggle => toggle === document.activeElement"):
            break
    expect(chat.privacy_toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(chat.privacy_toggle).to_have_attribute("aria-expanded", "true")
    expect(chat.privacy_details).to_be_visible()
    expect(chat.privacy_details).to_contain_text(retention)
    assert blocking_violations(page) == [], "privacy notice opened again"
    page.keyboard.press("Enter")
    expect(chat.privacy_details).to_be_hidden()
    expect(chat.privacy_toggle).to_be_focused()
    assert box(chat.privacy)["height"] < 40
    assert blocking_violations(page) == [], "privacy notice closed"
