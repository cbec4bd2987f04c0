"""Precompressed copies of the site's text files, for a server that sends them as they are.

Beside each file worth it, `NAME.br` (Brotli, quality 11) and `NAME.gz` (gzip, level 9):
nginx's `brotli_static` and `gzip_static` (deploy/nginx.conf) send them to a browser that
accepts them, without compressing anything per request, and any static host that knows the
convention does the same. Brotli at quality 11 costs about a minute for Pyodide's 9.6 MB of
WebAssembly, so every result is kept in build/cache/ under the sha256 of the original: a
rebuild compresses only what changed.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

#: Files compressed: text, WebAssembly, and zips whose entries are stored (the standard
#: library and the wheel: site_build stores them so that Brotli sees their text).
SUFFIXES = (".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".svg", ".xml", ".txt",
            ".wasm", ".zip", ".whl", ".map")
#: Smaller files gain nothing worth a second request's worth of bytes.
MIN_SIZE = 512
#: A copy is written only when it saves at least this share of the bytes.
MIN_SAVING = 0.05
BROTLI_QUALITY = 11
GZIP_LEVEL = 9
#: Compressed files the generator writes itself (MkDocs: the sitemap), left as they are.
GENERATORS_OWN = {"sitemap.xml.gz"}


def _brotli(data: bytes) -> bytes:
    import brotli  # a build dependency (requirements.lock); the simulator never imports it

    return brotli.compress(data, quality=BROTLI_QUALITY)  # its default window: smaller here than 16 MB


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


CODECS = {".br": _brotli, ".gz": _gzip}


def candidates(site: Path) -> list[Path]:
    """The files of the site worth a compressed copy."""
    return sorted(p for p in site.rglob("*") if p.is_file() and p.suffix in SUFFIXES
                  and p.stat().st_size >= MIN_SIZE)


def _compressed(data: bytes, suffix: str, cache_dir: Path | None) -> bytes:
    if cache_dir is None:
        return CODECS[suffix](data)
    settings = f"q{BROTLI_QUALITY}" if suffix == ".br" else f"l{GZIP_LEVEL}"
    kept = cache_dir / f"{hashlib.sha256(data).hexdigest()}-{settings}{suffix}"
    if kept.is_file():
        return kept.read_bytes()
    result = CODECS[suffix](data)
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
    partial.write_bytes(result)
    partial.replace(kept)  # another build may be writing the same entry
    return result


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def precompress(site: Path, cache_dir: Path | None = None) -> dict[str, int]:
    """Write NAME.br and NAME.gz beside every candidate of `site` (stale copies removed).

    Returns the number of files compressed and the bytes of the originals and the copies.
    """
    site = Path(site)
    files = candidates(site)
    wanted: set[Path] = set()

    def one(path: Path) -> tuple[int, int]:
        data = path.read_bytes()
        smallest = len(data)
        for suffix in CODECS:
            copy = path.with_name(path.name + suffix)
            packed = _compressed(data, suffix, cache_dir)
            if len(packed) <= len(data) * (1 - MIN_SAVING):
                _write_if_changed(copy, packed)
                wanted.add(copy)
                if suffix == ".br":
                    smallest = len(packed)
        return len(data), smallest

    # Brotli releases the GIL: both cores work when the cache is cold.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        sizes = list(pool.map(one, files))
    # A copy left from an earlier run whose original changed or went: a server would send it.
    for stale in list(site.rglob("*.br")) + list(site.rglob("*.gz")):
        if stale not in wanted and stale.with_suffix("").suffix in SUFFIXES and stale.name not in GENERATORS_OWN:
            stale.unlink()
    return {"files": len(files), "bytes": sum(s[0] for s in sizes), "brotli_bytes": sum(s[1] for s in sizes)}


def brotli_size(path: Path, cache_dir: Path | None = None) -> int:
    """The bytes a browser that accepts Brotli downloads for this file (kept in the cache)."""
    data = path.read_bytes()
    if path.suffix not in SUFFIXES or len(data) < MIN_SIZE:
        return len(data)
    return min(len(data), len(_compressed(data, ".br", cache_dir)))
