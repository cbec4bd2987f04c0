"""The simulator's wheel brings bytecode that Pyodide's Python uses as it is (site_build/bytecode.py).

Runs in the Pyodide layer (`make test-pyodide`), where the package comes from that wheel.
"""

import importlib
import importlib.util
import pkgutil
import sys
from pathlib import Path

import pytest

import simulator


@pytest.mark.skipif(sys.platform != "emscripten", reason="the bytecode is compiled for Pyodide's Python")
def test_every_module_has_bytecode_this_python_takes_without_compiling():
    names = ["simulator"] + [m.name for m in pkgutil.walk_packages(simulator.__path__, "simulator.")]
    for name in names:
        module = importlib.import_module(name)
        source = Path(module.__file__).read_bytes()
        pyc = Path(importlib.util.cache_from_source(module.__file__)).read_bytes()
        assert pyc[:4] == importlib.util.MAGIC_NUMBER, name  # compiled by this very Python
        assert int.from_bytes(pyc[4:8], "little") == 0b01, name  # hash-based, not checked at import
        assert pyc[8:16] == importlib.util.source_hash(source), name  # and made from this source
