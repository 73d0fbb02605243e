// @ts-check
// The moderators' queue as a keyed list, oldest first, built to stay quick
// with hundreds of questions: rows are made in chunks (the first screenful
// at once), a change rewrites only its own row, changes are applied once
// per animation frame however many events arrive, and a row is inserted or
// removed where it belongs without touching the others. Keyboard: one row
// takes the Tab focus (roving), Up/Down or j/k move, Home/End jump.

import { createRow, setLookers, updateRow } from "./moderator-row.js";

const FIRST_CHUNK = 40;
const CHUNK = 150;

/**
 * @typedef {{ q: any, li: HTMLElement | null }} Row
 * @typedef {{
 *   onActive?: (id: string) => void,
 *   onChange?: (count: number) => void,
 *   onKey?: (key: string, id: string, li: HTMLElement) => boolean,
 * }} QueueHooks
 */

/** @param {any} a @param {any} b */
function before(a, b) {
  return a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id);
}

export class Queue {
  /** @param {HTMLOListElement} list @param {QueueHooks} hooks */
  constructor(list, hooks) {
    this.list = list;
    this.hooks = hooks;
    /** @type {Map<string, Row>} */
    this.rows = new Map();
    /** @type {string[]} ids, oldest first */
    this.order = [];
    /** How many of `order` have their row in the list (always a prefix). */
    this.rendered = 0;
    this.chunking = false;
    /** @type {string | null} */
    this.active = null;
    /** @type {Set<string>} */
    this.dirty = new Set();
    this.frame = 0;
    /** @type {Map<string, string[]>} */
    this.lookers = new Map();
    list.addEventListener("focusin", (e) => {
      const li = this.rowOf(/** @type {Node} */ (e.target));
      if (!li || !li.dataset.id) return;
      this.setActive(li.dataset.id, false);
      if (this.hooks.onActive) this.hooks.onActive(li.dataset.id);
    });
    list.addEventListener("keydown", (e) => this.key(e));
  }

  get size() {
    return this.order.length;
  }

  /** @param {string} id */
  get(id) {
    const row = this.rows.get(id);
    return row ? row.q : null;
  }

  /** @param {string} id */
  rowElement(id) {
    const row = this.rows.get(id);
    return row ? row.li : null;
  }

  /** @param {Node | null} node @returns {HTMLElement | null} */
  rowOf(node) {
    const elt = node instanceof Element ? node : node && node.parentElement;
    const li = elt ? elt.closest("li.qrow") : null;
    return li && this.list.contains(li) ? /** @type {HTMLElement} */ (li) : null;
  }

  /**
   * Replaces everything with these questions; resolves once every row is
   * in the page (the first screenful at once, the rest a chunk a frame).
   * @param {any[]} questions
   * @returns {Promise<void>}
   */
  load(questions) {
    this.rows.clear();
    this.list.replaceChildren();
    this.rendered = 0;
    for (const q of questions) this.rows.set(q.id, { q, li: null });
    this.order = [...this.rows.values()].map((r) => r.q).sort((a, b) => (before(a, b) ? -1 : 1)).map((q) => q.id);
    this.active = this.order[0] || null;
    this.renderUpTo(FIRST_CHUNK);
    this.changed();
    if (this.rendered >= this.order.length) return Promise.resolve();
    this.chunking = true;
    return new Promise((resolve) => {
      const step = () => {
        this.renderUpTo(this.rendered + CHUNK);
        if (this.rendered < this.order.length) requestAnimationFrame(step);
        else {
          this.chunking = false;
          resolve();
        }
      };
      requestAnimationFrame(step);
    });
  }

  /** @param {number} n */
  renderUpTo(n) {
    const end = Math.min(n, this.order.length);
    if (end <= this.rendered) return;
    const frag = document.createDocumentFragment();
    for (let i = this.rendered; i < end; i++) {
      const id = this.order[i];
      const row = /** @type {Row} */ (this.rows.get(id));
      row.li = createRow(row.q, id === this.active);
      if (this.lookers.has(id)) setLookers(row.li, this.lookers.get(id) || []);
      frag.append(row.li);
    }
    this.list.append(frag);
    this.rendered = end;
  }

