"""The simulator page in a real browser: Pyodide starts in a worker, Python answers."""

import re

import pytest
from playwright.sync_api import expect

import simulator

READY = 60_000  # ms: a cold Pyodide start on a slow CI machine


def test_simulator_becomes_ready_and_runs_python_in_the_worker(page, base_url, traffic):
    page.goto(f"{base_url}/simulateur/")
    expect(page.get_by_text(f"Simulateur prêt (moteur {simulator.__version__}")).to_be_visible(timeout=READY)
    # The date tester calls simulator.parse_date inside the worker.
    page.get_by_label("Testez une promesse de paiement").fill("je vous fais le virement demain")
    page.get_by_role("button", name="Analyser").click()
    expect(page.locator(".sim-dates-result")).to_have_text(re.compile(r"^Date exacte : \w+ \d+ \w+ \d{4}$"))
    page.get_by_label("Testez une promesse de paiement").fill("je vous rappelle bientôt")
    page.get_by_role("button", name="Analyser").click()
    expect(page.locator(".sim-dates-result")).to_have_text(re.compile("^Réponse floue"))
    # Python really came from the vendored runtime and the registered wheel.
    assert any(u.endswith("/pyodide/pyodide.asm.wasm") for u in traffic.urls)
    assert any(re.search(r"/pyodide/simulator-[\d.]+-py3-none-any\.whl$", u) for u in traffic.urls)
    assert len(simulator_workers(page)) == 1


def simulator_workers(page):
    # mkdocs-material runs its own search worker; only ours matters here.
    return [w for w in page.workers if "simulateur-worker" in w.url]


def test_page_stays_responsive_while_pyodide_loads(page, base_url):
    page.goto(f"{base_url}/simulateur/")
    root = page.locator("#simulateur")
    expect(root).to_have_attribute("data-state", "loading")
    expect(page.locator(".sim-status")).to_contain_text("Chargement")
    # A click during the load is handled at once: the main thread is free.
    page.get_by_text("Comment se déroule un appel ?").click(timeout=2_000)
    expect(page.locator("details")).to_have_attribute("open", "", timeout=1_000)
    assert root.get_attribute("data-state") == "loading", "the check ran too late to prove anything"
    expect(root).to_have_attribute("data-state", "ready", timeout=READY)


def test_course_page_downloads_no_pyodide(page, base_url, traffic):
    page.goto(f"{base_url}/")
    page.wait_for_load_state("networkidle")
    assert traffic.urls, "no request was recorded"
    assert not [u for u in traffic.urls if "/pyodide/" in u]
    assert simulator_workers(page) == []


def test_missing_runtime_gets_a_kind_message(page, base_url, context):
    context.route("**/pyodide/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="absent"))
    page.goto(f"{base_url}/simulateur/")
    status = page.locator(".sim-status")
    expect(status).to_contain_text("n'a pas pu démarrer", timeout=READY)
    expect(status).to_contain_text("rechargez la page")


def test_instant_navigation_reuses_one_worker(page, base_url):
    page.goto(f"{base_url}/")
    page.locator("a[href$='simulateur/']").first.click()
    expect(page.locator("#simulateur")).to_have_attribute("data-state", "ready", timeout=READY)
    # Away and back through the site's own links (instant navigation, no reload).
    page.get_by_role("link", name="Accueil").first.click()
    page.wait_for_url(f"{base_url}/")
    expect(page.locator("#simulateur")).to_have_count(0)
    page.locator("a[href$='simulateur/']").first.click()
    expect(page.locator("#simulateur")).to_have_attribute("data-state", "ready", timeout=READY)
    assert len(simulator_workers(page)) == 1
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # never reloaded
