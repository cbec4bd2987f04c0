"""Loading and validating call scenarios.

``load_scenario(path_or_dict)`` returns a :class:`Scenario`: a validated,
normalised, JSON-serialisable dict (dates and times as ISO strings, defaults
filled in). ``scenario_to_dict(scenario)`` / ``Scenario.to_dict()`` give a plain
deep copy for writing as JSON; loading that dict again gives an identical
scenario. PyYAML is imported only when a path is given.

Every problem raises :class:`ScenarioError`, one line per problem::

    exercises/appels/x.yml: persona.irritation: expected a number between 0 and 1, got 'high'
"""

from __future__ import annotations

import copy
import datetime as _dt
import re
from string import Formatter

from . import lazy_re
from .persona import EXCUSES, PLACEHOLDERS, SITUATIONS
from .understand import METHODS

__all__ = ["ScenarioError", "Scenario", "load_scenario", "scenario_to_dict", "validate",
           "CRITERIA", "EXTRA_CRITERIA", "LEVELS"]

LEVELS = ("facile", "moyen", "difficile")
CRITERIA = ("commitment", "exact_date", "amount", "payment_method", "no_vague_accepted",
            "professional_tone", "questions", "recap", "follow_up", "opening")
EXTRA_CRITERIA = ("cheque_details", "first_payment", "documents", "callback_time", "deescalation")
HINT_STAGES = ("opening", "invoice", "excuse", "date", "method", "amount", "recap", "follow_up",
               "close")
ENDED_BY = ("learner", "debtor", "limit")
ACTIONS = METHODS + ("echeancier", "rappel")
PRECISIONS = ("exact", "range", "vague")
_SLUG = lazy_re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TIME = lazy_re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_HTML = lazy_re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


class ScenarioError(ValueError):
    """An invalid scenario. ``errors`` lists "field.path: expectation, got value" lines."""

    def __init__(self, message: str, errors: list[str] | None = None, source: str | None = None):
        super().__init__(message)
        self.errors = errors or [message]
        self.source = source


def _show(value) -> str:
    text = repr(value)
    if isinstance(value, _dt.date):
        text = repr(value.isoformat())
    return text if len(text) <= 60 else text[:57] + "..."


class _Checker:
    def __init__(self):
        self.errors: list[str] = []

    def err(self, path: str, expectation: str, value=None, show: bool = True) -> None:
        self.errors.append(f"{path}: {expectation}" + (f", got {_show(value)}" if show else ""))

    # Typed getters: return a normalised value or None after recording an error.
    def mapping(self, data, path, required=True):
        if data is None and not required:
            return None
        if not isinstance(data, dict):
            self.err(path, "expected a mapping (key: value pairs)", data)
            return None
        return data

    def known_keys(self, data: dict, path: str, allowed) -> None:
        for key in data:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                self.err(where, "unknown field (expected one of: " + ", ".join(allowed) + ")",
                         show=False)

    def text(self, data, key, path, required=True, one_line=False, default=None):
        where = f"{path}.{key}" if path else key
        value = data.get(key, None) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.err(where, "required text is missing", show=False)
            return default
        if not isinstance(value, str) or not value.strip():
            self.err(where, "expected a non-empty text", value)
            return default
        if one_line and "\n" in value.strip():
            self.err(where, "expected a single line of text", value)
        if _HTML.search(value):
            self.err(where, "expected plain text without HTML tags", value)
        return value.strip() if one_line else value.rstrip()

    def number(self, data, key, path, lo=None, hi=None, required=True, default=None,
               integer=False, strict_lo=False):
        where = f"{path}.{key}" if path else key
        value = data.get(key, None) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.err(where, "required number is missing", show=False)
            return default
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and integer and not float(value).is_integer():
            ok = False
        if ok and value != value:  # NaN
            ok = False
        if ok and lo is not None and (value <= lo if strict_lo else value < lo):
            ok = False
        if ok and hi is not None and value > hi:
            ok = False
        if not ok:
            kind = "an integer" if integer else "a number"
            if lo is not None and hi is not None:
                self.err(where, f"expected {kind} between {lo:g} and {hi:g}", value)
            elif lo is not None:
                self.err(where, f"expected {kind} {'greater than' if strict_lo else 'at least'} {lo:g}", value)
            else:
                self.err(where, f"expected {kind}", value)
            return default
        return int(value) if integer else float(value)

    def boolean(self, data, key, path, default=None, required=False):
        where = f"{path}.{key}" if path else key
        value = data.get(key, None) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.err(where, "required true/false is missing", show=False)
            return default
        if not isinstance(value, bool):
            self.err(where, "expected true or false", value)
            return default
        return value

    def choice(self, data, key, path, options, required=True, default=None):
        where = f"{path}.{key}" if path else key
        value = data.get(key, None) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.err(where, "required value is missing (one of: " + ", ".join(options) + ")",
                         show=False)
            return default
        if value not in options:
            self.err(where, "expected one of: " + ", ".join(options), value)
            return default
        return value

    def date(self, data, key, path, required=True):
        where = f"{path}.{key}" if path else key
        value = data.get(key, None) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.err(where, "required date is missing (YYYY-MM-DD)", show=False)
            return None
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return _dt.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        self.err(where, "expected a date YYYY-MM-DD", value)
        return None

    def time(self, data, key, path, required=False):
        where = f"{path}.{key}" if path else key
        value = data.get(key, None) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.err(where, "required time is missing (\"HH:MM\")", show=False)
            return None
        if isinstance(value, str) and _TIME.match(value.strip()):
            return value.strip()
        self.err(where, "expected a time \"HH:MM\" in quotes", value)
        return None


