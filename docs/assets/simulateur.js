// The simulator page: scenario picker, briefing, call screen, debrief.
// All dialogue logic is Python (simulator.web, in the shared engine worker);
// this file only draws what Python answers and keeps the attempts.

import { h as el, svg } from "./dom.js";
import { callPython, startEngine, watchEngine } from "./engine.js";
// Unreadable storage is reset by progress.js and announced site-wide by exercices.js.
import { PASS_MARK, callSucceeded, loadCall, loadSimulator, onCallChangedElsewhere, saveCall, saveSimulator }
  from "./progress.js";

const MAX_CHARS = 500;
const MAX_ATTEMPTS = 10;
// A call succeeds from this score when the debrief does not say (older engines).
// A short pause before the debtor answers feels like a call; none under automation.
const TYPING_DELAY = navigator.webdriver ? 0 : 650;
// What Python's two big files weigh once compressed, when the server does not say it.
const RUNTIME_BYTES = 7_000_000;

const LEVELS = { facile: "Facile", moyen: "Intermédiaire", difficile: "Difficile" };
const ACTIONS = {
  virement: "Faire un virement",
  cheque: "Envoyer un chèque",
  carte: "Payer par carte",
  prelevement: "Autoriser un prélèvement",
  especes: "Payer en espèces",
  echeancier: "Payer en plusieurs fois",
  rappel: "Rappeler avec une réponse",
};
const METHODS = {
  virement: "Virement", cheque: "Chèque", carte: "Carte bancaire",
  prelevement: "Prélèvement", especes: "Espèces",
};
// Short labels, for debriefs that carry none (engines before December 2026).
const CRITERIA = {
  commitment: "Un engagement clair",
  exact_date: "Une date exacte",
  amount: "Le montant",
  payment_method: "Le moyen de paiement",
  no_vague_accepted: "Aucune réponse floue acceptée",
  professional_tone: "Un ton professionnel",
  questions: "Des questions et de l’écoute",
  recap: "Un récapitulatif avant de raccrocher",
  follow_up: "Un suivi écrit annoncé",
  opening: "Une bonne ouverture",
  cheque_details: "Les détails du chèque",
  first_payment: "Un premier versement rapide",
  documents: "Les documents renvoyés",
  callback_time: "Une heure de rappel précise",
  deescalation: "La tension apaisée",
};
// A better phrase per criterion, for debriefs that carry none ({invoice}, {amount}: this call's).
const BETTER = {
  commitment: "Concrètement, qu’allez-vous faire pour régler cette facture : un virement, un chèque ?",
  exact_date: "Quel jour exactement le paiement partira-t-il ?",
  amount: "Nous parlons bien de la totalité de la facture, {amount} ?",
  payment_method: "Par quel moyen allez-vous régler : virement ou chèque ?",
  no_vague_accepted: "« Bientôt », ce n’est pas encore une date : quel jour précisément ?",
  professional_tone: "Je comprends que ce soit compliqué ; cherchons ensemble une solution.",
  questions: "Que se passe-t-il de votre côté avec cette facture ?",
  recap: "Si je récapitule : vous réglez {amount} par virement le [jour], c’est bien cela ?",
  follow_up: "Je vous envoie un e-mail récapitulatif dans la journée.",
  opening: "Bonjour, [votre nom], de [votre entreprise]. Je vous appelle au sujet de la facture {invoice}.",
  cheque_details: "Quel est le numéro du chèque, et quel jour l’avez-vous posté ?",
  first_payment: "Pouvez-vous faire un premier versement dès cette semaine ?",
  documents: "Je vous renvoie la facture et le bon de livraison signé aujourd’hui même.",
  callback_time: "À quelle heure précise puis-je vous rappeler ?",
  deescalation: "Je comprends votre agacement ; voyons ensemble comment régler cela.",
};
// Chips: a starter phrase the learner completes, and why it helps.
const CHIPS = [
  ["Question ouverte", "Que se passe-t-il de votre côté avec cette facture ?",
    "Demandez au client ce qui se passe de son côté, sans lui souffler la réponse."],
  ["Date précise", "Quel jour exactement pouvez-vous faire le paiement ?",
    "Un jour du calendrier, pas « bientôt » ni « la semaine prochaine »."],
  ["Moyen de paiement", "Par quel moyen allez-vous régler : virement ou chèque ?",
    "Virement, chèque, carte… et, pour un chèque, son numéro et sa date d’envoi."],
  ["Échéancier", "Je peux vous proposer de régler en plusieurs fois : combien pouvez-vous verser tout de suite ?",
    "Si la trésorerie coince : plusieurs versements, mais un premier tout de suite."],
  ["Récapituler", "Si je récapitule : vous réglez ",
    "Complétez la phrase : qui fait quoi, combien, quel jour."],
  ["E-mail de confirmation", "Je vous envoie un e-mail récapitulatif dans la journée.",
    "Un récapitulatif écrit après l’appel engage le client."],
];

// ---------------------------------------------------------------- helpers

function parseDay(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return new Date(y, m - 1, d);
}

// Made once: toLocaleDateString and toLocaleString build a formatter at every call.
const DAY = new Intl.DateTimeFormat("fr-FR", { weekday: "long", day: "numeric", month: "long" });
const DAY_YEAR = new Intl.DateTimeFormat("fr-FR", { weekday: "long", day: "numeric", month: "long", year: "numeric" });
const EUROS = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });

function sayDay(iso, withYear = false) {
  if (!iso) return "";
  return (withYear ? DAY_YEAR : DAY).format(parseDay(iso));
}

function euros(amount) {
  return EUROS.format(Number(amount));
}

function daysBetween(fromIso, toIso) {
  return Math.round((parseDay(toIso) - parseDay(fromIso)) / 86_400_000);
}

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sameLines = (a, b) => a.length === b.length && a.every((line, i) => line === b[i]);

