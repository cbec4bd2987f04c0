"""`make bench`: how fast the course is for a learner, each figure next to its baseline.

Not a test: it reports (Markdown table on stdout, JSON in bench/results/latest.json) and
CI does not depend on its numbers.

Figures
1. time to a usable call in headless Chromium (navigation start -> input enabled with the
   debtor's first line shown), cold (fresh profile) and warm (second visit), against a bare
   page that only starts Pyodide in a worker and runs 1+1;
2. reply latency: browser (the line submitted at a frame start until the start of the frame
   that paints the reply; also until the reply is in the page, before that frame, and until it
   is on screen, by Element Timing), for a new learner and for one with a long stored history,
   and CPython (Session.say), p50 and p95;
3. bytes downloaded by a module page and by the simulator page (as served, and raw); the
   simulator page's first visit over the wire, with what the service worker then keeps for
   offline use in the background, and a second visit offline (bytes downloaded: none);
4. build time of the course vs the same Markdown built by plain mkdocs-material (a rebuild,
   as an instructor runs it after an edit; the first build of a fresh clone is reported too);
5. memory of the worker after a full call (JS heap via CDP, and WebAssembly memory).

The site is served by Debian's nginx with the shipped configuration (deploy/cours.conf:
precompressed Brotli and gzip files, revalidation), as in production; without nginx, by a
Python server that gzips (the figures of the README before 2 December 2026).

BENCH_AGAINST=SITE_DIR: another build of the course (an older commit's `site/`), timed in
turn with this one (cold and warm calls), served the same way after its files are
precompressed like this build's: an A/B of two builds on the same machine at the same time.
"""

from __future__ import annotations

import datetime
import functools
import gzip
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
SCENARIO = "client-distrait"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PAUSE_MS = 300  # between a reply and the learner's next line, in the latency figure
LINES = [
    "Bonjour Monsieur Petit, Claire Moreau, de Moreau Graphisme.",
    "Je vous appelle au sujet de la facture F-2026-117 de 1 250 euros.",
    "Que se passe-t-il de votre côté ?",
    "Je comprends, ce sont des semaines chargées.",
    "Quand pouvez-vous la régler ?",
    "Quel jour exactement ?",
    "Par quel moyen allez-vous payer ?",
    "Vous réglerez bien la totalité ?",
    "Pouvez-vous faire le virement jeudi à midi ?",
    "Et si ce n'est pas possible, quel autre jour ?",
    "D'accord, je note.",
    "Avez-vous besoin d'un nouvel exemplaire de la facture ?",
]
CHROMIUM_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"] + (
    ["--no-sandbox"] if os.geteuid() == 0 else [])


# ------------------------------------------------------------------ helpers

def median(values):
    return statistics.median(values) if values else float("nan")


def percentile(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class GzipHandler(SimpleHTTPRequestHandler):
    """A static server that compresses like a production one (gzip when asked)."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".mjs": "text/javascript",
                      ".js": "text/javascript", ".wasm": "application/wasm", ".whl": "application/zip"}
    protocol_version = "HTTP/1.1"  # keep-alive, as a production server
    COMPRESS = (".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".xml", ".zip")

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()
        # Like any production server: a second visit revalidates and gets 304, which keeps
        # the browser's cache entry (and the compiled WebAssembly code cached beside it).
        stat = os.stat(path)
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            return None
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        compress = wants and path.endswith(self.COMPRESS)
        body = _gzipped(path, stat.st_mtime_ns) if compress else Path(path).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("ETag", etag)
        self.end_headers()
        return io.BytesIO(body)


@functools.lru_cache(maxsize=None)
def _gzipped(path, _mtime):
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


class Server:
    """The static server, in a process of its own: in this one, it would share the GIL with
    Playwright and turn into the bottleneck of the page it serves."""

    def __init__(self, directory: Path):
        self.process = subprocess.Popen([sys.executable, __file__, "--serve", str(directory)],
                                        stdout=subprocess.PIPE, text=True)
        self.base = self.process.stdout.readline().strip()

    def shutdown(self):
        self.process.terminate()
        self.process.wait()


class NginxServer:
    """Debian's nginx with deploy/cours.conf (tests/browser/nginx.py)."""

    def __init__(self, directory: Path):
        from tests.browser.nginx import nginx_serving

        self.running = nginx_serving(directory, Path(tempfile.mkdtemp(prefix="bench-nginx-")))
        self.base = self.running.__enter__()

    def shutdown(self):
        self.running.__exit__(None, None, None)


def serve(directory: Path):
    from tests.browser.nginx import available

    server = NginxServer(directory) if available() else Server(directory)
    return server, server.base


def server_kind() -> str:
    from tests.browser.nginx import available

    return "nginx (deploy/cours.conf)" if available() else "Python, gzip à la volée"


def serve_here(directory: str) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=directory))
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    server.serve_forever()


