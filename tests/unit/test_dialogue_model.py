"""The debtor as data: conditions, formulas, authors' moves, objections, speakers, state.

These run on dict scenarios (also inside Pyodide): each builds a small scenario whose
behaviour comes only from data, then plays lines through a real Session.
"""

import datetime

import pytest

from simulator import ScenarioError, Session, load_scenario
from simulator.conditions import Context, holds
from simulator.expressions import ExpressionError, evaluate, parse
from simulator.moves import MOVES, CustomMove, line_moves
from simulator.replies import DEBTOR_REPLIES, GATEKEEPER_REPLIES
from simulator.understand import analyse

from unit_helpers import ROOT, criteria, make_scenario, needs_cpython, play
from unit_helpers import debtor_lines as replies, final_report as report

EXAMPLES = ROOT / "exercises" / "appels"
NBSP = "\u00a0"

TODAY = datetime.date(2026, 11, 23)
INTRO = ("Bonjour Monsieur Petit, Claire Moreau, de l'Atelier Moreau, je vous appelle pour la "
         "facture F-2026-117.")


# ------------------------------------------------------------------ the vocabulary

@pytest.mark.parametrize("move", sorted(MOVES))
def test_every_documented_move_is_recognised_in_its_examples(move):
    _, examples = MOVES[move]
    assert examples
    for line in examples:
        u = analyse(line, today=TODAY, caller_names=("claire", "moreau", "paul"))
        assert move in line_moves(u, TODAY, 1250.0), (move, line)


def test_an_authors_move_matches_like_the_engine_reads():
    move = CustomMove("renonce_penalites", ["renonce … pénalités", "sans les frais"])
    for line in ("Je RENONCE aux penalites.", "je renonce volontiers à vos pénalités de retard",
                 "Sans les frais, ça vous va ?", "je renonce à la pénalité"):
        assert move.matches(analyse(line).norm), line
    for line in ("Je ne renonce pas aux pénalités.", "Les pénalités, je n'y renonce pas",
                 "renonce … à rien du tout"):
        assert not move.matches(analyse(line).norm), line
    assert CustomMove("x", ["pas … pénalités"], negatable=False).matches(analyse("pas de pénalités").norm)


# ------------------------------------------------------------------ conditions and formulas

def test_conditions_combine_moves_state_objections_and_the_promise():
    ctx = Context(moves={"waive", "propose_date"}, state={"irritation": 0.3, "retire": True},
                  lifted={"penalites"}, commitment={"precision": "exact", "action": "rappel",
                                                    "time": "14:00", "date": "2026-11-25",
                                                    "details": {}}, committed=True,
                  moves_made={"greeting"}, today=TODAY)
    assert holds({"moves": ["waive", "propose_date"]}, ctx)
    assert not holds({"moves": ["waive", "cite_law"]}, ctx)
    assert holds({"any_moves": ["cite_law", "waive"]}, ctx)
    assert not holds({"not_moves": ["waive"]}, ctx)
    assert holds({"state": {"irritation": {"below": 0.4, "at_least": 0.3}, "retire": True}}, ctx)
    assert not holds({"state": {"irritation": {"above": 0.3}}}, ctx)
    assert holds({"objection_lifted": "penalites", "commitment": {"action": "rappel", "time": True}}, ctx)
    assert holds({"commitment": {"date_within_days": 2}}, ctx)
    assert not holds({"commitment": {"date_within_days": 1}}, ctx)
    assert holds({"move_made": "greeting", "not": {"move_made": "threat"}}, ctx)
    assert holds({"any": [{"moves": ["cite_law"]}, {"commitment": "exact"}]}, ctx)
    assert not holds({"all": [{"moves": ["cite_law"]}, {"commitment": "exact"}]}, ctx)
    assert holds({"commitment": "none"}, Context(commitment={"precision": None}))


