// @ts-check
// The viewer page is light: everything it transfers before the first
// update arrives (HTML, styles, scripts, words, the session and question
// reads), compressed, fits in 60 KB. The figure is printed for the README.
import { expect, test } from "@playwright/test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SHOTS, watch } from "../helpers.js";
import { Server } from "../server.js";

test("the viewer page transfers at most 60 KB compressed before the first update", async ({ browser }) => {
  const server = await new Server().start();
  try {
    const s = await server.session({ title: "Budget" });
    await server.call("POST", `/api/sessions/${s.slug}/state`, s.narrator, { state: "live" });
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "es-ES" });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(server.url + "/s/" + s.slug);
    await expect(page.locator("#connection")).toHaveText("conectado");
    await page.waitForLoadState("networkidle");
    const { total, files } = await page.evaluate(() => {
      const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType("navigation")[0]);
      const resources = /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType("resource"));
      const files = [nav, ...resources].map((e) => ({ name: new URL(e.name).pathname, bytes: e.transferSize }));
      return { total: files.reduce((sum, f) => sum + f.bytes, 0), files };
    });
    const report = { total_bytes: total, total_kb: +(total / 1024).toFixed(1), files };
    console.log("viewer page transfer before the first update:", JSON.stringify(report));
    writeFileSync(join(SHOTS, "viewer-transfer.json"), JSON.stringify(report, null, 2));
    expect(files.every((f) => f.bytes > 0), "every file really came over the network").toBe(true);
    expect(total).toBeLessThanOrEqual(60 * 1024);
    expect(problems).toEqual([]);
    await context.close();
  } finally {
    await server.dispose();
  }
});
