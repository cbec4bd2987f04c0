"""Markdown extension: a paragraph that is exactly `{{ exercice ID }}` becomes the exercise.

Why a block processor: it runs inside Python-Markdown's own block parser, so
the directive is never seen inside code (fenced or indented: the authoring
guide shows it in code blocks), it works inside admonitions and tabs, and the
exercise is built as ElementTree nodes of the page itself — the author's
Markdown in questions and comments then goes through the page's inline
processing (abbreviations, links checked and rewritten by MkDocs) like any
other text. The hooks register it (mkdocs.yml cannot name a module of this
project: the extension list is imported before the hooks put it on sys.path).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension

from site_build.exercises import DIRECTIVE_RE, REGISTRY, render


class ExerciseProcessor(BlockProcessor):
    def test(self, parent, block: str) -> bool:
        return any(DIRECTIVE_RE.match(line) for line in block.split("\n"))

    def run(self, parent, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n")
        at = next(i for i, line in enumerate(lines) if DIRECTIVE_RE.match(line))
        before, after = "\n".join(lines[:at]), "\n".join(lines[at + 1:])
        if before.strip():
            self.parser.parseBlocks(parent, [before])
        ident = DIRECTIVE_RE.match(lines[at]).group("id")
        exercise = REGISTRY.use(ident)
        if exercise is None:
            # The build fails at the end with file:line (see Registry.check_uses); show it meanwhile.
            box = etree.SubElement(parent, "div", {"class": "rp-ex rp-ex--missing", "role": "note"})
            box.text = f"Exercice introuvable : {ident}"
        else:
            render(exercise, parent, self.parser.parseChunk, REGISTRY.module)
        if after.strip():
            blocks.insert(0, after)


class ExerciseExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 - Markdown's API
        # After indented code (80) and lists, before paragraphs (10).
        md.parser.blockprocessors.register(ExerciseProcessor(md.parser), "exercice", 12)


__all__ = ["ExerciseExtension", "ExerciseProcessor"]
