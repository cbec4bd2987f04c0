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
import datetime as _dt

from . import conditions, lazy_re
from .dates import format_date_fr, working_days_after
from .replies import METHOD_NAMES, METHOD_PHRASES, method_phrase, spoken_amount, spoken_time, typeset
from .scenario import CRITERIA
from .understand import METHODS

__all__ = ["build_debrief", "commitment_view", "next_hint", "CORE_CRITERIA", "recap_email",
           "VERDICT_THRESHOLD", "course_link"]

#: A call succeeds with at least this score and an exact date.
VERDICT_THRESHOLD = 70
#: Score ceiling when the debtor hung up because of the learner's tone.
HUNG_UP_CAP = 20
#: The highest score of a call that missed an essential criterion (a rule the course makes absolute).
ESSENTIAL_CAP = 50

_M8 = "modules/08-appel-de-relance.md"
#: The engine's own criteria. Scenarios may change their label, explanations, better phrase,
#: course link and weight (`criteria:` with the same id); their rule stays here. Braces are the
#: call's facts (see `_facts`).
CORE_CRITERIA = {
    "commitment": {
        "label": "Un engagement clair", "weight": 18,
        "explain_pass": "Engagement obtenu : le client a dit clairement ce qu'il allait faire ({what}).",
        "explain_fail": "Pas d'engagement clair : le client n'a dit ni ce qu'il ferait ni comment. Ne raccrochez "
                        "pas sans une action précise (« je fais un virement », « je poste le chèque »…).",
        "better": "Concrètement, qu'allez-vous faire pour régler cette facture, et quand ?",
        "course": _M8 + "#4-conclure-une-action-precise-et-une-date-exacte"},
    "exact_date": {
        "label": "Une date exacte", "weight": 20,
        "explain_pass": "Date exacte obtenue : {when}.",
        "explain_fail": "Pas de date exacte. « Bientôt », « dans quelques jours » ou « d'ici la fin de la semaine » "
                        "ne sont pas des dates : demandez « Quel jour exactement ? ».",
        "better": "Quel jour exactement pouvez-vous faire {method} ?",
        "course": _M8 + "#4-conclure-une-action-precise-et-une-date-exacte"},
    "amount": {
        "label": "Le montant confirmé", "weight": 7,
        "explain_pass": "Montant confirmé : {amount}.",
        "explain_fail": "Le montant n'a pas été confirmé. Rappelez la somme due et faites-la confirmer "
                        "(la totalité ou le premier versement).",
        "better": "Nous sommes bien d'accord : {amount_due}, la totalité de la facture ?",
        "course": _M8 + "#4-conclure-une-action-precise-et-une-date-exacte"},
    "payment_method": {
        "label": "Le moyen de paiement", "weight": 8,
        "explain_pass": "Moyen de paiement précisé : {method_name}.",
        "explain_fail": "Le moyen de paiement n'a pas été précisé. Demandez « Par quel moyen allez-vous régler ? ».",
        "better": "Par quel moyen allez-vous régler : virement ou chèque ?",
        "course": _M8 + "#4-conclure-une-action-precise-et-une-date-exacte"},
    "no_vague_accepted": {
        "label": "Aucune réponse floue acceptée", "weight": 12,
        "explain_pass": "Vous n'avez jamais accepté de réponse floue : bravo, c'est vous qui meniez l'appel.",
        "explain_fail": "Vous avez accepté une réponse floue (réplique {turn}). Un débiteur qui « revient vers vous » "
                        "rappelle rarement : relancez avec une question précise avant de dire d'accord.",
        "better": "C'est-à-dire ? Quel jour exactement puis-je noter ?",
        "course": _M8 + "#4-conclure-une-action-precise-et-une-date-exacte"},
    "professional_tone": {
        "label": "Un ton professionnel", "weight": 12,
        "explain_pass": "Ton professionnel et calme du début à la fin.",
        "explain_fail": "Le ton n'est pas resté professionnel (réplique {turn}) : {why}",
        "better": "Je comprends que ce soit compliqué. Cherchons ensemble une solution : quel jour pouvez-vous régler ?",
        "course": _M8 + "#garder-son-calme"},
    "questions": {
        "label": "Questions et écoute", "weight": 6,
        "explain_pass": "Vous avez posé des questions ouvertes et montré que vous écoutiez.",
        "explain_fail": "Pas assez de questions ou d'écoute. Posez des questions ouvertes (« Que se passe-t-il ? », "
                        "« Quand pouvez-vous régler ? ») et montrez que vous avez entendu la réponse.",
        "better": "Que se passe-t-il de votre côté avec cette facture ?",
        "course": _M8 + "#2-comprendre-ecouter-et-questionner"},
    "recap": {
        "label": "Le récapitulatif", "weight": 7,
        "explain_pass": "Vous avez récapitulé l'accord (action et date) avant de raccrocher.",
        "explain_fail": "Pas de récapitulatif valable. Après l'engagement, reformulez l'action ET la date "
                        "(« Donc {promise}, c'est bien ça ? »).",
        "better": "Si je récapitule : {promise}. C'est bien ça ?",
        "course": _M8 + "#4-conclure-une-action-precise-et-une-date-exacte"},
    "follow_up": {
        "label": "Le suivi annoncé", "weight": 6,
        "explain_pass": "Vous avez annoncé un suivi (courriel récapitulatif ou rappel) après l'engagement.",
        "explain_fail": "Aucun suivi annoncé après l'engagement. Dites que vous envoyez un courriel récapitulatif "
                        "ou que vous rappellerez à une date précise.",
        "better": "Je vous envoie un courriel récapitulatif dans la journée.",
        "course": _M8 + "#apres-lappel-le-courriel-recapitulatif"},
    "opening": {
        "label": "L'ouverture de l'appel", "weight": 4,
        "explain_pass": "Bonne ouverture : salutation, présentation et facture nommée dès le début.",
        "explain_fail": "Ouverture incomplète : saluez, présentez-vous et nommez la facture dès les premières phrases.",
        "better": "Bonjour {debtor}, {caller}, de {caller_company}. Je vous appelle au sujet de la facture {invoice}.",
        "course": _M8 + "#1-contacter-ouvrir-avec-bienveillance"},
}
_NOT_WITH_AN_ASSISTANT = ("Sans objet dans cet appel : avec une assistante, on ne parle ni du montant ni du "
                          "moyen de paiement ; ce sera pour le client lui-même.")
