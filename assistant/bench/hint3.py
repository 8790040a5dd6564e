"""The HINT3 bots in data/external/hint3/: their training phrases and their labelled real-user test queries."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from assistant.config import PROJECT_ROOT

HINT3_DIR = PROJECT_ROOT / "data" / "external" / "hint3"
BOTS = ("sofmattress", "curekart")
# HINT3's published Dialogflow predictions re-scored on these labels (data/external/hint3/README.md):
# binary out-of-scope MCC at the best threshold.
DIALOGFLOW_MCC = {"sofmattress": 0.599, "curekart": 0.571}


@dataclass(frozen=True)
class Query:
    text: str
    label: str  # an intent, or the bot's out-of-scope label


@dataclass(frozen=True)
class Bot:
    """One bot: where its training phrases are (Rasa NLU YAML), its test queries and its intents."""

    name: str
    train_path: Path
    queries: tuple[Query, ...]
    intents: tuple[str, ...]
    oos_label: str

    def is_out_of_scope(self, query: Query) -> bool:
        return query.label == self.oos_label


def load_bot(name: str, root: Path = HINT3_DIR, limit: int | None = None) -> Bot:
    """A bot of the folder; with `limit`, only its first queries (the fast form the tests run).

    Raises:
        FileNotFoundError: the bot's folder or one of its files is missing.
    """
    folder = root / name
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    with (folder / "test.csv").open(encoding="utf-8", newline="") as stream:
        queries = tuple(Query(row["text"], row["label"]) for row in csv.DictReader(stream))
    return Bot(
        name=name,
        train_path=folder / "train.yml",
        queries=queries[:limit] if limit is not None else queries,
        intents=tuple(sorted(meta["intent_name_map"].values())),
        oos_label=str(meta["oos_label"]),
    )
