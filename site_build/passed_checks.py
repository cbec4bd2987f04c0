"""Checks that already passed, kept in the build cache so that a rebuild does not run them again.

Replaying the scenarios' example conversations and checking the model answers of the
e-mail exercises run the simulator's understanding of French: most of the course's own
build time. A check whose inputs, the simulator's code and the objection library are all
unchanged since it last passed is not run again. Only passes are kept: a failing check
runs at every build, so its message is always shown. A damaged record is ignored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import simulator
from site_build.project import OBJECTIONS


def _engine_fingerprint(project_root: Path) -> hashlib.sha256:
    """A hash of what every check depends on besides its own inputs: the simulator's code
    and the objection library."""
    digest = hashlib.sha256()
    engine = Path(simulator.__file__).resolve().parent
    for path in sorted(engine.rglob("*.py")) + sorted((Path(project_root) / OBJECTIONS).glob("*.y*ml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest


class PassedChecks:
    """One record (a JSON list of keys) per kind of check, in cache_dir; cache_dir None keeps nothing."""

    def __init__(self, cache_dir: Path | None, name: str, project_root: Path):
        self.path = Path(cache_dir) / name if cache_dir else None
        self.engine = _engine_fingerprint(project_root) if cache_dir else None
        self.known: set[str] = set()
        self.fresh: set[str] = set()
        if self.path and self.path.is_file():
            try:
                self.known = {str(key) for key in json.loads(self.path.read_text(encoding="utf-8"))}
            except (ValueError, TypeError):
                self.known = set()

    def key(self, inputs: bytes) -> str | None:
        """The key of one check: its inputs (a file's bytes, a JSON text) with the engine's hash."""
        if self.engine is None:
            return None
        digest = self.engine.copy()
        digest.update(inputs)
        return digest.hexdigest()

    def passed_before(self, key: str | None) -> bool:
        return key is not None and key in self.known

    def passed(self, key: str | None) -> None:
        if key is not None:
            self.fresh.add(key)

    def save(self) -> None:
        """Keep this build's passes (and only them: a check that now fails is forgotten)."""
        if self.path is None or self.fresh == self.known:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(sorted(self.fresh)), encoding="utf-8")
