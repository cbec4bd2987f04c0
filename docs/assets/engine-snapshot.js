// A copy of the engine's memory, kept in the browser between visits.
//
// A first visit boots Python (about 2 s on a 2-core machine), imports the simulator,
// then keeps a copy of Python's memory in Cache Storage. Later visits restore that copy
// instead of booting (about 0.2 s). The copy carries the sha256 of what it was made from
// (the lock file and the worker's prelude): a new wheel, a new Pyodide or a new prelude
// never meets an old copy, and Pyodide itself refuses a copy from another build. Any doubt means a normal boot and a fresh copy.
// Pyodide marks these loadPyodide options as internal (`_makeSnapshot`, `_loadSnapshot`):
// the runtime is pinned in package-lock.json, and `make test` runs both paths.

const CACHE_NAME = "recouvrement-moteur";
const ZERO_RUN = 1 << 16; // bytes: shorter runs of zeros are kept in the copy as they are
const SLICE = 1 << 19; // words scanned between two pauses (2 MB, a few milliseconds)

/**
 * The shelf where this site keeps its copy, or null when the browser cannot keep one
 * (plain http, old browser). The lookup starts at once, beside Pyodide's own start.
 */
export function snapshotShelf(pyodideBase) {
  if (!self.caches || !self.crypto?.subtle || !self.Blob) return null;
  const key = new URL("memoire-python.bin", pyodideBase).href;
  const cache = caches.open(CACHE_NAME);
  const stored = cache.then((c) => c.match(key)).catch(() => null); // storage refused: no copy
  cache.catch(() => {});
  return {
    /**
     * The copy made for this identity (text, or its promise) as {memory}, a promise of its
     * bytes (wrapped, so that they are read while Pyodide starts); or null.
     */
    async find(identity) {
      const response = await stored;
      if (!response || response.headers.get("X-Engine-Sha256") !== await sha256(await identity)) return null;
      return { memory: response.arrayBuffer().then((body) => unpack(new Uint8Array(body), response.headers)) };
    },
    async save(memory, identity) {
      const { body, headers } = await pack(memory);
      headers["X-Engine-Sha256"] = await sha256(identity);
      await (await cache).put(key, new Response(body, { headers }));
    },
    async forget() {
      await (await cache).delete(key);
    },
  };
}

async function sha256(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// Half of Python's memory is zeros, in a few long runs (unused heap). The copy keeps the
// other parts only, with their places in a header: 31 MB becomes about 17 MB, and
// restoring costs a few copies where a gzip copy took 0.3 s more to inflate.
async function pack(memory) {
  if (memory.byteOffset % 4) memory = memory.slice(); // 32-bit words need an aligned start
  const words = new Uint32Array(memory.buffer, memory.byteOffset, memory.byteLength >> 2);
  const parts = []; // [offset, length] of what is not a long run of zeros
  let start = 0;
  for (let i = 0, pause = SLICE; i < words.length;) {
    if (i >= pause) { // a learner's line that comes meanwhile does not wait for the whole scan
      await new Promise((resolve) => setTimeout(resolve, 0));
      pause = i + SLICE;
    }
    if (words[i] !== 0) { i++; continue; }
    let end = i;
    while (end < words.length && words[end] === 0) end++;
    if ((end - i) * 4 >= ZERO_RUN) {
      if (i * 4 > start) parts.push([start, i * 4 - start]);
      start = end * 4;
    }
    i = end;
  }
  if (memory.byteLength > start) parts.push([start, memory.byteLength - start]);
  return {
    body: new Blob(parts.map(([offset, length]) => memory.subarray(offset, offset + length))),
    headers: { "Content-Type": "application/octet-stream", "X-Memory-Length": String(memory.byteLength),
               "X-Memory-Parts": JSON.stringify(parts) },
  };
}

function unpack(body, headers) {
  const memory = new Uint8Array(Number(headers.get("X-Memory-Length")));
  let read = 0;
  for (const [offset, length] of JSON.parse(headers.get("X-Memory-Parts"))) {
    memory.set(body.subarray(read, read + length), offset);
    read += length;
  }
  if (read !== body.length) throw new Error("copie mémoire tronquée");
  return memory;
}
