"""Staff try the assistant inside the console; their conversations are tagged (STAFF_TEST_PREFIX) and kept out of
the statistics and the inbox."""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from assistant.console.security import ALL_ROLES, allow, user
from assistant.console.words import word
from assistant.metadata import LANGUAGES, known_schools
from assistant.staff.conversations import STAFF_TEST_PREFIX, read_transcript

blueprint = Blueprint("testchat", __name__, url_prefix="/test-chat")
TIMEOUT_SECONDS = 60


def _conversation() -> str:
    if "test_chat" not in session:
        session["test_chat"] = f"{STAFF_TEST_PREFIX}{user().id}-{secrets.token_hex(8)}"
    return str(session["test_chat"])


@blueprint.route("/", methods=["GET", "POST"])
@allow(*ALL_ROLES)
def index() -> Response | str:
    """The test conversation so far, and a box to send the next message as a student of a school would."""
    settings = current_app.config["SETTINGS"]
    schools = sorted(known_schools(settings.knowledge_dir))
    if request.method == "POST":
        if request.form.get("restart"):
            session.pop("test_chat", None)
            return redirect(url_for("testchat.index"))
        message = request.form.get("message", "").strip()[:1000]
        school = request.form.get("school")
        language = request.form.get("language")
        session["test_chat_page"] = {
            "school": school if school in schools else None,
            "language": language if language in LANGUAGES else None,
        }
        if message:
            metadata = {key: value for key, value in session["test_chat_page"].items() if value}
            body = json.dumps({"sender": _conversation(), "message": message, "metadata": metadata}).encode()
            outgoing = urllib.request.Request(
                f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook",
                data=body,
                headers={"Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(outgoing, timeout=TIMEOUT_SECONDS):
                    pass
            except (urllib.error.URLError, OSError):
                flash(word("test_chat_unreachable"))
        return redirect(url_for("testchat.index"))
    said = read_transcript(current_app.config["ENGINE"], session["test_chat"]) if "test_chat" in session else []
    return render_template(
        "testchat.html", said=said, schools=schools, languages=LANGUAGES, page=session.get("test_chat_page") or {}
    )