def test_formulas_are_safe_arithmetic_with_a_spreadsheet_si():
    tree = parse("principal + si(retire, 0, penalites + indemnite)")
    assert evaluate(tree, {"principal": 3960, "retire": False, "penalites": 48.77, "indemnite": 40}) == \
        pytest.approx(4048.77)
    assert evaluate(tree, {"principal": 3960, "retire": True, "penalites": 48.77, "indemnite": 40}) == 3960
    assert evaluate(parse("arrondi(max(principal * 0.1215 * 37 / 365, 0), 2)"), {"principal": 3960}) == 48.77
    for bad in ("__import__('os')", "principal.real", "open('x')", "[1, 2]", "lambda: 1"):
        with pytest.raises(ExpressionError):
            parse(bad)
    with pytest.raises(ExpressionError, match="division par zéro"):
        evaluate(parse("1 / 0"), {})


# ------------------------------------------------------------------ objections as data

def _dispute(**override):
    """A scenario whose debtor raises an objection written inline (no library file)."""
    spec = {
        "id": "remise", "label": "Le client veut une remise",
        "replies": {"raise": ["Je ne paie que si vous me faites une remise."],
                    "dodge": ["Pas de remise, pas de paiement."],
                    "detail": ["Dix pour cent, c'est l'usage chez nous."],
                    "ok": ["Bon, d'accord, sans remise alors."]},
        "reactions": [{"when": {"moves": ["ask_reason"]}, "say": "detail"}],
        "lifted_by": [{"moves": ["cite_law"]}, {"moves": ["insist"], "times": 3}],
        "on_lift": [{"say": "ok"}],
    }
    spec.update(override)
    return load_scenario(make_scenario(**{"persona.excuses": ["remise"], "objections": {"remise": spec}}))


def test_an_objection_written_as_data_raises_reacts_dodges_and_gives_way():
    s = play(_dispute(), [INTRO])
    assert replies(s)[-1] == "Je ne paie que si vous me faites une remise."
    s.say("Pourquoi cette remise ?")
    assert replies(s)[-1] == "Dix pour cent, c’est l’usage chez nous."   # typeset for the learner
    s.say("Quand pouvez-vous régler ?")
    assert replies(s)[-1] == "Pas de remise, pas de paiement."
    s.say("C'est prévu par la loi : l'article L441-10 du Code de commerce.")
    assert replies(s)[-1].startswith("Bon, d’accord, sans remise alors.")
    assert "lifted:remise" in s.log[-1]["events"]
    s.say("Quel jour pouvez-vous faire le virement ?")
    assert s.commitment()["precision"] == "exact"


def test_times_counts_the_lines_that_meet_the_condition():
    s = play(_dispute(), [INTRO, "Quand ?", "Quel jour exactement ?"])
    assert "lifted:remise" not in s.log[-1]["events"]
    s.say("Il me faut une date précise.")
    assert "lifted:remise" in s.log[-1]["events"]


def test_an_argument_made_early_counts_only_when_the_objection_says_so():
    line = INTRO + " Comme le prévoit l'article L441-10 du Code de commerce."
    early = play(_dispute(met_early=True), [line])
    assert {"excuse:remise", "lifted:remise"} <= early.log[-1]["events"]
    late = play(_dispute(), [line])
    assert "lifted:remise" not in late.log[-1]["events"]


def test_only_if_skips_an_objection_silently():
    s = play(_dispute(only_if={"state": {"irritation": {"at_least": 0.9}}}), [INTRO])
    assert "excuse:remise" not in s.log[-1]["events"]
    assert "remise" not in replies(s)[-1]


def test_an_outcome_can_set_state_change_the_method_and_commit_at_once():
    sc = load_scenario(make_scenario(**{
        "persona.excuses": ["remise"], "state": {"accord": False},
        "objections": {"remise": {
            "label": "Remise", "replies": {"raise": ["Une remise ?"], "ok": ["Par chèque, alors."]},
            "lifted_by": [{"moves": ["waive"]}],
            "on_lift": [{"say": "ok", "set": {"accord": True}, "method": "cheque", "commit": True}]}}}))
    s = play(sc, [INTRO, "Je veux bien faire un geste commercial si vous payez vendredi."])
    c = s.commitment()
    assert (c["action"], c["date"], c["precision"]) == ("cheque", "2026-11-27", "exact")
    assert s.call.state["accord"] is True and replies(s)[-1].startswith("Par chèque, alors.")


