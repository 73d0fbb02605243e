// @ts-check
// Every page at the size it is used at: the viewer page on a 360x740 phone,
// every console at 1280x800, the projector at 1920x1080; light and dark.
// For each: a screenshot under target/screenshots/, the key controls
// visible and usable, nothing wider than the screen, and zero serious or
// critical axe-core violations.
import { expect, test } from "@playwright/test";
import { expectAccessible, shot, watch } from "../helpers.js";
import { ADMIN, Server } from "../server.js";

/** @type {Server} */
let server;
/** @type {any} */
let s;
test.beforeAll(async () => {
  server = await new Server().start();
  s = await server.session({ title: "Total knee replacement", hashtag: "TKRlive", description: "Teaching case, fictional patient." });
  const api = (/** @type {string} */ m, /** @type {string} */ p, /** @type {string} */ tok, /** @type {any} */ b) => server.call(m, `/api/sessions/${s.slug}${p}`, tok, b);
  await api("POST", "/state", s.narrator, { state: "live" });
  await api("POST", "/updates", s.narrator, { text: "Patient positioned supine, tourniquet applied.", phase: "Preparation" });
  await api("POST", "/updates", s.narrator, { text: "Medial parapatellar arthrotomy.", phase: "Exposure" });
  const viewer = await api("POST", "/viewers", null, {});
  const ask = (/** @type {string} */ text) => api("POST", "/questions", viewer.token, { text }).then((r) => r.question);
  const first = await ask("Why cement rather than press-fit?");
  const second = await ask("How do you judge the joint line?");
  await ask("Is Mrs Whitfield, MRN 00482913, from ward 3?"); // held: waits with its findings
  for (const q of [first, second]) await api("POST", `/questions/${q.id}/moderate`, s.moderator, { action: "approve", version: q.version });
  await api("POST", `/questions/${first.id}/answering`, s.specialist, {});
  await api("POST", `/questions/${first.id}/answer`, s.specialist, { text: "Cement gives immediate fixation in soft bone." });
});
test.afterAll(async () => server && (await server.dispose()));

/**
 * @param {import("@playwright/test").Browser} browser
 * @param {string} url
 * @param {{width: number, height: number}} size
 * @param {"light" | "dark"} scheme
 */
async function visit(browser, url, size, scheme) {
  const context = await browser.newContext({ viewport: size, colorScheme: scheme });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(url);
  return { context, page, problems };
}

/** @param {import("@playwright/test").Page} page @param {number} width */
async function fitsWidth(page, width) {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scroll, "nothing wider than the screen").toBeLessThanOrEqual(width);
}

/**
 * Visible, enabled and large enough to hit. Retried until it holds: a
 * console may replace a row while its first load settles.
 * @param {import("@playwright/test").Locator} control
 */
async function usable(control) {
  await expect(control).toBeVisible();
  await expect(control).toBeEnabled();
  await expect(async () => {
    const box = await control.boundingBox();
    expect(box && box.height >= 24 && box.width >= 24, "large enough to hit").toBe(true);
  }).toPass({ timeout: 10_000 });
}

const PHONE = { width: 360, height: 740 };
const DESK = { width: 1280, height: 800 };

for (const scheme of /** @type {const} */ (["light", "dark"])) {
  test(`viewer on a phone (${scheme})`, async ({ browser }) => {
    const { context, page, problems } = await visit(browser, server.url + "/s/" + s.slug, PHONE, scheme);
    await expect(page.locator("#connection")).toHaveText("connected");
    await expect(page.locator("#timeline li.answer")).toContainText("Cement gives immediate fixation");
    await expect(page.locator("#phases li.current")).toHaveText("Exposure");
    await expect(page.locator("#published li")).toContainText("How do you judge the joint line?");
    await expect(page.locator("#timeline .elapsed").first()).toHaveText(/^T\+\d\d:\d\d$/);
    for (const id of ["#question", "#send", "#order", "#language", '#published [data-action="vote"]']) await usable(page.locator(id));
    await fitsWidth(page, PHONE.width);
    await shot(page, `viewer-360-${scheme}`);
    await expectAccessible(page, `viewer ${scheme}`);
    await page.selectOption("#order", "oldest");
    await expect(page.locator("#timeline > li").first()).toContainText("the session is now live");
    expect(problems).toEqual([]);
    await context.close();
  });

  test(`consoles at 1280x800 (${scheme})`, async ({ browser }) => {
    /** @type {[string, string, string[]][]} */
    const consoles = [
      ["narrator", s.links.narrator, ["#text", "#post", "#pause", "#end", "#phase-buttons button", "#timeline button.edit"]],
      ["moderator", s.links.moderator, ['#queue li.qrow [data-action="approve"]', '#queue li.qrow [data-action="reject"]', "#my-name"]],
      ["specialist", s.links.specialist, ['#queue li.srow [data-action="answering"]', '#queue li.srow [data-action="dismiss"]']],
      ["landing", server.url + "/", ["#join-slug", "#join-go", "#current-sessions a"]],
    ];
    for (const [name, url, controls] of consoles) {
      const { context, page, problems } = await visit(browser, url, DESK, scheme);
      for (const c of controls) await usable(page.locator(c).first());
      if (name === "moderator") await expect(page.locator("#queue li.qrow.held mark").first()).toBeVisible();
      await fitsWidth(page, DESK.width);
      await shot(page, `${name}-1280-${scheme}`);
      await expectAccessible(page, `${name} ${scheme}`);
      expect(problems, name).toEqual([]);
      await context.close();
    }
  });
}