/** What the status line says while Python loads (info: the engine's progress message). */
function loadingText(info) {
  if (info && info.step === "restore") return "Préparation du client virtuel…";
  if (info && info.step === "package") return "Le client virtuel se prépare : encore un instant…";
  const megabytes = Math.max(1, Math.round(((info && info.total) || RUNTIME_BYTES) / 1_000_000));
  return `Préparation du client virtuel : environ ${megabytes} Mo à télécharger, une seule fois.`;
}

// ---------------------------------------------------------------- storage

/** Keep an attempt (the debrief holds the transcript); false if the browser refused to store it. */
function recordAttempt(scenarioId, attempt) {
  const data = loadSimulator();
  const entry = data[scenarioId] && Array.isArray(data[scenarioId].attempts)
    ? data[scenarioId] : { best: 0, attempts: [] };
  entry.attempts = [attempt, ...entry.attempts].slice(0, MAX_ATTEMPTS);
  entry.best = Math.max(Number(entry.best) || 0, attempt.score);
  const verdict = attempt.debrief && attempt.debrief.verdict;
  if (verdict && typeof verdict.succeeded === "boolean") entry.passed = entry.passed === true || verdict.succeeded;
  data[scenarioId] = entry;
  const kept = saveSimulator(data);
  if (kept) saveCall(null); // else the call stays: replayed on reload, its debrief is stored then
  return kept;
}

// ---------------------------------------------------------------- the page

class SimulatorPage {
  constructor(root) {
    this.root = root;
    this.base = new URL(root.dataset.scenarios || "scenarios/index.json", document.baseURI);
    this.scenarios = [];
    this.calls = 0;
    this.engineState = "idle";
    this.timers = new Set();
    this.voice = false;
    this.scrolling = 0; // a scroll to the last line is waiting for the next frame
    this.paused = false; // the call goes on in another tab
  }

  alive() {
    if (this.root.isConnected) return true;
    this.dispose();
    if (this.stopCallWatch) this.stopCallWatch();
    return false;
  }

  dispose() {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
    if (this.stopWatching) this.stopWatching();
    if (this.stopViewport) this.stopViewport();
    this.stopViewport = null;
    if (window.speechSynthesis) window.speechSynthesis.cancel();
  }

  async start() {
    // Python starts loading now, while the learner picks and reads the briefing.
    startEngine();
    this.status = el("p", { class: "sim-status", role: "status", "aria-live": "polite" });
    this.progress = el("progress", { class: "sim-progress", max: "100", "aria-label": "Préparation du client virtuel" });
    this.statusBox = el("div", { class: "sim-status-box" }, this.status, this.progress);
    this.stopWatching = watchEngine((state, info) => this.onEngine(state, info));
    this.stopCallWatch = onCallChangedElsewhere((call) => this.callChangedElsewhere(call));
    try {
      const response = await fetch(this.base);
      if (!response.ok) throw new Error(`${response.status}`);
      this.scenarios = await response.json();
    } catch (error) {
      this.root.replaceChildren(el("p", { class: "sim-error", role: "alert" },
        navigator.onLine ? "La liste des scénarios est introuvable. Rechargez la page ; si le problème continue, le site est incomplet."
          : "Vous êtes hors connexion\u00a0: le simulateur n’a pas encore été enregistré sur cet appareil."));
      return;
    }
    const current = loadCall();
    // A link such as simulateur/?scenario=client-distrait opens that briefing directly.
    const wanted = new URLSearchParams(window.location.search).get("scenario");
    if (current && this.scenarios.some((s) => s.id === current.scenario)) {
      await this.openCall(current.scenario, current.seed, current.lines || [], current.startedAt);
    } else if (wanted && this.scenarios.some((s) => s.id === wanted)) {
      await this.showBriefing(wanted);
    } else {
      this.showPicker();
    }
  }

