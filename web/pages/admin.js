// @ts-check
// The admin page: sign in with the admin token (kept in this tab's storage,
// never in a URL), create sessions and hand out their invite links, and
// manage every session (admin-sessions.js).

import { request } from "../lib/api.js";
import { $, store, stored } from "../lib/dom.js";
import { errorText, has, languageSwitch, load, t } from "../lib/i18n.js";
import * as list from "./admin-sessions.js";

const TOKEN_KEY = "gallery-admin";
const AUTH_REASONS = ["token_invalid", "token_missing", "admin_only"];
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
/** Which create-form field a refusal is about, by reason. */
const FIELD_OF_REASON = {
  empty_text: "title",
  invalid_slug: "slug",
  slug_taken: "slug",
  invalid_hashtag: "hashtag",
  invalid_stream_url: "stream-url",
};
/** The field named first in a length or character refusal ("hashtag is …"). */
const FIELD_OF_NAME = {
  title: "title",
  hashtag: "hashtag",
  description: "description",
  stream_url: "stream-url",
  narrator: "narrator",
};
const FIELDS = ["title", "slug", "hashtag", "narrator", "stream-url", "description"];

/** @type {string | null} */
let token = null;
/** Errors on show, so a language switch can say them again. @type {Map<HTMLElement, any>} */
const shown = new Map();
/** The last created session (its invite links are on show). @type {any} */
let created = null;

/** A refusal in the reader's language: the admin's own words first. @param {any} err */
function errorOf(err) {
  if (err && err.key) return t(err.key);
  const own = err && err.reason ? "admin.error." + err.reason : "";
  return own && has(own) ? t(own) : errorText(err);
}

/** @param {HTMLElement} target @param {any} err (an ApiError, or {key}) */
function showError(target, err) {
  shown.set(target, err);
  target.textContent = errorOf(err);
}

/** @param {HTMLElement} target */
function clearError(target) {
  shown.delete(target);
  target.textContent = "";
}

/** @param {string} message */
function announce(message) {
  const status = $("admin-status");
  status.textContent = "";
  setTimeout(() => (status.textContent = message), 50);
}

/** Whether an error means the token is not (or no longer) the admin's: then sign out. @param {any} err */
function authFailed(err) {
  if (!err || !(err.status === 401 || err.status === 403) || !AUTH_REASONS.includes(err.reason)) return false;
  signOut(err);
  return true;
}

/**
 * Checks a token without changing anything: `GET /api/admin` answers 200
 * for the admin token, 401 or 403 for any other.
 * @param {string} candidate
 */
async function verify(candidate) {
  await request("GET", "/api/admin", candidate);
}

/** @param {SubmitEvent} e */
async function signIn(e) {
  e.preventDefault();
  const input = $("admin-token");
  const error = $("signin-error");
  const candidate = input.value.trim();
  if (!candidate) {
    input.setAttribute("aria-invalid", "true");
    showError(error, { key: "admin.token_required" });
    input.focus();
    return;
  }
  $("sign-in").disabled = true;
  try {
    await verify(candidate);
    input.value = "";
    input.removeAttribute("aria-invalid");
    clearError(error);
    store(TOKEN_KEY, candidate);
    enter(candidate, true);
  } catch (err) {
    input.setAttribute("aria-invalid", "true");
    showError(error, err);
    input.focus();
  } finally {
    $("sign-in").disabled = false;
  }
}

/** @param {string} value @param {boolean} [focus] */
function enter(value, focus) {
  token = value;
  $("signin-panel").hidden = true;
  $("workspace").hidden = false;
  $("sign-out").hidden = false;
  if (focus) {
    $("title").focus();
    announce(t("admin.signed_in"));
  }
  list.refresh();
}

