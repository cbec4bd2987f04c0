"""`make eval`: the simulator against a corpus of whole calls, as real learners type them.

Each file of eval/corpus/ holds calls for one scenario, written in several learner styles and
labelled by what a trainer would say of them (`good` or `poor`), some lines quoted from French
practitioners' published call scripts (with their address). Every call is played over seeds
0 to 5, through a real Session, and the runner prints:

- the share of good calls that end with an exact-date commitment;
- the median score of good and of poor calls, and the worst (highest) poor score;
- back-to-back repeats: a reply identical to the one just before it;
- lines whose own expectations fail, grouped by failure class (see eval/README.md).

Not a test: it measures. `python eval/run.py [--json FILE] [--details]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator import Session, load_scenario  # noqa: E402
from simulator.authoring import AuthoringError, read_yaml  # noqa: E402

SEEDS = range(6)
TARGETS = {"exact_good": 0.98, "median_good": 90, "median_poor": 25, "worst_poor": 50}
LINE_KEYS = ("text", "class", "source", "expect")
EXPECT_KEYS = ("moves", "not_moves", "events", "not_events", "ended", "reply_has", "reply_not")


def load_corpus(folder: Path) -> list[dict]:
    """Every call of the corpus, checked: scenario, id, style, label, lines."""
    calls, problems = [], []
    for path in sorted(folder.glob("*.yml")):
        rel = path.relative_to(ROOT).as_posix()
        try:
            data = read_yaml(path, rel)
        except AuthoringError as exc:
            problems += exc.errors
            continue
        scenario = data.get("scenario")
        for i, call in enumerate(data.get("calls") or []):
            where = f"{rel}: calls[{i + 1}]"
            if call.get("label") not in ("good", "poor"):
                problems.append(f"{where}: label must be good or poor")
                continue
            lines = []
            for j, line in enumerate(call.get("lines") or []):
                item = {"text": line} if isinstance(line, str) else dict(line)
                unknown = set(item) - set(LINE_KEYS)
                if unknown or not isinstance(item.get("text"), str):
                    problems.append(f"{where}.lines[{j + 1}]: a text, or text/class/source/expect")
                    continue
                unknown = set(item.get("expect") or {}) - set(EXPECT_KEYS)
                if unknown:
                    problems.append(f"{where}.lines[{j + 1}].expect: unknown {sorted(unknown)}")
                lines.append(item)
            calls.append({"file": rel, "scenario": call.get("scenario", scenario), "id": call.get("id", f"{rel}#{i + 1}"),
                          "style": call.get("style", ""), "label": call["label"], "lines": lines,
                          "expect": call.get("expect") or {}})
    if problems:
        raise SystemExit("Corpus invalide :\n" + "\n".join(problems))
    return calls


def _as_list(value):
    return value if isinstance(value, list) else [value]


def line_failures(line: dict, moves: set, events: set, reply: str, ended: bool) -> list[str]:
    exp = line.get("expect") or {}
    out = []
    for m in _as_list(exp.get("moves") or []):
        if m not in moves:
            out.append(f"mouvement {m} non reconnu")
    for m in _as_list(exp.get("not_moves") or []):
        if m in moves:
            out.append(f"mouvement {m} reconnu à tort")
    for e in _as_list(exp.get("events") or []):
        if e not in events:
            out.append(f"événement {e} absent")
    for e in _as_list(exp.get("not_events") or []):
        if e in events:
            out.append(f"événement {e} à tort")
    if "ended" in exp and bool(exp["ended"]) != ended:
        out.append("l'appel se termine" if ended else "l'appel continue")
    low = reply.lower()
    for words in _as_list(exp.get("reply_has") or []):
        if words.lower() not in low:
            out.append(f"réponse sans « {words} »")
    for words in _as_list(exp.get("reply_not") or []):
        if words.lower() in low:
            out.append(f"réponse avec « {words} »")
    return out


def play(scenario, call: dict, seed: int) -> dict:
    s = Session(scenario, seed=seed)
    failures, repeats = [], 0
    previous = s.opening
    for line in call["lines"]:
        if s.ended:
            break
        reply = s.say(line["text"])
        entry = s.log[-1]
        for problem in line_failures(line, entry["moves"], entry["events"], reply.text, reply.ended):
            failures.append({"class": line.get("class"), "line": line["text"], "reply": reply.text,
                             "problem": problem})
        if reply.text == previous:
            repeats += 1
            failures.append({"class": 14, "line": line["text"], "reply": reply.text,
                             "problem": "la même réplique deux fois de suite"})
        previous = reply.text
    if not s.ended:
        s.hang_up()
    report = s.debrief()
    exp = call["expect"]
    exact = any(c["id"] == "exact_date" and c["passed"] for c in report["criteria"]) \
        and report["commitment"]["action"] is not None
    for key, want in (exp.get("commitment") or {}).items():
        if report["commitment"].get(key) != want:
            failures.append({"class": exp.get("class"), "line": "(fin de l'appel)", "reply": "",
                             "problem": f"promesse {key} : attendu {want!r}, obtenu {report['commitment'].get(key)!r}"})
    return {"score": report["score"], "exact": exact, "repeats": repeats, "failures": failures,
            "ended_by": report["ended_by"], "verdict": report.get("verdict", {}).get("succeeded")}


def evaluate(calls: list[dict]) -> dict:
    scenarios = {}
    for path in sorted((ROOT / "exercises" / "appels").glob("*.yml")):
        sc = load_scenario(path)
        scenarios[sc["id"]] = sc
    results = []
    for call in calls:
        sc = scenarios[call["scenario"]]
        for seed in SEEDS:
            results.append({**play(sc, call, seed), "call": call["id"], "label": call["label"],
                            "scenario": call["scenario"], "seed": seed, "style": call["style"]})
    good = [r for r in results if r["label"] == "good"]
    poor = [r for r in results if r["label"] == "poor"]
    by_class: dict = {}
    for r in results:
        for f in r["failures"]:
            by_class.setdefault(str(f["class"]), []).append({**f, "call": r["call"], "seed": r["seed"]})
    lines = sum(len(c["lines"]) for c in calls)
    quoted = sum(1 for c in calls for line in c["lines"] if line.get("source"))
    return {
        "calls": len(calls), "lines": lines, "quoted_lines": quoted,
        "scenarios": len({c["scenario"] for c in calls}),
        "exact_good": sum(r["exact"] for r in good) / len(good) if good else 0.0,
        "median_good": statistics.median(r["score"] for r in good) if good else 0,
        "median_poor": statistics.median(r["score"] for r in poor) if poor else 0,
        "worst_poor": max((r["score"] for r in poor), default=0),
        "repeats": sum(r["repeats"] for r in results),
        "by_class": by_class,
        "good_succeeded": sum(bool(r["verdict"]) for r in good) / len(good) if good else 0.0,
        "poor_succeeded": sorted({r["call"] for r in poor if r["verdict"]}),
        "lowest_good": min((r["score"] for r in good), default=0),
        "good_without_date": sorted({r["call"] for r in good if not r["exact"]}),
        "poor_scoring_high": sorted({(r["call"], r["score"]) for r in poor if r["score"] > TARGETS["worst_poor"]}),
    }


def report_table(m: dict) -> str:
    ok = {
        "exact_good": m["exact_good"] >= TARGETS["exact_good"],
        "median_good": m["median_good"] >= TARGETS["median_good"],
        "median_poor": m["median_poor"] <= TARGETS["median_poor"],
        "worst_poor": m["worst_poor"] <= TARGETS["worst_poor"],
        "repeats": m["repeats"] == 0,
    }
    mark = {True: "✓", False: "✗"}
    rows = [
        "| figure | result | target |", "|---|---|---|",
        f"| corpus | {m['calls']} calls, {m['lines']} learner lines, {m['quoted_lines']} quoted, "
        f"{m['scenarios']} scenarios, seeds 0–5 | ≥ 100 calls, ≥ 300 lines, ≥ 40 quoted |",
        f"| good calls ending with an exact date | {m['exact_good']:.1%} | ≥ 98 % {mark[ok['exact_good']]} |",
        f"| median score, good calls | {m['median_good']:g} | ≥ 90 {mark[ok['median_good']]} |",
        f"| median score, poor calls | {m['median_poor']:g} | ≤ 25 {mark[ok['median_poor']]} |",
        f"| worst poor score | {m['worst_poor']} | ≤ 50 {mark[ok['worst_poor']]} |",
        f"| back-to-back repeats | {m['repeats']} | 0 {mark[ok['repeats']]} |",
        f"| verdict « Appel réussi », good calls | {m['good_succeeded']:.1%} (lowest good score {m['lowest_good']}) | |",
        f"| verdict « Appel réussi », poor calls | {len(m['poor_succeeded'])} calls"
        + (f" ({', '.join(m['poor_succeeded'])})" if m["poor_succeeded"] else "") + " | 0 |",
    ]
    classes = sorted(m["by_class"], key=lambda k: (k == "None", int(k) if k.isdigit() else 99))
    for k in classes:
        seen = {(f["call"], f["line"], f["problem"]) for f in m["by_class"][k]}
        rows.append(f"| failures, class {k if k != 'None' else '(none)'} | {len(seen)} distinct | 0 |")
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--details", action="store_true", help="print every failure")
    args = parser.parse_args(argv)
    m = evaluate(load_corpus(ROOT / "eval" / "corpus"))
    print(report_table(m))
    if args.details:
        for k, items in sorted(m["by_class"].items()):
            print(f"\n## class {k}")
            for f in sorted({(f["call"], f["line"], f["reply"], f["problem"]) for f in items}):
                print(f"- [{f[0]}] « {f[1]} » → « {f[2]} » : {f[3]}")
        if m["good_without_date"]:
            print("\ngood calls without an exact date:", ", ".join(m["good_without_date"]))
        if m["poor_scoring_high"]:
            print("poor calls above 50:", ", ".join(f"{c} ({s})" for c, s in m["poor_scoring_high"]))
    if args.json:
        Path(args.json).write_text(json.dumps(m, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
