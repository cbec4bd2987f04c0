"""The debrief: criteria, per-turn notes, score, captured promise and recap e-mail.

Each criterion is earned at the right moment, from what actually happened in the
call (the debtor's structured promise, not keywords): a recap only counts after
the commitment and if it restates its action and date; a follow-up only counts
once there is something to confirm; a line stuffed with keywords earns nothing.

Criterion dicts: ``{"id", "passed", "explanation", "turn", "link", "module", "weight"}``
where ``turn`` is the learner's line number (1 = first line; in the transcript the
learner's line *n* is entry ``2n - 1``) where the criterion was earned, or for a
failed criterion where it went wrong; ``null`` when no single turn applies.
"""

from __future__ import annotations

import copy

from .persona import METHOD_NAMES, METHOD_PHRASES, spoken_amount, spoken_time
from .dates import format_date_fr
from .scenario import CRITERIA
from .understand import METHODS

__all__ = ["build_debrief", "commitment_view", "next_hint", "MODULE_LINKS", "DEFAULT_WEIGHTS",
           "recap_email"]

#: Course pages linked from the explanations (relative to the simulator page). Fix them here.
MODULE_LINKS = {
    "07": ("../modules/07-relancer/", "Module 7 : Relancer avant et après l'échéance"),
    "08": ("../modules/08-appel-de-relance/", "Module 8 : L'appel de relance"),
    "09": ("../modules/09-apres-appel/", "Module 9 : Après l'appel"),
}
_CRITERION_MODULE = {
    "commitment": "08", "exact_date": "08", "amount": "08", "payment_method": "08",
    "no_vague_accepted": "08", "professional_tone": "08", "questions": "08", "recap": "08",
    "follow_up": "09", "opening": "08", "cheque_details": "08", "first_payment": "08",
    "documents": "09", "callback_time": "08", "deescalation": "08",
}

DEFAULT_WEIGHTS = {
    "commitment": 18, "exact_date": 20, "amount": 7, "payment_method": 8,
    "no_vague_accepted": 12, "professional_tone": 12, "questions": 6, "recap": 7,
    "follow_up": 6, "opening": 4,
    "cheque_details": 8, "first_payment": 10, "documents": 8, "callback_time": 6,
    "deescalation": 8,
}
#: Score ceiling when the debtor hung up because of the learner's tone.
HUNG_UP_CAP = 20

