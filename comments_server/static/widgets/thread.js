// The roundtable on a module page: the cohort's thread for one roundtable
// activity, with nested replies, badges, editing, moderation and "helpful".
// State lives in one object and render() redraws the list from it, so a
// reply or edit box that is open keeps its text across redraws.

import {ApiError} from "../api.js";
import {focusOn, h, replace, revealLinked, uid} from "../dom.js";
import {MARKDOWN_HINT, commentBody, commentHeader, confirmForm, helpfulCount, statusLine, textForm} from "./comment.js";

const PAGE_SIZE = 50;

/** Mount the roundtable for activity `id` into element. */
export async function mount(element, {api, id, site}) {
  const view = new ThreadView(element, api, id, site);
  await view.start();
  return view;
}

export class ThreadView {  // exported: community threads (widgets/community.js) extend it
  constructor(element, api, activityId, site) {
    this.el = element;
    this.api = api;
    this.activityId = activityId;
    this.site = site;
    this.comments = new Map(); // id -> comment, in the order the server sent them
    this.forms = new Map(); // comment id -> {mode: "reply"|"edit"|"delete", text}
    this.thread = null;
    this.cohort = null;
  }

  async start() {
    replace(this.el, h("p", {class: "rt-muted", role: "status"}, "Loading the roundtable…"));
    let session;
    try {
      session = await this.api.session();
    } catch (error) {
      return this.showUnreachable(error);
    }
    if (!session.user) return this.showSignIn();
    this.user = session.user;
    // The server picks the default cohort (the latest one the viewer belongs to); the picker follows it.
    this.cohorts = cohortsFor(session.user, this.activityId);
    await this.load();
  }

