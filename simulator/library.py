"""Objections: what a debtor (or an assistant) puts in the learner's way, written as data.

One YAML file per objection in `exercises/objections/` (the library); a scenario lists the
objections of each speaker by id and may change any field of one (`objections:` in the
scenario), or define a new one there. Fields (the authors' guide documents each)::

    id: penalites                  # the file's name
    label: …                       # what the debtor claims, in one line
    hint: …                        # the tip /aide gives while it stands
    vague: rappel                  # raising it is a vague promise of this kind (or false)
    blocks: true                   # false: the promise can go ahead while it stands
    commitment: rappel             # the kind of promise from now on (rappel, echeancier, …)
    met_early: true                # an argument made before it is raised still counts
    only_if: {condition}           # raised only if this holds, silently passed otherwise
    empathy_calms: 0.25            # how much an empathetic line lowers irritation
    replies: {raise: […], dodge: […], any_name: […]}
    reactions: [{when, say, set, …}]   # answers to some moves while it stands
    lifted_by: [{condition, times}]     # any one lifts it (or: immediately)
    on_lift: [{when, say, set, method, commitment, commit, handover, stop, note, reply_note}]
    criteria: [{id, label, passes_when, weight, explain_pass, explain_fail, better, course}]

`validate_objection` checks one (French problems with lines); `load_library` reads a folder.
"""

from __future__ import annotations

import re
from string import Formatter

from . import conditions, lazy_re
from .authoring import (AuthoringError, Checker, Problems, line_of, read_yaml, suggest, text_expected,
                        type_name)
from .moves import BUILT_IN, trigger_pattern

__all__ = ["OBJECTION_KEYS", "EFFECT_KEYS", "CRITERION_KEYS", "Library", "load_library",
           "validate_objection", "validate_criterion", "validate_moves", "check_template",
           "COMMITMENT_KINDS"]

OBJECTION_KEYS = ("id", "label", "hint", "reformulation", "vague", "blocks", "commitment", "met_early", "only_if",
                  "empathy_calms", "moves", "replies", "reactions", "lifted_by", "on_lift", "criteria")
EFFECT_KEYS = ("name", "when", "say", "set", "method", "commitment", "commit", "handover", "stop", "vague",
               "note", "reply_note")
CRITERION_KEYS = ("id", "label", "passes_when", "weight", "essential", "explain_pass", "explain_fail", "better",
                  "course")
COMMITMENT_KINDS = ("paiement", "rappel", "echeancier", "cheque_envoye")
VAGUE_KINDS = ("rappel", "paiement", "cheque", "virement", "carte", "prelevement", "especes", "echeancier")
_ID = lazy_re.compile(r"^[a-z][a-z0-9_]*$")
_REPLY_NAME = lazy_re.compile(r"^[a-z][a-z0-9_]*$")
_COURSE = lazy_re.compile(r"^[a-z0-9_/-]+\.md(#[a-z0-9_-]+)?$")


def check_template(ck: Checker, container, key, path: str, template: str, allowed) -> bool:
    """Placeholders in braces must be known (`allowed`; None: only the syntax is checked)."""
    try:
        fields = [f for _, f, _, _ in Formatter().parse(template) if f is not None]
    except ValueError:
        ck.err(container, key, path, "accolade mal fermée : écrivez {nom} pour un élément de l’appel, "
                                     "et {{ ou }} pour une accolade seule")
        return False
    ok = True
    for name in fields:
        base = re.split(r"[.\[!:]", name, maxsplit=1)[0]
        if base != name or not name or (allowed is not None and name not in allowed):
            known = sorted(allowed) if allowed is not None else []
            ck.err(container, key, path, "élément inconnu {" + name + "}" + suggest(name, known)
                   + (" ; éléments possibles : " + ", ".join(known) if known else ""))
            ok = False
    return ok


