// @ts-check
// The admin page's session list: every session (private ones too), with its
// links, a QR code of the viewer link, audit exports, and rotation of each
// role's link behind an inline confirmation. Results stay under their
// session's card (kept across a language switch or a refresh).

import { request, sessionApi } from "../lib/api.js";
import { $, copy, el } from "../lib/dom.js";
import { dateTime, t } from "../lib/i18n.js";

export const ROLES = /** @type {const} */ (["narrator", "moderator", "specialist"]);

/**
 * What the session list needs from the page.
 * @typedef {{
 *   token: () => (string | null),
 *   authFailed: (err: any) => boolean,
 *   announce: (message: string) => void,
 *   errorOf: (err: any) => string,
 * }} Context
 */

/** @type {Context} */
let ctx;
/** @type {any[]} */
let sessions = [];
let loaded = false;
/** @type {any} */
let listError = null;
/** Each session's results, by slug: kept when the cards are re-rendered. */
const outputs = new Map();
/** Object URLs of QR codes, by slug, released when replaced or on sign-out. */
const qrUrls = new Map();

/** @param {Context} context */
export function setup(context) {
  ctx = context;
  $("refresh").addEventListener("click", () => refresh(true));
}

/** Loads the list again (the admin sees private sessions too). */
export async function refresh(announce = false) {
  const status = $("sessions-status");
  if (!loaded) status.textContent = t("common.loading");
  try {
    const data = await request("GET", "/api/sessions", ctx.token());
    sessions = data.sessions || [];
    listError = null;
    loaded = true;
    if (announce) ctx.announce(t("admin.list_refreshed", { count: sessions.length }));
  } catch (err) {
    if (ctx.authFailed(err)) return;
    listError = err;
  }
  render();
}

/** Forgets everything shown (on sign-out: the results may hold tokens). */
export function clear() {
  sessions = [];
  loaded = false;
  listError = null;
  outputs.clear();
  for (const url of qrUrls.values()) URL.revokeObjectURL(url);
  qrUrls.clear();
  $("sessions").replaceChildren();
  $("sessions-status").textContent = "";
}

/** Draws the list from what was loaded last (also after a language switch). */
export function render() {
  const status = $("sessions-status");
  if (listError) status.textContent = ctx.errorOf(listError);
  else if (loaded && !sessions.length) status.textContent = t("admin.no_sessions");
  else status.textContent = "";
  $("sessions").replaceChildren(...sessions.map(card));
  for (const img of document.querySelectorAll("img.qr")) {
    img.setAttribute("alt", t("admin.qr_alt", { title: /** @type {HTMLElement} */ (img).dataset.title || "" }));
  }
}

/**
 * A read-only link with its Copy button (named "Copy" + the field's label).
 * @param {string} id
 * @param {string} labelKey
 * @param {string} value
 */
export function linkRow(id, labelKey, value) {
  const input = el("input", { id, type: "text", readonly: true, value, class: "link", spellcheck: "false", autocomplete: "off" });
  input.addEventListener("focus", () => input.select());
  const button = el(
    "button",
    { type: "button", id: id + "-copy", class: "copy", "data-i18n": "common.copy", "aria-labelledby": id + "-copy " + id + "-label" },
    t("common.copy"),
  );
  button.addEventListener("click", async () => {
    await copy(button, value, t("common.copied"));
    ctx.announce(t("common.copied"));
  });
  return el(
    "div",
    { class: "field" },
    el("label", { for: id, id: id + "-label", "data-i18n": labelKey }, t(labelKey)),
    el("div", { class: "linkrow" }, input, button),
  );
}

