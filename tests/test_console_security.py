"""The staff console's security, on SQLite and PostgreSQL: every route's roles checked on the server, CSRF on every
form, sign-in rate-limited and recorded, session cookie flags, and an append-only audit log."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from assistant.console.app import create_app
from assistant.db.migrate import upgrade
from assistant.db.session import create_db_engine
from assistant.knowledge.store import import_knowledge
from assistant.staff import audit
from assistant.staff.accounts import AccountError, authenticate, create_user
from assistant.metadata import known_schools
from tests.conftest import _fresh_postgres_database
from tests.console import ACCOUNTS, PASSWORD, SignedIn, add_accounts, console_settings
from tests.scripted import action, user as said, write_conversation

ANYONE = ("admin", "paris", "lille", "reader")
EDITORS = ("admin", "paris", "lille")
ADMIN = ("admin",)
CONVERSATION = "0123456789abcdef0123456789abcdef"
# Every route of the console: method, path, the accounts allowed (the others get 403), the form sent.
ROUTES = {
    "inbox.index": ("GET", "/", ANYONE, None),
    "inbox.teach_item": ("POST", "/inbox/teach", EDITORS, {"key": "gone", "intent": "ask_fees"}),
    "inbox.change_status": ("POST", "/inbox/status", ANYONE, {"key": "gone", "status": "ignored"}),
    "inbox.fact_missing": ("POST", "/inbox/fact-missing", EDITORS, {"key": "gone"}),
    "facts.index": ("GET", "/facts/", ANYONE, None),
    "facts.edit": ("GET", "/facts/programmes/upc-summer-school-ai", ("admin", "paris", "reader"), None),
    "conversations.index": ("GET", "/conversations/", ANYONE, None),
    "conversations.transcript": ("GET", f"/conversations/{CONVERSATION}", ("admin", "paris", "reader"), None),
    "conversations.delete": ("POST", "/conversations/not-a-conversation/delete", ADMIN, {}),
    "dashboard.index": ("GET", "/usage/", ANYONE, None),
    "dashboard.export": ("GET", "/usage/usage.csv", ANYONE, None),
    "training.index": ("GET", "/training/", ANYONE, None),
    "training.start": ("POST", "/training/start", EDITORS, {}),
    "training.promote_candidate": ("POST", "/training/promote", ADMIN, {}),
    "training.discard_candidate": ("POST", "/training/discard", ADMIN, {}),
    "testchat.index": ("GET", "/test-chat/", ANYONE, None),
    "auditlog.index": ("GET", "/audit/", ADMIN, None),
    "auditlog.export": ("GET", "/audit/audit.csv", ADMIN, None),
    "auth.sign_out": ("POST", "/sign-out", ANYONE, {}),
}
PUBLIC = {"static", "health", "auth.sign_in", "auth.language"}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def console(request, tmp_path_factory, knowledge):
    """A console over a database holding the knowledge, the test accounts and one Paris Cité conversation."""
    work = tmp_path_factory.mktemp("console")
    if request.param == "sqlite":
        url, drop = f"sqlite:///{work / 'console.db'}", (lambda: None)
    else:
        url, drop = _fresh_postgres_database(request)
    upgrade(url)
    engine = create_db_engine(url, 5)
    import_knowledge(knowledge, engine)
    add_accounts(engine)
    at = datetime.now(timezone.utc) - timedelta(hours=1)
    write_conversation(url, CONVERSATION, [
        said("how much is the summer school?", at, "ask_fees", language="en", school="upc-medicine"),
        action("action_answer_fees", at + timedelta(seconds=1)),
    ])
    app = create_app(console_settings(work, url), engine)
    yield app, engine
    engine.dispose()
    drop()


@pytest.fixture(scope="module")
def clients(console) -> dict[str, SignedIn]:
    """One signed-in client per test account (signing in costs a password hash each time)."""
    app, _ = console
    return {name: SignedIn(app, name) for name in ACCOUNTS}


def test_every_route_has_a_role_policy(console) -> None:
    app, _ = console
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - PUBLIC == set(ROUTES), "a console route without a role policy in this test"


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_each_route_answers_only_its_roles(console, clients, endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    app, engine = console
    monkeypatch.setattr("assistant.console.training.start_job", lambda *_: type("Job", (), {"live": None})())
    method, path, allowed, form = ROUTES[endpoint]
    anonymous = SignedIn(app, None)
    response = anonymous.get(path) if method == "GET" else anonymous.post(path, form)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    for name in ACCOUNTS:
        client = clients[name]
        denied_before = len(audit.entries(engine, action=audit.DENIED))
        response = client.get(path) if method == "GET" else client.post(path, form)
        if name in allowed:
            assert response.status_code in (200, 302), (name, response.status_code)
            if endpoint == "auth.sign_out":
                assert client.get("/").status_code == 302
                clients[name] = SignedIn(app, name)
        else:
            assert response.status_code == 403, (name, response.status_code)
            denied = audit.entries(engine, action=audit.DENIED)
            assert len(denied) == denied_before + 1 and denied[0].actor == name and path in denied[0].target


def test_a_form_without_its_csrf_token_is_refused(console) -> None:
    app, engine = console
    client = SignedIn(app, "admin")
    response = client.post("/inbox/status", {"key": "x", "status": "ignored"}, csrf=False)
    assert response.status_code == 400
    assert "reload the page" in response.get_data(as_text=True)
    response = client.client.post("/sign-in", data={"username": "admin", "password": PASSWORD})
    assert response.status_code == 400


def test_an_editor_of_lille_cannot_save_a_paris_fee(console) -> None:
    app, engine = console
    settings = app.config["SETTINGS"]
    before = (settings.knowledge_dir / "programmes.yml").read_bytes()
    client = SignedIn(app, "lille")
    response = client.post("/facts/programmes/upc-summer-school-ai", {"fee_min_eur": "1", "version": "x"})
    assert response.status_code == 403
    assert (settings.knowledge_dir / "programmes.yml").read_bytes() == before
    assert audit.entries(engine, limit=1)[0].action == audit.DENIED


def test_sign_in_is_recorded_rate_limited_and_the_cookie_is_protected(console) -> None:
    app, engine = console
    client = SignedIn(app, None)
    statuses = [
        client.post("/sign-in", {"username": "reader", "password": "wrong password!!"}).status_code for _ in range(7)
    ]
    assert statuses[0] == 401 and statuses[-1] == 429
    failed = audit.entries(engine, action=audit.SIGN_IN_FAILED, limit=7)
    assert {entry.outcome for entry in failed} == {"refused", "rate-limited"} and failed[0].actor == "reader"
    fresh = app.test_client()
    fresh.get("/sign-in", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    cookie = fresh.get_cookie("staff_session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"


def test_passwords_are_hashed_and_accounts_checked(console) -> None:
    _, engine = console
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM staff_user WHERE username = 'admin'")).scalar()
    assert PASSWORD not in stored and stored.startswith("scrypt:")
    assert authenticate(engine, "admin", PASSWORD) is not None and authenticate(engine, "admin", "nope") is None
    with pytest.raises(AccountError, match="12 characters"):
        create_user(engine, "short", "too short", "reviewer", None, known_schools())
    with pytest.raises(AccountError, match="one school"):
        create_user(engine, "nobody", PASSWORD, "editor", None, known_schools())


def test_the_audit_log_is_append_only(console) -> None:
    _, engine = console
    audit.record(engine, "admin", audit.EDIT, target="programmes/x.fee_min_eur", old=2500, new=2900)
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))
    newest = audit.entries(engine, limit=1)[0]
    assert (newest.actor, newest.old_value, newest.new_value) == ("admin", "2500", "2900")


def test_the_language_switch_only_goes_back_to_this_site(console) -> None:
    app, _ = console
    client = SignedIn(app, None)
    for elsewhere in ("//evil.example/", "/\\evil.example/", "https://evil.example/"):
        response = client.post("/language", {"language": "fr", "next": elsewhere})
        assert response.status_code == 302 and response.headers["Location"] == "/", elsewhere
    assert "Se connecter" in client.get("/sign-in").get_data(as_text=True)
