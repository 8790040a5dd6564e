"""The knowledge files: which file feeds which table, and what each field refers to."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.db import models
from assistant.knowledge import schema


@dataclass(frozen=True)
class LinkField:
    """A list field stored as rows of an association table."""

    table: type[models.Base]
    owner_column: str
    value_column: str


@dataclass(frozen=True)
class KnowledgeFile:
    """One staff-editable file and the table it fills."""

    name: str
    entry: type[schema.Entry]
    table: type[models.Base]
    references: dict[str, str] = field(default_factory=dict)
    links: dict[str, LinkField] = field(default_factory=dict)
    unique_together: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        return f"{self.name}.yml"


# In dependency order: a file only refers to files above it (institutions' parent refers to itself).
KNOWLEDGE_FILES: tuple[KnowledgeFile, ...] = (
    KnowledgeFile("sources", schema.SourceEntry, models.Source),
    KnowledgeFile("countries", schema.CountryEntry, models.Country),
    KnowledgeFile("study_years", schema.StudyYearEntry, models.StudyYear),
    KnowledgeFile("programme_kinds", schema.ProgrammeKindEntry, models.ProgrammeKind),
    KnowledgeFile(
        "institutions",
        schema.InstitutionEntry,
        models.Institution,
        references={"parent": "institutions", "country": "countries", "source": "sources"},
    ),
    KnowledgeFile(
        "contacts",
        schema.ContactEntry,
        models.Contact,
        references={"institution": "institutions", "source": "sources"},
        links={"topics": LinkField(models.ContactTopic, "contact", "topic")},
    ),
    KnowledgeFile(
        "office_hours",
        schema.OfficeHoursEntry,
        models.OfficeHours,
        references={"contact": "contacts"},
        unique_together=("contact", "weekday", "opens"),
    ),
    KnowledgeFile(
        "programmes",
        schema.ProgrammeEntry,
        models.Programme,
        references={
            "institution": "institutions",
            "kind": "programme_kinds",
            "contact": "contacts",
            "source": "sources",
        },
    ),
    KnowledgeFile(
        "networks",
        schema.NetworkEntry,
        models.Network,
        references={"institution": "institutions", "source": "sources"},
    ),
    KnowledgeFile(
        "partners",
        schema.PartnerEntry,
        models.Partner,
        references={
            "institution": "institutions",
            "country": "countries",
            "programmes": "programmes",
            "networks": "networks",
            "source": "sources",
        },
        links={
            "programmes": LinkField(models.PartnerProgramme, "partner", "programme"),
            "networks": LinkField(models.PartnerNetwork, "partner", "network"),
        },
        unique_together=("institution", "name"),
    ),
    KnowledgeFile(
        "grants",
        schema.GrantEntry,
        models.Grant,
        references={"institution": "institutions", "programmes": "programmes", "source": "sources"},
        links={"programmes": LinkField(models.GrantProgramme, "grant", "programme")},
    ),
    KnowledgeFile(
        "facts",
        schema.FactEntry,
        models.Fact,
        references={"institution": "institutions", "source": "sources"},
    ),
    KnowledgeFile(
        "services",
        schema.ServiceEntry,
        models.Service,
        references={"institution": "institutions", "source": "sources"},
    ),
    KnowledgeFile(
        "mobility_statistics",
        schema.MobilityStatisticEntry,
        models.MobilityStatistic,
        references={"institution": "institutions", "kind": "programme_kinds", "source": "sources"},
        unique_together=("institution", "kind", "direction", "academic_year"),
    ),
    KnowledgeFile(
        "mobility_shares",
        schema.MobilityShareEntry,
        models.MobilityShare,
        references={"institution": "institutions", "kind": "programme_kinds", "source": "sources"},
        unique_together=("institution", "kind", "academic_year", "dimension", "category"),
    ),
    KnowledgeFile("search_words", schema.SearchWordsEntry, models.SearchWords),
)

KNOWLEDGE_FILES_BY_NAME = {knowledge_file.name: knowledge_file for knowledge_file in KNOWLEDGE_FILES}
