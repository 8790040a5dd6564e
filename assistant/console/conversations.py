"""Conversations: find one by id, day, school or language; read it as the student saw it; erase it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from assistant.console.security import ALL_ROLES, allow, deny, user
from assistant.console.words import word
from assistant.db.staff import ADMINISTRATOR
from assistant.metadata import LANGUAGES, known_schools
from assistant.server.erasure import erase_conversation
from assistant.staff import audit
from assistant.staff.conversations import Turn, read_transcript, read_turns
from assistant.staff.usage import SCHOOL_TIME

blueprint = Blueprint("conversations", __name__, url_prefix="/conversations")
SHOWN = 200


@dataclass(frozen=True)
class Summary:
    """One conversation in the list."""

    conversation_id: str
    first: datetime
    messages: int
    school: str | None
    language: str | None


def _summaries(turns: list[Turn]) -> list[Summary]:
    by_conversation: dict[str, list[Turn]] = {}
    for turn in turns:
        by_conversation.setdefault(turn.conversation_id, []).append(turn)
    summaries = [
        Summary(
            conversation_id,
            said[0].time.astimezone(SCHOOL_TIME),
            len(said),
            next((turn.school for turn in said if turn.school), None),
            next((turn.language for turn in said if turn.language), None),
        )
        for conversation_id, said in by_conversation.items()
    ]
    return sorted(summaries, key=lambda summary: summary.first, reverse=True)


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@blueprint.route("/")
@allow(*ALL_ROLES)
def index() -> str:
    """Conversations matching the filters, the newest first."""
    wanted_id = (request.args.get("id") or "").strip()
    day = _day(request.args.get("day"))
    school = request.args.get("school") or None
    language = request.args.get("language") or None
    summaries = [
        summary
        for summary in _summaries(read_turns(current_app.config["ENGINE"]))
        if user().sees_school(summary.school)
        and (not wanted_id or wanted_id in summary.conversation_id)
        and (day is None or summary.first.date() == day)
        and (school is None or summary.school == school)
        and (language is None or summary.language == language)
    ]
    return render_template(
        "conversations.html",
        summaries=summaries[:SHOWN],
        total=len(summaries),
        schools=sorted(known_schools(current_app.config["SETTINGS"].knowledge_dir)),
        languages=LANGUAGES,
        filters={"id": wanted_id, "day": day.isoformat() if day else "", "school": school, "language": language},
    )


def _school(conversation_id: str) -> str | None:
    turns = read_turns(current_app.config["ENGINE"], conversation_id=conversation_id)
    return next((turn.school for turn in turns if turn.school), None)


@blueprint.route("/<conversation_id>")
@allow(*ALL_ROLES)
def transcript(conversation_id: str) -> str:
    """The conversation as the student saw it, with the intent and confidence of each of their messages."""
    said = read_transcript(current_app.config["ENGINE"], conversation_id)
    if not said:
        abort(404)
    school = _school(conversation_id)
    if not user().sees_school(school):
        deny(f"conversation {conversation_id}", school)
    return render_template(
        "transcript.html",
        conversation_id=conversation_id,
        said=said,
        school=school,
        can_delete=user().role == ADMINISTRATOR,
        school_time=SCHOOL_TIME,
    )


@blueprint.route("/<conversation_id>/delete", methods=["POST"])
@allow(ADMINISTRATOR)
def delete(conversation_id: str) -> Response:
    """Erase the conversation (its events and ratings), as a student's erasure request does."""
    engine = current_app.config["ENGINE"]
    school = _school(conversation_id)
    result = erase_conversation(conversation_id, engine)
    audit.record(
        engine,
        user().username,
        audit.DELETE,
        target=f"conversation {conversation_id}",
        school=school,
        old={"events": result.events, "ratings": result.ratings},
    )
    flash(word("conversation_deleted", events=result.events))
    return redirect(url_for("conversations.index"))