_TOP_KEYS = ("id", "title", "level", "order", "duration", "situation", "briefing", "today",
             "caller", "invoice", "persona", "max_turns", "objectives", "hints", "replies",
             "examples")
_PERSONA_KEYS = ("name", "gender", "company", "role", "temperament", "cash_available",
                 "good_faith", "irritation", "patience", "questions_before_answer", "excuses",
                 "method", "volunteers_method", "promise", "earliest_date", "callback", "cheque",
                 "instalments")


def _check_templates(ck: _Checker, path: str, template: str) -> None:
    try:
        fields = [f for _, f, _, _ in Formatter().parse(template) if f is not None]
    except ValueError as exc:
        ck.err(path, f"expected a valid template ({exc}; write {{{{ and }}}} for braces)", template)
        return
    for name in fields:
        base = re.split(r"[.\[!:]", name, maxsplit=1)[0]
        if base not in PLACEHOLDERS or base != name:
            ck.err(path, "unknown placeholder {" + name + "} (allowed: "
                   + ", ".join(sorted(PLACEHOLDERS)) + ")", show=False)


def validate(data, source: str | None = None, from_file: bool = False) -> dict:
    """Return the normalised scenario dict or raise ScenarioError listing every problem."""
    ck = _Checker()
    if not isinstance(data, dict):
        raise _error(source, ["(file): expected a mapping at the top level, got " + _show(data)])
    out: dict = {}
    ck.known_keys(data, "", _TOP_KEYS)

    sid = data.get("id")
    if not isinstance(sid, str) or not _SLUG.match(sid):
        ck.err("id", "expected a slug of lower-case letters, digits and hyphens", sid)
    out["id"] = sid if isinstance(sid, str) else ""
    if from_file and source and isinstance(sid, str) \
            and source.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0] != sid:
        stem = source.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        ck.err("id", f"expected the file name {stem!r}", sid)
    out["title"] = ck.text(data, "title", "", one_line=True)
    out["level"] = ck.choice(data, "level", "", LEVELS)
    out["order"] = ck.number(data, "order", "", lo=1, hi=99, integer=True, required=False, default=99)
    out["duration"] = ck.number(data, "duration", "", lo=1, hi=60, integer=True)
    out["situation"] = ck.text(data, "situation", "", one_line=True)
    out["briefing"] = ck.text(data, "briefing", "")
    today = ck.date(data, "today", "")
    out["today"] = today

    caller = ck.mapping(data.get("caller"), "caller") or {}
    if caller:
        ck.known_keys(caller, "caller", ("name", "company", "role"))
    out["caller"] = {
        "name": ck.text(caller, "name", "caller", one_line=True),
        "company": ck.text(caller, "company", "caller", one_line=True),
        "role": ck.text(caller, "role", "caller", required=False, one_line=True),
    }

    inv = ck.mapping(data.get("invoice"), "invoice") or {}
    if inv:
        ck.known_keys(inv, "invoice", ("number", "amount", "issued", "due", "description"))
    number = inv.get("number")
    if isinstance(number, int) and not isinstance(number, bool):
        number = str(number)
    if not isinstance(number, str) or not number.strip():
        ck.err("invoice.number", "expected an invoice number such as 'F-2026-117'", number)
        number = ""
    out["invoice"] = {
        "number": number.strip(),
        "amount": ck.number(inv, "amount", "invoice", lo=0, strict_lo=True),
        "issued": ck.date(inv, "issued", "invoice"),
        "due": ck.date(inv, "due", "invoice"),
        "description": ck.text(inv, "description", "invoice", required=False, one_line=True),
    }
    if out["invoice"]["issued"] and out["invoice"]["due"] and out["invoice"]["due"] < out["invoice"]["issued"]:
        ck.err("invoice.due", "expected a due date on or after invoice.issued", out["invoice"]["due"])
    if today and out["invoice"]["due"] and out["invoice"]["due"] >= today:
        ck.err("invoice.due", f"expected a due date before the call date ({today}): the invoice must be late",
               out["invoice"]["due"])
    amount = out["invoice"]["amount"]

    out["persona"] = _persona(ck, data.get("persona"), today, amount)
    out["max_turns"] = ck.number(data, "max_turns", "", lo=4, hi=80, integer=True, required=False,
                                 default=30)

    # Objectives: weights per criterion and extra criteria.
    obj = ck.mapping(data.get("objectives"), "objectives", required=False) or {}
    if obj:
        ck.known_keys(obj, "objectives", ("weights", "extra"))
    weights_in = ck.mapping(obj.get("weights"), "objectives.weights", required=False) or {}
    extra = obj.get("extra") or []
    if not isinstance(extra, list):
        ck.err("objectives.extra", "expected a list of criterion ids", extra)
        extra = []
    extra_out = []
    for i, name in enumerate(extra):
        if name not in EXTRA_CRITERIA:
            ck.err(f"objectives.extra[{i}]", "expected one of: " + ", ".join(EXTRA_CRITERIA), name)
        elif name not in extra_out:
            extra_out.append(name)
    weights = {}
    for key, value in weights_in.items():
        if key not in CRITERIA + EXTRA_CRITERIA:
            ck.err(f"objectives.weights.{key}", "unknown criterion (expected one of: "
                   + ", ".join(CRITERIA + EXTRA_CRITERIA) + ")", show=False)
            continue
        w = ck.number(weights_in, key, "objectives.weights", lo=0, hi=100)
        if w is not None:
            weights[key] = w
    out["objectives"] = {"weights": weights, "extra": extra_out}

    hints_in = ck.mapping(data.get("hints"), "hints", required=False) or {}
    hints = {}
    for key, value in hints_in.items():
        if key not in HINT_STAGES:
            ck.err(f"hints.{key}", "unknown stage (expected one of: " + ", ".join(HINT_STAGES) + ")",
                   show=False)
            continue
        text = ck.text(hints_in, key, "hints")
        if text:
            hints[key] = text
    out["hints"] = hints

    replies_in = ck.mapping(data.get("replies"), "replies", required=False) or {}
    replies = {}
    for key, variants in replies_in.items():
        where = f"replies.{key}"
        if key not in SITUATIONS:
            ck.err(where, "unknown situation (expected one of: " + ", ".join(sorted(SITUATIONS)) + ")",
                   show=False)
            continue
        if isinstance(variants, str):
            variants = [variants]
        if not isinstance(variants, list) or not variants:
            ck.err(where, "expected a non-empty list of reply variants", variants)
            continue
        good = []
        for i, v in enumerate(variants):
            if not isinstance(v, str) or not v.strip():
                ck.err(f"{where}[{i}]", "expected a non-empty text", v)
                continue
            if _HTML.search(v):
                ck.err(f"{where}[{i}]", "expected plain text without HTML tags", v)
                continue
            _check_templates(ck, f"{where}[{i}]", v)
            good.append(" ".join(v.split()))
        replies[key] = good
    out["replies"] = replies

    out["examples"] = _examples(ck, data.get("examples"))
    if ck.errors:
        raise _error(source, ck.errors)
    return out


