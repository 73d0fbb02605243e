// @ts-check
// The viewer page on its own: resuming after a server restart without
// missing, duplicated or jumping entries; the live region; the language
// switch; asking a question with the keyboard alone.
import { expect, test } from "@playwright/test";
import { expectAccessible, shot, watch } from "../helpers.js";
import { Server } from "../server.js";

/** @type {Server} */
let server;
test.beforeAll(async () => {
  server = await new Server().start();
});
test.afterAll(async () => server && (await server.dispose()));

/** @param {any} s @param {string} text */
const post = (s, text) => server.call("POST", `/api/sessions/${s.slug}/updates`, s.narrator, { text });

test("a restart mid-session: reconnecting, then every entry once, and a reader scrolled down stays put", async ({ browser }) => {
  const s = await server.session({ title: "Resume case" });
  await server.call("POST", `/api/sessions/${s.slug}/state`, s.narrator, { state: "live" });
  for (let i = 1; i <= 30; i++) await post(s, `Step ${i}: the narrator describes what happens at this point of the procedure.`);
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(server.url + "/s/" + s.slug);
  const entries = page.locator("#timeline > li");
  await expect(entries).toHaveCount(31); // 30 updates and "the session is now live"
  await expect(page.locator("#connection")).toHaveText("connected");

  // Read something in the middle of the history.
  const reading = page.locator("#timeline > li", { hasText: "Step 12:" });
  await reading.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -100));
  const before = await reading.boundingBox();

  await server.stop();
  await expect(page.locator("#connection")).toHaveText("reconnecting…");
  await server.start();
  for (let i = 31; i <= 35; i++) await post(s, `Step ${i}: after the restart.`);

  await expect(page.locator("#connection")).toHaveText("connected", { timeout: 30_000 });
  await expect(entries).toHaveCount(36);
  const texts = await page.locator("#timeline > li .text").allTextContents();
  expect(new Set(texts).size, "no entry twice").toBe(texts.length);
  for (let i = 1; i <= 35; i++) expect(texts.some((t) => t.startsWith(`Step ${i}:`)), `step ${i}`).toBe(true);
  const after = await reading.boundingBox();
  expect(Math.abs((after?.y ?? 0) - (before?.y ?? 0)), "the reader was not moved").toBeLessThan(4);
  await expect(page.locator("#jump")).toBeVisible();
  await expect(page.locator("#jump")).toContainText("5 new updates");
  await page.locator("#jump").click();
  await expect(page.locator("#timeline > li").first()).toContainText("Step 35:");
  await expect(page.locator("#jump")).toBeHidden();
  expect(problems).toEqual([]);
  await context.close();
});

test("the live region announces a new update, and the language switch is remembered", async ({ browser }) => {
  const s = await server.session({ title: "Announcements" });
  await server.call("POST", `/api/sessions/${s.slug}/state`, s.narrator, { state: "live" });
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "en-US" });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(server.url + "/s/" + s.slug);
  await expect(page.locator("#connection")).toHaveText("connected");
  const region = page.locator("#announcer");
  await expect(region).toHaveAttribute("aria-live", "polite");
  await expect(page.locator("#question-count")).toHaveText("500 characters left");
  await post(s, "Tourniquet inflated to 250 mmHg.");
  await expect(region).toHaveText("New update: Tourniquet inflated to 250 mmHg.");

  await page.selectOption("#language", "es");
  await expect(page.locator("#timeline-heading")).toHaveText("Cronología");
  await expect(page.locator("#send")).toHaveText("Enviar pregunta");
  await expect(page.locator("#question-count")).toHaveText("Quedan 500 caracteres");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await post(s, "Incisión cerrada.");
  await expect(region).toHaveText("Novedad: Incisión cerrada.");
  await page.reload();
  await expect(page.locator("#timeline-heading")).toHaveText("Cronología");
  await page.selectOption("#language", "zh");
  await expect(page.locator("#timeline-heading")).toHaveText("时间线");
  await expectAccessible(page, "viewer in Chinese");
  await shot(page, "viewer-zh-360");
  expect(problems).toEqual([]);
  await context.close();
});

