"""Interactive exercises authored in YAML (exercises/quiz/**/*.yml).

- `load_all` reads and validates every file. Each problem is reported as
  `file:line: message`, the message naming the exercise, the field and what is
  expected (line numbers come from PyYAML's node marks).
- `load_cached` is `load_all` for the Markdown extension (site_build/exercise_directive.py),
  which places an exercise where a page says `{{ exercice ID }}`.
- Once the site is built, `check_uses` reports unknown ids, exercises placed twice
  and exercises used by no page, and `write_index` lists them for the progress
  page (site_build/site_pages.py reads which built page shows which exercise).
- `render` builds an exercise as an ElementTree element inside the page being
  converted, so the author's Markdown (bold, links, abbreviations) is processed
  like the rest of the page. The browser part is docs/assets/exercices.js.

File format: one exercise (a mapping) or several (a list of mappings) per file.
The keys are French, like the course; docs/auteurs.md documents them.
"""

from __future__ import annotations

import ast
import datetime as _dt
import json
import math
import operator
import os
import random
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from pathlib import Path

from simulator.authoring import (AuthoringError, Mapping as _Map, Sequence as _Seq, plain as _plain,
                                 read_yaml, suggest as _suggest, type_name as _type_name)
from site_build.passed_checks import PassedChecks


KINDS = {
    "qcm": "QCM",
    "vrai_faux": "Vrai ou faux",
    "ordre": "Remettre dans l’ordre",
    "classement": "Classer",
    "calcul": "Calcul",
    "redaction": "Rédaction",
}
CHECKED = "checked-model-answers.json"  # in the build cache: model answers that passed their rules
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: The one-line directive that places an exercise in a page: {{ exercice m03-penalites }}
DIRECTIVE_RE = re.compile(r"^[ \t]*\{\{[ \t]*exercice[ \t]+(?P<id>[^\s{}]+)[ \t]*\}\}[ \t]*$")
PLACEHOLDER_RE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
MODULE_PAGE_RE = re.compile(r"^modules/(\d{2})-[^/]+\.md$")
NNBSP = "\u202f"  # French thousands separator


class ExerciseError(AuthoringError):
    """One or more problems in exercise files or pages; str() lists them, one per line."""


# --------------------------------------------------------------------------- YAML with lines

# Exercises, call scenarios and objections share one reader and one error system:
# simulator.authoring (Mapping/Sequence remember the line of every key and item).


# --------------------------------------------------------------------------- model


@dataclass
class Exercise:
    id: str
    kind: str
    path: str          # relative to the project root
    line: int          # line of the exercise's `id:`
    data: dict         # validated and normalised fields

    @property
    def title(self) -> str:
        return self.data["titre"]


@dataclass
class _Field:
    """Where we are while checking: file, exercise id, field path, line."""

    path: str
    errors: list
    exercise: str | None = None

    def error(self, line: int, field_name: str, message: str) -> None:
        who = f"exercice « {self.exercise} », " if self.exercise else ""
        self.errors.append(f"{self.path}:{line}: {who}champ « {field_name} » : {message}")


_COMMON = {"id", "type", "titre", "consigne", "explication"}
_FIELDS = {
    "qcm": _COMMON | {"choix", "reponse"},
    "vrai_faux": _COMMON | {"affirmations"},
    "ordre": _COMMON | {"etapes"},
    "classement": _COMMON | {"categories", "elements"},
    "calcul": _COMMON | {"variantes", "formule", "unite", "tolerance", "decimales", "solution", "pieges", "taux"},
    "redaction": _COMMON | {"situation", "regles", "exemple", "date_du_jour"},
}
_REQUIRED = {
    "qcm": ["choix", "reponse"],
    "vrai_faux": ["affirmations"],
    "ordre": ["etapes"],
    "classement": ["categories", "elements"],
    "calcul": ["variantes", "formule", "unite", "solution"],
    "redaction": ["regles", "exemple"],
}



