// @ts-check
// What every browser test shares: pages watched for script errors and CSP
// violations, axe-core's accessibility check (serious and critical
// violations fail), and screenshots under target/screenshots/.
import { expect } from "@playwright/test";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
export const SHOTS = resolve(import.meta.dirname, "../../target/screenshots");
mkdirSync(SHOTS, { recursive: true });

/**
 * Records the page's uncaught errors, console errors and CSP violations.
 * @param {import("@playwright/test").Page} page
 */
export function watch(page) {
  /** @type {string[]} */
  const problems = [];
  page.on("pageerror", (e) => problems.push("pageerror: " + e.message));
  page.on("console", (m) => {
    const text = m.text();
    // A stream dropped on purpose (the restart test) logs a failed
    // connection, and Chromium logs the refusals the tests provoke (409
    // stale version, 422 screening, 429); everything else is a problem.
    const expected = /WebSocket connection .* failed|ERR_CONNECTION_REFUSED|Failed to load resource: net::ERR|status of 4(09|22|29)/;
    if (m.type() === "error" && !expected.test(text)) {
      problems.push("console: " + text);
    }
  });
  return problems;
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page; any serious or
 * critical violation fails with its rule and the offending elements.
 * @param {import("@playwright/test").Page} page
 * @param {string} name
 */
export async function expectAccessible(page, name) {
  // Evaluated through the DevTools protocol, so the page's CSP (rightly
  // refusing injected scripts) does not stop the checker itself.
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    // @ts-ignore axe is global once evaluated
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
  );
  const bad = result.violations
    .filter((/** @type {any} */ v) => v.impact === "serious" || v.impact === "critical")
    .map((/** @type {any} */ v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((/** @type {any} */ n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
  expect(bad, `${name}: axe violations`).toEqual([]);
}

/** @param {import("@playwright/test").Page} page @param {string} name */
export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, name + ".png"), fullPage: true });
}

/**
 * A staff console opened from its invite link in a fresh context.
 * @param {import("@playwright/test").Browser} browser
 * @param {string} link
 * @param {{width: number, height: number}} [viewport]
 */
export async function open(browser, link, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, locale: "en-GB" });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(link);
  return { context, page, problems };
}
