"""JSON bridge between the browser page and the simulator.

The page's Web Worker calls these functions with JSON-able arguments and gets
JSON-able answers (see docs/assets/engine.js, `callPython`). One call runs at a
time per worker, so the current session lives in this module.
"""

from __future__ import annotations

import datetime

from . import lazy_re
from .session import Session
from .understand import analyse

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
            "commitment": session.commitment(), "seed": session.seed,
            "speaker": _speaker(session), "transcript": session.transcript}


def _speaker(session: Session) -> dict:
    """Who is on the line now (an assistant may answer before the debtor)."""
    sp = session.speaker
    return {"name": sp.p["name"], "role": sp.role}


def say(text: str) -> dict:
    """The learner's line -> the reply, who said it, and the updated promise to pay."""
    session = _session()
    reply = session.say(text)
    entry = session.transcript[-1]
    out = {"text": reply.text, "ended": reply.ended, "commitment": session.commitment(),
           "speaker": _speaker(session), "name": entry.get("name")}
    if entry.get("parts"):
        out["parts"] = entry["parts"]
    return out


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


# Lines a learner typically says, for `warm_up`.
_WARM_UP_LINES = (
    "Bonjour, je vous appelle au sujet de la facture F-2026-001 de 1 250 euros.",
    "Que se passe-t-il de votre côté ? Je comprends.",
    "Quand pouvez-vous la régler ? Jeudi prochain avant midi ?",
    "Par virement ou par chèque ? La totalité ?",
    "Si je récapitule : un virement le 3 décembre, c'est bien ça ?",
    "Je vous envoie un mail récapitulatif. Merci et bonne journée !",
)


_warming = None  # the steps of the warm-up still to run (a generator)
_DONE = object()


def _warm_up_steps():
    while not lazy_re.compile_waiting(limit=10):
        yield
    today = datetime.date(2026, 11, 23)
    for line in _WARM_UP_LINES:
        analyse(line, today=today, invoice_number="F-2026-001")
        yield
    if _current is not None:
        yield from _rehearsal(_current)


def _rehearsal(session: Session):
    """The call on screen, rehearsed with a throwaway session of the same scenario.

    It only saves time: should it fail, the learner's own call meets the same error and
    says so, and the engine is not at fault.
    """
    try:
        rehearsal = Session(session.scenario, seed=session.seed + 1)
        for line in _WARM_UP_LINES:
            if rehearsal.ended:
                break
            rehearsal.say(line)
            yield
        rehearsal.debrief()
    except Exception:  # noqa: BLE001
        return


def warm_up(steps: int | None = None) -> bool:
    """Compile the patterns not compiled yet, run the understanding of typical lines and
    rehearse the call on screen, forgetting the results; `steps` small steps at most
    (all when None).

    Returns True when the warm-up is over. The browser compiles WebAssembly lazily,
    function by function, and the patterns are compiled on first use (`lazy_re`): run
    in small steps while the learner reads the debtor's first line, this spares the
    learner's first reply that cost, and a line sent meanwhile waits one step at most.
    """
    global _warming
    if _warming is None:
        _warming = _warm_up_steps()
    done = 0
    while steps is None or done < steps:
        if next(_warming, _DONE) is _DONE:
            return True
        done += 1
    return False
