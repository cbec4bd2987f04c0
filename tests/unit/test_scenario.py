"""Scenario loading and validation, and the eight scenario files replayed like code."""

import json

import pytest

from simulator import ScenarioError, Session, load_scenario, scenario_to_dict
from simulator.scenario import Scenario

from unit_helpers import DELETE, GOOD_CALL, SCENARIO_DIR, make_scenario, needs_cpython, play

LABEL = "exercises/appels/x.yml"


def errors_for(**changes):
    with pytest.raises(ScenarioError) as info:
        load_scenario(make_scenario(**changes), name=LABEL)
    return str(info.value).splitlines()


# ------------------------------------------------------------------ validation messages

def test_error_names_file_field_and_expectation():
    assert errors_for(**{"persona.irritation": "high"}) == [
        "exercises/appels/x.yml: persona.irritation: expected a number between 0 and 1, got 'high'"]


@pytest.mark.parametrize("changes, expected", [
    ({"level": "expert"}, "level: expected one of: facile, moyen, difficile, got 'expert'"),
    ({"today": "23/11/2026"}, "today: expected a date YYYY-MM-DD, got '23/11/2026'"),
    ({"invoice.amount": -5}, "invoice.amount: expected a number greater than 0, got -5"),
    ({"invoice.due": "2026-11-30"}, "invoice.due: expected a due date before the call date"),
    ({"persona.excuses": ["hier"]}, "persona.excuses[0]: expected one of: oubli"),
    ({"persona.method": "bitcoin"}, "persona.method: expected one of: virement"),
    ({"persona.promise.time": 720}, "persona.promise.time: expected a time \"HH:MM\" in quotes, got 720"),
    ({"persona.good_faith": "oui"}, "persona.good_faith: expected true or false, got 'oui'"),
    ({"persona.questions_before_answer": 1.5},
     "persona.questions_before_answer: expected an integer between 0 and 8, got 1.5"),
    ({"persona.excuses": ["comptable"]}, "persona.callback: required when persona.excuses has 'comptable'"),
    ({"persona.cash_available": 100}, "persona.cash_available: lower than the invoice amount"),
    ({"title": DELETE}, "title: required text is missing"),
    ({"situation": "ligne 1\nligne 2"}, "situation: expected a single line of text"),
    ({"briefing": "<b>Appelez</b> le client"}, "briefing: expected plain text without HTML tags"),
    ({"colour": "bleu"}, "colour: unknown field (expected one of: id, title"),
    ({"replies": {"excuse_oubli": ["Bonjour {prenom}"]}},
     "replies.excuse_oubli[0]: unknown placeholder {prenom}"),
    ({"replies": {"excuse_oubli": ["Accolade { orpheline"]}}, "replies.excuse_oubli[0]: expected a valid template"),
    ({"replies": {"humeur": ["x"]}}, "replies.humeur: unknown situation"),
    ({"hints": {"fin": "x"}}, "hints.fin: unknown stage"),
    ({"objectives": {"weights": {"charisme": 3}}}, "objectives.weights.charisme: unknown criterion"),
    ({"examples": []}, "examples: expected at least 2 example conversations"),
    ({"examples.0.expect": {"passed": ["charme"]}}, "examples[0].expect.passed[0]: expected a criterion id"),
])
def test_validation_messages(changes, expected):
    data = make_scenario()
    for dotted, value in changes.items():
        target, keys = data, dotted.split(".")
        for key in keys[:-1]:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is DELETE:
            del target[keys[-1]]
        else:
            target[keys[-1]] = value
    with pytest.raises(ScenarioError) as info:
        load_scenario(data, name=LABEL)
    message = str(info.value)
    assert f"{LABEL}: {expected}" in message, message


def test_all_problems_are_reported_at_once():
    lines = errors_for(**{"persona.irritation": 3, "level": "x", "duration": 0})
    assert len(lines) == 3 and all(line.startswith(LABEL + ": ") for line in lines)
    with pytest.raises(ScenarioError) as info:
        load_scenario(make_scenario(**{"persona.irritation": 3}), name=LABEL)
    assert info.value.errors == [str(info.value)]


def test_top_level_must_be_a_mapping():
    from simulator.scenario import validate

    with pytest.raises(ScenarioError, match="x.yml: .*expected a mapping at the top level"):
        validate([1, 2, 3], source=LABEL)
    with pytest.raises(ScenarioError, match="expected a scenario dict or a file path"):
        load_scenario([1, 2, 3])


# ------------------------------------------------------------------ dict <-> JSON

