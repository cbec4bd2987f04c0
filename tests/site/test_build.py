"""The built site: strict build, French UI, vendored Pyodide and the simulator wheel."""

import hashlib
import json
import re
import zipfile

import simulator


def test_strict_build_has_no_warning(built_site):
    # MkDocs log lines look like "WARNING -  Doc file ..."; strict mode would also have failed.
    assert not re.search(r"^(WARNING|ERROR)\b", built_site.output, re.M), built_site.output


def test_pages_are_french(built_site):
    home = (built_site.site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in home
    config = json.loads((built_site.site / "search" / "search_index.json").read_text())["config"]
    assert config["lang"] == ["fr"]


def test_pyodide_runtime_is_vendored(built_site):
    runtime = built_site.site / "pyodide"
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (runtime / name).stat().st_size > 0, name
    # Only what the browser needs: no console pages, stubs or source maps.
    assert not list(runtime.glob("*.html")) and not list(runtime.glob("*.map"))


def test_lock_file_points_at_the_shipped_wheel(built_site):
    runtime = built_site.site / "pyodide"
    lock = json.loads((runtime / "pyodide-lock.json").read_text())
    entry = lock["packages"]["simulator"]
    wheel = runtime / entry["file_name"]
    assert entry["file_name"] == f"simulator-{simulator.__version__}-py3-none-any.whl"
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert "simulator/__init__.py" in zipfile.ZipFile(wheel).namelist()
    # Every package the lock file names is really on the server.
    for name, pkg in lock["packages"].items():
        assert (runtime / pkg["file_name"]).is_file(), name


def test_wheel_carries_bytecode_for_pyodides_python(built_site):
    runtime = built_site.site / "pyodide"
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


def test_simulator_page_loads_the_engine_from_the_site(built_site):
    page = (built_site.site / "simulateur" / "index.html").read_text(encoding="utf-8")
    assert 'id="simulateur"' in page
    status_tag = re.search(r'<p [^>]*class="sim-status"[^>]*>', page).group(0)
    assert 'role="status"' in status_tag and 'aria-live="polite"' in status_tag  # loading is announced
    worker = (built_site.site / "assets" / "engine-worker.js").read_text(encoding="utf-8")
    assert 'new URL("../pyodide/", import.meta.url)' in worker  # same-origin runtime, no CDN
    assert (built_site.site / "pyodide" / "pyodide.asm.wasm").is_file()


def test_no_page_loads_a_resource_from_another_host(built_site):
    # Links in the text may point elsewhere; scripts, styles, images and fonts may not.
    resource = re.compile(r'<(?:script|img|iframe|source)\b[^>]*\bsrc="(https?://[^"]+)"'
                          r'|<link\b[^>]*\bhref="(https?://[^"]+)"')
    for page in built_site.site.rglob("*.html"):
        for match in resource.finditer(page.read_text(encoding="utf-8")):
            url = match.group(1) or match.group(2)
            assert url.startswith("http://127.0.0.1:8000/"), (page, url)


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
