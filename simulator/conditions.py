"""Conditions written by authors: when an objection gives way, when a reply or a hint applies,
when a criterion passes.

A condition is a mapping; every key in it must hold (a logical AND)::

    {moves: [cite_law]}                         this line cites the law
    {moves: [waive, parle_penalites]}           both in the same line
    {any_moves: [refer_documents, cite_law]}    one of them
    {not_moves: [full_amount]}                  none of them
    {state: {penalites_retirees: true}}         an author's state variable (or a built-in one)
    {state: {irritation: {below: 0.4}}}         compared: below, above, at_least, at_most
    {objection_lifted: penalites}               (also objection_raised; an id or a list of ids)
    {outcome: {penalites: waived_vague}}        how it was lifted: the name of the on_lift
                                                outcome that applied (its `name`, else its `say`)
    {commitment: exact}                         the promise so far: exact, range, vague, none, any
    {commitment: {action: rappel, time: true}}  or its fields
    {move_made: recap}                          made on an earlier line (in a debrief: any line)
    {said_to: {assistante: [names_amount]}}     one of these moves made to this speaker (earlier lines)
    {ended_by: learner}                         the call ended so (debrief only)
    {speaker: assistante}                       who is on the line
    {all: [...]}, {any: [...]}, {not: {...}}    combinations

`check(cond, …)` validates a condition read from YAML (French problems with lines);
`holds(cond, ctx)` evaluates a validated one against a `Context` (see `persona.Speaker` and
`debrief`). Nothing here knows any particular objection.
"""

from __future__ import annotations

import datetime as _dt

from .authoring import line_of, suggest, type_name

__all__ = ["KEYS", "COMPARISONS", "COMMITMENT_PRECISIONS", "Context", "holds", "check", "moves_in"]

KEYS = ("moves", "any_moves", "not_moves", "state", "objection_lifted", "objection_raised", "outcome",
        "commitment", "move_made", "said_to", "ended_by", "speaker", "all", "any", "not")
COMPARISONS = ("below", "above", "at_least", "at_most")
COMMITMENT_PRECISIONS = ("exact", "range", "vague", "none", "any")
COMMITMENT_FIELDS = ("precision", "action", "time", "amount", "cheque_number", "date_within_days")
ENDED_BY = ("learner", "debtor", "limit")


class Context:
    """What a condition can look at. Fields left at None are unknown in that place."""

    def __init__(self, *, moves=None, state=None, lifted=frozenset(), raised=frozenset(),
                 commitment=None, committed=False, moves_made=frozenset(), ended_by=None,
                 speaker=None, today=None, outcomes=None, moves_to=None):
        self.moves = moves                # set of the moves of this line (None: no line here)
        self.state = state or {}          # author state + built-in variables
        self.lifted = lifted              # objection ids lifted so far
        self.raised = raised              # objection ids raised so far
        self.commitment = commitment      # the promise dict (debrief shape)
        self.committed = committed
        self.moves_made = moves_made      # moves of the earlier lines (all lines, after the call)
        self.ended_by = ended_by
        self.speaker = speaker
        self.today = today
        self.outcomes = outcomes or {}    # objection id -> name of the outcome it was lifted with
        self.moves_to = moves_to or {}    # speaker id -> moves made while that speaker was on the line


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _compare(actual, expected) -> bool:
    if isinstance(expected, dict):
        try:
            value = float(actual)
        except (TypeError, ValueError):
            return False
        for op, bound in expected.items():
            if op == "below" and not value < bound:
                return False
            if op == "above" and not value > bound:
                return False
            if op == "at_least" and not value >= bound:
                return False
            if op == "at_most" and not value <= bound:
                return False
        return True
    if isinstance(expected, bool) or isinstance(actual, bool):
        return bool(actual) == bool(expected) if isinstance(expected, bool) else actual == expected
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return abs(float(actual) - float(expected)) < 1e-9
    return actual == expected


