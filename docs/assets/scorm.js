// The course's session with an LMS (SCORM 1.2), run by the package's launch page only
// (scorm.html, written by site_build/scorm.py; the plain site never loads this file).
//
// The launch page stays open as long as the course: it finds the LMS's API, opens the session,
// puts the progress the LMS kept back into this browser, then shows the course in its frame.
// The course's pages keep progress in localStorage as on the plain site (progress.js); each
// change they make reaches this page as a `storage` event (progress.onChange), and is reported.
// What is reported, and when (also in docs/auteurs-lms.md):
//   at launch   LMSInitialize; cmi.core.lesson_status "incomplete" if the LMS had "not attempted";
//               cmi.core.exit "suspend" (the learner comes back to the same attempt); LMSCommit
//   after each change of progress (an exercise answered, a call's debrief, an import, a reset),
//               0.4 s later so that one answer makes one commit: cmi.suspend_data,
//               cmi.core.score.raw/min/max, cmi.core.lesson_status, cmi.core.session_time; LMSCommit
//   at each page of the course   cmi.core.lesson_location (the page, for the next launch)
//   when the page is hidden      the same values and LMSCommit (a phone may close it for good)
//   on leaving (pagehide)        the same values, LMSCommit, LMSFinish
// The LMS is the source of truth: at launch its suspend_data replaces this browser's progress
// (localStorage is a cache: the details it still has of the same answers are kept).
// An LMS error is read with LMSGetLastError and told in the banner above the course: the
// course goes on, and progress stays in the browser until a later commit succeeds.

import * as progress from "./progress.js";
import { assess, strongerStatus, timespan } from "./lms-report.js";
import { merge, pack, unpack } from "./suspend-data.js";

const COMMIT_DELAY = 400; // ms: an answer writes the exercise, then its module's summary
const MAX_PARENTS = 7; // SCORM 1.2 RTE's API discovery

const settings = JSON.parse(document.getElementById("rp-lms-settings").textContent);
const frame = document.getElementById("rp-course");
const banner = document.getElementById("rp-lms-message");
const ROOT = new URL("./", document.baseURI);

// ---------------------------------------------------------------- messages

const shown = new Set();

function tell(text) {
  if (shown.has(text)) return;
  shown.add(text);
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = "Fermer ce message";
  close.addEventListener("click", () => { banner.hidden = true; frame.focus(); });
  const paragraph = document.createElement("p");
  paragraph.textContent = text;
  banner.replaceChildren(paragraph, close);
  banner.hidden = false;
}

const KEEP = "Votre progression reste enregistrée dans ce navigateur.";
const ASK = "Si ce message revient, prévenez votre formateur.";

// ---------------------------------------------------------------- finding the LMS

function searchFrom(start) {
  let win = start;
  for (let hops = 0; win && hops <= MAX_PARENTS; hops += 1) {
    try {
      if (win.API && typeof win.API.LMSInitialize === "function") return win.API;
    } catch { /* a window of another origin: go on with its parent */ }
    if (!win.parent || win.parent === win) break;
    win = win.parent;
  }
  return null;
}

/** The LMS's SCORM 1.2 API: in this window or a parent, else in the window that opened it. */
export function findApi(win = window) {
  let api = searchFrom(win);
  try { if (!api && win.opener) api = searchFrom(win.opener); } catch { /* closed */ }
  try { if (!api && win.top && win.top.opener) api = searchFrom(win.top.opener); } catch { /* closed */ }
  return api;
}

// ---------------------------------------------------------------- the session

class Session {
  constructor(api) {
    this.api = api;
    this.started = Date.now();
    this.live = false;      // LMSInitialize succeeded and LMSFinish is not called yet
    this.readOnly = false;  // browse or review mode: the LMS keeps nothing
    this.keepSuspend = false; // suspend_data we could not read is never written over
    this.sent = new Map();
    this.timer = 0;
    this.commits = 0;
    this.failures = 0;
    this.lastPack = null;
  }

