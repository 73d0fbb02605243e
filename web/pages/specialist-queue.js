// @ts-check
// The specialist's queue of approved questions in queue order (starred,
// then votes, then oldest), keyed by id. A vote moves only its own row,
// to where it now belongs (a binary search, one DOM move at most), and
// changes are applied once per animation frame however many arrive.

import { el } from "../lib/dom.js";
import { elapsed, t, time } from "../lib/i18n.js";

/** Whether a comes before b in queue order. @param {any} a @param {any} b */
export function ahead(a, b) {
  if (a.starred !== b.starred) return !!a.starred;
  if (a.votes !== b.votes) return a.votes > b.votes;
  if (a.created_at !== b.created_at) return a.created_at < b.created_at;
  return a.id < b.id;
}

export class SpecialistQueue {
  /** @param {HTMLOListElement} list @param {(n: number) => void} changed */
  constructor(list, changed) {
    this.list = list;
    this.changed = changed;
    /** @type {Map<string, {q: any, li: HTMLElement}>} */
    this.rows = new Map();
    /** @type {string[]} */
    this.order = [];
    /** @type {Set<string>} */
    this.dirty = new Set();
    this.frame = 0;
  }

  /** @param {string} id */
  get(id) {
    const row = this.rows.get(id);
    return row ? row.q : null;
  }

  /** @param {string} id */
  has(id) {
    return this.rows.has(id);
  }

  /** @param {any[]} questions */
  load(questions) {
    this.rows.clear();
    const sorted = [...questions].sort((a, b) => (ahead(a, b) ? -1 : 1));
    const frag = document.createDocumentFragment();
    for (const q of sorted) {
      const li = create(q);
      this.rows.set(q.id, { q, li });
      frag.append(li);
    }
    this.order = sorted.map((q) => q.id);
    this.list.replaceChildren(frag);
    this.changed(this.order.length);
  }

  /** Adds or changes a question; drawn at the next frame. @param {any} q */
  upsert(q) {
    const row = this.rows.get(q.id);
    if (row) row.q = q;
    else {
      const li = create(q);
      this.rows.set(q.id, { q, li });
      this.place(q.id, true);
      this.changed(this.order.length);
      return;
    }
    this.dirty.add(q.id);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  /** @param {string} id @param {number} votes */
  votes(id, votes) {
    const row = this.rows.get(id);
    if (!row || row.q.votes === votes) return;
    this.upsert({ ...row.q, votes });
  }

  /** @param {string} id */
  remove(id) {
    const row = this.rows.get(id);
    if (!row) return;
    this.rows.delete(id);
    this.dirty.delete(id);
    const i = this.order.indexOf(id);
    if (i >= 0) this.order.splice(i, 1);
    const focused = row.li.contains(document.activeElement);
    row.li.remove();
    if (focused) {
      const next = this.order[Math.min(i, this.order.length - 1)];
      const b = next ? /** @type {HTMLElement | null} */ (this.rows.get(next)?.li.querySelector("button")) : null;
      if (b) b.focus();
      else /** @type {HTMLElement | null} */ (document.getElementById("queue-heading"))?.focus();
    }
    this.changed(this.order.length);
  }

  flush() {
    this.frame = 0;
    for (const id of this.dirty) {
      const row = this.rows.get(id);
      if (!row) continue;
      fill(row.li, row.q);
      this.place(id, false);
    }
    this.dirty.clear();
  }

  rerender() {
    for (const { q, li } of this.rows.values()) fill(li, q);
  }

  /**
   * Puts a row where it belongs in the order, moving its element only if
   * its neighbour changed.
   * @param {string} id
   * @param {boolean} fresh
   */
  place(id, fresh) {
    const row = /** @type {{q: any, li: HTMLElement}} */ (this.rows.get(id));
    if (!fresh) {
      const i = this.order.indexOf(id);
      if (i >= 0) this.order.splice(i, 1);
    }
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = /** @type {{q: any}} */ (this.rows.get(this.order[mid])).q;
      if (ahead(other, row.q)) lo = mid + 1;
      else hi = mid;
    }
    this.order.splice(lo, 0, id);
    const next = this.order[lo + 1];
    const nextLi = next ? /** @type {{li: HTMLElement}} */ (this.rows.get(next)).li : null;
    if (fresh || row.li.nextElementSibling !== nextLi) {
      const focused = document.activeElement;
      this.list.insertBefore(row.li, nextLi);
      if (focused instanceof HTMLElement && row.li.contains(focused) && document.activeElement !== focused) focused.focus();
    }
  }
}

/** A row, its buttons made once (a change never takes their focus away). @param {any} q */
function create(q) {
  const textId = "sq-" + q.id;
  const li = el(
    "li",
    { class: "srow", dataset: { id: q.id } },
    el("p", { class: "q-head" }),
    el("p", { class: "q-text", id: textId }),
    el(
      "div",
      { class: "q-actions" },
      el("button", { type: "button", class: "small primary", dataset: { action: "answering" }, "aria-describedby": textId }),
      el("button", { type: "button", class: "small", dataset: { action: "dismiss" }, "aria-describedby": textId }),
    ),
    el("p", { class: "q-msg", hidden: true }),
  );
  fill(li, q);
  return li;
}

/** @param {HTMLElement} li @param {any} q */
function fill(li, q) {
  li.classList.toggle("starred", !!q.starred);
  /** @type {HTMLElement} */ (li.querySelector(".q-head")).replaceChildren(
    q.starred ? el("span", { class: "star" }, "★ " + t("specialist.starred")) : "",
    el("span", { class: "votes" }, t("specialist.votes", { count: q.votes })),
    el("span", { class: "author" }, q.author || t("specialist.anonymous")),
    q.phase ? el("span", { class: "phase" }, q.phase) : "",
    q.elapsed_ms != null ? el("span", { class: "elapsed" }, elapsed(q.elapsed_ms)) : "",
    el("span", { class: "age" }, time(q.created_at)),
  );
  const text = /** @type {HTMLElement} */ (li.querySelector(".q-text"));
  if (text.textContent !== q.text) text.textContent = q.text;
  /** @type {HTMLElement} */ (li.querySelector('[data-action="answering"]')).textContent = t("specialist.answer_now");
  /** @type {HTMLElement} */ (li.querySelector('[data-action="dismiss"]')).textContent = t("specialist.dismiss");
}
