// Interactive exercises: the build (site_build/exercises.py) renders each one as
// a <section class="rp-ex"> with its answer key in data-cle; this module makes
// it answerable, gives feedback and keeps the answers (through progress.js).
// Learner text is only ever set with textContent: never parsed as HTML.
// `redaction` answers are checked by Python (simulator.redaction) in the
// site's engine, loaded only when the learner submits such an answer.
//
// A wrong answer is first marked right and wrong, item by item, without the solution: the
// learner corrects it. The solution (right answers, comments, explanation) comes with a
// right answer, after a second miss, or on request ("Voir la solution"). Steps to order and
// items to classify are shuffled for each learner, and again when the exercise starts over.

import { h, plural } from "./dom.js";
import * as progress from "./progress.js";
import { initProgressionPage } from "./progression.js";

const SITE_ROOT = new URL("../", import.meta.url);
const PROGRESS_PAGE = new URL("progression/", SITE_ROOT).href;

const frNumber = (value, decimals) => new Intl.NumberFormat("fr-FR", {
  minimumFractionDigits: decimals, maximumFractionDigits: decimals,
}).format(value);

function tag(ok, text) {
  return h("span", { class: `rp-tag ${ok ? "rp-tag--ok" : "rp-tag--ko"}` },
    h("span", { "aria-hidden": "true" }, ok ? "✓ " : "✗ "), text);
}

function removeTags(root) {
  for (const node of root.querySelectorAll(".rp-tag")) node.remove();
}