_EXPLAIN = {
    "commitment": (
        "Engagement obtenu : le client a dit clairement ce qu'il allait faire ({what}).",
        "Pas d'engagement clair : le client n'a dit ni ce qu'il ferait ni comment. Ne raccrochez "
        "pas sans une action précise (« je fais un virement », « je poste le chèque »…)."),
    "exact_date": (
        "Date exacte obtenue : {when}.",
        "Pas de date exacte. « Bientôt », « dans quelques jours » ou « d'ici la fin de la semaine » "
        "ne sont pas des dates : demandez « Quel jour exactement ? »."),
    "amount": (
        "Montant confirmé : {amount}.",
        "Le montant n'a pas été confirmé. Rappelez la somme due et faites-la confirmer "
        "(la totalité ou le premier versement)."),
    "payment_method": (
        "Moyen de paiement précisé : {method}.",
        "Le moyen de paiement n'a pas été précisé. Demandez « Par quel moyen allez-vous régler ? »."),
    "no_vague_accepted": (
        "Vous n'avez jamais accepté de réponse floue : bravo, c'est vous qui meniez l'appel.",
        "Vous avez accepté une réponse floue (réplique {turn}). Un débiteur qui « revient vers vous » "
        "rappelle rarement : relancez avec une question précise avant de dire d'accord."),
    "no_vague_accepted_end": (
        "",
        "Vous avez terminé l'appel sans date précise (réplique {turn}). Ne laissez jamais le "
        "client conclure sur une promesse floue : c'est vous qui menez l'appel."),
    "professional_tone": (
        "Ton professionnel et calme du début à la fin.",
        "Le ton a dérapé (réplique {turn}) : {why} La colère met le client sur la défensive ; "
        "restez courtois et ferme."),
    "questions": (
        "Vous avez posé des questions ouvertes et montré que vous écoutiez.",
        "Pas assez de questions ou d'écoute. Posez des questions ouvertes (« Que se passe-t-il ? », "
        "« Quand pouvez-vous régler ? ») et montrez que vous avez entendu la réponse."),
    "recap": (
        "Vous avez récapitulé l'accord (action et date) avant de raccrocher.",
        "Pas de récapitulatif valable. Après l'engagement, reformulez l'action ET la date "
        "(« Donc un virement jeudi 26 novembre, c'est bien ça ? »)."),
    "follow_up": (
        "Vous avez annoncé un suivi (mail récapitulatif ou rappel) après l'engagement.",
        "Aucun suivi annoncé après l'engagement. Dites que vous envoyez un mail récapitulatif "
        "ou que vous rappellerez à une date précise."),
    "opening": (
        "Bonne ouverture : salutation, présentation et facture nommée dès le début.",
        "Ouverture incomplète : saluez, présentez-vous et nommez la facture dès les premières phrases."),
    "cheque_details": (
        "Vous avez obtenu le numéro du chèque, son montant et sa date d'envoi.",
        "« Le chèque est au courrier » : demandez le numéro du chèque, le montant et la date d'envoi."),
    "first_payment": (
        "Échéancier avec un premier versement immédiat ({when}).",
        "Quand la trésorerie est tendue, proposez un échéancier mais exigez un premier versement "
        "tout de suite, pas dans plusieurs semaines."),
    "documents": (
        "Vous vous êtes appuyé sur les documents signés pour séparer le vrai problème de la manœuvre.",
        "Face à un litige de dernière minute, appuyez-vous sur les documents signés "
        "(devis, bon de livraison, procès-verbal de réception)."),
    "callback_time": (
        "Rappel fixé à un jour et une heure précis ({when}).",
        "« Je dois voir avec mon comptable » : obtenez un jour ET une heure précis pour la réponse."),
    "deescalation": (
        "Vous avez calmé un client irrité par l'écoute et l'empathie.",
        "Le client est resté irrité : reconnaissez son agacement avant de parler d'argent."),
}

_NOTES = {
    "accepted_vague": "Réponse floue acceptée : il fallait demander un jour précis.",
    "accepted_range": "Période acceptée sans jour précis : demandez « Quel jour exactement ? ».",
    "aggression": "Ton agressif : le client se braque.",
    "threat_premature": "Menace prématurée : le client se ferme. Gardez l'escalade pour plus tard.",
    "threat": "Mention d'une suite judiciaire : légal, mais à manier avec prudence.",
    "threat_soft": "Allusion à l'escalade : restez factuel.",
    "stuffed": "Trop de choses à la fois : une idée par phrase, sinon le client décroche.",
    "too_long": "Tirade trop longue : au téléphone, faites court.",
    "recap_ok": "Bon récapitulatif : action et date reformulées.",
    "recap_wrong": "Récapitulatif inexact : le client a dû vous corriger.",
    "recap_partial": "Récapitulatif incomplet : reprenez l'action ET la date.",
    "recap_early": "Récapitulatif avant tout engagement : il n'y a encore rien à confirmer.",
    "follow_up": "Suivi annoncé : bonne pratique.",
    "follow_up_early": "Suivi annoncé avant l'engagement : il faudra le confirmer à la fin.",
    "open_question": "Question ouverte : elle fait parler le client.",
    "empathy": "Empathie : le client se sent écouté.",
    "pressure": "Question précise : vous menez l'appel.",
    "documents": "Appui sur les documents signés.",
    "first_payment_late": "Premier versement accepté trop tard : exigez-le tout de suite.",
    "hangup_on_vague": "Le client en a profité pour raccrocher sans s'engager.",
}
_DEBTOR_NOTES = {
    "commitment": "Engagement : {desc}.",
    "vague_answer": "Réponse floue : aucune date utilisable.",
    "range_answer": "Une période (au plus tard {date}), pas encore un jour précis.",
    "hung_up_aggression": "Le client a raccroché, vexé par le ton.",
    "hung_up_vague": "Le client raccroche sans engagement précis.",
    "hung_up_silence": "Le client a raccroché : silence au bout du fil.",
    "cheque_admitted": "Aveu : le chèque n'était pas parti.",
    "cheque_details": "Détails du chèque obtenus.",
    "method_stated": "Moyen de paiement précisé.",
    "limit": "Appel trop long : le client a dû partir.",
}