def _replies(ck: Checker, data, path: str, allowed_placeholders) -> dict:
    data = ck.mapping(data, path, what="un bloc de répliques (« nom: [variantes] »)")
    out = {}
    for name, variants in (data or {}).items():
        where = ck.where(path, name)
        if not isinstance(name, str) or not _REPLY_NAME.match(name):
            ck.err(data, name, path, "nom de réplique invalide : minuscules, chiffres et « _ »")
            continue
        if isinstance(variants, str):
            variants = [variants]
        if not isinstance(variants, list) or not variants:
            ck.err(data, name, path, "attendu une liste de variantes (une par ligne, commençant par « - »), "
                                     "trouvé " + type_name(variants))
            continue
        good = []
        for i, v in enumerate(variants):
            if not isinstance(v, str) or not v.strip():
                ck.err(variants, i, where, text_expected(v, "une réplique"))
                continue
            if "<" in v and re.search(r"<\s*/?\s*[a-zA-Z][^>]*>", v):
                ck.err(variants, i, where, "attendu un texte sans balise HTML (< >)")
                continue
            check_template(ck, variants, i, where, v, allowed_placeholders)
            good.append(" ".join(v.split()))
        out[name] = good
    return out


def _effect(ck: Checker, data, path: str, known: conditions.Known, reply_names, state_types: dict | None,
            reaction: bool) -> dict | None:
    from .understand import METHODS

    if not isinstance(data, dict) or not data:
        ck.err(None, None, path, "attendu un bloc de champs (when, say, set…), trouvé " + type_name(data))
        return None
    ck.known_keys(data, path, EFFECT_KEYS)
    out: dict = {}
    if "name" in data:
        name = data["name"]
        if not isinstance(name, str) or not _REPLY_NAME.match(name):
            ck.err(data, "name", path, "attendu un nom en minuscules, chiffres et « _ » (par exemple "
                   "« geste_gratuit »), trouvé " + type_name(name))
        else:
            out["name"] = name
    if "when" in data:
        cond = conditions.check(data["when"], ck.p, ck.where(path, "when"), known, data, "when")
        if cond is not None:
            out["when"] = cond
    elif reaction:
        ck.p.error(line_of(data), ck.where(path, "when"),
                   "champ obligatoire manquant : une réaction dit à quel mouvement elle répond "
                   "(par exemple « when: {moves: [ask_reason]} »)")
    if "say" in data:
        name = data["say"]
        if not isinstance(name, str) or name not in reply_names:
            ck.err(data, "say", path, "attendu le nom d’une réplique de cette objection"
                   + suggest(name, reply_names) + " ; répliques : " + (", ".join(sorted(reply_names)) or "aucune")
                   + ", trouvé " + type_name(name))
        else:
            out["say"] = name
    if "set" in data:
        values = ck.mapping(data["set"], ck.where(path, "set"), data, "set",
                            what="un bloc « variable: valeur »")
        if values is not None:
            clean = {}
            for var, value in values.items():
                w = ck.where(ck.where(path, "set"), var)
                if state_types is not None and var not in state_types:
                    ck.p.error(line_of(values, var), w, f"variable d’état inconnue « {var} »" + suggest(var, state_types)
                               + " ; déclarez-la dans le bloc « state » du scénario")
                    continue
                if not isinstance(value, (bool, int, float, str)):
                    ck.p.error(line_of(values, var), w, "attendu true, false, un nombre ou un texte, trouvé "
                               + type_name(value))
                    continue
                if state_types is not None and not _same_type(value, state_types[var]):
                    ck.p.error(line_of(values, var), w, f"attendu une valeur du même type que dans « state » "
                               f"({type_name(state_types[var])}), trouvé {type_name(value)}")
                    continue
                clean[var] = value
            out["set"] = clean
    if "method" in data:
        m = ck.choice(data, "method", path, METHODS, required=False)
        if m:
            out["method"] = m
    if "commitment" in data:
        kind = ck.choice(data, "commitment", path, COMMITMENT_KINDS, required=False)
        if kind:
            out["commitment"] = kind
    for flag in ("commit", "handover", "stop", "vague"):
        if flag in data:
            value = ck.boolean(data, flag, path)
            if value:
                out[flag] = True
    for note in ("note", "reply_note"):
        if note in data:
            text = ck.text(data, note, path, required=False, one_line=True)
            if text:
                out[note] = text
    return out


