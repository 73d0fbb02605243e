// @ts-check
// The lecture theatre's projector (/s/{slug}/screen#token=…, any staff
// token): the latest update in very large type with its procedure time and
// phase, the phases so far, what is being answered, and the join QR code.
// No controls: it follows the stream and shows it, readable from the back.

import { nowAnswering, sessionApi } from "../lib/api.js";
import { $, slugFromPath, tabToken } from "../lib/dom.js";
import { elapsed, errorText, load, t } from "../lib/i18n.js";
import { follow } from "../lib/stream.js";
import { offlineText, setText, showConnection, showNotice, showState, showViewers } from "../lib/status.js";
import { Timeline } from "../lib/timeline.js";

/** How many earlier updates show beneath the latest. */
const EARLIER = 4;
/** How long a fresh answer stays on the screen. */
const ANSWER_SHOWN_MS = 120_000;

const slug = slugFromPath();
const token = tabToken("gallery-token:" + slug + ":screen");
const api = sessionApi(slug, () => token);

let title = "";
let state = "";
/** @type {number | null} */
let viewers = null;
/** @type {import("../lib/stream.js").Status} */
let connection = "connecting";
/** @type {(() => string) | null} */
let notice = null;
let head = 0;
/** @type {string | null} when the session first went live */
let startedAt = null;
/** @type {string | null} */
let endedAt = null;
/** The server's clock minus ours, from live events, so the clock agrees with T+ stamps. */
let skew = 0;
/** @type {any} */
let answering = null;
/** @type {any} the latest answer event, shown for a while */
let answered = null;
let answeredTimer = 0;
/** @type {{ url: string, code: string | null, note: (() => string) | null }} */
const join = { url: location.origin + "/s/" + encodeURIComponent(slug), code: null, note: null };

const timeline = new Timeline({ list: $("timeline"), phases: $("phases"), order: "newest" });

// ---- rendering ----

function renderHeader() {
  showState(state);
  showViewers(viewers);
  showConnection(connection);
  setText($("title"), title || t("screen.title"));
  document.title = (title ? title + " · " : "") + t("screen.title");
  showNotice(notice ? notice() : "");
  renderClock();
}

/** The procedure clock, running from the moment the session first went live. */
function renderClock() {
  const clock = $("clock-box");
  const start = startedAt ? Date.parse(startedAt) : NaN;
  if (Number.isNaN(start) || !state || state === "scheduled") {
    clock.hidden = true;
    return;
  }
  const end = state === "ended" && endedAt ? Date.parse(endedAt) : Date.now() + skew;
  clock.hidden = false;
  $("clock").textContent = elapsed(end - start);
}

function renderLatest() {
  const latest = timeline.latest();
  $("latest").hidden = !latest;
  $("waiting").hidden = Boolean(latest);
  if (latest) {
    const u = latest.update;
    const text = $("latest-text");
    text.textContent = u.text;
    const long = u.text.length > 280 ? " long" : u.text.length > 140 ? " medium" : "";
    text.className = "latest-text" + long;
    $("latest-elapsed").textContent = u.elapsed_ms != null ? elapsed(u.elapsed_ms) : "";
    $("latest-phase").textContent = u.phase || "";
    $("latest-phase").hidden = !u.phase;
    $("latest-edited").hidden = !u.edited_at;
    $("latest-edited").textContent = t("timeline.edited");
  }
  // Beneath it, a few earlier updates and answers; no state changes or retractions.
  const latestLi = latest ? timeline.entries.get("u:" + latest.update.id)?.li : null;
  const answeredLi = answered ? timeline.entries.get("a:" + answered.question.id)?.li : null;
  let count = 0;
  for (const li of /** @type {HTMLElement[]} */ ([...$("timeline").children])) {
    const skip = li === latestLi || li === answeredLi || li.classList.contains("state") || li.classList.contains("retracted");
    const visible = !skip && count < EARLIER;
    if (visible) count += 1;
    li.hidden = !visible;
  }
  $("earlier").hidden = count === 0;
}

function renderAnswers() {
  $("now-answering").hidden = !answering;
  $("now-answering-text").textContent = answering ? answering.text : "";
  $("answered").hidden = !answered;
  if (answered) {
    $("answered-question").textContent = answered.question.text;
    $("answered-text").textContent = answered.answer.text;
  }
}