BUILT_IN = ("oubli", "rappel", "cheque_poste", "tresorerie", "litige", "comptable", "pas_recu", "irritation")


@pytest.mark.parametrize("name", BUILT_IN)
def test_a_built_in_objection_behaves_only_as_its_data_says(name):
    """Redefine a library objection in a scenario: the engine follows the new data, so no
    behaviour of that objection is written in Python."""
    sc = load_scenario(make_scenario(**{
        "persona.excuses": [name], "persona.irritation": 0.5,
        "objections": {name: {"label": "Redéfinie", "only_if": None, "blocks": True, "commitment": None,
                              "met_early": False, "vague": False, "reactions": [],
                              "replies": {"raise": ["Objection redéfinie."], "lifted": ["Levée."]},
                              "lifted_by": [{"moves": ["cite_law"]}], "on_lift": [{"say": "lifted"}]}}}))
    s = play(sc, [INTRO])
    assert replies(s)[-1].endswith("Objection redéfinie.")
    for line in ("Je vous renvoie la facture par mail.", "Vous avez signé le bon de livraison.",
                 "Un échéancier en trois fois ?", "Quel est le numéro du chèque ?", "Je comprends.",
                 "Quand ?", "Il me faut une date précise."):
        s.say(line)
        assert f"lifted:{name}" not in s.log[-1]["events"], line
    s.say("C'est prévu par la loi.")
    assert f"lifted:{name}" in s.log[-1]["events"] and replies(s)[-1].startswith("Levée.")


def test_the_built_in_objections_are_files_of_the_library():
    names = {p.stem for p in (ROOT / "exercises" / "objections").glob("*.yml")}
    assert set(BUILT_IN) | {"penalites", "barrage", "bon_de_commande"} <= names


# ------------------------------------------------------------------ the penalties scenario

@pytest.fixture(scope="module")
def penalties():
    return load_scenario(ROOT / "exercises" / "appels" / "penalites-contestees.yml") \
        if _have_yaml() else pytest.skip("needs PyYAML")


def _have_yaml():
    try:
        import yaml  # noqa: F401
        return True
    except ImportError:
        return False


PEN_INTRO = ("Bonjour Monsieur Masson, Camille Berger, de Berger Signalétique. Je vous appelle au "
             "sujet de la facture BS-2026-051.")


def test_a_waiver_against_a_date_changes_the_amount_everywhere(penalties):
    s = play(penalties, [PEN_INTRO, "Si vous réglez vendredi, je renonce aux pénalités et aux 40 euros.",
                         "Par virement ?"])
    c = s.commitment()
    assert (c["date"], c["precision"], c["action"]) == ("2026-06-19", "exact", "virement")
    assert s.call.amount_due() == 3960
    assert any("renonciation aux pénalités" in t for t in c["details"]["terms"])
    s.say("Donc 3 960 euros par virement vendredi 19 juin, c'est bien ça ?")
    r = report(s)
    assert r["commitment"]["amount"] == 3960.0
    assert "- renonciation aux pénalités de retard et à l’indemnité forfaitaire de 40 €" in r["recap_email"]
    assert "3 960,00 €" in r["recap_email"] and "4 048" not in r["recap_email"]
    assert criteria(r)["geste_contre_date"]["passed"] and criteria(r)["frais_justifies"]["passed"]


def test_the_law_keeps_the_penalties_and_a_free_gift_gets_a_vague_answer(penalties):
    s = play(penalties, [PEN_INTRO, "Ces frais sont dus : c'est l'article L441-10 du Code de commerce.",
                         "Quand pouvez-vous régler les 4 048,77 euros ?"])
    assert s.call.amount_due() == pytest.approx(4048.77)
    assert "4 048,77 €" in report(s)["recap_email"]
    gift = play(penalties, [PEN_INTRO, "Bon, je laisse tomber les frais."])
    assert gift.commitment()["precision"] == "vague" and gift.call.state["penalites_retirees"] is True
    r = report(gift)
    assert not criteria(r)["geste_contre_date"]["passed"]


