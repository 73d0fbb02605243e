// @ts-check
// The specialist's console: the approved questions in queue order with
// live votes (specialist-queue.js), the question being answered with the
// answer composer (specialist-answer.js), the answered questions with
// their answers, the queue's figures, the audience's size and the
// connection. Follows the staff stream (question changes) and the public
// one (votes, publications, withdrawals, now answering, answers).

import { sessionApi } from "../lib/api.js";
import { $, el, slugFromPath, tabToken } from "../lib/dom.js";
import { errorText, languageSwitch, load, number, t, time } from "../lib/i18n.js";
import { announce, offlineText, showConnection, showNotice, showState, showViewers } from "../lib/status.js";
import { follow } from "../lib/stream.js";
import { Composer } from "./specialist-answer.js";
import { SpecialistQueue } from "./specialist-queue.js";

const slug = slugFromPath();
const token = tabToken("gallery-token:" + slug + ":specialist");
const api = sessionApi(slug, () => token);
const VISIBLE = ["approved", "answering", "answered", "dismissed"];

/** @type {Map<string, any>} the latest of every question this console may see */
const known = new Map();
/** @type {Map<string, HTMLElement>} */
const answeredRows = new Map();
/** @type {any} */
let now = null;
/** @type {any} */
let stats = null;
let viewers = 0;
let state = "";
let connection = "connecting";

const queue = new SpecialistQueue($("queue"), (n) => {
  $("queue-count").textContent = "(" + number(n) + ")";
  $("queue-empty").hidden = n > 0;
});
const composer = new Composer({ api, answered: apply, dismiss, announce, leave: focusQueue });

/** After "now answering" closes under the keyboard: the next question to take, else the queue's heading. */
function focusQueue() {
  const b = /** @type {HTMLElement | null} */ ($("queue").querySelector('button[data-action="answering"]'));
  (b || $("queue-heading")).focus();
}

/**
 * A question's latest state, from a command's answer or either stream:
 * older versions are ignored; a vote count alone may change at the same
 * version.
 * @param {any} q
 */
function apply(q) {
  const old = known.get(q.id);
  if (old && q.version < old.version) return;
  if (old && q.version === old.version) {
    if (q.answer && !old.answer) known.set(q.id, { ...old, answer: q.answer });
    if (q.votes !== old.votes) setVotes(q.id, q.votes);
    if (q.answer && !old.answer) route(/** @type {any} */ (known.get(q.id)));
    return;
  }
  if (!VISIBLE.includes(q.status)) {
    // Sent back to a moderator, rejected or merged: no longer ours.
    if (old) {
      known.delete(q.id);
      queue.remove(q.id);
      if (now && now.id === q.id) setNow(null);
    }
    return;
  }
  const next = old && !q.answer && old.answer ? { ...q, answer: old.answer } : q;
  known.set(q.id, next);
  route(next);
}

/** @param {any} q */
function route(q) {
  if (q.status === "approved") queue.upsert(q);
  else queue.remove(q.id);
  if (q.status === "answering") setNow(q);
  else if (now && now.id === q.id) setNow(null);
  if (q.status === "answered") showAnswered(q);
}

/** @param {string} id @param {number} votes */
function setVotes(id, votes) {
  const q = known.get(id);
  if (!q || q.votes === votes) return;
  const next = { ...q, votes };
  known.set(id, next);
  queue.votes(id, votes);
  if (now && now.id === id) setNow(next);
}

/** @param {any} q */
function setNow(q) {
  now = q;
  composer.show(q);
}

/** @param {any} q */
function showAnswered(q) {
  const a = q.answer;
  const li = answeredRows.get(q.id) || el("li", { class: "arow", dataset: { id: q.id } });
  li.replaceChildren(
    el("p", { class: "q-head" }, a ? el("span", null, t("specialist.answered_by", { name: a.author, time: time(a.ts) })) : ""),
    el("p", { class: "q-text" }, el("strong", null, t("timeline.question")), " ", q.text),
    a ? el("p", { class: "a-text" }, el("strong", null, t("specialist.answer_label")), " ", a.text) : "",
  );
  if (!answeredRows.has(q.id)) {
    answeredRows.set(q.id, li);
    $("answered").prepend(li);
  }
  $("answered-empty").hidden = true;
  $("answered-count").textContent = "(" + number(answeredRows.size) + ")";
}

// -- commands

/** @param {string} id @param {HTMLElement | null} li */
async function answering(id, li) {
  const before = now;
  try {
    const q = await api.post("/questions/" + id + "/answering");
    if (before && before.id !== id) {
      const b = known.get(before.id);
      if (b && b.status === "answering") apply({ ...b, status: "approved", version: b.version + 1 });
    }
    apply(q);
    announce(t("specialist.now_announced", { text: q.text }));
    $("answer-text").focus();
  } catch (err) {
    say(li, err);
  }
}