def _persona(ck: _Checker, data, today, amount) -> dict:
    data = ck.mapping(data, "persona") or {}
    if data:
        ck.known_keys(data, "persona", _PERSONA_KEYS)
    P = "persona"
    out = {
        "name": ck.text(data, "name", P, one_line=True),
        "gender": ck.choice(data, "gender", P, ("f", "m"), required=False, default="m"),
        "company": ck.text(data, "company", P, one_line=True),
        "role": ck.text(data, "role", P, required=False, one_line=True),
        "temperament": ck.text(data, "temperament", P, required=False, one_line=True),
        "cash_available": ck.number(data, "cash_available", P, lo=0),
        "good_faith": ck.boolean(data, "good_faith", P, required=True),
        "irritation": ck.number(data, "irritation", P, lo=0, hi=1),
        "patience": ck.number(data, "patience", P, lo=0, hi=10, integer=True, required=False, default=2),
        "questions_before_answer": ck.number(data, "questions_before_answer", P, lo=0, hi=8,
                                             integer=True),
        "method": ck.choice(data, "method", P, METHODS),
        "volunteers_method": ck.boolean(data, "volunteers_method", P, default=False),
        "earliest_date": ck.date(data, "earliest_date", P, required=False),
    }
    excuses = data.get("excuses")
    if not isinstance(excuses, list) or not excuses:
        ck.err("persona.excuses", "expected a non-empty list of excuses (" + ", ".join(EXCUSES) + ")",
               excuses)
        excuses = []
    clean = []
    for i, e in enumerate(excuses):
        if e not in EXCUSES:
            ck.err(f"persona.excuses[{i}]", "expected one of: " + ", ".join(EXCUSES), e)
        elif e in clean:
            ck.err(f"persona.excuses[{i}]", "expected each excuse only once", e)
        else:
            clean.append(e)
    out["excuses"] = clean

    promise = ck.mapping(data.get("promise"), "persona.promise") or {}
    if promise:
        ck.known_keys(promise, "persona.promise", ("date", "time"))
    out["promise"] = {"date": ck.date(promise, "date", "persona.promise"),
                      "time": ck.time(promise, "time", "persona.promise")}
    if today and out["promise"]["date"] and out["promise"]["date"] < today:
        ck.err("persona.promise.date", f"expected a date on or after the call date ({today})",
               out["promise"]["date"])

    def sub(key, keys, required_if, why):
        raw = data.get(key)
        if raw is None:
            if required_if:
                ck.err(f"persona.{key}", f"required when {why}", show=False)
            return None
        raw = ck.mapping(raw, f"persona.{key}")
        if raw is None:
            return None
        ck.known_keys(raw, f"persona.{key}", keys)
        return raw

    cb = sub("callback", ("date", "time"), "comptable" in clean, "persona.excuses has 'comptable'")
    out["callback"] = None
    if cb is not None:
        out["callback"] = {"date": ck.date(cb, "date", "persona.callback"),
                           "time": ck.time(cb, "time", "persona.callback", required=True)}
        if today and out["callback"]["date"] and out["callback"]["date"] < today:
            ck.err("persona.callback.date", f"expected a date on or after the call date ({today})",
                   out["callback"]["date"])

    ch = sub("cheque", ("number", "sent", "sent_date"), "cheque_poste" in clean,
             "persona.excuses has 'cheque_poste'")
    out["cheque"] = None
    if ch is not None:
        num = ch.get("number")
        if isinstance(num, int) and not isinstance(num, bool):
            num = str(num)
        if not isinstance(num, str) or not re.fullmatch(r"\d{5,10}", num.strip()):
            ck.err("persona.cheque.number", "expected a cheque number of 5 to 10 digits in quotes", num)
            num = None
        sent = ck.boolean(ch, "sent", "persona.cheque", required=True)
        sent_date = ck.date(ch, "sent_date", "persona.cheque", required=bool(sent))
        if sent and today and sent_date and sent_date > today:
            ck.err("persona.cheque.sent_date", f"expected a date on or before the call date ({today})",
                   sent_date)
        out["cheque"] = {"number": num.strip() if num else None, "sent": sent, "sent_date": sent_date}

    inst = sub("instalments", ("count", "first_date", "first_amount", "later_start"),
               "tresorerie" in clean, "persona.excuses has 'tresorerie'")
    out["instalments"] = None
    if inst is not None:
        out["instalments"] = {
            "count": ck.number(inst, "count", "persona.instalments", lo=2, hi=12, integer=True),
            "first_date": ck.date(inst, "first_date", "persona.instalments"),
            "first_amount": ck.number(inst, "first_amount", "persona.instalments", lo=0,
                                      required=False),
            "later_start": ck.date(inst, "later_start", "persona.instalments"),
        }
        fa = out["instalments"]["first_amount"]
        if fa is not None and amount and fa >= amount:
            ck.err("persona.instalments.first_amount", "expected less than the invoice amount", fa)
        fd = out["instalments"]["first_date"]
        if today and fd and fd < today:
            ck.err("persona.instalments.first_date", f"expected a date on or after the call date ({today})", fd)
    cash = out["cash_available"]
    if cash is not None and amount and cash < amount and "tresorerie" not in clean:
        ck.err("persona.cash_available",
               "lower than the invoice amount, so persona.excuses must include 'tresorerie'", cash)
    if "tresorerie" in clean and cash is not None and amount and cash >= amount:
        ck.err("persona.cash_available",
               "expected less than the invoice amount when persona.excuses has 'tresorerie'", cash)
    return out


