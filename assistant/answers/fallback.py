"""The apology sent when the database or the action server fails, with contacts read straight from the knowledge files."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ruamel.yaml import YAML

from assistant.config import get_settings

EMERGENCY_TOPICS = {"general", "exchange", "clerkship", "incoming"}
# Sent exactly when something failed, so written here rather than in data/wording/: it must not depend on a file
# that could be missing or broken, and the Rasa server's channels send it when the action server is down.
APOLOGY = {
    "en": "Sorry, I can't reach my information right now. Please try again in a moment, or write to the international "
    "office: {contacts}.",
    "fr": "Désolé, je ne peux pas consulter mes informations pour le moment. Merci de réessayer dans un instant, ou "
    "d'écrire au service des relations internationales : {contacts}.",
}


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


def apology(language: str) -> str:
    """The apology with the offices' e-mails, in French when `language` is "fr", in English otherwise."""
    return APOLOGY["fr" if language == "fr" else "en"].format(contacts=emergency_contacts())
