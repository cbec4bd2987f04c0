"""Shared helpers for the simulator's unit tests.

These tests also run inside Pyodide (Node.js), where PyYAML and subprocess are
missing: tests that need them are marked ``needs_cpython``. The engine tests use
``make_scenario()``, a scenario written as a plain Python dict, so that they run
everywhere.
"""

from __future__ import annotations

import copy
import datetime
import sys
from pathlib import Path

import pytest

# Test modules import these helpers with `from unit_helpers import ...`: a unique module
# name, so that other conftest.py files of the project (also called "conftest") never clash.
sys.modules["unit_helpers"] = sys.modules[__name__]

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_DIR = ROOT / "exercises" / "appels"
TODAY = datetime.date(2026, 11, 23)  # a Monday

IN_PYODIDE = sys.platform == "emscripten"
try:  # PyYAML is only needed to read the YAML scenario files
    import yaml  # noqa: F401

    HAVE_YAML = True
except ImportError:  # pragma: no cover - Pyodide
    HAVE_YAML = False

if IN_PYODIDE:  # no PyYAML here: the objection library comes as JSON, written by `make test-pyodide`
    import json as _json

    from simulator import scenario as _scenario
    from simulator.library import Library as _Library

    _LIBRARY = _Library.from_data(_json.loads((ROOT / "build" / "objections.json").read_text(encoding="utf-8")))
    _scenario.default_library = lambda root: _LIBRARY

needs_cpython = pytest.mark.skipif(
    IN_PYODIDE or not HAVE_YAML,
    reason="needs CPython with subprocess and PyYAML (not available in Pyodide)",
)


BASE_SCENARIO = {
    "id": "test-oubli",
    "title": "Le client distrait (test)",
    "level": "facile",
    "order": 1,
    "duration": 5,
    "situation": "Un client de bonne foi a oublié de payer.",
    "briefing": "Vous appelez Marc Petit au sujet d'une facture en retard. Obtenez une date exacte.",
    "today": "2026-11-23",
    "caller": {"name": "Claire Moreau", "company": "Atelier Moreau"},
    "invoice": {"number": "F-2026-117", "amount": 1250.0, "issued": "2026-10-12",
                "due": "2026-11-11", "description": "Création du logo et de la charte"},
    "persona": {
        "name": "Marc Petit", "gender": "m", "company": "Boulangerie Petit", "role": "gérant",
        "temperament": "jovial, tête en l'air",
        "cash_available": 5000, "good_faith": True, "irritation": 0.1, "patience": 2,
        "questions_before_answer": 1, "excuses": ["oubli"], "method": "virement",
        "promise": {"date": "2026-11-26", "time": None},
    },
    "examples": [
        {"name": "soigné", "lines": ["Bonjour, Claire Moreau de l'Atelier Moreau.",
                                     "Au revoir."], "expect": {}},
        {"name": "bâclé", "lines": ["Au revoir."], "expect": {}},
    ],
}

GOOD_CALL = [
    "Bonjour Monsieur Petit, Claire Moreau de l'Atelier Moreau. Je vous appelle au sujet de la "
    "facture F-2026-117 de 1 250 €, échue le 11 novembre. Que se passe-t-il ?",
    "Ça arrive, je comprends. Quand pouvez-vous la régler ?",
    "Par quel moyen allez-vous payer ?",
    "Si je récapitule : un virement de 1 250 euros jeudi 26 novembre, c'est bien ça ?",
    "Parfait. Je vous envoie un mail récapitulatif dans la journée. Merci, bonne journée !",
]

CARELESS_CALL = [
    "Bonjour, c'est pour la facture.",
    "Vous payez quand ?",
    "D'accord, pas de souci, j'attends votre appel. Au revoir.",
]


def make_scenario(**changes) -> dict:
    """A fresh copy of the dict scenario, with top-level or dotted-path changes.

    make_scenario(**{"persona.excuses": ["rappel"], "persona.good_faith": False})
    """
    data = copy.deepcopy(BASE_SCENARIO)
    for dotted, value in changes.items():
        target = data
        keys = dotted.split(".")
        for key in keys[:-1]:
            target = target[key]
        if value is _DELETE:
            target.pop(keys[-1], None)
        else:
            target[keys[-1]] = value
    return data


class _Delete:
    pass


_DELETE = _Delete()
DELETE = _DELETE


def page_context(path):
    """A Markdown extension telling other extensions which page is converted, as Zensical does
    (a "rendering_context" preprocessor with page.path): the exercise directive reads the module there."""
    from markdown.extensions import Extension
    from markdown.preprocessors import Preprocessor

    class Context(Preprocessor):
        page = type("Page", (), {"path": path})()

        def run(self, lines):
            return lines

    class Register(Extension):
        def extendMarkdown(self, md):  # noqa: N802 - Markdown's API
            md.preprocessors.register(Context(md), "rendering_context", 0)

    return Register()


@pytest.fixture
def scenario():
    from simulator import load_scenario

    return load_scenario(make_scenario())


