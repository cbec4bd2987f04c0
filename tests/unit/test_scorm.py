"""The SCORM package's build code (site_build/scorm.py): the LMS settings with French errors,
the LMS build's configuration, the finish step of an LMS build, the manifest valid against the
SCORM 1.2 schemas shipped with it, a reproducible zip. The package in a SCORM runtime is
tested in tests/browser/test_scorm.py.
"""

import dataclasses
import io
import json
import re
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform == "emscripten", reason="the package is built with CPython, not in the browser"
)

ROOT = Path(__file__).resolve().parents[2]

from test_finish import course  # noqa: E402,F401  (the small course of the finish tests)


# ------------------------------------------------------------------ settings

def test_default_settings_are_the_documented_ones():
    from site_build import project, scorm

    assert scorm.settings({}) == scorm.DEFAULTS
    # mkdocs.yml spells out the defaults, for instructors to change.
    assert scorm.settings(project.load(ROOT / "mkdocs.yml").extra) == scorm.DEFAULTS


@pytest.mark.parametrize("given, message", [
    ({"exercices": "tous"}, "extra.scorm.exercices : « tous » ne convient pas ; écrivez « repondus »"),
    ({"appels": "quelques"}, "extra.scorm.appels : « quelques » ne convient pas ; écrivez « tous » ou un nombre"),
    ({"appels": -1}, "extra.scorm.appels : « -1 »"),
    ({"score_appel": 120}, "extra.scorm.score_appel : « 120 » ne convient pas ; écrivez un nombre de 0 à 100."),
    ({"seuil_reussite": "80"}, "extra.scorm.seuil_reussite : « 80 » ne convient pas ; écrivez un nombre de 0 à 100 ou null"),
    ({"seuil": 80}, "réglage inconnu « seuil » ; les réglages possibles sont exercices, appels"),
    ({"poids_exercices": 0, "poids_appels": 0}, "poids_exercices et poids_appels valent 0 tous les deux"),
])
def test_a_mistake_in_the_settings_is_named_in_french(given, message):
    from site_build import scorm

    with pytest.raises(scorm.ScormError) as error:
        scorm.settings({"scorm": given})
    assert message in str(error.value)
    assert str(error.value).startswith("mkdocs.yml, extra.scorm")


def test_settings_may_ask_for_no_call_and_never_passed():
    from site_build import scorm

    chosen = scorm.settings({"scorm": {"appels": 0, "seuil_reussite": None, "exercices": "reussis"}})
    assert (chosen["appels"], chosen["seuil_reussite"], chosen["exercices"]) == (0, None, "reussis")


# ------------------------------------------------------------------ the LMS build

def test_the_lms_build_has_no_site_url_no_instant_navigation_and_says_it_is_for_an_lms(tmp_path):
    from site_build import project, scorm

    config = scorm.lms_config(ROOT / "mkdocs.yml", ROOT / "build" / "scorm" / "site")
    assert config["INHERIT"] == "mkdocs.yml" and config["site_url"] == ""
    assert config["site_dir"] == "build/scorm/site"
    parent = project.read_config(ROOT / "mkdocs.yml")["theme"]["features"]
    assert "navigation.instant" in parent
    assert config["theme"]["features"] == [f for f in parent if not f.startswith("navigation.instant")]
    # Read back as any generator would: mkdocs.yml's settings, with these on top.
    child = tmp_path / "mkdocs.yml"
    child.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\nextra:\n  delivery: scorm\n", encoding="utf-8")
    found = project.load(child)
    assert found.delivery == "scorm" and found.extra["scorm"] == scorm.DEFAULTS
    assert project.load(ROOT / "mkdocs.yml").delivery == "site"


def lms_course(course):
    """The small course of test_finish, built for an LMS."""
    project, site = course
    (site / "assets").mkdir(exist_ok=True)
    (site / "assets" / "engine-worker.js").write_bytes((ROOT / "docs" / "assets" / "engine-worker.js").read_bytes())
    return dataclasses.replace(project, extra={**project.extra, "delivery": "scorm"}), site


