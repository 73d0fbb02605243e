// The session list: live sessions first, then scheduled, paused and ended.
(function () {
  "use strict";
  const order = { live: 0, paused: 1, scheduled: 2, ended: 3 };
  const list = document.getElementById("sessions");
  const status = document.getElementById("status");

  function row(s) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = "/s/" + encodeURIComponent(s.slug);
    a.textContent = s.title;
    const state = document.createElement("span");
    state.className = "pill" + (s.state === "live" ? " live" : "");
    state.textContent = s.state;
    const info = document.createElement("div");
    info.className = "muted";
    info.textContent = (s.hashtag ? "#" + s.hashtag + " · " : "") + s.viewers + " watching · " + s.head + " events";
    li.append(a, " ", state, info);
    return li;
  }

  fetch("/api/sessions")
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status))))
    .then((body) => {
      const sessions = body.sessions.sort((a, b) => order[a.state] - order[b.state]);
      list.replaceChildren(...sessions.map(row));
      status.textContent = sessions.length ? "" : "No public sessions yet.";
    })
    .catch((e) => { status.textContent = "Could not load sessions (" + e.message + "). Reload to try again."; });
})();
