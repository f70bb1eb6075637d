// The site's sign-in page. With ?token= it redeems an emailed one-time link
// and goes on to `next`; without one it asks for an email address and sends
// a link; when someone is already signed in it says who and offers sign out.

import {ApiError} from "../api.js";
import {h, replace, uid} from "../dom.js";

/** Mount the sign-in page into element. */
export async function mount(element, {api, site}) {
  const params = new URLSearchParams(location.search);
  const token = params.get("token");
  const next = safeNext(params.get("next"), site.root);
  if (token) return redeem(element, api, site, token, params.get("next") ? next : null);
  return showAccountOrForm(element, api, site, next);
}

/** Only same-origin targets: a link in an email must not become an open redirect. */
function safeNext(next, root) {
  if (!next) return root.href;
  try {
    const url = new URL(next, root);
    return url.origin === location.origin ? url.href : root.href;
  } catch {
    return root.href;
  }
}

async function redeem(element, api, site, token, next) {
  replace(element, h("p", {class: "rt-card rt-muted", role: "status"}, "Signing you in…"));
  let data;
  try {
    data = await api.post("api/auth/redeem", {token});
  } catch (error) {
    if (error instanceof ApiError && (error.unreachable || error.status === 429 || error.status >= 500)) {
      // The link itself is still good: keep it in the address bar and offer to try again.
      return showRetry(element, error, () => redeem(element, api, site, token, next));
    }
    dropToken();
    return showForm(element, api, next || site.root.href, linkProblem(error));
  }
  dropToken();
  api.forget();
  replace(element, h("p", {class: "rt-card", role: "status"}, "You are signed in. Taking you on…"));
  // The link's own ?next= wins; else the page the link was asked for from (kept by the server).
  location.assign(next || safeNext(data.next, site.root));
}

/** Take a used-up token out of the address bar and history. */
function dropToken() {
  const clean = new URL(location.href);
  clean.searchParams.delete("token");
  history.replaceState(history.state, "", clean.href);
}

function showRetry(element, error, retry) {
  const text = error.unreachable
    ? "The sign-in server can't be reached right now. Your link still works: try again in a moment."
    : `${error.message} Your link still works: try again in a moment.`;
  replace(element, h("div", {class: "rt-card rt-error", role: "alert"},
    h("p", {}, text),
    h("p", {}, h("button", {type: "button", class: "md-button md-button--primary", onClick: retry}, "Try again"))));
}

function linkProblem(error) {
  if (!(error instanceof ApiError)) return "This sign-in link did not work.";
  if (error.unreachable) return error.message;
  const text = error.message.toLowerCase();
  if (text.includes("expired")) return "This sign-in link has expired. Links work for a short time only; ask for a new one below.";
  if (text.includes("used")) return "This sign-in link was already used. Each link works once; ask for a new one below.";
  return `This sign-in link did not work: ${error.message} Ask for a new one below.`;
}

async function showAccountOrForm(element, api, site, next) {
  let session;
  try {
    session = await api.session();
  } catch (error) {
    const retry = h("button", {type: "button", class: "md-button", onClick: () => showAccountOrForm(element, api, site, next)}, "Try again");
    return replace(element, h("div", {class: "rt-card rt-error", role: "alert"}, h("p", {}, error.message), h("p", {}, retry)));
  }
  if (!session.user) return showForm(element, api, next);
  const user = session.user;
  const status = h("p", {class: "rt-status", role: "status", "aria-live": "polite"});
  const signOut = h("button", {type: "button", class: "md-button", onClick: async () => {
    signOut.disabled = true;
    try {
      await api.post("api/auth/logout", {});
      api.forget();
      location.reload();
    } catch (error) {
      signOut.disabled = false;
      status.textContent = error.message;
    }
  }}, "Sign out");
  replace(element, h("div", {class: "rt-card rt-signin"},
    h("p", {}, "You are signed in as ", h("strong", {}, user.name || user.email),
      user.name && user.email ? ` (${user.email})` : "", "."),
    h("p", {class: "rt-actions"}, h("a", {class: "md-button md-button--primary", href: next}, "Continue"), signOut),
    status));
}

function showForm(element, api, next, problem) {
  const id = uid("rt-email");
  const input = h("input", {id, type: "email", name: "email", required: true, autocomplete: "email", placeholder: "you@example.com"});
  const button = h("button", {type: "submit", class: "md-button md-button--primary"}, "Email me a sign-in link");
  const status = h("p", {class: "rt-status", role: "status", "aria-live": "polite"});
  const form = h("form", {class: "rt-card rt-signin", onSubmit: async (event) => {
    event.preventDefault();
    const email = input.value.trim();
    if (!email) return input.focus();
    button.disabled = true;
    status.classList.remove("rt-status--error");
    status.textContent = "Sending…";
    try {
      // the whole way back, #rt-plan-7 included: the mailed link lands on the item itself
      const back = new URL(next);
      await api.post("api/auth/request-link", {email, next: back.pathname + back.search + back.hash});
      replace(form, h("div", {role: "status"},
        h("p", {}, h("strong", {}, "Check your email.")),
        h("p", {}, `If ${email} belongs to a member of a program, a sign-in link is on its way. It works once and for a short time.`)));
    } catch (error) {
      status.classList.add("rt-status--error");
      status.textContent = error.message;
      button.disabled = false;
    }
  }},
    problem ? h("p", {class: "rt-problem", role: "alert"}, problem) : null,
    h("label", {for: id, class: "rt-label"}, "Your email address"),
    input,
    h("p", {class: "rt-hint"}, "We email you a link that signs you in. No password needed."),
    h("p", {class: "rt-actions"}, button),
    status);
  replace(element, form);
}
