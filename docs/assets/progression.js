// The "Ma progression" page (docs/progression.md): every module with a bar,
// the simulator's best scores, the next suggested step, and export / import /
// reset of all progress. Everything it shows comes from progress.js.

import { h, plural } from "./dom.js";
import * as progress from "./progress.js";

const moduleName = (m) => `module ${m.module} : ${String(m.title || "").replace(/^\d+\.\s*/, "")}`;
const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

async function fetchJson(url) {
  try {
    const response = await fetch(url, { cache: "no-cache" });
    if (!response.ok) return null;
    return await response.json();
  } catch {
    return null;
  }
}

class ProgressionPage {
  constructor(root, siteRoot, showNotices) {
    this.root = root;
    this.siteRoot = siteRoot;
    this.showNotices = showNotices;
    this.index = null;
    this.scenarios = null;
  }

  async start() {
    this.root.replaceChildren(h("p", { class: "rp-loading" }, "Chargement de votre progression…"));
    const [index, scenarios] = await Promise.all([
      fetchJson(new URL("exercices/index.json", this.siteRoot)),
      fetchJson(new URL("simulateur/scenarios/index.json", this.siteRoot)),
    ]);
    this.index = index && Array.isArray(index.modules) ? index : { modules: [], pages: [] };
    this.scenarios = Array.isArray(scenarios) ? scenarios.filter((s) => s && typeof s.id === "string") : null;
    this.stop = progress.onChange(() => {
      if (!this.root.isConnected) { this.stop(); return; }
      this.render();
    });
    this.render();
  }

  url(path) {
    return new URL(path, this.siteRoot).href;
  }

  render() {
    const focused = document.activeElement && this.root.contains(document.activeElement)
      ? document.activeElement.id : null;
    const modules = this.index.modules.map((m) => ({
      ...m, ...progress.moduleProgress(m.exercises.map((e) => e.id)),
    }));
    const simulator = progress.loadSimulator();
    this.root.replaceChildren(
      this.overview(modules, simulator),
      this.next(modules, simulator),
      this.modules(modules),
      this.simulator(simulator),
      this.tools(),
    );
    if (focused) document.getElementById(focused)?.focus();
  }

  overview(modules, simulator) {
    const total = modules.reduce((n, m) => n + m.total, 0);
    const done = modules.reduce((n, m) => n + m.succeeded, 0);
    const text = total === 0
      ? "La liste des exercices n’a pas pu être chargée. Rechargez la page ; vos réponses restent enregistrées."
      : done === 0 ? `Vous n’avez pas encore réussi d’exercice : ${plural(total, "exercice vous attend", "exercices vous attendent")} dans les modules.`
        : `Vous avez réussi ${done} exercice${done > 1 ? "s" : ""} sur ${total}.`;
    const overview = h("div", { class: "rp-overview" }, h("p", {}, text));
    if (this.scenarios && this.scenarios.length) {
      const calls = this.scenarios.length;
      const good = this.scenarios.filter((s) => progress.callSucceeded(simulator[s.id])).length;
      const tried = this.scenarios.filter((s) => simulator[s.id] && simulator[s.id].attempts.length).length;
      overview.append(h("p", {}, good ? `Au simulateur, vous avez réussi ${good} appel${good > 1 ? "s" : ""} sur ${calls}.`
        : tried ? `Au simulateur, vous avez essayé ${plural(tried, "appel", "appels")} sur ${calls} : aucun n’est encore réussi.`
          : `Au simulateur, ${plural(calls, "appel vous attend", "appels vous attendent")}.`));
    }
    return overview;
  }

