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
# What one client may send (assistant/server/protection.py): messages a minute and the burst allowed at once.
DEFAULT_SENDER_PER_MINUTE, DEFAULT_SENDER_BURST = 20, 10
# Per client address: several students may share one (a school's network), so more than one sender's.
DEFAULT_ADDRESS_PER_MINUTE, DEFAULT_ADDRESS_BURST = 60, 30
DEFAULT_MAX_REQUEST_BYTES = 64 * 1024
# A session holding this many student messages is closed and a new one started (slots carried over).
DEFAULT_MAX_SESSION_MESSAGES = 200
# A conversation's lock (Redis) lapses after this many seconds if its Rasa process died holding it; handling one
# message takes far less (the database and the action server answer within seconds or time out).
DEFAULT_LOCK_LIFETIME_SECONDS = 10
# An action-server call unanswered after this many seconds gives the student the apology (Rasa waited 5 minutes).
DEFAULT_ACTION_TIMEOUT_SECONDS = 3.0
DEFAULT_STAFF_PORT = 8090
# Failed sign-ins one address, or one account name, may make: a burst, then this many a minute.
DEFAULT_SIGN_IN_PER_MINUTE, DEFAULT_SIGN_IN_BURST = 2, 5


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
    sender_per_minute: int = DEFAULT_SENDER_PER_MINUTE
    sender_burst: int = DEFAULT_SENDER_BURST
    address_per_minute: int = DEFAULT_ADDRESS_PER_MINUTE
    address_burst: int = DEFAULT_ADDRESS_BURST
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    max_session_messages: int = DEFAULT_MAX_SESSION_MESSAGES
    proxies_count: int = 0
    lock_lifetime_seconds: int = DEFAULT_LOCK_LIFETIME_SECONDS
    action_timeout_seconds: float = DEFAULT_ACTION_TIMEOUT_SECONDS
    staff_port: int = DEFAULT_STAFF_PORT
    # The copy of the project whose training data the staff console teaches, checks and trains from.
    project_dir: Path = PROJECT_ROOT
    staff_secret_key: str | None = None
    staff_secure_cookies: bool = False
    sign_in_per_minute: int = DEFAULT_SIGN_IN_PER_MINUTE
    sign_in_burst: int = DEFAULT_SIGN_IN_BURST

    def environment(self) -> dict[str, str]:
        """The variables that give another process (the Rasa server) these limits."""
        return {
            "RATE_LIMIT_PER_MINUTE": str(self.sender_per_minute),
            "RATE_LIMIT_BURST": str(self.sender_burst),
            "ADDRESS_RATE_LIMIT_PER_MINUTE": str(self.address_per_minute),
            "ADDRESS_RATE_LIMIT_BURST": str(self.address_burst),
            "MAX_REQUEST_BYTES": str(self.max_request_bytes),
            "MAX_SESSION_MESSAGES": str(self.max_session_messages),
            "PROXIES_COUNT": str(self.proxies_count),
            "LOCK_LIFETIME_SECONDS": str(self.lock_lifetime_seconds),
            # Rasa's own name for it (rasa/core/lock_store.py reads it at import).
            "TICKET_LOCK_LIFETIME": str(self.lock_lifetime_seconds),
            "ACTION_TIMEOUT_SECONDS": str(self.action_timeout_seconds),
            **({"REDIS_URL": self.redis_url} if self.redis_url else {}),
        }


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
        sender_per_minute=_whole_number("RATE_LIMIT_PER_MINUTE", DEFAULT_SENDER_PER_MINUTE),
        sender_burst=_positive_int("RATE_LIMIT_BURST", DEFAULT_SENDER_BURST),
        address_per_minute=_whole_number("ADDRESS_RATE_LIMIT_PER_MINUTE", DEFAULT_ADDRESS_PER_MINUTE),
        address_burst=_positive_int("ADDRESS_RATE_LIMIT_BURST", DEFAULT_ADDRESS_BURST),
        max_request_bytes=_positive_int("MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES),
        max_session_messages=_positive_int("MAX_SESSION_MESSAGES", DEFAULT_MAX_SESSION_MESSAGES),
        proxies_count=_whole_number("PROXIES_COUNT", 0),
        lock_lifetime_seconds=_positive_int("LOCK_LIFETIME_SECONDS", DEFAULT_LOCK_LIFETIME_SECONDS),
        action_timeout_seconds=_positive_seconds("ACTION_TIMEOUT_SECONDS", DEFAULT_ACTION_TIMEOUT_SECONDS),
        staff_port=_positive_int("STAFF_PORT", DEFAULT_STAFF_PORT),
        project_dir=Path(os.environ.get("PROJECT_DIR") or PROJECT_ROOT),
        staff_secret_key=os.environ.get("STAFF_SECRET_KEY") or None,
        staff_secure_cookies=os.environ.get("STAFF_SECURE_COOKIES", "").strip().lower() in {"1", "true", "yes"},
        sign_in_per_minute=_positive_int("SIGN_IN_PER_MINUTE", DEFAULT_SIGN_IN_PER_MINUTE),
        sign_in_burst=_positive_int("SIGN_IN_BURST", DEFAULT_SIGN_IN_BURST),
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


def _whole_number(name: str, default: int) -> int:
    """A whole number of at least 0 from the environment (0 turns the limit off), or a plain error."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ConfigurationError(f"{name} must be a whole number, 0 to turn it off (it is {raw!r})")
    return int(raw)


def _positive_seconds(name: str, default: float) -> float:
    """A number of seconds above 0 from the environment, or a plain error naming the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise ConfigurationError(f"{name} must be a number of seconds above 0 (it is {raw!r})")
    return seconds


def _positive_int(name: str, default: int) -> int:
    """A whole number of at least 1 from the environment, or a plain error naming the variable."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigurationError(f"{name} must be a whole number of at least 1 (it is {raw!r})")
    return int(raw)
