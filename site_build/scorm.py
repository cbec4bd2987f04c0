"""The course as a SCORM 1.2 package for an LMS (Moodle and others): `make scorm`.

    python -m site_build.scorm [--config mkdocs.yml] [--out build/scorm]

1. builds the site for an LMS (`lms_config`): the same course, without `site_url` (no
   absolute link), without instant navigation (each page is loaded in the LMS frame, which is
   what lets the launch page follow the learner), marked `extra.delivery: scorm`;
2. the finish step `scorm_launch` (site_build/finish.py) adds, in such a build only, the
   launch page `scorm.html` (it holds the session with the LMS: docs/assets/scorm.js) and
   renames Pyodide's `.mjs` modules `.js` (LMSs serve unknown types as `document/unknown`,
   which browsers refuse for a module);
3. `package` writes `imsmanifest.xml` (one SCO, every file of the site listed), adds the
   SCORM 1.2 schemas and zips it all into build/scorm/<course>.zip, byte for byte the same
   from the same site.

What is reported to the LMS, and when, is in docs/auteurs-lms.md; the rule for "terminé"
and the score are set in mkdocs.yml, `extra.scorm` (checked here, with French errors).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import string
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

import yaml

from site_build import project as project_module

FILES = Path(__file__).parent / "scorm_files"
SCHEMAS = ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd")
LAUNCH_PAGE = "scorm.html"
#: The hidden configuration `make scorm` builds with, beside mkdocs.yml (relative paths hold).
BUILD_CONFIG = f".scorm-build-{os.getpid()}.yml"
#: Built files that have no use in an LMS: precompressed copies, the sitemap, source maps.
LEFT_OUT = re.compile(r"(^|/)sitemap\.xml(\.gz)?$|\.(gz|br|map)$")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
STORED = {".zip", ".whl", ".png", ".jpg", ".jpeg", ".gif", ".woff", ".woff2"}  # compressed already


class ScormError(Exception):
    """The LMS settings or the package cannot be made; str() says why, in French."""


# ------------------------------------------------------------------ settings (mkdocs.yml, extra.scorm)

DEFAULTS = {
    "exercices": "repondus",  # "terminé" needs every module exercise answered ("reussis": answered right)
    "appels": "tous",          # ... and every call scenario ("tous") or that many scenarios (a number)
    "score_appel": 80,         # ... with a best call at or above this score
    "seuil_reussite": 80,      # terminé and score >= this: "passed"; else "completed" (null: never "passed")
    "poids_exercices": 50,     # the score: exercises and calls weighed like this
    "poids_appels": 50,
}
WHERE = "mkdocs.yml, extra.scorm"


def _percent(key: str, value, allow_null: bool = False):
    if value is None and allow_null:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        also = " ou null (jamais « passed »)" if allow_null else ""
        raise ScormError(f"{WHERE}.{key} : « {value} » ne convient pas ; écrivez un nombre de 0 à 100{also}.")
    return value


def settings(extra: dict | None) -> dict:
    """`extra.scorm` of mkdocs.yml, checked and completed with the defaults (ScormError in French)."""
    given = (extra or {}).get("scorm") or {}
    if not isinstance(given, dict):
        raise ScormError(f"{WHERE} : une liste de réglages est attendue (exercices:, appels:, …), pas « {given} ».")
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise ScormError(f"{WHERE} : réglage inconnu « {unknown[0]} » ; les réglages possibles sont "
                         + ", ".join(DEFAULTS) + ".")
    chosen = {**DEFAULTS, **given}
    if chosen["exercices"] not in ("repondus", "reussis"):
        raise ScormError(f"{WHERE}.exercices : « {chosen['exercices']} » ne convient pas ; écrivez « repondus » "
                         "(chaque exercice fait une fois) ou « reussis » (chaque exercice réussi).")
    calls = chosen["appels"]
    if calls != "tous" and (isinstance(calls, bool) or not isinstance(calls, int) or calls < 0):
        raise ScormError(f"{WHERE}.appels : « {calls} » ne convient pas ; écrivez « tous » ou un nombre entier "
                         "de scénarios (0 pour n’exiger aucun appel).")
    for key in ("score_appel", "poids_exercices", "poids_appels"):
        _percent(key, chosen[key])
    _percent("seuil_reussite", chosen["seuil_reussite"], allow_null=True)
    if chosen["poids_exercices"] + chosen["poids_appels"] == 0:
        raise ScormError(f"{WHERE} : poids_exercices et poids_appels valent 0 tous les deux ; "
                         "donnez un poids à l’un des deux au moins.")
    return chosen


# ------------------------------------------------------------------ the build for an LMS

def lms_config(mkdocs_yml: Path, site_dir: Path) -> dict:
    """The configuration of the LMS build: mkdocs.yml (INHERIT) with what an LMS frame needs."""
    data = project_module.read_config(mkdocs_yml)
    features = [f for f in (data.get("theme") or {}).get("features") or []
                if not str(f).startswith("navigation.instant")]
    return {
        "INHERIT": Path(mkdocs_yml).name,
        # No absolute URL: the package is served from wherever the LMS unpacks it.
        "site_url": "",
        "site_dir": os.path.relpath(site_dir, Path(mkdocs_yml).resolve().parent),
        # Instant navigation off: each page is a real load in the frame, which the launch page
        # sees (bookmark), and a link never needs the sitemap's absolute URLs.
        "theme": {"features": features},
        "extra": {"delivery": "scorm"},
    }


def build_site(mkdocs_yml: Path, site_dir: Path) -> None:
    """`mkdocs build --strict` of the LMS build into site_dir (its hooks run the finish steps)."""
    root = Path(mkdocs_yml).resolve().parent
    config = root / BUILD_CONFIG
    config.write_text("# Written by `make scorm` (site_build/scorm.py) for one build, then removed.\n"
                      + yaml.safe_dump(lms_config(mkdocs_yml, site_dir), allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    try:
        result = subprocess.run([str(mkdocs), "build", "--strict", "--clean", "-f", str(config)], cwd=root,
                                capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    finally:
        config.unlink(missing_ok=True)
    if result.returncode != 0:
        raise ScormError("La construction du site pour la plateforme a échoué :\n" + result.stdout + result.stderr)


# ------------------------------------------------------------------ the finish step (LMS builds only)

#: Pyodide's ES modules, and the files that name them.
RUNTIME_MODULES = {"pyodide.mjs": "pyodide.js", "pyodide.asm.mjs": "pyodide.asm.js"}
NAMING_FILES = ("assets/engine-worker.js", "pyodide/pyodide.js", "pyodide/pyodide.asm.js")


def course_outline(site: Path) -> dict:
    """What the launch page needs to judge progress: each module's exercises, the scenarios."""
    exercises = json.loads((site / "exercices" / "index.json").read_text(encoding="utf-8"))
    scenarios = json.loads((site / "simulateur" / "scenarios" / "index.json").read_text(encoding="utf-8"))
    return {
        "modules": {f"{m['module']:02d}": [e["id"] for e in m["exercises"]] for m in exercises["modules"]},
        "scenarios": [s["id"] for s in scenarios],
    }


