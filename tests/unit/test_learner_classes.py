"""The 18 failure classes found by trying the simulator as real learners (issue 14), one test
each: the class, not only the example the review quoted. Dict scenarios: these run in Pyodide.
"""

import datetime

import pytest

from simulator import load_scenario
from simulator.understand import analyse

from unit_helpers import criteria, make_scenario, play
from unit_helpers import debtor_lines as replies, final_report as debrief, line_moves_of as moves, loaded as sc

TODAY = datetime.date(2026, 11, 23)
INTRO = "Bonjour Monsieur Petit, Claire Moreau, de l'Atelier Moreau, pour la facture F-2026-117."


ACCOUNTANT = {"persona.excuses": ["comptable"], "persona.questions_before_answer": 2,
              "persona.callback": {"date": "2026-11-27", "time": "14:00"}}
CHEQUE = {"persona.excuses": ["cheque_poste"], "persona.method": "cheque",
          "persona.cheque": {"number": "4587213", "sent": False}}
CASH = {"persona.excuses": ["tresorerie"], "persona.cash_available": 600,
        "persona.instalments": {"count": 3, "first_date": "2026-11-27", "later_start": "2027-01-15"}}


@pytest.mark.parametrize("line", ["Pas de souci, allez voir, j'attends.", "Je patiente, regardez tranquillement.",
                                  "Allez-y, je reste en ligne."])
def test_class_01_waiting_on_the_line_is_not_a_goodbye(line):
    s = play(sc(**ACCOUNTANT), [INTRO, line])
    assert not s.ended and "accepted_vague" not in s.log[-1]["events"]
    assert "wait_on_line" in s.log[-1]["moves"]


@pytest.mark.parametrize("line", ["je vous la renvoi par mail", "je vais immédiatement vous envoyer une copie de la facture",
                                  "Je vous en envoie directement une copie.", "Je refais la facture et je vous la transmets.",
                                  "Copie par mail dans l'heure."])
def test_class_02_resending_the_invoice_is_understood_however_said(line):
    assert "announce_email" in moves(line)
    s = play(sc(**{"persona.excuses": ["pas_recu"]}), [INTRO, line])
    assert "lifted:pas_recu" in {e for entry in s.log for e in entry["events"]}


@pytest.mark.parametrize("line", ["Par quel moyen allez-vous payer : virement, carte, chèque ?",
                                  "Virement, chèque ou carte, qu'est-ce qui vous arrange ?"])
def test_class_03_a_method_question_listing_options_is_not_stuffing(line):
    s = play(sc(), [INTRO, "Quand pouvez-vous régler ?", line])
    assert "stuffed" not in s.log[-1]["events"]
    assert "virement" in replies(s)[-1]


@pytest.mark.parametrize("line, kind", [
    ("Si vous ne payez pas cette semaine, j'engage des poursuites.", "threat"),
    ("Je vais transmettre le dossier à notre avocat.", "threat"),
    ("Vous êtes vraiment de mauvaise foi.", "contempt"),
    ("C'est toujours la même excuse avec vous.", "contempt"),
])
def test_class_04_threats_and_contempt_are_caught_and_fail_the_tone(line, kind):
    assert kind in moves(line)
    r = debrief(play(sc(), [INTRO, line]))
    assert not criteria(r)["professional_tone"]["passed"]


def test_class_05_a_follow_up_day_at_the_close_is_not_a_wrong_recap():
    s = play(sc(), [INTRO, "Quand pouvez-vous régler ?", "Par virement ?",
                    "Très bien, je vous passerai un coup de fil lundi pour vérifier."])
    events = s.log[-1]["events"]
    assert "recap_wrong" not in events and "follow_up" in events


def test_class_06_recap_credit_right_both_ways():
    s = play(sc(), [INTRO, "Quand pouvez-vous régler ?", "Par virement ?", "Donc virement 1 250 € le 26/11. OK ?"])
    assert "recap_ok" in s.log[-1]["events"]
    callback = play(sc(**ACCOUNTANT), [INTRO, "Quand pouvez-vous me rappeler, quel jour ?",
                                       "Il me faut une heure précise : quel jour et à quelle heure ?"])
    assert callback.commitment()["time"] == "14:00"
    callback.say("Donc vous me rappelez vendredi 27 novembre à 16 h, c'est bien ça ?")
    assert "recap_wrong" in callback.log[-1]["events"]


def test_class_07_an_argument_given_before_the_objection_still_counts():
    s = play(sc(**{"persona.excuses": ["litige"]}),
             [INTRO + " Vous avez signé le procès-verbal de réception sans réserve."])
    assert {"excuse:litige", "lifted:litige"} <= s.log[-1]["events"]


def test_class_08_a_change_of_payment_method_is_followed_everywhere():
    s = play(sc(**CHEQUE), [INTRO, "Quel est le numéro du chèque ?", "Quel numéro exactement ?",
                            "Plutôt que de le poster, pourriez-vous faire un virement vendredi ?"])
    c = s.commitment()
    assert c["action"] == "virement" and c["date"] == "2026-11-27" and not c["details"]["cheque_number"]
    assert "virement" in debrief(s)["recap_email"] and "chèque" not in debrief(s)["recap_email"]


@pytest.mark.parametrize("line, expected", [
    ("Date de paiement ?", "ask_when"),
    ("Pourquoi n'avez-vous pas encore payé ?", "ask_reason"),
    ("Est-ce qu'un problème vous empêche de régler ?", "ask_reason"),
    ("Est-ce qu'on peut convenir ensemble d'un jour pour le règlement ?", "ask_when"),
    ("Pourrait-on fixer un créneau précis, un jour et une heure ?", "ask_when"),
])
def test_class_09_short_or_common_questions_get_an_answer_on_topic(line, expected):
    assert expected in moves(line)
    s = play(sc(**{"persona.questions_before_answer": 2}), [INTRO, line])
    assert not any(p in replies(s)[-1] for p in ("Qu'est-ce que vous me proposez", "qu'est-ce que vous attendez"))