function renderJoin() {
  $("join-url").textContent = join.url;
  $("join-code").hidden = !join.code;
  $("join-code").textContent = join.code ? t("screen.join_code", { code: join.code }) : "";
  $("join-note").hidden = !join.note;
  $("join-note").textContent = join.note ? join.note() : "";
  $("qr").alt = t("screen.qr_alt", { url: join.url });
}

// ---- the join link and its QR code ----

async function loadJoin() {
  if (!token) {
    join.note = () => t("screen.no_token");
    renderJoin();
    return;
  }
  try {
    const invite = await api.get("/invites/viewer");
    // The join code is shown on its own; the link's fragment would only clutter it.
    join.url = String(invite.url).split("#")[0];
    join.code = invite.join_code || null;
  } catch (e) {
    join.note = () => errorText(e);
  }
  try {
    const blob = await api.blob("/invites/viewer/qr.svg");
    const img = /** @type {HTMLImageElement} */ ($("qr"));
    img.src = URL.createObjectURL(blob);
    $("qr-box").hidden = false;
  } catch {
    join.note = () => t("screen.qr_failed");
  }
  renderJoin();
}

/**
 * The question being answered when the page opens (the stream only tells
 * changes): with the staff token when the page has one, else the public
 * list (a private session's projector always has a token).
 */
async function loadAnswering() {
  const now = await nowAnswering(api);
  if (now === undefined) return;
  answering = now;
  renderAnswers();
}

// ---- the stream ----

/** @param {any} e */
function onEvent(e) {
  const live = typeof e.seq === "number" && e.seq > head;
  if (live && e.ts) skew = Date.parse(e.ts) - Date.now();
  switch (e.type) {
    case "hello":
      head = e.head;
      title = e.session.title;
      state = e.session.state;
      viewers = e.session.viewers;
      startedAt = e.session.started_at || null;
      endedAt = e.session.ended_at || null;
      renderHeader();
      loadAnswering();
      break;
    case "presence":
      viewers = e.viewers;
      renderHeader();
      break;
    case "session_state":
      state = e.state;
      if (state === "live" && !startedAt) startedAt = e.ts;
      if (state === "ended") endedAt = e.ts;
      timeline.apply(e, live);
      renderHeader();
      renderLatest();
      break;
    case "update":
    case "update_edited":
    case "update_retracted":
      timeline.apply(e, live);
      renderLatest();
      break;
    case "answer":
      timeline.apply(e, live);
      if (live) {
        answered = e;
        window.clearTimeout(answeredTimer);
        answeredTimer = window.setTimeout(() => {
          answered = null;
          renderAnswers();
          renderLatest();
        }, ANSWER_SHOWN_MS);
        renderAnswers();
      }
      renderLatest();
      break;
    case "now_answering":
      answering = e.question;
      renderAnswers();
      break;
  }
}

/** @param {import("../lib/stream.js").Status} status @param {{ code?: number, reason?: string }} [why] */
function onStatus(status, why) {
  connection = status;
  if (status === "offline") {
    notice = () => offlineText(why);
  } else if (status === "live") {
    notice = null;
  }
  renderHeader();
}

/** Keeps the projector's screen awake, where the browser allows it. */
async function stayAwake() {
  const nav = /** @type {any} */ (navigator);
  if (!nav.wakeLock || document.visibilityState !== "visible") return;
  try {
    await nav.wakeLock.request("screen");
  } catch {
    /* not allowed here: the screen may dim */
  }
}

// ---- start ----

await load(); // the browser's language: a projector has no controls
renderHeader();
renderLatest();
renderJoin();
let startStream = true;
if (!token) {
  // Without a token only a public session can be followed: say so if it is not one.
  try {
    const s = await api.get("");
    title = s.title;
  } catch (e) {
    startStream = false;
    connection = "offline";
    notice = () => errorText(e);
    renderHeader();
  }
}
const joinLoaded = loadJoin();
if (startStream) {
  const stream = follow({
    slug,
    ticket: token ? async () => (await api.post("/tickets")).ticket : undefined,
    staff: Boolean(token),
    onEvent,
    onStatus,
  });
  window.addEventListener("online", () => stream.reconnect());
}
window.setInterval(renderClock, 1000);
stayAwake();
document.addEventListener("visibilitychange", stayAwake);
