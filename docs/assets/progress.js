// The one storage module of the site: everything the learner does is kept in
// this browser's localStorage, under keys that start with "rp:v1:". No cookie,
// no server. Nothing here ever throws at a page: unreadable data is dropped
// (with a notice for the learner) and a blocked storage falls back to memory.
//
// Key layout (values are JSON):
//   rp:v1:ex:<exercise-id>   {kind, answer, correct, succeeded, score, attempts, date, variant?, result?}
//   rp:v1:module:<NN>        {total, succeeded, updated}          (NN = "01" … "10")
//   rp:v1:simulateur         {"<scenario-id>": {best, passed?, attempts: [...]}}
//                            passed: one of its calls got the debrief's "Appel réussi"
//   rp:v1:simulateur:appel   {scenario, seed, lines, startedAt}   the unfinished call, if any
//   rp:v1:reprise            {module, date}                       the last module page opened
//                                                                 ("Reprendre : module N" on the home page)
// The unfinished call has a key of its own: it is written after every line, and the
// attempts (5 to 10 KB each with their debrief, up to 80) must not be read and written
// again each time.
// Older pages kept it as "_current" inside rp:v1:simulateur; it is still read there.
// Export file: {"format": "rp-progression", "version": 1, "exported": ISO, "data": {"ex:…": …}}

export const PREFIX = "rp:v1:";
export const FORMAT = "rp-progression";
export const VERSION = 1;
const CALL = "simulateur:appel"; // the unfinished call (see the key layout above)
const RESUME = "reprise"; // the last module page opened
// Keys of other versions of the course ("rp:v0:…"); other "rp:…" keys belong to someone else.
const OLD_KEY = /^rp:v\d+:/;
const MAX_IMPORT_BYTES = 5_000_000;
const ID = /^[a-z0-9][a-z0-9-]{0,79}$/;
const NAME = /^[a-z0-9_][a-z0-9_:.-]{0,119}$/;

// ---------------------------------------------------------------- backend

let backend = null;
let persistent = true;
const notices = [];
const listeners = new Set();
const callListeners = new Set();

function memoryStorage() {
  const map = new Map();
  return {
    get length() { return map.size; },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => { map.set(k, String(v)); },
    removeItem: (k) => { map.delete(k); },
  };
}

function store() {
  if (backend) return backend;
  try {
    const local = window.localStorage;
    local.getItem(PREFIX); // throws when the browser blocks storage
    backend = local;
    try {
      const probe = `${PREFIX}__test__`;
      local.setItem(probe, "1");
      local.removeItem(probe);
    } catch {
      // Readable but full: keep what is there, and say why new answers are not kept.
      notify("warning", "L’espace de stockage de votre navigateur est plein : vos nouvelles réponses "
        + "ne seront pas enregistrées. Exportez votre progression, puis libérez de la place.");
    }
  } catch {
    backend = memoryStorage();
    persistent = false;
    notify("warning", "Votre navigateur bloque l’enregistrement local : vos réponses comptent "
      + "pendant cette visite, mais elles seront perdues à la fermeture de l’onglet. "
      + "Pensez à exporter votre progression avant de partir.");
  }
  return backend;
}

/** False when the browser refuses localStorage (progress then lasts one visit only). */
export function isPersistent() {
  store();
  return persistent;
}

function notify(level, text) {
  if (!notices.some((n) => n.text === text)) notices.push({ level, text });
}

/** Messages for the learner about the storage (data reset, storage blocked); each is returned once. */
export function takeNotices() {
  return notices.splice(0, notices.length);
}

/**
 * listener() is called after every change made by this page, an import, a reset or another tab,
 * except to the unfinished call: it is not progress yet, and it changes at every line.
 */
export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit() {
  for (const listener of [...listeners]) {
    try { listener(); } catch (error) { console.error(error); }
  }
}

/** Tell the listeners that the entry `name` changed (the unfinished call excepted, see onChange). */
function changed(name) {
  if (name !== CALL && name !== RESUME) emit();
}

/**
 * listener(call) is called when another tab of this browser writes or removes the unfinished
 * call (`call` is what it wrote, or null): two tabs on one call would otherwise each write
 * their own lines. This page's own writes never call it.
 */
