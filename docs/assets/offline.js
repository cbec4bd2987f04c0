// Offline use and updates, on every page: registers the course's service worker (/sw.js,
// written by site_build/offline.py, which also puts this script in every page's <head>),
// offers "Nouvelle version disponible — Recharger" when a new build is ready, and draws the
// "Disponible hors connexion" box where a page has <div data-rp-hors-ligne></div>.
//
// A build made with COURS_HORS_LIGNE=non (a SCORM package) has neither the worker nor this
// script in its pages.

const SITE = new URL("../", import.meta.url);
const WORKER = new URL("sw.js", SITE);
const sw = navigator.serviceWorker;

const state = {
  registration: null,
  info: null,          // the worker's last {type: "etat"} answer
  progress: null,      // {done, total} while the engine is being kept
  error: null,
  box: null,
  reloadAsked: false,
  controlled: Boolean(sw && sw.controller),
};

if (sw && window.isSecureContext) start();

async function start() {
  sw.addEventListener("message", ({ data }) => receive(data));
  sw.addEventListener("controllerchange", onControllerChange);
  watchPages();
  await quietMoment();
  try {
    state.registration = await sw.register(WORKER, { scope: SITE.href, updateViaCache: "none" });
  } catch (error) {
    console.warn("travail hors connexion indisponible :", error);
    return;
  }
  if (!state.registration) return; // service workers turned off (a browser setting, automation)
  watchUpdates(state.registration);
  await sw.ready;
  ask({ type: "etat" });
  if (window.__engineWorker) ask({ type: "moteur" }); // the engine started before the worker was there
}

/**
 * Registering the worker downloads the course (about 1 MB) in the background: not while
 * Python starts on the simulator page (it would slow the call), nor before the page is loaded.
 */
function quietMoment() {
  const loaded = document.readyState === "complete" ? Promise.resolve()
    : new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
  const engine = window.__engineWorker;
  const engineDone = !engine ? Promise.resolve() : new Promise((resolve) => {
    engine.addEventListener("message", ({ data }) => {
      if (data && (data.type === "ready" || data.type === "failed")) resolve();
    });
    setTimeout(resolve, 30_000);
  });
  return Promise.all([loaded, engineDone]).then(() => new Promise((resolve) => setTimeout(resolve, 1000)));
}

function ask(message) {
  const worker = sw.controller || state.registration?.active;
  if (worker) worker.postMessage(message);
}

function receive(data) {
  if (!data || typeof data !== "object") return;
  if (data.type === "etat") {
    state.info = data;
    if (data.engine.kept === data.engine.files) state.progress = null;
  } else if (data.type === "progression" && data.group === "engine") {
    state.progress = { done: data.done, total: data.total };
    state.error = null;
  } else if (data.type === "erreur") {
    state.progress = null;
    state.error = data.message;
  } else {
    return;
  }
  drawBox();
}

// ------------------------------------------------------------------ updates

function watchUpdates(registration) {
  const offer = () => {
    if (registration.waiting && sw.controller) offerReload(registration.waiting);
  };
  offer();
  registration.addEventListener("updatefound", () => {
    const incoming = registration.installing;
    incoming?.addEventListener("statechange", () => {
      if (incoming.state === "installed") offer();
    });
  });
}

function onControllerChange() {
  const wasControlled = state.controlled;
  state.controlled = true;
  if (!wasControlled) return; // the first visit: the worker has just taken this page in hand
  // A new version is active: this page's scripts are the old one's. Reload now if the
  // learner asked, or cannot see the page; otherwise say so and let them choose the moment.
  if (state.reloadAsked || document.hidden) window.location.reload();
  else offerReload(null);
}

function offerReload(waiting) {
  if (document.querySelector(".rp-update")) return;
  loadStyles();
  const button = element("button", { type: "button", class: "rp-update__button" }, "Recharger");
  const bar = element("div", { class: "rp-update", role: "status" },
    element("span", {}, "Nouvelle version disponible — "), button);
  button.addEventListener("click", () => {
    button.disabled = true;
    state.reloadAsked = true;
    if (waiting && waiting.state === "installed") {
      waiting.postMessage({ type: "recharger" }); // its activation reloads the page (controllerchange)
      setTimeout(() => window.location.reload(), 3000);
    } else {
      window.location.reload();
    }
  });
  document.body.append(bar);
}

