"""The learner's moves: the vocabulary authors use to say what a line does.

`understand.analyse` reads a line into speech acts and entities; this module turns them into
*moves*, the names that objections, replies, hints and criteria are written with:

- the speech acts themselves (`ask_when`, `cite_law`, `waive`, `empathy`, …);
- moves computed from several clues (`insist`: asking for a date or refusing a vague one);
- the entities as moves (`propose_date`, `partial_amount`, `names_method`, …);
- the scenario's own moves, declared with French trigger phrases (`CustomMove`).

`MOVES` documents every built-in move with examples; a unit test checks that each example is
recognised as its move, and the authors' guide lists them all.
"""

from __future__ import annotations

import datetime as _dt
import re

from . import lazy_re
from .understand import Utterance, negated, normalise

__all__ = ["MOVES", "BUILT_IN", "CustomMove", "line_moves", "proposal", "is_insisting"]

#: Every built-in move: (what it means, in French, for authors; lines that make it).
MOVES: dict[str, tuple[str, tuple[str, ...]]] = {
    "greeting": ("saluer", ("Bonjour Monsieur Petit.", "Bonsoir !")),
    "introduce": ("se présenter (son nom, son entreprise)",
                  ("Claire Moreau, de l'Atelier Moreau.", "Je suis Paul, votre graphiste.")),
    "invoice": ("parler de la facture, de l'impayé",
                ("Je vous appelle au sujet de la facture F-2026-117.", "C'est pour un règlement en retard.")),
    "purpose": ("dire l'objet de l'appel en termes neutres (à un tiers)",
                ("C'est au sujet d'un dossier en cours avec lui.", "C'est une question administrative.")),
    "ask_when": ("demander quand", ("Quand pouvez-vous régler ?", "Pour quand puis-je compter sur le virement ?")),
    "ask_how": ("demander le moyen de paiement", ("Par quel moyen allez-vous régler ?",
                                                 "Comment comptez-vous payer ?")),
    "ask_amount": ("parler du montant", ("Combien pouvez-vous verser ?", "Vous réglez la totalité ?")),
    "press": ("insister, demander du précis", ("Il me faut une date précise.", "Quel jour exactement ?")),
    "insist": ("insister pour une date : demander quand, presser, refuser le flou, ou proposer un jour "
               "en posant la question", ("Quand ?", "Il me faut une date précise.",
                                        "Pouvez-vous payer jeudi ?", "Quelques jours, ce n'est pas suffisant.")),
    "refuse": ("refuser une réponse floue", ("Non, ce n'est pas suffisant.", "Je ne peux pas me contenter de ça.")),
    "propose_date": ("proposer un jour précis (aujourd'hui ou plus tard)",
                     ("Jeudi, c'est possible ?", "Je vous propose le 27 novembre.")),
    "vague_date": ("parler d'une date floue ou d'une période",
                   ("Dans les prochains jours ?", "D'ici la fin du mois, alors.")),
    "propose_instalments": ("proposer un échéancier", ("Et si on étalait en trois fois ?",
                                                      "Je vous propose un échéancier.")),
    "first_payment_now": ("demander un premier versement tout de suite",
                          ("Un premier versement dès cette semaine ?", "Une partie tout de suite ?")),
    "names_amount": ("dire un montant", ("Les 1 250 euros.", "Vous me versez 400 € ?")),
    "full_amount": ("parler de la totalité", ("La totalité de la facture.", "Le montant total, en une fois.")),
    "partial_amount": ("proposer une partie de la somme", ("La moitié maintenant ?", "Vous pouvez verser 300 € ?")),
    "names_method": ("nommer un moyen de paiement", ("Par virement ?", "Un chèque, alors.")),
    "ask_cheque": ("demander les détails du chèque", ("Quel est le numéro du chèque ?",
                                                     "Quand l'avez-vous posté ?")),
    "propose_callback": ("demander au client de rappeler, ou parler de sa réponse",
                         ("Pouvez-vous me rappeler avec sa réponse ?", "Quand voyez-vous votre comptable ?")),
    "ask_transfer": ("demander à parler à quelqu'un, à être mis en relation",
                     ("Pourriez-vous me le passer ?", "Je voudrais parler à Monsieur Duroc.")),
    "ask_address": ("demander où envoyer (adresse, service, coordonnées)", ("À quelle adresse je vous la renvoie ?",
                                                                          "À qui dois-je l'adresser ?")),
    "ask_satisfaction": ("demander si le travail donne satisfaction", ("La nouvelle chaudière fonctionne bien ?",
                                                                     "L'enseigne vous donne satisfaction ?")),
    "ask_decider": ("demander qui décide du paiement", ("C'est vous qui validez les paiements ?",
                                                        "Qui s'occupe des virements chez vous ?")),
    "ask_name": ("demander son nom à la personne", ("Puis-je vous demander votre nom ?",
                                                    "À qui ai-je l'honneur ?")),
    "leave_message": ("laisser un message à un tiers", ("Dites-lui que je rappelle demain.",
                                                        "Pouvez-vous lui transmettre mon numéro ?")),
    "ask_reason": ("demander ce qui se passe", ("Que se passe-t-il ?", "Qu'est-ce qui vous bloque ?")),
    "question": ("poser une question", ("Vous l'avez reçue ?",)),
    "open_question": ("poser une question ouverte", ("Comment voyez-vous les choses ?",)),
    "closed_question": ("poser une question fermée (oui ou non)", ("Vous l'avez reçue ?",)),
    "listening": ("montrer qu'on écoute, reformuler", ("Si je comprends bien, vous attendez votre client.",
                                                      "Autrement dit, c'est une question de trésorerie.")),
    "empathy": ("montrer de l'empathie", ("Je comprends.", "Ça arrive à tout le monde.")),
    "apology": ("s'excuser", ("Toutes mes excuses pour ce malentendu.",)),
    "apology_call": ("s'excuser d'appeler ou de déranger", ("Excusez-moi de vous déranger.",
                                                           "Encore désolé pour le dérangement.")),
    "wait_on_line": ("laisser le client vérifier, en restant en ligne", ("Pas de souci, allez voir, j'attends.",
                                                                        "Je patiente, regardez tranquillement.")),
    "smalltalk": ("prendre des nouvelles", ("Comment allez-vous ?", "Vous allez bien ?")),
    "thanks": ("remercier", ("Merci beaucoup.",)),
    "agree": ("dire oui, être d'accord", ("D'accord.", "Très bien, ça me va.")),
    "accept_vague": ("accepter le flou", ("Prenez votre temps.", "Tenez-moi au courant.")),
    "refer_documents": ("s'appuyer sur un document signé",
                        ("Vous avez signé le bon de livraison.", "C'est dans nos conditions générales.")),
    "cite_law": ("citer la loi", ("C'est l'article L441-10 du Code de commerce.", "C'est prévu par la loi.")),
    "waive": ("renoncer à quelque chose, faire un geste", ("Je renonce aux pénalités.",
                                                          "Je veux bien laisser tomber les frais.")),
    "recap": ("récapituler", ("Si je récapitule : un virement jeudi.", "Donc vous me faites un virement.")),
    "announce_email": ("annoncer un écrit (courriel de confirmation, facture renvoyée)",
                       ("Je vous envoie un mail récapitulatif.", "Je vous la renvoie tout de suite.")),
    "announce_call": ("annoncer un rappel de sa part", ("Je vous rappelle jeudi.",
                                                       "Je vous passerai un coup de fil lundi.")),
    "threat": ("menacer de suites judiciaires", ("Sinon, je passe par un avocat.",
                                                "Je vais saisir le tribunal.")),
    "threat_soft": ("évoquer l'escalade sans menacer", ("Je n'ai pas envie d'aller au tribunal.",)),
    "insult": ("insulter", ("Vous êtes un escroc.", "Bougez-vous !")),
    "contempt": ("mépriser, accuser", ("Vous êtes vraiment de mauvaise foi.", "Vous vous moquez du monde.",
                                       "C'est toujours la même excuse avec vous.")),
    "contradict": ("contredire de front", ("Ce n'est pas du harcèlement, c'est une facture impayée.",
                                          "Vous exagérez.")),
    "reproach": ("faire un reproche au lieu d'énoncer les faits", ("C'est vous qui ne payez pas vos factures.",
                                                                   "Et pas d'oubli cette fois !")),
    "shouting": ("crier (majuscules, « !!! »)", ("VOUS ALLEZ PAYER OUI OU NON",)),
    "goodbye": ("prendre congé", ("Au revoir.", "Bonne journée !")),
}
BUILT_IN = frozenset(MOVES)