def test_the_hint_follows_the_authors_cases(penalties):
    s = play(penalties, [PEN_INTRO, "Bon, je laisse tomber les frais."])
    assert s.hint() == f"Vous avez renoncé aux frais{NBSP}: obtenez maintenant une date exacte pour le principal de 3 960 euros."


# ------------------------------------------------------------------ speakers

GATE = {
    "gatekeeper": {
        "id": "accueil", "name": "Julie Bernard", "gender": "f", "role": "accueil", "patience": 1,
        "objections": ["barrage"], "callback": {"date": "2026-11-24", "time": "10:00"},
    },
}


@pytest.fixture(scope="module")
def gated():
    return load_scenario(make_scenario(**GATE))


def test_the_assistant_answers_first_with_her_own_lines_never_the_debtors(gated):
    s = Session(gated)
    assert s.transcript[0]["name"] == "Julie Bernard"
    lines = ["Bonjour Madame, je voudrais parler à Monsieur Petit.", "C'est pour la facture F-2026-117.",
             "Et il vous a dit quand il paierait ?", "Par quel moyen réglez-vous d'habitude ?",
             "Combien vous devez, au juste ?", "Je vois.", "D'accord, merci, au revoir."]
    for line in lines:
        if not s.ended:
            s.say(line)
    debtor_only = {text for situation, texts in DEBTOR_REPLIES.items() for text in texts
                   if text not in GATEKEEPER_REPLIES.get(situation, [])}
    spoken = [e for e in s.transcript if e["speaker"] == "debtor"]
    assert all(e["name"] == "Julie Bernard" for e in spoken)
    for e in spoken:
        assert e["text"] not in debtor_only, e["text"]
        assert "comptable" not in e["text"].lower()


def test_asking_kindly_to_be_put_through_hands_the_call_over(gated):
    s = play(gated, ["Bonjour Madame, Claire Moreau, de l'Atelier Moreau.", "C'est au sujet de la facture F-2026-117.",
                     "Je comprends qu'il soit pris. Pourriez-vous me le passer deux minutes ?"])
    entry = s.transcript[-1]
    assert [p["name"] for p in entry["parts"]] == ["Julie Bernard", "Marc Petit"]
    assert s.speaker.id == "debiteur" and not s.ended
    s.say("Bonjour Monsieur Petit, je vous appelle pour la facture F-2026-117 de 1 250 euros.")
    s.say("Quel jour pouvez-vous faire le virement ?")
    r = report(s)
    assert r["commitment"]["precision"] == "exact" and r["commitment"]["action"] == "virement"
    assert criteria(r)["barrage_franchi"]["passed"]
    assert any("L’appel vous est passé" in n for e in r["transcript"] for n in e["notes"])


def test_a_curt_request_is_refused_and_an_exact_slot_is_the_other_way_through(gated):
    s = play(gated, ["Bonjour Madame.", "C'est pour la facture F-2026-117.", "Passez-le-moi."])
    assert s.speaker.id == "accueil" and "je ne peux pas le sortir" in replies(s)[-1]
    s.say("Très bien. À quelle heure pourra-t-il me rappeler, précisément ?")
    c = s.commitment()
    assert (c["action"], c["date"], c["time"]) == ("rappel", "2026-11-24", "10:00")
    assert "Monsieur Petit" in replies(s)[-1] and "10 h" in replies(s)[-1]


def test_the_browser_bridge_says_who_speaks(gated):
    from simulator import web

    state = web.start(gated.to_dict(), seed=0)
    assert state["speaker"] == {"name": "Julie Bernard", "role": "gatekeeper"}
    web.say("Bonjour Madame, Claire Moreau, de l'Atelier Moreau.")
    web.say("C'est au sujet de la facture F-2026-117.")
    reply = web.say("Je comprends, il est occupé. Pourriez-vous me le passer ?")
    assert reply["speaker"]["name"] == "Marc Petit" and len(reply["parts"]) == 2


