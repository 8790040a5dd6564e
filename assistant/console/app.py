"""The console's Flask application: security settings, the sign-in manager, CSRF on every form, the pages."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.engine import Engine
from werkzeug.wrappers import Response

from assistant.config import PROJECT_ROOT, Settings
from assistant.console.security import login_manager
from assistant.console.words import current_language, word
from assistant.db.session import create_db_engine

SECRET_KEY_FILE = PROJECT_ROOT / "var" / "staff-secret-key"
SESSION_HOURS = 8
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
csrf = CSRFProtect()


def secret_key(settings: Settings, path: Path = SECRET_KEY_FILE) -> str:
    """STAFF_SECRET_KEY, else a random key kept in var/ (readable by its owner only), so sessions survive restarts."""
    if settings.staff_secret_key:
        return settings.staff_secret_key
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def create_app(settings: Settings, engine: Engine | None = None) -> Flask:
    """The console for these settings (its database, knowledge folder, training data and servers)."""
    from assistant.console import auditlog, auth, conversations, dashboard, facts, inbox, testchat, training

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key(settings),
        SETTINGS=settings,
        ENGINE=engine or create_db_engine(settings.database_url, settings.db_timeout_seconds),
        SESSION_COOKIE_NAME="staff_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.staff_secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
        MAX_CONTENT_LENGTH=256 * 1024,
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    for module in (auth, inbox, facts, conversations, dashboard, training, testchat, auditlog):
        app.register_blueprint(module.blueprint)
    app.jinja_env.globals.update(word=word, current_language=current_language)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.errorhandler(CSRFError)
    def csrf_refused(_: CSRFError) -> tuple[str, int]:
        return render_template("error.html", message=word("error_csrf")), 400

    for status in (403, 404, 413, 429):
        app.register_error_handler(
            status,
            lambda error, status=status: (render_template("error.html", message=word(f"error_{status}")), status),
        )

    @app.route("/health")
    def health() -> str:
        return "ok\n"

    return app
