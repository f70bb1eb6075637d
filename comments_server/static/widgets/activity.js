// Helpers the activity widgets share (read, plan, presentation, reflection, progress): the
// activity stylesheet, API paths, the sign-in prompt, load errors, status lines and busy().
// Apart from plan.js, so that a page without a plan never loads the planning widget.

import {ApiError} from "../api.js";
import {focusOn, h, replace, setServerHtml, uid} from "../dom.js";

export const MARKDOWN_HINT = "Markdown works: **bold**, _italic_, `code`, [a link](https://…), - lists.";

/** Load the activity widgets' stylesheet once (roundtable.css covers the thread). */
export function ensureStyles() {
  if (document.querySelector("link[data-rt-activities]")) return;
  document.head.append(h("link", {rel: "stylesheet", href: new URL("./activities.css", import.meta.url).href,
    "data-rt-activities": "yes"}));
}

/** The API path of an activity id (slashes kept, each part encoded). */
export function activityPath(id, suffix) {
  return `api/activities/${id.split("/").map(encodeURIComponent).join("/")}/${suffix}`;
}

/** Replace element with a sign-in prompt for `what`. */
export function showSignIn(element, site, what) {
  replace(element, h("div", {class: "rt-card rt-signin-prompt"},
    h("p", {}, h("a", {class: "md-button md-button--primary", href: site.signinUrl()}, `Sign in to ${what}`)),
    h("p", {class: "rt-muted"}, "We email you a sign-in link; no password needed.")));
}

/** Replace element with the right message for a failed load, and a retry button. */
export function showLoadError(element, error, retry, what) {
  if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
    return replace(element, h("div", {class: "rt-card"}, h("p", {class: "rt-muted"},
      `There is no ${what} for you here: it is for the members of this program's cohorts.`)));
  }
  const again = h("button", {type: "button", class: "md-button", onClick: retry}, "Try again");
  replace(element, h("div", {class: "rt-card rt-error", role: "alert"},
    h("p", {}, error instanceof ApiError && error.unreachable
      ? `The Roundtable server can't be reached right now, so the ${what} cannot be shown.`
      : (error instanceof ApiError ? error.message : `The ${what} could not be loaded.`)),
    h("p", {}, again)));
}

/** A status line for a form: a polite live region that can take focus after its form was redrawn. */
export function statusLine() {
  return h("p", {class: "rt-status", role: "status", "aria-live": "polite", tabindex: "-1"});
}

/** Say `message` in a status line and move focus there (the button that had it was just redrawn). */
export function announce(status, message) {
  if (!status) return;
  status.textContent = message;
  focusOn(status);
}

/** Run a write; on failure say why (typed text stays) and re-enable the button. */
export async function busy(button, status, work) {
  button.disabled = true;
  status.textContent = "";
  status.classList.remove("rt-status--error");
  status.setAttribute("role", "status");
  try {
    await work();
  } catch (error) {
    status.classList.add("rt-status--error");
    status.setAttribute("role", "alert");
    status.textContent = error instanceof ApiError ? error.message : "Something went wrong; your text is kept.";
  } finally {
    button.disabled = false;
  }
}

/** A labelled Markdown textarea: returns {field, textarea}. */
export function markdownField(label, value = "", rows = 5) {
  const id = uid("rt-text");
  const hintId = uid("rt-hint");
  const textarea = h("textarea", {id, rows, value, "aria-describedby": hintId});
  const field = h("div", {class: "rt-field"},
    h("label", {for: id, class: "rt-label"}, label), textarea,
    h("p", {class: "rt-hint", id: hintId}, MARKDOWN_HINT));
  return {field, textarea};
}

/** A labelled <select> of whole numbers low..high: returns {field, select}. */
export function numberSelect(label, low, high, value = "") {
  const id = uid("rt-num");
  const select = h("select", {id},
    h("option", {value: "", selected: value === ""}, "Choose…"),
    Array.from({length: high - low + 1}, (_, i) => low + i)
      .map((n) => h("option", {value: String(n), selected: Number(value) === n}, String(n))));
  return {field: h("div", {class: "rt-field rt-field--inline"}, h("label", {for: id, class: "rt-label"}, label), select), select};
}

/** Sanitised server HTML in a block. */
export function serverBlock(html, cls = "rt-body") {
  return setServerHtml(h("div", {class: cls}), html);
}

/** A small text badge. */
export function badge(text, kind = "") {
  return h("span", {class: ["rt-badge", kind && `rt-badge--${kind}`]}, text);
}
