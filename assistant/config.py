"""Settings read from the environment, in one place.

Every process (CLI, action server, Rasa server components, tests) reads its
configuration here, so an environment variable means the same thing everywhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REPORTS_DIR = PROJECT_ROOT / "reports"
# Conversations and feedback are kept this many days, then deleted by `assistant purge` and `assistant run`.
DEFAULT_RETENTION_DAYS = 180


class ConfigurationError(ValueError):
    """An environment variable holds a value the assistant cannot use."""


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the assistant."""

    database_url: str
    knowledge_dir: Path
    wording_dir: Path
    models_dir: Path
    rasa_port: int
    action_port: int
    web_port: int
    cors_origins: tuple[str, ...]
    db_timeout_seconds: float
    retention_days: int
    rasa_workers: int = 1
    redis_url: str | None = None


def default_database_url() -> str:
    """SQLite file in the git-ignored `var/` folder of the project."""
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'assistant.db'}"


def get_settings() -> Settings:
    """Read the settings from the environment, with the embedded defaults."""
    web_port = int(os.environ.get("WEB_PORT", "8080"))
    redis_url = os.environ.get("REDIS_URL") or None
    default_origins = f"http://localhost:{web_port},http://127.0.0.1:{web_port}"
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or default_database_url(),
        knowledge_dir=Path(os.environ.get("KNOWLEDGE_DIR", PROJECT_ROOT / "data" / "knowledge")),
        wording_dir=Path(os.environ.get("WORDING_DIR", PROJECT_ROOT / "data" / "wording")),
        models_dir=Path(os.environ.get("MODELS_DIR", PROJECT_ROOT / "models")),
        rasa_port=int(os.environ.get("RASA_PORT", "5005")),
        action_port=int(os.environ.get("ACTION_PORT", "5055")),
        web_port=web_port,
        cors_origins=tuple(
            origin.strip() for origin in os.environ.get("CORS_ORIGINS", default_origins).split(",") if origin.strip()
        ),
        db_timeout_seconds=float(os.environ.get("DB_TIMEOUT_SECONDS", "3")),
        retention_days=_positive_int("RETENTION_DAYS", DEFAULT_RETENTION_DAYS),
        rasa_workers=_rasa_workers(redis_url),
        redis_url=redis_url,
    )


def _rasa_workers(redis_url: str | None) -> int:
    """RASA_WORKERS: how many Rasa server processes share the conversations (they need a Redis lock store)."""
    workers = _positive_int("RASA_WORKERS", 1)
    if workers > 1 and not redis_url:
        raise ConfigurationError(
            f"RASA_WORKERS={workers} needs REDIS_URL (redis://host:port/db): several Rasa processes keep each "
            "conversation's messages in order through a Redis lock store"
        )
    return workers


def _positive_int(name: str, default: int) -> int:
    """A whole number of at least 1 from the environment, or a plain error naming the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigurationError(f"{name} must be a whole number of at least 1 (it is {raw!r})")
    return int(raw)