_CALLBACK_WITHOUT_HOUR = ("Un rappel se fixe à un jour ET à une heure : sans heure, c'est encore flou. "
                          "Demandez « À quelle heure ? ».")
_VOLUNTEERED = {
    "exact_date": "La date vient du client lui-même : vous ne l'avez pas demandée. Demandez-la toujours "
                  "(« Quel jour exactement ? »), c'est ce qui fait de sa réponse un engagement.",
    "payment_method": "Le client a dit de lui-même comment il paierait : faites-le préciser vous-même "
                      "(« Par virement ? »), pour qu'il s'y engage.",
}
_NO_VAGUE_AT_END = ("Vous avez terminé l'appel sans date précise. Ne laissez jamais le "
                    "client conclure sur une promesse floue : c'est vous qui menez l'appel.")

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
    "cheque_details": "Détails du chèque obtenus.",
    "method_stated": "Moyen de paiement précisé.",
    "limit": "Appel trop long : le client a dû partir.",
    "handover": "L'appel vous est passé : vous parlez maintenant au client lui-même.",
}


# ---------------------------------------------------------------------------- helpers

def _date_words(iso, with_year=False) -> str:
    day = _dt.date.fromisoformat(iso)
    text = format_date_fr(day)
    return f"{text} {day.year}" if with_year else text


def commitment_view(session) -> dict:
    """The commitment in the debrief schema (null fields when nothing was obtained)."""
    c = copy.deepcopy(session.call.commitment)
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
    for key in ("method", "date_range", "caller"):
        if details.get(key):
            out["details"][key] = details[key]
    terms = session.call.terms(session.speaker.context())
    if terms:
        out["details"]["terms"] = [_fill(t, _facts(session, out)) for t in terms]
    return out


def _describe(c: dict) -> str:
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


# ---------------------------------------------------------------------------- the call's facts

class _Facts(dict):
    def __missing__(self, key):  # an unknown brace stays as written (validated at load time)
        return "{" + key + "}"


#: "Si une échéance saute, le solde devient exigible": the plan's acceleration clause, said aloud.
_ACCELERATION = lazy_re.compile(r"(?:solde|reste|totalite|tout)\w* (?:\w+ ){0,2}(?:devient|redevient|deviendra|sera|serait)"
                                r" (?:immediatement )?exigible|decheance du terme")

#: Vague answers as debtors say them, quoted back in the "better" phrase.
_VAGUE_WORDS = lazy_re.compile(r"(?i)(?:très )?bientôt|dès que (?:possible|je peux|j'ai un moment|la situation s’améliore|"
                               r"la situation s'améliore)|dans (?:les )?(?:quelques|prochains) jours|la semaine prochaine|"
                               r"d'ici (?:la fin du mois|la fin de la semaine|quelques jours)|d’ici (?:la fin du mois|"
                               r"la fin de la semaine|quelques jours)|je (?:reviens|reviendrai) vers vous|"
                               r"je vous (?:rappelle|tiens au courant|redis)|quand (?:je pourrai|j'aurai|j’aurai) [^.,!?]{2,30}|"
                               r"rapidement|au plus vite|on verra")


