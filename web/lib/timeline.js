// @ts-check
// The one timeline renderer: updates (edits marked, retractions struck
// through), answers with their question, state changes; newest or oldest
// first; a reader scrolled into the history is never moved (a "N new
// updates" button appears instead); new entries are announced politely
// through a live region; the phases seen so far as a strip.

import { el } from "./dom.js";
import { elapsed, t, time } from "./i18n.js";

/**
 * @typedef {{
 *   list: HTMLOListElement,
 *   announcer?: HTMLElement,
 *   jump?: HTMLButtonElement,
 *   phases?: HTMLOListElement,
 *   empty?: HTMLElement,
 *   order?: "newest" | "oldest",
 *   actions?: (update: any) => (Node | null),
 * }} TimelineOptions
 */

export class Timeline {
  /** @param {TimelineOptions} opts */
  constructor(opts) {
    this.opts = opts;
    this.order = opts.order || "newest";
    /** @type {Map<string, {event: any, li: HTMLLIElement}>} */
    this.entries = new Map();
    /** @type {string[]} */
    this.phaseNames = [];
    this.unseen = 0;
    if (opts.jump) {
      opts.jump.hidden = true;
      opts.jump.addEventListener("click", () => this.showNew());
    }
    window.addEventListener("scroll", () => {
      if (this.unseen && this.atLiveEdge()) this.clearUnseen();
    }, { passive: true });
  }

  /**
   * Applies one history event. `live` is false for the backlog a stream
   * replays on connect: those are not announced.
   * @param {any} e
   * @param {boolean} live
   */
  apply(e, live) {
    switch (e.type) {
      case "update":
        this.add("u:" + e.update.id, e, live, t("timeline.announce_update", { text: e.update.text }));
        this.notePhase(e.update.phase);
        break;
      case "update_edited": {
        const entry = this.entries.get("u:" + e.update.id);
        if (entry) {
          entry.event = { ...entry.event, update: e.update };
          this.render(entry.event, entry.li);
        }
        break;
      }
      case "update_retracted": {
        const entry = this.entries.get("u:" + e.update_id);
        if (entry) {
          entry.event = { ...entry.event, update: { ...entry.event.update, retracted: true, text: "" } };
          this.render(entry.event, entry.li);
        }
        break;
      }
      case "answer":
        this.add("a:" + e.question.id, e, live, t("timeline.announce_answer", { question: e.question.text, answer: e.answer.text }));
        break;
      case "session_state":
        this.add("s:" + e.seq, e, live, t("timeline.announce_state", { state: t("state." + e.state) }));
        break;
    }
  }

  /** @param {string} key @param {any} e @param {boolean} live @param {string} words */
  add(key, e, live, words) {
    if (this.entries.has(key)) return;
    const li = this.render(e, el("li"));
    this.entries.set(key, { event: e, li });
    const list = this.opts.list;
    const away = !this.atLiveEdge();
    if (this.order === "newest") {
      // Keep what the reader is looking at where it was (the list opts out
      // of the browser's own scroll anchoring, which not all browsers have).
      const anchor = away ? [...list.children].find((c) => c.getBoundingClientRect().bottom > 0) : null;
      const top = anchor ? anchor.getBoundingClientRect().top : 0;
      list.prepend(li);
      if (anchor) window.scrollBy(0, anchor.getBoundingClientRect().top - top);
    } else {
      list.append(li);
    }
    if (this.opts.empty) this.opts.empty.hidden = true;
    if (!live) return;
    // Oldest first, a reader at the bottom follows the live edge down (one
    // who scrolled past the list, to the questions, stays where they are).
    if (this.order === "oldest" && !away && list.getBoundingClientRect().bottom - li.offsetHeight > 0) li.scrollIntoView({ block: "nearest" });
    if (away && e.type !== "session_state") {
      this.unseen += 1;
      if (this.opts.jump) {
        this.opts.jump.textContent = t("timeline.new_updates", { count: this.unseen });
        this.opts.jump.hidden = false;
      }
    }
    if (this.opts.announcer) this.opts.announcer.textContent = words;
  }