  setStatus(text) {
    // Rewriting the same text would make some screen readers announce it again.
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  onEngine(state, info) {
    if (!this.alive()) return;
    this.engineState = state;
    this.root.dataset.engine = state;
    const loading = state === "loading" || state === "idle";
    this.statusBox.classList.toggle("sim-loading", loading);
    this.statusBox.classList.toggle("sim-ready", state === "ready");
    this.progress.hidden = !loading;
    if (loading) {
      this.setStatus(loadingText(info));
      const total = (info && info.total) || RUNTIME_BYTES;
      const share = info && info.loaded ? Math.min(0.9, info.loaded / total) : 0;
      // Downloading is most of the wait; Python's start takes the last tenth.
      this.progress.value = Math.round(100 * (info && info.step === "package" ? 0.95 : share));
    } else if (state === "ready") {
      this.root.dataset.engineVersion = info.version;
      this.setStatus("Le client virtuel est prêt.");
    } else if (state === "failed") {
      this.setStatus(info.offline ? info.message : "Le simulateur n’a pas pu démarrer dans ce navigateur "
        + `(${info.message}). Essayez une version récente de Firefox, Chrome, Edge ou Safari, `
        + "puis rechargez la page. Le reste du cours fonctionne normalement.");
    }
    if (this.onEngineChange) this.onEngineChange(state);
  }

  show(view, ...children) {
    this.dispose();
    this.onEngineChange = null;
    this.stopWatching = watchEngine((state, info) => this.onEngine(state, info));
    this.root.dataset.view = view;
    this.root.replaceChildren(...children);
  }

  // ------------------------------------------------------------ picker

  showPicker({ focus = false } = {}) {
    const data = loadSimulator();
    const cards = this.scenarios.map((scenario) => {
      const best = data[scenario.id] && data[scenario.id].best;
      const passed = callSucceeded(data[scenario.id]);
      return el("li", { class: "sim-card" },
        el("h3", {}, scenario.title),
        el("p", { class: "sim-card-meta" },
          `${LEVELS[scenario.level] || scenario.level} · environ ${scenario.duration || 5} min`),
        el("p", {}, scenario.situation || ""),
        el("p", { class: `sim-card-best${passed ? " sim-card-best--ok" : ""}` },
          best ? `Votre meilleur score : ${best} / 100${passed ? " ✓" : ""}` : "Pas encore essayé"),
        el("button", {
          type: "button", class: "md-button",
          "aria-label": `Choisir le scénario « ${scenario.title} »`,
          onclick: () => this.showBriefing(scenario.id),
        }, "Choisir"));
    });
    const heading = el("h2", { class: "sim-heading", tabindex: "-1" }, "Choisissez un appel");
    this.show("picker", this.statusBox, heading, el("ul", { class: "sim-cards" }, cards));
    if (focus) heading.focus(); // the button that led here is gone: keep keyboard users in place
  }

  async loadScenario(id) {
    const response = await fetch(new URL(`${encodeURIComponent(id)}.json`, this.base));
    if (!response.ok) throw new Error(`scénario ${id} introuvable`);
    return response.json();
  }

  // ------------------------------------------------------------ briefing

  async showBriefing(id) {
    let scenario;
    try {
      scenario = await this.loadScenario(id);
    } catch (error) {
      this.setStatus(navigator.onLine ? `Ce scénario n’a pas pu être chargé (${error.message}). Rechargez la page.`
        : "Vous êtes hors connexion\u00a0: ce scénario n’a pas encore été enregistré sur cet appareil.");
      return;
    }
    const facts = this.facts(scenario);
    const startButton = el("button", {
      type: "button", class: "md-button md-button--primary sim-start",
      onclick: () => {
        startButton.disabled = true;
        this.openCall(id, Math.floor(Math.random() * 1_000_000), []);
      },
    }, "Commencer l’appel");
    const waiting = el("p", { class: "sim-hint" });
    const reflect = (state) => {
      startButton.disabled = state === "failed";
      waiting.textContent = state === "ready" ? ""
        : state === "failed" ? "" : "Vous pouvez commencer : le client décrochera dès que le client virtuel sera prêt.";
    };
    this.show("briefing",
      el("h2", { class: "sim-heading" }, scenario.title),
      el("div", { class: "sim-briefing" },
        briefingText(scenario.briefing),
        factsList(facts)),
      this.statusBox, waiting,
      el("div", { class: "sim-actions" },
        startButton,
        el("button", { type: "button", class: "md-button", onclick: () => this.showPicker({ focus: true }) }, "Autres scénarios")));
    this.onEngineChange = reflect;
    reflect(this.engineState);
    startButton.focus();
  }

  /** The call's facts, from the validated scenario (simulator/scenario.py). */
  facts({ invoice, persona, gatekeeper, today }) {
    const late = daysBetween(invoice.due, today);
    return [
      ["Vous appelez", [persona.name, persona.role, persona.company].filter(Boolean).join(", ")],
      ["Au bout du fil d’abord", gatekeeper ? [gatekeeper.name, gatekeeper.role].filter(Boolean).join(", ") : ""],
      ["Facture", invoice.number],
      ["Montant", euros(invoice.amount)],
      ["Objet", invoice.description],
      ["Échéance", sayDay(invoice.due, true)],
      ["Retard", late > 0 ? `${late} jour${late > 1 ? "s" : ""}` : ""],
      ["Date de l’appel", sayDay(today, true)],
    ].filter(([, value]) => value);
  }

  // ------------------------------------------------------------ call

  async openCall(id, seed, lines, startedAt = Date.now()) {
    const call = ++this.calls; // a second click, or a newer call, makes this one stale
    const scenario = await this.loadScenario(id);
    if (!this.alive() || call !== this.calls) return;
    this.scenario = scenario;
    this.seed = seed;
    this.lines = [...lines];
    this.startedAt = startedAt;
    this.ended = false;
    this.paused = false;
    this.drawCall(scenario);
    let state;
    try {
      this.setBusy(true, "Le client décroche…");
      state = await callPython("simulator.web", "start", { scenario, seed, lines: this.lines });
    } catch (error) {
      if (call !== this.calls) return;
      this.ended = true; // nothing to talk to: keep the input closed
      this.callFailed(error);
      return;
    }
    if (!this.alive() || call !== this.calls) return;
    this.keepCall();
    // A resumed call is drawn silently (no re-reading of the whole call); a new one
    // announces the debtor picking up.
    const resumed = state.exchanges.length > 0;
    this.announce = !resumed;
    const entries = state.transcript || [];
    this.addReply({ text: state.opening, ...entries[0] });
    state.exchanges.forEach(([learner, debtor], i) => {
      this.addLine("learner", learner);
      this.addReply({ text: debtor, ...entries[2 * i + 2] });
    });
    this.announce = true;
    this.updateCard(state.commitment);
    this.setBusy(false);
    if (state.ended) await this.finish();
  }

  keepCall() {
    if (this.paused) return; // another tab holds this call now
    if (!saveCall({ scenario: this.scenario.id, seed: this.seed, lines: this.lines, startedAt: this.startedAt })) {
      this.setTip("Attention : cet appel n’a pas pu être enregistré dans votre navigateur "
        + "(stockage plein ou bloqué). Il sera perdu si vous quittez la page.");
    }
  }

  drawCall(scenario) {
    const coarse = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    this.log = el("div", {
      // Not a live region itself: only the debtor's lines are announced (this.announcer).
      class: "sim-log", role: "log", "aria-live": "off", "aria-label": "Conversation", tabindex: "0",
    });
    this.announcer = el("p", { class: "visually-hidden sim-announcer", "aria-live": "polite" });
    this.typing = el("p", { class: "sim-typing", hidden: true }, "Le client est en train de répondre…");
    this.input = el("textarea", {
      id: "sim-input", rows: "2", maxlength: String(MAX_CHARS), autocomplete: "off", enterkeyhint: "send",
      "aria-describedby": coarse ? "sim-counter" : "sim-counter sim-keys",
      onkeydown: (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.send();
        }
      },
      oninput: () => this.updateCounter(),
      onpaste: (event) => this.pasted(event),
    });
    this.counter = el("span", { id: "sim-counter", class: "sim-counter" });
    this.sendButton = el("button", { type: "submit", class: "md-button md-button--primary sim-send" }, "Envoyer");
    this.hintButton = el("button", {
      type: "button", class: "sim-chip sim-chip--hint", onclick: () => this.askHint(),
    }, "Un indice ?");
    this.hangButton = el("button", {
      type: "button", class: "md-button sim-hangup", onclick: () => this.hangUp(),
    }, "Raccrocher");
    this.tip = el("p", { class: "sim-tip", role: "status", "aria-live": "polite" });
    this.notice = el("div", { class: "sim-notice", role: "alert", hidden: true });
    this.timer = el("span", { class: "sim-timer", role: "timer", "aria-label": "Durée de l’appel" }, "00:00");
    this.card = el("dl", { class: "sim-promise" });
    this.cardDrawn = null;
    this.drawerCount = el("span", { class: "sim-drawer-count" }, "0/5");
    this.drawerButton = el("button", {
      type: "button", class: "md-button sim-drawer-toggle", "aria-expanded": "false", "aria-controls": "sim-side",
      onclick: () => this.toggleDrawer(),
    }, "Promesse ", this.drawerCount);
    const form = el("form", {
      class: "sim-compose", onsubmit: (event) => { event.preventDefault(); this.send(); },
    },
    el("label", { for: "sim-input", class: "sim-compose-label" }, "Votre réponse"),
    el("div", { class: "sim-compose-row" }, this.input, this.sendButton),
    el("div", { class: "sim-compose-bar" },
      this.counter,
      coarse ? null : el("span", { id: "sim-keys", class: "sim-keys" }, "Entrée pour envoyer, Maj+Entrée pour aller à la ligne")));
    const chips = el("div", { class: "sim-chips", role: "group", "aria-labelledby": "sim-chips-label" },
      el("span", { id: "sim-chips-label", class: "sim-chips-label" }, "Insérer un début de phrase :"),
      CHIPS.map(([label, starter, tip]) => el("button", {
        type: "button", class: "sim-chip", title: `« ${starter.trim()} »`,
        onclick: () => this.insertStarter(starter, tip),
      }, label)),
      this.hintButton);
    const voice = "speechSynthesis" in window
      ? el("label", { class: "sim-voice" },
        el("input", {
          type: "checkbox", onchange: (event) => {
            this.voice = event.target.checked;
            if (!this.voice) window.speechSynthesis.cancel();
          },
        }),
        " Lire les réponses du client à voix haute")
      : null;
    this.leaveButton = el("button", {
      type: "button", class: "md-button sim-leave", "aria-expanded": "false", "aria-controls": "sim-leave-confirm",
      onclick: () => this.askLeave(true),
    }, "Quitter cet appel…");
    this.leaveConfirm = el("div", { id: "sim-leave-confirm", class: "sim-confirm", hidden: true },
      el("p", {}, "Quitter cet appel ? Il sera perdu, sans bilan. Pour obtenir votre bilan, choisissez plutôt « Raccrocher »."),
      el("div", { class: "sim-actions" },
        el("button", { type: "button", class: "md-button sim-danger", onclick: () => this.leaveCall() }, "Oui, quitter sans bilan"),
        el("button", { type: "button", class: "md-button", onclick: () => this.askLeave(false) }, "Continuer l’appel")));
    const persona = scenario.persona;
    const context = el("section", { class: "sim-context", "aria-labelledby": "sim-context-title" },
      el("h3", { id: "sim-context-title" }, "L'appel"), factsList(this.facts(scenario)));
    const promise = el("section", { class: "sim-card-promise", "aria-labelledby": "sim-promise-title" },
      el("h3", { id: "sim-promise-title" }, "Promesse de paiement"), this.card);
    this.side = el("aside", { class: "sim-side", id: "sim-side", "aria-label": "Fiche de l’appel", tabindex: "-1",
      onkeydown: (event) => { if (event.key === "Escape") this.toggleDrawer(false); } },
    el("button", { type: "button", class: "md-button sim-drawer-close", onclick: () => this.toggleDrawer(false) }, "Fermer la fiche"),
    promise, context,
    el("div", { class: "sim-side-more" }, voice, this.leaveButton, this.leaveConfirm));
    this.callBox = el("div", { class: "sim-call" },
      el("div", { class: "sim-callbar" },
        el("p", { class: "sim-callbar-who" },
          el("span", { class: "sim-callbar-name" }, persona.name),
          el("span", { class: "sim-callbar-company" }, persona.company || ""),
          this.timer),
        this.drawerButton, this.hangButton),
      el("div", { class: "sim-chat" }, this.notice, this.log, this.announcer, this.typing, chips, this.tip, form),
      this.side);
    this.show("call",
      el("h2", { class: "sim-heading sim-call-title" }, scenario.title),
      this.statusBox,
      this.callBox);
    this.updateCounter();
    this.updateCard(null);
    const tick = () => {
      const seconds = Math.max(0, Math.floor((Date.now() - this.startedAt) / 1000));
      this.timer.textContent = `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
    };
    tick();
    this.timers.add(setInterval(() => this.alive() && tick(), 1000));
    this.fitToViewport();
    // Wide screens: the call fills the window under the header (narrow ones: it is fixed there).
    if (!narrow()) this.root.scrollIntoView({ block: "start" });
  }

  /**
   * Phones: the call is laid over the page, under the header. When an on-screen keyboard
   * opens, the visible part of the window shrinks: the call follows it, so that the text
   * box stays above the keyboard. (Runs on window resizes only, never per line.)
   */
  fitToViewport() {
    const viewport = window.visualViewport;
    if (!viewport) return;
    const fit = () => {
      const box = this.root;
      if (!narrow() || box.dataset.view !== "call") { box.style.removeProperty("--sim-visible"); return; }
      box.style.setProperty("--sim-visible", `${Math.round(viewport.height + viewport.offsetTop)}px`);
      this.scrollToEnd();
    };
    viewport.addEventListener("resize", fit);
    viewport.addEventListener("scroll", fit);
    this.stopViewport = () => {
      viewport.removeEventListener("resize", fit);
      viewport.removeEventListener("scroll", fit);
      this.root.style.removeProperty("--sim-visible");
    };
    fit();
  }

  toggleDrawer(open = !this.callBox.classList.contains("sim-drawer-open")) {
    const was = this.callBox.classList.contains("sim-drawer-open");
    this.callBox.classList.toggle("sim-drawer-open", open);
    this.drawerButton.setAttribute("aria-expanded", String(open));
    if (open && !was) this.side.focus();
    else if (!open && was) this.drawerButton.focus();
  }

  askLeave(ask) {
    this.leaveConfirm.hidden = !ask;
    this.leaveButton.setAttribute("aria-expanded", String(ask));
    if (ask) this.leaveConfirm.querySelector("button").focus();
    else this.leaveButton.focus();
  }

  updateCounter() {
    const left = MAX_CHARS - this.input.value.length;
    this.counter.textContent = `${left} caractère${left > 1 ? "s" : ""} restant${left > 1 ? "s" : ""}`;
  }

  /** A paste longer than the room left is cut by the browser: say so. */
  pasted(event) {
    const text = (event.clipboardData && event.clipboardData.getData("text")) || "";
    const box = this.input;
    const room = MAX_CHARS - box.value.length + (box.selectionEnd - box.selectionStart);
    if (text.length > room) {
      this.setTip(`Le texte collé faisait ${text.length} caractères : seuls les ${Math.max(0, room)} premiers `
        + `ont été gardés (${MAX_CHARS} au plus par réplique). Au téléphone, faites court !`);
    }
  }

  setTip(text) {
    this.tip.textContent = text;
    this.scrollToEnd(); // on a phone, a longer tip shortens the conversation from below
  }

  insertStarter(starter, tip) {
    const box = this.input;
    if (box.readOnly) return;
    const before = box.value.replace(/\s+$/, "");
    box.value = (before ? `${before} ${starter}` : starter).slice(0, MAX_CHARS);
    this.updateCounter();
    this.setTip(tip);
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }

  setBusy(busy, text) {
    this.busy = busy;
    // Read-only rather than disabled: focus stays in the box, so moving it back does not
    // make a screen reader talk over the reply being announced.
    const closed = busy || this.ended || this.paused;
    this.input.readOnly = closed;
    this.input.setAttribute("aria-disabled", String(closed));
    this.sendButton.disabled = closed;
    this.typing.hidden = !busy;
    if (text) this.typing.textContent = text;
    if (!closed && document.activeElement !== this.input && !this.callBox.classList.contains("sim-drawer-open")) {
      this.input.focus({ preventScroll: true });
    }
  }

  /** A reply: one line, or one line per speaker when the call was handed over. */
  addReply({ text, name, parts }) {
    if (parts && parts.length) parts.forEach((part) => this.addLine("debtor", part.text, part.name));
    else this.addLine("debtor", text, name);
  }

  addLine(speaker, text, name = null) {
    const who = speaker === "debtor" ? name || this.scenario.persona.name : "Vous";
    this.log.append(el("p", { class: `sim-line sim-${speaker}` },
      el("span", { class: "sim-who" }, `${who} : `), text));
    this.scrollToEnd();
    if (speaker === "debtor") {
      if (this.announce) this.announcer.textContent = `${who} : ${text}`;
      if (this.voice) speak(text);
    }
  }

  /** Show the last line, at the next frame: reading scrollHeight now would lay the page out
   * at once, and again for the next line; in the frame, the page is laid out only once. */
  scrollToEnd() {
    if (this.scrolling) return;
    this.scrolling = requestAnimationFrame(() => {
      this.scrolling = 0;
      this.log.scrollTop = this.log.scrollHeight;
    });
  }

  updateCard(commitment) {
    const c = commitment || {};
    // Most replies leave the promise as it was: then the card is not drawn again.
    const drawn = JSON.stringify(c);
    if (drawn === this.cardDrawn) return;
    this.cardDrawn = drawn;
    const precision = c.precision === "exact" ? ["précis", "sim-badge-ok"]
      : c.precision ? ["flou", "sim-badge-warn"] : null;
    const rows = [
      ["Action", ACTIONS[c.action] || ""],
      ["Montant", c.amount ? euros(c.amount) : ""],
      ["Date", c.date ? sayDay(c.date) : "", precision],
      ["Heure", c.time ? c.time.replace(":", " h ") : ""],
      ["Moyen", METHODS[c.action] || ""],
    ];
    const got = rows.filter(([, value]) => value).length;
    const details = c.details || {};
    if (details.cheque_number) rows.push(["N° de chèque", details.cheque_number]);
    const terms = termsOf(c);
    this.card.replaceChildren(...rows.flatMap(([label, value, badge]) => [
      el("dt", {}, label),
      el("dd", { class: value ? "sim-got" : "sim-missing" },
        value || "à obtenir",
        // Read as "jeudi 26 novembre, précis", not glued to the date.
        badge ? el("span", { class: `sim-badge ${badge[1]}` },
          el("span", { class: "visually-hidden" }, ", "), badge[0]) : null),
    ]),
    ...(terms.length ? [el("dt", {}, "Conditions"),
      el("dd", { class: "sim-got" }, el("ul", { class: "sim-terms" }, terms.map((t) => el("li", {}, t))))] : []));
    this.drawerCount.textContent = `${got}/5`;
    this.drawerButton.setAttribute("aria-label",
      `Promesse de paiement : ${got} élément${got > 1 ? "s" : ""} obtenu${got > 1 ? "s" : ""} sur 5. Afficher la fiche de l’appel`);
  }

  async send() {
    if (this.busy || this.ended || this.paused) return;
    const text = this.input.value;
    if (!text.trim()) {
      this.setTip("Écrivez d’abord ce que vous dites au client.");
      this.input.focus();
      return;
    }
    this.input.value = "";
    this.updateCounter();
    this.addLine("learner", text);
    this.lines.push(text);
    this.keepCall();
    this.setBusy(true, "Le client est en train de répondre…");
    const call = this.calls;
    let reply;
    try {
      [reply] = await Promise.all([this.ask(text), wait(TYPING_DELAY)]);
    } catch (error) {
      if (call === this.calls) this.callFailed(error);
      return;
    }
    if (call !== this.calls || !this.alive()) return;
    this.addReply(reply);
    this.updateCard(reply.commitment);
    this.ended = reply.ended;
    this.setBusy(false);
    if (reply.ended) await this.finish();
  }

  async askHint() {
    if (this.ended) return;
    try {
      this.setTip((await callPython("simulator.web", "hint", {})).text);
    } catch (error) {
      this.setTip(`Pas d’indice disponible (${error.message}).`);
    }
  }

  /** The debtor's reply; if the engine was restarted meanwhile, the call is replayed first. */
  async ask(text) {
    try {
      return await callPython("simulator.web", "say", { text });
    } catch (error) {
      const state = await callPython("simulator.web", "start",
        { scenario: this.scenario, seed: this.seed, lines: this.lines });
      const last = state.exchanges[state.exchanges.length - 1];
      if (!last || last[0] !== text) throw error;
      const entry = (state.transcript || [])[2 * state.exchanges.length] || {};
      return { ...entry, text: last[1], ended: state.ended, commitment: state.commitment };
    }
  }

  async hangUp() {
    if (this.ended || this.busy || this.paused) return;
    this.ended = true;
    this.lines.push(null); // replayed as a hang-up if the page is reloaded now
    this.keepCall();
    await this.finish(true);
  }

  callFailed(error) {
    this.setBusy(false);
    this.setTip(`Le simulateur a rencontré un problème (${error.message}). `
      + "Votre appel est gardé : rechargez la page pour le reprendre, "
      + "ou choisissez « Quitter cet appel » dans la fiche de l’appel pour revenir à la liste.");
  }

  leaveCall() {
    this.calls += 1; // answers still on their way are ignored
    if (!this.paused) saveCall(null); // a call another tab holds is that tab's to leave
    this.showPicker({ focus: true });
  }

  /**
   * Another tab wrote or removed the unfinished call. Two tabs on one call would each write
   * their own lines, and the call kept would mix them: this one steps aside and says why.
   */
  callChangedElsewhere(call) {
    if (!this.alive() || this.root.dataset.view !== "call" || this.ended) return;
    const same = call && call.scenario === this.scenario.id && call.seed === this.seed
      && call.startedAt === this.startedAt;
    if (same && sameLines(call.lines, this.lines)) return;
    this.paused = true;
    this.calls += 1; // a reply on its way belongs to the call as it was
    this.setBusy(false);
    this.hangButton.disabled = true;
    const history = loadSimulator()[this.scenario.id];
    const latest = history && Array.isArray(history.attempts) && history.attempts[0];
    const finished = !call && latest && latest.seed === this.seed && Date.parse(latest.date) >= this.startedAt;
    const [title, text] = same
      ? ["Cet appel continue dans un autre onglet.",
        "Pour ne pas mélanger les deux, celui-ci est mis en pause. Vous pouvez le reprendre ici, là où l’autre onglet l’a laissé."]
      : finished ? ["Cet appel s’est terminé dans un autre onglet.", "Son bilan y est affiché, et votre score est enregistré."]
        : call ? ["Un autre appel a commencé dans un autre onglet.", "Cet onglet n’enregistre plus celui-ci. Reprenez-le ici pour le garder, ou quittez-le."]
          : ["Cet appel a été effacé dans un autre onglet.", "Cet onglet ne l’enregistre plus. Reprenez-le ici pour le garder, ou quittez-le."];
    const resume = finished ? null : el("button", {
      type: "button", class: "md-button md-button--primary",
      onclick: () => {
        const kept = loadCall();
        if (kept && kept.scenario === this.scenario.id && kept.seed === this.seed) {
          this.openCall(kept.scenario, kept.seed, kept.lines || [], kept.startedAt);
        } else {
          // Removed elsewhere, or replaced by another call: this one is taken up again here.
          this.paused = false;
          this.notice.hidden = true;
          this.hangButton.disabled = false;
          this.keepCall();
          this.setBusy(false);
        }
      },
    }, same ? "Continuer l’appel ici" : "Reprendre cet appel ici");
    this.notice.replaceChildren(
      el("p", {}, el("strong", {}, title), " ", text),
      el("div", { class: "sim-actions" }, resume,
        el("button", { type: "button", class: "md-button", onclick: () => this.leaveCall() }, "Autres scénarios")));
    this.notice.hidden = false;
  }

  async finish(hangUp = false) {
    this.ended = true;
    this.setBusy(true, "Préparation du bilan…");
    let report;
    try {
      report = await callPython("simulator.web", hangUp ? "hang_up" : "debrief", {});
    } catch (error) {
      this.callFailed(error);
      return;
    }
    if (!this.alive()) return;
    const kept = recordAttempt(this.scenario.id, {
      date: new Date().toISOString(), seed: this.seed, score: report.score, debrief: report,
    });
    this.showDebrief(report);
    if (!kept) {
      this.root.prepend(el("p", { class: "sim-error", role: "alert" },
        "Ce bilan n’a pas pu être enregistré dans votre navigateur (stockage plein ou bloqué). "
        + "Exportez ou effacez une partie de votre progression depuis la page « Ma progression »."));
    }
  }

  // ------------------------------------------------------------ debrief

  showDebrief(report) {
    const scenario = this.scenario;
    const verdict = verdictOf(report);
    const priorities = prioritiesOf(report, scenario);
    const perfect = report.criteria.length > 0 && report.criteria.every((c) => c.passed);
    const persona = (scenario.persona && scenario.persona.name) || "Client";
    const copyStatus = el("span", { class: "sim-copy-status", role: "status", "aria-live": "polite" });
    const mail = el("pre", { class: "sim-mail", tabindex: "0", "aria-label": "E-mail récapitulatif" }, report.recap_email);
    const heading = el("h2", { class: "sim-heading", tabindex: "-1" }, `Bilan de l’appel : ${report.score} / 100`);
    const toLine = (turn, text) => el("a", {
      href: `#sim-ligne-${turn}`, class: "sim-to-line",
      onclick: (event) => {
        const target = this.root.querySelector(`#sim-ligne-${turn}`);
        if (!target) return;
        event.preventDefault(); // no new history entry: the page's address stays the simulator's
        target.scrollIntoView({ block: "center" });
        target.focus({ preventScroll: true });
      },
    }, text);
    const courseLink = (link, text) => (link ? el("a", { href: new URL(link, document.baseURI).href }, text) : null);

