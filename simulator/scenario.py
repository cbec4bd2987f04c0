"""Loading and validating call scenarios.

``load_scenario(path_or_dict)`` returns a :class:`Scenario`: a validated, normalised,
self-contained, JSON-serialisable dict (dates and times as ISO strings, defaults filled in,
every objection of every speaker written out in full from the library and the scenario's
changes). ``scenario_to_dict(scenario)`` / ``Scenario.to_dict()`` give a plain deep copy for
writing as JSON; loading that dict again gives an identical scenario (this is how the browser
gets it). PyYAML is needed only to read files.

Every problem raises :class:`ScenarioError`, one French line per problem, with the line of
the file when it was read from one::

    exercises/appels/x.yml:14: scénario « x », champ « persona.irritation » : attendu un nombre
    entre 0 et 1, trouvé un texte (« élevée »)
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from . import conditions, lazy_re
from .authoring import (AuthoringError, Checker, Problems, line_of, parse_yaml, read_yaml,  # noqa: F401
                        suggest, text_expected, type_name)
from .expressions import ExpressionError, evaluate, names_in, parse
from .library import (Library, check_template, fact_placeholders, load_library,
                      validate_criterion, validate_moves, validate_objection)
from .moves import BUILT_IN
from .replies import ACTIONS, PLACEHOLDERS, SITUATIONS
from .understand import METHODS

__all__ = ["ScenarioError", "Scenario", "load_scenario", "scenario_to_dict", "validate",
           "CRITERIA", "LEVELS", "HINT_STAGES", "BUILT_IN_STATE", "parse_yaml", "default_library"]

LEVELS = ("facile", "moyen", "difficile")
#: The engine's own criteria (always evaluated; scenarios may change their texts and weights).
CRITERIA = ("commitment", "exact_date", "amount", "payment_method", "no_vague_accepted",
            "professional_tone", "questions", "recap", "follow_up", "opening")
HINT_STAGES = ("opening", "invoice", "excuse", "date", "method", "amount", "recap", "follow_up",
               "close")
ENDED_BY = ("learner", "debtor", "limit")
PRECISIONS = ("exact", "range", "vague")
#: Variables conditions may read besides the scenario's own state.
BUILT_IN_STATE = ("irritation", "questions", "amount_due", "principal", "cheque_sent", "handed_over")
DEBTOR_ID = "debiteur"
_SLUG = lazy_re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NAME = lazy_re.compile(r"^[a-z][a-z0-9_]*$")

_TOP_KEYS = ("id", "title", "level", "order", "duration", "situation", "briefing", "today",
             "caller", "invoice", "persona", "gatekeeper", "state", "amount_due", "moves",
             "objections", "terms", "criteria", "max_turns", "objectives", "hints", "replies",
             "examples")
_CALLER_KEYS = ("name", "company", "role")
_INVOICE_KEYS = ("number", "amount", "issued", "due", "description")
_PERSONA_KEYS = ("name", "gender", "company", "role", "temperament", "cash_available",
                 "good_faith", "irritation", "patience", "questions_before_answer", "objections",
                 "excuses", "method", "volunteers_method", "promise", "earliest_date", "callback",
                 "cheque", "instalments", "replies")
_GATEKEEPER_KEYS = ("id", "name", "gender", "company", "role", "temperament", "good_faith",
                    "irritation", "patience", "questions_before_answer", "objections", "callback",
                    "replies")
_EXPECT_KEYS = ("score_min", "score_max", "ended_by", "passed", "failed", "commitment", "state")
_ELSEWHERE = {"persona": _PERSONA_KEYS, "invoice": _INVOICE_KEYS, "caller": _CALLER_KEYS}
#: Reply situations that belonged to one objection before objections became data.
_OLD_SITUATION = lazy_re.compile(r"^(excuse|dodge|lifted)_([a-z_]+)$|^(cheque_stall|cheque_admit|complaint)$")


class ScenarioError(AuthoringError):
    """An invalid scenario. ``errors`` lists its problems, one French line each."""


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


# --------------------------------------------------------------------------- where things are

def _project_root(source) -> Path | None:
    """exercises/appels/x.yml -> the project root (two folders up), if it looks like one."""
    if source is not None:
        p = Path(source).resolve()
        if len(p.parents) >= 3 and (p.parents[2] / "exercises").is_dir():
            return p.parents[2]
    here = Path(__file__).resolve().parent.parent
    return here if (here / "exercises" / "objections").is_dir() else None


_LIBRARIES: dict = {}


def default_library(root: Path | None) -> Library:
    """The project's objection library (exercises/objections/), read once per folder."""
    if root is None:
        return Library()
    folder = root / "exercises" / "objections"
    key = str(folder)
    if key not in _LIBRARIES:
        _LIBRARIES[key] = load_library(folder, root)
    return _LIBRARIES[key]


def heading_anchor(text: str) -> str:
    """The anchor MkDocs gives a heading (Python-Markdown's toc slugify): "## L’indemnité de
    40 €" -> "lindemnite-de-40"."""
    import unicodedata

    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)         # links: their text
    text = re.sub(r"<[^>]+>|[*_`]", "", text)                    # tags and emphasis
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