class _Checker:
    """Validate one exercise mapping; collect errors; return normalised data."""

    def __init__(self, ctx: _Field, raw: _Map, taux=None, passed: PassedChecks | None = None):
        self.ctx = ctx
        self.raw = raw
        self.taux = taux  # site_build.taux.Table: the course's rates, for `calcul` exercises
        self.passed = passed or PassedChecks(None, "", Path("."))  # model answers checked before

    def line(self, key=None, container=None) -> int:
        container = self.raw if container is None else container
        if key is not None and isinstance(container, _Map) and key in container.lines:
            return container.lines[key]
        if isinstance(container, _Seq) and isinstance(key, int) and key < len(container.lines):
            return container.lines[key]
        return getattr(container, "line", 0) or self.raw.line

    def err(self, key, message, container=None, name=None):
        self.ctx.error(self.line(key, container), name or str(key), message)

    # -- typed getters (return None after reporting a problem)

    def text(self, m: _Map, key: str, name: str, required=True) -> str | None:
        if key not in m:
            if required:
                self.ctx.error(m.line or self.raw.line, name, "champ obligatoire manquant : attendu un texte")
            return None
        value = m[key]
        if not isinstance(value, str):
            self.ctx.error(self.line(key, m), name,
                           f"attendu un texte (entre guillemets si besoin), trouvé {_type_name(value)}")
            return None
        if not value.strip():
            self.ctx.error(self.line(key, m), name, "attendu un texte non vide")
            return None
        return value.strip()

    def seq(self, m: _Map, key: str, name: str, minimum: int, what: str) -> _Seq | None:
        if key not in m:
            self.ctx.error(m.line or self.raw.line, name,
                           f"champ obligatoire manquant : attendu une liste d’au moins {minimum} {what}")
            return None
        value = m[key]
        if not isinstance(value, list):
            self.ctx.error(self.line(key, m), name,
                           f"attendu une liste d’au moins {minimum} {what}, trouvé {_type_name(value)}")
            return None
        if len(value) < minimum:
            self.ctx.error(self.line(key, m), name,
                           f"attendu au moins {minimum} {what}, trouvé {len(value)}")
            return None
        return value

    def item_map(self, items: _Seq, i: int, name: str, allowed: set, text_key: str) -> _Map | None:
        """An item of a list: a mapping, or a bare text taken as its `text_key`."""
        value = items[i]
        if isinstance(value, str):
            m = _Map()
            m[text_key] = value
            m.line = items.lines[i]
            m.lines[text_key] = items.lines[i]
            return m
        if not isinstance(value, dict):
            self.ctx.error(items.lines[i], name,
                           f"attendu un bloc de champs ({', '.join(sorted(allowed))}), trouvé {_type_name(value)}")
            return None
        for key in value:
            if key not in allowed:
                self.ctx.error(value.lines.get(key, value.line), f"{name}.{key}",
                               f"champ inconnu{_suggest(key, allowed)} ; champs possibles : {', '.join(sorted(allowed))}")
        return value

    # -- the exercise

    def check(self) -> dict | None:
        raw, ctx = self.raw, self.ctx
        errors_before = len(ctx.errors)
        kind = raw.get("type")
        if "type" not in raw:
            ctx.error(raw.line, "type", f"champ obligatoire manquant : attendu un type parmi {', '.join(KINDS)}")
            return None
        if kind not in KINDS:
            ctx.error(self.line("type"), "type",
                      f"type inconnu « {kind} »{_suggest(kind, KINDS)} : attendu un type parmi {', '.join(KINDS)}")
            return None
        for key in raw:
            if key not in _FIELDS[kind]:
                ctx.error(self.line(key), str(key), f"champ inconnu pour un exercice « {kind} »"
                          f"{_suggest(key, _FIELDS[kind])} ; champs possibles : {', '.join(sorted(_FIELDS[kind]))}")
        for key in _REQUIRED[kind]:
            if key not in raw:
                ctx.error(raw.line, key, "champ obligatoire manquant")
        data = {"titre": self.text(raw, "titre", "titre"),
                "consigne": self.text(raw, "consigne", "consigne"),
                "explication": self.text(raw, "explication", "explication", required=False)}
        if all(key in raw for key in _REQUIRED[kind]):
            data.update(getattr(self, f"check_{kind}")())
        return data if len(ctx.errors) == errors_before else None

    def check_qcm(self) -> dict:
        out = {}
        choices = self.seq(self.raw, "choix", "choix", 2, "choix")
        if choices is not None:
            out["choix"] = []
            for i in range(len(choices)):
                name = f"choix[{i + 1}]"
                item = self.item_map(choices, i, name, {"texte", "commentaire"}, "texte")
                if item is not None:
                    out["choix"].append({"texte": self.text(item, "texte", f"{name}.texte"),
                                         "commentaire": self.text(item, "commentaire", f"{name}.commentaire",
                                                                  required=False)})
        answer = self.raw["reponse"]
        line = self.line("reponse")
        n = len(choices) if choices is not None else None
        multiple = isinstance(answer, list)
        values = list(answer) if multiple else [answer]
        expected = f"un numéro de choix entre 1 et {n}" if n else "un numéro de choix"
        if multiple and not values:
            self.ctx.error(line, "reponse", f"attendu au moins {expected}")
            return out
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int):
                self.ctx.error(line, "reponse",
                               f"attendu {expected} (ou une liste de numéros), trouvé {_type_name(v)}")
                return out
            if n is not None and not 1 <= v <= n:
                self.ctx.error(line, "reponse", f"réponse hors limites : attendu {expected}, trouvé {v}")
                return out
        if len(set(values)) != len(values):
            self.ctx.error(line, "reponse", "le même numéro de choix est écrit deux fois")
        out["reponse"] = sorted(v - 1 for v in values)
        out["multiple"] = multiple
        return out

    def check_vrai_faux(self) -> dict:
        items = self.seq(self.raw, "affirmations", "affirmations", 2, "affirmations")
        out = {"affirmations": []}
        if items is None:
            return out
        for i in range(len(items)):
            name = f"affirmations[{i + 1}]"
            item = self.item_map(items, i, name, {"texte", "reponse", "raison"}, "texte")
            if item is None:
                continue
            value = item.get("reponse")
            if "reponse" not in item:
                self.ctx.error(item.line, f"{name}.reponse", "champ obligatoire manquant : attendu vrai ou faux")
            elif isinstance(value, str) and value.strip().lower() in ("vrai", "faux"):
                value = value.strip().lower() == "vrai"
            elif not isinstance(value, bool):
                self.ctx.error(self.line("reponse", item), f"{name}.reponse",
                               f"attendu vrai ou faux, trouvé {_type_name(value)}")
            out["affirmations"].append({"texte": self.text(item, "texte", f"{name}.texte"),
                                        "reponse": value,
                                        "raison": self.text(item, "raison", f"{name}.raison")})
        return out

    def check_ordre(self) -> dict:
        steps = self.seq(self.raw, "etapes", "etapes", 3, "étapes")
        out = {"etapes": []}
        if steps is None:
            return out
        for i, step in enumerate(steps):
            if not isinstance(step, str) or not step.strip():
                self.ctx.error(steps.lines[i], f"etapes[{i + 1}]",
                               f"attendu le texte de l’étape, trouvé {_type_name(step)}")
                continue
            if step.strip() in out["etapes"]:
                self.ctx.error(steps.lines[i], f"etapes[{i + 1}]", "cette étape est écrite deux fois")
            out["etapes"].append(step.strip())
        return out

    def check_classement(self) -> dict:
        out = {"categories": [], "elements": []}
        cats = self.seq(self.raw, "categories", "categories", 2, "catégories")
        if cats is not None:
            for i, cat in enumerate(cats):
                if not isinstance(cat, str) or not cat.strip():
                    self.ctx.error(cats.lines[i], f"categories[{i + 1}]",
                                   f"attendu le nom de la catégorie, trouvé {_type_name(cat)}")
                elif cat.strip() in out["categories"]:
                    self.ctx.error(cats.lines[i], f"categories[{i + 1}]", "cette catégorie est écrite deux fois")
                else:
                    out["categories"].append(cat.strip())
        items = self.seq(self.raw, "elements", "elements", 2, "éléments à classer")
        if items is None:
            return out
        for i in range(len(items)):
            name = f"elements[{i + 1}]"
            item = self.item_map(items, i, name, {"texte", "categorie", "commentaire"}, "texte")
            if item is None:
                continue
            category = self.text(item, "categorie", f"{name}.categorie")
            if category is not None and cats is not None and category not in out["categories"]:
                self.ctx.error(self.line("categorie", item), f"{name}.categorie",
                               f"catégorie hors liste « {category} »{_suggest(category, out['categories'])} : "
                               f"attendu une des catégories : {', '.join(out['categories'])}")
            out["elements"].append({
                "texte": self.text(item, "texte", f"{name}.texte"),
                "categorie": out["categories"].index(category) if category in out["categories"] else None,
                "commentaire": self.text(item, "commentaire", f"{name}.commentaire", required=False),
            })
        if len({e["categorie"] for e in out["elements"]}) < 2 and not self.ctx.errors:
            self.ctx.error(self.line("elements"), "elements",
                           "tous les éléments sont dans la même catégorie : attendu au moins deux catégories utilisées")
        return out

    def check_calcul(self) -> dict:
        raw = self.raw
        out = {"unite": self.text(raw, "unite", "unite"), "solution": self.text(raw, "solution", "solution")}
        tolerance = raw.get("tolerance", 0.01)
        if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0:
            self.err("tolerance", f"attendu un nombre positif ou nul (écart accepté), trouvé {_type_name(tolerance)}")
        out["tolerance"] = tolerance
        decimals = raw.get("decimales", 2)
        if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 4:
            self.err("decimales", f"attendu un nombre entier de 0 à 4, trouvé {_type_name(decimals)}")
            decimals = 2
        out["decimales"] = decimals
        formula = self.text(raw, "formule", "formule")
        variants = self.seq(raw, "variantes", "variantes", 2, "variantes (pour qu’un nouvel essai change les chiffres)")
        if formula is None or variants is None:
            return out
        try:
            tree = ast.parse(formula, mode="eval")
        except SyntaxError:
            self.err("formule", "formule illisible : attendu une expression comme « montant * taux / 100 * jours / 365 »")
            return out
        fixed = self.check_taux()
        names = None
        out["variantes"] = []
        for i, variant in enumerate(variants):
            vname = f"variantes[{i + 1}]"
            line = variants.lines[i]
            if not isinstance(variant, dict) or not variant:
                self.ctx.error(line, vname, f"attendu des valeurs « nom: nombre », trouvé {_type_name(variant)}")
                continue
            bad = [k for k, v in variant.items()
                   if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v)]
            for k in bad:
                self.ctx.error(variant.lines.get(k, line), f"{vname}.{k}",
                               f"attendu un nombre (avec un point décimal : 12.15), trouvé {_type_name(variant[k])}")
            for k in variant:
                if not re.fullmatch(r"[a-z_][a-z0-9_]*", str(k)) or k == "resultat":
                    self.ctx.error(variant.lines.get(k, line), f"{vname}.{k}",
                                   "nom de variable invalide : lettres minuscules, chiffres et _ ; « resultat » est réservé")
                    bad.append(k)
            for k in variant:
                if k in fixed:
                    self.ctx.error(variant.lines.get(k, line), f"{vname}.{k}",
                                   f"la variable « {k} » vient du fichier des taux (champ « taux ») : "
                                   "retirez-la des variantes")
                    bad.append(k)
            if bad:
                continue
            variant = {**variant, **fixed}
            if names is None:
                names = set(variant)
            elif set(variant) != names:
                self.ctx.error(line, vname, f"attendu les mêmes variables que la première variante : {', '.join(sorted(names))}")
                continue
            try:
                result = _evaluate(tree, dict(variant))
            except _FormulaError as exc:
                self.err("formule", str(exc))
                return out
            except ZeroDivisionError:
                self.ctx.error(line, vname, "la formule divise par zéro avec ces valeurs")
                continue
            traps = []
            for j, trap in enumerate(raw.get("pieges") or []):
                if isinstance(trap, dict) and isinstance(trap.get("formule"), str):
                    try:
                        value = round(_evaluate(ast.parse(trap["formule"], mode="eval"), dict(variant)), decimals)
                    except (SyntaxError, _FormulaError, ZeroDivisionError):
                        value = None  # reported once below
                    if value is not None and abs(value - result) <= (tolerance if isinstance(tolerance, (int, float)) else 0) + 1e-9:
                        self.ctx.error(line, vname, f"le piège n° {j + 1} donne ici le bon résultat ({fr_number(value)}) : "
                                                    "changez ces chiffres, sinon une erreur serait comptée juste")
                    traps.append(value)
            out["variantes"].append({"valeurs": dict(variant), "resultat": round(result, decimals),
                                     "pieges": traps})
        results = [v["resultat"] for v in out["variantes"]]
        if len(set(results)) < len(results):
            self.err("variantes", "deux variantes donnent le même résultat : changez les chiffres pour qu’un nouvel essai ne soit pas une copie")
        out["pieges"] = self.check_pieges(names or set(fixed))
        allowed = (names or set()) | {"resultat"}
        for key in ("consigne", "solution"):
            for placeholder in PLACEHOLDER_RE.findall(str(raw.get(key, ""))):
                if placeholder not in allowed:
                    self.err(key, f"variable inconnue « {{{placeholder}}} »{_suggest(placeholder, allowed)} : "
                                  f"attendu une des variables {', '.join(sorted(allowed))}")
        return out

    def check_taux(self) -> dict:
        """`taux: {variable: id}`: variables whose value is the course's rate (exercises/taux.yml) on the build date."""
        rates = self.raw.get("taux")
        if rates is None:
            return {}
        if not isinstance(rates, dict) or not rates:
            self.err("taux", "attendu des lignes « variable: id du taux » (par exemple « taux: penalites-defaut »), "
                             f"trouvé {_type_name(rates)}")
            return {}
        fixed = {}
        for var, ident in rates.items():
            line = rates.lines.get(var, rates.line)
            if not re.fullmatch(r"[a-z_][a-z0-9_]*", str(var)) or var == "resultat":
                self.ctx.error(line, f"taux.{var}", "nom de variable invalide : lettres minuscules, chiffres et _ ; "
                                                    "« resultat » est réservé")
                continue
            if self.taux is None:
                self.ctx.error(line, f"taux.{var}", "aucun fichier des taux n’est chargé : attendu le fichier "
                                                    "exercises/taux.yml du cours")
                continue
            if not isinstance(ident, str) or ident not in self.taux:
                self.ctx.error(line, f"taux.{var}", f"taux inconnu « {ident} »{self.taux.suggestion(str(ident))} ; "
                                                    f"attendu l’id d’un taux de {self.taux.chemin} : {self.taux.noms()}")
                continue
            fixed[var] = self.taux.valeur(ident).valeur
        return fixed

    def check_pieges(self, names: set) -> list[str]:
        """Common mistakes: a formula giving a wrong result and the comment shown when it is typed."""
        traps = self.raw.get("pieges")
        comments: list[str] = []
        if traps is None:
            return comments
        if not isinstance(traps, list):
            self.err("pieges", f"attendu une liste de blocs « formule » + « commentaire », trouvé {_type_name(traps)}")
            return comments
        for i in range(len(traps)):
            name = f"pieges[{i + 1}]"
            item = self.item_map(traps, i, name, {"formule", "commentaire"}, "formule")
            if item is None:
                continue
            comments.append(self.text(item, "commentaire", f"{name}.commentaire") or "")
            formula = self.text(item, "formule", f"{name}.formule")
            if formula is None:
                continue
            try:
                _evaluate(ast.parse(formula, mode="eval"), {n: 1.0 for n in names})
            except SyntaxError:
                self.ctx.error(self.line("formule", item), f"{name}.formule", "formule illisible")
            except _FormulaError as exc:
                self.ctx.error(self.line("formule", item), f"{name}.formule", str(exc))
            except ZeroDivisionError:
                pass
        return comments

    def check_redaction(self) -> dict:
        from simulator.redaction import check_text, validate_rules

        raw = self.raw
        out = {"situation": self.text(raw, "situation", "situation", required=False),
               "exemple": self.text(raw, "exemple", "exemple")}
        today = raw.get("date_du_jour")
        if today is not None and not isinstance(today, _dt.date):
            try:
                today = _dt.date.fromisoformat(str(today))
            except ValueError:
                self.err("date_du_jour", f"attendu une date AAAA-MM-JJ, trouvé {_type_name(raw.get('date_du_jour'))}")
                today = None
        out["date_du_jour"] = today.isoformat() if isinstance(today, _dt.date) else None
        rules = raw["regles"]
        problems = validate_rules(_plain(rules))
        for p in problems:
            if p["index"] is None:
                self.err("regles", p["message"])
                continue
            rule = rules[p["index"]]
            line = rule.lines.get(p["field"], rule.line) if isinstance(rule, _Map) else rules.lines[p["index"]]
            self.ctx.error(line, f"regles[{p['index'] + 1}].{p['field']}", p["message"])
        if problems:
            return out
        out["regles"] = _plain(rules)
        if out["exemple"]:
            key = self.passed.key(json.dumps([out["exemple"], out["regles"], out["date_du_jour"]],
                                             ensure_ascii=False, sort_keys=True, default=str).encode())
            verdict = {"passed": True} if self.passed.passed_before(key) else \
                check_text(out["exemple"], out["regles"], today=out["date_du_jour"])
            if verdict["passed"]:
                self.passed.passed(key)
            else:
                self.err("exemple", "la réponse d’exemple ne passe pas ses propres règles : "
                                    + " ; ".join(verdict["missing"]))
        return out



