"""The debtor: hidden state, behaviour and spoken French replies.

The debtor answers what is asked, dodges while its excuses still hold, concedes
under precise questions, and reacts to the learner's tone. Each excuse is an
*obstacle* that a specific move from the learner lifts:

==============  ====================================================================
excuse          what lifts it
==============  ====================================================================
oubli           nothing: the forgetful client admits it at once
rappel          insisting after a vague promise ("il me faut une date précise")
cheque_poste    asking for the cheque number / amount / date sent
tresorerie      proposing an instalment plan (then insisting on a first payment now)
litige          referring to the signed documents (delivery note, quote, acceptance)
comptable       asking when the answer will come (the commitment is a call-back time)
pas_recu        offering to send the invoice again / saying when it was sent
irritation      empathy and calm (irritation falls under 0.4)
==============  ====================================================================

Once every obstacle is lifted, the debtor gives an exact date after
``questions_before_answer`` precise questions in the whole call.
All randomness comes from the ``random.Random(seed)`` passed in.
"""

from __future__ import annotations

import datetime as _dt
import random

from . import lazy_re
from .dates import format_date_fr
from .understand import METHODS, Utterance

__all__ = ["Debtor", "DEFAULT_REPLIES", "SITUATIONS", "PLACEHOLDERS", "EXCUSES",
           "spoken_date", "spoken_time", "spoken_amount", "method_phrase"]

EXCUSES = ("oubli", "rappel", "cheque_poste", "tresorerie", "litige", "comptable", "pas_recu",
           "irritation")

# Vague excuses: voicing them is a vague promise the learner must not accept.
_VAGUE_EXCUSES = {"rappel", "cheque_poste", "tresorerie", "comptable", "litige", "pas_recu",
                  "irritation"}

METHOD_PHRASES = {
    "virement": "un virement",
    "cheque": "un chèque",
    "carte": "un paiement par carte",
    "prelevement": "un prélèvement",
    "especes": "un règlement en espèces",
}
METHOD_NAMES = {
    "virement": "virement",
    "cheque": "chèque",
    "carte": "carte bancaire",
    "prelevement": "prélèvement",
    "especes": "espèces",
}

