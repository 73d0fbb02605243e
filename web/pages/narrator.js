// @ts-check
// The narrator's console (/s/{slug}/narrator#token=…): go live / pause /
// end, the composer (narrator-composer.js: quick phases and texts, a live
// privacy preview, posts that never post twice), the timeline of what was
// posted with edit and retract (narrator-actions.js), Q&A as it happens.

import { nowAnswering, sessionApi } from "../lib/api.js";
import { $, slugFromPath, tabToken } from "../lib/dom.js";
import { errorText, languageSwitch, load, t } from "../lib/i18n.js";
import { follow } from "../lib/stream.js";
import { announce, offlineText, setText, showConnection, showState, showViewers } from "../lib/status.js";
import { Timeline } from "../lib/timeline.js";
import { updateActions } from "./narrator-actions.js";
import { setupComposer } from "./narrator-composer.js";

const slug = slugFromPath();
const token = tabToken("gallery-token:" + slug + ":narrator");
const api = sessionApi(slug, () => token);

/** Texts shown on the page, kept as functions so a language switch can redo them. */
const texts = new Map();
/** @param {HTMLElement} elem @param {(() => string) | null} make */
function show(elem, make) {
  if (make) texts.set(elem, make);
  else texts.delete(elem);
  setText(elem, make ? make() : "");
  if (elem.classList.contains("notice")) elem.hidden = !make;
}

let title = "";
let state = "";
/** @type {number | null} */
let viewers = null;
/** @type {import("../lib/stream.js").Status} */
let connection = "connecting";
let head = 0;
/** Whether the notice tells of the connection (cleared when it comes back). */
let noticeFromStream = false;
/** @type {any} */
let answering = null;

const timeline = new Timeline({
  list: $("timeline"),
  announcer: $("announcer"),
  jump: $("jump"),
  phases: $("phases-strip"),
  empty: $("empty"),
  order: "newest",
  actions: updateActions({ api, timeline: () => timeline, say: announce }),
});
const composer = setupComposer({ api, timeline, show, ended: () => state === "ended" });

// ---- header, state and counters ----

function renderHeader() {
  showState(state);
  showViewers(viewers);
  showConnection(connection);
  $("go-live").textContent = t(state === "paused" ? "narrator.resume" : "narrator.go_live");
  // A pressed state button that becomes disabled would drop the focus to the page.
  const pressed = [$("go-live"), $("pause")].find((b) => b === document.activeElement);
  $("go-live").disabled = state === "live" || state === "ended";
  $("pause").disabled = state !== "live";
  $("end").disabled = state === "ended";
  $("post").disabled = state === "ended";
  if (state === "ended") $("end-box").hidden = true;
  if (pressed && pressed.disabled) {
    const other = pressed.id === "pause" ? $("go-live") : $("pause");
    (other.disabled ? $("text") : other).focus();
  }
  show($("ended-note"), state === "ended" ? () => t("narrator.ended") : null);
  document.title = (title ? title + " · " : "") + t("narrator.title");
  if (title) $("title").textContent = title;
}

function renderNowAnswering() {
  $("now-answering").hidden = !answering;
  $("now-answering-text").textContent = answering ? answering.text : "";
}

function rerender() {
  renderHeader();
  composer.rerender();
  renderNowAnswering();
  timeline.refresh();
  for (const [elem, make] of texts) elem.textContent = make();
}

// ---- state controls ----

/** @param {string} next */
async function setState(next) {
  show($("state-error"), null);
  try {
    const s = await api.post("/state", { state: next });
    if (s && s.state) state = s.state;
    renderHeader();
  } catch (e) {
    show($("state-error"), () => errorText(e));
  }
}

$("go-live").addEventListener("click", () => setState("live"));
$("pause").addEventListener("click", () => setState("paused"));
$("end").addEventListener("click", () => {
  $("end-box").hidden = false;
  $("end-confirm").focus();
});
$("end-cancel").addEventListener("click", () => {
  $("end-box").hidden = true;
  $("end").focus();
});
$("end-confirm").addEventListener("click", async () => {
  $("end-box").hidden = true;
  await setState("ended");
  $("text").focus();
});

// ---- the stream ----

/** @param {any} e */
function onEvent(e) {
  switch (e.type) {
    case "hello":
      head = e.head;
      title = e.session.title;
      state = e.session.state;
      viewers = e.session.viewers;
      if (e.role !== "narrator") show($("notice"), () => t("error.wrong_role"));
      $("console").hidden = false;
      $("state-controls").hidden = false;
      renderHeader();
      loadAnswering();
      break;
    case "presence":
      viewers = e.viewers;
      renderHeader();
      break;
    case "session_state":
      state = e.state;
      renderHeader();
      timeline.apply(e, e.seq > head);
      break;
    case "update":
      timeline.apply(e, e.seq > head);
      composer.followPhase(e.update.phase);
      break;
    case "update_edited":
    case "update_retracted":
    case "answer":
      timeline.apply(e, e.seq > head);
      break;
    case "now_answering":
      answering = e.question;
      renderNowAnswering();
      break;
  }
}

/**
 * The question being answered when the page opens (the stream only tells
 * changes), from the published list the narrator's token may read.
 */
async function loadAnswering() {
  const now = await nowAnswering(api);
  if (now === undefined) return;
  answering = now;
  renderNowAnswering();
}

/** @param {import("../lib/stream.js").Status} status @param {{ code?: number, reason?: string }} [why] */
function onStatus(status, why) {
  connection = status;
  renderHeader();
  if (status === "offline") {
    noticeFromStream = true;
    show($("notice"), () => offlineText(why));
  } else if (status === "live" && noticeFromStream) {
    noticeFromStream = false;
    show($("notice"), null);
  }
}

// ---- start ----

await load();
languageSwitch($("language"), rerender);
composer.rerender();
renderHeader();
if (!token) {
  show($("title"), () => t("narrator.title"));
  show($("notice"), () => t("error.missing_token"));
  connection = "offline";
  renderHeader();
} else {
  const link = /** @type {HTMLAnchorElement} */ ($("projector-link"));
  // The token travels in the fragment, which no request line carries.
  link.href = "/s/" + encodeURIComponent(slug) + "/screen#token=" + encodeURIComponent(token);
  link.hidden = false;
  const stream = follow({
    slug,
    ticket: async () => (await api.post("/tickets")).ticket,
    staff: true,
    onEvent,
    onStatus,
  });
  window.addEventListener("online", () => stream.reconnect());
}
