"""Understanding the learner: one French line -> speech acts + entities.

Everything is precompiled, linear-time regular expressions over a normalised
copy of the line (lower case, no accents, straight apostrophes, single spaces,
common typos fixed). Several acts can be found in one line.

    >>> u = analyse("Bonjour, quand pensez-vous régler la facture F-2026-117 ?")
    >>> sorted(u.acts)  # doctest: +NORMALIZE_WHITESPACE
    ['ask_when', 'greeting', 'invoice', 'open_question', 'question']
"""

from __future__ import annotations

import re
import unicodedata

from . import lazy_re
from .dates import parse_date

__all__ = ["Utterance", "analyse", "normalise", "clean", "METHODS", "SCORING_ACTS", "plan_items", "who_calls",
           "proposes_change", "hour_of"]

#: Longest line that is analysed as a normal spoken sentence; longer lines are a monologue.
LONG_LINE = 600
#: Characters actually scanned (the rest of a huge paste is ignored).
SCAN_LIMIT = 4000

METHODS = ("virement", "cheque", "carte", "prelevement", "especes")

#: Acts that carry credit in the debrief; a line showing too many of them is keyword stuffing.
SCORING_ACTS = frozenset({
    "ask_when", "ask_how", "ask_amount", "press", "propose_instalments", "empathy",
    "threat", "recap", "announce_email", "announce_call", "refer_documents",
    "ask_cheque", "accept_vague", "refuse", "listening", "ask_reason",
})
STUFFING_THRESHOLD = 6


# --------------------------------------------------------------------------- normalisation

_CONTROL = {c: " " for c in range(32)}
_CONTROL.update({127: " "})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'",
                              "\u02bc": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"',
                              "\u00ab": '"', "\u00bb": '"', "\u2013": "-", "\u2014": "-",
                              "\u2011": "-", "\u2010": "-", "\u00a0": " ", "\u202f": " ",
                              "\u2009": " ", "\u2026": "...", "\u0153": "oe", "\u0152": "OE",
                              "\u00e6": "ae", "\u00c6": "AE"})
_SPACES = lazy_re.compile(r"\s+")
_WORD_HYPHEN = lazy_re.compile(r"(?<=[a-z])-(?=[a-z])")

# Word-level typo and abbreviation fixes (applied on the accent-free, lower-case text).
_TYPOS = {
    "bjr": "bonjour", "bonjours": "bonjour", "bonjoru": "bonjour", "bonour": "bonjour",
    "bonjuor": "bonjour", "bnjour": "bonjour", "bonjou": "bonjour", "bojour": "bonjour",
    "bonjor": "bonjour", "bonojur": "bonjour", "bonsior": "bonsoir", "aurevoir": "au revoir",
    "bonsoirs": "bonsoir", "slt": "salut", "allo": "allo", "allô": "allo",
    "svp": "s'il vous plait", "stp": "s'il te plait", "qd": "quand", "quant": "quand",
    "kan": "quand", "pk": "pourquoi", "pq": "pourquoi", "pkoi": "pourquoi", "vs": "vous",
    "ds": "dans", "pr": "pour", "tjrs": "toujours", "tjs": "toujours", "jsuis": "je suis",
    "chui": "je suis", "jai": "j'ai", "jvais": "je vais", "cest": "c'est", "jpeux": "je peux",
    "chq": "cheque", "cheq": "cheque", "chek": "cheque", "ceque": "cheque",
    "vir": "virement", "virment": "virement", "virrement": "virement", "viremment": "virement",
    "vierment": "virement", "fact": "facture", "fature": "facture", "factrue": "facture",
    "facure": "facture", "factur": "facture", "factuer": "facture", "email": "mail",
    "courriel": "mail", "mel": "mail", "mails": "mail", "emails": "mail",
    "aujourdhui": "aujourd'hui", "ajd": "aujourd'hui", "auj": "aujourd'hui", "dem1": "demain",
    "ok": "ok", "okay": "ok", "oki": "ok", "okk": "ok", "dac": "d'accord", "dacc": "d'accord",
    "daccord": "d'accord", "dak": "d'accord", "cad": "c'est a dire", "rdv": "rendez vous",
    "recapitule": "recapitule", "recap": "recapitulatif", "recapituler": "recapituler",
    "echancier": "echeancier", "echeanchier": "echeancier", "echeancie": "echeancier",
    "prelevment": "prelevement", "especse": "especes", "merçi": "merci", "mrc": "merci",
    "mci": "merci", "stv": "si tu veux", "cb": "carte bancaire", "tel": "telephone",
    "comptabe": "comptable", "comtable": "comptable", "pb": "probleme", "pbm": "probleme",
    "dc": "donc", "rapellez": "rappelez", "rapeller": "rappeler", "rapelle": "rappelle",
    "rapellerai": "rappellerai", "rapelez": "rappelez", "appeller": "appeler", "apeller": "appeler",
    "rappeller": "rappeler", "rappellez": "rappelez", "comprend": "comprends", "c": "c'est", "koi": "quoi", "kest": "qu'est", "sest": "s'est", "ki": "qui", "num": "numero",
    "vrmt": "vraiment", "jpense": "je pense", "jcomprends": "je comprends", "jte": "je te",
    "jvous": "je vous", "tkt": "t'inquiete", "biensur": "bien sur",
    "bcp": "beaucoup", "tt": "tout", "tte": "toute", "mtn": "maintenant", "mnt": "maintenant",
    "tkt": "t'inquiete", "bye": "au revoir", "ciao": "au revoir", "arvoir": "au revoir",
    "aurevoir": "au revoir", "orevoir": "au revoir",
}
_TYPO_RE = lazy_re.compile(r"(?<![\w'])(" + "|".join(sorted(map(re.escape, _TYPOS), key=len, reverse=True))
                      + r")(?![\w'])")
_FIXUPS = (
    (lazy_re.compile(r"\baujourd ?hui\b"), "aujourd'hui"),
    (lazy_re.compile(r"\b(c|j|l|d|n|m|s|qu) (?=(?:est|ai|avais|aurai|aurais|accord|envoie|"
                r"envoyer|ici|attends|attend|appelle|entends|en|y|etes|a|un|une|il|elle|on|"
                r"ecoute|imagine)\b)"), r"\1'"),
    (lazy_re.compile(r"\be mail\b"), "mail"),
    (lazy_re.compile(r"\bn ?°|\bno\.|\bnum\.?(?= ?\d)|\bnr\.?(?= ?\d)"), "numero "),
    (lazy_re.compile(r"\bn(?=\d)"), "numero "),
)


def clean(text: object) -> str:
    """Printable text: control characters removed, quotes unified, spaces collapsed."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text[:SCAN_LIMIT * 3].translate(_CONTROL).translate(_APOSTROPHES)
    # Drop other invisible format characters (zero-width, bidi marks).
    if any(unicodedata.category(ch) in ("Cf", "Cc", "Cs", "Co") for ch in text if ord(ch) > 127):
        text = "".join(ch for ch in text
                       if ord(ch) < 128 or unicodedata.category(ch) not in ("Cf", "Cc", "Cs", "Co"))
    return _SPACES.sub(" ", text).strip()


def _fold(text: str) -> str:
    """Lower case, accents removed (é -> e, ç -> c)."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: object) -> str:
    """Accent-free, lower-case, typo-fixed text used by every pattern below."""
    norm = _fold(clean(text)[:SCAN_LIMIT])
    norm = _WORD_HYPHEN.sub(" ", norm)
    norm = _TYPO_RE.sub(lambda m: _TYPOS[m.group(1)], norm)
    for pattern, repl in _FIXUPS:
        norm = pattern.sub(repl, norm)
    return _SPACES.sub(" ", norm).strip()


# --------------------------------------------------------------------------- acts

def _rx(*alternatives: str) -> lazy_re.LazyPattern:
    return lazy_re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")


_YOU_PAY = r"(?:regler|payer|reglerez|payerez|regle|paye|faire le (?:virement|paiement|reglement)|proceder|envoyer|poster|honorer|solder|virer)"

