"""Regular expressions compiled on their first use.

The simulator holds about 160 patterns. Python's `re` compiler is itself written in
Python, and compiling them all at import took about 0.1 s of the browser engine's
start (by `make bench`): the call appeared that much later. Compiled on first use,
they cost nothing before the learner's first line, and `simulator.web.warm_up`
compiles the rest while the learner reads the debtor's opening line.
"""

from __future__ import annotations

import re

_waiting: list[LazyPattern] = []  # created, not compiled yet


class LazyPattern:
    """Stands for `re.compile(source, flags)`; compiles on the first search."""

    __slots__ = ("source", "flags", "_compiled")

    def __init__(self, source: str, flags: int = 0):
        self.source = source
        self.flags = flags
        self._compiled: re.Pattern | None = None

    @property
    def compiled(self) -> re.Pattern:
        if self._compiled is None:
            self._compiled = re.compile(self.source, self.flags)
        return self._compiled

    def search(self, string, *span):
        return self.compiled.search(string, *span)

    def match(self, string, *span):
        return self.compiled.match(string, *span)

    def fullmatch(self, string, *span):
        return self.compiled.fullmatch(string, *span)

    def finditer(self, string, *span):
        return self.compiled.finditer(string, *span)

    def findall(self, string, *span):
        return self.compiled.findall(string, *span)

    def split(self, string, maxsplit=0):
        return self.compiled.split(string, maxsplit)

    def sub(self, repl, string, count=0):
        return self.compiled.sub(repl, string, count)

    def subn(self, repl, string, count=0):
        return self.compiled.subn(repl, string, count)

    def __repr__(self) -> str:
        return f"LazyPattern({self.source!r})"


def compile(source: str, flags: int = 0) -> LazyPattern:  # noqa: A001 (mirrors re.compile)
    pattern = LazyPattern(source, flags)
    _waiting.append(pattern)
    return pattern


def compile_waiting(limit: int | None = None) -> bool:
    """Compile the patterns not compiled yet, at most `limit` of them.

    Returns True when none is left waiting.
    """
    while _waiting and (limit is None or limit > 0):
        _waiting.pop(0).compiled
        if limit is not None:
            limit -= 1
    return not _waiting