def _commitment_holds(spec, ctx: Context) -> bool:
    c = ctx.commitment or {}
    precision = c.get("precision")
    if isinstance(spec, str):
        spec = {"precision": spec}
    want = spec.get("precision")
    if want is not None and want != "any":
        if want == "none":
            if precision is not None:
                return False
        elif precision != want:
            return False
    elif want == "any" and precision is None:
        return False
    if "action" in spec and c.get("action") not in _as_list(spec["action"]):
        return False
    details = c.get("details") or {}
    for key, getter in (("time", lambda: c.get("time")), ("amount", lambda: c.get("amount")),
                        ("cheque_number", lambda: details.get("cheque_number"))):
        if key in spec and bool(getter()) != bool(spec[key]):
            return False
    if "date_within_days" in spec:
        if not c.get("date") or ctx.today is None:
            return False
        day = _dt.date.fromisoformat(c["date"])
        if (day - ctx.today).days > spec["date_within_days"]:
            return False
    return True


def holds(cond, ctx: Context) -> bool:
    """Does a validated condition hold in this context?"""
    if not cond:
        return True
    for key, value in cond.items():
        if key == "moves":
            if ctx.moves is None or not all(m in ctx.moves for m in value):
                return False
        elif key == "any_moves":
            if ctx.moves is None or not any(m in ctx.moves for m in value):
                return False
        elif key == "not_moves":
            if ctx.moves is not None and any(m in ctx.moves for m in value):
                return False
        elif key == "state":
            for name, expected in value.items():
                if not _compare(ctx.state.get(name), expected):
                    return False
        elif key == "objection_lifted":
            if not all(o in ctx.lifted for o in _as_list(value)):
                return False
        elif key == "objection_raised":
            if not all(o in ctx.raised for o in _as_list(value)):
                return False
        elif key == "outcome":
            if any(ctx.outcomes.get(oid) not in _as_list(names) for oid, names in value.items()):
                return False
        elif key == "commitment":
            if not _commitment_holds(value, ctx):
                return False
        elif key == "move_made":
            if not all(m in ctx.moves_made for m in _as_list(value)):
                return False
        elif key == "said_to":
            if not any(set(moves) & set(ctx.moves_to.get(who, ())) for who, moves in value.items()):
                return False
        elif key == "ended_by":
            if ctx.ended_by not in _as_list(value):
                return False
        elif key == "speaker":
            if ctx.speaker not in _as_list(value):
                return False
        elif key == "all":
            if not all(holds(c, ctx) for c in value):
                return False
        elif key == "any":
            if not any(holds(c, ctx) for c in value):
                return False
        elif key == "not":
            if holds(value, ctx):
                return False
        # "times" (and other keys read by the caller) are not conditions on the context.
    return True


def moves_in(cond) -> set:
    """Every move a condition names (to tell which moves an objection listens to)."""
    found = set()
    if not isinstance(cond, dict):
        return found
    for key in ("moves", "any_moves"):
        found.update(cond.get(key) or ())
    for key in ("all", "any"):
        for sub in cond.get(key) or ():
            found |= moves_in(sub)
    return found


# --------------------------------------------------------------------------- validation

class Known:
    """The names a condition may use in one scenario or objection."""

    def __init__(self, moves=None, state=None, objections=None, speakers=None, line=True, extra_keys=(),
                 state_values=None, pages=None):
        # None: any name is accepted here (an objection file read on its own); the scenario
        # that uses it checks the names again against its own moves, state and speakers.
        self.moves = None if moves is None else set(moves)
        self.state = None if state is None else set(state)
        self.objections = None if objections is None else set(objections)
        self.speakers = None if speakers is None else set(speakers)
        self.line = line              # a learner line is being read (moves are meaningful)
        self.extra_keys = tuple(extra_keys)
        self.state_values = state_values  # initial values, to check the types compared
        self.pages = pages                # simulator.scenario.CoursePages, to check course links

    def without_line(self) -> "Known":
        """The same names, where no learner line is read (criteria, terms, hints)."""
        return Known(self.moves, self.state, self.objections, self.speakers, line=False,
                     state_values=self.state_values, pages=self.pages)

    def with_keys(self, *keys) -> "Known":
        return Known(self.moves, self.state, self.objections, self.speakers, self.line,
                     extra_keys=keys, state_values=self.state_values, pages=self.pages)


