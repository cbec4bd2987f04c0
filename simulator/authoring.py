"""Reading what instructors write (YAML) and telling them, in French, what is wrong.

One error system for exercises, call scenarios and objections:

    exercises/appels/x.yml:12: scénario « x », champ « persona.irritation » : attendu un nombre
    entre 0 et 1, trouvé un texte (« élevée »)

- `read_yaml(path, label)` reads a file into `Mapping` / `Sequence` values that remember the
  line of every key and item (1-based), or raises `AuthoringError` with the YAML problem
  explained in French (indentation, colons, quotes, tabs, duplicate keys).
- `Problems` collects `file:line: kind « id », champ « path » : message` lines; list items are
  counted from 1 in field paths (`examples[1].lines[2]`).
- `type_name` says in French what was found; `suggest` proposes the closest known word.

PyYAML is imported only to read files (CPython): in the browser the simulator receives
validated JSON, where values are plain dicts and lists without lines.
"""

from __future__ import annotations

import datetime as _dt

__all__ = ["AuthoringError", "Mapping", "Sequence", "Problems", "Checker", "read_yaml", "parse_yaml",
           "text_expected",
           "line_loaders", "type_name", "suggest", "plain", "line_of", "index"]


class AuthoringError(ValueError):
    """One or more problems in authored files; str() lists them, one per line."""

    def __init__(self, errors: list[str] | str, source: str | None = None):
        if isinstance(errors, str):
            errors = [errors]
        self.errors = list(errors)
        self.source = source
        super().__init__("\n".join(self.errors))


