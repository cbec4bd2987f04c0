// Web Worker that hosts Python (Pyodide) and the `simulator` package, so the
// page never freezes while the runtime loads or while Python answers.
// Protocol (plain JSON objects):
//   page -> worker  {type: "init", pyodideBase}
//                   {id, type: "call", module, fn, args}  args: a JSON string of keyword
//                   arguments for simulator.<module>.<fn>, whose result must be JSON-able
//   worker -> page  {type: "progress", step}   loading feedback
//                   {type: "ready", version, python}
//                   {type: "failed", message}  Pyodide could not start
//                   {id, ok: true, value} | {id, ok: false, message}

let python = null; // the Python helpers, once loaded

// Pyodide only logs a failed WebAssembly start and then waits forever, so the
// runtime files are checked too, to turn a missing file into a clear message.
const RUNTIME_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"];

async function checkRuntime(pyodideBase) {
  const answers = await Promise.all(RUNTIME_FILES.map((name) =>
    fetch(new URL(name, pyodideBase), { method: "HEAD" }).then((r) => (r.ok ? null : name))));
  const missing = answers.filter(Boolean);
  if (missing.length) throw new Error(`fichier introuvable sur le serveur : ${missing.join(", ")}`);
}

async function start(pyodideBase) {
  post({ type: "progress", step: "runtime" });
  // The check runs beside the load, not before it: it only matters when something is missing.
  const checked = checkRuntime(pyodideBase);
  checked.catch(reportStartFailure);
  const { loadPyodide } = await import(new URL("pyodide.mjs", pyodideBase).href);
  // `packages` downloads the simulator wheel while Pyodide boots (same lock file, same
  // sha256 check as pyodide.loadPackage, without waiting for the runtime first).
  const pyodide = await loadPyodide({ indexURL: pyodideBase, packages: ["simulator"] });
  await checked;
  self.pyodide = pyodide; // for diagnostics (bench/run.py reads its memory size)
  post({ type: "progress", step: "package" });
  pyodide.runPython(`
import importlib, json, sys
import simulator

def _call(module, fn, args):
    # Only the simulator package's public functions are reachable from the page.
    if (module != "simulator" and not module.startswith("simulator.")) or fn.startswith("_"):
        raise ValueError(f"fonction interdite : {module}.{fn}")
    result = getattr(importlib.import_module(module), fn)(**json.loads(args))
    return json.dumps(result, ensure_ascii=False)

_info = json.dumps({"version": simulator.__version__,
                    "python": sys.version.split()[0]})
`);
  python = { call: pyodide.globals.get("_call") };
  post({ type: "ready", ...JSON.parse(pyodide.globals.get("_info")) });
}

function post(message) {
  self.postMessage(message);
}

// A broken runtime file makes Emscripten abort inside a promise nobody awaits:
// report it instead of leaving the page on "loading" forever.
function reportStartFailure(reason) {
  if (!python) post({ type: "failed", message: String(reason && reason.message || reason) });
}
self.addEventListener("unhandledrejection", (event) => reportStartFailure(event.reason));
self.addEventListener("error", (event) => reportStartFailure(event.message));
const logError = console.error.bind(console);
console.error = (...args) => {
  logError(...args);
  if (String(args[0]).includes("instantiation failed")) reportStartFailure("WebAssembly n'a pas pu démarrer");
};

self.onmessage = async ({ data }) => {
  if (data.type === "init") {
    try {
      await start(data.pyodideBase);
    } catch (error) {
      post({ type: "failed", message: String(error && error.message || error) });
    }
    return;
  }
  try {
    if (!python) throw new Error("Python n'est pas encore prêt");
    if (data.type === "call") {
      post({ id: data.id, ok: true, value: JSON.parse(python.call(data.module, data.fn, data.args)) });
    } else {
      throw new Error(`message inconnu : ${data.type}`);
    }
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