def proposal(u: Utterance, today) -> dict | None:
    """An exact day the learner puts forward (today or later), if any."""
    d = u.proposed_date
    if d is None or not d.get("start") or today is None:
        return None
    if _dt.date.fromisoformat(d["start"]) < today:
        return None
    return d


def is_insisting(u: Utterance, today) -> bool:
    """Asking for a date, pressing or refusing a vague answer, or offering a day as a question.

    "Que s'est-il passé exactement ?" asks for the reason, not for a date.
    """
    acts = u.acts
    reason_only = "ask_reason" in acts and not acts & {"ask_when", "refuse"}
    if acts & {"ask_when", "press", "refuse"} and not reason_only:
        return True
    # "Jeudi, c'est possible ?", "ok vendredi" (a day taken up): a day put forward.
    return proposal(u, today) is not None and bool(acts & {"question", "propose_callback", "recap", "agree"})


def line_moves(u: Utterance, today, amount_due: float | None, custom=()) -> set:
    """Every move of one learner line: acts, computed moves, entities, the scenario's moves."""
    moves = set(u.acts)
    if is_insisting(u, today):
        moves.add("insist")
    if proposal(u, today) is not None:
        moves.add("propose_date")
    if u.date and u.date.get("precision") in ("vague", "range"):
        moves.add("vague_date")
    amounts = [a for a in u.amounts if a >= 1]
    if amounts:
        moves.add("names_amount")
    if u.full_amount or (amount_due and any(abs(a - amount_due) < 0.01 for a in amounts)):
        moves.add("full_amount")
    if u.fraction is not None or (amount_due and any(a < amount_due - 0.01 for a in amounts)):
        moves.add("partial_amount")
    if u.methods:
        moves.add("names_method")
    for move in custom:
        if move.matches(u.norm):
            moves.add(move.id)
    return moves


