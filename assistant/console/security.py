"""Who may do what in the console: sign-in sessions, roles and schools checked on the server for every request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, current_app, request
from flask_login import LoginManager, UserMixin, current_user

from assistant.db.staff import ADMINISTRATOR, EDITOR, REVIEWER, StaffUser
from assistant.staff import audit
from assistant.staff.accounts import get_user

View = TypeVar("View", bound=Callable[..., Any])
ALL_ROLES = (ADMINISTRATOR, EDITOR, REVIEWER)
EDITING_ROLES = (ADMINISTRATOR, EDITOR)

login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.session_protection = "strong"
login_manager.login_message = ""  # the sign-in page says what to do; no English-only flash


@dataclass
class ConsoleUser(UserMixin):
    """The signed-in account, as the views need it."""

    id: int
    username: str
    role: str
    school: str | None

    @classmethod
    def of(cls, user: StaffUser) -> ConsoleUser:
        return cls(user.id, user.username, user.role, user.school)

    def get_id(self) -> str:
        return str(self.id)

    def sees_school(self, school: str | None) -> bool:
        """Whether the account may read what belongs to `school` (None: no school known)."""
        return self.role != EDITOR or school in (None, self.school)

    def edits_school(self, school: str | None) -> bool:
        """Whether the account may change what belongs to `school` (an editor: only its own)."""
        return self.role == ADMINISTRATOR or (self.role == EDITOR and school == self.school)


@login_manager.user_loader
def _load_user(user_id: str) -> ConsoleUser | None:
    user = get_user(current_app.config["ENGINE"], int(user_id)) if user_id.isdigit() else None
    return ConsoleUser.of(user) if user is not None else None


def user() -> ConsoleUser:
    """The signed-in account (every view but sign-in requires one)."""
    return cast(ConsoleUser, current_user._get_current_object())


def deny(target: str, school: str | None = None) -> None:
    """Record a refused attempt in the audit log and answer 403."""
    audit.record(
        current_app.config["ENGINE"],
        user().username,
        audit.DENIED,
        target=f"{request.method} {request.path} {target}".strip(),
        school=school,
        outcome="refused",
    )
    abort(403)


def allow(*roles: str) -> Callable[[View], View]:
    """Only signed-in accounts of these roles reach the view; others get 403 (recorded), strangers the sign-in."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if user().role not in roles:
                deny("role")
            return view(*args, **kwargs)

        return cast(View, guarded)

    return decorate
