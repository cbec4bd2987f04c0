// Page side of the simulator: starts one shared Web Worker (Pyodide + the
// `simulator` package) when a page holds a simulator, shows its loading state,
// and talks to it with small JSON messages. All dialogue logic is Python.
// Loaded on every page; pages without a simulator download nothing more.

const PYODIDE_BASE = new URL("../pyodide/", import.meta.url).href;
const STEPS = {
  runtime: "Chargement de Python dans votre navigateur…",
  package: "Chargement du moteur du simulateur…",
};

// One worker for the whole visit: instant navigation keeps this module alive,
// so coming back to the simulator reuses the Python already loaded.
const engine = {
  worker: null,
  state: "idle", // idle | loading | ready | failed
  info: null,
  listeners: new Set(),
  pending: new Map(),
  nextId: 1,
};

function startEngine() {
  if (engine.worker) return;
  if (typeof WebAssembly !== "object") {
    setState("failed", { message: "Ce navigateur ne gère pas WebAssembly." });
    return;
  }
  engine.worker = new Worker(new URL("simulateur-worker.js", import.meta.url), { type: "module" });
  engine.worker.onmessage = ({ data }) => {
    if (data.type === "progress") setState("loading", { step: data.step });
    else if (data.type === "ready") setState("ready", data);
    else if (data.type === "failed") setState("failed", data);
    else settle(data);
  };
  engine.worker.onerror = (event) => {
    event.preventDefault();
    setState("failed", { message: event.message || "le moteur n'a pas pu démarrer" });
  };
  setState("loading", { step: "runtime" });
  engine.worker.postMessage({ type: "init", pyodideBase: PYODIDE_BASE });
}

function setState(state, info) {
  engine.state = state;
  engine.info = info;
  for (const listener of engine.listeners) listener(state, info);
}

function settle({ id, ok, value, message }) {
  const request = engine.pending.get(id);
  if (!request) return;
  engine.pending.delete(id);
  ok ? request.resolve(value) : request.reject(new Error(message));
}

/** Ask the worker something; resolves with its answer. */
export function ask(type, payload = {}) {
  const id = engine.nextId++;
  return new Promise((resolve, reject) => {
    engine.pending.set(id, { resolve, reject });
    engine.worker.postMessage({ id, type, ...payload });
  });
}

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text; // learner text is never parsed as HTML
  return node;
}

const PRECISION = {
  exact: "Date exacte",
  range: "Période (pas encore un jour précis)",
  vague: "Réponse floue : pas de date utilisable",
  none: "Aucune date dans cette phrase",
};

function formatDay(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d).toLocaleDateString("fr-FR", {
    weekday: "long", day: "numeric", month: "long", year: "numeric",
  });
}

function describe(result) {
  let text = PRECISION[result.precision] || result.precision;
  if (result.precision === "exact") text += ` : ${formatDay(result.start)}`;
  else if (result.precision === "range" && result.end) text += ` : au plus tard le ${formatDay(result.end)}`;
  if (result.time) text += ` à ${result.time.replace(":", " h ")}`;
  return text;
}

/** Until the call screen arrives: a date tester that runs Python's parse_date. */
function renderReady(root, info) {
  const box = el("div", { class: "sim-ready" });
  box.append(el("p", { class: "sim-version" },
    `Simulateur prêt (moteur ${info.version}, Python ${info.python}).`));
  const form = el("form", { class: "sim-dates" });
  const label = el("label", { for: "sim-dates-input" }, "Testez une promesse de paiement :");
  const input = el("input", {
    id: "sim-dates-input", type: "text", maxlength: "500", autocomplete: "off",
    placeholder: "Ex. : je vous fais le virement jeudi à midi",
  });
  const button = el("button", { type: "submit", class: "md-button md-button--primary" }, "Analyser");
  const output = el("p", { class: "sim-dates-result", role: "status", "aria-live": "polite" });
  form.append(label, input, button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      output.textContent = describe(await ask("dates", { text: input.value, today: root.dataset.today }));
    } catch (error) {
      output.textContent = `Analyse impossible : ${error.message}`;
    }
  });
  box.append(form, output);
  root.replaceChildren(box);
}

function mount() {
  const root = document.getElementById("simulateur");
  if (!root || root.dataset.mounted) return;
  root.dataset.mounted = "true";
  const status = root.querySelector(".sim-status") || root.appendChild(el("p", { class: "sim-status", role: "status" }));
  const show = (state, info) => {
    if (!root.isConnected) return engine.listeners.delete(show);
    root.dataset.state = state;
    if (state === "loading") {
      status.textContent = STEPS[info.step] || STEPS.runtime;
      status.classList.add("sim-loading");
    } else if (state === "ready") {
      engine.listeners.delete(show);
      renderReady(root, info);
    } else if (state === "failed") {
      engine.listeners.delete(show);
      status.classList.remove("sim-loading");
      status.textContent = "Le simulateur n'a pas pu démarrer dans ce navigateur "
        + `(${info.message}). Essayez une version récente de Firefox, Chrome, Edge ou Safari, `
        + "puis rechargez la page. Le reste du cours fonctionne normalement.";
    }
  };
  engine.listeners.add(show);
  startEngine();
  show(engine.state, engine.info || { step: "runtime" });
}

// mkdocs-material's instant navigation swaps pages without reloading scripts:
// `document$` emits on every page, including the first.
if (window.document$) window.document$.subscribe(mount);
else document.addEventListener("DOMContentLoaded", mount);
