"""The finish command: on any built site, it adds what the course needs besides its pages.

The site here is a small one written the way a generator writes it (pages converted
by the exercise extension, a mkdocs-material search index); the real course built by
both generators is tested in tests/site.
"""

import dataclasses
import hashlib
import json
import sys
from pathlib import Path

import pytest
from unit_helpers import page_context

pytestmark = pytest.mark.skipif(
    sys.platform == "emscripten", reason="the site is built with CPython, not in the browser"
)

ROOT = Path(__file__).resolve().parents[2]
QUIZ = ROOT / "tests" / "unit" / "fixtures" / "exercises" / "valid"


def page_html(title, markdown_text, src):
    """A page as a generator writes it (the exercise extension sees the page through Zensical's context)."""
    import markdown

    md = markdown.Markdown(extensions=["site_build.exercise_directive", page_context(src)],
                           extension_configs={"site_build.exercise_directive": {"quiz_dir": str(QUIZ)}})
    return f"<html><head><title>{title} - Cours</title></head><body>{md.convert(markdown_text)}</body></html>"


@pytest.fixture
def course(tmp_path, monkeypatch):
    """(project, site): the real scenarios and simulator, test exercises on one module page."""
    from site_build import exercises, project

    monkeypatch.chdir(ROOT)
    docs, site = tmp_path / "docs", tmp_path / "site"
    text = "# Module 3\n\n" + "\n\n".join(f"{{{{ exercice {i} }}}}" for i in exercises.load_all(QUIZ, ROOT))
    (docs / "modules").mkdir(parents=True)
    (docs / "modules" / "03-test.md").write_text(text, encoding="utf-8")
    (site / "modules" / "03-test").mkdir(parents=True)
    (site / "modules" / "03-test" / "index.html").write_text(
        page_html("3. Test", text, "modules/03-test.md"), encoding="utf-8")
    (site / "index.html").write_text("<html><title>Cours</title></html>", encoding="utf-8")
    (site / "search").mkdir()
    (site / "search" / "search_index.json").write_text(json.dumps({"config": {"lang": ["fr"]}, "docs": [
        {"location": "modules/03-test/", "title": "Échéance", "text": "<p>Payer à l’échéance.</p>"}]}),
        encoding="utf-8")
    real = project.load(ROOT / "mkdocs.yml")
    # The course sections the scenarios' criteria link to ("Revoir dans le cours").
    from simulator.debrief import course_link
    from site_build.scenarios import _criteria_links, load_all

    for scenario in load_all(real.scenario_dir, ROOT, replay=False):
        for _, course in _criteria_links(scenario):
            url, _ = course_link(course, {})
            page, _, anchor = url.partition("#")
            path = site / page.replace("../", "", 1) / "index.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as out:
                out.write(f'<h2 id="{anchor}">Section</h2>')
    return dataclasses.replace(real, docs_dir=docs, quiz_dir=QUIZ, site_name="Cours"), site


