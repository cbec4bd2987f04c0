"""The debtor behaves like a real client (runs on dict scenarios, also in Pyodide)."""

import datetime

import pytest

from simulator import load_scenario
from simulator.replies import (DEBTOR_REPLIES, GATEKEEPER_REPLIES, PLACEHOLDERS, spoken_amount,
                               spoken_date, spoken_time)

from unit_helpers import make_scenario, play
from unit_helpers import debtor_lines as replies

INTRO = ("Bonjour Monsieur Petit, Claire Moreau, de Moreau Graphisme, je vous appelle pour la "
         "facture F-2026-117.")


def scenario(**changes):
    return load_scenario(make_scenario(**changes))


# ------------------------------------------------------------------ speaking

def test_spoken_facts():
    today = datetime.date(2026, 11, 23)
    assert spoken_date("2026-11-26", today) == "jeudi 26 novembre"
    assert spoken_date("2026-11-24", today) == "demain, mardi 24 novembre"
    assert spoken_date("2026-11-23", today) == "aujourd'hui"
    assert spoken_time("12:00") == " à midi"
    assert spoken_time("14:30") == " à 14 h 30"
    assert spoken_time("09:00") == " à 9 h"
    assert spoken_time(None) == ""
    assert spoken_amount(1250) == "1 250 euros"
    assert spoken_amount(1250.5) == "1 250,50 euros"


def test_default_replies_only_use_known_placeholders_and_no_html():
    from string import Formatter

    assert set(GATEKEEPER_REPLIES) == set(DEBTOR_REPLIES)  # each role answers every situation itself
    for defaults in (DEBTOR_REPLIES, GATEKEEPER_REPLIES):
        for situation, variants in defaults.items():
            assert variants, situation
            for text in variants:
                names = {f for _, f, _, _ in Formatter().parse(text) if f}
                assert names <= PLACEHOLDERS, (situation, names - PLACEHOLDERS)
                assert "<" not in text and ">" not in text


# ------------------------------------------------------------------ the forgetful client

def test_forgetful_client_gives_the_real_date_after_one_precise_question():
    s = play(scenario(), [INTRO, "Quand pouvez-vous la régler ?"])
    assert s.commitment()["precision"] == "exact"
    assert s.commitment()["date"] == "2026-11-26"
    assert "jeudi 26 novembre" in replies(s)[-1]


def test_reply_names_the_invoice_when_the_learner_raises_it():
    s = play(scenario(**{"objections": {"oubli": {"replies": {"raise": ["La {invoice} de {amount} ? Oubliée !"]}}}}),
             [INTRO])
    assert replies(s)[-1] == "La F-2026-117 de 1 250 euros\u00a0? Oubliée\u00a0!"   # typeset for the learner


def test_without_a_reason_for_the_call_the_debtor_asks_what_it_is_about():
    s = play(scenario(), ["Bonjour, Claire Moreau de Moreau Graphisme."])
    assert "sujet" in replies(s)[-1] or "pour vous" in replies(s)[-1]
    assert s.commitment()["precision"] is None


def test_method_is_given_when_asked():
    s = play(scenario(), [INTRO, "Quand pouvez-vous la régler ?", "Par quel moyen ?"])
    assert "virement" in replies(s)[-1]
    assert s.commitment()["action"] == "virement"


def test_learner_can_propose_a_later_date_and_the_debtor_accepts_it():
    s = play(scenario(), [INTRO, "Pouvez-vous faire le virement vendredi ?"])
    c = s.commitment()
    assert (c["action"], c["date"], c["precision"]) == ("virement", "2026-11-27", "exact")


def test_too_early_a_date_gets_a_counter_proposal():
    s = play(scenario(), [INTRO, "Pouvez-vous payer demain ?"])
    assert s.commitment()["date"] == "2026-11-26"
    assert "jeudi 26 novembre" in replies(s)[-1]