_ACT_PATTERNS: dict[str, lazy_re.LazyPattern] = {
    "greeting": _rx(r"bonjour", r"bonsoir", r"allo", r"salut", r"bien le bonjour", r"hello"),
    "introduce": _rx(r"je suis (?!(?:desole|desolee|navre|navree|sur|sure|certain|certaine|d'accord|ok|"
                     r"content|contente|ravi|ravie|surpris|surprise|etonne|etonnee|tres|vraiment|"
                     r"oblige|obligee|au |en |pret|prete|la\b|bien|pas|un peu|embete|embetee|confus|"
                     r"confuse|inquiet|inquiete|persuade|persuadee|convaincu|convaincue|disponible|"
                     r"joignable|sincerement|toujours|encore|juste|tout|toute|aussi|moi|a |desolees?|"
                     r"heureux|heureuse|sensible|conscient|consciente|de votre|de bonne)\b)\w+", r"je m'appelle", r"(?<!d')(?<!par )ici (?!(?:vendredi|lundi|mardi|mercredi|jeudi|samedi|dimanche|demain|la|le|fin|\d))\w+", r"de la (?:part|societe|"
                     r"maison|boite|compagnie|cabinet|agence)", r"c'est \w+ (?:de|du|des|chez)",
                     r"(?:je|nous) (?:travaille|travaillons) (?:pour|chez|a)",
                     r"(?:j'appelle|je vous appelle|je vous contacte) (?:de la part|pour la "
                     r"societe|de chez|pour le compte)", r"service (?:comptable|comptabilite|"
                     r"facturation|recouvrement|client)", r"votre (?:fournisseur|prestataire|"
                     r"graphiste|plombier|formateur|electricien|grossiste|imprimeur|photographe)"),
    "invoice": _rx(r"factures?", r"avoir numero", r"reglement en retard", r"impaye", r"impayee",
                   r"retard de (?:paiement|reglement)", r"somme due", r"solde du", r"echeance"),
    "ask_when": _rx(r"quand", r"quel(?:le)? (?:jour|date|moment)", r"a quelle date",
                    r"pour quand", r"d'ici quand", r"quel (?:delai|calendrier)",
                    r"dans combien de (?:temps|jours)", r"a partir de quand",
                    r"(?:une|la|votre) date", r"quel jour", r"date (?:precise|exacte)",
                    r"(?:donner|fixer|convenir d') ?(?:une|la) (?:date|echeance)",
                    r"(?:a quelle|quelle) heure",
                    r"date (?:de|du|pour le|pour votre) (?:paiement|reglement|virement|versement|rappel)",
                    r"(?:pour|a) (?:quelle|quel) (?:echeance|date|jour)",
                    # "Convenir ensemble d'un jour", "un moment précis", "un jour et une heure".
                    r"(?:convenir|convenons|fixer|fixe|fixons|choisir|choisissons|trouver|trouvons|caler|calons|"
                    r"arreter|arretons|definir|definissons)(?: (?!pas\b)\S+){0,2}? "
                    r"(?:d'|de )?(?:un|une|le|la|ce|cette) (?:jour|date|moment|creneau|heure|rendez vous|rdv)",
                    r"(?:un|une|le|la) (?:moment|creneau|jour|horaire) (?:precis|exact|fixe)e?",
                    r"un jour et une heure"),
    "ask_how": _rx(r"comment (?:comptez|pensez|souhaitez|voulez|pouvez|avez|envisagez|regl|pay)\w*",
                   r"comment (?:allez|vous allez) (?:vous )?(?:payer|regler|proceder|faire le|nous|me)\w*",
                   r"comment vous (?:payez|reglez|paierez|reglerez|allez (?:payer|regler)|comptez|pensez|"
                   r"souhaitez|voulez|pouvez|avez)\w*",
                   r"(?:payez|reglez|paierez|reglerez|payer|regler|paiement|reglement|proceder) comment",
                   r"(?:quel|quelle) (?:moyen|mode|solution) (?:vous|allez|pour)",
                   r"(?:ferez|faites|ferais|feras|faire|payes|regles|paies|payerez|reglerez) comment",
                   r"quand et comment", r"comment et quand",
                   r"comment (?:tu |vous )?(?:payes|regles|vas payer|vas regler|comptes|pourras|pourrez)", r"(?:quel|par quel|avec quel)(?:s)? (?:moyens?|modes?) "
                   r"de (?:paiement|reglement)", r"par quel (?:moyen|biais)", r"moyens? de (?:paiement|reglement)",
                   r"modes? de (?:paiement|reglement)", r"(?:par|en) virement ou (?:par |en )?cheque",
                   r"(?:par|en) cheque ou (?:par )?virement", r"de quelle (?:maniere|facon)",
                   r"(?:virement|cheque|carte|prelevement|especes|lien de paiement),? (?:ou|plutot) "
                   r"(?:par |en |un |une |le |la )?(?:virement|cheque|carte|prelevement|especes)"),
    "ask_amount": _rx(r"combien", r"quel montant", r"quelle somme", r"la totalite",
                      r"l'integralite", r"le montant (?:total|complet|entier|integral)",
                      r"(?:tout|totalement|entierement|integralement) (?:regler|payer)",
                      r"(?:regler|payer) (?:tout|la totalite|l'integralite|le tout)",
                      r"le solde", r"la somme (?:totale|complete)", r"en une (?:seule )?fois"),
    "press": _rx(r"precisement", r"exactement", r"concretement", r"plus precis\w*",
                 r"date (?:precise|exacte|ferme)", r"jour (?:precis|exact)", r"heure (?:precise|exacte)",
                 r"(?:il|j') ?(?:me faut|ai besoin d') ?(?:une|un) (?:date|jour|engagement|heure)",
                 r"je (?:voudrais|souhaiterais|prefererais|prefere|aimerais|veux|exige|demande|"
                 r"souhaite|dois avoir|attends) (?:une|un|la|le) (?:date|jour|engagement|heure)", r"(?:fixons|fixer|arretons|arreter|convenons|convenir|"
                 r"bloquer|bloquons|caler|calons) (?:une|un|la|le|ensemble)",
                 r"(?:on|nous) (?:dit|disons|fixe|fixons|cale|calons|convient) (?:quel jour|"
                 r"une date|un jour|ensemble)",
                 r"quel jour (?:exactement|precisement)", r"c'est a dire", r"vous vous engagez",
                 r"pouvez vous vous engager", r"votre engagement", r"sans faute",
                 r"(?:pouvez|pourriez) vous (?:me )?(?:confirmer|preciser|donner) (?:une|la|le|un)"),
    "propose_instalments": _rx(r"echeanciers?", r"en (?:plusieurs|deux|trois|quatre|2|3|4) "
                               r"(?:fois|versements|mensualites|echeances|paiements)",
                               r"etaler", r"etalement", r"echelonner", r"echelonnement",
                               r"plan de (?:paiement|reglement|remboursement)", r"mensualites?",
                               r"paiements? (?:partiels?|fractionnes?|echelonnes?)",
                               r"(?:un|le|premier) (?:premier )?(?:versement|acompte|paiement partiel)",
                               r"une partie (?:maintenant|aujourd'hui|tout de suite|des maintenant|"
                               r"cette semaine|du montant)", r"le reste (?:le|en|dans|au|a)",
                               r"fractionner", r"par (?:tranches|mois)"),
    "empathy": _rx(r"je (?:vous )?comprends", r"je comprend", r"je (?:le )?conçois",
                   r"je (?:le )?concois", r"ca (?:peut )?arrive\w*", r"cela (?:peut )?arrive\w*",
                   r"c'est comprehensible", r"je vois(?! pas)", r"ce n'est pas grave",
                   r"pas de (?:souci|soucis|probleme) (?:pour|je comprends)", r"je suis desole\w*",
                   r"desole\w* (?:pour|d'apprendre|de l'apprendre)", r"j'imagine",
                   r"ce n'est pas (?:facile|evident|simple)", r"periode (?:difficile|compliquee)",
                   r"je me doute", r"je compatis", r"merci de (?:votre|me|m'avoir) (?:franchise|"
                   r"dire|expliquer|honnetete)", r"ca ne doit pas etre (?:facile|simple|evident)",
                   r"je vous (?:entends|remercie de votre franchise)", r"je sais que c'est",
                   r"aucun (?:souci|probleme)", r"pas de souci(?:s)?,? (?:ca|sa) arrive",
                   r"je suis (?:vraiment |sincerement )?(?:navre|navree|desolee)", r"navre\w* (?:pour|d'|de)",
                   r"(?:ca|cela|c') ?(?:doit|ne doit pas|a du|est) (?:etre )?(?:vraiment |tres )?(?:penible|dur|"
                   r"difficile|complique|lourd|stressant|usant|epuisant|galere|pas simple|pas evident)",
                   r"(?:ca|cela) (?:arrive|peut arriver) a tout le monde", r"je comprends tout a fait",
                   r"(?:pas|aucun) (?:de )?(?:souci|soucis|probleme),? (?:je|ca|cela|c'est)",
                   r"c'est (?:normal|bien normal|humain)", r"je suis (?:passe|passee) par la",
                   r"j'entends bien ce que vous", r"j'ai de la comprehension", r"(?:c'est )?pas de chance",
                   r"je vous entends", r"je comprends (?:bien|parfaitement|votre)", r"ce n'est pas de chance",
                   r"je me mets a votre place",
                   r"vous avez raison de", r"merci de votre (?:comprehension|patience|reponse)"),
    "listening": _rx(r"si je (?:vous )?comprends bien", r"si je comprend bien", r"vous me dites",
                     r"autrement dit", r"en (?:d'autres|d autres) termes", r"si j'ai bien compris",
                     r"donc (?:vous|si je|c'est)", r"j'entends (?:bien|que)", r"je vous ecoute",
                     r"vous voulez dire", r"je note que", r"d'apres vous", r"dites moi",
                     r"expliquez moi", r"racontez moi", r"j'entends bien ce que vous", r"je vous entends"),
    "ask_reason": _rx(r"pourquoi", r"que se passe t ?il", r"qu'est ce qui (?:s'est|c'est|se) passe",
                      r"(?:ca|cela) s'est passe", r"racontez moi", r"(?:c'est )?quoi le (?:souci|probleme|"
                      r"blocage|hic)", r"de quo?i s'agit il", r"de quel \w+ (?:il )?s'agit", r"il s'agit de quoi",
                      r"que s'est il passe", r"qu'est ce qui (?:vous )?(?:se passe|bloque|"
                      r"coince|ne va pas|pose probleme)", r"quel(?:le)? (?:est le|est la)? ?"
                      r"(?:probleme|souci|difficulte|raison|blocage)", r"y a t ?il (?:un|une) "
                      r"(?:probleme|souci|difficulte|raison|blocage)", r"il y a (?:un|une) "
                      r"(?:probleme|souci|difficulte|raison|blocage)", r"(?:un|une) "
                      r"(?:probleme|souci|difficulte|raison|blocage)", r"tout va bien",
                      r"qu'est ce qui (?:s'est passe|vous empeche)", r"que s'est il passe",
                      r"qu'est ce qui (?:cloche|vous gene|vous derange)", r"ou en (?:est|etes)",
                      r"(?:qu'est ce que vous|que) (?:reprochez|contestez|n'aimez pas)",
                      r"qu'est ce qui ne (?:vous )?(?:convient|plait) pas", r"en quoi", r"qu'est ce qui ne va pas",
                      r"de quoi s'agit il", r"qu'est ce qu'il (?:se passe|y a)"),
    "threat": _rx(r"avocats?", r"tribunal", r"tribunaux", r"huissiers?",
                  r"commissaires? de justice", r"injonction(?: de payer)?", r"mise en demeure",
                  r"mettre en demeure", r"poursuites? (?:judiciaires?|en justice)",
                  r"(?:engag|lanc|entam|intent|declench)\w* (?:des |une |la |les |l')?(?:poursuites|"
                  r"procedure|action (?:en justice|judiciaire)|contentieux)", r"vous poursuivre", r"contentieux",
                  r"(?:passer|passe|transmettre|transmets|confier|confie) (?:le dossier |votre dossier |ca )?"
                  r"(?:a|au|aux) (?:notre |un |mon |nos )?(?:avocat|huissier|service contentieux|juridique)",
                  r"(?:en|la|une) justice", r"procedure (?:judiciaire|de recouvrement|simplifiee)",
                  r"porter plainte", r"recouvrement (?:judiciaire|force)",
                  r"societe de recouvrement", r"saisie (?:sur|de vos|conservatoire|des biens)",
                  r"saisir (?:la justice|le tribunal|le juge)", r"(?:devant|voir) (?:le|un) juge",
                  r"vous allez (?:le )?regretter", r"ca va (?:mal finir|vous couter cher)",
                  r"je (?:debarque|viens|passe|monte) (?:au|a votre|dans votre|chez vous|a l'|en personne)"
                  r"(?: \w+)?(?= *(?:[.!,]|$| et| pour| si| vous))",
                  r"(?:ou|sinon) je (?:debarque|viens|passe|monte)"),
    "insult": _rx(r"escrocs?", r"voleurs?", r"menteurs?", r"menteuse", r"connards?", r"connasse",
                  r"cons", r"con", r"conne", r"idiots?", r"idiote", r"imbeciles?", r"abrutis?",
                  r"cretins?", r"arnaqueurs?", r"arnaqueuse", r"minables?", r"bouffons?",
                  r"enfoires?", r"salauds?", r"salopes?", r"merde", r"putain", r"bordel",
                  r"foutez", r"fous? de (?:moi|ma gueule)", r"foutre", r"gueule",
                  r"vous moquez de moi", r"se moque de moi", r"incompetents?", r"incompetente",
                  r"mauvais payeurs?", r"profiteurs?", r"bandes? de", r"degage\w*", r"ta gueule",
                  r"(?:vous etes|t'es|c'est|etes vous) (?:vraiment |completement |totalement |"
                  r"un |une |des )*(?:nuls?|nulles?|pourris?|pourries?|lamentables?)",
                  r"pourriture", r"debiles?", r"tocards?",
                  r"bougez vous", r"grouillez vous", r"magnez vous"),
    "recap": _rx(r"(?:si )?je (?:recapitule|resume|recapitulais|resumais)", r"(?<=[.!,] )(?:c'est )?note\W*$",
                 r"pour (?:recapituler|resumer|recap|etre (?:sur|certain|clair|"
                 r"bien clair)|que ce soit clair)",
                 r"recapitulons", r"resumons", r"en resume",
                 r"(?:on|nous) est d'accord", r"(?:on|nous) sommes (?:bien )?d'accord",
                 r"c'est (?:bien )?(?:note|entendu|convenu)", r"je (?:le )?note(?! que)",
                 r"je confirme", r"nous (?:avons|aurons) donc", r"donc vous (?:me )?"
                 r"(?:faites|ferez|envoyez|enverrez|postez|posterez|reglez|reglerez|versez|"
                 r"verserez|payez|paierez|rappelez|rappellerez)", r"vous (?:me )?(?:ferez|"
                 r"enverrez|posterez|reglerez|verserez|paierez|rappellerez) donc",
                 r"c'est bien (?:ca|cela)",
                 r"(?:je|nous) (?:retiens|retenons)", r"vous vous engagez donc",
                 r"(?:nous|on) (?:disons|dit) donc", r"c'est (?:bien )?(?:ca|cela|correct|juste|exact)\s*\?",
                 r"donc (?:demain|apres demain|lundi|mardi|mercredi|jeudi|vendredi|le \d+|ce|cet|cette|\d+)",
                 r"(?:tres bien|parfait|ok|d'accord|entendu|c'est note|note)\W+vous (?:me )?(?:rappelez|"
                 r"rappellerez|faites|ferez|envoyez|enverrez|postez|posterez|reglez|reglerez|versez|verserez|"
                 r"payez|paierez)",
                 r"donc (?:vous|m|monsieur|madame|il|elle|mr|mme) (?:\w+ )?(?:me )?(?:rappel|fait|fera|envoi|"
                 r"post|regl|pai|vers|vir)\w*",
                 r"(?:^|[.!?:] )(?:tres bien|parfait|ok|d'accord|entendu|super|top|c'est note|note)\W+"
                 r"(?:donc )?(?:un |le |la |votre )?(?:virement|cheque|paiement|reglement|prelevement|versement|"
                 r"rappel|rendez vous)",
                 r"donc (?:le |un |une |"
                 r"votre |vos |par )?(?:virement|cheque|paiement|reglement|versement|rappel|echeancier|"
                 r"prelevement|premier)"),
    "announce_email": _rx(r"(?:je|nous) (?:vous |la |le |les |l'|lui )*(?:envoie|envoyons|enverrai|enverrons|adresse|"
                          r"adresserai|adressons|confirme|confirmerai|confirmons|fais|ferai|"
                          r"transmets|transmettrai|renvoie|renverrai|renvoyons|redonne|remets)"
                          r"(?: \S+){0,4}? (?:mail|par ecrit|ecrit|lettre|courrier|recapitulatif|"
                          r"confirmation|sms|message)",
                          r"(?:mail|message|courrier|confirmation|ecrit|sms) (?:de )?(?:recapitulatif|"
                          r"recap|confirmation|recapitulant|qui recapitule|pour confirmer|"
                          r"qui confirme|de suivi)", r"trace ecrite",
                          r"confirmation ecrite", r"(?:je|nous) (?:vous )?(?:le |la )?"
                          r"(?:mets|mettrai|mettons) par ecrit", r"vous (?:allez )?recevoir un mail",
                          r"vous recevrez un mail", r"(?:je|nous) (?:vous )?(?:la|le) (?:renvoie|renverrai|renvoyons|"
                          r"retransmets|retransmettrai|reenvoie|reexpedie)",
                          r"(?:je|nous) (?:vous |la |le |l')*(?:renvoie|renverrai|"
                          r"renvoyons|retransmets|retransmettrai|reenvoie) (?:la|une copie|"
                          r"le double|la facture)",
                          r"(?:je|nous|j') (?:vais |allons |peux |pouvons |vous |te |t'|la |le |l'|les |lui |en |"
                          r"immediatement |tout de suite |aujourd'hui |des maintenant |de suite |directement |"
                          r"rapidement )*(?:envoi|envois|envoie|envoies|envoyer|envoye|renvoi|renvois|"
                          r"renvoie|renvoyer|renvoye|reenvoyer|transmettre|transmets|adresser|adresse|"
                          r"faire parvenir|fais parvenir|ecris|ecrire|ecrirai|ecrivons|redige|rediger|"
                          r"mets|mettre)(?: \S+){0,7}? (?:mail|mails|copie|duplicata|double|pdf|facture|"
                          r"factures|recapitulatif|recap|confirmation|ecrit|par ecrit|sms|message|courrier|"
                          r"document|justificatif|piece jointe|lien)",
                          r"(?:une copie|un duplicata|un double|le pdf) (?:de la facture )?(?:par|dans "
                          r"l'heure|aujourd'hui|tout de suite|ce (?:soir|matin))",
                          r"vous (?:l'|la |le )?(?:aurez|recevrez|allez recevoir) (?:\S+ ){0,3}(?:par mail|"
                          r"par ecrit|dans votre boite|dans la journee|dans l'heure|ce soir|demain)",
                          r"(?:confirmation|recapitulatif|recap|echeancier|facture|copie|duplicata|compte rendu|"
                          r"accord|tout ca|le tout) (?:\S+ ){0,2}par (?:mail|ecrit|courrier|sms|message)",
                          r"(?:refais|referai|refaire|corrige|corrigerai|corriger|rectifie|rectifierai|rectifier|"
                          r"reedite|reediterai|reediter|modifie|modifierai|etablis|etablirai) (?:\S+ ){0,2}"
                          r"(?:facture|avoir)", r"(?:nouvelle|une autre) facture (?:corrigee|avec|conforme|rectifiee)",
                          r"facture (?:corrigee|rectifiee|modifiee|conforme)"),
    "announce_call": _rx(r"(?:je|nous) (?:vous )?(?:rappelle|rappellerai|rappellerons|rappelons|"
                         r"rappelerai|appellerai|appellerons|recontacte|recontacterai|"
                         r"recontacterons|relance|relancerai|relancerons)(?! que)",
                         r"(?:je|nous) (?:vous )?(?:passe|passerai|passerons) un (?:coup de fil|"
                         r"appel|coup de telephone)", r"(?:je|nous) (?:vais|vais vous|allons|allons vous) "
                         r"(?:vous )?(?:rappeler|appeler|recontacter|relancer|faire signe)",
                         r"(?:un|mon) (?:appel|rappel) de (?:suivi|controle|confirmation|"
                         r"verification)", r"(?:je|nous) (?:me|nous)? ?permet\w* de vous rappeler",
                         r"(?:voulez|souhaitez) vous que je vous rappelle",
                         r"(?:je|nous) (?:ferai|ferons|fais|faisons) un (?:point|rappel)"),
    "refer_documents": _rx(r"bon de (?:livraison|commande|reception|intervention)",
                           r"proces verbal", r"pv (?:de )?(?:reception|livraison)", r"pv",
                           r"devis (?:signe|accepte|valide|que vous avez)\w*", r"(?:vous avez|avez vous|vous l'avez|"
                           r"que vous avez|vous les avez|vous aviez) (?:\w+ )?(?:sign|valid|accept|approuv)\w*",
                           r"signature", r"signe\w* (?:le|la|sans|a|par|de|votre|vous|avec)", r"sans reserve",
                           r"reserves?", r"bon pour accord", r"conditions generales", r"contrat signe\w*",
                           r"cgv", r"cga", r"(?:nos|vos|les) conditions (?:de vente|de paiement|generales)",
                           r"valid\w* (?:par ecrit|par mail|par courriel|le \d|sans reserve)",
                           r"(?:accord|validation|acceptation|bon) (?:ecrit|ecrite|par ecrit|signee?)",
                           r"accuse de reception", r"(?:photos?|mails?) (?:de|du|a la) (?:livraison|"
                           r"reception|chantier|fin)", r"recette", r"valide (?:par|le|la)",
                           r"(?:numero|num|reference) (?:de |du )?(?:bon de )?commande", r"bc", r"bon de commande"),
    "ask_cheque": _rx(r"numero (?:du|de|de votre) cheque", r"numero de cheque",
                      r"(?:le|son|quel|un|ce) numero", r"quel (?:est )?(?:le )?numero",
                      r"date d'envoi", r"(?:envoye|poste|expedie|parti)e?s? (?:quand|le|quel jour|"
                      r"a quelle date|exactement)", r"(?:quelle date|quel jour) (?:il|le cheque|est il|"
                      r"a t il) (?:a ete |est )?(?:envoye|poste|expedie|parti)",
                      r"quand (?:l'avez|avez|l'a|a t il|est il|vous l'avez|il a ete) (?:vous )?"
                      r"(?:envoye|poste|expedie|parti)", r"(?:le )?cachet de la poste",
                      r"quand (?:est )?(?:il|le cheque) (?:est )?parti",
                      r"(?:sur |de )?quelle banque", r"(?:lettre|courrier) (?:suivie?|recommandee?)",
                      r"(?:le )?montant (?:du|de ce|de votre) cheque", r"date (?:d'emission|du cheque)",
                      r"(?:il|le cheque) est (?:bien |donc )?(?:de|d'un montant de|libelle|a l'ordre)",
                      r"photo du cheque", r"talon", r"souche"),
    "propose_callback": _rx(r"vous (?:me )?(?:rappelez|rappellerez|recontactez|recontacterez|"
                            r"reviendrez|revenez)", r"(?:il|elle) (?:me )?(?:rappelle|rappellerait|rappellera|"
                            r"rappelerait|pourrait me rappeler|peut me rappeler|pourra me rappeler)",
                            r"(?:pourrait|pourra|peut) (?:il|elle) (?:me )?(?:rappeler|recontacter|joindre)", r"(?:pouvez|pourriez) vous (?:me )?(?:rappeler|"
                            r"recontacter|revenir)", r"rappelez moi", r"revenez vers moi",
                            r"(?:vous|il) (?:voit|verra|verrez|voyez) (?:votre|le|son) comptable",
                            r"(?:vous|il) (?:le|la) (?:voyez|verrez|voit|verra|joignez|joindrez|contactez|"
                            r"appelez|rencontrez)", r"(?:pouvez|pourrez|pourriez) vous (?:le|la) (?:joindre|voir|"
                            r"contacter|appeler)",
                            r"votre comptable", r"(?:un|votre) (?:retour|reponse)",
                            r"(?:avec|avoir|me donner|aurez) (?:sa|la|une|votre) reponse"),
    "first_payment_now": _rx(r"(?:des (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|demain|aujourd'hui|maintenant|cette semaine|ce mois|que possible|reception)|tout de suite|immediatement|maintenant|aujourd'hui|"
                             r"cette semaine|demain)(?:.{0,40}?)(?:premier|acompte|"
                             r"une partie|versement|partie)",
                             r"(?:premier|premiere|1er|1ere|un) (?:versement|paiement|acompte|reglement|"
                             r"virement|cheque)(?: \\S+){0,6}? "
                             r"(?:des (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|demain|aujourd'hui|maintenant|cette semaine|ce mois|que possible|reception)|tout de suite|immediatement|maintenant|aujourd'hui|"
                             r"cette semaine|demain|rapidement|sans attendre|ce mois ci|avant la fin du mois)",
                             r"(?:verser|payer|regler|virer|donner|mettre)(?: \\S+){0,3}? (?:des (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|demain|aujourd'hui|maintenant|cette semaine|ce mois|que possible|reception)|"
                             r"tout de suite|immediatement|cette semaine|aujourd'hui|maintenant)",
                             r"(?:une partie|quelque chose|une somme|un acompte) (?:des )?"
                             r"(?:tout de suite|immediatement|maintenant|aujourd'hui|cette semaine|"
                             r"des demain|demain)", r"commencer (?:des |tout de suite|maintenant|"
                             r"aujourd'hui|cette semaine|demain)", r"premier (?:versement|paiement) "
                             r"(?:des )?(?:maintenant|aujourd'hui|tout de suite|immediat)",
                             r"sans attendre", r"pas (?:le mois prochain|en janvier|dans un mois)",
                             r"(?:combien|quelle somme|quel montant)(?: \S+){0,5}? (?:maintenant|"
                             r"tout de suite|aujourd'hui|cette semaine|immediatement|des (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|demain|aujourd'hui|maintenant|cette semaine|ce mois|que possible|reception))",
                             r"(?:que )?(?:ca|le premier|cela) commence (?:tout de suite|maintenant|"
                             r"aujourd'hui|cette semaine)",
                             r"(?:la moitie|un tiers|le tiers|un quart|le quart|\d{1,2} ?(?:%|pour ?cent)|"
                             r"une partie|un peu|quelque chose)(?: \S+){0,3}? (?:maintenant|tout de suite|"
                             r"aujourd'hui|cette semaine|des demain|demain|immediatement|des a present|ce mois ci)"),
    "cite_law": _rx(r"(?:article |art\.? )?[lrd] ?\.? ?\d{3}[ -]\d{1,3}(?:[ -]\d{1,2})?",
                    r"(?:le |du )?code (?:de commerce|civil|de la consommation)", r"la loi",
                    r"(?:c'est |c'est tout a fait |c'est parfaitement )?(?:legal|legale)(?! de)",
                    r"legalement", r"obligation legale", r"textes? de loi", r"loi (?:lme|"
                    r"de modernisation|du \d)", r"reglementation", r"reglementaire",
                    r"(?:prevu|prevue|prevues|prevus|impose|imposee|imposees|fixe|fixee|fixees) par "
                    r"(?:la loi|le code|les textes|la reglementation)",
                    r"directive europeenne", r"jurisprudence", r"cour de justice", r"cjue",
                    r"(?:c'est|est) (?:automatique|de droit|du|dues? de plein droit)",
                    r"de plein droit", r"dues? (?:automatiquement|sans rappel)"),
    "waive": _rx(r"(?:je|nous) (?:vous )?(?:y )?(?:renonce|renoncons|renoncerai|renoncerons|"
                 r"abandonne|abandonnons|abandonnerai|annule|annulons|annulerai|retire|retirons|"
                 r"retirerai|efface|effacons|supprime|supprimons|offre|offrons|offrirai)\b"
                 r"(?: \S+){0,3}? (?:penalites?|frais|indemnites?|interets|majorations?|"
                 r"les 40|le supplement|la difference|le reste)",
                 r"(?:je|nous) (?:vous )?(?:renonce|renoncons|renoncerai|renoncerons) a",
                 r"(?:je veux bien|je peux|je suis pret a|nous pouvons|on peut|je vais|nous allons|"
                 r"on va) (?:vous )?(?:renoncer|abandonner|annuler|oublier|laisser tomber|retirer|"
                 r"effacer|supprimer|passer l'eponge|faire (?:un geste|grace)|offrir|faire cadeau)",
                 r"(?:on|je) (?:oublie|laisse tomber|passe l'eponge|vous fais grace|vous en fais grace)",
                 r"geste commercial", r"(?:je vous (?:les |en )?fais|je vous (?:les |en )?ferai) cadeau",
                 r"sans (?:les )?(?:frais|penalites|indemnites?|interets) (?:de retard|si|a condition)",
                 r"(?:frais|penalites|indemnites?) (?:offerts?|offertes?|annules?|annulees?|abandonnes?|"
                 r"abandonnees?|retires?|retirees?)",
                 r"je ne vous (?:les |en )?(?:facture|facturerai|reclame|reclamerai|demande|demanderai) pas",
                 r"on n'en parle plus",
                 # "Laissez tomber les pénalités", "oubliez les 40 €", "je ne vous réclame plus les frais".
                 r"(?:laissez tomber|laissons tomber|oubliez|oublions|zappez|ne tenez pas compte|ne payez pas|"
                 r"ne reglez pas|passons sur|faites l'impasse sur|vous pouvez oublier|vous pouvez laisser tomber)"
                 r"(?: \S+){0,2}? (?:les |des |de |la |l')?(?:penalites?|frais|indemnites?|interets|majorations?|"
                 r"40|quarante)",
                 r"(?:je|nous|on) ne (?:vous )?(?:les |en |leur )?(?:reclame|reclamons|reclamerai|reclamerons|"
                 r"demande|demandons|demanderai|facture|facturons|facturerai) plus(?: \S+){0,2}? "
                 r"(?:les |des |de |la |l')?(?:penalites?|frais|indemnites?|interets|majorations?|40|quarante|rien)"),
    "ask_transfer": _rx(r"(?:pouvez|pourriez|pourrais|puis|peux|voulez|voudriez) (?:vous |je |tu )?"
                        r"(?:me )?(?:le |la )?(?:passer|transferer|mettre en (?:relation|contact|ligne))",
                        r"(?:me )?(?:le|la) passer", r"passez (?:le|la) moi", r"mettez moi en (?:relation|contact)",
                        r"(?:parler|m'entretenir|echanger) (?:a|avec) (?:m|monsieur|madame|mme|mr|votre|son|"
                        r"sa|le|la|lui|elle)\b", r"(?:est il|est elle|serait il|serait elle|sera t il|"
                        r"sera t elle) (?:disponible|joignable|libre|present|presente|la)",
                        r"je (?:voudrais|souhaiterais|souhaite|veux|aimerais|dois) (?:parler|joindre|avoir)",
                        r"(?:joindre|avoir en ligne) (?:m|monsieur|madame|mme|mr)\b",
                        r"(?:lui|la|le) (?:deranger|prendre) (?:deux|une|quelques|2|5|cinq) (?:minutes?|instants?)",
                        r"(?:deux|2) minutes (?:avec lui|avec elle|de son temps|maintenant|entre deux)",
                        r"(?:il|elle) n'aurait pas (?:\S+ ){0,2}(?:deux|quelques|cinq|2|5) minutes",
                        r"(?:s'il|si elle|qu'il|qu'elle) (?:a|aurait|peut|pourrait) (?:\S+ ){0,2}(?:deux|quelques|cinq|"
                        r"2|5|une|un) (?:\S+ )?(?:minutes?|instants?|moment)",
                        r"(?:il|elle) (?:peut|pourrait|pourra|pourrait t il|pourrait t elle) me "
                        r"(?:prendre|recevoir|parler|repondre)",
                        r"me prendre (?:deux|une|quelques|2|5|cinq) (?:minutes?|instants?)",
                        r"(?:pourrais|puis|peux|pourrai|pourrions|pouvons) (?:je |nous )?(?:lui parler|"
                        r"le joindre|la joindre|l'avoir|parler a)",
                        r"lui parler (?:deux|une|quelques|2|5|cinq|rapidement|brievement|un instant)",
                        r"(?:entre deux|a la fin de son|apres son) (?:rendez vous|reunion|rdv)"),
    "wait_on_line": _rx(r"(?:allez|aller) (?:y )?(?:voir|verifier|regarder|chercher|consulter)",
                        r"(?<!que )(?<!qu')j'attends(?! (?:votre|vos|de vos|son|sa|ses|un|une|le|la|les|des|qu|que|depuis|"
                        r"avec|jusqu|demain|lundi|mardi|mercredi|jeudi|vendredi|la semaine))",
                        r"je (?:reste|patiente|peux patienter|peux attendre|vais patienter|ne quitte pas)"
                        r"(?: en ligne| au bout du fil| sur la ligne)?",
                        r"(?:je vous laisse|prenez le temps de) (?:regarder|verifier|chercher|consulter)",
                        r"(?:regardez|verifiez|consultez) (?:maintenant|tout de suite|pendant que)",
                        r"je ne (?:quitte|raccroche) pas"),
    "smalltalk": _rx(r"comment allez vous", r"comment vous allez", r"vous allez bien", r"comment ca va",
                     r"comment (?:va|vont|marche|marchent) (?:la|le|les|votre|vos) \w+",
                     r"(?:ca|tout) va bien\s*\?",
                     r"ca va(?: bien)? ?\?", r"comment vous portez vous", r"comment se passe (?:votre|la) "
                     r"(?:journee|semaine|saison)"),
    "contempt": _rx(r"(?:de )?mauvaise foi", r"vous (?:vous )?(?:fichez|foutez|moquez) (?:de|du)",
                    r"(?:c'est|vous etes|c'etait) (?:vraiment |tout a fait |completement )?(?:honteux|honteuse|"
                    r"inadmissible|scandaleux|scandaleuse|lamentable|pathetique|ridicule|inacceptable de votre part)",
                    r"vous (?:mentez|me mentez|me menez en bateau|me prenez pour)", r"arretez de (?:mentir|"
                    r"vous moquer|me mener)", r"je ne vous crois (?:pas|plus)", r"vous n'avez (?:aucune|pas de) "
                    r"parole", r"(?:c'est|vous etes) (?:toujours )?la meme (?:chanson|histoire|excuse)",
                    r"toujours les memes excuses", r"(?:quel|quelle) (?:culot|toupet|manque de respect)",
                    r"vous (?:vous )?croyez (?:ou|tout permis)", r"debrouillez vous", r"c'est votre probleme",
                    r"j'en ai (?:marre|assez|ras le bol)", r"ras le bol", r"pas mon probleme",
                    # "Vous êtes sourde ?", "arrêtez votre cinéma", "vos machines pourries".
                    r"vous etes (?:sourde?|bouchee?|idiote?|stupide|nulle?|incompetente?s?)",
                    r"arretez (?:votre|ce|vos|ce petit) (?:cinema|comedie|baratin|blabla|numero|char|cirque)",
                    r"(?:vos|votre|ces|cette) (?:\w+ ){1,3}?(?:pourrie?s?|minables?|nuls?|nulles?)\b",
                    r"je n'ai pas a vous (?:expliquer|repondre|rendre des comptes)",
                    r"(?:pas|non) a (?:sa|une|la) (?:secretaire|standardiste|potiche)",
                    r"on se fout de (?:moi|ma gueule)", r"foutez moi"),
    # The reason for the call in neutral words, as one gives it to a third party.
    "purpose": _rx(r"(?:au sujet|a propos|dans le cadre) d(?:'un|'une|e notre|e son|e votre|u) ?(?:dossier|sujet|"
                   r"projet|point|question|affaire|chantier|suivi|travail|prestation|contrat|echange)",
                   r"(?:un|une) (?:dossier|affaire|question|point) (?:en cours|administrati\w*|a regler|"
                   r"professionnel\w*|commercial\w*|qui le concerne|personnel\w*)",
                   r"c'est (?:personnel|professionnel|administratif|confidentiel)",
                   r"(?:il|elle) (?:attend|connait) (?:mon appel|le dossier|le sujet)",
                   r"une question administrative", r"(?:notre|nos) (?:collaboration|travaux|prestations?)"),
    # Where to send something: "à quelle adresse ?", "à qui dois-je l'adresser ?".
    "ask_address": _rx(r"(?:a )?quelle adresse", r"a qui (?:dois je|je dois|faut il|puis je|dois-je) (?:l'|la |les |vous )?"
                       r"(?:adresser|envoyer|transmettre|renvoyer)", r"(?:vos|les|ses|leurs) coordonnees",
                       r"(?:votre|son|leur) (?:adresse|mail|courriel|e mail)(?: \w+)? ?\?",
                       r"(?:a qui|a quel service|a quel nom) (?:je |l' ?)?(?:envoie|adresse|transmets)"),
    # A question about the work done ("la nouvelle chaudière fonctionne bien ?").
    "ask_satisfaction": _rx(r"(?:fonctionne|marche|tourne)(?:nt)? (?:bien|correctement|comme (?:il|elle)s? faut)",
                            r"(?:vous )?(?:donne|donnent) (?:satisfaction|entiere satisfaction)",
                            r"(?:vous en etes|etes vous|vous etes) (?:content|contente|satisfaite?s?)",
                            r"(?:ca|tout) (?:se passe|va) bien avec", r"(?:ca|cela|(?<!s')il|elle) vous (?:plait|convient)",
                            r"(?:le|la|votre|vos) \w+ (?:tourne|marche|fonctionne)(?:nt)?\s*\?"),
    # Who decides the payment: "c'est vous qui validez les paiements ?".
    "ask_decider": _rx(r"c'est (?:toujours )?(?:vous|lui|elle) qui (?:validez|valide|gerez|gere|decidez|decide|signez|"
                       r"signe|faites|fait|vous occupez|s'occupe) (?:des |les )?(?:paiements?|reglements?|virements?|factures?)?",
                       r"qui (?:valide|gere|decide|signe|s'occupe de?s?|fait) (?:les |des )?(?:paiements|reglements|"
                       r"virements|factures)"),
    # The name of the person on the line.
    "ask_name": _rx(r"(?:votre|vos) (?:nom|prenom)", r"a qui (?:ai je|j'ai) (?:l'honneur|le plaisir)",
                    r"vous (?:vous )?appelez comment", r"comment vous appelez vous", r"qui est a l'appareil",
                    r"c'est de la part de qui"),
    # A message dictated to a third party: "dites-lui que je rappelle demain".
    "leave_message": _rx(r"dites lui", r"(?:pouvez|pourriez) vous lui (?:dire|transmettre|faire passer|laisser)",
                         r"transmettez lui", r"notez que", r"faites lui (?:passer|savoir)",
                         r"(?:je vous laisse|je laisse) (?:un )?message", r"prenez (?:un|le) message"),
    # Contradicting the person head-on ("ce n'est pas du harcèlement, c'est une facture impayée"):
    # not a fault of tone, but it does not calm anyone.
    "contradict": _rx(r"(?:ce n'est|c'est|ca n'est) pas (?:du|de la|de l'|un|une|des) [^,.;!?]{2,30}, c'est",
                      r"vous exagerez", r"n'importe quoi", r"pas du tout,? (?:c'est|vous)",
                      r"(?:ce n'est|c'est) (?:faux|pas vrai)"),
    # Reproach: the learner blames instead of stating facts ("vous me devez", "pas d'oubli cette fois").
    "reproach": _rx(r"c'est vous qui (?:ne|n'\w+)", r"vous (?:rigolez|plaisantez)",
                    r"(?:c'est|vous etes) (?:une blague|serieux|serieuse)\s*\?", r"pas d'oubli cette fois",
                    r"(?:et )?(?:pas|plus) d'oubli", r"vous n'avez (?:toujours|encore|meme) pas "
                    r"(?:paye|regle|repondu|vire|envoye)", r"(?:ce n'est|c'est) pas (?:serieux|professionnel|correct "
                    r"de votre part|normal de)", r"il (?:serait|est) (?:grand )?temps (?:de|que)",
                    r"(?:il )?faut (?:payer|regler) (?:maintenant|vite|vos|votre|la facture|vos factures)",
                    r"ca fait (?:des semaines|des mois|longtemps|un mois|trois semaines) que (?:j'attends|"
                    r"vous|je vous)", r"vous (?:etes|avez ete) (?:toujours|encore|souvent) en retard",
                    r"je ne suis pas (?:une banque|votre banquier)", r"vous croyez que je (?:travaille|bosse)",
                    r"je veux mon (?:argent|fric|pognon|du)", r"n'est jamais (?:disponible|la|joignable) quand",
                    r"(?:ca|cela) commence a (?:faire long|bien faire|suffire)", r"(?:il|vous) (?:a|avez) interet a", r"^\W*(?:payez|reglez|payez moi)\W*$",
                    r"(?<=[.!] )(?:payez|reglez)(?: maintenant| vite| tout de suite)?\W*$"),
    "agree": _rx(r"d'accord", r"ok", r"tres bien", r"entendu", r"parfait", r"ca marche",
                 r"ca me va", r"cela me va", r"ca me convient", r"cela me convient", r"bien sur",
                 r"pas de (?:souci|soucis|probleme)", r"aucun (?:souci|probleme)", r"oui",
                 r"impeccable", r"super", r"excellent", r"tres bien note", r"c'est parfait",
                 r"ca roule", r"va pour", r"ca ira", r"je prends", r"j'accepte",
                 r"c'est bon", r"ca joue", r"nickel", r"genial", r"volontiers"),
    "accept_vague": _rx(r"prenez (?:votre|tout votre) temps", r"quand vous (?:pourrez|voudrez|"
                        r"aurez le temps|le pourrez|serez pret|pouvez)", r"(?:j'attends|"
                        r"j'attendrai|nous attendons|on attend) (?:votre|vos|de vos) (?:appel|"
                        r"nouvelles|retour|rappel|reponse|coup de fil)", r"tenez moi au courant",
                        r"revenez vers moi (?:quand|des que|lorsque)", r"rien ne presse",
                        r"ce n'est pas presse", r"pas de (?:presse|precipitation|rush|urgence)",
                        r"rappelez moi (?:quand|des que|lorsque)", r"a votre convenance",
                        r"a votre rythme", r"comme vous (?:voulez|pouvez|le sentez)",
                        r"des que (?:vous|possible)", r"dans (?:les|quelques) (?:prochains )?jours "
                        r"(?:alors|donc|ca ira|c'est bien|pas de souci)", r"je vous fais confiance",
                        r"on verra bien", r"on fait comme ca alors", r"tenez moi informe",
                        r"(?:payez|reglez|rappelez moi|rappelez|revenez vers moi|faites le) quand (?:ca ira mieux|"
                        r"vous (?:voulez|pouvez|pourrez)|ca vous arrange)", r"quand (?:il|elle) (?:pourra|voudra|"
                        r"aura le temps|sera disponible)", r"pas a (?:quelques|un|une|deux) (?:jours?|semaines?|mois) "
                        r"pres", r"quand ca vous arrange", r"rien ne presse", r"quand vous aurez un moment",
                        r"quand vous aurez (?:cinq minutes|le temps|deux minutes|un instant|l'occasion)",
                        r"(?:il n'y a |y a )?(?:aucune|pas d') ?urgence", r"ce n'est pas urgent",
                        # "Quand la compta pourra", "je ne suis pas pressée".
                        r"quand (?:la |le |votre |vos |l')?\w+ (?:pourra|pourront|voudra|voudront|aura le temps)(?! ?t (?:il|elle|ils|elles|on)\b)",
                        r"(?:je ne suis|nous ne sommes|on n'est|je suis|on est) pas presse(?:e|s|es)?"),
    "refuse": _rx(r"je ne peux pas (?:accepter|me contenter|attendre|m'en contenter)",
                  r"(?:ca|cela|ceci) ne (?:me )?(?:suffit|convient|va) pas", r"pas suffisant",
                  r"(?:ce n'est|c'est) pas (?:possible|acceptable|suffisant|assez)",
                  r"je ne (?:peux|pourrai) pas (?:me satisfaire|raccrocher)",
                  r"(?:je|nous) ne (?:pouvons|peux) pas en rester la", r"pas (?:en|sur) rester la",
                  r"trop (?:flou|vague|tard|loin)", r"c'est (?:flou|vague)",
                  r"(?:je|nous) (?:prefere|preferons|voudrais|aimerais) (?:quelque chose de )?"
                  r"(?:plus )?(?:precis|concret|ferme)", r"(?:ce|ca) n'est pas (?:une date|precis|"
                  r"concret)", r"je n'accepte pas", r"pas (?:d'accord|question)",
                  r"(?:impossible|inacceptable)", r"non,? (?:non|desole|je regrette)",
                  r"(?:dans )?quelques jours,? (?:ce n'est|c'est) pas", r"il me faut mieux",
                  r"je (?:ne )?(?:peux|vais) pas (?:attendre|laisser)"),
    "goodbye": _rx(r"au revoir", r"(?:bonne|excellente|tres bonne|belle) (?:journee?|soiree?|fin de journee?|"
                   r"fin de semaine|apres midi|semaine|continuation|week end|fin d'apres midi)",
                   r"bon (?:service|week end|apres midi|courage|dimanche|weekend|we)(?: (?:pour|avec) \S+(?: \S+){0,3})?\W*$", r"a\+", r"ciao",
                   r"a la prochaine", r"a bientot", r"a (?:tres bientot|plus tard|"
                   r"plus|la prochaine|demain|lundi|mardi|mercredi|jeudi|vendredi)(?: \w+)?$",
                   r"adieu", r"je vous laisse(?= *(?:[.!,]|$| (?:bonne|au revoir|merci|a bientot|travailler|"
                   r"tranquille\W*$)))", r"je raccroche", r"bye", r"a la revoyure"),
    "thanks": _rx(r"merci\w*", r"je vous remercie", r"remerciements?"),
    "apology": _rx(r"(?:je suis |je me )?(?:desole|excuse|pardon)\w*(?: pour| d'avoir| de m'etre)",
                   r"je vous prie de (?:m'en |bien vouloir m'|m')?excuser", r"veuillez (?:m'|nous )?(?:en )?excuser",
                   r"je m'en excuse", r"(?:mes|nos) excuses (?:pour|si)",
                   r"je retire", r"je me suis emporte\w*", r"excusez moi de m'etre emporte\w*",
                   r"je vous presente mes excuses", r"toutes mes excuses"),
    # Apologising for calling at all ("excusez-moi de vous déranger"): the course says you have no
    # reason to; once is politeness, twice is giving ground.
    "apology_call": _rx(r"(?:excusez|excuse|desole|desolee|pardon|navre|navree)(?: moi| nous)? (?:de|d') ?(?:vous |te )?"
                        r"(?:deranger|derange|appeler|appelle|relancer|relance|insister|embeter|ennuyer|"
                        r"importuner|prendre (?:du|de votre) temps|solliciter)",
                        r"(?:encore|vraiment|tellement|sincerement) (?:desole|desolee|navre|navree)",
                        r"(?:desole|desolee|pardon) (?:pour|du) (?:le |ce )?derangement",
                        r"je (?:suis )?(?:m'en )?excuse de (?:vous )?(?:deranger|relancer|appeler)"),
}

