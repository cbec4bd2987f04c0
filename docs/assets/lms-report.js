// What the course reports to an LMS about the learner: a status and a score out of 100
// (SCORM package only: docs/assets/scorm.js). Pure functions (unit-tested under Node).
// The rule is the course's, set in mkdocs.yml `extra.scorm` (checked by site_build/scorm.py):
//
//   score = 100 × (poids_exercices × E + poids_appels × A) / (poids_exercices + poids_appels), rounded
//     E: the mean, over every exercise of the modules, of 1 for an exercise answered right at
//        least once, else the share of the last answer that was right (0 if never answered);
//     A: the mean, over every scenario of the simulator, of its best call's score / 100 (0 if never
//        called). A part with nothing in it (no exercise, no scenario) is left out of the mean.
//   terminé ("completed") when every module exercise is answered (exercices: repondus) or
//     answered right (exercices: reussis), and `appels` scenarios ("tous": all of them) have a
//     best call of at least `score_appel`;
//   "passed" instead when, terminé, the score reaches `seuil_reussite` (the LMS's mastery score,
//     when it sets one, wins); otherwise the course is "incomplete" (started).

const RANK = { "": 0, "not attempted": 0, browsed: 0, failed: 1, incomplete: 1, completed: 2, passed: 3 };

const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

/**
 * {status, score, ...counts} for the progress entries `data` (progress.js's export), the course
 * outline and rule `course` ({modules: {"01": [ids]}, scenarios: [ids], rule}), and the mastery
 * score the LMS gives (a number, or null).
 */
export function assess(data, course, mastery = null) {
  const rule = course.rule;
  const ids = Object.values(course.modules || {}).flat();
  let answered = 0;
  let succeeded = 0;
  let credit = 0;
  for (const id of ids) {
    const record = data[`ex:${id}`];
    if (!record || !(record.attempts > 0)) continue;
    answered += 1;
    if (record.succeeded) { succeeded += 1; credit += 1; } else credit += clamp(Number(record.score) || 0, 0, 1);
  }
  const simulator = data.simulateur || {};
  const scenarios = course.scenarios || [];
  const bests = scenarios.map((id) => clamp(Number(simulator[id] && simulator[id].best) || 0, 0, 100));
  const goodCalls = bests.filter((best) => best >= rule.score_appel).length;
  const requiredCalls = rule.appels === "tous" ? scenarios.length : Math.min(Number(rule.appels), scenarios.length);

  const parts = [];
  if (ids.length) parts.push([rule.poids_exercices, credit / ids.length]);
  if (scenarios.length) parts.push([rule.poids_appels, bests.reduce((a, b) => a + b, 0) / (100 * scenarios.length)]);
  const weight = parts.reduce((sum, [w]) => sum + w, 0);
  const score = weight ? Math.round((100 * parts.reduce((sum, [w, part]) => sum + w * part, 0)) / weight) : 0;

  const exercisesDone = (rule.exercices === "reussis" ? succeeded : answered) === ids.length;
  const completed = exercisesDone && goodCalls >= requiredCalls;
  const threshold = Number.isFinite(mastery) ? mastery : rule.seuil_reussite;
  const passed = completed && threshold !== null && threshold !== undefined && score >= threshold;
  return {
    status: passed ? "passed" : completed ? "completed" : "incomplete",
    score, answered, succeeded, exercises: ids.length, goodCalls, requiredCalls,
  };
}

/** The status to report: the course never lowers what the LMS already recorded (passed stays passed). */
export function strongerStatus(recorded, computed) {
  return (RANK[recorded] ?? 0) > (RANK[computed] ?? 0) ? recorded : computed;
}

/** SCORM 1.2's CMITimespan for a duration in milliseconds: "HH:MM:SS" (hours on 2 to 4 digits). */
export function timespan(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.min(9999, Math.floor(seconds / 3600));
  const two = (n) => String(n).padStart(2, "0");
  return `${two(hours)}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}
