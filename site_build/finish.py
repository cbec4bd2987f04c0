"""What the course adds to a built site, whichever generator built its pages.

    python -m site_build finish SITE_DIR      (after `zensical build`, or any generator)

Under `mkdocs build` and `mkdocs serve`, site_build/hooks.py calls the same two
functions: `validate` before the pages are built, `finish` after.

`finish` runs the STEPS below in order. Each step is a plain function that takes
the Build and returns one line for the log; it writes files into the site and
may run again on the same site with the same result (idempotent). To add a step
(a service worker, a SCORM manifest…), write such a function and add it to STEPS.
A step that finds a problem raises FinishError with a message for the person
who can fix it (authors get French and file:line).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from site_build import (bytecode, compression, exercises, offline, pyodide_vendor, scenarios, scorm, search_folding,
                        site_pages, wheel)
from site_build.project import Project


class FinishError(Exception):
    """The build cannot be finished; str() says why and where."""


@dataclass
class Inputs:
    """The course's YAML, validated before any page is built."""

    scenarios: list[dict]
    exercises: dict[str, exercises.Exercise]


@dataclass
class Build:
    """What every step gets: the project's sources, the built site, the validated inputs."""

    project: Project
    site: Path
    inputs: Inputs
    serving: bool = False  # under a development server (mkdocs serve): no offline app, no compression


def validate(project: Project) -> Inputs:
    """Validate the call scenarios, then the exercises; raise FinishError naming file, line and field."""
    try:
        validated = scenarios.load_all(project.scenario_dir, project.root, cache_dir=project.cache_dir)
    except scenarios.ScenarioError as exc:
        raise FinishError(f"Scénario d’appel à corriger :\n{exc}") from None
    try:
        found = exercises.load_cached(project.quiz_dir, project.root, cache_dir=project.cache_dir)
    except exercises.ExerciseError as exc:
        raise FinishError(f"Exercice invalide :\n{exc}") from None
    return Inputs(scenarios=validated, exercises=found)


# ------------------------------------------------------------------ the steps


def exercise_index(build: Build) -> str:
    """exercices/index.json for the progress page, once every exercise is placed exactly once."""
    project = build.project
    pages = site_pages.exercise_pages(build.site, project.docs_dir, project.site_name)
    problems = exercises.check_uses(pages, build.inputs.exercises, project.label(project.docs_dir))
    if problems:
        raise FinishError("Exercices mal placés :\n" + "\n".join(problems))
    exercises.write_index(pages, build.inputs.exercises, build.site / "exercices" / "index.json")
    return f"{sum(len(p.ids) for p in pages)} exercise(s) on {len(pages)} page(s)"


def call_scenarios(build: Build) -> str:
    """simulateur/scenarios/: one JSON file per call scenario, and their index."""
    scenarios.write_assets(build.inputs.scenarios, build.site / "simulateur" / "scenarios")
    return f"{len(build.inputs.scenarios)} scenario(s)"


def course_links(build: Build) -> str:
    """Every criterion's "Revoir dans le cours" link leads to an existing page and section."""
    broken = scenarios.check_course_links(build.inputs.scenarios, build.site)
    if broken:
        raise FinishError("Liens « Revoir dans le cours » cassés :\n" + "\n".join(broken))
    return f"course links of {len(build.inputs.scenarios)} scenario(s) lead to existing sections"


def pyodide_runtime(build: Build) -> str:
    """pyodide/: the runtime files the browser needs, from node_modules/pyodide (the standard
    library trimmed to what the simulator can import, site_build/stdlib.py)."""
    source = pyodide_vendor.pyodide_dir(build.project.root)
    pyodide_vendor.copy_runtime(source, build.site / "pyodide", cache_dir=build.project.cache_dir,
                                package=build.project.root / "simulator")
    return f"Pyodide runtime in {(build.site / 'pyodide').relative_to(build.site)}"