# ---------------------------------------------------------------------------- helpers

def _date_words(iso, with_year=False) -> str:
    import datetime as _dt

    day = _dt.date.fromisoformat(iso)
    text = format_date_fr(day)
    return f"{text} {day.year}" if with_year else text


def commitment_view(session) -> dict:
    """The commitment in the debrief schema (null fields when nothing was obtained)."""
    d = session.debtor
    c = copy.deepcopy(d.commitment)
    details = c.get("details") or {}
    out = {
        "action": c.get("action"),
        "amount": c.get("amount"),
        "date": c.get("date"),
        "time": c.get("time"),
        "precision": c.get("precision"),
        "details": {
            "cheque_number": details.get("cheque_number"),
            "instalments": details.get("instalments") or [],
        },
    }
    for key in ("method", "date_range"):
        if details.get(key):
            out["details"][key] = details[key]
    if out["precision"] is None:
        out["action"] = out["action"] if out["date"] else out["action"]
    return out


def _describe(c: dict, today_iso: str) -> str:
    if not c.get("date"):
        return "rien de précis"
    when = _date_words(c["date"]) + spoken_time(c.get("time"))
    action = c.get("action")
    if action == "rappel":
        return f"rappel {when}"
    if action == "echeancier":
        inst = c["details"]["instalments"]
        return f"échéancier, premier versement de {spoken_amount(inst[0]['amount'])} {when}"
    if action in METHODS:
        return f"{METHOD_PHRASES[action]} {when}"
    return f"règlement {when}"


def _weights(session) -> dict:
    sc = session.scenario
    extra = list(sc.get("objectives", {}).get("extra", []))
    w = {cid: DEFAULT_WEIGHTS[cid] for cid in CRITERIA}
    for cid in extra:
        w[cid] = DEFAULT_WEIGHTS[cid]
    for cid, value in sc.get("objectives", {}).get("weights", {}).items():
        if cid in w:
            w[cid] = value
    return w


def _last_commitment_turn(log) -> tuple[int | None, int | None]:
    """(turn the current commitment was last changed, turn it first became exact)."""
    changed = exact = None
    prev = None
    for entry in log:
        c = entry["commitment"]
        if entry["committed"] and c != prev:
            changed = entry["turn"]
            if c.get("precision") == "exact" and (prev is None or prev.get("precision") != "exact"
                                                   or prev.get("date") != c.get("date")):
                exact = entry["turn"]
        prev = c
    return changed, exact


# ---------------------------------------------------------------------------- criteria

