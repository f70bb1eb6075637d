// A presentation with peer review on a module page: the learner uploads a
// file (or gives a link), reviews the presentations allocated to them on the
// module's rubric, and sees all the feedback on their own presentation with
// averages per criterion, rating how helpful each review was. Coaches see the
// cohort's presentations and can review any of them.

import {ApiError, UNREACHABLE} from "../api.js";
import {h, linkedNumber, replace, revealLinked, timeAgo, uid} from "../dom.js";
import {activityPath, announce, badge, busy, ensureStyles, markdownField, numberSelect, serverBlock, showLoadError,
  showSignIn, statusLine} from "./activity.js";

const ACCEPT = {pdf: ".pdf", pptx: ".pptx", odp: ".odp", mp4: ".mp4", webm: ".webm"};

/** Mount the presentation activity `id` into element. */
export async function mount(element, {api, id, site}) {
  ensureStyles();
  const view = new PresentationView(element, api, id, site);
  await view.start();
  return view;
}

/**
 * POST a file as multipart with the session's CSRF token. api.js sends JSON
 * only, so this is the one other place that talks to the server; it keeps
 * api.js's conventions (credentials, CSRF header, ApiError with the message).
 */
async function uploadFile(api, path, file) {
  const form = new FormData();
  form.append("file", file);
  const token = (await api.session()).csrf_token || "";
  let response;
  try {
    response = await fetch(new URL(path, api.root), {method: "POST", body: form, credentials: "include",
      headers: {"X-CSRF-Token": token, Accept: "application/json"}});
  } catch {
    throw new ApiError(UNREACHABLE, 0);
  }
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  if (response.ok && data) return data;
  throw new ApiError(data?.error || `The upload failed (${response.status}).`, response.status, data?.errors || []);
}

class PresentationView {
  constructor(element, api, activityId, site) {
    Object.assign(this, {el: element, api, activityId, site});
    this.open = new Map(); // submission id -> loaded presentation for review
  }