class CoursePages:
    """The course pages in docs/ (when there): their titles and section anchors, to check the
    "Revoir dans le cours" links of criteria while validating."""

    def __init__(self, docs: Path | None):
        self.docs = docs if docs is not None and docs.is_dir() else None
        self._pages: dict = {}

    def _read(self, page: str):
        if page not in self._pages:
            path = self.docs / page
            if not path.is_file():
                self._pages[page] = None
            else:
                title, anchors, seen = None, set(), {}
                fenced = False
                for line in path.read_text(encoding="utf-8").splitlines():
                    if line.lstrip().startswith(("```", "~~~")):
                        fenced = not fenced
                    m = None if fenced else re.match(r"^(#{1,6})\s+(.+?)\s*#*\s*$", line)
                    if not m:
                        continue
                    if m.group(1) == "#" and title is None:
                        title = m.group(2).strip()
                    anchor = heading_anchor(m.group(2))
                    n = seen.get(anchor, 0)
                    seen[anchor] = n + 1
                    anchors.add(anchor if not n else f"{anchor}_{n}")
                self._pages[page] = (title, anchors)
        return self._pages[page]

    def title(self, page: str):
        if self.docs is None:
            return None
        found = self._read(page)
        return found[0] if found else False

    def problem(self, course: str) -> str | None:
        """What is wrong with a link "modules/x.md#anchor", or None (also when docs/ is absent)."""
        if self.docs is None:
            return None
        page, _, anchor = course.partition("#")
        found = self._read(page)
        if found is None:
            return f"page du cours introuvable : docs/{page}"
        if anchor and anchor not in found[1]:
            close = suggest(anchor, found[1])
            return (f"section « #{anchor} » introuvable dans docs/{page}{close} ; l’ancre d’une section "
                    "est son titre en minuscules, sans accents ni ponctuation, les espaces remplacés "
                    "par des tirets")
        return None


# --------------------------------------------------------------------------- validation

def validate(data, source: str | None = None, from_file: bool = False, library: Library | None = None,
             pages: CoursePages | None = None) -> dict:
    """Return the normalised, self-contained scenario or raise ScenarioError listing every problem."""
    sid = data.get("id") if isinstance(data, dict) else None
    problems = Problems(source, "scénario", sid if isinstance(sid, str) and sid else None)
    ck = Checker(problems)
    if not isinstance(data, dict):
        problems.plain_error(1, "attendu un scénario (des champs « id », « title », « persona »…), trouvé "
                             + type_name(data))
        raise ScenarioError(problems.errors, source)
    extra_errors: list[str] = []   # problems found in objection files of the library
    out: dict = {}
    ck.known_keys(data, "", _TOP_KEYS, _ELSEWHERE, hidden=("course_titles",))

    if not isinstance(sid, str) or not _SLUG.match(sid):
        ck.err(data, "id", "", "attendu un identifiant en minuscules, chiffres et tirets "
                               "(« client-distrait »), trouvé " + type_name(sid))
    out["id"] = sid if isinstance(sid, str) else ""
    if from_file and source and isinstance(sid, str):
        stem = Path(str(source)).stem
        if stem != sid:
            ck.err(data, "id", "", f"attendu le nom du fichier, « {stem} », trouvé {type_name(sid)}")
    out["title"] = ck.text(data, "title", "", one_line=True)
    out["level"] = ck.choice(data, "level", "", LEVELS)
    out["order"] = ck.number(data, "order", "", lo=1, hi=99, integer=True, required=False, default=99)
    out["duration"] = ck.number(data, "duration", "", lo=1, hi=60, integer=True)
    out["situation"] = ck.text(data, "situation", "", one_line=True)
    out["briefing"] = ck.text(data, "briefing", "")
    today = ck.date(data, "today", "")
    out["today"] = today

    caller = ck.mapping(data.get("caller"), "caller", data, "caller") or {}
    if caller:
        ck.known_keys(caller, "caller", _CALLER_KEYS)
    out["caller"] = {
        "name": ck.text(caller, "name", "caller", one_line=True),
        "company": ck.text(caller, "company", "caller", one_line=True),
        "role": ck.text(caller, "role", "caller", required=False, one_line=True),
    }

    inv = ck.mapping(data.get("invoice"), "invoice", data, "invoice") or {}
    if inv:
        ck.known_keys(inv, "invoice", _INVOICE_KEYS)
    number = inv.get("number")
    if isinstance(number, int) and not isinstance(number, bool):
        number = str(number)
    if inv and (not isinstance(number, str) or not number.strip()):
        ck.err(inv, "number", "invoice", "attendu un numéro de facture comme « F-2026-117 », trouvé "
               + type_name(number))
        number = ""
    out["invoice"] = {
        "number": (number or "").strip(),
        "amount": ck.number(inv, "amount", "invoice", lo=0, strict_lo=True) if inv else None,
        "issued": ck.date(inv, "issued", "invoice") if inv else None,
        "due": ck.date(inv, "due", "invoice") if inv else None,
        "description": ck.text(inv, "description", "invoice", required=False, one_line=True),
    }
    i = out["invoice"]
    if i["issued"] and i["due"] and i["due"] < i["issued"]:
        ck.err(inv, "due", "invoice", "attendu une échéance le jour de la facture ou après (invoice.issued)")
    if today and i["due"] and i["due"] >= today:
        ck.err(inv, "due", "invoice", f"attendu une échéance avant le jour de l’appel ({today}) : "
                                      "la facture doit être en retard")
    principal = i["amount"]

    # The author's state, the amount due and the scenario's own moves.
    state = _state(ck, data)
    out["state"] = state
    out["amount_due"], amount_due = _amount_due(ck, data, state, principal)
    moves = _moves(ck, data, state)
    out["moves"] = moves
    raw_moves = data.get("moves") if isinstance(data.get("moves"), dict) else {}
    declared = {n for n in raw_moves if isinstance(n, str) and _NAME.match(n)}

    # Speakers and their objections.
    library = library if library is not None else Library()
    overrides = ck.mapping(data.get("objections"), "objections", data, "objections", required=False) or {}
    speaker_ids = [DEBTOR_ID]
    gk_raw = data.get("gatekeeper")
    if isinstance(gk_raw, dict):
        gid = gk_raw.get("id") if isinstance(gk_raw.get("id"), str) else "assistant"
        speaker_ids.insert(0, gid)
    all_ids = set()
    for raw_sp in (data.get("persona"), gk_raw):
        if isinstance(raw_sp, dict):
            for item in (raw_sp.get("objections") or raw_sp.get("excuses") or []):
                if isinstance(item, str):
                    all_ids.add(item)
                elif isinstance(item, dict) and isinstance(item.get("id"), str):
                    all_ids.add(item["id"])
    objection_moves = _objection_moves(data, overrides, library)
    _moves_defined_twice(ck, data, overrides, library)
    known = conditions.Known(moves=BUILT_IN | declared | objection_moves,
                             state=set(state) | set(BUILT_IN_STATE), objections=all_ids, speakers=speaker_ids,
                             state_values={**{n: 0.0 for n in BUILT_IN_STATE}, **state,
                                           "cheque_sent": False, "handed_over": False},
                             pages=pages)
    placeholders = PLACEHOLDERS | set(state)
    used_overrides: set = set()

    persona_raw = ck.mapping(data.get("persona"), "persona", data, "persona") or {}
    out["persona"] = _speaker(ck, persona_raw, "persona", "debtor", today, amount_due, overrides, library,
                              known, state, placeholders, used_overrides, extra_errors, out["id"])
    out["gatekeeper"] = None
    if gk_raw is not None:
        gk = ck.mapping(gk_raw, "gatekeeper", data, "gatekeeper")
        if gk is not None:
            out["gatekeeper"] = _speaker(ck, gk, "gatekeeper", "gatekeeper", today, amount_due, overrides,
                                         library, known, state, placeholders, used_overrides, extra_errors,
                                         out["id"])
            out["gatekeeper"]["id"] = speaker_ids[0]
    for oid in overrides:
        if oid not in used_overrides:
            ck.err(overrides, oid, "objections", "objection décrite mais avancée par personne : ajoutez son "
                   "identifiant à « persona.objections » (ou à « gatekeeper.objections »)")
    _check_speakers(ck, data, out)

    out["max_turns"] = ck.number(data, "max_turns", "", lo=4, hi=80, integer=True, required=False, default=30)

    # Criteria: the engine's, the objections', the scenario's own.
    objection_criteria = _objection_criteria(data, overrides, library)
    out["criteria"] = _criteria(ck, data, known, objection_criteria)
    criterion_ids = set(CRITERIA) | objection_criteria | {c["id"] for c in out["criteria"]}
    named = [i for role in ("persona", "gatekeeper") if isinstance(data.get(role), dict)
             for i in (data[role].get("objections") or data[role].get("excuses") or []) if isinstance(i, str)]
    if any(i not in library.ids() for i in named):
        # An objection name is wrong (already said): the criteria it would bring are unknown too;
        # "critère inconnu" for each of them would only bury the one mistake to fix.
        criterion_ids = _AnyName(criterion_ids)
    out["objectives"] = _objectives(ck, data, criterion_ids)
    out["terms"] = _terms(ck, data, known, fact_placeholders(known))
    out["hints"] = _hints(ck, data, known, all_ids)
    out["replies"] = _situations(ck, data.get("replies"), "replies", data, "replies", placeholders)
    if isinstance(persona_raw.get("replies"), dict):
        out["replies"].update(out["persona"].pop("replies", {}))
    else:
        out["persona"].pop("replies", None)
    out["examples"] = _examples(ck, data.get("examples"), data, criterion_ids, state)

    out["course_titles"] = _course_titles(data, out, pages or CoursePages(None))

    errors = extra_errors + problems.errors
    if errors:
        raise ScenarioError(errors, source)
    return out