    const summary = el("div", { class: `sim-verdict ${verdict.succeeded ? "sim-verdict--ok" : "sim-verdict--ko"}` },
      gauge(report.score),
      el("div", { class: "sim-verdict-text" },
        el("p", { class: "sim-verdict-label" }, verdict.label),
        el("p", {}, verdict.text),
        promiseSummary(report.commitment)));

    const next = perfect
      ? el("p", { class: "sim-bravo" }, "Un appel parfait : tous les critères sont atteints. Bravo ! "
        + "Essayez un scénario plus difficile, ou rejouez celui-ci pour varier vos formulations.")
      : priorities.length ? el("section", { class: "sim-priorities", "aria-labelledby": "sim-priorities-title" },
        el("h3", { id: "sim-priorities-title" }, verdict.succeeded ? "Pour aller plus loin" : "À travailler en priorité"),
        el("ol", {}, priorities.map((p) => el("li", { "data-criterion": p.id },
          el("p", { class: "sim-priority-label" }, el("strong", {}, p.label)),
          el("p", {}, p.advice),
          p.turn ? el("p", { class: "sim-said" }, "Vous avez dit, ",
            toLine(p.turn, `ligne ${p.turn}`), p.learner_line ? ` : « ${p.learner_line} »` : "") : null,
          p.better ? el("p", { class: "sim-better" }, el("span", { class: "sim-better-label" }, "Essayez plutôt : "),
            `« ${p.better} »`) : null,
          p.link ? el("p", {}, courseLink(p.link, p.module ? `Revoir : ${p.module}` : "Revoir dans le cours")) : null))))
        : null;

