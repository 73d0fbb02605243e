// @ts-check
// The moderator's console with 500 questions waiting: how long it takes to
// render them, and to approve one with the keyboard alone (Tab to the
// queue, "a"). The figures are printed and saved for the README; the test
// asserts the behaviour (every question shown, the keyboard path works),
// not the time, which a shared machine cannot promise.
import { expect, test } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SHOTS, expectAccessible, shot, watch } from "../helpers.js";
import { Server } from "../server.js";

// One scripted viewer asks all 500, so its limits are opened for this server.
const LIMITS = {
  GALLERY_QUESTIONS__PER_VIEWER_PER_MINUTE: "100000",
  GALLERY_QUESTIONS__PER_VIEWER_BURST: "100000",
  GALLERY_QUESTIONS__PER_IP_PER_MINUTE: "100000",
  GALLERY_QUESTIONS__PER_IP_BURST: "100000",
};

test("500 waiting questions: rendered, and one approved from the keyboard", async ({ browser }) => {
  const server = await new Server(LIMITS).start();
  try {
    const s = await server.session({ title: "Busy theatre" });
    const api = (/** @type {string} */ m, /** @type {string} */ p, /** @type {string | null} */ tok, /** @type {any} */ b) => server.call(m, `/api/sessions/${s.slug}${p}`, tok, b);
    await api("POST", "/state", s.narrator, { state: "live" });
    const viewer = await api("POST", "/viewers", null, {});
    for (let i = 1; i <= 500; i++) {
      const text = i % 50 === 0 ? `Question ${i}: is Mr Okonkwo, MRN 0048${1000 + i}, the same patient?` : `Question ${i}: how do you balance the flexion and extension gaps in this case?`;
      await api("POST", "/questions", viewer.token, { text });
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = watch(page);
    // Note when the first question appears, and when the console says it
    // has rendered its whole first load (every row, drawn in chunks).
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        const w = /** @type {any} */ (window);
        if (!w.__firstRowAt && document.querySelector("#queue li.qrow")) w.__firstRowAt = performance.now();
        if (document.body && document.body.dataset.ready === "1") {
          w.__readyAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-ready"] });
    });
    await page.goto(s.links.moderator);
    await expect(page.locator("body")).toHaveAttribute("data-ready", "1", { timeout: 60_000 });
    const rows = page.locator("#queue li.qrow");
    await expect(rows).toHaveCount(500);
    const { firstRowMs, allRowsMs } = await page.evaluate(() => {
      const w = /** @type {any} */ (window);
      return { firstRowMs: w.__firstRowAt, allRowsMs: w.__readyAt };
    });
    await expect(page.locator("#queue li.qrow.held")).toHaveCount(10);

    // The keyboard path: Tab until the queue's row has focus, then "a".
    for (let i = 0; i < 60; i++) {
      const onRow = await page.evaluate(() => document.activeElement?.classList.contains("qrow"));
      if (onRow) break;
      await page.keyboard.press("Tab");
    }
    const focused = page.locator("#queue li.qrow:focus");
    await expect(focused).toHaveCount(1);
    const id = await focused.getAttribute("data-id");
    const started = Date.now();
    await page.keyboard.press("a");
    await expect(page.locator(`#queue li.qrow[data-id="${id}"]`)).toHaveCount(0);
    const approveMs = Date.now() - started;
    await expect(rows).toHaveCount(499);
    await expect(page.locator("#queue li.qrow:focus"), "focus moves to the next question").toHaveCount(1);
    const { questions } = await api("GET", "/questions?status=approved", s.moderator);
    expect(questions.map((/** @type {any} */ q) => q.id)).toEqual([id]);

    const report = { questions: 500, first_row_ms: Math.round(firstRowMs), all_rows_ms: Math.round(allRowsMs), approve_by_key_ms: approveMs };
    console.log("moderator console with 500 waiting:", JSON.stringify(report));
    writeFileSync(join(SHOTS, "moderator-500.json"), JSON.stringify(report, null, 2));
    await shot(page, "moderator-500");
    await expectAccessible(page, "moderator with 500");
    expect(problems).toEqual([]);
    await context.close();
  } finally {
    await server.dispose();
  }
});
