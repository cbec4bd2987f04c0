"""Scenario loading and validation, and the eight scenario files replayed like code."""

import json

import pytest

from simulator import ScenarioError, Session, load_scenario, scenario_to_dict
from simulator.scenario import Scenario

from unit_helpers import DELETE, GOOD_CALL, ROOT, SCENARIO_DIR, make_scenario, needs_cpython, play

FIXTURES = ROOT / "tests" / "unit" / "fixtures"

LABEL = "exercises/appels/x.yml"


def errors_for(**changes):
    with pytest.raises(ScenarioError) as info:
        load_scenario(make_scenario(**changes), name=LABEL)
    return str(info.value).splitlines()


# ------------------------------------------------------------------ validation messages

def test_error_names_file_field_and_expectation_in_french():
    assert errors_for(**{"persona.irritation": "high"}) == [
        "exercises/appels/x.yml: scénario « test-oubli », champ « persona.irritation » : attendu un "
        "nombre entre 0 et 1 (sans guillemets ; les décimales s’écrivent avec un point), trouvé un "
        "texte (« high »)"]


@pytest.mark.parametrize("changes, expected", [
    ({"level": "expert"}, "champ « level » : attendu une valeur parmi facile, moyen, difficile, trouvé un texte (« expert »)"),
    ({"today": "23/11/2026"}, "champ « today » : attendu une date \"AAAA-MM-JJ\""),
    ({"invoice.amount": -5}, "champ « invoice.amount » : attendu un nombre supérieur à 0, trouvé un nombre entier (-5)"),
    ({"invoice.due": "2026-11-30"}, "champ « invoice.due » : attendu une échéance avant le jour de l’appel"),
    ({"persona.excuses": ["hier"]}, "champ « persona.objections[1] » : objection inconnue « hier »"),
    ({"persona.excuses": ["oubli", "oublie"]}, "champ « persona.objections[2] » : objection inconnue « oublie » "
                                              "(vouliez-vous dire « oubli » ?)"),
    ({"persona.method": "bitcoin"}, "champ « persona.method » : attendu une valeur parmi virement"),
    ({"persona.promise.time": 720}, "champ « persona.promise.time » : attendu une heure \"HH:MM\" entre guillemets"),
    ({"persona.good_faith": "oui"}, "champ « persona.good_faith » : attendu true ou false, trouvé un texte (« oui »)"),
    ({"persona.questions_before_answer": 1.5},
     "champ « persona.questions_before_answer » : attendu un nombre entier entre 0 et 8, trouvé un nombre (1.5)"),
    ({"persona.excuses": ["comptable"]}, "champ « persona.callback » : champ obligatoire : l’objection « comptable » "
                                         "mène à un rappel"),
    ({"persona.cash_available": 100}, "champ « persona.cash_available » : inférieur au montant dû"),
    ({"title": DELETE}, "champ « title » : champ obligatoire manquant : attendu un texte"),
    ({"situation": "ligne 1\nligne 2"}, "champ « situation » : attendu un texte sur une seule ligne"),
    ({"briefing": "<b>Appelez</b> le client"}, "champ « briefing » : attendu un texte sans balise HTML"),
    ({"colour": "bleu"}, "champ « colour » : champ inconnu ; champs possibles : id, title"),
    ({"titre": "Un titre"}, "champ « titre » : champ inconnu (vouliez-vous dire « title » ?)"),
    ({"replies": {"opening": ["Bonjour {prenom}"]}}, "champ « replies.opening[1] » : élément inconnu {prenom}"),
    ({"replies": {"opening": ["Accolade { orpheline"]}}, "champ « replies.opening[1] » : accolade mal fermée"),
    ({"replies": {"humeur": ["x"]}}, "champ « replies.humeur » : situation inconnue « humeur »"),
    ({"replies": {"excuse_oubli": ["Oubliée !"]}}, "champ « replies.excuse_oubli » : ces répliques appartiennent "
                                                   "maintenant à l’objection"),
    ({"hints": {"fin": "x"}}, "champ « hints.fin » : étape inconnue « fin »"),
    ({"objectives": {"weights": {"charisme": 3}}}, "champ « objectives.weights.charisme » : critère inconnu « charisme »"),
    ({"examples": []}, "champ « examples » : attendu au moins 2 conversations d’exemple"),
    ({"examples.0.expect": {"passed": ["charme"]}}, "champ « examples[1].expect.passed[1] » : critère inconnu « charme »"),
    ({"state": {"irritation": 0.5}}, "champ « state.irritation » : ce nom est déjà pris par le simulateur"),
    ({"amount_due": "principal + frais"}, "champ « amount_due » : nom inconnu « frais »"),
    ({"amount_due": "__import__('os')"}, "champ « amount_due » : fonction inconnue « __import__ »"),
    ({"amount_due": "arrondir(principal, 2)"}, "champ « amount_due » : fonction inconnue « arrondir » "
                                               "(vouliez-vous dire « arrondi » ?)"),
    ({"state": {"taux": "2,5"}}, "champ « state.taux » : attendu un nombre écrit avec un point (2.5)"),
    ({"state": {"accord": "faux"}}, "champ « state.accord » : attendu true ou false sans guillemets"),
    ({"state": {"accord": False}, "objections": {"oubli": {"only_if": {"state": {"accord": "vrai"}}}}},
     "champ « objections.oubli.only_if.state.accord » : attendu une valeur du même genre que « accord »"),
    ({"criteria": [{"id": "geste", "label": "Un geste", "explain_pass": "a {montant}", "explain_fail": "b",
                    "passes_when": {"move_made": "waive"}}]}, "champ « criteria[1].explain_pass » : élément inconnu {montant}"),
    ({"hints": {"date": "Demandez {quand}."}}, "champ « hints.date » : élément inconnu {quand}"),
    pytest.param({"criteria": [{"id": "geste", "label": "Un geste", "explain_pass": "a", "explain_fail": "b",
                                "passes_when": {"move_made": "waive"},
                                "course": "modules/08-appel-de-relance.md#inventee"}]},
                 "champ « criteria[1].course » : section « #inventee » introuvable dans docs/modules/08-appel-de-relance.md",
                 marks=needs_cpython),  # the course pages are not in the Pyodide test file system
    ({"moves": {"ask_when": ["quand"]}}, "champ « moves.ask_when » : ce mouvement existe déjà"),
    ({"moves": {"geste": ["a"]}}, "champ « moves.geste[1] » : phrase trop courte"),
    ({"objections": {"oubli": {"lifted_by": [{"moves": ["cite_loi"]}]}}},
     "champ « objections.oubli.lifted_by[1].moves[1] » : mouvement inconnu « cite_loi » (vouliez-vous dire « cite_law » ?)"),
    ({"objections": {"oubli": {"lifted_by": [{"state": {"remise": True}}]}}},
     "champ « objections.oubli.lifted_by[1].state.remise » : variable d’état inconnue « remise »"),
    ({"objections": {"rappel": {"label": "x"}}}, "champ « objections.rappel » : objection décrite mais avancée par personne"),
    ({"criteria": [{"id": "geste", "label": "Un geste"}]}, "champ « criteria[1].explain_pass » : champ obligatoire manquant"),
    ({"criteria": [{"id": "exact_date", "passes_when": {"move_made": "recap"}}]},
     "champ « criteria[1].passes_when » : ce critère est calculé par le simulateur"),
    ({"criteria": [{"id": "geste", "label": "Un geste", "explain_pass": "a", "explain_fail": "b",
                    "passes_when": {"moves": ["waive"]}}]},
     "champ « criteria[1].passes_when.moves » : ici, aucune réplique n’est lue"),
    ({"terms": [{"text": "remise de {pourcent}"}]}, "champ « terms[1].text » : élément inconnu {pourcent}"),
    pytest.param({"persona.excuses": ["oubli", "bon_de_commande"],
                  "objections": {"oubli": {"moves": {"numero_commande": {"triggers": ["mon numéro"]}}}}},
                 "champ « persona.excuses » : le mouvement « numero_commande » est déclaré par deux objections "
                 "(« oubli » et « bon_de_commande »)",
                 marks=needs_cpython),
    ({"criteria": [{"id": "geste", "label": "Un geste", "explain_pass": "a", "explain_fail": "b",
                    "passes_when": {"move_made": "waive"}, "essential": "oui"}]},
     "champ « criteria[1].essential » : attendu true ou false"),
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
    assert f"{LABEL}: scénario « test-oubli », {expected}" in message, message


def test_all_problems_are_reported_at_once():
    lines = errors_for(**{"persona.irritation": 3, "level": "x", "duration": 0})
    assert len(lines) == 3 and all(line.startswith(LABEL + ": ") for line in lines)
    with pytest.raises(ScenarioError) as info:
        load_scenario(make_scenario(**{"persona.irritation": 3}), name=LABEL)
    assert info.value.errors == [str(info.value)]


def test_top_level_must_be_a_mapping():
    from simulator.scenario import validate

    with pytest.raises(ScenarioError, match="x.yml:1: attendu un scénario"):
        validate([1, 2, 3], source=LABEL)
    with pytest.raises(ScenarioError, match="attendu un scénario .* ou le chemin"):
        load_scenario([1, 2, 3])


# One broken file per kind of mistake (tests/unit/fixtures/scenarios/*.yml, each says what is
# wrong in its first line): the first problem reported names the file, the line, the field and
# what is expected, in French, with list items counted from 1.
BROKEN = [
    ("yaml-indentation", 13, "YAML invalide : cette ligne est plus décalée que la ligne 12 : alignez-la sur "
                             "ses voisines"),
    ("yaml-tabulation", 16, "YAML invalide : une tabulation est utilisée : indentez avec des espaces"),
    ("yaml-guillemets", 7, "YAML invalide : ce texte contient « : » (deux-points précédé d’une espace, à la "
                           "française) : mettez tout le texte entre guillemets doubles"),
    ("yaml-guillemet-ouvert", 38, "YAML invalide : un guillemet ouvert n’est pas refermé sur cette ligne"),
    ("yaml-apostrophe", 38, "YAML invalide : une apostrophe ferme le texte écrit entre apostrophes"),
    ("deux-points-reponse", 38, "champ « replies.opening[1] » : attendu une réplique entre guillemets : "
                                "un « : » suivi d’une espace en fait un bloc de champs"),
    ("yaml-double", 5, "champ « level » écrit deux fois dans le même bloc"),
    ("champ-inconnu", 6, "champ « durée » : champ inconnu (vouliez-vous dire « duration » ?)"),
    ("champ-mal-indente", 35, "champ « method » : champ inconnu ici : il appartient au bloc « persona » ; "
                              "vérifiez son indentation"),
    ("bloc-vide", 15, "champ « number » : champ inconnu ici : il appartient au bloc « invoice »"),
    ("mauvais-type", 28, "champ « persona.irritation » : attendu un nombre entre 0 et 1"),
    ("hors-limites", 30, "champ « persona.questions_before_answer » : attendu un nombre entier entre 0 et 8, "
                         "trouvé un nombre entier (12)"),
    ("champ-manquant", 2, "champ « title » : champ obligatoire manquant : attendu un texte"),
    ("date-invalide", 10, "champ « today » : attendu une date \"AAAA-MM-JJ\""),
    ("objection-inconnue", 31, "champ « persona.objections[2] » : objection inconnue « oublie » "
                               "(vouliez-vous dire « oubli » ?)"),
    ("mouvement-inconnu", 42, "champ « objections.oubli.lifted_by[1].moves[1] » : mouvement inconnu « cite_loi »"),
    ("variable-inconnue", 24, "champ « moves.petit_geste.set.remise » : variable d’état inconnue « remise »"),
    ("element-inconnu", 38, "champ « replies.opening[1] » : élément inconnu {prenom}"),
    ("montant-du", 21, "champ « amount_due » : nom inconnu « frais »"),
    ("critere-inconnu", 47, "champ « examples[1].expect.passed[2] » : critère inconnu « date_exacte »"),
    ("situation-ancienne", 37, "champ « replies.excuse_oubli » : ces répliques appartiennent maintenant à "
                               "l’objection"),
    ("sans-relais", 25, "champ « gatekeeper.objections » : attendu au moins une objection qui passe la main"),
    ("exemples", 41, "champ « examples » : attendu au moins 2 conversations d’exemple"),
]


@needs_cpython
@pytest.mark.parametrize("name, line, words", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_scenario_file_gets_its_line_its_field_and_the_fix(name, line, words):
    path = FIXTURES / "scenarios" / f"{name}.yml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    first = info.value.errors[0]
    assert first.startswith(f"{path}:{line}: "), first
    assert words in first, first
    assert not any(word in str(info.value) for word in ("expected", "got ", "found ", "while "))  # no English


@needs_cpython
def test_the_valid_fixture_is_valid_and_every_broken_one_is_covered():
    load_scenario(FIXTURES / "scenarios" / "valide.yml")
    files = {p.stem for p in (FIXTURES / "scenarios").glob("*.yml")} - {"valide"}
    assert files == {b[0] for b in BROKEN}


BROKEN_OBJECTIONS = [
    ("condition_inconnue", 8, "champ « lifted_by[1].mouvements » : condition inconnue (vouliez-vous dire « moves » ?)"),
    ("fois_invalide", 9, "champ « lifted_by[1].times » : attendu un nombre entier de fois entre 1 et 10, "
                         "trouvé un texte (« deux »)"),
    ("jamais_levee", 2, "champ « lifted_by » : champ obligatoire manquant : dites ce qui lève l’objection"),
    ("mauvais_nom", 2, "champ « id » : attendu le nom du fichier, « mauvais_nom », trouvé un texte (« autre_nom »)"),
    ("reponse_inconnue", 10, "champ « on_lift[1].say » : attendu le nom d’une réplique de cette objection ; "
                             "répliques : raise, trouvé un texte (« leve »)"),
    ("sans_raise", 6, "champ « replies.raise » : champ obligatoire manquant"),
]


@needs_cpython
def test_broken_objection_files_are_all_reported_with_their_lines():
    from simulator.authoring import AuthoringError
    from simulator.library import load_library

    folder = FIXTURES / "objections"
    with pytest.raises(AuthoringError) as info:
        load_library(folder, ROOT)
    errors = info.value.errors
    assert len(errors) == len(BROKEN_OBJECTIONS), errors
    for (name, line, words), error in zip(BROKEN_OBJECTIONS, errors):
        rel = f"tests/unit/fixtures/objections/{name}.yml"
        assert error.startswith(f"{rel}:{line}: objection « {name} », {words}"), error


@needs_cpython
def test_a_library_objection_misused_by_a_scenario_is_reported_in_the_objection_file(tmp_path):
    """The library's penalites objection sets a state variable the scenario must declare."""
    data = make_scenario(**{"persona.excuses": ["penalites"]})
    with pytest.raises(ScenarioError) as info:
        load_scenario(data, name=LABEL)
    assert any(e.startswith("exercises/objections/penalites.yml:") and "penalites_retirees" in e
               and "(scénario « test-oubli »)" in e for e in info.value.errors), info.value.errors


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
def test_yaml_file_errors_name_the_file_and_the_line(tmp_path):
    import yaml

    data = make_scenario(**{"persona.irritation": "high"})
    data["id"] = "x"
    path = tmp_path / "x.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("  irritation: high") + 1
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    assert str(info.value).startswith(f"{path}:{line}: scénario « x », champ « persona.irritation » : "
                                      "attendu un nombre entre 0 et 1")


@needs_cpython
def test_yaml_id_must_match_the_file_name(tmp_path):
    import yaml

    path = tmp_path / "autre-nom.yml"
    path.write_text(yaml.safe_dump(make_scenario(), allow_unicode=True), encoding="utf-8")
    with pytest.raises(ScenarioError, match="champ « id » : attendu le nom du fichier, « autre-nom »"):
        load_scenario(path)


@needs_cpython
def test_broken_yaml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad.yml:\d+: YAML invalide : un crochet « \] » manque"):
        load_scenario(bad)
    with pytest.raises(ScenarioError, match="fichier introuvable"):
        load_scenario(tmp_path / "absent.yml")
    tab = tmp_path / "tab.yml"  # libyaml would accept it; PyYAML's own parser, and the course, do not
    tab.write_text("id: x\ntitle:\tLe client\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"tab.yml:2: YAML invalide : une tabulation"):
        load_scenario(tab)
    empty = tmp_path / "vide.yml"
    empty.write_text("# rien\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"vide.yml:1: fichier vide"):
        load_scenario(empty)


@needs_cpython
def test_the_scenarios_are_ordered_from_easy_to_hard():
    # (An instructor may add one: nothing here counts them, only their order and their level.)
    scenarios = [load_scenario(p) for p in SCENARIO_FILES]
    assert len(scenarios) >= 11
    assert len({s["id"] for s in scenarios}) == len(scenarios)
    ordered = sorted(scenarios, key=lambda s: s["order"])
    assert [s["order"] for s in ordered] == list(range(1, len(scenarios) + 1))
    levels = ["facile", "moyen", "difficile"]
    ranks = [levels.index(s["level"]) for s in ordered]
    assert ranks == sorted(ranks) and ranks[0] == 0 and ranks[-1] == 2
    for s in scenarios:
        assert s["briefing"] and s["situation"] and s["duration"] > 0
        assert len(s["examples"]) >= 2


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


@pytest.mark.parametrize("changes, only", [
    ({"persona.excuses": ["tresorerei"], "objectives": {"weights": {"first_payment": 20}}}, "objection inconnue"),
    ({"state": {"accord": "non"},
      "criteria": [{"id": "geste", "label": "Un geste", "explain_pass": "a", "explain_fail": "b",
                    "passes_when": {"state": {"accord": True}}}]}, "attendu true ou false"),
])
def test_one_mistake_is_reported_once_not_with_everything_it_makes_unknown(changes, only):
    with pytest.raises(ScenarioError) as info:
        load_scenario(make_scenario(**changes))
    assert len(info.value.errors) == 1 and only in info.value.errors[0]
