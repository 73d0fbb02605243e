// @ts-check
// Edit and Retract on each of the narrator's updates, inline in its
// timeline entry: an edit form screened like the composer (422 hold shows
// the findings and "post anyway"), and a retraction asked twice in place.

import { el } from "../lib/dom.js";
import { errorText, t } from "../lib/i18n.js";
import { livePreview } from "../lib/findings.js";
import { showFindings } from "./narrator-findings.js";

/**
 * @typedef {{
 *   api: ReturnType<typeof import("../lib/api.js").sessionApi>,
 *   timeline: () => import("../lib/timeline.js").Timeline,
 *   say: (text: string) => void,
 * }} Deps
 */

/** @param {string} text */
function snippet(text) {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > 40 ? one.slice(0, 39) + "…" : one;
}

/**
 * The `actions` callback for the Timeline: Edit and Retract buttons.
 * @param {Deps} deps
 * @returns {(update: any) => Node}
 */
export function updateActions(deps) {
  return (u) => {
    const box = el("div", { class: "actions", dataset: { update: u.id } });
    buttons(deps, box, u);
    return box;
  };
}

/** @param {Deps} deps @param {HTMLElement} box @param {any} u @param {"edit" | "retract"} [focus] */
function buttons(deps, box, u, focus) {
  const edit = el(
    "button",
    { type: "button", class: "edit", "aria-label": t("narrator.edit_for", { text: snippet(u.text) }), onclick: () => editForm(deps, box, u) },
    t("narrator.edit"),
  );
  const retract = el(
    "button",
    { type: "button", class: "retract danger", "aria-label": t("narrator.retract_for", { text: snippet(u.text) }), onclick: () => askRetract(deps, box, u) },
    t("narrator.retract"),
  );
  box.replaceChildren(edit, retract);
  if (focus === "edit") edit.focus();
  if (focus === "retract") retract.focus();
}

/** Focus the entry of an update after the timeline re-rendered it. @param {Deps} deps @param {string} id */
function focusEntry(deps, id) {
  const entry = deps.timeline().entries.get("u:" + id);
  if (entry) entry.li.focus();
}

/** @param {Deps} deps @param {HTMLElement} box @param {any} u */
function editForm(deps, box, u) {
  const id = "edit-" + u.id;
  const area = el("textarea", { id, class: "edit-text", rows: 3 });
  area.value = u.text;
  const verdict = el("p", { class: "verdict", role: "status" });
  const marked = el("p", { class: "findings-text" });
  const findings = el("div", { class: "findings", hidden: true }, verdict, marked);
  const parts = { box: findings, verdict, text: marked };
  const status = el("p", { class: "edit-status", role: "status" });
  const save = el("button", { type: "submit", class: "edit-save" }, t("common.save"));
  const confirm = el("button", { type: "button", class: "danger edit-confirm", hidden: true }, t("narrator.confirm_post"));
  const cancel = el("button", { type: "button", class: "edit-cancel" }, t("common.cancel"));
  const form = el(
    "form",
    { class: "edit-form", novalidate: true },
    el("label", { for: id }, t("narrator.edit_label")),
    area,
    findings,
    status,
    el("div", { class: "row" }, save, confirm, cancel),
  );
  const preview = livePreview(
    (text) => deps.api.post("/screen", { text }),
    (text, screened) => showFindings(parts, text, screened),
  );

  /** @param {boolean} confirmed */
  async function send(confirmed) {
    const text = area.value.trim();
    if (!text) {
      status.textContent = t("error.empty_text");
      return;
    }
    if (text === u.text && !confirmed) return buttons(deps, box, u, "edit");
    save.disabled = confirm.disabled = true;
    status.textContent = t("narrator.saving");
    try {
      const res = await deps.api.patch("/updates/" + encodeURIComponent(u.id), confirmed ? { text, confirm: true } : { text });
      preview.reset();
      if (res.held) {
        buttons(deps, box, u, "edit");
        deps.say(t("narrator.edit_held"));
        return;
      }
      deps.timeline().apply({ type: "update_edited", seq: res.seq, ts: res.update.ts, update: res.update }, false);
      deps.say(t("narrator.edit_saved"));
      focusEntry(deps, u.id);
    } catch (e) {
      const err = /** @type {any} */ (e);
      const flags = err.detail && err.detail.flags;
      if (err.reason === "screening_hold" || err.reason === "screening_blocked") {
        showFindings(parts, text, { verdict: err.reason === "screening_hold" ? "hold" : "block", flags: flags || [] });
      }
      confirm.hidden = err.reason !== "screening_hold";
      status.textContent = errorText(err);
    } finally {
      save.disabled = confirm.disabled = false;
    }
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    send(false);
  });
  confirm.addEventListener("click", () => send(true));
  cancel.addEventListener("click", () => {
    preview.reset();
    buttons(deps, box, u, "edit");
  });
  area.addEventListener("input", () => {
    confirm.hidden = true;
    status.textContent = "";
    preview.changed(area.value);
  });
  area.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") {
      ev.preventDefault();
      cancel.click();
    } else if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  box.replaceChildren(form);
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
}

/** @param {Deps} deps @param {HTMLElement} box @param {any} u */
function askRetract(deps, box, u) {
  const status = el("span", { class: "retract-status", role: "status" });
  const yes = el("button", { type: "button", class: "danger retract-confirm" }, t("narrator.retract_confirm"));
  const no = el("button", { type: "button", class: "retract-cancel" }, t("common.cancel"));
  yes.addEventListener("click", async () => {
    yes.disabled = no.disabled = true;
    status.textContent = "";
    try {
      const res = await deps.api.del("/updates/" + encodeURIComponent(u.id));
      deps.timeline().apply({ type: "update_retracted", seq: res.seq, ts: new Date().toISOString(), update_id: u.id }, false);
      deps.say(t("narrator.retracted"));
      focusEntry(deps, u.id);
    } catch (e) {
      status.textContent = errorText(e);
      yes.disabled = no.disabled = false;
    }
  });
  no.addEventListener("click", () => buttons(deps, box, u, "retract"));
  box.replaceChildren(
    el("div", { class: "confirm-box", role: "group", "aria-label": t("narrator.retract") },
      el("p", { class: "confirm-question" }, t("narrator.retract_question")),
      el("div", { class: "row" }, yes, no, status)),
  );
  yes.focus();
}