def _raw_objections(data: dict, overrides: dict, library: Library):
    """Every raw mapping that describes the scenario's objections (library, changes, inline)."""
    for raw_sp in (data.get("persona"), data.get("gatekeeper")):
        if not isinstance(raw_sp, dict):
            continue
        for item in raw_sp.get("objections") or raw_sp.get("excuses") or []:
            specs = [item] if isinstance(item, dict) else [library.raw.get(item), overrides.get(item)] \
                if isinstance(item, str) else []
            yield from (spec for spec in specs if isinstance(spec, dict))


def _objection_moves(data: dict, overrides: dict, library: Library) -> set:
    """The names of the moves the scenario's objections declare (they may use them), read from
    the raw files so that one mistake in an objection does not make its moves unknown too."""
    names = set()
    for spec in _raw_objections(data, overrides, library):
        if isinstance(spec.get("moves"), dict):
            names |= {n for n in spec["moves"] if isinstance(n, str)}
    return names


def _moves_defined_twice(ck: Checker, data: dict, overrides: dict, library: Library) -> None:
    """A move name declared by two of the call's objections: one would silently replace the other."""
    owner: dict = {}
    for role in ("persona", "gatekeeper"):
        raw_sp = data.get(role)
        if not isinstance(raw_sp, dict):
            continue
        for item in raw_sp.get("objections") or raw_sp.get("excuses") or []:
            oid = item if isinstance(item, str) else item.get("id") if isinstance(item, dict) else None
            specs = [library.raw.get(item), overrides.get(item)] if isinstance(item, str) else [item]
            names = set()
            for spec in specs:
                if isinstance(spec, dict) and isinstance(spec.get("moves"), dict):
                    names |= {n for n in spec["moves"] if isinstance(n, str)}
            for name in sorted(names):
                if name in owner and owner[name] != oid:
                    field = "objections" if "objections" in raw_sp else "excuses"
                    ck.err(raw_sp, field, role,
                           f"le mouvement « {name} » est déclaré par deux objections (« {owner[name]} » et "
                           f"« {oid} ») : l’une remplacerait l’autre ; renommez-en un")
                owner.setdefault(name, oid)