def check(cond, problems, path: str, known: Known, container=None, key=None) -> dict | None:
    """Validate one condition; report French problems; return the plain condition or None."""
    line = line_of(container, key) if container is not None else line_of(cond)
    if not isinstance(cond, dict) or not cond:
        problems.error(line, path, "attendu une condition : un bloc de champs comme "
                                   "« moves: [cite_law] » ou « state: {nom: true} », trouvé "
                       + type_name(cond))
        return None
    out = {}
    ok = True
    allowed = KEYS + known.extra_keys
    for k, value in cond.items():
        where = f"{path}.{k}"
        kline = line_of(cond, k, line)
        if k not in allowed:
            problems.error(kline, where, f"condition inconnue{suggest(k, allowed)} ; conditions "
                                         f"possibles : {', '.join(allowed)}")
            ok = False
            continue
        if k in known.extra_keys:
            out[k] = value
            continue
        if k in ("moves", "any_moves", "not_moves") and not known.line:
            problems.error(kline, where, "ici, aucune réplique n’est lue : utilisez plutôt "
                                         "« move_made » (l’apprenant l’a fait pendant l’appel)")
            ok = False
            continue
        if k in _NAME_KEYS:
            what, allowed_names, noun = _NAME_KEYS[k]
            names = _names(value, problems, where, kline, what, allowed_names(known), noun)
            if names is None:
                ok = False
            else:
                out[k] = names
        elif k == "state":
            if not isinstance(value, dict) or not value:
                problems.error(kline, where, "attendu un bloc « nom: valeur », trouvé " + type_name(value))
                ok = False
                continue
            state = {}
            for name, expected in value.items():
                sline = line_of(value, name, kline)
                if known.state is not None and name not in known.state:
                    problems.error(sline, f"{where}.{name}", f"variable d’état inconnue « {name} »"
                                   + suggest(name, known.state) + " ; déclarez-la dans le bloc « state » "
                                   "du scénario (variables connues : " + (", ".join(sorted(known.state)) or "aucune") + ")")
                    ok = False
                    continue
                if isinstance(expected, dict):
                    bad = [op for op in expected if op not in COMPARISONS]
                    nums = all(isinstance(v, (int, float)) and not isinstance(v, bool)
                               for v in expected.values())
                    if bad or not expected or not nums:
                        problems.error(sline, f"{where}.{name}", "attendu une comparaison comme "
                                       "« {below: 0.4} » (below, above, at_least, at_most suivis d’un nombre)")
                        ok = False
                        continue
                elif not isinstance(expected, (bool, int, float, str)):
                    problems.error(sline, f"{where}.{name}", "attendu une valeur (true, false, un nombre "
                                   "ou un texte) ou une comparaison, trouvé " + type_name(expected))
                    ok = False
                    continue
                elif known.state_values is not None and name in known.state_values and \
                        _kind(expected) != _kind(known.state_values[name]):
                    hint = (" ; écrivez true ou false, sans guillemets" if isinstance(known.state_values[name], bool)
                            and isinstance(expected, str) else "")
                    problems.error(sline, f"{where}.{name}", f"attendu une valeur du même genre que « {name} » "
                                   f"({type_name(known.state_values[name])}), trouvé {type_name(expected)}{hint}")
                    ok = False
                    continue
                state[name] = dict(expected) if isinstance(expected, dict) else expected
            out[k] = state
        elif k == "outcome":
            if not isinstance(value, dict) or not value or not all(
                    isinstance(o, str) and (isinstance(n, str) or (isinstance(n, list) and n)) for o, n in value.items()):
                problems.error(kline, where, "attendu un bloc « objection: nom de l’issue », par exemple "
                                             "« {penalites: waived_vague} », trouvé " + type_name(value))
                ok = False
                continue
            bad = [o for o in value if known.objections is not None and o not in known.objections]
            if bad:
                problems.error(kline, where, f"objection inconnue « {bad[0]} »" + suggest(bad[0], known.objections or ()))
                ok = False
                continue
            out[k] = {o: list(n) if isinstance(n, list) else n for o, n in value.items()}
        elif k == "commitment":
            spec = _commitment(value, problems, where, kline)
            if spec is None:
                ok = False
            else:
                out[k] = spec
        elif k == "said_to":
            if not isinstance(value, dict) or not value:
                problems.error(kline, where, "attendu un interlocuteur et ses mouvements, par exemple "
                                             "« {assistante: [names_amount]} », trouvé " + type_name(value))
                ok = False
                continue
            checked_to = {}
            for who, moves in value.items():
                speaker = _names(who, problems, where, kline, "un interlocuteur", known.speakers, "interlocuteur")
                names = _names(moves, problems, f"{where}.{who}", kline, "un mouvement", known.moves, "mouvement")
                if speaker is None or names is None:
                    ok = False
                else:
                    checked_to[speaker[0]] = names
            if ok:
                out[k] = checked_to
        elif k in ("all", "any"):
            if not isinstance(value, list) or not value:
                problems.error(kline, where, "attendu une liste de conditions, trouvé " + type_name(value))
                ok = False
                continue
            subs = []
            for i, sub in enumerate(value):
                checked = check(sub, problems, f"{where}[{i + 1}]", known, value, i)
                if checked is None:
                    ok = False
                else:
                    subs.append(checked)
            out[k] = subs
        elif k == "not":
            checked = check(value, problems, where, known, cond, k)
            if checked is None:
                ok = False
            else:
                out[k] = checked
    return out if ok else None


