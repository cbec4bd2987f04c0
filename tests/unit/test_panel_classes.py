"""Classes of problems found by a second, held-out panel of learners (42 whole calls written
from the briefings alone, issue 14): one test per class, on other lines than the panel's.
Dict scenarios run in Pyodide too; the course's own YAML scenarios need CPython.
"""

import datetime

import pytest

from simulator import Session, load_scenario
from simulator.moves import proposal
from simulator.understand import analyse, plan_items

from unit_helpers import SCENARIO_DIR, make_scenario, needs_cpython, play
from unit_helpers import final_report as report, line_moves_of as moves, loaded as sc

TODAY = datetime.date(2026, 11, 23)
INTRO = "Bonjour Monsieur Petit, Claire Moreau, de l'Atelier Moreau, pour la facture F-2026-117."


def crit(d):
    return {c["id"]: c for c in d["criteria"]}


def yaml_scenario(name):
    return load_scenario(SCENARIO_DIR / f"{name}.yml")


GATE = {"gatekeeper": {"id": "accueil", "name": "Julie Bernard", "gender": "f", "role": "accueil",
                       "patience": 1, "objections": ["barrage"],
                       "callback": {"date": "2026-11-24", "time": "10:00"}}}


# ------------------------------------------------------------------ understanding

@pytest.mark.parametrize("line", ["Ça a disjoncté quand, exactement ?", "Depuis quand ça ne marche plus ?",
                                  "C'est arrivé quel jour, cette panne ?"])
def test_when_about_what_happened_is_not_when_to_pay(line):
    got = moves(line)
    assert "ask_reason" in got and "ask_when" not in got and "insist" not in got
    assert "ask_when" in moves("Quand est-ce que vous pourrez régler ?")


@pytest.mark.parametrize("line", ["Je peux passer vérifier jeudi, à part.", "Notre technicien passera lundi.",
                                  "Je repasse mercredi matin voir ça."])
def test_the_learners_own_visit_day_is_not_a_payment_day(line):
    assert proposal(analyse(line, today=TODAY), TODAY) is None


def test_a_recap_stating_the_learners_own_visit_too_is_a_recap():
    s = play(sc(), [INTRO, "Quand pouvez-vous régler ?", "Par virement ?",
                    "Merci. Donc : je passe mardi au matin, et vous faites le virement de 1 250 € jeudi 26 novembre."])
    assert "recap_ok" in s.log[-1]["events"]


@pytest.mark.parametrize("line, not_move", [("On fait un petit check ensemble ?", "names_method"),
                                            ("C'est quoi, le numéro de commande ?", "ask_cheque"),
                                            ("Elle a été envoyée le 3 à votre service compta.", "ask_cheque")])
def test_words_about_something_else_are_not_payment_terms(line, not_move):
    assert not_move not in moves(line)
    assert "names_method" in moves("Vous réglez par check ?")


@pytest.mark.parametrize("line", ["Laissez tomber les pénalités, réglez le principal.", "Oubliez les 40 €.",
                                  "Je ne vous réclame plus les frais de retard."])
def test_a_waiver_in_everyday_words(line):
    assert "waive" in moves(line)


def test_asking_for_a_day_however_said():
    for line in ("Est-ce qu'on peut fixer dès maintenant le jour du virement ?",
                 "On pourrait caler une date ensemble ?"):
        assert "ask_when" in moves(line), line


@pytest.mark.parametrize("line", ["Merci, excellente journée à vous.", "Merci, bon courage pour la suite !",
                                  "ok merci a+", "Merci et bonne journé !"])
def test_goodbyes_as_people_type_them(line):
    assert "goodbye" in moves(line)


def test_a_plan_with_bare_numbers_and_spans():
    items = plan_items("on fait en 3 fois : 400 cette semaine, 400 fin dec, 450 fin janv", TODAY)
    assert [i["amount"] for i in items] == [400, 400, 450]
    assert items[1]["end"] == "2026-12-31" and items[2]["end"] == "2027-01-31"
    assert plan_items("Je vous rappelle le 15 décembre.", TODAY) == []


# ------------------------------------------------------------------ a coherent debtor

def test_no_promise_the_debtor_never_made():
    for excuse in ("litige", "irritation", "pas_recu"):
        s = play(sc(**{"persona.excuses": [excuse], "persona.irritation": 0.5}), [INTRO])
        assert s.log[-1]["commitment"]["action"] != "rappel", excuse


