"""The simulator in a real browser: Pyodide in a worker, a call typed through the UI, the debrief."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

import simulator
from simulator import Session, load_scenario
from tests.browser.test_course import search

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
READY = 60_000  # ms: a cold Pyodide start on a slow CI machine
SCENARIO = "client-distrait"
GOOD_CALL = [
    "Bonjour Monsieur Petit, Claire Moreau, de Moreau Graphisme. Je vous appelle au sujet de la "
    "facture F-2026-117 de 1 250 euros pour le logo. Que se passe-t-il ?",
    "Ça arrive à tout le monde, je comprends. Quand pouvez-vous la régler ?",
    "Très bien. Par quel moyen allez-vous payer ?",
    "Si je récapitule : un virement de 1 250 euros jeudi 26 novembre, c'est bien ça ?",
    "Parfait. Je vous envoie un mail récapitulatif dans la journée. Merci et bonne journée !",
]


def simulator_workers(page):
    # mkdocs-material runs its own search worker; only ours matters here.
    return [w for w in page.workers if "engine-worker" in w.url]


def open_call(page, base_url, title="Le client distrait"):
    page.goto(f"{base_url}/simulateur/")
    page.get_by_role("button", name=f"Choisir le scénario « {title} »").click()
    page.get_by_role("button", name="Commencer l’appel").click()
    expect(page.get_by_label("Votre réponse")).to_be_editable(timeout=READY)


def say(page, text):
    box = page.get_by_label("Votre réponse")
    before = page.locator(".sim-log .sim-debtor").count()
    box.fill(text)
    box.press("Enter")
    # Either the debtor answers, or the call is over and the debrief replaces it.
    page.wait_for_function(
        "n => document.querySelectorAll('.sim-log .sim-debtor').length > n"
        " || document.querySelector('#simulateur').dataset.view === 'debrief'", arg=before)


def leave_call(page):
    """'Quitter cet appel…' (in the call's card on a phone), then the confirmation."""
    if page.locator(".sim-drawer-toggle").is_visible():
        page.locator(".sim-drawer-toggle").click()
    page.get_by_role("button", name="Quitter cet appel…").click()
    page.get_by_role("button", name="Oui, quitter sans bilan").click()


def stored(page):
    return page.evaluate("JSON.parse(localStorage.getItem('rp:v1:simulateur'))")


def stored_call(page):
    """The unfinished call the page keeps for a reload, or None."""
    return page.evaluate("JSON.parse(localStorage.getItem('rp:v1:simulateur:appel'))")


def axe_violations(page):
    # Colours are checked at rest, not halfway through a focus transition.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}: {[n['target'] for n in v['nodes'][:4]]})"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


# ------------------------------------------------------------------ foundation

def test_simulator_becomes_ready_and_runs_python_in_the_worker(page, base_url, traffic):
    page.goto(f"{base_url}/simulateur/")
    expect(page.locator(".sim-status")).to_have_text("Le client virtuel est prêt.", timeout=READY)
    expect(page.locator("#simulateur")).to_have_attribute("data-engine-version", simulator.__version__)
    expect(page.locator(".sim-progress")).to_be_hidden()
    page.get_by_role("button", name="Choisir le scénario « Le client distrait »").click()
    page.get_by_role("button", name="Commencer l’appel").click()
    # The debtor's first line comes from Python (simulator.web.start) in the worker.
    expect(page.locator(".sim-log .sim-debtor").first).to_contain_text(re.compile(r"\w"))
    # Python came from the vendored runtime and the registered wheel, nowhere else.
    assert any(u.endswith("/pyodide/pyodide.asm.wasm") for u in traffic.urls)
    assert any(re.search(r"/pyodide/simulator-[\d.]+-py3-none-any\.whl$", u) for u in traffic.urls)
    assert len(simulator_workers(page)) == 1


def test_page_stays_responsive_while_pyodide_loads(page, base_url):
    page.goto(f"{base_url}/simulateur/")
    root = page.locator("#simulateur")
    expect(root).to_have_attribute("data-engine", "loading")
    # What happens, how much it downloads, and a progress bar.
    expect(page.locator(".sim-status")).to_contain_text(
        re.compile(r"Préparation du client virtuel : environ \d+ Mo à télécharger, une seule fois"))
    expect(page.locator(".sim-progress")).to_be_visible()
    # A click during the load is handled at once: the main thread is free.
    page.get_by_text("Comment se déroule un appel ?").click(timeout=2_000)
    expect(page.locator("details")).to_have_attribute("open", "", timeout=1_000)
    assert root.get_attribute("data-engine") == "loading", "the check ran too late to prove anything"
    expect(root).to_have_attribute("data-engine", "ready", timeout=READY)


def test_course_page_downloads_no_pyodide(page, base_url, traffic):
    page.goto(f"{base_url}/modules/03-contrat-et-conditions/")
    page.wait_for_load_state("networkidle")
    assert traffic.urls, "no request was recorded"
    assert not [u for u in traffic.urls if "/pyodide/" in u]
    assert simulator_workers(page) == []


WHEEL = f"simulator-{simulator.__version__}-py3-none-any.whl"


@pytest.mark.parametrize("missing", ["pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json", WHEEL])
def test_missing_runtime_gets_a_kind_message(page, base_url, context, missing):
    context.route(f"**/pyodide/{missing}", lambda route: route.fulfill(status=404, body="absent"))
    page.goto(f"{base_url}/simulateur/")
    status = page.locator(".sim-status")
    expect(status).to_contain_text("n’a pas pu démarrer", timeout=READY)
    expect(status).to_contain_text(f"introuvable sur le serveur : {missing}")
    expect(status).to_contain_text("rechargez la page")


def test_a_wheel_that_does_not_match_the_lock_file_is_refused(page, base_url, context):
    def altered(route):
        if route.request.method != "GET":
            return route.continue_()
        body = route.fetch().body()
        route.fulfill(status=200, body=body[:-1] + bytes([body[-1] ^ 1]),
                      headers={"Content-Type": "application/octet-stream"})
    context.route(f"**/pyodide/{WHEEL}", altered)
    page.goto(f"{base_url}/simulateur/")
    status = page.locator(".sim-status")
    expect(status).to_contain_text("n’a pas pu démarrer", timeout=READY)
    expect(status).to_contain_text(f"altéré sur le serveur (sha256) : {WHEEL}")


def test_instant_navigation_reuses_one_worker(page, base_url):
    page.goto(f"{base_url}/")
    page.locator("a[href$='simulateur/']").first.click()
    expect(page.locator("#simulateur")).to_have_attribute("data-engine", "ready", timeout=READY)
    # Away and back through the site's own links (instant navigation, no reload).
    page.get_by_role("link", name="Accueil").first.click()
    page.wait_for_url(f"{base_url}/")
    expect(page.locator("#simulateur")).to_have_count(0)
    page.locator("a[href$='simulateur/']").first.click()
    expect(page.locator("#simulateur")).to_have_attribute("data-engine", "ready", timeout=READY)
    page.get_by_role("button", name="Choisir le scénario « Le client distrait »").click()
    page.get_by_role("button", name="Commencer l’appel").click()
    expect(page.get_by_label("Votre réponse")).to_be_editable()
    assert len(simulator_workers(page)) == 1
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # never reloaded
    assert page.locator(".sim-cards, .sim-call").count() == 1  # one mounted simulator


# ------------------------------------------------------------------ the call

def test_full_call_reaches_the_debrief_python_gives(page, base_url):
    open_call(page, base_url)
    for line in GOOD_CALL:
        say(page, line)
    heading = page.locator(".sim-heading")
    expect(heading).to_contain_text("Bilan de l’appel", timeout=10_000)
    attempt = stored(page)[SCENARIO]["attempts"][0]

    # The same lines and seed through the Python engine in CPython.
    session = Session(load_scenario(ROOT / "exercises" / "appels" / f"{SCENARIO}.yml"), seed=attempt["seed"])
    for line in GOOD_CALL:
        session.say(line)
    expected = session.debrief()
    expect(heading).to_have_text(f"Bilan de l’appel : {expected['score']} / 100")
    # The scenario counts as succeeded by the debrief's verdict (the picker's ✓, Ma progression).
    assert stored(page)[SCENARIO]["passed"] is expected["verdict"]["succeeded"]
    shown = page.locator(".sim-criteria > li")
    expect(shown).to_have_count(len(expected["criteria"]))
    classes = dict(shown.evaluate_all("items => items.map(li => [li.dataset.criterion, li.className])"))
    assert classes == {c["id"]: "sim-ok" if c["passed"] else "sim-ko" for c in expected["criteria"]}
    assert attempt["score"] == expected["score"]
    assert expected["score"] >= 80  # a careful call scores high
    expect(page.locator(".sim-mail")).to_contain_text("F-2026-117")
    # The promise card filled in as the learner obtained each element.
    assert expected["commitment"]["precision"] == "exact"


def test_promise_card_fills_in_live(page, base_url):
    open_call(page, base_url)
    card = page.locator(".sim-promise")
    expect(card.locator("dd.sim-got")).to_have_count(0)
    say(page, GOOD_CALL[0])
    say(page, GOOD_CALL[1])
    expect(card).to_contain_text("jeudi 26 novembre")
    expect(card.locator(".sim-badge")).to_have_text(", précis")  # the comma is for screen readers only
    expect(card.locator(".sim-badge .visually-hidden")).to_have_text(", ")
    # Read as "jeudi 26 novembre, précis", never glued to the date.
    assert card.locator("dd", has=page.locator(".sim-badge")).text_content().strip() == "jeudi 26 novembre, précis"


def test_replay_with_the_same_seed_gives_the_same_debtor(page, base_url):
    open_call(page, base_url)
    for line in GOOD_CALL:
        say(page, line)
    expect(page.locator(".sim-heading")).to_contain_text("Bilan", timeout=10_000)
    first = [t["text"] for t in stored(page)[SCENARIO]["attempts"][0]["debrief"]["transcript"] if t["speaker"] == "debtor"]
    page.get_by_role("button", name="Rejouer à l’identique").click()
    expect(page.get_by_label("Votre réponse")).to_be_editable()
    for line in GOOD_CALL:
        say(page, line)
    expect(page.locator(".sim-heading")).to_contain_text("Bilan", timeout=10_000)
    attempts = stored(page)[SCENARIO]["attempts"]
    assert len(attempts) == 2 and attempts[0]["seed"] == attempts[1]["seed"]
    again = [t["text"] for t in attempts[0]["debrief"]["transcript"] if t["speaker"] == "debtor"]
    assert again == first


def test_reload_keeps_the_unfinished_call_and_the_history(page, base_url):
    open_call(page, base_url)
    say(page, GOOD_CALL[0])
    say(page, GOOD_CALL[1])
    lines_before = page.locator(".sim-log .sim-line").all_inner_texts()
    page.reload()
    expect(page.get_by_label("Votre réponse")).to_be_editable(timeout=READY)
    assert page.locator(".sim-log .sim-line").all_inner_texts() == lines_before
    for line in GOOD_CALL[2:]:
        say(page, line)
    expect(page.locator(".sim-heading")).to_contain_text("Bilan", timeout=10_000)
    page.reload()
    expect(page.locator(".sim-card-best").first).to_contain_text("Votre meilleur score", timeout=10_000)
    assert stored_call(page) is None


def long_history():
    """What a learner who practised a lot has stored: ten attempts of every scenario."""
    session = Session(load_scenario(ROOT / "exercises" / "appels" / f"{SCENARIO}.yml"), seed=3)
    for line in GOOD_CALL:
        session.say(line)
    report = session.debrief()
    attempt = {"date": "2026-11-20T10:00:00.000Z", "seed": 3, "score": report["score"], "debrief": report}
    ids = sorted(path.stem for path in (ROOT / "exercises" / "appels").glob("*.yml"))
    return {scenario: {"best": report["score"], "attempts": [attempt] * 10} for scenario in ids}


def test_a_long_history_is_not_rewritten_at_every_line(page, base_url):
    history = long_history()
    page.goto(f"{base_url}/a-propos/")
    page.evaluate("text => localStorage.setItem('rp:v1:simulateur', text)", json.dumps(history))
    open_call(page, base_url)
    page.evaluate("""() => {
      window.__written = [];
      window.__read = [];
      const { getItem, setItem } = Storage.prototype;
      Storage.prototype.setItem = function (key, value) { window.__written.push(key); return setItem.call(this, key, value); };
      Storage.prototype.getItem = function (key) { window.__read.push(key); return getItem.call(this, key); };
    }""")
    say(page, GOOD_CALL[0])
    say(page, GOOD_CALL[1])
    # Each line keeps the unfinished call for a reload, and only that: the history
    # (0.4 MB here) used to be read, checked and written again at every line.
    assert set(page.evaluate("window.__written")) == {"rp:v1:simulateur:appel"}
    assert "rp:v1:simulateur" not in page.evaluate("window.__read")
    assert stored_call(page)["lines"] == GOOD_CALL[:2]
    assert stored(page) == history
    for line in GOOD_CALL[2:]:
        say(page, line)
    expect(page.locator(".sim-heading")).to_contain_text("Bilan", timeout=10_000)
    after = stored(page)
    assert after[SCENARIO]["attempts"][1:] == history[SCENARIO]["attempts"][:9]  # the newest first, ten kept
    assert {k: v for k, v in after.items() if k != SCENARIO} == {k: v for k, v in history.items() if k != SCENARIO}
    assert stored_call(page) is None


def import_file(page, base_url, path):
    page.goto(f"{base_url}/progression/")
    page.get_by_label(re.compile("Reprendre depuis un fichier")).set_input_files(path)
    expect(page.locator(".rp-tools-message")).to_contain_text("Progression importée")


def test_an_unfinished_call_kept_by_an_older_page_is_resumed(page, base_url, tmp_path):
    # Pages before December 2026 kept the unfinished call inside the attempts ("_current"),
    # and so do the files they exported.
    history = {SCENARIO: long_history()[SCENARIO]}
    older = {**history, "_current": {"scenario": SCENARIO, "seed": 7, "lines": GOOD_CALL[:2],
                                     "startedAt": 1_764_000_000_000}}
    exported = tmp_path / "ancienne-progression.json"
    exported.write_text(json.dumps({"format": "rp-progression", "version": 1, "exported": "2026-11-25T10:00:00Z",
                                    "data": {"simulateur": older}}), encoding="utf-8")
    import_file(page, base_url, exported)
    page.goto(f"{base_url}/simulateur/")
    expect(page.get_by_label("Votre réponse")).to_be_editable(timeout=READY)
    expect(page.locator(".sim-log .sim-learner")).to_have_text([f"Vous : {line}" for line in GOOD_CALL[:2]])
    say(page, GOOD_CALL[2])
    assert stored_call(page)["lines"] == GOOD_CALL[:3] and stored_call(page)["seed"] == 7
    assert stored(page) == history  # moved out, the attempts untouched
    leave_call(page)
    page.reload()
    expect(page.locator(".sim-card").first).to_be_visible(timeout=10_000)  # left for good
    assert stored_call(page) is None and stored(page) == history


def test_an_unfinished_call_goes_through_export_and_import(page, base_url, tmp_path):
    open_call(page, base_url)
    say(page, GOOD_CALL[0])
    say(page, GOOD_CALL[1])
    call = stored_call(page)
    page.goto(f"{base_url}/progression/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Enregistrer ma progression dans un fichier").click()
    exported = tmp_path / "progression.json"
    download.value.save_as(exported)
    assert json.loads(exported.read_text(encoding="utf-8"))["data"]["simulateur:appel"] == call
    page.get_by_role("button", name="Effacer ma progression…").click()
    page.get_by_role("button", name="Oui, tout effacer").click()
    assert stored_call(page) is None
    import_file(page, base_url, exported)
    assert stored_call(page) == call
    page.goto(f"{base_url}/simulateur/")
    expect(page.get_by_label("Votre réponse")).to_be_editable(timeout=READY)
    expect(page.locator(".sim-log .sim-learner")).to_have_text([f"Vous : {line}" for line in GOOD_CALL[:2]])


def test_the_text_box_keeps_its_place_while_the_debtor_answers(page, base_url):
    open_call(page, base_url)
    # The gap between the conversation and the text box, each time "Le client est en train
    # de répondre…" appears or goes.
    page.evaluate("""() => {
      const gap = () => document.querySelector('#sim-input').getBoundingClientRect().top
        - document.querySelector('.sim-log').getBoundingClientRect().bottom;
      window.__gaps = [gap()];
      new MutationObserver(() => window.__gaps.push(gap()))
        .observe(document.querySelector('.sim-typing'), { attributes: true, attributeFilter: ['hidden'] });
    }""")
    say(page, GOOD_CALL[0])
    say(page, GOOD_CALL[1])
    gaps = page.evaluate("window.__gaps")
    assert len(gaps) == 5 and len(set(gaps)) == 1, gaps


def test_the_conversation_shows_its_last_line(page, base_url):
    page.set_viewport_size({"width": 1280, "height": 700})
    open_call(page, base_url)
    for line in GOOD_CALL[:4]:
        say(page, line)
    log = page.locator(".sim-log")
    assert log.evaluate("log => log.scrollHeight > log.clientHeight + 50"), "too few lines to scroll"
    page.wait_for_function("""() => { const log = document.querySelector('.sim-log');
      return log.scrollTop + log.clientHeight >= log.scrollHeight - 1; }""", timeout=2_000)
    expect(page.locator(".sim-log .sim-debtor").last).to_be_in_viewport()


def test_learner_html_is_shown_as_text_and_never_runs(page, base_url):
    open_call(page, base_url)
    payload = '<img src=x onerror="window.pwned=1">'
    say(page, payload)
    expect(page.locator(".sim-log .sim-learner").last).to_contain_text(payload)
    assert page.locator(".sim-log img").count() == 0
    assert page.evaluate("window.pwned") is None


def test_odd_input_gets_a_reply_and_empty_input_a_hint(page, base_url):
    open_call(page, base_url)
    box = page.get_by_label("Votre réponse")
    box.press("Enter")
    expect(page.locator(".sim-tip")).to_contain_text("Écrivez d’abord")
    say(page, "🙂🙂 " + "a" * 480)
    expect(page.locator(".sim-log .sim-debtor").last).not_to_be_empty()
    # The limit is enforced and counted.
    box.fill("x" * 600)
    assert len(box.input_value()) == 500
    expect(page.locator(".sim-counter")).to_have_text("0 caractère restant")


def test_hang_up_gives_a_debrief_that_ranks_a_careless_call_low(page, base_url):
    open_call(page, base_url)
    say(page, "Bonjour, c'est pour la facture.")
    say(page, "D'accord, rappelez-moi quand vous pourrez.")
    page.get_by_role("button", name="Raccrocher").click()
    heading = page.locator(".sim-heading")
    expect(heading).to_contain_text("Bilan", timeout=10_000)
    score = int(re.search(r"(\d+) / 100", heading.inner_text()).group(1))
    assert score < 50
    expect(page.locator(".sim-criteria .sim-ko").first).to_be_visible()


def cpython_debrief(seed, lines, hang_up=False):
    session = Session(load_scenario(ROOT / "exercises" / "appels" / f"{SCENARIO}.yml"), seed=seed)
    for line in lines:
        session.say(line)
    if hang_up:
        session.hang_up()
    return session.debrief()


def hang_up_after(page, base_url, lines):
    """Say these lines, hang up, wait for the debrief; return the same call's debrief in CPython."""
    open_call(page, base_url)
    for line in lines:
        say(page, line)
    page.get_by_role("button", name="Raccrocher").click()
    expect(page.locator(".sim-heading")).to_contain_text("Bilan", timeout=10_000)
    return cpython_debrief(stored(page)[SCENARIO]["attempts"][0]["seed"], lines, hang_up=True)


def expected_priorities(report):
    """The debrief's own priorities, or the rule the page applies to a debrief without them."""
    if "priorities" in report:
        return [p["id"] for p in report["priorities"]]
    missed = [c for c in report["criteria"] if not c["passed"]]
    return [c["id"] for c in sorted(missed, key=lambda c: -c["weight"])][:3]


def test_a_weak_call_opens_on_its_verdict_and_what_to_work_on_first(page, base_url):
    lines = ["Bonjour, c'est pour la facture.", "D'accord, rappelez-moi quand vous pourrez."]
    expected = hang_up_after(page, base_url, lines)
    verdict = page.locator(".sim-verdict")
    expect(verdict).to_contain_text("À retravailler")
    expect(verdict).to_contain_text("70")  # the threshold is stated
    # The verdict comes first, then the misses that weigh most, most important first.
    order = page.evaluate("""() => [...document.querySelectorAll('.sim-verdict, .sim-priorities, .sim-moments, .sim-transcript')]
        .map((n) => n.className.split(' ')[0])""")
    assert order == ["sim-verdict", "sim-priorities", "sim-moments", "sim-transcript"]
    priorities = page.locator(".sim-priorities li[data-criterion]")
    assert priorities.evaluate_all("items => items.map(li => li.dataset.criterion)") == expected_priorities(expected)
    assert 1 <= priorities.count() <= 3
    expect(page.locator(".sim-priorities")).to_contain_text("À travailler en priorité")
    for i in range(priorities.count()):
        expect(priorities.nth(i).locator(".sim-better")).to_contain_text("Essayez plutôt : « ")
    # A miss tied to a line quotes it, and leads to it.
    said = page.locator(".sim-priorities .sim-said").first
    if said.count():
        expect(said).to_contain_text(re.compile(r"ligne \d : « "))


def test_a_perfect_call_is_congratulated(page, base_url):
    open_call(page, base_url)
    for line in GOOD_CALL:
        say(page, line)
    expect(page.locator(".sim-heading")).to_have_text("Bilan de l’appel : 100 / 100", timeout=10_000)
    expect(page.locator(".sim-verdict")).to_contain_text("Appel réussi")
    expect(page.locator(".sim-bravo")).to_contain_text("Un appel parfait")
    expect(page.locator(".sim-priorities")).to_have_count(0)


def test_each_criterion_points_at_the_learners_line_where_it_happened(page, base_url):
    """The criteria's `turn` counts the learner's lines (line n is transcript entry 2n - 1)."""
    lines = GOOD_CALL[:4]
    expected = hang_up_after(page, base_url, lines)
    items = page.locator(".sim-criteria > li")
    expect(items).to_have_count(len(expected["criteria"]))
    turns = [c["turn"] for c in expected["criteria"] if c["turn"]]
    assert turns, "no criterion has a turn: the test proves nothing"
    for criterion in expected["criteria"]:
        item = page.locator(f".sim-criteria > li[data-criterion='{criterion['id']}']")
        expect(item).to_have_class("sim-ok" if criterion["passed"] else "sim-ko")
        if criterion["turn"] is None:
            expect(item).to_contain_text("(sur tout l’appel)")  # shown too, missed or not
            continue
        n = criterion["turn"]
        link = item.locator("a.sim-to-line")
        expect(link).to_have_text(f"(ligne {n})")
        target = page.locator(link.get_attribute("href"))
        expect(target).to_contain_text(f"Vous, ligne {n} : {lines[n - 1]}")
        assert expected["transcript"][2 * n - 1]["text"] == lines[n - 1]
    # Listed in the order of the call, those without a moment last.
    shown = [t for t in items.evaluate_all("items => items.map(li => li.dataset.turn)")]
    numbers = [int(t) for t in shown if t]
    assert numbers == sorted(numbers) and shown[len(numbers):] == [""] * (len(shown) - len(numbers))
    # Following a link reaches the line, with the focus (keyboard users land there too).
    first = page.locator(".sim-criteria a.sim-to-line").first
    first.focus()
    page.keyboard.press("Enter")
    target = first.get_attribute("href")
    expect(page.locator(target)).to_be_focused()
    expect(page.locator(target)).to_be_in_viewport()


ENGINE_WITH_NEW_FIELDS = """
import simulator.web as web
_say, _hang_up = web.say, web.hang_up
TERM = "Pénalités de retard abandonnées si le virement arrive à la date dite."

def say(text):
    reply = _say(text)
    reply["speaker"] = {"name": "Sophie Petit", "role": "gatekeeper"}
    reply["name"] = "Sophie Petit"            # who said this reply (web.say's field)
    reply["commitment"].setdefault("details", {})["terms"] = [TERM]
    return reply

def hang_up():
    report = _hang_up()
    report["verdict"] = {"succeeded": False, "label": "À retravailler", "threshold": 70,
                         "text": "Un appel est réussi avec une action, une date exacte et 70 points."}
    report["priorities"] = [{"id": "exact_date", "label": "Une date exacte", "weight": 20, "turn": 1,
                             "learner_line": "Bonjour, c'est pour la facture.", "advice": "Demandez le jour précis.",
                             "better": "Quel jour exactement le virement partira-t-il ?",
                             "link": "../modules/08-appel-de-relance/#obtenir-une-date", "module": "Module 8"}]
    report["transcript"][0]["name"] = "Sophie Petit"
    report["commitment"] = {**(report["commitment"] or {}), "action": "virement",
                            "details": {"terms": [TERM]}}
    return report

web.say, web.hang_up = say, hang_up
"""


def test_the_debrief_shows_the_engines_verdict_priorities_speakers_and_terms(page, base_url):
    """Engines from December 2026 add these fields; the page shows them as they come."""
    open_call(page, base_url)
    worker = simulator_workers(page)[0]
    worker.evaluate("code => self.pyodide.runPython(code)", ENGINE_WITH_NEW_FIELDS)
    say(page, "Bonjour, c'est pour la facture.")
    expect(page.locator(".sim-log .sim-debtor").last).to_contain_text("Sophie Petit : ")  # who speaks
    expect(page.locator(".sim-promise")).to_contain_text("Pénalités de retard abandonnées")
    page.get_by_role("button", name="Raccrocher").click()
    verdict = page.locator(".sim-verdict")
    expect(verdict).to_contain_text("À retravailler")
    expect(verdict).to_contain_text("avec une action, une date exacte et 70 points")
    expect(verdict).to_contain_text("Pénalités de retard abandonnées")
    priorities = page.locator(".sim-priorities li[data-criterion]")
    expect(priorities).to_have_count(1)
    expect(priorities).to_contain_text("Quel jour exactement le virement partira-t-il ?")
    expect(priorities).to_contain_text("« Bonjour, c'est pour la facture. »")
    expect(priorities.get_by_role("link", name="Revoir : Module 8")).to_have_attribute(
        "href", re.compile(r"/modules/08-appel-de-relance/#obtenir-une-date$"))
    expect(page.locator(".sim-transcript > li").first).to_contain_text("Sophie Petit : ")


def test_the_debrief_heading_is_not_hidden_under_the_header(page, base_url):
    page.set_viewport_size({"width": 375, "height": 812})
    open_call(page, base_url)
    say(page, GOOD_CALL[0])
    page.get_by_role("button", name="Raccrocher").click()
    heading = page.locator(".sim-heading")
    expect(heading).to_be_focused(timeout=10_000)
    assert in_view(page, ".sim-heading"), "the focused heading hides under the sticky header"
    assert in_view(page, ".sim-verdict-label")
    expect(page.locator(".md-top")).to_be_hidden()  # "Retour en haut" covers nothing


def test_a_second_tab_on_the_same_call_steps_aside(page, context, base_url):
    open_call(page, base_url)
    say(page, GOOD_CALL[0])
    other = context.new_page()
    other.goto(f"{base_url}/simulateur/")
    expect(other.get_by_label("Votre réponse")).to_be_editable(timeout=READY)  # the same call, resumed
    say(other, GOOD_CALL[1])
    # The first tab says so and stops writing: the call kept never mixes two tabs' lines.
    notice = page.locator(".sim-notice")
    expect(notice).to_contain_text("Cet appel continue dans un autre onglet")
    expect(page.get_by_label("Votre réponse")).not_to_be_editable()
    expect(page.get_by_role("button", name="Raccrocher")).to_be_disabled()
    assert stored_call(page)["lines"] == GOOD_CALL[:2]
    page.get_by_role("button", name="Continuer l’appel ici").click()
    expect(page.get_by_label("Votre réponse")).to_be_editable(timeout=READY)
    expect(page.locator(".sim-log .sim-learner")).to_have_text([f"Vous : {line}" for line in GOOD_CALL[:2]])
    say(page, GOOD_CALL[2])
    expect(other.locator(".sim-notice")).to_contain_text("Cet appel continue dans un autre onglet")
    assert stored_call(page)["lines"] == GOOD_CALL[:3]


def test_a_call_erased_from_another_tab_is_not_dropped_silently(page, context, base_url):
    open_call(page, base_url)
    say(page, GOOD_CALL[0])
    other = context.new_page()
    other.goto(f"{base_url}/progression/")
    other.get_by_role("button", name=re.compile("^Effacer ma progression")).click()
    other.get_by_role("button", name="Oui, tout effacer").click()
    expect(page.locator(".sim-notice")).to_contain_text("Cet appel a été effacé dans un autre onglet")
    page.get_by_role("button", name="Reprendre cet appel ici").click()
    assert stored_call(page)["lines"] == GOOD_CALL[:1]  # kept again
    say(page, GOOD_CALL[1])
    assert stored_call(page)["lines"] == GOOD_CALL[:2]


def test_corrupted_storage_is_reset_with_a_notice(page, base_url):
    page.goto(f"{base_url}/a-propos/")  # a page that reads no storage after loading
    page.evaluate("localStorage.setItem('rp:v1:simulateur', '{not json')")
    page.goto(f"{base_url}/simulateur/")
    expect(page.locator(".rp-notice")).to_contain_text("illisible")
    expect(page.locator(".sim-card").first).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation(page, base_url, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{base_url}/simulateur/")
    expect(page.locator(".sim-card").first).to_be_visible()
    assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Choisir le scénario « Le client distrait »").click()
    page.get_by_role("button", name="Commencer l’appel").click()
    expect(page.get_by_label("Votre réponse")).to_be_editable(timeout=READY)
    say(page, GOOD_CALL[0])
    page.locator(".sim-chip").first.hover()  # hovered controls keep their contrast too
    assert axe_violations(page) == []
    page.get_by_role("button", name="Raccrocher").hover()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Raccrocher").click()
    expect(page.locator(".sim-heading")).to_contain_text("Bilan", timeout=10_000)
    assert axe_violations(page) == []


def test_only_the_debtors_lines_are_announced(page, base_url):
    open_call(page, base_url)
    say(page, GOOD_CALL[0])
    expect(page.get_by_label("Votre réponse")).to_be_focused()
    # The conversation is not read out as it grows (it would read the learner's own lines
    # back); the debtor's last line is, with its speaker.
    expect(page.locator(".sim-log")).to_have_attribute("aria-live", "off")
    announcer = page.locator(".sim-announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    last = page.locator(".sim-log .sim-debtor").last.inner_text()
    expect(announcer).to_have_text(last)
    assert "Vous :" not in announcer.inner_text()


@pytest.mark.parametrize("width", [375, 1280])
def test_nothing_overflows_horizontally(page, base_url, width, tmp_path):
    page.set_viewport_size({"width": width, "height": 800})
    open_call(page, base_url)
    say(page, GOOD_CALL[0])
    page.screenshot(path=str(tmp_path / f"call-{width}.png"), full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the call screen is {overflow}px wider than a {width}px screen"
    for part in (".sim-callbar", ".sim-log", "#sim-input", ".sim-send"):
        box = page.locator(part).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, part


def in_view(page, selector, index=-1):
    """Is the whole element on screen, below the site's sticky header?"""
    return page.evaluate("""([selector, index]) => {
        const all = document.querySelectorAll(selector);
        const box = all[index < 0 ? all.length + index : index].getBoundingClientRect();
        const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
        return box.top >= header - 1 && box.bottom <= window.innerHeight + 1 && box.height > 0;
    }""", [selector, index])


def test_on_a_phone_the_last_reply_and_the_text_box_stay_in_view(page, base_url):
    page.set_viewport_size({"width": 375, "height": 812})
    open_call(page, base_url)
    assert in_view(page, ".sim-log .sim-debtor") and in_view(page, "#sim-input")
    for line in GOOD_CALL[:4]:
        say(page, line)
        page.wait_for_function("""() => { const log = document.querySelector('.sim-log');
            return log.scrollTop + log.clientHeight >= log.scrollHeight - 1; }""", timeout=2_000)
        assert in_view(page, ".sim-log .sim-debtor"), f"the reply to « {line[:30]}… » is out of view"
        assert in_view(page, "#sim-input"), "the text box is out of view"
        assert in_view(page, ".sim-send")
        assert page.evaluate("scrollY") == 0 or in_view(page, ".sim-callbar")
    log = page.locator(".sim-log")
    assert log.evaluate("log => log.scrollHeight > log.clientHeight"), "the conversation should scroll by itself"
    # The promise card is one tap away, and goes away as easily.
    expect(page.locator(".sim-promise")).to_be_hidden()
    toggle = page.locator(".sim-drawer-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".sim-promise")).to_be_in_viewport(ratio=1)
    expect(page.locator(".sim-promise")).to_contain_text("jeudi 26 novembre")
    expect(toggle).to_have_attribute("aria-label", re.compile("4 éléments obtenus sur 5"))
    page.keyboard.press("Escape")
    expect(page.locator(".sim-promise")).to_be_hidden()
    expect(toggle).to_be_focused()


def test_on_a_wide_screen_the_promise_card_is_always_shown(page, base_url):
    open_call(page, base_url)
    expect(page.locator(".sim-promise")).to_be_visible()
    expect(page.locator(".sim-drawer-toggle")).to_be_hidden()
    assert in_view(page, "#sim-input") and in_view(page, ".sim-log .sim-debtor")


def test_chips_insert_a_starter_phrase_the_engine_understands(page, base_url):
    open_call(page, base_url)
    say(page, GOOD_CALL[0])
    page.get_by_role("button", name="Date précise").click()
    box = page.get_by_label("Votre réponse")
    expect(box).to_have_value("Quel jour exactement pouvez-vous faire le paiement ?")
    expect(box).to_be_focused()
    expect(page.locator(".sim-tip")).to_contain_text("Un jour du calendrier")
    box.press("Enter")
    expect(page.locator(".sim-promise")).to_contain_text("novembre")  # the debtor gave a date


def test_a_long_paste_is_cut_and_the_learner_is_told(page, base_url):
    open_call(page, base_url)
    box = page.get_by_label("Votre réponse")
    box.focus()
    page.evaluate("""() => {
        const data = new DataTransfer();
        data.setData('text/plain', 'a'.repeat(10000));
        document.querySelector('#sim-input').dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
    }""")
    expect(page.locator(".sim-tip")).to_contain_text("Le texte collé faisait 10000 caractères : seuls les 500 premiers")


def test_leaving_a_call_asks_first(page, base_url):
    open_call(page, base_url)
    say(page, GOOD_CALL[0])
    page.get_by_role("button", name="Quitter cet appel…").click()
    page.get_by_role("button", name="Continuer l’appel").click()  # changed my mind
    expect(page.get_by_role("button", name="Quitter cet appel…")).to_be_focused()
    assert stored_call(page)["lines"] == GOOD_CALL[:1]
    say(page, GOOD_CALL[1])
    expect(page.locator(".sim-log .sim-debtor")).to_have_count(3)


def test_a_learner_can_always_leave_a_call(page, base_url):
    open_call(page, base_url)
    say(page, GOOD_CALL[0])
    leave_call(page)
    expect(page.get_by_role("heading", name="Choisissez un appel")).to_be_focused()
    assert stored_call(page) is None
    page.reload()
    expect(page.locator(".sim-card").first).to_be_visible(timeout=10_000)  # no call comes back


def test_hanging_up_survives_a_reload(page, base_url):
    open_call(page, base_url)
    say(page, GOOD_CALL[0])
    page.get_by_role("button", name="Raccrocher").click()
    expect(page.locator(".sim-heading")).to_contain_text("Bilan", timeout=10_000)
    page.reload()
    expect(page.locator(".sim-card").first).to_be_visible(timeout=10_000)
    assert len(stored(page)[SCENARIO]["attempts"]) == 1


def test_the_call_goes_on_after_the_engine_dies(page, base_url):
    open_call(page, base_url)
    say(page, GOOD_CALL[0])
    # The browser kills the worker (out of memory on a phone, say).
    page.evaluate("const w = window.__engineWorker; w.terminate(); w.onerror({preventDefault() {}, message: 'arrêté'})")
    box = page.get_by_label("Votre réponse")
    box.fill(GOOD_CALL[1])
    box.press("Enter")
    # A fresh engine replays the call and answers the line, as if nothing happened.
    expect(page.locator(".sim-log .sim-debtor")).to_have_count(3, timeout=READY)
    expect(page.locator(".sim-promise")).to_contain_text("jeudi 26 novembre")
    assert len(simulator_workers(page)) == 1


def test_module_8_opens_each_scenario_briefing(page, base_url):
    page.goto(f"{base_url}/modules/08-appel-de-relance/")
    page.get_by_role("link", name="le chèque « parti au courrier »").click()  # instant navigation
    expect(page.get_by_role("heading", name="« Le chèque est au courrier »")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("button", name="Commencer l’appel")).to_be_focused()


# ------------------------------------------------------------------ the kept copy of Python's memory
# docs/assets/engine-snapshot.js: a first visit keeps a copy of Python's memory in Cache
# Storage; later visits restore it instead of booting. (Routing disables the HTTP cache,
# so every wheel download shows in `traffic`: a restored engine downloads no wheel.)

COPY = "new URL('pyodide/memoire-python.bin', location.origin + '/').href"


def wait_for_kept_copy(page, timeout=READY):
    """The sha256 the kept copy was made for, once the visit has stored it
    (a copy this test damaged does not count: it carries a marker)."""
    for _ in range(timeout // 200):
        sha = page.evaluate(f"""async () => {{
            const copy = await (await caches.open('recouvrement-moteur')).match({COPY});
            return copy && !copy.headers.has('X-Test-Damaged') ? copy.headers.get('X-Engine-Sha256') : null;
        }}""")
        if sha:
            return sha
        page.wait_for_timeout(200)
    raise AssertionError("the engine kept no copy of its memory")


def wheel_downloads(traffic):
    return sum(1 for u in traffic.urls if re.search(r"/pyodide/simulator-[\d.]+-py3-none-any\.whl$", u))


def debtor_lines_for(page, seed, lines):
    """The debtor's lines for these learner lines, straight from the page's engine."""
    return page.evaluate("""async ([scenario, seed, lines]) => {
        const { callPython } = await import(new URL('assets/engine.js', location.origin + '/').href);
        const data = await (await fetch(new URL(`simulateur/scenarios/${scenario}.json`, location.origin + '/'))).json();
        const started = await callPython('simulator.web', 'start', { scenario: data, seed, lines });
        return [started.opening, ...started.exchanges.map(([, debtor]) => debtor)];
    }""", [SCENARIO, seed, lines])


def cpython_debtor_lines(seed, lines):
    session = Session(load_scenario(ROOT / "exercises" / "appels" / f"{SCENARIO}.yml"), seed=seed)
    return [session.opening] + [session.say(line).text for line in lines]


def expected_debrief(page):
    """The debrief CPython gives for the last stored attempt (same seed, same lines)."""
    attempt = stored(page)[SCENARIO]["attempts"][0]
    session = Session(load_scenario(ROOT / "exercises" / "appels" / f"{SCENARIO}.yml"), seed=attempt["seed"])
    for line in GOOD_CALL:
        session.say(line)
    return session.debrief()


def test_a_second_visit_restores_python_and_answers_exactly_as_a_fresh_one(page, context, base_url, traffic):
    open_call(page, base_url)
    assert re.fullmatch(r"[0-9a-f]{64}", wait_for_kept_copy(page))  # sha256 of lock file + prelude
    assert wheel_downloads(traffic) == 1

    second = context.new_page()
    second.goto(f"{base_url}/simulateur/")
    leave_call(second)  # the first tab's call, resumed
    second.get_by_role("button", name="Choisir le scénario « Le client distrait »").click()
    second.get_by_role("button", name="Commencer l’appel").click()
    expect(second.get_by_label("Votre réponse")).to_be_editable(timeout=READY)
    assert wheel_downloads(traffic) == 1  # Python came from the copy: no wheel this time
    for line in GOOD_CALL:
        say(second, line)
    expect(second.locator(".sim-heading")).to_contain_text("Bilan de l’appel", timeout=10_000)
    expected = expected_debrief(second)  # from the attempt stored with the debrief
    expect(second.locator(".sim-heading")).to_have_text(f"Bilan de l’appel : {expected['score']} / 100", timeout=10_000)
    for seed in (7, 123_456):
        assert debtor_lines_for(second, seed, GOOD_CALL) == cpython_debtor_lines(seed, GOOD_CALL)


@pytest.mark.parametrize("damage", ["other-lock", "truncated", "other-build"])
def test_a_stale_or_damaged_copy_means_a_normal_start_and_a_fresh_copy(page, context, base_url, traffic, damage):
    page.goto(f"{base_url}/simulateur/")
    good = wait_for_kept_copy(page)
    page.evaluate(f"""async (damage) => {{
        const cache = await caches.open('recouvrement-moteur');
        const copy = await cache.match({COPY});
        const headers = new Headers(copy.headers);
        headers.set('X-Test-Damaged', damage);
        let body = new Uint8Array(await copy.arrayBuffer());
        if (damage === 'other-lock') headers.set('X-Engine-Sha256', '0'.repeat(64));  // an older wheel's
        if (damage === 'truncated') body = body.slice(0, body.length - 4096);
        if (damage === 'other-build') body[16] ^= 0xff;  // Pyodide's build id, inside the copy
        await cache.put({COPY}, new Response(body, {{ headers }}));
    }}""", damage)

    second = context.new_page()
    open_call(second, base_url)
    assert wheel_downloads(traffic) == 2  # a normal start, with the wheel
    say(second, GOOD_CALL[0])
    expect(second.locator(".sim-log .sim-debtor")).to_have_count(2)
    assert wait_for_kept_copy(second) == good  # replaced by a good copy...
    leave_call(second)

    third = context.new_page()
    open_call(third, base_url)
    assert wheel_downloads(traffic) == 2  # ...which the next visit restores


def test_a_runtime_file_missing_on_a_second_visit_is_named_at_once_and_the_copy_kept(page, context, base_url):
    page.goto(f"{base_url}/simulateur/")
    good = wait_for_kept_copy(page)
    context.route("**/pyodide/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="absent"))
    second = context.new_page()
    second.goto(f"{base_url}/simulateur/")
    # Said during the restore, not after its 20 s limit; the copy is not to blame.
    expect(second.locator(".sim-status")).to_contain_text(
        "introuvable sur le serveur : pyodide.asm.wasm", timeout=10_000)
    assert wait_for_kept_copy(second, timeout=1_000) == good


# ------------------------------------------------------------------ search on the simulator page
# overrides/main.html starts mkdocs-material's search worker when the learner turns to the
# search box (or 20 s after the page opened): built while Python starts or while the first
# lines are sent, the search index slowed both.

def test_search_waits_for_the_engine_then_works(page, base_url):
    page.goto(f"{base_url}/simulateur/")
    assert [w.url for w in page.workers if "/workers/search." in w.url] == []  # not yet
    expect(page.locator("#simulateur")).to_have_attribute("data-engine", "ready", timeout=READY)
    expect(page.locator(".sim-status")).to_have_text("Le client virtuel est prêt.")
    expect(results := search(page, "echeance")).not_to_have_count(0, timeout=10_000)
    assert any("échéance" in text.lower() for text in results.all_inner_texts())


def test_a_learner_who_searches_first_does_not_wait_for_the_engine(page, base_url, context):
    # Python never finishes starting here (its runtime never arrives).
    context.route("**/pyodide/pyodide.asm.wasm", lambda route: None)
    page.goto(f"{base_url}/simulateur/")
    expect(search(page, "relance")).not_to_have_count(0, timeout=10_000)
    assert page.locator("#simulateur").get_attribute("data-engine") == "loading"


# ------------------------------------------------------------------ scenarios written as data

def test_the_assistant_answers_then_puts_the_debtor_through(page, base_url):
    open_call(page, base_url, title="« Il est en réunion »")
    log = page.locator(".sim-log")
    expect(log.locator(".sim-debtor").first).to_contain_text("Sandrine Leroy : ")
    say(page, "Bonjour Madame, Hugo Marchand, de Marchand Nettoyage. Pourrais-je parler à Monsieur Duroc ?")
    say(page, "C'est au sujet de la facture MN-2026-311 de 1 680 euros.")
    say(page, "Je comprends, il est très occupé. Pourriez-vous lui demander s'il peut me prendre deux minutes ?")
    # The assistant's words and the debtor picking up are two lines, each with its speaker.
    last_two = log.locator(".sim-debtor").evaluate_all("ps => ps.slice(-2).map(p => p.textContent)")
    assert last_two[0].startswith("Sandrine Leroy : ") and last_two[1].startswith("Xavier Duroc : ")
    say(page, "Bonjour Monsieur Duroc, merci de me prendre. C'est pour la facture MN-2026-311 de 1 680 euros.")
    expect(log.locator(".sim-debtor").last).to_contain_text("Xavier Duroc : ")


def test_with_only_the_assistant_the_amount_and_method_are_shown_as_not_applying(page, base_url):
    open_call(page, base_url, title="« Il est en réunion »")
    say(page, "Bonjour Madame, Hugo Marchand, de Marchand Nettoyage. Pourrais-je parler à Monsieur Duroc ?")
    say(page, "C'est au sujet d'un dossier en cours avec lui.")
    say(page, "Je comprends. À quelle heure pourrait-il me rappeler demain ?")
    page.get_by_role("button", name="Raccrocher").click()
    for criterion in ("amount", "payment_method"):
        item = page.locator(f".sim-criteria > li[data-criterion='{criterion}']")
        expect(item).to_have_class(re.compile(r"\bsim-na\b"))
        expect(item).to_contain_text("Sans objet")


def test_a_waiver_shows_on_the_promise_card(page, base_url):
    open_call(page, base_url, title="« C’est quoi, ces frais ? »".replace("« ", "« ").replace(" »", " »"))
    say(page, "Bonjour Monsieur Masson, Camille Berger, de Berger Signalétique, pour la facture BS-2026-051.")
    say(page, "Si vous réglez les 3 960 euros vendredi, je renonce aux pénalités et aux 40 euros.")
    card = page.locator(".sim-promise")
    expect(card).to_contain_text("vendredi 19 juin")
    expect(card).to_contain_text("renonciation aux pénalités de retard")
    expect(card).to_contain_text("3 960")
