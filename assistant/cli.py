"""The `assistant` command: everything staff and developers run."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from assistant.config import get_settings


class AssistantGroup(click.Group):
    """Reports database failures in one plain sentence instead of a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            return super().invoke(ctx)
        except SQLAlchemyError as error:
            url = _safe_url(get_settings().database_url)
            click.echo(f"Database error on {url}: {error.__class__.__name__}: {getattr(error, 'orig', error)}", err=True)
            click.echo("Check DATABASE_URL and that the database is running; `assistant db upgrade` updates the schema.", err=True)
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
            click.echo(
                f"  {change.name}: {change.added} added, {change.changed} changed, {change.removed} removed"
            )
    click.echo(f"Imported {sum(change.total for change in changes)} entries. The assistant uses them now.")


@db.command("export")
@click.option("--dir", "directory", type=click.Path(file_okay=False), help="Folder to write to.")
def db_export(directory: str | None) -> None:
    """Write the database back to knowledge files."""
    from assistant.knowledge.store import export_knowledge

    for path in export_knowledge(_knowledge_dir(directory)):
        click.echo(f"  wrote {path}")


@main.command("train")
@click.option("--force", is_flag=True, help="Train even if nothing changed.")
def train_command(force: bool) -> None:
    """Train the NLU and dialogue model (skipped when data and config are unchanged)."""
    from assistant.runner import train

    model = train(get_settings().models_dir, force=force, progress=click.echo)
    click.echo(f"Model: {model}")


@main.command("run")
@click.option("--skip-import", is_flag=True, help="Use the database as it is.")
def run_command(skip_import: bool) -> None:
    """Build the database, train if needed, start both servers and keep them running (Ctrl-C stops all)."""
    import signal
    import time

    from assistant.db.migrate import upgrade
    from assistant.runner import Services, train

    settings = get_settings()
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
    click.echo("[2/4] Model: training only if the training data or configuration changed")
    model = train(settings.models_dir, progress=lambda line: click.echo(f"      {line}"))
    click.echo("[3/4] Starting the servers")
    services = Services(settings, model)

    def stop(signal_number: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        ready_after = services.start(progress=lambda line: click.echo(f"      {line}"))
        click.echo(f"[4/4] Ready in {ready_after:.0f} s. Talk to the assistant:")
        click.echo(f"      REST:      POST http://localhost:{settings.rasa_port}/webhooks/rest/webhook")
        click.echo(
            f"      example:   curl -s localhost:{settings.rasa_port}/webhooks/rest/webhook "
            "-d '{\"sender\": \"me\", \"message\": \"Which partner universities do you have in Spain?\"}'"
        )
        click.echo(f"      socket.io: http://localhost:{settings.rasa_port}/socket.io")
        click.echo("      Ctrl-C stops everything.")
        while True:
            crashed = services.crashed()
            if crashed is not None:
                click.echo(f"The {crashed.name} stopped unexpectedly:\n{crashed.log_tail()}", err=True)
                sys.exit(1)
            time.sleep(1)
    except KeyboardInterrupt:
        click.echo("\nStopping ...")
    except RuntimeError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    finally:
        services.stop()
        click.echo("All servers stopped.")


@main.group()
def nlu() -> None:
    """Check and measure the training phrases (data/nlu/)."""


@nlu.command("cross-validate")
@click.option("--folds", default=5, show_default=True, help="Number of folds.")
@click.option("--report", default="reports/nlu_cross_validation.md", show_default=True, help="Where to write the report.")
def nlu_cross_validate(folds: int, report: str) -> None:
    """Train and test the NLU model on k folds; report precision, recall and F1 per intent and language."""
    from assistant.config import PROJECT_ROOT
    from assistant.evaluation import LANGUAGES, cross_validate, macro_f1, write_report

    predictions = cross_validate(folds=folds, progress=click.echo)
    path = PROJECT_ROOT / report
    write_report(predictions, path, folds)
    for language in LANGUAGES:
        click.echo(f"{language}: macro F1 {macro_f1(predictions, language):.3f}")
    click.echo(f"Report: {path}")


@main.command("bench")
@click.option("--keep-workdir", is_flag=True, help="Keep the temporary database, models and logs (path printed).")
def bench_command(keep_workdir: bool) -> None:
    """Measure accuracy against two baselines, latency, throughput and resources; write docs/benchmarks.md."""
    import warnings

    import sanic  # noqa: F401  (sanic adds a warnings filter when imported: ours must come after it to win)

    # The libraries' deprecation notices would drown the progress lines.
    warnings.filterwarnings("ignore")
    from assistant.bench.run import run_benchmark

    try:
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