def snapshot(site):
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_finish_writes_everything_the_course_adds(course):
    import simulator
    from site_build import finish

    project, site = course
    log = []
    finish.finish(project, site, log=log.append)
    assert [line.split(":")[0] for line in log] == [step.__name__ for step in finish.STEPS]

    # The exercise list of the progress page.
    index = json.loads((site / "exercices" / "index.json").read_text(encoding="utf-8"))
    assert [(m["module"], m["title"], m["url"]) for m in index["modules"]] == [(3, "3. Test", "modules/03-test/")]
    assert len(index["modules"][0]["exercises"]) == 6
    # Every call scenario as JSON, and their list.
    scenarios = json.loads((site / "simulateur" / "scenarios" / "index.json").read_text(encoding="utf-8"))
    assert {s["id"] for s in scenarios} == {p.stem for p in (ROOT / "exercises" / "appels").glob("*.yml")}
    for s in scenarios:
        assert json.loads((site / "simulateur" / "scenarios" / f"{s['id']}.json").read_text())["id"] == s["id"]
    # The Python runtime, the simulator wheel and the lock file that vouches for it.
    runtime = site / "pyodide"
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (runtime / name).stat().st_size > 0
    wheel = runtime / f"simulator-{simulator.__version__}-py3-none-any.whl"
    lock = json.loads((runtime / "pyodide-lock.json").read_text())
    assert lock["packages"]["simulator"]["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    # The search finds "echeance".
    text = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"][0]["text"]
    assert text == '<p>Payer à l’échéance.</p> <span class="search-folded" hidden>Echeance a l’echeance</span>'


def test_finish_twice_gives_the_same_site(course):
    from site_build import finish

    project, site = course
    finish.finish(project, site, log=lambda line: None)
    first = snapshot(site)
    finish.finish(project, site, log=lambda line: None)
    assert snapshot(site) == first
    assert len(list((site / "pyodide").glob("simulator-*.whl"))) == 1


def test_a_new_step_is_one_function_in_steps(course, monkeypatch):
    from site_build import finish

    def manifest(build):
        (build.site / "manifest.txt").write_text(f"{len(build.inputs.scenarios)} appels", encoding="utf-8")
        return "manifest.txt"

    monkeypatch.setattr(finish, "STEPS", (*finish.STEPS, manifest))
    project, site = course
    log = []
    finish.finish(project, site, log=log.append)
    count = len(list((ROOT / "exercises" / "appels").glob("*.yml")))
    assert (site / "manifest.txt").read_text(encoding="utf-8") == f"{count} appels"
    assert log[-1].startswith("manifest: manifest.txt (")


def test_an_exercise_on_no_page_stops_finish_with_file_and_line(course):
    from site_build import finish

    project, site = course
    (site / "modules" / "03-test" / "index.html").write_text(
        page_html("3. Test", "{{ exercice fx-qcm }}", "modules/03-test.md"), encoding="utf-8")
    with pytest.raises(finish.FinishError) as info:
        finish.finish(project, site, log=lambda line: None)
    assert "tests/unit/fixtures/exercises/valid/m03-valide.yml:22: exercice « fx-ordre », champ « id » : " \
           "utilisé par aucune page" in str(info.value)
    assert not (site / "pyodide").exists()  # stopped before the long steps


def test_missing_pyodide_says_how_to_install_it(course, tmp_path):
    import dataclasses as dc

    from site_build import finish

    project, site = course
    with pytest.raises(finish.FinishError, match="npm ci"):
        finish.finish(dc.replace(project, root=tmp_path), site, inputs=finish.validate(project),
                      log=lambda line: None)


def test_the_command_names_what_is_wrong_in_french(tmp_path, capsys, monkeypatch):
    from site_build.__main__ import main

    monkeypatch.chdir(ROOT)
    assert main(["finish", str(tmp_path / "nulle-part")]) == 1
    assert "aucun site construit ici" in capsys.readouterr().err
    assert main(["-f", str(tmp_path / "absent.yml"), "check"]) == 1
    assert "fichier de configuration introuvable" in capsys.readouterr().err
    assert main(["check"]) == 0
    assert "exercice(s) valides" in capsys.readouterr().out


def test_the_project_is_read_from_mkdocs_yml(tmp_path):
    from site_build import project

    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Cours\ndocs_dir: pages\nmarkdown_extensions:\n  - toc:\n      permalink: true\n"
                      "  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                      "  - site_build.exercise_directive:\n      quiz_dir: quiz\n", encoding="utf-8")
    found = project.load(config)
    assert (found.root, found.docs_dir, found.quiz_dir) == (tmp_path, tmp_path / "pages", tmp_path / "quiz")
    assert found.site_name == "Cours" and found.scenario_dir == tmp_path / "exercises" / "appels"


def test_offline_app_is_left_out_by_the_switch_and_on_a_development_server(course, monkeypatch):
    from site_build import finish

    project, site = course
    page = site / "modules" / "03-test" / "index.html"
    finish.finish(project, site, log=lambda line: None)
    assert (site / "sw.js").is_file() and (site / "manifest.webmanifest").is_file()
    assert "assets/offline.js" in page.read_text(encoding="utf-8")
    assert (site / "pyodide" / "pyodide.asm.wasm.br").is_file()
    # A SCORM package (served inside an LMS's frame) is built with the switch off.
    monkeypatch.setenv("COURS_HORS_LIGNE", "non")
    finish.finish(project, site, log=lambda line: None)
    assert not (site / "manifest.webmanifest").exists()
    assert "offline.js" not in page.read_text(encoding="utf-8")
    # No page registers a worker; /sw.js only retires one a browser may have from before.
    assert "unregister()" in (site / "sw.js").read_text() and "PRECACHE" not in (site / "sw.js").read_text()
    monkeypatch.delenv("COURS_HORS_LIGNE")
    finish.finish(project, site, log=lambda line: None, serving=True)  # mkdocs serve
    assert "PRECACHE" not in (site / "sw.js").read_text() and "offline.js" not in page.read_text(encoding="utf-8")