# ------------------------------------------------------------------ build

# As on an instructor's machine, Python keeps the bytecode of the project's modules
# (__pycache__, ignored by git). Some shells set PYTHONDONTWRITEBYTECODE (this project's
# machine does): the course's own modules would then be compiled again at every build,
# 0.1 s that plain mkdocs-material, whose modules pip compiled at install, never pays.
BUILD_ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
             "NO_MKDOCS_2_WARNING": "1"}


def timed_build(config: Path, site: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([MKDOCS, "build", "-q", "-f", str(config), "-d", str(site)], cwd=ROOT,
                          env=BUILD_ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"mkdocs build failed ({config.name}):\n{done.stdout}{done.stderr}")
    return elapsed


def plain_config(tmp: Path) -> Path:
    """mkdocs.yml without the project's hooks and Markdown extensions (same pages)."""
    lines, skip, item = [], False, None
    for line in (ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines():
        if re.match(r"^(hooks|watch):", line):
            skip = True
            continue
        if skip and (line.startswith("  ") or not line.strip()):
            continue
        skip = False
        indent = len(line) - len(line.lstrip())
        if item is not None and line.strip() and indent > item:
            continue  # the options of the project's extension
        item = None
        if "site_build" in line or "custom_dir" in line:
            item = indent if line.lstrip().startswith("- ") else None
            continue
        lines.append(line)
    text = "\n".join(lines).replace("strict: true", "strict: false")
    # Beside mkdocs.yml, so that relative paths (snippets) resolve the same way.
    config = ROOT / f".bench-plain-{os.getpid()}.yml"
    config.write_text(text + "\n", encoding="utf-8")
    return config


def bench_build(tmp: Path) -> dict:
    plain_cfg = plain_config(tmp)
    course, plain = [], []
    try:
        # A first build, as on a fresh clone: it writes the bytecode and the build cache
        # (wheel, lock file, checks passed). The figure is the build an instructor runs
        # again and again: `make build` or `mkdocs serve` after an edit.
        first = timed_build(ROOT / "mkdocs.yml", tmp / "course-first")
        for i in range(RUNS):  # alternate, so that drift in the machine's load hits both
            course.append(timed_build(ROOT / "mkdocs.yml", tmp / f"course-{i}"))
            plain.append(timed_build(plain_cfg, tmp / f"plain-{i}"))
    finally:
        plain_cfg.unlink()
    return {"course_s": median(course), "plain_s": median(plain), "course_first_s": first,
            "ratio": median(course) / median(plain),
            "course_runs_s": [round(t, 2) for t in course], "plain_runs_s": [round(t, 2) for t in plain]}


# ------------------------------------------------------------------ browser

BASELINE_HTML = """<!doctype html><meta charset="utf-8"><title>Pyodide seul</title>
<p id="out">…</p>
<script type="module">
const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });
worker.onmessage = ({ data }) => { window.__usable = performance.now(); document.getElementById("out").textContent = data; };
</script>"""
BASELINE_WORKER = """const base = new URL("../pyodide/", import.meta.url).href;
const { loadPyodide } = await import(new URL("pyodide.mjs", base).href);
const pyodide = await loadPyodide({ indexURL: base });
self.postMessage(String(pyodide.runPython("1+1")));"""

USABLE = """() => {
  const box = document.querySelector('#sim-input');
  return box && !box.readOnly && document.querySelector('.sim-log .sim-debtor') ? performance.now() : false;
}"""

LATENCY_JS = """async ([lines, pause]) => {
  const box = document.querySelector('#sim-input');
  const log = document.querySelector('.sim-log');
  // When the reply's text reaches the screen, by Element Timing (the frame's presentation
  // time, after layout, paint, raster and display, which the page's own clock cannot see).
  const onScreen = new Map();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) onScreen.set(entry.identifier, entry.renderTime);
  });
  observer.observe({ type: 'element' });
  const times = [];
  for (const line of lines) {
    await new Promise((r) => setTimeout(r, pause));  // the learner reads, then types...
    // ...and presses Enter, timed from the start of a frame: else the phase of the 60 Hz
    // frame (0 to 16.7 ms, at random) would weigh more in the figure than the engine.
    await new Promise((r) => requestAnimationFrame(() => r()));
    const before = log.querySelectorAll('.sim-debtor').length;
    const id = `reply-${times.length}`;
    const t0 = performance.now();
    box.value = line;
    box.form.requestSubmit();
    await new Promise((resolve) => {  // the reply is in the DOM...
      const seen = () => {
        const reply = log.querySelectorAll('.sim-debtor')[before];
        if (reply) reply.setAttribute('elementtiming', id);  // before its first paint
        return Boolean(reply);
      };
      if (seen()) return resolve();
      const watch = new MutationObserver(() => { if (seen()) { watch.disconnect(); resolve(); } });
      watch.observe(log, { childList: true });
    });
    const shown = performance.now() - t0;  // (not rounded up to a frame: the page's own share)
    await new Promise((r) => requestAnimationFrame(() => r()));  // ...and the next frame paints it
    times.push([performance.now() - t0, shown, id, t0]);
    if (box.readOnly) break;
  }
  await new Promise((r) => setTimeout(r, 100));  // the last presentation times
  observer.disconnect();
  return times.map(([painted, shown, id, t0]) => [painted, shown, onScreen.has(id) ? onScreen.get(id) - t0 : null]);
}"""


# At least 50 lines (the issue); 8 calls of 24: over 72 lines, the p95 is the 4th-largest
# value, and it moved between 18.7 and 22.5 ms from one run to the next.
LATENCY_LINES = 192


def time_to_call(page, base, history=None) -> float:
    if page.url.startswith(base):
        page.evaluate("localStorage.clear()")  # no unfinished call to resume: a new one starts
        if history:
            page.evaluate("text => localStorage.setItem('rp:v1:simulateur', text)", history)
    page.goto(f"{base}/simulateur/?scenario={SCENARIO}")
    page.get_by_role("button", name="Commencer l’appel").click()
    handle = page.wait_for_function(USABLE, timeout=120_000, polling="raf")
    return handle.json_value()


@functools.lru_cache(maxsize=None)
def long_history() -> str:
    """The simulator's storage of a learner who practised a lot: ten attempts of every
    scenario, as simulateur.js stores them (rp:v1:simulateur), each with its debrief."""
    from simulator import Session, load_scenario

    scenarios = sorted((ROOT / "exercises" / "appels").glob("*.yml"))
    data = {}
    for path in scenarios:
        attempts = []
        for seed in range(10):
            session = Session(load_scenario(path), seed=seed)
            for line in LINES:
                if session.ended:
                    break
                session.say(line)
            session.hang_up()
            report = session.debrief()
            attempts.append({"date": "2026-11-20T10:00:00.000Z", "seed": seed, "score": report["score"],
                             "debrief": report})
        data[path.stem] = {"best": max(a["score"] for a in attempts), "attempts": attempts}
    return json.dumps(data, ensure_ascii=False)


def time_to_baseline(page, base) -> float:
    page.goto(f"{base}/bench-baseline/")
    return page.wait_for_function("window.__usable || false", timeout=120_000, polling="raf").json_value()


KEPT_COPY = """async () => {
  const copy = await (await caches.open('recouvrement-moteur')).match(
    new URL('pyodide/memoire-python.bin', location.origin + '/').href);
  return Boolean(copy);
}"""


SETTLE_S = 5  # a learner comes back minutes later; both pages get the same few seconds


def settle(page):
    """Let a first visit finish what it does after the call is usable, as a learner would:
    Chromium caches the compiled WebAssembly once it has tiered up (both pages), and the
    simulator stores its copy of Python's memory (docs/assets/engine-snapshot.js)."""
    deadline = time.monotonic() + SETTLE_S
    if "/simulateur/" in page.url:
        for _ in range(100):
            if page.evaluate(KEPT_COPY):
                break
            page.wait_for_timeout(200)
        else:
            print("avertissement : aucune copie mémoire gardée après la première visite", file=sys.stderr)
    page.wait_for_timeout(max(0, deadline - time.monotonic()) * 1000)


def fresh_profile(pw, visit, base, warm=False):
    """Time one visit in a brand-new profile; with warm=True, time the second visit."""
    profile = tempfile.mkdtemp(prefix="bench-profile-")
    try:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = context.new_page()
        elapsed = visit(page, base)
        if warm:  # same profile, HTTP cache filled by the first visit
            settle(page)
            page.evaluate("localStorage.clear()")
            elapsed = visit(context.new_page(), base)
        context.close()
        return elapsed
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def transfer(page_url, pw, wait_for=None) -> dict:
    """Bytes downloaded by one page (and its workers), compressed as served and raw."""
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    context = browser.new_context(service_workers="block")  # the page's own bytes (see wire_visits)
    sizes = []

    def finished(request):
        try:
            s = request.sizes()
        except Exception:  # noqa: BLE001 - a cancelled request has no sizes
            return
        try:
            response = request.response()
            raw = len(response.body()) if response else 0
        except Exception:  # noqa: BLE001 - a body the browser no longer holds: counted as sent
            raw = s["responseBodySize"]
        sizes.append((request.url, s["responseBodySize"] + s["responseHeadersSize"], raw))

    context.on("requestfinished", finished)
    page = context.new_page()
    page.goto(page_url)
    if wait_for:
        wait_for(page)
    page.wait_for_load_state("networkidle")
    time.sleep(0.5)
    browser.close()
    return {"requests": len(sizes), "served_bytes": sum(s[1] for s in sizes),
            "raw_bytes": sum(s[2] for s in sizes),
            "pyodide_bytes": sum(s[1] for s in sizes if "/pyodide/" in s[0])}


KEPT_FOR_OFFLINE = """async ([course, engine]) => {
  if (!navigator.serviceWorker.controller) return false;
  const count = async (name) => (await (await caches.open(name)).keys()).length;
  return await count('recouvrement-cours') >= course && await count('recouvrement-python') >= engine;
}"""


def wire_visits(pw, base, site: Path) -> dict:
    """The simulator page's first visit over the wire (the page; then what the service worker
    keeps in the background), and a second visit offline, to a usable call (bytes downloaded)."""
    from tests.browser.test_offline import precache

    lists = precache(site)
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    context = browser.new_context()
    page_bytes, kept_bytes, failed = [], [], []

    def finished(request):
        try:
            response = request.response()
            if response is None or response.from_service_worker:
                return  # answered from the worker's cache: nothing came over the wire
            sizes = request.sizes()
            size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
            (kept_bytes if request.service_worker else page_bytes).append((request.url, size))
        except Exception:  # noqa: BLE001 - a cancelled request has no body
            pass

    context.on("requestfinished", finished)
    context.on("requestfailed", lambda request: failed.append(request.url))
    page = context.new_page()
    time_to_call(page, base)
    page.wait_for_load_state("networkidle")
    first = {"page_bytes": sum(s for _, s in page_bytes),
             "pyodide_bytes": sum(s for u, s in page_bytes if "/pyodide/" in u)}
    for _ in range(600):  # until the whole course and the engine are kept
        if page.evaluate(KEPT_FOR_OFFLINE, [len(lists["course"]), len(lists["engine"]) + 1]):
            break
        page.wait_for_timeout(200)
    else:
        print("avertissement : le cours n'a pas été entièrement gardé hors connexion", file=sys.stderr)
    page.wait_for_timeout(1000)
    first["kept_bytes"] = sum(s for _, s in kept_bytes)
    first["kept_requests"] = len(kept_bytes)
    settle(page)
    page.evaluate("localStorage.clear()")
    page_bytes.clear()
    kept_bytes.clear()
    failed.clear()
    context.set_offline(True)
    second_page = context.new_page()
    start = time.perf_counter()
    time_to_call(second_page, base)
    offline_ms = (time.perf_counter() - start) * 1000
    second_page.wait_for_timeout(500)
    browser.close()
    return {"first": first, "offline": {"bytes": sum(s for _, s in page_bytes + kept_bytes),
                                        "failed_requests": len(failed), "usable_ms": offline_ms}}


def worker_memory(pw, base) -> dict:
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    page = browser.new_page()
    time_to_call(page, base)
    page.evaluate(LATENCY_JS, [LINES, 0])
    cdp = browser.new_browser_cdp_session()
    targets = cdp.send("Target.getTargets")["targetInfos"]
    worker = next(t for t in targets if t["type"] == "worker" and "engine-worker" in t["url"])
    session_id = cdp.send("Target.attachToTarget", {"targetId": worker["targetId"], "flatten": False})["sessionId"]
    replies = {}
    cdp.on("Target.receivedMessageFromTarget", lambda event: replies.update({json.loads(event["message"]).get("id"): json.loads(event["message"])}))

    def ask(msg_id, method, params=None):
        cdp.send("Target.sendMessageToTarget", {"sessionId": session_id, "message": json.dumps(
            {"id": msg_id, "method": method, "params": params or {}})})
        for _ in range(250):
            if msg_id in replies:
                return replies[msg_id]["result"]
            page.wait_for_timeout(20)  # lets Playwright deliver the CDP events
        raise TimeoutError(method)

    ask(1, "HeapProfiler.collectGarbage")
    heap = ask(2, "Runtime.getHeapUsage")
    wasm = ask(3, "Runtime.evaluate", {"expression": "self.pyodide._module.HEAPU8.byteLength", "returnByValue": True})
    browser.close()
    return {"worker_js_heap_mb": heap["usedSize"] / 2**20, "wasm_memory_mb": wasm["result"]["value"] / 2**20}


def against_site(tmp: Path) -> Path | None:
    """BENCH_AGAINST's site, copied and precompressed like this build's (None when unset)."""
    other = os.environ.get("BENCH_AGAINST")
    if not other:
        return None
    from site_build import compression

    copy = tmp / "against"
    shutil.copytree(other, copy)
    compression.precompress(copy, ROOT / "build" / "cache" / "compressed")
    return copy


def warm_server_cache(site: Path, base: str) -> None:
    """Compress every runtime file once, so that no measured visit pays for the server's gzip."""
    import urllib.request

    for path in (site / "pyodide").iterdir():
        request = urllib.request.Request(f"{base}/pyodide/{path.name}", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            response.read()


def bench_browser(site: Path, against: Path | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    baseline_dir = site / "bench-baseline"
    baseline_dir.mkdir(exist_ok=True)
    (baseline_dir / "index.html").write_text(BASELINE_HTML, encoding="utf-8")
    (baseline_dir / "worker.js").write_text(BASELINE_WORKER, encoding="utf-8")
    server, base = serve(site)
    other_server, other_base = serve(against) if against else (None, None)
    try:
        with sync_playwright() as pw:
            out = {"server": server_kind()}
            warm_server_cache(site, base)
            for label, warm in (("cold", False), ("warm", True)):
                ours, bare, other = [], [], []
                for _ in range(RUNS):  # alternate, so that drift in the machine's load hits both
                    ours.append(fresh_profile(pw, time_to_call, base, warm))
                    bare.append(fresh_profile(pw, time_to_baseline, base, warm))
                    if other_base:
                        other.append(fresh_profile(pw, time_to_call, other_base, warm))
                out[f"call_{label}_ms"] = median(ours)
                out[f"baseline_{label}_ms"] = median(bare)
                out[f"call_{label}_runs_ms"] = [round(t) for t in ours]  # the spread, for the README
                out[f"baseline_{label}_runs_ms"] = [round(t) for t in bare]
                out[f"ratio_{label}"] = median(ours) / median(bare)
                if other:
                    out[f"against_{label}_ms"] = median(other)
                    out[f"against_{label}_runs_ms"] = [round(t) for t in other]
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            # At a learner's pace (a pause before each line: reading and typing take seconds,
            # 0.3 s is already fast), the same for a learner who has practised a lot (every
            # scenario's last ten attempts stored), then back to back from the moment the
            # call is usable, the worst case, which meets the engine's start-up work.
            page.goto(f"{base}/a-propos/")  # a page of the site, for its localStorage
            for label, pause, history in (("", PAUSE_MS, None), ("_history", PAUSE_MS, long_history()),
                                          ("_burst", 0, None)):
                latencies = []
                while len(latencies) < LATENCY_LINES:
                    time_to_call(page, base, history)
                    latencies += page.evaluate(LATENCY_JS, [LINES * 2, pause])[:25]
                painted, shown = [t[0] for t in latencies], [t[1] for t in latencies]
                on_screen = [t[2] for t in latencies if t[2] is not None]
                out[f"reply_browser{label}_p50_ms"] = percentile(painted, 0.5)
                out[f"reply_browser{label}_p95_ms"] = percentile(painted, 0.95)
                out[f"reply_browser{label}_shown_p50_ms"] = percentile(shown, 0.5)
                out[f"reply_browser{label}_shown_p95_ms"] = percentile(shown, 0.95)
                out[f"reply_browser{label}_screen_p50_ms"] = percentile(on_screen, 0.5)
                out[f"reply_browser{label}_screen_p95_ms"] = percentile(on_screen, 0.95)
                out[f"reply_browser{label}_screen_n"] = len(on_screen)
                out[f"reply_browser{label}_n"] = len(latencies)
            out["history_bytes"] = len(long_history().encode())
            out["module_page"] = transfer(f"{base}/modules/08-appel-de-relance/", pw)
            out["simulator_page"] = transfer(
                f"{base}/simulateur/?scenario={SCENARIO}", pw,
                wait_for=lambda p: (p.get_by_role("button", name="Commencer l’appel").click(),
                                    p.wait_for_function(USABLE, timeout=120_000)))
            out["wire"] = wire_visits(pw, base, site)
            if other_base:
                out["against_simulator_page"] = transfer(
                    f"{other_base}/simulateur/?scenario={SCENARIO}", pw,
                    wait_for=lambda p: (p.get_by_role("button", name="Commencer l’appel").click(),
                                        p.wait_for_function(USABLE, timeout=120_000)))
            out.update(worker_memory(pw, base))
            return out
    finally:
        server.shutdown()
        if other_server:
            other_server.shutdown()


# ------------------------------------------------------------------ CPython

def bench_cpython() -> dict:
    from simulator import Session, load_scenario

    scenario = load_scenario(ROOT / "exercises" / "appels" / f"{SCENARIO}.yml")
    times = []
    while len(times) < 200:
        session = Session(scenario, seed=len(times))
        for line in LINES * 2:
            if session.ended:
                break
            t0 = time.perf_counter()
            session.say(line)
            times.append((time.perf_counter() - t0) * 1000)
    session = Session(scenario, seed=0)
    t0 = time.perf_counter()
    session.say("Bonjour, " + "je vous appelle pour la facture " * 320)
    long_line = (time.perf_counter() - t0) * 1000
    return {"reply_cpython_p50_ms": percentile(times, 0.5), "reply_cpython_p95_ms": percentile(times, 0.95),
            "reply_cpython_n": len(times), "long_line_10k_ms": long_line}


# ------------------------------------------------------------------ report

def fmt_kb(n):
    return f"{n / 1024:,.0f} Kio".replace(",", " ")


def fmt_mib(n):
    return f"{n / 2**20:.2f} Mio".replace(".", ",")


def reply(w: dict, label: str) -> str:
    """p50 / p95 at the start of the frame that paints the reply (the target's figure), then
    the reply in the page (before that frame) and on screen (that frame presented)."""
    def figure(name):
        return f"{w[f'reply_browser{label}{name}_p50_ms']:.1f} / {w[f'reply_browser{label}{name}_p95_ms']:.1f} ms"
    return f"{figure('')} (dans la page : {figure('_shown')} ; à l'écran : {figure('_screen')})"


def report(results: dict) -> str:
    b, w, c = results["build"], results["browser"], results["cpython"]
    rows = [
        ("Appel utilisable, à froid", f"{w['call_cold_ms']:.0f} ms", f"Pyodide seul : {w['baseline_cold_ms']:.0f} ms",
         f"× {w['ratio_cold']:.2f}", "≤ × 1,2"),
        ("Appel utilisable, à chaud", f"{w['call_warm_ms']:.0f} ms", f"Pyodide seul : {w['baseline_warm_ms']:.0f} ms",
         f"× {w['ratio_warm']:.2f}", "≤ × 1,2 et < 1 500 ms"),
        ("Réponse (navigateur) p50 / p95", reply(w, ""),
         f"{w['reply_browser_n']} répliques, {PAUSE_MS} ms de pause avant chacune", "", "p95 < 20 ms"),
        ("Réponse (navigateur), avec un long historique", reply(w, "_history"),
         f"{w['reply_browser_history_n']} répliques ; 10 essais par scénario gardés "
         f"({w['history_bytes'] / 1e6:.2f} Mo)", "", "p95 < 20 ms"),
        ("Réponse (navigateur), sans pause dès l'appel utilisable", reply(w, "_burst"),
         f"{w['reply_browser_burst_n']} répliques", "", ""),
        ("Réponse (CPython) p50 / p95", f"{c['reply_cpython_p50_ms']:.2f} / {c['reply_cpython_p95_ms']:.2f} ms",
         f"{c['reply_cpython_n']} répliques", "", "p50 < 2 ms"),
        ("Ligne de 10 000 caractères (CPython)", f"{c['long_line_10k_ms']:.1f} ms", "", "", "< 50 ms"),
        ("Page de module : octets", f"{fmt_kb(w['module_page']['served_bytes'])} (brut {fmt_kb(w['module_page']['raw_bytes'])})",
         f"Pyodide : {w['module_page']['pyodide_bytes']} o", "", "0 octet Pyodide"),
        ("Page simulateur : octets", f"{fmt_kb(w['simulator_page']['served_bytes'])} (brut {fmt_kb(w['simulator_page']['raw_bytes'])})",
         f"dont Pyodide {fmt_kb(w['simulator_page']['pyodide_bytes'])}", "", ""),
        ("Page simulateur, première visite (sur le réseau, " + w.get("server", "") + ")",
         f"{fmt_mib(w['wire']['first']['page_bytes'])}, dont Pyodide {fmt_mib(w['wire']['first']['pyodide_bytes'])}",
         f"puis gardé pour le hors-connexion : {fmt_kb(w['wire']['first']['kept_bytes'])} "
         f"({w['wire']['first']['kept_requests']} requêtes)", "", "≤ 5 Mio"),
        ("Seconde visite hors connexion, jusqu'à l'appel utilisable",
         f"{w['wire']['offline']['bytes']} o téléchargés, {w['wire']['offline']['usable_ms']:.0f} ms",
         f"{w['wire']['offline']['failed_requests']} requête(s) en échec", "", "0 octet"),
        ("Construction du site", f"{b['course_s']:.2f} s (la première : {b.get('course_first_s', 0):.2f} s)",
         f"mkdocs-material seul : {b['plain_s']:.2f} s",
         f"× {b['ratio']:.2f}", "≤ × 1,5"),
        ("Mémoire du worker après un appel", f"tas JS {w['worker_js_heap_mb']:.1f} Mio",
         f"mémoire WebAssembly {w['wasm_memory_mb']:.0f} Mio", "", ""),
    ]
    if "against_cold_ms" in w:
        rows[2:2] = [
            ("Appel utilisable, à froid, contre BENCH_AGAINST", f"{w['call_cold_ms']:.0f} ms",
             f"l'autre construction : {w['against_cold_ms']:.0f} ms", f"× {w['call_cold_ms'] / w['against_cold_ms']:.2f}", ""),
            ("Appel utilisable, à chaud, contre BENCH_AGAINST", f"{w['call_warm_ms']:.0f} ms",
             f"l'autre construction : {w['against_warm_ms']:.0f} ms", f"× {w['call_warm_ms'] / w['against_warm_ms']:.2f}", ""),
            ("Page simulateur de BENCH_AGAINST : octets",
             f"{fmt_kb(w['against_simulator_page']['served_bytes'])} (brut {fmt_kb(w['against_simulator_page']['raw_bytes'])})",
             "", "", ""),
        ]
    lines = ["| mesure | résultat | référence | rapport | cible |", "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> int:
    results = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
               "machine": f"{platform.machine()}, {os.cpu_count()} cœurs, {platform.python_implementation()} "
                          f"{platform.python_version()}", "runs": RUNS}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print("construction…", file=sys.stderr)
        results["build"] = bench_build(tmp)
        print("navigateur…", file=sys.stderr)
        results["browser"] = bench_browser(tmp / "course-0", against_site(tmp))
    print("CPython…", file=sys.stderr)
    results["cpython"] = bench_cpython()
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"Mesures du {results['date']} — {results['machine']} — médiane de {RUNS} essais\n")
    print(report(results))
    print(f"\nJSON : {out / 'latest.json'}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve_here(sys.argv[2])
    else:
        sys.exit(main())