def _kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    return "number" if isinstance(value, (int, float)) else "text"


#: Conditions whose value is a name or a list of names: (what is expected, the known names, noun).
_NAME_KEYS = {
    "moves": ("un mouvement", lambda known: known.moves, "mouvement"),
    "any_moves": ("un mouvement", lambda known: known.moves, "mouvement"),
    "not_moves": ("un mouvement", lambda known: known.moves, "mouvement"),
    "move_made": ("un mouvement", lambda known: known.moves, "mouvement"),
    "objection_lifted": ("un identifiant d’objection", lambda known: known.objections, "objection"),
    "objection_raised": ("un identifiant d’objection", lambda known: known.objections, "objection"),
    "ended_by": ("learner, debtor ou limit", lambda known: ENDED_BY, "valeur"),
    "speaker": ("un interlocuteur", lambda known: known.speakers, "interlocuteur"),
}


def _names(value, problems, where, line, what, allowed, noun):
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, str) and v for v in items):
        problems.error(line, where, f"attendu {what} ou une liste entre crochets, trouvé {type_name(value)}")
        return None
    ok = True
    if allowed is not None:
        for i, name in enumerate(items):
            if name not in allowed:
                where_i = f"{where}[{i + 1}]" if isinstance(value, list) else where
                problems.error(line_of(value, i, line) if isinstance(value, list) else line, where_i,
                               f"{noun} inconnu « {name} »{suggest(name, allowed)}"
                               + (f" ; connus : {', '.join(sorted(allowed))}" if len(allowed) <= 12 else
                                  " ; la liste complète est dans le guide des auteurs"))
                ok = False
    return list(items) if ok else None


def _commitment(value, problems, where, line):
    if isinstance(value, str):
        if value not in COMMITMENT_PRECISIONS:
            problems.error(line, where, "attendu exact, range, vague, none ou any (ou un bloc de "
                           "champs : precision, action, time…), trouvé " + type_name(value))
            return None
        return {"precision": value}
    if not isinstance(value, dict) or not value:
        problems.error(line, where, "attendu exact, range, vague, none, any ou un bloc de champs, trouvé "
                       + type_name(value))
        return None
    from .replies import ACTIONS

    out = {}
    ok = True
    for k, v in value.items():
        kline = line_of(value, k, line)
        w = f"{where}.{k}"
        if k not in COMMITMENT_FIELDS:
            problems.error(kline, w, "champ inconnu" + suggest(k, COMMITMENT_FIELDS)
                           + " ; champs possibles : " + ", ".join(COMMITMENT_FIELDS))
            ok = False
        elif k == "precision" and v not in COMMITMENT_PRECISIONS:
            problems.error(kline, w, "attendu exact, range, vague, none ou any, trouvé " + type_name(v))
            ok = False
        elif k == "action":
            names = _names(v, problems, w, kline, "une action", ACTIONS, "action")
            if names is None:
                ok = False
            else:
                out[k] = names
            continue
        elif k in ("time", "amount", "cheque_number") and not isinstance(v, bool):
            problems.error(kline, w, "attendu true ou false, trouvé " + type_name(v))
            ok = False
        elif k == "date_within_days" and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
            problems.error(kline, w, "attendu un nombre entier de jours (0 ou plus), trouvé " + type_name(v))
            ok = False
        if ok:
            out[k] = v
    return out if ok else None
