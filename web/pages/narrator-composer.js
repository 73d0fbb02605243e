// @ts-check
// The narrator's composer: the phase (typed, or one of the quick phases),
// quick texts, the text with its live privacy preview, and posting. A post
// carries a client_id kept for a retry with the same text and phase, so a
// narrator on bad Wi-Fi can press Post again and it never posts twice.

import { clientId } from "../lib/api.js";
import { $, el } from "../lib/dom.js";
import { errorText, t, time } from "../lib/i18n.js";
import { livePreview } from "../lib/findings.js";
import { showFindings } from "./narrator-findings.js";

const PHASES = ["preparation", "exposure", "resection", "implantation", "closure"];
const TEMPLATES = ["incision", "haemostasis", "closing", "pausing"];

/**
 * Wires the composer's markup (ids text, phase, post, findings, …).
 * @param {{
 *   api: ReturnType<typeof import("../lib/api.js").sessionApi>,
 *   timeline: import("../lib/timeline.js").Timeline,
 *   show: (elem: HTMLElement, make: (() => string) | null) => void,
 *   ended: () => boolean,
 * }} deps
 */
export function setupComposer(deps) {
  /** The post being sent or to retry: the same client_id while text and phase stay the same. */
  let pending = /** @type {{ text: string, phase: string, client_id: string } | null} */ (null);
  /** The phase the stream last suggested (the field follows it until the narrator types one). */
  let suggestedPhase = "";
  /** What the preview shows, to redo its words after a language switch. */
  let shown = { text: "", screened: /** @type {any} */ (null) };

  const textArea = /** @type {HTMLTextAreaElement} */ ($("text"));
  const phaseInput = /** @type {HTMLInputElement} */ ($("phase"));
  const findingParts = { box: $("findings"), verdict: $("findings-verdict"), text: $("findings-text") };

  const preview = livePreview(
    (text) => deps.api.post("/screen", { text }),
    (text, screened) => showPreview(text, screened),
  );

  /** @param {string} text @param {any} screened */
  function showPreview(text, screened) {
    shown = { text, screened };
    showFindings(findingParts, text, screened);
  }

  /** Quick phase and template buttons, and the phase list, in the current language. */
  function renderQuick() {
    const current = phaseInput.value.trim();
    $("phase-buttons").replaceChildren(
      ...PHASES.map((p) => {
        const label = t("narrator.phase." + p);
        return el("button", {
          type: "button",
          class: "quick-phase",
          id: "phase-" + p,
          "aria-pressed": String(label === current),
          onclick: () => setPhase(label),
        }, label);
      }),
    );
    $("phases").replaceChildren(...PHASES.map((p) => el("option", { value: t("narrator.phase." + p) })));
    $("templates").replaceChildren(
      ...TEMPLATES.map((k) =>
        el("button", { type: "button", class: "template", id: "template-" + k, onclick: () => useTemplate(t("narrator.template." + k)) },
          t("narrator.template." + k)),
      ),
    );
  }

  /** @param {string} phase */
  function setPhase(phase) {
    if (phase !== suggestedPhase) suggestedPhase = "";
    phaseInput.value = phase;
    markPhase();
  }

  function markPhase() {
    const current = phaseInput.value.trim();
    for (const b of $("phase-buttons").querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.textContent === current));
  }

  /** @param {string} words */
  function useTemplate(words) {
    const before = textArea.value.trimEnd();
    textArea.value = before ? before + " " + words : words;
    textArea.focus();
    textArea.setSelectionRange(textArea.value.length, textArea.value.length);
    textChanged();
  }

  /** The phase field follows the latest update's phase until the narrator types one. @param {string | undefined} phase */
  function followPhase(phase) {
    if (!phase) return;
    const value = phaseInput.value.trim();
    if (value && value !== suggestedPhase) return;
    suggestedPhase = phase;
    setPhase(phase);
  }

  function textChanged() {
    $("hold-actions").hidden = true;
    preview.changed(textArea.value);
  }

  let sending = false;

  /** @param {boolean} confirmed */
  async function post(confirmed) {
    if (sending) return;
    const text = textArea.value.trim();
    const phase = phaseInput.value.trim();
    if (!text) {
      deps.show($("composer-status"), () => t("error.empty_text"));
      textArea.focus();
      return;
    }
    if (!pending || pending.text !== text || pending.phase !== phase) pending = { text, phase, client_id: clientId() };
    /** @type {Record<string, any>} */
    const body = { text, client_id: pending.client_id };
    if (phase) body.phase = phase;
    if (confirmed) body.confirm = true;
    sending = true;
    $("post").disabled = true;
    $("confirm-post").disabled = true;
    deps.show($("composer-status"), () => t("narrator.posting"));
    try {
      const res = await deps.api.post("/updates", body);
      pending = null;
      // Words typed while the post was on its way stay in the box.
      if (textArea.value.trim() === text) {
        textArea.value = "";
        preview.reset();
        showPreview("", null);
      }
      $("hold-actions").hidden = true;
      if (res.held) {
        deps.show($("composer-status"), () => t("narrator.held_wait"));
      } else {
        const at = res.update.ts;
        deps.show($("composer-status"), () => t("narrator.posted", { time: time(at) }));
        deps.timeline.apply({ type: "update", seq: res.seq, ts: res.update.ts, update: res.update }, false);
      }
    } catch (e) {
      const err = /** @type {any} */ (e);
      if (err.reason === "screening_hold" || err.reason === "screening_blocked") {
        const hold = err.reason === "screening_hold";
        preview.reset();
        showPreview(text, { verdict: hold ? "hold" : "block", flags: (err.detail && err.detail.flags) || [] });
        deps.show($("hold-message"), () => errorText(err) + (hold ? "" : " " + t("narrator.blocked_hint")));
        $("confirm-post").hidden = !hold;
        $("hold-actions").hidden = false;
        deps.show($("composer-status"), null);
      } else {
        const retry = err.status === 0 || err.status >= 500;
        deps.show($("composer-status"), () => errorText(err) + (retry ? " " + t("narrator.retry_hint") : ""));
        if (!retry) pending = null;
      }
    } finally {
      sending = false;
      $("post").disabled = deps.ended();
      $("confirm-post").disabled = false;
    }
    if (!$("hold-actions").hidden) ($("confirm-post").hidden ? $("hold-edit") : $("confirm-post")).focus();
    else textArea.focus();
  }

  $("composer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    post(false);
  });
  $("confirm-post").addEventListener("click", () => post(true));
  $("hold-edit").addEventListener("click", () => {
    $("hold-actions").hidden = true;
    textArea.focus();
  });
  textArea.addEventListener("input", textChanged);
  textArea.addEventListener("keydown", (ev) => {
    // Enter posts; Shift+Enter is a new line; an input method composing (Chinese, say) keeps its Enter.
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing && ev.keyCode !== 229) {
      ev.preventDefault();
      $("composer").requestSubmit();
    }
  });
  phaseInput.addEventListener("input", () => {
    suggestedPhase = "";
    markPhase();
  });
  phaseInput.addEventListener("keydown", (ev) => {
    // Enter in the phase field moves on to the text rather than posting.
    if (ev.key === "Enter" && !ev.isComposing && ev.keyCode !== 229) {
      ev.preventDefault();
      textArea.focus();
    }
  });

  return {
    followPhase,
    /** Redoes the words after a language switch. */
    rerender() {
      renderQuick();
      if (shown.screened) showFindings(findingParts, shown.text, shown.screened);
    },
  };
}
