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

from .moves import line_moves
from .persona import Call, Speaker
from .scenario import DEBTOR_ID, Scenario, load_scenario
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
        self.call = Call(scenario, self._rng)
        self.speakers: list[Speaker] = []
        gatekeeper = scenario.get("gatekeeper")
        if gatekeeper:
            self.speakers.append(Speaker(self.call, gatekeeper, "gatekeeper", gatekeeper.get("replies"),
                                         gatekeeper["objections"], gatekeeper.get("id") or "assistant"))
        persona = scenario["persona"]
        self.speakers.append(Speaker(self.call, persona, "debtor", scenario.get("replies"),
                                     persona["objections"], DEBTOR_ID))
        self._current = 0
        self.opening = self.speaker.opening()
        self.transcript: list[dict] = [self._entry(self.opening, [(self.speaker, self.opening)])]
        self.log: list[dict] = []          # one entry per learner turn (see _record)
        self.lines: list[str] = []         # raw learner lines, for to_state()
        self.ended = False
        self.ended_by: str | None = None
        self.hints_used = 0
        self.max_turns = int(scenario.get("max_turns") or 30)
        self._caller_words = caller_keywords(scenario["caller"]["name"], scenario["caller"]["company"])

    @property
    def speaker(self) -> Speaker:
        """Who is on the line now (an assistant first, when the scenario has one)."""
        return self.speakers[self._current]

    @property
    def debtor(self) -> Speaker:
        """The current speaker (kept under its old name for callers of the first versions)."""
        return self.speaker

    def _entry(self, text: str, parts: list) -> dict:
        entry = {"speaker": "debtor", "text": text, "notes": [], "name": parts[-1][0].p["name"]}
        if len({sp.id for sp, _ in parts}) > 1:
            entry["parts"] = [{"name": sp.p["name"], "role": sp.role, "text": t} for sp, t in parts]
        return entry

    # ------------------------------------------------------------------ the call
    @property
    def turns(self) -> int:
        """Number of learner lines so far."""
        return len(self.log)

    def say(self, text) -> Reply:
        """The learner's line -> the reply. Raises CallEnded once the call is over."""
        if self.ended:
            raise CallEnded("L'appel est terminé.")
        raw = text if isinstance(text, str) else ("" if text is None else str(text))
        self.lines.append(raw)
        u = analyse(raw, today=self.today, invoice_number=self.scenario["invoice"]["number"],
                    caller_names=self._caller_words)
        call = self.call
        moves = line_moves(u, self.today, call.amount_due(), call.custom)
        if not u.stuffed and not u.too_long:
            for move in call.custom:          # what the author's moves change, before the reply
                if move.id in moves and move.set:
                    call.set_state(move.set)
        before = copy.deepcopy(call.commitment) if call.committed else None
        speaker = self.speaker
        reply, speaker_ended, events = speaker.respond(u, moves)
        parts = [(speaker, reply)]
        if "handover" in events and self._current + 1 < len(self.speakers):
            self._current += 1
            call.handed_over = True
            self.speaker.greeted = True     # the assistant has said who is calling
            opening = self.speaker.transfer_opening()
            parts.append((self.speaker, opening))
            reply = (reply + " " + opening).strip()
        turn = len(self.log) + 1
        ended_by = None
        if speaker_ended:
            ended_by = "debtor"
        elif "goodbye" in u.acts and "handover" not in events:
            ended_by = "learner"
        elif turn >= self.max_turns:
            ended_by = "limit"
            limit = self.speaker._say("limit")
            reply = (reply + " " + limit).strip()
            parts.append((self.speaker, limit))
            events.add("limit")
        if not reply.strip():
            reply = self.speaker._say("confused")
            parts = [(self.speaker, reply)]
        if call.committed and call.commitment != before:
            events.add("commitment_changed")
        if not u.stuffed and not u.too_long:
            call.moves_made |= moves
            call.moves_to.setdefault(speaker.id, set()).update(moves)
        self._record(turn, u, moves, reply, parts, events)
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

    def _record(self, turn: int, u, moves: set, reply: str, parts: list, events: set) -> None:
        shown = u.text if len(u.text) <= TRANSCRIPT_LIMIT else u.text[:TRANSCRIPT_LIMIT] + "…"
        call = self.call
        self.log.append({
            "turn": turn,
            "acts": set(u.acts),
            "moves": set(moves),
            "utterance": u,
            "events": set(events),
            "commitment": copy.deepcopy(call.commitment),
            "committed": call.committed,
            "obstacle": self.speaker.current_obstacle,
            "speaker": self.speaker.id,
            "state": self.speaker.context().state,     # the author's state and the built-in one
            "amount_due": call.amount_due(),
            "raised": frozenset(call.raised),
            "lifted": frozenset(call.lifted),
            "outcomes": dict(call.outcomes),
            "moves_made": frozenset(call.moves_made),
            "moves_to": {who: frozenset(m) for who, m in call.moves_to.items()},
        })
        self.transcript.append({"speaker": "learner", "text": shown, "notes": []})
        self.transcript.append(self._entry(reply, parts))

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
        from .replies import typeset

        self.hints_used += 1
        return typeset(next_hint(self))

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
