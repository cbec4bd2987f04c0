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

    explain = sub.add_parser("explain", help="explique ce que le simulateur comprend d'une réplique")
    explain.add_argument("scenario", metavar="SCENARIO.yml")
    explain.add_argument("line", metavar="RÉPLIQUE", help="la réplique de l'apprenant à expliquer")
    explain.add_argument("--after", action="append", default=[], metavar="RÉPLIQUE",
                         help="une réplique dite avant (répétez l'option pour plusieurs)")
    explain.add_argument("--seed", type=int, default=0)
    explain.add_argument("--json", action="store_true", help="sortie JSON")
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
        if args.command == "explain":
            return cmd_explain(args)
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
    import re
    import textwrap

    # A paragraph is what blank lines separate: the author's own line breaks inside it are
    # only where the YAML file wrapped, so they are joined before wrapping again.
    out = []
    for para in re.split(r"\n\s*\n", text.strip()) if text.strip() else [""]:
        # (Ordinary spaces only: a non-breaking one before « ; », « ? » or after « « » stays put.)
        words = " ".join(w for w in re.split(r"[ \t\r\n]+", para) if w)
        out.append(textwrap.fill(words, width=width, initial_indent=indent,
                                 subsequent_indent=indent, break_on_hyphens=False))
    return "\n\n".join(out)


def _euros(value) -> str:
    """1250.5 -> '1 250,50 €' (as in the e-mail)."""
    cents = round(float(value) * 100)
    units, rest = divmod(cents, 100)
    return f"{units:,}".replace(",", " ") + f",{rest:02d} €"


def format_debrief(report: dict) -> str:
    """The debrief as readable French text for the terminal."""
    lines = ["", "=" * 60, f"BILAN DE L'APPEL — score : {report['score']}/100", "=" * 60]
    verdict = report.get("verdict")
    if verdict:
        lines.append(_wrap(f"{verdict['label']} : {verdict['text']}"))
    ended = {"learner": "vous avez raccroché", "debtor": "le client a raccroché",
             "limit": "appel trop long, le client a dû partir"}.get(report["ended_by"], "appel en cours")
    lines.append(f"{report['turns']} réplique(s), fin : {ended}.")
    c = report["commitment"]
    lines.append("")
    lines.append("Promesse obtenue :")
    if c["precision"] in ("exact", "range") and c["date"]:
        from .dates import format_date_fr

        from .replies import METHOD_NAMES, spoken_time

        action = {"echeancier": "échéancier", "rappel": "rappel"}.get(c["action"]) or \
            METHOD_NAMES.get(c["action"]) or "action non précisée"
        parts = [action, f"le {format_date_fr(c['date'])}{spoken_time(c['time'])}"]
        if c["amount"] is not None:
            parts.append(_euros(c["amount"]))
        if c["details"].get("cheque_number"):
            parts.append(f"chèque n° {c['details']['cheque_number']}")
        if c["precision"] == "range":
            parts.append("(période, pas de jour précis)")
        lines.append("  " + ", ".join(parts))
    else:
        lines.append("  aucune promesse précise" + (" (réponse floue)" if c["precision"] == "vague" else ""))
    for term in c["details"].get("terms") or []:
        lines.append(_wrap("- " + term, indent="  "))
    if report.get("priorities"):
        lines.append("")
        lines.append("À travailler en priorité :")
        for i, p in enumerate(report["priorities"], 1):
            lines.append(_wrap(f"{i}. {p['label']} — {p['advice']}", indent="   "))
            if p.get("learner_line"):
                lines.append(_wrap(f"Vous aviez dit : « {p['learner_line']} »", indent="      "))
            if p.get("better"):
                lines.append(_wrap(f"À essayer : « {p['better']} »", indent="      "))
    lines.append("")
    lines.append("Critères :")
    for item in report["criteria"]:
        mark = "–" if item.get("applies") is False else "✔" if item["passed"] else "✘"
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
            who = "Vous" if entry["speaker"] == "learner" else entry.get("name") or "Client"
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
    out = sys.stdout
    print(f"\n📞  {scenario['title']}  ({scenario['level']}, ~{scenario['duration']} min)", file=out)
    print("-" * 60, file=out)
    print(_wrap(scenario["briefing"]), file=out)
    print("-" * 60, file=out)
    print("Tapez vos répliques puis Entrée.  /aide : un conseil   /fin : raccrocher   "
          "Ctrl-D : quitter", file=out)
    print(file=out)
    print(f"{session.speaker.p['name']} : {session.opening}", file=out)
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
        session.say(line)
        entry = session.transcript[-1]
        for part in entry.get("parts") or [entry]:
            print(f"{part['name']} : {part['text']}", file=out)
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
        print(format_transcript(report, indent=""))
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


def replay(scenario, example) -> dict:
    """Replay one example conversation; return its debrief."""
    from .session import Session

    s = Session(scenario, seed=example.get("seed", 0))
    for line in example["lines"]:
        if s.ended:
            break
        s.say(line)
    if not s.ended:
        s.hang_up()
    return s.debrief()