  /**
   * Adds a question or applies its new state (the row is rewritten at the
   * next frame).
   * @param {any} q
   */
  upsert(q) {
    const row = this.rows.get(q.id);
    if (row) {
      row.q = q;
      if (row.li) this.mark(q.id);
      return;
    }
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = /** @type {Row} */ (this.rows.get(this.order[mid])).q;
      if (before(other, q)) lo = mid + 1;
      else hi = mid;
    }
    /** @type {Row} */
    const fresh = { q, li: null };
    this.rows.set(q.id, fresh);
    this.order.splice(lo, 0, q.id);
    if (!this.active) this.active = q.id;
    if (lo < this.rendered || !this.chunking) {
      fresh.li = createRow(q, q.id === this.active);
      if (this.lookers.has(q.id)) setLookers(fresh.li, this.lookers.get(q.id) || []);
      const next = this.order[lo + 1];
      const nextLi = next ? this.rowElement(next) : null;
      this.list.insertBefore(fresh.li, nextLi && nextLi.parentNode === this.list ? nextLi : null);
      this.rendered += 1;
    }
    this.changed();
  }

  /**
   * Takes a question out of the queue; if it had the focus, the next one
   * gets it, so a moderator can keep pressing keys.
   * @param {string} id
   */
  remove(id) {
    const row = this.rows.get(id);
    if (!row) return;
    const i = this.order.indexOf(id);
    this.order.splice(i, 1);
    this.rows.delete(id);
    this.dirty.delete(id);
    if (row.li) {
      const hadFocus = row.li.contains(document.activeElement);
      row.li.remove();
      this.rendered -= 1;
      if (this.active === id) {
        const next = this.order[Math.min(i, this.order.length - 1)] || null;
        this.active = null;
        if (next) this.setActive(next, hadFocus);
        else if (hadFocus) /** @type {HTMLElement} */ (document.getElementById("queue-heading"))?.focus();
      }
    }
    this.changed();
  }

  /** @param {string} id */
  mark(id) {
    this.dirty.add(id);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  flush() {
    this.frame = 0;
    for (const id of this.dirty) {
      const row = this.rows.get(id);
      if (row && row.li) updateRow(row.li, row.q, this.lookers.get(id) || []);
    }
    this.dirty.clear();
  }

  changed() {
    if (this.hooks.onChange) this.hooks.onChange(this.order.length);
  }

  /**
   * Who else has which question open; only rows whose list changed are touched.
   * @param {Map<string, string[]>} lookers
   */
  setLookers(lookers) {
    const ids = new Set([...this.lookers.keys(), ...lookers.keys()]);
    const old = this.lookers;
    this.lookers = lookers;
    for (const id of ids) {
      const a = (old.get(id) || []).join("\n");
      const b = (lookers.get(id) || []).join("\n");
      const li = this.rowElement(id);
      if (a !== b && li) setLookers(li, lookers.get(id) || []);
    }
  }

  /**
   * Makes a row the one that takes the Tab focus (its buttons too).
   * @param {string} id
   * @param {boolean} focus move the keyboard focus there now
   */
  setActive(id, focus) {
    if (this.active !== id) {
      const old = this.active ? this.rowElement(this.active) : null;
      if (old) roving(old, false);
      this.active = id;
    }
    const li = this.rowElement(id);
    if (!li) return;
    roving(li, true);
    if (focus) {
      li.focus({ preventScroll: true });
      li.scrollIntoView({ block: "nearest" });
    }
  }

  /** @param {number} delta */
  move(delta) {
    if (!this.rendered) return;
    const i = this.active ? this.order.indexOf(this.active) : -1;
    const next = Math.max(0, Math.min(this.rendered - 1, i + delta));
    this.setActive(this.order[next], true);
  }

  /** @param {KeyboardEvent} e */
  key(e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = /** @type {HTMLElement} */ (e.target);
    const li = this.rowOf(target);
    if (!li || !li.dataset.id) return;
    const typing = target.closest(".q-form") || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if (typing && e.key !== "Escape") return;
    const moves = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, Home: -Infinity, End: Infinity };
    if (e.key in moves && !typing) {
      e.preventDefault();
      this.move(/** @type {Record<string, number>} */ (moves)[e.key]);
      return;
    }
    if (this.hooks.onKey && this.hooks.onKey(e.key, li.dataset.id, li)) e.preventDefault();
  }
}

/** @param {HTMLElement} li @param {boolean} on */
function roving(li, on) {
  li.tabIndex = on ? 0 : -1;
  for (const b of li.querySelectorAll(".q-actions button")) {
    if (on) b.removeAttribute("tabindex");
    else b.setAttribute("tabindex", "-1");
  }
}