  next(modules, simulator) {
    const box = h("div", { class: "rp-next" }, h("h2", { id: "prochaine-etape" }, "Votre prochaine étape"));
    const todo = modules.find((m) => m.succeeded < m.total);
    if (todo) {
      const left = todo.total - todo.succeeded;
      box.append(h("p", {},
        todo.attempted ? "Reprenez le " : "Continuez avec le ",
        h("a", { href: this.url(`${todo.url}#exercices`) }, moduleName(todo)),
        ` : ${plural(left, "exercice reste", "exercices restent")} à réussir.`));
      return box;
    }
    if (this.scenarios && this.scenarios.length) {
      const call = this.scenarios.find((s) => !(progress.callSucceeded(simulator[s.id])));
      if (call) {
        const tried = simulator[call.id] && simulator[call.id].attempts.length;
        box.append(h("p", {},
          tried ? "Retentez au simulateur l’appel " : "Entraînez-vous au simulateur avec l’appel ",
          h("a", { href: this.url(`simulateur/?scenario=${encodeURIComponent(call.id)}`) }, `« ${call.title} »`),
          `${tried ? ", jusqu’à obtenir « Appel réussi »" : ""}.`));
        return box;
      }
    }
    if (modules.length) {
      box.append(h("p", {}, "Bravo, vous avez tout réussi ! Imprimez votre liste de contrôle et votre attestation depuis le ",
        h("a", { href: this.url("modules/10-bilan/") }, "module Bilan"), "."));
    } else {
      box.append(h("p", {}, "Commencez par le ", h("a", { href: this.url("modules/00-bienvenue/") }, "module de bienvenue"), "."));
    }
    return box;
  }

  modules(modules) {
    const section = h("section", { class: "rp-progress-modules", "aria-labelledby": "rp-modules-titre" },
      h("h2", { id: "rp-modules-titre" }, "Les modules"));
    const list = h("ul", { class: "rp-modules" });
    for (const m of modules) {
      const id = `rp-bar-${m.module}`;
      const retry = m.attempted - m.succeeded;
      list.append(h("li", { class: `rp-module${m.succeeded === m.total ? " rp-module--done" : ""}` },
        h("a", { href: this.url(m.url), id: `${id}-titre` }, capital(moduleName(m))),
        h("progress", { max: m.total, value: m.succeeded, "aria-labelledby": `${id}-titre ${id}-texte` }),
        h("span", { class: "rp-module__count", id: `${id}-texte` },
          `${m.succeeded} sur ${m.total} réussi${m.succeeded > 1 ? "s" : ""}`,
          retry > 0 ? ` · ${retry} à retenter` : "")));
    }
    section.append(modules.length ? list : h("p", {}, "Aucun module à afficher pour le moment."));
    return section;
  }

