// @ts-check
// The viewer page's questions: the box to ask (with a character counter,
// anonymous by default), the live status of this viewer's own questions,
// and the published questions to upvote, with their counts.

import { ApiError, clientId } from "../lib/api.js";
import { $, el, store, stored } from "../lib/dom.js";
import { errorText, t } from "../lib/i18n.js";
import { setText } from "../lib/status.js";

const MAX = 500;
const VOTES = "gallery-votes:" + location.pathname;

/**
 * @typedef {{
 *   api: ReturnType<typeof import("../lib/api.js").sessionApi>,
 *   join: (name?: string) => Promise<void>,
 *   notice: (text: string) => void,
 * }} Deps
 */

export class Questions {
  /** @param {Deps} deps */
  constructor(deps) {
    this.deps = deps;
    /** @type {Map<string, any>} published questions by id */
    this.published = new Map();
    /** @type {Map<string, any>} this viewer's questions by id */
    this.mine = new Map();
    /** @type {Set<string>} */
    this.voted = new Set(JSON.parse(stored(VOTES) || "[]"));
    /** @type {Map<string, {li: HTMLLIElement, text: HTMLElement, status: HTMLElement, button: HTMLButtonElement}>} published rows, kept across count changes */
    this.rows = new Map();
    /** @type {Set<string>} votes being sent */
    this.busy = new Set();
    this.counts = { received: 0, answered: 0 };
    /** @type {Set<string>} published in a rush but not sent live: loaded on request */
    this.more = new Set();
    /** @type {any[] | null} events that arrived while a reload was in flight */
    this.replay = null;
    $("more-questions").addEventListener("click", () => this.showAll());
    /** @type {any} a question being sent, kept for a retry with its client_id */
    this.sending = null;
    const box = $("question");
    box.addEventListener("input", () => {
      this.sending = null;
      this.counter();
    });
    box.addEventListener("keydown", (/** @type {KeyboardEvent} */ e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) $("ask").requestSubmit();
    });
    $("anonymous").addEventListener("change", () => ($("name-field").hidden = $("anonymous").checked));
    $("ask").addEventListener("submit", (/** @type {Event} */ e) => {
      e.preventDefault();
      this.ask();
    });
    this.counter();
  }

  counter() {
    const left = MAX - $("question").value.length;
    $("question-count").textContent = t("viewer.chars_left", { count: left });
  }

  /** @param {boolean} ended */
  setEnded(ended) {
    $("send").disabled = ended;
    $("question").disabled = ended;
    if (ended) $("ask-status").textContent = t("viewer.ended");
  }

  async ask() {
    const text = $("question").value.trim();
    const status = $("ask-status");
    if (!text) {
      status.textContent = t("error.empty_text");
      $("question").focus();
      return;
    }
    const anonymous = $("anonymous").checked;
    this.sending = this.sending || { text, anonymous, client_id: clientId() };
    $("send").disabled = true;
    try {
      await this.deps.join(anonymous ? undefined : $("name").value.trim());
      const { question } = await this.deps.api.post("/questions", this.sending);
      this.sending = null;
      $("question").value = "";
      this.counter();
      status.textContent = question.status === "held" ? t("viewer.sent_held") : t("viewer.sent");
      this.upsertMine(question);
    } catch (e) {
      status.textContent = errorText(e);
    } finally {
      $("send").disabled = false;
    }
  }

  /**
   * Reloads the published list (and this viewer's own after a reconnect).
   * Returns the question being answered now, if any (undefined if unknown).
   * @param {boolean} joined
   */
  async reload(joined) {
    this.replay = [];
    try {
      const { questions } = await this.deps.api.get("/questions");
      const now = questions.find((/** @type {any} */ q) => q.status === "answering") || null;
      this.published = new Map(questions.filter((/** @type {any} */ q) => q.status !== "answered").map((/** @type {any} */ q) => [q.id, q]));
      for (const id of this.more) if (this.published.has(id)) this.more.delete(id);
      // What arrived while the list was in flight is newer than the list.
      const replay = this.replay || [];
      this.replay = null;
      for (const e of replay) this.onEvent(e);
      this.showMore();
      this.renderPublished();
      if (joined) {
        const mine = await this.deps.api.get("/questions/mine");
        // A my_question that arrived while this was in flight may be newer.
        for (const q of mine.questions) {
          const known = this.mine.get(q.id);
          if (!known || known.version <= q.version) {
            this.mine.set(q.id, q);
            this.tellStatus(known, q);
          }
        }
        this.renderMine();
      }
      return now;
    } catch {
      /* the live events still come; the next reconnect retries */
      this.replay = null;
      return undefined;
    }
  }

  /** @param {any} e */
  onEvent(e) {
    if (this.replay && e.type !== "my_question") this.replay.push(e);
    switch (e.type) {
      case "question_published":
        this.publish([e.question]);
        break;
      case "questions_published":
        this.publish(e.questions);
        for (const id of e.more || []) if (!this.published.has(id)) this.more.add(id);
        this.showMore();
        break;
      case "question_withdrawn":
        this.published.delete(e.id);
        this.renderPublished();
        break;
      case "question_votes":
        this.votes([{ id: e.id, votes: e.votes }]);
        break;
      case "vote_counts":
        this.votes(e.votes);
        break;
      case "question_counts":
        this.counts = { received: e.received, answered: e.answered };
        $("counts").textContent = t("viewer.asked", { received: e.received, answered: e.answered });
        break;
      case "my_question":
        this.upsertMine(e.question);
        break;
    }
  }

  /**
   * In a rush only the newest questions arrive live; the button says how
   * many others were published (not yet on this page) and loads them when
   * the viewer asks.
   */
  showMore() {
    const n = this.more.size;
    const button = $("more-questions");
    button.hidden = n === 0;
    if (n) button.textContent = t("viewer.more_questions", { count: n });
  }

  async showAll() {
    const button = $("more-questions");
    const hadFocus = document.activeElement === button;
    await this.reload(false);
    // The button hides once the list is complete: the keyboard goes to the list.
    const first = /** @type {HTMLElement | null} */ ($("published").querySelector("button"));
    if (hadFocus && first) first.focus();
  }

  /** @param {any} q */
  answered(q) {
    this.published.delete(q.id);
    this.renderPublished();
  }

  /** @param {any[]} list */
  publish(list) {
    for (const q of list) {
      this.more.delete(q.id);
      if (q.status === "answered") this.published.delete(q.id);
      else this.published.set(q.id, q);
    }
    this.renderPublished();
  }

  /** @param {{id: string, votes: number}[]} list */
  votes(list) {
    for (const { id, votes } of list) {
      const q = this.published.get(id);
      if (q) q.votes = votes;
    }
    this.renderPublished();
  }

  /** @param {any} q */
  upsertMine(q) {
    const known = this.mine.get(q.id);
    if (known && known.version > q.version) return;
    this.mine.set(q.id, q);
    this.renderMine();
    this.tellStatus(known, q);
  }

  /**
   * Says once, politely, that one of this viewer's questions changed status.
   * @param {any} known what was known before (none: a new question, not told)
   * @param {any} q
   */
  tellStatus(known, q) {
    if (!known || known.status === q.status) return;
    let words = t("viewer.my_status", { status: t("status." + q.status) });
    if (q.status === "rejected" && q.reason) words += ". " + t("viewer.reason", { reason: q.reason });
    $("announcer").textContent = words;
  }

  refresh() {
    this.counter();
    this.showMore();
    this.renderMine();
    this.renderPublished();
    if (this.counts.received) $("counts").textContent = t("viewer.asked", this.counts);
  }

  renderMine() {
    $("mine-section").hidden = this.mine.size === 0;
    const items = [...this.mine.values()].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
    $("mine").replaceChildren(
      ...items.map((q) =>
        el(
          "li",
          { dataset: { id: q.id } },
          el(
            "p",
            { class: "q" },
            q.text,
            el("span", { class: "status " + q.status }, t("status." + q.status)),
            q.status === "rejected" && q.reason ? el("span", { class: "status" }, t("viewer.reason", { reason: q.reason })) : null,
            q.answer ? el("span", { class: "status answered" }, q.answer.author + ": " + q.answer.text) : null,
          ),
        ),
      ),
    );
  }

  /**
   * Shows the published questions. Rows are kept for a question's life: a
   * count change rewrites only its text, and a new order moves the other
   * rows around the one holding the keyboard's focus, so a screen reader
   * is not sent back to it at every tick.
   */
  renderPublished() {
    const items = [...this.published.values()].sort((a, b) => b.votes - a.votes || (a.created_at < b.created_at ? -1 : 1));
    $("no-questions").hidden = items.length > 0;
    const list = /** @type {HTMLElement} */ ($("published"));
    const active = document.activeElement;
    const focusedLi = active && active !== document.body ? /** @type {HTMLElement | null} */ (active.closest("#published > li")) : null;
    let lostAt = -1;
    for (const [id, row] of this.rows) {
      if (this.published.has(id)) continue;
      if (row.li === focusedLi) lostAt = [...list.children].indexOf(row.li);
      row.li.remove();
      this.rows.delete(id);
    }
    const lis = items.map((q) => {
      let row = this.rows.get(q.id);
      if (!row) {
        row = this.publishedRow(q);
        this.rows.set(q.id, row);
      }
      this.fillRow(row, q);
      return row.li;
    });
    order(list, lis, focusedLi && focusedLi.isConnected ? focusedLi : null);
    if (lostAt >= 0) {
      // The focused question left the list: the keyboard goes to its neighbour.
      const near = lis[Math.min(lostAt, lis.length - 1)];
      if (near) /** @type {HTMLElement} */ (near.querySelector("button")).focus();
    }
  }

  /** A row for a published question: its elements, made once. @param {any} q */
  publishedRow(q) {
    const textId = "q-" + q.id;
    const button = el("button", {
      type: "button",
      class: "small",
      "aria-describedby": textId,
      "data-action": "vote",
      onclick: () => this.vote(q.id, !this.voted.has(q.id), button),
    });
    const text = el("span", { id: textId });
    const status = el("span");
    const li = el("li", { dataset: { id: q.id } }, el("p", { class: "q" }, text, status), button);
    return { li, text, status, button };
  }

  /** @param {{text: HTMLElement, status: HTMLElement, button: HTMLButtonElement}} row @param {any} q */
  fillRow(row, q) {
    const mine = this.voted.has(q.id);
    setText(row.text, q.text);
    setText(row.status, t("status." + q.status) + " · " + t("viewer.votes", { count: q.votes }));
    row.status.className = "status " + q.status;
    setText(row.button, "▲ " + t(mine ? "viewer.upvoted" : "viewer.upvote"));
    row.button.setAttribute("aria-pressed", mine ? "true" : "false");
    if (this.busy.has(q.id)) row.button.setAttribute("aria-disabled", "true");
    else row.button.removeAttribute("aria-disabled");
  }

  /** @param {string} id @param {boolean} up @param {HTMLButtonElement} button */
  async vote(id, up, button) {
    if (this.busy.has(id)) return;
    // Busy, not disabled: a disabled button would drop the keyboard's focus.
    const hadFocus = document.activeElement === button;
    this.busy.add(id);
    button.setAttribute("aria-disabled", "true");
    try {
      await this.deps.join();
      const q = up ? await this.deps.api.post("/questions/" + id + "/vote") : await this.deps.api.del("/questions/" + id + "/vote");
      if (up) this.voted.add(id);
      else this.voted.delete(id);
      store(VOTES, JSON.stringify([...this.voted]));
      if (this.published.has(id)) this.published.set(id, { ...this.published.get(id), votes: q.votes });
    } catch (e) {
      this.deps.notice(errorText(e));
      if (e instanceof ApiError && e.status === 409) this.published.delete(id);
    } finally {
      this.busy.delete(id);
      this.renderPublished();
    }
    const row = this.rows.get(id);
    if (hadFocus && row && document.activeElement !== row.button) row.button.focus();
  }
}

/**
 * Puts a list's children in the given order, moving as few as it can and
 * never the one that holds the focus (moving it would drop the focus).
 * @param {HTMLElement} list
 * @param {HTMLElement[]} wanted every child, in order
 * @param {HTMLElement | null} fixed a child not to move
 */
function order(list, wanted, fixed) {
  const at = fixed ? wanted.indexOf(fixed) : -1;
  if (at < 0) {
    wanted.forEach((li, i) => {
      if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
    });
    return;
  }
  let ref = fixed;
  for (let i = at - 1; i >= 0; i--) {
    if (wanted[i].nextElementSibling !== ref) list.insertBefore(wanted[i], ref);
    ref = wanted[i];
  }
  ref = fixed;
  for (let i = at + 1; i < wanted.length; i++) {
    if (ref.nextElementSibling !== wanted[i]) list.insertBefore(wanted[i], ref.nextElementSibling);
    ref = wanted[i];
  }
}

