"""Build the pure-Python `simulator` wheel that the browser loads through Pyodide."""

from __future__ import annotations

import os
from pathlib import Path

# A fixed timestamp inside the zip makes the wheel byte-for-byte reproducible,
# whatever the files' modification times on this checkout.
REPRODUCIBLE_EPOCH = "315532800"  # 1980-01-01, the earliest date a zip can hold


def build_wheel(project_root: Path, out_dir: Path) -> Path:
    """Build `simulator-<version>-py3-none-any.whl` into out_dir and return its path.

    Uses flit_core's PEP 517 backend directly: no isolated build environment,
    so nothing is downloaded at build time.
    """
    from flit_core import buildapi

    out_dir.mkdir(parents=True, exist_ok=True)
    previous_cwd = Path.cwd()
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = REPRODUCIBLE_EPOCH
    try:
        os.chdir(project_root)  # flit reads ./pyproject.toml
        name = buildapi.build_wheel(str(out_dir))
    finally:
        os.chdir(previous_cwd)
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous_epoch
    if not name.endswith("-py3-none-any.whl"):
        raise RuntimeError(f"expected a pure-Python wheel, got {name}")
    return out_dir / name


if __name__ == "__main__":  # python -m site_build.wheel OUT_DIR  (used by the Pyodide test layer)
    import sys

    root = Path(__file__).resolve().parent.parent
    print(build_wheel(root, Path(sys.argv[1] if len(sys.argv) > 1 else "build/wheel").resolve()))
