// The forum page: boards (everyone's, then one per program), a board's topics
// with pinned/locked/unread markers, and a topic with its threaded replies.
// The view lives in the query string: ?board=sales, ?topic=12.

import {h, replace, setServerHtml, timeAgo} from "../dom.js";
import {busy, CommunityPage, CommunityThread, field, here, navLink, statusLine} from "./community.js";
import {searchBox} from "./search.js";

export async function mount(element, {api, site}) {
  return new Forum(element, api, site).mount();
}

class Forum extends CommunityPage {
  loading = "Loading the forum…";
  signInFor = "read and post in the forum";

  async route(query) {
    if (query.get("topic")) return await this.showTopic(query.get("topic"));
    if (query.get("board")) return await this.showBoard(query.get("board"));
    return await this.showBoards();
  }

  async showBoards() {
    const {boards} = await this.api.get("api/forums/boards");
    replace(this.el, searchBox(this.api, this.site),
      h("ul", {class: "rt-list rt-boards"}, boards.map((b) => h("li", {class: "rt-card rt-row"},
        h("div", {}, h("strong", {}, navLink(here({board: b.id}), this.go, b.title)),
          h("div", {class: "rt-muted"}, b.id === "everyone" ? "Open to everyone on the site" : "Members of this program")),
        h("div", {class: "rt-meta"}, `${b.topic_count} topic${b.topic_count === 1 ? "" : "s"}`,
          b.unread_topics ? h("span", {class: "rt-badge rt-badge--unread"}, `${b.unread_topics} unread`) : null)))));
  }

  async showBoard(boardId) {
    const {board, topics} = await this.api.get(`api/forums/boards/${encodeURIComponent(boardId)}`);
    const follow = this.followButton(board.subscribed, `api/forums/boards/${encodeURIComponent(board.id)}/subscription`,
      "board");
    replace(this.el,
      h("nav", {class: "rt-crumbs"}, navLink(here({}), this.go, "Forum"), " › ", board.title),
      h("div", {class: "rt-toolbar"}, h("h2", {}, board.title), follow),
      board.can_post ? this.newTopicForm(board) : h("p", {class: "rt-muted"}, "You can read this board."),
      topics.length ? h("ul", {class: "rt-list rt-topics"}, topics.map((t) => this.topicRow(t)))
        : h("p", {class: "rt-muted rt-empty"}, "No topics yet. Start one."));
  }

  topicRow(t) {
    return h("li", {class: ["rt-card", "rt-row", t.unread && "rt-row--unread"], "data-topic-id": t.id},
      h("div", {},
        t.pinned ? h("span", {class: "rt-badge rt-badge--pinned"}, "Pinned") : null,
        t.locked ? h("span", {class: "rt-badge rt-badge--locked"}, "Locked") : null,
        h("strong", {}, navLink(here({topic: t.id}), this.go, t.title)),
        h("div", {class: "rt-muted"}, "by ", t.author.name, " · ", timeAgo(t.created))),
      h("div", {class: "rt-meta"},
        `${t.reply_count} repl${t.reply_count === 1 ? "y" : "ies"}`,
        t.unread ? h("span", {class: "rt-badge rt-badge--unread"}, t.unread_count ? `${t.unread_count} new` : "New") : null,
        h("span", {class: "rt-muted"}, " · active ", timeAgo(t.last_activity))));
  }

  newTopicForm(board) {
    const title = h("input", {type: "text", name: "title", required: true, maxlength: 200});
    const body = h("textarea", {name: "body", rows: 4, required: true});
    const button = h("button", {type: "submit", class: "md-button md-button--primary"}, "Start topic");
    const status = statusLine();
    return h("details", {class: "rt-card rt-new"}, h("summary", {}, "Start a new topic"),
      h("form", {onSubmit: async (event) => {
        event.preventDefault();
        const data = await busy(button, status, () => this.api.post(
          `api/forums/boards/${encodeURIComponent(board.id)}/topics`, {title: title.value, body: body.value}));
        if (!data) return;
        history.pushState(null, "", here({topic: data.topic.id}));
        this.show();
      }}, field("Title", title), field("What do you want to discuss?", body),
      h("div", {class: "rt-actions"}, button), status));
  }

