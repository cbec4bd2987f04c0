"""Python-Markdown extension: the course's rates in pages and exercises, from exercises/taux.yml.

Declared in mkdocs.yml (`markdown_extensions`), so any generator that runs
Python-Markdown renders it (no MkDocs hook involved):

    markdown_extensions:
      - site_build.taux_markdown:
          fichier: exercises/taux.yml

In a page or an exercise text:

- `{{ taux penalites-defaut }}` → « 12,15 % (premier semestre 2026) »; after the
  last period of the file: « 12,15 % (premier semestre 2026, dernier taux connu :
  à vérifier sur … ) » with a link to the official page;
- `{{ taux penalites-defaut valeur }}`, `… periode }}`, `… source }}`: one part only;
- `{{ penalites montant=3600 jours=45 taux=penalites-defaut }}` → « 53,93 € »
  (montant × taux × jours ÷ 365, the course's formula);
- a line `{{ tableau-des-taux }}` → the table of every rate with its period and
  source, and a warning box when the rates are to be checked.

The file is read once per content and date (site_build/taux.py, which also
prints the build's warning); every directive of the pages and exercises is
checked when the extension starts, so an unknown rate name stops the build with
`file:line`. Paths are relative to the directory the generator runs in.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from pathlib import Path

from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from site_build import taux as _taux
from site_build.exercises import fr_number

_verifie: dict = {}


def table_du_cours(fichier: str = _taux.FICHIER_PAR_DEFAUT, date: str = "", racine: str = ".",
                   dossiers=_taux.DOSSIERS_PAR_DEFAUT) -> _taux.Table:
    """The validated rates of the course (cached); raise TauxError with `file:line` lines.

    The first time a version of the rates file is used, every directive of the pages and
    exercises is checked, so that a wrong name stops the build with its file and line before
    any page is written. A directive added later (under `mkdocs serve`) is checked when its
    page is converted (see _echec).
    """
    root = Path(racine)
    day = _taux.date_de_construction(date or None)
    table = _taux.charger(root / fichier, day, chemin=Path(fichier).as_posix())
    key = (str(root.resolve()), tuple(dossiers), id(table))
    if key not in _verifie:
        problems = _taux.verifier_sources(table, root, dossiers)
        if problems:
            raise _taux.TauxError(problems)
        _verifie[key] = (root, tuple(dossiers))
    return table


def _echec(table: _taux.Table, directive: str, problem: str) -> _taux.TauxError:
    """A wrong directive met while converting a page: name its file and line (found in the sources)."""
    for (root_text, dossiers, table_id), (root, _) in list(_verifie.items()):
        if table_id == id(table):
            found = [p for p in _taux.verifier_sources(table, root, dossiers) if directive in p]
            if found:
                return _taux.TauxError(found)
    return _taux.TauxError([problem])


# --------------------------------------------------------------------------- what a page shows


def _texte(element: etree.Element, text: str) -> None:
    """Append text to an element; « 1er » gets its superscript, as in the pages (1<sup>er</sup>)."""
    parts = re.split(r"(?<=\b1)er\b", text)
    for n, part in enumerate(parts):
        if n:
            sup = etree.SubElement(element, "sup")
            sup.text = "er"
            sup.tail = part
        elif len(element):
            element[-1].tail = (element[-1].tail or "") + part
        else:
            element.text = (element.text or "") + part


def _lien(parent, text: str, href: str) -> etree.Element:
    a = etree.SubElement(parent, "a", {"href": href})
    a.text = text
    return a


def element_taux(table: _taux.Table, ident: str, forme: str | None) -> etree.Element:
    """The <span> that stands for `{{ taux ident forme }}`."""
    v = table.valeur(ident)
    forme = forme or "complet"
    span = etree.Element("span", {"class": "rp-taux" + (" rp-taux--a-verifier" if v.a_verifier else ""),
                                  "data-taux": ident})
    if forme == "periode":
        span.text = v.periode.libelle + (", dernier taux connu" if v.a_verifier else "")
        return span
    if forme == "source":
        _texte(span, f"{v.taux.regle} Taux de base\u00a0: {v.periode.source}" if v.taux.base and v.taux.regle
               else v.periode.source)
        return span
    span.text = v.texte
    if forme == "valeur":
        if v.a_verifier:
            span.text += " ("
            _lien(span, "à vérifier", v.taux.lien_verifier).tail = ")"
        return span
    if not v.a_verifier:
        span.text += f" ({v.periode.libelle})"
        return span
    span.text += f" ({v.periode.libelle}, dernier taux connu\u00a0: "
    strong = etree.SubElement(span, "strong")
    strong.text = "à vérifier"
    strong.tail = " sur "
    _lien(span, v.taux.ou_verifier, v.taux.lien_verifier).tail = ")"
    return span


def element_penalites(table: _taux.Table, args: str) -> etree.Element:
    values, problems = _taux.arguments_penalites(args)
    if problems or values["taux"] not in table:  # checked at start-up; a later edit is named here
        directive = f"{{{{ penalites{args} }}}}"
        raise _echec(table, directive, f"directive « {directive} » : {' ; '.join(problems) or 'taux inconnu'}")
    v = table.valeur(values["taux"])
    span = etree.Element("span", {"class": "rp-taux" + (" rp-taux--a-verifier" if v.a_verifier else ""),
                                  "data-taux": values["taux"]})
    span.text = f"{fr_number(_taux.penalites(table, values['montant'], values['jours'], values['taux']), 2)}\u00a0€"
    return span


def element_tableau(table: _taux.Table, parent: etree.Element) -> None:
    """The table of the course's rates, then what to check and where."""
    wrapper = etree.SubElement(parent, "div", {"class": "rp-taux-tableau"})
    grid = etree.SubElement(wrapper, "table")
    head = etree.SubElement(etree.SubElement(grid, "thead"), "tr")
    for title in ("Taux et source", "Valeur", "Période"):
        etree.SubElement(head, "th").text = title
    body = etree.SubElement(grid, "tbody")
    for ident in table.taux:
        v = table.valeur(ident)
        row = etree.SubElement(body, "tr", {"data-taux": ident})
        name = etree.SubElement(row, "td")
        etree.SubElement(name, "strong").text = v.taux.nom
        etree.SubElement(name, "br")
        _texte(etree.SubElement(name, "small"), v.taux.regle if v.taux.base else f"Source\u00a0: {v.periode.source}")
        etree.SubElement(row, "td").text = v.texte
        etree.SubElement(row, "td").text = v.periode.libelle + (" (dernier taux connu)" if v.a_verifier else "")
    stale = [v for v in (table.valeur(i) for i in table.taux) if v.a_verifier and v.taux.base is None]
    bases = [table.taux[i] for i in table.taux if table.taux[i].base is None]
    if stale:
        box = etree.SubElement(wrapper, "div", {"class": "admonition warning rp-taux-alerte", "role": "note"})
        etree.SubElement(box, "p", {"class": "admonition-title"}).text = "Taux à vérifier"
        p = etree.SubElement(box, "p")
        periods = sorted({v.periode.libelle for v in stale})
        _texte(p, f"Ce site a été construit le {_taux.date_fr(table.date)}, en dehors de la période de ces taux "
                  f"({', '.join(periods)})\u00a0: ce sont les derniers taux connus du cours. Vérifiez le taux en vigueur avant "
                  "tout calcul réel\u00a0: ")
    else:
        p = etree.SubElement(wrapper, "p")
        _texte(p, "Ces taux changent le 1er janvier et le 1er juillet. Avant tout calcul réel, vérifiez le taux en "
                  "vigueur\u00a0: ")
    for n, rate in enumerate(bases):
        link = _lien(p, rate.ou_verifier, rate.lien_verifier)
        link.tail = " ; " if n < len(bases) - 1 else "."


