"""The course's interest rates, read from one YAML file (exercises/taux.yml).

Rates change on 1 January and 1 July. The file lists, for each rate, its
periods with their value and official source; derived rates (the default
penalty rate = ECB rate + 10 points, the minimum = 3 × the legal rate…) are
computed from their base, so a new semester is one line per base rate.

- `charger(path, date)` reads and validates the file. Every problem is reported
  as `file:line: message` in French (TauxError lists them all).
- `Table.valeur(id)` gives the figure for the build date: the period that
  contains the date, or else the last known one marked `a_verifier`.
- `message_a_verifier(table)` is the warning the build prints when the build
  date is after the last period of a rate (pages then show « à vérifier »).
- `verifier_sources(table, root, dossiers)` checks every `{{ taux … }}`
  directive of the pages and exercises: unknown names are reported with
  `file:line`.

The Markdown side (what a page shows) is site_build/taux_markdown.py. The build
date is today, or the date in the environment variable DATE_DE_CONSTRUCTION
(AAAA-MM-JJ), which the tests use to simulate a build before or after a period.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from simulator.authoring import line_loaders
from site_build.exercises import _Map, _Seq, _suggest, _type_name, fr_number

#: Environment variable that replaces today's date for the build (tests, previews).
VARIABLE_DATE = "DATE_DE_CONSTRUCTION"
#: Where the course keeps its rates, relative to the project root.
FICHIER_PAR_DEFAUT = "exercises/taux.yml"
#: Where `{{ taux … }}` directives may appear (pages and exercises), relative to the root.
DOSSIERS_PAR_DEFAUT = ("docs", "exercises/quiz")

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: `{{ taux penalites-defaut }}`, `{{ taux penalites-defaut valeur }}` (or periode, source)
DIRECTIVE_TAUX = re.compile(r"\{\{[ \t]*taux[ \t]+(?P<id>[^\s{}]+)(?:[ \t]+(?P<forme>[^\s{}]+))?[ \t]*\}\}")
#: `{{ penalites montant=3600 jours=45 taux=penalites-defaut }}`: montant × taux × jours ÷ 365
DIRECTIVE_PENALITES = re.compile(r"\{\{[ \t]*penalites(?P<args>(?:[ \t]+[^\s{}]+)*)[ \t]*\}\}")
#: A line that is only `{{ tableau-des-taux }}`: the table of every rate with its period and source.
DIRECTIVE_TABLEAU = re.compile(r"^[ \t]*\{\{[ \t]*tableau-des-taux[ \t]*\}\}[ \t]*$")
FORMES = ("complet", "valeur", "periode", "source")

_MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
         "octobre", "novembre", "décembre")


class TauxError(Exception):
    """Problems in the rates file or in a directive; str() lists them, one `file:line: …` per line."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


# --------------------------------------------------------------------------- dates in French


def date_fr(day: _dt.date) -> str:
    """2026-07-01 -> « 1er juillet 2026 »."""
    return f"{'1er' if day.day == 1 else day.day} {_MOIS[day.month - 1]} {day.year}"


def libelle_periode(du: _dt.date, au: _dt.date) -> str:
    """A half-year reads « premier semestre 2026 »; any other span « du 1er mars au 31 mai 2026 »."""
    if du.year == au.year and (du.month, du.day) == (1, 1) and (au.month, au.day) == (6, 30):
        return f"premier semestre {du.year}"
    if du.year == au.year and (du.month, du.day) == (7, 1) and (au.month, au.day) == (12, 31):
        return f"second semestre {du.year}"
    if du.year == au.year and (du.month, du.day, au.month, au.day) == (1, 1, 12, 31):
        return f"année {du.year}"
    debut = date_fr(du) if du.year != au.year else date_fr(du).rsplit(" ", 1)[0]
    return f"du {debut} au {date_fr(au)}"


