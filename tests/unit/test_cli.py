"""The command line: play, run, dates, check and their exit codes."""

import json
import os
import subprocess
import sys

from simulator.cli import main

from unit_helpers import GOOD_CALL, ROOT, SCENARIO_DIR, make_scenario, needs_cpython, schema_problems

SCENARIO = str(SCENARIO_DIR / "client-distrait.yml")


def cli(*args, stdin=None, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "simulator", *args], input=stdin, cwd=cwd,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=60)


# ------------------------------------------------------------------ in-process (also in Pyodide)

def test_dates_json_in_process(capsys):
    assert main(["dates", "jeudi à midi", "--today", "2026-11-23", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "precision": "exact", "start": "2026-11-26", "end": "2026-11-26", "time": "12:00",
        "text": "jeudi à midi"}


def test_dates_human_readable(capsys):
    assert main(["dates", "bientôt", "--today", "2026-11-23"]) == 0
    assert capsys.readouterr().out.startswith("vague")


def test_bad_usage_is_exit_2(capsys):
    assert main([]) == 2
    assert main(["dates"]) == 2
    assert main(["dates", "demain", "--today", "23/11/2026"]) == 2
    assert main(["danse"]) == 2
    assert "usage" in capsys.readouterr().err


def test_help_is_exit_0(capsys):
    assert main(["--help"]) == 0
    assert "play" in capsys.readouterr().out


# ------------------------------------------------------------------ subprocess (CPython)

@needs_cpython
def test_dates_subprocess():
    r = cli("dates", "15/12", "--today", "2026-11-23", "--json")
    assert r.returncode == 0
    assert json.loads(r.stdout)["start"] == "2026-12-15"


@needs_cpython
def test_run_script_prints_the_debrief_json(tmp_path):
    script = tmp_path / "appel.txt"
    script.write_text("# un appel soigné\n\n" + "\n".join(GOOD_CALL) + "\n", encoding="utf-8")
    r = cli("run", SCENARIO, "--script", str(script), "--seed", "3", "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert schema_problems(report) == []
    assert report["seed"] == 3 and report["scenario"] == "client-distrait"
    assert report["commitment"]["date"] == "2026-11-26" and report["score"] >= 90


@needs_cpython
def test_run_without_goodbye_counts_as_the_learner_hanging_up(tmp_path):
    script = tmp_path / "court.txt"
    script.write_text("Bonjour\n", encoding="utf-8")
    r = cli("run", SCENARIO, "--script", str(script), "--json")
    assert json.loads(r.stdout)["ended_by"] == "learner"


@needs_cpython
def test_run_text_output_shows_transcript_and_debrief(tmp_path):
    script = tmp_path / "appel.txt"
    script.write_text("\n".join(GOOD_CALL), encoding="utf-8")
    r = cli("run", SCENARIO, "--script", str(script))
    assert r.returncode == 0
    assert "BILAN DE L'APPEL" in r.stdout and "Objet : " in r.stdout and "Marc Petit :" in r.stdout


@needs_cpython
def test_run_with_missing_script_is_bad_usage():
    r = cli("run", SCENARIO, "--script", "/nonexistent/script.txt", "--json")
    assert r.returncode == 2 and "script" in r.stderr


@needs_cpython
def test_invalid_scenario_is_exit_1_with_file_and_field(tmp_path):
    import yaml

    data = make_scenario(**{"persona.irritation": "high"})
    data["id"] = "casse"
    path = tmp_path / "casse.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    script = tmp_path / "s.txt"
    script.write_text("Bonjour\n", encoding="utf-8")
    r = cli("run", str(path), "--script", str(script), "--json")
    assert r.returncode == 1
    assert "champ « persona.irritation » : attendu un nombre entre 0 et 1" in r.stderr and str(path) in r.stderr
    r = cli("check", str(path))
    assert r.returncode == 1 and "persona.irritation" in r.stderr


@needs_cpython
def test_check_all_scenarios_passes():
    r = cli("check")
    assert r.returncode == 0, r.stderr
    count = len(list(SCENARIO_DIR.glob("*.yml")))
    assert count >= 11 and f"{count} scénario(s) vérifié(s), tout est bon" in r.stdout


@needs_cpython
def test_check_reports_an_example_that_no_longer_matches(tmp_path):
    import yaml

    data = yaml.safe_load((SCENARIO_DIR / "client-distrait.yml").read_text(encoding="utf-8"))
    data["examples"][1]["expect"]["score_min"] = 95          # the poor call cannot reach it
    path = tmp_path / "client-distrait.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = cli("check", str(path))
    assert r.returncode == 1
    assert "conversation d’exemple 2" in r.stderr and "expect.score_min : score attendu d’au moins 95" in r.stderr
    # The author sees the conversation that was replayed, line by line.
    assert "    Vous : " + data["examples"][1]["lines"][0] in r.stderr
    assert "    Marc Petit : " in r.stderr and "score obtenu" in r.stderr


@needs_cpython
def test_check_missing_path_is_exit_1(tmp_path):
    r = cli("check", str(tmp_path / "absent.yml"))
    assert r.returncode == 1 and "fichier introuvable" in r.stderr


@needs_cpython
def test_play_with_help_and_hang_up():
    r = cli("play", SCENARIO, stdin="Bonjour, Claire Moreau de Moreau Graphisme.\n/aide\n/fin\n")
    assert r.returncode == 0
    out = r.stdout
    assert "Marc" in out and "💡" in out and "Vous raccrochez" in out and "BILAN" in out


@needs_cpython
def test_play_ends_cleanly_on_ctrl_d():
    r = cli("play", SCENARIO, "--seed", "2", stdin="Bonjour\n")
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert "BILAN" in r.stdout


@needs_cpython
def test_play_full_call_ends_on_goodbye():
    r = cli("play", SCENARIO, stdin="\n".join(GOOD_CALL) + "\n")
    assert r.returncode == 0
    assert "score : 100/100" in r.stdout


@needs_cpython
def test_play_invalid_scenario_is_exit_1():
    r = cli("play", "/nonexistent/appel.yml")
    assert r.returncode == 1 and "fichier introuvable" in r.stderr


@needs_cpython
def test_explain_says_what_a_line_does_in_the_call(capsys):
    """An author debugs a scenario without reading Python: moves, what lifts the objection,
    what changed, the reply."""
    from simulator.cli import main

    code = main(["explain", str(SCENARIO_DIR / "penalites-contestees.yml"),
                 "Si vous réglez les 3 960 euros vendredi, je renonce aux pénalités.",
                 "--after", "Bonjour Monsieur Masson, c'est pour la facture BS-2026-051."])
    out = capsys.readouterr().out
    assert code == 0
    assert "renonce_penalites" in out and "propose_date" in out
    assert "Objection en cours avant la réplique : « penalites »" in out
    assert "4. state: {penalites_retirees: true} — remplie par cette réplique" in out
    assert "objection « penalites » levée" in out
    assert "état : penalites_retirees : false → true" in out
    assert "promesse : action = null, date = '2026-06-19'" in out
    assert "Réponse : « " in out


@needs_cpython
def test_explain_json_and_a_line_that_changes_nothing(capsys):
    import json

    from simulator.cli import main

    code = main(["explain", str(SCENARIO_DIR / "client-distrait.yml"), "Il fait beau chez vous ?", "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["effects"] == [] and result["reply"]
    assert {m["id"] for m in result["moves"]} >= {"question"}
