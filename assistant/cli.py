"""The `assistant` command: everything staff and developers run."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from assistant.config import ConfigurationError, Settings, get_settings


class AssistantGroup(click.Group):
    """Reports database failures in one plain sentence instead of a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return super().invoke(ctx)
        except ConfigurationError as error:
            click.echo(f"Configuration error: {error}", err=True)
            sys.exit(2)
        except SQLAlchemyError as error:
            url = _safe_url(get_settings().database_url)
            click.echo(
                f"Database error on {url}: {error.__class__.__name__}: {getattr(error, 'orig', error)}", err=True
            )
            click.echo(
                "Check DATABASE_URL and that the database is running; `assistant db upgrade` updates the schema.",
                err=True,
            )
            sys.exit(2)


@click.group(cls=AssistantGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Study-abroad assistant of the Paris Cité and Lille medical schools."""


@main.group()
def db() -> None:
    """Check, import and export the knowledge files (data/knowledge/)."""


def _knowledge_dir(directory: str | None) -> Path:
    return Path(directory) if directory else get_settings().knowledge_dir


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Schema revision to reach.")
def db_upgrade(revision: str) -> None:
    """Create or update the database schema (Alembic migrations)."""
    from assistant.db.migrate import upgrade

    upgrade(revision=revision)
    click.echo(f"Database schema at revision {revision}.")


@db.command("downgrade")
@click.option("--revision", default="base", show_default=True, help="Schema revision to go back to.")
def db_downgrade(revision: str) -> None:
    """Take the database schema back to an earlier revision."""
    from assistant.db.migrate import downgrade

    downgrade(revision=revision)
    click.echo(f"Database schema at revision {revision}.")


@db.command("check")
@click.option("--dir", "directory", type=click.Path(file_okay=False), help="Knowledge folder.")
def db_check(directory: str | None) -> None:
    """Check the knowledge files; report every problem with file and line."""
    from assistant.knowledge.loader import KnowledgeError, load_knowledge

    folder = _knowledge_dir(directory)
    try:
        knowledge = load_knowledge(folder)
    except KnowledgeError as error:
        _report_problems(folder, error)
        sys.exit(1)
    total = sum(len(entries) for entries in knowledge.entries.values())
    click.echo(f"All {len(knowledge.entries)} knowledge files are valid ({total} entries).")


@db.command("import")
@click.option("--dir", "directory", type=click.Path(file_okay=False), help="Knowledge folder.")
def db_import(directory: str | None) -> None:
    """Load the knowledge files into the database, all or nothing."""
    from assistant.db.migrate import upgrade
    from assistant.knowledge.loader import KnowledgeError, load_knowledge
    from assistant.knowledge.store import import_knowledge

    folder = _knowledge_dir(directory)
    click.echo(f"Checking {folder} ...")
    try:
        knowledge = load_knowledge(folder)
    except KnowledgeError as error:
        _report_problems(folder, error)
        click.echo("Nothing was imported: the database is unchanged.", err=True)
        sys.exit(1)
    upgrade()
    changes = import_knowledge(knowledge, progress=lambda line: click.echo(f"  importing {line}"))
    for change in changes:
        if change.added or change.removed or change.changed:
            click.echo(f"  {change.name}: {change.added} added, {change.changed} changed, {change.removed} removed")
    click.echo(f"Imported {sum(change.total for change in changes)} entries. The assistant uses them now.")


@db.command("export")
@click.option("--dir", "directory", type=click.Path(file_okay=False), help="Folder to write to.")
def db_export(directory: str | None) -> None:
    """Write the database back to knowledge files."""
    from assistant.knowledge.store import export_knowledge

    for path in export_knowledge(_knowledge_dir(directory)):
        click.echo(f"  wrote {path}")


@main.command("train")
@click.option(
    "--force", is_flag=True, help="Train even if nothing changed, and use the new model even if it scores worse."
)
def train_command(force: bool) -> None:
    """Train the NLU and dialogue model (skipped when data and config are unchanged).

    The new model is compared with the live one on the held-out questions and
    replaces it only if it is at least as good; a worse one is kept aside in
    models/refused/ and the assistant keeps using the live model.
    """
    from assistant.server.runner import train

    try:
        model = train(get_settings().models_dir, force=force, progress=click.echo)
    except RuntimeError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    click.echo(f"Live model: {model}")


@main.command("run")
@click.option("--skip-import", is_flag=True, help="Use the database as it is.")
@click.option(
    "--replicas",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Rasa servers behind HAProxy (more than 1: the topology of docs/deploy.md on this machine).",
)
@click.option(
    "--action-replicas",
    type=click.IntRange(min=1),
    help="Action servers behind HAProxy (with --replicas; default: as many as --replicas).",
)
def run_command(skip_import: bool, replicas: int, action_replicas: int | None) -> None:
    """Build the database, train if needed, start the servers and the demo web pages (Ctrl-C stops all).

    Conversations older than the retention period (RETENTION_DAYS) are deleted at start and then daily.
    With --replicas 2 or more, Rasa servers and action servers run behind HAProxy on the same ports, sharing
    PostgreSQL and Redis (started in var/cluster/ when DATABASE_URL or REDIS_URL does not name one).
    """
    import os
    from contextlib import ExitStack

    from assistant.server.cluster import shared_engines

    settings = get_settings()
    topology = (replicas, action_replicas or replicas) if replicas > 1 or action_replicas else None
    with ExitStack() as stack:
        if topology is not None:
            engines = shared_engines(settings, progress=lambda line: click.echo(f"      {line}"))
            settings = stack.enter_context(engines).settings
            # This process's own database work (schema, import, purge) goes to the shared database too.
            os.environ.update(DATABASE_URL=settings.database_url, REDIS_URL=settings.redis_url or "")
        _run(settings, skip_import, topology)


def _run(settings: Settings, skip_import: bool, replicas: tuple[int, int] | None) -> None:
    import signal
    import time

    from assistant.config import PROJECT_ROOT
    from assistant.db.migrate import upgrade
    from assistant.server.runner import DailyPurge, ModelWatch, Replicas, Services, train
    from assistant.web.server import demo_page_urls
    from assistant.wording import WordingError, load_wording

    click.echo(f"[1/4] Database: {_safe_url(settings.database_url)}")
    upgrade()
    if not skip_import:
        from assistant.knowledge.loader import KnowledgeError, load_knowledge
        from assistant.knowledge.store import import_knowledge

        try:
            knowledge = load_knowledge(settings.knowledge_dir)
        except KnowledgeError as error:
            _report_problems(settings.knowledge_dir, error)
            sys.exit(1)
        changes = import_knowledge(knowledge)
        click.echo(f"      {sum(change.total for change in changes)} knowledge entries imported")
    try:
        load_wording(settings.wording_dir, PROJECT_ROOT)
    except WordingError as error:
        _report_problems(settings.wording_dir, error)
        sys.exit(1)
    click.echo("[2/4] Model: training only if the training data or configuration changed")
    model = train(settings.models_dir, progress=lambda line: click.echo(f"      {line}"))
    click.echo("[3/4] Starting the servers")
    topology = None if replicas is None else Replicas.next_to(settings, *replicas)
    if topology is not None:
        click.echo(
            f"      {len(topology.rasa_ports)} Rasa servers (ports {', '.join(map(str, topology.rasa_ports))}) and "
            f"{len(topology.action_ports)} action servers (ports {', '.join(map(str, topology.action_ports))}) "
            f"behind HAProxy on {settings.rasa_port} and {settings.action_port}; Redis {settings.redis_url}"
        )
    services = Services(settings, model, replicas=topology, console=True)

    def stop(signal_number: int, _frame: object) -> None:
        raise KeyboardInterrupt

    # Set for SIGINT too: a process started in the background inherits SIGINT ignored, and Ctrl-C must still stop it.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        ready_after = services.start(progress=lambda line: click.echo(f"      {line}"))
        click.echo(f"[4/4] Ready in {ready_after:.0f} s. Talk to the assistant:")
        click.echo(f"      REST:      POST http://localhost:{settings.rasa_port}/webhooks/rest/webhook")
        click.echo(
            f"      example:   curl -s localhost:{settings.rasa_port}/webhooks/rest/webhook "
            '-d \'{"sender": "me", "message": "Which partner universities do you have in Spain?"}\''
        )
        click.echo(f"      socket.io: http://localhost:{settings.rasa_port}/socket.io")
        for school, url in demo_page_urls(f"http://localhost:{settings.web_port}").items():
            click.echo(f"      web page ({school}): {url}")
        click.echo(f"      staff console: http://localhost:{settings.staff_port}/ (accounts: assistant staff add-user)")
        click.echo("      Ctrl-C stops everything.")
        daily_purge = DailyPurge(settings, progress=lambda line: click.echo(f"      purge: {line}"))
        models = ModelWatch(settings.models_dir)
        while True:
            daily_purge.run_if_due()
            promoted = models.new_model()
            if promoted is not None:
                click.echo(f"      new live model {promoted.name}: restarting the Rasa server with it")
                services.serve_model(promoted)
            crashed = services.crashed()
            if crashed is not None and topology is not None and crashed.name.startswith(("Rasa", "action server")):
                # The other replicas go on meanwhile (HAProxy took this one out); it comes back once it answers.
                click.echo(f"      the {crashed.name} stopped unexpectedly: starting it again", err=True)
                services.restart(crashed)
                click.echo(f"      the {crashed.name} is back")
            elif crashed is not None:
                click.echo(f"The {crashed.name} stopped unexpectedly:\n{crashed.log_tail()}", err=True)
                sys.exit(1)
            time.sleep(1)
    except KeyboardInterrupt:
        click.echo("\nStopping ...")
    except RuntimeError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    finally:
        from assistant.staff.retrain import stop_job

        services.stop()
        stop_job(settings.models_dir)
        click.echo("All servers stopped.")


@main.command("balancer")
@click.option("--rasa", "rasa_servers", required=True, help="The Rasa servers, host:port,host:port,...")
@click.option("--actions", "action_servers", required=True, help="The action servers, host:port,host:port,...")
@click.option("--rasa-port", default=5005, show_default=True, help="Where students (the widget) connect.")
@click.option("--action-port", default=5055, show_default=True, help="Where the Rasa servers call the actions.")
@click.option("--out", type=click.Path(dir_okay=False), default="haproxy.cfg", show_default=True)
def balancer_command(rasa_servers: str, action_servers: str, rasa_port: int, action_port: int, out: str) -> None:
    """Write the HAProxy configuration of the load-balancer host for Rasa and action servers on other hosts
    (docs/deploy.md); `assistant run --replicas` writes the same for this machine."""
    from assistant.server.balancer import haproxy_config, write_config

    def addresses(text: str) -> list[str]:
        return [address.strip() for address in text.split(",") if address.strip()]

    try:
        config = haproxy_config(addresses(rasa_servers), addresses(action_servers), rasa_port, action_port)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    click.echo(f"Wrote {write_config(Path(out), config)}; check it with `haproxy -c -f {out}`.")


@main.group()
def staff() -> None:
    """The staff console's accounts (the console itself is started by `assistant run`)."""


@staff.command("add-user")
@click.argument("username")
@click.option(
    "--role", type=click.Choice(["administrator", "editor", "reviewer"]), required=True, help="What the account may do."
)
@click.option("--school", help="The school an editor edits (upc-medicine or lille-medicine).")
def staff_add_user(username: str, role: str, school: str | None) -> None:
    """Create a console account; the password is asked for (twice), never given on the command line."""
    from assistant.db.migrate import upgrade
    from assistant.db.session import get_engine
    from assistant.metadata import known_schools
    from assistant.staff.accounts import AccountError, create_user

    password = click.prompt("Password (at least 12 characters)", hide_input=True, confirmation_prompt=True)
    upgrade()
    try:
        create_user(get_engine(), username, password, role, school, known_schools())
    except AccountError as error:
        click.echo(f"Not created: {error}.", err=True)
        sys.exit(1)
    click.echo(f"Account {username!r} created ({role}{f' of {school}' if school else ''}).")


@main.group()
def nlu() -> None:
    """Check and measure the training phrases (data/nlu/)."""


@nlu.command("cross-validate")
@click.option("--folds", default=5, show_default=True, help="Number of folds.")
@click.option(
    "--report", default="reports/nlu_cross_validation.md", show_default=True, help="Where to write the report."
)
def nlu_cross_validate(folds: int, report: str) -> None:
    """Train and test the NLU model on k folds; report precision, recall and F1 per intent and language."""
    from assistant.config import PROJECT_ROOT
    from assistant.staff.evaluation import LANGUAGES, cross_validate, macro_f1, write_report

    predictions = cross_validate(folds=folds, progress=click.echo)
    path = PROJECT_ROOT / report
    write_report(predictions, path, f"NLU cross-validation ({folds} folds, stratified by intent and language)")
    for language in LANGUAGES:
        click.echo(f"{language}: macro F1 {macro_f1(predictions, language):.3f}")
    click.echo(f"Report: {path}")


@nlu.command("check")
@click.option(
    "--minimum",
    default=25,
    show_default=True,
    type=click.IntRange(min=1),
    help="Fewest examples advised per intent and language (fewer is a warning; one phrase trains).",
)
@click.option("--skip-rasa", is_flag=True, help="Only our own checks (Rasa's validator takes up to a minute).")
@click.option(
    "--project", type=click.Path(file_okay=False, exists=True), hidden=True, help="Another copy of the project."
)
def nlu_check(minimum: int, skip_rasa: bool, project: str | None) -> None:
    """Check the training phrases and the wording; explain every problem with file and line (exit 1 on errors).

    Checks that every intent has examples in English and in French (fewer than
    --minimum is a warning: one phrase trains), that no phrase is under two intents, that intents and entities are
    those of domain.yml, flags nearly identical phrases under different intents,
    checks the wording files (data/wording/: every entry the assistant sends, in
    English and French, with its placeholders), and runs Rasa's own validator
    (rasa data validate).
    """
    from assistant.config import PROJECT_ROOT
    from assistant.staff.nlu_check import check_training_phrases, rasa_validate

    root = Path(project) if project else PROJECT_ROOT
    click.echo(
        f"Checking the training phrases in {root / 'data' / 'nlu'} (en, fr) and the wording in {root / 'data' / 'wording'} ..."
    )
    problems = check_training_phrases(root, minimum)
    for problem in problems:
        click.echo(f"  {problem}")
    errors = sum(problem.error for problem in problems)
    warnings = len(problems) - errors
    if not skip_rasa:
        passed, messages = rasa_validate(root, progress=lambda line: click.echo(f"  {line}"))
        for message in messages:
            click.echo(f"  Rasa's validator: {message}")
        warnings += len(messages) if passed else 0
        errors += 0 if passed else 1
        click.echo(f"  Rasa's validator: {'passed' if passed else 'FAILED (see its messages above)'}")
    click.echo(f"{errors} error(s), {warnings} warning(s).")
    if errors:
        click.echo("Fix the errors, then run `assistant nlu check` again before `assistant train`.", err=True)
        sys.exit(1)


@main.command("evaluate")
@click.option(
    "--report", "report_path", default="reports/evaluation.md", show_default=True, help="Where to write the report."
)
@click.option(
    "--answers",
    is_flag=True,
    help="Also ask the held-out question set and each blind set through the real servers (reports/heldout.md, "
    "reports/<set>.md): answers right, and reply lengths.",
)
def evaluate_command(report_path: str, answers: bool) -> None:
    """Score the live model on the held-out questions; per-intent precision, recall and F1 per language.

    The held-out questions (tests/data/heldout/) are never trained on. The
    report also lists the pairs of intents most often confused, with examples.
    Only the intent is scored (NLU), in this process: no server is started.
    """
    from assistant.config import PROJECT_ROOT
    from assistant.server.runner import latest_model
    from assistant.staff.evaluation import LANGUAGES, macro_f1, write_report
    from assistant.staff.scoring import predict_heldout, score

    model = latest_model(get_settings().models_dir)
    if model is None:
        click.echo("No trained model yet: run `assistant train` first.", err=True)
        sys.exit(1)
    click.echo(f"Scoring the live model {model.name} on the held-out questions ...")
    predictions = predict_heldout(model, progress=lambda line: click.echo(f"  {line}"))
    path = PROJECT_ROOT / report_path
    write_report(predictions, path, f"Live model {model.name} on the held-out questions (NLU intents only)")
    click.echo(f"Right intent: {score(predictions)}")
    for language in LANGUAGES:
        click.echo(f"{language}: macro F1 {macro_f1(predictions, language):.3f}")
    click.echo(f"Report: {path}")
    if answers:
        _evaluate_answers(model)


def _evaluate_answers(model: Path) -> None:
    """The question sets through the real servers, started on free ports over a throwaway copy of the knowledge."""
    from assistant.bench.client import ask_text
    from assistant.bench.workspace import workspace
    from assistant.config import PROJECT_ROOT
    from assistant.db.migrate import upgrade
    from assistant.db.session import create_db_engine
    from assistant.knowledge.loader import load_knowledge
    from assistant.knowledge.store import import_knowledge
    from assistant.server.runner import Services
    from assistant.staff import blind, heldout

    with workspace() as space:
        upgrade(space.database_url)
        engine = create_db_engine(space.database_url, timeout_seconds=10)
        import_knowledge(load_knowledge(get_settings().knowledge_dir), engine)
        engine.dispose()
        settings = space.settings()
        services = Services(settings, model, log_dir=space.logs_dir)
        click.echo("Starting the servers to ask the question sets ...")
        services.start(timeout_seconds=240)
        url = f"http://127.0.0.1:{settings.rasa_port}"
        try:
            questions = heldout.load_heldout()
            click.echo(f"  asking the {len(questions)} held-out questions ...")
            held = heldout.run_heldout(lambda text, metadata: ask_text(url, text, metadata), questions)
            played = {}
            for name, directory in blind.BLIND_SETS.items():
                conversations = blind.load_conversations(directory)
                if conversations:
                    click.echo(f"  playing the {len(conversations)} conversations of the {name} set ...")
                    played[name] = blind.run_conversations(
                        lambda sender, text, metadata: ask_text(url, text, metadata, sender), conversations
                    )
        finally:
            services.stop()
    heldout.write_report(held, PROJECT_ROOT / "reports" / "heldout.md")
    summaries = [("held-out", heldout.pass_rates(held), heldout.length_summary([len(o.answer) for o in held]))]
    for name, turns in played.items():
        blind.write_report(turns, PROJECT_ROOT / "reports" / f"{name}.md", f"Conversations of the {name} set")
        summaries.append((name, blind.turn_pass_rates(turns), heldout.length_summary([len(o.answer) for o in turns])))
    for title, rates, lengths in summaries:
        shown = ", ".join(
            f"{language} {100 * passed / total:.1f} %" for language, (passed, total) in sorted(rates.items())
        )
        click.echo(
            f"{title}: answered right {shown}; reply length median {lengths['median']}, p90 {lengths['p90']}, "
            f"max {lengths['max']} characters"
        )
    click.echo("Reports: reports/heldout.md, " + ", ".join(f"reports/{name}.md" for name in played))


def _since(days: int, since: datetime | None) -> datetime:
    from datetime import timedelta, timezone

    if since is not None:
        return since.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc) - timedelta(days=days)


