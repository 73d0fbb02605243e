// @ts-check
// The privacy screen in the pages: the narrator's composer highlights an
// identifier while it is typed, before anything is posted; with authors
// unable to confirm (this server's setting), a held update never reaches
// viewers, waits in the moderator's console, and only its released,
// redacted text is published.
import { expect, test } from "@playwright/test";
import { open } from "../helpers.js";
import { Server } from "../server.js";

/** @type {Server} */
let server;
test.beforeAll(async () => {
  server = await new Server({ GALLERY_SCREENING__AUTHORS_CAN_CONFIRM: "false" }).start();
});
test.afterAll(async () => server && (await server.dispose()));

test("an identifier is highlighted before posting, and a held update reaches no viewer until released", async ({ browser }) => {
  const s = await server.session({ title: "Screening" });
  await server.call("POST", `/api/sessions/${s.slug}/state`, s.narrator, { state: "live" });
  const narrator = await open(browser, s.links.narrator);
  const viewer = await open(browser, s.links.viewer, { width: 360, height: 740 });
  const moderator = await open(browser, s.links.moderator);
  await expect(viewer.page.locator("#connection")).toHaveText("connected");

  const text = "Mrs Eleanor Whitfield, MRN 00482913, is now draped.";
  await narrator.page.fill("#text", text);
  const marks = narrator.page.locator("#findings mark");
  await expect(marks.first()).toBeVisible();
  await expect(narrator.page.locator("#findings")).toContainText("Eleanor Whitfield");
  await expect(narrator.page.locator('#findings mark[data-category="name"]')).toHaveCount(1);
  await expect(narrator.page.locator('#findings mark[data-category="id_number"]')).toHaveCount(1);
  expect(await server.call("GET", `/api/sessions/${s.slug}/events?since=0`, null)).toMatchObject({ head: 1 });

  await narrator.page.press("#text", "Enter");
  await expect(narrator.page.locator("#composer-status")).toContainText(/moderator/i);
  const held = moderator.page.locator("#held li.held-item");
  await expect(held).toHaveCount(1);
  await expect(held.locator("mark").first()).toBeVisible();
  await expect(viewer.page.locator("#timeline")).not.toContainText("Whitfield");

  // The moderator redacts and releases it: only the redacted text goes out.
  await held.locator('[data-action="redact"]').click();
  const id = await held.getAttribute("data-id");
  await moderator.page.fill(`#held-text-${id}`, "The patient is now draped.");
  await held.locator('[data-action="release-edited"]').click();
  await expect(held).toHaveCount(0);
  await expect(viewer.page.locator("#timeline")).toContainText("The patient is now draped.");
  const history = JSON.stringify(await server.call("GET", `/api/sessions/${s.slug}/events?since=0`, null));
  expect(history).not.toContain("Whitfield");
  await expect(viewer.page.locator("#timeline")).not.toContainText("Whitfield");
  for (const who of [narrator, viewer, moderator]) {
    expect(who.problems).toEqual([]);
    await who.context.close();
  }
});