def _same_type(value, reference) -> bool:
    if isinstance(reference, bool) or isinstance(value, bool):
        return isinstance(reference, bool) and isinstance(value, bool)
    if isinstance(reference, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, str)


def fact_placeholders(known: conditions.Known):
    """What explanations, better phrases and hints may quote (None: not checked yet)."""
    from .replies import FACT_PLACEHOLDERS

    return None if known.state is None else FACT_PLACEHOLDERS | set(known.state)


def validate_criterion(ck: Checker, data, path: str, known: conditions.Known, core: bool = False) -> dict | None:
    """One criterion (scenario or objection). `core`: an override of a built-in criterion, whose
    passing rule stays the engine's."""
    data = ck.mapping(data, path, what="un critère (id, label, passes_when…)")
    if data is None:
        return None
    ck.known_keys(data, path, CRITERION_KEYS)
    out: dict = {}
    cid = data.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        ck.err(data, "id", path, "attendu un identifiant en minuscules, chiffres et « _ » "
                                 "(par exemple « principal_securise »), trouvé " + type_name(cid))
        return None
    out["id"] = cid
    for key in ("label",):
        text = ck.text(data, key, path, required=not core, one_line=True)
        if text:
            out[key] = text
    facts = fact_placeholders(known)
    for key in ("explain_pass", "explain_fail"):
        text = ck.text(data, key, path, required=not core)
        if text:
            check_template(ck, data, key, path, text, facts)
            out[key] = " ".join(text.split())
    better = ck.text(data, "better", path, required=False)
    if better:
        check_template(ck, data, "better", path, better, facts)
        out["better"] = " ".join(better.split())
    weight = ck.number(data, "weight", path, lo=0, hi=100, required=False)
    if weight is not None:
        out["weight"] = weight
    elif not core:
        out["weight"] = 8.0
    if "essential" in data:
        essential = ck.boolean(data, "essential", path)
        if essential is not None:
            out["essential"] = essential
    if "course" in data:
        course = data["course"]
        if not isinstance(course, str) or not _COURSE.match(course.strip()):
            ck.err(data, "course", path, "attendu le chemin d’une page du cours dans docs/, avec sa section, "
                   "par exemple « modules/08-appel-de-relance.md#garder-son-calme », trouvé " + type_name(course))
        else:
            out["course"] = course.strip()
            problem = known.pages.problem(out["course"]) if known.pages is not None else None
            if problem:
                ck.err(data, "course", path, problem)
    if "passes_when" in data:
        if core:
            ck.err(data, "passes_when", path, "ce critère est calculé par le simulateur : vous pouvez changer "
                   "son libellé, ses explications, son poids et son lien, pas sa règle")
        else:
            line_known = known.without_line()
            cond = conditions.check(data["passes_when"], ck.p, ck.where(path, "passes_when"), line_known,
                                    data, "passes_when")
            if cond is not None:
                out["passes_when"] = cond
    elif not core:
        ck.p.error(line_of(data), ck.where(path, "passes_when"),
                   "champ obligatoire manquant : attendu la condition de réussite, par exemple "
                   "« {objection_lifted: penalites} »")
    return out


class _Part:
    """Where one field of an objection comes from: its file's checker and path prefix."""

    def __init__(self, raw: dict, ck: Checker, prefix: str):
        self.raw, self.ck, self.prefix = raw, ck, prefix