    // Every criterion, in the order of the call; those with no single moment come last.
    const ordered = report.criteria.map((c, i) => [c, i])
      .sort(([a, i], [b, j]) => (turnOf(a) ?? Infinity) - (turnOf(b) ?? Infinity) || i - j)
      .map(([c]) => c);
    const moments = el("section", { class: "sim-moments", "aria-labelledby": "sim-moments-title" },
      el("h3", { id: "sim-moments-title" }, "Le déroulé de l’appel, critère par critère"),
      el("p", { class: "sim-legend" }, el("span", { class: "sim-ok-text" }, "✓ atteint"), " · ",
        el("span", { class: "sim-ko-text" }, "✗ manqué"),
        " · « ligne 3 » mène à votre troisième réplique dans la conversation commentée."),
      el("ul", { class: "sim-criteria" }, ordered.map((c) => el("li", {
        class: c.applies === false ? "sim-na" : c.passed ? "sim-ok" : "sim-ko",
        "data-criterion": c.id, "data-turn": turnOf(c) ?? "",
      },
      // A criterion that does not apply to this call (engines from December 2026 say so).
      el("span", { class: "sim-mark", "aria-hidden": "true" }, c.applies === false ? "–" : c.passed ? "✓" : "✗"),
      el("span", { class: "visually-hidden" }, c.applies === false ? "Sans objet : " : c.passed ? "Atteint : " : "Manqué : "),
      el("strong", {}, label(c)), " ",
      turnOf(c) ? toLine(turnOf(c), `(ligne ${turnOf(c)})`) : el("span", { class: "sim-when" }, "(sur tout l’appel)"),
      " — ", c.explanation,
      c.link ? el("span", {}, " ", courseLink(c.link, "Revoir dans le cours")) : null))));

