// @ts-check
// The viewer page, the one thousands open on a phone: the session's
// timeline live (resumed with since after any drop, without duplicates and
// without moving a reader who scrolled into the history), the phase strip,
// the video, "now answering", and the questions (viewer-questions.js).

import { ApiError, sessionApi } from "../lib/api.js";
import { $, el, slugFromPath, store, stored } from "../lib/dom.js";
import { errorText, languageSwitch, load, t } from "../lib/i18n.js";
import { follow } from "../lib/stream.js";
import { offlineText, showConnection, showNotice, showState, showViewers } from "../lib/status.js";
import { Timeline } from "../lib/timeline.js";
import { Questions } from "./viewer-questions.js";

const slug = slugFromPath();
const tokenKey = "gallery-viewer:" + slug;
const code = new URLSearchParams(location.hash.slice(1)).get("code");
if (code) history.replaceState(null, "", location.pathname + location.search);
let token = stored(tokenKey);
const api = sessionApi(slug, () => token);

/** @type {any} */
let session = null;
let liveFrom = Infinity;
let viewers = 0;
let state = "";
let connection = "connecting";
/** @type {any} */
let answering = null;
/** @type {ReturnType<typeof follow> | null} */
let stream = null;

const savedOrder = stored("gallery-order", "local") === "oldest" ? "oldest" : "newest";
const timeline = new Timeline({
  list: $("timeline"),
  announcer: $("announcer"),
  jump: $("jump"),
  phases: $("phases"),
  empty: $("empty"),
  order: savedOrder,
});
const questions = new Questions({ api, join, notice: showNotice });


/**
 * This tab's viewer identity, made on first need (asking, voting, or a
 * private session's link): a join per page view would exceed a hospital
 * NAT address's join limit when a whole lecture theatre opens the page.
 * @param {string} [name]
 */
async function join(name) {
  if (token) return;
  for (;;) {
    try {
      const joined = await api.post("/viewers", { name: name || undefined, join_code: code || undefined });
      token = joined.token;
      store(tokenKey, token);
      showNotice("");
      if (stream) stream.reconnect(); // now with a ticket: this viewer's own events
      return;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 429) throw e;
      showNotice(t("viewer.joining", { seconds: e.retryAfter || 5 }));
      await new Promise((done) => setTimeout(done, (e.retryAfter || 5) * 1000));
    }
  }
}

/** A ticket for the next stream when this tab has joined; a stale token is dropped. */
async function ticket() {
  if (!token) return null;
  try {
    return (await api.post("/tickets")).ticket;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 404)) {
      token = null;
      store(tokenKey, null);
      if (code) await join();
      return token ? (await api.post("/tickets")).ticket : null;
    }
    throw e;
  }
}

function renderHeader() {
  if (!session) return;
  document.title = session.title + " · " + t("app.name");
  $("title").textContent = session.title;
  $("hashtag").textContent = session.hashtag ? "#" + session.hashtag : "";
  $("description").textContent = session.description || "";
  showState(state);
  showViewers(viewers);
  showConnection(connection);
  $("now-answering").hidden = !answering;
  $("now-answering-text").textContent = answering ? answering.text : "";
  questions.setEnded(state === "ended");
}

/** The session's video: a player for a media file, else the host's embed. */
function renderVideo() {
  const url = session && session.stream_url;
  const box = $("video");
  if (!url || box.dataset.url === url) return;
  box.dataset.url = url;
  const media = /\.(mp4|webm|ogg|m3u8)(\?|$)/i.test(url);
  const player = media
    ? el("video", { src: url, controls: true, playsinline: true, preload: "none" })
    : el("iframe", { src: url, title: t("viewer.video"), allow: "autoplay; fullscreen; picture-in-picture", allowfullscreen: true, referrerpolicy: "no-referrer" });
  box.replaceChildren(box.firstElementChild, player, el("p", null, el("a", { href: url, rel: "noopener noreferrer", target: "_blank" }, t("viewer.video_link"))));
  box.hidden = false;
}

/** @param {any} e */
function onEvent(e) {
  switch (e.type) {
    case "hello":
      session = e.session;
      state = e.session.state;
      viewers = e.session.viewers;
      // Entries up to the first head are the history the page opened on;
      // everything later is new to this reader, even if a reconnect replays it.
      if (liveFrom === Infinity) liveFrom = e.head;
      renderVideo();
      if (e.head > 0) $("empty").hidden = true;
      questions.reload(Boolean(token)).then((now) => {
        if (now === undefined) return;
        answering = now;
        renderHeader();
      });
      break;
    case "update":
    case "update_edited":
    case "update_retracted":
      timeline.apply(e, e.seq > liveFrom);
      break;
    case "session_state":
      state = e.state;
      timeline.apply(e, e.seq > liveFrom);
      break;
    case "answer":
      timeline.apply(e, e.seq > liveFrom);
      questions.answered(e.question);
      if (answering && answering.id === e.question.id) answering = null;
      break;
    case "presence":
      viewers = e.viewers;
      break;
    case "now_answering":
      answering = e.question;
      break;
    default:
      questions.onEvent(e);
      return;
  }
  renderHeader();
}

/** @param {string} status @param {{ code?: number, reason?: string }} [why] */
function onStatus(status, why) {
  connection = status;
  if (status === "offline") showNotice(offlineText(why));
  else if (status === "live") showNotice("");
  renderHeader();
}

async function start() {
  await load();
  questions.refresh(); // its words were set before the language loaded
  languageSwitch($("language"), () => {
    renderHeader();
    timeline.refresh();
    questions.refresh();
  });
  const order = $("order");
  order.value = savedOrder;
  order.addEventListener("change", () => {
    timeline.setOrder(order.value);
    store("gallery-order", order.value, "local");
  });
  try {
    if (code && !token) await join();
    session = await api.get("");
    state = session.state;
    viewers = session.viewers;
    renderHeader();
    renderVideo();
  } catch (e) {
    $("title").textContent = t("viewer.unavailable");
    showNotice(errorText(e));
    connection = "offline";
    showConnection(connection);
    return;
  }
  stream = follow({ slug, ticket, onEvent, onStatus });
  window.addEventListener("online", () => stream && stream.reconnect());
}

start();
