"""The SCORM 1.2 package in a real SCORM runtime: scorm-again (npm, pinned) plays the LMS.

`make scorm`'s command builds and zips the course; the zip is unpacked behind a server that
answers like Moodle's (files only: a folder is "not found"; its file types, `.mjs` and `.wasm`
unknown; `nosniff`) and keeps every commit, as an LMS's backend does. A host page exposes
`window.API` and shows the package's launch page in a frame: the learner answers exercises and
finishes a call through the UI, the LMS gets status, score and suspend_data; a new browser
profile given the stored CMI data finds the progress back; a history far past 4 096 characters
still commits.
"""

import json
import os
import re
import subprocess
import sys
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LOCAL_HOSTS

from tests.browser.test_simulator_page import GOOD_CALL, long_history

ROOT = Path(__file__).resolve().parents[2]
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist" / "scorm12.min.js"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
READY = 90_000  # ms: a cold Pyodide start in two frames on a slow machine
LIMIT = 4096
# Moodle's file types (lib/classes/filetypes.php) for what the package holds; anything else
# is sent as "document/unknown", which a browser refuses for a module script.
MOODLE_TYPES = {
    ".html": "text/html", ".js": "application/x-javascript", ".css": "text/css", ".json": "application/json",
    ".png": "image/png", ".svg": "image/svg+xml", ".ico": "image/vnd.microsoft.icon", ".xml": "application/xml",
    ".zip": "application/zip", ".txt": "text/plain", ".xsd": "text/xml",
}


class LmsServer:
    """The package and scorm-again behind a Moodle-like static server that keeps the commits."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.commits: list[dict] = []
        self.refuse = False  # answer commits with an error, as an LMS whose backend fails
        lms = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(folder), **kwargs)

            def log_message(self, *args):
                pass

            def guess_type(self, path):
                return MOODLE_TYPES.get(Path(str(path)).suffix, "document/unknown")

            def end_headers(self):
                self.send_header("X-Content-Type-Options", "nosniff")
                super().end_headers()

            def send_head(self):
                if self.path.split("?")[0].endswith("/"):  # Moodle serves files, never a folder
                    self.send_error(404)
                    return None
                return super().send_head()

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path.startswith("/commit"):
                    ok = not lms.refuse
                    if ok:
                        lms.commits.append(json.loads(body or b"{}"))
                    answer = json.dumps({"result": ok, "errorCode": 0 if ok else 101}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                else:
                    self.send_error(404)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def last(self) -> dict:
        """The CMI data of the last commit, as the LMS stored it."""
        assert self.commits, "the LMS received no commit"
        return self.commits[-1]["cmi"]


@pytest.fixture(scope="session")
def scorm_zip(tmp_path_factory):
    """`python -m site_build.scorm` (what `make scorm` runs) into a temporary folder."""
    out = tmp_path_factory.mktemp("scorm")
    result = subprocess.run([sys.executable, "-m", "site_build.scorm", "--out", str(out)], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    if result.returncode != 0:
        pytest.fail(f"python -m site_build.scorm failed:\n{result.stdout}{result.stderr}")
    (package,) = out.glob("*.zip")
    return package


@pytest.fixture(scope="session")
def lms(scorm_zip, tmp_path_factory):
    folder = tmp_path_factory.mktemp("lms")
    with zipfile.ZipFile(scorm_zip) as archive:
        archive.extractall(folder / "package")
    (folder / "host.html").write_bytes((Path(__file__).parent / "lms_host.html").read_bytes())
    (folder / "scorm12.min.js").write_bytes(SCORM_AGAIN.read_bytes())
    server = LmsServer(folder)
    yield server
    server.server.shutdown()


@pytest.fixture
def lms_fresh(lms):
    lms.commits.clear()
    lms.refuse = False
    return lms


def new_context(browser, foreign):
    """A fresh browser profile (the relaunch needs two), whose requests must stay on localhost."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})

    def guard(route):
        if urlparse(route.request.url).hostname not in LOCAL_HOSTS and not route.request.url.startswith(("data:", "blob:")):
            foreign.append(route.request.url)
            return route.abort()
        return route.continue_()

    context.route("**/*", guard)
    return context


def launch(page, lms, start=None):
    """Open the host page (the LMS's player) with the CMI data the LMS kept, if any."""
    page.add_init_script(f"window.__lmsStart = {json.dumps(start)};" if start else "")
    page.goto(f"{lms.url}/host.html")
    page.wait_for_function("() => window.API.isInitialized()")
    page.wait_for_function("() => frames.sco && frames.sco.frames.cours")
    course = page.frame(name="cours")  # the course's frame, inside the launch page's
    expect(course.locator("h1").first).to_be_visible()
    return course


