"""JSON bridge between the browser page and the simulator.

The page's Web Worker calls these functions with JSON-able arguments and gets
JSON-able answers (see docs/assets/engine.js, `callPython`). One call runs at a
time per worker, so the current session lives in this module.
"""

from __future__ import annotations

from .session import Session

_current: Session | None = None


def _session() -> Session:
    if _current is None:
        raise RuntimeError("aucun appel en cours : commencez un appel d'abord")
    return _current


def start(scenario: dict, seed: int = 0, lines: list | None = None) -> dict:
    """Pick up the phone; replay `lines` (the learner's saved lines) to resume a call.

    Returns the opening line, the replayed exchanges as [learner, debtor] pairs,
    whether the call is over, and the promise to pay captured so far.
    """
    global _current
    session = Session(scenario, seed=seed)
    exchanges = []
    for line in lines or []:
        if session.ended:
            break
        if line is None:  # the learner had hung up
            session.hang_up()
            break
        exchanges.append([line, session.say(line).text])
    _current = session
    return {"opening": session.opening, "exchanges": exchanges, "ended": session.ended,
            "commitment": session.commitment(), "seed": session.seed}


def say(text: str) -> dict:
    """The learner's line -> the debtor's reply and the updated promise to pay."""
    session = _session()
    reply = session.say(text)
    return {"text": reply.text, "ended": reply.ended, "commitment": session.commitment()}


def hint() -> dict:
    """A tip for the learner's next line (counted in the debrief)."""
    return {"text": _session().hint()}


def hang_up() -> dict:
    """The learner hangs up: the call ends and its debrief is returned."""
    session = _session()
    session.hang_up()
    return session.debrief()


def debrief() -> dict:
    """The debrief of the current call."""
    return _session().debrief()
