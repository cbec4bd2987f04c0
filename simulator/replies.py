"""What the people on the line say when the author wrote nothing else, and how facts are spoken.

Every reply a speaker may give is a *situation* (`opening`, `dodge`, `concede`, …). Each role
has its own defaults, so that an assistant never says a debtor's line:

- `DEBTOR_REPLIES`: the person who owes the money;
- `GATEKEEPER_REPLIES`: an assistant or a switchboard who answers first and screens the call.

Authors replace any situation with their own variants (`replies:` in a scenario, per speaker).
What an objection makes the debtor say lives with the objection (exercises/objections/*.yml),
not here. Placeholders in braces are filled with the call's facts (`PLACEHOLDERS`), plus the
scenario's own state variables.
"""

from __future__ import annotations

import datetime as _dt

from . import lazy_re
from .dates import as_date, format_date_fr
from .understand import METHODS

__all__ = ["DEBTOR_REPLIES", "GATEKEEPER_REPLIES", "ROLE_REPLIES", "SITUATIONS", "PLACEHOLDERS",
           "FACT_PLACEHOLDERS",
           "ACTIONS", "METHOD_PHRASES", "METHOD_NAMES", "spoken_date", "spoken_time",
           "spoken_amount", "spoken_number", "method_phrase", "add_months", "capitalise", "typeset"]

#: What a promise can be: a payment by one of the methods, an instalment plan, a call-back.
ACTIONS = METHODS + ("echeancier", "rappel")

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

