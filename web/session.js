// The live timeline of one session. Follows the stream over WebSocket and,
// after a drop, reconnects with ?since=<last seq> so nothing is missed or
// shown twice. Falls back to Server-Sent Events if WebSockets keep failing.
(function () {
  "use strict";
  const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
  // A private session's join code comes in the link's fragment (never sent
  // in a request line); it is traded once for a viewer token, kept in this
  // tab, and streams are opened with single-use tickets. ?code= still works.
  const fragment = new URLSearchParams(location.hash.slice(1));
  const code = fragment.get("code") || new URLSearchParams(location.search).get("code");
  const tokenKey = "gallery-viewer:" + slug;
  let token = sessionStorage.getItem(tokenKey);
  const $ = (id) => document.getElementById(id);
  const timeline = $("timeline");
  const items = new Map();
  let lastSeq = 0;
  let startedAt = null;
  let wsFailures = 0;
  let retry = 500;

  function pad(n) { return String(n).padStart(2, "0"); }
  function elapsed(ms) {
    const s = Math.floor(ms / 1000);
    const h = Math.floor(s / 3600);
    return (h ? h + ":" + pad(Math.floor(s / 60) % 60) : Math.floor(s / 60)) + ":" + pad(s % 60);
  }
  function localTime(ts) {
    return new Date(ts).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }
  function setConnection(text, ok) {
    const el = $("connection");
    el.textContent = text;
    el.className = "pill" + (ok ? " live" : " offline");
  }
  function setState(state) {
    const el = $("state");
    el.textContent = state;
    el.className = "pill" + (state === "live" ? " live" : "");
  }

  function renderUpdate(u, li) {
    li = li || document.createElement("li");
    li.className = u.retracted ? "retracted" : "";
    const when = document.createElement("div");
    when.className = "when";
    const time = document.createElement("time");
    time.dateTime = u.ts;
    time.textContent = localTime(u.ts);
    when.append(time);
    if (u.elapsed_ms != null) when.append("+" + elapsed(u.elapsed_ms));
    if (u.phase) { const p = document.createElement("span"); p.className = "phase"; p.textContent = u.phase; when.append(p); }
    if (u.edited_at) when.append("(edited)");
    if (u.retracted) when.append("(retracted by the narrator)");
    const text = document.createElement("p");
    text.className = "text";
    text.textContent = u.text;
    li.replaceChildren(when, text);
    return li;
  }

  function stateLine(e) {
    const li = document.createElement("li");
    li.className = "state";
    li.textContent = localTime(e.ts) + " · session is now " + e.state;
    return li;
  }

  function add(li) {
    timeline.prepend(li);
    $("empty").hidden = true;
  }

  function handle(e) {
    if (e.seq) {
      if (e.seq <= lastSeq) return;
      lastSeq = e.seq;
    }
    switch (e.type) {
      case "hello":
        document.title = e.session.title + " · Gallery";
        $("title").textContent = e.session.title;
        $("hashtag").textContent = e.session.hashtag ? "#" + e.session.hashtag : "";
        $("description").textContent = e.session.description || "";
        $("viewers").textContent = e.session.viewers + " watching";
        setState(e.session.state);
        startedAt = e.session.started_at;
        $("empty").hidden = e.head > 0 || timeline.children.length > 0;
        break;
      case "update":
        { const li = renderUpdate(e.update); items.set(e.update.id, li); add(li); }
        break;
      case "update_edited":
        { const li = items.get(e.update.id); if (li) renderUpdate(e.update, li); }
        break;
      case "update_retracted":
        { const li = items.get(e.update_id); if (li && !li.classList.contains("retracted")) { li.classList.add("retracted"); li.querySelector(".text").textContent = ""; li.querySelector(".when").append("(retracted by the narrator)"); } }
        break;
      case "session_state":
        setState(e.state);
        add(stateLine(e));
        break;
      case "presence":
        $("viewers").textContent = e.viewers + " watching";
        break;
    }
  }

  function streamUrl(scheme, ticket) {
    const q = new URLSearchParams({ since: String(lastSeq) });
    if (ticket) q.set("ticket", ticket);
    return scheme + "//" + location.host + "/api/sessions/" + encodeURIComponent(slug) + "/stream?" + q;
  }

  function api(path, method, body) {
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = "Bearer " + token;
    return fetch("/api/sessions/" + encodeURIComponent(slug) + path, {
      method: method || "GET", headers, body: body ? JSON.stringify(body) : undefined,
    });
  }

  function forgetToken() {
    token = null;
    sessionStorage.removeItem(tokenKey);
  }

  // A single-use ticket for the next stream, when this tab holds a token.
  // A token the server no longer knows is dropped, and the join code (if
  // the link had one) is traded again.
  function ticket() {
    if (!token) return Promise.resolve(null);
    return api("/tickets", "POST", {}).then((r) => {
      if (r.status === 401 || r.status === 404) {
        forgetToken();
        return join().then(() => (token ? ticket() : null));
      }
      return r.ok ? r.json().then((t) => t.ticket || null) : null;
    });
  }

  function reconnectLater(why) {
    setConnection("reconnecting…", false);
    if (why) { $("notice").textContent = why; $("notice").hidden = false; }
    setTimeout(connect, retry + Math.random() * retry);
    retry = Math.min(retry * 2, 15000);
  }

  function connectSse(t) {
    const source = new EventSource(streamUrl(location.protocol, t));
    source.onopen = () => { setConnection("live", true); $("notice").hidden = true; retry = 500; };
    source.onmessage = (m) => handle(JSON.parse(m.data));
    source.onerror = () => {
      setConnection("reconnecting…", false);
      // A ticket works once, so EventSource's own retry (same URL) would
      // fail: close it and open a new stream with since and a new ticket,
      // after a backoff. Without a ticket its own retry is fine, unless it
      // gave up on an error answer (429, 503 in a reconnect storm).
      if (t || source.readyState === EventSource.CLOSED) { source.close(); reconnectLater(null); }
    };
  }

  function connect() {
    ticket().then(open, () => open(null));
  }

  function open(t) {
    if (wsFailures >= 3) return connectSse(t);
    const ws = new WebSocket(streamUrl(location.protocol === "https:" ? "wss:" : "ws:", t));
    let opened = false;
    ws.onopen = () => { opened = true; wsFailures = 0; retry = 500; setConnection("live", true); $("notice").hidden = true; };
    ws.onmessage = (m) => handle(JSON.parse(m.data));
    ws.onclose = (c) => {
      if (!opened) wsFailures += 1;
      if (c.code === 1008) return reconnectLater("Access was refused; reload the page.");
      reconnectLater(c.code === 4008 ? "Your connection fell behind; catching up…" : null);
    };
  }

  // Trade a join code for this tab's viewer token, once. Many viewers
  // behind one hospital address may be asked to wait a moment (429).
  function join() {
    if (!code || token) return Promise.resolve();
    return api("/viewers", "POST", { join_code: code }).then((r) => {
      if (r.status === 429) {
        const wait = Number(r.headers.get("Retry-After")) || 5;
        $("notice").textContent = "Many people are joining; retrying in " + wait + " s…";
        $("notice").hidden = false;
        return new Promise((done) => setTimeout(done, wait * 1000)).then(join);
      }
      if (!r.ok) throw new Error("Joining failed (the server answered " + r.status + "); check the link and reload.");
      return r.json().then((j) => {
        token = j.token;
        sessionStorage.setItem(tokenKey, token);
        history.replaceState(null, "", location.pathname + location.search);
      });
    });
  }

  // The session, with this tab's token; a stale token is dropped once.
  function loadSession() {
    return api("").then((r) => {
      if (r.status === 404 && token) {
        forgetToken();
        return join().then(() => api(""));
      }
      return r;
    });
  }

  join()
    .then(loadSession)
    .then((r) => {
      if (r.status === 404) throw new Error("This session does not exist, or it is private and the link lacks its join code.");
      if (!r.ok) throw new Error("The server answered " + r.status + ". Reload to try again.");
      return connect();
    })
    .catch((e) => { $("title").textContent = "Session unavailable"; $("notice").textContent = e.message; $("notice").hidden = false; setConnection("offline", false); });
})();
