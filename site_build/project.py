"""Where the course's sources are: read once from mkdocs.yml, the one configuration file.

The MkDocs hooks build a Project from MkDocs' own parsed configuration; the
`python -m site_build finish` command reads mkdocs.yml itself (any generator
that reads that file, Zensical for one, sees the same settings). The exercise
folder is the option of the `site_build.exercise_directive` Markdown extension,
so that the directive and the finish steps never disagree about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

#: The exercise directive's name in mkdocs.yml's `markdown_extensions`.
DIRECTIVE = "site_build.exercise_directive"
DEFAULT_QUIZ_DIR = "exercises/quiz"
SCENARIO_DIR = "exercises/appels"


@dataclass(frozen=True)
class Project:
    root: Path          # the folder of mkdocs.yml, from which the generator runs
    docs_dir: Path
    quiz_dir: Path      # exercises (YAML), placed in pages by the directive
    scenario_dir: Path  # call scenarios (YAML)
    site_name: str
    site_description: str = ""  # the web app manifest's description

    @property
    def cache_dir(self) -> Path:
        """Build results kept between builds (compiled wheel, lock file)."""
        return self.root / "build" / "cache"

    def label(self, path: Path) -> str:
        """A path as error messages write it: relative to the project when it is inside."""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return Path(path).as_posix()


def from_settings(config_file: Path, docs_dir, site_name: str, directive_options: dict | None,
                  site_description: str | None = None) -> Project:
    root = Path(config_file).resolve().parent
    quiz = (directive_options or {}).get("quiz_dir", DEFAULT_QUIZ_DIR)
    return Project(root=root, docs_dir=root / (docs_dir or "docs"), quiz_dir=root / quiz,
                   scenario_dir=root / SCENARIO_DIR, site_name=site_name or "",
                   site_description=site_description or "")


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags for MkDocs (!ENV, !!python/name:…): read them as plain values."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def load(config_file: Path) -> Project:
    """The project described by a mkdocs.yml (its INHERIT, if any, is not followed)."""
    config_file = Path(config_file)
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except OSError as exc:
        raise FileNotFoundError(f"{config_file} : fichier de configuration introuvable ({exc.strerror})") from None
    options = None
    for entry in data.get("markdown_extensions") or []:
        if isinstance(entry, dict) and DIRECTIVE in entry:
            options = entry[DIRECTIVE] or {}
    return from_settings(config_file, data.get("docs_dir"), data.get("site_name", ""), options,
                         data.get("site_description"))