def rename_runtime_modules(site: Path) -> None:
    """pyodide/*.mjs -> *.js, and every name of them in the worker and the runtime."""
    runtime = site / "pyodide"
    for old, new in RUNTIME_MODULES.items():
        if (runtime / old).is_file():
            (runtime / old).replace(runtime / new)
    for name in NAMING_FILES:
        path = site / name
        if not path.is_file():
            raise ScormError(f"{path} : fichier absent du site construit ; le simulateur ne pourrait pas démarrer.")
        text = path.read_text(encoding="utf-8")
        for old, new in RUNTIME_MODULES.items():
            text = re.sub(rf"(?<![\w.-]){re.escape(old)}", new, text)
        # The runtime's files may be hard links to node_modules' (site_build/compression.py,
        # `place`): a new file, never a write into the one that is there.
        fresh = path.with_name(path.name + ".scorm.tmp")
        fresh.write_text(text, encoding="utf-8")
        fresh.replace(path)
    worker = (site / NAMING_FILES[0]).read_text(encoding="utf-8")
    if not all(f'"{new}"' in worker for new in RUNTIME_MODULES.values()) or list(site.rglob("*.mjs")):
        raise ScormError("assets/engine-worker.js ne nomme plus pyodide.mjs et pyodide.asm.mjs comme "
                         "site_build/scorm.py l’attend : mettez à jour RUNTIME_MODULES et NAMING_FILES.")


def write_launch_page(site: Path, title: str, chosen: dict) -> Path:
    data = {"title": title, "start": "index.html", "rule": chosen, **course_outline(site)}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    page = string.Template((FILES / "launch.html").read_text(encoding="utf-8")).substitute(
        title=escape(title), settings=text)
    (site / LAUNCH_PAGE).write_text(page, encoding="utf-8")
    return site / LAUNCH_PAGE


