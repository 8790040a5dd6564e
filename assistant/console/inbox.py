"""The missed-questions inbox: groups of similar messages, and their triage (teach, fact missing, ignore, done)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from assistant.console.security import ALL_ROLES, EDITING_ROLES, allow, deny, user
from assistant.console.words import word
from assistant.db.staff import DONE, IGNORED, INBOX_STATUSES, NEW
from assistant.filecache import read_cached
from assistant.metadata import LANGUAGES
from assistant.staff import audit
from assistant.staff.inbox import InboxItem, find_item, read_inbox, set_status
from assistant.staff.teach import TeachRefused, intents_of, teach

blueprint = Blueprint("inbox", __name__)
INBOX_DAYS = 90


def _since() -> datetime:
    return datetime.now(timezone.utc) - timedelta(days=INBOX_DAYS)


def _item(key: str) -> InboxItem | None:
    """The group a form is about (None when it has left the inbox), if the account may read it (403 recorded)."""
    item = find_item(current_app.config["ENGINE"], key, _since())
    if item is None:
        flash(word("inbox_gone"))
    elif not user().sees_school(item.school):
        deny(f"inbox {key}", item.school)
    return item


@blueprint.route("/")
@allow(*ALL_ROLES)
def index() -> str:
    """The groups of the chosen status (new by default), the newest first."""
    status = request.args.get("status", NEW)
    status = status if status in INBOX_STATUSES else NEW
    language = request.args.get("language") or None
    items = [
        item
        for item in read_inbox(current_app.config["ENGINE"], _since())
        if item.status == status and user().sees_school(item.school) and (language is None or item.language == language)
    ]
    project = current_app.config["SETTINGS"].project_dir
    intents = read_cached(
        "intents", project / "data" / "nlu", lambda: {code: intents_of(project, code) for code in LANGUAGES}
    )
    return render_template(
        "inbox.html", items=items, status=status, statuses=INBOX_STATUSES, language=language, intents=intents
    )


@blueprint.route("/inbox/teach", methods=["POST"])
@allow(*EDITING_ROLES)
def teach_item() -> Response:
    """Write the group's newest message as a phrase of the chosen intent, if the checks pass."""
    item = _item(request.form.get("key", ""))
    if item is None:
        return redirect(url_for("inbox.index"))
    intent = request.form.get("intent", "")
    language = request.form.get("language") or item.language or ""
    engine = current_app.config["ENGINE"]
    text = item.group.newest.text
    try:
        taught = teach(current_app.config["SETTINGS"].project_dir, intent, language, text)
    except TeachRefused as refused:
        audit.record(
            engine, user().username, audit.TEACH, target=intent, school=item.school, new=text, outcome="refused"
        )
        flash(word("teach_refused", reason=str(refused)))
        return redirect(url_for("inbox.index"))
    set_status(engine, item, DONE, user().username)
    audit.record(
        engine,
        user().username,
        audit.TEACH,
        target=f"{taught.path}:{taught.line}",
        school=item.school,
        new={"intent": intent, "phrase": taught.phrase},
    )
    flash(word("teach_done", phrase=taught.phrase, path=taught.path))
    for warning in taught.warnings:
        flash(word("teach_warning", warning=warning))
    return redirect(url_for("inbox.index"))


@blueprint.route("/inbox/status", methods=["POST"])
@allow(*ALL_ROLES)
def change_status() -> Response:
    """Ignore a group, mark it done, or put it back among the new ones."""
    item = _item(request.form.get("key", ""))
    if item is None:
        return redirect(url_for("inbox.index"))
    status = request.form.get("status", "")
    if status not in INBOX_STATUSES:
        return redirect(url_for("inbox.index"))
    engine = current_app.config["ENGINE"]
    set_status(engine, item, status, user().username)
    action = audit.IGNORE if status == IGNORED else audit.STATUS
    audit.record(engine, user().username, action, target=item.key, school=item.school, old=item.status, new=status)
    flash(word("status_changed", status=word(f"status_{status}")))
    return redirect(url_for("inbox.index", status=item.status))


@blueprint.route("/inbox/fact-missing", methods=["POST"])
@allow(*EDITING_ROLES)
def fact_missing() -> Response:
    """Mark the group done and open the fact editor on its school."""
    item = _item(request.form.get("key", ""))
    if item is None:
        return redirect(url_for("inbox.index"))
    school = item.school if item.school else (user().school or "")
    if not user().edits_school(school):
        deny(f"fact missing {item.key}", school)
    engine = current_app.config["ENGINE"]
    set_status(engine, item, DONE, user().username)
    audit.record(
        engine, user().username, audit.STATUS, target=item.key, school=school, old=item.status, new="fact missing"
    )
    return redirect(url_for("facts.index", school=school))
