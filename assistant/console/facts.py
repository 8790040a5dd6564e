"""The fact editor: a school's programmes, partners, contacts, office hours and facts, English and French side by
side, checked as `assistant db check` checks the files, saved to the files and the database at once."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from assistant.console.security import ALL_ROLES, EDITING_ROLES, allow, deny, user
from assistant.console.words import word
from assistant.db.staff import EDITOR
from assistant.filecache import read_cached
from assistant.knowledge.edit import (
    EDITABLE_FILES,
    EditRefused,
    edit_entry,
    field_specs,
    find_entry,
    form_values,
    school_of,
    version,
)
from assistant.knowledge.loader import KnowledgeError, KnowledgeSet, load_knowledge
from assistant.metadata import known_schools
from assistant.staff import audit

blueprint = Blueprint("facts", __name__, url_prefix="/facts")


def _knowledge() -> KnowledgeSet:
    folder = current_app.config["SETTINGS"].knowledge_dir
    try:
        return read_cached("knowledge", folder, lambda: load_knowledge(folder))
    except KnowledgeError as error:
        abort(500, str(error))


def _schools() -> list[str]:
    return sorted(known_schools(current_app.config["SETTINGS"].knowledge_dir))


def _title(entry: object) -> str:
    for name in ("name_en", "role_en", "text_en", "name"):
        if getattr(entry, name, None):
            return str(getattr(entry, name))
    return " ".join(str(getattr(entry, name, "")) for name in ("contact", "weekday", "opens", "closes")).strip()


@blueprint.route("/")
@allow(*ALL_ROLES)
def index() -> str:
    """The entries of one file for one school (an editor's own school)."""
    schools = _schools()
    school = user().school if user().school else request.args.get("school") or schools[0]
    if school not in schools:
        abort(404)
    file_name = request.args.get("file", EDITABLE_FILES[0])
    if file_name not in EDITABLE_FILES:
        abort(404)
    knowledge = _knowledge()
    entries = [
        (item.entry.id, _title(item.entry))
        for item in knowledge.entries[file_name]
        if school_of(knowledge, file_name, item.entry) == school
    ]
    return render_template(
        "facts.html", schools=schools, school=school, files=EDITABLE_FILES, file_name=file_name, entries=entries
    )


@blueprint.route("/<file_name>/<entry_id>", methods=["GET", "POST"])
@allow(*ALL_ROLES)
def edit(file_name: str, entry_id: str) -> Response | str | tuple[str, int]:
    """One entry's form; saving is for administrators and the editor of the entry's school."""
    if file_name not in EDITABLE_FILES:
        abort(404)
    knowledge = _knowledge()
    found = find_entry(knowledge, file_name, entry_id)
    if found is None:
        abort(404)
    entry = found[1].entry
    school = school_of(knowledge, file_name, entry)
    if not user().sees_school(school):
        deny(f"{file_name}/{entry_id}", school)
    values, problems = form_values(entry, file_name), []
    if request.method == "POST":
        if user().role not in EDITING_ROLES or not user().edits_school(school):
            deny(f"{file_name}/{entry_id}", school)
        engine = current_app.config["ENGINE"]
        submitted = {spec.name: request.form.get(spec.name, "") for spec in field_specs(file_name)}
        try:
            changes = edit_entry(
                current_app.config["SETTINGS"].knowledge_dir,
                engine,
                file_name,
                entry_id,
                submitted,
                request.form.get("version", ""),
                allowed_school=user().school if user().role == EDITOR else None,
            )
        except PermissionError:
            deny(f"{file_name}/{entry_id}", school)
        except EditRefused as refused:
            problems = refused.problems
            tried = {name: value for name, value in submitted.items() if value != values.get(name)}
            values = submitted
            audit.record(
                engine,
                user().username,
                audit.EDIT,
                target=f"{file_name}/{entry_id}",
                school=school,
                new=tried,
                outcome="refused",
            )
        else:
            for name, (old, new) in changes.items():
                audit.record(
                    engine,
                    user().username,
                    audit.EDIT,
                    target=f"{file_name}/{entry_id}.{name}",
                    school=school,
                    old=old,
                    new=new,
                )
            flash(word("fact_saved", count=len(changes)) if changes else word("fact_unchanged"))
            return redirect(url_for("facts.edit", file_name=file_name, entry_id=entry_id))
    status = 400 if problems else 200
    page = render_template(
        "fact_edit.html",
        file_name=file_name,
        entry_id=entry_id,
        title=_title(entry),
        school=school,
        specs=field_specs(file_name),
        values=values,
        version=version(entry, file_name),
        problems={problem.field: problem.message for problem in problems if problem.field},
        general=[problem.message for problem in problems if not problem.field],
        can_edit=user().role in EDITING_ROLES and user().edits_school(school),
    )
    return (page, status) if status != 200 else page