_EXPECT_KEYS = ("score_min", "score_max", "ended_by", "passed", "failed", "commitment")


def _examples(ck: _Checker, data) -> list:
    if not isinstance(data, list) or len(data) < 2:
        ck.err("examples", "expected at least 2 example conversations (a good and a poor one)",
               data if not isinstance(data, list) else f"{len(data)} example(s)")
        return []
    out = []
    for i, ex in enumerate(data):
        path = f"examples[{i}]"
        ex = ck.mapping(ex, path)
        if ex is None:
            continue
        ck.known_keys(ex, path, ("name", "seed", "lines", "expect"))
        item = {"name": ck.text(ex, "name", path, one_line=True),
                "seed": ck.number(ex, "seed", path, lo=0, integer=True, required=False, default=0)}
        lines = ex.get("lines")
        if not isinstance(lines, list) or not lines:
            ck.err(f"{path}.lines", "expected a non-empty list of learner lines", lines)
            lines = []
        good = []
        for j, line in enumerate(lines):
            if not isinstance(line, str):
                ck.err(f"{path}.lines[{j}]", "expected a text (quote it)", line)
            else:
                good.append(line)
        item["lines"] = good
        exp = ck.mapping(ex.get("expect"), f"{path}.expect") or {}
        if exp:
            ck.known_keys(exp, f"{path}.expect", _EXPECT_KEYS)
        e = {}
        for key in ("score_min", "score_max"):
            v = ck.number(exp, key, f"{path}.expect", lo=0, hi=100, required=False)
            if v is not None:
                e[key] = v
        if exp.get("ended_by") is not None:
            e["ended_by"] = ck.choice(exp, "ended_by", f"{path}.expect", ENDED_BY)
        for key in ("passed", "failed"):
            ids = exp.get(key)
            if ids is None:
                continue
            if not isinstance(ids, list):
                ck.err(f"{path}.expect.{key}", "expected a list of criterion ids", ids)
                continue
            for j, cid in enumerate(ids):
                if cid not in CRITERIA + EXTRA_CRITERIA:
                    ck.err(f"{path}.expect.{key}[{j}]", "expected a criterion id ("
                           + ", ".join(CRITERIA + EXTRA_CRITERIA) + ")", cid)
            e[key] = [c for c in ids if c in CRITERIA + EXTRA_CRITERIA]
        com = ck.mapping(exp.get("commitment"), f"{path}.expect.commitment", required=False)
        if com:
            ck.known_keys(com, f"{path}.expect.commitment", ("action", "precision", "date", "time",
                                                               "amount"))
            ec = {}
            if "action" in com:
                if com["action"] is not None and com["action"] not in ACTIONS:
                    ck.err(f"{path}.expect.commitment.action", "expected one of: " + ", ".join(ACTIONS)
                           + " or null", com["action"])
                ec["action"] = com["action"]
            if "precision" in com:
                if com["precision"] is not None and com["precision"] not in PRECISIONS:
                    ck.err(f"{path}.expect.commitment.precision", "expected one of: "
                           + ", ".join(PRECISIONS) + " or null", com["precision"])
                ec["precision"] = com["precision"]
            if "date" in com:
                ec["date"] = ck.date(com, "date", f"{path}.expect.commitment", required=False)
            if "time" in com:
                ec["time"] = ck.time(com, "time", f"{path}.expect.commitment")
            if "amount" in com:
                ec["amount"] = ck.number(com, "amount", f"{path}.expect.commitment", lo=0,
                                         required=False)
            e["commitment"] = ec
        item["expect"] = e
        out.append(item)
    return out


