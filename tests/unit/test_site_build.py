"""Build code: the simulator wheel, the vendored Pyodide runtime, its lock file."""

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform == "emscripten", reason="the site is built with CPython, not in the browser"
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel_path(tmp_path_factory):
    from site_build.wheel import build_wheel

    return build_wheel(ROOT, tmp_path_factory.mktemp("wheel"))


def test_wheel_is_pure_python_and_holds_the_package(wheel_path):
    import simulator

    assert wheel_path.name == f"simulator-{simulator.__version__}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel_path).namelist()
    assert "simulator/__init__.py" in names
    assert not [n for n in names if n.endswith((".so", ".pyd"))]
    # Nothing but the package and its metadata goes to the browser.
    assert {n.split("/")[0] for n in names} == {"simulator", wheel_path.name.split("-py3")[0] + ".dist-info"}


def test_wheel_declares_no_dependency(wheel_path):
    metadata = zipfile.ZipFile(wheel_path).read(
        next(n for n in zipfile.ZipFile(wheel_path).namelist() if n.endswith("METADATA"))
    ).decode()
    # Only the optional extras (site, tests) may appear; the browser would fetch anything else.
    required = [line for line in metadata.splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert required == []


def test_wheel_is_reproducible(wheel_path, tmp_path):
    from site_build.wheel import build_wheel

    again = build_wheel(ROOT, tmp_path)
    assert again.read_bytes() == wheel_path.read_bytes()


def test_runtime_copy_takes_only_what_the_browser_needs(tmp_path):
    from site_build import pyodide_vendor

    copied = pyodide_vendor.copy_runtime(pyodide_vendor.pyodide_dir(ROOT), tmp_path)
    assert sorted(p.name for p in copied) == sorted(pyodide_vendor.RUNTIME_FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(pyodide_vendor.RUNTIME_FILES)


def test_missing_runtime_file_is_named(tmp_path):
    from site_build import pyodide_vendor

    source = tmp_path / "pyodide"
    source.mkdir()
    (source / "pyodide.mjs").write_text("")
    with pytest.raises(pyodide_vendor.VendorError, match="pyodide.asm.mjs"):
        pyodide_vendor.copy_runtime(source, tmp_path / "out")


def test_missing_node_modules_says_how_to_fix(tmp_path):
    from site_build import pyodide_vendor

    with pytest.raises(pyodide_vendor.VendorError, match="npm ci"):
        pyodide_vendor.pyodide_dir(tmp_path)


def test_lock_file_registers_the_wheel_with_its_sha256(wheel_path, tmp_path):
    from site_build import pyodide_vendor

    shipped = tmp_path / wheel_path.name
    shipped.write_bytes(wheel_path.read_bytes())
    source_lock = pyodide_vendor.pyodide_dir(ROOT) / pyodide_vendor.LOCK_FILE
    lock = pyodide_vendor.register_wheels(source_lock, [shipped], tmp_path / "pyodide-lock.json")

    entry = lock["packages"]["simulator"]
    assert entry["file_name"] == wheel_path.name
    assert entry["sha256"] == hashlib.sha256(wheel_path.read_bytes()).hexdigest()
    assert entry["imports"] == ["simulator"]
    # Pruned: no entry points at a wheel the site does not serve.
    assert set(lock["packages"]) == {"simulator"}
    on_disk = json.loads((tmp_path / "pyodide-lock.json").read_text())
    assert on_disk["info"] == json.loads(source_lock.read_text())["info"]


def test_search_folding_adds_accent_free_words_once(tmp_path):
    from site_build import search_folding

    assert search_folding.fold("Échéance") == "Echeance"
    # Tags are not words; each accented word is added once; plain words are not repeated.
    assert search_folding.folded_words(
        '<p class="é">Échéance, échéance et <b>trésorerie</b> : 40 €</p>') == ["Echeance", "tresorerie"]
    index = tmp_path / "search_index.json"
    index.write_text(json.dumps({"docs": [
        {"location": "a/", "title": "Échéance", "text": "<p>Payer à l’échéance.</p>"},
        {"location": "b/", "title": "Plain", "text": "<p>Nothing to fold here.</p>"},
    ]}), encoding="utf-8")
    assert search_folding.fold_index(index) == 1
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    assert docs[0]["text"].startswith("<p>Payer à l’échéance.</p>")  # the preview is unchanged
    assert 'class="search-folded" hidden>Echeance a' in docs[0]["text"]
    assert docs[1]["text"] == "<p>Nothing to fold here.</p>"
    # Folding again (a second `finish` on the same site) adds nothing.
    search_folding.fold_index(index)
    assert json.loads(index.read_text(encoding="utf-8"))["docs"] == docs


def test_lock_file_cache_is_reused_only_for_identical_inputs(wheel_path, tmp_path, monkeypatch):
    from site_build import pyodide_vendor

    site = tmp_path / "site"
    site.mkdir()
    (site / wheel_path.name).write_bytes(wheel_path.read_bytes())
    source_lock = pyodide_vendor.pyodide_dir(ROOT) / pyodide_vendor.LOCK_FILE
    cache = tmp_path / "cache"
    first = pyodide_vendor.register_wheels(source_lock, [site / wheel_path.name], site / "lock.json", cache)
    assert len(list(cache.iterdir())) == 1

    calls = []

    def refuse(cmd, **kwargs):  # stands for `pyodide lockfile add-wheels`; records each run
        calls.append(cmd)
        return subprocess.CompletedProcess(cmd, 1, "", "not run in this test")

    monkeypatch.setattr(pyodide_vendor.subprocess, "run", refuse)
    again = pyodide_vendor.register_wheels(source_lock, [site / wheel_path.name], site / "lock.json", cache)
    assert again == first and calls == []  # same inputs: no `pyodide` run

    # A changed wheel (new sha256) never reuses the old entry: the command runs again.
    (site / wheel_path.name).write_bytes(wheel_path.read_bytes() + b"\0")
    with pytest.raises(pyodide_vendor.VendorError, match="not run in this test"):
        pyodide_vendor.register_wheels(source_lock, [site / wheel_path.name], site / "lock.json", cache)
    assert len(calls) == 1


def test_a_course_link_to_a_missing_page_or_section_is_reported(tmp_path):
    from site_build.scenarios import check_course_links
    from simulator import load_scenario

    scenario = load_scenario(ROOT / "exercises" / "appels" / "litige-invente.yml").to_dict()
    site = tmp_path / "site"
    page = site / "modules" / "08-appel-de-relance" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<h2 id="garder-son-calme">Garder son calme</h2>'
                    '<h2 id="4-conclure-une-action-precise-et-une-date-exacte">4.</h2>', encoding="utf-8")
    problems = check_course_links([scenario], site)
    assert any("critère « questions » : la section « #2-comprendre-ecouter-et-questionner » n’existe pas "
               "dans docs/modules/08-appel-de-relance.md" in p for p in problems), problems
    assert any("critère « documents » : la page du cours docs/modules/09-apres-appel.md n’existe pas" in p
               for p in problems), problems
    assert not any("« exact_date »" in p or "« professional_tone »" in p for p in problems)