  /** Whether the reader is at the end where new entries arrive. */
  atLiveEdge() {
    const list = this.opts.list;
    if (!list.firstElementChild) return true;
    if (this.order === "newest") return list.getBoundingClientRect().top > -80;
    return list.getBoundingClientRect().bottom < window.innerHeight + 80;
  }

  showNew() {
    const list = this.opts.list;
    const target = this.order === "newest" ? list.firstElementChild : list.lastElementChild;
    if (target) {
      target.scrollIntoView({ block: this.order === "newest" ? "start" : "end" });
      /** @type {HTMLElement} */ (target).focus({ preventScroll: true });
    }
    this.clearUnseen();
  }

  clearUnseen() {
    this.unseen = 0;
    if (this.opts.jump) this.opts.jump.hidden = true;
  }

  /** @param {"newest" | "oldest"} order */
  setOrder(order) {
    if (order === this.order) return;
    this.order = order;
    const items = [...this.opts.list.children].reverse();
    this.opts.list.replaceChildren(...items);
  }

  /** Renders every entry again (after a language change). */
  refresh() {
    for (const { event, li } of this.entries.values()) this.render(event, li);
    this.renderPhases();
    if (this.unseen && this.opts.jump) this.opts.jump.textContent = t("timeline.new_updates", { count: this.unseen });
  }

  /** @param {any} e @param {HTMLLIElement} li */
  render(e, li) {
    li.tabIndex = -1;
    if (e.type === "session_state") {
      li.className = "entry state";
      li.replaceChildren(el("time", { datetime: e.ts }, time(e.ts)), " · ", t("timeline.state_now", { state: t("state." + e.state) }));
      return li;
    }
    if (e.type === "answer") {
      li.className = "entry answer";
      const q = e.question;
      li.replaceChildren(
        meta(e.ts, q.elapsed_ms, q.phase),
        el("p", { class: "asked" }, el("span", { class: "label" }, t("timeline.question")), " ", q.text),
        el("p", { class: "text" }, el("span", { class: "label" }, t("timeline.answer_by", { name: e.answer.author })), " ", e.answer.text),
      );
      return li;
    }
    const u = e.update;
    li.className = "entry update" + (u.retracted ? " retracted" : "");
    const m = meta(u.ts, u.elapsed_ms, u.phase);
    if (u.edited_at) m.append(el("span", { class: "edited", title: time(u.edited_at) }, t("timeline.edited")));
    const text = u.retracted
      ? el("p", { class: "text" }, el("s", null, t("timeline.retracted")))
      : el("p", { class: "text" }, u.text);
    const actions = !u.retracted && this.opts.actions ? this.opts.actions(u) : null;
    li.replaceChildren(m, text);
    if (actions) li.append(actions);
    return li;
  }

  /** @param {string | undefined} phase */
  notePhase(phase) {
    if (!phase || this.phaseNames[this.phaseNames.length - 1] === phase) return;
    this.phaseNames = this.phaseNames.filter((p) => p !== phase).concat(phase);
    this.renderPhases();
  }

  renderPhases() {
    const strip = this.opts.phases;
    if (!strip) return;
    strip.hidden = this.phaseNames.length === 0;
    const last = this.phaseNames.length - 1;
    strip.replaceChildren(
      ...this.phaseNames.map((p, i) =>
        el("li", { class: i === last ? "current" : "done", "aria-current": i === last ? "step" : null }, p),
      ),
    );
  }

  /** The latest update that is not retracted (for the projector). */
  latest() {
    let best = null;
    for (const { event } of this.entries.values()) {
      if (event.type === "update" && !event.update.retracted) best = event;
    }
    return best;
  }
}

/** @param {string} ts @param {number | undefined} ms @param {string | undefined} phase */
function meta(ts, ms, phase) {
  return el(
    "div",
    { class: "when" },
    el("time", { datetime: ts }, time(ts)),
    ms != null ? el("span", { class: "elapsed" }, elapsed(ms)) : null,
    phase ? el("span", { class: "phase" }, phase) : null,
  );
}