/** Forgets the token and everything that showed tokens. @param {any} [err] why */
function signOut(err) {
  store(TOKEN_KEY, null);
  token = null;
  created = null;
  list.clear();
  $("invite-rows").replaceChildren();
  $("invites").hidden = true;
  $("workspace").hidden = true;
  $("sign-out").hidden = true;
  $("signin-panel").hidden = false;
  const error = $("signin-error");
  if (err) showError(error, err);
  else {
    clearError(error);
    announce(t("admin.signed_out"));
  }
  $("admin-token").focus();
}

/** The create form's body: only the fields that were filled. */
function body() {
  /** @param {string} id */
  const value = (id) => String($(id).value).trim();
  /** @type {Record<string, any>} */
  const out = { title: value("title"), private: $("private").checked };
  const optional = { slug: "slug", hashtag: "hashtag", description: "description", stream_url: "stream-url", narrator: "narrator" };
  for (const [name, id] of Object.entries(optional)) if (value(id)) out[name] = value(id);
  if (out.slug) out.slug = out.slug.toLowerCase();
  return out;
}

/** @param {string} field @param {any} err */
function fieldError(field, err) {
  const input = $(field);
  input.setAttribute("aria-invalid", "true");
  showError($(field + "-error"), err);
  input.focus();
}

/** @param {SubmitEvent} e */
async function create(e) {
  e.preventDefault();
  for (const f of FIELDS) {
    $(f).removeAttribute("aria-invalid");
    clearError($(f + "-error"));
  }
  clearError($("create-error"));
  const req = body();
  if (!req.title) return fieldError("title", { key: "admin.title_required" });
  if (req.slug && !SLUG.test(req.slug)) return fieldError("slug", { reason: "invalid_slug" });
  const button = $("create-submit");
  button.disabled = true;
  try {
    const res = await request("POST", "/api/sessions", token, req);
    /** @type {HTMLFormElement} */ ($("create")).reset();
    created = res;
    renderInvites();
    $("invites").hidden = false;
    $("invites").focus();
    announce(t("admin.created", { title: res.session.title }));
    list.refresh();
  } catch (err) {
    if (authFailed(err)) return;
    const named = String(err.message || "").split(/\s/)[0];
    const field =
      FIELD_OF_REASON[err.reason] ||
      (["text_too_long", "refused_characters"].includes(err.reason) ? FIELD_OF_NAME[named] : undefined);
    if (field) fieldError(field, err);
    else showError($("create-error"), err);
  } finally {
    button.disabled = false;
  }
}

/** The new session's links: staff links are shown only now. */
function renderInvites() {
  if (!created) return;
  const { session, invites } = created;
  $("invites-for").textContent = t("admin.invites_for", { title: session.title, slug: session.slug });
  const rows = list.ROLES.map((role) => list.linkRow("invite-" + role, "admin.label_" + role, invites[role].url));
  rows.push(list.linkRow("invite-viewer", "admin.label_viewer", invites.viewer.url));
  if (invites.viewer.join_code) rows.push(list.linkRow("invite-join-code", "admin.label_join_code", invites.viewer.join_code));
  $("invite-rows").replaceChildren(...rows);
}

/** After a language switch: the words that are not in the markup. */
function rerender() {
  for (const [target, err] of shown) target.textContent = errorOf(err);
  if (created) $("invites-for").textContent = t("admin.invites_for", { title: created.session.title, slug: created.session.slug });
  if (token) list.render();
}

async function main() {
  await load();
  document.title = t("admin.page_title");
  languageSwitch($("language"), () => {
    document.title = t("admin.page_title");
    rerender();
  });
  list.setup({ token: () => token, authFailed, announce, errorOf });
  $("signin-form").addEventListener("submit", signIn);
  $("create").addEventListener("submit", create);
  $("sign-out").addEventListener("click", () => signOut());
  const saved = stored(TOKEN_KEY);
  // Checked when it was stored; if the server's admin token changed since,
  // the first refused action signs out.
  if (saved) enter(saved);
  else {
    $("admin-token").focus();
  }
}

main();
