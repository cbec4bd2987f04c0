// Web Worker that hosts Python (Pyodide) and the `simulator` package, so the
// page never freezes while the runtime loads or while Python answers.
// It starts Python as soon as it is created: waiting for a message from the page would
// cost up to 0.1 s on a 2-core machine, while the page's main thread lays the page out.
// Protocol (plain JSON objects):
//   page -> worker  {id, type: "call", module, fn, args}  args: a JSON string of keyword
//                   arguments for simulator.<module>.<fn>, whose result must be JSON-able
//   worker -> page  {type: "progress", step, loaded?, total?}   loading feedback: step is
//                   "runtime" (downloading and starting Python), "restore" (from the kept
//                   copy) or "package"; loaded/total: bytes of the runtime's two big files
//                   received so far / announced by the server (0 when it did not say)
//                   {type: "ready", version, python}
//                   {type: "failed", message}  Pyodide could not start
//                   {id, ok: true, value} | {id, ok: false, message}

let phase = "starting"; // starting | restoring (a failure there is not final) | ready | failed

// Python's runtime sits beside this worker's directory (site_build copies it to /pyodide/).
const PYODIDE_BASE = new URL("../pyodide/", import.meta.url).href;

// When the start fails, the runtime files are checked, to name a missing one.
const RUNTIME_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"];

/**
 * The names, among these files of the runtime's directory, that the server does not have.
 * When the server cannot be reached at all, throws the offline error: the runtime is not
 * on this device (the service worker answers only GET requests, from what it kept).
 */
async function missingFiles(names = RUNTIME_FILES) {
  const answers = await Promise.all(names.map((name) =>
    fetch(new URL(name, PYODIDE_BASE), { method: "HEAD", signal: AbortSignal.timeout(5000) })
      .then((r) => (r.ok ? null : name), () => undefined))); // no answer: not known to be missing
  if (answers.every((answer) => answer === undefined)) throw offline();
  return answers.filter(Boolean);
}

function notFound(names) {
  return new Error(`fichier introuvable sur le serveur : ${names.join(", ")}`);
}

// Said to the learner as it is (docs/assets/simulateur.js shows it without blaming the browser).
const OFFLINE = "Vous êtes hors connexion\u00a0: le moteur du simulateur n’a pas encore été enregistré "
  + "sur cet appareil. Ouvrez le simulateur une fois avec une connexion\u00a0: il fonctionnera ensuite "
  + "sans connexion, comme les pages du cours.";

function offline() {
  const error = new Error(OFFLINE);
  error.offline = true;
  return error;
}

/**
 * WebAssembly compiles as it downloads only when the server says "application/wasm". Some
 * servers do not know the type: an LMS (Moodle) serves the SCORM package's .wasm as
 * "document/unknown", which the browser refuses for WebAssembly. The bytes are the same:
 * they are handed on with their type.
 */
function wasmTyped(response, url = response.url) {
  const type = response.headers.get("Content-Type") || "";
  if (!response.ok || !url || !new URL(url).pathname.endsWith(".wasm") || type.startsWith("application/wasm")) {
    return response;
  }
  return new Response(response.body, {
    status: response.status, statusText: response.statusText, headers: { "Content-Type": "application/wasm" },
  });
}

/**
 * Pyodide fetches its WebAssembly and its standard library once loadPyodide runs, after
 * its own modules and the lookup of a kept copy. They are asked for as soon as the worker
 * starts instead (about 0.15 s sooner on a 2-core machine, by `make bench`), and Pyodide's
 * own fetch of each gets the answer already on its way. Both paths, boot and restore, use them.
 */
function fetchEarly(names) {
  const early = new Map(names.map((name) => {
    const url = new URL(name, PYODIDE_BASE).href;
    // Counted for the progress bar, typed for a server that does not know .wasm (an LMS).
    const answer = fetch(url).then((response) => wasmTyped(counted(response), response.url));
    answer.catch(() => {}); // Pyodide gets the failure, if any, and reports it
    return [url, answer];
  }));
  const fetchNow = self.fetch;
  self.fetch = (resource, options) => {
    const url = String(resource); // Pyodide passes a URL object and no method
    const answer = !options?.method && early.get(url);
    if (!answer) return fetchNow(resource, options);
    early.delete(url); // a response is read once
    return answer;
  };
}

