"""A rebuild replays a scenario's example conversations only when something they depend on changed."""

import shutil
from pathlib import Path

import pytest
import yaml

from site_build import scenarios

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