def _error(source, errors) -> ScenarioError:
    prefix = f"{source}: " if source else ""
    return ScenarioError("\n".join(prefix + e for e in errors), [prefix + e for e in errors], source)


class Scenario(dict):
    """A validated scenario: a plain dict (JSON-serialisable) with a few conveniences."""

    source: str | None = None

    @property
    def id(self) -> str:
        return self["id"]

    @property
    def title(self) -> str:
        return self["title"]

    def to_dict(self) -> dict:
        """A deep, plain-dict copy suitable for json.dumps (and for load_scenario again)."""
        return copy.deepcopy(dict(self))


def scenario_to_dict(scenario) -> dict:
    """Plain JSON-serialisable dict of a validated scenario (accepts a Scenario or a raw dict)."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    return scenario.to_dict()


def load_scenario(source, *, name: str | None = None) -> Scenario:
    """Load and validate a scenario from a YAML/JSON path or from a dict.

    Raises ScenarioError naming the file (or `name`), the field path and the expectation.
    """
    if isinstance(source, Scenario):
        return source
    from_file = not isinstance(source, dict)
    if from_file and not isinstance(source, str) and not hasattr(source, "__fspath__"):
        raise ScenarioError(f"{name or '(scenario)'}: expected a scenario dict or a file path, "
                            f"got {_show(source)}", source=name)
    if from_file:
        label = str(source)
        data = _read(source, label)
    else:
        label = name
        data = source
    result = Scenario(validate(copy.deepcopy(data), source=label, from_file=from_file))
    result.source = label
    return result


def parse_yaml(text: str, loader=None, fast_loader=None):
    """YAML text -> data, read by libyaml when PyYAML has it: several times faster.

    libyaml accepts tabs where the pure-Python parser refuses them (the course's rule is
    spaces only), so a text with a tab goes to the latter, as does a text libyaml refuses:
    a yaml.YAMLError then carries the pure-Python parser's words. `loader` and
    `fast_loader` default to PyYAML's safe loaders. Needs PyYAML (not in Pyodide).
    """
    import yaml

    loader = loader or yaml.SafeLoader
    fast_loader = fast_loader or getattr(yaml, "CSafeLoader", loader)
    if "\t" not in text:
        try:
            return yaml.load(text, Loader=fast_loader)  # noqa: S506 - safe loaders only
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=loader)  # noqa: S506 - safe loaders only


def _read(path, label: str):
    from pathlib import Path

    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{label}: file not found", source=label) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{label}: cannot read the file ({exc})", source=label) from None
    if p.suffix == ".json":
        import json

        try:
            return json.loads(raw)
        except ValueError as exc:
            raise ScenarioError(f"{label}: invalid JSON ({exc})", source=label) from None
    try:
        import yaml
    except ImportError:  # pragma: no cover - Pyodide: scenarios arrive as dicts
        raise ScenarioError(f"{label}: PyYAML is needed to read YAML files", source=label) from None
    try:
        return parse_yaml(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(f"{label}: invalid YAML{where}: {problem}", source=label) from None
