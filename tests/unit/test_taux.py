"""The course's rates as data (exercises/taux.yml): periods, derived rates, a simulated build date
before and after the last period, the build's warning, pages and `calcul` exercises fed by the file,
French `file:line` errors for a bad file or an unknown rate name."""

import datetime as dt
import re
import shutil
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "emscripten", reason="the site is built with CPython")

ROOT = Path(__file__).resolve().parents[2]
RATES = ROOT / "exercises" / "taux.yml"


def table(day, path=RATES, warn=False):
    from site_build import taux

    return taux.charger(path, dt.date.fromisoformat(day) if isinstance(day, str) else day,
                        chemin="exercises/taux.yml", avertir=warn)


def last_day():
    """The last day the file covers (the tests follow the file when a semester is added)."""
    t = table("2026-01-01")
    return min(p.au for rate in t.taux.values() if rate.base is None for p in rate.periodes[-1:])


def convert(text, day, root=ROOT):
    import markdown

    from site_build.taux_markdown import TauxExtension

    md = markdown.Markdown(extensions=["admonition", TauxExtension(racine=str(root), date=day)])
    return md.convert(text)


# --------------------------------------------------------------------------- the file


def test_derived_rates_follow_their_base_for_every_period():
    t = table("2026-03-15")
    for rate in t.taux.values():
        if rate.base:
            base = t.taux[rate.base]
            assert [p.valeur for p in rate.periodes] == \
                [round(b.valeur * rate.fois + rate.plus, 4) for b in base.periodes], rate.id
    assert t.valeur("penalites-defaut").valeur == round(t.valeur("taux-bce").valeur + 10, 4)
    assert t.valeur("penalites-minimum").valeur == round(3 * t.valeur("taux-legal").valeur, 4)
    assert t.valeur("interets-moratoires-public").valeur == round(t.valeur("taux-bce").valeur + 8, 4)


def test_every_base_period_names_its_official_source():
    t = table("2026-03-15")
    for rate in t.taux.values():
        assert rate.ou_verifier and rate.lien_verifier.startswith("https://"), rate.id
        for p in rate.periodes:
            assert p.source and (p.du.month, p.du.day) in ((1, 1), (7, 1)), (rate.id, p)


def test_a_date_inside_a_period_gives_that_period_and_no_warning(capsys):
    from site_build import taux

    t = table("2026-03-15")
    v = t.valeur("penalites-minimum")
    assert (v.valeur, v.periode.libelle, v.a_verifier) == (7.86, "premier semestre 2026", False)
    earlier = table("2025-09-01")
    assert earlier.valeur("penalites-minimum").valeur == 8.28            # 3 × 2.76, second semestre 2025
    assert earlier.valeur("penalites-minimum").periode.libelle == "second semestre 2025"
    assert taux.message_a_verifier(t) is None


def test_a_date_after_the_last_period_keeps_the_last_figure_to_be_checked_and_warns_once(capsys):
    from site_build import taux

    after = last_day() + dt.timedelta(days=1)
    t = taux.charger(RATES, after, chemin="exercises/taux.yml")
    again = taux.charger(RATES, after, chemin="exercises/taux.yml")
    assert again is t
    err = capsys.readouterr().err
    assert err.count("ATTENTION (taux)") == 1, err
    assert f"pour le {taux.date_fr(after)}" in err and "exercises/taux.yml" in err
    assert "https://www.banque-france.fr" in err and "service-public.fr" in err
    last = t.valeur("penalites-defaut")
    assert last.a_verifier and last.periode.au == last_day() and last.valeur == table(last_day()).valeur(
        "penalites-defaut").valeur


def test_the_build_date_comes_from_the_environment_when_set(monkeypatch):
    from site_build import taux

    monkeypatch.setenv("DATE_DE_CONSTRUCTION", "2026-02-03")
    assert taux.date_de_construction() == dt.date(2026, 2, 3)
    monkeypatch.setenv("DATE_DE_CONSTRUCTION", "03/02/2026")
    with pytest.raises(taux.TauxError) as info:
        taux.date_de_construction()
    assert "DATE_DE_CONSTRUCTION" in str(info.value) and "AAAA-MM-JJ" in str(info.value)
    monkeypatch.delenv("DATE_DE_CONSTRUCTION")
    assert taux.date_de_construction() == dt.date.today()


GOOD = """taux:
  - id: taux-bce
    nom: Taux BCE
    ou_verifier: Banque de France
    lien_verifier: https://www.banque-france.fr
    periodes:
      - du: 2026-01-01
        au: 2026-06-30
        valeur: 2.15
        source: Décision de la BCE
  - id: penalites-defaut
    nom: Pénalités par défaut
    base: taux-bce
    plus: 10
"""