  async load() {
    try {
      const data = await this.api.get(this.threadPath());
      this.thread = data.thread;
      this.cohort = data.thread.cohort_id;
      this.comments = new Map((data.comments || []).map((c) => [c.id, c]));
      this.hasMore = Boolean(data.has_more);
      this.nextAfter = data.next_after ?? null;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return this.showSignIn();
      if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
        return this.showMessage("There is no roundtable for you here: this module's discussion is for the members of its cohorts.");
      }
      return this.showUnreachable(error);
    }
    this.renderShell();
    this.render();
    revealLinked(this.el); // a link to #rt-comment-N (a notification, a mail) lands on the comment
  }

  threadPath(after) {
    const params = new URLSearchParams();
    if (this.cohort) params.set("cohort", this.cohort);
    if (after !== undefined && after !== null) params.set("after", after);
    params.set("limit", PAGE_SIZE);
    const path = this.activityId.split("/").map(encodeURIComponent).join("/");
    return `api/activities/${path}/thread?${params}`;
  }

  showSignIn() {
    replace(this.el, h("div", {class: "rt-card rt-signin-prompt"},
      h("p", {}, h("a", {class: "md-button md-button--primary", href: this.site.signinUrl()}, "Sign in to join the discussion")),
      h("p", {class: "rt-muted"}, "Roundtables are for the learners and coaches of each cohort. We email you a sign-in link; no password needed.")));
  }

  showUnreachable(error) {
    const message = error instanceof ApiError ? error.message : "The discussion could not be loaded.";
    const retry = h("button", {type: "button", class: "md-button", onClick: () => this.start()}, "Try again");
    replace(this.el, h("div", {class: "rt-card rt-error", role: "alert"},
      h("p", {}, error instanceof ApiError && error.unreachable
        ? "The discussion server can't be reached right now, so the roundtable cannot be shown."
        : message),
      h("p", {}, retry)));
  }

  showMessage(text) {
    replace(this.el, h("div", {class: "rt-card"}, h("p", {class: "rt-muted"}, text)));
  }

  renderShell() {
    // #rt-thread-N: where a notice about this thread (a comment hidden) lands
    this.list = h("ol", {class: "rt-comments", "aria-label": "Roundtable comments",
      id: Number.isInteger(this.thread?.id) ? `rt-thread-${this.thread.id}` : null});
    this.more = h("div", {class: "rt-more"});
    this.status = statusLine();
    this.compose = this.thread?.can_post === false
      ? h("p", {class: "rt-muted"}, "You can read this roundtable; posting is for the learners and coaches of the cohort.")
      : this.composeForm();
    // The generator writes the prompt into the mount point; show the server's copy only if it did not.
    const prompt = this.el.parentElement?.querySelector(".rt-prompt") || !this.thread?.prompt
      ? null
      : h("p", {class: "rt-prompt"}, this.thread.prompt);
    replace(this.el, prompt, this.cohortPicker(), this.compose, this.status, this.list, this.more);
  }

  cohortPicker() {
    if (!this.cohorts || this.cohorts.length < 2) return null;
    const id = uid("rt-cohort");
    const select = h("select", {id, onChange: () => { this.cohort = select.value; this.load(); }},
      this.cohorts.map((m) => h("option", {value: m.cohort_id, selected: m.cohort_id === this.cohort}, m.cohort_id)));
    return h("p", {class: "rt-cohort"}, h("label", {for: id}, "Cohort "), select);
  }

  composeForm() {
    const id = uid("rt-body");
    const hintId = uid("rt-hint");
    const textarea = h("textarea", {id, name: "body", rows: 4, required: true, "aria-describedby": hintId,
      onKeydown: (event) => { if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit(); }});
    const question = h("input", {type: "checkbox", name: "question"});
    const button = h("button", {type: "submit", class: "md-button md-button--primary"}, "Post");
    const status = statusLine();
    const form = h("form", {class: "rt-card rt-compose", onSubmit: async (event) => {
      event.preventDefault();
      const body = textarea.value.trim();
      if (!body) return textarea.focus();
      await this.busy(button, status, async () => {
        const data = await this.api.post(`api/threads/${encodeURIComponent(this.thread.id)}/comments`,
          {body, question: question.checked});
        textarea.value = "";
        question.checked = false;
        this.add(data.comment);
        status.textContent = "Posted.";
        this.focusComment(data.comment.id); // the button had focus and was disabled meanwhile
      });
    }},
      h("label", {for: id, class: "rt-label"}, "Add to the roundtable"),
      textarea,
      h("p", {class: "rt-hint", id: hintId}, MARKDOWN_HINT),
      h("div", {class: "rt-actions"},
        h("label", {class: "rt-check"}, question, " Ask as a question",
          h("span", {class: "rt-muted"}, " (it stays open until a coach answers)")),
        button),
      status);
    return form;
  }

  /** Run a write; on failure keep the text, say why, and re-enable the button. */
  async busy(button, status, work) {
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
      if (error instanceof ApiError && error.status === 401) {
        // Signed out in another tab: say so, with the way back in (the typed text stays in its box).
        this.api.forget();
        status.append(" ", h("a", {href: this.site.signinUrl()}, "Sign in again"));
      }
    } finally {
      button.disabled = false;
    }
  }

  add(comment) {
    this.comments.set(comment.id, comment);
    this.render();
  }

  /** Move focus to a comment just posted or saved, so keyboard and screen-reader users land on it. */
  focusComment(id) {
    focusOn(document.getElementById(`rt-comment-${id}`)?.querySelector(":scope > article"));
  }

  render() {
    const children = new Map();
    const roots = [];
    // Oldest first, whatever order pages and fresh posts arrived in (ids grow with time).
    const ordered = [...this.comments.values()].sort((a, b) => a.id - b.id);
    for (const c of ordered) {
      if (c.parent_id && this.comments.has(c.parent_id)) {
        if (!children.has(c.parent_id)) children.set(c.parent_id, []);
        children.get(c.parent_id).push(c);
      } else {
        roots.push(c);
      }
    }
    const build = (c) => this.renderComment(c, children.get(c.id) || [], build);
    replace(this.list, roots.map(build));
    if (!roots.length) replace(this.list, h("li", {class: "rt-empty rt-muted"}, "No posts yet. Start the roundtable."));
    replace(this.more, this.hasMore
      ? h("button", {type: "button", class: "md-button", onClick: (e) => this.loadMore(e.currentTarget)}, "Load more")
      : null);
  }

  async loadMore(button) {
    await this.busy(button, this.status, async () => {
      const data = await this.api.get(this.threadPath(this.nextAfter));
      for (const c of data.comments || []) this.comments.set(c.id, c);
      this.hasMore = Boolean(data.has_more);
      this.nextAfter = data.next_after ?? null;
      this.render();
    });
  }

  renderComment(c, replies, build) {
    const classes = ["rt-comment", c.deleted && "rt-comment--deleted", c.hidden && "rt-comment--hidden",
      c.author?.badges?.includes("coach") && "rt-comment--coach"];
    return h("li", {class: classes, id: `rt-comment-${c.id}`, "data-comment-id": c.id},
      h("article", {class: "rt-card rt-comment__card"},
        commentHeader(c),
        commentBody(c, {editing: this.forms.get(c.id)?.mode === "edit"}),
        this.renderFooter(c),
        this.renderForm(c)),
      replies.length ? h("ol", {class: "rt-replies", "aria-label": "Replies"}, replies.map(build)) : null);
  }

  renderFooter(c) {
    if (c.deleted) return null;
    const can = c.can || {};
    const open = this.forms.get(c.id)?.mode;
    const actions = [helpfulCount(c)];
    if (can.mark_helpful) {
      actions.push(h("button", {type: "button", class: ["rt-action", "rt-helpful", c.marked_helpful_by_me && "rt-helpful--on"],
        "aria-pressed": c.marked_helpful_by_me ? "true" : "false",
        onClick: (e) => this.write(e.currentTarget, c, `api/comments/${c.id}/helpful`, {helpful: !c.marked_helpful_by_me},
          {marked_helpful_by_me: !c.marked_helpful_by_me, helpful_count: c.helpful_count + (c.marked_helpful_by_me ? -1 : 1)})},
      c.marked_helpful_by_me ? "✓ Helpful" : "Helpful"));
    }
    // Every comment has these buttons: their accessible names say whose comment they act on.
    const whose = c.author?.name ? `${c.author.name}'s comment` : "this comment";
    if (can.reply && !open) actions.push(this.action("Reply", () => this.openForm(c, "reply"), `Reply to ${whose}`));
    if (can.edit && !open) actions.push(this.action("Edit", () => this.openForm(c, "edit", c.body || "")));
    if (can.delete && !open) actions.push(this.action("Delete", () => this.openForm(c, "delete")));
    if (can.hide) {
      actions.push(h("button", {type: "button", class: "rt-action", "aria-label": `${c.hidden ? "Unhide" : "Hide"} ${whose}`,
        onClick: (e) => this.write(e.currentTarget, c, `api/comments/${c.id}/hide`, {hidden: !c.hidden}, {hidden: !c.hidden})},
      c.hidden ? "Unhide" : "Hide"));
    }
    if (!actions.some(Boolean)) return null;
    return h("footer", {class: "rt-comment__actions"}, actions, statusLine("span"));
  }

  action(label, onClick, ariaLabel) {
    return h("button", {type: "button", class: "rt-action", "aria-label": ariaLabel, onClick}, label);
  }

  openForm(c, mode, text = "") {
    this.forms.set(c.id, {mode, text});
    this.render();
    document.getElementById(`rt-comment-${c.id}`)?.querySelector(".rt-inline textarea, .rt-inline button")?.focus();
  }

  closeForm(c) {
    this.forms.delete(c.id);
    this.render();
    document.getElementById(`rt-comment-${c.id}`)?.querySelector(".rt-action")?.focus();
  }

  /** POST a one-click change (helpful, hide); redraw with the server's comment, else with `local`. */
  async write(button, c, path, body, local) {
    const status = button.parentElement.querySelector(".rt-status") || this.status;
    await this.busy(button, status, async () => {
      const data = await this.api.post(path, body);
      this.comments.set(c.id, data.comment || {...c, ...local});
      this.render();
    });
  }

  renderForm(c) {
    const form = this.forms.get(c.id);
    if (!form) return null;
    const onCancel = () => this.closeForm(c);
    if (form.mode === "delete") {
      return confirmForm({question: "Delete this comment? Replies to it stay.", confirmLabel: "Delete", onCancel,
        onConfirm: (button, status) => this.busy(button, status, () => this.remove(c))});
    }
    const editing = form.mode === "edit";
    return textForm({
      label: editing ? "Edit your comment" : `Reply to ${c.author?.name || "this comment"}`,
      submitLabel: editing ? "Save" : "Reply",
      text: form.text,
      onInput: (text) => { form.text = text; },
      onCancel,
      onSubmit: (body, button, status) => this.busy(button, status, () => (editing ? this.edit(c, body) : this.reply(c, body))),
    });
  }

  async edit(c, body) {
    const data = await this.api.patch(`api/comments/${c.id}`, {body});
    this.comments.set(c.id, data.comment);
    this.forms.delete(c.id);
    this.render();
    this.focusComment(c.id);
  }

  async reply(c, body) {
    const data = await this.api.post(`api/threads/${encodeURIComponent(this.thread.id)}/comments`, {body, parent_id: c.id});
    this.comments.set(data.comment.id, data.comment);
    this.forms.delete(c.id);
    this.render();
    this.focusComment(data.comment.id);
    this.refreshSoon(); // a coach's reply answers a question: fetch the parent's new state
  }

  async remove(c) {
    const data = await this.api.del(`api/comments/${c.id}`);
    this.forms.delete(c.id);
    // With replies the server keeps a "deleted" placeholder (and returns it); without, it is gone.
    if (data.comment) this.comments.set(c.id, data.comment);
    else if (this.hasReplies(c)) this.comments.set(c.id, {...c, deleted: true, body_html: "", can: {}});
    else this.comments.delete(c.id);
    this.render();
    this.status.textContent = "Comment deleted.";
    focusOn(this.status);
  }

  hasReplies(c) {
    for (const other of this.comments.values()) if (other.parent_id === c.id) return true;
    return false;
  }

  /** Reload the loaded pages quietly, e.g. so a question shows as answered after a coach's reply. */
  async refreshSoon() {
    try {
      const data = await this.api.get(this.threadPath());
      for (const c of data.comments || []) {
        if (!this.forms.has(c.id)) this.comments.set(c.id, c);
      }
      this.render();
    } catch {
      // A failed background refresh changes nothing the reader relies on.
    }
  }
}

/** The viewer's memberships in the program this activity belongs to. */
function cohortsFor(user, activityId) {
  const program = activityId.split("/")[0];
  return (user.memberships || []).filter((m) => !m.program_id || m.program_id === program);
}
