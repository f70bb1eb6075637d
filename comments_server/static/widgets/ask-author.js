// Ask the author, on a module page: who wrote it, a private question form for
// learners, and the questions the reader may see (the asker's own; all of them
// for the authors, the cohort's coaches and admins), each with its thread. An
// author can publish a good question and answer to the module's roundtable.

import {h, linkedNumber, replace, revealLinked, timeAgo} from "../dom.js";
import {busy, CommunityThread, ensureCss, field, sessionUser, showError, statusLine} from "./community.js";

export async function mount(element, {api, id, site}) {
  ensureCss();
  const user = await sessionUser(api).catch(() => null);
  if (!user) {
    return replace(element, h("p", {class: "rt-muted"},
      h("a", {href: site.signinUrl()}, "Sign in"), " to ask the authors a question."));
  }
  const path = `api/modules/${id.split("/").map(encodeURIComponent).join("/")}`;
  const draw = async () => {
    try {
      const data = await api.get(`${path}/authors`);
      // the static page says "Written by the authors of this module" (no e-mails on a public page); name them
      if (data.authors.length) element.parentElement?.querySelector(".rt-authors")?.remove();
      replace(element, written(data), data.can_ask ? askForm(api, path, draw) : null,
        questionList(api, site, data, draw));
      revealLinked(element); // a link's #rt-question-N: that question, opened
    } catch (error) {
      showError(element, error, draw);
    }
  };
  await draw();
}

function written(data) {
  if (!data.authors.length) return h("p", {class: "rt-muted"}, "This module names no author on the site yet.");
  return h("p", {class: "rt-written-by"}, "Written by ", data.authors.map((a) => a.name).join(", "),
    data.is_author ? " (you)" : "");
}

function askForm(api, path, redraw) {
  const body = h("textarea", {rows: 3, required: true});
  const button = h("button", {type: "submit", class: "md-button md-button--primary"}, "Ask the author");
  const status = statusLine();
  return h("form", {class: "rt-card rt-ask", onSubmit: async (event) => {
    event.preventDefault();
    if (await busy(button, status, () => api.post(`${path}/questions`, {body: body.value}))) redraw();
  }}, field("Your question (only you, the authors and your coaches see it)", body),
  h("div", {class: "rt-actions"}, button), status);
}

function questionList(api, site, data, redraw) {
  if (!data.questions.length) return null;
  return h("ul", {class: "rt-list rt-questions"}, data.questions.map((q) => {
    const box = h("div", {class: "rt-question-thread"});
    const status = statusLine();
    const publish = q.can.publish ? h("button", {type: "button", class: "md-button", onClick: async () => {
      if (await busy(publish, status, () => api.post(`api/questions/${q.id}/publish`, {}))) redraw();
    }}, "Publish to the roundtable") : null;
    const details = h("details", {class: "rt-card", "data-question-id": q.id, id: `rt-question-${q.id}`,
      open: q.id === linkedNumber("question"), onToggle: () => {
      if (details.open && !box.dataset.loaded) {
        box.dataset.loaded = "yes";
        new CommunityThread(box, api, site, `api/questions/${q.id}`, {label: "Answer or follow up"}).start();
      }
    }},
    h("summary", {}, q.title, h("span", {class: "rt-muted"}, " · ", q.learner.name, " · ", timeAgo(q.created)),
      q.published ? h("span", {class: "rt-badge"}, "Published") : null),
    h("div", {class: "rt-actions"}, publish, status), box);
    return h("li", {}, details);
  }));
}