DEBTOR_REPLIES: dict[str, list[str]] = {
    "smalltalk": [
        "Bien, merci. Et vous ?",
        "Ça va, ça va, on ne se plaint pas. Et vous-même ?",
    ],
    "checking": [
        "Attendez, je regarde…",
        "Un instant, je vérifie…",
    ],
    "reason": [
        "Disons que ça a pris du retard de mon côté, je le reconnais.",
        "Rien de grave, c'est juste passé entre les mailles du filet.",
    ],
    "accept_method": [
        "{method_name} plutôt ? Oui, ça me va aussi.",
        "Si vous préférez {method}, d'accord.",
    ],
    "fed_up": [
        "Écoutez, on tourne en rond. Envoyez-moi un mail, je verrai. Au revoir.",
        "Bon, je n'ai pas le temps pour ça. Je vous laisse. Au revoir.",
    ],
    "fed_up_soft": [
        "Écoutez, on tourne un peu en rond. Qu'est-ce que vous me proposez, concrètement ?",
        "Je crois qu'on ne se comprend pas. Dites-moi ce que vous attendez de moi, précisément.",
    ],
    "opening": [
        "Allô ? {name}, j'écoute.",
        "Oui, allô ? {company}, {name} à l'appareil.",
        "Allô, oui ? C'est {name}.",
    ],
    "transfer_opening": [
        "Oui, allô ? {name} à l'appareil. On me dit que vous appelez au sujet d'une facture ?",
        "{name}, bonjour. Je vous écoute, j'ai deux minutes.",
    ],
    "ask_purpose": [
        "Oui… mais c'est à quel sujet, au juste ?",
        "Pardon, mais vous m'appelez pour quoi, exactement ?",
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
    "dodge": [
        "Je vais faire au plus vite, promis.",
        "Dans les prochains jours, sans faute.",
        "Très vite, ne vous inquiétez pas.",
    ],
    "cheque_details": [
        "Attendez, je regarde le talon... C'est le chèque numéro {cheque_number}, de {amount}, posté {sent_date}.",
        "Alors : chèque numéro {cheque_number}, d'un montant de {amount}, envoyé {sent_date}.",
    ],
    "instalments_later": [
        "Je pourrais commencer à vous payer {later_start}, quand les choses iront mieux ?",
        "L'idéal pour moi, ce serait de démarrer {later_start}.",
    ],
    "address": [
        "À la comptabilité, à l'adresse habituelle.",
        "À la comptabilité : vous avez l'adresse sur nos courriers.",
    ],
    "message_taken": [
        "Entendu, je le note.",
    ],
    "satisfaction": [
        "Oui, très bien, merci. Rien à redire de ce côté-là.",
        "Oui, oui, ça va très bien, merci.",
    ],
    "decider": [
        "Oui, c'est moi qui valide les paiements.",
    ],
    "side_question": [
        "Ça, il faudra que je regarde. Je vous redirai.",
        "Je ne sais plus, je vérifierai.",
    ],
    "name": [
        "{name}, oui.",
        "C'est {name}, oui.",
    ],
    "plan_accepted": [
        "Votre échéancier me va : {first_amount} {first_date}, puis {rest}.",
        "D'accord, faisons comme ça : {first_amount} {first_date}, puis {rest}.",
    ],
    "plan_shifted": [
        "{proposed}, je ne pourrai pas. Mais {first_amount} {first_date}, puis {rest}, ça, je peux.",
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
        "Non, {proposed}, je ne pourrai pas. {date}{time}, en revanche, oui.",
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
    "recap_complete": [
        "Oui : {commitment}.",
        "C'est ça : {commitment}.",
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
        "Oh là, pas la peine de le prendre sur ce ton.",
        "Vous pouvez me parler autrement, s'il vous plaît ?",
    ],
    "reproached": [
        "Oh, ça va, pas la peine de me faire la leçon.",
        "Je sais très bien que je vous dois cette facture, merci.",
    ],
    "threat_reaction": [
        "Des menaces, maintenant ? Vous commencez mal.",
        "Carrément ? Pour un simple retard ? Vous êtes sérieux ?",
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
        "Pardon, je ne vous suis pas bien.",
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
}

GATEKEEPER_REPLIES: dict[str, list[str]] = {
    "smalltalk": [
        "Très bien, merci. Que puis-je pour vous ?",
    ],
    "checking": [
        "Un instant, je regarde son agenda…",
    ],
    "reason": [
        "Je ne suis pas au courant des règlements, il faudra voir avec {debtor}.",
    ],
    "accept_method": [
        "Je noterai que vous préférez {method}, mais ce sera à {debtor} de voir.",
    ],
    "fed_up": [
        "Je suis désolée, je ne peux rien faire de plus. Je lui transmets votre message. Au revoir.",
    ],
    "fed_up_soft": [
        "Je vous l'ai dit, je ne peux pas faire plus : voulez-vous qu'il vous rappelle à un moment précis ?",
    ],
    "opening": [
        "{company}, bonjour ! {name} à l'appareil.",
        "{company}, {name}, bonjour, que puis-je pour vous ?",
    ],
    "transfer_opening": [
        "{company}, {name} à l'appareil.",
    ],
    "ask_purpose": [
        "Je ne peux pas le déranger sans savoir à quel sujet, vous comprenez.",
        "Il me faut au moins l'objet de votre appel pour le lui transmettre.",
    ],
    "greet": [
        "Bonjour. C'est à quel sujet ?",
        "Oui, bonjour. C'est pour quoi, s'il vous plaît ?",
    ],
    "who": [
        "Pardon, c'est de la part de qui ? Ah, {caller_company}… Très bien.",
        "Vous êtes de quelle société ? {caller_company}, d'accord.",
    ],
    "dodge": [
        "Je ne peux pas vous en dire plus. Je lui transmettrai votre message.",
        "Il est très pris aujourd'hui. Je lui dirai que vous avez appelé.",
    ],
    "concede": [
        "Les règlements, ce n'est pas moi qui m'en occupe. Mais je peux noter qu'il vous rappelle {date}{time}.",
    ],
    "concede_method": [
        "Les règlements, ce n'est pas moi qui m'en occupe. Mais je peux noter qu'il vous rappelle {date}{time}.",
    ],
    "concede_cheque": [
        "Je n'ai pas accès aux règlements. En revanche, {debtor} peut vous rappeler {date}{time}.",
    ],
    "concede_callback": [
        "Je regarde son agenda… {debtor} peut vous rappeler {date}{time}. Je le lui note.",
        "Je vous réserve un créneau : {debtor} vous rappelle {date}{time}. C'est noté dans son agenda.",
    ],
    "concede_range": [
        "Il devrait pouvoir vous rappeler d'ici {range_end}, je pense.",
    ],
    "accept_date": [
        "{proposed}{time} ? Je regarde… Oui, c'est libre. Je le lui note.",
        "Va pour {proposed}{time}, je l'inscris dans son agenda.",
    ],
    "counter_date": [
        "{proposed}, son agenda est complet. En revanche, {date}{time}, {debtor} a un créneau.",
    ],
    "state_method": [
        "Pour le mode de règlement, il faudra voir avec {debtor} : je n'ai pas cette information.",
    ],
    "confirm_amount": [
        "Je n'ai pas le détail des factures, mais je lui transmettrai le montant.",
    ],
    "correct_amount": [
        "Je n'ai pas le détail des factures, mais je lui transmettrai le montant.",
    ],
    "cheque_details": [
        "Je n'ai pas accès aux règlements : il faudra voir ça avec {debtor}.",
    ],
    "instalments_later": [
        "Un échéancier, ça, il faudra en parler avec {debtor}.",
    ],
    "satisfaction": [
        "Je crois que oui : je n'ai pas eu d'écho contraire.",
    ],
    "decider": [
        "C'est {debtor} qui valide les paiements.",
    ],
    "side_question": [
        "Ça, je ne saurais pas vous dire, il faudra voir avec {debtor}.",
    ],
    "name": [
        "{name}, l'assistante de {debtor}.",
    ],
    "message_taken": [
        "C'est noté, je lui transmets.",
        "Très bien, je lui fais passer le message.",
    ],
    "address": [
        "Envoyez-la à l'accueil, à mon attention : je la lui remettrai en main propre.",
    ],
    "plan_accepted": [
        "Un échéancier, c'est à voir avec {debtor} : je lui transmets votre proposition.",
    ],
    "plan_shifted": [
        "Un échéancier, c'est à voir avec {debtor} : je lui transmets votre proposition.",
    ],
    "instalments_accept": [
        "Un échéancier, ça, il faudra en parler avec {debtor}.",
    ],
    "instalments_no_need": [
        "Un échéancier, ça, il faudra en parler avec {debtor}.",
    ],
    "first_amount_cap": [
        "Je ne peux pas m'engager sur un montant, je ne suis que son assistante.",
    ],
    "recap_ok": [
        "Oui, c'est bien noté.",
        "C'est ça, c'est inscrit dans son agenda.",
    ],
    "recap_complete": [
        "C'est ça : {commitment}.",
    ],
    "recap_wrong": [
        "Non, attendez : {commitment}.",
    ],
    "followup_ok": [
        "Très bien, je lui ferai suivre votre mail.",
        "D'accord, je le lui transmettrai.",
    ],
    "callback_ok": [
        "D'accord, vous pouvez rappeler.",
    ],
    "already_committed": [
        "Comme je vous l'ai dit : {commitment}.",
    ],
    "empathy_thanks": [
        "Merci, c'est gentil. Les journées sont chargées, ici.",
        "C'est aimable à vous, merci.",
    ],
    "irritated": [
        "Je vous prie de rester correct, s'il vous plaît.",
        "Ce n'est pas la peine de le prendre sur ce ton.",
    ],
    "reproached": [
        "Je ne fais que transmettre, vous savez.",
    ],
    "threat_reaction": [
        "Je transmettrai. Mais ce n'est pas avec des menaces que vous l'aurez plus vite.",
    ],
    "threat_late": [
        "Je lui transmettrai, c'est noté.",
    ],
    "hangup": [
        "Je ne vais pas continuer sur ce ton. Au revoir.",
    ],
    "goodbye": [
        "Au revoir, bonne journée.",
        "Merci, au revoir.",
    ],
    "goodbye_committed": [
        "C'est noté. Au revoir, bonne journée !",
    ],
    "vague_accepted": [
        "Très bien, je lui dirai que vous avez appelé.",
        "Entendu, je lui transmets votre message.",
    ],
    "vague_hangup": [
        "Parfait, je lui transmets. Au revoir !",
    ],
    "close_attempt": [
        "Bon, je lui transmets votre message, il vous rappellera.",
    ],
    "prompt": [
        "Que souhaitez-vous que je lui transmette ?",
        "Je peux prendre un message, si vous voulez.",
    ],
    "prompt_done": [
        "Autre chose ?",
        "Je peux faire autre chose pour vous ?",
    ],
    "confused": [
        "Pardon ? Je n'ai pas bien compris.",
        "Excusez-moi, vous pouvez répéter ?",
    ],
    "stuffed": [
        "Attendez, pas si vite… Vous souhaitez parler à qui, exactement ?",
    ],
    "too_long": [
        "Excusez-moi, c'est un peu long… Qu'est-ce que je lui transmets, concrètement ?",
    ],
    "silence": [
        "Allô ? Vous êtes toujours là ?",
    ],
    "silence_hangup": [
        "Allô ? … Bon, ça a coupé.",
    ],
    "limit": [
        "Excusez-moi, j'ai un autre appel en attente. Je dois vous laisser. Au revoir.",
    ],
}

#: Default replies of each role.
ROLE_REPLIES = {"debtor": DEBTOR_REPLIES, "gatekeeper": GATEKEEPER_REPLIES}
SITUATIONS = frozenset(DEBTOR_REPLIES)

#: Placeholders a reply may use (besides the scenario's own state variables).
PLACEHOLDERS = frozenset({
    "name", "company", "caller", "caller_company", "invoice", "amount", "principal", "due",
    "issued", "description", "date", "time", "method", "method_name", "cheque_number",
    "sent_date", "first_amount", "first_date", "rest", "later_start", "proposed", "said",
    "commitment", "range_end", "debtor",
})

#: Placeholders of the texts shown in the debrief and the hints (criteria explanations,
#: better phrases, hints, agreed terms): the call's facts, seen from the learner's side.
FACT_PLACEHOLDERS = frozenset({
    "what", "when", "date", "amount", "amount_due", "principal", "method", "method_name", "promise",
    "invoice", "caller", "caller_company", "debtor", "due", "turn", "why",
})

_SENTENCE_START = lazy_re.compile(r"(^|[.!?…] )([a-zàâäéèêëîïôöùûüç])")


_APOSTROPHE = lazy_re.compile(r"(?<=[A-Za-zÀ-ÿ])'(?=[A-Za-zÀ-ÿ])")
_SPACE_BEFORE = lazy_re.compile(r"(?<=\S) ([;:!?»])")
_SPACE_AFTER = lazy_re.compile(r"« ")


def typeset(text: str) -> str:
    """French typography for what the learner reads (replies, debrief, e-mail): the curly
    apostrophe, and non-breaking spaces before « ; : ! ? » and inside « ». Texts already
    typeset (the course's YAML) are left as they are."""
    if "'" in text:
        text = _APOSTROPHE.sub("’", text)
    if " " in text:
        text = _SPACE_AFTER.sub("«\u00a0", _SPACE_BEFORE.sub("\u00a0\\1", text))
    return text


def capitalise(text: str) -> str:
    """Upper-case the first letter of each sentence ("demain, jeudi…" at the start of a reply)."""
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def spoken_date(iso, today) -> str:
    """'jeudi 26 novembre', 'demain, mardi 24 novembre' or "aujourd'hui"."""
    day = as_date(iso)
    if day is None:
        return ""
    today = as_date(today)
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


def spoken_number(value) -> str:
    """1250 -> '1 250'; 48.77 -> '48,77'; 40.5 -> '40,50' (French digits, as said)."""
    cents = round(float(value) * 100)
    units, rest = divmod(abs(cents), 100)
    text = f"{units:,}".replace(",", " ")
    if rest:
        text += f",{rest:02d}"
    return ("-" if cents < 0 else "") + text


def spoken_amount(value) -> str:
    """1250.0 -> '1 250 euros'; 1250.5 -> '1 250,50 euros'."""
    if value is None:
        return ""
    cents = round(float(value) * 100)
    return spoken_number(value) + (" euro" if cents == 100 else " euros")


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
