"""The build steps for offline use and production serving, on small sites written here:
precompressed copies, the pages' tags, the service worker's lists, the manifest and its
icons, and the trimmed standard library. The real course is checked in tests/site and, in
Chromium and behind nginx, in tests/browser (test_offline.py, test_nginx.py)."""

import gzip
import io
import json
import random
import re
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform == "emscripten", reason="the site is built with CPython, not in the browser"
)

TEXT = ("Relancer un client : une action précise et une date exacte. " * 40).encode()


def write(path: Path, data) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def page(title):
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{'<p>texte</p>' * 80}</body></html>"


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    write(root / "index.html", page("Accueil"))
    write(root / "modules" / "05-moyens" / "index.html", page("Moyens"))
    write(root / "404.html", page("Introuvable"))
    write(root / "assets" / "engine.js", TEXT)
    write(root / "assets" / "javascripts" / "bundle.0123abcd.min.js", TEXT)
    write(root / "assets" / "javascripts" / "bundle.0123abcd.min.js.map", TEXT)
    write(root / "assets" / "javascripts" / "lunr" / "min" / "lunr.fr.min.js", TEXT)
    write(root / "assets" / "javascripts" / "lunr" / "min" / "lunr.de.min.js", TEXT)
    write(root / "assets" / "javascripts" / "lunr" / "min" / "lunr.stemmer.support.min.js", TEXT)
    write(root / "assets" / "tiny.js", "x")
    write(root / "search" / "search_index.json", json.dumps({"config": {"lang": ["fr"]}, "docs": []}))
    write(root / "sitemap.xml", "<urlset/>")
    write(root / "sitemap.xml.gz", gzip.compress(b"<urlset/>"))
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json",
                 "simulator-0.1.0-py3-none-any.whl"):
        write(root / "pyodide" / name, TEXT + name.encode())
    write(root / "pyodide" / "pyodide.js.map", TEXT)  # not the engine's: never listed
    return root


# ------------------------------------------------------------------ precompressed copies

def test_precompressed_copies_hold_the_same_bytes_and_follow_changes(site, tmp_path):
    import brotli

    from site_build import compression

    cache = tmp_path / "cache"
    compression.precompress(site, cache)
    engine = site / "assets" / "engine.js"
    assert brotli.decompress((site / "assets" / "engine.js.br").read_bytes()) == TEXT
    assert gzip.decompress((site / "assets" / "engine.js.gz").read_bytes()) == TEXT
    assert not (site / "assets" / "tiny.js.br").exists()  # too small to gain anything
    # A file that changes gets new copies (never a stale one a server would send).
    engine.write_bytes(b"autre contenu " * 100)
    compression.precompress(site, cache)
    assert brotli.decompress((site / "assets" / "engine.js.br").read_bytes()) == b"autre contenu " * 100
    # One that no longer gains anything loses its copies; the generator's sitemap.xml.gz stays.
    engine.write_bytes(random.Random(1).randbytes(800))
    compression.precompress(site, cache)
    assert not (site / "assets" / "engine.js.br").exists() and not (site / "assets" / "engine.js.gz").exists()
    assert gzip.decompress((site / "sitemap.xml.gz").read_bytes()) == b"<urlset/>"


def test_compressed_copies_come_from_the_cache_when_the_bytes_are_known(site, tmp_path, monkeypatch):
    from site_build import compression

    cache = tmp_path / "cache"
    compression.precompress(site, cache)
    monkeypatch.setitem(compression.CODECS, ".br", lambda data: pytest.fail("compressed again"))
    compression.precompress(site, cache)


# ------------------------------------------------------------------ pages, worker, manifest

def test_every_page_gets_the_tags_once_with_links_relative_to_it(site):
    from site_build import offline

    assert offline.tag_pages(site) == 2  # 404.html is served at any depth: left alone
    assert offline.tag_pages(site) == 0
    home = (site / "index.html").read_text()
    module = (site / "modules" / "05-moyens" / "index.html").read_text()
    assert home.count("<!-- hors-ligne -->") == 1
    assert '<link rel="manifest" href="manifest.webmanifest">' in home
    assert '<script type="module" src="../../assets/offline.js"></script>' in module
    assert module.index("<!-- /hors-ligne -->") < module.index("</head>")
    offline.remove(site)
    assert "hors-ligne" not in (site / "index.html").read_text()


