"""Declarative models of the knowledge database.

One table per knowledge file (`data/knowledge/<table>.yml`); list fields that
reference other entries are association tables, free lists (aliases, codes,
languages) are JSON. Every fact row names its `source` document, and `position`
keeps the order of the file so that an export reproduces it.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import DeclarativeMeta, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

mapper_registry = registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))


class Base(metaclass=DeclarativeMeta):
    """The knowledge tables' declarative base (the explicit form of `declarative_base()`, which mypy can read)."""

    __abstract__ = True
    registry = mapper_registry
    metadata = mapper_registry.metadata
    __init__ = mapper_registry.constructor


ID = String(120)


def _fk(table: str, nullable: bool = True) -> Column:
    return Column(ID, ForeignKey(f"{table}.id", ondelete="CASCADE"), nullable=nullable)


def _source() -> Column:
    return Column(ID, ForeignKey("sources.id"), nullable=False)


class Source(Base):
    __tablename__ = "sources"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    title_en = Column(Text, nullable=False)
    title_fr = Column(Text, nullable=False)
    file = Column(String(200))
    language = Column(String(2), nullable=False)
    valid_for = Column(String(40), nullable=False)


class Institution(Base):
    __tablename__ = "institutions"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    name_en = Column(Text, nullable=False)
    name_fr = Column(Text, nullable=False)
    short_names = Column(JSON, nullable=False, default=list)
    parent = Column(ID, ForeignKey("institutions.id"))
    city = Column(String(120))
    country = Column(ID, ForeignKey("countries.id"))
    address = Column(Text)
    website = Column(String(300))
    source = _source()


class Country(Base):
    __tablename__ = "countries"
    id = Column(String(2), primary_key=True)
    position = Column(Integer, nullable=False)
    name_en = Column(String(120), nullable=False)
    name_fr = Column(String(120), nullable=False)
    aliases = Column(JSON, nullable=False, default=list)
    region_en = Column(String(120))
    region_fr = Column(String(120))
    continent = Column(String(20), nullable=False)


class StudyYear(Base):
    __tablename__ = "study_years"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    year = Column(Integer, nullable=False)
    label_en = Column(String(120), nullable=False)
    label_fr = Column(String(120), nullable=False)
    codes = Column(JSON, nullable=False, default=list)


class ProgrammeKind(Base):
    __tablename__ = "programme_kinds"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    name_en = Column(String(200), nullable=False)
    name_fr = Column(String(200), nullable=False)
    aliases = Column(JSON, nullable=False, default=list)


class Contact(Base):
    __tablename__ = "contacts"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    institution = _fk("institutions", nullable=False)
    role_en = Column(Text, nullable=False)
    role_fr = Column(Text, nullable=False)
    person = Column(String(200))
    email = Column(String(200))
    phone = Column(String(60))
    address = Column(Text)
    source = _source()


class ContactTopic(Base):
    __tablename__ = "contact_topics"
    contact = Column(ID, ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)
    topic = Column(String(40), primary_key=True)
    position = Column(Integer, nullable=False)


class OfficeHours(Base):
    __tablename__ = "office_hours"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    contact = _fk("contacts", nullable=False)
    weekday = Column(String(3), nullable=False)
    opens = Column(Time, nullable=False)
    closes = Column(Time, nullable=False)
    placeholder = Column(Boolean, nullable=False, default=True)


class Programme(Base):
    __tablename__ = "programmes"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    institution = _fk("institutions", nullable=False)
    kind = Column(ID, ForeignKey("programme_kinds.id"), nullable=False)
    direction = Column(String(10), nullable=False)
    name_en = Column(Text, nullable=False)
    name_fr = Column(Text, nullable=False)
    # What replies call a programme whose name is long ("AI summer school"); its name when empty.
    short_name_en = Column(Text)
    short_name_fr = Column(Text)
    aliases = Column(JSON, nullable=False, default=list)
    summary_en = Column(Text)
    summary_fr = Column(Text)
    min_year = Column(Integer)
    max_year = Column(Integer)
    eligibility_en = Column(Text)
    eligibility_fr = Column(Text)
    how_to_apply_en = Column(Text)
    how_to_apply_fr = Column(Text)
    duration_en = Column(Text)
    duration_fr = Column(Text)
    languages = Column(JSON, nullable=False, default=list)
    start_date = Column(Date)
    end_date = Column(Date)
    dates_en = Column(Text)
    dates_fr = Column(Text)
    application_opens_en = Column(Text)
    application_opens_fr = Column(Text)
    fee_min_eur = Column(Float)
    fee_max_eur = Column(Float)
    fees_en = Column(Text)
    fees_fr = Column(Text)
    ects_credits = Column(Float)
    certificate_en = Column(Text)
    certificate_fr = Column(Text)
    places = Column(Integer)
    venue_en = Column(Text)
    venue_fr = Column(Text)
    audience_en = Column(Text)
    audience_fr = Column(Text)
    not_accepted_en = Column(Text)
    not_accepted_fr = Column(Text)
    url = Column(String(300))
    contact = Column(ID, ForeignKey("contacts.id"))
    source = _source()


