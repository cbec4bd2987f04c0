"""Smoke test of the course built by Zensical, then `python -m site_build finish`.

mkdocs-material is the supported generator (every other browser test runs on its
build); this proves the course does not depend on it: an exercise is answered
and a call reaches the debrief the Python engine gives.
"""

import re

from playwright.sync_api import expect

from tests.browser.test_simulator_page import GOOD_CALL, expected_debrief, open_call, say


def test_an_exercise_is_answered_and_counted_for_its_module(page, zensical_url):
    page.goto(f"{zensical_url}/modules/05-moyens-de-paiement/")
    ex = page.locator("#ex-m05-choisir")
    expect(ex).to_have_attribute("data-state", "ready")
    summary = page.locator(".rp-module-progress")
    total = page.locator("section[data-ex-id]").count()      # the exercises this module has
    expect(summary).to_contain_text(f"0 exercice réussi sur {total}")
    ex.get_by_label(re.compile("^Le prélèvement SEPA")).check()
    ex.get_by_role("button", name="Valider").click()
    expect(ex.locator(".rp-ex__feedback")).to_contain_text("Bonne réponse !")
    expect(summary).to_contain_text(f"1 exercice réussi sur {total}")
    # The progress page reads the exercise list the finish command wrote.
    page.goto(f"{zensical_url}/progression/")
    modules = page.locator("#rp-progression li.rp-module")
    expect(modules).to_have_count(11)
    expect(modules.nth(5)).to_contain_text("Module 5 : Moyens de paiement")
    expect(modules.nth(5)).to_contain_text(f"1 sur {total} réussi")


def test_a_call_reaches_the_debrief_python_gives(page, zensical_url):
    open_call(page, zensical_url)
    for line in GOOD_CALL:
        say(page, line)
    heading = page.locator(".sim-heading")
    expect(heading).to_contain_text("Bilan de l’appel", timeout=10_000)
    expected = expected_debrief(page)  # the same seed and lines through CPython
    expect(heading).to_have_text(f"Bilan de l’appel : {expected['score']} / 100")
    expect(page.locator(".sim-criteria li")).to_have_count(len(expected["criteria"]))