  /** Call an API function; an exception (a broken LMS) counts as a failure, never breaks the page. */
  call(name, ...args) {
    try {
      return String(this.api[name](...args));
    } catch (error) {
      console.error(`LMS : ${name} a échoué`, error);
      return "false";
    }
  }

  /** The last error, as "N : text", read from the LMS. */
  lastError() {
    const code = this.call("LMSGetLastError");
    const text = code !== "0" && code !== "false" ? this.call("LMSGetErrorString", code) : "";
    const diagnostic = code !== "0" && code !== "false" ? this.call("LMSGetDiagnostic", code) : "";
    if (diagnostic && diagnostic !== "false") console.warn(`LMS : erreur ${code}, ${diagnostic}`);
    return { code, text: text && text !== "false" ? `${code} : ${text}` : code };
  }

  get(element) {
    const value = this.call("LMSGetValue", element);
    return this.lastError().code === "0" ? value : null;
  }

  set(element, value) {
    if (this.sent.get(element) === value) return true;
    if (this.call("LMSSetValue", element, value) === "true") {
      this.sent.set(element, value);
      return true;
    }
    const error = this.lastError();
    this.failures += 1;
    console.error(`LMS : ${element} refusé (erreur ${error.text})`);
    tell(`La plateforme de formation a refusé une donnée du cours (${element}, erreur ${error.text}). ${KEEP} ${ASK}`);
    return false;
  }

  start() {
    if (this.call("LMSInitialize", "") !== "true") {
      const error = this.lastError();
      // 101: the session is open already (the launch page was reloaded): carry on with it.
      if (error.code !== "101") {
        tell(`La plateforme de formation n’a pas pu ouvrir votre session (erreur ${error.text}). Vous pouvez `
          + `suivre le cours : ${KEEP.toLowerCase()} Elle ne sera pas transmise à la plateforme cette fois-ci ; `
          + "fermez puis rouvrez le cours pour réessayer.");
        return null;
      }
    }
    this.live = true;
    const mode = this.get("cmi.core.lesson_mode");
    this.readOnly = mode === "browse" || mode === "review";
    this.status = this.get("cmi.core.lesson_status") || "";
    const raw = parseFloat(this.get("cmi.core.score.raw"));
    this.recordedScore = Number.isFinite(raw) ? raw : null;
    const mastery = parseFloat(this.get("cmi.student_data.mastery_score"));
    this.mastery = Number.isFinite(mastery) ? mastery : null;
    const bookmark = this.get("cmi.core.lesson_location");
    this.restore(this.get("cmi.suspend_data"));
    if (this.readOnly) {
      tell("Mode consultation : la plateforme n’enregistre pas vos réponses pendant cette visite.");
    } else {
      this.set("cmi.core.exit", "suspend");
      this.commit();
    }
    progress.onChange(() => this.schedule());
    return bookmark;
  }

  /** Put the LMS's progress in this browser (null: suspend_data could not be read). */
  restore(text) {
    if (text === null) {
      this.keepSuspend = true;
      tell(`Votre progression n’a pas pu être lue sur la plateforme. ${KEEP} ${ASK}`);
      return;
    }
    const found = unpack(text);
    if (found.status === "newer") {
      this.keepSuspend = true;
      tell("Votre progression a été enregistrée par une version plus récente de ce cours : la plateforme la "
        + "garde telle quelle, mais cette version ne sait pas la relire. " + ASK);
      return;
    }
    if (found.status === "foreign") {
      tell("La progression gardée par la plateforme pour ce cours n’a pas pu être relue : vous repartez de zéro.");
    } else if (found.skipped) {
      console.warn(`LMS : ${found.skipped} élément(s) de progression illisible(s) ignoré(s)`);
    }
    const local = progress.exportProgress().data;
    const data = merge(found.status === "ok" ? found.data : {}, local);
    const result = progress.importProgress(JSON.stringify({
      format: progress.FORMAT, version: progress.VERSION, exported: new Date().toISOString(), data,
    }));
    if (!result.ok) {
      console.error("LMS : progression non restaurée", result.message);
      tell(`Votre progression n’a pas pu être remise dans ce navigateur. ${ASK}`);
      return;
    }
    for (const [module, ids] of Object.entries(settings.modules)) {
      if (ids.some((id) => progress.loadExercise(id))) progress.updateModule(Number(module), ids);
    }
  }

