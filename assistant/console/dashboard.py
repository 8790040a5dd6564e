"""The usage dashboard: messages and conversations per day, the rates that matter, top topics; CSV export."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from flask import Blueprint, Response, current_app, render_template, request

from assistant.console.charts import daily_chart, rates_chart
from assistant.console.security import ALL_ROLES, allow, user
from assistant.console.words import word
from assistant.metadata import LANGUAGES, known_schools
from assistant.staff.usage import SCHOOL_TIME, Usage, percent, read_usage

blueprint = Blueprint("dashboard", __name__, url_prefix="/usage")
DEFAULT_DAYS = 30
TOP_TOPICS = 10


def _usage() -> tuple[Usage, dict[str, str | None]]:

    today = datetime.now(SCHOOL_TIME).date()
    days = request.args.get("days", str(DEFAULT_DAYS))
    count = int(days) if days.isdigit() and 1 <= int(days) <= 366 else DEFAULT_DAYS
    schools = known_schools(current_app.config["SETTINGS"].knowledge_dir)
    school = request.args.get("school") or None
    # An editor reads its own school's figures.
    school = user().school if user().school else (school if school in schools else None)
    language = request.args.get("language") or None
    language = language if language in LANGUAGES else None
    first = today - timedelta(days=count - 1)
    usage = read_usage(current_app.config["ENGINE"], first, today, school=school, language=language)
    return usage, {"days": str(count), "school": school, "language": language}


@blueprint.route("/")
@allow(*ALL_ROLES)
def index() -> str:
    """Charts and figures for the chosen period, school and language."""
    usage, filters = _usage()
    days = usage.days
    chart = daily_chart(
        days,
        [usage.messages_per_day[day] for day in days],
        [usage.conversations_per_day[day] for day in days],
        word("usage_messages"),
        word("usage_conversations"),
        word("usage_chart_title", first=usage.first_day, last=usage.last_day),
    )
    counts = [
        (word("usage_fallback"), usage.fallback_messages, usage.messages),
        (word("usage_handoff"), usage.handoff_conversations, usage.conversations),
        (word("usage_unhelpful"), usage.unhelpful_ratings, usage.ratings),
    ]
    rates = [(label, percent(part, whole)) for label, part, whole in counts]
    return render_template(
        "dashboard.html",
        usage=usage,
        chart=chart,
        rates_chart=rates_chart(counts, word("usage_rates")),
        rates=rates,
        topics=usage.topics.most_common(TOP_TOPICS),
        filters=filters,
        schools=sorted(known_schools(current_app.config["SETTINGS"].knowledge_dir)),
        languages=LANGUAGES,
    )


def _cell(value: object) -> object:
    """A value a spreadsheet will not read as a formula."""
    return f"'{value}" if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


@blueprint.route("/usage.csv")
@allow(*ALL_ROLES)
def export() -> Response:
    """The daily figures and the period's rates as CSV."""
    usage, filters = _usage()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["day", "conversations", "student messages"])
    for day in usage.days:
        writer.writerow([day.isoformat(), usage.conversations_per_day[day], usage.messages_per_day[day]])
    writer.writerow([])
    writer.writerow(["measure", "count", "of", "rate"])
    writer.writerow(
        ["fallback messages", usage.fallback_messages, usage.messages, percent(usage.fallback_messages, usage.messages)]
    )
    writer.writerow(
        [
            "handoff conversations",
            usage.handoff_conversations,
            usage.conversations,
            percent(usage.handoff_conversations, usage.conversations),
        ]
    )
    writer.writerow(
        ["unhelpful ratings", usage.unhelpful_ratings, usage.ratings, percent(usage.unhelpful_ratings, usage.ratings)]
    )
    writer.writerow([])
    writer.writerow(["topic", "messages"])
    for topic, count in usage.topics.most_common():
        writer.writerow([_cell(topic), count])
    name = f"usage-{usage.first_day}-{usage.last_day}-{filters['school'] or 'all'}-{filters['language'] or 'all'}.csv"
    return Response(
        buffer.getvalue(), mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={name}"}
    )
