"""The audit log, for administrators: read and export (it cannot be changed: the database refuses it)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template

from assistant.console.security import allow
from assistant.db.staff import ADMINISTRATOR
from assistant.staff import audit
from assistant.staff.accounts import list_users

blueprint = Blueprint("auditlog", __name__, url_prefix="/audit")
SHOWN = 500


@blueprint.route("/")
@allow(ADMINISTRATOR)
def index() -> str:
    """The newest entries, and the accounts."""
    engine = current_app.config["ENGINE"]
    return render_template("audit.html", entries=audit.entries(engine, limit=SHOWN), users=list_users(engine))


@blueprint.route("/audit.csv")
@allow(ADMINISTRATOR)
def export() -> Response:
    """Every entry as CSV."""
    rows = audit.entries(current_app.config["ENGINE"])
    return Response(
        audit.as_csv(rows), mimetype="text/csv", headers={"Content-Disposition": "attachment; filename=audit.csv"}
    )