  /** Set every value that describes the learner's progress now. */
  report() {
    const data = progress.exportProgress().data;
    const verdict = assess(data, settings, this.mastery);
    this.status = strongerStatus(this.status, verdict.status);
    const score = Math.max(verdict.score, this.recordedScore ?? 0);
    if (!this.keepSuspend) {
      this.lastPack = pack(data);
      if (this.lastPack.dropped) console.info(`LMS : ${this.lastPack.dropped} élément(s) laissé(s) de côté pour tenir en 4 096 caractères`);
      this.set("cmi.suspend_data", this.lastPack.text);
    }
    this.set("cmi.core.score.min", "0");
    this.set("cmi.core.score.max", "100");
    this.set("cmi.core.score.raw", String(score));
    this.set("cmi.core.lesson_status", this.status);
    this.set("cmi.core.session_time", timespan(Date.now() - this.started));
    this.verdict = verdict;
  }

  commit() {
    clearTimeout(this.timer);
    if (!this.live || this.readOnly) return;
    this.report();
    this.commits += 1;
    if (this.call("LMSCommit", "") !== "true") {
      this.failures += 1;
      const error = this.lastError();
      tell(`La plateforme de formation n’a pas enregistré votre progression (erreur ${error.text}). Elle reste `
        + `dans ce navigateur et lui sera renvoyée à votre prochaine réponse. ${ASK}`);
    }
  }

  schedule() {
    clearTimeout(this.timer);
    if (this.live && !this.readOnly) this.timer = setTimeout(() => this.commit(), COMMIT_DELAY);
  }

  /** The page shown in the frame, kept as the bookmark for the next launch (255 characters at most). */
  follow(url) {
    if (!this.live || this.readOnly || !url || url.length > 255) return;
    this.set("cmi.core.lesson_location", url);
  }

  finish() {
    if (!this.live) return;
    if (!this.readOnly) this.commit();
    this.live = false;
    if (this.call("LMSFinish", "") !== "true") console.error("LMS : LMSFinish a échoué", this.lastError().text);
  }
}

// ---------------------------------------------------------------- the course in its frame

/** A page of this package (relative to it) from a bookmark; null if it is not one. */
function coursePage(bookmark) {
  if (!bookmark) return null;
  let url;
  try { url = new URL(bookmark, ROOT); } catch { return null; }
  const path = url.pathname.slice(ROOT.pathname.length);
  if (url.origin !== ROOT.origin || !url.pathname.startsWith(ROOT.pathname) || !/\.html$/.test(path)
    || path === "scorm.html") return null;
  return path + url.search;
}

function shownPage() {
  try {
    const url = new URL(frame.contentWindow.location.href);
    return url.href.startsWith(ROOT.href) ? coursePage(url.pathname.slice(ROOT.pathname.length) + url.search) : null;
  } catch {
    return null; // a page of another origin
  }
}

/** The page to open: the bookmark if this package still has it (a new version may not), else the start. */
async function firstPage(bookmark) {
  const page = coursePage(bookmark);
  if (page) {
    try {
      if ((await fetch(new URL(page, ROOT), { method: "HEAD" })).ok) return page;
    } catch { /* offline or refused: the start page */ }
  }
  return settings.start;
}

async function main() {
  const api = findApi();
  let bookmark = null;
  let session = null;
  if (!api) {
    tell(`Ce cours n’est relié à aucune plateforme de formation. ${KEEP}`);
  } else {
    session = new Session(api);
    window.rpLms = session; // for diagnostics (and the tests)
    bookmark = session.start();
    if (!session.live) session = null;
  }
  if (session) {
    frame.addEventListener("load", () => session.follow(shownPage()));
    document.addEventListener("visibilitychange", () => { if (document.visibilityState === "hidden") session.commit(); });
    window.addEventListener("pagehide", () => session.finish());
  }
  frame.src = new URL(await firstPage(bookmark), ROOT).href;
}

main();
