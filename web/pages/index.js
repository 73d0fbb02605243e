// @ts-check
// The landing page: public sessions (live first, then paused, then
// scheduled; ended ones folded away), and a way into a private session from
// its link or its address and join code (the code goes in the fragment only,
// so it never reaches a request line or a log).

import { request } from "../lib/api.js";
import { $, el } from "../lib/dom.js";
import { dateTime, errorText, languageSwitch, load, t } from "../lib/i18n.js";

const ORDER = ["live", "paused", "scheduled"];
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const REFRESH_MS = 30_000;

/** @type {any[] | null} */
let sessions = null;
/** @type {any} */
let listError = null;
/** Each session's list item, by slug. @type {Map<string, HTMLElement>} */
const items = new Map();
/** Errors on show, by element, so a language switch can say them again. @type {Map<HTMLElement, string>} */
const shown = new Map();

async function refresh() {
  try {
    const data = await request("GET", "/api/sessions");
    sessions = data.sessions || [];
    listError = null;
  } catch (err) {
    listError = err;
  }
  render();
}

function render() {
  const all = sessions || [];
  const current = all
    .filter((s) => ORDER.includes(s.state))
    .sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state));
  const past = all.filter((s) => s.state === "ended");
  let status = "";
  if (listError) status = errorText(listError);
  else if (sessions && !current.length) status = t("landing.none");
  else if (!sessions) status = t("common.loading");
  const line = $("sessions-status");
  // Said only when it changes: the list refreshes quietly.
  if (line.textContent !== status) line.textContent = status;
  line.hidden = !status;
  const keep = new Set(all.map((s) => s.slug));
  for (const [slug, li] of items) {
    if (keep.has(slug)) continue;
    li.remove();
    items.delete(slug);
  }
  place($("current-sessions"), current.map(item));
  place($("past-sessions"), past.map(item));
  $("past").hidden = !past.length;
  $("past-summary").textContent = t("landing.past", { count: past.length });
}

/**
 * Puts the items in order, moving only those out of place (a moved element
 * loses the keyboard focus, and the list refreshes every half minute).
 * @param {HTMLElement} list
 * @param {HTMLElement[]} lis
 */
function place(list, lis) {
  lis.forEach((li, i) => {
    if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
  });
  while (list.children.length > lis.length) list.lastElementChild.remove();
}

/**
 * A session's entry: the same element each time (its link keeps the focus),
 * with its details replaced.
 * @param {any} s a public session
 */
function item(s) {
  let li = items.get(s.slug);
  if (!li) {
    li = el("li", { dataset: { slug: s.slug } }, el("a", { class: "title", href: "/s/" + encodeURIComponent(s.slug) }));
    items.set(s.slug, li);
  }
  li.className = "session " + s.state;
  const link = li.firstElementChild;
  if (link.textContent !== s.title) link.textContent = s.title;
  while (link.nextSibling) link.nextSibling.remove();
  const started = s.ended_at
    ? t("landing.ended_at", { time: dateTime(s.ended_at) })
    : s.started_at
      ? t("landing.started_at", { time: dateTime(s.started_at) })
      : null;
  const stamp = s.ended_at || s.started_at;
  li.append(
    el(
      "p",
      { class: "meta" },
      el("span", { class: "pill " + s.state }, t("state." + s.state)),
      s.hashtag ? el("span", { class: "hashtag" }, "#" + s.hashtag) : null,
      s.state === "ended" ? null : el("span", null, t("common.viewers", { count: s.viewers || 0 })),
      started ? el("time", { datetime: stamp }, started) : null,
    ),
  );
  if (s.description) li.append(el("p", { class: "description" }, s.description));
  return li;
}

/**
 * Where to go from what was typed: a whole link (…/s/slug#code=X), or an
 * address with the code in its own field.
 * @param {string} address
 * @param {string} codeField
 * @returns {{slug: string, code: string}}
 */
function destination(address, codeField) {
  let slug = address.trim();
  let code = codeField.replace(/\s+/g, "");
  if (/[/#?]/.test(slug)) {
    try {
      const url = new URL(slug, location.origin);
      const parts = url.pathname.split("/").filter(Boolean);
      const at = parts.indexOf("s");
      slug = decodeURIComponent((at >= 0 ? parts[at + 1] : parts[parts.length - 1]) || "");
      const given = new URLSearchParams(url.hash.slice(1)).get("code") || url.searchParams.get("code");
      if (!code && given) code = given.trim();
    } catch {
      slug = "";
    }
  }
  return { slug: slug.toLowerCase(), code: code.toLowerCase() };
}

/** @param {string} field @param {string} key */
function fieldError(field, key) {
  const input = $(field);
  input.setAttribute("aria-invalid", "true");
  const p = $(field + "-error");
  shown.set(p, key);
  p.textContent = t(key);
  input.focus();
}

/** @param {SubmitEvent} e */
function join(e) {
  e.preventDefault();
  for (const f of ["join-slug", "join-code"]) {
    $(f).removeAttribute("aria-invalid");
    shown.delete($(f + "-error"));
    $(f + "-error").textContent = "";
  }
  const { slug, code } = destination($("join-slug").value, $("join-code").value);
  if (!slug) return fieldError("join-slug", "landing.error_no_address");
  if (!SLUG.test(slug)) return fieldError("join-slug", "landing.error_bad_address");
  if (code && !/^[a-z0-9]{4,64}$/.test(code)) return fieldError("join-code", "landing.error_bad_code");
  location.assign("/s/" + encodeURIComponent(slug) + (code ? "#code=" + encodeURIComponent(code) : ""));
}

async function main() {
  await load();
  document.title = t("landing.page_title");
  languageSwitch($("language"), () => {
    document.title = t("landing.page_title");
    for (const [p, key] of shown) p.textContent = t(key);
    render();
  });
  $("join").addEventListener("submit", join);
  await refresh();
  setInterval(() => {
    if (document.visibilityState === "visible") refresh();
  }, REFRESH_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refresh();
  });
}

main();