def _evaluate(session) -> tuple[list[dict], dict]:
    log = session.log
    d = session.debtor
    c = commitment_view(session)
    today = session.scenario["today"]
    amount_due = float(session.scenario["invoice"]["amount"])
    results: dict[str, dict] = {}

    def put(cid, passed, turn=None, text_key=None, **fmt):
        fmt.setdefault("turn", turn if turn is not None else "")
        ok, ko = _EXPLAIN[text_key or cid]
        text = (ok if passed else ko)
        try:
            text = text.format(**fmt)
        except (KeyError, IndexError):
            pass
        results[cid] = {"id": cid, "passed": bool(passed), "explanation": text, "turn": turn}

    committed = d.committed and c["precision"] in ("exact", "range")
    changed_turn, exact_turn = _last_commitment_turn(log)
    first_commit_turn = next((e["turn"] for e in log if e["committed"]
                              and e["commitment"].get("precision") in ("exact", "range")), None)

    # commitment: a clear action (and a usable date).
    put("commitment", committed and c["action"] is not None, changed_turn,
        what=_describe(c, today))
    # exact_date
    put("exact_date", c["precision"] == "exact" and bool(c["date"]), exact_turn,
        when=(_date_words(c["date"]) + spoken_time(c.get("time"))) if c["date"] else "")
    # amount
    amount_ok = c["amount"] is not None and (
        abs(c["amount"] - amount_due) < 0.01 or bool(c["details"]["instalments"]))
    amount_turn = next((e["turn"] for e in log if e["commitment"].get("amount") is not None), None)
    put("amount", amount_ok, amount_turn, amount=spoken_amount(c["amount"]) if c["amount"] else "")
    # payment method
    method = c["action"] if c["action"] in METHODS else c["details"].get("method")
    method_turn = next((e["turn"] for e in log
                        if (e["commitment"].get("action") in METHODS
                            or (e["commitment"].get("details") or {}).get("method"))
                        and e["committed"]), None)
    if method and method_turn is None:
        method_turn = next((e["turn"] for e in log if "method_stated" in e["events"]), None)
    put("payment_method", bool(method) and committed, method_turn,
        method=METHOD_NAMES.get(method, ""))

    # no vague accepted
    bad = next((e["turn"] for e in log if e["events"] & {"accepted_vague", "accepted_range"}), None)
    left_vague = session.ended_by == "learner" and c["precision"] != "exact"
    key = None
    if bad is None and left_vague and log:
        bad = log[-1]["turn"]
        key = "no_vague_accepted_end"
    put("no_vague_accepted", bad is None and bool(log), bad, text_key=key)

    # professional tone
    offence = next((e for e in log if e["events"] & {"aggression", "threat_premature"}), None)
    why = ""
    if offence:
        why = ("menace de poursuites dès le début de l'appel." if "threat_premature" in offence["events"]
               else "propos agressifs ou cris.")
    put("professional_tone", offence is None and bool(log), offence["turn"] if offence else None,
        why=why)

    # questions + listening (each from an ordinary, non-stuffed line)
    q_turns, open_turn, listen_turn, q_ok_turn = 0, None, None, None
    for e in log:
        if e["events"] & {"stuffed", "too_long"}:
            continue
        acts = e["acts"]
        if "question" in acts:
            q_turns += 1
        if open_turn is None and "open_question" in acts:
            open_turn = e["turn"]
        if listen_turn is None and acts & {"empathy", "listening"}:
            listen_turn = e["turn"]
        if q_ok_turn is None and q_turns >= 2 and open_turn and listen_turn:
            q_ok_turn = e["turn"]
    put("questions", q_ok_turn is not None, q_ok_turn)

    # recap: after the current commitment, restating its action and date
    recap_turn = None
    if committed and changed_turn is not None:
        recap_turn = next((e["turn"] for e in log if "recap_ok" in e["events"]
                           and e["turn"] >= changed_turn and not e["events"] & {"stuffed"}
                           and _same_promise(e["commitment"], d.commitment)), None)
    wrong = next((e["turn"] for e in log if "recap_wrong" in e["events"]), None)
    put("recap", recap_turn is not None, recap_turn if recap_turn else wrong)

    # follow-up: announced once there was a commitment
    fu_turn = None
    if first_commit_turn is not None:
        fu_turn = next((e["turn"] for e in log if "follow_up" in e["events"]
                        and e["turn"] >= first_commit_turn), None)
    put("follow_up", fu_turn is not None, fu_turn)

    # opening: greeting, introduction and invoice within the first two lines
    first = [e for e in log[:2] if not e["events"] & {"stuffed", "too_long"}]
    seen = set()
    for e in first:
        seen |= e["acts"] & {"greeting", "introduce", "invoice"}
    put("opening", seen >= {"greeting", "introduce", "invoice"},
        max((e["turn"] for e in first), default=None) if seen >= {"greeting", "introduce", "invoice"}
        else None)

    # Scenario extras.
    extra = session.scenario.get("objectives", {}).get("extra", [])
    if "cheque_details" in extra:
        ok = c["action"] == "cheque" and bool(c["details"]["cheque_number"]) and \
            c["amount"] is not None and c["precision"] == "exact"
        t = next((e["turn"] for e in log if "cheque_details" in e["events"]), None)
        put("cheque_details", ok and t is not None, t)
    if "first_payment" in extra:
        import datetime as _dt

        inst = c["details"]["instalments"]
        ok = c["action"] == "echeancier" and bool(inst) and \
            _dt.date.fromisoformat(inst[0]["date"]) <= session.today + _dt.timedelta(days=3)
        put("first_payment", ok, changed_turn if ok else None,
            when=_date_words(inst[0]["date"]) if inst else "")
    if "documents" in extra:
        t = next((e["turn"] for e in log if "lifted:litige" in e["events"]), None)
        put("documents", t is not None, t)
    if "callback_time" in extra:
        ok = c["action"] == "rappel" and c["precision"] == "exact" and bool(c["time"])
        put("callback_time", ok, exact_turn if ok else None,
            when=(_date_words(c["date"]) + spoken_time(c["time"])) if ok else "")
    if "deescalation" in extra:
        t = next((e["turn"] for e in log if "lifted:irritation" in e["events"]), None)
        put("deescalation", t is not None and session.ended_by != "debtor", t)

    weights = _weights(session)
    criteria = []
    for cid in list(CRITERIA) + [x for x in extra if x in results]:
        item = results[cid]
        link, module = MODULE_LINKS[_CRITERION_MODULE[cid]]
        item["link"] = link
        item["module"] = module
        item["weight"] = weights.get(cid, 0)
        criteria.append(item)
    return criteria, c