class _AnyName(set):
    """A set of names that also "contains" any other name (used to keep quiet about names that
    a mistake elsewhere, already reported, made unknown)."""

    def __contains__(self, name) -> bool:
        return True


def _objection_criteria(data: dict, overrides: dict, library: Library) -> set:
    """The ids of the criteria the scenario's objections bring (read like their moves)."""
    ids = set()
    for spec in _raw_objections(data, overrides, library):
        for crit in spec.get("criteria") or [] if isinstance(spec.get("criteria"), list) else []:
            if isinstance(crit, dict) and isinstance(crit.get("id"), str):
                ids.add(crit["id"])
    return ids


def _state(ck: Checker, data) -> dict:
    raw = ck.mapping(data.get("state"), "state", data, "state", required=False,
                     what="un bloc « variable: valeur de départ »")
    out = {}
    for name, value in (raw or {}).items():
        if not isinstance(name, str) or not _NAME.match(name):
            ck.err(raw, name, "state", "nom de variable invalide : minuscules, chiffres et « _ », "
                                       "en commençant par une lettre")
            continue
        if name in BUILT_IN_STATE or name in PLACEHOLDERS:
            ck.err(raw, name, "state", "ce nom est déjà pris par le simulateur ; choisissez-en un autre")
            continue
        # A wrong start value is said once; the variable stays declared (with the value meant),
        # so that every condition using it is not reported as well.
        if isinstance(value, str) and value.strip().lower() in ("vrai", "faux", "oui", "non", "true", "false"):
            ck.err(raw, name, "state", "attendu true ou false sans guillemets (en anglais, comme tout YAML), "
                   f"trouvé {type_name(value)}")
            out[name] = value.strip().lower() in ("vrai", "oui", "true")
        elif isinstance(value, str) and re.fullmatch(r"-?\d+,\d+", value.strip()):
            ck.err(raw, name, "state", f"attendu un nombre écrit avec un point ({value.strip().replace(',', '.')}), "
                   f"trouvé {type_name(value)}")
            out[name] = float(value.strip().replace(",", "."))
        elif isinstance(value, (bool, str)) or (isinstance(value, (int, float)) and value == value):
            out[name] = value
        else:
            ck.err(raw, name, "state", "attendu une valeur de départ : true, false, un nombre ou un texte, trouvé "
                   + type_name(value))
    return out


def _amount_due(ck: Checker, data, state: dict, principal):
    text = data.get("amount_due")
    if text is None:
        return None, principal
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(text)
    try:
        tree = parse(text)
        unknown = names_in(tree) - set(state) - {"principal"}
        if unknown:
            name = sorted(unknown)[0]
            raise ExpressionError(f"nom inconnu « {name} »{suggest(name, set(state) | {'principal'})} : "
                                  "utilisez « principal » (le montant de la facture) et les variables de « state »")
        texts = sorted(n for n in names_in(tree) if isinstance(state.get(n), str))
        if texts:
            raise ExpressionError(f"« {texts[0]} » est un texte dans « state » : la formule ne calcule "
                                  "qu’avec des nombres et des true/false")
        value = evaluate(tree, {**state, "principal": principal or 0.0})
    except ExpressionError as exc:
        ck.err(data, "amount_due", "", str(exc))
        return None, principal
    if value <= 0:
        ck.err(data, "amount_due", "", f"attendu un montant dû positif au début de l’appel, trouvé {value:g}")
        return None, principal
    return text.strip(), value


def _moves(ck: Checker, data, state: dict) -> dict:
    raw = ck.mapping(data.get("moves"), "moves", data, "moves", required=False,
                     what="un bloc « nom_du_mouvement: [phrases] »")
    return validate_moves(ck, raw, "moves", state)