def _vague_words(transcript: list[dict], turn: int) -> str:
    """The vague words the debtor said just before (or at) the turn a vague answer was accepted."""
    for index in (2 * turn - 2, 2 * turn):
        if 0 <= index < len(transcript) and transcript[index]["speaker"] != "learner":
            m = _VAGUE_WORDS.search(transcript[index]["text"])
            if m:
                words = m.group(0)
                return words[0].upper() + words[1:]
    return ""


def _facts(session, c: dict | None = None) -> dict:
    """What explanations and better phrases may quote: this call's facts, never another's."""
    sc = session.scenario
    persona = sc["persona"]
    call = session.call
    c = c or call.commitment
    debtor = session.speakers[-1]
    promise = persona.get("promise") or {}
    method = c.get("action") if c.get("action") in METHODS else (c.get("details") or {}).get("method") \
        or debtor.method
    when = (_date_words(c["date"]) + spoken_time(c.get("time"))) if c.get("date") else ""
    if c.get("precision") == "exact" and c.get("date"):
        if c.get("action") == "rappel":
            learner_calls = (c.get("details") or {}).get("caller") == "learner"
            if session.speaker.role == "debtor":
                promise_text = f"je vous rappelle {when}" if learner_calls else f"vous me rappelez {when}"
            else:
                promise_text = (f"je rappelle {debtor._debtor_title()} {when}" if learner_calls
                                else f"{debtor._debtor_title()} me rappelle {when}")
        elif c.get("action") == "echeancier":
            inst = c["details"]["instalments"]
            promise_text = (f"un premier versement de {spoken_amount(inst[0]['amount'])} {when}, "
                            f"puis le reste selon l'échéancier")
        else:
            promise_text = f"{method_phrase(method)} de {spoken_amount(c.get('amount') or call.amount_due())} {when}"
    else:
        day = promise.get("date")
        promise_text = (f"{method_phrase(method)} de {spoken_amount(call.amount_due())} "
                        f"{_date_words(day) if day else 'le jour convenu'}")
    facts = _Facts({
        "what": _describe(c), "when": when, "date": when,
        "amount": spoken_amount(c.get("amount")) if c.get("amount") is not None else "",
        "amount_due": spoken_amount(call.amount_due()), "principal": spoken_amount(call.principal),
        "method": method_phrase(method), "method_name": METHOD_NAMES.get(method, ""),
        "promise": promise_text, "invoice": sc["invoice"]["number"],
        "caller": sc["caller"]["name"], "caller_company": sc["caller"]["company"],
        "debtor": debtor._debtor_title(), "due": _date_words(sc["invoice"]["due"]),
    })
    for name, value in call.state.items():
        if isinstance(value, bool):
            facts[name] = "oui" if value else "non"
        elif isinstance(value, (int, float)):
            facts[name] = spoken_amount(value).replace(" euros", "").replace(" euro", "")
        else:
            facts[name] = str(value)
    return facts


def _fill(text: str, facts: dict) -> str:
    try:
        return text.format_map(facts)
    except (ValueError, IndexError, AttributeError):
        return text


def course_link(course: str | None, titles: dict) -> tuple[str, str]:
    """A course page "modules/08-x.md#anchor" -> (URL relative to the simulator page, link text)."""
    if not course:
        return "../modules/", "Le cours"
    page, _, anchor = course.partition("#")
    url = "../" + (page[:-len("index.md")] if page.endswith("index.md") else page[:-3] + "/")
    if anchor:
        url += "#" + anchor
    title = titles.get(page)
    name = page.rsplit("/", 1)[-1]
    if page.startswith("modules/") and name[:2].isdigit():
        number = int(name[:2])
        return url, f"Module {number} : {title}" if title else f"Module {number}"
    return url, title or "Le cours"


# ---------------------------------------------------------------------------- criteria

def _definitions(session) -> list[dict]:
    """Every criterion of this call, in order: the engine's, its objections', the scenario's;
    a scenario entry with a known id changes that criterion."""
    sc = session.scenario
    defs: dict = {cid: dict(CORE_CRITERIA[cid], id=cid, core=True) for cid in CRITERIA}
    for speaker in session.speakers:
        for ob in speaker.objections:
            for crit in ob.spec.get("criteria") or ():
                defs.setdefault(crit["id"], dict(crit, objection=ob.id))
    for crit in sc.get("criteria") or ():
        if crit["id"] in defs:
            defs[crit["id"]] = {**defs[crit["id"]], **crit}
        else:
            defs[crit["id"]] = dict(crit)
    for cid, weight in (sc.get("objectives") or {}).get("weights", {}).items():
        if cid in defs:
            defs[cid]["weight"] = weight
    return list(defs.values())


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