// The download of the runtime's two big files, told to the page for its progress bar
// (a few messages a second at most; nothing of this runs once Python is ready).
const download = { loaded: 0, total: 0, told: 0, step: "runtime" };

function tellDownload(force = false) {
  const now = performance.now();
  if (!force && now - download.told < 150) return;
  download.told = now;
  post({ type: "progress", step: download.step, loaded: download.loaded, total: download.total });
}

/** The same response, its bytes counted as they arrive (the headers, status and type kept). */
function counted(response) {
  if (!response.ok || !response.body) return response;
  download.total += Number(response.headers.get("Content-Length")) || 0;
  const body = response.body.pipeThrough(new TransformStream({
    transform(chunk, stream) {
      download.loaded += chunk.byteLength;
      tellDownload();
      stream.enqueue(chunk);
    },
    flush() { tellDownload(true); },
  }));
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

// Python code run once per boot, before the memory snapshot is taken: every module of
// the package is imported, because a restored snapshot has the modules in memory but
// not the wheel's files on disk.
const PRELUDE = `
import importlib, json, os, sys
import simulator
for _file in sorted(os.listdir(simulator.__path__[0])):  # pkgutil would import inspect: 10 ms
    if _file.endswith(".py") and _file != "__init__.py":
        importlib.import_module("simulator." + _file[:-3])

def _call(module, fn, args):
    # Only the simulator package's public functions are reachable from the page.
    if (module != "simulator" and not module.startswith("simulator.")) or fn.startswith("_"):
        raise ValueError(f"fonction interdite : {module}.{fn}")
    result = getattr(importlib.import_module(module), fn)(**json.loads(args))
    return json.dumps(result, ensure_ascii=False)

_info = json.dumps({"version": simulator.__version__,
                    "python": sys.version.split()[0]})
`;

// The simulator's wheel is unpacked by Python's zipfile: pyodide.loadPackage would do the
// same after importing its own machinery, 0.1 s more on a 2-core machine (by `make bench`).
const WHEEL_PATH = "/tmp/simulator.whl";
const INSTALL = `
import sys, zipfile
with zipfile.ZipFile("${WHEEL_PATH}") as _wheel:
    _wheel.extractall(next(path for path in sys.path if path.endswith("site-packages")))
import importlib
importlib.invalidate_caches()  # the import system may have listed site-packages already
`;

/** The wheel named by the lock file, checked against its sha256 as Pyodide would. */
async function fetchWheel(lockFile) {
  const { file_name: name, sha256 } = JSON.parse(await lockFile).packages.simulator;
  const url = new URL(name, PYODIDE_BASE);
  const digest = String.fromCharCode(...sha256.match(/../g).map((byte) => parseInt(byte, 16)));
  try {
    const response = await fetch(url, { integrity: `sha256-${btoa(digest)}` });
    if (response.ok) return new Uint8Array(await response.arrayBuffer());
  } catch {
    // a body that does not match its sha256 (or a network failure): told apart below
  }
  if ((await missingFiles([name])).length) throw notFound([name]);
  throw new Error(`fichier altéré sur le serveur (sha256) : ${name}`);
}

async function start() {
  post({ type: "progress", step: "runtime" });
  fetchEarly(["pyodide.asm.wasm", "python_stdlib.zip"]);
  // Fetched once here: it is handed to Pyodide, and it tells whether a kept copy is current.
  // Without it Python cannot start: that is reported (the page then stops this worker),
  // and what waits for it just waits, so no rejection is left unhandled downstream.
  const fetched = fetch(new URL("pyodide-lock.json", PYODIDE_BASE)).then((r) => (r.ok ? r.text()
    : Promise.reject(notFound(["pyodide-lock.json"]))));
  fetched.catch(reportFatal);
  const lockFile = fetched.catch(() => new Promise(() => {}));
  // What a kept copy of Python's memory must match: the packages, and the prelude it ran.
  const identity = lockFile.then((text) => `${text}\n${PRELUDE}`);
  // The modules load side by side (a static import would delay the worker's start); the
  // kept copy is looked up as soon as its module is there. Pyodide's runtime module
  // (1.2 MB of JavaScript) is fetched and parsed now too: loadPyodide imports it later,
  // and then finds it loaded.
  const runtime = import(new URL("pyodide.asm.mjs", PYODIDE_BASE).href);
  runtime.catch(() => {}); // loadPyodide meets the failure, if any, and it is reported then
  const shelfFound = import("./engine-snapshot.js").then(({ snapshotShelf }) => snapshotShelf(PYODIDE_BASE));
  const { loadPyodide } = await import(new URL("pyodide.mjs", PYODIDE_BASE).href);
  const shelf = await shelfFound;
  // Pyodide takes the lock file as a promise: nothing waits for it here.
  const options = { indexURL: PYODIDE_BASE, lockFileContents: lockFile, packageBaseUrl: PYODIDE_BASE };
  let pyodide = shelf && await restore(loadPyodide, options, shelf, identity);
  const restored = Boolean(pyodide);
  let memory = null;
  if (!pyodide) {
    const wheel = fetchWheel(lockFile); // downloaded while Python boots
    wheel.catch(() => {}); // reported below, once Python is there to take it
    pyodide = await loadPyodide({ ...options, _makeSnapshot: Boolean(shelf) });
    post({ type: "progress", step: "package" });
    pyodide.FS.writeFile(WHEEL_PATH, await wheel);
    pyodide.runPython(INSTALL);
    pyodide.FS.unlink(WHEEL_PATH);
    pyodide.runPython(PRELUDE);
    memory = shelf && takeSnapshot(pyodide);
  }
  phase = "ready";
  self.pyodide = pyodide; // for diagnostics (bench/run.py reads its memory size)
  post({ type: "ready", ...JSON.parse(pyodide.globals.get("_info")) });
  warmUp(pyodide, restored ? shelf : null);
  if (memory) {
    const key = await identity;
    whenQuiet(() => shelf.save(memory, key)
      .catch((error) => console.warn("copie mémoire du moteur non enregistrée :", error)));
  }
  return { call: pyodide.globals.get("_call") };
}

// The copy is written once the call is on screen and the learner is between two lines:
// writing 17 MB while Python answers would slow the answer.
const SAVE_DELAY = 3000; // ms after "ready", at the earliest
const QUIET = 1000; // ms without a call
const SAVE_LATEST = 60_000; // ms after "ready": written then, quiet or not
let lastCall = 0;

function whenQuiet(job) {
  const started = performance.now();
  const check = () => {
    const now = performance.now();
    if (now - lastCall >= QUIET || now - started >= SAVE_LATEST) job();
    else setTimeout(check, QUIET / 2);
  };
  setTimeout(check, SAVE_DELAY);
}

const RESTORE_LIMIT = 20_000; // ms: a restore that hangs gives way to a normal boot

/**
 * Once "ready" is sent, while the learner reads the debtor's first line: the patterns
 * are compiled and typical lines run once (simulator.web.warm_up), in small steps, after
 * the calls already waiting. Else the first reply would wait for them.
 * `restoredFrom`: the shelf of a restored copy, forgotten if the warm-up fails on it.
 */
function warmUp(pyodide, restoredFrom) {
  const step = () => {
    try {
      if (!pyodide.runPython("simulator.web.warm_up(1)")) setTimeout(step, 0);
    } catch (error) {
      console.warn("préchauffage du moteur impossible :", error);
      if (restoredFrom) restoredFrom.forget().catch(() => {}); // the next visit boots normally
    }
  };
  setTimeout(step, 0);
}

// While a copy is restored, a failure of the start ends the restore at once (set by restore).
let failRestore = () => {};

/**
 * Python from the kept copy of its memory, or null (none, or unusable: then forgotten).
 * Throws when the runtime itself is missing from the server: a normal start would fail too.
 */
async function restore(loadPyodide, options, shelf, identity) {
  try {
    const copy = await shelf.find(identity);
    if (!copy) return null;
    phase = "restoring";
    download.step = "restore"; // downloads nothing new: the page says so
    tellDownload(true);
    const troubled = new Promise((_, reject) => { failRestore = reject; });
    const restored = loadPyodide({ ...options, _loadSnapshot: once(copy.memory) }).then((pyodide) => {
      // The prelude's names and the package are there, or the copy is not ours.
      pyodide.runPython("_call, _info, simulator.web.warm_up");
      return pyodide;
    });
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error("trop long")), RESTORE_LIMIT));
    return await Promise.race([restored, late, troubled]);
  } catch (error) {
    const missing = await missingFiles(); // offline: throws, and the copy is kept
    if (missing.length) throw notFound(missing);
    console.warn("copie mémoire du moteur inutilisable, démarrage normal :", error);
    await shelf.forget().catch(() => {});
    download.step = "runtime";
    return null;
  } finally {
    failRestore = () => {};
    if (phase === "restoring") phase = "starting";
  }
}