# --------------------------------------------------------------------------- formulas


class _FormulaError(Exception):
    pass


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.Div: operator.truediv, ast.Pow: operator.pow}
_FUNCS = {"round": round, "min": min, "max": max, "arrondi": round, "plafond": math.ceil, "plancher": math.floor}


def _evaluate(tree: ast.AST, names: dict) -> float:
    """Arithmetic only: numbers, the variant's names, + - * / **, round/min/max."""

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise _FormulaError(f"variable inconnue « {node.id} »{_suggest(node.id, names)} : "
                                    f"attendu une des variables {', '.join(sorted(names)) or '(aucune)'}")
            return names[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return -ev(node.operand) if isinstance(node.op, ast.USub) else ev(node.operand)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS
                and not node.keywords):
            return _FUNCS[node.func.id](*[ev(a) for a in node.args])
        raise _FormulaError("formule non autorisée : seuls les nombres, les variables, + - * / ( ) "
                            "et round, min, max sont acceptés")

    value = ev(tree)
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _FormulaError("la formule ne donne pas un nombre fini")
    return float(value)


def fr_number(value: float, decimals: int | None = None) -> str:
    """1234.5 -> "1 234,5" (narrow no-break space); with decimals, a fixed number of them."""
    if decimals is None:
        text = f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    else:
        text = f"{value:,.{decimals}f}"
    return text.replace(",", NNBSP).replace(".", ",")