def play(scenario, lines, seed=0):
    """Run learner lines through a new Session; stop when the call ends. Returns the session."""
    from simulator import Session

    s = Session(scenario, seed=seed)
    for line in lines:
        if s.ended:
            break
        s.say(line)
    return s


def loaded(**changes):
    """make_scenario(**changes), validated as the engine loads it."""
    from simulator import load_scenario

    return load_scenario(make_scenario(**changes))


def line_moves_of(line, due=1250.0, today=TODAY) -> set:
    """The moves the engine hears in one line, on TODAY, for an amount due."""
    from simulator.moves import line_moves
    from simulator.understand import analyse

    return line_moves(analyse(line, today=today), today, due)


def debtor_lines(session) -> list[str]:
    """What the debtor said, in order."""
    return [e["text"] for e in session.transcript if e["speaker"] == "debtor"]


def final_report(session) -> dict:
    """The debrief, after hanging up if the call is still on."""
    if not session.ended:
        session.hang_up()
    return session.debrief()


def criteria(report) -> dict:
    return {c["id"]: c for c in report["criteria"]}


# ---------------------------------------------------------------- debrief schema checker

_CRITERIA_IDS = {"commitment", "exact_date", "amount", "payment_method", "no_vague_accepted",
                 "professional_tone", "questions", "recap", "follow_up"}
_ACTIONS = {"virement", "cheque", "carte", "prelevement", "especes", "echeancier", "rappel", None}


def _iso(value) -> bool:
    try:
        datetime.date.fromisoformat(value)
        return True
    except (TypeError, ValueError):
        return False


def schema_problems(report) -> list[str]:
    """Everything in a debrief that does not match the contract in ARCHITECTURE.md."""
    import json

    problems = []

    def need(cond, message):
        if not cond:
            problems.append(message)

    try:
        json.dumps(report)
    except (TypeError, ValueError) as exc:
        problems.append(f"not JSON-serialisable: {exc}")
    need(isinstance(report, dict), "report is not a dict")
    if not isinstance(report, dict):
        return problems
    for key in ("scenario", "seed", "ended_by", "turns", "transcript", "commitment", "criteria",
                "score", "recap_email"):
        need(key in report, f"missing key {key}")
    need(isinstance(report.get("scenario"), str), "scenario is not a str")
    need(isinstance(report.get("seed"), int), "seed is not an int")
    need(report.get("ended_by") in ("learner", "debtor", "limit", None), "bad ended_by")
    need(isinstance(report.get("turns"), int) and report["turns"] >= 0, "bad turns")
    tr = report.get("transcript")
    need(isinstance(tr, list) and tr, "transcript empty")
    for i, entry in enumerate(tr or []):
        need(isinstance(entry, dict) and entry.get("speaker") in ("debtor", "learner"),
             f"transcript[{i}].speaker")
        need(isinstance(entry.get("text"), str), f"transcript[{i}].text")
        need(isinstance(entry.get("notes"), list)
             and all(isinstance(n, str) and n for n in entry.get("notes", [])),
             f"transcript[{i}].notes")
    c = report.get("commitment")
    need(isinstance(c, dict), "commitment is not a dict")
    if isinstance(c, dict):
        for key in ("action", "amount", "date", "time", "precision", "details"):
            need(key in c, f"commitment.{key} missing")
        need(c.get("action") in _ACTIONS, f"commitment.action {c.get('action')!r}")
        need(c.get("amount") is None or isinstance(c.get("amount"), float), "commitment.amount")
        need(c.get("date") is None or _iso(c.get("date")), "commitment.date")
        t = c.get("time")
        need(t is None or (isinstance(t, str) and len(t) == 5 and t[2] == ":"), "commitment.time")
        need(c.get("precision") in ("exact", "range", "vague", None), "commitment.precision")
        if c.get("precision") == "exact":
            need(_iso(c.get("date")), "exact commitment without a date")
        d = c.get("details")
        need(isinstance(d, dict) and "cheque_number" in d and isinstance(d.get("instalments"), list),
             "commitment.details")
    crit = report.get("criteria")
    need(isinstance(crit, list), "criteria is not a list")
    ids = set()
    for i, item in enumerate(crit or []):
        need(isinstance(item, dict), f"criteria[{i}] not a dict")
        if not isinstance(item, dict):
            continue
        ids.add(item.get("id"))
        need(isinstance(item.get("passed"), bool), f"criteria[{i}].passed")
        need(isinstance(item.get("explanation"), str) and item["explanation"], f"criteria[{i}].explanation")
        need(item.get("turn") is None or (isinstance(item["turn"], int) and item["turn"] >= 1),
             f"criteria[{i}].turn")
    need(_CRITERIA_IDS <= ids, f"missing criteria {_CRITERIA_IDS - ids}")
    score = report.get("score")
    need(isinstance(score, int) and 0 <= score <= 100, "score not an int in 0..100")
    mail = report.get("recap_email")
    need(isinstance(mail, str) and mail.startswith("Objet : "), "recap_email must start with 'Objet : '")
    return problems
