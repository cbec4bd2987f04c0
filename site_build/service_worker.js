// The course's service worker: the site keeps working offline, one version at a time.
//
// site_build/offline.py writes this file as /sw.js, with PRECACHE filled in: every file of
// the course ("course": pages, assets, exercises, scenarios, search index) and of the Python
// engine ("engine": Pyodide's runtime, the lock file, the simulator wheel), each with the
// start of its sha256 ("revision"). What it does:
// - installing a version keeps every course file in Cache Storage (recouvrement-cours),
//   each under its URL and revision, and checks every file's sha256: a server already
//   serving another build makes the install fail, never a mix;
// - the engine (about 4 MB over the wire) is kept once the learner wants it
//   (recouvrement-python): as soon as its files are asked for (the simulator, a writing
//   exercise), or when the page says so (the home page's "Disponible hors connexion");
//   its files are kept as they pass, so nothing is downloaded twice;
// - a new version installs beside the running one, with the engine if it was kept, and
//   waits; the page offers "Recharger", which activates it (message "recharger"): every
//   file then comes from the new version at once, and the old version's entries go;
// - offline, a page never kept gets a page that says so, in French.
// Messages from a page: {type: "etat"} -> {type: "etat", ...}; {type: "moteur"} (keep the
// engine; {type: "progression"} messages follow); {type: "recharger"}.

const PRECACHE = __PRECACHE__;

const SCOPE = new URL("./", self.location.href).href;
const CACHES = { course: "recouvrement-cours", engine: "recouvrement-python" };
// Kept in the engine's cache: the learner wants the engine on this device (read at each install).
const WISH = new URL("hors-ligne/moteur", SCOPE).href;
const PARALLEL = 4;

const FILES = new Map(); // absolute URL (without query) -> entry
const GROUPS = { course: [], engine: [] };
for (const group of Object.keys(GROUPS)) {
  for (const [path, revision, bytes] of PRECACHE[group]) {
    const url = new URL(path, SCOPE).href;
    const entry = { group, url, revision, bytes, key: `${url}?v=${revision}` };
    GROUPS[group].push(entry);
    FILES.set(url, entry);
    if (url.endsWith("/")) FILES.set(`${url}index.html`, entry);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    await keepGroup("course");
    if (await wished()) await keepGroup("engine");
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const group of Object.keys(GROUPS)) {
      const cache = await caches.open(CACHES[group]);
      const current = new Set(GROUPS[group].map((entry) => entry.key));
      for (const request of await cache.keys()) {
        if (!current.has(request.url) && request.url !== WISH) await cache.delete(request);
      }
    }
    await self.clients.claim(); // the first visit's page, which had no worker yet
  })());
});

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const entry = FILES.get(url.origin + url.pathname);
  if (entry) event.respondWith(answer(entry, request, event));
  else if (request.mode === "navigate") event.respondWith(fetch(request).catch(() => offlinePage()));
});

async function answer(entry, request, event) {
  const kept = await caches.match(entry.key, { cacheName: CACHES[entry.group] });
  if (kept) return kept;
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    if (request.mode === "navigate") return offlinePage();
    throw error;
  }
  if (entry.group === "engine" && response.ok) {
    // The engine is starting: keep this file on the way, then the rest of the engine.
    inflight.set(entry.key, store(entry, response.clone()).catch(() => false)
      .finally(() => inflight.delete(entry.key)));
    event.waitUntil(wish().then(() => keepGroup("engine")).catch(() => {}));
  }
  return response;
}

// ------------------------------------------------------------------ keeping files

const inflight = new Map(); // key -> promise of a file being kept

async function revisionOf(body) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("").slice(0, 16);
}

/** Keep a response if it is the file this version lists; true when kept. */
async function store(entry, response) {
  const body = await response.arrayBuffer();
  if (await revisionOf(body) !== entry.revision) return false; // another build's file
  const headers = { "Content-Type": response.headers.get("Content-Type") || "application/octet-stream" };
  await (await caches.open(CACHES[entry.group])).put(entry.key, new Response(body, { headers }));
  return true;
}