def test_a_debtor_never_corrects_an_amount_upwards_nor_the_principal():
    low = play(sc(**{"persona.good_faith": False}), [INTRO + " Il reste 1 000 euros à régler."])
    assert "amount_corrected" not in low.log[-1]["events"]
    high = play(sc(), [INTRO + " Il reste 1 500 euros à régler."])
    assert "amount_corrected" in high.log[-1]["events"]


def test_alternatives_for_a_call_back_get_the_first_that_suits_with_an_hour():
    s = play(sc(**GATE), ["Bonjour Madame, Claire Moreau, de l'Atelier Moreau.",
                          "C'est au sujet d'un dossier en cours avec lui.",
                          "Je comprends. Pourrait-il me rappeler demain en fin de matinée, ou jeudi après-midi ?"])
    c = s.log[-1]["commitment"]
    assert (c["action"], c["date"], c["time"]) == ("rappel", "2026-11-24", "11:30")
    s.say("Et à 14 h plutôt, c'est possible ?")           # a bare hour: for the day agreed
    c = s.log[-1]["commitment"]
    assert (c["date"], c["time"]) == ("2026-11-24", "14:00")


def test_who_calls_whom_is_kept_and_written_right():
    s = play(sc(**GATE), ["Bonjour Madame, Claire Moreau, de l'Atelier Moreau.", "C'est au sujet d'un dossier en cours.",
                          "Je comprends. À quelle heure puis-je le rappeler demain ?",
                          "Donc je rappelle Monsieur Petit demain à 10 h. Merci beaucoup, au revoir."])
    d = report(s)
    assert d["commitment"]["details"]["caller"] == "learner"
    mail = d["recap_email"]
    assert "Julie Bernard" not in mail and "Madame Bernard" in mail            # the one who took the slot
    assert "je vous appelle le mardi 24 novembre 2026 à 10 h" in mail
    assert "notre conversation téléphonique" not in mail                       # he never came on the line


def test_a_recap_without_the_day_is_completed_by_the_debtor():
    s = play(sc(), [INTRO, "Quand pouvez-vous régler ?", "Par virement ?", "Ok donc virement de 1 250 €, c'est bon ?"])
    assert "recap_partial" in s.log[-1]["events"] and "jeudi 26 novembre" in s.transcript[-1]["text"]
    assert not crit(report(s))["recap"]["passed"]


def test_no_sentence_again_one_reply_later_when_there_are_others_to_say():
    s = play(sc(**{"persona.excuses": ["tresorerie"], "persona.cash_available": 100,
                   "persona.questions_before_answer": 6,
                   "persona.instalments": {"count": 3, "first_date": "2026-11-27", "later_start": "2027-01-15"}}),
             [INTRO])
    dodges = []
    for _ in range(4):
        if s.ended:
            break
        s.say("Quand pouvez-vous payer ?")
        dodges.append(s.transcript[-1]["text"])
    assert all(a != b for a, b in zip(dodges, dodges[2:]))


def test_a_question_about_where_to_send_gets_an_answer():
    s = play(sc(**{"persona.excuses": ["pas_recu"]}), [INTRO, "Je vous la renvoie tout de suite : à quelle adresse ?"])
    assert "adresse" in s.transcript[-1]["text"]


def test_the_learners_plan_is_taken_when_it_holds_and_its_first_day_moved_when_too_early():
    plan = {"persona.excuses": ["tresorerie"], "persona.cash_available": 500,
            "persona.instalments": {"count": 3, "first_date": "2026-11-25", "later_start": "2027-01-15"}}
    s = play(sc(**plan), [INTRO, "Je comprends. On peut étaler : 450 € aujourd'hui, 400 € le 15 décembre et "
                                 "400 € le 15 janvier. Ça vous va ?"])
    c = s.log[-1]["commitment"]
    assert [(i["date"], i["amount"]) for i in c["details"]["instalments"]] == [
        ("2026-11-25", 450.0), ("2026-12-15", 400.0), ("2027-01-15", 400.0)]
    assert "Aujourd’hui" in s.transcript[-1]["text"] and "lifted:tresorerie" in s.log[-1]["events"]
    spans = play(sc(**plan), [INTRO, "on fait en 3 fois : 450 cette semaine, 400 fin dec, 400 fin janv ?"])
    assert [i["date"] for i in spans.log[-1]["commitment"]["details"]["instalments"]] == [
        "2026-11-25", "2026-12-31", "2027-01-29"]    # the last working day of each span
    too_much = play(sc(**plan), [INTRO, "On peut étaler : 850 € aujourd'hui et 400 € le 15 décembre ?"])
    assert "500 euros" in too_much.transcript[-1]["text"]        # more than she has: she says so


