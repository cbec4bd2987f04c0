// The course as a path, on every page: ticks beside the modules in the side navigation,
// the home page's "Commencer" / "Reprendre : module N" and its course map, the last
// module page opened (where "Reprendre" leads), and glossary terms reachable by keyboard
// and touch. Everything it shows comes from progress.js; it runs once per page shown,
// never while the learner types.

import { h } from "./dom.js";
import * as progress from "./progress.js";

const MODULE_PATH = /\/modules\/(\d{2})-[^/]*\/?$/;

/** "03" for a link to modules/03-…/, else null. */
function moduleOf(href) {
  try {
    const match = new URL(href, window.location.href).pathname.match(MODULE_PATH);
    return match ? match[1] : null;
  } catch {
    return null;
  }
}

/** "done" (every exercise of the module right), "started" (some), or null. */
function stateOf(summary) {
  if (!summary || !summary.total) return null;
  if (summary.succeeded >= summary.total) return "done";
  return summary.succeeded > 0 ? "started" : null;
}

const STATE_TEXT = { done: "terminé", started: "commencé" };

// ---------------------------------------------------------------- side navigation

function markNavigation(modules) {
  for (const link of document.querySelectorAll(".md-nav--primary a.md-nav__link[href]")) {
    const module = moduleOf(link.getAttribute("href"));
    if (!module) continue;
    link.querySelector(".rp-nav-state")?.remove();
    const state = stateOf(modules[module]);
    if (!state) continue;
    link.append(h("span", { class: `rp-nav-state rp-nav-state--${state}`, title: `Module ${STATE_TEXT[state]}` },
      h("span", { "aria-hidden": "true" }, state === "done" ? "✓" : "◐"),
      h("span", { class: "rp-sr" }, ` (${STATE_TEXT[state]})`)));
  }
}

// ---------------------------------------------------------------- home page

/** The module to resume: the last one opened, or the next one once it is done. */
function resumeTarget(map, modules) {
  const last = progress.loadResume();
  const entries = [...map.querySelectorAll("a[href]")]
    .map((link) => ({ link, module: moduleOf(link.getAttribute("href")) }))
    .filter((entry) => entry.module);
  if (!entries.length) return null;
  const started = Object.values(modules).some((m) => m.succeeded > 0);
  if (!last && !started) return null; // a new learner
  let at = last ? entries.findIndex((e) => e.module === last.module) : -1;
  if (at < 0) at = entries.findIndex((e) => stateOf(modules[e.module]) !== "done");
  if (at < 0) return null; // everything done: "Commencer" is as good as anything
  if (stateOf(modules[entries[at].module]) === "done" && at + 1 < entries.length) at += 1;
  return entries[at];
}

function showHome(modules) {
  const hero = document.querySelector(".rp-hero");
  const map = document.querySelector(".rp-map");
  if (!hero || !map) return;
  for (const item of map.querySelectorAll("li")) {
    const link = item.querySelector("a[href]");
    const module = link && moduleOf(link.getAttribute("href"));
    item.querySelector(".rp-map__state")?.remove();
    item.classList.remove("rp-map--done", "rp-map--started");
    const summary = module && modules[module];
    const state = stateOf(summary);
    if (!summary) continue;
    if (state) item.classList.add(`rp-map--${state}`);
    item.append(h("span", { class: "rp-map__state" },
      state === "done" ? h("span", { "aria-hidden": "true" }, "✓ ") : null,
      state === "done" ? "Terminé" : `${summary.succeeded} exercice${summary.succeeded > 1 ? "s" : ""} réussi${summary.succeeded > 1 ? "s" : ""} sur ${summary.total}`));
  }
  const start = hero.querySelector(".rp-hero__start");
  const note = hero.querySelector(".rp-hero__resume");
  if (!start) return;
  start.dataset.startHref ??= start.getAttribute("href");
  start.dataset.startText ??= start.textContent;
  const target = resumeTarget(map, modules);
  if (!target) {
    start.setAttribute("href", start.dataset.startHref);
    start.textContent = start.dataset.startText;
    if (note) note.hidden = true;
    return;
  }
  const number = Number(target.module);
  start.setAttribute("href", target.link.getAttribute("href"));
  start.textContent = `Reprendre : module ${number}`;
  if (note) {
    note.replaceChildren(`Vous en êtes au module ${number} : ${target.link.textContent.trim()}. `,
      h("a", { href: start.dataset.startHref }, "Revoir le début du cours"));
    note.hidden = false;
  }
}

// ---------------------------------------------------------------- glossary terms

/**
 * Glossary terms are <abbr title> (includes/abbreviations.md); mkdocs-material's tooltips
 * show them on hover and on focus. The first use of each term on a page is made focusable,
 * so that keyboard and touch reach its definition too (every use would mean dozens of stops).
 */
function focusableTerms() {
  const seen = new Set();
  for (const term of document.querySelectorAll(".md-content abbr")) {
    const word = term.textContent.trim().toLowerCase();
    if (seen.has(word) || term.closest("a, button, label, summary, h1, h2, h3, h4")) continue;
    seen.add(word);
    term.tabIndex = 0;
  }
}

// ---------------------------------------------------------------- checklists

/** Lists whose every item starts with a box to tick (☐) lose their bullets: one mark is enough. */
function markChecklists() {
  for (const list of document.querySelectorAll(".md-content ul:not(.rp-checklist)")) {
    const items = [...list.children];
    if (items.length && items.every((li) => li.textContent.trimStart().startsWith("☐"))) list.classList.add("rp-checklist");
  }
}

// ---------------------------------------------------------------- every page

let stop = null;

function refresh() {
  const modules = progress.loadModules();
  markNavigation(modules);
  showHome(modules);
}

function initPage() {
  const module = moduleOf(window.location.href);
  if (module) progress.saveResume(module);
  refresh();
  focusableTerms();
  markChecklists();
  if (!stop) stop = progress.onChange(refresh); // an answer, an import, another tab
}

// mkdocs-material's instant navigation swaps pages without reloading scripts:
// `document$` emits on every page, including the first.
if (window.document$) window.document$.subscribe(initPage);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initPage);
else initPage();