@main.command("review")
@click.option("--days", default=30, show_default=True, type=click.IntRange(min=1), help="Look at the last DAYS days.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Look from this day on (YYYY-MM-DD) instead.")
@click.option(
    "--below",
    default=0.5,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Confidence under which an understood message counts as doubtful.",
)
@click.option(
    "--export",
    "export_path",
    type=click.Path(dir_okay=False),
    help="Also write them as training data (YAML) to this file.",
)
def review_command(days: int, since: datetime | None, below: float, export_path: str | None) -> None:
    """List student messages the assistant did not handle well, similar ones grouped, newest first.

    Fallbacks (not understood), low confidence, out of scope, and answers the
    student marked unhelpful in the web page. With --export FILE, writes them as
    Rasa training data under the intent the model found likeliest (its second
    guess when it did not understand), for staff to correct and merge.
    """
    from assistant.db.migrate import upgrade
    from assistant.db.session import get_engine
    from assistant.staff.review import export_training_data, find_missed, group_similar
    from assistant.text import printable

    start = _since(days, since)
    upgrade()
    missed = find_missed(get_engine(), since=start, low_confidence=below)
    groups = group_similar(missed)
    click.echo(
        f"{len(missed)} message(s) not handled well since {start:%Y-%m-%d %H:%M} UTC, in {len(groups)} group(s), newest first:"
    )
    for group in groups:
        newest = group.newest
        click.echo("")
        click.echo(f'{len(group.messages):>4} x  "{printable(newest.text, 100)}"  [{", ".join(group.reasons)}]')
        click.echo(
            f"        likeliest intent: {printable(newest.likeliest_intent or 'none')} · language: "
            f"{newest.language or '?'} · newest {newest.time:%Y-%m-%d %H:%M} UTC"
        )
        conversations = [printable(conversation, 80) for conversation in group.conversations]
        more = f" (+{len(conversations) - 3} more)" if len(conversations) > 3 else ""
        click.echo(f"        conversation(s): {', '.join(conversations[:3])}{more}")
        for other in group.messages[1:4]:
            click.echo(f'        also: "{printable(other.text, 100)}"')
    if export_path:
        counts = export_training_data(missed, Path(export_path))
        click.echo("")
        click.echo(f"Wrote {sum(counts.values())} phrase(s) under {len(counts)} intent(s) to {export_path}.")
        click.echo(
            "Correct each intent, move each phrase to data/nlu/en/ or data/nlu/fr/, then run "
            "`assistant nlu check` and `assistant train`."
        )


