"""Pyodide's standard library as the site ships it: trimmed to what can be imported, stored.

Pyodide's `python_stdlib.zip` holds the whole standard library (614 files, 9.6 MB of
sources), each file deflated on its own (2.5 MB). The site ships instead:
- only the modules the browser can import: those the simulator's sources import, the ones
  Python and Pyodide need to start (BOOT), Pyodide's own packages, and, from each of
  these, every module its source imports, at any depth and anywhere in the file (inside
  a function too): a static closure, larger than what runs, so that a rarely taken path
  still finds its module;
- with entries stored, not deflated: a server's Brotli then compresses the zip as one
  text, across files.
Over the wire (Brotli 11): 2.49 MB -> 1.59 MB stored -> about 1.2 MB trimmed and stored.
tests/pyodide/site_stdlib.mjs replays every scenario's example conversations in Pyodide
with this zip, so a module missing from it fails `make test`.
"""

from __future__ import annotations

import ast
import hashlib
import io
import os
import re
import zipfile
from pathlib import Path

NAME = "python_stdlib.zip"
#: Changing how the zip is made changes this: cached copies are then made again.
FORMAT = b"closure-stored-1"

#: What Python's start-up, Pyodide's start-up and the engine worker import without a Python
#: `import` line to follow: the interpreter's own start, codecs looked up by name (utf-8,
#: zip names in cp437…), C modules importing Python ones (datetime's strptime, warnings),
#: tracebacks turned into JavaScript errors, and the worker's prelude (engine-worker.js).
BOOT = (
    "site", "sitecustomize", "_sitebuiltins", "codecs", "io", "abc", "os", "stat", "posixpath", "genericpath",
    "_collections_abc", "warnings", "_py_warnings", "traceback", "linecache", "tokenize", "_strptime",
    "importlib", "importlib.abc", "importlib.machinery", "importlib.util", "importlib.resources", "zipimport",
    "json", "sys", "zipfile", "copyreg", "types", "weakref", "functools", "contextlib", "enum", "re",
    "encodings", "encodings.aliases", "encodings.utf_8", "encodings.utf_8_sig", "encodings.ascii",
    "encodings.latin_1", "encodings.cp437", "encodings.cp1252", "encodings.raw_unicode_escape",
    "encodings.unicode_escape", "encodings.idna", "encodings.punycode", "encodings.utf_16",
    "encodings.utf_16_le", "encodings.utf_16_be", "encodings.utf_32", "encodings.mbcs",
)
#: Pyodide's own packages are kept whole (its JavaScript side imports their modules).
WHOLE = ("_pyodide/", "pyodide/", "_sysconfigdata")

FROM = re.compile(r"^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]*(\([^)]*\)|[^\n]*)", re.M)
IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n]*)", re.M)


def package_imports(package: Path) -> set[str]:
    """Every absolute module name the package's sources import, anywhere in a file."""
    names = set()
    for source in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"), str(source))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names if alias.name != "*")
    return names


def _names(text: str) -> list[str]:
    """`a, b as c, (d, e)` -> [a, b, d, e]; comments and line continuations left out."""
    text = re.sub(r"#[^\n]*", "", text)
    return [part.split()[0] for part in re.split(r"[,()\\\n]+", text) if part.split()]


def _imports_in(text: str, module: str, is_package: bool) -> set[str]:
    """Module names a standard library source imports (read as text: it is Python 3.14)."""
    package = module if is_package else module.rpartition(".")[0]
    found = {name for line in IMPORT.findall(text) for name in _names(line)}
    for origin, names in FROM.findall(text):
        base = origin
        if origin.startswith("."):
            level = len(origin) - len(origin.lstrip("."))
            parts = package.split(".") if package else []
            parts = parts[: len(parts) - (level - 1)]
            base = ".".join(parts + ([origin.lstrip(".")] if origin.lstrip(".") else []))
        if base:
            found.add(base)
            found.update(f"{base}.{name}" for name in _names(names) if name != "*")
    return found


def closure(stdlib: zipfile.ZipFile, seeds: set[str]) -> set[str]:
    """The files of `stdlib` that the seeds' modules import, directly or not."""
    files = set(stdlib.namelist())

    def file_of(module: str) -> str | None:
        path = module.replace(".", "/")
        for candidate in (f"{path}.py", f"{path}/__init__.py"):
            if candidate in files:
                return candidate
        return None

    keep = {name for name in files if name.startswith(WHOLE)}
    todo = set(seeds) | {n[:-3].replace("/__init__", "").replace("/", ".") for n in keep if n.endswith(".py")}
    seen: set[str] = set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        parts = module.split(".")
        todo.update(".".join(parts[:i]) for i in range(1, len(parts)))  # the packages above it
        path = file_of(module)
        if path is None:
            continue  # a built-in module, a name imported from a module, or another package
        keep.add(path)
        text = stdlib.read(path).decode("utf-8", "replace")
        todo.update(_imports_in(text, module, path.endswith("/__init__.py")))
    return keep


def trimmed(source: Path, seeds: set[str]) -> bytes:
    """The zip with the closure of `seeds` only, every entry stored (same order and dates)."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        keep = closure(original, seeds)
        for info in original.infolist():
            if info.filename in keep or info.is_dir():
                entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                entry.external_attr = info.external_attr
                entry.compress_type = zipfile.ZIP_STORED
                copy.writestr(entry, original.read(info))
    return out.getvalue()


def write_stdlib(source: Path, dest: Path, package: Path, cache_dir: Path | None = None) -> Path:
    """Write `dest`, Pyodide's `source` zip trimmed for `package` (the simulator); cached."""
    from site_build.compression import place, sha256_of

    key = hashlib.sha256(FORMAT + b"\0" + "\0".join(BOOT).encode() + Path(__file__).read_bytes()
                         + sha256_of(source).encode())
    for module in sorted(package.rglob("*.py")):  # the package's imports, read only when they changed
        key.update(module.read_bytes())
    cached = cache_dir / f"python_stdlib-{key.hexdigest()[:32]}.zip" if cache_dir else None
    if cached is None:
        result = trimmed(source, set(BOOT) | package_imports(package))
        if not (dest.is_file() and dest.read_bytes() == result):
            dest.unlink(missing_ok=True)
            dest.write_bytes(result)
        return dest
    if not cached.is_file():
        result = trimmed(source, set(BOOT) | package_imports(package))
        cached.parent.mkdir(parents=True, exist_ok=True)
        for old in cached.parent.glob("python_stdlib-*.zip"):
            old.unlink()
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        partial.write_bytes(result)
        partial.replace(cached)
    place(cached, dest)  # a hard link when it can
    return dest


if __name__ == "__main__":  # python -m site_build.stdlib OUT_ZIP  (used by the Pyodide test layer)
    import sys

    root = Path(__file__).resolve().parent.parent
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "build/python_stdlib.zip").resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    print(write_stdlib(root / "node_modules" / "pyodide" / NAME, out, root / "simulator", root / "build" / "cache"))
