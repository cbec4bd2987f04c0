// The learner's progress packed into SCORM 1.2's cmi.suspend_data, and back (SCORM package
// only: docs/assets/scorm.js). Pure functions: no page, no storage (unit-tested under Node).
//
// The LMS keeps at most 4 096 characters. The text is JSON, versioned by "rp":
//   {"rp": 1,
//    "x": {"<exercise-id>": [kind, flags, attempts, score, time, answer, variant?]},
//    "s": {"<scenario-id>": [best, [[time, seed, score, lines?], …]]},    attempts newest first
//    "c": [scenario, seed, startedAt, lines]}                              the unfinished call
// kind: q qcm, v vrai_faux, o ordre, c classement, n calcul, r redaction (another kind: its name);
// flags: 1 succeeded once, 2 the last answer was right; score: the last answer's, in percent;
// time: minutes since 1970, base 36; a vrai_faux answer as 1/0; lines: what the learner said
// in that call (seed + lines replay it: simulator.web.start), null for hanging up.
//
// What does not fit is dropped, least useful first, never all at once:
//   1. the lines of past calls, oldest first;   2. the unfinished call;
//   3. past calls, oldest first (each scenario keeps its newest; its best score stays);
//   4. the text of written answers (redaction), oldest first: the learner's own work;
//   5. then whole exercises, oldest first, and scenarios, lowest best first (a course far too
//      big for 4 096 characters: the build says so long before).
// So the text always fits, and the commit that carries it never fails for its size.

export const FORMAT = 1;
export const LIMIT = 4096;

const KINDS = { qcm: "q", vrai_faux: "v", ordre: "o", classement: "c", calcul: "n", redaction: "r" };
const KIND_NAMES = Object.fromEntries(Object.entries(KINDS).map(([name, code]) => [code, name]));
const ID = /^[a-z0-9][a-z0-9-]{0,79}$/;
/** The progress entries this format carries; other keys (a later feature's) are left alone. */
const CARRIED = /^(ex:|module:|simulateur$|simulateur:appel$)/;

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isCount = (v) => Number.isInteger(v) && v >= 0;
const minute = (iso) => Math.floor(Date.parse(iso) / 60000);
const packTime = (iso) => (Number.isFinite(minute(iso)) ? minute(iso) : 0).toString(36);
const unpackTime = (text) => new Date(parseInt(text, 36) * 60000).toISOString();

/** Length in UTF-8 bytes: some LMSs count bytes, not characters; the text respects both. */
function bytes(text) {
  let n = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i += 1; } else n += 3;
  }
  return n;
}

export const fits = (text, limit = LIMIT) => text.length <= limit && bytes(text) <= limit;

// ---------------------------------------------------------------- pack

function packExercise(record) {
  const flags = (record.succeeded ? 1 : 0) | (record.correct ? 2 : 0);
  const score = Math.round((typeof record.score === "number" ? record.score : Number(record.correct)) * 100);
  let answer = record.answer === undefined ? null : record.answer;
  if (record.kind === "vrai_faux" && Array.isArray(answer)) {
    answer = answer.map((a) => (a === true ? 1 : a === false ? 0 : null));
  }
  const entry = [KINDS[record.kind] || record.kind, flags, record.attempts, score, packTime(record.date), answer];
  if (isCount(record.variant)) entry.push(record.variant);
  return entry;
}

/** What the learner said in a stored attempt (kept lines, or read from its debrief). */
function learnerLines(attempt) {
  if (Array.isArray(attempt.lines)) return attempt.lines;
  const transcript = attempt.debrief && Array.isArray(attempt.debrief.transcript) ? attempt.debrief.transcript : [];
  return transcript.filter((turn) => turn && turn.speaker === "learner").map((turn) => String(turn.text));
}

