"""Console accounts: created from the command line, passwords kept as salted hashes (Werkzeug's scrypt)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.engine import Engine
from werkzeug.security import check_password_hash, generate_password_hash

from assistant.db.session import session_scope
from assistant.db.staff import EDITOR, ROLES, StaffUser

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,79}$")
MINIMUM_PASSWORD_LENGTH = 12
# Checked against when the account name is unknown, so that a sign-in takes as long whether or not it exists.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


class AccountError(ValueError):
    """An account that cannot be created, in plain words."""


def create_user(
    engine: Engine, username: str, password: str, role: str, school: str | None, schools: frozenset[str]
) -> StaffUser:
    """Add an account.

    Args:
        engine: The database.
        username: Lower-case letters, digits, dots, dashes, @.
        password: At least 12 characters.
        role: administrator, editor or reviewer.
        school: The school an editor edits (required for editors, refused for the others).
        schools: The known school ids.

    Raises:
        AccountError: the name is taken or malformed, the password too short, the role or school wrong.
    """
    if not USERNAME.match(username):
        raise AccountError("the name must be 2 to 80 lower-case letters, digits, dots, dashes or @")
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MINIMUM_PASSWORD_LENGTH} characters long")
    if role not in ROLES:
        raise AccountError(f"the role must be one of {', '.join(ROLES)}")
    if role == EDITOR and school not in schools:
        raise AccountError(f"an editor edits one school: give --school, one of {', '.join(sorted(schools))}")
    if role != EDITOR and school is not None:
        raise AccountError("only an editor has a school")
    with session_scope(engine) as session:
        if session.scalar(select(StaffUser.id).where(StaffUser.username == username)) is not None:
            raise AccountError(f"there is already an account named {username!r}")
        user = StaffUser(username=username, password_hash=generate_password_hash(password), role=role, school=school)
        session.add(user)
    return user


def authenticate(engine: Engine, username: str, password: str) -> StaffUser | None:
    """The account these credentials open, or None."""
    with session_scope(engine) as session:
        user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def get_user(engine: Engine, user_id: int) -> StaffUser | None:
    """The account with this id, if it still exists."""
    with session_scope(engine) as session:
        return session.get(StaffUser, user_id)


def list_users(engine: Engine) -> list[StaffUser]:
    """Every account, by name."""
    with session_scope(engine) as session:
        return list(session.scalars(select(StaffUser).order_by(StaffUser.username)))
