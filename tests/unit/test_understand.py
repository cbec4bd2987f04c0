"""Understanding the learner's French: normalisation, acts, negation, entities."""

import datetime
import time

import pytest

from simulator.understand import analyse, caller_keywords, extract_amounts, normalise

from unit_helpers import TODAY

CALLER = caller_keywords("Claire Moreau", "Moreau Graphisme")


def acts(text):
    return analyse(text, today=TODAY, invoice_number="F-2026-117", caller_names=CALLER).acts


# ------------------------------------------------------------------ normalisation

def test_normalise_folds_case_accents_apostrophes_and_spaces():
    assert normalise("  Ça   m’ÉTONNE\u00a0! ") == "ca m'etonne !"


@pytest.mark.parametrize("typed, expected", [
    ("qd vs payez", "quand vous payez"),
    ("bjr, c pour la fature", "bonjour, c'est pour la facture"),
    ("le virment part auj", "le virement part aujourd'hui"),
    ("j ai besoin d une date", "j'ai besoin d'une date"),
    ("Pouvez-vous me l'envoyer par e-mail ?", "pouvez vous me l'envoyer par mail ?"),
])
def test_normalise_fixes_common_typos(typed, expected):
    assert normalise(typed) == expected


def test_control_characters_and_invisible_marks_are_removed():
    u = analyse("Bon\x00jour\u200b\x1b[31m !")
    assert "\x00" not in u.text and "\u200b" not in u.text and "\x1b" not in u.text


def test_missing_accents_are_understood_like_accented_text():
    assert "ask_when" in acts("a quelle date pourrez vous regler ?")
    assert "ask_how" in acts("par quel moyen allez vous regler ?")
    assert "empathy" in acts("je comprends, ca arrive")


# ------------------------------------------------------------------ acts

@pytest.mark.parametrize("text, expected", [
    ("Bonjour Monsieur Petit !", {"greeting"}),
    ("Claire Moreau, de Moreau Graphisme.", {"introduce"}),
    ("Je suis la comptable de la société Lambda.", {"introduce"}),
    ("Je vous appelle au sujet de la facture F-2026-117.", {"invoice"}),
    ("C'est au sujet du numéro F2026-117.", {"invoice"}),
    ("Que se passe-t-il ?", {"ask_reason", "open_question", "question"}),
    ("Est-ce que tout va bien ?", {"closed_question", "question"}),
    ("Quand pensez-vous régler ?", {"ask_when", "open_question"}),
    ("Par quel moyen allez-vous payer ?", {"ask_how"}),
    ("Vous réglerez la totalité ?", {"ask_amount"}),
    ("Combien pouvez-vous verser ?", {"ask_amount"}),
    ("Quel jour exactement ?", {"press", "ask_when"}),
    ("J'ai besoin d'une date précise.", {"press"}),
    ("On peut étaler le paiement en trois fois.", {"propose_instalments"}),
    ("D'accord, j'attends votre appel.", {"accept_vague"}),
    ("Prenez votre temps.", {"accept_vague"}),
    ("Je comprends, ce n'est pas facile.", {"empathy"}),
    ("Si je comprends bien, vous attendez un virement client.", {"listening"}),
    ("Sinon, ce sera le tribunal.", {"threat"}),
    ("Vous êtes un escroc.", {"insult"}),
    ("VOUS DEVEZ PAYER MAINTENANT", {"shouting"}),
    ("Payez maintenant !!!", {"shouting"}),
    ("Si je récapitule : virement jeudi.", {"recap"}),
    ("Je vous envoie un mail récapitulatif.", {"announce_email"}),
    ("Je vous rappellerai vendredi.", {"announce_call"}),
    ("Je vous la renvoie tout de suite.", {"announce_email"}),
    ("Vous avez signé le bon de livraison.", {"refer_documents"}),
    ("Quel est le numéro du chèque ?", {"ask_cheque"}),
    ("Merci, bonne journée !", {"thanks", "goodbye"}),
])
def test_acts_are_recognised(text, expected):
    found = acts(text)
    assert expected <= found, (text, found)


def test_several_acts_in_one_line():
    found = acts("Bonjour, Claire Moreau de Moreau Graphisme, je vous appelle pour la facture "
                 "F-2026-117. Que se passe-t-il ?")
    assert {"greeting", "introduce", "invoice", "open_question"} <= found


@pytest.mark.parametrize("text, absent", [
    ("Je vous rappelle que la facture est échue.", "announce_call"),
    ("Pourriez-vous me dire quand ?", "insult"),          # "pourri..." is not an insult
    ("Je voudrais poursuivre notre collaboration.", "threat"),
    ("Je vous remercie de votre plainte... pardon, de votre retour.", "threat"),
    ("Nous pourrions le faire par écrit.", "announce_email"),
    ("quand vous pourrez", "ask_when"),                   # a statement, not a question
    ("Bonjour Madame", "shouting"),
])
def test_no_false_alarm(text, absent):
    assert absent not in acts(text)