def test_class_10_comment_is_read_in_context():
    for line in ("vous payez comment ?", "Le règlement, vous le ferez comment ?", "vs reglez qd et comment ?"):
        assert "ask_how" in moves(line), line
    for line in ("Comment allez-vous ?", "comment vous allez ?"):
        assert "ask_how" not in moves(line) and "smalltalk" in moves(line), line


@pytest.mark.parametrize("line", ["Aujourd'hui, cette somme est due depuis 12 jours.",
                                  "Je suis d'ailleurs chez vous jeudi pour l'entretien.",
                                  "Je vous ai relancé le 10 novembre."])
def test_class_11_incidental_days_are_not_proposals(line):
    assert "propose_date" not in moves(line)


def test_class_12_a_payment_plan_as_people_say_it():
    s = play(sc(**CASH), [INTRO, "la moitié maintenant et le reste le mois prochain ?"])
    c = s.commitment()
    assert c["action"] == "echeancier" and len(c["details"]["instalments"]) == 2
    assert c["details"]["instalments"][0]["date"] <= "2026-11-27"
    assert {"first_payment_now", "propose_instalments"} <= moves("Un premier versement dès lundi, puis un échéancier ?")


def test_class_13_the_accountant_answers_when_and_accepts_a_call_together():
    s = play(sc(**ACCOUNTANT), [INTRO, "Quand voyez-vous votre comptable ?"])
    assert "comptable" not in replies(s)[-1].lower() or "vois" in replies(s)[-1].lower()
    together = play(sc(**ACCOUNTANT), [INTRO, "Voulez-vous qu'on l'appelle ensemble ?"])
    c = together.commitment()
    assert (c["action"], c["precision"], c["time"]) == ("rappel", "exact", "14:00")


def test_class_14_no_sentence_twice_in_a_row_and_no_endless_loop():
    s = play(sc(**{"persona.excuses": ["litige"], "persona.good_faith": False}),
             [INTRO] + ["Quand pouvez-vous régler ?"] * 10)
    said = replies(s)
    assert all(a != b for a, b in zip(said, said[1:]))
    assert s.ended and s.ended_by == "debtor"          # a bad-faith debtor ends a call going nowhere
    assert any("tourne" in line for line in said)


@pytest.mark.parametrize("line, move", [
    ("Je vous l'écris par mail", "announce_email"), ("Confirmation par mail ce soir.", "announce_email"),
    ("pas de soucis ça arrive", "empathy"), ("je suis navré", "empathy"), ("ça doit être pénible", "empathy"),
    ("J'entends bien ce que vous dites.", "empathy"),
])
def test_class_15_follow_up_and_empathy_phrasings(line, move):
    assert move in moves(line)


@pytest.mark.parametrize("line, amount", [("c'est pour les 3600e", 3600), ("les 1250,-€", 1250),
                                          ("1250 €uros", 1250), ("3.600 €", 3600)])
def test_class_16_amounts_as_people_type_them(line, amount):
    assert analyse(line).amounts == [amount]


def test_class_17_facts_of_this_call_only_and_right():
    callback = debrief(play(sc(**ACCOUNTANT), [INTRO, "Quand pouvez-vous me rappeler ?",
                                               "Quel jour et à quelle heure exactement ?"]))
    assert "si le règlement ne nous est pas parvenu" not in callback["recap_email"]
    cheque = debrief(play(sc(**CHEQUE), [INTRO, "Quel est le numéro du chèque ?", "Quel numéro exactement ?",
                                         "Quand pouvez-vous le poster ?"]))
    assert "que vous posterez le" in cheque["recap_email"] and "envoyé le" not in cheque["recap_email"]
    plan = debrief(play(sc(**CASH), [INTRO, "Un échéancier, avec un premier versement cette semaine ?"]))
    assert not criteria(plan)["amount"]["passed"]                 # the amount was never discussed
    for item in plan["commitment"]["details"]["instalments"]:
        assert datetime.date.fromisoformat(item["date"]).weekday() < 5   # never a Saturday or a Sunday
    other = load_scenario(make_scenario(**{"persona.method": "cheque", "persona.promise.date": "2026-11-30"}))
    advice = criteria(debrief(play(other, [INTRO])))["recap"]["explanation"]
    assert "lundi 30 novembre" in advice and "jeudi 26 novembre" not in advice


def test_class_18_credit_comes_from_the_learner_not_from_what_the_debtor_volunteers():
    volunteered = sc(**{"persona.volunteers_method": True})
    r = debrief(play(volunteered, [INTRO, "D'accord.", "Merci, au revoir."]))
    assert not criteria(r)["payment_method"]["passed"]
    stuffed = debrief(play(sc(), ["bonjour facture F-2026-117 1250 euros virement jeudi 26 novembre "
                                  "récapitulatif mail merci au revoir"]))
    assert stuffed["score"] <= 20


@pytest.mark.parametrize("line", ["Vous la payez quand la compta pourra, je ne suis pas pressée.",
                                  "On n'est pas pressés, réglez quand votre associé aura le temps."])
def test_class_09_letting_the_date_go_is_accepting_a_vague_answer_however_said(line):
    assert "accept_vague" in moves(line)
    assert "accept_vague" not in moves("Quand le comptable pourra-t-il valider ?")
