"""The wording files (data/wording/): checked with file and line, rendered per language, re-read when edited;
and Rasa's validator, which no longer sees responses that only actions send."""
from __future__ import annotations

import ast
import logging
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT
from assistant.server.runner import RASA_DATA_PATHS
from assistant.wording import LiveWording, WordingError, check_wording, load_wording
from assistant.wording_keys import TOPIC_PREFIX, WORDING_KEYS
from tests.conftest import free_port

WORDING_DIR = PROJECT_ROOT / "data" / "wording"


@pytest.fixture
def wording_dir(tmp_path: Path) -> Path:
    """A copy of the project's wording files, to edit."""
    return Path(shutil.copytree(WORDING_DIR, tmp_path / "wording"))


def edit(path: Path, old: str, new: str) -> int:
    """Replace the one occurrence of `old`; returns the line (from 1) where it was. The file's time moves on by a
    second, as an editor's save would."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1
    status = path.stat()
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    return line


def errors(folder: Path) -> list[str]:
    with pytest.raises(WordingError) as raised:
        load_wording(folder, root=folder.parent)
    return [str(problem) for problem in raised.value.problems]


def test_rasas_validator_finds_every_response_used_and_nothing_wrong() -> None:
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.validator import Validator

    importer = TrainingDataImporter.load_from_config(
        str(PROJECT_ROOT / "config.yml"),
        str(PROJECT_ROOT / "domain.yml"),
        [str(PROJECT_ROOT / folder) for folder in RASA_DATA_PATHS],
    )
    validator = Validator.from_importer(importer)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        passed = {
            "domain": validator.verify_domain_validity(),
            "actions in stories and rules": validator.verify_actions_in_stories_rules(),
            "forms in stories and rules": validator.verify_forms_in_stories_rules(),
            "form slots": validator.verify_form_slots(),
            "slot mappings": validator.verify_slot_mappings(),
            "intents and responses": validator.verify_nlu(ignore_warnings=False),
            "story structure": validator.verify_story_structure(ignore_warnings=False),
        }
    messages = [
        str(warning.message)
        for warning in caught
        if issubclass(warning.category, UserWarning) and not issubclass(warning.category, DeprecationWarning)
    ]
    assert not [message for message in messages if "is not used in any story or rule" in message]
    assert messages == []
    assert all(passed.values()), passed


def test_the_project_wording_has_every_entry_in_both_languages_and_no_problem() -> None:
    texts, problems = check_wording(WORDING_DIR, PROJECT_ROOT)
    assert [str(problem) for problem in problems] == []
    assert set(texts) == set(WORDING_KEYS)
    assert all(set(languages) == {"en", "fr"} for languages in texts.values())


def test_the_code_sends_every_entry_with_exactly_the_values_it_takes() -> None:
    """What the wording check relies on: a reply() the code builds never fails in a conversation."""
    named, mismatched = set(), []
    for path in [*(PROJECT_ROOT / "actions").glob("*.py"), *(PROJECT_ROOT / "assistant" / "answers").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            named |= {node.value} if isinstance(node, ast.Constant) and node.value in WORDING_KEYS else set()
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "reply"):
                continue
            first = node.args[0]
            choices = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            # A key held in a variable (FormQuestion.question) is counted as named above; its call has no values.
            for key in (choice.value for choice in choices if isinstance(choice, ast.Constant)):
                if {keyword.arg for keyword in node.keywords} != WORDING_KEYS[key].filled:
                    mismatched.append(f"{path.name}:{node.lineno} {key}")
    assert mismatched == []
    assert [key for key in WORDING_KEYS if key not in named and not key.startswith(TOPIC_PREFIX)] == []


def test_a_reply_is_rendered_in_french_for_fr_and_in_english_otherwise() -> None:
    wording = load_wording(WORDING_DIR)
    values = {"school": "Lille", "place": "Spain", "count": "3", "partners": "Cádiz", "source": "Brochure"}
    assert wording.render("partners_found", "en", values) == "Lille — Spain: 3 partner universities: Cádiz\nSource: Brochure"
    assert wording.render("partners_found", "fr", values) == (
        "Lille — Spain : 3 universités partenaires : Cádiz\nSource : Brochure"
    )
    assert wording.render("partners_found", "de", values) == wording.render("partners_found", "en", values)
    assert wording.text("topic_ask_fees", "fr") == "Frais"


def test_a_missing_language_is_refused_with_file_and_line(wording_dir: Path) -> None:
    line = edit(wording_dir / "partners.yml", '  fr: "Je ne reconnais pas ce lieu.', '  de: "Je ne reconnais pas ce lieu.')
    assert errors(wording_dir) == [
        f"wording/partners.yml:{line}: error: 'unknown_place' has a text in 'de': the languages are en (English) and "
        "fr (French)",
        f"wording/partners.yml:{line - 2}: error: 'unknown_place' has no French text: add `fr:` under it",
    ]


def test_a_placeholder_the_code_does_not_fill_is_refused(wording_dir: Path) -> None:
    line = edit(wording_dir / "contacts.yml", '  en: "More details: {contact}"', '  en: "More details: {contacts}"')
    problems = errors(wording_dir)
    assert (f"wording/contacts.yml:{line}: error: 'more_details' (en): {{contacts}} is not filled in by the assistant: "
            "the placeholders of this entry are {contact}") in problems
    assert (f"wording/contacts.yml:{line}: error: 'more_details' (en): {{contact}} is missing: the assistant fills it "
            "in; put it back") in problems


def test_a_placeholder_with_a_format_is_refused(wording_dir: Path) -> None:
    line = edit(wording_dir / "contacts.yml", '  en: "More details: {contact}"', '  en: "More details: {contact!r:>40}"')
    assert errors(wording_dir) == [
        f"wording/contacts.yml:{line}: error: 'more_details' (en): {{contact!r:>40}} is not a placeholder: the "
        "placeholders of this entry are {contact}"
    ]


def test_a_placeholder_left_out_is_refused_unless_the_text_may_leave_it_out(wording_dir: Path) -> None:
    line = edit(
        wording_dir / "programmes.yml",
        "{detail}\\nSource : {source}\\nPour en savoir plus : {contact}",
        "{detail}\\nSource : {source}\\nPour en savoir plus, écrivez-nous.",
    )
    assert errors(wording_dir) == [
        f"wording/programmes.yml:{line}: error: 'programme_detail' (fr): {{contact}} is missing: the assistant fills "
        "it in; put it back"
    ]
    # "1 partner university" needs no {count}: it is optional for that entry.
    assert "{count}" not in load_wording(WORDING_DIR).text("partner_found", "en")


def test_broken_braces_and_yaml_are_refused_with_their_line(wording_dir: Path) -> None:
    line = edit(wording_dir / "school.yml", '"{school}: {facts}', '"{school: {facts}')
    assert errors(wording_dir)[0].startswith(f"wording/school.yml:{line}: error: 'facts' (en): a brace {{ or }} is not paired")
    shutil.copy(WORDING_DIR / "school.yml", wording_dir / "school.yml")
    line = edit(wording_dir / "fallback.yml", '  en: "Fees"', '  en: "Fees\n  fr: Frais')
    [problem] = errors(wording_dir)
    assert problem.startswith("wording/fallback.yml:") and "not valid YAML" in problem
    assert int(problem.split(":")[1]) >= line


def test_a_duplicate_entry_is_refused_in_one_file_and_across_files(wording_dir: Path) -> None:
    partners = wording_dir / "partners.yml"
    partners.write_text(partners.read_text(encoding="utf-8") + '\nunknown_place:\n  en: "x"\n  fr: "y"\n', encoding="utf-8")
    lines = partners.read_text(encoding="utf-8").splitlines()
    second = len(lines) - 2
    assert lines[second - 1] == "unknown_place:"
    assert errors(wording_dir) == [f"wording/partners.yml:{second}: error: 'unknown_place' is written twice here: keep one"]
    shutil.copy(WORDING_DIR / "partners.yml", partners)
    (wording_dir / "zz_more.yml").write_text('more_details:\n  en: "See {contact}"\n  fr: "Voir {contact}"\n', encoding="utf-8")
    contacts = (WORDING_DIR / "contacts.yml").read_text(encoding="utf-8").splitlines()
    assert errors(wording_dir) == [
        f"wording/zz_more.yml:1: error: 'more_details' is already in wording/contacts.yml:"
        f"{contacts.index('more_details:') + 1}: keep one"
    ]


def test_a_missing_entry_is_an_error_and_an_unknown_one_a_warning(wording_dir: Path) -> None:
    edit(wording_dir / "contacts.yml", "\nmore_details:", "\nmore_detail:")
    problems = errors(wording_dir)
    assert problems == ["wording: error: 'more_details' is missing: the assistant sends it; add it with its en and fr texts"]
    _, all_problems = check_wording(wording_dir, wording_dir.parent)
    assert any("warning: 'more_detail' is sent by no part of the assistant" in str(problem) for problem in all_problems)


def test_an_edit_is_live_without_restart_and_a_broken_one_keeps_the_last_good_wording(
    wording_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    live = LiveWording(wording_dir)
    assert live.current().text("topic_ask_fees", "en") == "Fees"
    edit(wording_dir / "fallback.yml", '  en: "Fees"', '  en: "Fees and costs"')
    assert live.current().text("topic_ask_fees", "en") == "Fees and costs"

    with caplog.at_level(logging.ERROR, logger="assistant.wording"):
        line = edit(wording_dir / "fallback.yml", '  fr: "Frais"', '  fr: "Frais {amount}"')
        assert live.current().text("topic_ask_fees", "fr") == "Frais"
        assert live.current().text("topic_ask_fees", "en") == "Fees and costs"
    assert f"fallback.yml:{line}: error: 'topic_ask_fees' (fr): {{amount}} is not filled in" in caplog.text
    assert "keep the last good wording" in caplog.text

    edit(wording_dir / "fallback.yml", '  fr: "Frais {amount}"', '  fr: "Frais et coûts"')
    assert live.current().text("topic_ask_fees", "fr") == "Frais et coûts"


def test_the_first_reading_of_broken_wording_fails(wording_dir: Path) -> None:
    (wording_dir / "fallback.yml").unlink()
    with pytest.raises(WordingError):
        LiveWording(wording_dir).current()


def test_the_action_server_refuses_to_start_on_broken_wording_saying_where(wording_dir: Path) -> None:
    line = edit(wording_dir / "partners.yml", "{count} partner universities", "{number} partner universities")
    result = subprocess.run(
        [sys.executable, "-m", "assistant.server.action_server", "--actions", "actions", "--port", str(free_port())],
        cwd=PROJECT_ROOT,
        env={**os.environ, "WORDING_DIR": str(wording_dir)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"{wording_dir / 'partners.yml'}:{line}: error: 'partners_found' (en): {{number}} is not filled in" in output
    assert "the action server does not start until they are fixed" in output
    assert "Traceback" not in output