/** @param {any} q */
async function dismiss(q) {
  const li = /** @type {HTMLElement | null} */ ($("queue").querySelector(`li[data-id="${q.id}"]`));
  try {
    apply(await api.post("/questions/" + q.id + "/dismiss"));
    announce(t("specialist.dismissed"));
  } catch (err) {
    say(li, err);
  }
}

/** @param {HTMLElement | null} li @param {any} err */
function say(li, err) {
  const text = errorText(err);
  const msg = li && /** @type {HTMLElement | null} */ (li.querySelector(".q-msg"));
  if (msg) {
    msg.textContent = text;
    msg.hidden = false;
  } else composer.status(text);
  announce(text);
}

$("queue").addEventListener("click", (/** @type {MouseEvent} */ e) => {
  const b = /** @type {HTMLElement} */ (e.target).closest("button[data-action]");
  const li = b && /** @type {HTMLElement | null} */ (b.closest("li[data-id]"));
  if (!b || !li) return;
  const id = li.dataset.id || "";
  const action = /** @type {HTMLElement} */ (b).dataset.action;
  if (action === "answering") answering(id, li);
  else if (action === "dismiss") {
    const q = known.get(id);
    if (q) dismiss(q);
  }
});

// -- figures, audience, connection

function showStats() {
  if (!stats) return;
  const parts = [
    t("specialist.stat_waiting", { count: Number(stats.approved || 0) }),
    t("specialist.stat_answered", { count: Number(stats.answered || 0) }),
  ];
  if (stats.median_wait_answer_ms != null) {
    parts.push(t("specialist.stat_wait", { minutes: Math.max(1, Math.round(stats.median_wait_answer_ms / 60000)) }));
  }
  $("stats").textContent = parts.join(" · ");
}

/** @param {any} e */
function onEvent(e) {
  switch (e.type) {
    case "hello":
      $("title").textContent = e.session.title;
      document.title = t("specialist.title") + " · " + e.session.title;
      state = e.session.state;
      showState(state);
      viewers = e.session.viewers || viewers;
      showViewers(viewers);
      break;
    case "session_state":
      state = e.state;
      showState(state);
      break;
    case "question":
    case "question_published":
      apply(e.question);
      break;
    case "questions_published":
      for (const q of e.questions) apply(q);
      break;
    case "question_withdrawn":
      queue.remove(e.id);
      break;
    case "question_votes":
      setVotes(e.id, e.votes);
      break;
    case "vote_counts":
      for (const v of e.votes) setVotes(v.id, v.votes);
      break;
    case "now_answering":
      if (e.question) apply(e.question);
      break;
    case "answer":
      apply({ ...e.question, status: "answered", answer: e.answer });
      break;
    case "presence":
      viewers = e.viewers;
      showViewers(viewers);
      break;
    case "queue_stats":
      stats = e;
      showStats();
      break;
  }
}

/** The notice's text, kept as a function so a language switch can redo it. @type {(() => string) | null} */
let noticeText = null;
/** @param {(() => string) | null} make */
function notice(make) {
  noticeText = make;
  showNotice(make ? make() : "");
}

/** @param {string} status @param {{ code?: number, reason?: string }} [detail] */
function onStatus(status, detail) {
  connection = status;
  showConnection(status);
  if (status === "live") notice(null);
  else if (status === "offline") notice(() => offlineText(detail));
}

function rerender() {
  queue.rerender();
  composer.rerender();
  for (const id of answeredRows.keys()) showAnswered(known.get(id));
  showStats();
  showViewers(viewers);
  showState(state);
  showConnection(connection);
  notice(noticeText); // redone in the new language, not cleared
}

async function main() {
  await load();
  languageSwitch($("language"), rerender);
  if (!token) {
    notice(() => t("error.missing_token"));
    showConnection("offline");
    return;
  }
  try {
    const [list, figures] = await Promise.all([api.get("/questions"), api.get("/questions/stats")]);
    stats = figures;
    showStats();
    const qs = list.questions.filter((/** @type {any} */ q) => VISIBLE.includes(q.status));
    for (const q of qs) known.set(q.id, q);
    queue.load(qs.filter((/** @type {any} */ q) => q.status === "approved"));
    const answered = qs.filter((/** @type {any} */ q) => q.status === "answered" && q.answer);
    answered.sort((/** @type {any} */ a, /** @type {any} */ b) => (a.answer.ts < b.answer.ts ? -1 : 1));
    for (const q of answered) showAnswered(q);
    const current = qs.find((/** @type {any} */ q) => q.status === "answering");
    setNow(current || null);
    document.body.dataset.ready = "1";
    follow({
      slug,
      ticket: async () => (await api.post("/tickets")).ticket,
      staff: true,
      onEvent,
      onStatus,
    });
  } catch (err) {
    notice(() => errorText(err));
    connection = "offline";
    showConnection(connection);
  }
}

main();