  async start() {
    replace(this.el, h("p", {class: "rt-muted", role: "status"}, "Loading the presentation…"));
    try {
      const session = await this.api.session();
      if (!session.user) return showSignIn(this.el, this.site, "present and review your peers");
      this.data = await this.api.get(activityPath(this.activityId, "presentation"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return showSignIn(this.el, this.site, "present and review your peers");
      return showLoadError(this.el, error, () => this.start(), "presentation");
    }
    await this.render();
  }

  async reload(message) {
    this.data = await this.api.get(activityPath(this.activityId, "presentation"));
    this.render();
    if (message) announce(this.status, message);
  }

  render() {
    const d = this.data;
    const status = statusLine();
    this.status = status;
    this.anchored = new Set(); // submission ids already drawn with their #rt-review-N anchor
    this.opening = [];
    const parts = [];
    if (d.submission) parts.push(this.ownView(d.submission, d.feedback));
    else if (d.can?.submit) parts.push(this.submitForm(status));
    if (d.to_review?.length) parts.push(this.reviewList("Presentations for you to review", d.to_review));
    if (d.cohort_presentations?.length) {
      parts.push(this.reviewList("Your cohort's presentations", d.cohort_presentations.map((p) => ({
        submission_id: p.id, presenter: p.owner, done: p.reviewed_by_me, role: "coach", reviews: p.reviews}))));
    }
    if (!parts.length) parts.push(h("p", {class: "rt-card rt-muted"}, "Presentations of the cohort appear here."));
    replace(this.el, parts, status);
    // A link's #rt-review-N opens that review form; #rt-feedback is the presenter's own reviews.
    return Promise.all(this.opening).then(() => revealLinked(this.el));
  }

  submitForm(status) {
    const formats = this.data.activity.options.formats || Object.keys(ACCEPT).concat("link");
    const fileFormats = formats.filter((f) => ACCEPT[f]);
    const fileId = uid("rt-file");
    const linkId = uid("rt-link");
    const file = h("input", {id: fileId, type: "file", accept: fileFormats.map((f) => ACCEPT[f]).join(",")});
    const link = h("input", {id: linkId, type: "url", placeholder: "https://…"});
    const button = h("button", {type: "submit", class: "md-button md-button--primary"}, "Submit presentation");
    const limit = `${fileFormats.map((f) => f.toUpperCase()).join(", ")}; at most ${this.data.max_upload_mb} MB.`;
    return h("form", {class: "rt-card rt-present", onSubmit: (e) => {
      e.preventDefault();
      busy(button, status, async () => {
        const path = activityPath(this.activityId, "presentation");
        if (file.files.length) await uploadFile(this.api, path, file.files[0]);
        else if (link.value.trim()) await this.api.post(path, {link: link.value.trim()});
        else throw new ApiError("Choose a file or give a link first.", 400);
        await this.reload("Presentation submitted. Reviewers from your cohort have been allocated.");
      });
    }},
    h("h3", {}, "Submit your presentation"),
    fileFormats.length ? h("div", {class: "rt-field"}, h("label", {for: fileId, class: "rt-label"}, "Upload a file"), file,
      h("p", {class: "rt-hint"}, limit)) : null,
    formats.includes("link") ? h("div", {class: "rt-field"},
      h("label", {for: linkId, class: "rt-label"}, fileFormats.length ? "…or give a link" : "Link to your presentation"), link) : null,
    h("div", {class: "rt-actions"}, button));
  }

  ownView(sub, feedback) {
    const what = sub.file
      ? h("a", {href: new URL(sub.file.url.replace(/^\//, ""), this.api.root).href}, sub.file.name)
      : h("a", {href: sub.link, rel: "nofollow noopener noreferrer", target: "_blank"}, sub.link);
    const card = h("section", {class: "rt-card rt-own", "aria-label": "Your presentation", id: "rt-feedback"},
      h("h3", {}, "Your presentation"),
      h("p", {}, "Submitted ", timeAgo(sub.submitted_at), ": ", what));
    const count = feedback?.count || 0;
    const target = feedback?.target || 0;
    card.append(h("p", {class: "rt-review-count"},
      count >= target && target > 0 ? badge("All reviews received") : null, " ",
      count > target ? `${count} reviews received (${target} asked for).`
        : `${count} of ${target} review${target === 1 ? "" : "s"} received.`));
    if (count) card.append(this.averages(feedback), this.reviews(feedback.reviews));
    return card;
  }

  averages(feedback) {
    return h("div", {class: "rt-averages"}, h("table", {},
      h("caption", {}, "Average score per criterion (1 to 5)"),
      h("thead", {}, h("tr", {}, h("th", {scope: "col"}, "Criterion"), h("th", {scope: "col"}, "Average"))),
      h("tbody", {}, Object.entries(feedback.averages).map(([c, v]) =>
        h("tr", {}, h("th", {scope: "row"}, c), h("td", {}, v === null ? "–" : String(v)))))));
  }

  reviews(list) {
    return h("ul", {class: "rt-review-list", "aria-label": "Reviews of your presentation"}, list.map((r) => {
      const status = statusLine();
      const rating = numberSelect("How helpful was this review? (1 to 5)", 1, 5, r.helpfulness ?? "");
      const button = h("button", {type: "submit", class: "md-button"}, "Rate");
      const form = h("form", {class: "rt-helpfulness", onSubmit: (e) => {
        e.preventDefault();
        busy(button, status, async () => {
          if (!rating.select.value) { rating.select.focus(); throw new ApiError("Choose how helpful it was.", 400); }
          await this.api.post(`api/reviews/${r.id}/helpfulness`, {rating: Number(rating.select.value)});
          status.textContent = "Thanks: rating saved.";
        });
      }}, rating.field, button, status);
      return h("li", {class: "rt-card rt-review", "data-review-id": r.id},
        h("p", {class: "rt-comment__meta"}, h("span", {class: "rt-author"}, r.reviewer),
          r.role === "coach" ? badge("Coach", "coach") : null, h("span", {class: "rt-muted"}, " · ", timeAgo(r.created))),
        h("p", {class: "rt-scores"}, Object.entries(r.scores).map(([c, v]) => `${c}: ${v}`).join(" · ")),
        serverBlock(r.comment_html), form);
    }));
  }

  reviewList(title, items) {
    const linked = linkedNumber("review");
    return h("section", {class: "rt-card rt-to-review", "aria-label": title}, h("h3", {}, title),
      h("ul", {class: "rt-review-list"}, items.map((t) => {
        const panel = h("div", {class: "rt-review-panel"});
        const show = async () => {
          open.disabled = true;
          await this.showReviewForm(t.submission_id, panel);
          open.disabled = false;
        };
        const open = h("button", {type: "button", class: "md-button", onClick: show}, "Review");
        const first = !this.anchored.has(t.submission_id); // a coach may see one presentation in both lists
        this.anchored.add(t.submission_id);
        if (first && t.submission_id === linked && !t.done) this.opening.push(show());
        return h("li", {class: "rt-review-item", "data-submission-id": t.submission_id,
          id: first ? `rt-review-${t.submission_id}` : null},
          h("span", {class: "rt-author"}, t.presenter.name), " ",
          t.done ? badge("✓ Reviewed") : open,
          t.reviews !== undefined ? h("span", {class: "rt-muted"}, ` · ${t.reviews} review(s)`) : null, panel);
      })));
  }

  async showReviewForm(submissionId, panel) {
    const status = statusLine();
    let data;
    try {
      data = await this.api.get(`api/presentations/${submissionId}`);
    } catch (error) {
      replace(panel, h("p", {class: "rt-status rt-status--error", role: "alert"}, error.message));
      return;
    }
    const p = data.presentation;
    const what = p.file
      ? h("a", {href: new URL(p.file.url.replace(/^\//, ""), this.api.root).href}, `Download ${p.file.name}`)
      : h("a", {href: p.link, rel: "nofollow noopener noreferrer", target: "_blank"}, p.link);
    const selects = data.rubric.map((c) => [c, numberSelect(`${c} (1 to 5)`, 1, 5)]);
    const {field, textarea} = markdownField("Your comments for the presenter", "", 4);
    const button = h("button", {type: "submit", class: "md-button md-button--primary"}, "Submit review");
    const form = h("form", {class: "rt-card rt-review-form", onSubmit: (e) => {
      e.preventDefault();
      busy(button, status, async () => {
        const scores = {};
        for (const [c, s] of selects) {
          if (!s.select.value) { s.select.focus(); throw new ApiError(`Score "${c}" first.`, 400); }
          scores[c] = Number(s.select.value);
        }
        const comment = textarea.value.trim();
        if (!comment) { textarea.focus(); throw new ApiError("Write a comment for the presenter.", 400); }
        await this.api.post(`api/presentations/${submissionId}/reviews`, {scores, comment});
        await this.reload("Review submitted. Thank you.");
      });
    }},
    h("h4", {}, `${p.owner.name}'s presentation`), h("p", {}, what),
    selects.map(([, s]) => s.field), field, h("div", {class: "rt-actions"}, button), status);
    replace(panel, form);
  }
}
