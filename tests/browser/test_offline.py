"""Offline use in Chromium: the service worker keeps the course after a first visit and the
Python engine once the simulator is opened; a new build is offered, then switches every file at once.

The same checks run behind nginx with the shipped configuration (test_nginx.py).
"""

import contextlib
import json
import re
import shutil
import time
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from site_build import offline
from tests.browser.conftest import serving
from tests.browser.test_simulator_page import GOOD_CALL, READY, axe_violations, open_call, say, wait_for_kept_copy

pytestmark = pytest.mark.service_worker

CACHES = {"course": "recouvrement-cours", "engine": "recouvrement-python"}
OFFLINE_PAGE = "Vous êtes hors connexion\u00a0: cette page n’a pas encore été enregistrée sur cet appareil."
GOOD_LETTER = ("Bonjour Madame Vasseur,\n\nComme convenu, vous réglez par virement la facture de "
               "1 480,00 € le vendredi 4 décembre.\n\nCordialement,\nJulie Morel")


def precache(site):
    """The lists of files this build's service worker keeps (written into sw.js)."""
    text = (site / offline.SERVICE_WORKER).read_text(encoding="utf-8")
    return json.loads(re.search(r"const PRECACHE = (\{.*?\});\n", text).group(1))


def keys(site, base, group):
    return [f"{urljoin(base + '/', path)}?v={revision}" for path, revision, _ in precache(site)[group]]


MISSING = """async ([name, keys]) => {
  const have = new Set((await (await caches.open(name)).keys()).map((request) => request.url));
  return keys.filter((key) => !have.has(key)).length;
}"""


def missing(page, site, base, group):
    return page.evaluate(MISSING, [CACHES[group], keys(site, base, group)])


def wait_until_kept(page, site, base, group="course", timeout=READY):
    """Wait until the worker controls the page and keeps every file of `group` of this build."""
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=timeout)
    deadline = time.monotonic() + timeout / 1000
    while missing(page, site, base, group):
        assert time.monotonic() < deadline, f"the {group} files were not all kept"
        page.wait_for_timeout(250)


@contextlib.contextmanager
def kept_copy(page, built_site, tmp_path):
    """A copy of the built site, served, visited once and kept by the service worker: a
    deployment the test can change. Yields (its folder, its address)."""
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    with serving(site) as base:
        page.goto(f"{base}/")
        wait_until_kept(page, site, base)
        yield site, base


def submit_letter(page, base, text=GOOD_LETTER):
    page.goto(f"{base}/auteurs/")
    ex = page.locator("#ex-exemple-redaction")
    ex.get_by_label("Votre texte").fill(text)
    ex.get_by_role("button", name="Valider").click()
    return ex.locator(".rp-ex__feedback")


# ------------------------------------------------------------------ checks (also run behind nginx)

def check_unvisited_pages_open_offline(context, page, site, base):
    page.goto(f"{base}/")
    wait_until_kept(page, site, base)
    expect(page.locator("[data-rp-hors-ligne]")).to_contain_text(
        "Les pages du cours sont enregistrées sur cet appareil\u00a0:")
    context.set_offline(True)
    try:
        page.goto(f"{base}/modules/05-moyens-de-paiement/")  # never visited
        expect(page.locator("h1")).to_contain_text("moyens de paiement")
        expect(page.locator(".rp-ex").first).to_have_attribute("data-state", re.compile("ready|answered"))
        # Instant navigation (mkdocs-material fetches the next page) and the search index too.
        page.get_by_role("link", name=re.compile("Facturer juste")).first.click()
        expect(page.locator("h1")).to_contain_text("Facturer")
        assert page.evaluate("fetch('../../search/search_index.json').then((r) => r.ok)")
        page.goto(f"{base}/une-page-qui-n-existe-pas/")
        expect(page.get_by_text(OFFLINE_PAGE)).to_be_visible()
    finally:
        context.set_offline(False)


def check_a_call_and_a_letter_work_offline(context, page, site, base):
    page.goto(f"{base}/simulateur/")
    expect(page.locator("#simulateur")).to_have_attribute("data-engine", "ready", timeout=READY)
    wait_until_kept(page, site, base, "course")
    wait_until_kept(page, site, base, "engine")
    wait_for_kept_copy(page)  # the engine's memory copy, for a fast start offline too
    context.set_offline(True)
    try:
        open_call(page, base)
        for line in GOOD_CALL:
            say(page, line)
        expect(page.locator(".sim-heading")).to_contain_text("Bilan de l’appel", timeout=10_000)
        expect(submit_letter(page, base)).to_contain_text("Bravo", timeout=READY)
    finally:
        context.set_offline(False)


# ------------------------------------------------------------------ tests

def test_after_a_first_visit_every_page_opens_offline(context, page, built_site, base_url):
    check_unvisited_pages_open_offline(context, page, built_site.site, base_url)