    let learnerLine = 0;
    const transcript = el("ul", { class: "sim-transcript" }, report.transcript.map((turn) => {
      const line = turn.speaker === "learner" ? ++learnerLine : null;
      return el("li", { class: `sim-${turn.speaker}`, id: line ? `sim-ligne-${line}` : null, tabindex: line ? "-1" : null },
        el("span", { class: "sim-who" }, line ? `Vous, ligne ${line} : ` : `${turn.name || persona} : `), turn.text,
        turn.notes && turn.notes.length ? el("ul", { class: "sim-notes" }, turn.notes.map((n) => el("li", {}, n))) : null);
    }));

    this.show("debrief",
      heading,
      summary,
      next,
      moments,
      el("h3", {}, "La conversation commentée"),
      transcript,
      el("h3", {}, "L’e-mail récapitulatif à envoyer"),
      mail,
      el("div", { class: "sim-actions" },
        el("button", {
          type: "button", class: "md-button",
          onclick: async () => {
            copyStatus.textContent = await copyText(report.recap_email)
              ? "E-mail copié." : "Copie impossible : sélectionnez le texte à la main.";
          },
        }, "Copier l’e-mail"), copyStatus),
      el("div", { class: "sim-actions" },
        el("button", {
          type: "button", class: "md-button md-button--primary",
          onclick: () => this.openCall(scenario.id, Math.floor(Math.random() * 1_000_000), []),
        }, "Rejouer"),
        el("button", {
          type: "button", class: "md-button",
          onclick: () => this.openCall(scenario.id, report.seed, []),
        }, "Rejouer à l’identique"),
        el("button", { type: "button", class: "md-button", onclick: () => this.showPicker({ focus: true }) }, "Autres scénarios")));
    // scroll-margin-top keeps the heading clear of the sticky header.
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start" });
  }
}

