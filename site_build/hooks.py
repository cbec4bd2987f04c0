"""MkDocs adapter (registered in mkdocs.yml `hooks:`): calls the build steps at the right moments.

All the work is in plain functions that work without MkDocs (site_build/finish.py):
- before the pages: `finish.validate` checks the call scenarios and the exercises
  (a broken file fails the build with its path, line and field);
- the pages: the `{{ exercice ID }}` directive is a Markdown extension declared in
  mkdocs.yml (site_build/exercise_directive.py), not a hook;
- after the pages: `finish.finish` runs the same steps as
  `python -m site_build finish SITE_DIR` after any other generator.

Run under both `mkdocs build` and `mkdocs serve` (mkdocs.yml `watch:` makes
changes in simulator/ and exercises/ trigger a rebuild, with live reload).
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

from site_build import finish, project, scenarios

log = logging.getLogger("mkdocs.hooks.site_build")
_validated: list[finish.Inputs] = []
_command: list[str] = []  # "build", "serve" or "gh-deploy"
_builds: list[int] = [0]  # builds started in this process


def _project(config) -> project.Project:
    return project.from_settings(Path(config.config_file_path), config.docs_dir, config.site_name,
                                 config.mdx_configs.get(project.DIRECTIVE), dict(config.extra or {}),
                                 config.site_description)


def _fresh_simulator() -> None:
    """Under `mkdocs serve` the process lives on: reload the simulator after an edit
    (not before the first build: the simulator was just imported; 0.07 s saved)."""
    _builds[0] += 1
    if _builds[0] == 1:
        return
    for name in [m for m in sys.modules if m == "simulator" or m.startswith("simulator.")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    importlib.reload(scenarios)


def on_startup(command, dirty) -> None:
    _command[:] = [command]


def on_pre_build(config) -> None:
    _fresh_simulator()
    try:
        _validated[:] = [finish.validate(_project(config))]
    except finish.FinishError as exc:
        raise PluginError(str(exc)) from None


def on_post_build(config) -> None:
    try:
        finish.finish(_project(config), Path(config.site_dir), _validated.pop() if _validated else None,
                      log=log.info, serving=_command == ["serve"])
    except finish.FinishError as exc:
        raise PluginError(str(exc)) from None