# --------------------------------------------------------------------------- Python-Markdown


class _TauxInline(InlineProcessor):
    def __init__(self, pattern: str, md, table: _taux.Table):
        super().__init__(pattern, md)
        self.table = table

    def handleMatch(self, m, data):  # noqa: N802 - Markdown's API
        if m.group("id") is not None:
            problem = _taux.probleme_directive(self.table, _taux.DIRECTIVE_TAUX.match(m.group(0)))
            if problem:  # checked at start-up; a directive added later is named here
                raise _echec(self.table, m.group(0), problem)
            return element_taux(self.table, m.group("id"), m.group("forme")), m.start(0), m.end(0)
        return element_penalites(self.table, m.group("args")), m.start(0), m.end(0)


class _TableauProcessor(BlockProcessor):
    def __init__(self, parser, table: _taux.Table):
        super().__init__(parser)
        self.table = table

    def test(self, parent, block: str) -> bool:
        return any(_taux.DIRECTIVE_TABLEAU.match(line) for line in block.split("\n"))

    def run(self, parent, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n")
        at = next(i for i, line in enumerate(lines) if _taux.DIRECTIVE_TABLEAU.match(line))
        before, after = "\n".join(lines[:at]), "\n".join(lines[at + 1:])
        if before.strip():
            self.parser.parseBlocks(parent, [before])
        element_tableau(self.table, parent)
        if after.strip():
            blocks.insert(0, after)


_INLINE = (r"\{\{[ \t]*(?:taux[ \t]+(?P<id>[^\s{}]+)(?:[ \t]+(?P<forme>[^\s{}]+))?"
           r"|penalites(?P<args>(?:[ \t]+[^\s{}]+)*))[ \t]*\}\}")


class TauxExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "fichier": [_taux.FICHIER_PAR_DEFAUT, "Le fichier des taux, depuis le dossier du projet"],
            "date": ["", f"Date de construction AAAA-MM-JJ (vide : ${_taux.VARIABLE_DATE} ou aujourd’hui)"],
            "racine": [".", "Le dossier du projet (par défaut, celui où la construction est lancée)"],
            "dossiers": [list(_taux.DOSSIERS_PAR_DEFAUT), "Les dossiers où chercher les directives à vérifier"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Markdown's API
        c = self.getConfigs()
        table = table_du_cours(c["fichier"], c["date"], c["racine"], tuple(c["dossiers"]))
        # After code spans (190) and escapes (180): `{{ taux x }}` in backticks stays text.
        md.inlinePatterns.register(_TauxInline(_INLINE, md, table), "taux", 175)
        # Beside the exercise directive (12), before paragraphs (10).
        md.parser.blockprocessors.register(_TableauProcessor(md.parser, table), "tableau-des-taux", 13)


def makeExtension(**kwargs):  # noqa: N802 - Markdown's API
    return TauxExtension(**kwargs)


__all__ = ["TauxExtension", "makeExtension", "table_du_cours", "element_taux", "element_tableau"]