def _core(session, c: dict) -> dict:
    """The engine's criteria: {id: (passed, turn, extra facts for the explanation)}."""
    log = session.log
    call = session.call
    amount_due = call.amount_due()
    results = {}
    committed = call.committed and c["precision"] in ("exact", "range")
    changed_turn, exact_turn = _last_commitment_turn(log)
    first_commit_turn = next((e["turn"] for e in log if e["committed"]
                              and e["commitment"].get("precision") in ("exact", "range")), None)

    # Credit comes from what the learner did: a fact the debtor volunteered earns nothing.
    asked = set()
    for e in log:
        if not e["events"] & {"stuffed", "too_long"}:
            asked |= e["moves"]
    volunteered = {}
    commitment_ok = committed and c["action"] is not None
    results["commitment"] = (commitment_ok, changed_turn if commitment_ok else None, {})
    got_date = c["precision"] == "exact" and bool(c["date"])
    if got_date and c["action"] == "rappel" and not c.get("time"):
        # A call-back is a day AND an hour: "mardi" alone is still vague.
        got_date = False
        volunteered["exact_date"] = {"explain_fail": _CALLBACK_WITHOUT_HOUR}
    asked_date = bool(asked & {"insist", "propose_date", "ask_when", "propose_callback", "wait_on_line"})
    if got_date and not asked_date and "exact_date" not in volunteered:
        volunteered["exact_date"] = {"explain_fail": _VOLUNTEERED["exact_date"]}
    date_extra = dict(volunteered.get("exact_date", {}))
    if session.speaker.role != "debtor":
        date_extra["better"] = "À quelle heure pourrait-il me rappeler demain : 9 h 30 ou 14 h ?"
    results["exact_date"] = (got_date and asked_date, exact_turn, date_extra)
    asked_amount = bool(asked & {"names_amount", "ask_amount", "full_amount", "partial_amount"})
    amount_ok = c["amount"] is not None and asked_amount and (
        abs(c["amount"] - amount_due) < 0.01 or bool(c["details"]["instalments"]))
    amount_turn = next((e["turn"] for e in log if e["commitment"].get("amount") is not None), None)
    results["amount"] = (amount_ok, amount_turn, {})
    method = c["action"] if c["action"] in METHODS else c["details"].get("method")
    method_turn = next((e["turn"] for e in log
                        if (e["commitment"].get("action") in METHODS
                            or (e["commitment"].get("details") or {}).get("method"))
                        and e["committed"]), None)
    if method and method_turn is None:
        method_turn = next((e["turn"] for e in log if "method_stated" in e["events"]), None)
    asked_method = bool(asked & {"ask_how", "names_method"})
    extra = {"method_name": METHOD_NAMES.get(method, "")}
    if method and committed and not asked_method:
        extra["explain_fail"] = _VOLUNTEERED["payment_method"]
    results["payment_method"] = (bool(method) and committed and asked_method, method_turn, extra)

    bad = next((e["turn"] for e in log if e["events"] & {"accepted_vague", "accepted_range"}), None)
    left_vague = session.ended_by == "learner" and c["precision"] != "exact"
    extra = {}
    left_without_date = bad is None and left_vague and bool(log)
    if left_without_date:
        extra["explain_fail"] = _NO_VAGUE_AT_END        # an omission: no line to quote
    if bad is not None:
        words = _vague_words(session.transcript, bad)
        if words:
            extra["better"] = f"« {words} », c'est-à-dire ? Quel jour exactement puis-je noter ?"
    results["no_vague_accepted"] = (bad is None and not left_without_date and bool(log), bad, extra)

    offence = next((e for e in log if e["events"] & {"aggression", "threat_premature"}), None)
    tone = {"why": ""}
    if offence:
        tone["why"] = ("menace de poursuites dès le début de l'appel. Gardez l'évocation des suites pour la fin, "
                       "calmement, quand le client a refusé plusieurs fois de donner une date."
                       if "threat_premature" in offence["events"] else
                       "propos agressifs ou cris. La colère met le client sur la défensive ; restez courtois et ferme.")
    else:
        # Lighter faults of tone: blaming instead of stating facts, apologising for calling.
        offence = next((e for e in log if e["events"] & {"reproach", "over_apology"}), None)
        if offence and "reproach" in offence["events"]:
            tone = {"why": "un reproche au lieu des faits. Le reproche braque le client ; les faits (la facture, "
                           "son montant, son échéance) suffisent.",
                    "better": "La facture {invoice} de {amount_due}, échue le {due}, n'est pas encore réglée. "
                              "Que se passe-t-il de votre côté ?"}
        elif offence:
            tone = {"why": "des excuses à répétition. Vous êtes dans votre droit : une formule de politesse suffit, "
                           "inutile de vous excuser d'appeler.",
                    "better": "Bonjour, je vous appelle au sujet de la facture {invoice}. Avez-vous deux minutes ?"}
    results["professional_tone"] = (offence is None and bool(log), offence["turn"] if offence else None, tone)

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
        if q_ok_turn is None and q_turns >= 2 and (open_turn or listen_turn):
            q_ok_turn = e["turn"]
    results["questions"] = (q_ok_turn is not None, q_ok_turn, {})

    recap_turn = None
    if committed and changed_turn is not None:
        recap_turn = next((e["turn"] for e in log if "recap_ok" in e["events"]
                           and e["turn"] >= changed_turn and not e["events"] & {"stuffed"}
                           and _same_promise(e["commitment"], call.commitment)), None)
    wrong = next((e["turn"] for e in log if "recap_wrong" in e["events"]), None)
    results["recap"] = (recap_turn is not None, recap_turn if recap_turn else wrong, {})

    fu_turn = None
    if first_commit_turn is not None:
        fu_turn = next((e["turn"] for e in log if "follow_up" in e["events"]
                        and e["turn"] >= first_commit_turn), None)
    results["follow_up"] = (fu_turn is not None, fu_turn, {})

    # The first two lines, not counting small talk ("Comment allez-vous ?") in between.
    chat = {"smalltalk", "question", "open_question", "closed_question", "agree", "thanks", "empathy"}
    first = [e for e in log if not ("smalltalk" in e["acts"] and e["acts"] <= chat)][:2]
    first = [e for e in first if not e["events"] & {"stuffed", "too_long"}]
    seen = set()
    for e in first:
        seen |= e["acts"] & {"greeting", "introduce", "invoice", "purpose", "ask_transfer"}
    extra = {}
    if session.speakers[0].role == "gatekeeper":
        # To an assistant: who you are and whom you want, never the debt (module 8).
        ok = seen >= {"greeting", "introduce"} and bool(seen & {"purpose", "ask_transfer", "invoice"})
        extra = {"explain_fail": "Ouverture incomplète : saluez, présentez-vous (nom et entreprise) et demandez "
                                 "à parler à la personne, sans rien dire de la dette.",
                 "better": "Bonjour Madame, {caller}, de {caller_company}. Pourrais-je parler à {debtor}, "
                           "s'il vous plaît ?"}
    else:
        ok = seen >= {"greeting", "introduce", "invoice"}
    results["opening"] = (ok, max((e["turn"] for e in first), default=None) if ok else None, extra)
    return results