def validate_objection(parts: list, known: conditions.Known, state_types: dict | None,
                       placeholders) -> dict | None:
    """Validate an objection made of `parts` [(raw mapping, Checker, path prefix)], the
    library's first and the scenario's changes after (later fields win; replies are merged
    by name). Returns the plain objection or None when a problem was reported."""
    parts = [_Part(*p) for p in parts]
    first_errors = [len(p.ck.p.errors) for p in parts]

    def source(key):
        """The part that gives this field: the last one that writes it; None when absent or
        when a scenario writes it empty (`only_if:` with nothing, to drop the library's)."""
        for part in reversed(parts):
            if isinstance(part.raw, dict) and key in part.raw:
                return part if part.raw[key] is not None else None
        return None

    for part in parts:
        part.ck.known_keys(part.raw, part.prefix, OBJECTION_KEYS)
    out: dict = {}
    src = source("id") or parts[0]
    oid = src.raw.get("id")
    if not isinstance(oid, str) or not _ID.match(oid):
        src.ck.err(src.raw, "id", src.prefix, "attendu un identifiant en minuscules, chiffres et « _ » "
                                              "(par exemple « penalites »), trouvé " + type_name(oid))
        return None
    out["id"] = oid
    src = source("label") or parts[0]
    out["label"] = src.ck.text(src.raw, "label", src.prefix, one_line=True)
    src = source("hint")
    if src:
        out["hint"] = src.ck.text(src.raw, "hint", src.prefix, required=False)
        if out["hint"]:
            check_template(src.ck, src.raw, "hint", src.prefix, out["hint"], fact_placeholders(known))
    src = source("reformulation")
    if src:
        out["reformulation"] = src.ck.text(src.raw, "reformulation", src.prefix, required=False, one_line=True)
        if out["reformulation"]:
            check_template(src.ck, src.raw, "reformulation", src.prefix, out["reformulation"],
                           fact_placeholders(known))
    src = source("vague")
    vague = src.raw.get("vague") if src else False
    if vague in (False, None):
        out["vague"] = None
    elif vague is True:
        out["vague"] = "rappel"
    elif vague in VAGUE_KINDS:
        out["vague"] = vague
    else:
        src.ck.err(src.raw, "vague", src.prefix, "attendu false, true ou le genre de promesse floue ("
                   + ", ".join(VAGUE_KINDS) + "), trouvé " + type_name(vague))
    for key, default in (("blocks", True), ("met_early", False)):
        src = source(key)
        out[key] = src.ck.boolean(src.raw, key, src.prefix, default=default) if src else default
    src = source("commitment")
    out["commitment"] = src.ck.choice(src.raw, "commitment", src.prefix, COMMITMENT_KINDS, required=False) \
        if src else None
    src = source("empathy_calms")
    out["empathy_calms"] = src.ck.number(src.raw, "empathy_calms", src.prefix, lo=0, hi=1, required=False) \
        if src else None

    src = source("moves")
    if src:
        out["moves"] = validate_moves(src.ck, src.ck.mapping(src.raw["moves"], src.ck.where(src.prefix, "moves"),
                                                             src.raw, "moves", required=False), 
                                      src.ck.where(src.prefix, "moves"), state_types)

    # Replies: merged by name, each from its own file.
    replies: dict = {}
    for part in parts:
        if isinstance(part.raw, dict) and "replies" in part.raw:
            replies.update(_replies(part.ck, part.raw["replies"], part.ck.where(part.prefix, "replies"),
                                    placeholders))
    if not replies.get("raise"):
        src = source("replies") or parts[0]
        src.ck.p.error(line_of(src.raw.get("replies") if isinstance(src.raw.get("replies"), dict) else src.raw),
                       src.ck.where(src.prefix, "replies.raise"),
                       "champ obligatoire manquant : attendu les variantes de la réplique où le client "
                       "avance l’objection")
    out["replies"] = replies
    names = set(replies)

    src = source("only_if")
    if src:
        out["only_if"] = conditions.check(src.raw["only_if"], src.ck.p, src.ck.where(src.prefix, "only_if"),
                                          known, src.raw, "only_if")

    def effects(key: str, what: str, reaction: bool) -> list:
        """The validated effects listed under key (reactions, or what lifting it changes)."""
        src, found = source(key), []
        if src:
            items = src.ck.seq(src.raw, key, src.prefix, required=False, what=what)
            for i, item in enumerate(items or ()):
                eff = _effect(src.ck, item, src.ck.where(src.ck.where(src.prefix, key), i), known, names,
                              state_types, reaction=reaction)
                if eff is not None:
                    found.append(eff)
        return found

    out["reactions"] = effects("reactions", "réactions", reaction=True)

    src = source("lifted_by")
    if src is None:
        out["lifted_by"] = []
        if out["blocks"]:
            parts[0].ck.p.error(line_of(parts[0].raw), parts[0].ck.where(parts[0].prefix, "lifted_by"),
                                "champ obligatoire manquant : dites ce qui lève l’objection (une liste de "
                                "conditions, ou « immediately ») ; sans cela, le client ne paierait jamais")
    elif src.raw["lifted_by"] == "immediately":
        out["lifted_by"] = "immediately"
    else:
        where = src.ck.where(src.prefix, "lifted_by")
        items = src.ck.seq(src.raw, "lifted_by", src.prefix, what="conditions")
        entries = []
        extra = known.with_keys("times")
        for i, item in enumerate(items or ()):
            cond = conditions.check(item, src.ck.p, src.ck.where(where, i), extra, items, i)
            if cond is None:
                continue
            times = cond.pop("times", 1)
            if isinstance(times, bool) or not isinstance(times, int) or not 1 <= times <= 10:
                src.ck.p.error(line_of(item, "times"), src.ck.where(src.ck.where(where, i), "times"),
                               "attendu un nombre entier de fois entre 1 et 10, trouvé " + type_name(times))
                continue
            if not cond:
                src.ck.p.error(line_of(item), src.ck.where(where, i),
                               "attendu au moins une condition en plus de « times »")
                continue
            entries.append({**cond, "times": times} if times != 1 else cond)
        if items is not None and not items and out["blocks"]:
            src.ck.err(src.raw, "lifted_by", src.prefix, "liste vide : une objection qui bloque doit pouvoir "
                                                         "être levée")
        out["lifted_by"] = entries

    out["on_lift"] = effects("on_lift", "issues", reaction=False)

    src = source("criteria")
    out["criteria"] = []
    if src:
        items = src.ck.seq(src.raw, "criteria", src.prefix, required=False, what="critères")
        for i, item in enumerate(items or ()):
            crit = validate_criterion(src.ck, item, src.ck.where(src.ck.where(src.prefix, "criteria"), i), known)
            if crit is not None:
                out["criteria"].append(crit)

    if any(len(p.ck.p.errors) > n for p, n in zip(parts, first_errors)):
        return None
    return {k: v for k, v in out.items() if v is not None or k in ("vague", "commitment")}


