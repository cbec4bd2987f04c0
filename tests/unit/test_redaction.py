"""Rules that check a learner's short text (`redaction` exercises).

Pure Python: these tests also run inside Pyodide (tests/pyodide), where the
browser runs the same module.
"""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.redaction import check_text, validate_rules

TODAY = "2026-12-01"  # a Tuesday
RECAP_RULES = [
    {"regle": "politesse"},
    {"regle": "montant", "valeur": 2730},
    {"regle": "action", "attendu": ["cheque"]},
    {"regle": "date_exacte"},
    {"regle": "sans_menace"},
]
GOOD_RECAP = """Bonjour Madame Benoît,

Merci pour notre échange de ce matin. Comme convenu, vous postez le lundi 7 décembre
un chèque de 2 730,00 € pour régler la facture F-2026-311.

Cordialement,
Romain Caillaux"""


def verdict(text, rules=RECAP_RULES):
    return check_text(text, rules, today=TODAY)


def by_rule(result):
    return {r["regle"]: r for r in result["results"]}


def test_a_complete_recap_passes_every_rule():
    result = verdict(GOOD_RECAP)
    assert result["passed"] is True and result["score"] == 1.0
    assert result["missing"] == []
    assert len(result["present"]) == 5
    rules = by_rule(result)
    assert rules["montant"]["message"] == "Le montant exact est indiqué : 2 730,00 €."
    assert rules["date_exacte"]["message"] == "La date est précise : lundi 7 décembre."
    assert rules["action"]["message"] == "L’action convenue est nommée : un chèque."


def test_a_vague_recap_says_what_is_missing():
    result = verdict("Merci, vous réglerez bientôt, comme vous pourrez.")
    assert result["passed"] is False
    rules = by_rule(result)
    assert not rules["politesse"]["ok"] and "salutation" in rules["politesse"]["message"]
    assert not rules["montant"]["ok"] and "2 730,00 €" in rules["montant"]["message"]
    assert not rules["date_exacte"]["ok"] and "« bientôt » reste flou" in rules["date_exacte"]["message"]
    assert not rules["action"]["ok"] and "un chèque" in rules["action"]["message"]
    assert rules["sans_menace"]["ok"]
    assert result["present"] == [rules["sans_menace"]["message"]]
    assert result["summary"].startswith("1 point sur 5 est présent")


def test_wrong_amount_is_named_with_the_right_one():
    message = by_rule(verdict(GOOD_RECAP.replace("2 730,00 €", "2 370 €")))["montant"]["message"]
    assert message == "Le montant indiqué (2 370,00 €) n’est pas le bon : le montant dû s’élève à 2 730,00 €."


def test_a_period_is_not_an_exact_date():
    text = GOOD_RECAP.replace("le lundi 7 décembre", "d'ici la fin du mois")
    rule = by_rule(verdict(text))["date_exacte"]
    assert not rule["ok"] and "désigne une période" in rule["message"]


@pytest.mark.parametrize("written", ["le 07/12/2026", "lundi", "le 7 décembre à 14h"])
def test_exact_dates_in_several_forms(written):
    text = GOOD_RECAP.replace("le lundi 7 décembre", written)
    assert by_rule(verdict(text))["date_exacte"]["ok"], written


def test_another_payment_method_than_the_one_agreed():
    text = GOOD_RECAP.replace("un chèque de", "un virement de")
    rule = by_rule(verdict(text))["action"]
    assert not rule["ok"]
    assert rule["message"] == "Vous mentionnez un virement, mais l’action attendue ici est un chèque."


@pytest.mark.parametrize("line, word", [
    ("Sans paiement lundi, je saisis le tribunal.", "menace"),
    ("Vous êtes vraiment des escrocs.", "blessants"),
    ("PAYEZ MAINTENANT VOTRE FACTURE.", "crier"),
    ("Réglez enfin cette facture !!!", "crier"),
])
def test_threats_insults_and_shouting_are_flagged(line, word):
    rule = by_rule(verdict(GOOD_RECAP.replace("Cordialement", line + "\n\nCordialement")))["sans_menace"]
    assert not rule["ok"] and word in rule["message"]


def test_stating_the_contract_penalties_is_not_a_threat():
    text = GOOD_RECAP.replace("Cordialement", "Pour rappel, nos conditions prévoient des pénalités de retard "
                                              "et l'indemnité forfaitaire de 40 €.\n\nCordialement")
    assert by_rule(verdict(text))["sans_menace"]["ok"]


