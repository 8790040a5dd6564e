"""Staff-editable knowledge files: check, import, export, and every kind of bad file."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from assistant.cli import main
from assistant.db import models
from assistant.db.session import session_scope
from assistant.knowledge.files import KNOWLEDGE_FILES
from assistant.knowledge.loader import KnowledgeError, load_knowledge
from assistant.knowledge.store import export_knowledge, export_rows, import_knowledge
from tests.conftest import KNOWLEDGE_DIR

GOOD_PARTNER = """\
- id: test-university-of-bergen
  institution: upc-medicine
  name: Universitetet i Bergen
  name_en: University of Bergen
  city: Bergen
  country: no
  programmes:
    - {programme}
  source: upc-brochure-2025-2026
"""


@pytest.fixture
def staff_copy(tmp_path: Path) -> Path:
    """A copy of the knowledge folder that a test may break."""
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    return folder


def append(folder: Path, filename: str, text: str) -> int:
    """Append entries to a file; returns the line number where they start."""
    path = folder / filename
    content = path.read_text(encoding="utf-8")
    if not content.endswith("\n"):
        content += "\n"
    path.write_text(content + text, encoding="utf-8")
    return content.count("\n") + 1


def problems_of(folder: Path) -> list[tuple[str, int, str]]:
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(folder)
    return [(problem.file, problem.line, problem.message) for problem in error.value.problems]


def any_programme_id() -> str:
    return load_knowledge(KNOWLEDGE_DIR).entries["programmes"][0].entry.id


def test_project_files_are_valid_and_complete(knowledge) -> None:
    assert set(knowledge.entries) == {knowledge_file.name for knowledge_file in KNOWLEDGE_FILES}
    assert all(knowledge.entries[name] for name in knowledge.entries), "no knowledge file is empty"


def test_unknown_country_is_reported_with_its_line(staff_copy: Path) -> None:
    start = append(staff_copy, "partners.yml", GOOD_PARTNER.format(programme=any_programme_id()).replace("country: no", "country: zz"))
    assert problems_of(staff_copy) == [
        ("partners.yml", start + 5, "unknown country 'zz' in 'country': there is no such id in countries.yml")
    ]


def test_a_loop_of_parent_institutions_is_reported_with_its_line(staff_copy: Path) -> None:
    path = staff_copy / "institutions.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  city: Paris\n  country: fr\n", "  parent: upc-medicine\n  city: Paris\n  country: fr\n", 1), encoding="utf-8")
    line = text.splitlines().index("  city: Paris") + 1
    problems = problems_of(staff_copy)
    assert ("institutions.yml", line, "'parent' makes a loop: upc → upc-medicine → upc; break it") in problems


def test_malformed_email_is_reported(staff_copy: Path) -> None:
    start = append(
        staff_copy,
        "contacts.yml",
        "- id: test-contact\n  institution: upc-medicine\n  role_en: Test\n  role_fr: Test\n"
        "  email: mobilite.international@@u-paris\n  source: upc-brochure-2025-2026\n",
    )
    [(file, line, message)] = problems_of(staff_copy)
    assert (file, line) == ("contacts.yml", start + 4)
    assert "not a valid e-mail address" in message


def test_impossible_date_is_reported(staff_copy: Path) -> None:
    path = staff_copy / "programmes.yml"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(number for number, line in enumerate(lines) if line.strip().startswith("start_date:"))
    lines[index] = lines[index].split(":")[0] + ": 2026-02-30"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [(file, line, message)] = problems_of(staff_copy)
    assert (file, line) == ("programmes.yml", index + 1)
    assert "not a real date" in message


def test_duplicate_partner_is_reported(staff_copy: Path) -> None:
    first = load_knowledge(KNOWLEDGE_DIR).entries["partners"][0].entry
    duplicate = (
        f"- id: test-duplicate\n  institution: {first.institution}\n  name: {first.name}\n"
        f"  name_en: {first.name_en}\n  country: {first.country}\n  source: {first.source}\n"
    )
    start = append(staff_copy, "partners.yml", duplicate)
    [(file, line, message)] = problems_of(staff_copy)
    assert (file, line) == ("partners.yml", start)
    assert "duplicate entry" in message and first.name in message


def test_dangling_programme_reference_is_reported(staff_copy: Path) -> None:
    start = append(staff_copy, "partners.yml", GOOD_PARTNER.format(programme="no-such-programme"))
    assert problems_of(staff_copy) == [
        (
            "partners.yml",
            start + 7,
            "unknown programme id 'no-such-programme' in 'programmes': there is no such id in programmes.yml",
        )
    ]


def test_broken_yaml_is_reported_with_its_line(staff_copy: Path) -> None:
    start = append(staff_copy, "services.yml", "- id: test-service\n  name_en: [unclosed\n")
    [(file, line, message)] = problems_of(staff_copy)
    assert file == "services.yml"
    assert start <= line <= start + 2
    assert "not valid YAML" in message


def test_missing_field_unknown_field_and_duplicate_id(staff_copy: Path) -> None:
    first_id = load_knowledge(KNOWLEDGE_DIR).entries["grants"][0].entry.id
    start = append(
        staff_copy,
        "grants.yml",
        f"- id: {first_id}\n  institution: upc-medicine\n  name_en: A\n  name_fr: A\n  source: upc-brochure-2025-2026\n"
        "- id: test-grant\n  institution: upc-medicine\n  name_en: B\n  amount: 300\n  source: upc-brochure-2025-2026\n",
    )
    problems = problems_of(staff_copy)
    assert any(
        (file, line) == ("grants.yml", start) and message.startswith(f"duplicate id '{first_id}' (first used on line ")
        for file, line, message in problems
    )
    assert ("grants.yml", start + 5, "the field 'name_fr' is missing") in problems
    assert ("grants.yml", start + 8, "unknown field 'amount' (check its spelling against the README)") in problems


def test_every_problem_is_reported_at_once(staff_copy: Path) -> None:
    append(staff_copy, "partners.yml", GOOD_PARTNER.format(programme="no-such-programme").replace("country: no", "country: zz"))
    append(staff_copy, "contacts.yml", "- id: Bad Id\n  institution: upc-medicine\n  role_en: a\n  role_fr: a\n  source: upc-brochure-2025-2026\n")
    files = {file for file, _, _ in problems_of(staff_copy)}
    assert files == {"partners.yml", "contacts.yml"}
    assert len(problems_of(staff_copy)) == 3


def test_import_is_idempotent_and_removing_a_row_removes_it(engine, knowledge, staff_copy: Path) -> None:
    import_knowledge(knowledge, engine)
    with session_scope(engine) as session:
        first = export_rows(session)
    changes = import_knowledge(knowledge, engine)
    with session_scope(engine) as session:
        assert export_rows(session) == first
    assert all(change.added == change.removed == change.changed == 0 for change in changes)

    removed = knowledge.entries["partners"][-1].entry.id
    path = staff_copy / "partners.yml"
    rows = load_knowledge(staff_copy).entries["partners"]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[: rows[-1].line - 1]), encoding="utf-8")
    changes = import_knowledge(load_knowledge(staff_copy), engine)
    with session_scope(engine) as session:
        assert session.get(models.Partner, removed) is None
        assert session.execute(select(func.count()).select_from(models.Partner)).scalar_one() == len(rows) - 1
    assert next(change for change in changes if change.name == "partners").removed == 1


def test_export_after_import_reproduces_the_files(engine, knowledge, tmp_path: Path) -> None:
    import_knowledge(knowledge, engine)
    export_knowledge(tmp_path / "exported", engine)
    for knowledge_file in KNOWLEDGE_FILES:
        exported = (tmp_path / "exported" / knowledge_file.filename).read_text(encoding="utf-8")
        original = (KNOWLEDGE_DIR / knowledge_file.filename).read_text(encoding="utf-8")
        assert exported == original, f"{knowledge_file.filename} differs after export"


def test_bad_file_import_through_the_cli_changes_nothing(
    database_url: str, staff_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    runner = CliRunner()
    result = runner.invoke(main, ["db", "import", "--dir", str(staff_copy)])
    assert result.exit_code == 0, result.output + result.stderr
    from assistant.db.session import create_db_engine

    engine = create_db_engine(database_url, 5)
    with session_scope(engine) as session:
        before = export_rows(session)

    start = append(staff_copy, "partners.yml", GOOD_PARTNER.format(programme=any_programme_id()).replace("country: no", "country: zz"))
    (staff_copy / "grants.yml").unlink()
    result = runner.invoke(main, ["db", "import", "--dir", str(staff_copy)])
    assert result.exit_code == 1
    assert f"partners.yml:{start + 5}: unknown country 'zz'" in result.stderr
    assert "grants.yml:1: the file is missing" in result.stderr
    assert "database is unchanged" in result.stderr
    with session_scope(engine) as session:
        assert export_rows(session) == before
    engine.dispose()


def test_check_command_reports_valid_files() -> None:
    result = CliRunner().invoke(main, ["db", "check", "--dir", str(KNOWLEDGE_DIR)])
    assert result.exit_code == 0
    assert "are valid" in result.output


def test_a_search_words_group_of_one_word_is_reported_with_its_line(staff_copy: Path) -> None:
    start = append(staff_copy, "search_words.yml", "- id: lonely\n  words:\n  - alone\n")
    assert problems_of(staff_copy) == [
        ("search_words.yml", start + 1, "'words': list at least two words or phrases that mean the same thing")
    ]