# Acts that flip to "refuse"/disappear when negated ("je ne suis pas d'accord").
_NEGATABLE = {"agree", "accept_vague", "empathy", "threat", "announce_email", "announce_call",
              "cite_law", "waive", "contempt"}
_NEGATION = lazy_re.compile(r"(?:\bne\b|\bn'|\bpas\b|\bjamais\b|\bsans\b|\bplutot qu(?:e\b|')|\bni\b|\bnon\b)")

_NOT_NEGATIONS = lazy_re.compile(r"\bne vous (?:inquietez|en faites) pas\b|\bpas (?:de (?:souci|soucis|probleme|problemes|panique)|grave|du tout|mal|"
                                  r"de quoi)\b|\bn'importe\b|\bnon seulement\b|\bsans (?:souci|probleme|faute)\b"
                                  r"|\bne (?:pourriez|pouvez|voudriez|voulez|pourrait|serait|serais|pourrions) "
                                  r"(?:vous |il |on |elle |nous )?pas\b")

_QUESTION_OPENERS = lazy_re.compile(
    r"(?:^|[.!?;:] ?)(?:et |mais |alors |donc |bon |bien |d'accord |ok )*(?:est ce que|est ce qu'|"
    r"pouvez vous|pourriez vous|auriez vous|avez vous|allez vous|comptez vous|pensez vous|"
    r"voulez vous|souhaitez vous|seriez vous|etes vous|serait il|serait ce|puis je|peut on|"
    r"pourrait on|vous serait il|y a t il|a t il|est il|c'est possible|ce serait possible)\b")