def _key(c: dict) -> tuple:
    return (c.get("action"), c.get("date"), c.get("time"), c.get("precision"))


def _same_promise(a: dict, b: dict) -> bool:
    return a.get("date") == b.get("date") and a.get("action") == b.get("action")


def _score(session, criteria) -> int:
    total = sum(cr["weight"] for cr in criteria)
    if not total:
        return 0
    earned = sum(cr["weight"] for cr in criteria if cr["passed"])
    score = round(100 * earned / total)
    if any("hung_up_aggression" in e["events"] for e in session.log):
        score = min(score, HUNG_UP_CAP)
    if not session.log:
        score = 0
    return max(0, min(100, int(score)))


# ---------------------------------------------------------------------------- notes

def _annotate(session, transcript: list[dict]) -> None:
    first_open = first_empathy = first_pressure = True
    previous: dict = {}
    committed_seen = False
    for e in session.log:
        learner = transcript[2 * e["turn"] - 1]
        debtor = transcript[2 * e["turn"]]
        ev, acts = e["events"], e["acts"]
        notes = []
        for key in ("stuffed", "too_long", "aggression", "threat_premature", "threat",
                    "threat_soft", "accepted_vague", "accepted_range", "first_payment_late"):
            if key in ev:
                notes.append(_NOTES[key])
        if "stuffed" not in ev and "too_long" not in ev:
            if "open_question" in acts and first_open:
                notes.append(_NOTES["open_question"])
                first_open = False
            if "empathy" in ev and first_empathy:
                notes.append(_NOTES["empathy"])
                first_empathy = False
            if "pressure" in ev and first_pressure and "accepted_vague" not in ev:
                notes.append(_NOTES["pressure"])
                first_pressure = False
            if "lifted:litige" in ev:
                notes.append(_NOTES["documents"])
            for key in ("recap_ok", "recap_wrong", "recap_partial"):
                if key in ev:
                    notes.append(_NOTES[key])
            if "recap" in acts and not committed_seen and not e["committed"]:
                notes.append(_NOTES["recap_early"])
            if "follow_up" in ev:
                notes.append(_NOTES["follow_up"])
            elif acts & {"announce_email", "announce_call"} and not e["committed"]:
                notes.append(_NOTES["follow_up_early"])
        if "hung_up_vague" in ev:
            notes.append(_NOTES["hangup_on_vague"])
        learner["notes"] = notes
        dnotes = []
        if "range_answer" in ev:
            dnotes.append(_DEBTOR_NOTES["range_answer"].format(
                date=_date_words(e["commitment"]["date"]) if e["commitment"].get("date") else ""))
        elif "commitment_changed" in ev and e["commitment"].get("precision") == "exact" \
                and _key(e["commitment"]) != _key(previous):
            dnotes.append(_DEBTOR_NOTES["commitment"].format(desc=_describe(e["commitment"], "")))
        if "vague_answer" in ev and "commitment_changed" not in ev:
            dnotes.append(_DEBTOR_NOTES["vague_answer"])
        for key in ("cheque_admitted", "hung_up_aggression", "hung_up_vague", "hung_up_silence",
                    "limit"):
            if key in ev:
                dnotes.append(_DEBTOR_NOTES[key])
        debtor["notes"] = dnotes
        committed_seen = committed_seen or e["committed"]
        previous = e["commitment"]


