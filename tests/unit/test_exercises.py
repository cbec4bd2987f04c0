"""Exercises authored in YAML: validation errors an instructor would see, the directive, the course itself.

Every broken fixture must fail with `file:line: message` naming the field, so an
author can go straight to the mistake.
"""

import re
import sys
from pathlib import Path

import pytest
from unit_helpers import page_context

pytestmark = pytest.mark.skipif(
    sys.platform == "emscripten", reason="the site is built with CPython (PyYAML, Markdown), not in the browser"
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "unit" / "fixtures" / "exercises"
REL = "tests/unit/fixtures/exercises"


def load(case):
    from site_build.exercises import load_all

    return load_all(FIXTURES / case, ROOT)


def errors_of(case):
    from site_build.exercises import ExerciseError

    with pytest.raises(ExerciseError) as info:
        load(case)
    return info.value.errors


def only_error(case):
    errors = errors_of(case)
    assert len(errors) == 1, errors
    return errors[0]


# --------------------------------------------------------------------------- one fixture per error


def test_invalid_yaml_names_file_and_line_with_a_hint():
    message = only_error("invalid-yaml")
    assert message.startswith(f"{REL}/invalid-yaml/casse.yml:7: YAML invalide")
    assert "entre guillemets" in message  # says how to fix it, in French


def test_unknown_kind_names_the_field_and_the_allowed_kinds():
    message = only_error("unknown-kind")
    assert message.startswith(f"{REL}/unknown-kind/type-inconnu.yml:2: ")
    assert "exercice « fx-type-inconnu »" in message
    assert "champ « type »" in message
    assert "« vrai-faux »" in message and "qcm, vrai_faux, ordre, classement, calcul, redaction" in message
    assert "vouliez-vous dire « vrai_faux »" in message


def test_missing_field_names_the_field():
    message = only_error("missing-field")
    assert message.startswith(f"{REL}/missing-field/sans-consigne.yml:1: ")
    assert "champ « consigne »" in message and "manquant" in message


def test_wrong_type_says_what_is_expected_and_what_was_found():
    message = only_error("wrong-type")
    assert message.startswith(f"{REL}/wrong-type/mauvais-type.yml:5: ")
    assert "champ « affirmations »" in message
    assert "attendu une liste" in message and "trouvé un texte" in message


def test_answer_out_of_range_gives_the_valid_range():
    message = only_error("out-of-range")
    assert message.startswith(f"{REL}/out-of-range/hors-limites.yml:9: ")
    assert "champ « reponse »" in message
    assert "entre 1 et 3" in message and "trouvé 4" in message


def test_category_out_of_the_list_is_an_answer_out_of_range():
    message = only_error("bad-category")
    assert message.startswith(f"{REL}/bad-category/categorie.yml:10: ")
    assert "champ « elements[2].categorie »" in message
    assert "« Arrhe »" in message and "vouliez-vous dire « Arrhes »" in message


def test_duplicate_id_points_at_the_second_one_and_names_the_first():
    message = only_error("duplicate-id")
    assert message.startswith(f"{REL}/duplicate-id/b.yml:8: ")
    assert "champ « id »" in message and "fx-double" in message
    assert f"{REL}/duplicate-id/a.yml:1" in message


def test_formula_with_an_unknown_variable():
    message = only_error("bad-formula")
    assert message.startswith(f"{REL}/bad-formula/formule.yml:8: ")
    assert "champ « formule »" in message and "« tuax »" in message and "taux" in message


def test_unknown_writing_rule_is_checked_by_the_same_code_as_the_browser():
    message = only_error("bad-rule")
    assert message.startswith(f"{REL}/bad-rule/regle.yml:7: ")
    assert "champ « regles[2].regle »" in message and "ortographe" in message


def test_several_problems_are_all_reported(tmp_path):
    from site_build.exercises import ExerciseError, load_all

    (tmp_path / "a.yml").write_text(
        "- id: x-un\n  type: qcm\n  titre: T\n  consigne: C\n  choix: [A, B]\n  reponse: 0\n"
        "- id: x-deux\n  type: ordre\n  titre: T\n  consigne: C\n  etapes: [A, B]\n  couleur: rouge\n",
        encoding="utf-8")
    with pytest.raises(ExerciseError) as info:
        load_all(tmp_path, tmp_path)
    errors = info.value.errors
    assert any(e.startswith("a.yml:6: ") and "« reponse »" in e for e in errors), errors
    assert any(e.startswith("a.yml:11: ") and "« etapes »" in e and "au moins 3" in e for e in errors), errors
    assert any(e.startswith("a.yml:12: ") and "« couleur »" in e and "champ inconnu" in e for e in errors), errors


@pytest.mark.parametrize("body, field, expected", [
    ("  reponse: [1, 1]", "reponse", "deux fois"),
    ("  reponse: deux", "reponse", "trouvé un texte"),
    ("  reponse: true", "reponse", "trouvé un booléen"),
])
def test_qcm_answer_checks(tmp_path, body, field, expected):
    from site_build.exercises import ExerciseError, load_all

    (tmp_path / "q.yml").write_text(
        f"id: q-un\ntype: qcm\ntitre: T\nconsigne: C\nchoix: [A, B, C]\n{body.strip()}\n", encoding="utf-8")
    with pytest.raises(ExerciseError) as info:
        load_all(tmp_path, tmp_path)
    assert info.value.errors[0].startswith("q.yml:6: ")
    assert f"« {field} »" in info.value.errors[0] and expected in info.value.errors[0]


def test_a_writing_example_that_fails_its_own_rules_is_refused(tmp_path):
    from site_build.exercises import ExerciseError, load_all

    (tmp_path / "r.yml").write_text(
        "id: r-un\ntype: redaction\ntitre: T\nconsigne: C\nregles:\n  - regle: montant\n    valeur: 250\n"
        "exemple: Je vous paierai bientôt.\n", encoding="utf-8")
    with pytest.raises(ExerciseError) as info:
        load_all(tmp_path, tmp_path)
    message = info.value.errors[0]
    assert message.startswith("r.yml:8: ") and "« exemple »" in message and "250,00 €" in message


def test_a_formula_cannot_run_arbitrary_code(tmp_path):
    from site_build.exercises import ExerciseError, load_all

    (tmp_path / "c.yml").write_text(
        "id: c-un\ntype: calcul\ntitre: T\nconsigne: C\nvariantes: [{a: 1}, {a: 2}]\n"
        "formule: __import__('os').getcwd()\nunite: €\nsolution: S\n", encoding="utf-8")
    with pytest.raises(ExerciseError) as info:
        load_all(tmp_path, tmp_path)
    assert info.value.errors[0].startswith("c.yml:6: ") and "« formule »" in info.value.errors[0]


def test_identical_variants_would_make_a_retry_a_copy(tmp_path):
    from site_build.exercises import ExerciseError, load_all

    (tmp_path / "c.yml").write_text(
        "id: c-un\ntype: calcul\ntitre: T\nconsigne: C\nvariantes: [{a: 2, b: 3}, {a: 3, b: 2}]\n"
        "formule: a * b\nunite: €\nsolution: S\n", encoding="utf-8")
    with pytest.raises(ExerciseError) as info:
        load_all(tmp_path, tmp_path)
    assert info.value.errors[0].startswith("c.yml:5: ") and "même résultat" in info.value.errors[0]


# --------------------------------------------------------------------------- valid files, rendering


def test_valid_fixture_loads_every_kind():
    exercises = load("valid")
    assert {e.kind for e in exercises.values()} == {"qcm", "vrai_faux", "ordre", "classement", "calcul", "redaction"}
    qcm = exercises["fx-qcm"]
    assert qcm.data["reponse"] == [2] and qcm.data["multiple"] is False
    assert qcm.data["choix"][1] == {"texte": "La deuxième", "commentaire": None}
    assert exercises["fx-vrai-faux"].data["affirmations"][0]["reponse"] is True
    calc = exercises["fx-calcul"].data["variantes"]
    assert [v["resultat"] for v in calc] == [2500.0, 1.5]


def test_numbers_are_written_the_french_way():
    from site_build.exercises import fill, fr_number

    assert fr_number(12.15) == "12,15"
    assert fr_number(2400) == "2\u202f400"
    assert fr_number(53.9264, 2) == "53,93"
    assert fill("{montant} € à {taux} % = {resultat} €", {"montant": 3600, "taux": 12.15}, 53.93) == \
        "3\u202f600 € à 12,15 % = 53,93 €"


def convert(text, page=None, quiz_dir=FIXTURES / "valid"):
    """Markdown to HTML as a generator does it: the extension named in mkdocs.yml, with its option."""
    import markdown

    extensions = ["admonition", "pymdownx.superfences", "site_build.exercise_directive"]
    if page is not None:
        extensions.append(page_context(page))
    md = markdown.Markdown(extensions=extensions,
                           extension_configs={"site_build.exercise_directive": {"quiz_dir": str(quiz_dir)}})
    return md.convert(text)


@pytest.fixture
def at_root(monkeypatch):
    """Generators run from the project folder: paths in messages are relative to it."""
    monkeypatch.chdir(ROOT)


def built(tmp_path, pages):
    """A site as a generator leaves it: each page converted and written as src/index.html."""
    from site_build import site_pages

    docs, site = tmp_path / "docs", tmp_path / "site"
    for src, (title, text) in pages.items():
        (docs / src).parent.mkdir(parents=True, exist_ok=True)
        (docs / src).write_text(text, encoding="utf-8")
        out = site / (src[:-3] + "/index.html")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(f"<html><head><title>{title} - Cours</title></head><body>{convert(text, src)}</body></html>",
                       encoding="utf-8")
    return site_pages.exercise_pages(site, docs, "Cours")


def valid():
    from site_build.exercises import load_all

    return load_all(FIXTURES / "valid", ROOT)


def test_directive_renders_every_kind_with_its_answer_key(at_root):
    exercises = valid()
    html = convert("\n\n".join(f"{{{{ exercice {i} }}}}" for i in exercises), page="modules/03-test.md")
    for ident, ex in exercises.items():
        assert f'id="ex-{ident}"' in html and f'data-kind="{ex.kind}"' in html
    assert html.count('data-module="03"') == 6
    assert html.count('type="radio" value=') >= 3
    assert "1\u202f250 × 2" in html  # calcul: variant rendered with French numbers
    assert 'role="status"' in html and 'aria-live="polite"' in html
    # ordre: shown shuffled, never already in the right order
    steps = re.findall(r'data-step="(\d)"', html)
    assert sorted(steps) == ["0", "1", "2", "3"] and steps != sorted(steps)


def test_the_module_comes_from_the_page_the_generator_names(at_root):
    assert 'data-module="07"' in convert("{{ exercice fx-qcm }}", page="modules/07-relancer.md")
    assert "data-module" not in convert("{{ exercice fx-qcm }}", page="auteurs.md")
    assert "data-module" not in convert("{{ exercice fx-qcm }}")  # plain Python-Markdown: no page


def test_a_broken_exercise_stops_the_conversion_with_file_and_line(at_root):
    from site_build.exercises import ExerciseError

    with pytest.raises(ExerciseError) as info:
        convert("{{ exercice fx-hors-limites }}", quiz_dir=FIXTURES / "out-of-range")
    assert str(info.value).startswith(f"{REL}/out-of-range/hors-limites.yml:9: exercice « fx-hors-limites », "
                                      "champ « reponse »")


def test_an_edited_exercise_is_read_again(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    quiz = tmp_path / "quiz"
    quiz.mkdir()
    source = (FIXTURES / "valid" / "m03-valide.yml").read_text(encoding="utf-8")
    (quiz / "a.yml").write_text(source, encoding="utf-8")
    assert "Quand facturer ?" not in convert("{{ exercice fx-qcm }}", quiz_dir="quiz")
    title = re.search(r"titre: (.+)", source).group(1)
    (quiz / "a.yml").write_text(source.replace(title, "Quand facturer ?", 1), encoding="utf-8")
    assert "Quand facturer ?" in convert("{{ exercice fx-qcm }}", quiz_dir="quiz")


def test_unknown_id_in_a_page_is_reported_with_the_page_line(tmp_path, at_root):
    from site_build.exercises import check_uses

    page = FIXTURES / "pages" / "page-inconnue.md"
    html = convert(page.read_text(encoding="utf-8"), page="pages/page-inconnue.md")
    # A directive inside a code block stays text; inside an admonition it works.
    assert "{{ exercice fx-dans-le-code }}" in html
    assert 'id="ex-fx-vrai-faux"' in html
    assert 'data-ex-inconnu="fx-inexistant"' in html
    pages = built(tmp_path, {"pages/page-inconnue.md": ("Page", page.read_text(encoding="utf-8"))})
    errors = check_uses(pages, valid(), "docs")
    unknown = [e for e in errors if "fx-inexistant" in e]
    assert unknown == ["docs/pages/page-inconnue.md:16: directive « {{ exercice fx-inexistant }} », "
                       "champ « id » : exercice inconnu ; attendu l’id d’un exercice de exercises/quiz/"]
    assert not [e for e in errors if "fx-dans-le-code" in e]


def test_exercise_used_by_no_page_is_reported_at_its_id(tmp_path, at_root):
    from site_build.exercises import check_uses

    pages = built(tmp_path, {"modules/03-test.md": ("3. Test", "{{ exercice fx-qcm }}")})
    errors = check_uses(pages, valid())
    unused = [e for e in errors if "fx-ordre" in e]
    assert len(unused) == 1
    assert unused[0].startswith(f"{REL}/valid/m03-valide.yml:22: exercice « fx-ordre », champ « id » : "
                                "utilisé par aucune page")
    assert not [e for e in errors if "fx-qcm" in e]


def test_an_exercise_placed_twice_is_reported(tmp_path, at_root):
    from site_build.exercises import check_uses

    pages = built(tmp_path, {"a.md": ("A", "{{ exercice fx-qcm }}"), "b.md": ("B", "Texte.\n\n{{ exercice fx-qcm }}")})
    errors = check_uses(pages, valid())
    assert any(e.startswith("docs/b.md:3: ") and "déjà placé en docs/a.md:1" in e for e in errors), errors


def test_index_lists_modules_in_course_order(tmp_path, at_root):
    from site_build.exercises import index

    pages = built(tmp_path, {
        "modules/10-fin.md": ("10. Fin", "{{ exercice fx-ordre }}"),
        "modules/02-debut.md": ("2. Début", "{{ exercice fx-qcm }}\n\n{{ exercice fx-calcul }}"),
        "guide.md": ("Guide", "{{ exercice fx-vrai-faux }}"),
    })
    result = index(pages, valid())
    assert [m["module"] for m in result["modules"]] == [2, 10]
    assert result["modules"][0]["url"] == "modules/02-debut/"
    assert result["modules"][0]["title"] == "2. Début"  # the page's title, without the site's name
    assert [e["id"] for e in result["modules"][0]["exercises"]] == ["fx-qcm", "fx-calcul"]
    assert result["pages"] == [{"title": "Guide", "url": "guide/", "exercises": [
        {"id": "fx-vrai-faux", "title": valid()["fx-vrai-faux"].title, "kind": "vrai_faux"}]}]


def test_built_pages_are_traced_back_to_their_sources(tmp_path):
    from site_build.site_pages import page_title, source_of, url_of

    docs = tmp_path / "docs"
    for name in ("index.md", "modules/03-x.md", "guide/index.md"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("# T\n", encoding="utf-8")
    assert source_of("index.html", docs) == "index.md" and url_of("index.html") == ""
    assert source_of("modules/03-x/index.html", docs) == "modules/03-x.md"
    assert url_of("modules/03-x/index.html") == "modules/03-x/"
    assert source_of("guide/index.html", docs) == "guide/index.md"
    assert source_of("ailleurs/index.html", docs) is None
    assert page_title("<title>3. Contrat &amp; conditions - Cours</title>", "Cours") == "3. Contrat & conditions"
    assert page_title("<title>Cours</title>", "Cours") == "Cours"


# --------------------------------------------------------------------------- the course itself


def test_course_exercises_meet_the_syllabus():
    from collections import Counter

    from site_build.exercises import load_all

    exercises = load_all(ROOT / "exercises" / "quiz", ROOT)
    course = {i: e for i, e in exercises.items() if re.match(r"m\d\d-", i)}
    assert len(course) >= 24
    per_module = Counter(int(i[1:3]) for i in course)
    assert all(per_module[m] >= 2 for m in range(0, 11)), per_module  # module 0 too (syllabus)
    kinds = Counter(e.kind for e in course.values())
    assert all(kinds[k] >= 2 for k in ("qcm", "vrai_faux", "ordre", "classement", "calcul", "redaction")), kinds


def test_each_module_page_embeds_its_own_exercises():
    from site_build.exercises import directive_lines

    for page in sorted((ROOT / "docs" / "modules").glob("[01][0-9]-*.md")):
        ids = [i for _, i in directive_lines(page.read_text(encoding="utf-8"))]
        assert all(i.startswith(f"m{page.name[:2]}-") for i in ids), (page.name, ids)


def test_indemnity_exercise_counts_40_euros_as_the_cjeu_does():
    """C-585/20: per late invoice; C-78/22: per late periodic payment; a plan agreed afterwards: once."""
    from site_build.exercises import load_all

    exercises = load_all(ROOT / "exercises" / "quiz", ROOT)
    ex = exercises["m03-indemnite-40"].data
    assert [v["resultat"] for v in ex["variantes"]] == \
        [(v["valeurs"]["factures"] + v["valeurs"]["mensualites"] + 1) * 40 for v in ex["variantes"]]
    assert "m03-indemnite" not in exercises  # its answer changed: a new id, old progress is not re-marked


def test_guide_examples_are_the_real_exercises():
    """Each YAML block of the authoring guide is valid and identical to the example shown below it."""
    import yaml

    from site_build.exercises import load_all

    guide = (ROOT / "docs" / "auteurs.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", guide, flags=re.S) if b.startswith("id: exemple-")]
    assert len(blocks) == 6
    examples = yaml.safe_load((ROOT / "exercises" / "quiz" / "exemples.yml").read_text(encoding="utf-8"))
    assert [yaml.safe_load(b) for b in blocks] == examples
    real = load_all(ROOT / "exercises" / "quiz", ROOT)
    for example in examples:
        assert f"{{{{ exercice {example['id']} }}}}" in guide
        assert real[example["id"]].kind == example["type"]


def test_a_trap_that_gives_the_right_result_is_refused(tmp_path):
    from site_build.exercises import ExerciseError, load_all

    (tmp_path / "c.yml").write_text(
        "id: c-un\ntype: calcul\ntitre: T\nconsigne: C\nvariantes:\n  - {prix: 100, part: 30}\n  - {prix: 100, part: 50}\n"
        "formule: prix * part / 100\nunite: €\nsolution: S\npieges:\n  - formule: prix * (100 - part) / 100\n"
        "    commentaire: Le solde.\n", encoding="utf-8")
    with pytest.raises(ExerciseError) as info:
        load_all(tmp_path, tmp_path)
    assert info.value.errors == ["c.yml:7: exercice « c-un », champ « variantes[2] » : le piège n° 1 donne ici le bon "
                                 "résultat (50) : changez ces chiffres, sinon une erreur serait comptée juste"]


def build_copy(copy, generator):
    """Build a copy of the course the way the README says for each generator; return (ok, output)."""
    import os
    import subprocess

    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
    if generator == "mkdocs":
        steps = [[str(bin_dir / "mkdocs"), "build", "--strict", "-d", str(copy / "site")]]
    else:
        steps = [[sys.executable, "-m", "site_build", "check"],
                 [str(bin_dir / "zensical"), "build", "--strict", "--clean"],
                 [sys.executable, "-m", "site_build", "finish", "site"]]
    output = ""
    for cmd in steps:
        result = subprocess.run(cmd, cwd=copy, capture_output=True, text=True, env=env)
        output += result.stdout + result.stderr
        if result.returncode != 0:
            return False, output
    return True, output


@pytest.mark.parametrize("generator", ["mkdocs", "zensical"])
def test_the_build_stops_on_a_broken_exercise_and_names_it(tmp_path, generator):
    """End to end: a copy of the course with a broken exercise and a page naming an unknown id."""
    import shutil

    copy = tmp_path / "cours"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".venv", "node_modules", ".git", "build", "site", "tests", "bench", "__pycache__", ".*cache", ".hypothesis"))

    shutil.copy(FIXTURES / "out-of-range" / "hors-limites.yml", copy / "exercises" / "quiz" / "zz.yml")
    ok, output = build_copy(copy, generator)
    assert not ok
    assert "exercises/quiz/zz.yml:9: exercice « fx-hors-limites », champ « reponse »" in output

    (copy / "exercises" / "quiz" / "zz.yml").unlink()
    page = copy / "docs" / "modules" / "03-contrat-et-conditions.md"
    page.write_text(page.read_text(encoding="utf-8").replace("{{ exercice m03-penalites }}",
                                                             "{{ exercice m03-penalite }}"), encoding="utf-8")
    line = next(n for n, text in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
                if "m03-penalite }}" in text)
    ok, output = build_copy(copy, generator)
    assert not ok
    assert (f"docs/modules/03-contrat-et-conditions.md:{line}: directive « {{{{ exercice m03-penalite }}}} », "
            "champ « id » : exercice inconnu (vouliez-vous dire « m03-penalites » ?)") in output
    id_line = next(n for n, text in enumerate((copy / "exercises" / "quiz" / "m03-contrat.yml")
                                              .read_text(encoding="utf-8").splitlines(), 1) if "id: m03-penalites" in text)
    assert (f"exercises/quiz/m03-contrat.yml:{id_line}: exercice « m03-penalites », champ « id » : "
            "utilisé par aucune page") in output