def shown(course):
    """The page of the course shown in its frame, relative to the package."""
    return course.url.split("/package/", 1)[1]


def say(course, text):
    box = course.get_by_label("Votre réponse")
    before = course.locator(".sim-log .sim-debtor").count()
    box.fill(text)
    box.press("Enter")
    course.wait_for_function(
        "n => document.querySelectorAll('.sim-log .sim-debtor').length > n"
        " || document.querySelector('#simulateur').dataset.view === 'debrief'", arg=before)


def commits_after(page, lms, count, timeout=15_000):
    """Wait until the LMS's backend got more than `count` commits; the newest CMI data."""
    for _ in range(timeout // 100):
        if len(lms.commits) > count:
            page.wait_for_timeout(600)  # a commit on its way (one answer is one commit) lands too
            return lms.last()
        page.wait_for_timeout(100)
    raise AssertionError(f"no commit after the {count} already received")




def outline(lms):
    """Exercise ids of the modules and scenario ids, as the package ships them."""
    index = json.loads((lms.folder / "package" / "exercices" / "index.json").read_text(encoding="utf-8"))
    scenarios = json.loads((lms.folder / "package" / "simulateur" / "scenarios" / "index.json").read_text(encoding="utf-8"))
    return [e["id"] for m in index["modules"] for e in m["exercises"]], [s["id"] for s in scenarios]


def answer_qcm(course, exercise_id, right=True):
    ex = course.locator(f"#ex-{exercise_id}")
    key = json.loads(ex.get_attribute("data-cle"))
    choices = ex.locator(".rp-choice input")
    wanted = set(key["reponse"]) if right else {next(i for i in range(choices.count()) if i not in key["reponse"])}
    for i in range(choices.count()):
        if i in wanted:
            choices.nth(i).check()
    ex.get_by_role("button", name="Valider").click()
    expect(ex).to_have_attribute("data-state", "answered")
    return key


# ------------------------------------------------------------------ the package itself

def test_the_package_has_its_manifest_at_the_root_and_every_file_listed(scorm_zip):
    with zipfile.ZipFile(scorm_zip) as archive:
        names = archive.namelist()
        manifest = archive.read("imsmanifest.xml").decode("utf-8")
    assert names[0] == "imsmanifest.xml"
    listed = set(re.findall(r'<file href="([^"]+)"/>', manifest))
    content = {n for n in names if n != "imsmanifest.xml" and not n.endswith(".xsd")}
    assert listed == content
    assert 'adlcp:scormtype="sco" href="scorm.html"' in manifest
    # LMS-ready: no folder link needed, no absolute link to the site's URL, no module an LMS cannot type.
    assert not [n for n in names if n.endswith((".mjs", ".map", ".gz"))]


# ------------------------------------------------------------------ a learner in the LMS

def test_a_learner_answers_calls_and_comes_back_in_a_new_browser(browser, lms_fresh):
    lms = lms_fresh
    exercises, scenarios = outline(lms)
    foreign = []
    context = new_context(browser, foreign)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    course = launch(page, lms)
    # Launched: the LMS knows the course is started.
    first = commits_after(page, lms, 0)
    assert first["core"]["lesson_status"] == "incomplete"
    assert first["core"]["exit"] == "suspend"

    # An exercise answered right, another answered wrong: one commit each.
    course.get_by_role("link", name=re.compile("Prévenir plutôt que guérir")).first.click()
    expect(course.locator("#ex-m01-objectifs")).to_have_attribute("data-state", "ready")
    assert shown(course) == "modules/01-prevenir/index.html"  # the file: an LMS serves no folder
    before = len(lms.commits)
    answer_qcm(course, "m01-objectifs", right=True)
    after_right = commits_after(page, lms, before)
    packed = json.loads(after_right["suspend_data"])
    assert packed["rp"] == 1 and packed["x"]["m01-objectifs"][1] == 3  # succeeded, and right
    assert after_right["core"]["score"]["raw"] == str(round(50 / len(exercises)))

    course.get_by_role("link", name=re.compile("Connaître son client")).first.click()
    expect(course.locator("#ex-m02-adapter")).to_have_attribute("data-state", "ready")
    before = len(lms.commits)
    answer_qcm(course, "m02-adapter", right=False)
    cmi = commits_after(page, lms, before)
    assert json.loads(cmi["suspend_data"])["x"]["m02-adapter"][1] == 0
    assert cmi["core"]["lesson_location"] == "modules/02-connaitre-son-client/index.html"

    # A call taken to its debrief in the course's frame (Python in a Web Worker there).
    course.get_by_role("link", name="Simulateur").first.click()
    course.get_by_role("button", name="Choisir le scénario « Le client distrait »").click()
    course.get_by_role("button", name="Commencer l’appel").click()
    expect(course.get_by_label("Votre réponse")).to_be_editable(timeout=READY)
    before = len(lms.commits)
    for line in GOOD_CALL:
        say(course, line)
    heading = course.locator(".sim-heading")
    expect(heading).to_contain_text("Bilan de l’appel", timeout=10_000)
    best = int(re.search(r"(\d+) / 100", heading.inner_text()).group(1))
    cmi = commits_after(page, lms, before)
    packed = json.loads(cmi["suspend_data"])
    assert packed["s"]["client-distrait"][0] == best >= 80
    assert packed["s"]["client-distrait"][1][0][3] == GOOD_CALL  # what the learner said
    # The documented formula: exercises and calls weigh 50 each.
    wrong = json.loads(course.evaluate("() => localStorage.getItem('rp:v1:ex:m02-adapter')"))["score"]
    expected = round(100 * (50 * (1 + wrong) / len(exercises) + 50 * best / 100 / len(scenarios)) / 100)
    assert cmi["core"]["score"] == {"raw": str(expected), "min": "0", "max": "100"}
    assert cmi["core"]["lesson_status"] == "incomplete"  # far from every exercise and every call
    assert re.fullmatch(r"\d{2,4}:\d{2}:\d{2}", cmi["core"]["session_time"])
    assert len(cmi["suspend_data"]) <= LIMIT
    assert cmi["core"]["lesson_location"] == "simulateur/index.html"

    # Leaving: LMSFinish, whose commit carries the same progress.
    page.goto("about:blank")
    assert errors == [], errors
    for _ in range(50):
        if lms.commits[-1].get("finished"):
            break
        page.wait_for_timeout(100)
    assert lms.commits[-1].get("finished") is True, "no LMSFinish on leaving"
    kept = lms.last()
    assert kept["suspend_data"] == cmi["suspend_data"]
    context.close()

    # Next launch, in a new browser profile: the LMS hands back what it kept.
    context = new_context(browser, foreign)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    start = {"core": {"student_id": "u1", "student_name": "Moreau, Claire", "entry": "resume",
                      "lesson_status": kept["core"]["lesson_status"], "lesson_location": kept["core"]["lesson_location"],
                      "score": kept["core"]["score"]}, "suspend_data": kept["suspend_data"]}
    course = launch(page, lms, start)
    # Back where the learner left: the simulator, with the best call.
    assert shown(course) == "simulateur/index.html"
    expect(course.locator(".sim-card-best").first).to_be_visible(timeout=10_000)
    card = course.locator(".sim-card", has=course.get_by_role("heading", name="Le client distrait"))
    expect(card.locator(".sim-card-best")).to_contain_text(f"Votre meilleur score : {best} / 100")
    # The exercises show the learner's answers, as they were.
    course.get_by_role("link", name=re.compile("Prévenir plutôt que guérir")).first.click()
    ex = course.locator("#ex-m01-objectifs")
    expect(ex).to_have_attribute("data-state", "answered")
    expect(ex.locator(".rp-ex__status")).to_contain_text("Réussi")
    course.get_by_role("link", name="Ma progression").first.click()
    expect(course.locator(".rp-overview p").first).to_have_text(f"Vous avez réussi 1 exercice sur {len(exercises)}.")
    # In an LMS, the page does not claim that progress stays in this browser only.
    expect(course.locator(".rp-lms-only")).to_be_visible()
    expect(course.locator(".rp-web-only")).to_be_hidden()
    assert errors == [], errors
    context.close()
    assert foreign == [], f"requests left localhost: {foreign}"


def banner(page):
    return page.frame(name="sco").locator("#rp-lms-message")


def test_a_history_far_past_4096_characters_still_commits(browser, lms_fresh, context, page):
    lms = lms_fresh
    exercises, scenarios = outline(lms)
    course = launch(page, lms)
    commits_after(page, lms, 0)
    # Ten calls of every scenario, each with its debrief (about 0.5 MB), as a learner who
    # practised a lot has them: written by the course's page, as the simulator writes them.
    history = long_history()
    before = len(lms.commits)
    course.evaluate("text => localStorage.setItem('rp:v1:simulateur', text)", json.dumps(history))
    cmi = commits_after(page, lms, before)
    assert len(cmi["suspend_data"]) <= LIMIT and len(cmi["suspend_data"].encode()) <= LIMIT
    packed = json.loads(cmi["suspend_data"])
    # What matters is all there: every scenario's best call; old transcripts made room.
    assert {k: v[0] for k, v in packed["s"].items()} == {k: v["best"] for k, v in history.items()}
    attempts = [a for _, kept in packed["s"].values() for a in kept]
    assert all(kept for _, kept in packed["s"].values()) and any(len(a) == 3 for a in attempts)

    # Then a real call: its commit succeeds, and it comes first, with what the learner said.
    course.goto(course.url.split("/package/")[0] + "/package/simulateur/index.html?scenario=client-distrait")
    course.get_by_role("button", name="Commencer l’appel").click()
    expect(course.get_by_label("Votre réponse")).to_be_editable(timeout=READY)
    before = len(lms.commits)
    for line in GOOD_CALL:
        say(course, line)
    expect(course.locator(".sim-heading")).to_contain_text("Bilan de l’appel", timeout=10_000)
    cmi = commits_after(page, lms, before)
    assert len(cmi["suspend_data"]) <= LIMIT
    newest = json.loads(cmi["suspend_data"])["s"]["client-distrait"][1][0]
    assert newest[3] == GOOD_CALL
    assert page.evaluate("API.LMSGetLastError()") == "0"
    expect(banner(page)).to_be_hidden()
    # The course itself kept everything: the LMS copy is the one that is trimmed.
    local = json.loads(course.evaluate("() => localStorage.getItem('rp:v1:simulateur')"))
    assert len(local["client-distrait"]["attempts"]) == 10 and local["client-distrait"]["attempts"][0]["debrief"]


def test_an_lms_that_refuses_a_commit_gets_a_kind_message_and_the_next_one(lms_fresh, page):
    lms = lms_fresh
    course = launch(page, lms)
    commits_after(page, lms, 0)
    course.get_by_role("link", name=re.compile("Prévenir plutôt que guérir")).first.click()
    lms.refuse = True
    answer_qcm(course, "m01-objectifs")
    expect(banner(page)).to_contain_text("La plateforme de formation n’a pas enregistré votre progression (erreur 101")
    expect(banner(page)).to_contain_text("Elle reste dans ce navigateur et lui sera renvoyée à votre prochaine réponse.")
    # The course goes on; the next answer carries both.
    lms.refuse = False
    before = len(lms.commits)
    course.get_by_role("link", name=re.compile("Connaître son client")).first.click()
    answer_qcm(course, "m02-adapter")
    packed = json.loads(commits_after(page, lms, before)["suspend_data"])
    assert {"m01-objectifs", "m02-adapter"} <= set(packed["x"])
    # The launch page and its message pass axe-core's serious checks, in both colour schemes.
    launcher = page.frame(name="sco")
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        launcher.add_script_tag(path=str(AXE))
        result = launcher.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")] == [], scheme
    banner(page).get_by_role("button", name="Fermer ce message").click()
    expect(banner(page)).to_be_hidden()


def test_in_review_mode_nothing_is_written(lms_fresh, page):
    lms = lms_fresh
    course = launch(page, lms, {"core": {"lesson_mode": "review", "lesson_status": "completed"},
                                "suspend_data": json.dumps({"rp": 1, "x": {}, "s": {"client-distrait": [90, []]}})})
    expect(banner(page)).to_contain_text("Mode consultation")
    course.get_by_role("link", name="Simulateur").first.click()
    card = course.locator(".sim-card", has=course.get_by_role("heading", name="Le client distrait"))
    expect(card.locator(".sim-card-best")).to_contain_text("Votre meilleur score : 90 / 100")
    course.get_by_role("link", name=re.compile("Prévenir plutôt que guérir")).first.click()
    answer_qcm(course, "m01-objectifs")
    page.wait_for_timeout(1000)
    assert lms.commits == []


def test_a_bookmark_to_a_page_the_package_no_longer_has_opens_the_start(lms_fresh, page):
    course = launch(page, lms_fresh, {"core": {"entry": "resume", "lesson_location": "modules/99-disparu/index.html"}})
    assert shown(course) == "index.html"


def test_outside_an_lms_the_course_works_and_says_so(lms_fresh, page):
    page.goto(f"{lms_fresh.url}/package/scorm.html")
    expect(page.locator("#rp-lms-message")).to_contain_text("Ce cours n’est relié à aucune plateforme de formation.")
    course = page.frame(name="cours")
    expect(course.locator("h1").first).to_be_visible()
    course.get_by_role("link", name=re.compile("Prévenir plutôt que guérir")).first.click()
    answer_qcm(course, "m01-objectifs")
    assert json.loads(course.evaluate("() => localStorage.getItem('rp:v1:ex:m01-objectifs')"))["succeeded"]