export function onCallChangedElsewhere(listener) {
  callListeners.add(listener);
  return () => callListeners.delete(listener);
}

function callChangedElsewhere() {
  const call = read(CALL);
  for (const listener of [...callListeners]) {
    try { listener(call); } catch (error) { console.error(error); }
  }
}

if (typeof window !== "undefined") {
  window.addEventListener("storage", (event) => {
    if (event.key === null) { emit(); callChangedElsewhere(); } // another tab cleared everything
    else if (event.key === PREFIX + CALL) callChangedElsewhere();
    else if (event.key.startsWith(PREFIX)) changed(event.key.slice(PREFIX.length));
  });
}

function ownKeys() {
  const s = store();
  const keys = [];
  for (let i = 0; i < s.length; i += 1) {
    const key = s.key(i);
    if (key && OLD_KEY.test(key)) keys.push(key);
  }
  return keys;
}

// ---------------------------------------------------------------- shapes

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isCount = (v) => Number.isInteger(v) && v >= 0;
const isDate = (v) => typeof v === "string" && !Number.isNaN(Date.parse(v));

function validExercise(v) {
  return isObject(v) && typeof v.kind === "string" && "answer" in v
    && typeof v.correct === "boolean" && typeof v.succeeded === "boolean"
    && isCount(v.attempts) && isDate(v.date)
    && (v.score === undefined || (typeof v.score === "number" && v.score >= 0 && v.score <= 1))
    && (v.variant === undefined || isCount(v.variant))
    && (v.result === undefined || isObject(v.result));
}

function validModule(v) {
  return isObject(v) && isCount(v.total) && isCount(v.succeeded) && v.succeeded <= v.total
    && isDate(v.updated);
}

/** An unfinished call, replayed on reload: exactly what simulateur.js saves. */
function validCall(v) {
  return isObject(v) && typeof v.scenario === "string" && ID.test(v.scenario)
    && Number.isInteger(v.seed) && Number.isFinite(v.startedAt)
    && Array.isArray(v.lines) && v.lines.length <= 60
    && v.lines.every((line) => line === null || (typeof line === "string" && line.length <= 2000));
}

function validSimulator(v) {
  if (!isObject(v)) return false;
  return Object.entries(v).every(([key, entry]) => {
    if (key === "_current") return entry === null || validCall(entry);
    if (key.startsWith("_")) return true;
    return isObject(entry) && typeof entry.best === "number" && entry.best >= 0
      && entry.best <= 100 && Array.isArray(entry.attempts)
      && (entry.passed === undefined || typeof entry.passed === "boolean");
  });
}

function validResume(v) {
  return isObject(v) && typeof v.module === "string" && /^\d{2}$/.test(v.module) && isDate(v.date);
}

/** Is `value` acceptable under the key name (without the prefix)? */
function validEntry(name, value) {
  if (!NAME.test(name)) return false;
  if (name === RESUME) return validResume(value);
  if (name.startsWith("ex:")) return ID.test(name.slice(3)) && validExercise(value);
  if (name.startsWith("module:")) return /^\d{2}$/.test(name.slice(7)) && validModule(value);
  if (name === "simulateur") return validSimulator(value);
  if (name === CALL) return validCall(value);
  return value !== undefined; // a key added by a later feature: kept as it is
}

// ---------------------------------------------------------------- read / write

const CORRUPTED = "Une partie de votre progression enregistrée dans ce navigateur était illisible : "
  + "elle a été remise à zéro. Le reste de vos réponses est intact.";
const OLD = "Votre progression venait d’une ancienne version du cours et ne pouvait pas être relue : "
  + "elle a été remise à zéro. Toutes nos excuses pour ce désagrément.";

function read(name) {
  let raw = null;
  try { raw = store().getItem(PREFIX + name); } catch { return null; }
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw);
    if (validEntry(name, value)) return value;
  } catch { /* unreadable: dropped below */ }
  drop(PREFIX + name, CORRUPTED);
  return null;
}