  followButton(on, path, what) {
    const status = statusLine();
    const button = h("button", {type: "button", class: "md-button rt-follow", "aria-pressed": on ? "true" : "false",
      onClick: async () => {
        const next = button.getAttribute("aria-pressed") !== "true";
        const data = await busy(button, status, () => this.api.post(path, {subscribed: next}));
        if (!data) return;
        button.setAttribute("aria-pressed", next ? "true" : "false");
        button.textContent = next ? `Following this ${what}` : `Follow this ${what}`;
      }}, on ? `Following this ${what}` : `Follow this ${what}`);
    return h("span", {class: "rt-follow-box"}, button, status);
  }

  async showTopic(topicId) {
    const path = `api/forums/topics/${encodeURIComponent(topicId)}`;
    const data = await this.api.get(`${path}?limit=1`);
    const t = data.topic;
    const {boards} = await this.api.get("api/forums/boards");
    const board = boards.find((b) => b.id === t.board) || {id: t.board, title: t.board};
    const head = h("article", {class: "rt-card rt-topic"},
      h("h2", {}, t.title,
        t.pinned ? h("span", {class: "rt-badge rt-badge--pinned"}, "Pinned") : null,
        t.locked ? h("span", {class: "rt-badge rt-badge--locked"}, "Locked") : null),
      h("p", {class: "rt-muted"}, t.author.name, " · ", timeAgo(t.created), t.edited ? " · edited" : ""),
      setServerHtml(h("div", {class: "rt-body"}), t.body_html),
      this.topicActions(t, boards));
    const replies = h("section", {class: "rt-replies-box", "aria-label": "Replies"});
    replace(this.el,
      h("nav", {class: "rt-crumbs"}, navLink(here({}), this.go, "Forum"), " › ",
        navLink(here({board: board.id}), this.go, board.title)),
      head, h("h3", {}, "Replies"), replies);
    await new CommunityThread(replies, this.api, this.site, path, {label: "Reply to the topic"}).start();
    this.api.post(`${path}/read`, {}).catch(() => {}); // the unread marker: best effort
  }

  topicActions(t, boards) {
    const path = `api/forums/topics/${t.id}`;
    const status = statusLine();
    const act = (label, body) => {
      const button = h("button", {type: "button", class: "md-button", onClick: async () => {
        if (await busy(button, status, () => this.api.post(`${path}/moderate`, body))) this.show();
      }}, label);
      return button;
    };
    const actions = [this.followButton(t.subscribed, `${path}/subscription`, "topic")];
    if (t.can.moderate) {
      actions.push(act(t.pinned ? "Unpin" : "Pin", {pinned: !t.pinned}), act(t.locked ? "Unlock" : "Lock", {locked: !t.locked}));
      const targets = boards.filter((b) => b.moderator && b.id !== t.board);
      if (targets.length) {
        const select = h("select", {"aria-label": "Move to board"}, targets.map((b) => h("option", {value: b.id}, b.title)));
        const move = h("button", {type: "button", class: "md-button", onClick: async () => {
          if (await busy(move, status, () => this.api.post(`${path}/moderate`, {board: select.value}))) this.show();
        }}, "Move");
        actions.push(h("span", {class: "rt-move"}, select, move));
      }
    }
    if (t.can.edit) actions.push(h("button", {type: "button", class: "md-button", onClick: (e) => this.editTopic(t, e.currentTarget)}, "Edit"));
    if (t.can.delete) {
      const del = h("button", {type: "button", class: "md-button rt-danger", onClick: async () => {
        if (!confirm("Delete this topic and hide its replies?")) return;
        if (await busy(del, status, () => this.api.del(path))) {
          history.pushState(null, "", here({board: t.board}));
          this.show();
        }
      }}, "Delete");
      actions.push(del);
    }
    return h("div", {class: "rt-actions rt-topic-actions"}, actions, status);
  }

  editTopic(t, button) {
    const card = button.closest(".rt-topic");
    const title = h("input", {type: "text", value: t.title, maxlength: 200});
    const body = h("textarea", {rows: 5, value: t.body || ""});
    const save = h("button", {type: "submit", class: "md-button md-button--primary"}, "Save");
    const status = statusLine();
    replace(card, h("form", {onSubmit: async (event) => {
      event.preventDefault();
      if (await busy(save, status, () => this.api.patch(`api/forums/topics/${t.id}`, {title: title.value, body: body.value}))) this.show();
    }}, field("Title", title), field("Text", body),
    h("div", {class: "rt-actions"}, save, h("button", {type: "button", class: "md-button", onClick: this.go}, "Cancel")), status));
  }
}