def _speaker(ck: Checker, raw: dict, path: str, role: str, today, amount, overrides, library: Library,
             known, state, placeholders, used_overrides, extra_errors, sid) -> dict:
    P = path
    keys = _PERSONA_KEYS if role == "debtor" else _GATEKEEPER_KEYS
    if raw:
        ck.known_keys(raw, P, keys)
    out = {
        "name": ck.text(raw, "name", P, one_line=True),
        "gender": ck.choice(raw, "gender", P, ("f", "m"), required=False, default="m"),
        "company": ck.text(raw, "company", P, required=role == "debtor", one_line=True),
        "role": ck.text(raw, "role", P, required=False, one_line=True),
        "temperament": ck.text(raw, "temperament", P, required=False, one_line=True),
        "good_faith": ck.boolean(raw, "good_faith", P, required=role == "debtor", default=True),
        "irritation": ck.number(raw, "irritation", P, lo=0, hi=1, required=role == "debtor", default=0.1),
        "patience": ck.number(raw, "patience", P, lo=0, hi=10, integer=True, required=False, default=2),
        "questions_before_answer": ck.number(raw, "questions_before_answer", P, lo=0, hi=8, integer=True,
                                             required=role == "debtor", default=1),
    }
    if role == "debtor":
        out["cash_available"] = ck.number(raw, "cash_available", P, lo=0)
        out["method"] = ck.choice(raw, "method", P, METHODS)
        out["volunteers_method"] = ck.boolean(raw, "volunteers_method", P, default=False)
        out["earliest_date"] = ck.date(raw, "earliest_date", P, required=False)
        promise = ck.mapping(raw.get("promise"), f"{P}.promise", raw, "promise",
                             what="un bloc « date » et « time »") or {}
        if promise:
            ck.known_keys(promise, f"{P}.promise", ("date", "time"))
        out["promise"] = {"date": ck.date(promise, "date", f"{P}.promise") if promise else None,
                          "time": ck.time(promise, "time", f"{P}.promise")}
        if today and out["promise"]["date"] and out["promise"]["date"] < today:
            ck.err(promise, "date", f"{P}.promise", f"attendu le jour de l’appel ({today}) ou après")
    cb = raw.get("callback")
    out["callback"] = None
    if cb is not None:
        cb = ck.mapping(cb, f"{P}.callback", raw, "callback", what="un bloc « date » et « time »")
        if cb is not None:
            ck.known_keys(cb, f"{P}.callback", ("date", "time"))
            out["callback"] = {"date": ck.date(cb, "date", f"{P}.callback"),
                               "time": ck.time(cb, "time", f"{P}.callback", required=True)}
            if today and out["callback"]["date"] and out["callback"]["date"] < today:
                ck.err(cb, "date", f"{P}.callback", f"attendu le jour de l’appel ({today}) ou après")
    if role == "debtor":
        out["cheque"] = _cheque(ck, raw, P, today)
        out["instalments"] = _instalments(ck, raw, P, today, amount)

    # Objections, resolved from the library and the scenario's changes.
    key = "objections" if "objections" in raw or "excuses" not in raw else "excuses"
    items = raw.get(key)
    if items is None:
        items = []
    if not isinstance(items, list):
        ck.err(raw, key, P, "attendu une liste d’identifiants d’objections, par exemple « [oubli] », trouvé "
               + type_name(items))
        items = []
    if role == "debtor" and not items:
        ck.p.error(line_of(raw, key) or line_of(raw), ck.where(P, "objections"),
                   "attendu au moins une objection (par exemple « [oubli] ») ; les objections disponibles : "
                   + (", ".join(library.ids()) or "voir exercises/objections/"))
    resolved = []
    seen = set()
    for j, item in enumerate(items):
        where = ck.where(ck.where(P, "objections"), j)
        if isinstance(item, dict):   # written out in full (a scenario read back from JSON)
            spec = validate_objection([(item, ck, where)], known, state, placeholders)
        elif isinstance(item, str):
            if item in seen:
                ck.p.error(line_of(items, j), where, f"objection « {item} » écrite deux fois")
                continue
            parts = []
            if item in library:
                lib_problems = Problems(library.paths[item], "objection", item,
                                        context=f" (scénario « {sid} »)")
                parts.append((library.raw[item], Checker(lib_problems), ""))
            if item in overrides:
                used_overrides.add(item)
                override = overrides[item]
                if not isinstance(override, dict):
                    ck.err(overrides, item, "objections", "attendu un bloc de champs qui changent l’objection, "
                           "trouvé " + type_name(override))
                    continue
                if not parts and "id" not in override:   # a new objection, named by its key
                    parts.append(({"id": item}, ck, ck.where("objections", item)))
                parts.append((override, ck, ck.where("objections", item)))
            if not parts:
                ck.p.error(line_of(items, j), where, f"objection inconnue « {item} »{suggest(item, library.ids())} ; "
                           "objections de la bibliothèque : " + (", ".join(library.ids()) or "aucune")
                           + " ; ou décrivez-la dans le bloc « objections » du scénario")
                continue
            spec = validate_objection(parts, known, state, placeholders)
            for lib_part in parts[:-1] if item in overrides else parts:
                if lib_part[1] is not ck:
                    extra_errors.extend(lib_part[1].p.errors)
        else:
            ck.p.error(line_of(items, j), where, "attendu l’identifiant d’une objection, trouvé " + type_name(item))
            continue
        if spec is not None:
            seen.add(spec["id"])
            resolved.append(spec)
    out["objections"] = resolved
    out["replies"] = _situations(ck, raw.get("replies"), f"{P}.replies", raw, "replies", placeholders) \
        if raw.get("replies") is not None else {}
    return out


def _cheque(ck, raw, P, today):
    ch = raw.get("cheque")
    if ch is None:
        return None
    ch = ck.mapping(ch, f"{P}.cheque", raw, "cheque", what="un bloc number, sent, sent_date")
    if ch is None:
        return None
    ck.known_keys(ch, f"{P}.cheque", ("number", "sent", "sent_date"))
    num = ch.get("number")
    if isinstance(num, int) and not isinstance(num, bool):
        num = str(num)
    if not isinstance(num, str) or not re.fullmatch(r"\d{5,10}", num.strip()):
        ck.err(ch, "number", f"{P}.cheque", "attendu un numéro de chèque de 5 à 10 chiffres, entre guillemets, "
               "trouvé " + type_name(num))
        num = None
    sent = ck.boolean(ch, "sent", f"{P}.cheque", required=True)
    sent_date = ck.date(ch, "sent_date", f"{P}.cheque", required=bool(sent))
    if sent and today and sent_date and sent_date > today:
        ck.err(ch, "sent_date", f"{P}.cheque", f"attendu le jour de l’appel ({today}) ou avant : le chèque "
                                               "est déjà parti")
    return {"number": num.strip() if num else None, "sent": sent, "sent_date": sent_date}


def _instalments(ck, raw, P, today, amount):
    inst = raw.get("instalments")
    if inst is None:
        return None
    inst = ck.mapping(inst, f"{P}.instalments", raw, "instalments",
                      what="un bloc count, first_date, first_amount, later_start")
    if inst is None:
        return None
    W = f"{P}.instalments"
    ck.known_keys(inst, W, ("count", "first_date", "first_amount", "later_start"))
    out = {
        "count": ck.number(inst, "count", W, lo=2, hi=12, integer=True),
        "first_date": ck.date(inst, "first_date", W),
        "first_amount": ck.number(inst, "first_amount", W, lo=0, required=False),
        "later_start": ck.date(inst, "later_start", W),
    }
    if out["first_amount"] is not None and amount and out["first_amount"] >= amount:
        ck.err(inst, "first_amount", W, "attendu un premier versement inférieur au montant dû")
    if today and out["first_date"] and out["first_date"] < today:
        ck.err(inst, "first_date", W, f"attendu le jour de l’appel ({today}) ou après")
    return out


