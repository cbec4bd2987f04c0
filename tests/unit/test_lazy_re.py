"""Patterns compiled on first use behave like re.compile, and all of them compile."""

import importlib
import pkgutil
import re

import pytest

import simulator
from simulator import lazy_re, web

SOURCE = r"(?P<day>\d{1,2}) (?P<month>[a-z]+)"
TEXT = "le 3 decembre ou le 14 janvier"


@pytest.mark.parametrize("method, args", [
    ("search", (TEXT,)), ("search", (TEXT, 12)), ("match", (TEXT, 3)), ("fullmatch", ("3 mai",)),
    ("findall", (TEXT,)), ("split", (TEXT,)), ("split", (TEXT, 1)),
    ("sub", (r"\g<month> \g<day>", TEXT)), ("sub", (lambda m: m["day"], TEXT, 1)),
    ("subn", ("<date>", TEXT)),
])
def test_a_lazy_pattern_answers_like_the_compiled_one(method, args):
    lazy, compiled = lazy_re.LazyPattern(SOURCE), re.compile(SOURCE)
    got, want = getattr(lazy, method)(*args), getattr(compiled, method)(*args)
    if isinstance(want, re.Match):
        assert (got.span(), got.groupdict()) == (want.span(), want.groupdict())
    else:
        assert got == want


def test_finditer_and_flags_are_kept():
    lazy = lazy_re.LazyPattern(r"^facture", re.M)
    assert [m.start() for m in lazy.finditer("facture\nfacture")] == [0, 8]


def test_a_pattern_is_compiled_once_on_first_use(monkeypatch):
    monkeypatch.setattr(lazy_re, "_waiting", [])
    pattern = lazy_re.compile(r"\bdemain\b")
    assert pattern._compiled is None and lazy_re._waiting == [pattern]
    assert pattern.search("a demain")
    first = pattern.compiled
    assert pattern.search("demain") and pattern.compiled is first
    assert lazy_re.compile_waiting() is True and lazy_re._waiting == []


def test_a_broken_pattern_fails_on_first_use_with_re_error():
    with pytest.raises(re.error):
        lazy_re.LazyPattern(r"(unclosed").search("x")


def test_every_pattern_of_the_simulator_compiles():
    # A typo in a pattern no longer fails at import: this test fails instead.
    for module in pkgutil.walk_packages(simulator.__path__, "simulator."):
        importlib.import_module(module.name)
    assert lazy_re.compile_waiting() is True


def test_the_warm_up_runs_in_small_steps_then_says_it_is_over(monkeypatch):
    monkeypatch.setattr(lazy_re, "_waiting", [lazy_re.LazyPattern(rf"\b{n}\b") for n in range(25)])
    monkeypatch.setattr(web, "_warming", None)
    monkeypatch.setattr(web, "_current", None)  # no call on screen: no rehearsal of it
    steps = 1
    while not web.warm_up(1):
        steps += 1
        assert steps < 100
    # 25 patterns, 10 a step, then one step per typical line
    assert steps == 3 + len(web._WARM_UP_LINES)
    assert lazy_re._waiting == []
    assert web.warm_up(1) is True and web.warm_up() is True