/** Instant navigation changes pages without a load: look for a new version now and then. */
function watchPages() {
  let last = Date.now();
  const check = () => {
    if (state.registration && Date.now() - last > 60_000) {
      last = Date.now();
      state.registration.update().catch(() => {});
    }
    drawBox();
    if (window.__engineWorker && state.info && !state.info.engine.wished) ask({ type: "moteur" });
  };
  if (window.document$) window.document$.subscribe(check);
}

// ------------------------------------------------------------------ the "Disponible hors connexion" box

function megabytes(bytes) {
  return `${(bytes / 1e6).toLocaleString("fr-FR", { maximumFractionDigits: 1, minimumFractionDigits: 1 })}\u00a0Mo`;
}

function drawBox() {
  const host = document.querySelector("[data-rp-hors-ligne]");
  if (!host || !state.info) return;
  const { course, engine } = state.info;
  const drawn = JSON.stringify([course.kept === course.files, engine, state.progress, state.error]);
  if (host.dataset.drawn === drawn) return; // unchanged: the button keeps its focus
  host.dataset.drawn = drawn;
  loadStyles();
  const courseText = course.kept === course.files
    ? "Les pages du cours sont enregistrées sur cet appareil\u00a0: elles s’ouvrent aussi sans connexion."
    : "Les pages du cours s’enregistrent sur cet appareil…";
  const parts = [element("h2", { id: "disponible-hors-connexion" }, "Disponible hors connexion"),
    element("p", {}, courseText)];
  if (engine.kept === engine.files) {
    parts.push(element("p", { class: "rp-offline__done" },
      "Le simulateur d’appel est enregistré\u00a0: un appel et l’analyse des textes fonctionnent aussi sans connexion."));
  } else if (state.progress) {
    const { done, total } = state.progress;
    parts.push(element("p", {}, `Enregistrement du simulateur\u00a0: ${megabytes(done)} sur ${megabytes(total)}…`),
      element("progress", { max: String(total), value: String(done), "aria-label": "Enregistrement du simulateur" }));
  } else {
    const size = megabytes(engine.bytes);
    parts.push(element("p", {}, "Le simulateur d’appel a besoin en plus de son moteur Python "
      + `(${size}). Il s’enregistre à votre première visite du simulateur, ou dès maintenant\u00a0:`));
    if (state.error) {
      parts.push(element("p", { class: "rp-offline__error" },
        "L’enregistrement n’a pas abouti (connexion interrompue\u00a0?). Réessayez quand vous serez connecté."));
    }
    const button = element("button", { type: "button", class: "md-button" },
      `Rendre le simulateur disponible hors connexion (${size})`);
    button.addEventListener("click", () => {
      state.progress = { done: 0, total: engine.bytes };
      state.error = null;
      ask({ type: "moteur" });
      drawBox();
    });
    parts.push(button);
  }
  const focused = host.contains(document.activeElement) ? document.activeElement : null;
  let box = host.querySelector(".rp-offline");
  if (!box) {
    box = element("section", { class: "rp-offline", "aria-labelledby": "disponible-hors-connexion" });
    host.append(box);
  }
  box.replaceChildren(...parts);
  if (focused && !focused.isConnected) { // the button went: keep keyboard users in the box
    const heading = box.querySelector("h2");
    heading.tabIndex = -1;
    heading.focus();
  }
  const live = host.querySelector(".rp-offline__live") || host.appendChild(
    element("p", { class: "rp-offline__live", role: "status" }));
  const said = engine.kept === engine.files ? "Le simulateur est disponible hors connexion." : "";
  if (live.textContent !== said) live.textContent = said;
}

// ------------------------------------------------------------------ helpers

function element(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

function loadStyles() {
  if (document.querySelector("link[data-rp-offline]")) return;
  const link = element("link", { rel: "stylesheet", href: new URL("hors-ligne.css", import.meta.url).href,
                                 "data-rp-offline": "" });
  document.head.append(link);
}