def _kinds(spec: dict) -> set:
    found = {spec.get("commitment")}
    for effect in list(spec.get("on_lift") or []) + list(spec.get("reactions") or []):
        found.add(effect.get("commitment"))
    return {k for k in found if k}


def _check_speakers(ck: Checker, data: dict, out: dict) -> None:
    """What each speaker's objections need from the scenario's facts."""
    persona, gatekeeper = out["persona"], out["gatekeeper"]
    raw_persona = data.get("persona") if isinstance(data.get("persona"), dict) else {}
    for sp, path, raw in ((gatekeeper, "gatekeeper", data.get("gatekeeper")), (persona, "persona", raw_persona)):
        if not sp:
            continue
        for spec in sp["objections"]:
            kinds = _kinds(spec)
            hands_over = any(e.get("handover") for e in list(spec.get("on_lift") or []) + list(spec.get("reactions") or []))
            if ("rappel" in kinds or path == "gatekeeper") and not sp.get("callback"):
                ck.p.error(line_of(raw), f"{path}.callback",
                           f"champ obligatoire : l’objection « {spec['id']} » mène à un rappel ; donnez le jour et "
                           "l’heure où il aura lieu (« date » et « time »)")
            if hands_over and path != "gatekeeper":
                ck.p.error(line_of(raw), f"{path}.objections",
                           f"l’objection « {spec['id']} » passe la main (handover), mais personne ne répond après "
                           f"le débiteur : utilisez-la pour « gatekeeper »")
            if path == "persona" and "cheque_envoye" in kinds and not sp.get("cheque"):
                ck.p.error(line_of(raw), "persona.cheque",
                           f"champ obligatoire : l’objection « {spec['id']} » parle d’un chèque ; donnez son "
                           "numéro (« number »), s’il est parti (« sent ») et quand (« sent_date »)")
            if path == "persona" and "echeancier" in kinds and not sp.get("instalments"):
                ck.p.error(line_of(raw), "persona.instalments",
                           f"champ obligatoire : l’objection « {spec['id']} » mène à un échéancier ; donnez "
                           "count, first_date et later_start")
    cash = persona.get("cash_available")
    plan = any("echeancier" in _kinds(s) for s in persona["objections"])
    due = _initial_due(out)
    if cash is not None and due and cash < due - 0.01 and not plan:
        ck.err(raw_persona, "cash_available", "persona", "inférieur au montant dû : le client ne peut pas tout "
               "payer, donc une de ses objections doit mener à un échéancier (comme « tresorerie »)")
    if plan and cash is not None and due and cash >= due:
        ck.err(raw_persona, "cash_available", "persona", "attendu moins que le montant dû, puisqu’une objection "
               "mène à un échéancier")
    if gatekeeper and gatekeeper.get("objections") is not None and not any(
            e.get("handover") for s in gatekeeper["objections"]
            for e in list(s.get("on_lift") or []) + list(s.get("reactions") or [])):
        ck.p.error(line_of(data.get("gatekeeper")), "gatekeeper.objections",
                   "attendu au moins une objection qui passe la main au débiteur (« handover: true ») : "
                   "sinon l’apprenant ne pourrait jamais lui parler")


def _initial_due(out: dict):
    if out.get("amount_due"):
        try:
            return evaluate(parse(out["amount_due"]), {**out["state"], "principal": out["invoice"]["amount"] or 0})
        except ExpressionError:
            return None
    return out["invoice"]["amount"]


def _criteria(ck: Checker, data, known, objection_criteria: set) -> list:
    items = ck.seq(data, "criteria", "", required=False, what="critères")
    out = []
    seen = set()
    for j, item in enumerate(items or ()):
        where = ck.where("criteria", j)
        cid = item.get("id") if isinstance(item, dict) else None
        override = cid in CRITERIA or cid in objection_criteria
        crit = validate_criterion(ck, item, where, known, core=override)
        if crit is None:
            continue
        if cid in CRITERIA and "passes_when" in crit:
            continue
        if crit["id"] in seen:
            ck.err(items, j, "criteria", f"critère « {crit['id']} » décrit deux fois")
            continue
        seen.add(crit["id"])
        out.append(crit)
    return out


def _objectives(ck: Checker, data, criterion_ids: set) -> dict:
    obj = ck.mapping(data.get("objectives"), "objectives", data, "objectives", required=False) or {}
    if obj:
        ck.known_keys(obj, "objectives", ("weights", "extra"))
    weights_in = ck.mapping(obj.get("weights"), "objectives.weights", obj, "weights", required=False) or {}
    weights = {}
    for key in weights_in:
        if key not in criterion_ids:
            ck.err(weights_in, key, "objectives.weights", f"critère inconnu « {key} »" + suggest(key, criterion_ids)
                   + " ; critères de ce scénario : " + ", ".join(sorted(criterion_ids)))
            continue
        w = ck.number(weights_in, key, "objectives.weights", lo=0, hi=100)
        if w is not None:
            weights[key] = w
    extra = obj.get("extra") or []
    if not isinstance(extra, list):
        ck.err(obj, "extra", "objectives", "attendu une liste d’identifiants de critères, trouvé " + type_name(extra))
        extra = []
    extra_out = []
    for j, name in enumerate(extra):
        if name not in criterion_ids:
            ck.p.error(line_of(extra, j), ck.where("objectives.extra", j), "critère inconnu « " + str(name) + " »"
                       + suggest(name, criterion_ids) + " ; critères de ce scénario : "
                       + ", ".join(sorted(criterion_ids)))
        elif name not in extra_out:
            extra_out.append(name)
    return {"weights": weights, "extra": extra_out}