def test_wrong_recap_is_corrected_by_the_debtor():
    s = play(scenario(), [INTRO, "Quand pouvez-vous régler par virement ?",
                          "Donc un virement mardi 1er décembre, c'est bien ça ?"])
    assert "jeudi 26 novembre" in replies(s)[-1]
    assert s.log[-1]["events"] >= {"recap_wrong"}


# ------------------------------------------------------------------ the staller

STALLER = {"persona.excuses": ["rappel"], "persona.good_faith": False,
           "persona.questions_before_answer": 3}


def test_staller_dodges_a_single_question_with_a_vague_promise():
    s = play(scenario(**STALLER), [INTRO, "Quand pensez-vous régler ?"])
    assert s.commitment()["precision"] == "vague"


def test_staller_concedes_an_exact_date_under_repeated_precise_questions():
    s = play(scenario(**STALLER), [INTRO, "Quand pensez-vous régler ?",
                                   "J'ai besoin d'une date précise.", "Quel jour exactement ?"])
    c = s.commitment()
    assert c["precision"] == "exact" and c["date"] == "2026-11-26"


def test_staller_gives_a_range_before_the_exact_day():
    s = play(scenario(**STALLER), [INTRO, "Quand pensez-vous régler ?",
                                   "J'ai besoin d'une date précise."])
    assert s.commitment()["precision"] == "range"


def test_bad_faith_staller_hangs_up_when_the_learner_settles():
    s = play(scenario(**STALLER), [INTRO, "Quand pensez-vous régler ?", "Ah, d'accord, très bien."])
    assert s.ended and s.ended_by == "debtor"
    assert s.commitment()["precision"] == "vague"


# ------------------------------------------------------------------ the cheque in the post

CHEQUE = {"persona.excuses": ["cheque_poste"], "persona.method": "cheque",
          "persona.cheque": {"number": "4587213", "sent": False},
          "persona.promise": {"date": "2026-11-24"}}


def test_cheque_not_sent_is_admitted_after_asking_twice_for_its_number():
    s = play(scenario(**CHEQUE), [INTRO, "Quel est le numéro du chèque ?",
                                  "Regardez le talon : quel numéro ?"])
    assert "lifted:cheque_poste" in s.log[-1]["events"] and "pas encore" in replies(s)[-1]
    s.say("Quand pouvez-vous le poster ?")
    c = s.commitment()
    assert (c["action"], c["date"], c["details"]["cheque_number"]) == ("cheque", "2026-11-24", "4587213")
    assert "4587213" in replies(s)[-1] and "1 250 euros" in replies(s)[-1]


def test_cheque_really_sent_gives_number_amount_and_sending_date():
    sent = dict(CHEQUE, **{"persona.cheque": {"number": "4587213", "sent": True,
                                              "sent_date": "2026-11-20"}})
    s = play(scenario(**sent), [INTRO, "Très bien : quel est le numéro du chèque et sa date d'envoi ?"])
    text = replies(s)[-1]
    assert "4587213" in text and "1 250 euros" in text and "vendredi 20 novembre" in text
    assert s.commitment()["date"] == "2026-11-20"


# ------------------------------------------------------------------ cash-flow trouble

CASH = {"persona.excuses": ["tresorerie"], "persona.cash_available": 400,
        "persona.instalments": {"count": 3, "first_date": "2026-11-25", "later_start": "2027-01-15"}}


def test_short_of_cash_refuses_to_pay_everything_now():
    s = play(scenario(**CASH), [INTRO, "Quand pouvez-vous régler la totalité ?"])
    assert s.commitment()["precision"] == "vague"
    assert s.log[-1]["events"] >= {"vague_answer"}


def test_instalments_first_start_late_then_a_first_payment_now_when_the_learner_insists():
    s = play(scenario(**CASH), [INTRO, "On peut faire un échéancier."])
    assert "janvier" in replies(s)[-1]
    s.say("C'est trop tard : il me faut un premier versement cette semaine.")
    c = s.commitment()
    assert c["action"] == "echeancier" and c["date"] == "2026-11-25"
    inst = c["details"]["instalments"]
    assert inst[0]["amount"] == 400.0
    assert round(sum(i["amount"] for i in inst), 2) == 1250.0
    assert "400 euros" in replies(s)[-1]