def date_de_construction(texte: str | None = None) -> _dt.date:
    """The build date: `texte` (AAAA-MM-JJ) if given, else $DATE_DE_CONSTRUCTION, else today."""
    value = texte if texte else os.environ.get(VARIABLE_DATE, "").strip()
    if not value:
        return _dt.date.today()
    try:
        return _dt.date.fromisoformat(str(value))
    except ValueError:
        source = "l’option « date »" if texte else f"la variable d’environnement {VARIABLE_DATE}"
        raise TauxError([f"{source} : date illisible « {value} » ; attendu une date AAAA-MM-JJ, "
                         "par exemple 2026-07-01"]) from None


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Periode:
    du: _dt.date
    au: _dt.date
    valeur: float
    source: str
    lien: str | None = None

    @property
    def libelle(self) -> str:
        return libelle_periode(self.du, self.au)


@dataclass
class Taux:
    id: str
    nom: str
    ligne: int
    ou_verifier: str
    lien_verifier: str
    regle: str | None = None
    periodes: list[Periode] = field(default_factory=list)
    base: str | None = None        # derived rates: value = base × fois + plus
    fois: float = 1
    plus: float = 0
    ligne_base: int = 0


@dataclass(frozen=True)
class Valeur:
    """A rate as a page shows it on the build date."""

    taux: Taux
    periode: Periode
    a_verifier: bool            # the build date is outside every period: last known figure

    @property
    def valeur(self) -> float:
        return self.periode.valeur

    @property
    def texte(self) -> str:
        """« 12,15 % »"""
        return f"{fr_number(self.valeur)}\u00a0%"


@dataclass
class Table:
    chemin: str                  # the file, as shown in messages
    date: _dt.date               # the build date
    taux: dict[str, Taux]

    def __contains__(self, ident: str) -> bool:
        return ident in self.taux

    def valeur(self, ident: str) -> Valeur:
        rate = self.taux[ident]
        inside = [p for p in rate.periodes if p.du <= self.date <= p.au]
        if inside:
            return Valeur(rate, inside[0], False)
        before = [p for p in rate.periodes if p.au < self.date]
        return Valeur(rate, before[-1] if before else rate.periodes[0], True)

    def perimes(self) -> list[Valeur]:
        """Rates whose last period ended before the build date (base rates only: derived follow)."""
        return [v for v in (self.valeur(i) for i in self.taux) if v.a_verifier and v.taux.base is None]

    def suggestion(self, ident: str) -> str:
        return _suggest(ident, self.taux)

    def noms(self) -> str:
        return ", ".join(self.taux)


# --------------------------------------------------------------------------- reading the file


class _Lecteur:
    def __init__(self, chemin: str):
        self.chemin = chemin
        self.errors: list[str] = []

    def err(self, line: int, where: str, message: str) -> None:
        self.errors.append(f"{self.chemin}:{line}: {where}{message}")

    def texte(self, m: _Map, key: str, where: str, required: bool = True) -> str | None:
        if key not in m:
            if required:
                self.err(m.line, where, f"champ « {key} » manquant : attendu un texte")
            return None
        value = m[key]
        if not isinstance(value, str) or not value.strip():
            self.err(m.lines.get(key, m.line), where, f"champ « {key} » : attendu un texte, trouvé {_type_name(value)}")
            return None
        return value.strip()

    def nombre(self, m: _Map, key: str, where: str, default=None) -> float | None:
        if key not in m:
            if default is None:
                self.err(m.line, where, f"champ « {key} » manquant : attendu un nombre (avec un point décimal : 2.15)")
            return default
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.err(m.lines.get(key, m.line), where,
                     f"champ « {key} » : attendu un nombre (avec un point décimal : 2.15), trouvé {_type_name(value)}")
            return None
        return float(value)

    def jour(self, m: _Map, key: str, where: str) -> _dt.date | None:
        if key not in m:
            self.err(m.line, where, f"champ « {key} » manquant : attendu une date AAAA-MM-JJ")
            return None
        value = m[key]
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return value
        try:
            return _dt.date.fromisoformat(str(value))
        except ValueError:
            self.err(m.lines.get(key, m.line), where,
                     f"champ « {key} » : attendu une date AAAA-MM-JJ (2026-07-01), trouvé {_type_name(value)}")
            return None


_CHAMPS_BASE = {"id", "nom", "ou_verifier", "lien_verifier", "regle", "periodes"}
_CHAMPS_DERIVE = {"id", "nom", "regle", "base", "fois", "plus"}
_CHAMPS_PERIODE = {"du", "au", "valeur", "source", "lien"}


