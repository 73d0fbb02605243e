// @ts-check
// The moderators' console: the queue of questions waiting for review
// (moderator-queue.js, rows in moderator-row.js) with one-key actions,
// the held updates and answers (moderator-held.js), the queue's figures,
// who of the staff is here and what each moderator has open, and the
// muted askers' questions. Everything follows the staff stream; a change
// rewrites one row.

import { sessionApi } from "../lib/api.js";
import { $, el, slugFromPath, store, stored, tabToken } from "../lib/dom.js";
import { errorText, languageSwitch, load, number, t } from "../lib/i18n.js";
import { announce, offlineText, showConnection, showNotice, showState } from "../lib/status.js";
import { follow } from "../lib/stream.js";
import { HeldPanel } from "./moderator-held.js";
import { Actions } from "./moderator-actions.js";
import { Queue } from "./moderator-queue.js";
import { age } from "./moderator-row.js";

const slug = slugFromPath();
const token = tabToken("gallery-token:" + slug + ":moderator");
const api = sessionApi(slug, () => token);
const NAME_KEY = "gallery-staff-name:moderator";

/** Every question seen, any status, latest version: merge targets, held answers. */
const all = /** @type {Map<string, any>} */ (new Map());
/** @type {any} */
let stats = {};
/** @type {any} */
let presence = null;
let state = "";
let connection = "connecting";
let myName = "";
/** @type {ReturnType<typeof follow> | null} */
let stream = null;

const queue = new Queue($("queue"), {
  onActive: (id) => viewing(id),
  onChange: (n) => {
    $("queue-count").textContent = "(" + number(n) + ")";
    $("queue-empty").hidden = n > 0;
  },
  onKey: (key, id, li) => actions.key(key, id, li),
});
const held = new HeldPanel($("held"), $("held-empty"), $("held-count"), {
  api,
  question: (id) => all.get(id),
  announce,
});
const actions = new Actions({ api, queue, all, apply, announce, mutedChanged: () => refreshMuted() });

/**
 * A question's latest state: kept if newer than what we hold, shown in the
 * queue while it waits for a moderator (and its asker is not muted).
 * @param {any} q
 */
function apply(q) {
  const known = all.get(q.id);
  if (known && (q.version < known.version || (q.version === known.version && q.votes === known.votes))) return;
  all.set(q.id, q);
  if ((q.status === "pending" || q.status === "held") && !q.muted) queue.upsert(q);
  else queue.remove(q.id);
}

// -- presence: which question this moderator has open, at most once a second

let presenceTimer = 0;
let lastPresence = 0;
/** @type {string | null} */
let openId = null;
/** @type {string | null | undefined} what the server was last told (undefined: nothing yet) */
let toldId = undefined;

/** @param {string | null} id */
function viewing(id) {
  openId = id;
  if (presenceTimer || openId === toldId) return;
  const wait = Math.max(0, lastPresence + 1000 - Date.now());
  presenceTimer = window.setTimeout(() => {
    presenceTimer = 0;
    if (openId === toldId) return;
    lastPresence = Date.now();
    toldId = openId;
    api.post("/presence", { name: myName || undefined, viewing: openId || undefined }).catch(() => {
      toldId = undefined;
    });
  }, wait);
}

function showPresence() {
  if (!presence) return;
  const others = presence.moderators.filter((/** @type {string} */ m) => m !== myName);
  $("presence").textContent = [
    others.length ? t("moderator.others_here", { names: others.join(", ") }) : t("moderator.alone"),
    t(presence.specialist ? "moderator.specialist_here" : "moderator.specialist_away"),
  ].join(" · ");
  /** @type {Map<string, string[]>} */
  const lookers = new Map();
  for (const v of presence.viewing || []) {
    if (v.moderator === myName) continue;
    const list = lookers.get(v.question_id) || [];
    list.push(v.moderator);
    lookers.set(v.question_id, list);
  }
  queue.setLookers(lookers);
}

// -- figures

const FIGURES = ["pending", "held", "approved", "answered", "rejected", "received"];
const WAITS = ["median_wait_approve_ms", "median_wait_answer_ms"];

function showStats() {
  const dl = $("stats");
  if (!dl.childElementCount) {
    for (const k of [...FIGURES, ...WAITS]) {
      dl.append(el("div", { class: "figure" }, el("dt", { dataset: { key: k } }), el("dd", { id: "stat-" + k })));
    }
  }
  for (const dt of dl.querySelectorAll("dt")) dt.textContent = t("moderator.stat_" + dt.dataset.key);
  for (const k of FIGURES) $("stat-" + k).textContent = number(Number(stats[k] || 0));
  for (const k of WAITS) $("stat-" + k).textContent = stats[k] == null ? "—" : duration(stats[k]);
}