def validate_moves(ck: Checker, raw, path: str, state: dict | None) -> dict:
    """Moves declared by authors, with their French trigger phrases (a scenario's or an
    objection's `moves:`); `state` None: the variables they set are checked later."""
    out = {}
    for name, spec in (raw or {}).items():
        where = ck.where(path, name)
        if not isinstance(name, str) or not _REPLY_NAME.match(name):
            ck.err(raw, name, path, "nom de mouvement invalide : minuscules, chiffres et « _ »")
            continue
        if name in BUILT_IN:
            ck.err(raw, name, path, "ce mouvement existe déjà dans le simulateur : utilisez-le tel quel, "
                                       "ou choisissez un autre nom pour le vôtre")
            continue
        if isinstance(spec, list):
            spec_map = {"triggers": spec}
            container, key = raw, name
        elif isinstance(spec, dict):
            spec_map = spec
            ck.known_keys(spec, where, ("label", "triggers", "set", "negatable"))
            container, key = spec, "triggers"
        else:
            ck.err(raw, name, path, "attendu une liste de phrases déclencheuses (ou un bloc label, "
                                       "triggers, set), trouvé " + type_name(spec))
            continue
        triggers = spec_map.get("triggers")
        if not isinstance(triggers, list) or not triggers:
            ck.err(container, key, where if isinstance(spec, list) else where,
                   "attendu une liste d’au moins une phrase déclencheuse, trouvé " + type_name(triggers))
            continue
        good = []
        for j, trig in enumerate(triggers):
            tw = ck.where(where if isinstance(spec, list) else ck.where(where, "triggers"), j)
            if not isinstance(trig, str) or not trig.strip():
                ck.p.error(line_of(triggers, j), tw, text_expected(trig, "une phrase"))
                continue
            pattern = trigger_pattern(trig)
            if pattern is None or len(re.sub(r"[^a-z0-9]", "", trig.lower())) < 3:
                ck.p.error(line_of(triggers, j), tw, "phrase trop courte : écrivez au moins un mot de trois "
                                                     "lettres, pour ne pas reconnaître n’importe quoi")
                continue
            good.append(trig.strip())
        item = {"triggers": good}
        if isinstance(spec, dict):
            label = ck.text(spec, "label", where, required=False, one_line=True)
            if label:
                item["label"] = label
            negatable = ck.boolean(spec, "negatable", where, default=True)
            if negatable is False:
                item["negatable"] = False
            if "set" in spec:
                values = ck.mapping(spec["set"], ck.where(where, "set"), spec, "set") or {}
                sets = {}
                for var, value in values.items():
                    if state is None:
                        sets[var] = value
                    elif var not in state:
                        ck.err(values, var, ck.where(where, "set"), f"variable d’état inconnue « {var} »" + suggest(var, state)
                               + " ; déclarez-la dans le bloc « state »")
                    elif type(value) is not type(state[var]) and not (
                            isinstance(value, (int, float)) and isinstance(state[var], (int, float))
                            and not isinstance(value, bool) and not isinstance(state[var], bool)):
                        ck.err(values, var, ck.where(where, "set"), "attendu une valeur du même type que dans "
                               f"« state » ({type_name(state[var])}), trouvé {type_name(value)}")
                    else:
                        sets[var] = value
                item["set"] = sets
        out[name] = item
    return out