def test_a_whole_call_and_a_writing_check_work_offline_after_one_simulator_visit(context, page, built_site,
                                                                                  base_url):
    check_a_call_and_a_letter_work_offline(context, page, built_site.site, base_url)


def test_offline_without_the_engine_the_learner_is_told_so_without_blaming_the_browser(
        context, page, built_site, base_url):
    page.goto(f"{base_url}/")
    wait_until_kept(page, built_site.site, base_url)
    assert missing(page, built_site.site, base_url, "engine") == len(precache(built_site.site)["engine"])
    context.set_offline(True)
    page.goto(f"{base_url}/simulateur/?scenario=client-distrait")
    status = page.locator(".sim-status")
    expect(status).to_contain_text("Vous êtes hors connexion\u00a0: le moteur du simulateur n’a pas encore été "
                                   "enregistré sur cet appareil", timeout=READY)
    assert "navigateur" not in status.inner_text()
    expect(page.get_by_role("button", name="Commencer l’appel")).to_be_disabled()  # the briefing is kept
    feedback = submit_letter(page, base_url, "Bonjour, vous réglez 1 480 € vendredi par virement.")
    expect(feedback).to_contain_text("Vous êtes hors connexion", timeout=READY)
    expect(page.get_by_label("Votre texte")).to_have_value(re.compile("^Bonjour, vous réglez"))


def test_the_home_page_offers_the_simulator_offline_with_its_size(page, built_site, base_url):
    page.goto(f"{base_url}/")
    wait_until_kept(page, built_site.site, base_url)
    size = sum(entry[2] for entry in precache(built_site.site)["engine"]) / 1e6
    button = page.get_by_role("button", name=f"Rendre le simulateur disponible hors connexion "
                                             f"({size:.1f}\u00a0Mo)".replace(".", ","))
    assert axe_violations(page) == []
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-rp-hors-ligne]")).to_contain_text("Le simulateur d’appel est enregistré",
                                                                 timeout=READY)
    expect(page.get_by_role("heading", name="Disponible hors connexion")).to_be_focused()  # not lost
    assert missing(page, built_site.site, base_url, "engine") == 0
    assert not [w for w in page.workers if "engine-worker" in w.url]  # kept, not started


def test_a_new_version_is_offered_then_every_file_switches_at_once(context, page, built_site, tmp_path):
    with kept_copy(page, built_site, tmp_path) as (site, base):
        progress_js = "fetch('assets/progress.js', {cache: 'no-store'}).then((r) => r.text())"
        assert "version 2" not in page.evaluate(progress_js)

        # A new deployment: one module and one page changed, the build's lists written again.
        with (site / "assets" / "progress.js").open("a", encoding="utf-8") as js:
            js.write("\n// version 2\n")
        home = site / "index.html"
        home.write_text(home.read_text(encoding="utf-8").replace(">Pour qui\u00a0?", ">Pour qui, version 2 ?"),
                        encoding="utf-8")
        offline.write_service_worker(site)
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")

        bar = page.locator(".rp-update")
        expect(bar).to_contain_text("Nouvelle version disponible", timeout=READY)
        # Until the learner chooses, the old version is served whole, even to a new tab.
        assert "version 2" not in page.evaluate(progress_js)
        other = context.new_page()
        other.goto(f"{base}/")
        expect(other.locator("h2", has_text="Pour qui")).to_have_text(re.compile("^Pour qui\u00a0\\?"))
        other.close()

        bar.get_by_role("button", name="Recharger").click()
        expect(page.get_by_role("heading", name="Pour qui, version 2 ?")).to_be_visible(timeout=READY)
        assert page.evaluate(progress_js).rstrip().endswith("// version 2")
        wait_until_kept(page, site, base)
        kept = page.evaluate("caches.open('recouvrement-cours').then((c) => c.keys()).then((k) => k.length)")
        assert kept == len(precache(site)["course"])  # the old version's entries are gone


def test_a_site_built_without_the_offline_app_retires_an_earlier_worker(context, page, built_site, tmp_path):
    with kept_copy(page, built_site, tmp_path) as (site, base):
        offline.remove(site)  # what `mkdocs serve` or COURS_HORS_LIGNE=non leave on this address
        page.reload()  # a navigation: the browser checks /sw.js and finds the retiring one
        gone = """async () => !(await navigator.serviceWorker.getRegistration()) && !navigator.serviceWorker.controller
            && (await caches.keys()).filter((name) => name.startsWith('recouvrement-c')
                || name === 'recouvrement-python').length === 0"""
        deadline = time.monotonic() + READY / 1000
        while True:  # the retiring worker reloads the page once: evaluate again after it
            try:
                if page.evaluate(gone):
                    break
            except PlaywrightError:
                pass
            assert time.monotonic() < deadline, "the earlier worker or its caches are still there"
            page.wait_for_timeout(200)
        expect(page.locator("h1")).to_contain_text("Se faire payer")