def test_first_payment_is_capped_to_the_cash_available():
    s = play(scenario(**CASH), [INTRO, "Un échéancier avec 800 euros aujourd'hui, ça vous va ?"])
    assert s.commitment()["details"]["instalments"][0]["amount"] == 400.0


# ------------------------------------------------------------------ invented dispute

DISPUTE = {"persona.excuses": ["litige"], "persona.good_faith": False}


def test_dispute_blocks_payment_until_the_signed_documents_are_mentioned():
    s = play(scenario(**DISPUTE), [INTRO, "Quand pouvez-vous payer ?", "Quel jour exactement ?"])
    assert s.commitment()["precision"] != "exact"
    s.say("Vous avez signé le bon de livraison sans réserve. Quand pouvez-vous régler ?")
    assert s.commitment()["precision"] == "exact"


# ------------------------------------------------------------------ the accountant

ACCOUNTANT = {"persona.excuses": ["comptable"], "persona.questions_before_answer": 2,
              "persona.callback": {"date": "2026-11-24", "time": "14:00"}}


def test_accountant_commitment_is_a_call_back_at_a_precise_time():
    s = play(scenario(**ACCOUNTANT), [INTRO, "Quand voyez-vous votre comptable ?",
                                      "Quel jour et à quelle heure me rappelez-vous ?"])
    c = s.commitment()
    assert (c["action"], c["date"], c["time"]) == ("rappel", "2026-11-24", "14:00")
    assert "14 h" in replies(s)[-1]


# ------------------------------------------------------------------ tone

def test_repeated_aggression_makes_the_debtor_hang_up():
    s = play(scenario(), [INTRO, "Vous êtes un escroc !", "ESPÈCE D'ABRUTI, PAYEZ !!!",
                          "Bande de voleurs !"])
    assert s.ended and s.ended_by == "debtor"


def test_one_aggressive_line_is_tolerated_but_noticed():
    s = play(scenario(), [INTRO, "Vous vous moquez de moi ?"])
    assert not s.ended
    assert "ton" in replies(s)[-1] or "agressif" in replies(s)[-1] or "calme" in replies(s)[-1]


IRRITATED = {"persona.excuses": ["irritation"], "persona.irritation": 0.75, "persona.patience": 1}


def test_irritated_client_hangs_up_on_escalation():
    s = play(scenario(**IRRITATED), [INTRO, "VOUS DEVEZ PAYER !!!", "Sinon, ce sera le tribunal."])
    assert s.ended_by == "debtor"


def test_irritated_client_calms_down_with_empathy_then_commits():
    s = play(scenario(**IRRITATED), [INTRO, "Quand allez-vous payer ?"])
    assert s.commitment()["precision"] != "exact"      # pressing an angry client gets nothing
    s.say("Je comprends que ces relances vous pèsent, je suis désolé pour le désagrément.")
    assert "lifted:irritation" in s.log[-1]["events"]
    s.say("Quand pourriez-vous régler la facture ?")
    assert s.commitment()["precision"] == "exact"


def test_early_threat_irritates_more_than_a_late_one():
    early = play(scenario(), [INTRO, "Sinon je saisis le tribunal."])
    assert "threat_premature" in early.log[-1]["events"]


# ------------------------------------------------------------------ variants

def test_variants_depend_on_the_seed_but_are_reproducible():
    openings = {play(scenario(), [], seed=k).opening for k in range(12)}
    assert len(openings) > 1
    assert play(scenario(), [], seed=5).opening == play(scenario(), [], seed=5).opening


def test_same_situation_twice_in_a_row_uses_a_different_wording():
    s = play(scenario(), [INTRO, "Quand ?", "Quand exactement ?", "Vraiment, quand ?"])
    texts = replies(s)[2:]
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("line", ["<script>alert(1)</script>", "<b>Bonjour</b>"])
def test_learner_html_is_never_echoed(line):
    s = play(scenario(), [line])
    assert "<" not in replies(s)[-1]
