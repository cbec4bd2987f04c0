"""The course as an installable app that works offline: icons, web app manifest, service worker.

Three things are written into a built site (site_build/finish.py runs them as steps):
- `assets/icones/*.png`, drawn here (no file to keep up to date, nothing downloaded), and
  `manifest.webmanifest` (French name, theme colours, those icons): the course can be installed;
- `sw.js`, the service worker (its source is site_build/service_worker.js), with the list of
  every file of the course and of the Python engine and the start of each one's sha256;
- a few tags in every page's <head>: the manifest, the theme colour, and
  `assets/offline.js`, which registers the worker, offers "Recharger" when a new version is
  ready and draws the "Disponible hors connexion" box of the home page.

The switch: COURS_HORS_LIGNE=non in the environment of the build (mkdocs build, or
`python -m site_build finish`) leaves all of this out (and takes it out of a site that had it):
no manifest, no tags, and a `sw.js` that only retires a worker a browser may have from before.
A site served from inside another one (a SCORM package in an LMS's frame) must be built so:
its pages then register no service worker. `mkdocs serve` leaves it out too (see hooks.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

SWITCH = "COURS_HORS_LIGNE"
SERVICE_WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
ICONS = "assets/icones"
TEMPLATE = Path(__file__).with_name("service_worker.js")
PLACEHOLDER = "__PRECACHE__"
TAGS = re.compile(r"<!-- hors-ligne -->.*?<!-- /hors-ligne -->\n?", re.S)

#: mkdocs-material's indigo (the site's primary colour) and deep orange (its accent).
THEME = "#4051b5"
ACCENT = "#ff6e42"
SHORT_NAME = "Payé à temps"

#: The files the engine worker asks for (docs/assets/engine-worker.js), besides the wheel.
ENGINE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
#: Not kept for offline use: compressed twins, source maps, the sitemap, and the worker itself.
NOT_KEPT = re.compile(r"(\.br|\.gz|\.map)$|^(sitemap\.xml|sw\.js|404\.html)$")
#: lunr's language files: only those of the search's languages are kept.
LUNR = re.compile(r"(^|/)lunr/(min/lunr\.([\w.]+)\.min\.js|tinyseg\.js|wordcut\.js)$")


def enabled() -> bool:
    """False when the build's environment says COURS_HORS_LIGNE=non (SCORM, previews)."""
    return os.environ.get(SWITCH, "oui").strip().lower() not in {"non", "no", "0", "false", "off"}


# ------------------------------------------------------------------ icons and manifest

def draw_icon(size: int, maskable: bool = False):
    """The course's icon: a calendar page with a tick (a payment on a precise day).

    A maskable icon fills its square with the theme colour and keeps the drawing inside
    the central 80 % (platforms cut it to a circle or a rounded square).
    """
    from PIL import Image, ImageDraw  # a build dependency (requirements.lock)

    scale = 4  # drawn larger, then reduced: smooth edges
    n = size * scale
    image = Image.new("RGBA", (n, n), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, n, n), fill=THEME)
        inner = 0.62
    else:
        draw.rounded_rectangle((0, 0, n - 1, n - 1), radius=n * 0.18, fill=THEME)
        inner = 0.7
    side = n * inner
    left, top = (n - side) / 2, (n - side) / 2 + n * 0.02
    right, bottom = left + side, top + side * 0.92
    draw.rounded_rectangle((left, top, right, bottom), radius=side * 0.1, fill="#ffffff")
    band = top + side * 0.24
    draw.rounded_rectangle((left, top, right, band), radius=side * 0.1, fill=ACCENT)
    draw.rectangle((left, band - side * 0.1, right, band), fill=ACCENT)
    ring_w, ring_h = side * 0.07, side * 0.18
    for x in (left + side * 0.27, right - side * 0.27):
        draw.rounded_rectangle((x - ring_w / 2, top - ring_h * 0.45, x + ring_w / 2, top + ring_h * 0.55),
                               radius=ring_w / 2, fill="#ffffff", outline=THEME, width=int(ring_w * 0.25))
    tick = [(left + side * 0.26, top + side * 0.58), (left + side * 0.44, top + side * 0.74),
            (left + side * 0.76, top + side * 0.40)]
    draw.line(tick, fill=THEME, width=int(side * 0.11), joint="curve")
    for x, y in (tick[0], tick[-1]):
        r = side * 0.055
        draw.ellipse((x - r, y - r, x + r, y + r), fill=THEME)
    return image.resize((size, size), Image.LANCZOS)


ICON_SET = (  # (file, size, maskable)
    ("icone-192.png", 192, False),
    ("icone-512.png", 512, False),
    ("icone-masquable-512.png", 512, True),
    ("icone-apple-180.png", 180, True),  # iOS rounds the corners itself
)


def _icon_png(size: int, maskable: bool, cache_dir: Path | None) -> bytes:
    """An icon's PNG bytes; drawing them takes 0.2 s, so they are kept in the build cache,
    under the sha256 of this file (the drawing) and of Pillow's version."""
    import io

    import PIL

    key = hashlib.sha256(Path(__file__).read_bytes() + f"{PIL.__version__} {size} {maskable}".encode())
    cached = cache_dir / f"icone-{key.hexdigest()[:32]}.png" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    buffer = io.BytesIO()
    draw_icon(size, maskable).save(buffer, format="PNG", optimize=True)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def write_icons(site: Path, cache_dir: Path | None = None) -> list[dict]:
    """The PNG icons (written only when their bytes change); their manifest entries."""
    folder = site / ICONS
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, size, maskable in ICON_SET:
        _write_if_changed(folder / name, _icon_png(size, maskable, cache_dir))
        if not name.startswith("icone-apple"):
            entries.append({"src": f"{ICONS}/{name}", "sizes": f"{size}x{size}", "type": "image/png",
                            "purpose": "maskable" if maskable else "any"})
    return entries


