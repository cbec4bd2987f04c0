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
import json
import os
import shutil
import threading
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


_digests: dict[str, str] = {}
DIGESTS_FILE = "digests.json"
KEPT_DIGEST_SIZE = 1 << 20  # bytes: the digests of larger files are kept between builds


def _identity(path: Path) -> str:
    """A file's identity: its inode (the site's big files are hard links to node_modules' or to
    the cache's, the same file from one build to the next), size and modification time."""
    stat = path.stat()
    return f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"


def sha256_of(path: Path) -> str:
    """A file's sha256 (hex), computed once per content: the service worker's revisions and the
    cache's keys read the site's 22 MB once per build, and its big files once for all builds."""
    key = _identity(path)
    if key not in _digests:
        _digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _digests[key]


def load_digests(cache_dir: Path) -> None:
    """The big files' digests kept by earlier builds (see save_digests)."""
    try:
        _digests.update(json.loads((cache_dir / DIGESTS_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass


def save_digests(cache_dir: Path, site: Path) -> None:
    """Keep the digests of the site's big files for the next build."""
    kept = {}
    for path in site.rglob("*"):
        if path.is_file() and path.stat().st_size >= KEPT_DIGEST_SIZE:
            key = _identity(path)
            if key in _digests:
                kept[key] = _digests[key]
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cache_dir / f"{DIGESTS_FILE}.{os.getpid()}.tmp"
    partial.write_text(json.dumps(kept, sort_keys=True), encoding="utf-8")
    partial.replace(cache_dir / DIGESTS_FILE)


def _cached(path: Path, suffix: str, cache_dir: Path) -> Path:
    """The cache's file holding `path`'s bytes compressed by the codec of `suffix` (made if needed)."""
    settings = f"q{BROTLI_QUALITY}" if suffix == ".br" else f"l{GZIP_LEVEL}"
    kept = cache_dir / f"{sha256_of(path)}-{settings}{suffix}"
    if not kept.is_file():
        data = path.read_bytes()
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = kept.with_name(f"{kept.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        partial.write_bytes(CODECS[suffix](data))
        partial.replace(kept)  # another build may be writing the same entry
    return kept


def _write_if_changed(path: Path, data: bytes) -> None:
    if not (path.is_file() and path.read_bytes() == data):
        path.unlink(missing_ok=True)  # it may be a link to a cache entry: never write into it
        path.write_bytes(data)


def place(source: Path, dest: Path) -> None:
    """Put `source`'s bytes at `dest`: a hard link when both are on one file system (a fresh
    build then writes no byte of the 12 MB of copies), else a copy. Never writes into the
    file `dest` was: it may be a link to a cache entry."""
    if dest.exists() and os.path.samefile(source, dest):
        return
    dest.unlink(missing_ok=True)
    try:
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)


def precompress(site: Path, cache_dir: Path | None = None) -> dict[str, int]:
    """Write NAME.br and NAME.gz beside every candidate of `site` (stale copies removed).

    Returns the number of files compressed and the bytes of the originals and the copies.
    """
    site = Path(site)
    files = candidates(site)
    wanted: set[Path] = set()

    def one(path: Path) -> tuple[int, int]:
        length = path.stat().st_size
        smallest = length
        for suffix in CODECS:
            copy = path.with_name(path.name + suffix)
            if cache_dir is None:
                packed = CODECS[suffix](path.read_bytes())
                size = len(packed)
            else:
                cached = _cached(path, suffix, cache_dir)
                size = cached.stat().st_size
            if size <= length * (1 - MIN_SAVING):
                if cache_dir is None:
                    _write_if_changed(copy, packed)
                else:
                    place(cached, copy)
                wanted.add(copy)
                if suffix == ".br":
                    smallest = size
        return length, smallest

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
    length = path.stat().st_size
    if path.suffix not in SUFFIXES or length < MIN_SIZE:
        return length
    if cache_dir is None:
        return min(length, len(_brotli(path.read_bytes())))
    return min(length, _cached(path, ".br", cache_dir).stat().st_size)