def lire(text: str, chemin: str, date: _dt.date) -> Table:
    """Validate the text of a rates file; raise TauxError listing every problem."""
    r = _Lecteur(chemin)
    if "\t" in text:
        line = text[:text.index("\t")].count("\n") + 1
        raise TauxError([f"{chemin}:{line}: une tabulation est utilisée : indentez avec des espaces"])
    try:
        data = yaml.load(text, Loader=line_loaders()[0])  # noqa: S506 - a safe loader, with lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise TauxError([f"{chemin}:{mark.line + 1 if mark else 1}: YAML invalide : {exc.problem} ; "
                         "vérifiez l’indentation, les deux-points et les guillemets"]) from None
    if not isinstance(data, _Map) or "taux" not in data:
        raise TauxError([f"{chemin}:1: attendu un champ « taux » : la liste des taux du cours"])
    extra = [k for k in data if k != "taux"]
    for key in extra:
        r.err(data.lines[key], "", f"champ inconnu « {key} » : le fichier ne contient qu’un champ « taux »")
    items = data["taux"]
    if not isinstance(items, _Seq) or not items:
        raise TauxError([f"{chemin}:{data.lines['taux']}: champ « taux » : attendu une liste de taux "
                         f"(chacun précédé d’un tiret), trouvé {_type_name(items)}"])
    rates: dict[str, Taux] = {}
    for i, item in enumerate(items):
        line = items.lines[i]
        if not isinstance(item, _Map):
            r.err(line, "", f"attendu un taux (des champs « id », « nom »…), trouvé {_type_name(item)}")
            continue
        ident = item.get("id")
        if not isinstance(ident, str) or not ID_RE.match(ident):
            r.err(item.lines.get("id", item.line), "",
                  f"champ « id » : attendu un identifiant en minuscules, chiffres et tirets (« taux-bce »), "
                  f"trouvé {_type_name(ident)}")
            continue
        where = f"taux « {ident} », "
        if ident in rates:
            r.err(item.lines["id"], where, f"id en double : déjà utilisé ligne {rates[ident].ligne}")
            continue
        derived = "base" in item
        allowed = _CHAMPS_DERIVE if derived else _CHAMPS_BASE
        for key in item:
            if key not in allowed:
                hint = (" (un taux calculé n’a pas de « periodes » : il suit celles de sa base)"
                        if derived and key == "periodes" else _suggest(key, allowed))
                r.err(item.lines[key], where, f"champ inconnu « {key} »{hint} ; champs possibles : "
                      f"{', '.join(sorted(allowed))}")
        nom = r.texte(item, "nom", where)
        regle = r.texte(item, "regle", where, required=False)
        if derived:
            base = item["base"]
            fois = r.nombre(item, "fois", where, default=1.0)
            plus = r.nombre(item, "plus", where, default=0.0)
            rates[ident] = Taux(ident, nom or ident, item.lines["id"], "", "", regle, [], base,
                                fois if fois is not None else 1.0, plus if plus is not None else 0.0,
                                item.lines["base"])
            continue
        rate = Taux(ident, nom or ident, item.lines["id"], r.texte(item, "ou_verifier", where) or "",
                    r.texte(item, "lien_verifier", where) or "", regle)
        periods = item.get("periodes")
        if not isinstance(periods, _Seq) or not periods:
            r.err(item.lines.get("periodes", item.line), where,
                  "champ « periodes » : attendu une liste de périodes (du, au, valeur, source), "
                  f"trouvé {_type_name(periods)}")
            rates[ident] = rate
            continue
        for j, p in enumerate(periods):
            pwhere = f"{where}période n° {j + 1}, "
            if not isinstance(p, _Map):
                r.err(periods.lines[j], pwhere, f"attendu des champs du, au, valeur, source, trouvé {_type_name(p)}")
                continue
            for key in p:
                if key not in _CHAMPS_PERIODE:
                    r.err(p.lines[key], pwhere, f"champ inconnu « {key} »{_suggest(key, _CHAMPS_PERIODE)} ; "
                          f"champs possibles : {', '.join(sorted(_CHAMPS_PERIODE))}")
            du, au = r.jour(p, "du", pwhere), r.jour(p, "au", pwhere)
            value, source = r.nombre(p, "valeur", pwhere), r.texte(p, "source", pwhere)
            lien = r.texte(p, "lien", pwhere, required=False)
            if None in (du, au, value, source):
                continue
            if au < du:
                r.err(p.lines["au"], pwhere, f"la période finit ({au.isoformat()}) avant de commencer ({du.isoformat()})")
                continue
            if not 0 <= value <= 100:
                r.err(p.lines["valeur"], pwhere, f"champ « valeur » : attendu un pourcentage entre 0 et 100, trouvé {value}")
                continue
            if rate.periodes and du <= rate.periodes[-1].au:
                r.err(p.lines["du"], pwhere, f"la période commence le {date_fr(du)}, avant la fin de la précédente "
                      f"({date_fr(rate.periodes[-1].au)}) : écrivez les périodes dans l’ordre, sans chevauchement")
                continue
            rate.periodes.append(Periode(du, au, value, source, lien))
        rates[ident] = rate
    # Derived rates: their base must be a base rate of the file.
    for rate in rates.values():
        if rate.base is None:
            continue
        base = rates.get(rate.base) if isinstance(rate.base, str) else None
        where = f"taux « {rate.id} », "
        if base is None or base.base is not None:
            r.err(rate.ligne_base, where, f"champ « base » : taux de base inconnu « {rate.base} »"
                  f"{_suggest(str(rate.base), [i for i, t in rates.items() if t.base is None])} ; attendu l’id d’un "
                  "taux du fichier qui a ses propres périodes")
            continue
        rate.ou_verifier, rate.lien_verifier = base.ou_verifier, base.lien_verifier
        rate.periodes = [Periode(p.du, p.au, round(p.valeur * rate.fois + rate.plus, 4), p.source, p.lien)
                         for p in base.periodes]
    if r.errors:
        raise TauxError(r.errors)
    for rate in rates.values():
        if not rate.periodes:
            raise TauxError([f"{chemin}:{rate.ligne}: taux « {rate.id} » : aucune période valide"])
    return Table(chemin, date, rates)


