// The Python engine of the site: one shared Web Worker running Pyodide and the
// `simulator` package. Started on demand (the simulator page, or an exercise
// whose answer is checked by Python); pages that never ask download nothing.
// Instant navigation keeps this module alive, so the worker is reused.

const engine = {
  worker: null,
  state: "idle", // idle | loading | ready | failed
  info: null,
  listeners: new Set(),
  pending: new Map(),
  nextId: 1,
};

const CALL_TIMEOUT = 30_000; // ms: Python answers in milliseconds once started

/** Start the worker once; later calls do nothing (after a failure, they try again). */
export function startEngine() {
  if (engine.worker) return;
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    setState("failed", { message: "ce navigateur ne gère pas WebAssembly" });
    return;
  }
  // The simulator page may have started the worker already from its <head>
  // (overrides/main.html), a few hundred milliseconds before this module runs;
  // its early messages were kept in a queue.
  const early = window.__engineWorker;
  engine.worker = early || new Worker(new URL("engine-worker.js", import.meta.url), { type: "module" });
  const receive = ({ data }) => {
    if (data.type === "progress") setState("loading", { step: data.step, loaded: data.loaded, total: data.total });
    else if (data.type === "ready") setState("ready", data);
    else if (data.type === "failed") setState("failed", data);
    else settle(data);
  };
  engine.worker.onmessage = receive;
  window.__engineWorker = engine.worker; // so the page's inline starter never makes a second one
  engine.worker.onerror = (event) => {
    event.preventDefault();
    setState("failed", navigator.onLine ? { message: event.message || "le moteur n’a pas pu démarrer" }
      : { message: "Vous êtes hors connexion\u00a0: le moteur du simulateur n’a pas pu être chargé.", offline: true });
  };
  setState("loading", { step: "runtime" });
  if (early) {
    for (const data of window.__engineEarlyMessages || []) receive({ data });
    window.__engineEarlyMessages = null;
  }
}

function setState(state, info) {
  engine.state = state;
  engine.info = info;
  if (state === "failed") {
    // Nothing will answer any more: release every waiting request, and let the next
    // startEngine() (a new page, a new click) try with a fresh worker.
    for (const request of engine.pending.values()) request.reject(new Error(info.message));
    engine.pending.clear();
    if (engine.worker) engine.worker.terminate();
    engine.worker = null;
    window.__engineWorker = null;
  }
  for (const listener of [...engine.listeners]) listener(state, info);
}

function settle({ id, ok, value, message }) {
  const request = engine.pending.get(id);
  if (!request) return;
  engine.pending.delete(id);
  ok ? request.resolve(value) : request.reject(new Error(message));
}

/**
 * Follow the engine's state: listener(state, info) is called now and on each change.
 * Returns a function that stops listening.
 */
export function watchEngine(listener) {
  engine.listeners.add(listener);
  listener(engine.state, engine.info);
  return () => engine.listeners.delete(listener);
}

/** Resolve when the engine is ready (starting it if needed); reject if it cannot start. */
export function engineReady() {
  startEngine();
  return new Promise((resolve, reject) => {
    const listener = (state, info) => {
      if (state === "ready") resolve(info);
      else if (state === "failed") reject(new Error(info.message));
      else return;
      engine.listeners.delete(listener);
    };
    watchEngine(listener);
  });
}

/**
 * Call a function of the `simulator` package in the worker, with JSON arguments:
 * callPython("simulator.dates", "parse_date", {text: "demain"}) -> its JSON result.
 */
export async function callPython(module, fn, args = {}) {
  startEngine();
  if (!engine.worker) await engineReady(); // no worker to talk to: rejects with the reason
  const id = engine.nextId++;
  return new Promise((resolve, reject) => {
    let timer = null;
    const done = (fn) => (value) => { clearTimeout(timer); fn(value); };
    engine.pending.set(id, { resolve: done(resolve), reject: done(reject) });
    // Sent at once, even while Python starts: the worker queues it, which spares a
    // round trip to the page once it is ready. The time limit counts from "ready".
    engine.worker.postMessage({ id, type: "call", module, fn, args: JSON.stringify(args) });
    engineReady().then(() => {
      if (!engine.pending.has(id)) return;
      timer = setTimeout(() => {
        engine.pending.delete(id);
        reject(new Error("le moteur ne répond plus"));
      }, CALL_TIMEOUT);
    }, () => {}); // a failed start rejects every pending call (setState)
  });
}