test("asking with the keyboard alone, then seeing the question's status change live", async ({ browser }) => {
  const s = await server.session({ title: "Keyboard" });
  await server.call("POST", `/api/sessions/${s.slug}/state`, s.narrator, { state: "live" });
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(server.url + "/s/" + s.slug);
  await expect(page.locator("#connection")).toHaveText("connected");

  await page.keyboard.press("Tab");
  await expect(page.locator(".skip")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("#question")).toBeFocused();
  await page.keyboard.type("Why cement rather than press-fit here?");
  await expect(page.locator("#question-count")).toHaveText("462 characters left");
  await page.keyboard.press("Tab");
  await expect(page.locator("#anonymous")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.locator("#send")).toBeFocused();
  await page.keyboard.press("Enter");
  const mine = page.locator("#mine > li");
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText("Why cement rather than press-fit here?");
  await expect(mine).toContainText("waiting for a moderator");

  const { questions } = await server.call("GET", `/api/sessions/${s.slug}/questions?status=pending`, s.moderator);
  const q = questions[0];
  await server.call("POST", `/api/sessions/${s.slug}/questions/${q.id}/moderate`, s.moderator, { action: "reject", version: q.version, reason: "Covered in the pre-reading" });
  await expect(mine).toContainText("not taken");
  await expect(mine).toContainText("Reason: Covered in the pre-reading");

  // Upvoting another's approved question by keyboard keeps the focus on its button.
  const other = await server.call("POST", `/api/sessions/${s.slug}/viewers`, null, {});
  const { question: asked } = await server.call("POST", `/api/sessions/${s.slug}/questions`, other.token, { text: "How long does the cement take to set?" });
  await server.call("POST", `/api/sessions/${s.slug}/questions/${asked.id}/moderate`, s.moderator, { action: "approve", version: asked.version });
  const upvote = page.locator(`#published > li[data-id="${asked.id}"] button`);
  await upvote.focus();
  await page.keyboard.press("Enter");
  await expect(upvote).toHaveAttribute("aria-pressed", "true");
  await expect(upvote, "focus stays on the upvoted question's button").toBeFocused();
  expect(problems).toEqual([]);
  await context.close();
});

test("a rush of approvals: the newest arrive live, the rest behind a button that loads them", async ({ browser }) => {
  const s = await server.session({ title: "Rush" });
  const api = (/** @type {string} */ m, /** @type {string} */ p, /** @type {string | null} */ tok, /** @type {any} */ b) => server.call(m, `/api/sessions/${s.slug}${p}`, tok, b);
  await api("POST", "/state", s.narrator, { state: "live" });
  const asked = [];
  for (let v = 0; v < 4; v++) {
    const viewer = await api("POST", "/viewers", null, {});
    for (let i = 0; i < 3; i++) asked.push((await api("POST", "/questions", viewer.token, { text: `Rush question ${v * 3 + i + 1}: which approach here?` })).question);
  }
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(server.url + "/s/" + s.slug);
  await expect(page.locator("#connection")).toHaveText("connected");

  // One approval first, seen live (the page's first load is done), then
  // eleven within a second or two: at most two intervals, so at least one
  // of them publishes more than the five sent live.
  const [first, ...rest] = asked;
  await api("POST", `/questions/${first.id}/moderate`, s.moderator, { action: "approve", version: first.version });
  await expect(page.locator("#published > li")).toHaveCount(1);
  for (const q of rest) await api("POST", `/questions/${q.id}/moderate`, s.moderator, { action: "approve", version: q.version });
  const more = page.locator("#more-questions");
  await expect(more).toBeVisible();
  await expect(more).toHaveText(/^\d+ more questions? — show all$/);
  const shownOrCounted = async () => (await page.locator("#published > li").count()) + Number(((await more.textContent()) || "0").split(" ")[0]);
  await expect.poll(shownOrCounted, { message: "every approved question is shown or counted" }).toBe(12);
  await expectAccessible(page, "viewer with more questions");

  await more.focus();
  await page.keyboard.press("Enter");
  await expect(page.locator("#published > li")).toHaveCount(12);
  await expect(more).toBeHidden();
  await expect(page.locator("#published > li button").first(), "the keyboard lands on the list").toBeFocused();
  expect(problems).toEqual([]);
  await context.close();
});
