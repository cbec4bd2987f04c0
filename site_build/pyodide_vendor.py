"""Vendor the Pyodide runtime from node_modules into the site and register our wheel.

Only the files a browser needs are copied (no console pages, type stubs or
source maps). The lock file gets the simulator wheel through pyodide-build's
`pyodide lockfile add-wheels`, then is pruned to the packages the site really
ships, so the browser never asks for a wheel that is not on the server.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

RUNTIME_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
)
LOCK_FILE = "pyodide-lock.json"


class VendorError(RuntimeError):
    """Something the site needs from Pyodide is missing or broken."""


def pyodide_dir(project_root: Path) -> Path:
    path = project_root / "node_modules" / "pyodide"
    if not (path / LOCK_FILE).is_file():
        raise VendorError(
            f"{path} is missing: run `npm ci` (or `make build`) to install the pinned Pyodide"
        )
    return path


def copy_runtime(source: Path, dest: Path, cache_dir: Path | None = None,
                 package: Path | None = None) -> list[Path]:
    """Copy the runtime files; files already up to date are left alone (fast rebuilds).

    With `package` (the simulator's folder), the standard library's zip is trimmed to what
    it can import and stored (site_build/stdlib.py); without, it is copied as it is."""
    from site_build import stdlib
    from site_build.compression import place

    dest.mkdir(parents=True, exist_ok=True)
    copied = []
    for name in RUNTIME_FILES:
        src, dst = source / name, dest / name
        if not src.is_file():
            raise VendorError(f"{src} is missing from the pyodide npm package")
        if name == stdlib.NAME and package is not None:
            copied.append(stdlib.write_stdlib(src, dst, package, cache_dir))
            continue
        place(src, dst)  # a hard link to node_modules' file when it can: 11 MB not copied
        copied.append(dst)
    return copied


def pyodide_cli() -> list[str]:
    """The `pyodide` command of the running interpreter's environment."""
    exe = Path(sys.executable).parent / "pyodide"
    if exe.is_file():
        return [str(exe)]
    found = shutil.which("pyodide")
    if found:
        return [found]
    raise VendorError("the `pyodide` command (package pyodide-build) is not installed")


def register_wheels(source_lock: Path, wheels: list[Path], dest_lock: Path,
                    cache_dir: Path | None = None) -> dict:
    """Write dest_lock: source_lock plus `wheels`, pruned to what is shipped beside it.

    Each wheel must already sit in dest_lock's folder: the lock file names
    wheels relative to itself and Pyodide checks their sha256 when loading.
    With a cache_dir, the result is reused while the inputs are byte-for-byte the
    same (starting the `pyodide` command costs about 0.4 s, most of a rebuild).
    """
    cached = None
    if cache_dir is not None:
        key = hashlib.sha256(source_lock.read_bytes())
        for wheel in wheels:
            key.update(wheel.name.encode() + b"\0" + wheel.read_bytes())
        cached = cache_dir / f"pyodide-lock-{key.hexdigest()[:32]}.json"
        if cached.is_file():
            shutil.copyfile(cached, dest_lock)
            return json.loads(dest_lock.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / LOCK_FILE
        cmd = [*pyodide_cli(), "lockfile", "add-wheels",
               "--input", str(source_lock), "--output", str(raw),
               "--base-path", str(dest_lock.parent), *map(str, wheels)]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise VendorError("pyodide lockfile add-wheels failed:\n" + result.stderr.strip())
        lock = json.loads(raw.read_text(encoding="utf-8"))
    shipped = {p.name for p in dest_lock.parent.iterdir()}
    lock["packages"] = {
        name: pkg for name, pkg in lock["packages"].items() if pkg["file_name"] in shipped
    }
    for name, pkg in lock["packages"].items():
        missing = [d for d in pkg["depends"] if d not in lock["packages"]]
        if missing:
            raise VendorError(f"package {name} depends on {missing}, which the site does not ship")
    dest_lock.write_text(json.dumps(lock, indent=1, sort_keys=True), encoding="utf-8")
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(dest_lock, cached)
    return lock