@pytest.mark.parametrize("change, line, expected", [
    (("        valeur: 2.15\n", "        valeur: deux\n"), 9,
     "taux « taux-bce », période n° 1, champ « valeur » : attendu un nombre (avec un point décimal : 2.15), trouvé un texte"),
    (("        au: 2026-06-30\n", "        au: 30/06/2026\n"), 8,
     "taux « taux-bce », période n° 1, champ « au » : attendu une date AAAA-MM-JJ"),
    (("        source: Décision de la BCE\n", ""), 7,
     "taux « taux-bce », période n° 1, champ « source » manquant : attendu un texte"),
    (("    base: taux-bce\n", "    base: taux-bcee\n"), 13,
     "taux « penalites-defaut », champ « base » : taux de base inconnu « taux-bcee » (vouliez-vous dire « taux-bce » ?)"),
    (("    plus: 10\n", "    plus: 10\n    periodes: []\n"), 15,
     "taux « penalites-defaut », champ inconnu « periodes » (un taux calculé n’a pas de « periodes »"),
    (("    nom: Taux BCE\n", "    nom: Taux BCE\n    lien_verfier: x\n"), 4,
     "champ inconnu « lien_verfier » (vouliez-vous dire « lien_verifier » ?)"),
    (("        source: Décision de la BCE\n", "        source: Décision de la BCE\n      - du: 2026-06-01\n"
      "        au: 2026-12-31\n        valeur: 2\n        source: x\n"), 11,
     "la période commence le 1er juin 2026, avant la fin de la précédente (30 juin 2026)"),
    (("    ou_verifier: Banque de France\n", "\tou_verifier: Banque de France\n"), 4,
     "une tabulation est utilisée : indentez avec des espaces"),
])
def test_a_bad_rates_file_is_named_with_its_line_in_french(tmp_path, change, line, expected):
    from site_build import taux

    path = tmp_path / "taux.yml"
    assert change[0] in GOOD
    path.write_text(GOOD.replace(change[0], change[1]), encoding="utf-8")
    with pytest.raises(taux.TauxError) as info:
        taux.charger(path, dt.date(2026, 3, 1), chemin="exercises/taux.yml")
    assert any(e.startswith(f"exercises/taux.yml:{line}: ") and expected in e for e in info.value.errors), \
        info.value.errors


def test_a_missing_rates_file_is_named():
    from site_build import taux

    with pytest.raises(taux.TauxError) as info:
        taux.charger(ROOT / "nulle-part.yml", dt.date(2026, 3, 1), chemin="exercises/taux.yml")
    assert str(info.value).startswith("exercises/taux.yml:1: fichier des taux introuvable")


# --------------------------------------------------------------------------- pages


PAGE = """Taux par défaut : {{ taux penalites-defaut }}.

Seul : {{ taux penalites-defaut valeur }} ; période : {{ taux penalites-defaut periode }}.

Exemple : {{ penalites montant=3600 jours=45 taux=penalites-defaut }} de pénalités.

Dans le code, `{{ taux inconnu-ici }}` reste du texte.

{{ tableau-des-taux }}
"""


def test_a_page_built_inside_the_last_period_shows_each_rate_with_its_period():
    html = convert(PAGE, "2026-03-15")
    assert "12,15\u00a0% (premier semestre 2026)" in html
    assert "Seul : <span" in html and ">12,15\u00a0%</span>" in html
    assert "période : <span" in html and "premier semestre 2026</span>" in html
    assert ">53,93\u00a0€</span>" in html                   # 3 600 × 12,15 % × 45 ÷ 365
    assert "<code>{{ taux inconnu-ici }}</code>" in html
    assert "<table>" in html and "Taux de refinancement de la BCE" in html and "Arrêté du 15 décembre 2025" in html
    assert "à vérifier" not in html and "Taux à vérifier" not in html
    assert 'href="https://www.banque-france.fr"' in html      # where to check, always


def test_a_page_built_after_the_last_period_shows_the_last_figure_to_be_checked():
    after = (last_day() + dt.timedelta(days=1)).isoformat()
    html = convert(PAGE, after)
    assert "dernier taux connu" in html and "<strong>à vérifier</strong>" in html
    assert re.search(r'12,15\u00a0% \(<a href="https://www.banque-france.fr">à vérifier</a>\)', html)
    assert "Taux à vérifier" in html and "admonition warning" in html
    assert 'href="https://www.service-public.fr/particuliers/vosdroits/F20688"' in html
    assert "rp-taux--a-verifier" in html


def test_a_page_built_in_an_earlier_period_shows_that_periods_figures():
    html = convert("{{ taux penalites-minimum }}", "2025-09-01")
    assert "8,28\u00a0% (second semestre 2025)" in html


