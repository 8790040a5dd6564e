"""Contacts to give when the database cannot be reached, read straight from the knowledge files."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ruamel.yaml import YAML

from assistant.config import get_settings

EMERGENCY_TOPICS = {"general", "exchange", "clerkship", "incoming"}


@lru_cache(maxsize=4)
def emergency_contacts(knowledge_dir: Path | None = None) -> str:
    """E-mail addresses of the international offices, from `contacts.yml`, without the database."""
    path = (knowledge_dir or get_settings().knowledge_dir) / "contacts.yml"
    try:
        entries = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or []
    except (OSError, ValueError):
        return ""
    emails = [
        entry["email"]
        for entry in entries
        if isinstance(entry, dict) and entry.get("email") and EMERGENCY_TOPICS & set(entry.get("topics") or [])
    ]
    return ", ".join(dict.fromkeys(emails))
