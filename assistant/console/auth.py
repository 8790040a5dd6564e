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


def _failures() -> tuple[MemoryBuckets, Rate, list[str]]:
    """This console's buckets of failed sign-ins, their rate, and the buckets of this request's address."""
    settings = current_app.config["SETTINGS"]
    buckets = current_app.extensions.setdefault("failed_sign_ins", MemoryBuckets())
    return (
        buckets,
        Rate(settings.sign_in_per_minute, settings.sign_in_burst),
        [bucket_key("sign-in-address", request.remote_addr or "")],
    )


def _blocked(username: str) -> bool:
    """Whether the address or the account name has used up its failed attempts (a burst, then a few a minute)."""
    buckets, rate, keys = _failures()
    now = buckets.clock()
    for key in [*keys, bucket_key("sign-in-name", username)]:
        tokens, at = buckets.buckets.get(key, (float(rate.burst), now))
        if min(float(rate.burst), tokens + (now - at) * rate.per_second) < 1:
            return True
    return False


def _failed(username: str) -> None:
    buckets, rate, keys = _failures()
    for key in [*keys, bucket_key("sign-in-name", username)]:
        buckets.take_now(key, rate)


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Response | str | tuple[str, int]:
    """The sign-in form; a wrong name or password says so without telling which."""
    if request.method == "GET":
        return render_template("sign_in.html")
    engine = current_app.config["ENGINE"]
    username = request.form.get("username", "").strip().lower()[:80]
    password = request.form.get("password", "")
    if _blocked(username):
        audit.record(engine, username or "-", audit.SIGN_IN_FAILED, outcome="rate-limited")
        return render_template("sign_in.html", error=word("sign_in_too_many")), 429
    account = authenticate(engine, username, password)
    if account is None:
        _failed(username)
        audit.record(engine, username or "-", audit.SIGN_IN_FAILED, outcome="refused")
        return render_template("sign_in.html", error=word("sign_in_wrong")), 401
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    session.permanent = True  # the session ends after PERMANENT_SESSION_LIFETIME (8 hours)
    login_user(ConsoleUser.of(account))
    audit.record(engine, account.username, audit.SIGN_IN, school=account.school)
    return redirect(url_for("inbox.index"))


@blueprint.route("/sign-out", methods=["POST"])
@allow(*ALL_ROLES)
def sign_out() -> Response:
    """End the session."""
    audit.record(current_app.config["ENGINE"], user().username, audit.SIGN_OUT)
    language = session.get("language")
    logout_user()
    session.clear()
    if language:
        session["language"] = language
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
    # A path of this site only: "//host" and "/\\host" lead browsers elsewhere.
    return target if target.startswith("/") and target[1:2] not in ("/", "\\") else url_for("inbox.index")