@pytest.mark.parametrize("text", [
    "Je ne peux pas accepter ça.",
    "Je ne suis pas d'accord.",
    "Non, ce n'est pas suffisant.",
    "Dans quelques jours, ce n'est pas possible pour nous.",
])
def test_negation_turns_agreement_into_refusal(text):
    found = acts(text)
    assert "refuse" in found and "agree" not in found and "accept_vague" not in found


def test_negated_threat_is_only_a_soft_allusion():
    found = acts("Je ne veux pas en arriver au tribunal.")
    assert "threat" not in found and "threat_soft" in found


# ------------------------------------------------------------------ entities

@pytest.mark.parametrize("text, amount", [
    ("la facture fait 1 250 €", 1250.0),
    ("1250,50 euros", 1250.5),
    ("1.250 euros", 1250.0),
    ("mille deux cents euros", 1200.0),
    ("deux mille quatre cent quatre-vingts euros", 2480.0),
    ("soixante-dix euros", 70.0),
    ("€ 300", 300.0),
    ("3 k€", 3000.0),
])
def test_amounts(text, amount):
    assert extract_amounts(normalise(text)) == [amount]


@pytest.mark.parametrize("text", ["facture F-2026-117", "le 15/12", "à 14h30", "06 12 34 56 78",
                                  "chèque numéro 4587213"])
def test_numbers_that_are_not_amounts(text):
    assert extract_amounts(normalise(text)) == []


def test_payment_methods_in_order_and_negated_ones_dropped():
    u = analyse("Plutôt un chèque ou un virement ? Pas en espèces.")
    assert u.methods == ["cheque", "virement"]
    assert analyse("CB ou prélèvement SEPA").methods == ["carte", "prelevement"]


def test_cheque_and_invoice_numbers():
    u = analyse("Le chèque n° 4587213, pour la facture F-2026-117.")
    assert u.cheque_number == "4587213"
    assert "f-2026-117" in u.invoice_refs


def test_dates_through_parse_date():
    u = analyse("Vous pouvez faire le virement jeudi à midi ?", today=TODAY)
    assert u.date["precision"] == "exact"
    assert (u.date["start"], u.date["time"]) == ("2026-11-26", "12:00")


@pytest.mark.parametrize("text", [
    "La facture F-2026-117 fait 1 250 euros.",
    "Chèque numéro 4587213 de 1 800 euros.",
    "Rappelez-moi au 06 12 34 56 78.",
])
def test_amounts_and_numbers_are_never_read_as_dates(text):
    u = analyse(text, today=TODAY)
    assert u.date["precision"] != "exact", u.date


def test_instalment_dates_are_read_clause_by_clause():
    u = analyse("1 200 euros vendredi 27 novembre, puis 1 200 euros le 27 décembre et le 27 janvier.",
                today=TODAY)
    days = [d["start"] for d in u.clause_dates if d["precision"] == "exact"]
    assert days == ["2026-11-27", "2026-12-27", "2027-01-27"]


def test_a_date_in_the_follow_up_clause_is_marked_as_such():
    u = analyse("Je vous envoie un mail demain.", today=TODAY)
    assert u.clause_dates and all(d["follow_up"] for d in u.clause_dates)


# ------------------------------------------------------------------ anti-gaming, robustness

def test_keyword_stuffing_is_flagged():
    u = analyse("bonjour je suis Paul facture quand comment combien précisément échéancier je "
                "comprends je récapitule virement chèque carte mail je vous rappelle au revoir")
    assert u.stuffed


def test_a_normal_complete_recap_is_not_stuffing():
    u = analyse("Je récapitule : un virement de 1 250 euros jeudi 26 novembre. Je vous envoie un "
                "mail de confirmation. Merci, bonne journée !", today=TODAY)
    assert not u.stuffed and "recap" in u.acts


def test_long_monologue_is_flagged():
    assert analyse("Bonjour. " * 100).too_long


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "🙂🙂", "...", "--- *** ///", None, 12])
def test_empty_or_symbol_lines(text):
    u = analyse(text)
    assert u.empty


@pytest.mark.parametrize("evil", [
    "1 " * 5000,
    "111 " * 2500,
    "a" * 10000,
    "de " * 3300,
    "!" * 10000,
    "je vous " * 1250,
    "quand " * 1700,
    "vous " + "la " * 3000 + "renvoie",
    "9" * 10000,
    "F-" + "1-" * 5000,
])
def test_no_catastrophic_backtracking(evil):
    start = time.perf_counter()
    analyse(evil, today=TODAY, invoice_number="F-2026-117", caller_names=CALLER)
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize("line, day", [
    ("Je vous fais le virement le 26/11/2026", "2026-11-26"),
    ("le chèque partira le 27/11", "2026-11-27"),
])
def test_numeric_dates_are_dates_not_invoice_references(line, day):
    u = analyse(line, today=datetime.date(2026, 11, 23), invoice_number="F-2026-117")
    assert (u.date["precision"], u.date["start"]) == ("exact", day)
    assert u.invoice_refs == []