def example_problems(example, report) -> list[str]:
    """What differs between an example's expectations and its replayed debrief (French)."""
    exp = example.get("expect", {})
    problems = []
    crit = {c["id"]: c for c in report["criteria"]}
    if "score_min" in exp and report["score"] < exp["score_min"]:
        problems.append(f"expect.score_min : score attendu d’au moins {exp['score_min']:g}, obtenu {report['score']}")
    if "score_max" in exp and report["score"] > exp["score_max"]:
        problems.append(f"expect.score_max : score attendu d’au plus {exp['score_max']:g}, obtenu {report['score']}")
    if "ended_by" in exp and report["ended_by"] != exp["ended_by"]:
        problems.append(f"expect.ended_by : fin attendue « {exp['ended_by']} », obtenue « {report['ended_by']} »")
    for cid in exp.get("passed", []):
        if cid not in crit:
            problems.append(f"expect.passed : le critère « {cid} » n’est pas évalué dans ce scénario")
        elif not crit[cid]["passed"]:
            problems.append(f"expect.passed : critère « {cid} » attendu réussi, il a échoué "
                            f"({crit[cid]['explanation']})")
    for cid in exp.get("failed", []):
        if cid not in crit:
            problems.append(f"expect.failed : le critère « {cid} » n’est pas évalué dans ce scénario")
        elif crit[cid]["passed"]:
            problems.append(f"expect.failed : critère « {cid} » attendu échoué, il est réussi")
    for key, want in (exp.get("commitment") or {}).items():
        got = report["commitment"].get(key)
        if key == "amount" and want is not None and got is not None:
            same = abs(float(want) - float(got)) < 0.01
        else:
            same = got == want
        if not same:
            problems.append(f"expect.commitment.{key} : attendu {_shown(want)}, obtenu {_shown(got)}")
    for var, want in (exp.get("state") or {}).items():
        got = report.get("state", {}).get(var)
        if got != want:
            problems.append(f"expect.state.{var} : attendu {_shown(want)}, obtenu {_shown(got)}")
    return problems


def _shown(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",") if value != int(value) else str(int(value))
    return repr(value) if isinstance(value, str) else f"{value}"


def check_example(scenario, example) -> list[str]:
    """Replay one example conversation; return the expectation mismatches (empty = fine)."""
    return example_problems(example, replay(scenario, example))


def format_transcript(report, indent: str = "    ") -> str:
    """The replayed conversation, one line per speaker, for an author reading a failure."""
    out = []
    for entry in report["transcript"]:
        if entry["speaker"] == "learner":
            out.append(f"{indent}Vous : {entry['text']}")
            continue
        for part in entry.get("parts") or [entry]:
            out.append(f"{indent}{part.get('name') or 'Client'} : {part['text']}")
    return "\n".join(out)


def example_failures(scenario, label: str | None = None) -> list[str]:
    """Every failing example of a validated scenario, each with what differed and its transcript."""
    out = []
    for i, example in enumerate(scenario["examples"]):
        report = replay(scenario, example)
        problems = example_problems(example, report)
        if not problems:
            continue
        where = f"{label}:{example.get('line') or 1}: " if label else ""
        head = (f"{where}scénario « {scenario['id']} », conversation d’exemple {i + 1} "
                f"(« {example['name']} ») : le résultat ne correspond plus à ce qui est attendu")
        out.append("\n".join([head] + [f"  - {p}" for p in problems]
                              + [f"  score obtenu : {report['score']}/100 ; conversation rejouée :",
                                 format_transcript(report)]))
    return out


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
            print(f"{raw}: fichier introuvable", file=sys.stderr)
            return 1
    if not targets:
        print("aucun scénario trouvé (fichiers *.yml attendus)", file=sys.stderr)
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
            print(f"{label}: id : « {scenario['id']} » est déjà utilisé par {ids[scenario['id']]}",
                  file=sys.stderr)
            failures += 1
            continue
        ids[scenario["id"]] = label
        bad = example_failures(scenario, label)
        status = "ok" if not bad else f"ÉCHEC, {len(bad)} sur {len(scenario['examples'])}"
        print(f"{label}: {status} ({len(scenario['examples'])} conversation(s) d’exemple)", flush=True)
        for failure in bad:
            print(failure, file=sys.stderr, flush=True)
        failures += bool(bad)
    if failures:
        print(f"{failures} fichier(s) de scénario à corriger", file=sys.stderr)
        return 1
    print(f"{len(targets)} scénario(s) vérifié(s), tout est bon")
    return 0


# ---------------------------------------------------------------------------- explain