// ---------------------------------------------------------------- pieces

const narrow = () => window.matchMedia("(max-width: 44em)").matches;
const label = (criterion) => criterion.label || CRITERIA[criterion.id] || criterion.id;
const turnOf = (criterion) => (Number.isInteger(criterion.turn) && criterion.turn > 0 ? criterion.turn : null);

/** The conditions agreed beside the promise (a waiver of penalties…), as sentences. */
function termsOf(commitment) {
  const terms = commitment && commitment.details && commitment.details.terms;
  return Array.isArray(terms) ? terms.filter((t) => typeof t === "string" && t) : [];
}

/** The debrief's verdict, or the same rule applied here for a debrief that has none. */
function verdictOf(report) {
  const v = report.verdict;
  if (v && typeof v.succeeded === "boolean" && v.label) {
    return { succeeded: v.succeeded, label: v.label, text: v.text || "" };
  }
  const succeeded = report.score >= PASS_MARK;
  return {
    succeeded,
    label: succeeded ? "Appel réussi" : "À retravailler",
    text: `Un appel est réussi à partir de ${PASS_MARK} points sur 100.`,
  };
}

/**
 * The one to three misses that weigh most: the debrief's own list, or derived here from its
 * criteria (most weight first) for a debrief that has none.
 */
function prioritiesOf(report, scenario) {
  if (Array.isArray(report.priorities)) {
    return report.priorities.slice(0, 3).map((p) => ({ ...p, label: p.label || label(p), turn: turnOf(p) }));
  }
  const invoice = (scenario && scenario.invoice) || {};
  const fill = (text) => text
    .replace("{amount}", invoice.amount ? euros(invoice.amount) : "le montant dû")
    .replace("{invoice}", invoice.number || "en retard");
  const learnerLines = report.transcript.filter((t) => t.speaker === "learner").map((t) => t.text);
  return report.criteria
    .map((c, i) => [c, i])
    .filter(([c]) => !c.passed)
    .sort(([a, i], [b, j]) => (Number(b.weight) || 0) - (Number(a.weight) || 0) || i - j)
    .slice(0, 3)
    .map(([c]) => ({
      id: c.id, label: label(c), weight: c.weight, turn: turnOf(c),
      learner_line: turnOf(c) ? learnerLines[turnOf(c) - 1] || null : null,
      advice: c.explanation, better: BETTER[c.id] ? fill(BETTER[c.id]) : null,
      link: c.link || null, module: c.module || null,
    }));
}

