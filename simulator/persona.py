"""The people on the line: a small, generic dialogue engine that runs the authored data.

A `Speaker` (the debtor, or an assistant who answers first) answers each learner line:

1. tone first: insults, threats, apologies and empathy move its irritation; too much and it
   hangs up;
2. a vague answer accepted by the learner is taken (and a bad-faith debtor leaves on it);
3. until the learner has said why they call, it only greets;
4. then its **objections**, in order (data from exercises/objections/*.yml, see
   `simulator.library`): each is raised once, answers the learner's moves with its own
   reactions, dodges while it stands, and gives way when one of its `lifted_by` conditions
   holds; what happens then (`on_lift`) is data too: a reply, state set, a new kind of
   promise, a commitment now, a hand-over to the next speaker;
5. once nothing blocks, the promise: a payment (after `questions_before_answer` precise
   questions, at the learner's date if acceptable), a call-back, an instalment plan or the
   details of a cheque already sent; then recaps and follow-ups are checked against it.

Nothing here names a particular objection: adding one is adding a YAML file. What the whole
call shares (the promise, the author's state, the amount due) lives in `Call`. All randomness
comes from the `random.Random(seed)` passed in.
"""

from __future__ import annotations

import datetime as _dt
import random
import re

from . import conditions, lazy_re
from .expressions import evaluate, parse
from .moves import custom_moves, is_insisting, proposal
from .replies import (METHOD_NAMES, ROLE_REPLIES, capitalise, typeset, method_phrase, spoken_amount,
                      spoken_date, spoken_number, spoken_time, add_months)
from .dates import as_date, last_working_day, working_day
from .understand import METHODS, Utterance, hour_of, normalise, plan_items, proposes_change, who_calls

__all__ = ["Call", "Speaker", "KINDS", "empty_commitment"]

#: Events that show a call moving forward (the rest, in a row, is going round in circles).
_PROGRESS = frozenset({"commitment", "amount_confirmed", "amount_corrected", "method_stated",
                       "method_changed", "recap_ok", "recap_partial", "recap_wrong", "follow_up",
                       "range_answer", "cheque_details", "handover", "late_plan_offered",
                       "first_payment_now", "empathy", "checked"})

#: What the speaker ends up promising: a payment, a call-back, an instalment plan, or the
#: details of a cheque already sent.
KINDS = ("paiement", "rappel", "echeancier", "cheque_envoye")


_LATER_INVOICES = lazy_re.compile(r"(?:prochaines?|suivantes?|futures?|autres) factures|factures? (?:suivantes?|a venir|"
                                  r"futures?)|a l'avenir|desormais|dorenavant|la prochaine fois|pour la suite")
_IF_NOT = lazy_re.compile(r"\bsi\b[^.?!]{0,60}\b(?:pas|rien|jamais|toujours pas)\b")

_INTERJECTION = lazy_re.compile(r"^(?:Bon|Bien|Alors|Écoutez|Bref)(?:,|…|\.\.\.|\.)\s+(?=\S)")


_ACK = lazy_re.compile(r"^(?:(?:D'accord|Entendu|Très bien|Parfait|C'est noté|Bien noté|Pas de souci)"
                       r"(?:,? (?:pas de souci|c'est noté|merci))?[.!]\s*)+")
_LAST_SENTENCE = lazy_re.compile(r"(?<=[.!…])\s+[^.!?…]+\?\s*$")


def _join(parts: list[str]) -> str:
    """The pieces of one reply, said in a row: an interjection ("Bon…", "Écoutez,") opens
    a reply once, not at every piece; a piece ending on a question to the learner ("Allez-y,
    qu'est-ce qu'il vous faut ?") loses that question when the speaker goes on talking (the
    next piece answers it already)."""
    out: list[str] = []
    opened = False
    parts = [p for p in parts if p]
    for i, part in enumerate(parts):
        m = _INTERJECTION.match(part)
        if m and opened:
            rest = part[m.end():]
            part = rest[:1].upper() + rest[1:]
        opened = opened or bool(m)
        if i < len(parts) - 1 and part.rstrip().endswith("?"):
            part = _LAST_SENTENCE.sub("", part)
        if out and _ACK.match(part):
            # "Exactement, c'est noté. D'accord, pas de souci. Entendu. Au revoir": one "yes" is enough.
            part = _ACK.sub("", part, count=1)
            part = part[:1].upper() + part[1:]
        out.append(part)
    return " ".join(p for p in out if p)



def empty_commitment() -> dict:
    return {"action": None, "amount": None, "date": None, "time": None, "precision": None,
            "details": {"cheque_number": None, "instalments": []}}


class Call:
    """What the whole call shares, whoever is on the line."""

    def __init__(self, scenario: dict, rng: random.Random):
        self.sc = scenario
        self.rng = rng
        self.today = as_date(scenario["today"])
        self.principal = float(scenario["invoice"]["amount"])
        self.state: dict = dict(scenario.get("state") or {})
        expression = scenario.get("amount_due")
        self._amount_tree = parse(expression) if expression else None
        self.commitment = empty_commitment()
        self.committed = False
        self.custom = custom_moves(scenario)
        self.moves_made: set = set()      # moves of the earlier lines
        self.moves_to: dict = {}          # speaker id -> moves of the earlier lines made to them
        self.raised: set = set()          # objection ids, whoever raised them
        self.lifted: set = set()
        self.outcomes: dict = {}          # objection id -> the on_lift outcome it gave way with
        self.handed_over = False

    def amount_due(self) -> float:
        if self._amount_tree is None:
            return self.principal
        try:
            return round(evaluate(self._amount_tree, {**self.state, "principal": self.principal}), 2)
        except ValueError:  # validated at load time with the initial state; belt and braces
            return self.principal

    def set_state(self, values: dict) -> None:
        self.state.update(values)

    def terms(self, ctx: conditions.Context) -> list[str]:
        """The agreed conditions that hold now (scenario `terms`), as French sentences."""
        out = []
        for term in self.sc.get("terms") or ():
            if conditions.holds(term.get("when"), ctx):
                out.append(term["text"])
        return out


class Standing:
    """One objection of a speaker during the call."""

    __slots__ = ("spec", "raised", "lifted", "counts", "held")

    def __init__(self, spec: dict):
        self.spec = spec
        self.raised = False
        self.lifted = False
        entries = spec["lifted_by"] if isinstance(spec["lifted_by"], list) else []
        self.counts = [0] * len(entries)
        self.held = [False] * len(entries)

    @property
    def id(self) -> str:
        return self.spec["id"]

    @property
    def blocks(self) -> bool:
        return self.spec.get("blocks", True)


