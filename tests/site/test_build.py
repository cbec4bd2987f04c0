"""The built site: strict build, French UI, vendored Pyodide and the simulator wheel.

Tests taking `any_site` run on both builds of the course: mkdocs-material (the
supported generator, its hooks run the finish steps) and Zensical followed by
`python -m site_build finish`.
"""

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pytest

import simulator

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["mkdocs", "zensical"])
def any_site(request):
    return request.getfixturevalue("built_site" if request.param == "mkdocs" else "zensical_site")


def test_strict_build_has_no_warning(built_site):
    # MkDocs log lines look like "WARNING -  Doc file ..."; strict mode would also have failed.
    assert not re.search(r"^(WARNING|ERROR)\b", built_site.output, re.M), built_site.output


def test_zensical_build_has_no_warning_and_every_finish_step_ran(zensical_site):
    from site_build.finish import STEPS

    assert "No issues found" in zensical_site.output, zensical_site.output
    for step in STEPS:
        assert re.search(rf"^{step.__name__}: ", zensical_site.output, re.M), step.__name__


def test_pages_are_french(any_site):
    home = (any_site.site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in home
    index = any_site.site / "search" / "search_index.json"  # mkdocs-material
    if not index.is_file():
        index = any_site.site / "search.json"  # Zensical
    assert json.loads(index.read_text(encoding="utf-8"))["config"]["lang"] == ["fr"]


def test_pyodide_runtime_is_vendored(any_site):
    runtime = any_site.site / "pyodide"
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (runtime / name).stat().st_size > 0, name
    # Only what the browser needs: no console pages, stubs or source maps.
    assert not list(runtime.glob("*.html")) and not list(runtime.glob("*.map"))


def test_lock_file_points_at_the_shipped_wheel(any_site):
    runtime = any_site.site / "pyodide"
    lock = json.loads((runtime / "pyodide-lock.json").read_text())
    entry = lock["packages"]["simulator"]
    wheel = runtime / entry["file_name"]
    assert entry["file_name"] == f"simulator-{simulator.__version__}-py3-none-any.whl"
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert "simulator/__init__.py" in zipfile.ZipFile(wheel).namelist()
    # Every package the lock file names is really on the server.
    for name, pkg in lock["packages"].items():
        assert (runtime / pkg["file_name"]).is_file(), name


def test_wheel_carries_bytecode_for_pyodides_python(any_site):
    runtime = any_site.site / "pyodide"
    python = json.loads((runtime / "pyodide-lock.json").read_text())["info"]["python"]  # "3.14.2"
    tag = "cpython-" + "".join(python.split(".")[:2])
    wheel = zipfile.ZipFile(runtime / f"simulator-{simulator.__version__}-py3-none-any.whl")
    sources = [n for n in wheel.namelist() if n.endswith(".py")]
    assert "simulator/web.py" in sources
    for source in sources:
        folder, name = source.rsplit("/", 1)
        pyc = wheel.read(f"{folder}/__pycache__/{name[:-3]}.{tag}.pyc")
        assert int.from_bytes(pyc[4:8], "little") == 0b01, source  # hash-based, used unchecked
    # RECORD lists them with their hashes, as a wheel must.
    record = wheel.read(f"simulator-{simulator.__version__}.dist-info/RECORD").decode()
    assert f"simulator/__pycache__/web.{tag}.pyc,sha256=" in record


def test_simulator_page_loads_the_engine_from_the_site(any_site):
    page = (any_site.site / "simulateur" / "index.html").read_text(encoding="utf-8")
    assert 'id="simulateur"' in page
    status_tag = re.search(r'<p [^>]*class="sim-status"[^>]*>', page).group(0)
    assert 'role="status"' in status_tag and 'aria-live="polite"' in status_tag  # loading is announced
    worker = (any_site.site / "assets" / "engine-worker.js").read_text(encoding="utf-8")
    assert 'new URL("../pyodide/", import.meta.url)' in worker  # same-origin runtime, no CDN
    assert (any_site.site / "pyodide" / "pyodide.asm.wasm").is_file()


def test_no_page_loads_a_resource_from_another_host(any_site):
    # Links in the text may point elsewhere; scripts, styles, images and fonts may not.
    resource = re.compile(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="(https?://[^"]+)"'
                          r'|<link\b[^>]*\bhref="(https?://[^"]+)"')
    for page in any_site.site.rglob("*.html"):
        for match in resource.finditer(page.read_text(encoding="utf-8")):
            url = match.group(1) or match.group(2)
            assert url.startswith("http://127.0.0.1:8000/"), (page, url)


