// @ts-check
// The privacy screen in the narrator's console: the verdict in words and
// the findings box, its marks naming their category visibly (the marking
// and the live preview themselves are in ../lib/findings.js).

import { highlight } from "../lib/findings.js";
import { has, t } from "../lib/i18n.js";

/**
 * @typedef {{ start: number, end: number, category: string }} Finding
 * @typedef {{ verdict: string, flags: Finding[] }} Screened
 */

/**
 * The verdict in words, with how many findings.
 * @param {string} verdict pass | flag | hold | block
 * @param {number} count
 */
export function verdictText(verdict, count) {
  const words = has("narrator.verdict." + verdict) ? t("narrator.verdict." + verdict) : verdict;
  return count ? t("narrator.found", { count }) + " · " + words : words;
}

/**
 * Shows findings in a box: `box` holds a verdict line and a text line.
 * Hidden when there is nothing to show.
 * @param {{ box: HTMLElement, verdict: HTMLElement, text: HTMLElement }} parts
 * @param {string} text
 * @param {Screened | null} screened
 */
export function showFindings(parts, text, screened) {
  const flags = screened ? screened.flags || [] : [];
  const verdict = screened ? screened.verdict : "pass";
  if (!screened || (!flags.length && verdict === "pass")) {
    parts.box.hidden = true;
    parts.text.replaceChildren();
    if (parts.verdict.textContent) parts.verdict.textContent = "";
    return;
  }
  parts.box.hidden = false;
  parts.box.dataset.verdict = verdict;
  const words = verdictText(verdict, flags.length);
  // Set only on change, so a screen reader hears a verdict once, not at every pause in typing.
  if (parts.verdict.textContent !== words) parts.verdict.textContent = words;
  parts.text.replaceChildren(highlight(text, flags, { visibleCategory: true }));
}
