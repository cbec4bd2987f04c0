"""simulator.web: the JSON bridge the browser's worker calls (runs in Pyodide too)."""

import json

import pytest

from simulator import CallEnded, web
from unit_helpers import GOOD_CALL, play, schema_problems


def roundtrip(value):
    """What the worker does: everything crosses to the page as JSON."""
    return json.loads(json.dumps(value))


def test_start_picks_up_and_say_answers_with_the_live_promise(scenario):
    opening = roundtrip(web.start(scenario=scenario, seed=3))
    assert opening["opening"] and opening["exchanges"] == [] and opening["ended"] is False
    assert opening["commitment"]["action"] is None
    replies = [roundtrip(web.say(text=line)) for line in GOOD_CALL]
    assert all(r["text"].strip() for r in replies)
    assert replies[-1]["ended"] is True
    assert any(r["commitment"]["precision"] == "exact" for r in replies)


def test_the_browser_gets_the_same_debrief_as_python(scenario):
    web.start(scenario=scenario, seed=5)
    for line in GOOD_CALL:
        web.say(text=line)
    report = roundtrip(web.debrief())
    assert schema_problems(report) == []
    assert report == roundtrip(play(scenario, GOOD_CALL, seed=5).debrief())


def test_resume_replays_the_saved_lines_identically(scenario):
    web.start(scenario=scenario, seed=7)
    first = [web.say(text=line)["text"] for line in GOOD_CALL[:2]]
    resumed = web.start(scenario=scenario, seed=7, lines=GOOD_CALL[:2])
    assert [debtor for _, debtor in resumed["exchanges"]] == first
    assert web.say(text=GOOD_CALL[2])["text"]  # the call goes on from there


def test_hang_up_ends_the_call_and_returns_the_debrief(scenario):
    web.start(scenario=scenario, seed=1)
    web.say(text="Bonjour, c'est pour la facture.")
    report = web.hang_up()
    assert report["ended_by"] == "learner" and schema_problems(report) == []
    with pytest.raises(CallEnded):
        web.say(text="Encore là ?")
    resumed = web.start(scenario=scenario, seed=1, lines=["Bonjour, c'est pour la facture.", None])
    assert resumed["ended"] is True


def test_hint_gives_french_advice(scenario):
    web.start(scenario=scenario, seed=0)
    assert len(web.hint()["text"]) > 10


def test_warm_up_leaves_the_current_call_exactly_as_it_was(scenario, monkeypatch):
    monkeypatch.setattr(web, "_warming", None)  # not already run by another test
    web.start(scenario=scenario, seed=11)
    web.say(text=GOOD_CALL[0])
    assert web.warm_up() is True
    rest = [web.say(text=line)["text"] for line in GOOD_CALL[1:]]
    undisturbed = play(scenario, GOOD_CALL[:1], seed=11)
    assert rest == [undisturbed.say(line).text for line in GOOD_CALL[1:]]


def test_warm_up_rehearses_the_call_on_screen_with_a_throwaway_session(scenario, monkeypatch):
    monkeypatch.setattr(web, "_warming", None)
    web.start(scenario=scenario, seed=5)
    said = []
    real_say = web.Session.say
    monkeypatch.setattr(web.Session, "say", lambda self, text: said.append(self) or real_say(self, text))
    assert web.warm_up() is True
    assert said and all(session is not web._current for session in said)
    assert said[0].scenario is web._current.scenario and web._current.turns == 0


def test_a_failing_rehearsal_ends_the_warm_up_quietly(scenario, monkeypatch):
    monkeypatch.setattr(web, "_warming", None)
    web.start(scenario=scenario, seed=5)

    def broken(self, text):
        raise RuntimeError("rehearsal broken")
    monkeypatch.setattr(web.Session, "say", broken)
    assert web.warm_up() is True  # the engine stays usable; the learner's call would say why
    with pytest.raises(RuntimeError, match="rehearsal broken"):
        web.say(text="Bonjour")
