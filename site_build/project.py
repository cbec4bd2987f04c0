"""Where the course's sources are: read once from mkdocs.yml, the one configuration file.

The MkDocs hooks build a Project from MkDocs' own parsed configuration; the
`python -m site_build finish` command reads mkdocs.yml itself (any generator
that reads that file, Zensical for one, sees the same settings). The exercise
folder is the option of the `site_build.exercise_directive` Markdown extension,
so that the directive and the finish steps never disagree about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

CACHE = Path("build") / "cache"  # build results kept between builds, under the project's root

#: The exercise directive's name in mkdocs.yml's `markdown_extensions`.
DIRECTIVE = "site_build.exercise_directive"
DEFAULT_QUIZ_DIR = "exercises/quiz"
SCENARIO_DIR = "exercises/appels"
OBJECTIONS = Path("exercises") / "objections"  # the objection library the scenarios draw on


@dataclass(frozen=True)
class Project:
    root: Path          # the folder of mkdocs.yml, from which the generator runs
    docs_dir: Path
    quiz_dir: Path      # exercises (YAML), placed in pages by the directive
    scenario_dir: Path  # call scenarios (YAML)
    site_name: str
    # mkdocs.yml's `extra:` (the LMS settings, `extra.scorm`; `extra.delivery: scorm` marks a
    # build for an LMS, see site_build/scorm.py).
    extra: dict = field(default_factory=dict, hash=False, compare=False)
    site_description: str = ""  # the web app manifest's description

    @property
    def delivery(self) -> str:
        """"site" (the plain static site) or "scorm" (the package for an LMS: `make scorm`)."""
        return str(self.extra.get("delivery") or "site")

    @property
    def cache_dir(self) -> Path:
        """Build results kept between builds (compiled wheel, lock file)."""
        return self.root / CACHE

    def label(self, path: Path) -> str:
        """A path as error messages write it: relative to the project when it is inside."""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return Path(path).as_posix()


def from_settings(config_file: Path, docs_dir, site_name: str, directive_options: dict | None,
                  extra: dict | None = None, site_description: str | None = None) -> Project:
    root = Path(config_file).resolve().parent
    quiz = (directive_options or {}).get("quiz_dir", DEFAULT_QUIZ_DIR)
    return Project(root=root, docs_dir=root / (docs_dir or "docs"), quiz_dir=root / quiz,
                   scenario_dir=root / SCENARIO_DIR, site_name=site_name or "", extra=dict(extra or {}),
                   site_description=site_description or "")


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags for MkDocs (!ENV, !!python/name:…): read them as plain values."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _merged(parent: dict, child: dict) -> dict:
    """INHERIT as MkDocs does it: mappings merged key by key, anything else replaced by the child's."""
    merged = dict(parent)
    for key, value in child.items():
        merged[key] = _merged(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) \
            else value
    return merged


def read_config(config_file: Path) -> dict:
    """A mkdocs.yml as data, its INHERIT followed (the SCORM build's configuration inherits mkdocs.yml)."""
    config_file = Path(config_file)
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except OSError as exc:
        raise FileNotFoundError(f"{config_file} : fichier de configuration introuvable ({exc.strerror})") from None
    parent = data.pop("INHERIT", None)
    if parent:
        data = _merged(read_config(config_file.parent / parent), data)
    return data


def load(config_file: Path) -> Project:
    """The project described by a mkdocs.yml (and the file it INHERITs, if any)."""
    config_file = Path(config_file)
    data = read_config(config_file)
    options = None
    for entry in data.get("markdown_extensions") or []:
        if isinstance(entry, dict) and DIRECTIVE in entry:
            options = entry[DIRECTIVE] or {}
    return from_settings(config_file, data.get("docs_dir"), data.get("site_name", ""), options, data.get("extra"),
                         data.get("site_description"))