/** The whole progress in the packed shape, and the list of what may be dropped, in order. */
function full(data) {
  const packed = { rp: FORMAT, x: {}, s: {} };
  const byAge = (a, b) => a.time - b.time;
  const lines = [];
  const texts = [];
  const attempts = [];
  const exercises = [];
  for (const [name, record] of Object.entries(data)) {
    if (!name.startsWith("ex:") || !isObject(record)) continue;
    const id = name.slice(3);
    packed.x[id] = packExercise(record);
    const time = minute(record.date) || 0;
    exercises.push({ time, drop: (p) => { delete p.x[id]; } });
    if (record.kind === "redaction" && typeof record.answer === "string" && record.answer) {
      texts.push({ time, drop: (p) => { if (p.x[id]) p.x[id][5] = ""; } });
    }
  }
  const scenarios = [];
  for (const [id, entry] of Object.entries(isObject(data.simulateur) ? data.simulateur : {})) {
    if (id.startsWith("_") || !isObject(entry)) continue;
    const list = (Array.isArray(entry.attempts) ? entry.attempts : []).filter(isObject);
    packed.s[id] = [Number(entry.best) || 0, list.map((attempt, i) => {
      const time = minute(attempt.date) || 0;
      const said = learnerLines(attempt);
      if (said.length) lines.push({ time, drop: (p) => { if (p.s[id] && p.s[id][1][i]) p.s[id][1][i].length = 3; } });
      if (i > 0) attempts.push({ time, drop: (p) => { if (p.s[id]) p.s[id][1][i] = null; } });
      return said.length ? [packTime(attempt.date), attempt.seed, attempt.score, said]
        : [packTime(attempt.date), attempt.seed, attempt.score];
    })];
    scenarios.push({ best: packed.s[id][0], drop: (p) => { delete p.s[id]; } });
  }
  const call = data["simulateur:appel"];
  const drops = [...lines.sort(byAge)];
  if (isObject(call)) {
    packed.c = [call.scenario, call.seed, call.startedAt, call.lines];
    drops.push({ drop: (p) => { delete p.c; } });
  }
  drops.push(...attempts.sort(byAge), ...texts.sort(byAge), ...exercises.sort(byAge),
    ...scenarios.sort((a, b) => a.best - b.best));
  return { packed, drops: drops.map((d) => d.drop) };
}

function applyDrops(packed, drops, count) {
  const copy = structuredClone(packed);
  for (let i = 0; i < count; i += 1) drops[i](copy);
  for (const entry of Object.values(copy.s)) entry[1] = entry[1].filter(Boolean);
  return JSON.stringify(copy);
}

/**
 * Progress (the `data` of progress.js's export: {"ex:…": record, "simulateur": …}) as text
 * for cmi.suspend_data, at most `limit` characters and bytes.
 * Returns {text, dropped}: dropped counts the items left out (0 when all of it fits).
 */
export function pack(data, limit = LIMIT) {
  const { packed, drops } = full(data);
  let text = JSON.stringify(packed);
  if (fits(text, limit)) return { text, dropped: 0 };
  // Each drop makes the text shorter: the fewest drops that fit, by bisection.
  let low = 1;
  let high = drops.length;
  text = applyDrops(packed, drops, high);
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const tried = applyDrops(packed, drops, middle);
    if (fits(tried, limit)) { high = middle; text = tried; } else low = middle + 1;
  }
  if (!fits(text, limit)) text = JSON.stringify({ rp: FORMAT, x: {}, s: {} });
  return { text, dropped: high };
}

// ---------------------------------------------------------------- unpack

function unpackExercise(entry) {
  if (!Array.isArray(entry) || entry.length < 6 || entry.length > 7) return null;
  const [code, flags, attempts, score, time, packedAnswer, variant] = entry;
  if (typeof code !== "string" || !isCount(flags) || flags > 3 || !isCount(attempts)) return null;
  if (typeof score !== "number" || score < 0 || score > 100 || typeof time !== "string" || !/^[0-9a-z]{1,12}$/.test(time)) return null;
  const kind = KIND_NAMES[code] || code;
  let answer = packedAnswer;
  if (kind === "vrai_faux" && Array.isArray(answer)) answer = answer.map((a) => (a === 1 ? true : a === 0 ? false : null));
  const record = {
    kind, answer, correct: Boolean(flags & 2), succeeded: Boolean(flags & 1),
    score: score / 100, attempts, date: unpackTime(time),
  };
  if (entry.length === 7) {
    if (!isCount(variant)) return null;
    record.variant = variant;
  }
  return record;
}

