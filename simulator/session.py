"""One phone call between the learner and the simulated debtor.

    s = Session(scenario, seed=0)
    s.opening                 # the debtor picks up
    r = s.say("Bonjour ...")  # Reply(text, ended)
    s.commitment()            # the promise to pay captured so far (debrief schema)
    s.hint()                  # a tip for the learner's next line (/aide)
    s.debrief()               # the full debrief dict

Saving an unfinished call: ``state = s.to_state()`` (a small JSON-serialisable
dict: scenario id, seed, learner lines, hang-up flag) and
``Session.from_state(scenario, state)`` rebuilds the exact same call by replaying
the lines with the same seed (the engine is deterministic).
"""

from __future__ import annotations

import copy
import datetime as _dt
import random
from typing import NamedTuple

from .persona import Debtor
from .scenario import Scenario, load_scenario
from .understand import analyse, caller_keywords

__all__ = ["Session", "Reply", "CallEnded"]

#: Learner text kept in the transcript (longer pastes are cut).
TRANSCRIPT_LIMIT = 2000


class CallEnded(RuntimeError):
    """say() was called after the call had ended."""


class Reply(NamedTuple):
    text: str
    ended: bool


class Session:
    """A deterministic call: same scenario + seed + learner lines = same call."""

    def __init__(self, scenario, seed: int = 0):
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario)
        self.scenario = scenario
        try:
            self.seed = int(seed)
        except (TypeError, ValueError):
            self.seed = 0
        self._rng = random.Random(self.seed)
        self.today = _dt.date.fromisoformat(scenario["today"])
        self.debtor = Debtor(scenario, self._rng)
        self.opening = self.debtor.opening()
        self.transcript: list[dict] = [{"speaker": "debtor", "text": self.opening, "notes": []}]
        self.log: list[dict] = []          # one entry per learner turn (see _record)
        self.lines: list[str] = []         # raw learner lines, for to_state()
        self.ended = False
        self.ended_by: str | None = None
        self.hints_used = 0
        self.max_turns = int(scenario.get("max_turns") or 30)
        self._caller_words = caller_keywords(scenario["caller"]["name"], scenario["caller"]["company"])

    # ------------------------------------------------------------------ the call
    @property
    def turns(self) -> int:
        """Number of learner lines so far."""
        return len(self.log)

    def say(self, text) -> Reply:
        """The learner's line -> the debtor's reply. Raises CallEnded once the call is over."""
        if self.ended:
            raise CallEnded("L'appel est terminé.")
        raw = text if isinstance(text, str) else ("" if text is None else str(text))
        self.lines.append(raw)
        u = analyse(raw, today=self.today, invoice_number=self.scenario["invoice"]["number"],
                    caller_names=self._caller_words)
        before = copy.deepcopy(self.debtor.commitment) if self.debtor.committed else None
        reply, debtor_ended, events = self.debtor.respond(u)
        turn = len(self.log) + 1
        ended_by = None
        if debtor_ended:
            ended_by = "debtor"
        elif "goodbye" in u.acts:
            ended_by = "learner"
        elif turn >= self.max_turns:
            ended_by = "limit"
            reply = (reply + " " + self.debtor._say("limit")).strip()
            events.add("limit")
        if not reply.strip():
            reply = self.debtor._say("confused")
        after = self.debtor.commitment
        if self.debtor.committed and after != before:
            events.add("commitment_changed")
        self._record(turn, u, reply, events)
        if ended_by:
            self.ended = True
            self.ended_by = ended_by
        return Reply(reply, self.ended)

    def hang_up(self) -> None:
        """The learner hangs up without a word (/fin in the terminal, the red button online)."""
        if not self.ended:
            self.ended = True
            self.ended_by = "learner"
            self.lines.append(None)  # marker replayed by from_state

    def _record(self, turn: int, u, reply: str, events: set) -> None:
        shown = u.text if len(u.text) <= TRANSCRIPT_LIMIT else u.text[:TRANSCRIPT_LIMIT] + "…"
        self.log.append({
            "turn": turn,
            "acts": set(u.acts),
            "utterance": u,
            "events": set(events),
            "commitment": copy.deepcopy(self.debtor.commitment),
            "committed": self.debtor.committed,
            "obstacle": self.debtor.current_obstacle,
        })
        self.transcript.append({"speaker": "learner", "text": shown, "notes": []})
        self.transcript.append({"speaker": "debtor", "text": reply, "notes": []})

    # ------------------------------------------------------------------ live views
    def commitment(self) -> dict:
        """The promise to pay captured so far, in the debrief's ``commitment`` shape."""
        from .debrief import commitment_view

        return commitment_view(self)

    def debrief(self) -> dict:
        """The JSON-serialisable debrief (works at any moment, also before the end)."""
        from .debrief import build_debrief

        return build_debrief(self)

    def hint(self) -> str:
        """A short French tip for the next line (counted in the debrief as hints_used)."""
        from .debrief import next_hint

        self.hints_used += 1
        return next_hint(self)

    # ------------------------------------------------------------------ save / restore
    def to_state(self) -> dict:
        """Small JSON-serialisable snapshot; restore with Session.from_state(scenario, state)."""
        return {"version": 1, "scenario": self.scenario["id"], "seed": self.seed,
                "lines": list(self.lines), "hints_used": self.hints_used}

    @classmethod
    def from_state(cls, scenario, state: dict) -> "Session":
        """Rebuild a call by replaying its learner lines with the same seed."""
        session = cls(scenario, seed=state.get("seed", 0))
        if state.get("scenario") not in (None, session.scenario["id"]):
            raise ValueError(f"state is for scenario {state.get('scenario')!r}, "
                             f"not {session.scenario['id']!r}")
        for line in state.get("lines", []):
            if session.ended:
                break
            if line is None:
                session.hang_up()
            else:
                session.say(line)
        session.hints_used = int(state.get("hints_used", 0) or 0)
        return session
