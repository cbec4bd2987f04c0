"""Exercises in a real browser: every kind answered right and wrong, saved progress,
export / reset / import, keyboard-only use, accessibility, and the Python rules of
`redaction` exercises running in Pyodide.

The authoring guide (docs/auteurs.md) shows one real exercise of each kind.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
READY = 90_000  # ms: a cold Pyodide start on a slow machine


@pytest.fixture
def guide(page, base_url):
    page.goto(f"{base_url}/auteurs/")
    expect(page.locator("#ex-exemple-qcm")).to_have_attribute("data-state", "ready")
    return page


def stored(page):
    return page.evaluate("""() => Object.fromEntries(Object.keys(localStorage)
        .filter((k) => k.startsWith('rp:')).map((k) => [k, JSON.parse(localStorage.getItem(k))]))""")


def feedback(ex):
    return ex.locator(".rp-ex__feedback")


def submit(ex):
    ex.get_by_role("button", name="Valider").click()


def retry(ex):
    """'Corriger ma réponse' (the same answer, before the solution) or 'Recommencer' (after it)."""
    ex.locator(".rp-ex__retry").click()


def reveal(ex):
    ex.get_by_role("button", name="Voir la solution").click()


def order_to(ex, target):
    """Reorder an `ordre` exercise with its ▲ buttons until the steps are in `target` order."""
    for position, step in enumerate(target):
        item = ex.locator(f".rp-order__item[data-step='{step}']")
        while ex.locator(".rp-order__item").nth(position).get_attribute("data-step") != str(step):
            item.get_by_role("button", name="Monter").click()


def calcul_state(ex):
    return ex.evaluate("""(root) => {
        const v = Number(root.querySelector('.rp-variant:not([hidden])').dataset.variant);
        return {variant: v, ...JSON.parse(root.dataset.cle).variantes[v]};
    }""")


def french(number, decimals=2):
    """As typed by a learner: 4260,5."""
    return f"{number:.{decimals}f}".replace(".", ",")


def shown(number, decimals=2):
    """As the page writes it: 4 260,50 (Playwright folds the narrow no-break space into a space)."""
    return f"{number:,.{decimals}f}".replace(",", " ").replace(".", ",")


# --------------------------------------------------------------------------- each kind, right and wrong


def test_qcm_wrong_then_right(guide):
    ex = guide.locator("#ex-exemple-qcm")
    ex.get_by_role("button", name="Valider").click()
    expect(feedback(ex)).to_have_text("Choisissez une réponse avant de valider.")
    ex.get_by_label("Quand le client la réclame.").check()
    submit(ex)
    expect(feedback(ex)).to_contain_text("Ce n’est pas la bonne réponse.")
    expect(ex.locator(".rp-choice").nth(2)).to_contain_text("✗ Mauvaise réponse")
    # The first miss is marked, the solution is not given away.
    expect(ex.locator(".rp-choice").nth(0)).not_to_contain_text("Bonne réponse")
    expect(ex.get_by_text("Le client ne la réclamera presque jamais.")).to_be_hidden()
    expect(ex.get_by_text("La facture part le jour de la livraison.")).to_be_hidden()  # explanation
    expect(ex.get_by_label("Quand le client la réclame.")).to_be_disabled()
    expect(ex.locator(".rp-ex__status")).to_have_text("↻ À retenter · 1 essai")
    # On request, the solution comes, the answer given stays.
    reveal(ex)
    expect(ex.locator(".rp-choice").nth(0)).to_contain_text("Bonne réponse, non choisie")
    expect(ex.get_by_text("Le client ne la réclamera presque jamais.")).to_be_visible()
    expect(ex.get_by_text("La facture part le jour de la livraison.")).to_be_visible()
    expect(ex.get_by_label("Quand le client la réclame.")).to_be_checked()
    expect(ex.get_by_role("button", name="Voir la solution")).to_be_hidden()
    expect(ex.locator(".rp-ex__retry")).to_have_text("Recommencer")
    retry(ex)
    expect(feedback(ex)).to_be_empty()
    expect(ex.get_by_label("Quand le client la réclame.")).not_to_be_checked()  # a fresh start
    ex.get_by_label("Le jour même, ou au plus tard le lendemain.").check()
    submit(ex)
    expect(feedback(ex)).to_contain_text("Bonne réponse !")
    expect(ex.get_by_text("Le client ne la réclamera presque jamais.")).to_be_visible()
    expect(ex.locator(".rp-ex__status")).to_have_text("✓ Réussi · 2 essais")


def test_vrai_faux_wrong_then_right(guide):
    ex = guide.locator("#ex-exemple-vrai-faux")
    statements = ex.locator(".rp-statement")
    statements.nth(0).get_by_label("Faux").check()
    submit(ex)
    expect(feedback(ex)).to_contain_text("1 affirmation reste sans réponse")
    statements.nth(1).get_by_label("Vrai").check()
    submit(ex)
    expect(feedback(ex)).to_contain_text("0 réponse juste sur 2.")
    expect(feedback(ex)).to_contain_text("Corrigez ce qui est marqué ✗")
    expect(statements.nth(0)).to_contain_text("✗ Erreur.")
    expect(ex.get_by_text("Elle est due pour chaque facture payée en retard.")).to_be_hidden()
    # "Corriger ma réponse" keeps the answer to correct; a second miss shows the solution.
    expect(ex.locator(".rp-ex__retry")).to_have_text("Corriger ma réponse")
    retry(ex)
    expect(statements.nth(1).get_by_label("Vrai")).to_be_checked()
    statements.nth(0).get_by_label("Vrai").check()
    submit(ex)
    expect(feedback(ex)).to_contain_text("1 réponse juste sur 2.")
    expect(statements.nth(1)).to_contain_text("✗ Erreur : c’est faux.")
    expect(ex.get_by_text("Elle est due pour chaque facture payée en retard.")).to_be_visible()
    retry(ex)  # after the solution: a fresh start
    expect(statements.nth(0).get_by_label("Vrai")).not_to_be_checked()
    statements.nth(0).get_by_label("Vrai").check()
    statements.nth(1).get_by_label("Faux").check()
    submit(ex)
    expect(feedback(ex)).to_contain_text("Tout est juste !")
    expect(statements.nth(1)).to_contain_text("✓ Juste : c’est faux.")


def test_ordre_wrong_then_right(guide):
    ex = guide.locator("#ex-exemple-ordre")
    submit(ex)  # shown shuffled: never right as it comes
    expect(feedback(ex)).to_contain_text("à la bonne place, sur 5.")
    expect(ex.get_by_text("L’ordre attendu :")).to_be_hidden()
    expect(ex.locator(".rp-tag--ko").first).to_have_text("✗ Mal placée")
    reveal(ex)
    expect(ex.get_by_text("L’ordre attendu :")).to_be_visible()
    expect(ex.locator(".rp-tag--ko").first).to_contain_text("À mettre en position")
    retry(ex)
    order_to(ex, range(5))
    submit(ex)
    expect(feedback(ex)).to_contain_text("Parfait, l’ordre est le bon !")
    expect(ex.locator(".rp-tag--ok")).to_have_count(5)


def test_ordre_drag_and_drop(guide):
    ex = guide.locator("#ex-exemple-ordre")
    while ex.locator(".rp-order__item").first.get_attribute("data-step") == "0":  # else it proves nothing
        guide.reload()
    first_step = ex.locator(".rp-order__item[data-step='0']")
    first_step.drag_to(ex.locator(".rp-order__item").first, target_position={"x": 150, "y": 2})
    expect(ex.locator(".rp-order__item").first).to_have_attribute("data-step", "0")


def test_classement_wrong_then_right(guide):
    ex = guide.locator("#ex-exemple-classement")
    items = ex.locator(".rp-sort__item")
    for i in range(3):
        items.nth(i).get_by_label("Acompte").check()
    submit(ex)
    expect(feedback(ex)).to_contain_text("1 élément bien classé sur 3.")
    vendor = ex.locator(".rp-sort__item", has_text="Le vendeur qui renonce")
    expect(vendor).to_contain_text("✗ Mal classé")
    expect(ex.get_by_text("C’est le mécanisme de l’article 1590 du Code civil.")).to_be_hidden()
    retry(ex)  # "Corriger ma réponse": the answers stay, to be corrected
    expect(ex.locator(".rp-sort__item", has_text="Le client qui renonce").get_by_label("Acompte")).to_be_checked()
    expect(vendor.get_by_label("Acompte")).to_be_checked()
    submit(ex)  # unchanged: a second miss shows the solution
    expect(vendor).to_contain_text("✗ À classer dans : Arrhes")
    expect(ex.get_by_text("C’est le mécanisme de l’article 1590 du Code civil.")).to_be_visible()
    retry(ex)
    for text, category in (("Le client qui renonce", "Acompte"), ("Le vendeur qui renonce", "Arrhes"),
                           ("Le client peut se retirer", "Arrhes")):
        ex.locator(".rp-sort__item", has_text=text).get_by_label(category).check()
    submit(ex)
    expect(feedback(ex)).to_contain_text("Tout est bien classé !")


def test_calcul_wrong_trap_then_right_with_new_figures(guide):
    ex = guide.locator("#ex-exemple-calcul")
    box = ex.get_by_label("Votre réponse")
    box.fill("douze")
    submit(ex)
    expect(feedback(ex)).to_contain_text("Je ne reconnais pas de nombre dans « douze ».")
    first = calcul_state(ex)
    box.fill(french(first["pieges"][0]))  # the balance instead of the deposit
    submit(ex)
    expect(feedback(ex)).to_contain_text("Ce n’est pas le résultat attendu.")
    expect(feedback(ex)).not_to_contain_text(shown(first["resultat"]))  # not given away at once
    expect(ex.get_by_text("Vous avez calculé le solde restant à payer")).to_be_visible()  # the trap, named
    expect(ex.locator(f".rp-solution[data-variant='{first['variant']}']")).to_be_hidden()
    retry(ex)  # "Corriger ma réponse": the same figures
    assert calcul_state(ex)["variant"] == first["variant"]
    box.fill("12")
    submit(ex)  # a second miss: the solution
    expect(feedback(ex)).to_contain_text(f"Le bon résultat est {shown(first['resultat'])} €")
    expect(ex.locator(f".rp-solution[data-variant='{first['variant']}']")).to_be_visible()
    expect(ex.locator(".rp-ex__retry")).to_have_text("Recommencer avec d’autres chiffres")
    retry(ex)
    second = calcul_state(ex)
    assert second["variant"] != first["variant"], "a retry must change the figures"
    expect(box).to_have_value("")
    box.fill(f"{french(second['resultat'])} €")
    submit(ex)
    expect(feedback(ex)).to_contain_text(f"Exact : {shown(second['resultat'])} €")


def test_learner_text_is_never_parsed_as_html(guide):
    ex = guide.locator("#ex-exemple-calcul")
    ex.get_by_label("Votre réponse").fill('<img src=x onerror="window.hacked=1">')
    submit(ex)
    expect(feedback(ex)).to_contain_text("<img src=x")
    assert ex.locator(".rp-ex__feedback img").count() == 0
    assert guide.evaluate("window.hacked") is None


def test_redaction_runs_the_python_rules_in_the_browser(guide, traffic):
    ex = guide.locator("#ex-exemple-redaction")
    assert not [u for u in traffic.urls if "/pyodide/" in u], "Python must load only when the learner submits"
    text = ex.get_by_label("Votre texte")
    text.fill("Merci, vous réglerez bientôt. <b>Tribunal</b> sinon !")
    submit(ex)
    expect(feedback(ex)).to_contain_text("Analyse de votre texte en cours")
    expect(feedback(ex)).to_contain_text("Votre texte est incomplet.", timeout=READY)
    missing = ex.locator(".rp-missing")
    expect(missing).to_contain_text("« bientôt » reste flou")
    expect(missing).to_contain_text("Indiquez le montant dû : 1 480,00 €")
    expect(missing).to_contain_text("Nommez l’action précise convenue : un virement.")
    expect(missing).to_contain_text("peut être lue comme une menace")
    assert ex.locator(".rp-ex__feedback b").count() == 0  # quoted learner text stays text
    expect(ex.get_by_text("Une réponse possible")).to_be_hidden()  # the example waits
    retry(ex)
    expect(text).to_have_value(re.compile("bientôt"))  # the learner improves the same text
    text.fill("Bonjour Madame Vasseur,\n\nComme convenu, vous réglez par virement la facture de "
              "1 480,00 € le vendredi 4 décembre.\n\nCordialement,\nJulie Morel")
    submit(ex)
    expect(feedback(ex)).to_contain_text("Bravo", timeout=READY)
    expect(ex.locator(".rp-present")).to_contain_text("La date est précise : vendredi 4 décembre.")
    assert any(re.search(r"/pyodide/simulator-[\d.]+-py3-none-any\.whl$", u) for u in traffic.urls)
    record = stored(guide)["rp:v1:ex:exemple-redaction"]
    assert record["succeeded"] is True and record["result"]["passed"] is True


# --------------------------------------------------------------------------- saved progress


def test_answers_are_kept_after_a_reload(guide):
    qcm = guide.locator("#ex-exemple-qcm")
    qcm.get_by_label("Le jour même, ou au plus tard le lendemain.").check()
    submit(qcm)
    calc = guide.locator("#ex-exemple-calcul")
    state = calcul_state(calc)
    calc.get_by_label("Votre réponse").fill("1")
    submit(calc)
    order = guide.locator("#ex-exemple-ordre")
    shown = [order.locator(".rp-order__item").nth(i).get_attribute("data-step") for i in range(5)]
    submit(order)

    guide.reload()
    qcm = guide.locator("#ex-exemple-qcm")
    expect(qcm.get_by_label("Le jour même, ou au plus tard le lendemain.")).to_be_checked()
    expect(feedback(qcm)).to_contain_text("Bonne réponse !")
    expect(qcm.locator(".rp-ex__status")).to_have_text("✓ Réussi · 1 essai")
    calc = guide.locator("#ex-exemple-calcul")
    assert calcul_state(calc)["variant"] == state["variant"], "the same figures after a reload"
    expect(calc.get_by_label("Votre réponse")).to_have_value("1,00")
    expect(feedback(calc)).to_contain_text("Ce n’est pas le résultat attendu.")
    order = guide.locator("#ex-exemple-ordre")
    assert [order.locator(".rp-order__item").nth(i).get_attribute("data-step") for i in range(5)] == shown
    keys = set(stored(guide))
    assert {"rp:v1:ex:exemple-qcm", "rp:v1:ex:exemple-calcul", "rp:v1:ex:exemple-ordre"} <= keys
    assert guide.context.cookies() == []


def test_module_page_shows_its_completion(page, base_url):
    page.goto(f"{base_url}/modules/05-moyens-de-paiement/")
    total = page.locator(".rp-ex").count()  # the module's exercises, however many the authors wrote
    assert total >= 2
    summary = page.locator(".rp-module-progress")
    expect(summary).to_contain_text(f"0 exercice réussi sur {total}")
    ex = page.locator("#ex-m05-choisir")
    ex.get_by_label(re.compile("^Le prélèvement SEPA")).check()
    submit(ex)
    expect(summary).to_contain_text(f"1 exercice réussi sur {total}")
    expect(summary.locator("progress")).to_have_attribute("value", "1")
    assert stored(page)["rp:v1:module:05"]["succeeded"] == 1


def test_instant_navigation_sets_each_widget_up_once(page, base_url):
    page.goto(f"{base_url}/modules/04-acompte/")
    page.locator(".md-nav a[href$='05-moyens-de-paiement/']").first.click()
    page.wait_for_url(re.compile("05-moyens-de-paiement/$"))
    page.go_back()
    page.wait_for_url(re.compile("04-acompte/$"))
    page.locator(".md-nav a[href$='05-moyens-de-paiement/']").first.click()
    ex = page.locator("#ex-m05-choisir")
    expect(ex).to_have_attribute("data-state", "ready")
    ex.get_by_label(re.compile("^Le chèque")).check()
    submit(ex)
    expect(feedback(ex)).to_contain_text("Ce n’est pas la bonne réponse.")
    assert stored(page)["rp:v1:ex:m05-choisir"]["attempts"] == 1  # one handler, one attempt
    expect(page.locator(".rp-module-progress")).to_have_count(1)
    expect(ex.locator(".rp-tag")).to_have_count(1)  # the choice made, marked; the right one not given away
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # never reloaded


def test_progress_page_lists_modules_simulator_and_next_step(page, base_url):
    page.goto(f"{base_url}/modules/01-prevenir/")
    ex = page.locator("#ex-m01-objectifs")
    for label in ("Repérer les clients", "Se faire payer une partie", "Envoyer un rappel aimable"):
        ex.get_by_label(re.compile(label)).check()
    submit(ex)
    expect(feedback(ex)).to_contain_text("Bonne réponse !")
    scenarios = json.loads((page.request.get(f"{base_url}/simulateur/scenarios/index.json")).text())
    first = scenarios[0]
    page.evaluate("""(id) => localStorage.setItem('rp:v1:simulateur', JSON.stringify(
        {[id]: {best: 72, attempts: [{date: new Date().toISOString(), seed: 1, score: 72, transcript: [], debrief: {}}]},
         _current: null}))""", first["id"])
    page.goto(f"{base_url}/progression/")
    root = page.locator("#rp-progression")
    expect(root).to_contain_text("Vous avez réussi 1 exercice sur")
    modules = root.locator("li.rp-module")
    expect(modules).to_have_count(11)  # module 0 (welcome) and modules 1 to 10
    expect(modules.nth(1)).to_contain_text("Module 1 : Prévenir plutôt que guérir")
    index = json.loads(page.request.get(f"{base_url}/exercices/index.json").text())
    in_module_1 = len(next(m for m in index["modules"] if m["module"] == 1)["exercises"])
    expect(modules.nth(1)).to_contain_text(f"1 sur {in_module_1} réussi")
    expect(modules.nth(1).locator("progress")).to_have_attribute("value", "1")
    expect(root.locator(".rp-next")).to_contain_text("Continuez avec le module 0 : Bienvenue")
    row = root.locator("tr", has_text=first["title"])
    expect(row).to_contain_text("72 / 100 ✓ réussi")
    expect(root.locator("tbody tr")).to_have_count(len(scenarios))
    # The summary counts the simulator too.
    expect(root.locator(".rp-overview")).to_contain_text(f"Au simulateur, vous avez réussi 1 appel sur {len(scenarios)}")


def test_once_every_exercise_is_done_the_next_step_opens_a_call(page, base_url):
    index = json.loads(page.request.get(f"{base_url}/exercices/index.json").text())
    scenarios = json.loads(page.request.get(f"{base_url}/simulateur/scenarios/index.json").text())
    page.goto(f"{base_url}/a-propos/")
    page.evaluate("""(ids) => { for (const id of ids) localStorage.setItem(`rp:v1:ex:${id}`, JSON.stringify({kind: 'qcm',
        answer: [0], correct: true, succeeded: true, score: 1, attempts: 1, date: '2026-11-23T10:00:00.000Z'})); }""",
                  [e["id"] for m in index["modules"] for e in m["exercises"]])
    page.goto(f"{base_url}/progression/")
    link = page.locator(".rp-next a")
    expect(link).to_have_text(f"« {scenarios[0]['title']} »")
    link.click()  # straight to that call's briefing
    expect(page.get_by_role("button", name="Commencer l’appel")).to_be_visible(timeout=10_000)
    expect(page.locator(".sim-heading")).to_have_text(scenarios[0]["title"])


def test_progress_page_buttons_are_the_same_size(page, base_url):
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{base_url}/progression/")
        buttons = page.locator(".rp-tools-buttons .md-button")
        expect(buttons).to_have_count(3)
        expect(buttons).to_have_text(["Enregistrer ma progression dans un fichier", "Reprendre depuis un fichier…",
                                      "Effacer ma progression…"])
        sizes = {(round(b["width"]), round(b["height"])) for b in (buttons.nth(i).bounding_box() for i in range(3))}
        assert len(sizes) == 1, (width, sizes)


def test_progress_page_copes_without_the_scenario_list(page, base_url, context):
    context.route("**/simulateur/scenarios/index.json", lambda route: route.fulfill(status=404, body="absent"))
    page.goto(f"{base_url}/progression/")
    root = page.locator("#rp-progression")
    expect(root).to_contain_text("La liste des appels du simulateur n’est pas disponible")
    expect(root.locator("li.rp-module")).to_have_count(11)


def test_export_reset_import_round_trip(guide, base_url, tmp_path):
    qcm = guide.locator("#ex-exemple-qcm")
    qcm.get_by_label("Quand le client la réclame.").check()
    submit(qcm)
    vf = guide.locator("#ex-exemple-vrai-faux")
    vf.locator(".rp-statement").nth(0).get_by_label("Vrai").check()
    vf.locator(".rp-statement").nth(1).get_by_label("Faux").check()
    submit(vf)
    guide.evaluate("""() => localStorage.setItem('rp:v1:simulateur', JSON.stringify({
        'client-distrait': {best: 85, attempts: [{date: '2026-11-23T10:00:00.000Z', seed: 3, score: 85,
                            transcript: [{speaker: 'learner', text: 'Bonjour'}], debrief: {score: 85}}]},
        _current: null}))""")
    before = stored(guide)
    assert len(before) == 3

    guide.goto(f"{base_url}/progression/")
    with guide.expect_download() as download:
        guide.get_by_role("button", name="Enregistrer ma progression dans un fichier").click()
    exported = tmp_path / "progression.json"
    download.value.save_as(exported)
    assert download.value.suggested_filename.startswith("progression-se-faire-payer-")
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "rp-progression" and data["version"] == 1
    assert {f"rp:v1:{k}": v for k, v in data["data"].items()} == before

    guide.get_by_role("button", name="Effacer ma progression…").click()
    expect(guide.get_by_role("button", name="Annuler")).to_be_focused()
    guide.get_by_role("button", name="Annuler").click()
    assert stored(guide) == before  # cancelling erases nothing
    guide.get_by_role("button", name="Effacer ma progression…").click()
    guide.get_by_role("button", name="Oui, tout effacer").click()
    expect(guide.locator(".rp-tools-message")).to_have_text("Votre progression a été effacée.")
    assert stored(guide) == {}
    expect(guide.locator(".rp-overview")).to_contain_text("pas encore réussi")

    # A wrong file is refused with a clear message and changes nothing.
    wrong = tmp_path / "autre.json"
    wrong.write_text('{"format": "autre chose"}', encoding="utf-8")
    guide.get_by_label(re.compile("Reprendre depuis un fichier")).set_input_files(wrong)
    expect(guide.locator(".rp-tools-message")).to_have_text(
        "Ce fichier ne contient pas une progression de ce cours. Votre progression actuelle n’a pas été modifiée.")
    assert stored(guide) == {}

    guide.get_by_label(re.compile("Reprendre depuis un fichier")).set_input_files(exported)
    expect(guide.locator(".rp-tools-message")).to_contain_text("Progression importée : 2 exercices et vos appels au simulateur")
    assert stored(guide) == before  # lossless
    expect(guide.locator("tr", has_text="Le client distrait")).to_contain_text("85 / 100")
    guide.goto(f"{base_url}/auteurs/")
    expect(feedback(guide.locator("#ex-exemple-vrai-faux"))).to_contain_text("Tout est juste !")


def test_broken_storage_is_reset_with_a_notice(page, base_url):
    page.goto(f"{base_url}/auteurs/")
    page.evaluate("""() => {
        localStorage.setItem('rp:v1:ex:exemple-qcm', '{pas du json');
        localStorage.setItem('rp:v1:ex:exemple-ordre', JSON.stringify({kind: 'ordre', answer: [0], correct: 'oui'}));
        localStorage.setItem('rp:v0:progression', '[1, 2, 3]');  // an older version of the course
        localStorage.setItem('rp:autre-appli', '"x"');  // another app on the same site: not ours
        localStorage.setItem('rp:v1:ex:exemple-vrai-faux', JSON.stringify({kind: 'vrai_faux', answer: [true, false],
            correct: true, succeeded: true, score: 1, attempts: 1, date: '2026-11-23T10:00:00.000Z'}));
    }""")
    page.reload()
    notice = page.locator(".rp-notice")
    expect(notice).to_contain_text("était illisible : elle a été remise à zéro")
    expect(notice).to_contain_text("ancienne version du cours")
    # The good entry is kept, and so is what belongs to someone else.
    assert set(stored(page)) == {"rp:v1:ex:exemple-vrai-faux", "rp:autre-appli"}
    expect(feedback(page.locator("#ex-exemple-vrai-faux"))).to_contain_text("Tout est juste !")
    expect(page.locator("#ex-exemple-qcm")).to_have_attribute("data-state", "ready")
    notice.get_by_role("button", name="Fermer ce message").click()
    expect(notice).to_have_count(0)


# --------------------------------------------------------------------------- keyboard and accessibility


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_on_a_page_with_every_kind(page, base_url, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{base_url}/auteurs/")
    expect(page.locator("#ex-exemple-qcm")).to_have_attribute("data-state", "ready")
    guide = page

    def violations():
        # Colours are checked at rest, not halfway through a focus transition.
        guide.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
        guide.add_script_tag(path=str(AXE))
        result = guide.evaluate("""async () => {
            const r = await axe.run(document.querySelector('.md-content'));
            return r.violations.filter((v) => ['serious', 'critical'].includes(v.impact))
                .map((v) => ({id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5)}));
        }""")
        return result

    assert violations() == []
    # Again with feedback, comments and solutions displayed.
    qcm = guide.locator("#ex-exemple-qcm")
    qcm.get_by_label("Quand le client la réclame.").check()
    submit(qcm)
    cls = guide.locator("#ex-exemple-classement")
    for i in range(3):
        cls.locator(".rp-sort__item").nth(i).get_by_label("Acompte").check()
    submit(cls)
    submit(guide.locator("#ex-exemple-ordre"))
    calc = guide.locator("#ex-exemple-calcul")
    calc.get_by_label("Votre réponse").fill("3")
    submit(calc)
    expect(feedback(calc)).not_to_be_empty()
    assert guide.evaluate("() => { delete window.axe; return true; }")
    assert violations() == []
    # And with the solutions shown, a button hovered.
    for ex in (qcm, cls, calc):
        reveal(ex)
    qcm.locator(".rp-ex__retry").hover()
    assert guide.evaluate("() => { delete window.axe; return true; }")
    assert violations() == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_progress_page_has_no_serious_accessibility_violation(page, base_url, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{base_url}/modules/01-prevenir/")
    ex = page.locator("#ex-m01-objectifs")
    ex.get_by_label(re.compile("Repérer les clients")).check()
    submit(ex)  # a module started: a bar with a value
    page.goto(f"{base_url}/progression/")
    expect(page.locator("li.rp-module").first).to_be_visible()
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document)).violations
        .filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => [v.id, v.nodes.map((n) => n.target.join(' '))])""")
    assert found == []
    if scheme == "dark":  # the bars' track shows on the dark background
        track = page.locator("li.rp-module progress").first.evaluate("p => getComputedStyle(p).backgroundColor")
        assert track not in ("rgba(0, 0, 0, 0)", "transparent") and "255, 255, 255" in track, track


