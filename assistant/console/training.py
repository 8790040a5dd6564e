"""Retrain and compare: train a candidate in the background, show its and the live model's held-out scores per
language, and let an administrator promote or discard it."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from assistant.console.security import ALL_ROLES, EDITING_ROLES, allow, user
from assistant.console.words import word
from assistant.db.staff import ADMINISTRATOR
from assistant.staff import audit
from assistant.staff.retrain import discard, promote, read_status, start_job

blueprint = Blueprint("training", __name__, url_prefix="/training")


@blueprint.route("/")
@allow(*ALL_ROLES)
def index() -> str:
    """The last job: its progress while it runs (the page refreshes itself), then both scores."""
    status = read_status(current_app.config["SETTINGS"].models_dir)
    return render_template(
        "training.html",
        status=status,
        can_train=user().role in EDITING_ROLES,
        can_promote=user().role == ADMINISTRATOR,
    )


@blueprint.route("/start", methods=["POST"])
@allow(*EDITING_ROLES)
def start() -> Response:
    """Start training a candidate model from the current training data."""
    settings = current_app.config["SETTINGS"]
    status = start_job(settings.project_dir, settings.models_dir)
    audit.record(current_app.config["ENGINE"], user().username, audit.TRAIN, target=status.live)
    return redirect(url_for("training.index"))


@blueprint.route("/promote", methods=["POST"])
@allow(ADMINISTRATOR)
def promote_candidate() -> Response:
    """Make the candidate the live model."""
    models_dir = current_app.config["SETTINGS"].models_dir
    status = read_status(models_dir)
    try:
        name = promote(models_dir)
    except LookupError:
        flash(word("training_nothing_ready"))
        return redirect(url_for("training.index"))
    audit.record(
        current_app.config["ENGINE"],
        user().username,
        audit.PROMOTE,
        target=name,
        old=status.live if status else None,
        new=name,
    )
    flash(word("training_promoted_message", model=name))
    return redirect(url_for("training.index"))


@blueprint.route("/discard", methods=["POST"])
@allow(ADMINISTRATOR)
def discard_candidate() -> Response:
    """Delete the candidate; the live model stays."""
    try:
        name = discard(current_app.config["SETTINGS"].models_dir)
    except LookupError:
        flash(word("training_nothing_ready"))
        return redirect(url_for("training.index"))
    audit.record(current_app.config["ENGINE"], user().username, audit.DISCARD, target=name)
    flash(word("training_discarded_message", model=name))
    return redirect(url_for("training.index"))