/** @param {number} ms */
function duration(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? t("moderator.seconds", { s }) : t("moderator.minutes", { m: Math.floor(s / 60), s: s % 60 });
}

// -- the stream

/** @param {any} e */
function onEvent(e) {
  switch (e.type) {
    case "hello":
      $("title").textContent = e.session.title;
      document.title = t("moderator.title") + " · " + e.session.title;
      state = e.session.state;
      showState(state);
      break;
    case "session_state":
      state = e.state;
      showState(state);
      break;
    case "question":
      apply(e.question);
      break;
    case "held":
      held.add(e.item);
      break;
    case "held_resolved":
      held.remove(e.id);
      break;
    case "queue_stats":
      stats = e;
      showStats();
      break;
    case "staff_presence":
      presence = e;
      showPresence();
      break;
  }
}

/** @param {string} status @param {{ code?: number, reason?: string }} [detail] */
function onStatus(status, detail) {
  connection = status;
  showConnection(status);
  if (status === "live") {
    notice(null);
    toldId = undefined; // the server forgot what we had open when we dropped
    if (openId) viewing(openId);
  } else if (status === "offline") {
    notice(() => offlineText(detail));
  }
}

/** The notice's text, kept as a function so a language switch can redo it. @type {(() => string) | null} */
let noticeText = null;
/** @param {(() => string) | null} make */
function notice(make) {
  noticeText = make;
  showNotice(make ? make() : "");
}

function startStream() {
  if (stream) stream.stop();
  stream = follow({
    slug,
    ticket: async () => (await api.post("/tickets")).ticket,
    staff: true,
    name: myName || undefined,
    onEvent,
    onStatus,
  });
}

// -- muted askers

async function refreshMuted() {
  const list = $("muted");
  if (list.hidden) return;
  $("muted-status").textContent = t("common.loading");
  try {
    const [p, h] = await Promise.all([
      api.get("/questions?status=pending&muted=true"),
      api.get("/questions?status=held&muted=true"),
    ]);
    const qs = [...p.questions, ...h.questions];
    list.replaceChildren(...qs.map((q) => actions.mutedRow(q)));
    $("muted-status").textContent = t("moderator.muted_count", { count: qs.length });
  } catch (err) {
    $("muted-status").textContent = errorText(err);
  }
}

$("show-muted").addEventListener("click", () => {
  const list = $("muted");
  list.hidden = !list.hidden;
  $("show-muted").setAttribute("aria-expanded", String(!list.hidden));
  $("show-muted").textContent = t(list.hidden ? "moderator.show_muted" : "moderator.hide_muted");
  if (list.hidden) $("muted-status").textContent = "";
  else refreshMuted();
});

// -- start

function rerender() {
  for (const id of queue.order) queue.mark(id);
  held.rerender();
  showStats();
  showPresence();
  showState(state);
  showConnection(connection);
  notice(noticeText); // redone in the new language, not cleared
  const list = $("muted");
  $("show-muted").textContent = t(list.hidden ? "moderator.show_muted" : "moderator.hide_muted");
}

function chooseName() {
  let saved = stored(NAME_KEY, "local") || "";
  if (!saved) saved = t("moderator.default_name", { n: String(10 + Math.floor(Math.random() * 90)) });
  myName = saved;
  const input = $("my-name");
  input.value = myName;
  input.addEventListener("change", () => {
    const next = input.value.trim();
    if (!next || next === myName) return;
    myName = next;
    store(NAME_KEY, myName, "local");
    startStream();
    showPresence();
  });
}

async function main() {
  await load();
  languageSwitch($("language"), rerender);
  showStats();
  if (!token) {
    notice(() => t("error.missing_token"));
    showConnection("offline");
    return;
  }
  chooseName();
  try {
    const [pending, heldQs, approved, answering, figures, heldItems] = await Promise.all([
      api.get("/questions?status=pending"),
      api.get("/questions?status=held"),
      api.get("/questions?status=approved"),
      api.get("/questions?status=answering"),
      api.get("/questions/stats"),
      api.get("/held"),
    ]);
    for (const q of [...approved.questions, ...answering.questions]) all.set(q.id, q);
    const waiting = [...pending.questions, ...heldQs.questions];
    for (const q of waiting) all.set(q.id, q);
    stats = figures;
    showStats();
    held.load(heldItems.items);
    startStream();
    await queue.load(waiting);
    document.body.dataset.ready = "1";
  } catch (err) {
    notice(() => errorText(err));
    connection = "offline";
    showConnection(connection);
  }
  setInterval(() => {
    for (const span of $("queue").querySelectorAll(".age")) {
      const text = age(/** @type {HTMLElement} */ (span).dataset.created || "");
      if (span.textContent !== text) span.textContent = text;
    }
  }, 30000);
}

main();
