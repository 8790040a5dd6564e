"""The staff console's tables: accounts, the append-only audit log and the status of missed questions.

Kept apart from the knowledge models (`assistant db import/export` never touch them) and from the students'
records (`assistant purge` never deletes them).
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeMeta, registry

from assistant.db.feedback import utc_now
from assistant.db.models import NAMING_CONVENTION

staff_registry = registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))

ADMINISTRATOR, EDITOR, REVIEWER = "administrator", "editor", "reviewer"
ROLES = (ADMINISTRATOR, EDITOR, REVIEWER)
NEW, DONE, IGNORED = "new", "done", "ignored"
INBOX_STATUSES = (NEW, DONE, IGNORED)


class StaffBase(metaclass=DeclarativeMeta):
    """The console tables' declarative base, with metadata of its own."""

    __abstract__ = True
    registry = staff_registry
    metadata = staff_registry.metadata
    __init__ = staff_registry.constructor


class StaffUser(StaffBase):
    """A console account: an administrator, the editor of one school, or a reviewer."""

    __tablename__ = "staff_user"
    id = Column(Integer, primary_key=True)
    username = Column(String(80), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(20), nullable=False)
    # The school an editor edits (a school id of institutions.yml); none for the other roles.
    school = Column(String(50))
    created_at = Column(DateTime, nullable=False, default=utc_now)


class AuditEntry(StaffBase):
    """Who did what and when; rows are only ever added (triggers refuse updates and deletes)."""

    __tablename__ = "audit_log"
    id = Column(Integer, primary_key=True)
    at = Column(DateTime, nullable=False, default=utc_now, index=True)
    # The account's name when it did it (kept as text: the log outlives accounts), or what was typed at sign-in.
    actor = Column(String(80), nullable=False)
    action = Column(String(40), nullable=False, index=True)
    target = Column(Text)
    school = Column(String(50))
    old_value = Column(Text)
    new_value = Column(Text)
    outcome = Column(String(20), nullable=False, default="done")


class InboxStatus(StaffBase):
    """The triage of one missed student message (a message is its conversation and its time)."""

    __tablename__ = "inbox_status"
    __table_args__ = (UniqueConstraint("conversation_id", "timestamp", name="uq_inbox_status_message"),)
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(255), nullable=False)
    timestamp = Column(Float, nullable=False)
    status = Column(String(10), nullable=False)
    changed_by = Column(String(80), nullable=False)
    changed_at = Column(DateTime, nullable=False, default=utc_now)
