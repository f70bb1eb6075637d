// "Mark as read" at the end of a module: one button, then a dated tick.

import {ApiError} from "../api.js";
import {focusOn, h, replace, timeAgo} from "../dom.js";
import {activityPath, busy, ensureStyles, showLoadError, showSignIn, statusLine} from "./activity.js";

/** Mount the read activity `id` into element. */
export async function mount(element, {api, id, site}) {
  ensureStyles();
  replace(element, h("p", {class: "rt-muted", role: "status"}, "Loading…"));
  try {
    const session = await api.session();
    if (!session.user) return showSignIn(element, site, "record your progress");
    render(element, api, id, await api.get(activityPath(id, "read")), session.user);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return showSignIn(element, site, "record your progress");
    showLoadError(element, error, () => mount(element, {api, id, site}), "progress record");
  }
}

function render(element, api, id, data, user) {
  if (data.read && !data.read_at) { // the server counts the module's work as reading it (domain/completion.py)
    return replace(element, h("p", {class: "rt-card rt-done", role: "status"},
      "✓ Read: your work in this module counts as reading it."));
  }
  if (data.read) {
    return replace(element, h("p", {class: "rt-card rt-done", role: "status"},
      "✓ Marked as read ", timeAgo(data.read_at)));
  }
  const learner = (user.memberships || []).some((m) => m.cohort_id === data.cohort_id && m.role === "learner");
  if (!learner) return replace(element, h("p", {class: "rt-card rt-muted"}, "Learners mark the module as read here."));
  const status = statusLine();
  const button = h("button", {type: "button", class: "md-button md-button--primary", onClick: () =>
    busy(button, status, async () => {
      render(element, api, id, await api.post(activityPath(id, "read"), {}), user);
      focusOn(element.querySelector(".rt-done")); // the button that had focus is gone
    })},
  "Mark as read");
  replace(element, h("div", {class: "rt-card"}, h("div", {class: "rt-actions"}, button), status));
}