_cache: dict = {}


def charger(path: Path, date: _dt.date, chemin: str | None = None, avertir: bool = True) -> Table:
    """Read the rates file (cached by its content and the date) and, the first time, warn if a rate is stale."""
    path = Path(path)
    label = chemin or path.as_posix()
    try:
        st = path.stat()  # every page asks: the file is read again only when it changed
        quick = (label, str(path.resolve()), st.st_mtime_ns, st.st_size, date)
        if quick in _cache:
            return _cache[quick]
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TauxError([f"{label}:1: fichier des taux introuvable : attendu le fichier des taux du cours "
                         f"(voir le guide des auteurs, « Les taux »)"]) from None
    except UnicodeDecodeError as exc:
        raise TauxError([f"{label}:1: fichier illisible : attendu un texte encodé en UTF-8 ({exc.reason})"]) from None
    key = (label, text, date)
    if key not in _cache:
        table = lire(text, label, date)
        _cache[key] = table
        if avertir:
            message = message_a_verifier(table)
            if message:
                print(message, file=sys.stderr, flush=True)
    _cache[quick] = _cache[key]
    return _cache[key]


def message_a_verifier(table: Table) -> str | None:
    """The build's warning when the build date is after the last period of a rate (None if all are current)."""
    stale = table.perimes()
    if not stale:
        return None
    lines = [f"ATTENTION (taux) : {table.chemin} n’a pas de taux pour le {date_fr(table.date)}, date de construction du site."]
    for v in stale:
        when = (f"dernier taux connu {fr_number(v.valeur)} % ({v.periode.libelle}, jusqu’au {date_fr(v.periode.au)})"
                if v.periode.au < table.date else
                f"premier taux connu {fr_number(v.valeur)} % ({v.periode.libelle}, à partir du {date_fr(v.periode.du)})")
        lines.append(f"  - {v.taux.nom} : {when} ; à vérifier : {v.taux.ou_verifier} ({v.taux.lien_verifier})")
    lines.append("  Les pages affichent ces taux avec la mention « à vérifier ». Ajoutez la période qui couvre "
                 f"cette date, avec sa source officielle, dans {table.chemin} (guide des auteurs, « Les taux »).")
    return "\n".join(lines)


