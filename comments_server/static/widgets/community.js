// What the forum, blog, wiki and ask-the-author widgets share: their stylesheet,
// the sign-in and unreachable states, URL state in the query string (so a view
// survives a reload and can be shared), and CommunityThread, the roundtable's
// comment view pointed at a topic's, post's or question's thread.

import {ApiError} from "../api.js";
import {h, replace} from "../dom.js";
import {ThreadView} from "./thread.js";

const CSS = new URL("../community.css", import.meta.url).href;

/** Load community.css once per page. */
export function ensureCss() {
  if (document.querySelector(`link[href="${CSS}"]`)) return;
  document.head.append(h("link", {rel: "stylesheet", href: CSS}));
}

/** The query parameters of this page. */
export function params() {
  return new URLSearchParams(location.search);
}

/** A link to this page with the given query (keys with empty values are dropped). */
export function here(query) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== "") search.set(key, value);
  const text = search.toString();
  return location.pathname + (text ? `?${text}` : "");
}

/**
 * A link that changes the view without reloading: pushState + `go()`; the
 * href is real, so opening it in a new tab or after a reload shows the same view.
 */
export function navLink(href, go, ...children) {
  return h("a", {href, onClick: (event) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    history.pushState(null, "", href);
    go();
  }}, ...children);
}

/** Re-render on back/forward. */
export function onHistory(go) {
  window.addEventListener("popstate", () => go());
}

export function signInPrompt(element, site, what) {
  replace(element, h("div", {class: "rt-card rt-signin-prompt"},
    h("p", {}, h("a", {class: "md-button md-button--primary", href: site.signinUrl()}, `Sign in to ${what}`)),
    h("p", {class: "rt-muted"}, "We email you a sign-in link; no password needed.")));
}

export function showError(element, error, retry) {
  const text = error instanceof ApiError ? error.message : "Something went wrong loading this page.";
  replace(element, h("div", {class: "rt-card rt-error", role: "alert"}, h("p", {}, text),
    retry ? h("p", {}, h("button", {type: "button", class: "md-button", onClick: retry}, "Try again")) : null));
}

/** Run a write: disable the button, report failure in status (keeping any typed text). */
export async function busy(button, status, work) {
  button.disabled = true;
  status.textContent = "";
  status.classList.remove("rt-status--error");
  try {
    return await work();
  } catch (error) {
    status.classList.add("rt-status--error");
    status.setAttribute("role", "alert");
    status.textContent = error instanceof ApiError ? error.message : "Something went wrong; your text is kept.";
    return undefined;
  } finally {
    button.disabled = false;
  }
}

export function statusLine() {
  return h("p", {class: "rt-status", role: "status", "aria-live": "polite"});
}

/** A labelled field: input or textarea. */
export function field(label, control) {
  const id = `rt-f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h("p", {class: "rt-field"}, h("label", {for: id, class: "rt-label"}, label), control);
}

/** Open the signed-in session; null when signed out (the caller shows the prompt). */
export async function sessionUser(api) {
  return (await api.session()).user || null;
}

/**
 * A community page whose view is in the query string. show() says it is loading,
 * asks a signed-out reader to sign in, else draws route(params()); an error
 * offers to try again. A subclass sets `loading` and `signInFor` and has route().
 */
export class CommunityPage {
  constructor(element, api, site) {
    this.el = element;
    this.api = api;
    this.site = site;
  }

  go = () => this.show();

  /** Load the stylesheet, redraw on back/forward, and draw the page now. */
  async mount() {
    ensureCss();
    onHistory(this.go);
    await this.show();
    return this;
  }

  async show() {
    replace(this.el, h("p", {class: "rt-muted", role: "status"}, this.loading));
    try {
      this.user = await sessionUser(this.api);
      if (!this.user) return signInPrompt(this.el, this.site, this.signInFor);
      return await this.route(params());
    } catch (error) {
      return showError(this.el, error, this.go);
    }
  }
}

/** The comments of a community thread, drawn by the roundtable's view. */
export class CommunityThread extends ThreadView {
  constructor(element, api, site, path, {label = "Reply", empty = "No replies yet."} = {}) {
    super(element, api, "", site);
    this.path = path;
    this.label = label;
    this.empty = empty;
  }

  async start() {
    replace(this.el, h("p", {class: "rt-muted", role: "status"}, "Loading the replies…"));
    await this.load();
  }

  threadPath(after) {
    const query = new URLSearchParams({limit: "50"});
    if (after !== undefined && after !== null) query.set("after", after);
    return `${this.path}?${query}`;
  }

  showMessage() {
    replace(this.el, h("p", {class: "rt-muted"}, "This was not found, or it is not visible to you."));
  }

  renderShell() {
    super.renderShell();
    const label = this.el.querySelector(".rt-compose .rt-label");
    if (label) label.textContent = this.label;
    this.el.querySelector(".rt-compose .rt-check")?.remove(); // questions belong to roundtables
    if (this.thread && this.thread.can_post === false) {
      replace(this.compose, this.thread.refusal || "You can read this but not reply.");
    }
  }

  render() {
    super.render();
    const empty = this.list.querySelector(".rt-empty");
    if (empty) empty.textContent = this.empty;
  }
}
