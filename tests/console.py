"""The staff console for the tests: its accounts, copies of the files it writes, and a client that signs in."""
from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

from assistant.config import PROJECT_ROOT, Settings, get_settings
from assistant.db.staff import ADMINISTRATOR, EDITOR, REVIEWER
from assistant.metadata import known_schools
from assistant.staff.accounts import create_user

PASSWORD = "correct horse battery staple"
# Name, role, school of each test account.
ACCOUNTS = {
    "admin": (ADMINISTRATOR, None),
    "paris": (EDITOR, "upc-medicine"),
    "lille": (EDITOR, "lille-medicine"),
    "reader": (REVIEWER, None),
}
# What the console teaches and checks: copied, so that no test writes the project's own data.
PROJECT_FILES = ("data/nlu", "data/rules", "data/stories", "data/wording", "domain.yml", "config.yml")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def project_copy(work: Path) -> tuple[Path, Path]:
    """Copies of the knowledge folder and of the training data under `work`: (knowledge_dir, project_dir)."""
    knowledge, project = work / "knowledge", work / "project"
    shutil.copytree(PROJECT_ROOT / "data" / "knowledge", knowledge)
    for name in PROJECT_FILES:
        source = PROJECT_ROOT / name
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy2(source, project / name)
    return knowledge, project


def console_settings(work: Path, database_url: str, **overrides: object) -> Settings:
    """Settings of a console writing only under `work`."""
    knowledge, project = project_copy(work)
    (work / "models").mkdir(exist_ok=True)
    return dataclasses.replace(
        get_settings(),
        database_url=database_url,
        knowledge_dir=knowledge,
        project_dir=project,
        models_dir=work / "models",
        staff_secret_key="test secret key, not a real one",
        **overrides,
    )


def add_accounts(engine) -> None:
    schools = known_schools()
    for name, (role, school) in ACCOUNTS.items():
        create_user(engine, name, PASSWORD, role, school, schools)


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


class SignedIn:
    """A Flask test client signed in as one account, posting forms with the page's CSRF token."""

    def __init__(self, app, name: str | None) -> None:
        self.client = app.test_client()
        self.token = csrf_token(self.client.get("/sign-in").get_data(as_text=True))
        if name is not None:
            response = self.client.post("/sign-in", data={"username": name, "password": PASSWORD, "csrf_token": self.token})
            assert response.status_code == 302, response.get_data(as_text=True)
            # Signing in starts a new session, with a new token.
            self.token = csrf_token(self.client.get("/test-chat/").get_data(as_text=True))

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict | None = None, csrf: bool = True):
        form = dict(data or {})
        if csrf:
            form["csrf_token"] = self.token
        return self.client.post(path, data=form)