class Network(Base):
    __tablename__ = "networks"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    institution = _fk("institutions", nullable=False)
    name = Column(Text, nullable=False)
    aliases = Column(JSON, nullable=False, default=list)
    kind = Column(String(20), nullable=False)
    summary_en = Column(Text)
    summary_fr = Column(Text)
    joined = Column(String(7))
    members = Column(Integer)
    countries = Column(Integer)
    url = Column(String(300))
    source = _source()


class Partner(Base):
    __tablename__ = "partners"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    institution = _fk("institutions", nullable=False)
    name = Column(Text, nullable=False)
    name_en = Column(Text, nullable=False)
    aliases = Column(JSON, nullable=False, default=list)
    city = Column(String(120))
    country = Column(String(2), ForeignKey("countries.id"), nullable=False)
    source = _source()


class PartnerProgramme(Base):
    __tablename__ = "partner_programmes"
    partner = Column(ID, ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True)
    programme = Column(ID, ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True)
    position = Column(Integer, nullable=False)


class PartnerNetwork(Base):
    __tablename__ = "partner_networks"
    partner = Column(ID, ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True)
    network = Column(ID, ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True)
    position = Column(Integer, nullable=False)


class Grant(Base):
    __tablename__ = "grants"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    institution = _fk("institutions", nullable=False)
    name_en = Column(Text, nullable=False)
    name_fr = Column(Text, nullable=False)
    summary_en = Column(Text)
    summary_fr = Column(Text)
    url = Column(String(300))
    source = _source()


class GrantProgramme(Base):
    __tablename__ = "grant_programmes"
    grant = Column(ID, ForeignKey("grants.id", ondelete="CASCADE"), primary_key=True)
    programme = Column(ID, ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True)
    position = Column(Integer, nullable=False)


class Fact(Base):
    __tablename__ = "facts"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    institution = _fk("institutions", nullable=False)
    topic = Column(String(20), nullable=False)
    value = Column(Float)
    year = Column(Integer)
    text_en = Column(Text, nullable=False)
    text_fr = Column(Text, nullable=False)
    source = _source()


class Service(Base):
    __tablename__ = "services"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    institution = _fk("institutions", nullable=False)
    name_en = Column(Text, nullable=False)
    name_fr = Column(Text, nullable=False)
    summary_en = Column(Text)
    summary_fr = Column(Text)
    url = Column(String(300))
    source = _source()


class MobilityStatistic(Base):
    __tablename__ = "mobility_statistics"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    institution = _fk("institutions", nullable=False)
    kind = Column(ID, ForeignKey("programme_kinds.id"), nullable=False)
    direction = Column(String(10), nullable=False)
    academic_year = Column(String(9), nullable=False)
    students = Column(Integer, nullable=False)
    source = _source()


class MobilityShare(Base):
    __tablename__ = "mobility_shares"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    institution = _fk("institutions", nullable=False)
    kind = Column(ID, ForeignKey("programme_kinds.id"), nullable=False)
    academic_year = Column(String(9), nullable=False)
    dimension = Column(String(20), nullable=False)
    category = Column(String(40), nullable=False)
    percent = Column(Float, nullable=False)
    source = _source()


class SearchWords(Base):
    """Words students use for the same thing: a question with one finds a text written with another."""

    __tablename__ = "search_words"
    id = Column(ID, primary_key=True)
    position = Column(Integer, nullable=False)
    words = Column(JSON, nullable=False, default=list)


class KnowledgeRevision(Base):
    """One row, bumped by every import: running processes refresh their caches on change."""

    __tablename__ = "knowledge_revision"
    id = Column(Integer, primary_key=True)
    revision = Column(Integer, nullable=False)
    imported_at = Column(DateTime(timezone=True), nullable=False)
