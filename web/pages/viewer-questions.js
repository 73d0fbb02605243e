// @ts-check
// The viewer page's questions: the box to ask (with a character counter,
// anonymous by default), the live status of this viewer's own questions,
// and the published questions to upvote, with their counts.

import { ApiError, clientId } from "../lib/api.js";
import { $, el } from "../lib/dom.js";
import { errorText, t } from "../lib/i18n.js";

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
    this.voted = new Set(JSON.parse(sessionGet(VOTES) || "[]"));
    this.counts = { received: 0, answered: 0 };
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
    try {
      const { questions } = await this.deps.api.get("/questions");
      const now = questions.find((/** @type {any} */ q) => q.status === "answering") || null;
      this.published = new Map(questions.filter((/** @type {any} */ q) => q.status !== "answered").map((/** @type {any} */ q) => [q.id, q]));
      this.renderPublished();
      if (joined) {
        const mine = await this.deps.api.get("/questions/mine");
        // A my_question that arrived while this was in flight may be newer.
        for (const q of mine.questions) {
          const known = this.mine.get(q.id);
          if (!known || known.version <= q.version) this.mine.set(q.id, q);
        }
        this.renderMine();
      }
      return now;
    } catch {
      /* the live events still come; the next reconnect retries */
      return undefined;
    }
  }

  /** @param {any} e */
  onEvent(e) {
    switch (e.type) {
      case "question_published":
        this.publish([e.question]);
        break;
      case "questions_published":
        this.publish(e.questions);
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

  /** @param {any} q */
  answered(q) {
    this.published.delete(q.id);
    this.renderPublished();
  }

  /** @param {any[]} list */
  publish(list) {
    for (const q of list) {
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
  }

  refresh() {
    this.counter();
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

  renderPublished() {
    const items = [...this.published.values()].sort((a, b) => b.votes - a.votes || (a.created_at < b.created_at ? -1 : 1));
    $("no-questions").hidden = items.length > 0;
    // Keep the keyboard's place across a re-render (counts change every second).
    const focused = document.activeElement && document.activeElement.closest("#published li");
    const focusedId = focused ? /** @type {HTMLElement} */ (focused).dataset.id : null;
    $("published").replaceChildren(...items.map((q) => this.publishedRow(q)));
    if (focusedId) {
      const again = $("published").querySelector(`[data-id="${focusedId}"] button`);
      if (again) again.focus();
    }
  }

  /** @param {any} q */
  publishedRow(q) {
    const mine = this.voted.has(q.id);
    const textId = "q-" + q.id;
    const button = el(
      "button",
      {
        type: "button",
        class: "small",
        "aria-pressed": mine ? "true" : "false",
        "aria-describedby": textId,
        "data-action": "vote",
        onclick: () => this.vote(q.id, !this.voted.has(q.id), button),
      },
      "▲ " + t(mine ? "viewer.upvoted" : "viewer.upvote"),
    );
    return el(
      "li",
      { dataset: { id: q.id } },
      el("p", { class: "q" }, el("span", { id: textId }, q.text), el("span", { class: "status " + q.status }, t("status." + q.status) + " · " + t("viewer.votes", { count: q.votes }))),
      button,
    );
  }

  /** @param {string} id @param {boolean} up @param {HTMLButtonElement} button */
  async vote(id, up, button) {
    button.disabled = true;
    try {
      await this.deps.join();
      const q = up ? await this.deps.api.post("/questions/" + id + "/vote") : await this.deps.api.del("/questions/" + id + "/vote");
      if (up) this.voted.add(id);
      else this.voted.delete(id);
      sessionSet(VOTES, JSON.stringify([...this.voted]));
      if (this.published.has(id)) this.published.set(id, { ...this.published.get(id), votes: q.votes });
      this.renderPublished();
    } catch (e) {
      this.deps.notice(errorText(e));
      if (e instanceof ApiError && e.status === 409) this.published.delete(id);
      this.renderPublished();
    }
  }
}

/** @param {string} k */
function sessionGet(k) {
  try {
    return sessionStorage.getItem(k);
  } catch {
    return null;
  }
}

/** @param {string} k @param {string} v */
function sessionSet(k, v) {
  try {
    sessionStorage.setItem(k, v);
  } catch {
    /* not kept */
  }
}
