"""The debrief: schema, criteria earned at the right moment, score, notes, recap e-mail."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import load_scenario

from unit_helpers import (CARELESS_CALL, GOOD_CALL, criteria, make_scenario, play, schema_problems)

INTRO = GOOD_CALL[0]


@pytest.fixture(scope="module")
def sc():
    return load_scenario(make_scenario())


def report(sc, lines, **kw):
    s = play(sc, lines, **kw)
    if not s.ended:
        s.hang_up()
    return s.debrief()


def test_careful_call_matches_the_schema_and_passes_everything(sc):
    r = report(sc, GOOD_CALL)
    assert schema_problems(r) == []
    assert all(c["passed"] for c in r["criteria"]), [c for c in r["criteria"] if not c["passed"]]
    assert r["score"] == 100
    assert r["scenario"] == "test-oubli" and r["seed"] == 0 and r["ended_by"] == "learner"
    assert r["turns"] == len(GOOD_CALL) and len(r["transcript"]) == 2 * len(GOOD_CALL) + 1
    c = r["commitment"]
    assert (c["action"], c["amount"], c["date"], c["precision"]) == ("virement", 1250.0, "2026-11-26", "exact")
    json.dumps(r)


def test_careless_call_scores_far_below_a_careful_one(sc):
    careful, careless = report(sc, GOOD_CALL), report(sc, CARELESS_CALL)
    assert schema_problems(careless) == []
    assert careful["score"] - careless["score"] >= 40


def test_settling_for_a_vague_promise_is_caught():
    staller = load_scenario(make_scenario(**{"persona.excuses": ["rappel"]}))
    r = report(staller, [INTRO, "D'accord, pas de souci, j'attends votre appel. Au revoir."])
    crit = criteria(r)
    assert not crit["no_vague_accepted"]["passed"] and crit["no_vague_accepted"]["turn"] == 2
    assert not crit["exact_date"]["passed"]
    assert r["commitment"]["precision"] == "vague"
    assert any("floue" in n for n in r["transcript"][3]["notes"])


def test_criteria_record_the_turn_where_they_were_earned(sc):
    crit = criteria(report(sc, GOOD_CALL))
    assert crit["exact_date"]["turn"] == 2
    assert crit["payment_method"]["turn"] == 3
    assert crit["recap"]["turn"] == 4
    assert crit["follow_up"]["turn"] == 5


def test_every_criterion_explains_in_french_and_links_to_the_course(sc):
    r = report(sc, CARELESS_CALL)
    for c in r["criteria"]:
        assert c["explanation"] and c["label"] and c["module"].startswith("Module")
        assert c["link"].startswith("../modules/") and "#" in c["link"], c["link"]  # the exact section
    assert criteria(r)["exact_date"]["link"] == \
        "../modules/08-appel-de-relance/#4-conclure-une-action-precise-et-une-date-exacte"
    assert criteria(r)["follow_up"]["link"] == "../modules/08-appel-de-relance/#apres-lappel-le-courriel-recapitulatif"


# ------------------------------------------------------------------ anti-gaming

STUFFED = ("Bonjour je suis Claire Moreau facture F-2026-117 quand exactement comment combien "
           "échéancier je comprends je récapitule virement chèque carte jeudi je vous envoie un mail "
           "je vous rappelle au revoir")


def test_a_line_stuffed_with_every_keyword_earns_nothing(sc):
    r = report(sc, [STUFFED])
    crit = criteria(r)
    earned = {cid for cid, c in crit.items() if c["passed"]}
    assert earned <= {"professional_tone"}
    assert r["score"] <= 15


def test_stuffing_repeated_still_earns_no_recap_or_questions(sc):
    r = report(sc, [STUFFED.replace(" au revoir", "")] * 5)
    crit = criteria(r)
    assert not crit["recap"]["passed"] and not crit["questions"]["passed"]
    assert not crit["commitment"]["passed"]


def test_recap_before_the_commitment_does_not_count(sc):
    r = report(sc, [INTRO, "Je récapitule : un virement jeudi 26 novembre.",
                    "Quand pouvez-vous payer, et par quel moyen ?", "Merci, au revoir."])
    crit = criteria(r)
    assert crit["exact_date"]["passed"] and not crit["recap"]["passed"]


def test_recap_must_restate_the_actual_date(sc):
    r = report(sc, GOOD_CALL[:3] + ["Je récapitule : un virement vendredi 27 novembre.",
                                    "Merci, au revoir."])
    assert not criteria(r)["recap"]["passed"]
    r = report(sc, GOOD_CALL[:3] + ["Je récapitule : vous payez bientôt.", "Merci, au revoir."])
    assert not criteria(r)["recap"]["passed"]


def test_recap_without_the_keyword_but_restating_action_and_date_counts(sc):
    r = report(sc, GOOD_CALL[:3] + ["Donc un virement jeudi 26 novembre ?", "Merci, au revoir."])
    assert criteria(r)["recap"]["passed"]


def test_follow_up_announced_before_any_commitment_does_not_count(sc):
    r = report(sc, [INTRO, "Je vous enverrai un mail récapitulatif.",
                    "Quand pouvez-vous régler par virement ?", "Au revoir."])
    assert not criteria(r)["follow_up"]["passed"]


def test_questions_need_open_questions_and_listening(sc):
    only_closed = report(sc, [INTRO.replace("Que se passe-t-il ?", ""),
                              "Vous pouvez payer jeudi par virement ?", "Au revoir."])
    assert not criteria(only_closed)["questions"]["passed"]
    assert criteria(report(sc, GOOD_CALL))["questions"]["passed"]


# ------------------------------------------------------------------ tone and score

def test_insults_fail_the_tone_and_a_hang_up_caps_the_score(sc):
    r = report(sc, [INTRO, "Vous êtes un escroc !", "ABRUTI, PAYEZ !!!", "Voleur !"])
    crit = criteria(r)
    assert not crit["professional_tone"]["passed"] and crit["professional_tone"]["turn"] == 2
    assert r["ended_by"] == "debtor" and r["score"] <= 20


def test_early_threat_fails_the_tone(sc):
    r = report(sc, [INTRO.replace("Que se passe-t-il ?", "Payez ou ce sera le tribunal."),
                    "Au revoir."])
    assert not criteria(r)["professional_tone"]["passed"]


def test_scenario_weights_change_the_score():
    base = report(load_scenario(make_scenario()), CARELESS_CALL)
    heavy = report(load_scenario(make_scenario(objectives={"weights": {"exact_date": 100}})),
                   CARELESS_CALL)
    assert heavy["score"] > base["score"]          # the careless call did get a date here


def test_an_objection_brings_its_criteria_and_the_scenario_adds_its_own():
    sc = load_scenario(make_scenario(**{
        "persona.excuses": ["litige"],
        "objectives": {"extra": ["documents"]},
        "criteria": [{"id": "calme", "label": "Calme", "passes_when": {"not": {"move_made": "threat"}},
                      "explain_pass": "Pas de menace.", "explain_fail": "Une menace.", "weight": 4,
                      "course": "modules/08-appel-de-relance.md#garder-son-calme"}]}))
    ids = [c["id"] for c in report(sc, GOOD_CALL)["criteria"]]
    assert ids[-2:] == ["documents", "calme"] and ids.count("documents") == 1


# ------------------------------------------------------------------ notes and e-mail

def test_notes_mark_good_and_bad_turns(sc):
    r = report(sc, GOOD_CALL)
    learner_notes = [n for e in r["transcript"] if e["speaker"] == "learner" for n in e["notes"]]
    debtor_notes = [n for e in r["transcript"] if e["speaker"] == "debtor" for n in e["notes"]]
    assert any("récapitulatif" in n.lower() for n in learner_notes)
    assert any(n.startswith("Engagement") for n in debtor_notes)


def test_recap_email_restates_the_promise(sc):
    mail = report(sc, GOOD_CALL)["recap_email"]
    first, *body = mail.splitlines()
    assert first.startswith("Objet : ") and "F-2026-117" in first
    text = "\n".join(body)
    for piece in ("Bonjour Monsieur Petit", "1 250,00 €", "virement", "jeudi 26 novembre 2026",
                  "cordialement", "Claire Moreau"):
        assert piece in text, piece
    assert "<" not in mail


def test_recap_email_without_a_date_asks_for_one(sc):
    mail = report(sc, CARELESS_CALL[:1] + ["Au revoir."])["recap_email"]
    assert mail.startswith("Objet : ") and "date précise" in mail


def test_recap_email_lists_instalments():
    sc = load_scenario(make_scenario(**{
        "persona.excuses": ["tresorerie"], "persona.cash_available": 450,
        "persona.instalments": {"count": 2, "first_date": "2026-11-24", "later_start": "2027-01-04"}}))
    r = report(sc, [INTRO, "Je comprends. Un échéancier avec un premier versement dès demain ?",
                    "Par virement ?", "Au revoir."])
    assert r["commitment"]["action"] == "echeancier"
    assert "premier versement de 450,00 €" in r["recap_email"]
    assert "800,00 €" in r["recap_email"] and "24 décembre 2026" in r["recap_email"]


# ------------------------------------------------------------------ property

LINES = st.lists(
    st.one_of(st.text(max_size=120),
              st.lists(st.sampled_from(["bonjour", "facture F-2026-117", "quand", "virement", "jeudi",
                                        "d'accord", "je récapitule", "mail", "au revoir", "escroc",
                                        "?", "1 250 €", "échéancier", "je comprends"]),
                       max_size=8).map(" ".join)),
    max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=LINES, seed=st.integers(0, 1000), hang_up=st.booleans())
def test_debrief_always_matches_the_schema(lines, seed, hang_up):
    s = play(load_scenario(make_scenario()), lines, seed=seed)
    if hang_up:
        s.hang_up()
    r = s.debrief()
    assert schema_problems(r) == []
    if s.ended:
        assert r["ended_by"] in ("learner", "debtor", "limit")
