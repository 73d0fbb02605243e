// @ts-check
// Texts the privacy screen held for a moderator (narrator's updates and
// the specialist's answers): each shown with its findings marked, to
// release as written, release after redacting, or discard with a reason.

import { el } from "../lib/dom.js";
import { findingsList, highlight } from "../lib/findings.js";
import { errorText, number, t, time } from "../lib/i18n.js";

/**
 * @typedef {{
 *   api: ReturnType<typeof import("../lib/api.js").sessionApi>,
 *   question: (id: string) => any,
 *   announce: (text: string) => void,
 * }} HeldContext
 */

export class HeldPanel {
  /**
   * @param {HTMLUListElement} list
   * @param {HTMLElement} empty
   * @param {HTMLElement} count
   * @param {HeldContext} ctx
   */
  constructor(list, empty, count, ctx) {
    this.list = list;
    this.empty = empty;
    this.count = count;
    this.ctx = ctx;
    /** @type {Map<string, {item: any, li: HTMLElement}>} */
    this.items = new Map();
    /** @type {Set<string>} items being released or discarded from the keyboard's place */
    this.focused = new Set();
    list.addEventListener("click", (e) => this.click(e));
    list.addEventListener("submit", (e) => this.submit(e));
    list.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      const li = /** @type {HTMLElement} */ (e.target).closest("li.held-item");
      if (li) this.closeForm(/** @type {HTMLElement} */ (li));
    });
  }

  /** @param {any[]} items */
  load(items) {
    this.items.clear();
    this.list.replaceChildren();
    for (const item of items) this.add(item);
    this.changed();
  }

  /** @param {any} item */
  add(item) {
    const known = this.items.get(item.id);
    const li = el("li", { class: "held-item", dataset: { id: item.id, kind: item.kind } });
    this.fill(li, item);
    if (known) known.li.replaceWith(li);
    else this.list.append(li);
    this.items.set(item.id, { item, li });
    this.changed();
  }

  /** @param {string} id */
  remove(id) {
    const known = this.items.get(id);
    if (!known) return;
    const li = known.li;
    // Its buttons, disabled while busy, lost the focus: `focused` remembers.
    const focus = this.focused.delete(id) || li.contains(document.activeElement);
    // The focus goes on to the next held text, else the one before, else the heading.
    const near = /** @type {HTMLElement | null} */ (li.nextElementSibling || li.previousElementSibling);
    li.remove();
    this.items.delete(id);
    this.changed();
    if (focus) (/** @type {HTMLElement | null} */ (near && near.querySelector("button")) || document.getElementById("held-heading"))?.focus();
  }

  rerender() {
    for (const { item, li } of this.items.values()) this.fill(li, item);
    this.changed();
  }

  changed() {
    this.empty.hidden = this.items.size > 0;
    this.count.textContent = this.items.size ? "(" + number(this.items.size) + ")" : "";
  }

  /** @param {HTMLElement} li @param {any} item */
  fill(li, item) {
    const q = item.question_id ? this.ctx.question(item.question_id) : null;
    li.replaceChildren(
      el(
        "p",
        { class: "q-head" },
        el("span", { class: "badge" }, t(item.kind === "answer" ? "moderator.held_answer" : "moderator.held_update")),
        el("span", { class: "author" }, item.author),
        item.phase ? el("span", { class: "phase" }, item.phase) : null,
        el("span", { class: "age" }, time(item.created_at)),
      ),
      q ? el("p", { class: "muted" }, t("moderator.answer_to", { text: q.text })) : "",
      el("p", { class: "q-text" }, highlight(item.text, item.flags)),
      findingsList(item.text, item.flags),
      el(
        "div",
        { class: "q-actions" },
        button("release", "moderator.release", "primary"),
        button("redact", "moderator.redact"),
        button("discard", "moderator.discard", "danger"),
      ),
      el("div", { class: "q-form" }),
      el("p", { class: "q-msg", hidden: true }),
    );
  }

  /** @param {HTMLElement} li */
  closeForm(li) {
    /** @type {HTMLElement} */ (li.querySelector(".q-form")).replaceChildren();
    /** @type {HTMLElement | null} */ (li.querySelector('[data-action="release"]'))?.focus();
  }

  /** @param {HTMLElement} li @param {string} text */
  say(li, text) {
    const p = /** @type {HTMLElement} */ (li.querySelector(".q-msg"));
    p.textContent = text;
    p.hidden = !text;
  }

  /** @param {MouseEvent} e */
  click(e) {
    const b = /** @type {HTMLElement} */ (e.target).closest("button[data-action]");
    const li = b && /** @type {HTMLElement | null} */ (b.closest("li.held-item"));
    if (!b || !li || b.getAttribute("type") === "submit") return;
    const id = li.dataset.id || "";
    const known = this.items.get(id);
    if (!known) return;
    const action = /** @type {HTMLElement} */ (b).dataset.action;
    const form = /** @type {HTMLElement} */ (li.querySelector(".q-form"));
    if (action === "release") this.release(li, id);
    else if (action === "cancel") this.closeForm(li);
    else if (action === "redact") {
      const fid = "held-text-" + id;
      form.replaceChildren(
        el(
          "form",
          { class: "inline-form", novalidate: true },
          el(
            "div",
            { class: "field" },
            el("label", { for: fid }, t("moderator.redact_label")),
            el("textarea", { id: fid, class: "held-text", rows: "4", maxlength: "2000" }),
          ),
          el("div", { class: "row" }, submit("release-edited", "moderator.release_edited"), cancel()),
        ),
      );
      const area = /** @type {HTMLTextAreaElement} */ (form.querySelector("textarea"));
      area.value = known.item.text;
      area.focus();
    } else if (action === "discard") {
      const fid = "held-reason-" + id;
      form.replaceChildren(
        el(
          "form",
          { class: "inline-form", novalidate: true },
          el(
            "div",
            { class: "field" },
            el("label", { for: fid }, t("moderator.discard_reason")),
            el("input", { id: fid, class: "held-reason", maxlength: "200" }),
          ),
          el("div", { class: "row" }, submit("discard-confirm", "moderator.discard_confirm", "danger"), cancel()),
        ),
      );
      /** @type {HTMLElement} */ (form.querySelector("input")).focus();
    }
  }

  /** @param {SubmitEvent} e */
  submit(e) {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.target);
    const li = /** @type {HTMLElement | null} */ (form.closest("li.held-item"));
    if (!li) return;
    const id = li.dataset.id || "";
    const submitter = /** @type {HTMLElement | null} */ (e.submitter);
    const action = submitter ? submitter.dataset.action : form.querySelector("textarea") ? "release-edited" : "discard-confirm";
    if (action === "release-edited") {
      const area = /** @type {HTMLTextAreaElement} */ (form.querySelector("textarea"));
      this.release(li, id, area.value);
    } else {
      const input = /** @type {HTMLInputElement} */ (form.querySelector("input"));
      this.discard(li, id, input.value.trim());
    }
  }

  /** @param {HTMLElement} li @param {string} id @param {string} [text] */
  async release(li, id, text) {
    const known = this.items.get(id);
    const body = text !== undefined && known && text !== known.item.text ? { text } : {};
    await this.run(li, id, () => this.ctx.api.post("/held/" + id + "/release", body), "moderator.released");
  }

  /** @param {HTMLElement} li @param {string} id @param {string} reason */
  async discard(li, id, reason) {
    await this.run(li, id, () => this.ctx.api.post("/held/" + id + "/discard", reason ? { reason } : {}), "moderator.discarded");
  }

  /**
   * @param {HTMLElement} li
   * @param {string} id
   * @param {() => Promise<any>} call
   * @param {string} done
   */
  async run(li, id, call, done) {
    const focused = /** @type {HTMLElement | null} */ (li.contains(document.activeElement) ? document.activeElement : null);
    if (focused) this.focused.add(id);
    for (const b of li.querySelectorAll("button")) /** @type {HTMLButtonElement} */ (b).disabled = true;
    try {
      await call();
      this.remove(id);
      this.ctx.announce(t(done));
    } catch (err) {
      const e = /** @type {any} */ (err);
      if (e && e.reason === "already_resolved") {
        this.remove(id);
        this.ctx.announce(errorText(e));
        return;
      }
      this.focused.delete(id);
      for (const b of li.querySelectorAll("button")) /** @type {HTMLButtonElement} */ (b).disabled = false;
      this.say(li, errorText(e));
      if (focused && focused.isConnected && document.activeElement === document.body) focused.focus();
    }
  }
}

/** @param {string} action @param {string} key @param {string} [cls] */
function button(action, key, cls) {
  return el("button", { type: "button", class: "small " + (cls || ""), dataset: { action } }, t(key));
}

/** @param {string} action @param {string} key @param {string} [cls] */
function submit(action, key, cls) {
  return el("button", { type: "submit", class: "small " + (cls || ""), dataset: { action } }, t(key));
}

function cancel() {
  return el("button", { type: "button", class: "small", dataset: { action: "cancel" } }, t("common.cancel"));
}
