"""Rules that check a short text written by the learner (exercises of kind `redaction`).

The same understanding code as the call simulator reads the text (amounts,
payment methods, dates, courtesy, threats), so a recap e-mail is judged the
way the simulator judges a call. Pure standard library: it runs in Pyodide.

    >>> r = check_text("Bonjour Madame Roux, vous réglez 1 250 € par virement jeudi 26 novembre. "
    ...                "Cordialement", [{"regle": "montant", "valeur": 1250}, {"regle": "date_exacte"}],
    ...                today="2026-11-23")
    >>> r["passed"], r["score"]
    (True, 1.0)

Exercise authors list rules in YAML; `validate_rules` checks that list (the site
build calls it, so a typo fails the build), `check_text` applies it.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re

from . import lazy_re
from .dates import parse_date
from .understand import METHODS, SENTENCE, analyse, normalise

__all__ = ["RULES", "ACTIONS", "check_text", "validate_rules", "MAX_CHARS"]

#: Longest text read; the rest is ignored (and the learner is told).
MAX_CHARS = 5000

#: What the `action` rule accepts in `attendu`.
ACTIONS = (*METHODS, "echeancier", "rappel")

_ACTION_NAMES = {
    "virement": "un virement", "cheque": "un chèque", "carte": "un paiement par carte",
    "prelevement": "un prélèvement", "especes": "un paiement en espèces",
    "echeancier": "un échéancier", "rappel": "un rappel à une heure précise",
}

#: Rule name -> {parameter: what it expects}; "libelle" is accepted by every rule.
RULES: dict[str, dict] = {
    "montant": {"valeur": "un nombre positif (le montant attendu, en euros)"},
    "date_exacte": {},
    "action": {"attendu": f"une liste d’actions parmi : {', '.join(ACTIONS)}"},
    "politesse": {},
    "sans_menace": {},
    "question": {},
    "mots": {"tous": "une liste de mots ou d’expressions",
             "un_parmi": "une liste de mots ou d’expressions",
             "libelle": "un texte (ce que ces mots représentent, pour le message)"},
    "longueur": {"min_mots": "un nombre entier positif", "max_mots": "un nombre entier positif"},
}
_COMMON = {"libelle": "un texte (remplace la description de la règle dans les messages)"}


# --------------------------------------------------------------------------- validation

def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def _word_list(value) -> bool:
    return (isinstance(value, list) and value
            and all(isinstance(v, str) and normalise(v).strip() for v in value))


def validate_rules(rules) -> list[dict]:
    """Problems in a rule list, as {"index": i (0-based, or None), "field": name, "message": French}."""
    problems: list[dict] = []

    def bad(index, field, message):
        problems.append({"index": index, "field": field, "message": message})

    if not isinstance(rules, list) or not rules:
        bad(None, "regles", "attendu une liste d’au moins une règle")
        return problems
    for i, rule in enumerate(rules):
        if not isinstance(rule, dict):
            bad(i, "regle", "attendu un bloc de champs commençant par « regle: nom »")
            continue
        name = rule.get("regle")
        if not isinstance(name, str) or not name:
            bad(i, "regle", f"champ obligatoire manquant : le nom de la règle, parmi {', '.join(RULES)}")
            continue
        if name not in RULES:
            bad(i, "regle", f"règle inconnue « {name} » : attendu une règle parmi {', '.join(RULES)}")
            continue
        allowed = {**_COMMON, **RULES[name]}
        for key in rule:
            if key != "regle" and key not in allowed:
                expected = ", ".join(allowed) if allowed else "aucun paramètre"
                bad(i, key, f"paramètre inconnu pour la règle « {name} » (possibles : {expected})")
        if "libelle" in rule and not (isinstance(rule["libelle"], str) and rule["libelle"].strip()):
            bad(i, "libelle", "attendu un texte non vide")
        if name == "montant" and "valeur" in rule and not (_is_number(rule["valeur"]) and rule["valeur"] > 0):
            bad(i, "valeur", "attendu un nombre positif (écrivez 1250.50, avec un point)")
        if name == "action" and "attendu" in rule:
            wanted = rule["attendu"]
            if not (isinstance(wanted, list) and wanted and all(w in ACTIONS for w in wanted)):
                bad(i, "attendu", f"attendu une liste d’actions parmi : {', '.join(ACTIONS)}")
        if name == "mots":
            if "tous" not in rule and "un_parmi" not in rule:
                bad(i, "tous", "la règle « mots » demande « tous » ou « un_parmi »")
            for key in ("tous", "un_parmi"):
                if key in rule and not _word_list(rule[key]):
                    bad(i, key, "attendu une liste non vide de mots ou d’expressions")
            if not isinstance(rule.get("libelle"), str) or not rule.get("libelle", "").strip():
                bad(i, "libelle", "la règle « mots » demande un « libelle » : ce que ces mots représentent")
        if name == "longueur":
            for key in ("min_mots", "max_mots"):
                if key in rule and not (isinstance(rule[key], int) and not isinstance(rule[key], bool)
                                        and rule[key] >= 0):
                    bad(i, key, "attendu un nombre entier positif")
            low, high = rule.get("min_mots"), rule.get("max_mots")
            if "min_mots" not in rule and "max_mots" not in rule:
                bad(i, "min_mots", "la règle « longueur » demande « min_mots » ou « max_mots »")
            elif isinstance(low, int) and isinstance(high, int) and low > high:
                bad(i, "max_mots", f"« max_mots » ({high}) est plus petit que « min_mots » ({low})")
    return problems


# --------------------------------------------------------------------------- reading the text

_SENTENCE_END = lazy_re.compile(r"(?<=[.!?])\s+|\n\s*\n")  # a wrapped line is not a new sentence
_WORD = lazy_re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)?", re.UNICODE)
_GREETING = lazy_re.compile(r"(?<![\w])(?:bonjour|bonsoir|madame|monsieur|cher|chere|messieurs|mesdames)(?![\w])")
_CLOSING = lazy_re.compile(r"(?<![\w])(?:cordialement|bien (?:a|a) vous|bien sinceres|salutations|"
                      r"bonne (?:journee|fin de journee|soiree|semaine|continuation)|"
                      r"je vous remercie|merci(?: beaucoup| encore| d'avance| par avance)?|"
                      r"sinceres salutations|a bientot|belle journee)(?![\w])")
# Stating the contract's terms is information, not a threat.
_LEGAL_TERMS = lazy_re.compile(r"penalites? de retard|indemnite (?:forfaitaire|de recouvrement)"
                          r"(?: (?:pour frais )?de recouvrement)?")
_PRECISION_RANK = {"none": 0, "vague": 1, "range": 2, "exact": 3}
# A conjugated verb, roughly: "donnez", "pouvons", "serait", "enverrai" (an imperative is a sentence).
_VERB = lazy_re.compile(r"(?<![\w'])\w{2,}(?:ez|ons|ont|ait|aient|erai|eras|era|iez|ions)(?![\w])")
_PAYMENT_WORDS = lazy_re.compile(r"(?<![a-z])(?:regl|pai|pay|vers|vir|cheque|echeanc|factur|solde|montant)")


def _sentences(text: str) -> list[str]:
    return [" ".join(s.split()) for s in _SENTENCE_END.split(text) if s.strip()]


def _euros(value: float) -> str:
    whole, cents = f"{value:,.2f}".split(".")
    return f"{whole.replace(',', ' ')},{cents} €"


def _quote(sentence: str, limit: int = 80) -> str:
    sentence = " ".join(sentence.split()).rstrip(" .,;:")
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def _today(value) -> _dt.date | None:
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


class _Reading:
    """Everything the rules need, computed once per text."""

    def __init__(self, text: str, today: _dt.date | None):
        self.text = text
        self.norm = normalise(text)
        self.sentences = _sentences(text)
        self.analyses = [(s, analyse(s, today=today)) for s in self.sentences]
        self.today = today
        self.words = _WORD.findall(text)

    def amounts(self) -> list[float]:
        return [a for _, u in self.analyses for a in u.amounts]

    def methods(self) -> list[str]:
        seen = []
        for _, u in self.analyses:
            seen += [m for m in u.methods if m not in seen]
        return seen

    def acts(self) -> set:
        return {a for _, u in self.analyses for a in u.acts}

    def best_date(self) -> dict | None:
        """The date of the payment: dates said next to a payment (amount, method, "régler"...) first,
        so that "merci pour notre appel de ce matin" does not count as the payment date."""
        best, best_key = None, (False, 0)
        for sentence, u in self.analyses:
            about_payment = bool(u.methods or u.amounts or _PAYMENT_WORDS.search(u.norm))
            candidates = [u.date] if u.date else []
            candidates += u.clause_dates
            try:  # the sentence as written too: "le 26/11/2026" must count
                candidates.append(parse_date(sentence, today=self.today))
            except Exception:  # a date helper must never break the check
                pass
            for d in candidates:
                if not isinstance(d, dict):
                    continue
                key = (about_payment, _PRECISION_RANK.get(d.get("precision"), 0))
                if key[1] and key > best_key:
                    best, best_key = d, key
        return best


# --------------------------------------------------------------------------- the rules

def _montant(r: _Reading, rule: dict):
    found = r.amounts()
    wanted = rule.get("valeur")
    label = rule.get("libelle") or "le montant dû"
    if wanted is None:
        if found:
            return True, f"Le montant est indiqué : {_euros(found[0])}."
        return False, f"Indiquez {label}, en chiffres et avec l’unité (par exemple « 1 250,00 € »)."
    if any(abs(a - wanted) < 0.01 for a in found):
        return True, f"Le montant exact est indiqué : {_euros(wanted)}."
    if found:
        return False, (f"Le montant indiqué ({_euros(found[0])}) n’est pas le bon : "
                       f"{label} s’élève à {_euros(wanted)}.")
    return False, f"Indiquez {label} : {_euros(wanted)}, en chiffres et avec « € »."


_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")
_FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def _say_day(iso: str) -> str:
    d = _dt.date.fromisoformat(iso)
    return f"{_FR_DAYS[d.weekday()]} {d.day} {_FR_MONTHS[d.month - 1]}"


def _date_exacte(r: _Reading, rule: dict):
    d = r.best_date()
    if d and d["precision"] == "exact":
        said = _say_day(d["start"]) if d.get("start") else d.get("text", "")
        at = f" à {d['time'].replace(':', ' h ')}" if d.get("time") else ""
        return True, f"La date est précise : {said}{at}."
    if d and d["precision"] == "range":
        return False, (f"« {_quote(d.get('text') or '')} » désigne une période, pas un jour : "
                       "indiquez une date précise (par exemple « jeudi 26 novembre »).")
    if d and d["precision"] == "vague":
        return False, (f"« {_quote(d.get('text') or '')} » reste flou : "
                       "indiquez le jour exact convenu (par exemple « jeudi 26 novembre »).")
    return False, "Indiquez la date exacte à laquelle le paiement sera fait (un jour précis)."


def _action(r: _Reading, rule: dict):
    done = list(r.methods())
    acts = r.acts()
    if "propose_instalments" in acts:
        done.append("echeancier")
    if acts & {"announce_call", "propose_callback"}:
        done.append("rappel")
    wanted = rule.get("attendu")
    if wanted:
        hits = [a for a in done if a in wanted]
        if hits:
            return True, f"L’action convenue est nommée : {_ACTION_NAMES[hits[0]]}."
        names = " ou ".join(_ACTION_NAMES[a] for a in wanted)
        if done:
            return False, f"Vous mentionnez {_ACTION_NAMES[done[0]]}, mais l’action attendue ici est {names}."
        return False, f"Nommez l’action précise convenue : {names}."
    if done:
        return True, f"L’action convenue est nommée : {_ACTION_NAMES[done[0]]}."
    return False, ("Nommez l’action précise convenue (un virement, l’envoi d’un chèque, "
                   "un échéancier…).")


def _politesse(r: _Reading, rule: dict):
    first = normalise(" ".join(r.sentences[:2]))
    last = normalise(" ".join(r.sentences[-3:]))
    hello = bool(_GREETING.search(first))
    bye = bool(_CLOSING.search(last))
    if hello and bye:
        return True, "Le ton est courtois : une salutation au début, une formule de politesse à la fin."
    if not hello and not bye:
        return False, ("Ajoutez une salutation au début (« Bonjour Madame, ») et une formule "
                       "de politesse à la fin (« Cordialement »).")
    if not hello:
        return False, "Commencez par une salutation (« Bonjour Madame, »)."
    return False, "Terminez par une formule de politesse (« Cordialement », « Bien à vous »)."


def _sans_menace(r: _Reading, rule: dict):
    """Every sentence that hurts, threatens or shouts is quoted, not only the first."""
    found = []
    for sentence, u in r.analyses:
        if u.has("insult", "contempt"):
            found.append(f"des mots blessants : « {_quote(sentence)} »")
        elif u.has("threat", "threat_soft") and analyse(
                _LEGAL_TERMS.sub("conditions", normalise(sentence)), today=r.today).has("threat", "threat_soft"):
            found.append(f"une phrase qui peut être lue comme une menace : « {_quote(sentence)} »")
        elif u.shouting:
            found.append(f"des majuscules ou des points d’exclamation en série, qui donnent l’impression "
                         f"de crier : « {_quote(sentence, 50)} »")
    if not found:
        return True, "Le ton reste professionnel : aucune menace ni parole blessante."
    if len(found) == 1:
        return False, f"Retirez {found[0]}. À ce stade, restez sur l’engagement obtenu."
    return False, ("Retirez ces " + str(len(found)) + " passages : " + " ; ".join(found)
                   + ". À ce stade, restez sur l’engagement obtenu.")


def _question(r: _Reading, rule: dict):
    label = rule.get("libelle")
    if any(u.questions or s.rstrip().endswith("?") for s, u in r.analyses):
        return True, f"Vous posez une question{f' : {label}' if label else ''}."
    return False, f"Posez au moins une question{f' : {label}' if label else ''}, pour obtenir une information précise."


#: Words of the course that learners say in other ways: an author who lists one of them in a
#: `mots` rule accepts the others ("la somme inscrite dessus" is the amount).
SYNONYMS = (
    ("montant", "somme", "total", "totalite", "integralite", "combien", "chiffre", "combien"),
    ("numero", "n°", "reference", "references"),
    ("poste", "envoye", "expedie", "parti", "date d'envoi", "mis a la poste", "quel jour", "quand"),
    ("facture", "note", "la facture"),
    ("virement", "virer", "vire", "transfert"),
    ("courriel", "mail", "e mail", "message", "ecrit"),
    ("echeance", "date limite", "a regler avant", "a payer avant"),
    ("cheque", "cheques", "chequier"),
    ("rappeler", "rappel", "recontacter", "reappeler", "coup de fil"),
)


@functools.cache
def _synonyms() -> dict[str, tuple[str, ...]]:
    """SYNONYMS by each of their words, normalised (made on first use: 288 normalisations
    were 10 ms of the browser engine's start)."""
    return {normalise(w): tuple(normalise(x) for x in group) for group in SYNONYMS for w in group}


def _has_phrase(norm: str, phrase: str) -> bool:
    """A phrase, or one of its synonyms, at the start of a word: "envoy" finds "envoyé"."""
    key = normalise(phrase).strip()
    for variant in _synonyms().get(key, (key,)):
        if re.search(r"(?<![a-z0-9])" + re.escape(variant), norm) is not None:
            return True
    return False


def _mots(r: _Reading, rule: dict):
    label = rule["libelle"]
    missing = [w for w in rule.get("tous", []) if not _has_phrase(r.norm, w)]
    some = rule.get("un_parmi")
    if missing:
        return False, f"Pensez à mentionner {label} (il manque : « {missing[0]} »)."
    if some and not any(_has_phrase(r.norm, w) for w in some):
        return False, f"Pensez à mentionner {label}."
    return True, f"Vous mentionnez {label}."


def _longueur(r: _Reading, rule: dict):
    n = len(r.words)
    low, high = rule.get("min_mots"), rule.get("max_mots")
    if low is not None and n < low:
        return False, f"Votre texte compte {n} mot{'s' if n > 1 else ''} : développez un peu (au moins {low})."
    if high is not None and n > high:
        return False, f"Votre texte compte {n} mots : allez à l’essentiel (au plus {high})."
    return True, f"La longueur convient ({n} mot{'s' if n > 1 else ''})."


_CHECKS = {
    "montant": _montant, "date_exacte": _date_exacte, "action": _action, "politesse": _politesse,
    "sans_menace": _sans_menace, "question": _question, "mots": _mots, "longueur": _longueur,
}


def check_text(text, rules, today=None) -> dict:
    """Apply `rules` to the learner's `text`; a JSON-able verdict in French.

    Returns {"passed", "score" (0-1), "present": [...], "missing": [...],
    "results": [{"regle", "ok", "message"}], "summary", "notes": [...]}.
    Never raises on any text; raises ValueError on an invalid rule list.
    """
    problems = validate_rules(rules)
    if problems:
        p = problems[0]
        where = f"règle {p['index'] + 1}, " if p["index"] is not None else ""
        raise ValueError(f"{where}{p['field']} : {p['message']}")
    notes = []
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        notes.append(f"Votre texte est très long : seuls les {MAX_CHARS} premiers caractères ont été lus.")
    results = []
    if not normalise(text).strip(" .,;:!?-'\""):
        for rule in rules:
            results.append({"regle": rule["regle"], "ok": False, "message": _empty_message(rule)})
        summary = "Votre texte est vide : écrivez votre réponse, puis validez."
    else:
        reading = _Reading(text, _today(today))
        for rule in rules:
            ok, message = _CHECKS[rule["regle"]](reading, rule)
            results.append({"regle": rule["regle"], "ok": ok, "message": message})
        telegraphic = _telegraphic(reading)
        if telegraphic:
            # "numéro montant posté ?" names every point, but no client would understand it.
            results.append({"regle": "phrases", "ok": False, "message": telegraphic})
        good = sum(r["ok"] for r in results)
        if good == len(results):
            summary = "Tout y est : votre texte remplit chaque point attendu."
        elif good == 0:
            summary = (f"Aucun des {len(results)} points attendus n’est encore présent : "
                       "reprenez votre texte avec les conseils ci-dessous.")
        else:
            summary = (f"{good} point{'s' if good > 1 else ''} sur {len(results)} "
                       f"{'sont présents' if good > 1 else 'est présent'} : complétez les points manquants.")
    good = sum(r["ok"] for r in results)
    return {
        "passed": good == len(results),
        "score": round(good / len(results), 4),
        "present": [r["message"] for r in results if r["ok"]],
        "missing": [r["message"] for r in results if not r["ok"]],
        "results": results,
        "summary": summary,
        "notes": notes,
    }


def _telegraphic(r: _Reading) -> str | None:
    """A message when the text is a list of words rather than sentences, else None."""
    words = len(r.words)
    if words < 2:
        return None
    sentences = [(s, u) for s, u in r.analyses if len(_WORD.findall(s)) >= 3]
    bare = [s for s, u in sentences if not SENTENCE.search(u.norm) and not _VERB.search(u.norm)
            and not _GREETING.search(u.norm) and not _CLOSING.search(u.norm)
            and not u.acts & {"agree", "thanks", "goodbye"}]
    if sentences and len(bare) * 2 >= len(sentences) and words <= 60:
        return (f"Écrivez des phrases complètes : « {_quote(bare[0], 50)} » est une suite de mots. "
                "Le client doit comprendre ce que vous lui demandez (par exemple « Pouvez-vous me "
                "donner le numéro du chèque ? »).")
    return None


def _empty_message(rule: dict) -> str:
    label = rule.get("libelle")
    return {
        "montant": "Le montant n’est pas encore indiqué.",
        "date_exacte": "La date exacte n’est pas encore indiquée.",
        "action": "L’action convenue n’est pas encore nommée.",
        "politesse": "Salutation et formule de politesse manquent.",
        "sans_menace": "Le ton sera vérifié quand vous aurez écrit votre texte.",
        "question": "Aucune question pour l’instant.",
        "mots": f"Il manque {label}." if label else "Des mots attendus manquent.",
        "longueur": "Le texte est vide.",
    }[rule["regle"]]
