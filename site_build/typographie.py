"""French typography of the course's texts: pages (Markdown) and exercises (YAML).

`verifier(path, text)` returns the problems of one file, each `file:line: …` in
French; `verifier_dossiers(root)` checks every file of DOSSIERS_VERIFIES; a unit
test runs it over the whole course. `corriger(path, text)` fixes what a machine
can fix safely (spaces and apostrophes); the rest asks for a word to be chosen.

Rules (the guide des auteurs explains them):

1. a non-breaking space (U+00A0, or the narrow U+202F) before « ; : ! ? »;
2. non-breaking spaces inside « guillemets »;
3. the typographic apostrophe ’, never the straight ' in prose;
4. « courriel », not « mail » / « e-mail » / « email », in course text;
5. no thousands space in a cheque number (« chèque n° 4571203 »);
6. agreement after 1: « 1 facture », not « 1 factures » (calcul exercises are
   checked once per variant, with their values filled in).

Never checked: code (fenced blocks, `code spans`), URLs, HTML tags, attribute
lists `{ #id }`, Markdown syntax markers, a page's front matter, YAML keys, and
the YAML values that are not prose (CLES_HORS_TEXTE: ids, formulas, the words a
writing exercise looks for in the learner's text…).

Command line (instructors): `python -m site_build.typographie [--corriger] [PATH …]`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

#: The folders (or files) whose every .md and .yml file is checked, relative to the project root.
#: Call scenarios (exercises/appels, exercises/objections) are to be added here once fixed.
DOSSIERS_VERIFIES = ("docs", "exercises/quiz", "exercises/taux.yml", "exercises/appels", "exercises/objections")

#: YAML keys whose values are not prose: identifiers, formulas, the words a writing rule looks
#: for in the learner's own text (which may well have a straight apostrophe), dates, rate ids.
CLES_HORS_TEXTE = frozenset({"id", "type", "formule", "regle", "attendu", "un_parmi", "tous", "date_du_jour",
                             "taux", "base", "lien", "lien_verifier", "du", "au"})

#: Blocks of a call scenario or an objection that are the learner's typing, not the course's
#: prose: example conversations (`lines`) and the trigger phrases of a move (`moves`), which
#: match what learners type, straight apostrophes and all.
SOUS_ARBRES_HORS_TEXTE = frozenset({"lines", "moves"})

NBSP, NNBSP = "\u00a0", "\u202f"
_INSECABLES = NBSP + NNBSP
_LETTRE = "A-Za-zÀ-ÖØ-öø-ÿŒœ"
#: Words ending in s or x that are singular too: « 1 mois », « 1 fois ».
INVARIABLES = frozenset({"mois", "fois", "cas", "prix", "taux", "avis", "temps", "choix", "poids", "pas", "dos",
                         "corps", "bois", "repas", "tiers", "mas", "jus", "cours", "discours", "recours", "concours",
                         "secours", "os", "bus", "héros", "palmarès", "succès", "accès",
                         "procès", "progrès", "excès", "abcès", "relais", "frais", "paix", "voix", "croix", "noix",
                         "faux", "flux", "reflux", "lux", "houx", "bas", "gros", "clos"})


@dataclass(frozen=True)
class Probleme:
    chemin: str
    ligne: int
    regle: str
    message: str

    def __str__(self) -> str:
        return f"{self.chemin}:{self.ligne}: {self.message}"


# --------------------------------------------------------------------------- masking what is not prose


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


_MASQUES = [
    re.compile(r"(`+)(?:(?!\1).)+?\1"),                         # code spans
    re.compile(r"<https?://[^>]*>|https?://[^\s)\]>»]+|www\.[^\s)\]>»]+"),  # URLs
    re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"),             # link targets ](…)
    re.compile(r"<!--.*?-->|</?[a-zA-Z][^>]*>"),                 # HTML tags and comments
    re.compile(r"\{\{[^{}]*\}\}"),                               # directives {{ … }}
    re.compile(r"\{[:#.][^{}]*\}|\{ *[#.][^{}]*\}"),            # attribute lists { #id .class }
    re.compile(r"\{[a-z_][a-z0-9_]*\}"),                         # calcul placeholders {montant}
    re.compile(r":[a-z0-9_+-]+:"),                               # emoji shortcodes :material-x:
]
_LIGNE_MASQUEE = [
    re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*[a-z-]+"),              # admonition markers (title kept)
    re.compile(r"^\s*\*\[[^\]]*\]:"),                            # abbreviation definitions
    re.compile(r"^\s*\[[^\]]+\]:\s*\S+.*$"),                      # link reference definitions
    re.compile(r"^\s*:(?=\s)"),                                  # definition list markers
]
_TABLE_SEPARATEUR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def masquer(line: str) -> str:
    """The line with everything that is not prose blanked out (same length: columns stay right)."""
    if _TABLE_SEPARATEUR.match(line):
        return " " * len(line)
    for pattern in _LIGNE_MASQUEE:
        line = pattern.sub(_blank, line)
    for pattern in _MASQUES:
        line = pattern.sub(_blank, line)
    return line


# --------------------------------------------------------------------------- the rules, on one line of prose

_AVANT_PONCTUATION = re.compile(rf"(?P<avant>[^{_INSECABLES}\s])?(?P<espace>[ \t]*)(?P<signe>[;:!?])")
_GUILLEMET_OUVRANT = re.compile(rf"«(?![{_INSECABLES}])")
_GUILLEMET_FERMANT = re.compile(rf"(?<![{_INSECABLES}])»")
_APOSTROPHE = re.compile(rf"(?<=[{_LETTRE}])'(?=[{_LETTRE}])")
_MAIL = re.compile(r"(?<![\w@.-])(?:e-?)?mails?(?![\w@-])", re.IGNORECASE)
_CHEQUE = re.compile(rf"\bch[èe]ques?\s+(?:n[°o]\.?\s*)?\d{{1,3}}(?:[ {_INSECABLES}]\d{{3}})+\b", re.IGNORECASE)
_NOMBRE_UNITE = re.compile(r"(?<=\d) (?=(?:€|%|\d{3}(?!\d)))")
_UN_PLURIEL = re.compile(rf"(?<![\d,.{_INSECABLES}])(?<!\d )\b1[ {_INSECABLES}]+(?P<mot>[a-zàâçéèêëîïôûùüÿœ]+[sx])\b")


def _ponctuation(line: str):
    for m in _AVANT_PONCTUATION.finditer(line):
        sign, before, space = m.group("signe"), m.group("avant"), m.group("espace")
        start = m.start("signe")
        after = line[start + 1:start + 2]
        if before is None and not space:
            continue                                  # after a non-breaking space, or at the start
        if before is None and space and not line[:m.start("espace")].strip():
            continue                                  # at the start of the line
        if not space and (before in "!?.…([{/\\*_'\"«|-" or before.isdigit() and after.isdigit()):
            continue                                  # ?!, 14:30, syntax characters
        if not space and sign in ":;" and after and not after.isspace() and after not in "*_)»":
            continue                                  # a colon inside a word or a code-like token
        yield start, sign, bool(space)


def _verifier_ligne(line: str):
    """(rule, column, message) for one line of prose (already masked)."""
    for column, sign, spaced in _ponctuation(line):
        what = "une espace ordinaire" if spaced else "aucune espace"
        yield ("espace-insecable", column,
               f"espace insécable attendue avant « {sign} » (trouvé {what}) ; tapez-la, ou lancez "
               "« python -m site_build.typographie --corriger » sur ce fichier")
    for m in _GUILLEMET_OUVRANT.finditer(line):
        yield ("guillemets", m.start(), "espace insécable attendue après « (guillemet ouvrant)")
    for m in _GUILLEMET_FERMANT.finditer(line):
        yield ("guillemets", m.start(), "espace insécable attendue avant » (guillemet fermant)")
    for m in _APOSTROPHE.finditer(line):
        word = line[max(0, m.start() - 12):m.end() + 12].strip()
        yield ("apostrophe", m.start(), f"apostrophe droite « ' » dans « {word} » : attendu l’apostrophe typographique « ’ »")
    for m in _MAIL.finditer(line):
        yield ("courriel", m.start(), f"« {m.group(0)} » : dans le cours, écrivez « courriel » "
                                      "(ou « adresse électronique »)")
    for m in _CHEQUE.finditer(line):
        yield ("numero-de-cheque", m.start(), f"« {m.group(0)} » : un numéro de chèque s’écrit sans espace "
                                              "entre les chiffres (ce n’est pas un montant)")
    yield from _accord(line)


def _accord(line: str):
    for m in _UN_PLURIEL.finditer(line):
        word = m.group("mot")
        if word.lower() in INVARIABLES:
            continue
        yield ("accord", m.start(), f"« 1 {word} » : après 1, le nom reste au singulier")


# --------------------------------------------------------------------------- Markdown pages


def _lignes_markdown(text: str):
    """(number, masked line) of the prose lines of a page: front matter and fenced code left out."""
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            start = end + 1
    for number, line in lignes_hors_blocs_de_code(lines, start):
        yield number, masquer(line)


def lignes_hors_blocs_de_code(lines: list[str], start: int = 0):
    """(number, line) of the lines from index `start`, fenced code blocks (``` or ~~~) left out."""
    fence = None
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        m = _FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        yield number, line


def _verifier_markdown(chemin: str, text: str) -> list[Probleme]:
    return [Probleme(chemin, number, rule, message)
            for number, line in _lignes_markdown(text)
            for rule, _column, message in _verifier_ligne(line)]


# --------------------------------------------------------------------------- YAML exercises


def _scalaires(node, key=None):
    """(key, scalar node) for every value of a composed YAML document (mapping keys themselves
    excluded, and whole blocks that are not prose: SOUS_ARBRES_HORS_TEXTE)."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value in SOUS_ARBRES_HORS_TEXTE:
                continue
            yield from _scalaires(v, k.value if isinstance(k, yaml.ScalarNode) else key)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalaires(item, key)
    elif isinstance(node, yaml.ScalarNode):
        yield key, node


def _texte_du_scalaire(text: str, node: yaml.ScalarNode) -> tuple[str, int]:
    """The raw source of a scalar (quotes and block indicator blanked) and its first line number."""
    raw = text[node.start_mark.index:node.end_mark.index]
    if node.style in ("'", '"') and len(raw) >= 2:
        raw = " " + raw[1:-1] + " "
        if node.style == "'":
            raw = raw.replace("''", "’ ")  # '' is YAML's escaped quote: one apostrophe, not two
    elif node.style in ("|", ">"):
        raw = re.sub(r"^[|>][0-9+-]*", lambda m: " " * len(m.group(0)), raw)
    return raw, node.start_mark.line + 1


def _verifier_yaml(chemin: str, text: str) -> list[Probleme]:
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []  # the exercise loader reports invalid YAML, with its line
    if document is None:
        return []
    problems = []
    for key, node in _scalaires(document):
        if key in CLES_HORS_TEXTE or node.tag != "tag:yaml.org,2002:str":
            continue
        raw, first = _texte_du_scalaire(text, node)
        for offset, line in enumerate(raw.split("\n")):
            for rule, _column, message in _verifier_ligne(masquer(line)):
                problems.append(Probleme(chemin, first + offset, rule, message))
    problems += _verifier_variantes(chemin, text)
    return sorted(set(problems), key=lambda p: (p.ligne, p.regle, p.message))


def _verifier_variantes(chemin: str, text: str) -> list[Probleme]:
    """« 1 factures » hides in calcul templates: check consigne and solution filled with each variant."""
    from simulator.authoring import line_loaders
    from site_build.exercises import fill

    try:
        data = yaml.load(text, Loader=line_loaders()[0])  # noqa: S506 - a safe loader, with lines
    except yaml.YAMLError:
        return []
    items = data if isinstance(data, list) else [data]
    problems = []
    for item in items:
        if not isinstance(item, dict) or item.get("type") != "calcul" or not isinstance(item.get("variantes"), list):
            continue
        for n, values in enumerate(item["variantes"], start=1):
            if not isinstance(values, dict):
                continue
            for key in ("consigne", "solution"):
                if not isinstance(item.get(key), str):
                    continue
                filled = fill(item[key], values, 0)
                for line in filled.split("\n"):
                    for _rule, _column, message in _accord(masquer(line)):
                        problems.append(Probleme(chemin, item.lines.get(key, item.line), "accord",
                                                 f"variante n° {n}, champ « {key} » : {message}"))
    return problems


# --------------------------------------------------------------------------- files and folders


def verifier(chemin: str, text: str) -> list[Probleme]:
    """The problems of one file, Markdown or YAML according to its name."""
    if chemin.endswith((".yml", ".yaml")):
        return _verifier_yaml(chemin, text)
    return _verifier_markdown(chemin, text)


def fichiers(root: Path, dossiers=DOSSIERS_VERIFIES) -> list[Path]:
    found = []
    for dossier in dossiers:
        base = Path(root) / dossier
        if base.is_file():
            found.append(base)
            continue
        found += sorted(p for p in base.rglob("*") if p.suffix in (".md", ".yml", ".yaml") and p.is_file())
    return found


def verifier_dossiers(root: Path, dossiers=DOSSIERS_VERIFIES) -> list[Probleme]:
    problems = []
    for path in fichiers(root, dossiers):
        problems += verifier(path.relative_to(root).as_posix(), path.read_text(encoding="utf-8"))
    return problems


# --------------------------------------------------------------------------- automatic fixes


_BLANCS = " \t"


def _corriger_prose(line: str, masked: str) -> str:
    """Fix spaces and apostrophes where the masked line shows prose.

    Only whitespace of the line itself is ever replaced: what the mask hides (code, a
    directive, a link target) is never touched, even right before « : » or after « « ».
    """
    edits: list[tuple[int, int, str]] = []          # (start, end, replacement) on `line`
    for column, _sign, spaced in _ponctuation(masked):
        k = column
        while k > 0 and line[k - 1] in _BLANCS:
            k -= 1
        if spaced and k == column:
            continue                                  # the « space » was a masked token: leave it
        edits.append((k, column, NBSP))
    for m in _GUILLEMET_FERMANT.finditer(masked):
        k = m.start()
        while k > 0 and line[k - 1] in _BLANCS:
            k -= 1
        edits.append((k, m.start(), NBSP))
    for m in _GUILLEMET_OUVRANT.finditer(masked):
        k = m.end()
        while k < len(line) and line[k] in _BLANCS:
            k += 1
        edits.append((m.end(), k, NBSP))
    for m in _APOSTROPHE.finditer(masked):
        if line[m.start()] == "'":
            edits.append((m.start(), m.start() + 1, "’"))
    # Not a checked rule, but free: a number never parts from its unit or its thousands.
    for m in _NOMBRE_UNITE.finditer(masked):
        if line[m.start()] == " ":
            edits.append((m.start(), m.end(), NBSP))
    out, last = line, len(line) + 1
    for start, end, text in sorted(set(edits), key=lambda e: (-e[0], -e[1])):
        if end > last:
            continue                                  # overlaps an edit already made
        out = out[:start] + text + out[end:]
        last = start
    return out


def corriger(chemin: str, text: str) -> str:
    """The text with its spaces and apostrophes fixed (words are left to the author)."""
    lines = text.split("\n")
    if chemin.endswith((".yml", ".yaml")):
        try:
            document = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            return text
        prose_lines: dict[int, list[tuple[int, int]]] = {}
        for key, node in _scalaires(document) if document is not None else []:
            if key in CLES_HORS_TEXTE or node.tag != "tag:yaml.org,2002:str" or node.style == "'":
                continue
            s, e = node.start_mark, node.end_mark
            for line_no in range(s.line, e.line + 1):
                a = s.column if line_no == s.line else 0
                b = e.column if line_no == e.line else len(lines[line_no])
                prose_lines.setdefault(line_no, []).append((a, b))
        for line_no, spans in prose_lines.items():
            line = lines[line_no]
            masked = "".join(ch if any(a <= i < b for a, b in spans) else " " for i, ch in enumerate(line))
            masked = masquer(masked)
            fixed = _corriger_prose(line, masked)
            lines[line_no] = fixed
        return "\n".join(lines)
    numbered = dict(_lignes_markdown(text))
    for number, masked in numbered.items():
        lines[number - 1] = _corriger_prose(lines[number - 1], masked)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    fix = "--corriger" in args
    paths = [a for a in args if a != "--corriger"]
    root = Path.cwd()
    targets = [Path(p) for p in paths] or [Path(d) for d in DOSSIERS_VERIFIES]
    files = []
    for target in targets:
        if target.is_dir():
            files += sorted(p for p in target.rglob("*") if p.suffix in (".md", ".yml", ".yaml") and p.is_file())
        elif target.is_file():
            files.append(target)
        else:
            print(f"{target} : fichier ou dossier introuvable", file=sys.stderr)
            return 2
    count = changed = 0
    for path in files:
        rel = path.resolve().relative_to(root).as_posix() if path.resolve().is_relative_to(root) else path.as_posix()
        text = path.read_text(encoding="utf-8")
        if fix:
            fixed = corriger(rel, text)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")
                lines = sum(1 for a, b in zip(text.split("\n"), fixed.split("\n")) if a != b)
                print(f"{rel} : {lines} ligne(s) corrigée(s)")
                changed += 1
                text = fixed
        for problem in verifier(rel, text):
            print(problem)
            count += 1
    if count:
        print(f"{count} problème(s) de typographie" + (" à corriger à la main." if fix else "."), file=sys.stderr)
        return 1
    print(("Corrigé ; plus rien à reprendre." if changed else "Rien à corriger.") if fix
          else f"Typographie : {len(files)} fichier(s) vérifié(s), tout est bon.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