@main.command("report")
@click.option(
    "--days", default=30, show_default=True, type=click.IntRange(min=1), help="The last DAYS days, today included."
)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD) instead.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day (YYYY-MM-DD), default today.")
@click.option(
    "--chart", default="reports/usage.png", show_default=True, help="Where to write the PNG chart of the daily trend."
)
def report_command(days: int, since: datetime | None, until: datetime | None, chart: str) -> None:
    """How the assistant is used: conversations and messages per day, languages, schools, topics, rates.

    Days are counted in Paris time. Also counts the conversations students erased (nothing else of them is
    kept), and writes a chart of the daily trend.
    """
    from datetime import timedelta

    from tabulate import tabulate

    from assistant.config import PROJECT_ROOT
    from assistant.db.migrate import upgrade
    from assistant.db.session import get_engine
    from assistant.staff.usage import SCHOOL_TIME, percent, read_usage, write_chart
    from assistant.text import printable

    last_day = until.date() if until else datetime.now(SCHOOL_TIME).date()
    first_day = since.date() if since else last_day - timedelta(days=days - 1)
    if first_day > last_day:
        click.echo("--since must be on or before --until.", err=True)
        sys.exit(2)
    upgrade()
    usage = read_usage(get_engine(), first_day, last_day)
    click.echo(f"Use of the assistant from {first_day} to {last_day} (Paris time)\n")
    rows = [(day, usage.conversations_per_day[day], usage.messages_per_day[day]) for day in usage.days]
    click.echo(tabulate(rows, headers=["day", "conversations", "student messages"]))
    click.echo("")
    rates = [
        ("conversations", usage.conversations),
        ("student messages", usage.messages),
        (
            "not understood (fallback)",
            f"{usage.fallback_messages} of {usage.messages} messages ({percent(usage.fallback_messages, usage.messages)})",
        ),
        (
            "asked for a person (handoff)",
            f"{usage.handoff_conversations} of {usage.conversations} conversations ({percent(usage.handoff_conversations, usage.conversations)})",
        ),
        (
            "answers rated unhelpful",
            f"{usage.unhelpful_ratings} of {usage.ratings} rated ({percent(usage.unhelpful_ratings, usage.ratings)})",
        ),
        ("conversations erased by students", usage.erasures),
    ]
    click.echo(tabulate(rates, tablefmt="plain"))
    for title, counter, unit in (
        ("language", usage.languages, "messages"),
        ("school", usage.schools, "conversations"),
        ("topic (intent)", usage.topics, "messages"),
    ):
        click.echo("")
        shown = [(printable(str(value), 60), count) for value, count in counter.most_common(10)]
        click.echo(tabulate(shown, headers=[title, unit]))
    path = write_chart(usage, PROJECT_ROOT / chart)
    click.echo(f"\nChart of the daily trend: {path}")


