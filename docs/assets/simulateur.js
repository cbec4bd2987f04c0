// The simulator page: scenario picker, briefing, call screen, debrief.
// All dialogue logic is Python (simulator.web, in the shared engine worker);
// this file only draws what Python answers and keeps the attempts.

import { h as el, svg } from "./dom.js";
import { callPython, startEngine, watchEngine } from "./engine.js";
// Unreadable storage is reset by progress.js and announced site-wide by exercices.js.
import { loadCall, loadSimulator, saveCall, saveSimulator } from "./progress.js";

const MAX_CHARS = 500;
const MAX_ATTEMPTS = 10;
// A short pause before the debtor answers feels like a call; none under automation.
const TYPING_DELAY = navigator.webdriver ? 0 : 650;

const STEPS = {
  runtime: "Chargement de Python dans votre navigateur…",
  package: "Chargement du moteur du simulateur…",
};
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
const CRITERIA = {
  commitment: "Un engagement clair",
  exact_date: "Une date exacte",
  amount: "Le montant",
  payment_method: "Le moyen de paiement",
  no_vague_accepted: "Aucune réponse floue acceptée",
  professional_tone: "Un ton professionnel",
  questions: "Des questions et de l'écoute",
  recap: "Un récapitulatif avant de raccrocher",
  follow_up: "Un suivi écrit annoncé",
  opening: "Une bonne ouverture",
};
const CHIPS = [
  ["Poser une question ouverte", "Demandez au client ce qui se passe de son côté, sans lui souffler la réponse."],
  ["Demander une date précise", "Un jour du calendrier, pas « bientôt » ni « la semaine prochaine »."],
  ["Demander le moyen de paiement", "Virement, chèque, carte… et, pour un chèque, son numéro et sa date d'envoi."],
  ["Proposer un échéancier", "Si la trésorerie coince : plusieurs versements, mais un premier tout de suite."],
  ["Récapituler", "Reformulez l'engagement obtenu : qui fait quoi, combien, quel jour."],
  ["Annoncer un e-mail de confirmation", "Dites que vous envoyez un récapitulatif écrit après l'appel."],
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

// ---------------------------------------------------------------- storage

/** Keep an attempt (the debrief holds the transcript); false if the browser refused to store it. */
function recordAttempt(scenarioId, attempt) {
  const data = loadSimulator();
  const entry = data[scenarioId] && Array.isArray(data[scenarioId].attempts)
    ? data[scenarioId] : { best: 0, attempts: [] };
  entry.attempts = [attempt, ...entry.attempts].slice(0, MAX_ATTEMPTS);
  entry.best = Math.max(Number(entry.best) || 0, attempt.score);
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
  }

  alive() {
    if (this.root.isConnected) return true;
    this.dispose();
    return false;
  }

  dispose() {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
    if (this.stopWatching) this.stopWatching();
    if (window.speechSynthesis) window.speechSynthesis.cancel();
  }

  async start() {
    // Python starts loading now, while the learner picks and reads the briefing.
    startEngine();
    this.status = el("p", { class: "sim-status", role: "status", "aria-live": "polite" });
    this.stopWatching = watchEngine((state, info) => this.onEngine(state, info));
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
    if (state === "loading" || state === "idle") {
      this.setStatus(STEPS[info && info.step] || STEPS.runtime);
      this.status.classList.add("sim-loading");
    } else if (state === "ready") {
      this.status.classList.remove("sim-loading");
      this.setStatus(`Simulateur prêt (moteur ${info.version}).`);
    } else if (state === "failed") {
      this.status.classList.remove("sim-loading");
      this.setStatus(info.offline ? info.message : "Le simulateur n'a pas pu démarrer dans ce navigateur "
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
      return el("li", { class: "sim-card" },
        el("h2", {}, scenario.title),
        el("p", { class: "sim-card-meta" },
          `${LEVELS[scenario.level] || scenario.level} · environ ${scenario.duration || 5} min`),
        el("p", {}, scenario.situation || ""),
        el("p", { class: "sim-card-best" },
          best ? `Votre meilleur score : ${best} / 100` : "Pas encore essayé"),
        el("button", {
          type: "button", class: "md-button",
          "aria-label": `Choisir le scénario « ${scenario.title} »`,
          onclick: () => this.showBriefing(scenario.id),
        }, "Choisir"));
    });
    const heading = el("h2", { class: "sim-heading", tabindex: "-1" }, "Choisissez un appel");
    this.show("picker", this.status, heading, el("ul", { class: "sim-cards" }, cards));
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
      this.setStatus(navigator.onLine ? `Ce scénario n'a pas pu être chargé (${error.message}). Rechargez la page.`
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
    }, "Commencer l'appel");
    const waiting = el("p", { class: "sim-hint" });
    const reflect = (state) => {
      startButton.disabled = state === "failed";
      waiting.textContent = state === "ready" ? ""
        : state === "failed" ? "" : "Le simulateur finit de se charger : l'appel commencera dès qu'il sera prêt.";
    };
    this.show("briefing",
      el("h2", { class: "sim-heading" }, scenario.title),
      el("div", { class: "sim-briefing" },
        briefingText(scenario.briefing),
        factsList(facts)),
      this.status, waiting,
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
      ["Au bout du fil d'abord", gatekeeper ? [gatekeeper.name, gatekeeper.role].filter(Boolean).join(", ") : ""],
      ["Facture", invoice.number],
      ["Montant", euros(invoice.amount)],
      ["Objet", invoice.description],
      ["Échéance", sayDay(invoice.due, true)],
      ["Retard", late > 0 ? `${late} jour${late > 1 ? "s" : ""}` : ""],
      ["Date de l'appel", sayDay(today, true)],
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
    if (resumed) this.log.setAttribute("aria-live", "off");
    const entries = state.transcript || [];
    this.addReply({ text: state.opening, ...entries[0] });
    state.exchanges.forEach(([learner, debtor], i) => {
      this.addLine("learner", learner);
      this.addReply({ text: debtor, ...entries[2 * i + 2] });
    });
    if (resumed) this.log.setAttribute("aria-live", "polite");
    this.updateCard(state.commitment);
    this.setBusy(false);
    if (state.ended) await this.finish();
  }

  keepCall() {
    if (!saveCall({ scenario: this.scenario.id, seed: this.seed, lines: this.lines, startedAt: this.startedAt })) {
      this.tip.textContent = "Attention : cet appel n'a pas pu être enregistré dans votre navigateur "
        + "(stockage plein ou bloqué). Il sera perdu si vous quittez la page.";
    }
  }

  drawCall(scenario) {
    this.log = el("div", {
      class: "sim-log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0",
    });
    this.typing = el("p", { class: "sim-typing", hidden: true }, "Le client est en train de répondre…");
    this.input = el("textarea", {
      id: "sim-input", rows: "2", maxlength: String(MAX_CHARS), autocomplete: "off",
      "aria-describedby": "sim-counter sim-keys",
      onkeydown: (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.send();
        }
      },
      oninput: () => this.updateCounter(),
    });
    this.counter = el("span", { id: "sim-counter", class: "sim-counter" });
    this.sendButton = el("button", { type: "submit", class: "md-button md-button--primary" }, "Envoyer");
    this.hintButton = el("button", {
      type: "button", class: "md-button", onclick: () => this.askHint(),
    }, "Un indice ?");
    this.hangButton = el("button", {
      type: "button", class: "md-button sim-hangup", onclick: () => this.hangUp(),
    }, "Raccrocher");
    this.tip = el("p", { class: "sim-tip", role: "status", "aria-live": "polite" });
    this.timer = el("span", { class: "sim-timer", "aria-label": "Durée de l'appel" }, "00:00");
    this.card = el("dl", { class: "sim-promise" });
    this.cardDrawn = null;
    const form = el("form", {
      class: "sim-compose", onsubmit: (event) => { event.preventDefault(); this.send(); },
    },
    el("label", { for: "sim-input" }, "Votre réponse"),
    this.input,
    el("div", { class: "sim-compose-bar" },
      this.counter,
      el("span", { id: "sim-keys", class: "sim-keys" }, "Entrée pour envoyer, Maj+Entrée pour aller à la ligne"),
      this.sendButton));
    const chips = el("div", { class: "sim-chips", role: "group", "aria-label": "Suggestions de démarche" },
      CHIPS.map(([label, tip]) => el("button", {
        type: "button", class: "sim-chip",
        onclick: () => { this.tip.textContent = tip; this.input.focus(); },
      }, label)));
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
    const context = el("section", { class: "sim-context", "aria-label": "Contexte de l'appel" },
      el("h3", {}, "L'appel"), factsList(this.facts(scenario)),
      el("p", { class: "sim-clock" }, "Durée : ", this.timer));
    const promise = el("section", { class: "sim-card-promise", "aria-label": "Promesse de paiement" },
      el("h3", {}, "Promesse de paiement"), this.card);
    this.show("call",
      el("h2", { class: "sim-heading" }, scenario.title),
      this.status,
      el("div", { class: "sim-call" },
        el("div", { class: "sim-chat" }, this.log, this.typing, form, chips, this.tip,
          el("div", { class: "sim-actions" }, this.hintButton, this.hangButton,
            el("button", { type: "button", class: "md-button", onclick: () => this.leaveCall() }, "Quitter cet appel"),
            voice)),
        el("aside", { class: "sim-side" }, context, promise)));
    this.updateCounter();
    this.updateCard(null);
    const tick = () => {
      const seconds = Math.max(0, Math.floor((Date.now() - this.startedAt) / 1000));
      this.timer.textContent = `${String(Math.floor(seconds / 60)).padStart(2, "0")}:${String(seconds % 60).padStart(2, "0")}`;
    };
    tick();
    this.timers.add(setInterval(() => this.alive() && tick(), 1000));
  }

  updateCounter() {
    const left = MAX_CHARS - this.input.value.length;
    this.counter.textContent = `${left} caractère${left > 1 ? "s" : ""} restant${left > 1 ? "s" : ""}`;
  }

  setBusy(busy, text) {
    this.busy = busy;
    // Read-only rather than disabled: focus stays in the box, so moving it back does not
    // make a screen reader talk over the reply being announced.
    const closed = busy || this.ended;
    this.input.readOnly = closed;
    this.input.setAttribute("aria-disabled", String(closed));
    this.sendButton.disabled = closed;
    this.typing.hidden = !busy;
    if (text) this.typing.textContent = text;
    if (!closed && document.activeElement !== this.input) this.input.focus();
  }

  /** A reply: one line, or one line per speaker when the call was handed over. */
  addReply({ text, name, parts }) {
    if (parts && parts.length) parts.forEach((part) => this.addLine("debtor", part.text, part.name));
    else this.addLine("debtor", text, name);
  }

  addLine(speaker, text, name) {
    const who = speaker === "debtor" ? name || this.scenario.persona.name : "Vous";
    this.log.append(el("p", { class: `sim-line sim-${speaker}` },
      el("span", { class: "sim-who" }, `${who} : `), text));
    this.scrollToEnd();
    if (speaker === "debtor" && this.voice) speak(text);
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
    if (c.details && c.details.cheque_number) rows.push(["N° de chèque", c.details.cheque_number]);
    if (c.details && c.details.terms && c.details.terms.length) rows.push(["Conditions", c.details.terms.join(" ; ")]);
    this.card.replaceChildren(...rows.flatMap(([label, value, badge]) => [
      el("dt", {}, label),
      el("dd", { class: value ? "sim-got" : "sim-missing" },
        value || "à obtenir",
        badge ? el("span", { class: `sim-badge ${badge[1]}` }, badge[0]) : null),
    ]));
  }

  async send() {
    if (this.busy || this.ended) return;
    const text = this.input.value;
    if (!text.trim()) {
      this.tip.textContent = "Écrivez d'abord ce que vous dites au client.";
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
      this.tip.textContent = (await callPython("simulator.web", "hint", {})).text;
    } catch (error) {
      this.tip.textContent = `Pas d'indice disponible (${error.message}).`;
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
    if (this.ended || this.busy) return;
    this.ended = true;
    this.lines.push(null); // replayed as a hang-up if the page is reloaded now
    this.keepCall();
    await this.finish(true);
  }

  callFailed(error) {
    this.setBusy(false);
    this.tip.textContent = `Le simulateur a rencontré un problème (${error.message}). `
      + "Votre appel est gardé : rechargez la page pour le reprendre, "
      + "ou choisissez « Quitter cet appel » pour revenir à la liste.";
  }

  leaveCall() {
    this.calls += 1; // answers still on their way are ignored
    saveCall(null);
    this.showPicker({ focus: true });
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
        "Ce bilan n'a pas pu être enregistré dans votre navigateur (stockage plein ou bloqué). "
        + "Exportez ou effacez une partie de votre progression depuis la page « Ma progression »."));
    }
  }

  // ------------------------------------------------------------ debrief

  showDebrief(report) {
    const scenario = this.scenario;
    const passed = report.criteria.filter((c) => c.passed).length;
    const copyStatus = el("span", { class: "sim-copy-status", role: "status", "aria-live": "polite" });
    const mail = el("pre", { class: "sim-mail", tabindex: "0", "aria-label": "E-mail récapitulatif" }, report.recap_email);
    const heading = el("h2", { class: "sim-heading", tabindex: "-1" }, `Bilan de l'appel : ${report.score} / 100`);
    this.show("debrief",
      heading,
      el("div", { class: "sim-debrief-top" },
        gauge(report.score),
        el("div", {},
          el("p", {}, `${passed} critère${passed > 1 ? "s" : ""} sur ${report.criteria.length} atteint${passed > 1 ? "s" : ""}.`),
          promiseSummary(report.commitment))),
      el("h3", {}, "Déroulé de l'appel"),
      timeline(report),
      el("h3", {}, "Critères"),
      el("ul", { class: "sim-criteria" }, report.criteria.map((c) => el("li", {
        class: c.passed ? "sim-ok" : "sim-ko",
      },
      el("span", { class: "sim-mark", "aria-hidden": "true" }, c.passed ? "✓" : "✗"),
      el("span", { class: "visually-hidden" }, c.passed ? "Atteint : " : "Manqué : "),
      el("strong", {}, label(c)), " — ", c.explanation,
      c.link ? el("span", {}, " ", el("a", { href: new URL(c.link, document.baseURI).href }, "Revoir dans le cours")) : null))),
      el("h3", {}, "La conversation commentée"),
      el("ol", { class: "sim-transcript" }, report.transcript.map((turn) => el("li", { class: `sim-${turn.speaker}` },
        el("span", { class: "sim-who" }, turn.speaker === "debtor" ? `${turn.name || "Client"} : ` : "Vous : "), turn.text,
        turn.notes && turn.notes.length ? el("ul", { class: "sim-notes" }, turn.notes.map((n) => el("li", {}, n))) : null))),
      el("h3", {}, "L'e-mail récapitulatif à envoyer"),
      mail,
      el("div", { class: "sim-actions" },
        el("button", {
          type: "button", class: "md-button",
          onclick: async () => {
            copyStatus.textContent = await copyText(report.recap_email)
              ? "E-mail copié." : "Copie impossible : sélectionnez le texte à la main.";
          },
        }, "Copier l'e-mail"), copyStatus),
      el("div", { class: "sim-actions" },
        el("button", {
          type: "button", class: "md-button md-button--primary",
          onclick: () => this.openCall(scenario.id, Math.floor(Math.random() * 1_000_000), []),
        }, "Rejouer"),
        el("button", {
          type: "button", class: "md-button",
          onclick: () => this.openCall(scenario.id, report.seed, []),
        }, "Rejouer à l'identique"),
        el("button", { type: "button", class: "md-button", onclick: () => this.showPicker({ focus: true }) }, "Autres scénarios")));
    heading.focus();
  }
}

