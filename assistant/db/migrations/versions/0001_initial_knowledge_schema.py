"""initial knowledge schema

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "countries",
        sa.Column("id", sa.String(length=2), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("name_fr", sa.String(length=120), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("region_en", sa.String(length=120), nullable=True),
        sa.Column("region_fr", sa.String(length=120), nullable=True),
        sa.Column("continent", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_countries")),
    )
    op.create_table(
        "knowledge_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_revision")),
    )
    op.create_table(
        "programme_kinds",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_fr", sa.String(length=200), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_kinds")),
    )
    op.create_table(
        "sources",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title_en", sa.Text(), nullable=False),
        sa.Column("title_fr", sa.Text(), nullable=False),
        sa.Column("file", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("valid_for", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
    )
    op.create_table(
        "study_years",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("label_en", sa.String(length=120), nullable=False),
        sa.Column("label_fr", sa.String(length=120), nullable=False),
        sa.Column("codes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_years")),
    )
    op.create_table(
        "institutions",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_fr", sa.Text(), nullable=False),
        sa.Column("short_names", sa.JSON(), nullable=False),
        sa.Column("parent", sa.String(length=120), nullable=True),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("country", sa.String(length=120), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["country"], ["countries.id"], name=op.f("fk_institutions_country_countries")),
        sa.ForeignKeyConstraint(["parent"], ["institutions.id"], name=op.f("fk_institutions_parent_institutions")),
        sa.ForeignKeyConstraint(["source"], ["sources.id"], name=op.f("fk_institutions_source_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institutions")),
    )
    op.create_table(
        "contacts",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("institution", sa.String(length=120), nullable=False),
        sa.Column("role_en", sa.Text(), nullable=False),
        sa.Column("role_fr", sa.Text(), nullable=False),
        sa.Column("person", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=60), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution"], ["institutions.id"], name=op.f("fk_contacts_institution_institutions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["source"], ["sources.id"], name=op.f("fk_contacts_source_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    op.create_table(
        "facts",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("institution", sa.String(length=120), nullable=False),
        sa.Column("topic", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("text_en", sa.Text(), nullable=False),
        sa.Column("text_fr", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution"], ["institutions.id"], name=op.f("fk_facts_institution_institutions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["source"], ["sources.id"], name=op.f("fk_facts_source_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facts")),
    )
    op.create_table(
        "grants",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("institution", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_fr", sa.Text(), nullable=False),
        sa.Column("summary_en", sa.Text(), nullable=True),
        sa.Column("summary_fr", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=300), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution"], ["institutions.id"], name=op.f("fk_grants_institution_institutions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["source"], ["sources.id"], name=op.f("fk_grants_source_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants")),
    )
    op.create_table(
        "mobility_shares",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("institution", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=120), nullable=False),
        sa.Column("academic_year", sa.String(length=9), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("percent", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution"],
            ["institutions.id"],
            name=op.f("fk_mobility_shares_institution_institutions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["kind"], ["programme_kinds.id"], name=op.f("fk_mobility_shares_kind_programme_kinds")),
        sa.ForeignKeyConstraint(["source"], ["sources.id"], name=op.f("fk_mobility_shares_source_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobility_shares")),
    )
    op.create_table(
        "mobility_statistics",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("institution", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=120), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("academic_year", sa.String(length=9), nullable=False),
        sa.Column("students", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution"],
            ["institutions.id"],
            name=op.f("fk_mobility_statistics_institution_institutions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["kind"], ["programme_kinds.id"], name=op.f("fk_mobility_statistics_kind_programme_kinds")
        ),
        sa.ForeignKeyConstraint(["source"], ["sources.id"], name=op.f("fk_mobility_statistics_source_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mobility_statistics")),
    )
    op.create_table(
        "networks",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("institution", sa.String(length=120), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("summary_en", sa.Text(), nullable=True),
        sa.Column("summary_fr", sa.Text(), nullable=True),
        sa.Column("joined", sa.String(length=7), nullable=True),
        sa.Column("members", sa.Integer(), nullable=True),
        sa.Column("countries", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=300), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution"], ["institutions.id"], name=op.f("fk_networks_institution_institutions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["source"], ["sources.id"], name=op.f("fk_networks_source_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_networks")),
    )
    op.create_table(
        "partners",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("institution", sa.String(length=120), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["country"], ["countries.id"], name=op.f("fk_partners_country_countries")),
        sa.ForeignKeyConstraint(
            ["institution"], ["institutions.id"], name=op.f("fk_partners_institution_institutions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["source"], ["sources.id"], name=op.f("fk_partners_source_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
    )
    op.create_table(
        "services",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("institution", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_fr", sa.Text(), nullable=False),
        sa.Column("summary_en", sa.Text(), nullable=True),
        sa.Column("summary_fr", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=300), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution"], ["institutions.id"], name=op.f("fk_services_institution_institutions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["source"], ["sources.id"], name=op.f("fk_services_source_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services")),
    )
    op.create_table(
        "contact_topics",
        sa.Column("contact", sa.String(length=120), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact"], ["contacts.id"], name=op.f("fk_contact_topics_contact_contacts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("contact", "topic", name=op.f("pk_contact_topics")),
    )
    op.create_table(
        "office_hours",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("contact", sa.String(length=120), nullable=False),
        sa.Column("weekday", sa.String(length=3), nullable=False),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.Column("placeholder", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact"], ["contacts.id"], name=op.f("fk_office_hours_contact_contacts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_hours")),
    )
    op.create_table(
        "partner_networks",
        sa.Column("partner", sa.String(length=120), nullable=False),
        sa.Column("network", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network"], ["networks.id"], name=op.f("fk_partner_networks_network_networks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["partner"], ["partners.id"], name=op.f("fk_partner_networks_partner_partners"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("partner", "network", name=op.f("pk_partner_networks")),
    )
    op.create_table(
        "programmes",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("institution", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=120), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("name_fr", sa.Text(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("summary_en", sa.Text(), nullable=True),
        sa.Column("summary_fr", sa.Text(), nullable=True),
        sa.Column("min_year", sa.Integer(), nullable=True),
        sa.Column("max_year", sa.Integer(), nullable=True),
        sa.Column("eligibility_en", sa.Text(), nullable=True),
        sa.Column("eligibility_fr", sa.Text(), nullable=True),
        sa.Column("how_to_apply_en", sa.Text(), nullable=True),
        sa.Column("how_to_apply_fr", sa.Text(), nullable=True),
        sa.Column("duration_en", sa.Text(), nullable=True),
        sa.Column("duration_fr", sa.Text(), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("dates_en", sa.Text(), nullable=True),
        sa.Column("dates_fr", sa.Text(), nullable=True),
        sa.Column("application_opens_en", sa.Text(), nullable=True),
        sa.Column("application_opens_fr", sa.Text(), nullable=True),
        sa.Column("fee_min_eur", sa.Float(), nullable=True),
        sa.Column("fee_max_eur", sa.Float(), nullable=True),
        sa.Column("fees_en", sa.Text(), nullable=True),
        sa.Column("fees_fr", sa.Text(), nullable=True),
        sa.Column("ects_credits", sa.Float(), nullable=True),
        sa.Column("certificate_en", sa.Text(), nullable=True),
        sa.Column("certificate_fr", sa.Text(), nullable=True),
        sa.Column("places", sa.Integer(), nullable=True),
        sa.Column("venue_en", sa.Text(), nullable=True),
        sa.Column("venue_fr", sa.Text(), nullable=True),
        sa.Column("audience_en", sa.Text(), nullable=True),
        sa.Column("audience_fr", sa.Text(), nullable=True),
        sa.Column("not_accepted_en", sa.Text(), nullable=True),
        sa.Column("not_accepted_fr", sa.Text(), nullable=True),
        sa.Column("url", sa.String(length=300), nullable=True),
        sa.Column("contact", sa.String(length=120), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["contact"], ["contacts.id"], name=op.f("fk_programmes_contact_contacts")),
        sa.ForeignKeyConstraint(
            ["institution"],
            ["institutions.id"],
            name=op.f("fk_programmes_institution_institutions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["kind"], ["programme_kinds.id"], name=op.f("fk_programmes_kind_programme_kinds")),
        sa.ForeignKeyConstraint(["source"], ["sources.id"], name=op.f("fk_programmes_source_sources")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
    )
    op.create_table(
        "grant_programmes",
        sa.Column("grant", sa.String(length=120), nullable=False),
        sa.Column("programme", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant"], ["grants.id"], name=op.f("fk_grant_programmes_grant_grants"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["programme"], ["programmes.id"], name=op.f("fk_grant_programmes_programme_programmes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("grant", "programme", name=op.f("pk_grant_programmes")),
    )
    op.create_table(
        "partner_programmes",
        sa.Column("partner", sa.String(length=120), nullable=False),
        sa.Column("programme", sa.String(length=120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner"], ["partners.id"], name=op.f("fk_partner_programmes_partner_partners"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["programme"],
            ["programmes.id"],
            name=op.f("fk_partner_programmes_programme_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("partner", "programme", name=op.f("pk_partner_programmes")),
    )


def downgrade() -> None:
    op.drop_table("partner_programmes")
    op.drop_table("grant_programmes")
    op.drop_table("programmes")
    op.drop_table("partner_networks")
    op.drop_table("office_hours")
    op.drop_table("contact_topics")
    op.drop_table("services")
    op.drop_table("partners")
    op.drop_table("networks")
    op.drop_table("mobility_statistics")
    op.drop_table("mobility_shares")
    op.drop_table("grants")
    op.drop_table("facts")
    op.drop_table("contacts")
    op.drop_table("institutions")
    op.drop_table("study_years")
    op.drop_table("sources")
    op.drop_table("programme_kinds")
    op.drop_table("knowledge_revision")
    op.drop_table("countries")
