// @ts-check
// The privacy screen's findings shown over a text: each span (UTF-16
// offsets, as the server counts them) wrapped in a <mark> titled by its
// translated category, a short list naming what was found, and a preview
// that screens a draft while it is typed. Shared by the narrator's, the
// moderator's and the specialist's composers.

import { has, t } from "./i18n.js";

/**
 * @typedef {{ start: number, end: number, category: string }} Finding
 */

/** The translated name of a finding's category. @param {string} category */
export function categoryName(category) {
  return has("category." + category) ? t("category." + category) : category;
}

/**
 * Findings in text order, clamped to the text, overlaps trimmed.
 * @param {string} text
 * @param {Finding[] | null | undefined} flags
 * @returns {Finding[]}
 */
export function spans(text, flags) {
  const sorted = (flags || [])
    .filter((f) => f && Number.isFinite(f.start) && Number.isFinite(f.end))
    .map((f) => ({ ...f, start: Math.max(0, Math.min(text.length, f.start)), end: Math.max(0, Math.min(text.length, f.end)) }))
    .filter((f) => f.end > f.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  /** @type {Finding[]} */
  const out = [];
  let at = 0;
  for (const f of sorted) {
    if (f.end <= at) continue;
    out.push({ ...f, start: Math.max(f.start, at) });
    at = f.end;
  }
  return out;
}

/**
 * The text with its findings marked: a fragment of text nodes and
 * <mark class="finding" data-category title="…"> elements (never HTML),
 * each followed by its category in words, for screen readers only, or
 * shown (class "finding-category") with `visibleCategory`.
 * @param {string} text
 * @param {Finding[] | null | undefined} flags
 * @param {{ visibleCategory?: boolean }} [options]
 * @returns {DocumentFragment}
 */
export function highlight(text, flags, options = {}) {
  const frag = document.createDocumentFragment();
  let at = 0;
  for (const f of spans(text, flags)) {
    if (f.start > at) frag.append(text.slice(at, f.start));
    const mark = document.createElement("mark");
    mark.className = "finding";
    mark.dataset.category = f.category;
    const name = categoryName(f.category);
    if (!options.visibleCategory) mark.title = name;
    mark.textContent = text.slice(f.start, f.end);
    // Say what it is to screen readers too (a title alone is not read).
    const category = document.createElement("span");
    category.className = options.visibleCategory ? "finding-category" : "visually-hidden";
    category.textContent = " (" + name + ")";
    frag.append(mark, category);
    at = f.end;
  }
  if (at < text.length) frag.append(text.slice(at));
  return frag;
}

/**
 * A list naming each finding: "phone number: 555 0100".
 * @param {string} text
 * @param {Finding[] | null | undefined} flags
 * @returns {HTMLUListElement}
 */
export function findingsList(text, flags) {
  const ul = document.createElement("ul");
  ul.className = "findings";
  for (const f of spans(text, flags)) {
    const li = document.createElement("li");
    const name = document.createElement("strong");
    name.textContent = categoryName(f.category);
    const mark = document.createElement("mark");
    mark.className = "finding";
    mark.dataset.category = f.category;
    mark.textContent = text.slice(f.start, f.end);
    li.append(name, ": ", mark);
    ul.append(li);
  }
  return ul;
}

/**
 * The distinct translated categories found, joined for a sentence.
 * @param {Finding[] | null | undefined} flags
 */
export function categoriesText(flags) {
  const names = [...new Set((flags || []).map((f) => categoryName(f.category)))];
  return names.join(", ");
}

/**
 * Screens a draft while its author types: one request per pause in typing
 * (debounced), answers for an older text ignored, failures ignored (a
 * preview is a help, not a gate: the post is screened anyway). An empty
 * text is shown at once as `null`, without asking.
 * @template T
 * @param {(text: string) => Promise<T>} ask asks the server (e.g. POST /screen)
 * @param {(text: string, screened: T | null) => void} shown
 * @param {number} [wait] ms of quiet before asking
 */
export function livePreview(ask, shown, wait = 300) {
  let timer = 0;
  let asked = 0;
  let latest = "";
  return {
    /** @param {string} text the current text */
    changed(text) {
      latest = text;
      window.clearTimeout(timer);
      if (!text.trim()) {
        asked += 1;
        shown(text, null);
        return;
      }
      timer = window.setTimeout(async () => {
        const mine = ++asked;
        try {
          const answer = await ask(text);
          if (mine === asked && text === latest) shown(text, answer);
        } catch {
          // ignored: see above
        }
      }, wait);
    },
    /** Forgets pending work (after a post, or when the text is set aside). */
    reset() {
      window.clearTimeout(timer);
      asked += 1;
      latest = "";
    },
  };
}
