// @ts-check
// What a moderator does to a question, by key or by button: approve,
// reject with a reason, edit (redact, with the screen's findings
// previewed), merge into another question, star, mute the asker. Every
// command names the version the moderator saw; a stale one brings the
// current question back into the row with the reason, translated.

import { el } from "../lib/dom.js";
import { categoriesText, highlight, livePreview } from "../lib/findings.js";
import { errorText, t } from "../lib/i18n.js";
import { setText } from "../lib/status.js";
import { ACTIONS, closeForm, formOf, mutedViewers, openEdit, openMerge, openReject, rowMessage } from "./moderator-row.js";

/**
 * @typedef {{
 *   api: ReturnType<typeof import("../lib/api.js").sessionApi>,
 *   queue: import("./moderator-queue.js").Queue,
 *   all: Map<string, any>,
 *   apply: (q: any) => void,
 *   announce: (text: string) => void,
 *   mutedChanged: () => void,
 * }} ActionContext
 */

/** @type {Map<string, string>} */
const KEYS = new Map(ACTIONS.map(([action, key]) => [key, action]));

export class Actions {
  /** @param {ActionContext} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    /** @type {Set<string>} questions with a command on its way */
    this.busy = new Set();
    /** @type {WeakMap<HTMLTextAreaElement, ReturnType<typeof livePreview>>} each edit box's live preview */
    this.previews = new WeakMap();
    const list = ctx.queue.list;
    list.addEventListener("click", (e) => {
      const b = /** @type {HTMLElement} */ (e.target).closest("button[data-action]");
      const li = ctx.queue.rowOf(b);
      if (!b || !li || b.getAttribute("type") === "submit") return;
      this.run(/** @type {HTMLElement} */ (b).dataset.action || "", li.dataset.id || "", li);
    });
    list.addEventListener("submit", (e) => this.submit(/** @type {SubmitEvent} */ (e)));
    list.addEventListener("input", (e) => {
      const area = /** @type {HTMLElement} */ (e.target);
      if (area.classList.contains("edit-text")) this.preview(/** @type {HTMLTextAreaElement} */ (area));
    });
    document.getElementById("muted")?.addEventListener("click", (e) => {
      const b = /** @type {HTMLElement} */ (e.target).closest("button[data-action]");
      if (b) this.mutedAction(/** @type {HTMLButtonElement} */ (b));
    });
  }

  /**
   * A key pressed on a row. @returns whether it was one of ours.
   * @param {string} key @param {string} id @param {HTMLElement} li
   */
  key(key, id, li) {
    if (key === "Escape") {
      if (!formOf(li).childElementCount) return false;
      closeForm(li);
      li.focus();
      return true;
    }
    const action = KEYS.get(key);
    if (!action) return false;
    this.run(action, id, li);
    return true;
  }

  /** @param {string} action @param {string} id @param {HTMLElement} li */
  run(action, id, li) {
    const q = this.ctx.queue.get(id);
    if (!q) return;
    rowMessage(li, "");
    switch (action) {
      case "approve":
        return void this.moderate(li, q, { action: "approve" }, "moderator.approved");
      case "star":
        return void this.moderate(li, q, { action: q.starred ? "unstar" : "star" }, q.starred ? "moderator.unstarred" : "moderator.starred_done");
      case "reject":
        return void openReject(li, q);
      case "edit":
        openEdit(li, q);
        this.preview(/** @type {HTMLTextAreaElement} */ (li.querySelector(".edit-text")));
        return;
      case "merge":
        return void openMerge(li, q, this.targets(q));
      case "mute":
        return void this.mute(li, q);
      case "cancel":
        closeForm(li);
        li.focus();
        return;
    }
  }

  /** Open questions another can be merged into: published ones first, then by age. @param {any} q */
  targets(q) {
    const rank = (/** @type {any} */ x) => (x.status === "approved" || x.status === "answering" ? 0 : 1);
    return [...this.ctx.all.values()]
      .filter((x) => x.id !== q.id && ["approved", "answering", "pending", "held"].includes(x.status))
      .filter((x) => !(x.muted && (x.status === "pending" || x.status === "held")))
      .sort((a, b) => rank(a) - rank(b) || (a.created_at < b.created_at ? -1 : 1));
  }

  /** @param {SubmitEvent} e */
  async submit(e) {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.target);
    const li = this.ctx.queue.rowOf(form);
    if (!li) return;
    const q = this.ctx.queue.get(li.dataset.id || "");
    if (!q) return;
    const version = Number(form.dataset.version);
    const submitter = /** @type {HTMLElement | null} */ (e.submitter);
    const kind = form.dataset.kind;
    const action = submitter ? submitter.dataset.action : kind + "-default";
    if (kind === "reject") {
      const typed = /** @type {HTMLInputElement} */ (form.querySelector(".reason-text")).value.trim();
      const chosen = /** @type {HTMLSelectElement} */ (form.querySelector(".reason-choice")).value;
      await this.moderate(li, q, { action: "reject", reason: typed || chosen || undefined }, "moderator.rejected", version);
    } else if (kind === "edit") {
      const text = /** @type {HTMLTextAreaElement} */ (form.querySelector(".edit-text")).value;
      const edited = await this.moderate(li, q, { action: "edit", text }, "moderator.edited", version, action !== "edit-approve");
      if (edited && action === "edit-approve") await this.moderate(li, edited, { action: "approve" }, "moderator.approved");
    } else if (kind === "merge") {
      const into = /** @type {HTMLSelectElement} */ (form.querySelector(".merge-target")).value;
      if (!into) return rowMessage(li, t("moderator.merge_none"));
      await this.moderate(li, q, { action: "merge", into }, "moderator.merged", version);
    }
  }

  /**
   * Sends one moderation; the answer (or the current question, when ours
   * was stale) replaces the row.
   * @param {HTMLElement} li
   * @param {any} q
   * @param {Record<string, any>} body
   * @param {string} done what to announce
   * @param {number} [version] the version the form was opened on
   * @param {boolean} [close] close the row's form on success
   * @returns {Promise<any>} the question after the change, or null
   */
  async moderate(li, q, body, done, version, close = true) {
    if (this.busy.has(q.id)) return null;
    this.busy.add(q.id);
    li.setAttribute("aria-busy", "true");
    try {
      const updated = await this.ctx.api.post("/questions/" + q.id + "/moderate", { ...body, version: version ?? q.version });
      if (close) closeForm(li);
      this.ctx.apply(updated);
      this.ctx.queue.flush();
      this.ctx.announce(t(done));
      return updated;
    } catch (err) {
      const e = /** @type {any} */ (err);
      if (e && e.reason === "stale_version" && e.detail && e.detail.question) {
        closeForm(li);
        this.ctx.apply(e.detail.question);
        this.ctx.queue.flush();
      }
      this.say(li, errorText(e));
      return null;
    } finally {
      this.busy.delete(q.id);
      li.removeAttribute("aria-busy");
    }
  }

  /** A message in the row, or announced when the row has left the queue. @param {HTMLElement} li @param {string} text */
  say(li, text) {
    if (li.isConnected) rowMessage(li, text);
    this.ctx.announce(text);
  }

  /**
   * Mutes the asker (their later questions stay out of the queue, listed
   * apart), or unmutes them again.
   * @param {HTMLElement} li @param {any} q
   */
  async mute(li, q) {
    if (!q.viewer_id || this.busy.has(q.id)) return;
    const muted = !mutedViewers.has(q.viewer_id);
    this.busy.add(q.id);
    try {
      await this.setMuted(q.viewer_id, muted);
    } catch (err) {
      this.say(li, errorText(err));
    } finally {
      this.busy.delete(q.id);
    }
  }

  /** @param {string} viewer @param {boolean} muted */
  async setMuted(viewer, muted) {
    await this.ctx.api.post("/viewers/" + viewer + "/mute", { muted });
    if (muted) mutedViewers.add(viewer);
    else mutedViewers.delete(viewer);
    for (const id of this.ctx.queue.order) {
      if (this.ctx.queue.get(id)?.viewer_id === viewer) this.ctx.queue.mark(id);
    }
    this.ctx.announce(t(muted ? "moderator.muted_done" : "moderator.unmuted_done"));
    this.ctx.mutedChanged();
  }

  /** A muted asker's question: approve it after all, or unmute its asker. @param {any} q */
  mutedRow(q) {
    if (q.viewer_id) mutedViewers.add(q.viewer_id);
    const unmuted = !q.viewer_id;
    return el(
      "li",
      { class: "muted-item", dataset: { id: q.id, version: String(q.version) } },
      el("p", { class: "q-head" }, el("span", { class: "author" }, q.author || t("moderator.anonymous"))),
      el("p", { class: "q-text" }, highlight(q.text, q.flags)),
      el(
        "div",
        { class: "q-actions" },
        el("button", { type: "button", class: "small", dataset: { action: "approve-muted" } }, t("moderator.approve")),
        el("button", { type: "button", class: "small", dataset: { action: "unmute", viewer: q.viewer_id || "" }, disabled: unmuted }, t("moderator.unmute")),
      ),
      el("p", { class: "q-msg", hidden: true }),
    );
  }

  /** @param {HTMLButtonElement} b */
  async mutedAction(b) {
    const li = /** @type {HTMLElement} */ (b.closest("li"));
    const msg = /** @type {HTMLElement} */ (li.querySelector(".q-msg"));
    b.disabled = true;
    try {
      if (b.dataset.action === "unmute") await this.setMuted(b.dataset.viewer || "", false);
      else {
        const q = await this.ctx.api.post("/questions/" + li.dataset.id + "/moderate", { action: "approve", version: Number(li.dataset.version) });
        this.ctx.apply(q);
        li.remove();
        this.ctx.announce(t("moderator.approved"));
      }
    } catch (err) {
      b.disabled = false;
      msg.textContent = errorText(err);
      msg.hidden = false;
    }
  }

  /** Shows, a moment after typing stops, what the screen finds in an edit. @param {HTMLTextAreaElement} area */
  preview(area) {
    let live = this.previews.get(area);
    if (!live) {
      live = livePreview(
        (text) => this.ctx.api.post("/screen", { text }),
        (text, r) => {
          const out = document.getElementById(area.id + "-preview");
          if (!out || !area.isConnected || area.value !== text) return;
          const verdict = /** @type {HTMLElement} */ (out.querySelector(".preview-verdict"));
          const marked = /** @type {HTMLElement} */ (out.querySelector(".preview-text"));
          const cats = r ? categoriesText(r.flags) : "";
          verdict.className = "preview-verdict " + (cats ? "q-found" : "muted");
          setText(verdict, !r ? "" : cats ? t("moderator.found", { categories: cats }) : t("moderator.edit_clean"));
          marked.replaceChildren(cats ? el("p", { class: "q-text" }, highlight(text, r.flags)) : "");
        },
        400,
      );
      this.previews.set(area, live);
    }
    live.changed(area.value);
  }
}