# ------------------------------------------------------------------ a fair debrief

@pytest.mark.parametrize("line, why", [("Et pas d'oubli cette fois, hein.", "reproche"),
                                       ("C'est vous qui ne payez pas vos factures.", "reproche")])
def test_a_reproach_is_a_fault_of_tone(line, why):
    d = report(play(sc(), [INTRO + " " + line, "Quand pouvez-vous régler ?"]))
    tone = crit(d)["professional_tone"]
    assert not tone["passed"] and why in tone["explanation"] and tone["turn"] == 1


def test_apologising_for_calling_twice_is_a_fault_of_tone_once_is_politeness():
    once = report(play(sc(), ["Bonjour, excusez-moi de vous déranger. " + INTRO, "Quand pouvez-vous régler ?"]))
    assert crit(once)["professional_tone"]["passed"]
    twice = report(play(sc(), ["Bonjour, excusez-moi de vous déranger. " + INTRO,
                               "Encore désolée pour le dérangement. Quand pouvez-vous régler ?"]))
    assert "excuses" in crit(twice)["professional_tone"]["explanation"]


def test_amount_and_method_do_not_count_when_only_the_assistant_was_on_the_line():
    d = report(play(sc(**GATE), ["Bonjour Madame, Claire Moreau, de l'Atelier Moreau.", "C'est au sujet d'un dossier.",
                                 "Je comprends. À quelle heure pourrait-il me rappeler demain ?",
                                 "Si je récapitule : il me rappelle demain à 10 h. Merci, au revoir."]))
    # Still listed (the debrief's contract names them), but counted for nothing and said so.
    for cid in ("amount", "payment_method"):
        assert crit(d)[cid]["applies"] is False and crit(d)[cid]["weight"] == 0
        assert "Sans objet" in crit(d)[cid]["explanation"]
    assert d["verdict"]["succeeded"] and not any(p["id"] in ("amount", "payment_method") for p in d["priorities"])


def test_the_vague_words_quoted_back_are_the_debtors_own():
    s = play(sc(**{"persona.excuses": ["rappel"], "persona.good_faith": True}),
             [INTRO, "Quand pouvez-vous régler ?", "D'accord, pas de souci, tenez-moi au courant."])
    d = report(s)
    vague = next(p for p in d["priorities"] + d["criteria"] if p["id"] == "no_vague_accepted")
    said = s.transcript[4]["text"]
    quoted = vague["better"].split("»")[0].strip("« \u00a0")
    assert quoted and quoted.lower() in said.lower()


def test_after_a_hang_up_the_e_mail_does_not_thank_for_a_conversation():
    s = play(sc(**{"persona.patience": 0}), [INTRO, "Vous êtes un escroc !"])
    mail = report(s)["recap_email"]
    assert s.ended_by == "debtor" and "confiance" not in mail and "conversation" not in mail


@needs_cpython
def test_a_waiver_tied_to_a_date_in_the_same_line_passes_the_gesture_criterion():
    s = Session(yaml_scenario("penalites-contestees"), seed=0)
    for line in ["Bonjour Monsieur Masson, Camille Berger, de Berger Signalétique, pour la facture BS-2026-051.",
                 "Si vous réglez les 3 960 € cette semaine, je laisse tomber les pénalités. Quel jour pouvez-vous ?",
                 "Par virement ?"]:
        s.say(line)
    assert crit(report(s))["geste_contre_date"]["passed"]


@needs_cpython
def test_a_cheque_replaced_by_a_transfer_is_a_transfer_everywhere():
    s = Session(yaml_scenario("cheque-au-courrier"), seed=0)
    for line in ["Bonjour Monsieur Garnier, Julie Marchand, de Marchand Formation, pour la facture MF-2026-058.",
                 "Quel est le numéro du chèque ?", "Vous l'avez posté quel jour ?",
                 "Le plus simple : un virement demain, et je vous renvoie le chèque. Ça vous va ?"]:
        s.say(line)
    d = report(s)
    assert d["commitment"]["action"] == "virement" and "chèque" not in d["recap_email"].split("Comme convenu")[1]
    assert crit(d)["cheque_details"]["passed"]