# ---------------------------------------------------------------------------- e-mail

def recap_email(session, c: dict | None = None) -> str:
    """The written confirmation the learner should send after the call (French)."""
    sc = session.scenario
    c = c or commitment_view(session)
    inv = sc["invoice"]
    p = sc["persona"]
    title = "Madame" if p.get("gender") == "f" else "Monsieur"
    surname = p["name"].split()[-1]
    amount = _money(inv["amount"])
    call_day = _date_words(sc["today"], with_year=True)
    subject = f"Objet : Facture {inv['number']} – confirmation de notre échange du {call_day}"
    lines = [subject, "", f"Bonjour {title} {surname},", ""]
    lines.append(f"Je vous remercie pour notre conversation téléphonique de ce jour au sujet de la "
                 f"facture {inv['number']} d'un montant de {amount}, arrivée à échéance le "
                 f"{_date_words(inv['due'], with_year=True)}.")
    lines.append("")
    action = c.get("action")
    if c.get("precision") == "exact" and c.get("date"):
        when = "le " + _date_words(c["date"], with_year=True) + spoken_time(c.get("time"))
        lines.append("Comme convenu :")
        if action == "echeancier":
            method = c["details"].get("method")
            via = f" par {METHOD_NAMES[method]}" if method in METHOD_NAMES else ""
            for i, item in enumerate(c["details"]["instalments"]):
                label = "premier versement" if i == 0 else f"versement n° {i + 1}"
                lines.append(f"- {label} de {_money(item['amount'])}{via}, le "
                             f"{_date_words(item['date'], with_year=True)} ;")
            lines[-1] = lines[-1].rstrip(" ;") + "."
        elif action == "rappel":
            lines.append(f"- vous me rappelez {when} pour me communiquer la date de règlement "
                         f"convenue avec votre comptable.")
        elif action == "cheque":
            number = c["details"].get("cheque_number")
            num = f" n° {number}" if number else ""
            sent = "envoyé" if c["date"] <= sc["today"] else "envoyé"
            lines.append(f"- règlement par chèque{num} de {_money(c.get('amount') or inv['amount'])}, "
                         f"{sent} {when}.")
        else:
            how = f"par {METHOD_NAMES[action]}" if action in METHOD_NAMES else ""
            lines.append(f"- règlement {how} de {_money(c.get('amount') or inv['amount'])} {when}."
                         .replace("règlement  de", "règlement de"))
        lines.append("")
        lines.append("Je me permettrai de vous recontacter si le règlement ne nous est pas parvenu "
                     "à cette date.")
    else:
        lines.append("Nous n'avons pas encore fixé de date précise de règlement. Je vous remercie "
                     "de bien vouloir m'indiquer par retour de mail la date et le moyen de paiement "
                     "retenus.")
    lines += ["", "Je vous remercie de votre confiance et reste à votre disposition pour toute "
              "question.", "", "Bien cordialement,", "", sc["caller"]["name"], sc["caller"]["company"]]
    return "\n".join(lines)


def _money(value) -> str:
    cents = round(float(value) * 100)
    euros, rest = divmod(cents, 100)
    return f"{euros:,}".replace(",", " ") + f",{rest:02d} €"


# ---------------------------------------------------------------------------- hints

