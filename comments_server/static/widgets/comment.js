// How one comment looks: its header (author, badges, time, markers), its body
// (the server's sanitised HTML or a placeholder) and the inline forms opened
// under it. Pure view code: no requests; the thread widget passes callbacks.

import {h, setServerHtml, timeAgo, uid} from "../dom.js";

export const MARKDOWN_HINT = "Markdown works: **bold**, _italic_, `code`, [a link](https://…), - lists.";

// Role badges carry their name as text, so they never rely on colour alone.
const BADGES = {coach: "Coach", manager: "Manager", admin: "Admin"};

/** A polite live region for the outcome of an action. */
export function statusLine(tag = "p") {
  return h(tag, {class: "rt-status", role: "status", "aria-live": "polite"});
}

/** Author, role badges, relative time, "edited" and the question/hidden markers. */
export function commentHeader(c) {
  if (c.deleted || !c.author) return null; // placeholders name nobody
  const badges = (c.author.badges || []).filter((b) => BADGES[b])
    .map((b) => h("span", {class: `rt-badge rt-badge--${b}`}, BADGES[b]));
  const markers = [];
  if (c.is_question) {
    markers.push(c.question_open
      ? h("span", {class: "rt-badge rt-badge--open"}, "Open question")
      : h("span", {class: "rt-badge rt-badge--answered"}, "Answered question"));
  }
  if (c.hidden) markers.push(h("span", {class: "rt-badge rt-badge--hidden"}, "Hidden from learners"));
  return h("header", {class: "rt-comment__meta"},
    h("span", {class: "rt-author"}, c.author.name || "Someone"), badges,
    h("span", {class: "rt-muted"}, " · ", timeAgo(c.created)),
    c.edited ? h("span", {class: "rt-muted"}, " · ", h("span", {class: "rt-edited"}, "edited ", timeAgo(c.edited))) : null,
    markers);
}

/** The body: sanitised HTML from the server, or the placeholder of a deleted or hidden comment. */
export function commentBody(c, {editing = false} = {}) {
  if (c.deleted) return h("p", {class: "rt-placeholder"}, "This comment was deleted.");
  if (c.hidden && !c.body_html) return h("p", {class: "rt-placeholder"}, "This comment was hidden by a coach.");
  if (editing) return null;
  const outdated = c.outdated
    ? h("p", {class: "rt-outdated"}, "Written on an earlier version of this module.")
    : null;
  return [outdated, setServerHtml(h("div", {class: "rt-body"}), c.body_html)];
}

/** "N learners found this helpful", or nothing. */
export function helpfulCount(c) {
  if (!(c.helpful_count > 0)) return null;
  return h("span", {class: "rt-helpful-count rt-muted"},
    c.helpful_count === 1 ? "1 learner found this helpful" : `${c.helpful_count} learners found this helpful`);
}

/** An inline Markdown form (reply, edit); onSubmit(body, submitButton, status) does the work. */
export function textForm({label, submitLabel, text = "", onInput, onSubmit, onCancel}) {
  const id = uid("rt-body");
  const hintId = uid("rt-hint");
  const status = statusLine();
  const textarea = h("textarea", {id, rows: 3, value: text, "aria-describedby": hintId,
    onInput: () => onInput?.(textarea.value)});
  const submit = h("button", {type: "submit", class: "md-button md-button--primary"}, submitLabel);
  const cancel = h("button", {type: "button", class: "md-button", onClick: onCancel}, "Cancel");
  return h("form", {class: "rt-inline", onSubmit: (event) => {
    event.preventDefault();
    const body = textarea.value.trim();
    if (!body) return textarea.focus();
    return onSubmit(body, submit, status);
  }},
    h("label", {for: id, class: "rt-label"}, label), textarea,
    h("p", {class: "rt-hint", id: hintId}, MARKDOWN_HINT),
    h("div", {class: "rt-actions"}, submit, cancel), status);
}

/** An inline "are you sure?" in place of a dialog; onConfirm(button, status) does the work. */
export function confirmForm({question, confirmLabel, onConfirm, onCancel}) {
  const status = statusLine();
  const confirm = h("button", {type: "button", class: "md-button md-button--primary rt-danger",
    onClick: () => onConfirm(confirm, status)}, confirmLabel);
  const cancel = h("button", {type: "button", class: "md-button", onClick: onCancel}, "Cancel");
  return h("div", {class: "rt-inline rt-confirm", role: "group", "aria-label": `Confirm ${confirmLabel.toLowerCase()}`},
    h("p", {}, question), h("div", {class: "rt-actions"}, confirm, cancel), status);
}
