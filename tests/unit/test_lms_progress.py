"""What the SCORM package tells the LMS, as pure JavaScript run under Node.js:
docs/assets/suspend-data.js (progress packed into cmi.suspend_data, at most 4 096
characters, and back) and docs/assets/lms-report.js (status and score by the course's rule).
Unpacked progress is fed to progress.js's own import, which refuses any entry of the wrong shape.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform == "emscripten" or not shutil.which("node"), reason="runs the site's JavaScript under Node.js"
)

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "docs" / "assets"
RULE = {"exercices": "repondus", "appels": "tous", "score_appel": 80, "seuil_reussite": 80,
        "poids_exercices": 50, "poids_appels": 50}


def js(body: str, **values):
    """Run `body` (an async function body with `sd`, `report`, `progress` and the given values) under Node."""
    script = f"""
import * as sd from {json.dumps((ASSETS / "suspend-data.js").as_uri())};
import * as report from {json.dumps((ASSETS / "lms-report.js").as_uri())};
import * as progress from {json.dumps((ASSETS / "progress.js").as_uri())};
import {{ readFileSync }} from "node:fs";
const values = JSON.parse(readFileSync(0, "utf8"));
const result = await (async ({{ {", ".join(values)} }}) => {{ {body} }})(values);
process.stdout.write(JSON.stringify(result));
"""
    done = subprocess.run(["node", "--input-type=module", "-e", script], input=json.dumps(values),
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def attempt(date, seed, score, lines):
    transcript = []
    for line in lines:
        transcript += [{"speaker": "learner", "text": line, "notes": []}, {"speaker": "debtor", "text": "D’accord.", "notes": []}]
    return {"date": date, "seed": seed, "score": score,
            "debrief": {"scenario": "x", "score": score, "transcript": transcript, "criteria": [], "recap_email": "…"}}


PROGRESS = {
    "ex:m01-objectifs": {"kind": "qcm", "answer": [0, 2], "correct": True, "succeeded": True, "score": 1,
                         "attempts": 2, "date": "2026-11-20T10:15:42.123Z"},
    "ex:m02-signaux": {"kind": "vrai_faux", "answer": [True, False, True], "correct": False, "succeeded": False,
                       "score": 0.6667, "attempts": 1, "date": "2026-11-20T10:20:00.000Z"},
    "ex:m01-cout-marge": {"kind": "calcul", "answer": 53.93, "correct": True, "succeeded": True, "score": 1,
                          "attempts": 1, "date": "2026-11-21T08:00:00.000Z", "variant": 2},
    "ex:m09-recap": {"kind": "redaction", "answer": "Bonjour Monsieur Petit,\nje vous confirme…", "correct": False,
                     "succeeded": False, "score": 0.5, "attempts": 3, "date": "2026-11-22T09:00:00.000Z",
                     "result": {"passed": False, "score": 0.5, "summary": "Il manque la date.", "present": ["le montant"],
                                "missing": ["la date"], "notes": []}},
    "module:01": {"total": 3, "succeeded": 2, "updated": "2026-11-21T08:00:00.000Z"},
    "simulateur": {"client-distrait": {"best": 85, "attempts": [
        attempt("2026-11-22T10:00:00.000Z", 42, 85, ["Bonjour Monsieur Petit", "Quand pouvez-vous payer ?"]),
        attempt("2026-11-21T10:00:00.000Z", 7, 40, ["Allô ?"])]}},
    "simulateur:appel": {"scenario": "client-irrite", "seed": 3, "lines": ["Bonjour", None], "startedAt": 1795000000000},
    "preferences": {"voix": True},
}


# ------------------------------------------------------------------ pack and unpack

def test_progress_comes_back_from_suspend_data_as_the_course_reads_it():
    out = js("""
      const packed = sd.pack(data);
      const back = sd.unpack(packed.text);
      const imported = progress.importProgress(JSON.stringify({format: progress.FORMAT, version: progress.VERSION, data: back.data}));
      return {packed, back, imported, stored: progress.exportProgress().data};
    """, data=PROGRESS)
    assert out["packed"]["dropped"] == 0 and json.loads(out["packed"]["text"])["rp"] == 1
    back = out["back"]
    assert back["status"] == "ok" and back["skipped"] == 0
    assert out["imported"]["ok"], out["imported"]  # progress.js accepts every entry
    data = out["stored"]
    # Exercises: everything the page replays, to the minute and to the percent.
    assert data["ex:m01-objectifs"] == {**PROGRESS["ex:m01-objectifs"], "date": "2026-11-20T10:15:00.000Z"}
    assert data["ex:m02-signaux"]["answer"] == [True, False, True] and data["ex:m02-signaux"]["score"] == 0.67
    assert data["ex:m01-cout-marge"]["variant"] == 2 and data["ex:m01-cout-marge"]["answer"] == 53.93
    written = data["ex:m09-recap"]
    assert written["answer"] == PROGRESS["ex:m09-recap"]["answer"] and "result" not in written
    # The simulator: best scores, attempts with what the learner said; the unfinished call.
    attempts = data["simulateur"]["client-distrait"]["attempts"]
    assert data["simulateur"]["client-distrait"]["best"] == 85
    assert attempts == [{"date": "2026-11-22T10:00:00.000Z", "seed": 42, "score": 85,
                         "lines": ["Bonjour Monsieur Petit", "Quand pouvez-vous payer ?"]},
                        {"date": "2026-11-21T10:00:00.000Z", "seed": 7, "score": 40, "lines": ["Allô ?"]}]
    assert data["simulateur:appel"] == PROGRESS["simulateur:appel"]
    # Derived or foreign entries are not carried: module summaries are counted again.
    assert "module:01" not in data and "preferences" not in data


def long_history(scenarios=11, attempts=10):
    """A learner who practised a lot: long calls, accented French (two bytes a letter)."""
    line = "Très bien, je récapitule : un virement de 1 250 € jeudi, c’est bien ça ? " * 2
    return {f"scenario-{s:02d}": {"best": 50 + s, "attempts": [
        attempt(f"2026-11-{20 - a:02d}T10:{s:02d}:00.000Z", 1000 * s + a, 40 + a, [line] * 8)
        for a in range(attempts)]} for s in range(scenarios)}


@pytest.mark.parametrize("limit", [4096, 1500])
def test_a_history_that_does_not_fit_drops_old_transcripts_first_and_always_fits(limit):
    data = {**PROGRESS, "simulateur": long_history()}
    out = js("""
      const packed = sd.pack(data, limit);
      const bytes = new TextEncoder().encode(packed.text).length;
      return {packed, bytes, back: sd.unpack(packed.text)};
    """, data=data, limit=limit)
    text = out["packed"]["text"]
    assert len(text) <= limit and out["bytes"] <= limit and out["packed"]["dropped"] > 0
    back = out["back"]["data"]
    if limit == 4096:
        # Nothing that counts is lost: every exercise, every scenario's best, every attempt.
        assert {k for k in back if k.startswith("ex:")} == {k for k in PROGRESS if k.startswith("ex:")}
        assert {k: v["best"] for k, v in back["simulateur"].items()} == {k: v["best"] for k, v in data["simulateur"].items()}
        # The newest calls keep their lines, the oldest lost them first.
        kept = [(a["date"], "lines" in a) for s in back["simulateur"].values() for a in s["attempts"]]
        newest_without = max((d for d, has in kept if not has), default="")
        oldest_with = min((d for d, has in kept if has), default="9999")
        assert newest_without <= oldest_with and any(has for _, has in kept)
    else:
        # Far too little room: old attempts go too, yet each scenario keeps its best and newest call.
        assert all(s["attempts"] for s in back["simulateur"].values())


def test_the_text_of_a_written_answer_goes_before_the_exercises():
    out = js("""
      const full = sd.pack(data).text.length;
      const packed = sd.pack(data, full - 70);  // the call (about 55 characters) is not enough
      return sd.unpack(packed.text).data;
    """, data={k: v for k, v in PROGRESS.items() if k.startswith("ex:")} | {"simulateur:appel": PROGRESS["simulateur:appel"]})
    assert out["ex:m09-recap"]["answer"] == "" and "simulateur:appel" not in out
    assert len([k for k in out if k.startswith("ex:")]) == 4


@pytest.mark.parametrize("text, status", [
    ("", "empty"), ("   ", "empty"), ("pas du json", "foreign"), ('{"version": 3}', "foreign"),
    ('["rp", 1]', "foreign"), ('{"rp": 2, "x": {}}', "newer"),
])
def test_suspend_data_that_is_not_ours_is_told_apart(text, status):
    assert js("return sd.unpack(text);", text=text)["status"] == status


def test_an_unreadable_entry_is_skipped_and_the_rest_kept():
    text = json.dumps({"rp": 1, "x": {"m01-a": ["q", 3, 1, 100, "tdqcw", [1]], "m01-b": ["q", 9, 1],
                                      "Mauvais id": ["q", 1, 1, 100, "tdqcw", [0]]},
                       "s": {"client-distrait": [85, [["tdqcw", 4, 85], ["bad"]]], "x": "y"}, "c": [1, 2]})
    out = js("return sd.unpack(text);", text=text)
    assert out["status"] == "ok" and out["skipped"] == 4
    assert set(out["data"]) == {"ex:m01-a", "simulateur"}
    assert out["data"]["simulateur"]["client-distrait"]["attempts"] == [
        {"date": out["data"]["ex:m01-a"]["date"], "seed": 4, "score": 85}]


# ------------------------------------------------------------------ merge at launch

def test_at_launch_the_lms_wins_and_the_browser_keeps_only_the_details_of_the_same_answers():
    lms = {"ex:m01-objectifs": {**PROGRESS["ex:m01-objectifs"], "date": "2026-11-20T10:15:00.000Z"},
           "ex:m09-recap": {**PROGRESS["ex:m09-recap"], "answer": "", "date": "2026-11-22T09:00:00.000Z"},
           "simulateur": {"client-distrait": {"best": 85, "attempts": [
               {"date": "2026-11-22T10:00:00.000Z", "seed": 42, "score": 85},
               {"date": "2026-11-23T10:00:00.000Z", "seed": 9, "score": 60}]}}}
    del lms["ex:m09-recap"]["result"]
    local = {**PROGRESS, "ex:m02-signaux": PROGRESS["ex:m02-signaux"],  # answered here, unknown to the LMS
             "ex:m01-objectifs": {**PROGRESS["ex:m01-objectifs"], "attempts": 5}}  # another learner's?
    out = js("return sd.merge(lms, local);", lms=lms, local=local)
    assert out["ex:m01-objectifs"]["attempts"] == 2  # the LMS's
    assert out["ex:m09-recap"] == PROGRESS["ex:m09-recap"]  # the same answer: its text and analysis kept
    assert "ex:m02-signaux" not in out and "simulateur:appel" not in out and "module:01" not in out
    attempts = out["simulateur"]["client-distrait"]["attempts"]
    assert attempts[0] == PROGRESS["simulateur"]["client-distrait"]["attempts"][0]  # with its debrief
    assert attempts[1] == {"date": "2026-11-23T10:00:00.000Z", "seed": 9, "score": 60}
    assert len(attempts) == 2  # the attempt only this browser has is not brought back
    assert out["preferences"] == {"voix": True}  # not progress: left alone


# ------------------------------------------------------------------ status and score

COURSE = {"modules": {"01": ["a", "b"], "02": ["c", "d"]}, "scenarios": ["s1", "s2"], "rule": RULE}


def ex(succeeded, score=1.0):
    return {"kind": "qcm", "answer": [0], "correct": succeeded, "succeeded": succeeded, "score": score,
            "attempts": 1, "date": "2026-11-20T10:00:00.000Z"}


def assess(data, course=COURSE, mastery=None):
    return js("return report.assess(data, course, mastery);", data=data, course=course, mastery=mastery)


def test_a_new_learner_is_incomplete_with_zero():
    assert assess({}) | {} == {"status": "incomplete", "score": 0, "answered": 0, "succeeded": 0,
                               "exercises": 4, "goodCalls": 0, "requiredCalls": 2}


def test_the_score_follows_the_documented_formula():
    data = {"ex:a": ex(True), "ex:b": ex(False, 0.5), "ex:c": ex(False, 0), "simulateur": {"s1": {"best": 90, "attempts": []}}}
    # E = (1 + 0.5 + 0 + 0) / 4 = 0.375 ; A = (0.90 + 0) / 2 = 0.45 ; 100 × (50E + 50A) / 100 = 41.25
    assert assess(data)["score"] == 41
    weighted = {**COURSE, "rule": {**RULE, "poids_exercices": 0, "poids_appels": 100}}
    assert assess(data, weighted)["score"] == 45


def test_completed_then_passed_by_the_rule():
    calls = {"simulateur": {"s1": {"best": 80, "attempts": []}, "s2": {"best": 85, "attempts": []}}}
    all_answered = {f"ex:{i}": ex(i != "d", 0) for i in "abcd"} | calls
    verdict = assess(all_answered)  # E = 0.75, A = 0.825: 79
    assert (verdict["status"], verdict["score"]) == ("completed", 79)
    assert assess(all_answered, mastery=75)["status"] == "passed"  # the LMS's mastery score wins
    assert assess({f"ex:{i}": ex(True) for i in "abcd"} | calls)["status"] == "passed"
    strict = {**COURSE, "rule": {**RULE, "exercices": "reussis"}}
    assert assess(all_answered, strict)["status"] == "incomplete"
    one_call = {**calls, "simulateur": {"s1": {"best": 79, "attempts": []}, "s2": {"best": 85, "attempts": []}}}
    data = {f"ex:{i}": ex(True) for i in "abcd"} | one_call
    assert assess(data)["status"] == "incomplete"
    assert assess(data, {**COURSE, "rule": {**RULE, "appels": 1}})["status"] == "passed"
    assert assess(data, {**COURSE, "rule": {**RULE, "appels": 0, "seuil_reussite": None}})["status"] == "completed"


def test_the_lms_status_is_never_lowered_and_time_is_a_scorm_timespan():
    out = js("""return [report.strongerStatus("passed", "completed"), report.strongerStatus("completed", "passed"),
                       report.strongerStatus("not attempted", "incomplete"), report.strongerStatus("failed", "incomplete"),
                       report.strongerStatus("", "incomplete"),
                       report.timespan(0), report.timespan(3_723_999), report.timespan(400_000 * 3_600_000)];""")
    assert out == ["passed", "passed", "incomplete", "incomplete", "incomplete", "00:00:00", "01:02:03", "9999:00:00"]


def test_a_scenario_counts_as_succeeded_by_the_debriefs_verdict_not_by_its_score_alone():
    got = js("""return [
        progress.callSucceeded({best: 85, passed: false, attempts: []}),   // 85 without the recap: to rework
        progress.callSucceeded({best: 72, passed: true, attempts: []}),
        progress.callSucceeded({best: 72, attempts: []}),                 // kept before verdicts: the score
        progress.callSucceeded({best: 60, attempts: []}),
        progress.callSucceeded(undefined)];""")
    assert got == [False, True, True, False, False]