def test_an_unknown_rate_name_stops_the_build_with_file_and_line(tmp_path):
    from site_build import taux
    from site_build.taux_markdown import TauxExtension

    (tmp_path / "exercises" / "quiz").mkdir(parents=True)
    shutil.copy(RATES, tmp_path / "exercises" / "taux.yml")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(
        "# Page\n\n```\n{{ taux pas-verifie-dans-le-code }}\n```\n\nLe taux : {{ taux penalite-defaut }}.\n"
        "Et {{ penalites montant=100 jours=deux taux=taux-bce }}.\n", encoding="utf-8")
    (tmp_path / "exercises" / "quiz" / "q.yml").write_text(
        "id: q\ntype: qcm\ntitre: T\nconsigne: Le taux {{ taux taux-legal periodes }} ?\n", encoding="utf-8")
    import markdown

    with pytest.raises(taux.TauxError) as info:
        markdown.Markdown(extensions=[TauxExtension(racine=str(tmp_path), date="2026-03-01")])
    assert info.value.errors == [
        "docs/page.md:7: directive « {{ taux penalite-defaut }} » : taux inconnu « penalite-defaut » (vouliez-vous "
        "dire « penalites-defaut » ?) ; taux connus : taux-bce, taux-legal, penalites-defaut, penalites-minimum, "
        "interets-moratoires-public",
        "docs/page.md:8: directive « {{ penalites montant=100 jours=deux taux=taux-bce }} » : argument « jours » : "
        "attendu un nombre, trouvé « deux »",
        "exercises/quiz/q.yml:4: directive « {{ taux taux-legal periodes }} » : forme inconnue « periodes » "
        "(vouliez-vous dire « periode » ?) ; attendu rien ou l’une de : complet, valeur, periode, source",
    ]


def test_a_wrong_name_added_while_serving_is_still_named_with_file_and_line(tmp_path):
    """Under `mkdocs serve` the sources are checked once; a page edited later is checked as it is converted."""
    import markdown

    from site_build import taux
    from site_build.taux_markdown import TauxExtension

    (tmp_path / "exercises").mkdir()
    shutil.copy(RATES, tmp_path / "exercises" / "taux.yml")
    (tmp_path / "docs").mkdir()
    page = tmp_path / "docs" / "page.md"
    page.write_text("# Page\n\nLe taux : {{ taux taux-legal }}.\n", encoding="utf-8")
    markdown.Markdown(extensions=[TauxExtension(racine=str(tmp_path), date="2026-03-01")])  # start-up check: fine
    page.write_text("# Page\n\nLe taux : {{ taux taux-legale }}.\n", encoding="utf-8")
    md = markdown.Markdown(extensions=[TauxExtension(racine=str(tmp_path), date="2026-03-01")])
    with pytest.raises(taux.TauxError) as info:
        md.convert(page.read_text(encoding="utf-8"))
    assert info.value.errors[0].startswith("docs/page.md:3: directive « {{ taux taux-legale }} » : taux inconnu "
                                           "« taux-legale » (vouliez-vous dire « taux-legal » ?)")


def _rates_typed_by_hand(paths, root=ROOT) -> list[str]:
    from site_build.exercises import fr_number

    t = table("2026-01-01")
    figures = {fr_number(p.valeur) for rate in t.taux.values() for p in rate.periodes}
    pattern = re.compile(r"(?<![\d,])(" + "|".join(re.escape(f) for f in sorted(figures)) + r")[\s\u00a0\u202f]*%")
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        dated = re.search(r'^today: "?(\d{4}-\d\d-\d\d)', text, re.M) if "appels" in path.parts else None
        allowed = set()
        if dated:
            # A call scenario happens on its own day (`today`): it may quote the rates of that day.
            on_the_day = table(dated.group(1))
            allowed = {fr_number(on_the_day.valeur(i).valeur) for i in on_the_day.taux}
        for n, line in enumerate(text.splitlines(), 1):
            for m in pattern.finditer(line):
                if m.group(1) not in allowed:
                    found.append(f"{path.relative_to(root)}:{n}: {m.group(0)}")
    return found


def test_no_page_or_exercise_writes_a_rate_of_the_file_by_hand():
    """The class of problem: a figure typed in a page goes stale silently. Every rate comes from the file."""
    from site_build.typographie import fichiers

    paths = [p for p in fichiers(ROOT) if not p.name.startswith("auteurs") and p != RATES]
    # (the file itself, and the authors' guide that shows it as an example, are left out)
    found = _rates_typed_by_hand(paths)
    assert not found, "\n".join(found)