def _snapshot(session, entry, last: bool) -> conditions.Context:
    return conditions.Context(moves=None, state=entry["state"], lifted=entry["lifted"], raised=entry["raised"],
                              commitment=entry["commitment"], committed=entry["committed"],
                              moves_made=entry["moves_made"], ended_by=session.ended_by if last else None,
                              speaker=entry["speaker"], today=session.today, outcomes=entry["outcomes"],
                              moves_to=entry["moves_to"])


def _authored(session, cond) -> tuple[bool, int | None]:
    """An authored criterion: passed at the end of the call; turn from which it held for good."""
    log = session.log
    if not log:
        return False, None
    held = [conditions.holds(cond, _snapshot(session, e, i == len(log) - 1)) for i, e in enumerate(log)]
    if not held[-1]:
        return False, None
    turn = len(held)
    while turn > 1 and held[turn - 2]:
        turn -= 1
    return True, log[turn - 1]["turn"]


def _evaluate(session) -> tuple[list[dict], dict]:
    c = commitment_view(session)
    core = _core(session, c)
    facts = _facts(session, c)
    titles = session.scenario.get("course_titles") or {}
    criteria = []
    # Asked of an assistant, the amount and the way to pay are none of her business (module 8:
    # never detail the debt to a third party): without the debtor on the line, they do not count.
    not_applicable = {"amount", "payment_method"} if session.speaker.role != "debtor" else set()
    met = session.call.raised | session.call.lifted
    for d in _definitions(session):
        cid = d["id"]
        # An objection's criteria count when the objection came up in this call: a learner is
        # not told how to answer "le travail n'est pas conforme" when nobody said it.
        if d.get("objection") and d["objection"] not in met:
            continue
        if cid in not_applicable:
            # Kept in the list (the debrief's contract names it), counted for nothing.
            link, module = course_link(d.get("course"), titles)
            criteria.append({"id": cid, "label": d.get("label", cid), "passed": True, "applies": False,
                             "explanation": _NOT_WITH_AN_ASSISTANT, "turn": None, "link": link,
                             "module": module, "weight": 0})
            continue
        if cid in core:
            passed, turn, extra = core[cid]
        else:
            passed, turn = _authored(session, d.get("passes_when") or {})
            extra = {}
        text = extra.get("explain_pass" if passed else "explain_fail") or d.get(
            "explain_pass" if passed else "explain_fail") or ""
        values = _Facts(facts)
        values.update({k: v for k, v in extra.items() if not k.startswith("explain") and k != "better"})
        values["turn"] = turn if turn is not None else ""
        link, module = course_link(d.get("course"), titles)
        item = {"id": cid, "label": d.get("label", cid), "passed": bool(passed),
                "explanation": _fill(text, values), "turn": turn, "link": link, "module": module,
                "weight": d.get("weight", 0)}
        if d.get("essential"):
            item["essential"] = True          # the verdict needs it (the scenario's author says so)
        better = (extra.get("better") if not passed else None) or d.get("better")
        if cid == "questions" and better == CORE_CRITERIA["questions"]["better"]:
            heard = _reformulation(session)
            if heard:   # the listening this call called for, in the words of its objection
                better = f"Que se passe-t-il de votre côté ? … Si je comprends bien, {heard} : c'est bien ça ?"
        if better:
            item["better"] = _fill(better, values)
        criteria.append(item)
    return criteria, c


