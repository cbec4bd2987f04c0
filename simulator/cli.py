"""Command line: ``python -m simulator play|run|dates|check``.

Exit status: 0 on success; 1 when ``check`` finds problems or a scenario is
invalid (message on stderr naming file and field); 2 on bad usage.
"""

from __future__ import annotations

import sys

USAGE_ERROR = 2


def _parser():
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Simulateur d'appel de relance : vous appelez un client en retard de paiement.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE")
    sub.required = True

    play = sub.add_parser("play", help="appel interactif dans le terminal")
    play.add_argument("scenario", metavar="SCENARIO.yml")
    play.add_argument("--seed", type=int, default=0)

    run = sub.add_parser("run", help="rejoue un script (une réplique par ligne) et affiche le bilan")
    run.add_argument("scenario", metavar="SCENARIO.yml")
    run.add_argument("--script", required=True, metavar="FILE",
                     help="fichier texte, une réplique de l'apprenant par ligne ('-' = entrée standard)")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--json", action="store_true", help="affiche le bilan en JSON")

    dates = sub.add_parser("dates", help="analyse une expression de date en français")
    dates.add_argument("text", metavar="TEXT")
    dates.add_argument("--today", metavar="YYYY-MM-DD")
    dates.add_argument("--json", action="store_true", help="sortie JSON")

    check = sub.add_parser("check", help="valide les scénarios et rejoue leurs conversations d'exemple")
    check.add_argument("paths", nargs="*", metavar="PATH")
    return parser


