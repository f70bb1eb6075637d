// A short reflection on the module (until the blogs arrive it lives here):
// the learner posts or edits theirs; the cohort's reflections are listed.

import {ApiError} from "../api.js";
import {focusOn, h, replace, timeAgo} from "../dom.js";
import {activityPath, busy, ensureStyles, markdownField, serverBlock, showLoadError, showSignIn, statusLine} from "./activity.js";

/** Mount the reflection activity `id` into element. */
export async function mount(element, {api, id, site}) {
  ensureStyles();
  replace(element, h("p", {class: "rt-muted", role: "status"}, "Loading reflections…"));
  try {
    const session = await api.session();
    if (!session.user) return showSignIn(element, site, "write your reflection");
    render(element, api, id, await api.get(activityPath(id, "reflection")), session.user);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return showSignIn(element, site, "write your reflection");
    showLoadError(element, error, () => mount(element, {api, id, site}), "reflection");
  }
}

function render(element, api, id, data, user, message = "") {
  const learner = (user.memberships || []).some((m) => m.cohort_id === data.cohort_id && m.role === "learner");
  const status = statusLine();
  status.textContent = message;
  let form = null;
  if (learner) {
    const {field, textarea} = markdownField(data.mine ? "Your reflection" : "Write your reflection", data.mine?.body || "", 4);
    const button = h("button", {type: "submit", class: "md-button md-button--primary"}, data.mine ? "Save changes" : "Post reflection");
    form = h("form", {class: "rt-card", onSubmit: (e) => {
      e.preventDefault();
      busy(button, status, async () => {
        const body = textarea.value.trim();
        if (!body) { textarea.focus(); throw new ApiError("Write your reflection first.", 400); }
        const next = await api.post(activityPath(id, "reflection"), {body});
        render(element, api, id, next, user, data.mine ? "Saved." : "Posted.");
        focusOn(element.querySelector(".rt-status")); // the form was redrawn: say so where focus lands
      });
    }}, field, h("div", {class: "rt-actions"}, button), status);
  }
  const list = data.reflections.length
    ? h("ul", {class: "rt-reflections", "aria-label": "Reflections of your cohort"}, data.reflections.map((r) =>
      h("li", {class: "rt-card"},
        h("p", {class: "rt-comment__meta"}, h("span", {class: "rt-author"}, r.author_name),
          h("span", {class: "rt-muted"}, " · ", timeAgo(r.created)), r.edited ? h("span", {class: "rt-muted"}, " · edited") : null),
        serverBlock(r.body_html))))
    : h("p", {class: "rt-muted"}, "No reflections yet.");
  replace(element, form, h("h3", {}, "Reflections in your cohort"), list);
}
