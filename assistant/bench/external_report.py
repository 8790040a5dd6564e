"""The external section of docs/benchmarks.md (HINT3), and replacing it alone in an existing report."""

from __future__ import annotations

from pathlib import Path

from assistant.bench.external import ExternalResults
from assistant.bench.external_metrics import OutOfScopeScores
from assistant.bench.hint3 import DIALOGFLOW_MCC
from assistant.bench.metrics import Spread, beats, spread

START_MARKER = "<!-- external section: start (assistant bench --only external rewrites it) -->"
END_MARKER = "<!-- external section: end -->"
FIGURES: tuple[tuple[str, str, bool], ...] = (
    ("best_mcc", "out-of-scope MCC, best threshold", False),
    ("shipped_mcc", "out-of-scope MCC, shipped decision", False),
    ("in_scope_accuracy", "in-scope accuracy (shipped)", True),
    ("out_of_scope_recall", "out-of-scope recall (shipped)", True),
)


def figure_spread(scores: list[OutOfScopeScores], figure: str) -> Spread:
    return spread([getattr(score, figure) for score in scores])


def cell(values: Spread, as_percent: bool) -> str:
    """Mean and min-max range over seeds; a single value alone."""
    scale, unit, digits = (100.0, " %", 1) if as_percent else (1.0, "", 3)
    mean = f"{scale * values.mean:.{digits}f}{unit}"
    if values.low == values.high:
        return mean
    return f"{mean} ({scale * values.low:.{digits}f}–{scale * values.high:.{digits}f})"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header), *("| " + " | ".join(r) + " |" for r in rows)]


def render_external(results: ExternalResults, written: str = "") -> list[str]:
    """The section as Markdown lines."""
    lines = [
        START_MARKER,
        "## Real users' queries: HINT3 (out of scope)",
        "",
        (f"{written} " if written else "")
        + f"Each system is trained on each bot's phrases alone (data/external/hint3/, {len(results.bots)} bot(s) of the "
        "public HINT3 benchmark; its README gives the source and the licence) and parses the bot's real test queries, "
        "of which a third or more match no intent. Out of scope is the positive class. *Best threshold*: a query "
        "counts as out of scope when its best intent's confidence is below the threshold, swept 0.00, 0.05, ..., "
        "1.00, and the best MCC is kept (an oracle: it looks at the test labels). *Shipped*: the decision the "
        "pipeline makes as configured (its FallbackClassifier; ours maps its own threshold, chosen on internal "
        "folds at training time, onto it). Mean over the seeds and, in brackets, the min–max range; the TF-IDF "
        f"baselines are deterministic and trained once. Seeds: {', '.join(str(s) for s in _seeds(results))}. "
        f"Training and parsing took {results.total_seconds / 60:.1f} min.",
        "",
    ]
    for system in results.systems:
        lines.append(f"- **{system.title}**: {system.summary}.")
    lines.append("")
    header = ["system", *(title for _, title, _ in FIGURES), "training (mean)"]
    for bot in results.bots:
        out = sum(bot.is_out_of_scope(query) for query in bot.queries)
        lines += [f"### {bot.name} ({len(bot.queries)} queries, {out} out of scope)", ""]
        rows = []
        for system in results.systems:
            scores = results.scores(system.key, bot.name)
            if not scores:
                continue
            seconds = [run.training_seconds for run in results.runs if run.system == system.key and run.bot == bot.name]
            rows.append(
                [
                    system.title,
                    *(cell(figure_spread(scores, figure), as_percent) for figure, _, as_percent in FIGURES),
                    f"{sum(seconds) / len(seconds):.0f} s",
                ]
            )
        if bot.name in DIALOGFLOW_MCC:
            rows.append(
                [
                    "Dialogflow (published predictions, whole test set)",
                    f"{DIALOGFLOW_MCC[bot.name]:.3f}",
                    "",
                    "",
                    "",
                    "",
                ]
            )
        lines += [*_table(header, rows), ""]
    lines += _margins(results)
    return [*lines, END_MARKER]


def _seeds(results: ExternalResults) -> list[int]:
    return sorted({run.seed for run in results.runs})


def _margins(results: ExternalResults) -> list[str]:
    ours = next((system for system in results.systems if system.key == "ours"), None)
    if ours is None:
        return []
    rows = []
    for bot in results.bots:
        mine = results.scores("ours", bot.name)
        for system in results.systems:
            theirs = results.scores(system.key, bot.name)
            if system.key == "ours" or not mine or not theirs:
                continue
            row = [bot.name, system.title]
            for figure in ("best_mcc", "shipped_mcc"):
                a, b = figure_spread(mine, figure), figure_spread(theirs, figure)
                won = beats(a, b)
                text = f"{a.mean - b.mean:+.3f} vs spread {max(a.width, b.width):.3f}"
                row.append(f"**yes** ({text})" if won else f"no ({text})")
            rows.append(row)
        if bot.name in DIALOGFLOW_MCC and mine:
            best = figure_spread(mine, "best_mcc")
            row = [bot.name, "Dialogflow (published, one figure)"]
            row.append(
                f"{'**yes**' if best.low > DIALOGFLOW_MCC[bot.name] else 'no'} "
                f"({best.mean - DIALOGFLOW_MCC[bot.name]:+.3f})"
            )
            rows.append([*row, ""])
    return [
        "Does ours beat each by more than the spread (the wider of the two min–max ranges)?",
        "",
        *_table(["bot", "against", "best threshold", "shipped decision"], rows),
        "",
    ]


def splice(report: str, section: list[str]) -> str:
    """The report with its external section replaced (or added at the end when it has none)."""
    return splice_between(report, section, START_MARKER, END_MARKER)


def splice_between(report: str, section: list[str], start: str, end: str) -> str:
    """The report with the section between the markers `start` and `end` replaced (or added at the end)."""
    text = "\n".join(section)
    if start in report and end in report:
        return report[: report.index(start)] + text + report[report.index(end) + len(end) :]
    return report.rstrip("\n") + "\n\n" + text + "\n"


def write_external(results: ExternalResults, path: Path, written: str = "") -> Path:
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    path.write_text(splice(existing, render_external(results, written)), encoding="utf-8")
    return path