/**
 * The copy as a promise Pyodide can read once: Pyodide keeps its options for the whole
 * session, and a plain promise would keep the copy's 31 MB alive with them.
 */
function once(promise) {
  return { then: (resolve, reject) => { const p = promise; promise = null; return p.then(resolve, reject); } };
}

/** A copy of Python's memory right after the prelude, before any call changed it. */
function takeSnapshot(pyodide) {
  try {
    return pyodide.makeMemorySnapshot();
  } catch (error) {
    console.warn("copie mémoire du moteur impossible :", error); // the next visit boots normally
    return null;
  }
}

function post(message) {
  self.postMessage(message);
}

// A broken runtime file makes Emscripten abort inside a promise nobody awaits:
// report it instead of leaving the page on "loading" forever.
function reportStartFailure(reason) {
  if (phase === "restoring") failRestore(reason); // not final: a normal start follows
  else if (phase === "starting") reportFatal(reason);
}
let failureReported = false;
let told; // resolves with the start's failure, as the page was told it
const startFailure = new Promise((resolve) => { told = resolve; });
async function reportFatal(reason) {
  if (phase === "ready" || failureReported) return;
  failureReported = true; // said once: the page stops this worker
  let error = reason?.offline ? reason : null;
  if (!error) {
    try {
      const missing = await missingFiles();
      error = missing.length ? notFound(missing) : reason;
    } catch (unreached) {
      error = unreached;
    }
  }
  if (phase === "ready") return; // a late echo of a given-up restore: the start went through
  phase = "failed";
  post({ type: "failed", message: String(error?.message ?? error), offline: Boolean(error?.offline) });
  told(error);
}
for (const type of ["unhandledrejection", "error"]) {
  self.addEventListener(type, (event) => {
    if (phase === "ready") return; // a call's own error, answered to that call
    event.preventDefault(); // reported to the page as a failed start, not as a script error
    reportStartFailure(event.reason ?? event.message);
  });
}
// Pyodide reports a failed WebAssembly start on the console only (error or warning,
// depending on the version), then waits forever.
for (const level of ["error", "warn"]) {
  const log = console[level].bind(console);
  console[level] = (...args) => {
    log(...args);
    if (String(args[0]).includes("instantiation failed")) reportStartFailure("WebAssembly n’a pas pu démarrer");
  };
}

const python = start(); // a promise of the Python helpers
python.catch(reportFatal);

self.onmessage = async ({ data }) => {
  try {
    if (data.type !== "call") throw new Error(`message inconnu : ${data.type}`);
    // A call sent while Python starts waits here, so the page need not wait for "ready"
    // before sending it; calls keep their order.
    // A failed start answers every call with what the page was told (offline, a missing file).
    const { call } = await python.catch(() => startFailure.then((error) => { throw error; }));
    lastCall = performance.now();
    post({ id: data.id, ok: true, value: JSON.parse(call(data.module, data.fn, data.args)) });
  } catch (error) {
    post({ id: data.id, ok: false, message: lastLine(error) });
  }
};

// A Python traceback is for developers; the page shows its last line.
function lastLine(error) {
  const text = String(error && error.message || error).trim();
  console.error(text);
  return text.split("\n").pop();
}