DEFAULT_REPLIES: dict[str, list[str]] = {
    "opening": [
        "Allô ? {name}, j'écoute.",
        "Oui, allô ? {company}, {name} à l'appareil.",
        "Allô, oui ? C'est {name}.",
    ],
    "greet": [
        "Ah, bonjour. Oui, c'est à quel sujet ?",
        "Bonjour. Je vous écoute, qu'est-ce que je peux faire pour vous ?",
        "Oui, bonjour. Que puis-je pour vous ?",
    ],
    "who": [
        "Pardon, vous êtes qui ? Ah, {caller_company}... d'accord.",
        "C'est de la part de qui, déjà ? {caller_company}, c'est ça ?",
    ],
    "excuse_oubli": [
        "La facture {invoice} ? Oh là là, vous faites bien d'appeler : elle a dû rester sous une pile de papiers. Je suis vraiment désolé.",
        "Ah mince, la {invoice}... Franchement, ça m'est complètement sorti de la tête. Toutes mes excuses.",
        "Oh non, ne me dites pas que je ne l'ai pas réglée ! Avec le rush de ces dernières semaines, j'ai dû passer à côté.",
    ],
    "excuse_rappel": [
        "Ah oui, cette facture... Écoutez, là je suis un peu sous l'eau. Je regarde ça et je reviens vers vous.",
        "Oui, oui, je l'ai bien reçue. Je m'en occupe, je vous rappelle dans quelques jours.",
        "Ah, oui, je sais. Ne vous inquiétez pas, je vais m'en occuper, je vous tiens au courant.",
    ],
    "excuse_cheque_poste": [
        "Ah mais le chèque est parti ! Vous devriez le recevoir d'un jour à l'autre.",
        "Le règlement ? Il est au courrier, ça ne devrait plus tarder.",
        "Je l'ai déjà envoyé, votre chèque. Ça doit être la Poste qui traîne.",
    ],
    "excuse_tresorerie": [
        "Je vais être franc avec vous : en ce moment, la trésorerie est très tendue. Un gros client ne nous a pas payés et je ne peux pas sortir {amount} d'un coup.",
        "Écoutez, je ne vais pas vous mentir, c'est compliqué en ce moment. Les rentrées d'argent se font attendre et {amount}, je ne les ai pas.",
    ],
    "excuse_litige": [
        "Justement, je comptais vous en parler : on n'est pas satisfaits du travail. Tant que ce n'est pas réglé, je ne vois pas pourquoi je paierais.",
        "Ah, cette facture-là ? Eh bien le travail n'est pas conforme à ce qu'on avait demandé, alors je la conteste.",
    ],
    "excuse_comptable": [
        "C'est mon comptable qui gère les paiements, je ne peux rien décider sans lui. Je vois avec lui et je reviens vers vous.",
        "Ah, pour ça il faut que je voie avec mon comptable. C'est lui qui s'occupe des règlements.",
    ],
    "excuse_pas_recu": [
        "Quelle facture ? Je n'ai rien reçu, moi.",
        "La {invoice} ? Je ne l'ai jamais vue passer, cette facture.",
    ],
    "excuse_irritation": [
        "Encore vous ? C'est la troisième relance ce mois-ci ! Vous croyez que je n'ai que ça à faire ?",
        "Ah, c'est pour la facture... Franchement, vos relances à répétition commencent à m'agacer.",
    ],
    "dodge_rappel": [
        "Je ne peux pas vous dire comme ça, au pied levé. Je reviens vers vous dans quelques jours, promis.",
        "Bientôt, bientôt. Laissez-moi un peu de temps, je vous rappelle.",
        "Dès que j'ai un moment, je m'en occupe. Je vous tiens au courant.",
    ],
    "dodge_cheque_poste": [
        "Je vous dis qu'il est parti ! Il va arriver, soyez patient.",
        "Il est dans le circuit, il va arriver d'ici peu.",
    ],
    "dodge_tresorerie": [
        "Dès que la situation s'améliore, je vous paie, c'est promis.",
        "Quand mon client m'aura réglé, je pourrai vous payer. Je ne peux pas vous dire mieux pour l'instant.",
    ],
    "dodge_litige": [
        "Pour l'instant, je ne paie pas. Il faut d'abord régler ce problème.",
        "On verra ça quand le problème sera résolu, pas avant.",
    ],
    "dodge_comptable": [
        "Il faut que je voie avec mon comptable, je reviens vers vous après.",
        "Je lui en parle dans la semaine et je vous redis, d'accord ?",
    ],
    "dodge_pas_recu": [
        "Comment voulez-vous que je paie une facture que je n'ai pas ?",
        "Envoyez-la-moi déjà, on verra après.",
    ],
    "dodge_irritation": [
        "Écoutez, je n'ai vraiment pas le temps pour ça maintenant.",
        "Je vous paierai quand je pourrai, voilà. Ce n'est pas en me harcelant que ça ira plus vite.",
    ],
    "dodge": [
        "Je vais faire au plus vite, promis.",
        "Dans les prochains jours, sans faute.",
        "Très vite, ne vous inquiétez pas.",
    ],
    "lifted_rappel": [
        "Bon... D'accord, je comprends que vous ayez besoin de savoir.",
        "Bon, bon. Je vois que vous ne lâcherez pas l'affaire.",
    ],
    "cheque_stall": [
        "Le numéro ? Euh... je n'ai pas le chéquier sous la main, là.",
        "Ah, il faudrait que je retrouve le talon... Ce n'est pas moi qui l'ai posté.",
    ],
    "cheque_admit": [
        "Bon... pour être honnête, il n'est pas encore parti. Il est prêt, il est sur mon bureau.",
        "Euh... Je vais être honnête : il est signé, mais je ne l'ai pas encore posté.",
    ],
    "cheque_details": [
        "Attendez, je regarde le talon... C'est le chèque numéro {cheque_number}, de {amount}, posté {sent_date}.",
        "Alors : chèque numéro {cheque_number}, d'un montant de {amount}, envoyé {sent_date}.",
    ],
    "lifted_tresorerie": [
        "Un échéancier, oui, ça m'arrangerait bien.",
        "En plusieurs fois ? Là, oui, on peut s'entendre.",
    ],
    "instalments_later": [
        "Je pourrais commencer à vous payer {later_start}, quand les choses iront mieux ?",
        "L'idéal pour moi, ce serait de démarrer {later_start}.",
    ],
    "instalments_accept": [
        "D'accord. Je peux vous verser {first_amount} {first_date}, puis {rest}.",
        "Bon, entendu : {first_amount} {first_date}, et ensuite {rest}.",
    ],
    "instalments_no_need": [
        "Un échéancier ? Non, ce n'est pas la peine, je peux régler en une fois.",
        "Non, non, pas besoin d'étaler, je vais tout régler.",
    ],
    "first_amount_cap": [
        "Plus que {first_amount} tout de suite, je ne peux pas, honnêtement.",
    ],
    "lifted_litige": [
        "Bon... c'est vrai que j'ai signé sans réserve. Mettons que le reste, on le verra à part.",
        "Euh, oui, effectivement, c'est signé. Bon, d'accord, je ne vais pas bloquer le paiement pour ça.",
    ],
    "complaint": [
        "Ce qui ne va pas ? Eh bien, ce n'est pas ce qu'on attendait, voilà.",
        "Disons qu'on n'est pas satisfaits, globalement.",
    ],
    "lifted_pas_recu": [
        "Ah, d'accord... Renvoyez-la-moi quand même, je la transmets à la compta. Si elle est partie en temps et en heure, je vais la retrouver.",
        "Bon, oui, elle a peut-être fini dans les spams. Renvoyez-la-moi, s'il vous plaît.",
    ],
    "lifted_irritation": [
        "Bon... excusez-moi, je suis un peu sous pression en ce moment. Allez-y, je vous écoute.",
        "Pardon, je me suis un peu emporté. Ce n'est pas contre vous. Qu'est-ce que vous proposez ?",
    ],
    "concede": [
        "Bon, écoutez : je vous règle ça {date}{time}.",
        "D'accord. {date}{time}, c'est réglé, vous avez ma parole.",
        "Allez, je m'en occupe {date}{time}.",
    ],
    "concede_method": [
        "Bon, écoutez : je vous fais {method} {date}{time}.",
        "C'est d'accord : {method} {date}{time}, sans faute.",
        "Allez, je lance {method} {date}{time}.",
    ],
    "concede_cheque": [
        "Je le poste {date}{time}, promis. C'est le chèque numéro {cheque_number}, de {amount}.",
        "Il part {date}{time}. Notez le numéro : {cheque_number}, pour {amount}.",
    ],
    "concede_callback": [
        "Je le vois {date}. Je vous rappelle {date}{time} avec sa réponse, promis.",
        "Bon. Je l'appelle {date} et je vous rappelle {date}{time}, vous aurez une réponse ferme.",
    ],
    "concede_range": [
        "Disons... dans les jours qui viennent, au plus tard {range_end}.",
        "Ce sera fait d'ici {range_end}, je pense.",
    ],
    "accept_date": [
        "{proposed}{time} ? Oui, ça, je peux le faire.",
        "Va pour {proposed}{time}.",
    ],
    "counter_date": [
        "{proposed}, ça va être trop juste. Par contre, {date}{time}, c'est possible.",
        "Non, {proposed} je ne pourrai pas. {date}{time}, en revanche, oui.",
    ],
    "state_method": [
        "Par {method_name}, comme d'habitude.",
        "Je vous ferai {method}.",
        "Ce sera {method}, c'est le plus simple pour moi.",
    ],
    "confirm_amount": [
        "Oui, les {amount}, on est d'accord.",
        "C'est bien {amount}, oui, la totalité.",
    ],
    "correct_amount": [
        "Attendez, la facture fait {amount}, pas {said}.",
        "Non, sur ma facture à moi c'est {amount}.",
    ],
    "recap_ok": [
        "Oui, c'est bien ça.",
        "Exactement, c'est noté de mon côté aussi.",
        "Oui, c'est ce qu'on a dit.",
    ],
    "recap_wrong": [
        "Non, attendez : j'ai dit {commitment}.",
        "Pas tout à fait : c'est {commitment}.",
    ],
    "followup_ok": [
        "Oui, envoyez-moi un mail, ça me servira de pense-bête.",
        "Très bien, je guetterai votre mail.",
        "D'accord, pas de souci.",
    ],
    "callback_ok": [
        "D'accord, vous pouvez me rappeler.",
        "Entendu, je serai joignable.",
    ],
    "already_committed": [
        "Comme je vous l'ai dit : {commitment}.",
        "Je vous l'ai dit : {commitment}.",
    ],
    "empathy_thanks": [
        "Merci, c'est gentil de le prendre comme ça.",
        "C'est appréciable, merci.",
    ],
    "irritated": [
        "Dites donc, on se calme ! Je ne vous permets pas de me parler sur ce ton.",
        "Oh là, pas la peine d'être agressif.",
        "Vous pouvez me parler autrement, s'il vous plaît ?",
    ],
    "threat_reaction": [
        "Des menaces, maintenant ? Vous commencez mal.",
        "Le tribunal ? Pour quelques semaines de retard ? Vous êtes sérieux ?",
    ],
    "threat_late": [
        "Bon, bon, pas la peine d'en arriver là.",
        "Pas besoin de sortir les grands moyens, on va trouver une solution.",
    ],
    "hangup": [
        "Bon, ça suffit. Au revoir !",
        "Je ne vais pas continuer cette conversation sur ce ton. Au revoir.",
    ],
    "goodbye": [
        "Au revoir, bonne journée.",
        "Merci, au revoir.",
    ],
    "goodbye_committed": [
        "Entendu. Au revoir, et bonne journée !",
        "Merci à vous, au revoir.",
    ],
    "vague_accepted": [
        "Merci de votre compréhension ! Je reviens vers vous, promis.",
        "Super, merci. Je vous rappelle dès que possible.",
    ],
    "vague_hangup": [
        "Parfait, merci ! Bon, je vous laisse, j'ai un client. Au revoir !",
        "Merci, c'est gentil. Allez, bonne journée, au revoir !",
    ],
    "close_attempt": [
        "Bon, écoutez, je dois y aller. Je regarde ça et je reviens vers vous.",
        "Bien, c'est noté, je m'en occupe et je vous rappelle.",
    ],
    "prompt": [
        "Qu'est-ce que vous me proposez ?",
        "Et donc, qu'est-ce que vous attendez de moi ?",
    ],
    "prompt_done": [
        "Autre chose ?",
        "C'est tout ce qu'il vous fallait ?",
    ],
    "confused": [
        "Pardon ? Je n'ai pas bien compris.",
        "Excusez-moi, vous pouvez répéter ?",
        "Je ne suis pas sûr de vous suivre.",
    ],
    "stuffed": [
        "Attendez, attendez... vous allez trop vite, je n'ai rien compris.",
        "Une chose à la fois, s'il vous plaît !",
    ],
    "too_long": [
        "Excusez-moi, c'est un peu long... Qu'est-ce que vous attendez de moi, concrètement ?",
    ],
    "silence": [
        "Allô ? Vous êtes toujours là ?",
        "Allô ? Je ne vous entends plus...",
    ],
    "silence_hangup": [
        "Allô ? Bon... ça a dû couper. Tant pis.",
    ],
    "limit": [
        "Écoutez, je suis désolé, j'ai un autre appel. Je dois vous laisser. Au revoir.",
    ],
    "documents_ok": [
        "Oui, oui, il n'y a aucun souci sur la prestation.",
    ],
}
SITUATIONS = frozenset(DEFAULT_REPLIES)