def simulator_wheel(build: Build) -> str:
    """pyodide/: the simulator wheel with Pyodide's bytecode, registered in the lock file."""
    project, runtime_dir = build.project, build.site / "pyodide"
    source = pyodide_vendor.pyodide_dir(project.root)
    for old in runtime_dir.glob("simulator-*.whl"):
        old.unlink()
    built = wheel.build_wheel(project.root, runtime_dir)
    bytecode.add_bytecode(built, source, cache_dir=project.cache_dir)
    pyodide_vendor.register_wheels(source / pyodide_vendor.LOCK_FILE, [built],
                                   runtime_dir / pyodide_vendor.LOCK_FILE, cache_dir=project.cache_dir)
    return f"{built.name} in {pyodide_vendor.LOCK_FILE}"


def accent_free_search(build: Build) -> str:
    """The search index also finds accented words typed without accents."""
    files = search_folding.index_files(build.site)
    for index in files:
        search_folding.fold_index(index)
    return ", ".join(p.relative_to(build.site).as_posix() for p in files) or "no search index"


def installable_app(build: Build) -> str:
    """Icons, web app manifest and the offline tags in every page (off: COURS_HORS_LIGNE=non)."""
    if build.serving or not offline.enabled() or build.project.delivery == "scorm":
        # (An LMS shows the course in its own frame: no service worker of ours there.)
        offline.remove(build.site)
        why = "development server" if build.serving else "LMS package" if build.project.delivery == "scorm" \
            else f"{offline.SWITCH}=non"
        return f"no offline app ({why}): no manifest, and sw.js only retires an earlier worker"
    offline.write_manifest(build.site, build.project.site_name, build.project.site_description,
                           build.project.cache_dir / "icons")
    pages = offline.tag_pages(build.site)
    return f"{offline.MANIFEST}, {len(offline.ICON_SET)} icons, tags in {pages} page(s)"


def service_worker(build: Build) -> str:
    """sw.js: every file of the course and of the engine, by revision (after the pages' tags)."""
    if build.serving or not offline.enabled() or build.project.delivery == "scorm":
        return "none"
    cache = build.project.cache_dir / "compressed"
    lists = offline.write_service_worker(build.site, lambda path: compression.brotli_size(path, cache))
    engine = sum(entry[2] for entry in lists["engine"])
    return (f"version {lists['version']}: {len(lists['course'])} course file(s), "
            f"{len(lists['engine'])} engine file(s) ({engine / 2**20:.1f} MiB over the wire)")


def precompressed(build: Build) -> str:
    """NAME.br and NAME.gz beside every text file, for servers that send them as they are."""
    if build.serving:
        return "none (development server)"
    if build.project.delivery == "scorm":
        return "none (LMS package: an LMS serves its files as they are)"
    done = compression.precompress(build.site, build.project.cache_dir / "compressed")
    return (f"{done['files']} file(s), {done['bytes'] / 2**20:.1f} MiB, "
            f"{done['brotli_bytes'] / 2**20:.1f} MiB with Brotli")


Step = Callable[[Build], str]
STEPS: tuple[Step, ...] = (
    exercise_index,      # first: an author's mistake fails the build at once
    call_scenarios,
    course_links,
    pyodide_runtime,
    simulator_wheel,     # needs the runtime's folder
    accent_free_search,
    scorm.scorm_launch,  # LMS builds only (make scorm): after the runtime, whose modules it renames
    installable_app,     # the pages' last change
    service_worker,      # lists every file with its revision: after every other change
    precompressed,       # last: compresses what the steps above wrote
)


def finish(project: Project, site: Path, inputs: Inputs | None = None,
           log: Callable[[str], None] = print, serving: bool = False) -> None:
    """Run every step on the built site in `site`; validate the inputs first unless given.

    `serving`: the site is for a development server (mkdocs serve), where a service worker
    would keep old pages and compressed copies would be wasted time."""
    site = Path(site)
    if not site.is_dir() or not any(site.glob("*.html")):
        raise FinishError(f"{site} : aucun site construit ici (pas de page HTML) ; construisez d’abord "
                          "le site (zensical build, mkdocs build…) puis relancez cette commande")
    build = Build(project, site, inputs if inputs is not None else validate(project), serving)
    compression.load_digests(project.cache_dir)
    for step in STEPS:
        start = time.perf_counter()
        try:
            done = step(build)
        except pyodide_vendor.VendorError as exc:
            raise FinishError(f"{step.__name__}: {exc}") from None
        log(f"{step.__name__}: {done} ({(time.perf_counter() - start) * 1000:.0f} ms)")
    compression.save_digests(project.cache_dir, site)
