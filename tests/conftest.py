"""Fixtures shared by the site and browser layers: strict builds of the whole course.

`built_site` is the supported build (mkdocs-material, whose hooks run the finish
steps); `zensical_site` is the same course built by Zensical, then finished by
`python -m site_build finish`, the way any other generator's output is.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


class Build:
    def __init__(self, site: Path, output: str):
        self.site = site
        self.output = output


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Build:
    """`mkdocs build --strict` of the real course into a temporary folder."""
    site = tmp_path_factory.mktemp("site")
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"},
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{output}")
    return Build(site, output)


@pytest.fixture(scope="session")
def zensical_site() -> Build:
    """`zensical build --strict` of the real course, then `python -m site_build finish` on it."""
    bin_dir = Path(sys.executable).parent
    # Zensical writes only inside the project; its config sits beside mkdocs.yml, which it inherits.
    site = ROOT / "build" / f"zensical-site-{os.getpid()}"
    config = ROOT / f".zensical-test-{os.getpid()}.yml"
    config.write_text(f"INHERIT: mkdocs.yml\nsite_dir: {site.relative_to(ROOT).as_posix()}\n", encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1"}
    try:
        built = subprocess.run([str(bin_dir / "zensical"), "build", "--strict", "--clean", "-f", str(config)],
                               cwd=ROOT, capture_output=True, text=True, env=env)
    finally:
        config.unlink()
    output = built.stdout + built.stderr
    if built.returncode != 0:
        shutil.rmtree(site, ignore_errors=True)
        pytest.fail(f"zensical build --strict failed:\n{output}")
    finished = subprocess.run([sys.executable, "-m", "site_build", "finish", str(site)],
                              cwd=ROOT, capture_output=True, text=True, env=env)
    output += finished.stdout + finished.stderr
    if finished.returncode != 0:
        shutil.rmtree(site, ignore_errors=True)
        pytest.fail(f"python -m site_build finish failed:\n{output}")
    yield Build(site, output)
    shutil.rmtree(site, ignore_errors=True)