#: Placeholders a reply template may use.
PLACEHOLDERS = frozenset({
    "name", "company", "caller", "caller_company", "invoice", "amount", "due", "issued",
    "description", "date", "time", "method", "method_name", "cheque_number", "sent_date",
    "first_amount", "first_date", "rest", "later_start", "proposed", "said", "commitment",
    "range_end",
})

_SENTENCE_START = lazy_re.compile(r"(^|[.!?] )([a-zàâäéèêëîïôöùûüç])")


# --------------------------------------------------------------------------- speaking

def _date(iso) -> _dt.date | None:
    if iso is None:
        return None
    if isinstance(iso, _dt.date):
        return iso
    return _dt.date.fromisoformat(iso)


def spoken_date(iso, today) -> str:
    """'jeudi 26 novembre', 'demain, mardi 24 novembre' or "aujourd'hui"."""
    day = _date(iso)
    if day is None:
        return ""
    today = _date(today)
    if today is not None:
        if day == today:
            return "aujourd'hui"
        if day == today + _dt.timedelta(days=1):
            return "demain, " + format_date_fr(day)
    return format_date_fr(day)


def spoken_time(hhmm) -> str:
    """' à midi', ' à 14 h 30', or '' (leading space so that templates read well)."""
    if not hhmm:
        return ""
    hours, minutes = (int(p) for p in hhmm.split(":"))
    if hours == 12 and minutes == 0:
        return " à midi"
    if hours == 0 and minutes == 0:
        return " à minuit"
    return f" à {hours} h" + (f" {minutes:02d}" if minutes else "")


