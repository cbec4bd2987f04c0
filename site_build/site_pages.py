"""Read what the generator wrote: each built page, its title, its source and its exercises.

The finish steps work on any built site, whichever generator made it, so they
learn which page shows which exercise from the HTML itself: the directive marks
each exercise `<section class="rp-ex" data-ex-id="…">` and each unknown id
`<div … data-ex-inconnu="…">`. Regular expressions over our own markup (a few
milliseconds for the course), not an HTML parser (ten times slower).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from site_build.exercises import Page

EXERCISE_TAG = re.compile(r'<(?:section|div)\b[^>]*?\bclass="rp-ex(?: rp-ex--missing)?"[^>]*>')
ATTRIBUTE = re.compile(r'\b(data-ex-id|data-ex-inconnu)="([^"]*)"')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def url_of(html_path: str) -> str:
    """"modules/03-x/index.html" -> "modules/03-x/"; "index.html" -> ""; "404.html" -> "404.html"."""
    if html_path == "index.html":
        return ""
    return html_path[: -len("index.html")] if html_path.endswith("/index.html") else html_path


def source_of(html_path: str, docs_dir: Path) -> str | None:
    """The Markdown source of a built page (directory URLs: a.md -> a/index.html), if it exists."""
    folder = html_path[: -len("index.html")].rstrip("/") if html_path.endswith("index.html") else None
    if folder is None:
        candidates = [html_path[: -len(".html")] + ".md"]
    elif folder:
        candidates = [f"{folder}.md", f"{folder}/index.md", f"{folder}/README.md"]
    else:
        candidates = ["index.md", "README.md"]
    return next((c for c in candidates if (docs_dir / c).is_file()), None)


def page_title(text: str, site_name: str) -> str:
    """The page's <title> without the site name the theme appends."""
    m = TITLE.search(text)
    title = html.unescape(m.group(1)).strip() if m else ""
    for sep in (" - ", " — ", " | "):
        if site_name and title.endswith(sep + site_name):
            return title[: -len(sep + site_name)]
    return title


def exercise_pages(site: Path, docs_dir: Path, site_name: str) -> list[Page]:
    """The built pages that show exercises (or name unknown ones), sorted by source."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if 'class="rp-ex' not in text:
            continue
        ids = []
        for tag in EXERCISE_TAG.finditer(text):
            attrs = dict(ATTRIBUTE.findall(tag.group(0)))
            ident = attrs.get("data-ex-id") or attrs.get("data-ex-inconnu")
            if ident:
                ids.append(html.unescape(ident))
        if not ids:
            continue
        rel = path.relative_to(site).as_posix()
        src = source_of(rel, docs_dir)
        pages.append(Page(src=src or rel, abs_path=str(docs_dir / src) if src else None,
                          url=url_of(rel), title=page_title(text, site_name), ids=ids))
    return sorted(pages, key=lambda p: p.src)