def _terms(ck: Checker, data, known, placeholders) -> list:
    items = ck.seq(data, "terms", "", required=False, what="conditions convenues")
    out = []
    line_known = known.without_line()
    for j, item in enumerate(items or ()):
        where = ck.where("terms", j)
        item = ck.mapping(item, where, items, j, what="un bloc « when » et « text »")
        if item is None:
            continue
        ck.known_keys(item, where, ("when", "text"))
        text = ck.text(item, "text", where, one_line=True)
        when = None
        if item.get("when") is not None:
            when = conditions.check(item["when"], ck.p, ck.where(where, "when"), line_known, item, "when")
        if text:
            check_template(ck, item, "text", where, text, placeholders)
            out.append({"when": when, "text": text})
    return out


def _hints(ck: Checker, data, known, objection_ids: set) -> dict:
    raw = ck.mapping(data.get("hints"), "hints", data, "hints", required=False) or {}
    out: dict = {}
    allowed = HINT_STAGES + tuple(sorted(objection_ids)) + ("cases",)
    for key in raw:
        if key == "cases":
            items = ck.seq(raw, "cases", "hints", what="conseils")
            cases = []
            line_known = known.without_line()
            for j, item in enumerate(items or ()):
                where = ck.where("hints.cases", j)
                item = ck.mapping(item, where, items, j, what="un bloc « when » et « text »")
                if item is None:
                    continue
                ck.known_keys(item, where, ("when", "text"))
                text = ck.text(item, "text", where)
                if text:
                    check_template(ck, item, "text", where, text, fact_placeholders(known))
                when = conditions.check(item.get("when"), ck.p, ck.where(where, "when"), line_known, item, "when")
                if text and when is not None:
                    cases.append({"when": when, "text": " ".join(text.split())})
            out["cases"] = cases
            continue
        if key not in allowed:
            ck.err(raw, key, "hints", f"étape inconnue « {key} »" + suggest(key, allowed) + " ; clés possibles : les étapes "
                   + ", ".join(HINT_STAGES) + ", les objections du scénario ("
                   + (", ".join(sorted(objection_ids)) or "aucune") + ") et « cases »")
            continue
        text = ck.text(raw, key, "hints")
        if text:
            check_template(ck, raw, key, "hints", text, fact_placeholders(known))
            out[key] = " ".join(text.split())
    return out


def _situations(ck: Checker, raw, path: str, container, key, placeholders) -> dict:
    raw = ck.mapping(raw, path, container, key, required=False, what="un bloc « situation: [variantes] »") or {}
    out = {}
    for name, variants in raw.items():
        where = ck.where(path, name)
        if name not in SITUATIONS:
            old = _OLD_SITUATION.match(str(name))
            if old:
                ob = old.group(2) or {"cheque_stall": "cheque_poste", "cheque_admit": "cheque_poste",
                                      "complaint": "litige"}[old.group(3)]
                part = {"excuse": "raise", "dodge": "dodge", "lifted": "lifted"}.get(old.group(1), {
                    "cheque_stall": "stall", "cheque_admit": "admit", "complaint": "complaint"}.get(old.group(3)))
                ck.err(raw, name, path, "ces répliques appartiennent maintenant à l’objection : écrivez-les sous "
                       f"« objections: {{{ob}: {{replies: {{{part}: [...]}}}}}} »")
            else:
                ck.err(raw, name, path, f"situation inconnue « {name} »" + suggest(name, SITUATIONS)
                       + " ; la liste des situations est dans le guide des auteurs")
            continue
        if isinstance(variants, str):
            variants = [variants]
        if not isinstance(variants, list) or not variants:
            ck.err(raw, name, path, "attendu une liste de variantes, trouvé " + type_name(variants))
            continue
        good = []
        for j, v in enumerate(variants):
            if not isinstance(v, str) or not v.strip():
                ck.p.error(line_of(variants, j), ck.where(where, j), text_expected(v, "une réplique"))
                continue
            if re.search(r"<\s*/?\s*[a-zA-Z][^>]*>", v):
                ck.p.error(line_of(variants, j), ck.where(where, j), "attendu un texte sans balise HTML (< >)")
                continue
            check_template(ck, variants, j, where, v, placeholders)
            good.append(" ".join(v.split()))
        out[name] = good
    return out