def fill(template: str, values: dict, result: float | None = None, decimals: int = 2) -> str:
    def sub(m):
        name = m.group(1)
        if name == "resultat":
            return fr_number(result, decimals)
        return fr_number(values[name]) if name in values else m.group(0)

    return PLACEHOLDER_RE.sub(sub, template)


# --------------------------------------------------------------------------- loading


def _documents(path: Path, rel: str, errors: list) -> list[tuple[_Map, str]]:
    try:
        data = read_yaml(path, rel)
    except AuthoringError as exc:
        errors.extend(exc.errors)
        return []
    if data is None:
        errors.append(f"{rel}:1: fichier vide : attendu un exercice (des champs « id », « type »…) ou une liste d’exercices")
        return []
    items = data if isinstance(data, list) else [data]
    found = []
    for i, item in enumerate(items):
        line = data.lines[i] if isinstance(data, _Seq) else getattr(item, "line", 1)
        if not isinstance(item, _Map):
            errors.append(f"{rel}:{line}: attendu un exercice (des champs « id », « type »…), trouvé {_type_name(item)}")
            continue
        found.append((item, rel))
    return found


def load_all(quiz_dir: Path, project_root: Path, taux=None, cache_dir: Path | None = None) -> dict[str, Exercise]:
    """Validate every exercise file under quiz_dir; raise ExerciseError listing every problem.

    `taux` is the course's rates (site_build.taux.Table) for the build date; by default,
    project_root/exercises/taux.yml when it exists (a `calcul` exercise can take a rate from it).
    With cache_dir, a model answer (`redaction`) that passed its rules before, with the same
    text, rules, date and simulator code, is not checked again (site_build.passed_checks).
    """
    errors: list[str] = []
    if taux is None:
        from site_build import taux as _taux

        path = Path(project_root) / _taux.FICHIER_PAR_DEFAUT
        if path.is_file():
            try:
                taux = _taux.charger(path, _taux.date_de_construction(), chemin=_taux.FICHIER_PAR_DEFAUT)
            except _taux.TauxError as exc:
                raise ExerciseError(exc.errors) from None
    exercises: dict[str, Exercise] = {}
    passed = PassedChecks(cache_dir, CHECKED, project_root)
    files = sorted(p for p in quiz_dir.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    for path in files:
        rel = Path(os.path.relpath(path, project_root)).as_posix()
        for raw, rel in _documents(path, rel, errors):
            ctx = _Field(rel, errors)
            ident = raw.get("id")
            line = raw.lines.get("id", raw.line)
            if "id" not in raw:
                ctx.error(raw.line, "id", "champ obligatoire manquant : attendu un identifiant comme « m03-penalites »")
            elif not isinstance(ident, str) or not ID_RE.match(ident):
                ctx.error(line, "id", f"attendu un identifiant en minuscules, chiffres et tirets (« m03-penalites »), trouvé {_type_name(ident)}")
                ident = None
            if isinstance(ident, str) and ID_RE.match(ident):
                ctx.exercise = ident
                if ident in exercises:
                    first = exercises[ident]
                    ctx.error(line, "id", f"id en double : déjà utilisé par {first.path}:{first.line} ; chaque exercice doit avoir un id unique")
                    continue
            data = _Checker(ctx, raw, taux, passed).check()
            if data is not None and ctx.exercise:
                exercises[ident] = Exercise(ident, raw["type"], rel, line, data)
    passed.save()
    if errors:
        raise ExerciseError(errors)
    return exercises


# --------------------------------------------------------------------------- pages that use exercises


def directive_lines(text: str) -> list[tuple[int, str]]:
    """(line, id) of each directive in a Markdown source, fenced code blocks excluded."""
    found, fence = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        m = re.match(r"^(`{3,}|~{3,})", stripped)
        if fence:
            if m and stripped.startswith(fence) and not stripped[len(m.group(1)):].strip():
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        d = DIRECTIVE_RE.match(line)
        if d:
            found.append((number, d.group("id")))
    return found


@dataclass
class Page:
    """A built page and the exercises it shows, in order (site_build/site_pages.py reads them)."""

    src: str               # docs-relative path of its Markdown source
    abs_path: str | None   # that source on disk, for line numbers (None: unknown)
    url: str = ""
    title: str = ""
    ids: list = field(default_factory=list)

    @property
    def module(self) -> int | None:
        return module_of(self.src)


def module_of(src: str | None) -> int | None:
    """The module number of a page of docs/modules/ ("modules/03-contrat.md" -> 3), else None."""
    m = MODULE_PAGE_RE.match(src or "")
    return int(m.group(1)) if m else None


def check_uses(pages: list[Page], exercises: dict[str, Exercise], docs_label: str = "docs") -> list[str]:
    """Problems: pages naming an unknown id, an exercise placed twice, exercises used by no page."""
    errors, placed = [], {}
    for page in pages:
        lines = _lines_for(page)
        for n, ident in enumerate(page.ids):
            line = lines[ident][n if n < len(lines[ident]) else -1] if lines.get(ident) else 1
            lines.setdefault(ident, [])
            where = f"{docs_label}/{page.src}:{line}"
            if ident not in exercises:
                errors.append(f"{where}: directive « {{{{ exercice {ident} }}}} », champ « id » : exercice inconnu"
                              f"{_suggest(ident, exercises)} ; attendu l’id d’un exercice de exercises/quiz/")
            elif ident in placed:
                errors.append(f"{where}: directive « {{{{ exercice {ident} }}}} », champ « id » : exercice déjà placé "
                              f"en {placed[ident]} ; un exercice n’apparaît qu’une fois dans le cours")
            else:
                placed[ident] = where
    for ident, ex in exercises.items():
        if ident not in placed:
            errors.append(f"{ex.path}:{ex.line}: exercice « {ident} », champ « id » : utilisé par aucune page ; "
                          f"attendu une ligne « {{{{ exercice {ident} }}}} » dans une page (sous « ## Exercices » du module)")
    return errors


def index(pages: list[Page], exercises: dict[str, Exercise]) -> dict:
    """What the progress page needs: the modules and their exercises, in course order."""
    modules, others = [], []
    for page in sorted(pages, key=lambda p: p.src):
        ids = [i for i in page.ids if i in exercises]
        if not ids:
            continue
        entry = {"title": page.title, "url": page.url,
                 "exercises": [{"id": i, "title": exercises[i].title, "kind": exercises[i].kind} for i in ids]}
        if page.module is not None:
            modules.append({"module": page.module, **entry})
        else:
            others.append(entry)
    modules.sort(key=lambda m: m["module"])
    return {"version": 1, "modules": modules, "pages": others}


def write_index(pages: list[Page], exercises: dict[str, Exercise], dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(index(pages, exercises), ensure_ascii=False, indent=1), encoding="utf-8")
    return dest


def _lines_for(page: Page) -> dict[str, list[int]]:
    lines: dict[str, list[int]] = {}
    if page.abs_path:
        try:
            text = Path(page.abs_path).read_text(encoding="utf-8")
        except OSError:
            text = ""
        for number, ident in directive_lines(text):
            lines.setdefault(ident, []).append(number)
    return lines


# --------------------------------------------------------------------------- the exercises of a build

_loaded: dict[Path, tuple[tuple, dict[str, Exercise]]] = {}


def load_cached(quiz_dir: Path, project_root: Path, cache_dir: Path | None = None) -> dict[str, Exercise]:
    """load_all, read again only when a file of quiz_dir changed (a generator converts page after page,
    and `mkdocs serve` lives on between edits); raises ExerciseError like load_all."""
    quiz_dir = Path(quiz_dir).resolve()
    files = sorted(p for p in quiz_dir.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())
    stamp = (Path(project_root).resolve(), *((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))
    cached = _loaded.get(quiz_dir)
    if cached is None or cached[0] != stamp:
        _loaded[quiz_dir] = (stamp, load_all(quiz_dir, project_root, cache_dir=cache_dir))
    return _loaded[quiz_dir][1]


# --------------------------------------------------------------------------- rendering


def _el(parent, tag: str, text: str | None = None, **attrs) -> etree.Element:
    node = etree.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()
                                          if v is not None and v is not False})
    if text is not None:
        node.text = typo(text)
    return node