function unpackAttempt(entry) {
  if (!Array.isArray(entry) || entry.length < 3 || typeof entry[0] !== "string" || !/^[0-9a-z]{1,12}$/.test(entry[0])) return null;
  const [time, seed, score, lines] = entry;
  if (!Number.isInteger(seed) || typeof score !== "number") return null;
  const attempt = { date: unpackTime(time), seed, score };
  if (Array.isArray(lines)) attempt.lines = lines.map((line) => (line === null ? null : String(line)));
  return attempt;
}

function unpackCall(entry) {
  if (!Array.isArray(entry) || entry.length !== 4) return null;
  const [scenario, seed, startedAt, lines] = entry;
  if (typeof scenario !== "string" || !ID.test(scenario) || !Number.isInteger(seed) || !Number.isFinite(startedAt)) return null;
  if (!Array.isArray(lines) || lines.length > 60
    || !lines.every((l) => l === null || (typeof l === "string" && l.length <= 2000))) return null;
  return { scenario, seed, lines, startedAt };
}

/**
 * cmi.suspend_data back into progress entries (progress.js's export `data`).
 * {status: "empty"} nothing stored yet; {status: "ok", data, skipped} ours (skipped: entries
 * that could not be read); {status: "newer", version} written by a later version of the course
 * (left as it is); {status: "foreign"} not ours (another package's, or damaged).
 */
export function unpack(text) {
  if (typeof text !== "string" || text.trim() === "") return { status: "empty", data: {}, skipped: 0 };
  let packed;
  try { packed = JSON.parse(text); } catch { return { status: "foreign" }; }
  if (!isObject(packed) || !Number.isInteger(packed.rp) || packed.rp < 1) return { status: "foreign" };
  if (packed.rp > FORMAT) return { status: "newer", version: packed.rp };
  const data = {};
  let skipped = 0;
  for (const [id, entry] of Object.entries(isObject(packed.x) ? packed.x : {})) {
    const record = ID.test(id) ? unpackExercise(entry) : null;
    if (record) data[`ex:${id}`] = record; else skipped += 1;
  }
  const simulator = {};
  for (const [id, entry] of Object.entries(isObject(packed.s) ? packed.s : {})) {
    const ok = ID.test(id) && Array.isArray(entry) && typeof entry[0] === "number" && entry[0] >= 0
      && entry[0] <= 100 && Array.isArray(entry[1]);
    if (!ok) { skipped += 1; continue; }
    simulator[id] = { best: entry[0], attempts: entry[1].map(unpackAttempt).filter(Boolean) };
  }
  if (Object.keys(simulator).length) data.simulateur = simulator;
  if (packed.c !== undefined) {
    const call = unpackCall(packed.c);
    if (call) data["simulateur:appel"] = call; else skipped += 1;
  }
  return { status: "ok", data, skipped };
}

// ---------------------------------------------------------------- merge

/**
 * The progress to keep at launch: what the LMS stored (the source of truth), with the details
 * this browser still has of the very same answers and calls (a written answer's text and its
 * analysis, a call's whole debrief), and the entries of this browser the format does not carry.
 * Module summaries are left out: the caller counts them again.
 */
export function merge(fromLms, local) {
  const data = {};
  for (const [name, value] of Object.entries(local)) if (!CARRIED.test(name)) data[name] = value;
  for (const [name, record] of Object.entries(fromLms)) {
    const mine = local[name];
    const same = name.startsWith("ex:") && isObject(mine) && mine.kind === record.kind
      && mine.attempts === record.attempts && minute(mine.date) === minute(record.date);
    data[name] = same ? mine : record;
  }
  if (isObject(data.simulateur)) {
    const mine = isObject(local.simulateur) ? local.simulateur : {};
    for (const [id, entry] of Object.entries(data.simulateur)) {
      const kept = isObject(mine[id]) && Array.isArray(mine[id].attempts) ? mine[id].attempts.filter(isObject) : [];
      entry.attempts = entry.attempts.map((attempt) => kept.find((k) => k.seed === attempt.seed
        && k.score === attempt.score && minute(k.date) === minute(attempt.date)) || attempt);
    }
  }
  return data;
}
