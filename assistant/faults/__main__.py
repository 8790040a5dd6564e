"""`python -m assistant.faults [--short]` (`make faults`): run the fault suite, print its table, write it to
reports/faults.md; exit 1 when a target is missed."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from assistant.config import REPORTS_DIR
from assistant.faults.scenarios import SCENARIOS
from assistant.faults.suite import FULL, SHORT, run_suite, table


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m assistant.faults", description=__doc__)
    parser.add_argument("--short", action="store_true", help="the short form `make test` runs (fewer students)")
    parser.add_argument("--only", metavar="WORDS", help="only the scenarios whose name holds these words")
    arguments = parser.parse_args()
    scenarios = [scenario for scenario in SCENARIOS if not arguments.only or arguments.only in scenario.name]
    plan = SHORT if arguments.short else FULL
    started = time.monotonic()

    def progress(line: str) -> None:
        print(f"[{(time.monotonic() - started) / 60:4.1f} min] {line}", flush=True)

    with tempfile.TemporaryDirectory(prefix="faults-") as work:
        results = run_suite(Path(work), plan, scenarios, progress=progress)
    report = table(results)
    print(report)
    REPORTS_DIR.mkdir(parents=True, exist_ok=True)
    written = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    (REPORTS_DIR / "faults.md").write_text(
        f"# Fault suite ({'short' if arguments.short else 'full'} form, {plan.students} students, {written}, "
        f"{(time.monotonic() - started) / 60:.1f} min)\n\n{report}\n",
        encoding="utf-8",
    )
    sys.exit(1 if any(result.problems() for result in results) else 0)


if __name__ == "__main__":
    main()