class Mapping(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict = {}


class Sequence(list):
    """A YAML sequence that remembers its line and the line of each item (1-based)."""

    line = 0

    def __init__(self, *args):
        super().__init__(*args)
        self.lines: list[int] = []


def line_of(container, key=None, default: int = 0) -> int:
    """Line of `key` in `container` (a Mapping key or a Sequence index), else the container's."""
    if key is not None:
        if isinstance(container, Mapping) and key in container.lines:
            return container.lines[key]
        if isinstance(container, Sequence) and isinstance(key, int) and 0 <= key < len(container.lines):
            return container.lines[key]
    return getattr(container, "line", 0) or default


def type_name(value) -> str:
    """What a value is, in French, for "attendu …, trouvé …"."""
    if value is None:
        return "une valeur vide"
    if isinstance(value, bool):
        return f"un booléen ({'true' if value else 'false'})"
    if isinstance(value, int):
        return f"un nombre entier ({value})"
    if isinstance(value, float):
        return f"un nombre ({value:g})"
    if isinstance(value, str):
        return f"un texte (« {value[:40]}{'…' if len(value) > 40 else ''} »)"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un bloc de champs"
    if isinstance(value, _dt.date):
        return "une date"
    return type(value).__name__


#: French words authors naturally write for the (English) names of scenario fields.
FRENCH_NAMES = {
    "titre": "title", "niveau": "level", "ordre": "order", "duree": "duration", "date": "today",
    "appelant": "caller", "facture": "invoice", "client": "persona", "debiteur": "persona",
    "assistante": "gatekeeper", "assistant": "gatekeeper", "standard": "gatekeeper",
    "etat": "state", "mouvements": "moves", "criteres": "criteria", "conseils": "hints",
    "indices": "hints", "repliques": "replies", "reponses": "replies", "exemples": "examples",
    "nom": "name", "entreprise": "company", "societe": "company", "role": "role",
    "montant": "amount", "numero": "number", "emise": "issued", "echeance": "due",
    "objectifs": "objectives", "poids": "weights", "promesse": "promise", "rappel": "callback",
    "cheque": "cheque", "echeancier": "instalments", "methode": "method", "moyen": "method",
    "tresorerie": "cash_available", "bonne_foi": "good_faith", "agacement": "irritation",
    "excuses": "objections", "libelle": "label", "declencheurs": "triggers", "quand": "when",
    "texte": "text", "conditions": "terms", "montant_du": "amount_due",
}


def _fold(word: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", str(word).lower()) if not unicodedata.combining(c))


def text_expected(value, what: str = "un texte") -> str:
    """'attendu un texte, trouvé …', explaining the usual cause of a text read as a block:
    a colon followed by a space (« Karim : je vous écoute »)."""
    if isinstance(value, dict) and len(value) == 1:
        return (f"attendu {what} entre guillemets : un « : » suivi d’une espace en fait un bloc de champs "
                "(mettez tout le texte entre guillemets doubles)")
    return f"attendu {what}, trouvé {type_name(value)}"


def suggest(word, choices) -> str:
    """' (vouliez-vous dire « x » ?)' for the closest known word, or ''."""
    names = sorted(str(c) for c in choices)
    folded = _fold(word)
    alias = FRENCH_NAMES.get(folded)
    if alias in names:
        return f" (vouliez-vous dire « {alias} » ?)"
    import difflib  # here, not at the top: 23 ms of the browser engine's cold start, for authors' errors only

    close = difflib.get_close_matches(str(word), names, n=1) or difflib.get_close_matches(folded, names, n=1)
    return f" (vouliez-vous dire « {close[0]} » ?)" if close else ""


def plain(value):
    """Mapping/Sequence (and dates) -> plain JSON-able Python values."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


class Problems:
    """Collects French problem lines for one file and one authored object."""

    def __init__(self, path: str | None, kind: str | None = None, ident: str | None = None,
                 context: str = ""):
        self.path = path
        self.kind = kind          # "exercice", "scénario", "objection"
        self.ident = ident
        self.context = context    # e.g. " (dans le scénario « x »)", added after each message
        self.errors: list[str] = []

    def where(self, line: int = 0) -> str:
        if not self.path:
            return ""
        return f"{self.path}:{line}: " if line else f"{self.path}: "

    def error(self, line: int, field: str | None, message: str) -> None:
        who = f"{self.kind} « {self.ident} », " if self.kind and self.ident else ""
        what = f"champ « {field} » : " if field else ""
        self.errors.append(f"{self.where(line)}{who}{what}{message}{self.context}")

    def plain_error(self, line: int, message: str) -> None:
        """A problem that concerns no single field (the file, the YAML syntax)."""
        self.errors.append(f"{self.where(line)}{message}")

    def __bool__(self) -> bool:
        return bool(self.errors)


# --------------------------------------------------------------------------- YAML with lines

_LOADERS = None


def line_loaders():
    """(pure-Python loader, libyaml loader) building Mapping/Sequence with lines."""
    global _LOADERS
    if _LOADERS is not None:
        return _LOADERS
    import yaml

    class DuplicateKey(yaml.MarkedYAMLError):
        pass

    class Loader(yaml.SafeLoader):
        pass

    # libyaml's parser when PyYAML has it (its wheels do): the same values and line marks
    # on the course's files (a unit test compares them), several times faster.
    class FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass

    def construct_map(loader, node):
        loader.flatten_mapping(node)
        result = Mapping()
        result.line = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise DuplicateKey(None, None, "clé invalide : attendu un nom de champ", key_node.start_mark)
            if key in result:
                raise DuplicateKey(None, None, f"champ « {key} » écrit deux fois dans le même bloc",
                                   key_node.start_mark)
            result[key] = loader.construct_object(value_node, deep=True)
            result.lines[key] = key_node.start_mark.line + 1
        return result

    def construct_seq(loader, node):
        result = Sequence()
        result.line = node.start_mark.line + 1
        for item in node.value:
            result.append(loader.construct_object(item, deep=True))
            result.lines.append(item.start_mark.line + 1)
        return result

    for loader in (Loader, FastLoader):
        loader.add_constructor("tag:yaml.org,2002:map", construct_map)
        loader.add_constructor("tag:yaml.org,2002:seq", construct_seq)
    _LOADERS = (Loader, FastLoader, DuplicateKey)
    return _LOADERS


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


#: PyYAML's problems, explained in French.
YAML_PROBLEMS = {
    "mapping values are not allowed here":
        "un deux-points suivi d’une espace se trouve dans un texte (mettez ce texte entre guillemets) "
        "ou l’indentation est décalée",
    "could not find expected ':'": "un deux-points manque après le nom d’un champ",
    "found character '\\t' that cannot start any token": "une tabulation est utilisée : indentez avec des espaces",
    "expected <block end>, but found '<block sequence start>'":
        "un tiret « - » n’est pas aligné avec les autres éléments de la liste",
    "expected <block end>, but found '<block mapping start>'":
        "un champ est plus ou moins indenté que ses voisins : alignez les champs d’un même bloc",
    "expected <block end>, but found '<scalar>'":
        "une ligne est plus ou moins indentée que ses voisines : alignez les champs d’un même bloc",
    "found unexpected end of stream": "un guillemet ouvert n’est jamais refermé",
    "found undefined alias": "un astérisque « * » en début de texte : mettez ce texte entre guillemets",
    "expected alphabetic or numeric character, but found ' '":
        "un « * » ou un « & » en début de texte : mettez ce texte entre guillemets",
    "found unknown escape character": "un « \\ » dans un texte entre guillemets doubles : "
                                      "doublez-le (« \\\\ ») ou utilisez des guillemets simples",
}


_YAML_PATTERNS = (
    (r"expected ',' or '\]'", "un crochet « ] » manque pour refermer une liste écrite entre crochets"),
    (r"expected ',' or '\}'", "une accolade « } » manque pour refermer un bloc écrit entre accolades"),
    (r"found unexpected ':'", "un deux-points inattendu : mettez ce texte entre guillemets"),
    (r"did not find expected key", "un champ n’est pas aligné avec ses voisins : vérifiez l’indentation"),
    (r"did not find expected '-' indicator", "un élément de liste n’est pas aligné avec les autres "
                                             "(chaque élément commence par « - » au même niveau)"),
    (r"found a tab character", "une tabulation est utilisée : indentez avec des espaces"),
    (r"found character '(.)' that cannot start any token",
     "un caractère spécial en début de texte : mettez ce texte entre guillemets"),
    (r"expected a single document", "le fichier contient plusieurs documents (« --- ») : gardez-en un seul"),
    (r"expected <block end>, but found '[?\-]'", "cette ligne n’est pas alignée sur celles de son bloc, ou son "
                                                "texte commence par un caractère réservé (« ? », « - ») : "
                                                "alignez-la sur ses voisines et mettez le texte entre guillemets"),
    (r"expected <block end>, but found", "cette ligne n’est pas alignée sur celles de son bloc (deux espaces "
                                         "par niveau, les éléments d’une liste au même niveau)"),
    (r"found unexpected end of stream", "un guillemet ouvert n’est jamais refermé"),
    (r"while scanning a quoted scalar", "un guillemet ouvert n’est jamais refermé"),
)


def _yaml_problem(problem: str | None) -> str:
    """PyYAML's problem, in French; an unknown one is kept, marked as a technical detail."""
    import re

    if not problem:
        return "erreur de structure"
    if problem in YAML_PROBLEMS:
        return YAML_PROBLEMS[problem]
    for pattern, french in _YAML_PATTERNS:
        if re.search(pattern, problem):
            return french
    return f"structure incorrecte (détail technique : {problem})"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _open_quote(line: str) -> bool:
    """Does this line leave a quoted text open (an odd number of quotes of its kind)?"""
    import re

    body = line.strip()
    if body.startswith("- "):
        body = body[2:].lstrip()
    m = re.match(r"^[\w.-]+:\s+", body)
    if m:
        body = body[m.end():]
    if body.startswith('"'):
        return body.count('"') % 2 == 1 or not body.rstrip().endswith('"')
    if body.startswith("'"):
        return body.replace("''", "").count("'") % 2 == 1 or not body.rstrip().endswith("'")
    return False


def _look_at_the_lines(problem: str | None, lines: list, line: int):
    """The usual mistakes behind PyYAML's words, found by reading the lines themselves:
    (line, French explanation), or None."""
    import re

    here = lines[line - 1] if 0 < line <= len(lines) else ""
    before = [(i + 1, lines[i]) for i in range(line - 2, -1, -1)
              if lines[i].strip() and not lines[i].lstrip().startswith("#")]
    prev_no, prev = before[0] if before else (0, "")
    # A quoted text left open on an earlier line: the parser stops only further down.
    for number, text in before[:2]:
        if _open_quote(text):
            if text.strip().lstrip("- ").split(":", 1)[-1].strip().startswith("'"):
                return number, ("une apostrophe ferme le texte écrit entre apostrophes (' ') : écrivez ce "
                                "texte entre guillemets doubles (\" \")")
            return number, "un guillemet ouvert n’est pas refermé sur cette ligne"
    if _open_quote(here) and here.strip().lstrip("- ").split(":", 1)[-1].strip().startswith("'"):
        return line, ("une apostrophe ferme le texte écrit entre apostrophes (' ') : écrivez ce texte "
                      "entre guillemets doubles (\" \")")
    if problem == "mapping values are not allowed here":
        value = here.split(": ", 1)[1] if ": " in here else here
        if re.search(r"\S\s+:\s", value) or re.search(r"\S\s+:\s", here.lstrip("- ")):
            return line, ("ce texte contient « : » (deux-points précédé d’une espace, à la française) : "
                          "mettez tout le texte entre guillemets doubles")
        if prev and _indent(here) > _indent(prev) and not prev.rstrip().endswith(":"):
            return line, (f"cette ligne est plus décalée que la ligne {prev_no} : alignez-la sur ses voisines "
                          "(deux espaces par niveau)")
    return None


#: Where PyYAML was when it stopped, in French ("" when it says nothing useful).
YAML_CONTEXTS = {
    "while scanning for the next token": "",
    "while parsing a block mapping": " (dans un bloc de champs)",
    "while parsing a block collection": " (dans une liste)",
    "while scanning a quoted scalar": " (dans un texte entre guillemets)",
    "while scanning a simple key": "",
    "while parsing a flow sequence": " (dans une liste entre crochets)",
    "while parsing a flow mapping": " (dans un bloc entre accolades)",
    "while scanning a block scalar": " (dans un texte sur plusieurs lignes)",
}


def read_yaml(path, label: str | None = None):
    """Read one authored YAML file into Mapping/Sequence values with lines.

    Raises AuthoringError with `label:line: …` in French for an unreadable file, invalid
    YAML (the problem explained), a key written twice in a block, or an empty file
    (returns None for an empty file: the caller says what was expected).
    """
    from pathlib import Path

    import yaml

    label = label or str(path)
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AuthoringError(f"{label}: fichier introuvable", label) from None
    except UnicodeDecodeError as exc:
        raise AuthoringError(f"{label}:1: fichier illisible : attendu un texte encodé en UTF-8 "
                             f"({exc.reason})", label) from None
    except OSError as exc:
        raise AuthoringError(f"{label}: fichier illisible ({exc.strerror or exc})", label) from None
    loader, fast_loader, duplicate = line_loaders()
    try:
        return parse_yaml(text, loader, fast_loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = _yaml_problem(exc.problem)
        found = _look_at_the_lines(exc.problem, text.splitlines(), line)
        if found:
            line, problem = found
            raise AuthoringError(f"{label}:{line}: YAML invalide : {problem}", label) from None
        if isinstance(exc, duplicate):        # our own words: "champ « x » écrit deux fois…"
            raise AuthoringError(f"{label}:{line}: {exc.problem}", label) from None
        context = YAML_CONTEXTS.get(exc.context, "") if exc.context else ""
        raise AuthoringError(f"{label}:{line}: YAML invalide : {problem}{context} ; vérifiez "
                             "l’indentation, les deux-points et les guillemets", label) from None
    except yaml.YAMLError as exc:
        raise AuthoringError(f"{label}:1: YAML invalide : {exc}", label) from None


# --------------------------------------------------------------------------- field checks

_HTML = None


def _has_html(text: str) -> bool:
    global _HTML
    if _HTML is None:
        import re

        _HTML = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
    return bool(_HTML.search(text))


def index(i: int) -> str:
    """List items are counted from 1 for authors: `examples[1]`."""
    return f"[{i + 1}]"


class Checker:
    """Typed field checks that report French problems with lines; each returns a clean value
    (or the default after reporting). `where(path, key)` builds field paths."""

    def __init__(self, problems: Problems):
        self.p = problems

    @staticmethod
    def where(path: str, key) -> str:
        if isinstance(key, int):
            return f"{path}{index(key)}"
        return f"{path}.{key}" if path else str(key)

    def err(self, container, key, path: str, message: str) -> None:
        field = self.where(path, key) if key is not None else path
        self.p.error(line_of(container, key), field, message)

    def mapping(self, data, path: str, container=None, key=None, required=True,
                what: str = "un bloc de champs"):
        if data is None:
            if required:
                line = line_of(container, key) if container is not None else 0
                if container is not None and key in (container or {}):
                    self.p.error(line, path, f"bloc vide : ses champs doivent être indentés sous « {key}: » "
                                             "(deux espaces de plus que lui)")
                else:
                    self.p.error(line, path, f"champ obligatoire manquant : attendu {what}")
            return None
        if not isinstance(data, dict):
            line = line_of(container, key) if container is not None else line_of(data)
            self.p.error(line, path, f"attendu {what} (des lignes « nom: valeur » indentées dessous), "
                                     f"trouvé {type_name(data)}")
            return None
        return data

    def known_keys(self, data: dict, path: str, allowed, elsewhere: dict | None = None,
                   hidden=()) -> None:
        """Unknown keys, with the closest known one; a key that belongs to another block is
        explained as an indentation mistake. `hidden` keys are accepted but not suggested."""
        for key in data:
            if key in allowed or key in hidden:
                continue
            field = self.where(path, key)
            home = next((block for block, keys in (elsewhere or {}).items() if key in keys), None)
            if home:
                message = (f"champ inconnu ici : il appartient au bloc « {home} » ; vérifiez son "
                           "indentation (les champs d’un bloc sont décalés sous son nom)")
            else:
                message = (f"champ inconnu{suggest(key, allowed)} ; champs possibles : "
                           + ", ".join(allowed))
            self.p.error(line_of(data, key), field, message)

    def present(self, data, key) -> bool:
        return isinstance(data, dict) and data.get(key) is not None

    def text(self, data, key, path, required=True, one_line=False, default=None):
        field = self.where(path, key)
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.p.error(line_of(data), field, "champ obligatoire manquant : attendu un texte")
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            self.err(data, key, path, text_expected(value, "un texte non vide"))
            return default
        if one_line and "\n" in value.strip():
            self.err(data, key, path, "attendu un texte sur une seule ligne")
        if _has_html(value):
            self.err(data, key, path, "attendu un texte sans balise HTML (< >)")
        return " ".join(value.split()) if one_line else value.rstrip()

    def number(self, data, key, path, lo=None, hi=None, required=True, default=None,
               integer=False, strict_lo=False):
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            if required:
                kind = "un nombre entier" if integer else "un nombre"
                self.p.error(line_of(data), self.where(path, key), f"champ obligatoire manquant : attendu {kind}")
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
            kind = "un nombre entier" if integer else "un nombre"
            if lo is not None and hi is not None:
                expectation = f"attendu {kind} entre {lo:g} et {hi:g}"
            elif lo is not None:
                expectation = f"attendu {kind} {'supérieur à' if strict_lo else 'au moins égal à'} {lo:g}"
            else:
                expectation = f"attendu {kind}"
            if isinstance(value, str):
                expectation += " (sans guillemets ; les décimales s’écrivent avec un point)"
            self.err(data, key, path, f"{expectation}, trouvé {type_name(value)}")
            return default
        return int(value) if integer else float(value)

    def boolean(self, data, key, path, default=None, required=False):
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.p.error(line_of(data), self.where(path, key),
                             "champ obligatoire manquant : attendu true ou false")
            return default
        if not isinstance(value, bool):
            self.err(data, key, path, f"attendu true ou false, trouvé {type_name(value)}")
            return default
        return value

    def choice(self, data, key, path, options, required=True, default=None):
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.p.error(line_of(data), self.where(path, key),
                             "champ obligatoire manquant : attendu une valeur parmi " + ", ".join(options))
            return default
        if value not in options:
            self.err(data, key, path, f"attendu une valeur parmi {', '.join(options)}"
                     f"{suggest(value, options)}, trouvé {type_name(value)}")
            return default
        return value

    def date(self, data, key, path, required=True):
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.p.error(line_of(data), self.where(path, key),
                             "champ obligatoire manquant : attendu une date \"AAAA-MM-JJ\"")
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
        self.err(data, key, path, f"attendu une date \"AAAA-MM-JJ\" (par exemple \"2026-11-26\"), "
                                  f"trouvé {type_name(value)}")
        return None

    def time(self, data, key, path, required=False):
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.p.error(line_of(data), self.where(path, key),
                             "champ obligatoire manquant : attendu une heure \"HH:MM\" entre guillemets")
            return None
        if isinstance(value, str):
            import re

            if re.fullmatch(r"([01]\d|2[0-3]):([0-5]\d)", value.strip()):
                return value.strip()
        self.err(data, key, path, "attendu une heure \"HH:MM\" entre guillemets (par exemple \"14:30\"), "
                                  f"trouvé {type_name(value)}")
        return None

    def seq(self, data, key, path, required=True, minimum=0, what="éléments"):
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.p.error(line_of(data), self.where(path, key),
                             f"champ obligatoire manquant : attendu une liste d’au moins {max(minimum, 1)} {what}")
            return None
        if not isinstance(value, list):
            self.err(data, key, path, f"attendu une liste de {what} (une ligne par élément, "
                                      f"commençant par « - »), trouvé {type_name(value)}")
            return None
        if len(value) < minimum:
            self.err(data, key, path, f"attendu au moins {minimum} {what}, trouvé {len(value)}")
            return None
        return value