def test_every_scenario_is_published_whole(built_site):
    """The browser gets each scenario with its objections written out (no library to read)."""
    folder = built_site.site / "simulateur" / "scenarios"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert len(index) == len(list((ROOT / "exercises" / "appels").glob("*.yml")))
    penalties = json.loads((folder / "penalites-contestees.json").read_text(encoding="utf-8"))
    objection = penalties["persona"]["objections"][0]
    assert objection["id"] == "penalites" and objection["lifted_by"] and objection["replies"]["raise"]
    gated = json.loads((folder / "barrage-assistante.json").read_text(encoding="utf-8"))
    assert gated["gatekeeper"]["objections"][0]["id"] == "barrage"


def _project_copy(tmp_path):
    """The course's sources in a temporary folder (node_modules shared), to break one thing."""
    import shutil

    copy = tmp_path / "cours"
    for name in ("docs", "exercises", "includes", "overrides", "site_build", "simulator"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "pyproject.toml", "package.json"):
        shutil.copy(ROOT / name, copy / name)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


def _build(project):
    import os
    import subprocess
    import sys
    from pathlib import Path

    mkdocs = Path(sys.executable).parent / "mkdocs"
    return subprocess.run([str(mkdocs), "build", "--strict"], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"})


def test_a_failing_example_conversation_fails_the_build_with_its_transcript(tmp_path):
    project = _project_copy(tmp_path)
    path = project / "exercises" / "appels" / "client-distrait.yml"
    text = path.read_text(encoding="utf-8")
    assert "score_max: 40" in text
    path.write_text(text.replace("score_max: 40", "score_min: 95"), encoding="utf-8")  # a poor call never gets 95
    result = _build(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "exercises/appels/client-distrait.yml:" in output
    assert "expect.score_min : score attendu d’au moins 95" in output
    assert "    Vous : " in output and "conversation rejouée" in output


def test_a_broken_objection_file_fails_the_build_with_its_line(tmp_path):
    project = _project_copy(tmp_path)
    path = project / "exercises" / "objections" / "litige.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - moves: [refer_documents]",
                                                             "  - moves: [refer_document]"), encoding="utf-8")
    output = "".join(_build(project).__dict__[k] or "" for k in ("stdout", "stderr"))
    assert "exercises/objections/litige.yml:" in output
    assert "mouvement inconnu « refer_document » (vouliez-vous dire « refer_documents » ?)" in output


def test_every_exercise_is_on_its_page_and_in_the_progress_list(any_site):
    from site_build.exercises import load_all

    exercises = load_all(ROOT / "exercises" / "quiz", ROOT)
    index = json.loads((any_site.site / "exercices" / "index.json").read_text(encoding="utf-8"))
    listed = [e["id"] for m in index["modules"] for e in m["exercises"]] + \
             [e["id"] for p in index["pages"] for e in p["exercises"]]
    assert sorted(listed) == sorted(exercises)
    assert [m["module"] for m in index["modules"]] == list(range(11))
    module3 = index["modules"][3]
    assert (module3["title"], module3["url"]) == ("3. Contrat et conditions de paiement", "modules/03-contrat-et-conditions/")
    page = (any_site.site / module3["url"] / "index.html").read_text(encoding="utf-8")
    for exercise in module3["exercises"]:
        # The directive knew the page it was on: the module's progress counts the exercise.
        assert re.search(rf'<section [^>]*data-ex-id="{exercise["id"]}"[^>]*data-module="03"', page), exercise


def test_every_call_scenario_is_shipped_as_json(any_site):
    listed = json.loads((any_site.site / "simulateur" / "scenarios" / "index.json").read_text(encoding="utf-8"))
    assert {s["id"] for s in listed} == {p.stem for p in (ROOT / "exercises" / "appels").glob("*.yml")}
    assert all((any_site.site / "simulateur" / "scenarios" / f"{s['id']}.json").is_file() for s in listed)