def _reformulation(session) -> str:
    """The reformulation of the first objection raised in this call, if its file gives one."""
    for speaker in session.speakers:
        for ob in speaker.objections:
            if ob.raised and ob.spec.get("reformulation"):
                return ob.spec["reformulation"]
    return ""


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
    if any(cr.get("essential") and not cr["passed"] for cr in criteria):
        score = min(score, ESSENTIAL_CAP)       # a rule of the course broken: half marks at most
    if not session.log:
        score = 0
    return max(0, min(100, int(score)))


def _verdict(score: int, criteria: list[dict]) -> dict:
    """Succeeded: an exact date (the goal of the call), a professional tone, the deal read back or
    confirmed in writing (the close), and at least VERDICT_THRESHOLD out of 100."""
    passed = {c["id"]: c["passed"] for c in criteria}
    missing = []
    if not passed.get("exact_date"):
        missing.append("une date exacte")
    if not passed.get("professional_tone", True):
        missing.append("un ton professionnel")
    if not (passed.get("recap") or passed.get("follow_up")):
        missing.append("un accord récapitulé ou confirmé par écrit")
    missing += [f"« {c['label'].lower()} »" for c in criteria if c.get("essential") and not c["passed"]]
    rule = (f"un appel réussi demande une date exacte, un ton professionnel, un accord récapitulé ou "
            f"confirmé par écrit, et au moins {VERDICT_THRESHOLD} sur 100")
    succeeded = score >= VERDICT_THRESHOLD and not missing
    # The text follows the label ("Appel réussi" / "À retravailler"), shown or printed before it.
    if succeeded:
        text = "Date exacte, ton professionnel, accord récapitulé ou confirmé, et au moins " \
               f"{VERDICT_THRESHOLD} sur 100." + (" Un sans-faute, bravo !" if all(passed.values()) else "")
    else:
        lacking = (" Il a manqué " + _and(missing) + ".") if missing else \
            f" Ici, le score reste sous {VERDICT_THRESHOLD}."
        text = f"{rule[0].upper()}{rule[1:]}.{lacking}"
    return {"succeeded": succeeded, "label": "Appel réussi" if succeeded else "À retravailler",
            "threshold": VERDICT_THRESHOLD, "text": typeset(text)}


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _priorities(criteria: list[dict], transcript: list[dict]) -> list[dict]:
    """The missed criteria to work on first (three at most), each with the learner's line:
    the tone when it failed (nothing else works without it), then the exact date (the goal of
    the call; a missing commitment says the same, and is left out then), then what this
    scenario teaches (its own criteria), then the rest by weight."""
    missed = [c for c in criteria if not c["passed"] and c["weight"] > 0]
    ids = {c["id"] for c in missed}
    if {"exact_date", "commitment"} <= ids:
        missed = [c for c in missed if c["id"] != "commitment"]

    def rank(c):
        tier = {"professional_tone": 0, "exact_date": 1}.get(c["id"], 3 if c["id"] in CORE_CRITERIA else 2)
        return (tier, -c["weight"])

    missed.sort(key=rank)
    out = []
    for c in missed[:3]:
        turn = c.get("turn")
        line = None
        if turn and 2 * turn - 1 < len(transcript):
            line = transcript[2 * turn - 1]["text"]
        out.append({"id": c["id"], "label": c["label"], "weight": c["weight"], "turn": turn,
                    "learner_line": line, "advice": c["explanation"], "better": c.get("better"),
                    "link": c["link"], "module": c["module"]})
    return out


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
            notes += sorted(x[len("note:"):] for x in ev if x.startswith("note:"))
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
            dnotes.append(_DEBTOR_NOTES["commitment"].format(desc=_describe(e["commitment"])))
        if "vague_answer" in ev and "commitment_changed" not in ev:
            dnotes.append(_DEBTOR_NOTES["vague_answer"])
        dnotes += sorted(x[len("reply_note:"):] for x in ev if x.startswith("reply_note:"))
        if "handover" in ev:
            dnotes.append(_DEBTOR_NOTES["handover"])
        for key in ("hung_up_aggression", "hung_up_vague", "hung_up_silence", "limit"):
            if key in ev:
                dnotes.append(_DEBTOR_NOTES[key])
        debtor["notes"] = dnotes
        committed_seen = committed_seen or e["committed"]
        previous = e["commitment"]