function drop(key, message) {
  try { store().removeItem(key); } catch { /* nothing more to do */ }
  notify("warning", message);
}

function write(name, value) {
  if (!validEntry(name, value)) {
    // A programming error, not the learner's: refuse it without breaking the page.
    console.error(`progress.js: refused to store an invalid value under ${PREFIX}${name}`, value);
    return false;
  }
  try {
    store().setItem(PREFIX + name, JSON.stringify(value));
  } catch {
    notify("warning", "Votre réponse n’a pas pu être enregistrée : l’espace de stockage de "
      + "votre navigateur est plein ou bloqué.");
    return false;
  }
  changed(name);
  return true;
}

/**
 * Check every stored entry once: drop what cannot be read or comes from an old
 * version, with a notice (see takeNotices). Returns the number of entries dropped.
 */
export function checkStorage() {
  let dropped = 0;
  for (const key of ownKeys()) {
    if (!key.startsWith(PREFIX)) {
      drop(key, OLD);
      dropped += 1;
    } else if (read(key.slice(PREFIX.length)) === null) {
      dropped += 1;
    }
  }
  return dropped;
}

// ---------------------------------------------------------------- exercises and modules

export function loadExercise(id) {
  return ID.test(id) ? read(`ex:${id}`) : null;
}

/** Drop one exercise's saved answer, with the usual notice, when it cannot be replayed. */
export function forgetExercise(id) {
  if (ID.test(id)) drop(`${PREFIX}ex:${id}`, CORRUPTED);
}

export function saveExercise(id, record) {
  return write(`ex:${id}`, record);
}

const moduleKey = (module) => `module:${String(module).padStart(2, "0")}`;

export function loadModule(module) {
  return read(moduleKey(module));
}

/** Recount a module from its exercise ids, store the summary and return it. */
export function updateModule(module, ids) {
  const summary = moduleProgress(ids);
  const record = { total: summary.total, succeeded: summary.succeeded, updated: new Date().toISOString() };
  write(moduleKey(module), record);
  return summary;
}

/** {total, attempted, succeeded} over the given exercise ids (source of truth: the exercise entries). */
export function moduleProgress(ids) {
  let attempted = 0;
  let succeeded = 0;
  for (const id of ids) {
    const record = loadExercise(id);
    if (record && record.attempts > 0) attempted += 1;
    if (record && record.succeeded) succeeded += 1;
  }
  return { total: ids.length, attempted, succeeded };
}

/** Remember the module page the learner opened last ("01"…"10"); false if not stored. */
export function saveResume(module) {
  const previous = read(RESUME);
  if (previous && previous.module === module) return true; // one write per new module, not per page view
  return write(RESUME, { module, date: new Date().toISOString() });
}

/** {module, date} of the last module page opened, or null. */
export function loadResume() {
  return read(RESUME);
}

/** {"00": {total, succeeded, updated}, …}: every module summary stored. */
export function loadModules() {
  const modules = {};
  for (const key of ownKeys()) {
    const match = key.match(/^rp:v1:module:(\d{2})$/);
    if (!match) continue;
    const value = read(`module:${match[1]}`);
    if (value) modules[match[1]] = value;
  }
  return modules;
}

// ---------------------------------------------------------------- simulator

/** The simulator's attempts: {"<scenario-id>": {best, attempts}}. */
export function loadSimulator() {
  const data = read("simulateur") || {};
  delete data._current; // an older page's unfinished call: see loadCall
  return data;
}

export function saveSimulator(data) {
  return write("simulateur", data);
}

/** A simulator score from which a call counts as succeeded, for calls kept without their verdict
 * (stored before December 2026, or restored from an LMS, which keeps the best score only). */
export const PASS_MARK = 70;

/** Did the learner succeed in this scenario (the debrief's verdict, "Appel réussi")? */
export function callSucceeded(entry) {
  if (!entry) return false;
  if (typeof entry.passed === "boolean") return entry.passed;
  return Number(entry.best) >= PASS_MARK;
}

let legacyCall = false; // loadCall found an older page's call inside the attempts