# --------------------------------------------------------------------------- directives in pages and exercises


def arguments_penalites(args: str) -> tuple[dict, list[str]]:
    """`montant=3600 jours=45 taux=penalites-defaut` -> values, problems (French)."""
    values, problems = {}, []
    for part in args.split():
        name, sep, value = part.partition("=")
        if not sep or name not in ("montant", "jours", "taux"):
            problems.append(f"argument « {part} » inconnu ; attendu montant=…, jours=… et taux=…")
            continue
        if name == "taux":
            values[name] = value
            continue
        try:
            values[name] = float(value.replace(",", "."))
        except ValueError:
            problems.append(f"argument « {name} » : attendu un nombre, trouvé « {value} »")
    for name in ("montant", "jours", "taux"):
        if name not in values and not any(p.startswith(f"argument « {name} »") for p in problems):
            problems.append(f"argument « {name}=… » manquant")
    return values, problems


def probleme_directive(table: Table, match: re.Match) -> str | None:
    """What is wrong with one `{{ taux … }}` or `{{ penalites … }}` directive (None if it is right)."""
    if match.re is DIRECTIVE_TAUX:
        ident, forme = match.group("id"), match.group("forme")
        if ident not in table:
            return (f"directive « {match.group(0)} » : taux inconnu « {ident} »{table.suggestion(ident)} ; "
                    f"taux connus : {table.noms()}")
        if forme is not None and forme not in FORMES:
            return (f"directive « {match.group(0)} » : forme inconnue « {forme} »{_suggest(forme, FORMES)} ; "
                    f"attendu rien ou l’une de : {', '.join(FORMES)}")
        return None
    values, problems = arguments_penalites(match.group("args"))
    if "taux" in values and values["taux"] not in table:
        problems.append(f"taux inconnu « {values['taux']} »{table.suggestion(values['taux'])} ; "
                        f"taux connus : {table.noms()}")
    return f"directive « {match.group(0)} » : {' ; '.join(problems)}" if problems else None


_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def _lignes_hors_code(text: str):
    """(number, line) of a Markdown or YAML text, fenced code blocks left out and code spans blanked."""
    from site_build.typographie import lignes_hors_blocs_de_code

    for number, line in lignes_hors_blocs_de_code(text.splitlines()):
        yield number, _CODE_SPAN.sub(lambda s: " " * len(s.group(0)), line)


def verifier_sources(table: Table, root: Path, dossiers=DOSSIERS_PAR_DEFAUT) -> list[str]:
    """`file:line: …` for each wrong rate directive in the pages and exercises under `dossiers`."""
    problems = []
    for dossier in dossiers:
        base = Path(root) / dossier
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.suffix in (".md", ".yml", ".yaml") and p.is_file()):
            rel = path.relative_to(root).as_posix()
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # the page or exercise checks name unreadable files
            if "{{" not in text:
                continue
            for number, line in _lignes_hors_code(text):
                for pattern in (DIRECTIVE_TAUX, DIRECTIVE_PENALITES):
                    for match in pattern.finditer(line):
                        problem = probleme_directive(table, match)
                        if problem:
                            problems.append(f"{rel}:{number}: {problem}")
    return problems


def penalites(table: Table, montant: float, jours: float, ident: str) -> float:
    """The course's formula, rounded to the cent: montant × taux annuel × jours ÷ 365."""
    return round(montant * table.valeur(ident).valeur / 100 * jours / 365 + 1e-9, 2)


__all__ = ["TauxError", "Table", "Taux", "Periode", "Valeur", "charger", "lire", "date_de_construction",
           "libelle_periode", "date_fr", "message_a_verifier", "verifier_sources", "penalites",
           "DIRECTIVE_TAUX", "DIRECTIVE_PENALITES", "DIRECTIVE_TABLEAU", "VARIABLE_DATE", "FICHIER_PAR_DEFAUT"]