/** @param {any} s a session */
function card(s) {
  const id = "s-" + s.slug;
  const titleId = id + "-title";
  const path = "/s/" + encodeURIComponent(s.slug);
  const confirmBox = el("div", { class: "confirm", id: id + "-confirm", hidden: true });
  const error = el("p", { class: "error", id: id + "-error", role: "alert" });
  if (!outputs.has(s.slug)) outputs.set(s.slug, el("div", { class: "output", id: id + "-output" }));
  const output = outputs.get(s.slug);
  const api = sessionApi(s.slug, ctx.token);
  const described = { "aria-describedby": titleId };

  /** @param {string} key @param {string} action @param {() => Promise<void>} run */
  const button = (key, action, run) => {
    const b = el("button", { type: "button", id: id + "-" + action, dataset: { action }, ...described }, t(key));
    b.addEventListener("click", async () => {
      error.textContent = "";
      b.disabled = true;
      try {
        await run();
      } catch (err) {
        if (!ctx.authFailed(err)) error.textContent = ctx.errorOf(err);
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };

  const viewerLink = button("admin.viewer_link", "viewer-link", async () => {
    const inv = await api.get("/invites/viewer");
    const rows = [linkRow(id + "-viewer-url", "admin.label_viewer", inv.url)];
    if (inv.join_code) rows.push(linkRow(id + "-join-code", "admin.label_join_code", inv.join_code));
    show(output, "viewer", el("div", null, ...rows));
    ctx.announce(t("admin.viewer_link_ready", { title: s.title }));
  });

  const qr = button("admin.qr", "qr", async () => {
    const blob = await api.blob("/invites/viewer/qr.svg");
    const old = qrUrls.get(s.slug);
    if (old) URL.revokeObjectURL(old);
    const url = URL.createObjectURL(blob);
    qrUrls.set(s.slug, url);
    const img = el("img", { src: url, class: "qr", alt: t("admin.qr_alt", { title: s.title }), dataset: { title: s.title } });
    const download = el("a", { href: url, download: s.slug + "-qr.svg", class: "button", "data-i18n": "admin.qr_download", ...described }, t("admin.qr_download"));
    show(output, "qr", el("figure", { class: "qr-figure" }, img, el("figcaption", null, download)));
    ctx.announce(t("admin.qr_ready", { title: s.title }));
  });

  /** @param {"csv" | "jsonl"} format */
  const audit = (format) =>
    button("admin.audit_" + format, "audit-" + format, async () => {
      const blob = await api.blob("/audit?format=" + format);
      const url = URL.createObjectURL(blob);
      const a = el("a", { href: url, download: s.slug + "-audit." + format, class: "visually-hidden" }, s.slug);
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      ctx.announce(t("admin.audit_done", { title: s.title }));
    });

  /**
   * The inline confirmation before a rotation, then the new link.
   * @param {string} role
   */
  const rotate = (role) => {
    const opener = el(
      "button",
      { type: "button", id: id + "-rotate-" + role, dataset: { action: "rotate-" + role }, ...described },
      t("admin.rotate_" + role),
    );
    opener.addEventListener("click", () => {
      error.textContent = "";
      const yes = el("button", { type: "button", class: "danger", id: id + "-confirm-yes" }, t("admin.rotate_confirm"));
      const no = el("button", { type: "button", id: id + "-confirm-no" }, t("common.cancel"));
      const close = () => {
        confirmBox.hidden = true;
        confirmBox.replaceChildren();
        opener.focus();
      };
      no.addEventListener("click", close);
      confirmBox.addEventListener("keydown", (/** @type {KeyboardEvent} */ e) => {
        if (e.key === "Escape") close();
      });
      yes.addEventListener("click", async () => {
        yes.disabled = no.disabled = true;
        try {
          const res = await request(
            "POST",
            "/api/sessions/" + encodeURIComponent(s.slug) + "/invites/" + role + "/rotate",
            ctx.token(),
            {},
          );
          confirmBox.hidden = true;
          confirmBox.replaceChildren();
          const rows = [linkRow(id + "-new-" + role, "admin.new_link_" + role, res.url)];
          if (res.join_code) rows.push(linkRow(id + "-new-join-code", "admin.label_join_code", res.join_code));
          const note = role === "viewer" ? null : el("p", { class: "notice", "data-i18n": "admin.shown_once" }, t("admin.shown_once"));
          show(output, "rotate-" + role, el("div", null, ...rows, note));
          ctx.announce(t("admin.rotated_" + role, { title: s.title }));
          /** @type {HTMLElement} */ (output.querySelector("#" + id + "-new-" + role)).focus();
        } catch (err) {
          if (ctx.authFailed(err)) return;
          yes.disabled = no.disabled = false;
          error.textContent = ctx.errorOf(err);
        }
      });
      confirmBox.replaceChildren(
        el("p", { id: id + "-confirm-text" }, t("admin.rotate_warning_" + role, { title: s.title })),
        el("div", { class: "controls" }, yes, no),
      );
      yes.setAttribute("aria-describedby", id + "-confirm-text");
      confirmBox.hidden = false;
      yes.focus();
    });
    return opener;
  };

  const rotations = ROLES.map(rotate);
  if (s.private) rotations.push(rotate("viewer"));

  return el(
    "li",
    { id, dataset: { slug: s.slug } },
    el("h3", { id: titleId }, el("a", { href: path }, s.title)),
    el(
      "p",
      { class: "meta" },
      el("span", { class: "pill " + s.state }, t("state." + s.state)),
      s.private ? el("span", { class: "pill private" }, t("admin.private")) : null,
      el("span", null, t("common.viewers", { count: s.viewers || 0 })),
      el("code", null, "/s/" + s.slug),
      el("span", null, when(s)),
    ),
    el(
      "p",
      { class: "controls links" },
      el("a", { href: path, ...described }, t("admin.open_viewer")),
      el("a", { href: path + "/screen", ...described }, t("admin.open_projector")),
    ),
    el("div", { class: "controls", role: "group", "aria-label": t("admin.share_group") }, viewerLink, qr, audit("csv"), audit("jsonl")),
    el("div", { class: "controls", role: "group", "aria-label": t("admin.rotate_group") }, ...rotations),
    confirmBox,
    error,
    output,
  );
}

/** @param {any} s */
function when(s) {
  if (s.ended_at) return t("admin.ended_at", { time: dateTime(s.ended_at) });
  if (s.started_at) return t("admin.started_at", { time: dateTime(s.started_at) });
  return t("admin.created_at", { time: dateTime(s.created_at) });
}

/**
 * Puts a result in its slot under the card (one slot per kind of result).
 * @param {HTMLElement} output
 * @param {string} kind
 * @param {HTMLElement} node
 */
function show(output, kind, node) {
  node.dataset.kind = kind;
  const old = output.querySelector(`[data-kind="${kind}"]`);
  if (old) old.replaceWith(node);
  else output.append(node);
}