# --------------------------------------------------------------------------- authors' moves

_TOKEN = lazy_re.compile(r"\.\.\.|[a-z0-9]+(?:'[a-z0-9]+)*'?")
_SEP = r"[^\w.!?]+"
_GAP = r"(?:[^\w.!?]+[\w']+){0,4}[^\w.!?]+"


def trigger_pattern(trigger: str) -> str | None:
    """The regular expression of one trigger phrase, or None if nothing is left to match.

    The phrase is normalised like the learner's lines (case, accents, the typos the engine
    fixes); each word also matches its plural; "…" stands for up to four words.
    """
    tokens = _TOKEN.findall(normalise(trigger.replace("…", " ... ")))
    parts: list[str] = []
    pending_gap = False
    for token in tokens:
        if token == "...":
            pending_gap = bool(parts)
            continue
        word = re.escape(token)
        if token.isalpha() and len(token) >= 4 and token[-1] in "sx":
            word = re.escape(token[:-1]) + "(?:s|x)?"
        elif token.isalpha() and len(token) >= 3:
            word += "(?:s|x)?"
        if parts:
            parts.append(_GAP if pending_gap else _SEP)
        parts.append(word)
        pending_gap = False
    if not parts:
        return None
    return r"(?<![\w])" + "".join(parts) + r"(?![\w'])"


class CustomMove:
    """A move declared by a scenario: its id, its trigger phrases, what it sets."""

    __slots__ = ("id", "label", "triggers", "negatable", "set", "_patterns")

    def __init__(self, ident: str, triggers, label: str = "", negatable: bool = True, sets=None):
        self.id = ident
        self.label = label
        self.triggers = list(triggers)
        self.negatable = negatable
        self.set = dict(sets or {})
        self._patterns = None

    def patterns(self):
        if self._patterns is None:
            self._patterns = [re.compile(p) for p in map(trigger_pattern, self.triggers) if p]
        return self._patterns

    def matches(self, norm: str) -> bool:
        for pattern in self.patterns():
            for m in pattern.finditer(norm):
                if self.negatable and negated(norm, m.start()):
                    continue
                return True
        return False


def custom_moves(scenario: dict) -> list[CustomMove]:
    """The moves declared by the scenario and by its objections, ready to match (validated by
    simulator.scenario); a scenario's own definition wins over an objection's."""
    specs: dict = {}
    for speaker in (scenario.get("gatekeeper"), scenario.get("persona")):
        for objection in (speaker or {}).get("objections", []):
            specs.update(objection.get("moves") or {})
    specs.update(scenario.get("moves") or {})
    return [CustomMove(ident, spec["triggers"], spec.get("label", ""), spec.get("negatable", True),
                       spec.get("set")) for ident, spec in specs.items()]