# --------------------------------------------------------------------------- the library

class Library:
    """The objection files of a folder: raw data with lines, by id, and where each came from."""

    def __init__(self):
        self.raw: dict = {}       # id -> Mapping (with lines)
        self.paths: dict = {}     # id -> file label

    def __contains__(self, oid) -> bool:
        return oid in self.raw

    def ids(self) -> list:
        return sorted(self.raw)

    def to_data(self) -> dict:
        """{id: {"path": file, "objection": plain data}}, for a runtime without PyYAML."""
        from .authoring import plain

        return {oid: {"path": self.paths[oid], "objection": plain(raw)} for oid, raw in self.raw.items()}

    @classmethod
    def from_data(cls, data: dict) -> "Library":
        lib = cls()
        for oid, item in data.items():
            lib.raw[oid] = item["objection"]
            lib.paths[oid] = item["path"]
        return lib


def load_library(folder, root=None) -> Library:
    """Read and check every objection file of `folder` (structure and syntax; the names of
    moves and state variables are checked again by each scenario that uses an objection).
    Raises AuthoringError listing every problem."""
    from pathlib import Path

    from .replies import PLACEHOLDERS

    folder = Path(folder)
    lib = Library()
    errors: list[str] = []
    if not folder.is_dir():
        return lib
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file()):
        label = path.relative_to(root).as_posix() if root else str(path)
        try:
            raw = read_yaml(path, label)
        except AuthoringError as exc:
            errors.extend(exc.errors)
            continue
        problems = Problems(label, "objection", path.stem)
        if not isinstance(raw, dict):
            problems.plain_error(1, "attendu une objection (des champs « id », « label », « replies »…), trouvé "
                                 + type_name(raw))
            errors.extend(problems.errors)
            continue
        if raw.get("id") != path.stem:
            Checker(problems).err(raw, "id", "", f"attendu le nom du fichier, « {path.stem} », trouvé "
                                  + type_name(raw.get("id")))
        validate_objection([(raw, Checker(problems), "")], conditions.Known(), None,
                           PLACEHOLDERS | _state_like(raw))
        errors.extend(problems.errors)
        lib.raw[path.stem] = raw
        lib.paths[path.stem] = label
    if errors:
        raise AuthoringError(errors)
    return lib


def _state_like(raw) -> set:
    """Placeholders an objection may use besides the call's facts: the names it sets or reads
    as state (checked for real by the scenario that uses it)."""
    found = set()

    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                if k in ("set", "state") and isinstance(v, dict):
                    found.update(str(x) for x in v)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(raw)
    return found



def export(folder, out) -> None:
    """Write the library of `folder` as JSON to `out` (for the tests run inside Pyodide)."""
    import json
    from pathlib import Path

    folder, out = Path(folder), Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(load_library(folder, folder.parent.parent).to_data(), ensure_ascii=False),
                   encoding="utf-8")