// ---------------------------------------------------------------- pieces

const label = (criterion) => criterion.label || CRITERIA[criterion.id] || criterion.id;

function briefingText(briefing) {
  const paragraphs = String(briefing || "").split(/\n\s*\n/).filter((p) => p.trim());
  return el("div", { class: "sim-briefing-text" }, paragraphs.map((p) => el("p", {}, p.trim())));
}

function factsList(facts) {
  return el("dl", { class: "sim-facts" }, facts.flatMap(([label, value]) => [el("dt", {}, label), el("dd", {}, value)]));
}

function promiseSummary(c) {
  if (!c || !c.action) return el("p", { class: "sim-ko" }, "Aucun engagement clair n'a été obtenu.");
  const parts = [ACTIONS[c.action] || c.action];
  if (c.amount) parts.push(euros(c.amount));
  if (c.date) parts.push(`${c.precision === "exact" ? "le" : "vers le"} ${sayDay(c.date)}`);
  if (c.time) parts.push(`à ${c.time.replace(":", " h ")}`);
  return el("p", {}, "Engagement obtenu : ", el("strong", {}, parts.join(", ")),
    c.precision === "exact" ? "" : " (date floue)");
}

function gauge(score) {
  const r = 42;
  const length = 2 * Math.PI * r;
  const tone = score >= 70 ? "sim-gauge-good" : score >= 40 ? "sim-gauge-mid" : "sim-gauge-low";
  return svg("svg", {
    class: `sim-gauge ${tone}`, viewBox: "0 0 100 100", width: "120", height: "120",
    role: "img", "aria-label": `Score : ${score} sur 100`,
  },
  svg("circle", { cx: "50", cy: "50", r, class: "sim-gauge-track" }),
  svg("circle", {
    cx: "50", cy: "50", r, class: "sim-gauge-value",
    "stroke-dasharray": `${(length * score) / 100} ${length}`, transform: "rotate(-90 50 50)",
  }),
  svg("text", { x: "50", y: "56", "text-anchor": "middle", class: "sim-gauge-text" }, document.createTextNode(String(score))));
}

