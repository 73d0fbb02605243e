// @ts-check
// One question of the moderators' queue: its row (text with the screen's
// findings marked, asker, phase, votes, star, age, who else has it open),
// its action buttons, and the inline forms for reject, edit and merge. The
// row element is kept for the question's life; a change rewrites only its
// head and text, never the buttons or an open form, so focus stays put.

import { el } from "../lib/dom.js";
import { categoriesText, highlight } from "../lib/findings.js";
import { current, elapsed, t } from "../lib/i18n.js";

/** The actions of a row, with their keys. */
export const ACTIONS = /** @type {const} */ ([
  ["approve", "a"],
  ["reject", "r"],
  ["edit", "e"],
  ["merge", "m"],
  ["star", "s"],
  ["mute", "u"],
]);

/** Askers this console muted (or unmuted again): their rows say so. */
export const mutedViewers = new Set();

/** The reasons offered when rejecting (the asker sees the chosen one). */
export const REASONS = ["off_topic", "already_answered", "patient_details", "not_appropriate"];

/**
 * A new row for a question.
 * @param {any} q
 * @param {boolean} active whether it is the row that takes the Tab focus
 */
export function createRow(q, active) {
  const li = el("li", { class: "qrow", tabindex: active ? "0" : "-1", dataset: { id: q.id } });
  const actions = el("div", { class: "q-actions" });
  for (const [action, key] of ACTIONS) {
    const b = el(
      "button",
      {
        type: "button",
        class: "small" + (action === "approve" ? " primary" : action === "reject" ? " danger" : ""),
        dataset: { action },
        "aria-keyshortcuts": key,
        tabindex: active ? null : "-1",
      },
      el("span", { class: "label" }),
      el("kbd", { "aria-hidden": "true" }, key),
    );
    actions.append(b);
  }
  li.append(
    el("div", { class: "q-head" }),
    el("p", { class: "q-text" }),
    el("p", { class: "q-found" }),
    actions,
    el("div", { class: "q-form" }),
    el("p", { class: "q-msg", hidden: true }),
  );
  updateRow(li, q, []);
  return li;
}

/**
 * Rewrites a row's head, text and button labels for the question as it
 * now stands.
 * @param {HTMLElement} li
 * @param {any} q
 * @param {string[]} lookers other moderators who have it open
 */
export function updateRow(li, q, lookers) {
  li.dataset.status = q.status;
  li.dataset.version = String(q.version);
  li.classList.toggle("held", q.status === "held");
  li.classList.toggle("starred", !!q.starred);
  const head = /** @type {HTMLElement} */ (li.querySelector(".q-head"));
  head.replaceChildren(...headParts(q));
  head.append(el("span", { class: "looking" }));
  setLookers(li, lookers);
  const text = /** @type {HTMLElement} */ (li.querySelector(".q-text"));
  text.replaceChildren(highlight(q.text, q.flags));
  const found = /** @type {HTMLElement} */ (li.querySelector(".q-found"));
  const cats = categoriesText(q.flags);
  found.hidden = !cats;
  found.textContent = cats ? t("moderator.found", { categories: cats }) : "";
  labelButtons(li, q);
}

/** @param {any} q */
function headParts(q) {
  const parts = [];
  if (q.status === "held") parts.push(el("span", { class: "badge held-badge" }, t("moderator.held_badge")));
  parts.push(el("span", { class: "author" }, q.author || t("moderator.anonymous")));
  if (q.phase) parts.push(el("span", { class: "phase" }, q.phase));
  if (q.elapsed_ms != null) parts.push(el("span", { class: "elapsed" }, elapsed(q.elapsed_ms)));
  parts.push(el("span", { class: "votes" }, t("moderator.votes", { count: q.votes })));
  if (q.starred) parts.push(el("span", { class: "star" }, "★ " + t("moderator.starred")));
  if (q.viewer_id && mutedViewers.has(q.viewer_id)) parts.push(el("span", { class: "badge" }, t("moderator.asker_muted")));
  parts.push(el("span", { class: "age", dataset: { created: q.created_at } }, age(q.created_at)));
  return parts;
}

/** @param {HTMLElement} li @param {any} q */
export function labelButtons(li, q) {
  for (const b of li.querySelectorAll(".q-actions button")) {
    const action = /** @type {HTMLElement} */ (b).dataset.action || "";
    const label = /** @type {HTMLElement} */ (b.querySelector(".label"));
    if (action === "star") {
      label.textContent = t(q.starred ? "moderator.unstar" : "moderator.star");
      b.setAttribute("aria-pressed", q.starred ? "true" : "false");
    } else if (action === "mute") {
      const muted = mutedViewers.has(q.viewer_id);
      label.textContent = t(muted ? "moderator.unmute" : "moderator.mute");
      b.setAttribute("aria-pressed", muted ? "true" : "false");
    } else {
      label.textContent = t("moderator." + action);
    }
    if (action === "mute") /** @type {HTMLButtonElement} */ (b).disabled = !q.viewer_id;
  }
}

/**
 * Shows which other moderators have this question open.
 * @param {HTMLElement} li
 * @param {string[]} names
 */