# ---------------------------------------------------------------------------- e-mail

def recap_email(session, c: dict | None = None) -> str:
    """The written confirmation the learner should send after the call (French)."""
    sc = session.scenario
    call = session.call
    c = c or commitment_view(session)
    inv = sc["invoice"]
    p = sc["persona"]
    title = "Madame" if p.get("gender") == "f" else "Monsieur"
    surname = p["name"].split()[-1]
    call_day = _date_words(sc["today"], with_year=True)
    due = call.amount_due()
    subject = f"Objet : Facture {inv['number']} – confirmation de notre échange du {call_day}"
    lines = [subject, "", f"Bonjour {title} {surname},", ""]
    about = (f"la facture {inv['number']} d'un montant de {_money(inv['amount'])}, arrivée à échéance le "
             f"{_date_words(inv['due'], with_year=True)}")
    # Who was on the line, and how the call ended, decide how the e-mail opens and closes.
    met_debtor = session.speaker.role == "debtor"
    hung_up = session.ended_by == "debtor" and any(
        e["events"] & {"hung_up_aggression", "hung_up_vague"} for e in session.log)
    if not met_debtor:
        gk = session.speakers[0]
        gk_title = f"{'Madame' if gk.p.get('gender') == 'f' else 'Monsieur'} {gk.p['name'].split()[-1]}"
        slot = c.get("precision") == "exact" and c.get("date")
        lines.append(f"J'ai appelé ce jour {gk.p.get('company') or 'votre entreprise'} au sujet de {about}. "
                     + (f"{gk_title} a bien voulu noter un rendez-vous téléphonique avec vous." if slot
                        else f"J'ai laissé un message à {gk_title}."))
    elif hung_up:
        lines.append(f"Je reviens vers vous à la suite de notre appel de ce jour, au sujet de {about}.")
    else:
        lines.append(f"Je vous remercie pour notre conversation téléphonique de ce jour au sujet de {about}.")
    lines.append("")
    action = c.get("action")
    terms = (c.get("details") or {}).get("terms") or []
    if c.get("precision") == "exact" and c.get("date"):
        when = "le " + _date_words(c["date"], with_year=True) + spoken_time(c.get("time"))
        lines.append("Comme convenu :" if met_debtor else f"Comme convenu avec {gk_title} :")
        if action == "echeancier":
            method = c["details"].get("method")
            via = f" par {METHOD_NAMES[method]}" if method in METHOD_NAMES else ""
            for i, item in enumerate(c["details"]["instalments"]):
                label = "premier versement" if i == 0 else f"versement n° {i + 1}"
                lines.append(f"- {label} de {_money(item['amount'])}{via}, le "
                             f"{_date_words(item['date'], with_year=True)} ;")
        elif action == "rappel":
            if c["details"].get("caller") == "learner":
                lines.append(f"- je vous appelle {when} pour convenir avec vous de la date de règlement ;")
            else:
                lines.append(f"- vous me rappelez {when} pour me communiquer la date de règlement retenue ;")
        elif action == "cheque":
            number = c["details"].get("cheque_number")
            num = f" n° {number}" if number else ""
            sent = (p.get("cheque") or {}).get("sent") and c["date"] <= sc["today"]
            verb = "envoyé" if sent else "que vous posterez"
            lines.append(f"- règlement par chèque{num} de {_money(c.get('amount') or due)}, {verb} {when} ;")
        else:
            how = f" par {METHOD_NAMES[action]}" if action in METHOD_NAMES else ""
            lines.append(f"- règlement{how} de {_money(c.get('amount') or due)} {when} ;")
        for term in terms:
            lines.append(f"- {term} ;")
        if action == "echeancier" and any(_ACCELERATION.search(e["utterance"].norm) for e in session.log):
            # The learner said what happens if a payment is missed: it belongs in writing.
            lines.append("- si un versement n'est pas honoré à sa date, le solde restant devient exigible ;")
        lines[-1] = lines[-1][:-2] + "."
        lines.append("")
        if action == "rappel" and c["details"].get("caller") == "learner":
            lines.append("Je vous remercie de me réserver ce moment.")
        elif action == "rappel":
            lines.append("Sans nouvelles de votre part à cette heure-là, je me permettrai de vous appeler.")
        elif action == "echeancier":
            lines.append("Je me permettrai de vous recontacter si un versement ne nous est pas parvenu à sa date.")
        elif action == "cheque":
            # A cheque posted on that day arrives a few working days later.
            arrival = working_days_after(_dt.date.fromisoformat(c["date"]), 3).isoformat()
            lines.append("Je me permettrai de vous recontacter si le chèque ne nous est pas parvenu le "
                         f"{_date_words(arrival, with_year=True)}.")
        else:
            lines.append("Je me permettrai de vous recontacter si le règlement ne nous est pas parvenu "
                         "à cette date.")
    else:
        if terms:
            lines.append("Nous avons convenu des points suivants :")
            lines += [f"- {term} ;" for term in terms]
            lines[-1] = lines[-1][:-2] + "."
            lines.append("")
        if met_debtor:
            lines.append("Nous n'avons pas encore fixé de date précise de règlement. Je vous remercie "
                         "de bien vouloir m'indiquer par retour de courriel la date et le moyen de paiement "
                         "retenus.")
        else:
            lines.append("Je vous remercie de bien vouloir me rappeler, ou de m'indiquer par retour de "
                         "courriel la date et le moyen de paiement retenus.")
    if hung_up:
        lines += ["", "Je reste à votre disposition pour en reparler calmement."]
    else:
        lines += ["", "Je vous remercie de votre confiance et reste à votre disposition pour toute question."]
    lines += ["", "Bien cordialement,", "", sc["caller"]["name"], sc["caller"]["company"]]
    return "\n".join(lines)



