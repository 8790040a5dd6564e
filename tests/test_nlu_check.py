"""`assistant nlu check` catches each kind of problem in the training phrases, with file and line."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assistant import cli
from assistant.config import PROJECT_ROOT

RASA_FILES = ("domain.yml", "config.yml", "data/nlu", "data/rules", "data/stories", "data/wording")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's training data, domain and configuration, to plant problems in."""
    for name in RASA_FILES:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, tmp_path / name)
    return tmp_path


def check(project: Path, *options: str) -> Result:
    return CliRunner().invoke(cli.main, ["nlu", "check", "--project", str(project), *options])


def append(project: Path, relative: str, text: str) -> int:
    """Append lines to a training file; returns the line number of the first appended line."""
    path = project / relative
    existing = path.read_text(encoding="utf-8")
    if not existing.endswith("\n"):
        existing += "\n"
    path.write_text(existing + text, encoding="utf-8")
    return existing.count("\n") + 1


def phrases(count: int, stem: str) -> str:
    return "".join(f"    - {stem} number {n}\n" for n in range(count))


def add_intent_to_domain(project: Path, intent: str) -> None:
    domain = project / "domain.yml"
    domain.write_text(domain.read_text(encoding="utf-8").replace("intents:\n", f"intents:\n  - {intent}\n", 1), encoding="utf-8")


def test_the_real_training_data_passes_every_check_including_rasas() -> None:
    result = CliRunner().invoke(cli.main, ["nlu", "check"])
    assert result.exit_code == 0, result.output
    assert "Rasa's validator: passed" in result.output
    assert "is not used in any story or rule" not in result.output
    assert "0 error(s)" in result.output


def test_an_intent_missing_in_one_language_is_an_error(project: Path) -> None:
    add_intent_to_domain(project, "ask_visa")
    (project / "data/nlu/en/visa.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: ask_visa\n  examples: |\n' + phrases(30, "do I need a visa"), encoding="utf-8")
    result = check(project, "--skip-rasa")
    assert result.exit_code == 1
    assert "data/nlu/fr: error: intent 'ask_visa' has no examples in this language: add at least 25" in result.output


def test_too_few_examples_is_a_warning_at_the_intent_and_does_not_stop_training(project: Path) -> None:
    add_intent_to_domain(project, "ask_visa")
    (project / "data/nlu/en/visa.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: ask_visa\n  examples: |\n' + phrases(30, "do I need a visa"), encoding="utf-8")
    (project / "data/nlu/fr/visa.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: ask_visa\n  examples: |\n' + phrases(3, "faut-il un visa"), encoding="utf-8")
    result = check(project, "--skip-rasa")
    assert result.exit_code == 0
    assert ("data/nlu/fr/visa.yml:3: warning: intent 'ask_visa' has 3 example(s) in 'fr': it trains, but at least 25 "
            "are advised for new wordings to be recognised") in result.output
    assert "at least 25" not in check(project, "--skip-rasa", "--minimum", "3").output


def test_a_phrase_under_two_intents_is_an_error_with_both_places(project: Path) -> None:
    line = append(project, "data/nlu/en/basics.yml", "- intent: thank\n  examples: |\n    - Hello!\n")
    result = check(project, "--skip-rasa")
    assert result.exit_code == 1
    assert (f"data/nlu/en/basics.yml:{line + 2}: error: 'Hello!' is an example of 'thank' and of 'greet' "
            "(data/nlu/en/basics.yml:6)") in result.output


def test_a_near_duplicate_under_another_intent_is_a_warning(project: Path) -> None:
    line = append(project, "data/nlu/en/basics.yml", "- intent: thank\n  examples: |\n    - hello there my friends\n")
    append(project, "data/nlu/en/basics.yml", "- intent: greet\n  examples: |\n    - hello there my friend\n")
    result = check(project, "--skip-rasa")
    assert result.exit_code == 0, result.output
    assert "warning: 'hello there my friend' (greet) is nearly the same as 'hello there my friends' " \
           f"(thank, data/nlu/en/basics.yml:{line + 2})" in result.output
    assert "0 error(s), 1 warning(s)" in result.output


def test_an_intent_not_in_the_domain_is_an_error(project: Path) -> None:
    line = append(project, "data/nlu/fr/basics.yml", "- intent: ask_visas\n  examples: |\n    - il faut un visa ?\n")
    result = check(project, "--skip-rasa")
    assert result.exit_code == 1
    assert f"data/nlu/fr/basics.yml:{line}: error: intent 'ask_visas' is not in domain.yml" in result.output


def test_a_response_nothing_sends_is_a_warning_at_its_line(project: Path) -> None:
    domain = project / "domain.yml"
    text = domain.read_text(encoding="utf-8")
    text = text.replace("responses:\n", "responses:\n  utter_forgotten:\n    - text: \"Nobody says this.\"\n", 1)
    domain.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  utter_forgotten:") + 1
    result = check(project, "--skip-rasa")
    assert (f"domain.yml:{line}: warning: response 'utter_forgotten' is sent by no rule or story: remove it, use it in "
            "a rule, or, if an action sends it, move it to data/wording/") in result.output
    assert "0 error(s), 1 warning(s)" in result.output


def test_wording_problems_are_reported_with_file_and_line(project: Path) -> None:
    contacts = project / "data/wording/contacts.yml"
    lines = contacts.read_text(encoding="utf-8").splitlines()
    line = lines.index('  fr: "Pour en savoir plus : {contact}"') + 1
    lines[line - 1] = '  fr: "Pour en savoir plus : {contacts}"'
    contacts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    append(project, "data/wording/contacts.yml", 'more_detials:\n  en: "More: {contact}"\n')
    result = check(project, "--skip-rasa")
    assert result.exit_code == 1
    assert (f"data/wording/contacts.yml:{line}: error: 'more_details' (fr): {{contacts}} is not filled in by the "
            "assistant: the placeholders of this entry are {contact}") in result.output
    assert f"data/wording/contacts.yml:{len(lines) + 1}: error: 'more_detials' has no French text" in result.output
    assert (f"data/wording/contacts.yml:{len(lines) + 1}: warning: 'more_detials' is sent by no part of the "
            "assistant") in result.output


def test_an_unknown_entity_is_an_error_at_its_line(project: Path) -> None:
    line = append(project, "data/nlu/en/partners.yml", "- intent: ask_partners\n  examples: |\n    - partners in [Peru](nation)?\n")
    result = check(project, "--skip-rasa")
    assert result.exit_code == 1
    assert f"data/nlu/en/partners.yml:{line + 2}: error: entity 'nation' is not in domain.yml" in result.output


def test_broken_yaml_is_an_error_with_its_line(project: Path) -> None:
    line = append(project, "data/nlu/en/basics.yml", "- intent: greet\n  examples: |\n    - hi\n  - : : [\n")
    result = check(project, "--skip-rasa")
    assert result.exit_code == 1
    assert "data/nlu/en/basics.yml:" in result.output and "not valid YAML" in result.output
    assert "Traceback" not in result.output
    assert line > 1


def test_rasas_validator_failure_fails_the_check(project: Path) -> None:
    stories = project / "data/stories/partners.yml"
    stories.write_text(stories.read_text(encoding="utf-8") + "\n- story: broken\n  steps:\n  - intent: no_such_intent\n",
                       encoding="utf-8")
    result = check(project)
    assert result.exit_code == 1
    assert "Rasa's validator: FAILED" in result.output
