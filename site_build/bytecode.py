"""Add bytecode compiled by Pyodide's own Python to the simulator wheel.

The browser then imports the package without compiling its sources: about 0.1 s less
before the first call on a 2-core machine, several times that on a phone (`make bench`).
Bytecode is tied to a Python version (3.14 for the pinned Pyodide, 3.13 on these build
machines), so it is compiled inside Pyodide itself, under Node
(site_build/compile_bytecode.mjs). That costs about 2.5 s, hence a cache keyed by the
wheel's bytes and the Pyodide version: a rebuild with an unchanged simulator reuses it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from site_build.pyodide_vendor import VendorError

SCRIPT = Path(__file__).with_name("compile_bytecode.mjs")


def add_bytecode(wheel: Path, pyodide_dir: Path, cache_dir: Path | None = None) -> Path:
    """Rewrite `wheel` in place with __pycache__/*.pyc beside each module; return it."""
    version = json.loads((pyodide_dir / "package.json").read_text(encoding="utf-8"))["version"]
    key = hashlib.sha256(f"pyodide {version}\0".encode() + SCRIPT.read_bytes() + wheel.read_bytes())
    cached = cache_dir / f"{wheel.stem}-{key.hexdigest()[:32]}.whl" if cache_dir else None
    if cached is not None and cached.is_file():
        shutil.copyfile(cached, wheel)
        return wheel
    node = shutil.which("node")
    if node is None:
        raise VendorError("Node.js is needed to compile the simulator for Pyodide: run `make build`, "
                          "which checks the set-up")
    with tempfile.TemporaryDirectory() as tmp:
        compiled = Path(tmp) / wheel.name
        result = subprocess.run([node, str(SCRIPT), str(pyodide_dir), str(wheel), str(compiled)],
                                capture_output=True, text=True)
        if result.returncode != 0 or not compiled.is_file():
            raise VendorError("compiling the simulator's bytecode in Pyodide failed:\n"
                              + (result.stderr or result.stdout).strip()[-2000:])
        shutil.copyfile(compiled, wheel)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        project = wheel.name.split("-")[0]
        for old in cached.parent.glob(f"{project}-*.whl"):  # one compiled wheel kept
            old.unlink()
        partial = cached.with_suffix(".partial")  # an interrupted build leaves no broken entry
        shutil.copyfile(wheel, partial)
        os.replace(partial, cached)
    return wheel


if __name__ == "__main__":  # python -m site_build.bytecode WHEEL  (used by the Pyodide test layer)
    import sys

    root = Path(__file__).resolve().parent.parent
    print(add_bytecode(Path(sys.argv[1]).resolve(), root / "node_modules" / "pyodide", root / "build" / "cache"))