/** The call as a line of turns; criteria earned (green) or missed (red) are marked where they happened. */
function timeline(report) {
  const turns = Math.max(report.transcript.length, 1);
  const width = 640;
  const x = (turn) => 20 + ((width - 40) * Math.min(turn, turns)) / turns;
  const marks = report.criteria.filter((c) => Number.isInteger(c.turn));
  const title = marks.map((c) => `${c.passed ? "Atteint" : "Manqué"} au tour ${c.turn} : ${label(c)}`).join(". ");
  return svg("svg", {
    class: "sim-timeline", viewBox: `0 0 ${width} 70`, role: "img",
    "aria-label": title || "Aucun moment marquant n'a été relevé.",
  },
  svg("line", { x1: "20", y1: "35", x2: String(width - 20), y2: "35", class: "sim-timeline-axis" }),
  report.transcript.map((turn, i) => svg("circle", {
    cx: String(x(i + 1)), cy: "35", r: "3", class: `sim-timeline-turn sim-${turn.speaker}`,
  })),
  marks.map((c, i) => svg("g", { class: c.passed ? "sim-timeline-good" : "sim-timeline-bad" },
    svg("circle", { cx: String(x(c.turn)), cy: i % 2 ? "55" : "15", r: "7" }),
    svg("title", {}, document.createTextNode(`${c.passed ? "✓" : "✗"} ${label(c)} (tour ${c.turn})`)))));
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
  if (page && page.root !== root) { page.dispose(); page = null; }
  if (!root || root.dataset.mounted) return;
  root.dataset.mounted = "true";
  page = new SimulatorPage(root);
  page.start().catch((error) => {
    console.error(error);
    root.replaceChildren(el("p", { class: "sim-error", role: "alert" },
      "Le simulateur n'a pas pu s'afficher. Rechargez la page ; si le problème continue, "
      + "effacez la progression du simulateur depuis la page « Ma progression »."));
  });
}

// Start Python as early as possible on a first visit to the simulator page.
if (document.getElementById("simulateur")) startEngine();

// mkdocs-material's instant navigation swaps pages without reloading scripts:
// `document$` emits on every page, including the first.
if (window.document$) window.document$.subscribe(mount);
else document.addEventListener("DOMContentLoaded", mount);