# ------------------------------------------------------------------ verdict and priorities

def test_the_debrief_opens_on_a_verdict_and_the_misses_that_weigh_most(scenario):
    from unit_helpers import CARELESS_CALL, GOOD_CALL

    good = report(play(scenario, GOOD_CALL))
    assert good["verdict"]["succeeded"] and good["verdict"]["label"] == "Appel réussi"
    assert "70" in good["verdict"]["text"] and good["priorities"] == []
    poor = report(play(scenario, CARELESS_CALL))
    assert not poor["verdict"]["succeeded"] and poor["verdict"]["label"] == "À retravailler"
    weights = [p["weight"] for p in poor["priorities"]]
    assert 1 <= len(weights) <= 3 and weights == sorted(weights, reverse=True)
    first = poor["priorities"][0]
    assert first["weight"] == max(c["weight"] for c in poor["criteria"] if not c["passed"])
    assert first["better"] and "#" in first["link"] and first["label"]
    with_turn = [p for p in poor["priorities"] if p["turn"]]
    assert all(p["learner_line"] == CARELESS_CALL[p["turn"] - 1] for p in with_turn)
    # An omission (no method asked) quotes no line: the learner's date question was right.
    assert first["id"] == "commitment" and first["turn"] is None and first["learner_line"] is None


@needs_cpython
def test_priorities_put_the_tone_first_then_the_date_then_what_the_scenario_teaches():
    rude = report(play(load_scenario(EXAMPLES / "cheque-au-courrier.yml"), [
        "Bonjour, c'est pour la facture MF-2026-058. Et pas d'oubli cette fois !",
        "Ah bon. Très bien, merci, au revoir."]))
    ids = [p["id"] for p in rude["priorities"]]
    assert ids[:2] == ["professional_tone", "exact_date"], ids
    assert "commitment" not in ids             # the same lesson as the missing date
    assert rude["priorities"][0]["learner_line"].endswith("Et pas d'oubli cette fois !")
    credulous = report(play(load_scenario(EXAMPLES / "cheque-au-courrier.yml"), [
        "Bonjour Monsieur Garnier, Julie Marchand, de Marchand Formation, pour la facture MF-2026-058.",
        "Ah, très bien, alors j'attends le chèque. Merci, au revoir."]))
    assert [p["id"] for p in credulous["priorities"]][:2] == ["exact_date", "cheque_details"]


# ------------------------------------------------------------------ the authors' guide

def test_the_authors_guide_documents_every_name_an_author_can_write():
    from simulator.conditions import KEYS
    from simulator.library import CRITERION_KEYS, EFFECT_KEYS, OBJECTION_KEYS
    from simulator.replies import PLACEHOLDERS, SITUATIONS
    from simulator.scenario import (_GATEKEEPER_KEYS, _PERSONA_KEYS, _TOP_KEYS, BUILT_IN_STATE,
                                    HINT_STAGES)

    guide = (ROOT / "docs" / "auteurs-scenarios.md").read_text(encoding="utf-8")
    names = (set(MOVES) | set(SITUATIONS) | set(KEYS) | set(OBJECTION_KEYS) | set(EFFECT_KEYS)
             | set(CRITERION_KEYS) | set(_TOP_KEYS) | set(_PERSONA_KEYS) | set(_GATEKEEPER_KEYS)
             | set(BUILT_IN_STATE) | set(HINT_STAGES))
    missing = sorted(n for n in names if f"`{n}`" not in guide and f"`{n}," not in guide
                     and f", `{n}`" not in guide)
    assert not missing, missing
    placeholders = sorted(p for p in PLACEHOLDERS if f"`{{{p}}}`" not in guide)
    assert not placeholders, placeholders
    objections = sorted(p.stem for p in (ROOT / "exercises" / "objections").glob("*.yml")
                        if f"`{p.stem}`" not in guide)
    assert not objections, objections