test("the narrator's console on a tablet, and a session's video on the viewer page", async ({ browser }) => {
  const tablet = { width: 820, height: 1180 };
  const narrator = await visit(browser, s.links.narrator, tablet, "light");
  for (const c of ["#text", "#post", "#pause", "#end", "#phase-buttons button", "#templates button"]) await usable(narrator.page.locator(c).first());
  const post = await narrator.page.locator("#post").boundingBox();
  expect(post && post.height >= 44, "a touch target").toBe(true);
  await fitsWidth(narrator.page, tablet.width);
  await shot(narrator.page, "narrator-tablet");
  expect(narrator.problems).toEqual([]);
  await narrator.context.close();

  const video = await server.session({ title: "With video", stream_url: "https://video.example.org/live/tkr.mp4" });
  const viewer = await visit(browser, server.url + "/s/" + video.slug, PHONE, "light");
  const player = viewer.page.locator("#video video");
  await expect(player).toBeVisible();
  await expect(player).toHaveAttribute("src", "https://video.example.org/live/tkr.mp4");
  await expect(viewer.page.locator("#video a")).toHaveAttribute("href", "https://video.example.org/live/tkr.mp4");
  await fitsWidth(viewer.page, PHONE.width);
  await expectAccessible(viewer.page, "viewer with video");
  expect(viewer.problems).toEqual([]);
  await viewer.context.close();
});

test("admin at 1280x800 and on a phone", async ({ browser }) => {
  for (const size of [DESK, PHONE]) {
    const { context, page, problems } = await visit(browser, server.url + "/admin", size, "light");
    await usable(page.locator("#admin-token"));
    await expectAccessible(page, "admin sign-in");
    await page.fill("#admin-token", ADMIN);
    await page.click("#sign-in");
    for (const c of ["#title", "#create-submit", `#s-${s.slug}-qr`, `#s-${s.slug}-rotate-moderator`, `#s-${s.slug}-audit-csv`]) await usable(page.locator(c));
    await page.click(`#s-${s.slug}-qr`);
    const qr = page.locator(`#s-${s.slug}-output img.qr`);
    await expect(qr).toBeVisible();
    expect(await qr.evaluate((/** @type {HTMLImageElement} */ img) => img.naturalWidth)).toBeGreaterThanOrEqual(800);
    await fitsWidth(page, size.width);
    await shot(page, `admin-${size.width}`);
    await expectAccessible(page, "admin");
    expect(problems).toEqual([]);
    await context.close();
  }
});

test("projector at 1920x1080: the latest update, now answering, the join code", async ({ browser }) => {
  await server.call("POST", `/api/sessions/${s.slug}/updates`, s.narrator, { text: "Femoral cutting block pinned.", phase: "Resection" });
  const { questions } = await server.call("GET", `/api/sessions/${s.slug}/questions?status=approved`, s.specialist);
  await server.call("POST", `/api/sessions/${s.slug}/questions/${questions[0].id}/answering`, s.specialist, {});
  const { context, page, problems } = await visit(browser, s.links.narrator.replace("/narrator#", "/screen#"), { width: 1920, height: 1080 }, "dark");
  await expect(page.locator("#latest-text")).toHaveText("Femoral cutting block pinned.");
  await expect(page.locator("#latest-phase")).toHaveText("Resection");
  await expect(page.locator("#join-url")).toContainText("/s/" + s.slug);
  await expect(page.locator("#qr")).toBeVisible();
  await expect(page.locator("#now-answering")).toContainText(questions[0].text);
  const size = await page.locator("#latest-text").evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  expect(size, "large type").toBeGreaterThanOrEqual(40);
  expect(await page.locator("button, input, textarea, select").count(), "no controls").toBe(0);
  await fitsWidth(page, 1920);
  await shot(page, "projector-1920");
  await expectAccessible(page, "projector");
  expect(problems).toEqual([]);
  await context.close();
});

test("a private session's secrets never travel in a request line", async ({ browser }) => {
  const p = await server.session({ title: "Private rounds", private: true });
  await server.call("POST", `/api/sessions/${p.slug}/state`, p.narrator, { state: "live" });
  /** @type {string[]} */
  const leaks = [];
  for (const url of [p.links.viewer, p.links.narrator, p.links.narrator.replace("/narrator#", "/screen#"), p.links.moderator, p.links.specialist]) {
    const context = await browser.newContext({ viewport: DESK });
    context.on("request", (r) => {
      const query = new URL(r.url()).search;
      if (/token=|code=/.test(query)) leaks.push(r.url());
    });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(url);
    await expect(page.locator("#connection")).toHaveText("connected");
    await page.reload(); // a reload reads the tab's storage, not the link
    await expect(page.locator("#connection")).toHaveText("connected");
    expect(page.url(), "the secret left the address bar").not.toMatch(/token=|code=/);
    expect(problems).toEqual([]);
    await context.close();
  }
  expect(leaks).toEqual([]);
});