def test_a_tab_after_a_colon_is_refused_in_french_like_any_tab():
    # libyaml (the fast parser) would accept it; the course's rule is spaces only.
    message = only_error("tab-separator")
    assert message.startswith(f"{REL}/tab-separator/tabulation.yml:2: YAML invalide")
    assert "tabulation" in message


def test_both_yaml_parsers_read_every_file_of_the_repository_alike():
    import yaml

    from simulator.authoring import line_loaders

    _Loader, _FastLoader, _ = line_loaders()

    def shape(value):  # values, with the line marks the error messages rely on
        if isinstance(value, dict):
            return ("map", getattr(value, "line", None), dict(getattr(value, "lines", {})),
                    {k: shape(v) for k, v in value.items()})
        if isinstance(value, list):
            return ("seq", getattr(value, "line", None), list(getattr(value, "lines", [])),
                    [shape(v) for v in value])
        return value

    files = [p for p in ROOT.glob("**/*.yml") if not {".venv", "node_modules", "site", "build"} & set(p.parts)]
    read = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            slow = yaml.load(text, Loader=_Loader)  # noqa: S506
        except yaml.YAMLError:
            continue  # the fixtures that must fail: they never reach the fast parser's result
        assert shape(yaml.load(text, Loader=_FastLoader)) == shape(slow), path  # noqa: S506
        read += 1
    assert read >= 20