def _typeset_body(email: str) -> str:
    """The e-mail's body typeset; its first line stays "Objet : …" as the debrief schema says."""
    subject, _, body = email.partition("\n")
    return subject + "\n" + typeset(body) if body else email


def _money(value) -> str:
    cents = round(float(value) * 100)
    euros, rest = divmod(cents, 100)
    return f"{euros:,}".replace(",", " ") + f",{rest:02d} €"


# ---------------------------------------------------------------------------- hints

_DEFAULT_HINTS = {
    "opening": "Saluez, présentez-vous (nom et entreprise) et nommez la facture avec son numéro.",
    "invoice": "Dites pourquoi vous appelez : la facture, son montant et sa date d'échéance.",
    "excuse": "Écoutez l'objection, reformulez-la, puis ramenez la conversation vers une solution "
              "concrète.",
    "date": "Vous n'avez pas encore de date exacte : demandez « Quel jour exactement ? » "
            "et ne vous contentez pas de « bientôt ».",
    "method": "Demandez le moyen de paiement : « Par virement ou par chèque ? ».",
    "amount": "Faites confirmer le montant : la totalité de la facture, ou le premier versement.",
    "recap": "Récapitulez l'accord : l'action ET la date (« Donc {promise}, c'est bien ça ? »).",
    "follow_up": "Annoncez un suivi : « Je vous envoie un courriel récapitulatif dans la journée. »",
    "close": "Tout est en place : remerciez et prenez congé poliment.",
}


def _stage(session) -> tuple[str, object]:
    d = session.speaker
    log = session.log
    acts = set()
    for e in log:
        acts |= e["acts"]
    if not log or not (acts & {"greeting", "introduce"}):
        return "opening", None
    if not d.raised:
        return "invoice", None
    c = session.call.commitment
    exact = session.call.committed and c["precision"] == "exact"
    ob = d.standing()
    if ob is not None and ob.raised and (ob.blocks or not exact):
        return "excuse", ob
    if not exact:
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
    hints = session.scenario.get("hints", {})
    facts = _facts(session)
    ctx = session.speaker.context()
    for case in hints.get("cases") or ():
        if conditions.holds(case["when"], ctx):
            return _fill(case["text"], facts)
    stage, ob = _stage(session)
    if stage == "excuse":
        text = hints.get(ob.id) or hints.get("excuse") or ob.spec.get("hint") or _DEFAULT_HINTS["excuse"]
    else:
        text = hints.get(stage) or _DEFAULT_HINTS[stage]
    return _fill(text, facts)


# ---------------------------------------------------------------------------- debrief

def build_debrief(session) -> dict:
    transcript = copy.deepcopy(session.transcript)
    _annotate(session, transcript)
    for entry in transcript:
        entry["notes"] = [typeset(n) for n in entry["notes"]]
    criteria, c = _evaluate(session)
    for item in criteria:
        item["explanation"] = typeset(item["explanation"])
        if item.get("better"):
            item["better"] = typeset(item["better"])
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
        "verdict": _verdict(score, criteria),
        "priorities": _priorities(criteria, transcript),
        "recap_email": _typeset_body(recap_email(session, c)),
        "hints_used": session.hints_used,
        "state": dict(session.call.state),
    }