def precache(site):
    text = (site / "sw.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"const PRECACHE = (\{.*?\});\n", text).group(1))


def test_the_worker_lists_the_course_and_the_engine_apart(site):
    from site_build import offline

    offline.write_service_worker(site)
    lists = precache(site)
    course = {path for path, _, _ in lists["course"]}
    assert {"./", "modules/05-moyens/", "assets/engine.js", "search/search_index.json",
            "assets/javascripts/lunr/min/lunr.fr.min.js",
            "assets/javascripts/lunr/min/lunr.stemmer.support.min.js"} <= course
    # Not kept: other search languages, source maps, the sitemap, the worker, the 404 page.
    assert not [p for p in course if re.search(r"lunr\.de|\.map$|sitemap|sw\.js|404|pyodide/", p)]
    assert sorted(path for path, _, _ in lists["engine"]) == sorted(
        f"pyodide/{name}" for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                                       "pyodide-lock.json", "simulator-0.1.0-py3-none-any.whl"))
    import hashlib

    revisions = {path: revision for path, revision, _ in lists["course"] + lists["engine"]}
    assert revisions["assets/engine.js"] == hashlib.sha256(TEXT).hexdigest()[:16]
    assert "__PRECACHE__" not in (site / "sw.js").read_text()


def test_any_changed_file_makes_a_new_version(site):
    from site_build import offline

    first = offline.write_service_worker(site)["version"]
    assert offline.write_service_worker(site)["version"] == first
    (site / "pyodide" / "pyodide-lock.json").write_text("{}")
    assert offline.write_service_worker(site)["version"] != first


def test_the_manifest_is_french_and_its_icons_are_drawn_at_the_sizes_it_names(site, tmp_path):
    from PIL import Image

    from site_build import offline

    offline.write_manifest(site, "Se faire payer à temps", "Un cours", tmp_path / "icons")
    manifest = json.loads((site / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["lang"] == "fr" and manifest["name"] == "Se faire payer à temps"
    assert manifest["start_url"] == "./" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == offline.THEME
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        with Image.open(site / icon["src"]) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
            if icon["purpose"] == "maskable":  # no transparent corner: platforms cut the shape
                assert image.convert("RGBA").getpixel((0, 0))[3] == 255


# ------------------------------------------------------------------ the trimmed standard library

def test_the_standard_library_keeps_what_can_be_imported_and_stores_it(tmp_path, monkeypatch):
    from site_build import stdlib

    monkeypatch.setattr(stdlib, "BOOT", ())  # only what the package imports, for this test
    source = tmp_path / "python_stdlib.zip"
    files = {
        "json/__init__.py": "from .decoder import JSONDecoder\n",
        "json/decoder.py": "import re\n",
        "re/__init__.py": "from . import _compiler\n",
        "re/_compiler.py": "",
        "difflib.py": "def f():\n    import heapq  # only when called\n",
        "heapq.py": "from _heapq import *\n",
        "pdb.py": "import bdb\n",  # nothing imports it: left out
        "bdb.py": "",
        "pyodide/__init__.py": "from . import ffi\n",
        "pyodide/ffi.py": "",
    }
    with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in files.items():
            out.writestr(name, text)
    package = write(tmp_path / "pkg" / "mod.py", "import json\nfrom difflib import SequenceMatcher\n").parent
    stdlib.write_stdlib(source, tmp_path / "out.zip", package)
    with zipfile.ZipFile(tmp_path / "out.zip") as shipped:
        names = set(shipped.namelist())
        assert {info.compress_type for info in shipped.infolist()} == {zipfile.ZIP_STORED}
        assert shipped.read("difflib.py") == files["difflib.py"].encode()
    assert names == set(files) - {"pdb.py", "bdb.py"}