def test_loaded_scenario_is_a_json_ready_dict_with_defaults():
    sc = load_scenario(make_scenario())
    assert isinstance(sc, Scenario) and sc.id == "test-oubli"
    data = scenario_to_dict(sc)
    assert data == sc.to_dict() and data is not sc.to_dict()
    assert data["max_turns"] == 30 and data["persona"]["patience"] == 2
    json.dumps(data)


def test_json_round_trip_gives_the_same_scenario_and_the_same_call():
    sc = load_scenario(make_scenario())
    again = load_scenario(json.loads(json.dumps(scenario_to_dict(sc))))
    assert again == sc
    assert play(again, GOOD_CALL, seed=4).debrief() == play(sc, GOOD_CALL, seed=4).debrief()


def test_loading_does_not_modify_the_callers_dict():
    data = make_scenario()
    before = json.dumps(data, sort_keys=True)
    load_scenario(data)
    assert json.dumps(data, sort_keys=True) == before


def test_dates_given_as_date_objects_become_iso_strings():
    import datetime

    sc = load_scenario(make_scenario(today=datetime.date(2026, 11, 23)))
    assert sc["today"] == "2026-11-23"


# ------------------------------------------------------------------ files (CPython + PyYAML)

SCENARIO_FILES = sorted(SCENARIO_DIR.glob("*.yml"))


@needs_cpython
def test_yaml_file_errors_name_the_file(tmp_path):
    import yaml

    data = make_scenario(**{"persona.irritation": "high"})
    data["id"] = "x"
    path = tmp_path / "x.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    assert str(info.value) == f"{path}: persona.irritation: expected a number between 0 and 1, got 'high'"


@needs_cpython
def test_yaml_id_must_match_the_file_name(tmp_path):
    import yaml

    path = tmp_path / "autre-nom.yml"
    path.write_text(yaml.safe_dump(make_scenario(), allow_unicode=True), encoding="utf-8")
    with pytest.raises(ScenarioError, match="id: expected the file name 'autre-nom'"):
        load_scenario(path)


@needs_cpython
def test_broken_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad.yml: invalid YAML at line \d+"):
        load_scenario(bad)
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "absent.yml")
    tab = tmp_path / "tab.yml"  # libyaml would accept it; PyYAML's own parser, and the course, do not
    tab.write_text("id: x\ntitle:\tLe client\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"tab.yml: invalid YAML at line 2"):
        load_scenario(tab)


@needs_cpython
def test_there_are_eight_scenarios_ordered_from_easy_to_hard():
    scenarios = [load_scenario(p) for p in SCENARIO_FILES]
    assert len(scenarios) == 8
    assert len({s["id"] for s in scenarios}) == 8
    ordered = sorted(scenarios, key=lambda s: s["order"])
    assert [s["order"] for s in ordered] == list(range(1, 9))
    levels = ["facile", "moyen", "difficile"]
    ranks = [levels.index(s["level"]) for s in ordered]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == 2
    for s in scenarios:
        assert s["briefing"] and s["situation"] and s["duration"] > 0


@needs_cpython
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_scenario_examples_replay_as_expected(path):
    from simulator.cli import check_example

    sc = load_scenario(path)
    for example in sc["examples"]:
        assert check_example(sc, example) == [], example["name"]


@needs_cpython
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_a_careful_learner_gets_an_exact_date_and_a_careless_one_does_not(path):
    sc = load_scenario(path)
    outcomes = []
    for example in sc["examples"]:
        s = play(sc, example["lines"], seed=example["seed"])
        if not s.ended:
            s.hang_up()
        r = s.debrief()
        exact = any(c["id"] == "exact_date" and c["passed"] for c in r["criteria"])
        outcomes.append((exact, r["score"]))
    best = max(outcomes, key=lambda o: o[1])
    worst = min(outcomes, key=lambda o: o[1])
    assert best[0] and best[1] >= 80
    assert worst[1] <= 40 and best[1] - worst[1] >= 40


@needs_cpython
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_yaml_and_its_json_export_behave_identically(path):
    sc = load_scenario(path)
    from_json = load_scenario(json.loads(json.dumps(scenario_to_dict(sc), ensure_ascii=False)))
    lines = sc["examples"][0]["lines"]
    assert play(from_json, lines, seed=1).debrief() == play(sc, lines, seed=1).debrief()


@needs_cpython
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_scenario_replies_fill_in_the_real_facts(path):
    sc = load_scenario(path)
    s = Session(sc)
    text = " ".join(s.say(line).text for line in sc["examples"][0]["lines"] if not s.ended)
    assert "{" not in text and "<" not in text
    c = s.commitment()
    from simulator.dates import format_date_fr

    assert format_date_fr(c["date"]) in text.lower()
