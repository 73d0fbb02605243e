// The staff console behind an invite link (/s/<slug>/<role>#token=...).
// The token is kept in this tab's sessionStorage and removed from the address
// bar at once. The page follows the stream with a single-use ticket; a
// narrator also gets the state controls and the composer (each post carries
// a client_id, so a retry after a network error never posts twice).
(function () {
  "use strict";
  const parts = location.pathname.split("/");
  const slug = decodeURIComponent(parts[2] || "");
  const $ = (id) => document.getElementById(id);
  const key = "gallery-token:" + slug + ":" + parts[3];
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem(key, fromHash);
    history.replaceState(null, "", location.pathname + location.search);
  }
  const token = sessionStorage.getItem(key);
  const api = "/api/sessions/" + encodeURIComponent(slug);
  const items = new Map();
  let lastSeq = 0;
  let retry = 500;

  function notice(text) { $("notice").textContent = text; $("notice").hidden = !text; }
  function setConnection(text, ok) { $("connection").textContent = text; $("connection").className = "pill" + (ok ? " live" : " offline"); }

  async function call(method, path, body) {
    const res = await fetch(api + path, {
      method,
      headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((data.error && data.error.message) || "The server answered " + res.status);
    return data;
  }

  function localTime(ts) { return new Date(ts).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }); }

  function setState(state) {
    $("state").textContent = state;
    $("state").className = "pill" + (state === "live" ? " live" : "");
    $("go-live").textContent = state === "paused" ? "Resume" : "Go live";
    $("go-live").disabled = state === "live" || state === "ended";
    $("pause").disabled = state !== "live";
    $("end").disabled = state === "ended";
    $("post").disabled = state === "ended";
  }

  function render(u, li, narrator) {
    li = li || document.createElement("li");
    li.className = u.retracted ? "retracted" : "";
    const when = document.createElement("div");
    when.className = "when";
    when.append(localTime(u.ts));
    if (u.phase) { const p = document.createElement("span"); p.className = "phase"; p.textContent = u.phase; when.append(p); }
    if (u.edited_at) when.append("(edited)");
    if (u.retracted) when.append("(retracted)");
    const text = document.createElement("p");
    text.className = "text";
    text.textContent = u.text;
    li.replaceChildren(when, text);
    if (narrator && !u.retracted) {
      const actions = document.createElement("div");
      actions.className = "actions";
      const edit = document.createElement("button");
      edit.type = "button"; edit.textContent = "Edit";
      edit.onclick = async () => {
        const next = prompt("Correct the update:", u.text);
        if (next && next.trim() && next !== u.text) {
          try { await call("PATCH", "/updates/" + u.id, { text: next }); } catch (e) { notice(e.message); }
        }
      };
      const retract = document.createElement("button");
      retract.type = "button"; retract.textContent = "Retract";
      retract.onclick = async () => {
        if (confirm("Retract this update for every viewer?")) {
          try { await call("DELETE", "/updates/" + u.id); } catch (e) { notice(e.message); }
        }
      };
      actions.append(edit, retract);
      li.append(actions);
    }
    return li;
  }

  let narrator = false;
  function handle(e) {
    if (e.seq) { if (e.seq <= lastSeq) return; lastSeq = e.seq; }
    if (e.type === "hello") {
      narrator = e.role === "narrator";
      $("title").textContent = e.session.title;
      document.title = e.session.title + " · Gallery console";
      $("role").textContent = e.role;
      $("viewers").textContent = e.session.viewers + " watching";
      $("narrator").hidden = !narrator;
      $("staff-note").hidden = narrator;
      setState(e.session.state);
    } else if (e.type === "update") {
      const li = render(e.update, null, narrator); items.set(e.update.id, li); $("timeline").prepend(li);
    } else if (e.type === "update_edited") {
      const li = items.get(e.update.id); if (li) render(e.update, li, narrator);
    } else if (e.type === "update_retracted") {
      const li = items.get(e.update_id); if (li) { li.classList.add("retracted"); li.querySelector(".text").textContent = ""; const a = li.querySelector(".actions"); if (a) a.remove(); }
    } else if (e.type === "session_state") {
      setState(e.state);
    } else if (e.type === "presence") {
      $("viewers").textContent = e.viewers + " watching";
    }
  }

  async function connect() {
    try {
      const { ticket } = await call("POST", "/tickets");
      const scheme = location.protocol === "https:" ? "wss:" : "ws:";
      const ws = new WebSocket(scheme + "//" + location.host + api + "/stream?since=" + lastSeq + "&ticket=" + ticket);
      ws.onopen = () => { setConnection("connected", true); retry = 500; };
      ws.onmessage = (m) => handle(JSON.parse(m.data));
      ws.onclose = () => { setConnection("reconnecting…", false); setTimeout(connect, retry); retry = Math.min(retry * 2, 15000); };
    } catch (e) {
      setConnection("offline", false);
      notice(e.message);
      if (!/token/.test(e.message)) { setTimeout(connect, retry); retry = Math.min(retry * 2, 15000); }
    }
  }

  for (const button of document.querySelectorAll("[data-state]")) {
    button.onclick = async () => {
      if (button.dataset.state === "ended" && !confirm("End the session for everyone? This cannot be undone.")) return;
      try { setState((await call("POST", "/state", { state: button.dataset.state })).state); notice(""); } catch (e) { notice(e.message); }
    };
  }

  let pending = null;
  $("composer").onsubmit = async (event) => {
    event.preventDefault();
    const text = $("text").value.trim();
    if (!text) return;
    pending = pending || { text, phase: $("phase").value.trim() || undefined, client_id: crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random() };
    $("post").disabled = true;
    try {
      await call("POST", "/updates", pending);
      pending = null;
      $("text").value = "";
      $("sent").textContent = "Posted " + new Date().toLocaleTimeString();
      notice("");
    } catch (e) {
      notice(e.message + " Press Post again to retry; it will not post twice.");
    } finally {
      $("post").disabled = false;
      $("text").focus();
    }
  };
  $("text").oninput = () => { pending = null; };
  $("phase").oninput = () => { pending = null; };
  $("text").onkeydown = (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) $("composer").requestSubmit(); };

  if (!token) {
    $("title").textContent = "No access token";
    notice("Open this console from the invite link you were given (it ends in #token=…).");
    setConnection("offline", false);
  } else {
    connect();
  }
})();