export function setLookers(li, names) {
  const span = /** @type {HTMLElement} */ (li.querySelector(".looking"));
  const text = names.length ? t("moderator.looking", { names: names.join(", ") }) : "";
  if (span.textContent !== text) span.textContent = text;
  li.classList.toggle("looked-at", names.length > 0);
}

/** How long ago, in the reader's language. @param {string} iso */
export function age(iso) {
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  const f = new Intl.RelativeTimeFormat(current(), { numeric: "always", style: "short" });
  if (s < 60) return f.format(-Math.floor(s), "second");
  if (s < 3600) return f.format(-Math.floor(s / 60), "minute");
  return f.format(-Math.floor(s / 3600), "hour");
}

/**
 * Shows a message in the row (an error, or what happened).
 * @param {HTMLElement} li
 * @param {string} text
 */
export function rowMessage(li, text) {
  const p = /** @type {HTMLElement} */ (li.querySelector(".q-msg"));
  p.textContent = text;
  p.hidden = !text;
}

/** @param {HTMLElement} li */
export function formOf(li) {
  return /** @type {HTMLElement} */ (li.querySelector(".q-form"));
}

/** @param {HTMLElement} li */
export function closeForm(li) {
  formOf(li).replaceChildren();
  li.classList.remove("editing");
}

/**
 * @param {HTMLElement} li
 * @param {string} kind
 * @param {any} q
 * @param {...(Node | null)} body
 */
function openForm(li, kind, q, ...body) {
  const form = el(
    "form",
    { class: "inline-form", dataset: { kind, version: String(q.version) }, novalidate: true },
    ...body,
  );
  formOf(li).replaceChildren(form);
  li.classList.add("editing");
  const first = /** @type {HTMLElement | null} */ (form.querySelector("select, textarea, input"));
  if (first) first.focus();
  return form;
}

/** @param {string} action @param {string} key @param {string} [cls] */
function submit(action, key, cls) {
  return el("button", { type: "submit", class: "small " + (cls || ""), dataset: { action } }, t(key));
}

function cancel() {
  return el("button", { type: "button", class: "small", dataset: { action: "cancel" } }, t("common.cancel"));
}

/** The reject form: a reason chosen from a short list, or typed. @param {HTMLElement} li @param {any} q */
export function openReject(li, q) {
  const id = "reason-" + q.id;
  const select = el(
    "select",
    { id: id + "-choice", class: "reason-choice" },
    ...REASONS.map((r) => el("option", { value: t("moderator.reason_" + r) }, t("moderator.reason_" + r))),
    el("option", { value: "" }, t("moderator.reason_none")),
  );
  return openForm(
    li,
    "reject",
    q,
    el("div", { class: "field" }, el("label", { for: id + "-choice" }, t("moderator.reason")), select),
    el(
      "div",
      { class: "field" },
      el("label", { for: id + "-text" }, t("moderator.reason_typed")),
      el("input", { id: id + "-text", class: "reason-text", maxlength: "200" }),
    ),
    el("div", { class: "row" }, submit("reject-confirm", "moderator.reject_confirm", "danger"), cancel()),
  );
}

/** The edit form: the text to redact, with the screen's findings previewed. @param {HTMLElement} li @param {any} q */
export function openEdit(li, q) {
  const id = "edit-" + q.id;
  const form = openForm(
    li,
    "edit",
    q,
    el(
      "div",
      { class: "field" },
      el("label", { for: id }, t("moderator.edit_label")),
      el("textarea", { id, class: "edit-text", rows: "3", maxlength: "500", "aria-describedby": id + "-preview" }),
    ),
    // Only the verdict line is live (set on change); the marked text is redrawn at every pause in typing.
    el("div", { id: id + "-preview", class: "preview" }, el("p", { class: "preview-verdict", role: "status" }), el("div", { class: "preview-text" })),
    el(
      "div",
      { class: "row" },
      submit("edit-save", "moderator.edit_save"),
      submit("edit-approve", "moderator.edit_approve", "primary"),
      cancel(),
    ),
  );
  const area = /** @type {HTMLTextAreaElement} */ (form.querySelector("textarea"));
  area.value = q.text;
  area.focus();
  return form;
}

/**
 * The merge form: the question to fold this one into.
 * @param {HTMLElement} li
 * @param {any} q
 * @param {any[]} targets open questions other than this one, best first
 */
export function openMerge(li, q, targets) {
  const id = "merge-" + q.id;
  const select = el(
    "select",
    { id, class: "merge-target" },
    ...targets.map((x) =>
      el("option", { value: x.id }, `[${t("status." + x.status)}] ${short(x.text)} · ${t("moderator.votes", { count: x.votes })}`),
    ),
  );
  return openForm(
    li,
    "merge",
    q,
    el("div", { class: "field" }, el("label", { for: id }, t("moderator.merge_into")), select),
    targets.length ? null : el("p", { class: "muted" }, t("moderator.merge_none")),
    el("div", { class: "row" }, submit("merge-confirm", "moderator.merge_confirm"), cancel()),
  );
}

/** @param {string} text */
function short(text) {
  return text.length > 90 ? text.slice(0, 88) + "…" : text;
}
