// @ts-check
// The whole flow, each person in their own browser context: the admin
// creates a session; the narrator goes live and posts; two viewers see it;
// one asks; the moderator sees it live and approves; the other upvotes; the
// specialist marks it "now answering" and answers; both viewers see the
// answer in their timeline, and the asker saw each status change.
import { expect, test } from "@playwright/test";
import { expectAccessible, open, shot } from "../helpers.js";
import { Server } from "../server.js";
import { ADMIN } from "../server.js";

/** @type {Server} */
let server;
test.beforeAll(async () => {
  server = await new Server().start();
});
test.afterAll(async () => server && (await server.dispose()));

test("admin → narrator → viewers → moderator → specialist → everyone sees the answer", async ({ browser }) => {
  // The admin signs in and creates the session.
  const admin = await open(browser, server.url + "/admin");
  await admin.page.fill("#admin-token", ADMIN);
  await admin.page.click("#sign-in");
  await admin.page.fill("#title", "Total knee replacement, teaching case");
  await admin.page.fill("#slug", "tkr-flow");
  await admin.page.fill("#hashtag", "TKRlive");
  await admin.page.click("#create-submit");
  const invite = (/** @type {string} */ role) => admin.page.locator("#invite-" + role).inputValue();
  await expect(admin.page.locator("#invite-narrator")).toHaveValue(/\/s\/tkr-flow\/narrator#token=/);
  const links = {
    narrator: await invite("narrator"),
    moderator: await invite("moderator"),
    specialist: await invite("specialist"),
    viewer: await invite("viewer"),
  };
  await expect(admin.page.locator("#sessions")).toContainText("Total knee replacement, teaching case");

  // The narrator goes live and posts with Enter.
  const narrator = await open(browser, links.narrator);
  await expect(narrator.page).toHaveURL(/\/s\/tkr-flow\/narrator$/); // the token left the address bar
  await narrator.page.click("#go-live");
  await expect(narrator.page.locator("#state")).toHaveText("live");
  await narrator.page.fill("#text", "Skin incision, medial parapatellar approach.");
  await narrator.page.press("#text", "Enter");
  await expect(narrator.page.locator("#timeline")).toContainText("Skin incision, medial parapatellar approach.");

  // Two viewers, on phones, see it.
  const phone = { width: 360, height: 740 };
  const asker = await open(browser, links.viewer, phone);
  const voter = await open(browser, links.viewer, phone);
  for (const v of [asker, voter]) {
    await expect(v.page.locator("#timeline")).toContainText("Skin incision, medial parapatellar approach.");
    await expect(v.page.locator("#connection")).toHaveText("connected");
  }

  // The moderator and the specialist open their consoles before the question comes.
  const moderator = await open(browser, links.moderator);
  const specialist = await open(browser, links.specialist);
  await expect(moderator.page.locator("body")).toHaveAttribute("data-ready", "1");
  await expect(specialist.page.locator("body")).toHaveAttribute("data-ready", "1");

  // One viewer asks.
  const question = "Why a medial parapatellar approach rather than subvastus?";
  await asker.page.fill("#question", question);
  await asker.page.click("#send");
  const mine = asker.page.locator("#mine > li");
  await expect(mine).toContainText(question);
  await expect(mine).toContainText("waiting for a moderator");

  // The moderator sees it live and approves it.
  const row = moderator.page.locator("#queue li.qrow", { hasText: question });
  await expect(row).toBeVisible();
  await row.locator('[data-action="approve"]').click();
  await expect(row).toHaveCount(0);
  await expect(mine).toContainText("approved");

  // The other viewer upvotes the published question.
  const published = voter.page.locator("#published li", { hasText: question });
  await expect(published).toBeVisible();
  await published.locator('[data-action="vote"]').click();
  await expect(published.locator('[data-action="vote"]')).toHaveAttribute("aria-pressed", "true");
  await expect(published).toContainText("1 vote");

  // The specialist sees it with its vote, marks it now-answering, answers.
  const srow = specialist.page.locator("#queue li.srow", { hasText: question });
  await expect(srow).toBeVisible();
  await expect(srow).toContainText("1");
  await srow.locator('[data-action="answering"]').click();
  for (const v of [asker, voter]) await expect(v.page.locator("#now-answering")).toContainText(question);
  await expect(mine).toContainText("being answered now");
  const answer = "It gives the best exposure for a valgus knee; subvastus spares the quadriceps tendon.";
  await specialist.page.fill("#answer-text", answer);
  await specialist.page.click("#answer-send");

  // Both viewers see the answer in the timeline, with its question.
  for (const v of [asker, voter]) {
    const entry = v.page.locator("#timeline li.answer");
    await expect(entry).toContainText(question);
    await expect(entry).toContainText(answer);
    await expect(v.page.locator("#now-answering")).toBeHidden();
  }
  await expect(mine).toContainText("answered");
  await expect(narrator.page.locator("#timeline")).toContainText(answer);

  // Screenshots of the scene, and the accessibility check of each page in it.
  const pages = { admin, narrator, moderator, specialist, "viewer-asker": asker, "viewer-voter": voter };
  for (const [name, who] of Object.entries(pages)) {
    await shot(who.page, "flow-" + name);
    await expectAccessible(who.page, name);
    expect(who.problems, name).toEqual([]);
  }
  for (const who of Object.values(pages)) await who.context.close();
});