def scorm_launch(build) -> str:
    """In an LMS build (`make scorm`): the launch page, and Pyodide's modules named .js."""
    try:
        chosen = settings(build.project.extra)
        if build.project.delivery != "scorm":
            return "not an LMS build (extra.scorm checked)"
        write_launch_page(build.site, build.project.site_name, chosen)
        rename_runtime_modules(build.site)
    except ScormError as exc:
        from site_build.finish import FinishError

        raise FinishError(str(exc)) from None
    return f"{LAUNCH_PAGE}, Pyodide's modules as .js"


# ------------------------------------------------------------------ the package

def slug(text: str) -> str:
    """"Se faire payer à temps" -> "se-faire-payer-a-temps"."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "cours"


def package_files(site: Path) -> list[str]:
    """The site's files that go into the package, as sorted relative paths."""
    files = (p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    return sorted(f for f in files if not LEFT_OUT.search(f) and f != "imsmanifest.xml" and f not in SCHEMAS)


def manifest(title: str, identifier: str, files: list[str]) -> str:
    """imsmanifest.xml (SCORM 1.2, ADL CAM 1.2): one organization, one item, one SCO with every file."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<manifest identifier={quoteattr(identifier)} version="1.0"',
        '          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"',
        '          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"',
        '          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
        '          xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd'
        ' http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd'
        ' http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">',
        "  <metadata>",
        "    <schema>ADL SCORM</schema>",
        "    <schemaversion>1.2</schemaversion>",
        "  </metadata>",
        '  <organizations default="organisation">',
        '    <organization identifier="organisation">',
        f"      <title>{escape(title)}</title>",
        '      <item identifier="cours" identifierref="sco-cours" isvisible="true">',
        f"        <title>{escape(title)}</title>",
        "      </item>",
        "    </organization>",
        "  </organizations>",
        "  <resources>",
        f'    <resource identifier="sco-cours" type="webcontent" adlcp:scormtype="sco" href="{LAUNCH_PAGE}">',
        *(f"      <file href={quoteattr(quote(f))}/>" for f in files),
        "    </resource>",
        "  </resources>",
        "</manifest>",
        "",
    ]
    return "\n".join(lines)


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.compress_type = zipfile.ZIP_STORED if Path(name).suffix in STORED else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data, compresslevel=9 if info.compress_type == zipfile.ZIP_DEFLATED else None)


def package(site: Path, out: Path, title: str) -> Path:
    """Zip an LMS build into `out` (a .zip): imsmanifest.xml at the root, the schemas, every file."""
    site, out = Path(site), Path(out)
    if not (site / LAUNCH_PAGE).is_file():
        raise ScormError(f"{site} : pas de page de lancement {LAUNCH_PAGE} ; ce site n’a pas été construit pour "
                         "une plateforme (make scorm le construit avec extra.delivery: scorm).")
    files = package_files(site)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w") as archive:
        _add(archive, "imsmanifest.xml", manifest(title, slug(title), files).encode("utf-8"))
        for name in SCHEMAS:
            _add(archive, name, (FILES / name).read_bytes())
        for name in files:
            _add(archive, name, (site / name).read_bytes())
    partial.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m site_build.scorm",
                                     description="Construit le paquet SCORM 1.2 du cours (build/scorm/<cours>.zip).")
    parser.add_argument("-f", "--config", type=Path, default=Path("mkdocs.yml"),
                        help="la configuration du cours (par défaut : mkdocs.yml)")
    parser.add_argument("--out", type=Path, default=Path("build/scorm"),
                        help="le dossier du paquet (par défaut : build/scorm)")
    args = parser.parse_args(argv)
    try:
        course = project_module.load(args.config)
        settings(course.extra)  # a mistake in extra.scorm is told before a long build
        site = args.out.resolve() / "site"
        build_site(args.config.resolve(), site)
        out = package(site, args.out / f"{slug(course.site_name)}.zip", course.site_name)
    except (ScormError, FileNotFoundError) as exc:
        print(f"Erreur : {exc}", file=sys.stderr)
        return 1
    size = out.stat().st_size / 2**20
    print(f"Paquet SCORM 1.2 : {out} ({size:.1f} Mio). Déposez-le dans la plateforme "
          "(Moodle : activité « Paquetage SCORM »), voir docs/auteurs-lms.md.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