def main(argv=None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 2 on bad usage, 0 for --help
        return int(exc.code or 0)
    try:
        if args.command == "play":
            return cmd_play(args)
        if args.command == "run":
            return cmd_run(args)
        if args.command == "dates":
            return cmd_dates(args, parser)
        return cmd_check(args)
    except BrokenPipeError:  # e.g. piped into `head`
        return 0


# ---------------------------------------------------------------------------- helpers

def _load(path):
    from .scenario import ScenarioError, load_scenario

    try:
        return load_scenario(path)
    except ScenarioError as exc:
        print(str(exc), file=sys.stderr)
        return None


def _wrap(text: str, indent: str = "", width: int = 88) -> str:
    import textwrap

    out = []
    for para in text.splitlines() or [""]:
        if not para.strip():
            out.append("")
            continue
        out.append(textwrap.fill(para, width=width, initial_indent=indent,
                                 subsequent_indent=indent, break_on_hyphens=False))
    return "\n".join(out)


def format_debrief(report: dict) -> str:
    """The debrief as readable French text for the terminal."""
    lines = ["", "=" * 60, f"BILAN DE L'APPEL — score : {report['score']}/100", "=" * 60]
    ended = {"learner": "vous avez raccroché", "debtor": "le client a raccroché",
             "limit": "appel trop long, le client a dû partir"}.get(report["ended_by"], "appel en cours")
    lines.append(f"{report['turns']} réplique(s), fin : {ended}.")
    c = report["commitment"]
    lines.append("")
    lines.append("Promesse obtenue :")
    if c["precision"] in ("exact", "range") and c["date"]:
        from .dates import format_date_fr

        parts = [c["action"] or "action non précisée", f"le {format_date_fr(c['date'])}"]
        if c["time"]:
            parts.append(f"à {c['time']}")
        if c["amount"] is not None:
            parts.append(f"{c['amount']:.2f} €".replace(".", ","))
        if c["details"].get("cheque_number"):
            parts.append(f"chèque n° {c['details']['cheque_number']}")
        if c["precision"] == "range":
            parts.append("(période, pas de jour précis)")
        lines.append("  " + ", ".join(parts))
    else:
        lines.append("  aucune promesse précise" + (" (réponse floue)" if c["precision"] == "vague" else ""))
    lines.append("")
    lines.append("Critères :")
    for item in report["criteria"]:
        mark = "✔" if item["passed"] else "✘"
        turn = f" (réplique {item['turn']})" if item.get("turn") else ""
        lines.append(f" {mark} {item['id']}{turn}")
        lines.append(_wrap(item["explanation"], indent="     "))
        if not item["passed"] and item.get("link"):
            lines.append(f"     → à revoir : {item.get('module', '')} ({item['link']})")
    notes = [(i, e) for i, e in enumerate(report["transcript"]) if e["notes"]]
    if notes:
        lines.append("")
        lines.append("Remarques au fil de l'appel :")
        for i, entry in notes:
            who = "Vous" if entry["speaker"] == "learner" else "Client"
            snippet = entry["text"] if len(entry["text"]) <= 70 else entry["text"][:67] + "..."
            lines.append(f" - {who} : « {snippet} »")
            for note in entry["notes"]:
                lines.append(_wrap(note, indent="     "))
    lines.append("")
    lines.append("Mail récapitulatif à envoyer :")
    lines.append("-" * 60)
    lines.append(report["recap_email"])
    lines.append("-" * 60)
    return "\n".join(lines)


# ---------------------------------------------------------------------------- play

def cmd_play(args) -> int:
    from .session import Session

    scenario = _load(args.scenario)
    if scenario is None:
        return 1
    session = Session(scenario, seed=args.seed)
    p = scenario["persona"]
    out = sys.stdout
    print(f"\n📞  {scenario['title']}  ({scenario['level']}, ~{scenario['duration']} min)", file=out)
    print("-" * 60, file=out)
    print(_wrap(scenario["briefing"]), file=out)
    print("-" * 60, file=out)
    print("Tapez vos répliques puis Entrée.  /aide : un conseil   /fin : raccrocher   "
          "Ctrl-D : quitter", file=out)
    print(file=out)
    who = p["name"]
    print(f"{who} : {session.opening}", file=out)
    while not session.ended:
        try:
            line = input("Vous : ")
        except EOFError:
            print(file=out)
            session.hang_up()
            break
        except KeyboardInterrupt:
            print("\nAppel interrompu.", file=out)
            session.hang_up()
            break
        command = line.strip().lower()
        if command in ("/aide", "/help", "/?"):
            print(_wrap("💡 " + session.hint(), indent="   "), file=out)
            continue
        if command in ("/fin", "/quit", "/raccrocher"):
            session.hang_up()
            print("(Vous raccrochez.)", file=out)
            break
        reply = session.say(line)
        print(f"{who} : {reply.text}", file=out)
    print(format_debrief(session.debrief()), file=out)
    return 0


# ---------------------------------------------------------------------------- run

def cmd_run(args) -> int:
    import json

    from .session import Session

    scenario = _load(args.scenario)
    if scenario is None:
        return 1
    try:
        if args.script == "-":
            raw = sys.stdin.read()
        else:
            with open(args.script, encoding="utf-8") as fh:
                raw = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{args.script}: cannot read the script ({exc})", file=sys.stderr)
        return USAGE_ERROR
    session = Session(scenario, seed=args.seed)
    for line in raw.splitlines():
        if session.ended:
            break
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        session.say(line)
    if not session.ended:
        session.hang_up()
    report = session.debrief()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for entry in report["transcript"]:
            who = "Vous" if entry["speaker"] == "learner" else scenario["persona"]["name"]
            print(f"{who} : {entry['text']}")
        print(format_debrief(report))
    return 0


# ---------------------------------------------------------------------------- dates

def cmd_dates(args, parser) -> int:
    import datetime
    import json

    from .dates import format_result_fr, parse_date

    today = None
    if args.today:
        try:
            today = datetime.date.fromisoformat(args.today)
        except ValueError:
            parser.print_usage(sys.stderr)
            print(f"python -m simulator dates: error: --today: expected YYYY-MM-DD, got {args.today!r}",
                  file=sys.stderr)
            return USAGE_ERROR
    result = parse_date(args.text, today=today)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"{result['precision']} : {format_result_fr(result)}")
    return 0