_OPEN_QUESTION = lazy_re.compile(
    r"(?<![\w])(?:quand|comment|pourquoi|combien|quel|quelle|quels|quelles|qu'est ce|"
    r"que se passe|que pensez|que pouvez|que proposez|que comptez|que voulez|que puis je|"
    r"que diriez|lequel|laquelle|de quoi|a quel|a quelle|dites moi|racontez moi|"
    r"expliquez moi|pour quelle raison|que \w+ (?:vous|t il|t elle|on|il|elle)|c'est quoi|"
    r"(?:a qui|avec qui|ou) (?:dois|puis|faut|est|sont|je|on|vous|l'|le|la|les|envoy|adress|en)\w*)(?![\w])")
_YES_NO_SPLIT = lazy_re.compile(r"[?]")

# "!!" is shouting; "?!" is surprise ("10 % ?!"), not anger.
_CONFIRMATION = lazy_re.compile(r"(?:ok|d'accord|c'est (?:bien )?(?:ca|cela|correct|juste|bon|note)|correct|"
                                r"on est (?:bien )?d'accord|ca marche|ca vous va|exact|juste|note)\s*\?\s*$")

#: A sentence opening on "donc" (after a thank-you at most): the deal read back ("Merci. Donc :
#: virement de 2 150 € vendredi 27.").
_READ_BACK = lazy_re.compile(r"(?:^|[.!?]\s*)(?:(?:merci|parfait|ok|tres bien|bien|bon|entendu|super|top|"
                             r"d'accord|excellent)\W+)?(?:donc|ainsi donc|alors donc)\b")

