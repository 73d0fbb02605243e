// @ts-check
// Small DOM helpers shared by every page, and the tab's hold on tokens.

/**
 * The element with this id (a page's own markup: missing means a bug).
 * @param {string} id
 * @returns {any}
 */
export function $(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error("missing #" + id);
  return el;
}

/**
 * Makes an element: `el("li", {class: "x"}, "text", child)`. Attributes
 * starting with "on" are listeners; text is always text, never HTML.
 * @param {string} tag
 * @param {Record<string, any> | null} [attrs]
 * @param {...(Node | string | number | null | undefined | false)} children
 * @returns {any}
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(typeof c === "number" ? String(c) : c);
  }
  return node;
}

/** The session's slug: the second part of /s/{slug}/... */
export function slugFromPath() {
  return decodeURIComponent(location.pathname.split("/")[2] || "");
}

/**
 * A token handed over in the link's fragment (#token=…), moved into this
 * tab's storage and out of the address bar at once, so it never appears in
 * a request line, a log or a Referer. Returns the tab's token, if any.
 * @param {string} key storage key
 * @param {string} [param] the fragment's parameter
 */
export function tabToken(key, param = "token") {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const given = fragment.get(param);
  if (given) {
    store(key, given);
    fragment.delete(param);
    const rest = fragment.toString();
    history.replaceState(null, "", location.pathname + location.search + (rest ? "#" + rest : ""));
  }
  return stored(key) ?? given;
}

/**
 * @typedef {"session" | "local"} Area the tab's storage (tokens, votes)
 *   or the browser's (choices remembered across visits)
 */

/** @param {Area} area */
function areaOf(area) {
  return area === "local" ? localStorage : sessionStorage;
}

/**
 * A stored value, or null (also when storage is off, as in some private
 * browsing modes).
 * @param {string} key
 * @param {Area} [area]
 */
export function stored(key, area = "session") {
  try {
    return areaOf(area).getItem(key);
  } catch {
    return null;
  }
}

/**
 * Stores a value (null removes it); with storage off it lasts this page.
 * @param {string} key
 * @param {string | null} value
 * @param {Area} [area]
 */
export function store(key, value, area = "session") {
  try {
    if (value === null) areaOf(area).removeItem(key);
    else areaOf(area).setItem(key, value);
  } catch {
    /* storage off */
  }
}

/**
 * Copies text, and says so in the button for a moment.
 * @param {HTMLButtonElement} button
 * @param {string} text
 * @param {string} done the button's text while it says "copied"
 */
export async function copy(button, text, done) {
  const before = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = done;
  } catch {
    window.prompt("", text);
  }
  setTimeout(() => (button.textContent = before), 1500);
}
