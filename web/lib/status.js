// @ts-check
// The status parts every session page shares: the header's pills (the
// session's state, the audience, the connection), the #notice line, the
// #announcer live region, and what to say when the stream gives up.

import { $ } from "./dom.js";
import { errorText, has, t } from "./i18n.js";

/**
 * Sets a text only when it changed, so a live region is not re-announced
 * at every presence tick.
 * @param {HTMLElement} elem
 * @param {string} text
 */
export function setText(elem, text) {
  if (elem.textContent !== text) elem.textContent = text;
}

/** The page's #notice line (role="alert"), hidden when empty. @param {string} text */
export function showNotice(text) {
  const notice = $("notice");
  setText(notice, text);
  notice.hidden = !text;
}

/**
 * Says something through the #announcer live region. Always rewritten, so
 * the same message twice in a row is announced twice.
 * @param {string} text
 */
export function announce(text) {
  $("announcer").textContent = text;
}

/** The #state pill: the session's state, hidden while there is none. @param {string | null | undefined} state */
export function showState(state) {
  const pill = $("state");
  pill.hidden = !state;
  setText(pill, state ? t("state." + state) : "");
  pill.className = "pill" + (state === "live" ? " live" : "");
}

/** The #viewers count; empty while unknown. @param {number | null | undefined} count */
export function showViewers(count) {
  setText($("viewers"), count === null || count === undefined ? "" : t("common.viewers", { count }));
}

/** The #connection pill (role="status"). @param {string} status a stream Status */
export function showConnection(status) {
  const pill = $("connection");
  setText(pill, t("connection." + status));
  pill.className = "pill " + status;
}

/**
 * What to tell when the stream went offline for good: too many messages
 * (close 1008), the refusal's own reason when it has a translation, else
 * that the connection was refused.
 * @param {{ code?: number, reason?: string } | null | undefined} why
 */
export function offlineText(why) {
  if (why && why.code === 1008) return t("connection.too_many");
  if (why && why.reason && has("error." + why.reason)) return errorText(why);
  return t("connection.refused");
}