_TOPIC_ACTS = frozenset({"greeting", "introduce", "invoice", "ask_when", "ask_how", "ask_amount", "recap",
                         "announce_email", "announce_call", "propose_instalments", "first_payment_now",
                         "ask_cheque", "refer_documents", "goodbye", "thanks", "empathy"})
# Words that make a line a sentence: a subject or a conjugated verb (also used by redaction.py).
SENTENCE = lazy_re.compile(r"(?<![\w'])(?:je|j'|vous|nous|on|il|elle|tu|c'est|ce sont|est|sont|avez|"
                            r"pouvez|pourriez|allez|faites|ferez|payez|reglez|voulez|souhaitez|faut|peux|vais|"
                            r"suis|serait|sera|envoie|envoyez|rappelle|rappelez|comprends|propose|note|"
                            r"recapitule|confirme|dites|savez|pensez|comptez)(?![\w])")

_SHOUT_MARKS = lazy_re.compile(r"!{2,}|\?+!{2,}|!{2,}\?+")


# --------------------------------------------------------------------------- entities

_DIGITS_AMOUNT = lazy_re.compile(
    r"(?<![\w.,/-])(?<!\d[ .])(\d{1,3}(?:[ .]\d{3})+|\d+)(?:[.,](\d{1,2}))?(?:[.,]-)?(?![\d/])"
    r" ?(k ?€|k ?euros?|€ ?uros?|€|euros?|eur|balles)(?![\w])")