def _examples(ck: Checker, data, container, criterion_ids: set, state: dict) -> list:
    if not isinstance(data, list) or len(data) < 2:
        found = type_name(data) if not isinstance(data, list) else f"{len(data)} conversation(s)"
        ck.p.error(line_of(container, "examples") or line_of(container), "examples",
                   "attendu au moins 2 conversations d’exemple (une soignée, une bâclée), trouvé " + found)
        if not isinstance(data, list):
            return []
    out = []
    for j, ex in enumerate(data):
        path = ck.where("examples", j)
        ex = ck.mapping(ex, path, data, j, what="une conversation (name, lines, expect)")
        if ex is None:
            continue
        ck.known_keys(ex, path, ("name", "seed", "lines", "expect"), hidden=("line",))
        item = {"name": ck.text(ex, "name", path, one_line=True),
                "seed": ck.number(ex, "seed", path, lo=0, integer=True, required=False, default=0),
                "line": line_of(data, j) or (ex.get("line") if isinstance(ex.get("line"), int) else 0)}
        lines = ex.get("lines")
        if not isinstance(lines, list) or not lines:
            ck.err(ex, "lines", path, "attendu une liste de répliques de l’apprenant, trouvé " + type_name(lines))
            lines = []
        good = []
        for k, text in enumerate(lines):
            if not isinstance(text, str):
                ck.p.error(line_of(lines, k), ck.where(ck.where(path, "lines"), k), text_expected(text))
            else:
                good.append(text)
        item["lines"] = good
        exp = ck.mapping(ex.get("expect"), f"{path}.expect", ex, "expect", what="un bloc d’attentes") or {}
        if exp:
            ck.known_keys(exp, f"{path}.expect", _EXPECT_KEYS)
        e: dict = {}
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
                ck.err(exp, key, f"{path}.expect", "attendu une liste d’identifiants de critères, trouvé "
                       + type_name(ids))
                continue
            for k, cid in enumerate(ids):
                if cid not in criterion_ids:
                    ck.p.error(line_of(ids, k), ck.where(f"{path}.expect.{key}", k), f"critère inconnu « {cid} »"
                               + suggest(cid, criterion_ids) + " ; critères de ce scénario : "
                               + ", ".join(sorted(criterion_ids)))
            e[key] = [c for c in ids if c in criterion_ids]
        com = ck.mapping(exp.get("commitment"), f"{path}.expect.commitment", exp, "commitment", required=False)
        if com:
            W = f"{path}.expect.commitment"
            ck.known_keys(com, W, ("action", "precision", "date", "time", "amount"))
            ec = {}
            if "action" in com:
                if com["action"] is not None and com["action"] not in ACTIONS:
                    ck.err(com, "action", W, "attendu une valeur parmi " + ", ".join(ACTIONS) + " ou null, trouvé "
                           + type_name(com["action"]))
                ec["action"] = com["action"]
            if "precision" in com:
                if com["precision"] is not None and com["precision"] not in PRECISIONS:
                    ck.err(com, "precision", W, "attendu une valeur parmi " + ", ".join(PRECISIONS)
                           + " ou null, trouvé " + type_name(com["precision"]))
                ec["precision"] = com["precision"]
            if "date" in com:
                ec["date"] = ck.date(com, "date", W, required=False)
            if "time" in com:
                ec["time"] = ck.time(com, "time", W)
            if "amount" in com:
                ec["amount"] = ck.number(com, "amount", W, lo=0, required=False)
            e["commitment"] = ec
        st = ck.mapping(exp.get("state"), f"{path}.expect.state", exp, "state", required=False)
        if st:
            es = {}
            for var, value in st.items():
                if var not in state:
                    ck.err(st, var, f"{path}.expect.state", f"variable d’état inconnue « {var} »" + suggest(var, state))
                else:
                    es[var] = value
            e["state"] = es
        item["expect"] = e
        out.append(item)
    return out


def _course_titles(data, out: dict, pages: CoursePages) -> dict:
    """Titles of the course pages the criteria link to (read from docs/ when it is there;
    a scenario read back from JSON keeps the titles it was written with)."""
    from .debrief import CORE_CRITERIA

    known = dict(data.get("course_titles") or {}) if isinstance(data.get("course_titles"), dict) else {}
    courses = [c.get("course") for c in CORE_CRITERIA.values()]
    for sp in (out["persona"], out["gatekeeper"]):
        for spec in (sp or {}).get("objections", []):
            courses += [c.get("course") for c in spec.get("criteria", [])]
    courses += [c.get("course") for c in out["criteria"]]
    titles = {}
    for course in filter(None, courses):
        page = course.split("#", 1)[0]
        title = pages.title(page) or known.get(page)
        if title:
            titles[page] = title
    return titles


# --------------------------------------------------------------------------- loading

def load_scenario(source, *, name: str | None = None, library: Library | None = None) -> Scenario:
    """Load and validate a scenario from a YAML/JSON path or from a dict.

    Objections named by id come from `library` (default: the project's exercises/objections).
    Raises ScenarioError naming the file (or `name`), the line, the field and the expectation.
    """
    if isinstance(source, Scenario):
        return source
    from_file = not isinstance(source, dict)
    if from_file and not isinstance(source, str) and not hasattr(source, "__fspath__"):
        raise ScenarioError(f"{name or '(scénario)'} : attendu un scénario (un dictionnaire) ou le chemin "
                            f"d’un fichier, trouvé {type_name(source)}", name)
    root = _project_root(source if from_file else None)
    if library is None:
        try:
            library = default_library(root)
        except AuthoringError as exc:
            raise ScenarioError(exc.errors, name) from None
    if from_file:
        label = name or str(source)
        data = _read(source, label)
    else:
        label = name
        data = source
    result = Scenario(validate(copy.deepcopy(data), source=label, from_file=from_file, library=library,
                               pages=CoursePages(root / "docs" if root else None)))
    result.source = label
    return result


def _read(path, label: str):
    p = Path(path)
    if p.suffix == ".json":
        import json

        try:
            return json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ScenarioError(f"{label}: fichier introuvable", label) from None
        except ValueError as exc:
            raise ScenarioError(f"{label}: JSON invalide ({exc})", label) from None
    try:
        import yaml  # noqa: F401
    except ImportError:  # pragma: no cover - Pyodide: scenarios arrive as dicts
        raise ScenarioError(f"{label}: PyYAML est nécessaire pour lire un fichier YAML", label) from None
    try:
        data = read_yaml(p, label)
    except AuthoringError as exc:
        raise ScenarioError(exc.errors, label) from None
    if data is None:
        raise ScenarioError(f"{label}:1: fichier vide : attendu un scénario (des champs « id », « title », "
                            "« persona »…)", label)
    return data