/** A random order of 0..n-1, never the right one, with fewer than half the items in place. */
function shuffledOrder(n) {
  const order = [...Array(n).keys()];
  if (n < 2) return order;
  for (let tries = 0; tries < 50; tries += 1) {
    for (let i = n - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const inPlace = order.filter((step, i) => step === i).length;
    if (inPlace < n / 2 && inPlace < n) return order;
  }
  return order.map((_, i) => (i + 1) % n); // every item one place off
}

// ---------------------------------------------------------------- kinds
// Each kind: read() -> {answer} | {problem}, grade(answer) -> {correct, score, title, text},
// show(answer, grade, full) marks each item right or wrong and, when `full`, gives the
// solution too; restore(answer) refills the form, clear(fresh) empties it (a fresh start
// also shuffles again), lock(on) disables its controls.

const kinds = {
  qcm: {
    read(ex) {
      const picked = [...ex.form.querySelectorAll("input:checked")].map((i) => Number(i.value));
      if (!picked.length) {
        return { problem: ex.key.multiple ? "Cochez au moins une réponse avant de valider."
          : "Choisissez une réponse avant de valider." };
      }
      return { answer: picked };
    },
    grade(ex, answer) {
      const right = new Set(ex.key.reponse);
      const hits = answer.filter((i) => right.has(i)).length;
      const wrong = answer.length - hits;
      const correct = hits === right.size && wrong === 0;
      const score = correct ? 1 : Math.max(0, (hits - wrong) / right.size);
      if (correct) return { correct, score, title: "Bonne réponse !", text: "Lisez le commentaire sous chaque choix pour aller plus loin." };
      if (!ex.key.multiple) return { correct, score, title: "Ce n’est pas la bonne réponse.", text: "" };
      const missed = right.size - hits;
      const parts = [`${plural(hits, "bonne réponse cochée", "bonnes réponses cochées")} sur ${right.size}`];
      if (wrong) parts.push(`${plural(wrong, "case cochée", "cases cochées")} à tort`);
      if (missed) parts.push(`${plural(missed, "bonne réponse oubliée", "bonnes réponses oubliées")}`);
      return { correct, score, title: "Pas tout à fait.", text: `${parts.join(", ")}.` };
    },
    show(ex, answer, grade, full) {
      const right = new Set(ex.key.reponse);
      for (const row of ex.form.querySelectorAll(".rp-choice")) {
        const i = Number(row.dataset.index);
        const chosen = answer.includes(i);
        const label = row.querySelector("label");
        if (full) {
          row.classList.toggle("rp-is-right", right.has(i));
          row.classList.toggle("rp-is-wrong", chosen && !right.has(i));
          if (right.has(i)) label.after(tag(true, chosen ? "Bonne réponse" : "Bonne réponse, non choisie"));
          else if (chosen) label.after(tag(false, "Mauvaise réponse"));
          const note = row.querySelector(".rp-choice__feedback");
          if (note) {
            note.hidden = false;
            row.querySelector("input").setAttribute("aria-describedby", note.id);
          }
        } else if (chosen) { // only what the learner chose is marked: the rest is to find
          row.classList.toggle("rp-is-right", right.has(i));
          row.classList.toggle("rp-is-wrong", !right.has(i));
          label.after(right.has(i) ? tag(true, "Bonne réponse") : tag(false, "Mauvaise réponse"));
        }
      }
    },
    restore(ex, answer) {
      for (const input of ex.form.querySelectorAll("input")) input.checked = answer.includes(Number(input.value));
    },
  },

  vrai_faux: {
    read(ex) {
      const sets = [...ex.form.querySelectorAll(".rp-statement")];
      const answer = sets.map((fs) => {
        const input = fs.querySelector("input:checked");
        return input ? input.value === "vrai" : null;
      });
      const missing = answer.filter((a) => a === null).length;
      if (missing) {
        return { problem: `Répondez « Vrai » ou « Faux » à chaque affirmation avant de valider (${plural(missing, "affirmation reste", "affirmations restent")} sans réponse).` };
      }
      return { answer };
    },
    grade(ex, answer) {
      const good = answer.filter((a, i) => a === ex.key.reponses[i]).length;
      const n = answer.length;
      if (good === n) return { correct: true, score: 1, title: "Tout est juste !", text: "Relisez les explications : elles reprennent l’essentiel." };
      return { correct: false, score: good / n, title: `${plural(good, "réponse juste", "réponses justes")} sur ${n}.`, text: "" };
    },
    show(ex, answer, grade, full) {
      ex.form.querySelectorAll(".rp-statement").forEach((fs, i) => {
        const ok = answer[i] === ex.key.reponses[i];
        const truth = ex.key.reponses[i] ? "c’est vrai" : "c’est faux";
        fs.classList.toggle("rp-is-right", ok);
        fs.classList.toggle("rp-is-wrong", !ok);
        fs.querySelector(".rp-tf").after(full ? tag(ok, ok ? `Juste : ${truth}.` : `Erreur : ${truth}.`)
          : tag(ok, ok ? "Juste." : "Erreur."));
        if (full) fs.querySelector(".rp-statement__reason").hidden = false;
      });
    },
    restore(ex, answer) {
      ex.form.querySelectorAll(".rp-statement").forEach((fs, i) => {
        for (const input of fs.querySelectorAll("input")) input.checked = (input.value === "vrai") === answer[i];
      });
    },
  },

  ordre: {
    setup(ex, record) {
      const list = ex.form.querySelector(".rp-order");
      ex.list = list;
      ex.announce = ex.form.querySelector(".rp-ex__announce");
      // Each step gets its number back, as a list of positions: choosing one moves the step
      // there (two key presses instead of a ▲ per place).
      const n = list.children.length;
      for (const li of list.children) {
        const text = li.querySelector(".rp-order__text").textContent;
        const select = h("select", { class: "rp-order__pos", "aria-label": `Position de « ${text} »` },
          [...Array(n).keys()].map((i) => h("option", { value: String(i + 1) }, String(i + 1))));
        li.prepend(select);
      }
      list.addEventListener("change", (event) => {
        const select = event.target.closest(".rp-order__pos");
        if (!select || ex.locked) return;
        const item = select.closest("li");
        const items = [...list.children];
        const to = Number(select.value) - 1;
        const at = items.indexOf(item);
        if (to === at) return;
        if (to > at) items[to].after(item);
        else items[to].before(item);
        select.focus();
        announcePosition(ex, item);
      });
      for (const li of list.children) li.draggable = true;
      // ▲ and ▼ are for the mouse and touch: the keyboard uses the position list, one stop per step.
      for (const button of list.querySelectorAll(".rp-order__move")) button.tabIndex = -1;
      if (!record) shuffleSteps(ex);
      renumber(ex);
      list.addEventListener("click", (event) => {
        const button = event.target.closest(".rp-order__move");
        if (!button || ex.locked) return;
        move(ex, button.closest("li"), button.classList.contains("rp-up") ? -1 : 1, button);
      });
      // Drag and drop, for those who prefer the mouse; the buttons do the same.
      let dragged = null;
      list.addEventListener("dragstart", (event) => {
        const item = event.target.closest("li");
        if (!item || ex.locked) { event.preventDefault(); return; }
        dragged = item;
        item.classList.add("rp-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.dataset.step);
      });
      list.addEventListener("dragover", (event) => {
        if (!dragged) return;
        event.preventDefault();
        const over = event.target.closest("li");
        if (!over || over === dragged) return;
        const box = over.getBoundingClientRect();
        over[event.clientY < box.top + box.height / 2 ? "before" : "after"](dragged);
      });
      const drop = (event) => {
        if (!dragged) return;
        event.preventDefault();
        dragged.classList.remove("rp-dragging");
        announcePosition(ex, dragged);
        dragged = null;
      };
      list.addEventListener("drop", drop);
      list.addEventListener("dragend", drop);
    },
    read(ex) {
      return { answer: [...ex.list.children].map((li) => Number(li.dataset.step)) };
    },
    grade(ex, answer) {
      const good = answer.filter((step, i) => step === i).length;
      const n = answer.length;
      if (good === n) return { correct: true, score: 1, title: "Parfait, l’ordre est le bon !", text: "" };
      return { correct: false, score: good / n, title: `${plural(good, "étape est", "étapes sont")} à la bonne place, sur ${n}.`, text: "" };
    },
    show(ex, answer, grade, full) {
      [...ex.list.children].forEach((li, i) => {
        const ok = Number(li.dataset.step) === i;
        li.classList.toggle("rp-is-right", ok);
        li.classList.toggle("rp-is-wrong", !ok);
        li.querySelector(".rp-order__text").after(
          tag(ok, ok ? "Bien placée" : full ? `À mettre en position ${Number(li.dataset.step) + 1}` : "Mal placée"));
      });
    },
    restore(ex, answer) {
      const items = new Map([...ex.list.children].map((li) => [Number(li.dataset.step), li]));
      if (answer.length !== items.size || !answer.every((s) => items.has(s))) throw new Error("ordre illisible");
      for (const step of answer) ex.list.append(items.get(step));
      renumber(ex);
    },
    clear(ex, fresh) {
      if (fresh) shuffleSteps(ex);
    },
    lock(ex, on) {
      for (const li of ex.list.children) li.draggable = !on;
    },
  },

  classement: {
    setup(ex) {
      ex.sortBox = ex.form.querySelector(".rp-sort");
      shuffleItems(ex);
    },
    read(ex) {
      const answer = sortItems(ex).map((fs) => {
        const input = fs.querySelector("input:checked");
        return input ? Number(input.value) : null;
      });
      const missing = answer.filter((a) => a === null).length;
      if (missing) return { problem: `Classez chaque élément avant de valider (${plural(missing, "élément reste", "éléments restent")} à classer).` };
      return { answer };
    },
    grade(ex, answer) {
      const good = answer.filter((c, i) => c === ex.key.reponses[i]).length;
      const n = answer.length;
      if (good === n) return { correct: true, score: 1, title: "Tout est bien classé !", text: "" };
      return { correct: false, score: good / n, title: `${plural(good, "élément bien classé", "éléments bien classés")} sur ${n}.`, text: "" };
    },
    show(ex, answer, grade, full) {
      sortItems(ex).forEach((fs, i) => {
        const ok = answer[i] === ex.key.reponses[i];
        fs.classList.toggle("rp-is-right", ok);
        fs.classList.toggle("rp-is-wrong", !ok);
        fs.querySelector(".rp-sort__cats").after(tag(ok, ok ? "Bien classé"
          : full ? `À classer dans : ${ex.key.categories[ex.key.reponses[i]]}` : "Mal classé"));
        const note = fs.querySelector(".rp-sort__note");
        if (note && full) note.hidden = false;
      });
    },
    restore(ex, answer) {
      if (!Array.isArray(answer) || answer.length !== ex.key.reponses.length) throw new Error("classement illisible");
      sortItems(ex).forEach((fs, i) => {
        for (const input of fs.querySelectorAll("input")) input.checked = Number(input.value) === answer[i];
      });
    },
    clear(ex, fresh) {
      if (!fresh) return; // the learner corrects the same answer
      for (const input of ex.form.querySelectorAll("input")) input.checked = false;
      shuffleItems(ex);
    },
  },

  calcul: {
    setup(ex, record) {
      const n = ex.key.variantes.length;
      ex.input = ex.form.querySelector(".rp-calc__input");
      const stored = record && Number.isInteger(record.variant) && record.variant < n ? record.variant : null;
      setVariant(ex, stored ?? Math.floor(Math.random() * n));
    },
    read(ex) {
      const raw = ex.input.value;
      if (!raw.trim()) return { problem: "Écrivez votre résultat avant de valider, par exemple 53,93." };
      const value = parseNumber(raw);
      if (value === null) {
        const shown = raw.trim().length > 30 ? `${raw.trim().slice(0, 30)}…` : raw.trim();
        return { problem: `Je ne reconnais pas de nombre dans « ${shown} ». Écrivez seulement le résultat, par exemple 53,93.` };
      }
      return { answer: value };
    },
    grade(ex, answer) {
      const { resultat } = ex.key.variantes[ex.variant];
      const unit = ex.key.unite;
      const expected = `${frNumber(resultat, ex.key.decimales)} ${unit}`;
      if (Math.abs(answer - resultat) <= ex.key.tolerance + 1e-9) {
        return { correct: true, score: 1, title: `Exact : ${expected}.`, text: "La solution détaillée est rappelée ci-dessous." };
      }
      return {
        correct: false, score: 0, title: "Ce n’est pas le résultat attendu.",
        text: `Vous avez trouvé ${frNumber(answer, ex.key.decimales)} ${unit}.`,
        solution: `Le bon résultat est ${expected} : suivez la solution détaillée ci-dessous.`,
      };
    },
    show(ex, answer) {
      const traps = ex.key.variantes[ex.variant].pieges || [];
      traps.forEach((value, t) => {
        if (value !== null && Math.abs(answer - value) <= ex.key.tolerance + 1e-9) {
          const note = ex.root.querySelector(`.rp-trap[data-trap="${t}"]`);
          if (note) note.hidden = false;
        }
      });
    },
    restore(ex, answer) {
      ex.input.value = frNumber(answer, ex.key.decimales);
    },
    clear(ex, fresh) {
      for (const note of ex.root.querySelectorAll(".rp-trap")) note.hidden = true;
      if (!fresh) return; // the learner corrects the same figures
      ex.input.value = "";
      setVariant(ex, (ex.variant + 1) % ex.key.variantes.length);
    },
    lock(ex, on) {
      ex.input.readOnly = on;
    },
  },

  redaction: {
    setup(ex) {
      ex.text = ex.form.querySelector(".rp-write__text");
    },
    read(ex) {
      if (!ex.text.value.trim()) return { problem: "Écrivez votre texte avant de valider." };
      return { answer: ex.text.value };
    },
    async check(ex, answer) {
      ex.say("Analyse de votre texte en cours… La première fois, l’outil d’analyse se charge dans votre navigateur : cela peut prendre quelques secondes.");
      ex.root.setAttribute("aria-busy", "true");
      try {
        const { callPython } = await import("./engine.js");
        return await callPython("simulator.redaction", "check_text", {
          text: answer, rules: ex.key.regles, today: ex.key.date_du_jour,
        });
      } finally {
        ex.root.removeAttribute("aria-busy");
      }
    },
    grade(ex, answer, result) {
      return {
        correct: Boolean(result.passed), score: Number(result.score) || 0,
        title: result.passed ? "Bravo !" : "Votre texte est incomplet.",
        text: result.summary, result, solution: "Une réponse possible est affichée ci-dessous.",
      };
    },
    show(ex, answer, grade) {
      const result = grade.result;
      const box = h("div", { class: "rp-verdict-list" });
      if (result.present.length) {
        box.append(h("p", { class: "rp-strong" }, "Ce qui est présent :"),
          h("ul", { class: "rp-present" }, result.present.map((m) => h("li", {}, tag(true, m)))));
      }
      if (result.missing.length) {
        box.append(h("p", { class: "rp-strong" }, "Ce qui manque ou reste à corriger :"),
          h("ul", { class: "rp-missing" }, result.missing.map((m) => h("li", {}, tag(false, m)))));
      }
      for (const note of result.notes || []) box.append(h("p", {}, note));
      ex.feedback.append(box);
    },
    restore(ex, answer) {
      ex.text.value = answer;
    },
    clear() {}, // the learner improves the same text
    lock(ex, on) {
      ex.text.readOnly = on;
    },
  },
};

function parseNumber(raw) {
  let text = raw.replace(/[\s\u00a0\u202f]/g, "").replace(/(€|euros?|eur|%|jours?|j)$/i, "");
  if (text.includes(",") && text.includes(".")) text = text.replace(/\./g, "");
  text = text.replace(",", ".");
  if (!/^[-+]?\d+(\.\d+)?$/.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function setVariant(ex, v) {
  ex.variant = v;
  for (const node of ex.root.querySelectorAll(".rp-variant, .rp-solution")) {
    node.hidden = Number(node.dataset.variant) !== v;
  }
}

/** Steps to order, in a new random order (for each learner, and at each fresh start). */
function shuffleSteps(ex) {
  const items = new Map([...ex.list.children].map((li) => [Number(li.dataset.step), li]));
  for (const step of shuffledOrder(items.size)) ex.list.append(items.get(step));
  renumber(ex);
}

/** Each step's position list shows where it stands. */
function renumber(ex) {
  [...ex.list.children].forEach((li, i) => {
    const select = li.querySelector(".rp-order__pos");
    if (select) select.value = String(i + 1);
  });
}

/** Items to classify, in the order of the answer key (whatever order they are shown in). */
function sortItems(ex) {
  return [...ex.form.querySelectorAll(".rp-sort__item")]
    .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
}

/** Items to classify, shown in a new random order. */
function shuffleItems(ex) {
  const items = sortItems(ex);
  for (const i of shuffledOrder(items.length)) ex.sortBox.append(items[i]);
}

function move(ex, item, delta, button) {
  const items = [...ex.list.children];
  const at = items.indexOf(item);
  const to = at + delta;
  const text = item.querySelector(".rp-order__text").textContent;
  if (to < 0 || to >= items.length) {
    ex.announce.textContent = `« ${text} » est déjà en ${to < 0 ? "première" : "dernière"} position.`;
    return;
  }
  if (delta < 0) items[to].before(item);
  else items[to].after(item);
  button.focus();
  announcePosition(ex, item);
}

function announcePosition(ex, item) {
  renumber(ex);
  const items = [...ex.list.children];
  const text = item.querySelector(".rp-order__text").textContent;
  ex.announce.textContent = `« ${text} » : position ${items.indexOf(item) + 1} sur ${items.length}.`;
}

// ---------------------------------------------------------------- one exercise

class Exercise {
  constructor(root) {
    this.root = root;
    this.id = root.dataset.exId;
    this.kind = root.dataset.kind;
    this.module = root.dataset.module || null;
    this.key = JSON.parse(root.dataset.cle);
    this.impl = kinds[this.kind];
    this.form = root.querySelector(".rp-ex__form");
    this.feedback = root.querySelector(".rp-ex__feedback");
    this.after = root.querySelector(".rp-ex__after");
    this.submit = root.querySelector(".rp-ex__submit");
    this.retry = root.querySelector(".rp-ex__retry");
    this.status = root.querySelector(".rp-ex__status");
    this.actions = root.querySelector(".rp-ex__actions");
    this.locked = false;
    this.misses = 0; // wrong answers in a row, this visit: the second one shows the solution
  }

  start() {
    let record = progress.loadExercise(this.id);
    // The verdict comes right under the questions, then what to do next.
    this.actions.before(this.feedback);
    this.reveal = h("button", { type: "button", class: "md-button rp-ex__reveal", hidden: true }, "Voir la solution");
    this.next = nextStep(this.root);
    this.actions.append(this.reveal, this.next || "");
    this.impl.setup?.(this, record);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.answer();
    });
    this.retry.addEventListener("click", () => this.again());
    this.reveal.addEventListener("click", () => this.showSolution());
    if (record && record.kind === this.kind) {
      try {
        this.replay(record);
      } catch (error) {
        // A saved answer this exercise cannot read (edited by hand, an old version):
        // forget it and start afresh rather than break the exercise for good.
        console.error(error);
        progress.forgetExercise(this.id);
        record = null;
        this.again(true);
      }
    }
    this.showStatus(record);
    this.root.dataset.state = record ? "answered" : "ready";
  }

  say(title, text = "") {
    this.feedback.replaceChildren(h("p", { class: "rp-verdict" }, h("strong", {}, title), text ? ` ${text}` : ""));
  }

  async answer() {
    if (this.locked || this.busy) return;
    const read = this.impl.read(this);
    if (read.problem) {
      this.feedback.className = "rp-ex__feedback rp-ex__feedback--hint";
      this.say(read.problem);
      return;
    }
    let result = null;
    if (this.impl.check) {
      this.busy = true;
      this.submit.disabled = true;
      try {
        result = await this.impl.check(this, read.answer);
      } catch (error) {
        this.feedback.className = "rp-ex__feedback rp-ex__feedback--hint";
        this.say("L’analyse n’a pas pu se faire.",
          `(${error.message}) Votre texte est toujours là : réessayez dans un instant ; si le problème continue, rechargez la page.`);
        return;
      } finally {
        this.busy = false;
        this.submit.disabled = false;
      }
    }
    const grade = this.impl.grade(this, read.answer, result);
    const before = progress.loadExercise(this.id);
    this.misses = grade.correct ? 0 : this.misses + 1;
    const record = {
      kind: this.kind,
      answer: read.answer,
      correct: grade.correct,
      succeeded: Boolean(grade.correct || (before && before.succeeded)),
      score: Math.round(Math.min(1, Math.max(0, grade.score)) * 10000) / 10000,
      attempts: (before ? before.attempts : 0) + 1,
      date: new Date().toISOString(),
      // A second miss in a row shows the solution; a reload shows it again.
      revealed: grade.correct || this.misses >= 2,
    };
    if (this.kind === "calcul") record.variant = this.variant;
    if (result) {
      record.result = {
        passed: Boolean(result.passed), score: Number(result.score) || 0, summary: String(result.summary || ""),
        present: (result.present || []).map(String), missing: (result.missing || []).map(String),
        notes: (result.notes || []).map(String),
      };
    }
    const saved = progress.saveExercise(this.id, record);
    this.display(read.answer, grade, record.revealed);
    if (!saved) this.feedback.append(h("p", {}, "Attention : cette réponse n’a pas pu être enregistrée dans votre navigateur."));
    this.showStatus(record);
    this.root.dataset.state = "answered";
    // The submit button is now hidden: keep the keyboard user in the exercise, on what comes next.
    (grade.correct && this.next ? this.next : this.retry).focus();
    updateModuleSummary(this.module);
    showNotices();
  }

  replay(record) {
    this.impl.restore(this, record.answer);
    const grade = this.kind === "redaction"
      ? this.impl.grade(this, record.answer, record.result || { passed: record.correct, score: record.score || 0, summary: "", present: [], missing: [] })
      : this.impl.grade(this, record.answer);
    // Saved before December 2026 (no `revealed`): the solution was shown then.
    this.display(record.answer, grade, record.correct || record.revealed !== false);
  }

  /** The verdict, the marks, and the solution when `full`; then the buttons that fit. */
  display(answer, grade, full) {
    removeTags(this.root);
    this.answered = { answer, grade };
    this.revealed = full;
    this.right = grade.correct;
    this.feedback.className = `rp-ex__feedback ${grade.correct ? "rp-ex__feedback--ok" : "rp-ex__feedback--ko"}`;
    const advice = grade.correct ? grade.text
      : full ? [grade.text, grade.solution || "La solution est affichée ci-dessous."].filter(Boolean).join(" ")
        : [grade.text, this.kind === "redaction" ? "Complétez votre texte, puis validez à nouveau."
          : "Corrigez ce qui est marqué ✗, puis validez à nouveau, ou affichez la solution."].filter(Boolean).join(" ");
    this.say(grade.title, advice);
    this.impl.show(this, answer, grade, full);
    this.after.hidden = !full;
    this.lock(true);
  }

  /** "Voir la solution": the answer given stays, the solution comes under it. */
  showSolution() {
    if (!this.answered || this.revealed) return;
    const record = progress.loadExercise(this.id);
    if (record) progress.saveExercise(this.id, { ...record, revealed: true });
    this.display(this.answered.answer, this.answered.grade, true);
    this.retry.focus(); // the button pressed is gone; "Recommencer" takes its place
  }

  lock(on) {
    this.locked = on;
    for (const control of this.form.querySelectorAll("input, select, button:not(.rp-ex__retry):not(.rp-ex__reveal):not(.rp-ex__next)")) {
      if (control.classList.contains("rp-calc__input")) continue;
      control.disabled = on;
    }
    this.impl.lock?.(this, on);
    this.submit.hidden = on;
    this.retry.hidden = !on;
    // Before the solution is shown, the learner corrects the same answer; after it, the
    // exercise starts over (shuffled again, new figures), so that a retry is not a copy.
    const fresh = this.revealed || this.right;
    this.retry.textContent = !fresh ? "Corriger ma réponse"
      : this.kind === "calcul" ? "Recommencer avec d’autres chiffres" : "Recommencer";
    this.retry.classList.toggle("md-button--primary", on && !this.right);
    this.reveal.hidden = !on || this.revealed;
    if (this.next) {
      this.next.hidden = !on;
      this.next.classList.toggle("md-button--primary", on && this.right);
    }
  }

  /** Back to the questions: the same answer to correct, or (`fresh`) a new start. */
  again(fresh = this.revealed || this.right) {
    removeTags(this.root);
    for (const node of this.root.querySelectorAll(".rp-is-right, .rp-is-wrong")) {
      node.classList.remove("rp-is-right", "rp-is-wrong");
    }
    for (const note of this.form.querySelectorAll(".rp-note")) note.hidden = true;
    for (const input of this.form.querySelectorAll("input[aria-describedby]")) input.removeAttribute("aria-describedby");
    if (fresh) this.misses = 0;
    if (this.impl.clear) this.impl.clear(this, fresh);
    else if (fresh) for (const input of this.form.querySelectorAll("input")) input.checked = false;
    this.feedback.replaceChildren();
    this.feedback.className = "rp-ex__feedback";
    this.after.hidden = true;
    this.answered = null;
    this.revealed = false;
    this.right = false;
    this.lock(false);
    const first = this.form.querySelector("input:not([disabled]), select, textarea, button");
    if (first) first.focus();
  }

  showStatus(record) {
    if (!record) { this.status.hidden = true; return; }
    this.status.hidden = false;
    this.status.className = `rp-ex__status ${record.succeeded ? "rp-ex__status--ok" : "rp-ex__status--todo"}`;
    this.status.replaceChildren(
      h("span", { "aria-hidden": "true" }, record.succeeded ? "✓ " : "↻ "),
      record.succeeded ? "Réussi" : "À retenter",
      ` · ${plural(record.attempts, "essai", "essais")}`,
    );
  }
}

/**
 * "Exercice suivant" (the next exercise of the page, its title focused) or, after the
 * page's last one, "Module suivant" (the next page of the course); null when there is none.
 */
function nextStep(root) {
  const all = [...document.querySelectorAll(".rp-ex[data-cle]")];
  const following = all[all.indexOf(root) + 1];
  if (following) {
    const button = h("button", { type: "button", class: "md-button rp-ex__next", hidden: true }, "Exercice suivant");
    button.addEventListener("click", () => {
      const title = following.querySelector(".rp-ex__title");
      title.setAttribute("tabindex", "-1");
      following.scrollIntoView({ block: "start" });
      title.focus({ preventScroll: true });
    });
    return button;
  }
  const link = document.querySelector("a.md-footer__link--next");
  if (!link || !/\/modules\/\d\d-/.test(link.href)) return null;
  return h("a", { class: "md-button rp-ex__next", href: link.href, hidden: true }, "Module suivant");
}

// ---------------------------------------------------------------- module summary

function moduleIds(module) {
  return [...document.querySelectorAll(`.rp-ex[data-module="${module}"]`)].map((n) => n.dataset.exId);
}

function updateModuleSummary(module) {
  if (!module) return;
  const ids = moduleIds(module);
  const summary = progress.updateModule(Number(module), ids);
  renderModuleSummary(module, summary);
}

function renderModuleSummary(module, summary = progress.moduleProgress(moduleIds(module))) {
  const first = document.querySelector(`.rp-ex[data-module="${module}"]`);
  if (!first) return;
  let box = document.querySelector(`.rp-module-progress[data-module="${module}"]`);
  if (!box) {
    box = h("div", { class: "rp-module-progress", "data-module": module });
    first.before(box);
  }
  const { total, succeeded, attempted } = summary;
  const label = `rp-module-progress-${module}`;
  const retry = attempted - succeeded;
  box.replaceChildren(
    h("p", { id: label },
      h("strong", {}, "Votre progression dans ce module : "),
      succeeded === total ? `les ${total} exercices sont réussis. Bravo !`
        : `${plural(succeeded, "exercice réussi", "exercices réussis")} sur ${total}`
          + (retry > 0 ? ` (${plural(retry, "à retenter", "à retenter")})` : "") + "."),
    h("progress", { max: total, value: succeeded, "aria-labelledby": label }),
    h("p", { class: "rp-module-progress__link" }, h("a", { href: PROGRESS_PAGE }, "Voir toute ma progression")),
  );
}

// ---------------------------------------------------------------- notices

export function showNotices() {
  progress.checkStorage();
  const notices = progress.takeNotices();
  if (!notices.length) return;
  const host = document.querySelector("article.md-content__inner") || document.querySelector("main") || document.body;
  let box = host.querySelector(".rp-notice");
  if (!box) {
    box = h("div", { class: "rp-notice", role: "status" });
    host.prepend(box);
  }
  const close = h("button", { type: "button", class: "md-button rp-notice__close" }, "Fermer ce message");
  close.addEventListener("click", () => box.remove());
  box.replaceChildren(...notices.map((n) => h("p", {}, n.text)), close);
}

// ---------------------------------------------------------------- page set-up

function initPage() {
  const modules = new Set();
  for (const root of document.querySelectorAll(".rp-ex[data-cle]")) {
    if (root.dataset.rpReady) continue; // once per widget, even if document$ emits again
    root.dataset.rpReady = "true";
    try {
      new Exercise(root).start();
      if (root.dataset.module) modules.add(root.dataset.module);
    } catch (error) {
      console.error(error);
      root.querySelector(".rp-ex__feedback")?.replaceChildren(
        h("p", {}, "Cet exercice n’a pas pu se charger. Rechargez la page ; le reste du cours fonctionne normalement."));
    }
  }
  for (const module of modules) renderModuleSummary(module);
  showNotices(); // after the widgets, so an answer one of them had to forget is announced too
  initProgressionPage({ siteRoot: SITE_ROOT, showNotices });
}

// mkdocs-material's instant navigation swaps pages without reloading scripts:
// `document$` emits on every page, including the first.
if (window.document$) window.document$.subscribe(initPage);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", initPage);
else initPage();