def write_manifest(site: Path, name: str, description: str, cache_dir: Path | None = None) -> Path:
    manifest = {
        "name": name,
        "short_name": SHORT_NAME if len(name) > 15 else name,
        "description": description,
        "lang": "fr",
        "dir": "ltr",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": write_icons(site, cache_dir),
    }
    path = site / MANIFEST
    _write_if_changed(path, (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode())
    return path


# ------------------------------------------------------------------ the pages' tags

def page_tags(page: Path, site: Path) -> str:
    """What every page gets in its <head> (relative links: the site may live in a sub-folder)."""
    up = os.path.relpath(site, page.parent).replace(os.sep, "/")
    up = "" if up == "." else up + "/"
    return (f'<!-- hors-ligne --><link rel="manifest" href="{up}{MANIFEST}">'
            f'<meta name="theme-color" content="{THEME}">'
            f'<link rel="apple-touch-icon" href="{up}{ICONS}/icone-apple-180.png">'
            f'<script type="module" src="{up}assets/offline.js"></script><!-- /hors-ligne -->\n')


def tag_pages(site: Path, on: bool = True) -> int:
    """Put the tags in every page (once), or take them out; the number of pages changed."""
    changed = 0
    for page in site.rglob("*.html"):
        if page.name == "404.html" and page.parent == site:
            continue  # served at any depth: relative links would break; it needs no worker
        text = page.read_text(encoding="utf-8")
        bare = TAGS.sub("", text)
        new = bare.replace("</head>", page_tags(page, site) + "</head>", 1) if on else bare
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed


# ------------------------------------------------------------------ the service worker

def _revision(path: Path) -> str:
    from site_build.compression import sha256_of

    return sha256_of(path)[:16]


def _url(relative: str) -> str:
    """A file's URL as the site links to it: a folder's index.html is the folder."""
    if relative == "index.html":
        return "./"
    return relative[: -len("index.html")] if relative.endswith("/index.html") else relative


def search_languages(site: Path) -> set[str]:
    index = site / "search" / "search_index.json"
    try:
        return set(json.loads(index.read_text(encoding="utf-8"))["config"]["lang"])
    except (OSError, ValueError, KeyError, TypeError):
        return {"fr"}


def _size(path: Path) -> int:
    return path.stat().st_size


def precache_lists(site: Path, engine_bytes=_size) -> dict:
    """Every file the worker keeps, by group: [[url, revision, bytes], …]; the engine's bytes
    are given by `engine_bytes(path)` (its size over the wire, for the progress shown)."""
    languages = search_languages(site) | {"stemmer.support", "multi"}
    course, engine = [], []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = path.relative_to(site).as_posix()
        if relative.startswith("pyodide/"):
            name = relative.split("/", 1)[1]
            if name in ENGINE_FILES or (name.startswith("simulator-") and name.endswith(".whl")):
                engine.append([_url(relative), _revision(path), engine_bytes(path)])
            continue
        lunr = LUNR.search(relative)
        if NOT_KEPT.search(relative) or relative.startswith("bench-") or (
                lunr and not (lunr.group(3) and lunr.group(3) in languages)):
            continue
        course.append([_url(relative), _revision(path), _size(path)])
    return {"course": course, "engine": engine}


def write_service_worker(site: Path, engine_bytes=_size) -> dict:
    """sw.js with the lists of this build; the lists, with the build's version."""
    lists = precache_lists(site, engine_bytes)
    version = hashlib.sha256(json.dumps(lists, sort_keys=True).encode()).hexdigest()[:16]
    precache = {"version": version, **lists}
    template = TEMPLATE.read_text(encoding="utf-8")
    if template.count(PLACEHOLDER) != 1:
        raise RuntimeError(f"{TEMPLATE.name}: {PLACEHOLDER} must appear once")
    text = template.replace(PLACEHOLDER, json.dumps(precache, ensure_ascii=False, separators=(",", ":")))
    _write_if_changed(site / SERVICE_WORKER, text.encode())
    return precache


#: What /sw.js becomes when the offline app is off: a browser that registered the course's
#: worker at this address before (a built site served on the port `mkdocs serve` uses now)
#: finds this one at its next update check, and it takes itself and its caches away.
RETIRED_WORKER = """// No offline app on this site (mkdocs serve, or COURS_HORS_LIGNE=non): this worker removes
// an earlier one registered at this address, with what it kept, then reloads its pages.
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil((async () => {
  for (const name of ["recouvrement-cours", "recouvrement-python"]) await caches.delete(name);
  await self.registration.unregister();
  for (const client of await self.clients.matchAll({ type: "window" })) client.navigate(client.url);
})()));
"""


def remove(site: Path) -> None:
    """Take the manifest, the icons and the pages' tags out of a site (the switch is off); sw.js
    becomes a worker that retires an earlier one (no page registers it)."""
    (site / MANIFEST).unlink(missing_ok=True)
    _write_if_changed(site / SERVICE_WORKER, RETIRED_WORKER.encode())
    folder = site / ICONS
    if folder.is_dir():
        for name, *_ in ICON_SET:
            (folder / name).unlink(missing_ok=True)
        if not any(folder.iterdir()):
            folder.rmdir()
    tag_pages(site, on=False)


def _write_if_changed(path: Path, data: bytes) -> None:
    if not (path.is_file() and path.read_bytes() == data):
        path.write_bytes(data)