_DEFAULT_HINTS = {
    "opening": "Saluez, présentez-vous (nom et entreprise) et nommez la facture avec son numéro.",
    "invoice": "Dites pourquoi vous appelez : la facture, son montant et sa date d'échéance.",
    "excuse": "Écoutez l'excuse, reformulez-la, puis ramenez la conversation vers une solution "
              "concrète.",
    "date": "Vous n'avez pas encore de date exacte : demandez « Quel jour exactement ? » "
            "et ne vous contentez pas de « bientôt ».",
    "method": "Demandez le moyen de paiement : « Par virement ou par chèque ? ».",
    "amount": "Faites confirmer le montant : la totalité de la facture, ou le premier versement.",
    "recap": "Récapitulez l'accord : l'action ET la date (« Donc un virement jeudi 26 novembre, "
             "c'est bien ça ? »).",
    "follow_up": "Annoncez un suivi : « Je vous envoie un mail récapitulatif dans la journée. »",
    "close": "Tout est en place : remerciez et prenez congé poliment.",
    "calm": "Le client est agacé : reconnaissez son agacement (« Je comprends que ces relances "
            "vous pèsent ») avant de parler d'argent.",
}
_OBSTACLE_HINTS = {
    "rappel": "« Je reviens vers vous » n'est pas un engagement : dites que vous avez besoin "
              "d'une date précise.",
    "cheque_poste": "Le chèque serait au courrier ? Demandez son numéro, son montant et la date "
                    "d'envoi.",
    "tresorerie": "Trésorerie tendue : proposez un échéancier, avec un premier versement tout "
                  "de suite.",
    "litige": "Appuyez-vous sur les documents signés (devis, bon de livraison, procès-verbal) "
              "pour séparer le vrai problème de la manœuvre.",
    "comptable": "Obtenez un jour et une heure précis où le client vous rappellera avec la "
                 "réponse de son comptable.",
    "pas_recu": "Facture « jamais reçue » ? Proposez de la renvoyer tout de suite par mail et "
                "rappelez quand elle a été envoyée.",
    "irritation": _DEFAULT_HINTS["calm"],
}


def _stage(session) -> tuple[str, str | None]:
    d = session.debtor
    log = session.log
    acts = set()
    for e in log:
        acts |= e["acts"]
    if not log or not (acts & {"greeting", "introduce"}):
        return "opening", None
    if not d.raised:
        return "invoice", None
    ob = d.current_obstacle
    if ob is not None and ob in d.voiced:
        return "excuse", ob
    c = d.commitment
    if not d.committed or c["precision"] != "exact":
        return "date", None
    if c["action"] not in METHODS and not (c.get("details") or {}).get("method") \
            and c["action"] != "rappel":
        return "method", None
    if c["amount"] is None and c["action"] != "rappel":
        return "amount", None
    changed, _ = _last_commitment_turn(log)
    if not any("recap_ok" in e["events"] and e["turn"] >= (changed or 0) for e in log):
        return "recap", None
    if not any("follow_up" in e["events"] for e in log):
        return "follow_up", None
    return "close", None


def next_hint(session) -> str:
    if session.ended:
        return "L'appel est terminé : consultez le bilan."
    stage, obstacle = _stage(session)
    hints = session.scenario.get("hints", {})
    if stage == "excuse":
        return hints.get("excuse") or _OBSTACLE_HINTS.get(obstacle, _DEFAULT_HINTS["excuse"])
    return hints.get(stage) or _DEFAULT_HINTS[stage]


# ---------------------------------------------------------------------------- debrief

def build_debrief(session) -> dict:
    transcript = copy.deepcopy(session.transcript)
    _annotate(session, transcript)
    criteria, c = _evaluate(session)
    score = _score(session, criteria)
    return {
        "scenario": session.scenario["id"],
        "title": session.scenario.get("title"),
        "seed": session.seed,
        "ended_by": session.ended_by,
        "turns": session.turns,
        "transcript": transcript,
        "commitment": c,
        "criteria": criteria,
        "score": score,
        "recap_email": recap_email(session, c),
        "hints_used": session.hints_used,
    }