class Speaker:
    """Hidden state + dialogue policy. `respond(utterance, moves)` -> (text, ended, events)."""

    def __init__(self, call: Call, spec: dict, role: str, replies: dict, objections: list[dict],
                 ident: str):
        self.call = call
        self.sc = call.sc
        self.p = spec
        self.role = role
        self.id = ident
        self.rng = call.rng
        self.today = call.today
        self.replies = {**ROLE_REPLIES[role], **(replies or {})}
        self._last_variant: dict = {}
        self.objections = [Standing(o) for o in objections]

        p = self.p
        self.irritation = float(p.get("irritation", 0.2))
        self.aggressions = 0
        self.apologies = 0               # lines apologising for the call itself
        self.unasked = 0                 # lines before the learner says why they call
        self.pressure = 0            # turns with a precise question / insistence
        self.silences = 0
        self.greeted = False
        self.raised = False          # the learner has said why they call
        self.plan_state = None       # None | "later" | "agreed"
        self.kind = "paiement" if role == "debtor" else "rappel"
        self.method = p.get("method")
        self.method_known = bool(p.get("volunteers_method"))
        self.method_said = False
        self.amount_confirmed = False
        self.last_vague = False      # the speaker's previous line was a vague promise
        self.last_text = ""          # the speaker's previous reply
        self.stalls = 0              # replies in a row that moved nothing forward
        self.last_range = False
        self.precise_asked = False   # the learner asked at least one precise question

    # -- shared promise --------------------------------------------------------------------
    @property
    def commitment(self) -> dict:
        return self.call.commitment

    @property
    def committed(self) -> bool:
        return self.call.committed

    @committed.setter
    def committed(self, value: bool) -> None:
        self.call.committed = value

    @property
    def amount(self) -> float:
        return self.call.amount_due()

    @property
    def short_of_cash(self) -> bool:
        cash = self.p.get("cash_available")
        return cash is not None and float(cash) < self.amount - 0.01

    # -- speaking ----------------------------------------------------------------------------
    def _pick(self, key, variants: list[str]) -> str:
        if len(variants) == 1:
            return variants[0]
        # The variants said least recently: never the last one, and with three or more, never
        # one of the last two either ("A, B, A" sounds like a recording).
        used = self._last_variant.get(key) or []
        avoid = used[-min(len(variants) - 1, 2):] if used else []
        choices = [i for i in range(len(variants)) if i not in avoid]
        index = self.rng.choice(choices)
        self._last_variant[key] = (used + [index])[-3:]
        return variants[index]

    def _debtor_title(self) -> str:
        persona = self.sc["persona"]
        title = "Madame" if persona.get("gender") == "f" else "Monsieur"
        return f"{title} {persona['name'].split()[-1]}"

    def _ctx(self, **extra) -> dict:
        sc, p = self.sc, self.p
        c = self.commitment
        promise = self._promise()
        persona = sc["persona"]
        cheque = persona.get("cheque") or {}
        method = self.method or persona.get("method")
        ctx = {
            "name": p["name"], "company": p.get("company") or persona["company"],
            "caller": sc["caller"]["name"], "caller_company": sc["caller"]["company"],
            "invoice": sc["invoice"]["number"], "amount": spoken_amount(self.amount),
            "principal": spoken_amount(self.call.principal),
            "due": spoken_date(sc["invoice"]["due"], None),
            "issued": spoken_date(sc["invoice"]["issued"], None),
            "description": sc["invoice"].get("description") or "",
            "date": spoken_date(c["date"] or promise["date"], self.today),
            "time": spoken_time(c["time"] if c["date"] else promise.get("time")),
            "method": method_phrase(method), "method_name": METHOD_NAMES.get(method, "règlement"),
            "cheque_number": cheque.get("number") or "",
            "sent_date": spoken_date(cheque.get("sent_date"), self.today),
            "first_amount": "", "first_date": "", "rest": "",
            "later_start": spoken_date((persona.get("instalments") or {}).get("later_start"), self.today),
            "proposed": "", "said": "", "commitment": self.describe_commitment(),
            "range_end": spoken_date(self._range_end(), self.today),
            "debtor": self._debtor_title(),
        }
        for name, value in self.call.state.items():
            if isinstance(value, bool):
                ctx[name] = "oui" if value else "non"
            elif isinstance(value, (int, float)):
                ctx[name] = spoken_number(value)
            else:
                ctx[name] = str(value)
        plan = persona.get("instalments")
        if plan and self.role == "debtor":
            schedule = self._schedule()
            ctx["first_amount"] = spoken_amount(schedule[0]["amount"])
            ctx["first_date"] = spoken_date(schedule[0]["date"], self.today)
            ctx["rest"] = self._spoken_rest(schedule)
        ctx.update(extra)
        return ctx

    def _render(self, template: str, extra: dict) -> str:
        try:
            text = template.format_map(self._ctx(**extra))
        except (KeyError, ValueError, IndexError):  # validated at load time; belt and braces
            return self.replies["confused"][0]
        return typeset(capitalise(text))

    def _say(self, situation: str, **extra) -> str:
        return self._render(self._pick(situation, self.replies[situation]), extra)

    def _say_objection(self, ob: Standing, name: str, **extra) -> str:
        variants = ob.spec["replies"].get(name)
        if not variants:
            return self._say("dodge" if name == "dodge" else "confused", **extra)
        return self._render(self._pick((ob.id, name), variants), extra)

    def opening(self) -> str:
        return self._say("opening")

    def transfer_opening(self) -> str:
        return self._say("transfer_opening")

    # -- facts -------------------------------------------------------------------------------
    def _promise(self) -> dict:
        """The date (and time) this speaker gives when it commits, for its kind of promise."""
        if self.kind == "rappel":
            return self.p.get("callback") or self.p.get("promise") or {"date": None, "time": None}
        return self.p.get("promise") or self.p.get("callback") or {"date": None, "time": None}

    def _schedule(self, first_amount: float | None = None, start=None, count: int | None = None) -> list[dict]:
        """The instalments: the first amount, then equal parts a month apart, each on a
        working day (a date falling on a Saturday or a Sunday moves to the Monday)."""
        persona = self.sc["persona"]
        plan = persona["instalments"]
        amount = self.amount
        first = float(first_amount if first_amount is not None else
                      plan.get("first_amount") or persona["cash_available"])
        first = max(0.0, min(first, amount))
        count = int(count or plan["count"])
        first_date = working_day(as_date(start or plan["first_date"]))
        rest = round(amount - first, 2)
        others = max(count - 1, 1)
        each = round(rest / others, 2)
        schedule = [{"date": first_date.isoformat(), "amount": round(first, 2)}]
        paid = first
        for k in range(1, others + 1):
            value = each if k < others else round(amount - paid, 2)
            paid = round(paid + value, 2)
            schedule.append({"date": working_day(add_months(first_date, k)).isoformat(), "amount": value})
        return schedule

    def _spoken_rest(self, schedule: list[dict]) -> str:
        rest = schedule[1:]
        if not rest:
            return ""
        amounts = {r["amount"] for r in rest}
        days = [spoken_date(r["date"], self.today) for r in rest]
        when = days[0] if len(days) == 1 else ", ".join(days[:-1]) + " et " + days[-1]
        if len(amounts) == 1:
            n = len(rest)
            words = {1: "un versement", 2: "deux versements", 3: "trois versements",
                     4: "quatre versements", 5: "cinq versements"}
            return f"{words.get(n, f'{n} versements')} de {spoken_amount(rest[0]['amount'])}, {when}"
        parts = [f"{spoken_amount(r['amount'])} {d}" for r, d in zip(rest, days)]
        return ", ".join(parts[:-1]) + " et " + parts[-1]

    def describe_commitment(self) -> str:
        c = self.commitment
        if not c["date"]:
            return "je vous recontacte" if self.role == "debtor" else "je lui transmets votre message"
        when = spoken_date(c["date"], self.today) + spoken_time(c["time"])
        action = c["action"]
        if action == "rappel":
            learner_calls = c["details"].get("caller") == "learner"
            if self.role == "gatekeeper":
                return (f"vous rappelez {self._debtor_title()} {when}" if learner_calls
                        else f"{self._debtor_title()} vous rappelle {when}")
            return f"vous me rappelez {when}" if learner_calls else f"je vous rappelle {when}"
        if action == "echeancier":
            inst = c["details"]["instalments"]
            return f"{spoken_amount(inst[0]['amount'])} {when}, puis {self._spoken_rest(inst)}"
        if action in METHODS:
            return f"{method_phrase(action)} {when}"
        return f"un règlement {when}"

    @property
    def current_obstacle(self) -> str | None:
        """The first objection that does not stand aside yet (raised or still to come)."""
        for ob in self.objections:
            if not ob.lifted:
                return ob.id
        return None

    def standing(self) -> Standing | None:
        for ob in self.objections:
            if not ob.lifted:
                return ob
        return None

    def _set_commitment(self, **fields) -> None:
        c = self.commitment
        details = fields.pop("details", None)
        c.update(fields)
        if details:
            c["details"].update(details)

    def context(self, moves=None) -> conditions.Context:
        """What conditions may look at now."""
        state = dict(self.call.state)
        persona = self.sc["persona"]
        state.update({
            "irritation": self.irritation,
            "questions": self.pressure,
            "amount_due": self.amount,
            "principal": self.call.principal,
            "cheque_sent": bool((persona.get("cheque") or {}).get("sent")),
            "handed_over": self.call.handed_over,
        })
        return conditions.Context(moves=moves, state=state, lifted=self.call.lifted,
                                  raised=self.call.raised, commitment=self.commitment,
                                  committed=self.committed, moves_made=self.call.moves_made,
                                  speaker=self.id, today=self.today, outcomes=self.call.outcomes,
                                  moves_to=self.call.moves_to)

    # -- the policy ------------------------------------------------------------------------
    def respond(self, u: Utterance, moves: set) -> tuple[str, bool, set]:
        """React to one learner line: (reply text, call ended by the speaker, events).

        A real person does not say the same sentence twice in a row, nor go round in circles
        forever: after three replies in a row that move nothing forward, the speaker says so;
        a bad-faith debtor then ends the call, a good-faith one after five."""
        text, ended, events = self._respond(u, moves)
        # A goodbye is answered with a goodbye: the learner may end any call, even a bad one.
        if ended or not self.raised or "goodbye" in u.acts:
            self.last_text = text
            return text, ended, events
        progress = events & _PROGRESS or any(e.startswith(("lifted:", "excuse:")) for e in events)
        # Insisting for a date is the right thing to do: it wears the speaker down half as fast.
        self.stalls = 0 if progress else self.stalls + (0.5 if "pressure" in events else 1)
        limit = 3 if not self.p.get("good_faith", True) else 5
        if self.stalls >= limit:
            events.add("hung_up_stall")
            text, ended = self._say("fed_up"), True
        elif limit - 1 <= self.stalls < limit - 0.5 or text == self.last_text:
            events.add("stall")
            text = self._say("fed_up_soft")
        self.last_text = text
        return text, ended, events

    def _respond(self, u: Utterance, moves: set) -> tuple[str, bool, set]:
        events: set[str] = set()
        parts: list[str] = []
        p = self.p

        # Silence or noise.
        if u.empty and not u.amounts:
            self.silences += 1
            if self.silences >= 3:
                events.add("hung_up_silence")
                return self._say("silence_hangup"), True, events
            return self._say("silence"), False, events
        self.silences = 0

        acts = u.acts
        # Tone first: aggression, threats, apologies, empathy.
        aggressive = bool(acts & {"insult", "contempt"}) or u.shouting
        if aggressive:
            self.aggressions += 1
            self.irritation += 0.35 if "insult" in acts else 0.25
            events.add("aggression")
        threat = "threat" in acts
        if threat:
            premature = not self.precise_asked or self.pressure < 2 or not any(o.raised for o in self.objections)
            events.add("threat_premature" if premature else "threat")
            if premature:
                self.aggressions += 1
                self.irritation += 0.3
            else:
                self.irritation += 0.1
        if "threat_soft" in acts:
            events.add("threat_soft")
            self.irritation += 0.05
        if "contradict" in acts and not aggressive:
            self.irritation += 0.1
        if "reproach" in acts and not aggressive:
            events.add("reproach")
            self.irritation += 0.15
        if "apology_call" in acts:
            self.apologies += 1
            if self.apologies == 2:
                events.add("over_apology")
        if "apology" in acts:
            self.irritation -= 0.2
            self.aggressions = max(0, self.aggressions - 1)
        if "empathy" in acts and not u.stuffed:
            calms = [o.spec["empathy_calms"] for o in self.objections if o.spec.get("empathy_calms") is not None]
            self.irritation -= max(calms, default=0.15)
            events.add("empathy")
        if not aggressive and not threat:
            self.irritation -= 0.05
        self.irritation = min(1.0, max(0.0, self.irritation))

        if self.aggressions > int(p.get("patience", 2)) or self.irritation >= 1.0:
            events.add("hung_up_aggression")
            return self._say("hangup"), True, events

        goodbye = "goodbye" in acts
        if u.stuffed or u.too_long:
            events.add("stuffed" if u.stuffed else "too_long")
            text = self._say("stuffed" if u.stuffed else "too_long")
            if goodbye:
                text += " " + self._say("goodbye")
            return text, False, events

        if aggressive:
            parts.append(self._say("irritated"))
        elif "smalltalk" in acts and not self.raised and not self.greeted:
            parts.append(self._say("smalltalk"))
        elif threat:
            parts.append(self._say("threat_reaction" if "threat_premature" in events else "threat_late"))
        elif "reproach" in events:
            parts.append(self._say("reproached"))

        # Vague promise accepted? ("Allez voir, j'attends" is waiting on the line, not leaving.)
        waiting = "wait_on_line" in acts and "goodbye" not in acts
        precise = is_insisting(u, self.today) or (waiting and self.raised)
        # A line carrying an argument (a built-in one, or a move of the scenario or its
        # objections) is not "d'accord, merci" to a vague answer, even with a "merci" in it.
        other_topic = bool(acts & {"ask_how", "ask_amount", "propose_instalments", "refer_documents",
                                   "ask_cheque", "ask_reason", "first_payment_now", "cite_law",
                                   "waive", "ask_transfer", "wait_on_line"}) \
            or any(move.id in moves for move in self.call.custom)
        settles = not precise and "refuse" not in acts and not other_topic and (
            "accept_vague" in acts
            or ((self.last_vague or self.last_range) and bool(acts & {"agree", "thanks", "goodbye"})
                and "question" not in acts))
        if settles and not self._has_exact():
            events.add("accepted_range" if (self.last_range and not self.last_vague
                                            and "accept_vague" not in acts) else "accepted_vague")
            self.last_vague = self.last_range = False
            if goodbye:
                parts.append(self._say("goodbye"))
                return _join(parts), False, events
            if not p.get("good_faith", True):
                events.add("hung_up_vague")
                parts.append(self._say("vague_hangup"))
                return _join(parts), True, events
            parts.append(self._say("vague_accepted"))
            self.last_vague = True
            return _join(parts), False, events

        if precise or "threat" in events:   # a lawful, late reminder of the consequences works
            self.pressure += 1
            self.precise_asked = True
            events.add("pressure")

        self.last_vague = self.last_range = False
        if waiting and self.raised:
            parts.append(self._say("checking"))
            events.add("checked")

        if "ask_name" in acts:
            parts.append(self._say("name"))          # a side question: answered first, at any stage

        # Opening of the call.
        talks_payment = bool(acts & {"invoice", "ask_when", "ask_how", "ask_amount", "ask_reason",
                                     "propose_instalments", "press", "ask_cheque",
                                     "refer_documents", "propose_callback", "cite_law",
                                     "waive", "purpose"}) or bool(u.amounts)
        if not self.raised:
            if not talks_payment:
                # Asked once why one calls; then asked again, without the greeting; the third
                # time, the speaker goes on as if told (an assistant offers to take a message).
                self.unasked += 1
                if goodbye:
                    self.greeted = self.greeted or bool(acts & {"greeting", "introduce"})
                    parts.append(self._say("goodbye"))
                    return _join(parts), False, events
                if self.unasked < 3:
                    if not acts and not self.greeted:
                        parts.append(self._say("confused"))
                    elif "smalltalk" not in acts or not parts:
                        parts.append(self._say("ask_purpose" if self.greeted else "greet"))
                    self.greeted = self.greeted or bool(acts & {"greeting", "introduce"}) or bool(acts)
                    return _join(parts), False, events
            self.raised = True
            if "introduce" not in acts and not self.greeted:
                parts.append(self._say("who"))
            self.greeted = True

        if not aggressive or self.irritation < 0.6:
            self._progress(u, moves, parts, events, precise)
        if goodbye and "handover" not in events:
            parts.append(self._say("goodbye_committed" if self._has_exact() else "goodbye"))
        if not parts:
            parts.append(self._say("confused"))
        return _join(parts), False, events

    # -----------------------------------------------------------------------------------
    def _range_end(self) -> _dt.date | None:
        """The deadline of the speaker's half-answer ("au plus tard mardi"): a few days late."""
        day = as_date(self._promise().get("date"))
        return day + _dt.timedelta(days=4) if day else None

    def _has_exact(self) -> bool:
        return self.committed and self.commitment["precision"] == "exact"

    def _mark_vague(self, events: set, kind: str | None = "rappel") -> None:
        """A vague answer. `kind` is the vague promise it amounts to: a call-back ("rappel"), a
        payment some day ("paiement": no method), a method; None when it promises nothing at all
        ("tant que ce n'est pas réglé, je ne paie pas")."""
        self.last_vague = True
        events.add("vague_answer")
        if kind is not None and not self.committed:
            self._set_commitment(action=None if kind == "paiement" else kind, precision="vague", date=None, time=None)

    def _progress(self, u: Utterance, moves: set, parts: list, events: set, precise: bool) -> None:
        acts = u.acts
        if "leave_message" in acts and not precise and not acts & {"ask_transfer", "propose_callback"} \
                and not self._has_exact():
            # "Dites-lui que je rappelle demain": the message is taken; nothing more is promised.
            parts.append(self._say("message_taken"))
            self._mark_vague(events, "rappel")
            return
        # Facts the debtor answers whatever the stage: amount and method (said last), unless
        # the line was rude (no one adds "par virement" to "on se calme !").
        tail: list[str] = []
        asked_method = ("ask_how" in acts or (bool(u.methods) and "question" in acts
                                              and not acts & {"ask_cheque", "recap"})) and "aggression" not in events
        if self.role == "debtor":
            self._handle_amount(u, tail, events)
            if self._switch_method(u, moves, tail, events):
                asked_method = False
            if u.methods or asked_method:
                self.method_known = True
        elif "ask_amount" in acts or (u.amounts and "question" in acts):
            tail.append(self._say("confirm_amount"))
        self._progress_main(u, moves, parts, events, precise)
        if "ask_address" in acts and not any("adresse" in part or "accueil" in part for part in parts):
            parts.insert(1, self._say("address"))     # right after the first thing said
        # Side questions get a short answer first; then the speaker goes on with their own line.
        if "ask_decider" in acts:
            own = next((o for o in self.objections if o.spec["replies"].get("decider")), None)
            parts.insert(0, self._say_objection(own, "decider") if own else self._say("decider"))
        if "ask_satisfaction" in acts:
            complaint = next((o for o in self.objections if o.raised and not o.lifted
                              and o.spec["replies"].get("complaint")), None)
            if complaint is None:
                parts.insert(0, self._say("satisfaction"))
            elif not any(part in complaint.spec["replies"]["complaint"] for part in parts):
                parts.insert(0, self._say_objection(complaint, "complaint"))
        if asked_method and not self.method_said:
            parts.append(self._say("state_method"))
            if self.role == "debtor":
                self.method_said = True
                events.add("method_stated")
        c = self.commitment
        if self.role == "debtor" and self.committed and c["precision"] in ("exact", "range"):
            agreed = self.method_said or self.method in u.methods
            if agreed and c["action"] is None:
                self._set_commitment(action=self.method)
                events.add("method_stated")
            elif agreed and c["action"] in ("echeancier", "rappel") and not c["details"].get("method"):
                c["details"]["method"] = self.method
                events.add("method_stated")
        parts.extend(tail)

    def _switch_method(self, u: Utterance, moves: set, tail: list, events: set) -> bool:
        """The learner proposes another way to pay ("Plutôt qu'un chèque, un virement ?"):
        the debtor agrees, and the promise follows."""
        named = [m for m in dict.fromkeys(u.methods)]
        if len(named) > 1 and len(u.offered_methods) == 1:
            named = u.offered_methods     # "un virement aujourd'hui, et je vous renvoie le chèque"
        # A recap restates the deal ("Donc un virement jeudi, c'est bien ça ?"); "le plus simple,
        # un virement demain, ça vous va ?" proposes another one, before or after a promise.
        proposing_words = proposes_change(u)
        proposing = "question" in u.acts or proposing_words
        restating = "recap" in u.acts and self.committed and self.commitment["precision"] == "exact" \
            and not proposing_words
        # "Si je ne l'ai pas reçu vendredi, je vous rappelle pour que vous fassiez plutôt un
        # virement": a plan B for later, not a change now.
        plan_b = "question" not in u.acts and ("announce_call" in u.acts or bool(_IF_NOT.search(u.norm)))
        # "Pour les prochaines factures, un prélèvement ?": the future, not this payment.
        plan_b = plan_b or bool(_LATER_INVOICES.search(u.norm))
        if len(named) != 1 or not proposing or named[0] == self.method or restating or plan_b:
            return False
        self.method = named[0]
        self.method_known = True
        c = self.commitment
        if c["action"] in METHODS or c["action"] is None:
            c["action"] = self.method if (self.committed or c["precision"] == "vague") else c["action"]
        if self.method != "cheque":
            c["details"]["cheque_number"] = None
        if c["action"] in ("echeancier", "rappel"):
            c["details"]["method"] = self.method
        tail.append(self._say("accept_method"))
        self.method_said = True
        events.add("method_changed")
        return True

    # -- objections --------------------------------------------------------------------------
    def _count(self, moves: set) -> None:
        """Before the objections: which of their lift conditions hold on this line."""
        ctx = self.context(moves)
        for ob in self.objections:
            if ob.lifted or not isinstance(ob.spec["lifted_by"], list):
                continue
            counting = ob.raised or ob.spec.get("met_early", False)
            for i, entry in enumerate(ob.spec["lifted_by"]):
                ob.held[i] = conditions.holds(entry, ctx)      # "times" is not a condition
                if ob.held[i] and counting:
                    ob.counts[i] += 1

    def _lifts(self, ob: Standing, at_raise: bool) -> bool:
        spec = ob.spec["lifted_by"]
        if spec == "immediately":
            return True
        for i, entry in enumerate(spec):
            times = entry.get("times", 1)
            if at_raise:
                if ob.spec.get("met_early") and ob.counts[i] >= times:
                    return True
            elif ob.held[i] and ob.counts[i] >= times:
                return True
        return False

    def _settled_before(self, ob: Standing) -> bool:
        """A lift condition about facts only (no move of this line) that already holds."""
        entries = ob.spec["lifted_by"]
        if not isinstance(entries, list):
            return False
        return any(ob.held[i] and not conditions.moves_in(entry) and "not_moves" not in entry
                   for i, entry in enumerate(entries))

    def _apply(self, ob: Standing, effect: dict, u: Utterance, moves: set, parts: list,
               events: set, precise: bool) -> bool:
        """Carry out one reaction or lift outcome; True if the reply stops here."""
        if effect.get("set"):
            self.call.set_state(effect["set"])
        if effect.get("method") and "method_changed" not in events:
            # (unless the learner has just proposed another way to pay, in this very line)
            self.method = effect["method"]
            self.method_known = True
            if not self.committed or self.commitment["action"] in METHODS:
                self.commitment["action"] = self.method
        if effect.get("commitment"):
            self.kind = effect["commitment"]
        if effect.get("say"):
            parts.append(self._say_objection(ob, effect["say"]))
        if effect.get("vague"):
            self._mark_vague(events, ob.spec.get("vague") or "paiement")
        if effect.get("note"):
            events.add("note:" + effect["note"])
        if effect.get("reply_note"):
            events.add("reply_note:" + effect["reply_note"])
        if effect.get("handover"):
            events.add("handover")
            return True
        if effect.get("commit"):
            self._concede(u, moves, parts, events, precise, force=True)
            return True
        return bool(effect.get("stop"))

    def _lift(self, ob: Standing, u, moves, parts, events, precise) -> bool:
        """The objection gives way; True if the reply stops here."""
        ob.lifted = True
        self.call.lifted.add(ob.id)
        events.add(f"lifted:{ob.id}")
        ctx = self.context(moves)
        for outcome in ob.spec.get("on_lift") or ():
            if conditions.holds(outcome.get("when"), ctx):
                self.call.outcomes[ob.id] = outcome.get("name") or outcome.get("say") or "lifted"
                return self._apply(ob, outcome, u, moves, parts, events, precise)
        self.call.outcomes[ob.id] = "lifted"
        return False

    def _raise(self, ob: Standing, events: set, parts: list) -> None:
        ob.raised = True
        self.call.raised.add(ob.id)
        events.add(f"excuse:{ob.id}")
        if ob.spec.get("commitment"):
            self.kind = ob.spec["commitment"]
        parts.append(self._say_objection(ob, "raise"))
        if ob.spec.get("vague"):
            self._mark_vague(events, ob.spec["vague"])

    def _progress_main(self, u: Utterance, moves: set, parts: list, events: set, precise: bool) -> None:
        acts = u.acts
        p = self.p
        self._count(moves)
        aside = None   # a standing objection that lets the promise go ahead (blocks: false)

        for ob in self.objections:
            if ob.lifted:
                continue
            if not ob.raised:
                only_if = ob.spec.get("only_if")
                if only_if and not conditions.holds(only_if, self.context(moves)):
                    ob.lifted = True      # nothing to raise: the speaker is not in that mood
                    continue
                if self._settled_before(ob):
                    # What would lift it already holds (the penalties already waived): the
                    # speaker does not raise it, and it gives way at once.
                    if self._lift(ob, u, moves, parts, events, precise):
                        return
                    continue
                before = len(parts)
                self._raise(ob, events, parts)
                if self._lifts(ob, at_raise=True):
                    # The learner's line has already answered it ("oubliez les pénalités"): the
                    # speaker does not voice the complaint only to drop it in the same breath.
                    raised_words = parts[before:]
                    del parts[before:]
                    stop = self._lift(ob, u, moves, parts, events, precise)
                    if len(parts) == before:
                        parts[before:before] = raised_words
                    if stop:
                        return
                    continue
                return                # the learner answers the objection on the next line
            if self._lifts(ob, at_raise=False):
                if self._lift(ob, u, moves, parts, events, precise):
                    return
                continue
            # Still standing: its own reactions first.
            ctx = self.context(moves)
            for reaction in ob.spec.get("reactions") or ():
                if conditions.holds(reaction["when"], ctx):
                    self._apply(ob, reaction, u, moves, parts, events, precise)
                    return
            if not ob.blocks:
                aside = ob
                break
            if precise or acts & {"ask_how", "ask_amount", "propose_instalments", "invoice"}:
                parts.append(self._say_objection(ob, "dodge"))
                self._mark_vague(events, ob.spec.get("vague"))
                return
            if "ask_reason" in acts or "open_question" in acts:
                # "Pourquoi ?": its own reason if the objection gives one, else said again.
                parts.append(self._say_objection(ob, "reason" if ob.spec["replies"].get("reason") else "raise"))
                if ob.spec.get("vague"):
                    self._mark_vague(events, ob.spec["vague"])
                return
            if "empathy" in acts:
                parts.append(self._say("empathy_thanks"))
                return
            if not parts:
                parts.append(self._say("close_attempt") if not p.get("good_faith", True)
                             else self._say_objection(ob, "dodge"))
                self._mark_vague(events, ob.spec.get("vague"))
            return

        # Nothing blocks: towards the promise.
        if self.kind == "echeancier" and self.plan_state != "agreed":
            self._instalments(u, parts, events, precise)
            return
        if not self.committed or self.commitment["precision"] != "exact":
            self._concede(u, moves, parts, events, precise, aside=aside)
            return
        self._after_commitment(u, moves, parts, events, precise)

    # -- amounts and plans -------------------------------------------------------------------
    def _handle_amount(self, u: Utterance, parts: list, events: set) -> None:
        if self.amount_confirmed or (self.kind == "echeancier" and self.plan_state is not None):
            return
        said = [a for a in u.amounts if a >= 1]
        short = self.short_of_cash
        if said:
            if any(abs(a - self.amount) < 0.01 for a in said):
                self.amount_confirmed = True
                events.add("amount_confirmed")
                if "ask_amount" in u.acts:
                    parts.append(self._say("confirm_amount"))
                self._commit_amount()
                return
            principal = float(self.sc["invoice"]["amount"])
            named = max(said)
            # A debtor corrects an amount that is too high; a lower one only when he is honest, and
            # never the invoice's own principal (a debtor disputing the fees is glad to hear it).
            honest_correction = self.p.get("good_faith", True) and abs(named - principal) >= 0.01
            if not short and named > self.amount * 0.2 and (named > self.amount or honest_correction):
                parts.append(self._say("correct_amount", said=spoken_amount(named)))
                self.amount_confirmed = True
                events.add("amount_corrected")
                return
        if "ask_amount" in u.acts or (u.full_amount and not short):
            self.amount_confirmed = True
            events.add("amount_confirmed")
            if not short:
                parts.append(self._say("confirm_amount"))
        self._commit_amount()

    def _commit_amount(self) -> None:
        if self.amount_confirmed and self.committed and self.commitment["action"] != "echeancier" \
                and self.commitment["precision"] in ("exact", "range"):
            self.commitment["amount"] = self.amount

    def _learner_plan(self, u: Utterance, parts: list, events: set) -> bool:
        """A plan the learner lays out ("1 200 € aujourd'hui, 1 200 le 15 décembre, 1 200 le 15
        janvier"): taken as it is when it adds up to what is due, its first payment is within
        the debtor's means and it ends not much later than the debtor's own plan; a first day the
        debtor cannot make moves to the first day he can. True if the plan was agreed."""
        items = plan_items(u.text, self.today)
        if not items or abs(sum(i["amount"] for i in items) - self.amount) > 1.0:
            return False
        plan = self.sc["persona"]["instalments"]
        cash = float(self.sc["persona"]["cash_available"])
        if items[0]["amount"] > cash + 0.01:
            parts.append(self._say("first_amount_cap", first_amount=spoken_amount(cash)))
            events.add("first_amount_capped")
            return False
        own_last = as_date(self._schedule()[-1]["date"])
        if as_date(items[-1]["end"]) > own_last + _dt.timedelta(days=45):
            return False
        # The first payment on the first day the debtor can within what was said ("cette
        # semaine": Friday), the others on the last working day of a span ("fin décembre").
        asked_first, asked_end = as_date(items[0]["date"]), as_date(items[0]["end"])
        first_day = working_day(max(asked_first, as_date(plan["first_date"])))
        if first_day > asked_end and asked_end > asked_first:
            first_day = working_day(max(asked_end, as_date(plan["first_date"])))
        shifted = first_day > asked_end
        schedule, previous = [], None
        for i, item in enumerate(items):
            if i == 0:
                day = first_day
            elif item["end"] != item["date"]:
                day = last_working_day(as_date(item["end"]))
            else:
                day = working_day(as_date(item["date"]))
            if previous and day <= previous:
                return False
            schedule.append({"date": day.isoformat(), "amount": round(item["amount"], 2)})
            previous = day
        schedule[-1]["amount"] = round(self.amount - sum(x["amount"] for x in schedule[:-1]), 2)
        self.plan_state = "agreed"
        self.committed = True
        self.amount_confirmed = True
        self._set_commitment(action="echeancier", amount=self.amount, date=schedule[0]["date"], time=None,
                             precision="exact", details={
                                 "instalments": schedule,
                                 "method": self.method if self.method_known else None})
        events.update({"commitment", "amount_confirmed", "learner_plan"})
        if first_day <= self.today + _dt.timedelta(days=7):
            events.add("first_payment_now")
        say = "plan_shifted" if shifted else "plan_accepted"
        parts.append(self._say(say, proposed=spoken_date(asked_first, self.today),
                               first_amount=spoken_amount(schedule[0]["amount"]),
                               first_date=spoken_date(schedule[0]["date"], self.today),
                               rest=self._spoken_rest(schedule)))
        return True

    def _new_plan(self, u: Utterance, parts: list, events: set) -> bool:
        """Another plan laid out once one is agreed ("mais alors 1 500 € vendredi, puis 1 050 €…"):
        a counter-proposal, not a recap. Taken if it holds; otherwise the debtor keeps hers and
        says why. False when the line lays out the plan already agreed (a recap)."""
        items = plan_items(u.text, self.today)
        agreed = self.commitment["details"]["instalments"]
        if items and abs(sum(i["amount"] for i in items) - self.amount) > 1.0:
            items = []              # not a whole plan: a recap, or part of one
        if not items or [(i["date"], round(i["amount"], 2)) for i in items] == \
                [(i["date"], i["amount"]) for i in agreed]:
            return False
        if [round(i["amount"], 2) for i in items] == [i["amount"] for i in agreed] and "recap" in u.acts:
            return False            # the same amounts read back: a recap (its days are checked there)
        kept = self.commitment["details"]
        self.plan_state = None
        if self._learner_plan(u, parts, events):
            return True
        self.plan_state = "agreed"
        self.commitment["details"] = kept
        parts.append(self._say("already_committed"))     # what was agreed stands
        return True

    def _instalments(self, u: Utterance, parts: list, events: set, precise: bool) -> None:
        acts = u.acts
        plan = self.sc["persona"]["instalments"]
        if self.plan_state != "agreed" and self._learner_plan(u, parts, events):
            if self.method_known and not self.method_said:
                parts.append(self._say("state_method"))
                self.method_said = True
                events.add("method_stated")
            return
        offer = self._proposal(u)
        # A plan starting now, even one the debtor cannot afford, asks for a first payment now.
        wants_now = "first_payment_now" in acts or "first_amount_capped" in events or (
            offer is not None and as_date(offer["start"]) <= self.today + _dt.timedelta(days=3))
        if self.plan_state is None and not wants_now:
            self.plan_state = "later"
            parts.append(self._say("instalments_later"))
            self.last_range = self.last_vague = False
            self._set_commitment(action="echeancier", precision="vague", date=None, time=None)
            events.add("late_plan_offered")
            return
        if self.plan_state in (None, "later") and (wants_now or precise or "refuse" in acts):
            proposed_first = None
            asked = [a for a in u.amounts if a < self.amount - 0.01]
            if asked:
                proposed_first = asked[0]
            elif u.fraction is not None:
                proposed_first = round(self.amount * u.fraction, 2)
            cash = float(self.sc["persona"]["cash_available"])
            if "first_amount_capped" in events:
                proposed_first = None               # already said: what she can pay is her own plan
            elif proposed_first is not None and proposed_first > cash + 0.01:
                parts.append(self._say("first_amount_cap", first_amount=spoken_amount(cash)))
                proposed_first = None
            # "La moitié maintenant et le reste le mois prochain": two payments.
            counted = re.search(r"\b(?:trois|3|quatre|4|cinq|5|six|6|dix|10|douze|12) (?:fois|versements|"
                                r"mensualites|echeances)\b", u.norm)
            rest_in = re.search(r"\b(?:le reste|le solde) en (deux|2|trois|3|quatre|4) (?:fois|versements|mensualites)",
                                u.norm)
            two = (bool(re.search(r"\ble (?:reste|solde)\b", u.norm)) and not counted and not rest_in) \
                or bool(re.search(r"\b(?:deux|2) (?:fois|versements|echeances)\b", u.norm)) and not rest_in
            count = 2 if two else None
            if rest_in:   # "1 200 € aujourd'hui et le reste en deux fois": three payments in all
                count = 1 + {"deux": 2, "2": 2, "trois": 3, "3": 3, "quatre": 4, "4": 4}[rest_in.group(1)]
            schedule = self._schedule(proposed_first, count=count)
            self.plan_state = "agreed"
            self.committed = True
            self.amount_confirmed = True
            first_day = schedule[0]["date"]
            self._set_commitment(action="echeancier", amount=self.amount, date=first_day, time=None,
                                 precision="exact", details={
                                     "instalments": schedule,
                                     "method": self.method if self.method_known else None})
            events.update({"commitment", "first_payment_now", "amount_confirmed"})
            asked = self._proposal(u)
            earlier = asked is not None and as_date(asked["start"]) < as_date(first_day)
            parts.append(self._say("plan_shifted" if earlier else "instalments_accept",
                                   proposed=spoken_date(asked["start"], self.today) if earlier else "",
                                   first_amount=spoken_amount(schedule[0]["amount"]),
                                   first_date=spoken_date(first_day, self.today),
                                   rest=self._spoken_rest(schedule)))
            if self.method_known and not self.method_said:
                parts.append(self._say("state_method"))
                self.method_said = True
                events.add("method_stated")
            return
        if self.plan_state == "later":
            # Accepting a first payment months away is not what the course asks for.
            if acts & {"agree", "accept_vague", "thanks", "goodbye"}:
                later = plan["later_start"]
                schedule = self._schedule(start=later)
                self.plan_state = "agreed"
                self.committed = True
                self._set_commitment(action="echeancier", amount=self.amount, date=later, time=None,
                                     precision="exact", details={
                                         "instalments": schedule,
                                         "method": self.method if self.method_known else None})
                events.update({"commitment", "first_payment_late"})
                if "goodbye" not in acts:
                    parts.append(self._say("recap_ok"))
                return
            parts.append(self._say("instalments_later"))
            events.add("late_plan_offered")

    # -- the promise -------------------------------------------------------------------------
    def _concede(self, u: Utterance, moves: set, parts: list, events: set, precise: bool,
                 force: bool = False, aside: Standing | None = None) -> None:
        acts = u.acts
        p = self.p
        n_needed = int(p.get("questions_before_answer", 1))
        callback = self.kind == "rappel"
        if "ask_reason" in acts and not precise and not force:
            # "Pourquoi n'avez-vous pas payé ?": the reason, in the words of the last objection.
            last = next((o for o in reversed(self.objections) if o.raised and o.spec["replies"].get("reason")), None)
            parts.append(self._say_objection(last, "reason") if last else self._say("reason"))
            return
        topical = precise or bool(acts & {"ask_how", "propose_callback", "announce_call",
                                         "refer_documents", "ask_amount", "ask_reason",
                                         "open_question", "invoice"}) or bool(u.methods)
        if not force and not topical and not (acts & {"empathy", "listening"}):
            if self.committed and self.commitment["precision"] == "range":
                parts.append(self._say("already_committed"))
                self.last_range = True
                return
            if "goodbye" in acts:
                return
            if acts & {"agree", "thanks"} and not p.get("good_faith", True) and not parts:
                parts.append(self._say("close_attempt"))
                self._mark_vague(events)
                return
            if not parts:
                parts.append(self._say("prompt"))
            return
        # A day the learner puts forward, that suits the speaker, is the most precise question.
        offer = self._proposal(u)
        ready = force or self.pressure >= n_needed or (
            offer is not None and precise and self.pressure >= n_needed - 1 and self._acceptable(offer))
        if not ready:
            if (self.pressure == n_needed - 1 and n_needed >= 2 and not callback
                    and (precise or "ask_how" in acts) and self._range_end()):
                end = self._range_end()
                parts.append(self._say("concede_range"))
                self._set_commitment(action=self.method if self.method_known else None,
                                     precision="range", date=end.isoformat(), time=None,
                                     details={"date_range": [self.today.isoformat(), end.isoformat()]})
                self.committed = True
                self.last_range = True
                events.add("range_answer")
                return
            if precise or "ask_how" in acts or "propose_callback" in acts:
                parts.append(self._say_objection(aside, "dodge") if aside else self._say("dodge"))
                self._mark_vague(events, aside.spec.get("vague") if aside else "rappel")
                return
            if acts & {"empathy"} and not parts:
                parts.append(self._say("empathy_thanks"))
                return
            if not parts:
                parts.append(self._say("prompt"))
            return
        if not force and not (precise or acts & {"ask_how", "propose_callback", "announce_call"}):
            if not parts:
                parts.append(self._say("prompt" if p.get("good_faith", True) else "close_attempt"))
                if not p.get("good_faith", True):
                    self._mark_vague(events)
            return

        # Concrete answer.
        was_range = self.committed and self.commitment["precision"] == "range"
        persona = self.sc["persona"]
        cheque = persona.get("cheque") or {}
        if self.kind == "cheque_envoye":
            self._set_commitment(action="cheque", amount=self.amount, date=cheque["sent_date"], time=None,
                                 precision="exact", details={"cheque_number": cheque.get("number")})
            self.committed = True
            self.amount_confirmed = True
            self.method_known = True
            self.method = "cheque"
            events.update({"commitment", "cheque_details"})
            parts.append(self._say("cheque_details"))
            return
        promise = self._promise()
        date, time = promise["date"], promise.get("time")
        earliest = as_date(p.get("earliest_date") or promise["date"])
        offer = self._proposal(u)
        situation = None
        extra = {}
        if offer is not None:
            day = as_date(offer["start"])
            if day >= self.today and day >= earliest and day <= self.today + _dt.timedelta(days=45):
                date, time = day.isoformat(), offer.get("time") or (time if day == as_date(date) else None)
                situation = "accept_date"
                extra["proposed"] = spoken_date(day, self.today)
            elif day >= self.today:
                situation = "counter_date"
                extra["proposed"] = spoken_date(day, self.today)
        if callback:
            action = "rappel"
        elif self.method == "cheque" and (self.method_known or self.commitment.get("action") == "cheque"):
            action = "cheque"
        else:
            action = self.method if self.method_known else None
        details = {"date_range": None}
        if callback and self.method_known and self.role == "debtor":
            details["method"] = self.method
        if callback:
            details["caller"] = who_calls(u) or self.commitment["details"].get("caller") or "debtor"
        if action == "cheque":
            details["cheque_number"] = cheque.get("number")
        self.committed = True
        self._set_commitment(action=action, date=date, time=time, precision="exact",
                             amount=self.amount if (self.amount_confirmed or action == "cheque") else None,
                             details=details)
        self.commitment["details"].pop("date_range", None)
        if action == "cheque":
            self.amount_confirmed = True
        events.add("commitment")
        extra["date"] = spoken_date(date, self.today)
        extra["time"] = spoken_time(time)
        if situation == "accept_date":
            parts.append(self._say("accept_date", **extra))
            if "recap" in acts and was_range:   # "d'ici mardi" — "Donc vendredi 27, c'est bien ça ?" — yes
                events.add("recap_ok")
        else:
            if situation == "counter_date":
                parts.append(self._say("counter_date", **extra))
            elif callback:
                parts.append(self._say("concede_callback", **extra))
            elif action == "cheque" and cheque.get("number"):
                parts.append(self._say("concede_cheque", **extra))
                events.add("cheque_details")
            elif action in METHODS:
                parts.append(self._say("concede_method", **extra))
            else:
                parts.append(self._say("concede", **extra))
        if action in METHODS:
            self.method_said = True

    def _acceptable(self, offer: dict) -> bool:
        promise = self._promise()
        if not promise.get("date"):
            return False
        day = as_date(offer["start"])
        earliest = as_date(self.p.get("earliest_date") or promise["date"])
        return earliest <= day <= self.today + _dt.timedelta(days=45)

    def _proposal(self, u: Utterance) -> dict | None:
        """The day (and hour) the learner puts forward, as this speaker hears it:
        - a bare hour ("14 h ?") is for the day already agreed, if any;
        - a call-back offered as alternatives ("demain vers 11 h 30, ou jeudi après-midi") is
          answered with the first that suits; a payment day corrected ("mardi… non, mercredi")
          with the last one;
        - a call-back day without an hour gets one from its part of the day, or the usual one."""
        offer = proposal(u, self.today)
        if offer is None:
            return None
        c = self.commitment
        if offer.get("time_only") and self.committed and c.get("date"):
            offer = dict(offer, start=c["date"], end=c["date"])
        if self.kind != "rappel":
            return offer
        offers = [d for d in u.clause_dates if d.get("precision") == "exact" and not d.get("follow_up")
                  and not d.get("incidental") and d.get("start") and d["start"] >= self.today.isoformat()]
        if len(offers) > 1 and re.search(r"\bou\b", u.norm):
            offer = next((d for d in offers if self._acceptable(d)), offer)
        if not offer.get("time"):
            text = normalise(offer.get("text") or "")
            hour = hour_of(text)
            usual = self._promise().get("time")
            offer = dict(offer, time=hour or usual)
        return offer

    def _after_commitment(self, u: Utterance, moves: set, parts: list, events: set, precise: bool) -> None:
        acts = u.acts
        c = self.commitment
        if c["action"] == "echeancier" and self._new_plan(u, parts, events):
            return
        # "Pourriez-vous plutôt payer vendredi ?": a new day put forward, not a recap; for a
        # call-back, a new hour too ("À quelle heure, 14 h ?").
        offer = self._proposal(u)
        new_hour = c["action"] == "rappel" and offer is not None and bool(offer.get("time")) \
            and offer.get("time") != c.get("time")
        if offer is not None and (offer["start"] != c["date"] or new_hour) and "recap" not in acts \
                and "question" in acts and c["action"] != "echeancier":
            self._concede(u, moves, parts, events, precise, force=True)
            return
        if offer is not None and c["action"] == "echeancier" and offer["start"] != c["date"] \
                and "recap" not in acts and "question" in acts and not plan_items(u.text, self.today):
            # "Le premier versement vendredi 27, ça va ?": the first payment moves, if it can.
            plan = c["details"]["instalments"]
            day = as_date(offer["start"])
            earliest = as_date(self.sc["persona"]["instalments"]["first_date"])
            if earliest <= day < as_date(plan[1]["date"]) and day.weekday() < 5:
                plan[0]["date"] = day.isoformat()
                c["date"] = day.isoformat()
                events.add("commitment")
                parts.append(self._say("accept_date", proposed=spoken_date(day, self.today),
                                       date=spoken_date(day, self.today), time=""))
            else:
                parts.append(self._say("counter_date", proposed=spoken_date(day, self.today),
                                       date=spoken_date(plan[0]["date"], self.today), time=""))
            return
        # A question about the method is answered at the end of the reply (see _progress).
        # A new way to pay was just accepted (its reply comes at the end): nothing more to say on it.
        said_something = ("ask_how" in acts or bool(u.methods and "question" in acts
                                                    and not acts & {"ask_cheque", "recap"})) \
            and not self.method_said or "method_changed" in events
        if "ask_cheque" in acts and c["action"] == "cheque" and (self.sc["persona"].get("cheque") or {}).get("number"):
            sent = (self.sc["persona"].get("cheque") or {}).get("sent")
            parts.append(self._say("cheque_details" if sent else "concede_cheque"))
            events.add("cheque_details")
            said_something = True
        if c["action"] == "rappel" and who_calls(u) and self._check_recap(u) in ("ok", "partial", None):
            c["details"]["caller"] = who_calls(u)       # "je rappellerai Monsieur Duroc à 14 h"
        # A line that has just changed the way to pay proposes; it does not read the deal back.
        recap = self._check_recap(u) if "method_changed" not in events else None
        if recap == "ok":
            events.add("recap_ok")
            parts.append(self._say("recap_ok"))
            said_something = True
        elif recap == "wrong":
            events.add("recap_wrong")
            parts.append(self._say("recap_wrong"))
            said_something = True
        elif recap == "partial":
            # A recap missing the day or the action: the speaker completes it.
            events.add("recap_partial")
            parts.append(self._say("recap_complete"))
            said_something = True
        if "announce_email" in acts:
            events.add("follow_up")
            if not said_something or recap:
                parts.append(self._say("followup_ok"))
            said_something = True
        elif "announce_call" in acts:
            events.add("follow_up")
            parts.append(self._say("callback_ok"))
            said_something = True
        topical = precise or bool(acts & {"ask_how", "ask_amount", "ask_cheque", "invoice", "recap", "propose_date",
                                          "names_method", "names_amount", "propose_callback"})
        if not said_something and not parts and "question" in acts and not topical:
            parts.append(self._say("side_question"))      # a question about something else
            said_something = True
        if not said_something and not parts and (
                precise or "question" in acts or ("ask_how" in acts and self.method_said)):
            parts.append(self._say("already_committed"))
            said_something = True
        if not said_something and not parts and "goodbye" not in acts:
            if acts & {"empathy", "thanks"}:
                parts.append(self._say("empathy_thanks" if "empathy" in acts else "prompt_done"))
            else:
                parts.append(self._say("prompt_done"))

    def _check_recap(self, u: Utterance) -> str | None:
        """'ok' (action + date restated), 'wrong' (a different date/method), 'partial' or None."""
        c = self.commitment
        acts = u.acts
        exact_days = {d["start"] for d in u.clause_dates
                      if d.get("precision") == "exact" and not d.get("follow_up") and not d.get("incidental")}
        if u.exact_date and not u.clause_dates:
            exact_days.add(u.exact_date["start"])
        if not exact_days and "recap" not in acts:
            return None
        action = c["action"]
        if action in METHODS:
            # "Un virement demain, et le chèque, vous le gardez": the deal's method is named first.
            said = (u.offered_methods or u.methods)[:1]
            mentions_action = said == [action]
            wrong_action = bool(said) and said != [action]
        elif action == "echeancier":
            mentions_action = bool(acts & {"propose_instalments"}) or bool(u.amounts) or bool(u.methods)
            wrong_action = False
        elif action == "rappel":
            said_times = {d.get("time") for d in u.clause_dates} | {(u.date or {}).get("time")}
            mentions_action = "rappel" in u.norm or bool(acts & {"propose_callback", "announce_call"}) \
                or (bool(c.get("time")) and c["time"] in said_times)
            wrong_action = bool(u.methods) and "recap" in acts and not acts & {"propose_callback", "announce_call"} \
                and "rappel" not in u.norm
        else:
            mentions_action = bool(u.methods) or "regl" in u.norm or "pai" in u.norm or "pay" in u.norm
            wrong_action = False
        mentions_date = c["date"] in exact_days
        times = {d["time"] for d in u.clause_dates if d.get("time") and not d.get("follow_up")}
        if c.get("time") and times and c["time"] not in times:
            return "wrong" if ("recap" in acts or mentions_action or mentions_date) else None
        if action == "echeancier":
            known = {item["date"] for item in c["details"]["instalments"]}
            wrong_date = bool(exact_days - known)
        else:
            wrong_date = bool(exact_days) and not mentions_date
            if len(exact_days) > 2:
                return "partial" if "recap" in acts else None
        if wrong_date or wrong_action:
            return "wrong" if ("recap" in acts or mentions_action or wrong_action) else None
        if mentions_action and mentions_date:
            return "ok"
        if "recap" in acts:
            return "partial"
        return None