def _shuffled(n: int, seed: str) -> list[int]:
    """A fixed order for a given exercise that is never the right one (n >= 2)."""
    order = list(range(n))
    rng = random.Random(seed)
    while order == sorted(order):
        rng.shuffle(order)
    return order


_TYPO = (
    (re.compile(r"(?<=\d) (?=\d{3}(?!\d))"), NNBSP),   # 1 950 -> 1 950 with a narrow no-break space
    (re.compile(r"(?<=[\d\w]) (?=(?:€|%)(?!\w))"), "\u00a0"),  # 1 950 € never breaks before €
)


def typo(text: str) -> str:
    """French typography in author text: numbers and units never split across lines."""
    for pattern, space in _TYPO:
        text = pattern.sub(space, text)
    return text


def render(ex: Exercise, parent: etree.Element, blocks, module: int | None) -> etree.Element:
    """Append the exercise to `parent`. `blocks(element, markdown)` parses Markdown into an element.

    The answer key goes to `data-cle` (JSON); comments and solutions are rendered
    hidden, and docs/assets/exercices.js reveals them once the learner answers.
    """
    base = f"ex-{ex.id}"
    d = ex.data
    key: dict = {}
    parse = blocks

    def blocks(element, text):  # noqa: F811 - the same, with French typography
        parse(element, typo(text))

    root = _el(parent, "section", class_="rp-ex", id=base, data_ex_id=ex.id, data_kind=ex.kind,
               data_module=f"{module:02d}" if module is not None else None,
               aria_labelledby=f"{base}-titre")
    head = _el(root, "div", class_="rp-ex__head")
    h = _el(head, "h3", class_="rp-ex__title", id=f"{base}-titre")
    _el(h, "span", KINDS[ex.kind], class_="rp-ex__kind").tail = " "
    _el(h, "span", d["titre"], class_="rp-ex__name")
    _el(head, "p", class_="rp-ex__status", hidden="hidden")

    # What the learner reads before answering.
    if ex.kind == "redaction" and d["situation"]:
        blocks(_el(root, "div", class_="rp-situation"), d["situation"])
    if ex.kind == "calcul":
        variants = _el(root, "div", class_="rp-ex__prompt rp-variants")
        for v, variant in enumerate(d["variantes"]):
            blocks(_el(variants, "div", class_="rp-variant", data_variant=v, hidden="hidden"),
                   fill(d["consigne"], variant["valeurs"], variant["resultat"], d["decimales"]))
    else:
        blocks(_el(root, "div", class_="rp-ex__prompt"), d["consigne"])

    form = _el(root, "form", class_="rp-ex__form", novalidate="novalidate", aria_labelledby=f"{base}-titre")
    after = etree.Element("div", {"class": "rp-ex__after", "hidden": "hidden"})

    if ex.kind == "qcm":
        fs = _el(form, "fieldset", class_="rp-choices")
        _el(fs, "legend", "Plusieurs réponses possibles : cochez toutes les bonnes." if d["multiple"]
            else "Une seule réponse possible.", class_="rp-legend")
        for i, choice in enumerate(d["choix"]):
            row = _el(fs, "div", class_="rp-choice", data_index=i)
            cid = f"{base}-c{i + 1}"
            _el(row, "input", type="checkbox" if d["multiple"] else "radio", name=base, id=cid, value=i)
            _el(row, "label", choice["texte"], for_=cid)
            if choice["commentaire"]:
                blocks(_el(row, "div", class_="rp-choice__feedback rp-note", id=f"{cid}-note", hidden="hidden"),
                       choice["commentaire"])
        key = {"reponse": d["reponse"], "multiple": d["multiple"]}

    elif ex.kind == "vrai_faux":
        box = _el(form, "div", class_="rp-statements")
        for i, st in enumerate(d["affirmations"]):
            fs = _el(box, "fieldset", class_="rp-statement", data_index=i)
            _el(fs, "legend", st["texte"], class_="rp-statement__text")
            choices = _el(fs, "div", class_="rp-tf")
            for value, label in (("vrai", "Vrai"), ("faux", "Faux")):
                cid = f"{base}-s{i + 1}-{value}"
                span = _el(choices, "span", class_="rp-tf__option")
                _el(span, "input", type="radio", name=f"{base}-s{i + 1}", id=cid, value=value)
                _el(span, "label", label, for_=cid)
            blocks(_el(fs, "div", class_="rp-statement__reason rp-note", hidden="hidden"), st["raison"])
        key = {"reponses": [st["reponse"] for st in d["affirmations"]]}

    elif ex.kind == "ordre":
        _el(form, "p", "Remettez les étapes dans l’ordre : choisissez la position de chaque étape dans "
                       "sa liste, ou déplacez-la avec ▲ et ▼ (ou en la faisant glisser), puis validez.",
            class_="rp-help", id=f"{base}-aide")
        ol = _el(form, "ol", class_="rp-order", aria_describedby=f"{base}-aide")
        for k in _shuffled(len(d["etapes"]), ex.id):
            li = _el(ol, "li", class_="rp-order__item", data_step=k)
            _el(li, "span", d["etapes"][k], class_="rp-order__text", id=f"{base}-e{k + 1}")
            tools = _el(li, "span", class_="rp-order__tools")
            for cls, arrow, verb in (("rp-up", "▲", "Monter"), ("rp-down", "▼", "Descendre")):
                b = _el(tools, "button", type="button", class_=f"rp-order__move {cls}", title=verb,
                        aria_describedby=f"{base}-e{k + 1}")
                _el(b, "span", arrow, aria_hidden="true")
                _el(b, "span", verb, class_="rp-sr")
        _el(form, "p", class_="rp-sr rp-ex__announce", aria_live="polite")
        solution = _el(after, "div", class_="rp-order__solution")
        _el(solution, "p", "L’ordre attendu :", class_="rp-strong")
        steps = _el(solution, "ol")
        for step in d["etapes"]:
            _el(steps, "li", step)
        key = {"etapes": len(d["etapes"])}

    elif ex.kind == "classement":
        box = _el(form, "div", class_="rp-sort")
        for i, item in enumerate(d["elements"]):
            fs = _el(box, "fieldset", class_="rp-sort__item", data_index=i)
            _el(fs, "legend", item["texte"], class_="rp-sort__text")
            cats = _el(fs, "div", class_="rp-sort__cats")
            for c, cat in enumerate(d["categories"]):
                cid = f"{base}-i{i + 1}-c{c + 1}"
                span = _el(cats, "span", class_="rp-sort__option")
                _el(span, "input", type="radio", name=f"{base}-i{i + 1}", id=cid, value=c)
                _el(span, "label", cat, for_=cid)
            if item["commentaire"]:
                blocks(_el(fs, "div", class_="rp-sort__note rp-note", hidden="hidden"), item["commentaire"])
        key = {"categories": d["categories"], "reponses": [item["categorie"] for item in d["elements"]]}

    elif ex.kind == "calcul":
        row = _el(form, "p", class_="rp-calc")
        _el(row, "label", "Votre réponse", for_=f"{base}-reponse")
        _el(row, "input", type="text", inputmode="decimal", autocomplete="off", id=f"{base}-reponse",
            class_="rp-calc__input", spellcheck="false")
        _el(row, "span", d["unite"], class_="rp-calc__unit")
        solutions = _el(after, "div", class_="rp-solutions")
        for v, variant in enumerate(d["variantes"]):
            sol = _el(solutions, "div", class_="rp-solution", data_variant=v, hidden="hidden")
            _el(sol, "p", "Solution détaillée", class_="rp-strong")
            blocks(sol, fill(d["solution"], variant["valeurs"], variant["resultat"], d["decimales"]))
        key = {"variantes": [{"resultat": v["resultat"], "pieges": v["pieges"]} for v in d["variantes"]],
               "tolerance": d["tolerance"], "decimales": d["decimales"], "unite": d["unite"]}

    elif ex.kind == "redaction":
        row = _el(form, "p", class_="rp-write")
        _el(row, "label", "Votre texte", for_=f"{base}-texte")
        _el(row, "textarea", "", id=f"{base}-texte", class_="rp-write__text", rows=8, maxlength=5000,
            spellcheck="true", lang="fr")
        example = _el(after, "div", class_="rp-example")
        _el(example, "p", "Une réponse possible", class_="rp-strong")
        blocks(_el(example, "div", class_="rp-example__text"), d["exemple"])
        key = {"regles": d["regles"], "date_du_jour": d["date_du_jour"]}

    actions = _el(form, "p", class_="rp-ex__actions")
    _el(actions, "button", "Valider", type="submit", class_="md-button md-button--primary rp-ex__submit")
    _el(actions, "button", "Recommencer avec d’autres chiffres" if ex.kind == "calcul" else "Recommencer",
        type="button", class_="md-button rp-ex__retry", hidden="hidden")
    _el(root, "div", class_="rp-ex__feedback", role="status", aria_live="polite")
    if ex.kind == "calcul" and d["pieges"]:
        traps = _el(root, "div", class_="rp-traps")
        for t, comment in enumerate(d["pieges"]):
            blocks(_el(traps, "div", class_="rp-trap rp-note", data_trap=t, hidden="hidden"), comment)
    if d["explication"]:
        blocks(_el(after, "div", class_="rp-explanation"), d["explication"])
    root.append(after)
    noscript = _el(root, "noscript")
    _el(noscript, "p", "Cet exercice a besoin de JavaScript pour vérifier vos réponses.")
    root.set("data-cle", json.dumps(key, ensure_ascii=False, separators=(",", ":")))
    return root