# "3600e", typed quickly for "3600 €" (three digits at least: "2e relance" is an ordinal).
_E_AMOUNT = lazy_re.compile(r"(?<![\w.,/-])(\d{3,7}|\d{1,3}(?:[ .]\d{3})+)(?:[.,](\d{1,2}))?e(?![\w])")
_PREFIX_AMOUNT = lazy_re.compile(r"€ ?(\d{1,3}(?:[ .]\d{3})+|\d+)(?:[.,](\d{1,2}))?(?![\d])")
_NUMBER_WORDS = {
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "septante": 70, "octante": 80,
    "huitante": 80, "nonante": 90, "cent": 100, "cents": 100, "mille": 1000, "mil": 1000,
}
_WORD_AMOUNT = lazy_re.compile(
    r"(?<![\w])((?:(?:zero|une|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|"
    r"treize|quatorze|quinze|seize|vingts|vingt|trente|quarante|cinquante|soixante|septante|"
    r"octante|huitante|nonante|cents|cent|mille|mil|et)[ -]){1,12})euros?(?![\w])")
_FRACTIONS = (
    (lazy_re.compile(r"(?<![\w])(?:la|une) moitie(?![\w])"), 0.5),
    (lazy_re.compile(r"(?<![\w])(?:le|un) tiers(?![\w])"), 1 / 3),
    (lazy_re.compile(r"(?<![\w])(?:le|un) quart(?![\w])"), 0.25),
    (lazy_re.compile(r"(?<![\w])(\d{1,2}) ?(?:%|pour ?cent)(?![\w])"), None),
)
_FULL_AMOUNT = lazy_re.compile(r"(?<![\w])(?:la totalite|l'integralite|le montant (?:total|complet|"
                          r"entier|integral|de la facture)|la somme (?:totale|complete)|le tout|"
                          r"tout le montant|toute la somme|en une (?:seule )?fois|integralement|"
                          r"entierement|totalement|le solde)(?![\w])")

_METHOD_PATTERNS = {
    "virement": _rx(r"virements?", r"virer", r"vire", r"virez", r"virerez", r"transfert bancaire",
                    r"par la banque", r"rib", r"iban"),
    # "check" is English for a check-up ("on fait un quick check ?"): a cheque only after "par".
    "cheque": _rx(r"cheques?", r"cheque bancaire", r"chequier", r"par check"),
    "carte": _rx(r"carte(?: bancaire| bleue| de credit)?", r"lien de paiement", r"paiement en ligne",
                 r"terminal", r"paylib", r"paypal"),
    "prelevement": _rx(r"prelevements?", r"prelever", r"sepa", r"mandat"),
    "especes": _rx(r"especes", r"liquide", r"cash", r"billets"),
}
_CHEQUE_NUMBER = lazy_re.compile(r"(?:cheque|numero|num|#)(?: ?(?:numero|no|n|de cheque|du cheque|"
                            r"est|c'est|le))*[ :]*(\d[\d ]{4,10}\d)(?!\d)")
# Letters then digits ("F-2026-117", "FA2026/118"); never a word, a space and a date ("le 26/11/2026").
_INVOICE_CODE = lazy_re.compile(r"(?<![\w])([a-z]{1,5}[_/-]?\d{2,6}(?:[_/-]\d{1,6})+|[a-z]{1,4}[_-]?"
                           r"\d{3,8})(?![\w])")
_INVOICE_NUMBER = lazy_re.compile(r"facture (?:numero |n )?(\d{2,8})(?![\w])")
_PHONE = lazy_re.compile(r"(?<!\d)0\d(?:[ .]?\d{2}){4}(?!\d)")
_LETTERS = lazy_re.compile(r"[^\W\d_]")
_CLAUSE_SPLIT = lazy_re.compile(r"[.;!?\n]+|,| puis | et (?=(?:le|la|les|un|une|des|du|je|vous|"
                           r"nous|on|ensuite|enfin|en|par|avant|apres|pour)\b)")
_DATEISH = lazy_re.compile(r"(?<![\w])(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|"
                      r"apres demain|aujourd'hui|ce (?:soir|matin|midi|jour)|cet apres midi|"
                      r"semaine|mois|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|"
                      r"octobre|novembre|decembre|fin|debut|bientot|prochain\w*|huit|quinze|"
                      r"jours?|heures?|midi|minuit|matin|soir|dejeuner|\d{1,2} ?h|\d{1,2}[/.-]\d{1,2}|"
                      r"le \d{1,2}|rappel\w*|quand|plus tard|d'ici|avant|apres|sous|dans|"
                      r"tout de suite|immediatement|maintenant|des que|quinzaine|instant|"
                      r"temps|delai|reviens|revienne|rapidement|vite|tot|tard)(?![\w])")


# Words that make a date a statement of fact, not a day the learner puts forward.
_INCIDENTAL = lazy_re.compile(r"(?<![\w])(?:depuis|echue?s?|emise?s?|en retard|date de (?:la )?facture|"
                              # a condition: "si je n'ai pas de nouvelles lundi", "sans nouvelles lundi"
                              r"si (?:je n'ai|je ne|rien|vous ne|vous n'|le \w+ n'|la \w+ n'|pas de nouvelles)|"
                              r"sans (?:nouvelles|reponse|paiement|virement)|echeance (?:le|du|au|etait|fixee)|"
                              r"a ete|ont ete|etait|avait|aviez|avez recu|ai envoye|avons envoye|"
                              r"envoyee? le|livree? le|livraison le|relance(?:e|s)? le|deja|ecrit le|"
                              r"je (?:suis|serai|serais|passe|passerai|viens|viendrai|travaille|pars|partirai|"
                              r"rentre|rentrerai) (?:\S+ ){0,3}?(?:aux?|chez|en|a la|dans|pour)|"
                              # The learner's own visit or repair ("je peux venir vérifier mercredi",
                              # "je passe jeudi", "notre technicien passera lundi"): not a payment day.
                              r"(?:je|nous|on) (?:\S+ ){0,2}?(?:venir|passer|repasser|revenir|intervenir|"
                              r"verifier|controler|reparer|regarder ca|passe|passerai|passons|passerons|repasse|"
                              r"repasserai|viens|viendrai|viendrons|reviens|reviendrai|interviens|interviendrai)|"
                              r"(?:notre|mon|un|le) (?:technicien|electricien|plombier|ouvrier|equipe|collegue|"
                              r"installateur|chef de chantier)s? (?:\S+ ){0,2}?(?:passe|passera|viendra|vient|"
                              r"interviendra|peut passer|peut venir|pourra passer|pourra venir))(?![\w])")
_BARE_DATE = lazy_re.compile(r"^\W*(?:aujourd'hui|ce (?:matin|soir|jour)|maintenant|actuellement|"
                             r"a ce jour|a l'heure (?:ou|actuelle))\W*$")


def _words_to_number(words: str) -> float | None:
    total, current = 0, 0
    seen = False
    for word in re.split(r"[ -]+", words.strip()):
        if not word or word == "et":
            continue
        value = _NUMBER_WORDS.get(word)
        if value is None:
            return None
        seen = True
        if value == 1000:
            total += (current or 1) * 1000
            current = 0
        elif value == 100:
            current = (current or 1) * 100
        elif value == 20 and current % 100 in (4,):  # quatre-vingt(s)
            current = current - 4 + 80
        elif value in (10, 11, 12, 13, 14, 15, 16) and current % 100 in (60, 80):
            current += value  # soixante-dix, quatre-vingt-douze
        else:
            current += value
    if not seen:
        return None
    return float(total + current)


def _to_float(integer: str, decimals: str | None) -> float:
    value = float(re.sub(r"[ .]", "", integer))
    if decimals:
        value += float("0." + decimals.ljust(2, "0"))
    return round(value, 2)


def extract_amounts(norm: str) -> list[float]:
    """Amounts said with a currency: "1 250 €", "1250,50 euros", "mille deux cents euros"."""
    found: list[tuple[int, float]] = []
    for m in _DIGITS_AMOUNT.finditer(norm):
        unit = m.group(3)
        value = _to_float(m.group(1), m.group(2))
        if unit.startswith("k"):
            value *= 1000
        found.append((m.start(), value))
    for m in _PREFIX_AMOUNT.finditer(norm):
        found.append((m.start(), _to_float(m.group(1), m.group(2))))
    for m in _E_AMOUNT.finditer(norm):
        found.append((m.start(), _to_float(m.group(1), m.group(2))))
    for m in _WORD_AMOUNT.finditer(norm):
        value = _words_to_number(m.group(1))
        if value:
            found.append((m.start(), value))
    found.sort()
    return [v for _, v in found]


# --------------------------------------------------------------------------- result

class Utterance:
    """What the learner did in one line."""

    __slots__ = ("text", "norm", "acts", "amounts", "fraction", "full_amount", "methods", "offered_methods",
                 "cheque_number", "invoice_refs", "date", "clause_dates", "shouting", "stuffed",
                 "too_long", "empty", "questions")

    def __init__(self, text: str, norm: str):
        self.text = text                 # cleaned original (control characters removed)
        self.norm = norm                 # normalised text the patterns ran on
        self.acts: set = set()
        self.amounts: list = []          # floats, in order of appearance
        self.fraction = None             # "la moitié" -> 0.5
        self.full_amount = False         # "la totalité", "le montant total"
        self.methods: list = []          # payment methods named, in order
        self.offered_methods: list = []  # those put forward ("par virement", "un virement"), not
                                         # "le chèque, vous le gardez"
        self.cheque_number = None
        self.invoice_refs: list = []     # invoice numbers named
        self.date = None                 # parse_date of the whole line
        self.clause_dates: list = []     # parse_date per clause (non-"none"), + "follow_up"
        self.shouting = False
        self.stuffed = False             # keyword stuffing: no credit
        self.too_long = False            # a monologue
        self.empty = False               # nothing but spaces / symbols
        self.questions = 0               # sentences that are questions

    def __repr__(self) -> str:
        return f"Utterance({self.text[:40]!r}, acts={sorted(self.acts)})"

    @property
    def exact_date(self) -> dict | None:
        d = self.date
        return d if d and d.get("precision") == "exact" else None

    @property
    def proposed_date(self) -> dict | None:
        """The exact day the line puts forward for the payment or the promise: not a date in a
        follow-up clause ("je vous rappelle lundi"), nor one stating a fact ("due depuis le 10");
        the last one when there are several ("mardi… non, plutôt mercredi")."""
        if self.clause_dates:
            days = [d for d in self.clause_dates if d.get("precision") == "exact"
                    and not d.get("follow_up") and not d.get("incidental")]
            return days[-1] if days else None
        return self.exact_date

    def has(self, *acts: str) -> bool:
        return any(a in self.acts for a in acts)