def explain_line(scenario, line: str, before=(), seed: int = 0) -> dict:
    """What the simulator makes of one learner line, after `before`, in this scenario."""
    import copy

    from .moves import MOVES
    from .replies import spoken_amount
    from .session import Session
    from .understand import METHODS

    s = Session(scenario, seed=seed)
    for earlier in before:
        if s.ended:
            break
        s.say(earlier)
    if s.ended:
        return {"error": "l’appel est déjà terminé avant cette réplique"}
    call = s.call
    speaker = s.speaker
    state_before = dict(call.state)
    lifted_before = set(call.lifted)
    raised_before = set(call.raised)
    commitment_before = copy.deepcopy(call.commitment)
    standing = speaker.standing()
    reply = s.say(line)
    entry = s.log[-1]
    u = entry["utterance"]
    custom = {m.id for m in call.custom}
    labels = {m.id: m.label for m in call.custom}
    # Where each of the call's own moves comes from: the scenario, or one of its objections.
    origin = {}
    for sp in s.speakers:
        for ob in sp.objections:
            for name in ob.spec.get("moves") or {}:
                origin[name] = f"mouvement de l’objection « {ob.id} »"
    for name in scenario.get("moves") or {}:
        origin[name] = "mouvement du scénario"
    moves = sorted(entry["moves"])
    entities = []
    if u.date and u.date.get("precision") not in (None, "none"):
        from .dates import format_result_fr

        entities.append(f"date ({u.date['precision']}) : {format_result_fr(u.date)}")
    for amount in u.amounts:
        entities.append(f"montant : {spoken_amount(amount)}")
    if u.fraction is not None:
        entities.append(f"fraction : {u.fraction:g}")
    for method in u.methods:
        if method in METHODS:
            entities.append(f"moyen de paiement : {method}")
    if u.cheque_number:
        entities.append(f"numéro de chèque : {u.cheque_number}")
    effects = []
    for oid in sorted(call.raised - raised_before):
        effects.append(f"objection « {oid} » avancée par {speaker.p['name']}")
    for oid in sorted(call.lifted - lifted_before):
        effects.append(f"objection « {oid} » levée")
    for var in call.state:
        if call.state[var] != state_before.get(var):
            effects.append(f"état : {var} : {_shown(state_before.get(var))} → {_shown(call.state[var])}")
    if call.commitment != commitment_before:
        c = call.commitment
        effects.append("promesse : " + ", ".join(f"{k} = {_shown(c[k])}" for k in
                                                ("action", "date", "time", "precision", "amount")))
    if s.speaker is not speaker:
        effects.append(f"l’appel passe à {s.speaker.p['name']}")
    waiting = []
    if standing is not None and standing.raised:
        entries = standing.spec["lifted_by"]
        if entries == "immediately":
            waiting.append("levée dès qu’elle est avancée (immediately)")
        for i, cond in enumerate(entries if isinstance(entries, list) else []):
            times = cond.get("times", 1)
            waiting.append(f"{i + 1}. {describe_condition(cond)}"
                           + (f" ({standing.counts[i]} fois sur {times} jusqu’ici)" if times > 1 else "")
                           + (" — remplie par cette réplique" if standing.held[i] else ""))
    return {
        "line": line,
        "speaker": speaker.p["name"],
        "moves": [{"id": m, "label": MOVES[m][0] if m in MOVES else
                   (labels.get(m) or "") + (" " if labels.get(m) else "") + f"({origin.get(m, 'mouvement du scénario')})",
                   "scenario": m in custom} for m in moves],
        "entities": entities,
        "stuffed": u.stuffed, "too_long": u.too_long,
        "objection": standing.id if standing is not None and standing.raised else None,
        "lifts": waiting,
        "effects": effects,
        "events": sorted(entry["events"]),
        "reply": reply.text,
    }


def describe_condition(cond) -> str:
    """A condition as authors write it, on one line: "moves: cite_law ; times: 2"."""
    def show(value):
        if isinstance(value, list):
            return "[" + ", ".join(show(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
        return _shown(value) if not isinstance(value, str) else value

    return " ; ".join(f"{k}: {show(v)}" for k, v in cond.items())


def cmd_explain(args) -> int:
    import json

    scenario = _load(args.scenario)
    if scenario is None:
        return 1
    result = explain_line(scenario, args.line, args.after, seed=args.seed)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0 if "error" not in result else 1
    if "error" in result:
        print(result["error"], file=sys.stderr)
        return 1
    print(f"Réplique : « {result['line']} »")
    print(f"À qui : {result['speaker']}")
    print("Mouvements reconnus :")
    for m in result["moves"] or []:
        print(f"  - {m['id']} : {m['label']}")
    if not result["moves"]:
        print("  (aucun)")
    if result["stuffed"] or result["too_long"]:
        print("  Attention : " + ("trop de choses à la fois, la réplique ne compte pas."
                                  if result["stuffed"] else "réplique trop longue, elle ne compte pas."))
    print("Éléments repérés : " + ("; ".join(result["entities"]) or "aucun"))
    if result["objection"]:
        print(f"Objection en cours avant la réplique : « {result['objection']} ». Ce qui la lève (une condition suffit) :")
        for w in result["lifts"]:
            print(f"  {w}")
    print("Effets : " + ("" if result["effects"] else "aucun changement"))
    for e in result["effects"]:
        print(f"  - {e}")
    print(f"Réponse : « {result['reply']} »")
    return 0
