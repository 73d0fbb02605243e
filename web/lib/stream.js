// @ts-check
// Following a session: a single-use ticket per connection (when the page
// holds a token), WebSocket with a fallback to Server-Sent Events, resume
// with `since` (and `staff_since` on staff streams), de-duplication by seq,
// backoff with jitter, and the close codes of the protocol.

/**
 * Every event type the server pushes. A test in the server's suite compares
 * this list with the protocol's, so the two cannot drift apart silently.
 */
export const EVENT_TYPES = Object.freeze([
  "update",
  "update_edited",
  "update_retracted",
  "session_state",
  "answer",
  "hello",
  "presence",
  "question_counts",
  "now_answering",
  "question_published",
  "questions_published",
  "question_withdrawn",
  "question_votes",
  "vote_counts",
  "question",
  "held",
  "held_resolved",
  "queue_stats",
  "staff_presence",
  "my_question",
]);

/** Close codes (see the protocol). */
export const CLOSE = Object.freeze({
  RESTART: 1012, // the server restarts: reconnect with since
  POLICY: 1008, // far too many messages from this client: stop
  BAD_TICKET: 4001, // ticket invalid, used or expired, or token rotated
  STALLED: 4008, // fell behind: reconnect with since
});

/**
 * @typedef {"connecting" | "live" | "reconnecting" | "offline"} Status
 * @typedef {{
 *   slug: string,
 *   ticket?: () => Promise<string | null>,
 *   onEvent: (event: any) => void,
 *   onStatus?: (status: Status, detail?: { code?: number, reason?: string }) => void,
 *   staff?: boolean,
 *   name?: string,
 * }} StreamOptions
 */

/**
 * Opens and keeps open a session's stream. Each event reaches `onEvent`
 * once, in order, across reconnects. Returns a handle to stop it.
 * @param {StreamOptions} opts
 */
export function follow(opts) {
  let since = 0;
  let staffSince = 0;
  let epoch = /** @type {string | null} */ (null);
  let wsFailures = 0;
  let attempt = 0;
  let stopped = false;
  let timer = 0;
  /** @type {WebSocket | EventSource | null} */
  let current = null;
  const status = opts.onStatus || (() => {});

  /** @param {any} e */
  function deliver(e) {
    if (!e || typeof e.type !== "string") return;
    if (e.type === "hello") {
      if (epoch && e.epoch !== epoch) {
        // The server's sequences were reset: start the history over.
        since = 0;
        staffSince = 0;
      }
      epoch = e.epoch;
    }
    if (typeof e.seq === "number") {
      if (e.seq <= since) return;
      since = e.seq;
    }
    if (typeof e.staff_seq === "number") {
      if (e.staff_seq <= staffSince) return;
      staffSince = e.staff_seq;
    }
    if (!EVENT_TYPES.includes(e.type)) return;
    opts.onEvent(e);
  }

  /** @param {string} scheme @param {string | null} ticket */
  function url(scheme, ticket) {
    const q = new URLSearchParams({ since: String(since) });
    if (opts.staff) q.set("staff_since", String(staffSince));
    if (ticket) q.set("ticket", ticket);
    if (opts.name) q.set("name", opts.name);
    return scheme + "//" + location.host + "/api/sessions/" + encodeURIComponent(opts.slug) + "/stream?" + q;
  }

  /** @param {{ code?: number, reason?: string }} [why] */
  function later(why) {
    current = null;
    if (stopped) return;
    status("reconnecting", why);
    // Exponential backoff with full jitter: 0.5 s doubling to 15 s, so a
    // theatre full of phones does not come back all in the same instant.
    const cap = Math.min(15000, 500 * 2 ** attempt);
    attempt += 1;
    timer = window.setTimeout(connect, cap / 2 + Math.random() * (cap / 2));
  }

  function opened() {
    attempt = 0;
    status("live");
  }

  async function connect() {
    if (stopped) return;
    let ticket = null;
    try {
      ticket = opts.ticket ? await opts.ticket() : null;
    } catch (e) {
      const err = /** @type {any} */ (e);
      if (err && (err.status === 401 || err.status === 403 || err.status === 404)) {
        status("offline", { reason: err.reason });
        return;
      }
      return later({ reason: err && err.reason });
    }
    if (stopped) return;
    if (wsFailures >= 3 && typeof EventSource !== "undefined") return openSse(ticket);
    const ws = new WebSocket(url(location.protocol === "https:" ? "wss:" : "ws:", ticket));
    current = ws;
    let wasOpen = false;
    ws.onopen = () => {
      wasOpen = true;
      wsFailures = 0;
      opened();
    };
    ws.onmessage = (m) => deliver(parse(m.data));
    ws.onclose = (c) => {
      if (current !== ws) return;
      if (!wasOpen) wsFailures += 1;
      if (c.code === CLOSE.POLICY) {
        current = null;
        status("offline", { code: c.code });
        return;
      }
      later({ code: c.code });
    };
  }

  /** @param {string | null} ticket */
  function openSse(ticket) {
    const source = new EventSource(url(location.protocol, ticket));
    current = source;
    source.onopen = opened;
    source.onmessage = (m) => deliver(parse(m.data));
    source.onerror = () => {
      if (current !== source) return;
      // A ticket works once, so EventSource's own retry would fail: open
      // a new stream with since and a fresh ticket after a backoff.
      source.close();
      later();
    };
  }

  status("connecting");
  connect();
  return {
    /** Stops following and closes the connection. */
    stop() {
      stopped = true;
      window.clearTimeout(timer);
      if (current) current.close();
      current = null;
    },
    /** Drops the connection now and resumes (used when the page comes back online). */
    reconnect() {
      window.clearTimeout(timer);
      if (current) current.close();
      current = null;
      attempt = 0;
      connect();
    },
  };
}

/** @param {any} data */
function parse(data) {
  try {
    return JSON.parse(String(data));
  } catch {
    return null;
  }
}