# ---------------------------------------------------------------------------- check

def _default_dir():
    from pathlib import Path

    here = Path("exercises") / "appels"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parent.parent / "exercises" / "appels"


def check_example(scenario, example) -> list[str]:
    """Replay one example conversation; return the expectation mismatches (empty = fine)."""
    from .session import Session

    s = Session(scenario, seed=example.get("seed", 0))
    for line in example["lines"]:
        if s.ended:
            break
        s.say(line)
    if not s.ended:
        s.hang_up()
    report = s.debrief()
    exp = example.get("expect", {})
    problems = []
    crit = {c["id"]: c for c in report["criteria"]}
    if "score_min" in exp and report["score"] < exp["score_min"]:
        problems.append(f"expect.score_min: expected a score of at least {exp['score_min']:g}, "
                        f"got {report['score']}")
    if "score_max" in exp and report["score"] > exp["score_max"]:
        problems.append(f"expect.score_max: expected a score of at most {exp['score_max']:g}, "
                        f"got {report['score']}")
    if "ended_by" in exp and report["ended_by"] != exp["ended_by"]:
        problems.append(f"expect.ended_by: expected {exp['ended_by']!r}, got {report['ended_by']!r}")
    for cid in exp.get("passed", []):
        if cid not in crit:
            problems.append(f"expect.passed: criterion {cid!r} is not evaluated in this scenario")
        elif not crit[cid]["passed"]:
            problems.append(f"expect.passed: expected {cid!r} to pass, it failed "
                            f"({crit[cid]['explanation']})")
    for cid in exp.get("failed", []):
        if cid not in crit:
            problems.append(f"expect.failed: criterion {cid!r} is not evaluated in this scenario")
        elif crit[cid]["passed"]:
            problems.append(f"expect.failed: expected {cid!r} to fail, it passed")
    for key, want in (exp.get("commitment") or {}).items():
        got = report["commitment"].get(key)
        if key == "amount" and want is not None and got is not None:
            same = abs(float(want) - float(got)) < 0.01
        else:
            same = got == want
        if not same:
            problems.append(f"expect.commitment.{key}: expected {want!r}, got {got!r}")
    return problems


def cmd_check(args) -> int:
    from pathlib import Path

    from .scenario import ScenarioError, load_scenario

    targets = []
    for raw in args.paths or [str(_default_dir())]:
        path = Path(raw)
        if path.is_dir():
            targets += sorted(p for p in path.iterdir() if p.suffix in (".yml", ".yaml"))
        elif path.exists():
            targets.append(path)
        else:
            print(f"{raw}: file not found", file=sys.stderr)
            return 1
    if not targets:
        print("no scenario found (expected *.yml files)", file=sys.stderr)
        return 1
    failures = 0
    ids = {}
    for path in targets:
        label = str(path)
        try:
            scenario = load_scenario(label)
        except ScenarioError as exc:
            print(str(exc), file=sys.stderr)
            failures += 1
            continue
        if scenario["id"] in ids:
            print(f"{label}: id: {scenario['id']!r} is already used by {ids[scenario['id']]}",
                  file=sys.stderr)
            failures += 1
            continue
        ids[scenario["id"]] = label
        bad = 0
        for i, example in enumerate(scenario["examples"]):
            for problem in check_example(scenario, example):
                print(f"{label}: examples[{i}] ({example['name']}): {problem}", file=sys.stderr)
                bad += 1
        failures += bool(bad)
        status = "ok" if not bad else "FAILED"
        print(f"{label}: {status} ({len(scenario['examples'])} example conversation(s))", flush=True)
    if failures:
        print(f"{failures} scenario file(s) with problems", file=sys.stderr)
        return 1
    print(f"{len(targets)} scenario(s) checked, all fine")
    return 0