def test_redaction_without_python_gets_a_kind_message_and_keeps_the_text(guide, context):
    context.route("**/pyodide/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="absent"))
    ex = guide.locator("#ex-exemple-redaction")
    ex.get_by_label("Votre texte").fill("Bonjour, vous réglez 1 480 € vendredi par virement. Cordialement")
    submit(ex)
    expect(feedback(ex)).to_contain_text("L’analyse n’a pas pu se faire.", timeout=READY)
    expect(feedback(ex)).to_contain_text("Votre texte est toujours là")
    expect(ex.get_by_label("Votre texte")).to_have_value(re.compile("^Bonjour, vous réglez"))
    expect(ex.get_by_role("button", name="Valider")).to_be_enabled()
    assert "rp:v1:ex:exemple-redaction" not in stored(guide)  # nothing half-saved


def test_a_saved_answer_that_cannot_be_replayed_is_forgotten(page, base_url):
    page.goto(f"{base_url}/a-propos/")
    # Well-formed on the surface, but a multiple-choice answer must be a list of choices.
    page.evaluate("""() => localStorage.setItem('rp:v1:ex:exemple-qcm', JSON.stringify({kind: 'qcm',
        answer: 5, correct: true, succeeded: true, score: 1, attempts: 1, date: '2026-11-23T10:00:00.000Z'}))""")
    page.goto(f"{base_url}/auteurs/")
    qcm = page.locator("#ex-exemple-qcm")
    expect(qcm).to_have_attribute("data-state", "ready")
    expect(page.locator(".rp-notice")).to_contain_text("illisible")
    assert "rp:v1:ex:exemple-qcm" not in stored(page)
    qcm.get_by_label("Quand le client la réclame.").check()  # still usable


# --------------------------------------------------------------------------- the retry flow


def test_the_verdict_comes_right_under_the_questions_then_what_to_do(guide):
    ex = guide.locator("#ex-exemple-qcm")
    ex.get_by_label("Quand le client la réclame.").check()
    submit(ex)
    boxes = {name: ex.locator(selector).bounding_box() for name, selector in (
        ("choices", ".rp-choices"), ("verdict", ".rp-ex__feedback"), ("retry", ".rp-ex__retry"),
        ("reveal", ".rp-ex__reveal"), ("next", ".rp-ex__next"))}
    assert boxes["choices"]["y"] < boxes["verdict"]["y"] < boxes["retry"]["y"]
    assert abs(boxes["retry"]["y"] - boxes["reveal"]["y"]) < 5 and abs(boxes["reveal"]["y"] - boxes["next"]["y"]) < 5
    expect(ex.locator(".rp-ex__retry")).to_be_focused()
    expect(ex.locator(".rp-ex__actions .md-button:visible")).to_have_text(
        ["Corriger ma réponse", "Voir la solution", "Exercice suivant"])


def test_a_right_answer_leads_to_the_next_exercise(guide):
    ex = guide.locator("#ex-exemple-qcm")
    ex.get_by_label("Le jour même, ou au plus tard le lendemain.").check()
    submit(ex)
    following = guide.locator(".rp-ex").nth(1)
    next_button = ex.get_by_role("button", name="Exercice suivant")
    expect(next_button).to_be_focused()
    expect(next_button).to_have_class(re.compile("md-button--primary"))
    expect(ex.get_by_role("button", name="Voir la solution")).to_be_hidden()
    guide.keyboard.press("Enter")
    expect(following.locator(".rp-ex__title")).to_be_focused()
    expect(following.locator(".rp-ex__title")).to_be_in_viewport()


def test_the_last_exercise_of_a_module_leads_to_the_next_module(page, base_url):
    page.goto(f"{base_url}/modules/05-moyens-de-paiement/")
    last = page.locator(".rp-ex").last
    link = last.locator("a.rp-ex__next")
    expect(link).to_have_text("Module suivant")
    expect(link).to_have_attribute("href", re.compile("/modules/06-facturer/$"))
    expect(link).to_be_hidden()  # once the exercise is answered


def test_steps_and_items_are_shuffled_for_each_learner_and_on_a_fresh_start(page, base_url):
    orders, sorts = set(), set()
    for _ in range(6):
        page.goto(f"{base_url}/auteurs/")
        page.evaluate("localStorage.clear()")
        page.reload()
        ex = page.locator("#ex-exemple-ordre")
        expect(ex).to_have_attribute("data-state", "ready")
        order = tuple(ex.locator(".rp-order__item").evaluate_all("items => items.map(li => Number(li.dataset.step))"))
        assert order != tuple(range(5)), "never right as it comes"
        assert sum(step == i for i, step in enumerate(order)) < 5 / 2, f"too many steps in place: {order}"
        orders.add(order)
        sorts.add(tuple(page.locator("#ex-exemple-classement .rp-sort__item").evaluate_all(
            "items => items.map(fs => Number(fs.dataset.index))")))
    assert len(orders) > 1 and len(sorts) > 1, (orders, sorts)
    # After the solution, starting over shuffles again: a retry is not a copy of the solution.
    ex = page.locator("#ex-exemple-ordre")
    seen = set()
    for _ in range(4):
        before = tuple(ex.locator(".rp-order__item").evaluate_all("items => items.map(li => Number(li.dataset.step))"))
        submit(ex)
        if ex.get_by_role("button", name="Voir la solution").is_visible():
            reveal(ex)
        expect(ex.locator(".rp-ex__retry")).to_have_text("Recommencer")
        retry(ex)
        after = tuple(ex.locator(".rp-order__item").evaluate_all("items => items.map(li => Number(li.dataset.step))"))
        assert after != tuple(range(5))
        seen.add(after != before)
    assert True in seen, "starting over never changed the order"


def test_ordre_can_be_completed_with_the_keyboard_only_in_few_key_presses(guide):
    """Seven steps took 45 key presses with ▲ alone; each step's position list moves it at once."""
    ex = guide.locator("#ex-exemple-ordre")
    ex.locator(".rp-order__pos").first.focus()  # start of the exercise; from here on, keys only
    presses = 0

    def focused_step():
        return guide.evaluate("""() => { const el = document.activeElement;
            return el.classList.contains('rp-order__pos') ? el.closest('li').dataset.step : null; }""")

    for position in range(5):
        for key in ["Tab"] * 15 + ["Shift+Tab"] * 30:
            if focused_step() == str(position):
                break
            guide.keyboard.press(key)
            presses += 1
        else:
            raise AssertionError("could not reach the step's position list with the keyboard")
        if ex.locator(".rp-order__item").nth(position).get_attribute("data-step") != str(position):
            guide.keyboard.press(str(position + 1))
            presses += 1
        expect(ex.locator(".rp-order__item").nth(position)).to_have_attribute("data-step", str(position))
        assert focused_step() == str(position), "the focus follows the moved step"
        assert guide.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none", "visible focus"
    expect(ex.locator(".rp-ex__announce")).to_contain_text(re.compile(r"position \d sur 5"))
    positions = ex.locator(".rp-order__pos").evaluate_all("items => items.map(s => s.value)")
    assert positions == ["1", "2", "3", "4", "5"]  # every step shows its number
    submit(ex)
    expect(feedback(ex)).to_contain_text("Parfait, l’ordre est le bon !")
    assert presses <= 20, presses