/** The unfinished call ({scenario, seed, lines, startedAt}), or null. */
export function loadCall() {
  const call = read(CALL);
  if (call) return call;
  const legacy = read("simulateur");
  legacyCall = Boolean(legacy && legacy._current);
  return legacyCall ? legacy._current : null;
}

/** Keep the unfinished call, or forget it (null); false if the browser refused to store it. */
export function saveCall(call) {
  // An older page's call is moved out of the attempts once (loadSimulator leaves it out);
  // should that write fail, it is tried again next time, else the call could come back.
  if (legacyCall && saveSimulator(loadSimulator())) legacyCall = false;
  if (call) return write(CALL, call);
  try { store().removeItem(PREFIX + CALL); } catch { return false; }
  return true;
}

// ---------------------------------------------------------------- export / import / reset

/** Every entry of the namespace, as the object written to the export file. */
export function exportProgress() {
  const data = {};
  for (const key of ownKeys()) {
    if (!key.startsWith(PREFIX)) continue;
    const name = key.slice(PREFIX.length);
    const value = read(name);
    if (value !== null) data[name] = value;
  }
  return { format: FORMAT, version: VERSION, exported: new Date().toISOString(), data };
}

/** Offer the export as a file download; returns the file name. */
export function downloadProgress() {
  const text = JSON.stringify(exportProgress(), null, 1);
  const name = `progression-se-faire-payer-${new Date().toISOString().slice(0, 10)}.json`;
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

function refuse(message) {
  return { ok: false, message: `${message} Votre progression actuelle n’a pas été modifiée.` };
}

/**
 * Replace all progress with the content of an export file (its text).
 * Returns {ok, message, count}; when ok is false nothing has changed.
 */
export function importProgress(text) {
  if (typeof text !== "string" || text.length === 0) return refuse("Ce fichier est vide.");
  if (text.length > MAX_IMPORT_BYTES) return refuse("Ce fichier est bien trop gros pour être une progression de ce cours.");
  let file;
  try {
    file = JSON.parse(text);
  } catch {
    return refuse("Ce fichier n’est pas un fichier JSON lisible : choisissez le fichier créé par le bouton « Enregistrer ma progression dans un fichier ».");
  }
  if (!isObject(file) || file.format !== FORMAT) {
    return refuse("Ce fichier ne contient pas une progression de ce cours.");
  }
  if (file.version !== VERSION) {
    return refuse(`Ce fichier vient d’une version du cours que cette page ne sait pas lire (version ${String(file.version).slice(0, 20)}).`);
  }
  if (!isObject(file.data)) return refuse("Ce fichier est incomplet : la partie « data » manque.");
  for (const [name, value] of Object.entries(file.data)) {
    if (!validEntry(name, value)) {
      return refuse(`Ce fichier est abîmé : l’entrée « ${name.slice(0, 60)} » n’a pas la forme attendue.`);
    }
  }
  const s = store();
  const before = ownKeys().filter((k) => k.startsWith(PREFIX)).map((k) => [k, s.getItem(k)]);
  try {
    for (const [key] of before) s.removeItem(key);
    for (const [name, value] of Object.entries(file.data)) s.setItem(PREFIX + name, JSON.stringify(value));
  } catch {
    for (const key of ownKeys()) if (key.startsWith(PREFIX)) s.removeItem(key);
    for (const [key, raw] of before) s.setItem(key, raw);
    return refuse("L’espace de stockage de votre navigateur est plein.");
  }
  emit();
  const count = Object.keys(file.data).filter((n) => n.startsWith("ex:")).length;
  const simulator = isObject(file.data.simulateur)
    && Object.keys(file.data.simulateur).some((k) => !k.startsWith("_"));
  const exercises = count === 0 ? "aucun exercice" : `${count} exercice${count > 1 ? "s" : ""}`;
  return {
    ok: true,
    count,
    message: `Progression importée : ${exercises}${simulator ? " et vos appels au simulateur" : ""}.`,
  };
}

/** Erase all progress of this course in this browser (the caller asks for confirmation first). */
export function resetProgress() {
  for (const key of ownKeys()) {
    try { store().removeItem(key); } catch { /* already gone */ }
  }
  emit();
}