/** Fetch and keep one file: revalidated first (a 304 costs nothing), else downloaded again. */
async function fetchAndStore(entry) {
  for (const mode of ["no-cache", "reload"]) {
    const response = await fetch(entry.url, { cache: mode });
    if (!response.ok) throw new Error(`${entry.url} : ${response.status}`);
    if (await store(entry, response)) return;
  }
  throw new Error(`${entry.url} : le serveur a une autre version de ce fichier`);
}

const keeping = new Map(); // group -> its keepGroup promise, while it runs

/** Keep every file of a group that is not kept yet; progress(doneBytes, totalBytes). */
function keepGroup(group) {
  if (!keeping.has(group)) {
    keeping.set(group, fill(group).finally(() => keeping.delete(group)));
  }
  return keeping.get(group);
}

async function fill(group) {
  const cache = await caches.open(CACHES[group]);
  const entries = GROUPS[group];
  const missing = [];
  for (const entry of entries) if (!(await cache.match(entry.key))) missing.push(entry);
  let done = entries.reduce((sum, e) => sum + e.bytes, 0) - missing.reduce((sum, e) => sum + e.bytes, 0);
  await tell({ type: "progression", group, done, total: total(group) });
  const queue = [...missing];
  const run = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const passing = inflight.get(entry.key);
      if (!(passing && await passing)) await fetchAndStore(entry);
      done += entry.bytes;
      await tell({ type: "progression", group, done, total: total(group) });
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, run));
  await tell(await state());
}

function total(group) {
  return GROUPS[group].reduce((sum, entry) => sum + entry.bytes, 0);
}

async function wished() {
  return Boolean(await caches.match(WISH, { cacheName: CACHES.engine }));
}

async function wish() {
  if (!(await wished())) await (await caches.open(CACHES.engine)).put(WISH, new Response("oui"));
}

async function kept(group) {
  const cache = await caches.open(CACHES[group]);
  let count = 0;
  for (const entry of GROUPS[group]) if (await cache.match(entry.key)) count++;
  return count;
}

async function state() {
  return {
    type: "etat", version: PRECACHE.version,
    course: { kept: await kept("course"), files: GROUPS.course.length, bytes: total("course") },
    engine: { kept: await kept("engine"), files: GROUPS.engine.length, bytes: total("engine"),
              wished: await wished(), keeping: keeping.has("engine") },
  };
}

/** A message to every page of the site (progress, state). */
async function tell(message) {
  for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage(message);
}

self.addEventListener("message", (event) => {
  const { type } = event.data || {};
  if (type === "etat") {
    event.waitUntil(state().then((message) => event.source?.postMessage(message)));
  } else if (type === "moteur") {
    event.waitUntil(wish().then(() => keepGroup("engine")).catch((error) =>
      tell({ type: "erreur", group: "engine", message: String(error?.message || error) })));
  } else if (type === "recharger") {
    self.skipWaiting();
  }
});

// ------------------------------------------------------------------ offline, not kept

function offlinePage() {
  const html = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hors connexion</title>
<style>
  body { font: 1.05rem/1.6 system-ui, sans-serif; margin: 0; padding: 2rem 1.25rem; color: #1d1d1f; background: #fff; }
  main { max-width: 36rem; margin: 0 auto; }
  h1 { font-size: 1.5rem; color: #303fa1; }
  a { color: #303fa1; }
  a:focus-visible { outline: 3px solid #ff6e42; outline-offset: 2px; }
  @media (prefers-color-scheme: dark) { body { color: #e8e8ee; background: #1e2129; } h1, a { color: #a5b0ff; } }
</style></head>
<body><main>
<h1>Vous êtes hors connexion</h1>
<p>Vous êtes hors connexion\u00a0: cette page n’a pas encore été enregistrée sur cet appareil.</p>
<p>Les pages du cours déjà enregistrées restent disponibles. Reconnectez-vous pour ouvrir celle-ci.</p>
<p><a href="${SCOPE}">Retour à l’accueil du cours</a></p>
</main></body></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}