def test_the_finish_step_adds_the_launch_page_and_names_the_runtime_modules_js(course):
    from site_build import finish

    project, site = lms_course(course)
    log = []
    finish.finish(project, site, log=log.append)
    launch = next(line for line in log if line.startswith("scorm_launch:"))
    assert launch.startswith("scorm_launch: scorm.html, Pyodide's modules as .js")
    # No offline app inside an LMS's frame: no manifest, no worker of ours, no compressed twins.
    assert any(line.startswith("installable_app: no offline app (LMS package)") for line in log), log
    assert not (site / "manifest.webmanifest").exists()
    # The renamed modules are new files: the runtime's hard links to node_modules are left alone.
    for source in ("pyodide.js", "pyodide.mjs"):
        assert "pyodide.asm.mjs" in (ROOT / "node_modules" / "pyodide" / source).read_text(encoding="utf-8")
    page = (site / "scorm.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="rp-lms-settings">(.*?)</script>', page, re.S)[1])
    assert data["start"] == "index.html" and data["title"] == "Cours"
    assert data["modules"] == {"03": [e for e in data["modules"]["03"]]} and len(data["modules"]["03"]) == 6
    assert set(data["scenarios"]) == {p.stem for p in (ROOT / "exercises" / "appels").glob("*.yml")}
    assert data["rule"]["appels"] == "tous"
    assert '<script type="module" src="assets/scorm.js">' in page
    # An LMS types .js files, not .mjs ones: the runtime's modules are renamed, and so are their names.
    runtime = site / "pyodide"
    assert {p.name for p in runtime.glob("*.js")} == {"pyodide.js", "pyodide.asm.js"}
    assert not list(site.rglob("*.mjs"))
    assert "pyodide.asm.mjs" not in (runtime / "pyodide.js").read_text(encoding="utf-8")


def test_the_finish_step_of_an_lms_build_runs_twice_alike(course):
    from site_build import finish

    project, site = lms_course(course)
    finish.finish(project, site, log=lambda line: None)
    first = {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    finish.finish(project, site, log=lambda line: None)
    assert {p: p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()} == first


def test_a_plain_build_gets_no_launch_page_but_its_settings_are_checked(course):
    from site_build import finish

    project, site = course
    log = []
    finish.finish(project, site, log=log.append)
    assert any(line.startswith("scorm_launch: not an LMS build") for line in log), log
    assert not (site / "scorm.html").exists() and (site / "pyodide" / "pyodide.mjs").exists()
    broken = dataclasses.replace(project, extra={"scorm": {"appels": "beaucoup"}})
    with pytest.raises(finish.FinishError, match="extra.scorm.appels : « beaucoup »"):
        finish.finish(broken, site, log=lambda line: None)


# ------------------------------------------------------------------ the package

@pytest.fixture
def lms_site(course):
    from site_build import finish

    project, site = lms_course(course)
    finish.finish(project, site, log=lambda line: None)
    (site / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    (site / "assets" / "bundle.js.map").write_text("{}", encoding="utf-8")
    (site / "index.html.gz").write_bytes(b"\x1f\x8b")
    (site / "boîte à outils.html").write_text("<html></html>", encoding="utf-8")
    return site


def test_the_manifest_is_valid_scorm_1_2_and_lists_every_file(lms_site, tmp_path):
    from lxml import etree

    from site_build import scorm

    out = scorm.package(lms_site, tmp_path / "cours.zip", "Se faire payer à temps")
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        manifest = archive.read("imsmanifest.xml")
        for name in scorm.SCHEMAS:
            (tmp_path / name).write_bytes(archive.read(name))
    assert names[0] == "imsmanifest.xml"
    # The schemas shipped in the package validate its manifest (adlcp imports imscp and xml).
    schema = etree.XMLSchema(etree.parse(str(tmp_path / "adlcp_rootv1p2.xsd")))
    document = etree.parse(io.BytesIO(manifest))
    assert schema.validate(document), schema.error_log
    ns = {"cp": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
    assert document.findtext("cp:metadata/cp:schemaversion", namespaces=ns) == "1.2"
    (resource,) = document.findall("cp:resources/cp:resource", ns)
    assert resource.get("{http://www.adlnet.org/xsd/adlcp_rootv1p2}scormtype") == "sco"
    assert resource.get("href") == "scorm.html"
    (item,) = document.findall("cp:organizations/cp:organization/cp:item", ns)
    assert item.get("identifierref") == resource.get("identifier")
    assert document.findtext("cp:organizations/cp:organization/cp:title", namespaces=ns) == "Se faire payer à temps"
    # Every file of the package is listed (URL-encoded), and only those; no map, sitemap or .gz.
    from urllib.parse import unquote

    listed = [unquote(f.get("href")) for f in resource.findall("cp:file", ns)]
    assert sorted(listed) == sorted(n for n in names if n != "imsmanifest.xml" and n not in scorm.SCHEMAS)
    assert "boîte à outils.html" in listed and "scorm.html" in listed
    assert not [n for n in names if n.endswith((".map", ".gz")) or n == "sitemap.xml"]


def test_a_broken_manifest_is_refused_by_the_schemas(tmp_path):
    """The schema check above can fail: a SCO without its scormtype's namespace is refused."""
    from lxml import etree

    from site_build import scorm

    for name in scorm.SCHEMAS:
        (tmp_path / name).write_bytes((scorm.FILES / name).read_bytes())
    schema = etree.XMLSchema(etree.parse(str(tmp_path / "adlcp_rootv1p2.xsd")))
    text = scorm.manifest("Cours", "cours", ["index.html"]).replace('adlcp:scormtype="sco"', 'adlcp:scormtype="leçon"')
    assert not schema.validate(etree.parse(io.BytesIO(text.encode())))


def test_the_same_site_gives_the_same_zip(lms_site, tmp_path):
    from site_build import scorm

    first = scorm.package(lms_site, tmp_path / "a.zip", "Cours").read_bytes()
    assert scorm.package(lms_site, tmp_path / "b.zip", "Cours").read_bytes() == first


def test_a_site_not_built_for_an_lms_is_not_packaged(course, tmp_path):
    from site_build import scorm

    _, site = course
    with pytest.raises(scorm.ScormError, match="pas de page de lancement scorm.html"):
        scorm.package(site, tmp_path / "cours.zip", "Cours")


def test_the_package_is_named_after_the_course():
    from site_build import scorm

    assert scorm.slug("Se faire payer à temps") == "se-faire-payer-a-temps"
    assert scorm.slug("L’appel : « relance » !") == "l-appel-relance"
