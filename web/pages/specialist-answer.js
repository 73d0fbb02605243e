// @ts-check
// "Now answering": the question the specialist took, and the answer
// composer. While typing, the privacy screen's findings are previewed; a
// held answer (422 screening_hold) shows them and offers "Send anyway";
// a 202 means a moderator must release it first. A retry reuses the same
// client_id, so a flaky network never posts an answer twice.

import { clientId } from "../lib/api.js";
import { $, el } from "../lib/dom.js";
import { categoriesText, findingsList, highlight, livePreview } from "../lib/findings.js";
import { elapsed, errorText, t } from "../lib/i18n.js";
import { setText } from "../lib/status.js";

const MAX = 2000;

/**
 * @typedef {{
 *   api: ReturnType<typeof import("../lib/api.js").sessionApi>,
 *   answered: (q: any) => void,
 *   dismiss: (q: any) => Promise<void>,
 *   announce: (text: string) => void,
 *   leave: () => void,
 * }} ComposerContext
 */

export class Composer {
  /** @param {ComposerContext} ctx */
  constructor(ctx) {
    this.ctx = ctx;
    /** @type {any} */
    this.q = null;
    /** @type {Map<string, string>} unsent drafts by question */
    this.drafts = new Map();
    /** @type {Map<string, string>} the idempotency key of each question's answer */
    this.ids = new Map();
    /** @type {any[] | null} findings of the held attempt, while its text is unchanged */
    this.hold = null;
    this.sending = false;
    this.area = /** @type {HTMLTextAreaElement} */ ($("answer-text"));
    // Asks the screen about the draft (nothing stored) a moment after typing stops.
    this.live = livePreview(
      (text) => ctx.api.post("/screen", { text }),
      (text, r) => {
        if (this.hold || this.area.value !== text) return;
        this.findings(r && r.flags && r.flags.length ? { text, flags: r.flags, held: false } : null);
      },
      500,
    );
    this.area.addEventListener("input", () => {
      if (this.q) this.drafts.set(this.q.id, this.area.value);
      this.hold = null;
      $("answer-confirm").hidden = true;
      this.count();
      this.schedulePreview();
    });
    $("answer-form").addEventListener("submit", (/** @type {Event} */ e) => {
      e.preventDefault();
      this.send(false);
    });
    $("answer-confirm").addEventListener("click", () => this.send(true));
    $("now-dismiss").addEventListener("click", async () => {
      const q = this.q;
      if (!q) return;
      await this.ctx.dismiss(q);
      if (!this.q || this.q.id !== q.id) this.ctx.leave(); // its box is hidden: the focus goes on
    });
  }

  /** Shows the question being answered (null: none). @param {any} q */
  show(q) {
    const changed = (q && q.id) !== (this.q && this.q.id);
    this.q = q;
    $("now-empty").hidden = !!q;
    $("now-body").hidden = !q;
    if (!q) {
      this.status("");
      return;
    }
    $("now-meta").replaceChildren(
      el("span", { class: "votes" }, t("specialist.votes", { count: q.votes })),
      el("span", { class: "author" }, q.author || t("specialist.anonymous")),
      q.phase ? el("span", { class: "phase" }, q.phase) : "",
      q.elapsed_ms != null ? el("span", { class: "elapsed" }, elapsed(q.elapsed_ms)) : "",
    );
    $("now-question").textContent = q.text;
    if (changed) {
      this.area.value = this.drafts.get(q.id) || "";
      this.hold = null;
      $("answer-confirm").hidden = true;
      this.status("");
      this.count();
      this.findings(null);
      this.schedulePreview();
    }
  }

  rerender() {
    if (this.q) {
      const q = this.q;
      this.q = null;
      const draft = this.area.value;
      this.show(q);
      this.area.value = draft;
    }
    this.count();
  }

  count() {
    const left = MAX - this.area.value.length;
    $("answer-count").textContent = t("specialist.chars_left", { count: left });
  }

  /** @param {string} text */
  status(text) {
    $("answer-status").textContent = text;
  }

  schedulePreview() {
    this.live.changed(this.area.value);
  }

  /**
   * Shows findings in the draft: marked text and a list.
   * @param {{ text: string, flags: any[], held: boolean } | null} f
   */
  findings(f) {
    $("answer-findings").hidden = !f;
    // Only the verdict line is live, set only when it changes: the marked
    // draft is redrawn at every pause in typing and is not read out.
    setText($("answer-verdict"), f ? t(f.held ? "specialist.held_title" : "specialist.preview_title") + " " + categoriesText(f.flags) : "");
    if (!f) return void $("answer-findings-text").replaceChildren();
    $("answer-findings-text").replaceChildren(el("p", { class: "q-text" }, highlight(f.text, f.flags)), findingsList(f.text, f.flags));
  }

  /** @param {boolean} confirm post even though the screen found something */
  async send(confirm) {
    const q = this.q;
    if (!q || this.sending) return;
    const text = this.area.value;
    if (!text.trim()) {
      this.status(t("error.empty_text"));
      this.area.focus();
      return;
    }
    let id = this.ids.get(q.id);
    if (!id) {
      id = clientId();
      this.ids.set(q.id, id);
    }
    const focused = /** @type {HTMLElement | null} */ ($("now-body").contains(document.activeElement) ? document.activeElement : null);
    this.sending = true;
    $("answer-send").disabled = true;
    $("answer-confirm").disabled = true;
    this.status(t("specialist.sending"));
    try {
      const r = await this.ctx.api.post("/questions/" + q.id + "/answer", { text, client_id: id, confirm: confirm || undefined });
      this.ids.delete(q.id);
      $("answer-confirm").hidden = true;
      this.hold = null;
      if (r.held) {
        // A moderator releases it (or not); the answer event tells us.
        this.status(t("specialist.waits_for_moderator"));
        this.findings({ text: r.held.text, flags: r.held.flags || [], held: true });
        this.ctx.announce(t("specialist.waits_for_moderator"));
        return;
      }
      this.drafts.delete(q.id);
      this.area.value = "";
      this.live.reset();
      this.findings(null);
      this.status("");
      this.ctx.announce(t("specialist.answer_sent"));
      this.ctx.answered(r.question);
      if (focused && (!this.q || this.q.id !== q.id)) this.ctx.leave(); // its box is hidden: the focus goes on
    } catch (err) {
      const e = /** @type {any} */ (err);
      if (e && e.reason === "screening_hold") {
        this.hold = (e.detail && e.detail.flags) || [];
        this.findings({ text, flags: this.hold || [], held: true });
        $("answer-confirm").hidden = false;
        this.status(errorText(e));
        $("answer-confirm").focus();
      } else {
        if (e && e.status !== 0) this.ids.delete(q.id); // refused: nothing stored, a new attempt is new
        this.status(errorText(e));
      }
    } finally {
      this.sending = false;
      $("answer-send").disabled = false;
      $("answer-confirm").disabled = false;
      // Disabling the pressed button dropped the focus: give it back.
      if (focused && !focused.hidden && !$("now-body").hidden && document.activeElement === document.body) focused.focus();
    }
  }
}