def test_a_call_scenario_may_quote_only_the_rates_of_its_own_day(tmp_path):
    from site_build.exercises import fr_number

    t = table("2026-06-16")

    def figures_on(day):
        on_the_day = table(day.isoformat())
        return {fr_number(on_the_day.valeur(i).valeur) for i in on_the_day.taux}

    # A figure of June 2026 that no rate had at the end of some earlier semester.
    june, earlier = next((fr_number(t.valeur(i).valeur), p) for i in t.taux for p in t.taux[i].periodes
                         if fr_number(t.valeur(i).valeur) not in figures_on(p.au))
    folder = tmp_path / "exercises" / "appels"
    folder.mkdir(parents=True)
    right, wrong = folder / "juin.yml", folder / "decale.yml"
    right.write_text(f'today: "2026-06-16"\nbriefing: pénalités à {june} % l’an\n', encoding="utf-8")
    wrong.write_text(f'today: "{earlier.au.isoformat()}"\nbriefing: pénalités à {june} % l’an\n', encoding="utf-8")
    assert _rates_typed_by_hand([right], tmp_path) == []
    assert _rates_typed_by_hand([wrong], tmp_path) == [f"exercises/appels/decale.yml:2: {june} %"]


# --------------------------------------------------------------------------- calcul exercises


def test_calcul_exercises_take_their_rates_from_the_file_for_the_build_date():
    from site_build.exercises import load_all

    now, before = table("2026-03-15"), table("2025-09-01")
    for t, minimum in ((now, 7.86), (before, 8.28)):
        exercises = load_all(ROOT / "exercises" / "quiz", ROOT, taux=t)
        bilan = exercises["m10-penalites-bilan"].data
        assert {v["valeurs"]["taux"] for v in bilan["variantes"]} == {minimum}
        for v in bilan["variantes"]:
            x = v["valeurs"]
            assert v["resultat"] == round(x["montant"] * minimum / 100 * x["jours"] / 365 + 40, 2)
        penalties = exercises["m03-penalites"].data
        assert {v["valeurs"]["taux"] for v in penalties["variantes"]} == {t.valeur("penalites-defaut").valeur}


def test_a_calcul_exercise_follows_a_new_figure_in_the_file(tmp_path):
    from site_build import taux
    from site_build.exercises import load_all

    rates = tmp_path / "taux.yml"
    rates.write_text(GOOD.replace("valeur: 2.15", "valeur: 3.5"), encoding="utf-8")
    quiz = tmp_path / "quiz"
    quiz.mkdir()
    (quiz / "c.yml").write_text(
        "id: c-taux\ntype: calcul\ntitre: T\nconsigne: \"{montant} € à {taux} % pendant {jours} jours\"\n"
        "taux:\n  taux: penalites-defaut\nvariantes:\n  - {montant: 1000, jours: 10}\n  - {montant: 2000, jours: 30}\n"
        "formule: montant * taux / 100 * jours / 365\nunite: €\nsolution: \"{resultat} €\"\n", encoding="utf-8")
    t = taux.charger(rates, dt.date(2026, 3, 1), chemin="taux.yml")
    ex = load_all(quiz, tmp_path, taux=t)["c-taux"].data
    assert [v["resultat"] for v in ex["variantes"]] == [round(1000 * 0.135 * 10 / 365, 2), round(2000 * 0.135 * 30 / 365, 2)]
    assert ex["variantes"][0]["valeurs"]["taux"] == 13.5


@pytest.mark.parametrize("body, expected", [
    ("taux:\n  taux: penalite-defaut\nvariantes:\n  - {montant: 1000}\n  - {montant: 2000}\n",
     "c.yml:6: exercice « c-taux », champ « taux.taux » : taux inconnu « penalite-defaut » (vouliez-vous dire "
     "« penalites-defaut » ?) ; attendu l’id d’un taux de taux.yml : taux-bce, penalites-defaut"),
    ("taux:\n  taux: penalites-defaut\nvariantes:\n  - {montant: 1000, taux: 12}\n  - {montant: 2000}\n",
     "c.yml:8: exercice « c-taux », champ « variantes[1].taux » : la variable « taux » vient du fichier des taux "
     "(champ « taux ») : retirez-la des variantes"),
])
def test_a_wrong_rate_in_a_calcul_exercise_is_named_with_file_and_line(tmp_path, body, expected):
    from site_build import taux
    from site_build.exercises import ExerciseError, load_all

    rates = tmp_path / "taux.yml"
    rates.write_text(GOOD, encoding="utf-8")
    (tmp_path / "c.yml").write_text("id: c-taux\ntype: calcul\ntitre: T\nconsigne: \"{montant} €\"\n" + body +
                                    "formule: montant * taux / 100\nunite: €\nsolution: S\n", encoding="utf-8")
    t = taux.charger(rates, dt.date(2026, 3, 1), chemin="taux.yml")
    with pytest.raises(ExerciseError) as info:
        load_all(tmp_path, tmp_path, taux=t)
    assert expected in info.value.errors, info.value.errors