def negated(norm: str, start: int) -> bool:
    """Is the phrase starting at `start` negated within its clause (few words before)?"""
    window = norm[max(0, start - 40):start]
    cut = max(window.rfind(","), window.rfind("."), window.rfind("?"), window.rfind("!"),
              window.rfind(" mais "), window.rfind(";"))
    if cut >= 0:
        window = window[cut + 1:]
    words = " ".join(window.split()[-5:])
    # "pas de souci, ça arrive", "pas grave" are not negations of what follows, nor is a "non"
    # opening the clause ("non désolé, le prix est celui du devis"); "si vous ne payez pas,
    # je saisis le tribunal" negates the condition, not the threat.
    words = _NOT_NEGATIONS.sub(" ", words)
    words = re.sub(r"^\s*non\b", " ", words)
    words = re.sub(r"\bsi (?:vous |tu |il |elle )?(?:ne |n')(?:\S+ ){0,2}?(?:pas|plus|rien|jamais)\b", " ", words)
    return bool(_NEGATION.search(words))


_MASK_AMOUNT = lazy_re.compile(
    r"(?i)(?<![\w.,/-])(?<!\d[ .\u00a0])\d{1,3}(?:[ .\u00a0]\d{3})+(?:[.,]\d{1,2})?(?:[.,]-)?"
    r"(?= ?(?:k ?€|€|euros?|eur\b))|(?<![\w.,/-])\d+(?:[.,]\d{1,2})?(?:[.,]-)?(?= ?(?:k ?€|€|euros?|eur\b))"
    r"|(?<![\w.,/-])\d{3,7}e\b")


def _mask_for_dates(text: str) -> str:
    """Hide amounts, invoice and phone numbers so that they are never read as dates ("vendredi
    dernier délai" is "vendredi au plus tard", not last Friday)."""
    text = re.sub(r"(?i)\bdernier d[ée]lai\b", "au plus tard", text)
    text = _PHONE.sub(" ", text)
    text = _MASK_AMOUNT.sub("somme", text)
    # A space between letters and digits only for capitals ("FA 2026-118"): "le 26/11/2026" is a date.
    text = re.sub(r"(?<![\w])(?:[A-Za-z]{1,5}[_/-]?|[A-Z]{1,5} )\d{2,6}(?:[_/-]\d{1,6})+(?![\w])",
                  "référence", text)
    text = re.sub(r"(?i)(?:ch[eè]que|num[eé]ro|n°)(?: ?(?:num[eé]ro|n°|no))?[ :]*\d[\d ]{4,10}\d(?!\d)",
                  "numéro", text)
    text = re.sub(r"(?i)facture (?:n° ?|num[eé]ro )?\d{2,8}(?![\w])", "facture", text)
    return text


#: Just before a payment method, words that put it forward: "par virement", "un virement".
_OFFERING = lazy_re.compile(r"(?:\bpar|\ben|\bun|\bune|\bvia|\bd'un|\bd'une|\bavec un|\bavec une|\bplutot) $")
#: The learner sending something ("je l'envoie dans l'heure"): a day there is about the sending.
_SENDING = lazy_re.compile(r"\b(?:je|j'|nous|on) (?:vous )?(?:l'|la |les |le |lui )?(?:envoie|renvoie|transmets|envoyons|"
                           r"renvoyons|transmettons|expedie|envoyer|renvoyer|fais suivre|depose|poste)\b")
_DIGITS = lazy_re.compile(r"\d{3}")
#: A "non" that reassures ("non non, ne vous inquiétez pas").
_REASSURING = lazy_re.compile(r"ne vous (?:inquietez|en faites) pas|pas de (?:souci|probleme|panique)|ce n'est pas grave|"
                              r"pas grave|aucun (?:souci|probleme)|rien ne presse")
#: Words that put a question about a number or a posting date on the cheque itself.
_CHEQUE_WORDS = lazy_re.compile(r"cheque|chequier|cachet|talon|souche|poste|la banque|lettre suivie")
#: A number or a sending that belongs to something else than a cheque.
_OTHER_NUMBER = lazy_re.compile(r"numero (?:\S+ ){0,2}?(?:commande|bon|facture|dossier|client|telephone|portable|"
                                r"compte|siret|siren|tva|bc|devis|contrat|affaire)|commande|facture|devis|bon de")
#: "When" about the past: "ça a sauté quand", "depuis quand", "c'est arrivé quel jour".
_PAST_WHEN = lazy_re.compile(
    r"depuis quand|(?:quand|quel jour|quelle date)(?: est ce que| est ce qu'?)? ?(?:ca|cela|il|elle|c'|ils|elles|on)? ?"
    r"(?:a|ont|est|s'est|etait|avait|avez vous|as tu) (?!quel)(?:\w+(?:e|es|i|is|it|u|us|t|te)\b)|"
    r"(?:a|ont|est|s'est) (?:\w+(?:e|i|u|t)) (?:quand|quel jour)|c'etait quand|c'est arrive quand|"
    r"(?:quand|quel jour) (?:c'est|ca s'est|cela s'est) (?:arrive|produit|passe)")
#: Words that name a day (what a bare hour, "vers 14 h", lacks).
_DAY_WORDS = lazy_re.compile(r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|aujourd'hui|\d{1,2}(?:er)? "
                             r"(?:janv|fevr|mars|avril|mai|juin|juil|aout|sept|oct|nov|dec)|\d{1,2} ?/ ?\d{1,2}|"
                             r"ce (?:soir|matin|midi|jour)|cet apres midi|semaine|mois|fin de journee|\bce\b \w+")
_DEADLINE = lazy_re.compile(r"au plus tard|dernier delai|grand maximum|au maximum|pas plus tard que")
_WEEKDAY_OR_DATE = lazy_re.compile(r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|\d{1,2} ?(?:/|\w+bre|janv|fev|mars|avril|mai|juin|juil|aout)")
#: Words of the payment itself: with them, "quand" asks about the date again.
_PAYMENT_WORDS = lazy_re.compile(r"pa(?:y|i)\w*|regl\w*|virement|cheque|versement|facture|echeance|somme|montant")


def analyse(text: object, today=None, invoice_number: str | None = None,
            caller_names: tuple = ()) -> Utterance:
    """Analyse one learner line. Never raises on any string.

    `invoice_number` (e.g. "F-2026-117") and `caller_names` (the learner's name and
    company, from the scenario) let the line be matched against the call's facts.
    """
    cleaned = clean(text)
    norm = normalise(cleaned)
    u = Utterance(text=cleaned, norm=norm)
    if not _LETTERS.search(norm):
        u.empty = True
        # Digits alone ("1250") can still be an amount or a date said tersely.
        if not norm:
            return u
    u.too_long = len(cleaned) > LONG_LINE

    acts = u.acts
    for act, pattern in _ACT_PATTERNS.items():
        for m in pattern.finditer(norm):
            if act in _NEGATABLE and negated(norm, m.start()):
                if act in ("agree", "accept_vague"):
                    acts.add("refuse")
                elif act == "threat":
                    acts.add("threat_soft")
                continue
            acts.add(act)
            break

    if "introduce" not in acts and caller_names and _names_caller(norm, caller_names):
        acts.add("introduce")

    # Questions.
    sentences = [s for s in re.split(r"(?<=[?.!])\s*", norm) if s.strip()]
    n_questions = 0
    open_q = closed_q = False
    for sentence in sentences:
        if not _LETTERS.search(sentence):
            continue
        is_q = sentence.rstrip().endswith("?") or bool(_QUESTION_OPENERS.search(sentence))
        if not is_q:
            continue
        n_questions += 1
        if _OPEN_QUESTION.search(sentence):
            open_q = True
        else:
            closed_q = True
    u.questions = n_questions
    if n_questions:
        acts.add("question")
    if open_q:
        acts.add("open_question")
    if closed_q:
        acts.add("closed_question")
    if "ask_cheque" in acts and not _CHEQUE_WORDS.search(norm) and (
            not n_questions or _OTHER_NUMBER.search(norm)):
        # "Le num de commande ?", "elle a été envoyée le 15 à votre compta": not the cheque's details.
        acts.discard("ask_cheque")
    if "ask_when" in acts and _PAST_WHEN.search(norm) and not _PAYMENT_WORDS.search(
            " ".join(x for x in sentences if _PAST_WHEN.search(x))):
        # "Ça a sauté quand ?", "depuis quand ?": a question about what happened, not about the date.
        acts.discard("ask_when")
        if "ask_cheque" not in acts:
            acts.add("ask_reason")
    if "ask_when" in acts and not n_questions and not re.search(
            r"(?:^|\W)(?:quel jour|quelle date|a quelle date|quand est ce)\b|"
            r"(?:dites|indiquez|donnez|precisez|confirmez|dire|indiquer|donner|preciser|"
            r"confirmer|savoir|fixer|connaitre|convenir|caler|trouver|choisir)(?: \S+){0,3}? "
            r"(?:quand|date|jour|moment|heure|creneau)", norm):
        # "quand" in a statement ("quand vous pourrez") is not a question about the date.
        acts.discard("ask_when")
    if "ask_how" in acts and not n_questions and not re.search(
            r"(?:dites|indiquez|precisez|dire|preciser|savoir)(?: \S+){0,3}? (?:comment|moyen|mode)", norm):
        acts.discard("ask_how")
    if "ask_amount" in acts and "combien" not in norm and not n_questions:
        acts.discard("ask_amount")
    if "agree" in acts and re.match(r"\W*(?:oui|ok|d'accord|tres bien|entendu),? mais\b", norm):
        acts.discard("agree")          # "Oui mais vous savez…": an objection coming, not a yes
    if "accept_vague" in acts:
        acts.discard("agree")
        if _REASSURING.search(norm):
            # "Non non, ne vous inquiétez pas, quand vous aurez un moment": reassurance, no refusal.
            acts.discard("refuse")
    if "refuse" in acts:
        acts.discard("agree")
        acts.add("press")

    # Shouting: mostly capitals over a real sentence, or "!!!".
    letters = [ch for ch in cleaned[:SCAN_LIMIT] if ch.isalpha()]
    if len(letters) >= 8:
        upper = sum(1 for ch in letters if ch.isupper())
        if upper / len(letters) > 0.7:
            u.shouting = True
    if _SHOUT_MARKS.search(cleaned[:SCAN_LIMIT]):
        u.shouting = True
    if u.shouting:
        acts.add("shouting")

    # Entities.
    u.amounts = extract_amounts(norm)
    for pattern, value in _FRACTIONS:
        m = pattern.search(norm)
        if m:
            u.fraction = value if value is not None else min(int(m.group(1)), 100) / 100
            break
    u.full_amount = bool(_FULL_AMOUNT.search(norm))
    positions, offered = [], []
    for method, pattern in _METHOD_PATTERNS.items():
        m = pattern.search(norm)
        if m and not negated(norm, m.start()):
            positions.append((m.start(), method))
            if _OFFERING.search(norm[max(0, m.start() - 14):m.start()]):
                offered.append((m.start(), method))
    u.methods = [method for _, method in sorted(positions)]
    u.offered_methods = [method for _, method in sorted(offered)]
    m = _CHEQUE_NUMBER.search(norm)
    if m:
        digits = m.group(1).replace(" ", "")
        if 5 <= len(digits) <= 10:
            u.cheque_number = digits
    u.invoice_refs = [m.group(1) for m in _INVOICE_CODE.finditer(norm) if re.search(r"\d", m.group(1))]
    u.invoice_refs += [m.group(1) for m in _INVOICE_NUMBER.finditer(norm)]
    if invoice_number and _mentions_invoice(norm, invoice_number):
        acts.add("invoice")
    elif u.invoice_refs:
        acts.add("invoice")

    # Dates: the whole line, then clause by clause (instalments, recap).
    if _DATEISH.search(norm):
        masked = _mask_for_dates(cleaned[:LONG_LINE * 2])
        u.date = _safe_parse(masked, today)
        if u.date["precision"] != "none":
            clauses = [c for c in _CLAUSE_SPLIT.split(masked) if len(c) > 2]
            for i, clause in enumerate(clauses):
                clause_norm = normalise(clause)
                if _DATEISH.search(clause_norm):
                    d = _safe_parse(clause, today)
                    if d["precision"] != "none":
                        # A date in "je vous envoie un mail demain" is about the follow-up;
                        # one in "cette somme est due depuis le 10" states a fact, and so does a
                        # bare "Aujourd'hui," opening a statement of fact.
                        incidental = bool(_INCIDENTAL.search(clause_norm))
                        if not incidental and _BARE_DATE.match(clause_norm) and i + 1 < len(clauses):
                            incidental = bool(_INCIDENTAL.search(normalise(clauses[i + 1])))
                        d = dict(d, follow_up=bool(
                            _ACT_PATTERNS["announce_email"].search(clause_norm)
                            or _ACT_PATTERNS["announce_call"].search(clause_norm)
                            or _SENDING.search(clause_norm)),
                            incidental=incidental)
                        if d["precision"] == "range" and d.get("end") and _DEADLINE.search(clause_norm) \
                                and _WEEKDAY_OR_DATE.search(normalise(d.get("text") or "")):
                            # "vendredi au plus tard": that day is the one put forward.
                            d = dict(d, precision="exact", start=d["end"])
                        if not _DAY_WORDS.search(normalise(d.get("text") or "")) and d.get("time"):
                            # "demain en fin de matinée, vers 11 h 30": the hour of the day before it;
                            # alone ("14 h ?"), an hour whose day is not said (the persona decides).
                            previous = u.clause_dates[-1] if u.clause_dates else None
                            if previous and previous.get("precision") == "exact" and not previous.get("time") \
                                    and not previous.get("time_only"):
                                previous["time"] = d["time"]
                                continue
                            d["time_only"] = True
                        u.clause_dates.append(d)
    else:
        u.date = {"precision": "none", "start": None, "end": None, "time": None, "text": ""}

    exact_days = {d["start"] for d in u.clause_dates if d.get("precision") == "exact"
                  and not d.get("follow_up") and not d.get("incidental")}
    # A deal read back and checked ("Vendredi 27, virement, 2 480 €. OK ?"): a recap.
    if (u.exact_date or exact_days) and (_CONFIRMATION.search(norm) or _READ_BACK.search(norm)) and (
            u.methods or u.amounts or "propose_callback" in acts):
        acts.add("recap")

    # Several amounts, each with its own day: a plan put forward ("1 200 € le 28 décembre et
    # 1 200 € le 27 janvier").
    if "recap" not in acts and (
            (len([a for a in u.amounts if a >= 1]) >= 2 and len(exact_days) >= 2)
            or (u.clause_dates and _DIGITS.search(norm) and plan_items(cleaned, today))):
        acts.add("propose_instalments")

    scoring = acts & SCORING_ACTS
    # Three methods in one line are stuffing, unless the learner offers them as a choice
    # ("Par quel moyen : virement, carte, chèque ?").
    offered = "question" in acts and ("ask_how" in acts or bool(re.search(r"\bou\b", norm)))
    if len(scoring) >= STUFFING_THRESHOLD or (len(set(u.methods)) >= 3 and not offered):
        u.stuffed = True
    # Keywords strung together without a sentence ("facture 1250 euros virement jeudi
    # récapitulatif mail au revoir"): no credit either.
    topics = len(acts & _TOPIC_ACTS) + bool(u.amounts) + bool(u.methods) + bool(exact_days or u.exact_date)
    # A terse recap checked with the other person ("recap : vir 2280e ven 04/12. ok ?") is a recap.
    terse_recap = "recap" in acts and bool(_CONFIRMATION.search(norm) or re.match(r"\W*(?:recapitulatif|donc)\b", norm))
    if topics >= 6 and not SENTENCE.search(norm) and not terse_recap:
        u.stuffed = True
    return u


_NAME_STOP = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "sarl", "sas", "eurl", "sa",
              "societe", "atelier", "cabinet", "agence", "entreprise", "ets", "etablissements",
              "madame", "monsieur", "chez", "a", "au", "aux", "en", "pour"}