function briefingText(briefing) {
  const paragraphs = String(briefing || "").split(/\n\s*\n/).filter((p) => p.trim());
  return el("div", { class: "sim-briefing-text" }, paragraphs.map((p) => el("p", {}, p.trim())));
}

function factsList(facts) {
  return el("dl", { class: "sim-facts" }, facts.flatMap(([label, value]) => [el("dt", {}, label), el("dd", {}, value)]));
}

function promiseSummary(c) {
  if (!c || !c.action) return el("p", { class: "sim-ko-text" }, "Aucun engagement clair n’a été obtenu.");
  const parts = [ACTIONS[c.action] || c.action];
  if (c.amount) parts.push(euros(c.amount));
  if (c.date) parts.push(`${c.precision === "exact" ? "le" : "vers le"} ${sayDay(c.date)}`);
  if (c.time) parts.push(`à ${c.time.replace(":", " h ")}`);
  const terms = termsOf(c);
  return el("div", { class: "sim-promise-summary" },
    el("p", {}, "Engagement obtenu : ", el("strong", {}, parts.join(", ")), c.precision === "exact" ? "" : " (date floue)"),
    terms.length ? el("p", {}, "Conditions convenues :") : null,
    terms.length ? el("ul", { class: "sim-terms" }, terms.map((t) => el("li", {}, t))) : null);
}

function gauge(score) {
  const r = 42;
  const length = 2 * Math.PI * r;
  const tone = score >= 70 ? "sim-gauge-good" : score >= 40 ? "sim-gauge-mid" : "sim-gauge-low";
  return svg("svg", {
    class: `sim-gauge ${tone}`, viewBox: "0 0 100 100", width: "110", height: "110",
    role: "img", "aria-label": `Score : ${score} sur 100`,
  },
  svg("circle", { cx: "50", cy: "50", r, class: "sim-gauge-track" }),
  svg("circle", {
    cx: "50", cy: "50", r, class: "sim-gauge-value",
    "stroke-dasharray": `${(length * score) / 100} ${length}`, transform: "rotate(-90 50 50)",
  }),
  svg("text", { x: "50", y: "56", "text-anchor": "middle", class: "sim-gauge-text" }, document.createTextNode(String(score))));
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function speak(text) {
  const synth = window.speechSynthesis;
  const voice = synth.getVoices().find((v) => v.lang && v.lang.toLowerCase().startsWith("fr"));
  if (!voice) return;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.voice = voice;
  utterance.lang = voice.lang;
  synth.speak(utterance);
}

// ---------------------------------------------------------------- mount

let page = null;

function mount() {
  const root = document.getElementById("simulateur");
  if (page && page.root !== root) { page.dispose(); if (page.stopCallWatch) page.stopCallWatch(); page = null; }
  if (!root || root.dataset.mounted) return;
  root.dataset.mounted = "true";
  page = new SimulatorPage(root);
  page.start().catch((error) => {
    console.error(error);
    root.replaceChildren(el("p", { class: "sim-error", role: "alert" },
      "Le simulateur n’a pas pu s’afficher. Rechargez la page ; si le problème continue, "
      + "effacez la progression du simulateur depuis la page « Ma progression »."));
  });
}

// Start Python as early as possible on a first visit to the simulator page.
if (document.getElementById("simulateur")) startEngine();

// mkdocs-material's instant navigation swaps pages without reloading scripts:
// `document$` emits on every page, including the first.
if (window.document$) window.document$.subscribe(mount);
else document.addEventListener("DOMContentLoaded", mount);
