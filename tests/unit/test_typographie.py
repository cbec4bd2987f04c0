"""French typography of every page and exercise: the checker, its fixtures, its automatic fixes, the course.

The fixtures hold one line per rule that must fail (mauvais.*) and the same
prose written right, next to what is not prose and must never be flagged:
front matter, code, URLs, HTML, YAML keys, the words a writing rule looks for
(bon.*).
"""

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "emscripten", reason="checks the course's files, with PyYAML")

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "unit" / "fixtures" / "typographie"
REL = "tests/unit/fixtures/typographie"


def problems(name):
    from site_build.typographie import verifier

    path = FIXTURES / name
    return verifier(f"{REL}/{name}", path.read_text(encoding="utf-8"))


def lines_of(found, rule):
    return [p.ligne for p in found if p.regle == rule]


def test_every_rule_fails_on_its_line_in_a_page():
    found = problems("mauvais.md")
    assert all(str(p).startswith(f"{REL}/mauvais.md:{p.ligne}: ") for p in found)
    assert lines_of(found, "espace-insecable") == [5, 7, 7, 11, 13, 15]  # « : », « ? » glued, « ! » after a space
    assert lines_of(found, "guillemets") == [8, 8, 8, 8, 14, 14]     # « bonjour » glued, « au revoir » with plain spaces
    assert lines_of(found, "apostrophe") == [9]
    assert lines_of(found, "courriel") == [10, 10, 10]               # mail, e-mail, emails
    assert lines_of(found, "numero-de-cheque") == [11]
    assert lines_of(found, "accord") == [12]                         # « 1 factures », not « 1 mois »
    assert not [p for p in found if p.ligne < 5], "the front matter is never checked"
    messages = "\n".join(map(str, found))
    assert "espace insécable attendue avant « ? » (trouvé aucune espace)" in messages
    assert "« 1 factures » : après 1, le nom reste au singulier" in messages
    assert "« chèque n° 4 571 203 »" in messages and "écrivez « courriel »" in messages


def test_code_urls_html_and_markdown_syntax_are_never_flagged():
    assert problems("bon.md") == []


def test_every_rule_fails_in_an_exercise_but_never_on_keys_or_searched_words():
    found = problems("mauvais.yml")
    assert [(p.ligne, p.regle) for p in found] == [
        (4, "espace-insecable"),        # the value of titre:, never the key's own colon
        (7, "espace-insecable"),        # second line of a block scalar: its own line number
        (9, "courriel"), (9, "guillemets"), (9, "guillemets"),
        (11, "apostrophe"),
        (15, "accord"),                 # consigne filled with the variant factures: 1
    ]
    assert "variante n° 2, champ « consigne » : « 1 factures »" in str(found[-1])
    assert problems("bon.yml") == []    # keys, un_parmi words, '' in single quotes, formulas


def test_the_fixes_leave_only_what_needs_a_word_chosen_and_change_nothing_twice(tmp_path):
    from site_build.typographie import corriger, verifier

    for name in ("mauvais.md", "mauvais.yml"):
        text = (FIXTURES / name).read_text(encoding="utf-8")
        fixed = corriger(name, text)
        left = {p.regle for p in verifier(name, fixed)}
        assert left <= {"courriel", "numero-de-cheque", "accord"}, (name, verifier(name, fixed))
        assert corriger(name, fixed) == fixed
        def bare(t):
            return "".join(t.replace("’", "'").split())

        assert bare(fixed) == bare(text), "only spaces and apostrophes change"
    page = corriger("mauvais.md", (FIXTURES / "mauvais.md").read_text(encoding="utf-8"))
    assert "title: Une page d'essai : l'en-tête" in page, "the front matter is left as it is"
    # What the checker does not read (code, a directive, a link target) is never eaten by a fix next to it.
    assert "- `taux-bce`\u00a0: le taux" in page
    assert "«\u00a0{{ taux penalites-defaut }}\u00a0»" in page
    assert "[la fiche](https://www.service-public.fr/a)\u00a0: elle" in page
    assert "Le titre\u00a0: une espace" in page and "«\u00a0bonjour\u00a0»" in page


def test_the_fixed_exercise_still_reads_the_same(tmp_path):
    import yaml

    from site_build.typographie import corriger

    text = (FIXTURES / "mauvais.yml").read_text(encoding="utf-8")
    before, after = yaml.safe_load(text), yaml.safe_load(corriger("x.yml", text))
    assert after[1] == before[1] or after[1]["formule"] == before[1]["formule"]
    assert after[0]["id"] == before[0]["id"] and after[0]["titre"] == "Vrai ou faux\u00a0?"
    assert after[0]["affirmations"][0]["raison"] == "L’apostrophe droite est refusée."


def test_the_command_line_reports_and_fixes(tmp_path, capsys):
    from site_build.typographie import main

    page = tmp_path / "page.md"
    page.write_text("Vraiment ? L'appel a duré une heure.\n", encoding="utf-8")
    import os

    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert main(["page.md"]) == 1
        assert "page.md:1: espace insécable attendue avant « ? »" in capsys.readouterr().out
        assert main(["--corriger", "page.md"]) == 0
    finally:
        os.chdir(here)
    assert page.read_text(encoding="utf-8") == "Vraiment\u00a0? L’appel a duré une heure.\n"


def test_the_checked_folders_are_one_constant():
    from site_build.typographie import DOSSIERS_VERIFIES, fichiers

    assert DOSSIERS_VERIFIES[:2] == ("docs", "exercises/quiz")
    checked = {p.relative_to(ROOT).as_posix() for p in fichiers(ROOT)}
    assert "docs/modules/03-contrat-et-conditions.md" in checked and "exercises/quiz/m03-contrat.yml" in checked
    assert len(checked) >= 35


def test_every_page_and_exercise_of_the_course_is_well_typeset():
    from site_build.typographie import verifier_dossiers

    found = verifier_dossiers(ROOT)
    assert not found, "\n".join(map(str, found))


def test_what_the_site_s_scripts_say_to_learners_has_typographic_apostrophes():
    """Labels, headings and messages written in the scripts (« Commencer l’appel »,
    « Bilan de l’appel ») read like the pages around them: ’, not '."""
    import re

    literal = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`')
    straight = re.compile(r"[A-Za-zÀ-ÿ]'[A-Za-zÀ-ÿ]")
    found = []
    for path in sorted((ROOT / "docs" / "assets").glob("*.js")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split(" // ")[0]
            if code.lstrip().startswith(("//", "*", "/*")):
                continue
            for text in literal.findall(code):
                # French prose (an accented letter or a space), not a selector or a key
                if straight.search(text) and re.search(r"[ éèàùêâîôç]", text):
                    found.append(f"docs/assets/{path.name}:{number}: {text}")
    assert not found, "\n".join(found)