def caller_keywords(*names: str) -> tuple:
    """Distinctive words of the learner's name and company (for "introducing oneself")."""
    words = []
    for name in names:
        for w in re.findall(r"[a-z0-9]+", _fold(name or "")):
            if len(w) >= 3 and w not in _NAME_STOP and w not in words:
                words.append(w)
    return tuple(words)


def _names_caller(norm: str, keywords: tuple) -> bool:
    return any(re.search(r"(?<![\w])" + re.escape(w) + r"(?![\w])", norm) for w in keywords)


#: A bare number standing for an amount in a plan ("1200 le 15 décembre"): three digits or more,
#: not a year, not part of a date or a reference.
_BARE_AMOUNT = lazy_re.compile(r"(?<![\w/.,-])(\d{3,6}|\d{1,3}(?: \d{3})+)(?:[.,](\d{1,2}))?(?![\w/.,-]|\s?(?:h\b|%))")
_PLAN_SPLIT = lazy_re.compile(r"[;\n]+|,|\bpuis\b|\bensuite\b|\bet\b(?! demi)")


def plan_items(text: str, today) -> list[dict]:
    """The payments a learner lays out in one line, in order: [{"amount", "date", "end"}, …]
    (`date` the first day said, `end` the last one of a span such as "fin décembre")
    ("1 200 € aujourd'hui, puis 1200 le 15 décembre et 1200 le 15 janvier"). An amount said
    without its day takes the next day said alone ("2 100 €, aujourd'hui et le 15"). Amounts
    alone, or days alone, are not a plan: []."""
    items: list[dict] = []
    pending_amount = None
    pending_days: list[str] = []
    for clause in _PLAN_SPLIT.split(clean(text)[:LONG_LINE]):
        norm = normalise(clause)
        if not norm.strip():
            continue
        amounts = extract_amounts(norm)
        masked = clause
        if not amounts:
            bare = [m for m in _BARE_AMOUNT.finditer(norm)
                    if not (1990 <= int(m.group(1).replace(" ", "")) <= 2100)]
            if bare:
                amounts = [_to_float(bare[0].group(1).replace(" ", ""), bare[0].group(2))]
                masked = _BARE_AMOUNT.sub(" ", clause, count=1)
        day = None
        if _DATEISH.search(normalise(masked)):
            d = _safe_parse(_mask_for_dates(masked), today)
            if d["precision"] in ("exact", "range") and d.get("start"):
                day = {"date": d["start"], "end": d["end"] or d["start"]}   # "fin décembre": a span
        if amounts and day:
            items.append({"amount": amounts[0], **day})
        elif amounts:
            if pending_days:
                items.append({"amount": amounts[0], **pending_days.pop(0)})
            else:
                pending_amount = amounts[0]
        elif day:
            if pending_amount is not None:
                items.append({"amount": pending_amount, **day})
            elif items:
                items.append({"amount": items[-1]["amount"], **day})   # "1 350 € le 30 décembre et le 1er février"
            else:
                pending_days.append(day)
    if len(items) < 2:
        return []
    return items


def _safe_parse(text: str, today) -> dict:
    try:
        result = parse_date(text, today=today)
    except Exception:  # the date helper must never break a call
        result = None
    if not isinstance(result, dict) or "precision" not in result:
        return {"precision": "none", "start": None, "end": None, "time": None, "text": ""}
    return result


def compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", _fold(text))


def _mentions_invoice(norm: str, invoice_number: str) -> bool:
    code = compact(invoice_number)
    if code and code in compact(norm):
        return True
    tail = re.findall(r"\d+", invoice_number)
    if tail and len(tail[-1]) >= 2:
        return bool(re.search(r"(?:facture|numero|reference|ref)\D{0,12}" + re.escape(tail[-1].lstrip("0") or "0")
                              + r"(?!\d)", norm))
    return False


# --------------------------------------------------------------------------- how the learner puts things

#: Who will make the call-back the learner speaks of: "puis-je le rappeler ?", "je le rappelle" (the
#: learner) or "il me rappelle", "vous me rappelez" (the person called).
_LEARNER_CALLS = lazy_re.compile(r"\b(?:je|j'|moi,? je) (?:le |la |vous |lui )?(?:re)?(?:rappel\w*|recontact\w*|appellerai|"
                                 r"telephonerai|pourrais (?:le |la |vous )?rappeler|peux (?:le |la |vous )?rappeler|"
                                 r"pourrai (?:le |la |vous )?rappeler|vais (?:le |la |vous )?rappeler)|"
                                 r"puis je (?:le |la |vous )?(?:re)?(?:rappeler|joindre|appeler)|"
                                 r"(?:ou|quand|a quelle heure) (?:je |j' ?)?(?:pourrais|peux|pourrai) (?:le |la |vous )?"
                                 r"(?:rappeler|joindre)")
_CALLED_CALLS = lazy_re.compile(r"\b(?:il|elle|vous) (?:me |nous )?(?:rappel\w*|recontact\w*)|(?:il|elle) pourrait me")


def who_calls(u: Utterance) -> str | None:
    """"learner" or "debtor": who will make the call-back this line speaks of (None: not said)."""
    if _CALLED_CALLS.search(u.norm):
        return "debtor"
    if _LEARNER_CALLS.search(u.norm):
        return "learner"
    return None


_PROPOSING = lazy_re.compile(r"plutot|le plus simple|preferez|prefereriez|je prefere|je prefererais|finalement|pourriez|"
                             r"pourrait|\bet si\b|proposer|"
                             r"ca vous (?:va|irait|convient|arrange)|seriez|serait il|ce serait possible|"
                             r"on pourrait|je vous propose|est ce possible")
_CONFIRMING = lazy_re.compile(r"je recapitule|recapitulons|si je resume|\bdonc\b|c'est bien (?:ca|cela)|"
                              r"on est d'accord|nous sommes d'accord|je note")


def proposes_change(u: Utterance) -> bool:
    """"Le plus simple, un virement demain, ça vous va ?" puts something new forward; "Donc un
    virement demain, c'est bien ça ?" reads the deal back."""
    return bool(_PROPOSING.search(u.norm)) and not _CONFIRMING.search(u.norm)


#: The hour a part of the day stands for ("demain en fin de matinée").
_PARTS_OF_DAY = ((r"fin de matinee", "11:30"), (r"debut (?:de )?matinee|matin|premiere heure", "09:30"),
                 (r"midi|dejeuner", "12:30"), (r"debut d'apres midi", "14:00"), (r"fin d'apres midi", "17:00"),
                 (r"apres midi", "14:30"), (r"fin de journee|soir", "18:00"))


def hour_of(text: str) -> str | None:
    """"HH:MM" for the part of the day a (normalised) text names, or None."""
    return next((hour for words, hour in _PARTS_OF_DAY if re.search(words, text)), None)