def test_search_finds_words_typed_without_accents(built_site):
    # mkdocs-material's lunr keeps accents: the finish step adds the accent-free forms.
    # (Zensical's own search ignores accents; the browser test of the course checks ours.)
    docs = json.loads((built_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    folded = [d for d in docs if 'class="search-folded"' in d["text"]]
    assert folded and all(d["text"].count('class="search-folded"') == 1 for d in folded)
    assert any("echeance" in d["text"].lower() for d in folded)


def test_both_generators_ship_the_same_course_assets(built_site, zensical_site):
    for rel in ("exercices/index.json", "simulateur/scenarios/index.json", "pyodide/pyodide-lock.json",
                f"pyodide/simulator-{simulator.__version__}-py3-none-any.whl"):
        assert (built_site.site / rel).read_bytes() == (zensical_site.site / rel).read_bytes(), rel


def test_each_generator_keeps_its_own_search_box(built_site, zensical_site):
    # overrides/partials/search.html names mkdocs-material's dialog, and leaves Zensical's markup alone.
    material = (built_site.site / "index.html").read_text(encoding="utf-8")
    zensical = (zensical_site.site / "index.html").read_text(encoding="utf-8")
    assert 'class="md-search__inner"' in material and 'class="md-search__button"' not in material
    assert 'class="md-search__button"' in zensical and 'class="md-search__inner"' not in zensical
    for page in (material, zensical):
        assert re.search(r'<div class="md-search" [^>]*role="dialog" aria-label="[^"]+"', page)


def _rates(day):
    from pathlib import Path

    from site_build import taux

    return taux.charger(Path(__file__).resolve().parents[2] / "exercises" / "taux.yml", day,
                        chemin="exercises/taux.yml", avertir=False)


def test_the_real_build_warns_and_marks_rates_exactly_when_they_are_to_be_checked(built_site):
    import datetime as dt

    stale = bool(_rates(dt.date.today()).perimes())
    module3 = (built_site.site / "modules" / "03-contrat-et-conditions" / "index.html").read_text(encoding="utf-8")
    assert ("ATTENTION (taux)" in built_site.output) == stale, built_site.output
    assert ("rp-taux--a-verifier" in module3) == stale
    assert 'data-taux="penalites-defaut"' in module3 and "<table>" in module3


def test_a_build_dated_inside_the_last_period_shows_current_rates_without_warning(tmp_path):
    """A simulated build date (DATE_DE_CONSTRUCTION) inside the file's last period: no « à vérifier », no warning."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    last = max(p.du for rate in _rates(__import__("datetime").date(2026, 1, 1)).taux.values() for p in rate.periodes[-1:])
    env = {**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1", "DATE_DE_CONSTRUCTION": last.isoformat()}
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-d", str(tmp_path / "site")],
                            cwd=root, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ATTENTION (taux)" not in result.stdout + result.stderr
    page = (tmp_path / "site" / "modules" / "03-contrat-et-conditions" / "index.html").read_text(encoding="utf-8")
    assert "à vérifier" not in page and "Taux à vérifier" not in page
    rates = _rates(last)
    assert f"{rates.valeur('penalites-defaut').texte} ({rates.valeur('penalites-defaut').periode.libelle})" in page
    exercise = page[page.index('id="ex-m03-client-public"'):]
    assert rates.valeur("interets-moratoires-public").texte.replace("\u00a0%", "") in exercise


def test_the_call_module_links_every_scenario_by_its_id(built_site):
    """A new scenario must be offered where the course teaches the call (module 8)."""
    page = (built_site.site / "modules" / "08-appel-de-relance" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="[^"]*simulateur/(?:index\.html)?\?scenario=([a-z0-9-]+)"', page))
    assert linked == {p.stem for p in (ROOT / "exercises" / "appels").glob("*.yml")}


# ------------------------------------------------------------------ offline app, production serving

def test_every_page_registers_the_offline_app_and_the_worker_lists_every_page(any_site):
    import brotli

    site = any_site.site
    text = (site / "sw.js").read_text(encoding="utf-8")
    lists = json.loads(re.search(r"const PRECACHE = (\{.*?\});\n", text).group(1))
    course = {path: revision for path, revision, _ in lists["course"]}
    pages = [p for p in site.rglob("index.html") if "bench-" not in p.as_posix()]
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert html.count("<!-- hors-ligne -->") == 1, page
        relative = page.relative_to(site).as_posix()
        url = "./" if relative == "index.html" else relative[: -len("index.html")]
        assert course[url] == hashlib.sha256(page.read_bytes()).hexdigest()[:16], url  # listed as built
    for needed in ("assets/offline.js", "assets/hors-ligne.css", "assets/engine-worker.js", "manifest.webmanifest",
                   "simulateur/scenarios/index.json", "exercices/index.json"):
        assert needed in course, needed
    wheel = next((site / "pyodide").glob("simulator-*.whl")).name
    assert {path.split("/")[-1] for path, _, _ in lists["engine"]} == {
        "pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json", wheel}
    manifest = json.loads((site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["lang"] == "fr" and all((site / icon["src"]).is_file() for icon in manifest["icons"])
    # The engine's files have Brotli twins with the same bytes (nginx sends them as they are).
    for name in ("pyodide.asm.wasm", "python_stdlib.zip", wheel):
        original = site / "pyodide" / name
        assert brotli.decompress((site / "pyodide" / f"{name}.br").read_bytes()) == original.read_bytes(), name


def test_the_shipped_standard_library_is_trimmed_and_stored(any_site):
    with zipfile.ZipFile(any_site.site / "pyodide" / "python_stdlib.zip") as shipped:
        names = set(shipped.namelist())
        assert {info.compress_type for info in shipped.infolist()} == {zipfile.ZIP_STORED}
    for needed in ("json/__init__.py", "re/__init__.py", "difflib.py", "random.py", "zipfile/__init__.py",
                   "_pyodide/__init__.py", "pyodide/__init__.py", "encodings/utf_8.py", "encodings/cp437.py"):
        assert needed in names, needed
    assert "sqlite3/dbapi2.py" not in names and "xmlrpc/server.py" not in names