  simulator(data) {
    const section = h("section", { class: "rp-progress-sim", "aria-labelledby": "rp-sim-titre" },
      h("h2", { id: "rp-sim-titre" }, "Le simulateur d’appel"));
    if (!this.scenarios) {
      section.append(h("p", {}, "La liste des appels du simulateur n’est pas disponible pour le moment. Vos scores restent enregistrés."));
      return section;
    }
    if (!this.scenarios.length) {
      section.append(h("p", {}, "Aucun appel n’est encore proposé."));
      return section;
    }
    const table = h("table", {},
      h("caption", { class: "rp-sr" }, "Meilleur score par appel du simulateur"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Appel"), h("th", { scope: "col" }, "Meilleur score"),
        h("th", { scope: "col" }, "Essais"))));
    const body = h("tbody");
    for (const s of this.scenarios) {
      const entry = data[s.id];
      const tries = entry ? entry.attempts.length : 0;
      body.append(h("tr", {},
        h("th", { scope: "row" }, String(s.title || s.id)),
        h("td", {}, entry ? `${Math.round(entry.best)} / 100${progress.callSucceeded(entry) ? " ✓ réussi" : ""}` : "Pas encore essayé"),
        h("td", {}, String(tries))));
    }
    table.append(body);
    section.append(h("div", { class: "md-typeset__scrollwrap" }, h("div", { class: "md-typeset__table" }, table)),
      h("p", {}, h("a", { href: this.url("simulateur/") }, "Ouvrir le simulateur")));
    return section;
  }

  tools() {
    const section = h("section", { class: "rp-progress-tools", "aria-labelledby": "rp-tools-titre" },
      h("h2", { id: "rp-tools-titre" }, "Garder votre progression, la reprendre ailleurs"),
      h("p", {}, "Votre progression reste dans ce navigateur, sur cet appareil. Pour la mettre à l’abri, ou pour continuer "
        + "sur un autre appareil (votre téléphone, un autre ordinateur), enregistrez-la dans un fichier : "
        + "sur l’autre appareil, ouvrez ce fichier avec « Reprendre depuis un fichier »."));
    if (!progress.isPersistent()) {
      section.append(h("p", { class: "rp-warning" }, "Ce navigateur n’autorise pas l’enregistrement local : enregistrez votre progression dans un fichier avant de fermer l’onglet."));
    }
    const message = h("p", { class: "rp-tools-message", role: "status", "aria-live": "polite" });
    const exportButton = h("button", { type: "button", class: "md-button md-button--primary", id: "rp-export" },
      "Enregistrer ma progression dans un fichier");
    exportButton.addEventListener("click", () => {
      const name = progress.downloadProgress();
      message.textContent = `C’est fait : le fichier « ${name} » est dans vos téléchargements. Gardez-le, il vous permettra de reprendre ailleurs.`;
    });

    // The native file picker speaks the browser's language; a French button stands in for it.
    const fileInput = h("input", { type: "file", id: "rp-import", accept: ".json,application/json", class: "rp-file rp-sr" });
    fileInput.addEventListener("change", async () => {
      const file = fileInput.files && fileInput.files[0];
      if (!file) return;
      let text = "";
      try {
        text = await file.text();
      } catch {
        message.textContent = "Ce fichier n’a pas pu être lu. Votre progression actuelle n’a pas été modifiée.";
        return;
      }
      const result = progress.importProgress(text);
      fileInput.value = "";
      this.lastMessage = result.message;
      message.textContent = result.message;
      if (result.ok) { this.render(); this.flash(result.message); }
    });
    const importLabel = h("label", { for: "rp-import", class: "md-button rp-file-button" }, "Reprendre depuis un fichier…");

    const reset = h("button", { type: "button", class: "md-button rp-danger", id: "rp-reset", "aria-expanded": "false",
      "aria-controls": "rp-reset-confirm" }, "Effacer ma progression…");
    const confirmBox = h("div", { id: "rp-reset-confirm", class: "rp-confirm", hidden: true },
      h("p", { id: "rp-reset-question" }, "Effacer toute votre progression (exercices et simulateur) dans ce navigateur ? "
        + "C’est définitif : enregistrez-la d’abord dans un fichier si vous voulez la garder."));
    const yes = h("button", { type: "button", class: "md-button rp-danger", id: "rp-reset-yes" }, "Oui, tout effacer");
    const no = h("button", { type: "button", class: "md-button", id: "rp-reset-no" }, "Annuler");
    confirmBox.append(h("p", { class: "rp-confirm__actions" }, yes, " ", no));
    reset.addEventListener("click", () => {
      confirmBox.hidden = false;
      reset.setAttribute("aria-expanded", "true");
      no.focus();
    });
    no.addEventListener("click", () => {
      confirmBox.hidden = true;
      reset.setAttribute("aria-expanded", "false");
      message.textContent = "Rien n’a été effacé.";
      reset.focus();
    });
    yes.addEventListener("click", () => {
      progress.resetProgress();
      this.render();
      this.flash("Votre progression a été effacée.");
    });
    section.append(
      h("div", { class: "rp-tools-buttons" }, exportButton, h("span", { class: "rp-tools-file" }, fileInput, importLabel), reset),
      confirmBox,
      message,
    );
    return section;
  }

  /** After a re-render, say what happened in the (new) live region and keep the focus nearby. */
  flash(text) {
    const message = this.root.querySelector(".rp-tools-message");
    if (message) {
      // Set after the region is in the page so that screen readers announce it.
      setTimeout(() => { message.textContent = text; }, 50);
    }
    this.root.querySelector("#rp-export")?.focus();
    this.showNotices();
  }
}

let current = null;

/** Called on every page (instant navigation): mounts the progress page once if it is there. */
export function initProgressionPage({ siteRoot, showNotices }) {
  const root = document.getElementById("rp-progression");
  if (current && current.root !== root && current.stop) current.stop();
  if (!root || root.dataset.rpReady) return;
  root.dataset.rpReady = "true";
  current = new ProgressionPage(root, siteRoot, showNotices);
  current.start().catch((error) => {
    console.error(error);
    root.replaceChildren(h("p", { role: "alert" }, "Votre progression n’a pas pu s’afficher. Rechargez la page ; vos réponses restent enregistrées."));
  });
}