@main.command("purge")
def purge_command() -> None:
    """Delete conversations and answer ratings older than the retention period (RETENTION_DAYS).

    `assistant run` does this at start and then once a day.
    """
    from assistant.db.migrate import upgrade
    from assistant.db.session import get_engine
    from assistant.staff.purge import purge

    settings = get_settings()
    upgrade()
    click.echo(f"Retention period: {settings.retention_days} days (RETENTION_DAYS).")
    click.echo(purge(get_engine(), settings.retention_days).summary())


@main.command("bench")
@click.option("--keep-workdir", is_flag=True, help="Keep the temporary database, models and logs (path printed).")
@click.option(
    "--only",
    type=click.Choice(["external", "scale"]),
    default=None,
    help="Run one section alone and rewrite only it: `external` (HINT3 real-user queries, about 10 min), `scale` "
    "(realistic load on one process and on the topology, long conversation, saturation; about 8 min).",
)
def bench_command(keep_workdir: bool, only: str | None) -> None:
    """Measure accuracy against the baselines (on our held-out questions and on HINT3's real-user queries),
    latency, throughput and resources; write docs/benchmarks.md."""
    import warnings

    import sanic  # noqa: F401  (sanic adds a warnings filter when imported: ours must come after it to win)

    # The libraries' deprecation notices would drown the progress lines.
    warnings.filterwarnings("ignore")
    from assistant.bench.run import run_benchmark, run_external_only, run_scale_only

    try:
        if only == "external":
            run_external_only(echo=click.echo, keep_workspace=keep_workdir)
        elif only == "scale":
            run_scale_only(echo=click.echo, keep_workspace=keep_workdir)
        else:
            run_benchmark(echo=click.echo, keep_workspace=keep_workdir)
    except RuntimeError as error:
        click.echo(f"The benchmark stopped: {error}", err=True)
        sys.exit(1)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _report_problems(folder: Path, error: Exception) -> None:
    problems = getattr(error, "problems", [])
    click.echo(f"{len(problems)} problem(s) in {folder}:", err=True)
    for problem in problems:
        click.echo(f"  {problem}", err=True)


if __name__ == "__main__":
    main()
