"""Python-Markdown extension: a paragraph that is exactly `{{ exercice ID }}` becomes the exercise.

Declared in mkdocs.yml's `markdown_extensions`, with its option:

    - site_build.exercise_directive:
        quiz_dir: exercises/quiz   # relative to the folder the generator runs from

so any generator that converts pages with Python-Markdown renders it (MkDocs,
Zensical; `make setup` puts the project folder on the virtualenv's path so that
`site_build` can be imported). The exercises are read and validated at the first
directive, and again only when a YAML file changes; a broken file stops the
conversion with `file:line: message` in French (site_build/exercises.py).

Why a block processor: it runs inside Python-Markdown's own block parser, so
the directive is never seen inside code (fenced or indented: the authoring
guide shows it in code blocks), it works inside admonitions and tabs, and the
exercise is built as ElementTree nodes of the page itself — the author's
Markdown in questions and comments then goes through the page's inline
processing (abbreviations, links checked and rewritten by the generator) like any
other text.

An unknown id is shown as a "missing exercise" box carrying the id; once the
site is built, the finish step that lists the exercises fails the build with the
page's file:line (site_build/finish.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from pathlib import Path

from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension

from site_build.exercises import DIRECTIVE_RE, load_cached, module_of, render
from site_build.project import CACHE
from site_build.project import DEFAULT_QUIZ_DIR


def page_source(md) -> str | None:
    """The docs-relative path of the page being converted, when the generator says it.

    Neither generator hands the page to extensions in a documented way; each keeps
    it on a processor it registers for every page: Zensical's rendering context,
    MkDocs' link rewriter. Without either (plain Python-Markdown), None.
    """
    if "rendering_context" in md.preprocessors:  # Zensical
        page = getattr(md.preprocessors["rendering_context"], "page", None)
        if page is not None:
            return getattr(page, "path", None)
    if "relpath" in md.treeprocessors:  # MkDocs
        file = getattr(md.treeprocessors["relpath"], "file", None)
        if file is not None:
            return getattr(file, "src_uri", None)
    return None


class ExerciseProcessor(BlockProcessor):
    def __init__(self, parser, quiz_dir: str):
        super().__init__(parser)
        self.quiz_dir = quiz_dir

    def test(self, parent, block: str) -> bool:
        return any(DIRECTIVE_RE.match(line) for line in block.split("\n"))

    def run(self, parent, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n")
        at = next(i for i, line in enumerate(lines) if DIRECTIVE_RE.match(line))
        before, after = "\n".join(lines[:at]), "\n".join(lines[at + 1:])
        if before.strip():
            self.parser.parseBlocks(parent, [before])
        ident = DIRECTIVE_RE.match(lines[at]).group("id")
        root = Path.cwd()
        exercise = load_cached(root / self.quiz_dir, root, cache_dir=root / CACHE).get(ident)
        if exercise is None:
            # The build fails once the site is built, with file:line (finish.exercise_pages).
            box = etree.SubElement(parent, "div", {"class": "rp-ex rp-ex--missing", "role": "note",
                                                   "data-ex-inconnu": ident})
            box.text = f"Exercice introuvable : {ident}"
        else:
            render(exercise, parent, self.parser.parseChunk, module_of(page_source(self.parser.md)))
        if after.strip():
            blocks.insert(0, after)


class ExerciseExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "quiz_dir": [DEFAULT_QUIZ_DIR, "Folder of the exercises (YAML), relative to the project folder"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Markdown's API
        # After indented code (80) and lists, before paragraphs (10).
        md.parser.blockprocessors.register(
            ExerciseProcessor(md.parser, self.getConfig("quiz_dir")), "exercice", 12)


def makeExtension(**kwargs) -> ExerciseExtension:  # noqa: N802 - Markdown's API
    return ExerciseExtension(**kwargs)


__all__ = ["ExerciseExtension", "ExerciseProcessor", "makeExtension", "page_source"]
