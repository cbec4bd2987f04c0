"""MkDocs hooks (registered in mkdocs.yml): everything the site needs besides Markdown.

- before the pages: validate the objection library and the call scenarios, and replay
  every scenario's example conversations (a broken file fails the build with its path,
  line, field and expectation; a failing example, with what differed and its transcript);
- after the pages: build the simulator wheel (with bytecode compiled by Pyodide's
  Python, site_build/bytecode.py), vendor the Pyodide runtime,
  register the wheel in Pyodide's lock file, write the scenarios as JSON,
  make the search index accent-insensitive, check that every criterion's course link
  leads to an existing section.

Exercises (site_build/exercises.py): validated before the pages, placed by the
`{{ exercice ID }}` directive (a Markdown extension added in on_config), checked
once every page is converted (unknown ids, exercises on no page), and listed in
exercices/index.json for the progress page.

Run under both `mkdocs build` and `mkdocs serve` (mkdocs.yml `watch:` makes
changes in simulator/ and exercises/ trigger a rebuild).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent


def _importable_from_root() -> None:
    # MkDocs restores sys.path after loading this file: put the project back on it.
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


_importable_from_root()

from site_build import bytecode, pyodide_vendor, scenarios, search_folding, wheel  # noqa: E402
from site_build import exercises  # noqa: E402
from site_build.exercise_directive import ExerciseExtension  # noqa: E402

log = logging.getLogger("mkdocs.hooks.site_build")
SCENARIO_DIR = ROOT / "exercises" / "appels"
_validated: list[dict] = []
QUIZ_DIR = ROOT / "exercises" / "quiz"


def on_config(config):
    # Exercises: the `{{ exercice ID }}` directive (see site_build/exercise_directive.py).
    config.markdown_extensions.append(ExerciseExtension())
    return config


def _fresh_simulator() -> None:
    """Under `mkdocs serve` the process lives on: reload the simulator after an edit."""
    _importable_from_root()
    for name in [m for m in sys.modules if m == "simulator" or m.startswith("simulator.")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    importlib.reload(scenarios)


def on_pre_build(config) -> None:
    _fresh_simulator()
    try:
        _validated[:] = scenarios.load_all(SCENARIO_DIR, ROOT)
    except scenarios.ScenarioError as exc:
        raise PluginError(f"Scénario d’appel à corriger :\n{exc}") from None
    try:
        exercises.REGISTRY.load(QUIZ_DIR, ROOT)
    except exercises.ExerciseError as exc:
        raise PluginError(f"Exercice invalide :\n{exc}") from None


def on_page_markdown(markdown, page, config, files):
    exercises.REGISTRY.begin_page(page.file.src_uri, page.file.abs_src_path)
    return markdown


def on_page_content(html, page, config, files):
    exercises.REGISTRY.end_page(page.title, page.url)
    return html


def on_env(env, config, files):
    # Every page is converted by now: each exercise placed once, each directive known.
    problems = exercises.REGISTRY.check_uses(Path(os.path.relpath(config["docs_dir"], ROOT)).as_posix())
    if problems:
        raise PluginError("Exercices mal placés :\n" + "\n".join(problems))
    return env


def on_post_build(config) -> None:
    site = Path(config["site_dir"])
    runtime_dir = site / "pyodide"
    try:
        source = pyodide_vendor.pyodide_dir(ROOT)
        pyodide_vendor.copy_runtime(source, runtime_dir)
        for old in runtime_dir.glob("simulator-*.whl"):
            old.unlink()
        built = wheel.build_wheel(ROOT, runtime_dir)
        bytecode.add_bytecode(built, source, cache_dir=ROOT / "build" / "cache")
        pyodide_vendor.register_wheels(
            source / pyodide_vendor.LOCK_FILE, [built], runtime_dir / pyodide_vendor.LOCK_FILE,
            cache_dir=ROOT / "build" / "cache",
        )
    except pyodide_vendor.VendorError as exc:
        raise PluginError(str(exc)) from None
    scenarios.write_assets(_validated, site / "simulateur" / "scenarios")
    broken = scenarios.check_course_links(_validated, site)
    if broken:
        raise PluginError("Liens « Revoir dans le cours » cassés :\n" + "\n".join(broken))
    exercises.REGISTRY.write_index(site / "exercices" / "index.json")
    index = site / "search" / "search_index.json"
    if index.is_file():
        search_folding.fold_index(index)
    log.info("Simulator: %s, %d scenario(s), Pyodide runtime in %s",
             built.name, len(_validated), runtime_dir.relative_to(site))
