// @ts-check
// The pages' words: one file per language under web/i18n/, chosen from the
// browser's languages or the reader's remembered choice; dates, times and
// numbers through Intl in that language; errors translated by `reason`.

import { store, stored } from "./dom.js";

/** @typedef {Record<string, string | Record<string, string>>} Dictionary */

export const LANGUAGES = Object.freeze({ en: "English", es: "Español", zh: "中文（简体）" });
const STORE_KEY = "gallery-language";
// Each by its literal address, so the server can name each file's version.
/** @type {Record<string, () => Promise<{default: Dictionary}>>} */
const FILES = {
  en: () => import("../i18n/en.js"),
  es: () => import("../i18n/es.js"),
  zh: () => import("../i18n/zh.js"),
};

/** @type {Dictionary} */
let words = {};
/** @type {Dictionary} */
let fallback = {};
let lang = "en";

/** The language to use: the remembered choice, else the browser's first we have. */
export function preferred() {
  const saved = stored(STORE_KEY, "local");
  if (saved && saved in LANGUAGES) return saved;
  for (const l of navigator.languages || [navigator.language]) {
    const base = String(l).toLowerCase().split("-")[0];
    if (base in LANGUAGES) return base;
  }
  return "en";
}

/**
 * Loads a language (and English beneath it for any missing word).
 * @param {string} [choice]
 * @param {boolean} [remember] store the choice for the next visit
 */
export async function load(choice, remember) {
  const next = choice && choice in LANGUAGES ? choice : preferred();
  const [base, chosen] = await Promise.all([FILES.en(), next === "en" ? null : FILES[next]()]);
  fallback = base.default;
  words = chosen ? chosen.default : fallback;
  lang = next;
  document.documentElement.lang = next === "zh" ? "zh-Hans" : next;
  if (remember) store(STORE_KEY, next, "local");
  translate(document);
  return next;
}

export function current() {
  return lang;
}

/**
 * A word, with `{name}` placeholders filled. A dictionary entry may be an
 * object of plural forms ({one, other}) chosen by `vars.count`.
 * @param {string} key
 * @param {Record<string, string | number>} [vars]
 */
export function t(key, vars) {
  let entry = words[key] ?? fallback[key] ?? key;
  if (typeof entry === "object") {
    const count = Number(vars && vars.count) || 0;
    const form = new Intl.PluralRules(lang).select(count);
    entry = entry[form] ?? entry.other ?? key;
  }
  if (!vars) return entry;
  return entry.replace(/\{(\w+)\}/g, (m, name) => {
    const v = vars[name];
    if (v === undefined) return m;
    return typeof v === "number" ? number(v) : v;
  });
}

/** Whether a word exists (for optional translations such as error reasons). */
export function has(key) {
  return key in words || key in fallback;
}

/**
 * Fills every element marked `data-i18n` (its text), `data-i18n-placeholder`,
 * `data-i18n-label` (aria-label) and `data-i18n-title`.
 * @param {Document | Element} root
 */
export function translate(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(/** @type {HTMLElement} */ (el).dataset.i18n || "");
  }
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) {
    el.setAttribute("placeholder", t(/** @type {HTMLElement} */ (el).dataset.i18nPlaceholder || ""));
  }
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    el.setAttribute("aria-label", t(/** @type {HTMLElement} */ (el).dataset.i18nLabel || ""));
  }
  for (const el of root.querySelectorAll("[data-i18n-title]")) {
    el.setAttribute("title", t(/** @type {HTMLElement} */ (el).dataset.i18nTitle || ""));
  }
}

/** @param {number} n */
export function number(n) {
  return new Intl.NumberFormat(lang).format(n);
}

/** A local clock time, such as 14:03:27. @param {string | number | Date} ts */
export function time(ts) {
  return new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", second: "2-digit" }).format(new Date(ts));
}

/** A date and time, for schedules and exports. @param {string | number | Date} ts */
export function dateTime(ts) {
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(ts));
}

/** Procedure time since the session went live: T+00:42, T+1:05:09. @param {number} ms */
export function elapsed(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600);
  const m = Math.floor(s / 60) % 60;
  return "T+" + (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(s % 60);
}

/**
 * What to tell a person about a failed command: the translation of its
 * reason when there is one, else the server's own message.
 * @param {any} err
 */
export function errorText(err) {
  if (!err) return "";
  const reason = err.reason ? "error." + err.reason : "";
  if (reason && has(reason)) return t(reason, { seconds: err.retryAfter || 5 });
  if (err.status === 0) return t("error.network");
  if (err.status && String(err.reason).startsWith("http_")) return t("error.http", { status: err.status });
  return err.message || String(err);
}

/**
 * A language switch: a labelled <select> that loads and remembers the choice.
 * @param {HTMLSelectElement} select
 * @param {() => void} [changed] called after the page's words were replaced
 */
export function languageSwitch(select, changed) {
  select.replaceChildren(
    ...Object.entries(LANGUAGES).map(([code, name]) => {
      const o = document.createElement("option");
      o.value = code;
      o.textContent = name;
      o.lang = code;
      return o;
    }),
  );
  select.value = lang;
  select.addEventListener("change", async () => {
    await load(select.value, true);
    if (changed) changed();
  });
}

