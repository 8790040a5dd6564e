"""Sign-in (rate-limited, every attempt in the audit log), sign-out and the choice of the console's language."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from assistant.console.security import ALL_ROLES, ConsoleUser, allow, user
from assistant.console.words import LANGUAGES, word
from assistant.server.limits import MemoryBuckets, Rate, bucket_key
from assistant.staff import audit
from assistant.staff.accounts import authenticate

blueprint = Blueprint("auth", __name__)
buckets = MemoryBuckets()


def _limited(username: str) -> bool:
    """Take a sign-in attempt from the address's and the account name's buckets: whether one is empty."""
    settings = current_app.config["SETTINGS"]
    rate = Rate(settings.sign_in_per_minute, settings.sign_in_burst)
    waits = [
        buckets.take_now(bucket_key(kind, value), rate)
        for kind, value in (("sign-in-address", request.remote_addr or ""), ("sign-in-name", username))
    ]
    return any(wait > 0 for wait in waits)


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | str | tuple[str, int]:
    """The sign-in form; a wrong name or password says so without telling which."""
    if request.method == "GET":
        return render_template("sign_in.html")
    engine = current_app.config["ENGINE"]
    username = request.form.get("username", "").strip().lower()[:80]
    password = request.form.get("password", "")
    if _limited(username):
        audit.record(engine, username or "-", audit.SIGN_IN_FAILED, outcome="rate-limited")
        return render_template("sign_in.html", error=word("sign_in_too_many")), 429
    account = authenticate(engine, username, password)
    if account is None:
        audit.record(engine, username or "-", audit.SIGN_IN_FAILED, outcome="refused")
        return render_template("sign_in.html", error=word("sign_in_wrong")), 401
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    login_user(ConsoleUser.of(account))
    audit.record(engine, account.username, audit.SIGN_IN, school=account.school)
    return redirect(url_for("inbox.index"))


@blueprint.route("/sign-out", methods=["POST"])
@allow(*ALL_ROLES)
def sign_out() -> Response:
    """End the session."""
    audit.record(current_app.config["ENGINE"], user().username, audit.SIGN_OUT)
    logout_user()
    session.clear()
    flash(word("signed_out"))
    return redirect(url_for("auth.sign_in"))


@blueprint.route("/language", methods=["POST"])
def language() -> Response:
    """Show the console in English or French from now on."""
    chosen = request.form.get("language")
    if chosen in LANGUAGES:
        session["language"] = chosen
    return redirect(_back())


def _back() -> str:
    """Where the page that sent the form was, on this site only."""
    target = request.form.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else url_for("inbox.index")
