"""A rebuild runs a slow check again (a scenario's example conversations, an e-mail exercise's
model answer) only when something it depends on changed; a failing check fails every build."""

import shutil
import sys
from pathlib import Path

import pytest

if sys.platform == "emscripten":
    pytest.skip("the site is built with CPython, not in the browser", allow_module_level=True)

import yaml  # noqa: E402 - after the skip: Pyodide has neither PyYAML nor the build steps

from site_build import exercises, scenarios  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path):
    """A project with two real scenarios and the real objection library."""
    (tmp_path / "exercises" / "appels").mkdir(parents=True)
    for name in ("client-distrait.yml", "cheque-au-courrier.yml"):
        shutil.copy(ROOT / "exercises" / "appels" / name, tmp_path / "exercises" / "appels" / name)
    shutil.copytree(ROOT / "exercises" / "objections", tmp_path / "exercises" / "objections")
    return tmp_path


@pytest.fixture
def replayed(monkeypatch):
    """The ids of the scenarios whose examples were replayed, build after build."""
    seen = []
    real = scenarios.example_failures

    def counting(scenario, label=None):
        seen.append(scenario["id"])
        return real(scenario, label)

    monkeypatch.setattr(scenarios, "example_failures", counting)
    return seen


def build(project):
    return scenarios.load_all(project / "exercises" / "appels", project, cache_dir=project / "cache")


def test_a_rebuild_with_nothing_changed_replays_nothing(project, replayed):
    first = build(project)
    assert sorted(replayed) == ["cheque-au-courrier", "client-distrait"]
    replayed.clear()
    assert build(project) == first          # the same scenarios, validated as before
    assert replayed == []


def test_an_edited_scenario_is_replayed_and_only_it(project, replayed):
    build(project)
    replayed.clear()
    path = project / "exercises" / "appels" / "client-distrait.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# relu\n", encoding="utf-8")
    build(project)
    assert replayed == ["client-distrait"]


def test_an_edited_objection_library_replays_every_scenario(project, replayed):
    build(project)
    replayed.clear()
    library = sorted((project / "exercises" / "objections").glob("*.yml"))[0]
    library.write_text(library.read_text(encoding="utf-8") + "\n# relu\n", encoding="utf-8")
    build(project)
    assert sorted(replayed) == ["cheque-au-courrier", "client-distrait"]


def test_a_failing_example_fails_every_build_not_only_the_first(project, replayed):
    path = project / "exercises" / "appels" / "client-distrait.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["examples"][1]["expect"]["score_min"] = 95        # the poor call cannot reach it
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(scenarios.ScenarioError) as caught:
            build(project)
        assert "expect.score_min : score attendu d’au moins 95" in str(caught.value)


def test_a_damaged_record_is_ignored(project, replayed):
    build(project)
    (project / "cache" / scenarios.REPLAYED).write_text("{pas du json", encoding="utf-8")
    replayed.clear()
    build(project)
    assert sorted(replayed) == ["cheque-au-courrier", "client-distrait"]


# ------------------------------------------------------------------ model answers of e-mail exercises

@pytest.fixture
def quiz(tmp_path):
    """A project with the real module 7 exercises (one of them an e-mail with its model answer)."""
    (tmp_path / "exercises" / "quiz").mkdir(parents=True)
    shutil.copy(ROOT / "exercises" / "quiz" / "m07-relancer.yml", tmp_path / "exercises" / "quiz")
    shutil.copytree(ROOT / "exercises" / "objections", tmp_path / "exercises" / "objections")
    return tmp_path


@pytest.fixture
def checked(monkeypatch):
    """The model answers checked against their rules, build after build."""
    import simulator.redaction

    seen = []
    real = simulator.redaction.check_text

    def counting(text, rules, **options):
        seen.append(text)
        return real(text, rules, **options)

    monkeypatch.setattr(simulator.redaction, "check_text", counting)
    return seen


def load(quiz):
    return exercises.load_all(quiz / "exercises" / "quiz", quiz, cache_dir=quiz / "cache")


def test_a_model_answer_that_passed_is_not_checked_again(quiz, checked):
    first = load(quiz)
    assert len(checked) == 1 and "F-2026-088" in checked[0]
    checked.clear()
    again = load(quiz)
    assert checked == []
    assert again["m07-rappel-preventif"].data == first["m07-rappel-preventif"].data


def test_an_edited_model_answer_is_checked_again_and_its_failure_shown_at_every_build(quiz, checked):
    load(quiz)
    path = quiz / "exercises" / "quiz" / "m07-relancer.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("F-2026-088, d’un montant", "F-2026-089, d’un montant"), encoding="utf-8")
    for _ in range(2):
        checked.clear()
        with pytest.raises(exercises.ExerciseError) as caught:
            load(quiz)
        assert len(checked) == 1
        assert "la réponse d’exemple ne passe pas ses propres règles" in str(caught.value)
        assert "m07-relancer.yml" in str(caught.value)


def test_changed_rules_check_the_same_model_answer_again(quiz, checked):
    load(quiz)
    path = quiz / "exercises" / "quiz" / "m07-relancer.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("      valeur: 1740\n", "      valeur: 1750\n"), encoding="utf-8")
    checked.clear()
    with pytest.raises(exercises.ExerciseError) as caught:
        load(quiz)
    assert len(checked) == 1
    assert "ne passe pas ses propres règles" in str(caught.value)
