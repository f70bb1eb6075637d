// The wiki page: wikis (one per program), a wiki's pages, a page, its editor,
// its history, a diff between any two revisions, revert. The view is in the
// query: ?program=sales&page=Objection-library[&view=edit|history|diff&from=1&to=3].
// A save made on a stale revision comes back 409: the editor keeps the text
// and shows the current version next to it, so nothing typed is lost.

import {h, replace, setServerHtml, timeAgo} from "../dom.js";
import {busy, CommunityPage, field, here, navLink, params, statusLine} from "./community.js";
import {searchBox} from "./search.js";

export async function mount(element, {api, site}) {
  const wiki = new Wiki(element, api, site);
  // Links between pages are plain ?program=&page= hrefs in the server's HTML: follow them in place.
  element.addEventListener("click", (event) => {
    const a = event.target.closest?.(".rt-body a[href^='?']");
    if (!a || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    history.pushState(null, "", location.pathname + a.getAttribute("href"));
    wiki.show();
  });
  return wiki.mount();
}

function slugify(title) {
  return title.trim().replace(/[^\w\- ]+/gu, "").replace(/[\s_]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 120);
}

class Wiki extends CommunityPage {
  loading = "Loading the wiki…";
  signInFor = "read and edit the wiki";

  base(program, slug) {
    return `api/wiki/${encodeURIComponent(program)}/pages/${encodeURIComponent(slug)}`;
  }

  async route(q) {
    const program = q.get("program");
    const page = q.get("page");
    if (!program) return await this.showWikis();
    if (!page) return await this.showPages(program);
    const view = q.get("view");
    if (view === "edit") return await this.showEditor(program, page);
    if (view === "history") return await this.showHistory(program, page);
    if (view === "diff") return await this.showDiff(program, page, q.get("from"), q.get("to"));
    return await this.showPage(program, page);
  }

  crumbs(program, page, last) {
    return h("nav", {class: "rt-crumbs"}, navLink(here({}), this.go, "Wiki"), " › ",
      navLink(here({program}), this.go, program),
      page ? [" › ", last ? navLink(here({program, page}), this.go, page) : page] : null,
      last ? [" › ", last] : null);
  }

  async showWikis() {
    const {wikis} = await this.api.get("api/wiki");
    replace(this.el, searchBox(this.api, this.site),
      wikis.length ? h("ul", {class: "rt-list"}, wikis.map((w) => h("li", {class: "rt-card rt-row"},
        h("strong", {}, navLink(here({program: w.program_id}), this.go, w.title)),
        h("span", {class: "rt-meta"}, `${w.pages} page${w.pages === 1 ? "" : "s"}`))))
        : h("p", {class: "rt-muted"}, "You are in no program yet, so there is no wiki for you."));
  }

  async showPages(program) {
    const {wiki, pages} = await this.api.get(`api/wiki/${encodeURIComponent(program)}/pages`);
    const title = h("input", {type: "text", required: true, maxlength: 200, placeholder: "e.g. Objection library"});
    const create = h("form", {class: "rt-card rt-new-page", onSubmit: (event) => {
      event.preventDefault();
      const slug = slugify(title.value);
      if (!slug) return title.focus();
      history.pushState(null, "", here({program, page: slug, view: "edit", title: title.value.trim()}));
      return this.show();
    }}, field("New page", title), h("div", {class: "rt-actions"}, h("button", {type: "submit", class: "md-button"}, "Create")));
    replace(this.el, this.crumbs(program), h("h2", {}, `${wiki.title} wiki`),
      pages.length ? h("ul", {class: "rt-list"}, pages.map((p) => h("li", {class: "rt-card rt-row"},
        h("strong", {}, navLink(here({program, page: p.slug}), this.go, p.title)),
        h("span", {class: "rt-meta"}, p.protected ? h("span", {class: "rt-badge rt-badge--locked"}, "Protected") : null,
          ` revision ${p.revision} · ${p.updated_by} · `, timeAgo(p.updated)))))
        : h("p", {class: "rt-muted rt-empty"}, "No pages yet."),
      wiki.can_edit ? create : null);
  }

  async loadPage(program, slug) {
    try {
      return (await this.api.get(this.base(program, slug))).page;
    } catch (error) {
      if (error.status === 404) return null;
      throw error;
    }
  }

  async showPage(program, slug) {
    const page = await this.loadPage(program, slug);
    if (!page) {
      return replace(this.el, this.crumbs(program, slug), h("div", {class: "rt-card"},
        h("p", {}, "This page does not exist yet."),
        h("p", {}, navLink(here({program, page: slug, view: "edit"}), this.go, "Create it"))));
    }
    const status = statusLine();
    const link = (view, label) => {
      const a = navLink(here({program, page: slug, view}), this.go, label);
      a.classList.add("md-button");
      return a;
    };
    const actions = [link("history", "History")];
    if (page.can.edit) actions.unshift(link("edit", "Edit"));
    if (page.can.protect) {
      const protect = h("button", {type: "button", class: "md-button", onClick: async () => {
        if (await busy(protect, status, () => this.api.post(`${this.base(program, slug)}/protect`, {protected: !page.protected}))) this.show();
      }}, page.protected ? "Unprotect" : "Protect");
      actions.push(protect);
    }
    replace(this.el, this.crumbs(program, slug),
      h("article", {class: "rt-card rt-wiki-page"},
        h("h2", {}, page.title, page.protected ? h("span", {class: "rt-badge rt-badge--locked"}, "Protected") : null),
        h("p", {class: "rt-muted"}, `Revision ${page.revision} by ${page.updated_by} · `, timeAgo(page.updated)),
        setServerHtml(h("div", {class: "rt-body"}), page.body_html),
        h("div", {class: "rt-actions rt-wiki-actions"}, actions, status)));
  }

  async showEditor(program, slug) {
    const page = await this.loadPage(program, slug);
    const q = params();
    let base = page ? page.revision : 0;
    const title = h("input", {type: "text", maxlength: 200, value: page?.title || q.get("title") || slug.replace(/-/g, " ")});
    const body = h("textarea", {rows: 14, value: page?.body || ""});
    const note = h("input", {type: "text", maxlength: 200, placeholder: "What did you change? (optional)"});
    const save = h("button", {type: "submit", class: "md-button md-button--primary"}, page ? "Save" : "Create page");
    const status = statusLine();
    const current = h("div", {class: "rt-conflict"});
    const form = h("form", {class: "rt-card rt-wiki-editor", onSubmit: async (event) => {
      event.preventDefault();
      save.disabled = true;
      status.textContent = "";
      status.classList.remove("rt-status--error");
      try {
        await this.api.post(this.base(program, slug), {title: title.value, body: body.value, note: note.value, base_revision: base});
        history.pushState(null, "", here({program, page: slug}));
        return this.show();
      } catch (error) {
        status.classList.add("rt-status--error");
        status.setAttribute("role", "alert");
        status.textContent = error.message;
        if (error.status === 409) this.showConflict(current, error, (revision) => { base = revision; });
      } finally {
        save.disabled = false;
      }
      return undefined;
    }}, field("Title", title), field("Text (Markdown; link pages with [[Page name]])", body), field("Note", note),
    h("div", {class: "rt-actions"}, save, navLink(page ? here({program, page: slug}) : here({program}), this.go, "Cancel")),
    status, current);
    replace(this.el, this.crumbs(program, slug, page ? "Edit" : "New page"), form);
    body.focus();
  }

  /** After a 409: show the version saved meanwhile; the next save builds on it (the typed text stays). */
  async showConflict(box, error, rebase) {
    let latest = null;
    try {
      const q = params();
      latest = (await this.api.get(this.base(q.get("program"), q.get("page")))).page;
    } catch {
      latest = null;
    }
    if (!latest) return;
    rebase(latest.revision);
    replace(box, h("details", {open: true, class: "rt-card"},
      h("summary", {}, `Current version: revision ${latest.revision} by ${latest.updated_by}`),
      h("pre", {class: "rt-current-text"}, latest.body),
      h("p", {class: "rt-muted"}, "Your text is still in the editor above. Merge what you need and save again: it will be saved on top of this revision.")));
  }

  async showHistory(program, slug) {
    const {page, revisions} = await this.api.get(`${this.base(program, slug)}/history`);
    const status = statusLine();
    const pick = (name, value, checked) => h("input", {type: "radio", name, value, checked, "aria-label": `${name} revision ${value}`});
    const rows = revisions.map((r, i) => {
      const revert = r.revision !== page.revision && page.can.edit
        ? h("button", {type: "button", class: "rt-action", onClick: async () => {
          const done = await busy(revert, status, () => this.api.post(`${this.base(program, slug)}/revert`,
            {revision: r.revision, base_revision: page.revision}));
          if (done) { history.pushState(null, "", here({program, page: slug})); this.show(); }
        }}, `Revert to ${r.revision}`) : null;
      return h("tr", {"data-revision": r.revision},
        h("td", {}, pick("from", r.revision, i === 1)), h("td", {}, pick("to", r.revision, i === 0)),
        h("td", {}, String(r.revision)), h("td", {}, r.author.name), h("td", {}, timeAgo(r.created)),
        h("td", {}, r.note || ""), h("td", {}, revert));
    });
    const compare = h("form", {onSubmit: (event) => {
      event.preventDefault();
      const data = new FormData(compare);
      history.pushState(null, "", here({program, page: slug, view: "diff", from: data.get("from"), to: data.get("to")}));
      this.show();
    }},
    h("table", {class: "rt-history"},
      h("thead", {}, h("tr", {}, ["From", "To", "Revision", "Author", "When", "Note", ""].map((t) => h("th", {}, t)))),
      h("tbody", {}, rows)),
    h("div", {class: "rt-actions"}, h("button", {type: "submit", class: "md-button md-button--primary"}, "Compare"), status));
    replace(this.el, this.crumbs(program, slug, "History"), h("h2", {}, `History of ${page.title}`), compare);
  }

  async showDiff(program, slug, from, to) {
    const query = new URLSearchParams();
    if (from) query.set("from", from);
    if (to) query.set("to", to);
    const data = await this.api.get(`${this.base(program, slug)}/diff?${query}`);
    const lines = data.lines.length ? data.lines.map((l) => h("div", {class: `rt-diff-line rt-diff--${{"+": "add", "-": "del", "@": "hunk", " ": "same"}[l.op]}`},
      h("span", {class: "rt-diff-op", "aria-hidden": "true"}, l.op === "@" ? "" : l.op), l.text))
      : [h("p", {class: "rt-muted"}, "These revisions are the same.")];
    replace(this.el, this.crumbs(program, slug, "Diff"),
      h("h2", {}, `Changes from revision ${data.from} to ${data.to}`),
      h("div", {class: "rt-card rt-diff", role: "region", "aria-label": "Diff"}, lines),
      h("p", {}, navLink(here({program, page: slug, view: "history"}), this.go, "Back to history")));
  }
}