def spoken_amount(value) -> str:
    """1250.0 -> '1 250 euros'; 1250.5 -> '1 250,50 euros'."""
    if value is None:
        return ""
    cents = round(float(value) * 100)
    euros, rest = divmod(cents, 100)
    text = f"{euros:,}".replace(",", " ")
    if rest:
        text += f",{rest:02d}"
    return text + (" euro" if euros == 1 and not rest else " euros")


def method_phrase(method) -> str:
    return METHOD_PHRASES.get(method, "un règlement")


def add_months(day: _dt.date, months: int) -> _dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return _dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


# --------------------------------------------------------------------------- the debtor

def empty_commitment() -> dict:
    return {"action": None, "amount": None, "date": None, "time": None, "precision": None,
            "details": {"cheque_number": None, "instalments": []}}


class Debtor:
    """Hidden state + dialogue policy. `respond(utterance)` returns (text, ended, events)."""

    def __init__(self, scenario: dict, rng: random.Random):
        self.sc = scenario
        self.p = scenario["persona"]
        self.rng = rng
        self.today = _date(scenario["today"])
        self.amount = float(scenario["invoice"]["amount"])
        self.replies = {**DEFAULT_REPLIES, **scenario.get("replies", {})}
        self._last_variant: dict[str, int] = {}

        p = self.p
        self.irritation = float(p["irritation"])
        self.aggressions = 0
        self.pressure = 0            # turns with a precise question / insistence
        self.silences = 0
        self.greeted = False
        self.raised = False          # the learner has said why they call
        self.obstacles = list(p["excuses"])
        self.voiced: set[str] = set()
        self.lifted: set[str] = set()
        self.insist: dict[str, int] = {}
        self.cheque_asks = 0
        self.plan_state = None       # None | "later" | "agreed"
        self.method_known = bool(p.get("volunteers_method"))
        self.method_said = False
        self.amount_confirmed = False
        self.last_vague = False      # the debtor's previous line was a vague promise
        self.last_range = False
        self.commitment = empty_commitment()
        self.committed = False
        self.closing_tries = 0
        self.idle = 0
        self.precise_asked = False   # the learner asked at least one precise question

    # -- helpers -------------------------------------------------------------------------
    def _pick(self, situation: str) -> str:
        variants = self.replies.get(situation) or DEFAULT_REPLIES[situation]
        if len(variants) == 1:
            return variants[0]
        last = self._last_variant.get(situation)
        choices = [i for i in range(len(variants)) if i != last]
        index = self.rng.choice(choices)
        self._last_variant[situation] = index
        return variants[index]

    def _ctx(self, **extra) -> dict:
        sc, p = self.sc, self.p
        c = self.commitment
        promise = p["promise"]
        ctx = {
            "name": p["name"], "company": p["company"],
            "caller": sc["caller"]["name"], "caller_company": sc["caller"]["company"],
            "invoice": sc["invoice"]["number"], "amount": spoken_amount(self.amount),
            "due": spoken_date(sc["invoice"]["due"], None),
            "issued": spoken_date(sc["invoice"]["issued"], None),
            "description": sc["invoice"].get("description") or "",
            "date": spoken_date(c["date"] or promise["date"], self.today),
            "time": spoken_time(c["time"] if c["date"] else promise.get("time")),
            "method": method_phrase(p["method"]), "method_name": METHOD_NAMES[p["method"]],
            "cheque_number": (p.get("cheque") or {}).get("number") or "",
            "sent_date": spoken_date((p.get("cheque") or {}).get("sent_date"), self.today),
            "first_amount": "", "first_date": "", "rest": "",
            "later_start": spoken_date((p.get("instalments") or {}).get("later_start"), self.today),
            "proposed": "", "said": "", "commitment": self.describe_commitment(),
            "range_end": spoken_date(self._range_end(), self.today),
        }
        plan = p.get("instalments")
        if plan:
            schedule = self._schedule()
            ctx["first_amount"] = spoken_amount(schedule[0]["amount"])
            ctx["first_date"] = spoken_date(schedule[0]["date"], self.today)
            ctx["rest"] = self._spoken_rest(schedule)
        ctx.update(extra)
        return ctx

    def _say(self, situation: str, **extra) -> str:
        template = self._pick(situation)
        try:
            text = template.format_map(self._ctx(**extra))
        except (KeyError, ValueError, IndexError):  # validated at load time; belt and braces
            return DEFAULT_REPLIES["confused"][0]
        return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)

    def _schedule(self, first_amount: float | None = None, start=None) -> list[dict]:
        plan = self.p["instalments"]
        first = float(first_amount if first_amount is not None else
                      plan.get("first_amount") or self.p["cash_available"])
        first = max(0.0, min(first, self.amount))
        count = int(plan["count"])
        first_date = _date(start or plan["first_date"])
        rest = round(self.amount - first, 2)
        others = max(count - 1, 1)
        each = round(rest / others, 2)
        schedule = [{"date": first_date.isoformat(), "amount": round(first, 2)}]
        paid = first
        for k in range(1, others + 1):
            value = each if k < others else round(self.amount - paid, 2)
            paid = round(paid + value, 2)
            schedule.append({"date": add_months(first_date, k).isoformat(), "amount": value})
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
            return "je vous recontacte"
        when = spoken_date(c["date"], self.today) + spoken_time(c["time"])
        action = c["action"]
        if action == "rappel":
            return f"je vous rappelle {when}"
        if action == "echeancier":
            inst = c["details"]["instalments"]
            return f"{spoken_amount(inst[0]['amount'])} {when}, puis {self._spoken_rest(inst)}"
        if action in METHODS:
            return f"{method_phrase(action)} {when}"
        return f"un règlement {when}"

    @property
    def current_obstacle(self) -> str | None:
        for ob in self.obstacles:
            if ob not in self.lifted:
                return ob
        return None

    def _set_commitment(self, **fields) -> None:
        c = self.commitment
        details = fields.pop("details", None)
        c.update(fields)
        if details:
            c["details"].update(details)

    # -- the policy ------------------------------------------------------------------------
    def opening(self) -> str:
        return self._say("opening")

    def respond(self, u: Utterance) -> tuple[str, bool, set]:
        """React to one learner line: (reply text, call ended by the debtor, events)."""
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
        aggressive = "insult" in acts or u.shouting
        if aggressive:
            self.aggressions += 1
            self.irritation += 0.35 if "insult" in acts else 0.25
            events.add("aggression")
        threat = "threat" in acts
        if threat:
            premature = not self.precise_asked or self.pressure < 2 or not self.voiced
            events.add("threat_premature" if premature else "threat")
            if premature:
                self.aggressions += 1
                self.irritation += 0.3
            else:
                self.irritation += 0.1
        if "threat_soft" in acts:
            events.add("threat_soft")
            self.irritation += 0.05
        if "apology" in acts:
            self.irritation -= 0.2
            self.aggressions = max(0, self.aggressions - 1)
        if "empathy" in acts and not u.stuffed:
            self.irritation -= 0.25 if "irritation" in self.obstacles else 0.15
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
        elif threat:
            parts.append(self._say("threat_reaction" if "threat_premature" in events else "threat_late"))

        # Vague promise accepted?
        proposal = self._proposal(u)
        # "Que s'est-il passé exactement ?" asks for the reason, not for a date.
        reason_only = "ask_reason" in acts and not acts & {"ask_when", "refuse"}
        precise = (bool(acts & {"ask_when", "press", "refuse"}) and not reason_only) or (
            proposal is not None and ("question" in acts or "propose_callback" in acts))
        other_topic = bool(acts & {"ask_how", "ask_amount", "propose_instalments", "refer_documents",
                                   "ask_cheque", "ask_reason", "first_payment_now"})
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
                return " ".join(parts), False, events
            if not p.get("good_faith", True):
                events.add("hung_up_vague")
                parts.append(self._say("vague_hangup"))
                return " ".join(parts), True, events
            parts.append(self._say("vague_accepted"))
            self.last_vague = True
            return " ".join(parts), False, events

        if precise or "threat" in events:   # a lawful, late reminder of the consequences works
            self.pressure += 1
            self.precise_asked = True
            events.add("pressure")

        self.last_vague = self.last_range = False

        # Opening of the call.
        talks_payment = bool(acts & {"invoice", "ask_when", "ask_how", "ask_amount", "ask_reason",
                                     "propose_instalments", "press", "ask_cheque",
                                     "refer_documents", "propose_callback"}) or bool(u.amounts)
        if not self.raised:
            if not talks_payment:
                if acts & {"greeting", "introduce"}:
                    self.greeted = True
                    if goodbye:
                        parts.append(self._say("goodbye"))
                        return " ".join(parts), False, events
                    parts.append(self._say("greet"))
                    return " ".join(parts), False, events
                if goodbye:
                    parts.append(self._say("goodbye"))
                    return " ".join(parts), False, events
                parts.append(self._say("confused" if not acts else "greet"))
                return " ".join(parts), False, events
            self.raised = True
            if "introduce" not in acts and not self.greeted:
                parts.append(self._say("who"))
            self.greeted = True

        if not aggressive or self.irritation < 0.6:
            self._progress(u, parts, events, precise)
        if goodbye:
            parts.append(self._say("goodbye_committed" if self._has_exact() else "goodbye"))
        if not parts:
            parts.append(self._say("confused"))
        return " ".join(parts), False, events

    # -----------------------------------------------------------------------------------
    def _range_end(self) -> _dt.date:
        """The deadline of the debtor's half-answer ("au plus tard mardi"): a few days late."""
        return _date(self.p["promise"]["date"]) + _dt.timedelta(days=4)

    def _proposal(self, u: Utterance) -> dict | None:
        """An exact day the learner puts forward (today or later), if any."""
        d = u.exact_date
        if d is None or not d.get("start"):
            return None
        if _date(d["start"]) < self.today:
            return None
        return d

    def _has_exact(self) -> bool:
        return self.committed and self.commitment["precision"] == "exact"

    def _mark_vague(self, events: set, action: str | None = "rappel") -> None:
        self.last_vague = True
        events.add("vague_answer")
        if not self.committed:
            self._set_commitment(action=action, precision="vague", date=None, time=None)

    def _progress(self, u: Utterance, parts: list, events: set, precise: bool) -> None:
        acts = u.acts
        p = self.p
        # Facts the debtor answers whatever the stage: amount and method (said last).
        tail: list[str] = []
        self._handle_amount(u, tail, events)
        asked_method = "ask_how" in acts or (bool(u.methods) and "question" in acts
                                             and not acts & {"ask_cheque", "recap"})
        if u.methods or asked_method:
            self.method_known = True
        self._progress_main(u, parts, events, precise)
        if asked_method and not self.method_said:
            parts.append(self._say("state_method"))
            self.method_said = True
            events.add("method_stated")
        c = self.commitment
        if self.committed and c["precision"] in ("exact", "range"):
            agreed = self.method_said or p["method"] in u.methods
            if agreed and c["action"] is None:
                self._set_commitment(action=p["method"])
                events.add("method_stated")
            elif agreed and c["action"] in ("echeancier", "rappel") and not c["details"].get("method"):
                c["details"]["method"] = p["method"]
                events.add("method_stated")
        parts.extend(tail)

    def _progress_main(self, u: Utterance, parts: list, events: set, precise: bool) -> None:
        acts = u.acts
        p = self.p

        # Obstacles, in order.
        while True:
            ob = self.current_obstacle
            if ob is None:
                break
            if ob not in self.voiced:
                self.voiced.add(ob)
                self.insist[ob] = 0
                events.add(f"excuse:{ob}")
                if ob == "irritation" and self.irritation < 0.4:
                    self.lifted.add(ob)
                    continue
                parts.append(self._say(f"excuse_{ob}"))
                if ob == "oubli":
                    self.lifted.add(ob)
                    continue
                if ob in _VAGUE_EXCUSES:
                    self._mark_vague(events, "cheque" if ob == "cheque_poste" else "rappel")
                # Usually the learner answers the excuse on the next line; an offer already
                # made in this line ("je vous la renvoie", "un échéancier") counts at once.
                if not (ob in ("pas_recu", "tresorerie") and self._lifts(ob, u, precise)):
                    return
            if self._lifts(ob, u, precise):
                self.lifted.add(ob)
                events.add(f"lifted:{ob}")
                if ob == "tresorerie":
                    self._instalments(u, parts, events, precise, first=True)
                    return
                if ob == "cheque_poste":
                    cheque = p["cheque"]
                    if cheque.get("sent"):
                        parts.append(self._say("cheque_details"))
                        self._set_commitment(
                            action="cheque", amount=self.amount, date=cheque["sent_date"], time=None,
                            precision="exact", details={"cheque_number": cheque["number"]})
                        self.committed = True
                        self.amount_confirmed = True
                        events.update({"commitment", "cheque_details"})
                        return
                    parts.append(self._say("cheque_admit"))
                    events.add("cheque_admitted")
                    self.method_known = True
                    self.commitment["action"] = "cheque"
                    continue
                if ob == "comptable":
                    break
                parts.append(self._say(f"lifted_{ob}"))
                continue
            # Still blocked.
            self.insist[ob] = self.insist.get(ob, 0) + (1 if precise else 0)
            if ob == "cheque_poste" and "ask_cheque" in acts:
                self.cheque_asks += 1
                parts.append(self._say("cheque_stall"))
                self._mark_vague(events, "cheque")
                return
            if ob == "litige" and ("ask_reason" in acts or "open_question" in acts) and not precise:
                parts.append(self._say("complaint"))
                return
            if ob == "comptable":
                break
            if precise or acts & {"ask_how", "ask_amount", "propose_instalments", "invoice"}:
                parts.append(self._say(f"dodge_{ob}"))
                self._mark_vague(events, "cheque" if ob == "cheque_poste" else "rappel")
                return
            if "ask_reason" in acts or "open_question" in acts:
                parts.append(self._say(f"excuse_{ob}"))
                if ob in _VAGUE_EXCUSES:
                    self._mark_vague(events)
                return
            if "empathy" in acts:
                parts.append(self._say("empathy_thanks"))
                return
            if not parts:
                parts.append(self._say("close_attempt" if not p.get("good_faith", True) else f"dodge_{ob}"))
                self._mark_vague(events)
            return

        # Every obstacle lifted: towards the commitment.
        if "tresorerie" in self.obstacles and self.plan_state != "agreed":
            self._instalments(u, parts, events, precise, first=False)
            return
        if not self.committed or self.commitment["precision"] != "exact":
            self._concede(u, parts, events, precise)
            return
        self._after_commitment(u, parts, events, precise)

    def _lifts(self, ob: str, u: Utterance, precise: bool) -> bool:
        acts = u.acts
        if ob == "oubli":
            return True
        if ob == "rappel":
            n = self.insist.get(ob, 0)
            return (n >= 1 and bool(acts & {"press", "refuse"})) or n >= 2
        if ob == "cheque_poste":
            if "ask_cheque" not in acts and not (self.cheque_asks and precise):
                return False
            if self.p["cheque"].get("sent"):
                return True
            return self.cheque_asks >= 1
        if ob == "tresorerie":
            return bool(acts & {"propose_instalments", "first_payment_now"}) or \
                ("ask_amount" in acts and not u.full_amount) or \
                u.fraction is not None or any(a < self.amount - 0.01 for a in u.amounts)
        if ob == "litige":
            return "refer_documents" in acts
        if ob == "comptable":
            return False
        if ob == "pas_recu":
            return bool(acts & {"announce_email", "refer_documents"})
        if ob == "irritation":
            return self.irritation < 0.4
        return True

    def _handle_amount(self, u: Utterance, parts: list, events: set) -> None:
        if self.amount_confirmed or "tresorerie" in self.obstacles and self.plan_state is not None:
            return
        said = [a for a in u.amounts if a >= 1]
        if said:
            if any(abs(a - self.amount) < 0.01 for a in said):
                self.amount_confirmed = True
                events.add("amount_confirmed")
                if "ask_amount" in u.acts:
                    parts.append(self._say("confirm_amount"))
                self._commit_amount()
                return
            if "tresorerie" not in self.obstacles and max(said) > self.amount * 0.2:
                parts.append(self._say("correct_amount", said=spoken_amount(max(said))))
                self.amount_confirmed = True
                events.add("amount_corrected")
                return
        if "ask_amount" in u.acts or (u.full_amount and "tresorerie" not in self.obstacles):
            self.amount_confirmed = True
            events.add("amount_confirmed")
            if "tresorerie" not in self.obstacles:
                parts.append(self._say("confirm_amount"))
        self._commit_amount()

    def _commit_amount(self) -> None:
        if self.amount_confirmed and self.committed and self.commitment["action"] != "echeancier" \
                and self.commitment["precision"] in ("exact", "range"):
            self.commitment["amount"] = self.amount

    def _instalments(self, u: Utterance, parts: list, events: set, precise: bool,
                     first: bool) -> None:
        acts = u.acts
        proposal = self._proposal(u)
        wants_now = "first_payment_now" in acts or (
            proposal is not None and _date(proposal["start"]) <= self.today + _dt.timedelta(days=3))
        if first and wants_now:
            parts.append(self._say("lifted_tresorerie"))
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
            cash = float(self.p["cash_available"])
            if proposed_first is not None and proposed_first > cash + 0.01:
                parts.append(self._say("first_amount_cap", first_amount=spoken_amount(cash)))
                proposed_first = None
            schedule = self._schedule(proposed_first)
            self.plan_state = "agreed"
            self.committed = True
            self.amount_confirmed = True
            first_day = schedule[0]["date"]
            self._set_commitment(action="echeancier", amount=self.amount, date=first_day, time=None,
                                 precision="exact", details={
                                     "instalments": schedule,
                                     "method": self.p["method"] if self.method_known else None})
            events.update({"commitment", "first_payment_now", "amount_confirmed"})
            parts.append(self._say("instalments_accept",
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
                later = self.p["instalments"]["later_start"]
                schedule = self._schedule(start=later)
                self.plan_state = "agreed"
                self.committed = True
                self._set_commitment(action="echeancier", amount=self.amount, date=later, time=None,
                                     precision="exact", details={
                                         "instalments": schedule,
                                         "method": self.p["method"] if self.method_known else None})
                events.update({"commitment", "first_payment_late"})
                if "goodbye" not in acts:
                    parts.append(self._say("recap_ok"))
                return
            parts.append(self._say("instalments_later"))
            events.add("late_plan_offered")

    def _concede(self, u: Utterance, parts: list, events: set, precise: bool) -> None:
        acts = u.acts
        p = self.p
        n_needed = int(p.get("questions_before_answer", 1))
        callback = "comptable" in self.obstacles
        topical = precise or bool(acts & {"ask_how", "propose_callback", "announce_call",
                                         "refer_documents", "ask_amount", "ask_reason",
                                         "open_question", "invoice"}) or bool(u.methods)
        if not topical and not (acts & {"empathy", "listening"}):
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
        ready = self.pressure >= n_needed
        if not ready:
            if (self.pressure == n_needed - 1 and n_needed >= 2 and not callback
                    and (precise or "ask_how" in acts)):
                end = self._range_end()
                parts.append(self._say("concede_range"))
                self._set_commitment(action=p["method"] if self.method_known else None,
                                     precision="range", date=end.isoformat(), time=None,
                                     details={"date_range": [self.today.isoformat(), end.isoformat()]})
                self.committed = True
                self.last_range = True
                events.add("range_answer")
                return
            if precise or "ask_how" in acts or "propose_callback" in acts:
                parts.append(self._say("dodge_comptable" if callback else "dodge"))
                self._mark_vague(events)
                return
            if acts & {"empathy"} and not parts:
                parts.append(self._say("empathy_thanks"))
                return
            if not parts:
                parts.append(self._say("prompt"))
            return
        if not (precise or acts & {"ask_how", "propose_callback", "announce_call"}):
            if not parts:
                parts.append(self._say("prompt" if p.get("good_faith", True) else "close_attempt"))
                if not p.get("good_faith", True):
                    self._mark_vague(events)
            return

        # Concrete answer.
        promise = p["callback"] if callback else p["promise"]
        date, time = promise["date"], promise.get("time")
        earliest = _date(p.get("earliest_date") or promise["date"])
        proposed = self._proposal(u)
        situation = None
        extra = {}
        if proposed is not None:
            day = _date(proposed["start"])
            if day >= self.today and day >= earliest and day <= self.today + _dt.timedelta(days=45):
                date, time = day.isoformat(), proposed.get("time") or (time if day == _date(date) else None)
                situation = "accept_date"
                extra["proposed"] = spoken_date(day, self.today)
            elif day >= self.today:
                situation = "counter_date"
                extra["proposed"] = spoken_date(day, self.today)
        if callback:
            action = "rappel"
        elif self.commitment.get("action") == "cheque" or (p["method"] == "cheque" and self.method_known):
            action = "cheque"
        else:
            action = p["method"] if self.method_known else None
        details = {"date_range": None}
        if callback and self.method_known:
            details["method"] = p["method"]
        if action == "cheque":
            details["cheque_number"] = (p.get("cheque") or {}).get("number")
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
        else:
            if situation == "counter_date":
                parts.append(self._say("counter_date", **extra))
            elif callback:
                parts.append(self._say("concede_callback", **extra))
            elif action == "cheque" and (p.get("cheque") or {}).get("number"):
                parts.append(self._say("concede_cheque", **extra))
                events.add("cheque_details")
            elif action in METHODS:
                parts.append(self._say("concede_method", **extra))
            else:
                parts.append(self._say("concede", **extra))
        if action in METHODS:
            self.method_said = True

    def _after_commitment(self, u: Utterance, parts: list, events: set, precise: bool) -> None:
        acts = u.acts
        c = self.commitment
        # A question about the method is answered at the end of the reply (see _progress).
        said_something = ("ask_how" in acts or bool(u.methods and "question" in acts
                                                    and not acts & {"ask_cheque", "recap"})) \
            and not self.method_said
        if "ask_cheque" in acts and c["action"] == "cheque":
            parts.append(self._say("cheque_details" if self.p["cheque"].get("sent") else "concede_cheque"))
            events.add("cheque_details")
            said_something = True
        recap = self._check_recap(u)
        if recap == "ok":
            events.add("recap_ok")
            parts.append(self._say("recap_ok"))
            said_something = True
        elif recap == "wrong":
            events.add("recap_wrong")
            parts.append(self._say("recap_wrong"))
            said_something = True
        elif recap == "partial":
            events.add("recap_partial")
            parts.append(self._say("recap_ok"))
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
                      if d.get("precision") == "exact" and not d.get("follow_up")}
        if u.exact_date and not u.clause_dates:
            exact_days.add(u.exact_date["start"])
        if not exact_days and "recap" not in acts:
            return None
        action = c["action"]
        if action in METHODS:
            mentions_action = action in u.methods
            wrong_action = bool(u.methods) and action not in u.methods
        elif action == "echeancier":
            mentions_action = bool(acts & {"propose_instalments"}) or bool(u.amounts) or bool(u.methods)
            wrong_action = False
        elif action == "rappel":
            mentions_action = "rappel" in u.norm or bool(acts & {"propose_callback", "announce_call"})
            wrong_action = False
        else:
            mentions_action = bool(u.methods) or "regl" in u.norm or "pai" in u.norm or "pay" in u.norm
            wrong_action = False
        mentions_date = c["date"] in exact_days
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