@needs_cpython
def test_the_irritated_client_hangs_up_at_the_first_threat_as_her_briefing_says():
    s = Session(yaml_scenario("client-irrite"), seed=0)
    s.say("Bonjour Madame Blanc, Thomas Girard, de Girard Paysages, pour la facture GP-2026-193.")
    s.say("Si vous ne payez pas, je vous envoie un huissier.")
    assert s.ended and s.ended_by == "debtor"


@needs_cpython
def test_telling_the_assistant_about_the_debt_fails_discretion():
    s = Session(yaml_scenario("barrage-assistante"), seed=0)
    s.say("Bonjour Madame, Hugo Marchand, de Marchand Nettoyage. Je voudrais parler à Monsieur Duroc.")
    s.say("C'est pour une facture de 1 680 euros qui est en retard.")
    s.say("Je comprends, il est très pris. À quelle heure pourrait-il me rappeler demain, 9 h 30 ?")
    s.say("Donc Monsieur Duroc me rappelle demain à 9 h 30. Merci beaucoup, au revoir.")
    d = report(s)
    assert not crit(d)["discretion"]["passed"] and crit(d)["discretion"]["essential"]
    # An essential criterion missed: the call is not a success, whatever the score.
    assert d["score"] == 50 and not d["verdict"]["succeeded"] and "la dette gardée" in d["verdict"]["text"]


@pytest.mark.parametrize("line, rude", [
    ("Vous êtes sourde ? Je veux parler à Monsieur Petit.", True),
    ("Arrêtez votre cinéma, elle a été envoyée le 3.", True),
    ("C'est vos machines pourries qui font sauter le disjoncteur.", True),
    ("Passez-le-moi ou je débarque au cabinet.", True),
    ("Qu'est-ce que vous pourriez verser dès cette semaine ?", False),   # "pourriez" is not "pourri"
    ("Je passe au cabinet demain pour vous déposer le bon.", False),
])
def test_rudeness_is_heard_and_polite_lines_are_not_taken_for_it(line, rude):
    got = moves(line)
    assert bool(got & {"contempt", "insult", "threat", "reproach"}) == rude, got


def test_a_goodbye_ends_even_a_call_going_round_in_circles():
    s = play(sc(**{"persona.excuses": ["litige"], "persona.good_faith": False}),
             [INTRO, "Bon.", "Ah.", "Hmm.", "Au revoir."])
    assert s.ended_by in ("learner", "debtor")
    if s.log[-1]["acts"] & {"goodbye"}:
        assert s.ended_by == "learner" and "au revoir" in s.transcript[-1]["text"].lower()


def test_an_assistant_asks_why_once_then_does_not_greet_again():
    s = play(sc(**GATE), ["Passez-moi Monsieur Petit.", "Passez-le-moi, c'est urgent.", "Il est là, oui ou non ?"])
    replies = [s.transcript[i]["text"] for i in (2, 4, 6)]
    assert sum("bonjour" in r.lower() for r in replies) <= 1
    assert len(set(replies)) == 3


def test_side_questions_get_a_short_answer():
    s = play(sc(), [INTRO + " Au fait, le logo vous donne satisfaction ?"])
    assert "merci" in s.transcript[-1]["text"].lower() or "très bien" in s.transcript[-1]["text"].lower()
    s = play(sc(**GATE), ["Bonjour Madame, Claire Moreau. Puis-je vous demander votre nom ?"])
    assert "Julie Bernard" in s.transcript[-1]["text"]


@needs_cpython
def test_asked_when_the_cheque_left_the_debtor_stalls_on_the_date_not_on_the_number():
    """A stall answers the question asked: the day of posting, not the cheque's number."""
    s = Session(yaml_scenario("cheque-au-courrier"), seed=0)
    s.say("Bonjour Monsieur Garnier, Julie Marchand, de Marchand Formation, pour la facture MF-2026-058.")
    when = s.say("Vous l'avez envoyé quand, ce chèque ?").text
    assert "quand" in when.lower() or "jour" in when.lower(), when
    assert "numéro" not in when, when
    number = s.say("Et quel est son numéro ?").text  # the second precise question: the truth
    assert "pas encore parti" in number or "pas encore posté" in number, number
