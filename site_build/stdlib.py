"""Pyodide's standard library as the site ships it: a zip whose entries are stored.

Pyodide's `python_stdlib.zip` deflates each file on its own (2.5 MB). Stored, the same zip
is 9.7 MB on disk, but a server's Brotli compresses it as one text, across files:
1.6 MB over the wire. Python reads stored entries without inflating them.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

NAME = "python_stdlib.zip"
#: Changing how the zip is written changes this: cached copies are then made again.
FORMAT = b"stored-1"


def write_stdlib(source: Path, dest: Path, cache_dir: Path | None = None) -> Path:
    """Write `dest` from Pyodide's zip `source`, every entry stored; reuse a cached copy."""
    data = source.read_bytes()
    key = hashlib.sha256(FORMAT + b"\0" + data).hexdigest()[:32]
    cached = cache_dir / f"python_stdlib-{key}.zip" if cache_dir else None
    if cached is not None and cached.is_file():
        result = cached.read_bytes()
    else:
        result = _stored(source)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            for old in cached.parent.glob("python_stdlib-*.zip"):
                old.unlink()
            partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
            partial.write_bytes(result)
            partial.replace(cached)
    if not (dest.is_file() and dest.stat().st_size == len(result) and dest.read_bytes() == result):
        dest.write_bytes(result)
    return dest


def _stored(source: Path) -> bytes:
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for info in original.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            entry.external_attr = info.external_attr
            entry.compress_type = zipfile.ZIP_STORED
            copy.writestr(entry, original.read(info))
    return out.getvalue()