def test_question_and_keyword_rules_for_the_cheque_in_the_post():
    rules = [
        {"regle": "question"},
        {"regle": "mots", "un_parmi": ["numéro"], "libelle": "le numéro du chèque"},
        {"regle": "mots", "un_parmi": ["posté", "envoyé", "parti"], "libelle": "le jour de l’envoi"},
    ]
    good = check_text("Merci. Quel est le numéro du chèque ? Il a été envoyé quel jour ?", rules)
    assert good["passed"]
    bad = check_text("D'accord, merci, j'attends votre chèque.", rules)
    assert bad["missing"] == [
        "Posez au moins une question, pour obtenir une information précise.",
        "Pensez à mentionner le numéro du chèque.",
        "Pensez à mentionner le jour de l’envoi.",
    ]


def test_keywords_ignore_accents_and_case():
    rules = [{"regle": "mots", "tous": ["échéance"], "libelle": "l’échéance"}]
    assert check_text("L'ECHEANCE est demain.", rules)["passed"]


def test_length_rule():
    rules = [{"regle": "longueur", "min_mots": 5, "max_mots": 8}]
    assert "développez" in check_text("Trop court.", rules)["missing"][0]
    assert "essentiel" in check_text("Je vous écris pour la facture de novembre, merci.", rules)["missing"][0]
    assert check_text("Je vous appelle pour la facture.", rules)["passed"]


def test_empty_text_gets_a_kind_reply():
    result = verdict("   ")
    assert result["passed"] is False and result["score"] == 0
    assert result["summary"] == "Votre texte est vide : écrivez votre réponse, puis validez."
    assert len(result["missing"]) == 5


def test_markup_is_treated_as_plain_text():
    result = verdict("<script>alert('x')</script> <b>Bonjour</b>")
    assert result["passed"] is False
    # Nothing is echoed back from the learner except short quotes in plain text.
    assert all("<script>" not in m for m in result["present"] + result["missing"])


def test_very_long_text_is_read_up_to_a_limit():
    result = verdict(GOOD_RECAP + " bla" * 3000)
    assert result["notes"] and "premiers caractères" in result["notes"][0]
    assert by_rule(result)["montant"]["ok"]


def test_result_is_json_for_the_browser():
    result = verdict(GOOD_RECAP)
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result


@pytest.mark.parametrize("rules, field", [
    ([], "regles"),
    ([{"regle": "orthographe"}], "regle"),
    ([{"regle": "montant", "valeur": "mille"}], "valeur"),
    ([{"regle": "action", "attendu": ["bitcoin"]}], "attendu"),
    ([{"regle": "mots", "tous": ["x"]}], "libelle"),
    ([{"regle": "longueur", "min_mots": 10, "max_mots": 5}], "max_mots"),
    ([{"regle": "politesse", "ton": "chaleureux"}], "ton"),
])
def test_invalid_rules_name_the_field(rules, field):
    problems = validate_rules(rules)
    assert problems and problems[0]["field"] == field
    assert problems[0]["message"]
    with pytest.raises(ValueError):
        check_text("Bonjour", rules)


def test_valid_rules_have_no_problem():
    assert validate_rules(RECAP_RULES) == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gets_an_answer(text):
    result = verdict(text)
    assert set(result) == {"passed", "score", "present", "missing", "results", "summary", "notes"}
    assert 0 <= result["score"] <= 1
    # One result per rule, and one more when the text is a list of words, not sentences.
    assert [r["regle"] for r in result["results"][:len(RECAP_RULES)]] == [r["regle"] for r in RECAP_RULES]
    assert len(result["results"]) - len(RECAP_RULES) in (0, 1)
    assert all(isinstance(r["message"], str) and r["message"] for r in result["results"])


def test_synonyms_every_offending_sentence_and_full_sentences():
    """Issue 14: the same understanding as the calls — "la somme inscrite dessus" is the amount,
    each sentence that threatens or hurts is quoted, and a string of keywords is not a text."""
    rules = [{"regle": "question"},
             {"regle": "mots", "un_parmi": ["numéro"], "libelle": "le numéro du chèque"},
             {"regle": "mots", "un_parmi": ["montant", "totalité"], "libelle": "le montant du chèque"},
             {"regle": "mots", "un_parmi": ["posté", "envoyé"], "libelle": "le jour de l’envoi"},
             {"regle": "sans_menace"}]
    good = check_text("Très bien ! Pouvez-vous me donner le numéro du chèque, la somme inscrite dessus "
                      "et le jour où vous l’avez envoyé ?", rules)
    assert good["passed"], good["missing"]
    terse = check_text("numéro montant posté ?", rules)
    assert not terse["passed"] and "phrases complètes" in terse["missing"][-1]
    rude = check_text("Vous mentez. Donnez-moi le numéro du chèque et la date d’envoi, sinon j’appelle mon "
                      "avocat ! Quel est le montant ?", rules)
    tone = next(m for m in rude["missing"] if m.startswith("Retirez"))
    assert "« Vous mentez »" in tone and "avocat" in tone and "2 passages" in tone
