// Blogs: everyone's newest posts and a form to write one (blogs/), one person's
// blog (?author=3), one post with its comments (?post=7); and, on a program's
// landing page (kind "blog-recent", id = program), that program's recent posts.

import {h, replace, setServerHtml, timeAgo} from "../dom.js";
import {
  busy, CommunityPage, CommunityThread, ensureCss, field, here, navLink, sessionUser, showError,
  signInPrompt, statusLine,
} from "./community.js";
import {searchBox} from "./search.js";

const VISIBILITY = {cohort: "My cohort", program: "My program", everyone: "Everyone"};

export async function mount(element, {api, id, kind, site}) {
  ensureCss();
  if (kind === "blog-recent") return recent(element, api, site, id);
  return new Blogs(element, api, site).mount();
}

async function recent(element, api, site, programId) {
  const user = await sessionUser(api).catch(() => null);
  if (!user) return signInPrompt(element, site, "read the program's blog posts");
  try {
    const {posts} = await api.get(`api/blogs/recent?program=${encodeURIComponent(programId)}&limit=5`);
    const link = (query) => new URL(`blogs/?${new URLSearchParams(query)}`, site.root).href;
    replace(element, posts.length
      ? h("ul", {class: "rt-list"}, posts.map((p) => h("li", {class: "rt-card rt-row"},
        h("div", {}, h("strong", {}, h("a", {href: link({post: p.id})}, p.title)),
          h("div", {class: "rt-muted"}, p.author.name, " · ", timeAgo(p.created))))))
      : h("p", {class: "rt-muted"}, "No posts yet."),
    h("p", {}, h("a", {href: new URL("blogs/", site.root).href}, "All blogs →")));
  } catch (error) {
    showError(element, error);
  }
}

class Blogs extends CommunityPage {
  loading = "Loading the blogs…";
  signInFor = "read and write blog posts";

  async route(query) {
    if (query.get("post")) return await this.showPost(query.get("post"));
    if (query.get("author")) return await this.showAuthor(query.get("author"));
    return await this.showHome();
  }

  postCard(p) {
    return h("li", {class: "rt-card rt-post-card", "data-post-id": p.id},
      h("h3", {}, navLink(here({post: p.id}), this.go, p.title)),
      h("p", {class: "rt-muted"}, navLink(here({author: p.author.id}), this.go, p.author.name), " · ", timeAgo(p.created),
        " · ", h("span", {class: "rt-badge"}, VISIBILITY[p.visibility]),
        p.module ? [" · ", h("span", {class: "rt-badge rt-badge--reflection"}, "Reflection")] : null,
        ` · ${p.comment_count} comment${p.comment_count === 1 ? "" : "s"}`));
  }

  async showHome() {
    const data = await this.api.get("api/blogs");
    replace(this.el, searchBox(this.api, this.site), this.postForm(data.cohorts),
      h("div", {class: "rt-columns"},
        h("section", {"aria-label": "Newest posts"}, h("h2", {}, "Newest posts"),
          data.posts.length ? h("ul", {class: "rt-list"}, data.posts.map((p) => this.postCard(p)))
            : h("p", {class: "rt-muted rt-empty"}, "No posts yet. Write the first one.")),
        h("aside", {"aria-label": "Bloggers"}, h("h2", {}, "Blogs"),
          h("ul", {class: "rt-list rt-bloggers"}, data.bloggers.map((b) => h("li", {},
            navLink(here({author: b.id}), this.go, b.id === this.user.id ? `${b.name} (you)` : b.name),
            h("span", {class: "rt-muted"}, ` ${b.posts}`)))))));
  }

  postForm(cohorts, post = null) {
    const title = h("input", {type: "text", required: true, maxlength: 200, value: post?.title || ""});
    const body = h("textarea", {rows: 8, required: true, value: post?.body || ""});
    const visibility = h("select", {}, Object.entries(VISIBILITY).map(([value, label]) =>
      h("option", {value, selected: value === (post?.visibility || (cohorts.length ? "cohort" : "everyone"))}, label)));
    const cohort = cohorts.length > 1
      ? h("select", {}, cohorts.map((m) => h("option", {value: m.cohort_id, selected: m.cohort_id === post?.cohort_id}, m.cohort_id)))
      : null;
    const button = h("button", {type: "submit", class: "md-button md-button--primary"}, post ? "Save" : "Publish");
    const status = statusLine();
    const form = h("form", {onSubmit: async (event) => {
      event.preventDefault();
      const payload = {visibility: visibility.value};
      if (!post?.reflection) Object.assign(payload, {title: title.value, body: body.value});
      if (cohort) payload.cohort = cohort.value;
      const data = await busy(button, status, () => post
        ? this.api.patch(`api/blogs/posts/${post.id}`, payload)
        : this.api.post("api/blogs/posts", payload));
      if (!data) return;
      history.pushState(null, "", here({post: data.post.id}));
      this.show();
    }},
    post?.reflection ? null : [field("Title", title), field("Post (Markdown)", body)],
    h("div", {class: "rt-actions"}, field("Who can read it", visibility), cohort ? field("Cohort", cohort) : null, button),
    status);
    if (post) return h("div", {class: "rt-card"}, form);
    return h("details", {class: "rt-card rt-new"}, h("summary", {}, "Write a post"), form);
  }

  async showAuthor(authorId) {
    const data = await this.api.get(`api/blogs/people/${encodeURIComponent(authorId)}`);
    replace(this.el,
      h("nav", {class: "rt-crumbs"}, navLink(here({}), this.go, "Blogs"), " › ", data.author.name),
      h("h2", {}, `${data.author.name}’s blog`),
      data.posts.length ? h("ul", {class: "rt-list"}, data.posts.map((p) => this.postCard(p)))
        : h("p", {class: "rt-muted rt-empty"}, "No posts yet."));
  }

  async showPost(postId) {
    const path = `api/blogs/posts/${encodeURIComponent(postId)}`;
    const {post: p} = await this.api.get(`${path}?limit=1`);
    const status = statusLine();
    const actions = [];
    if (p.can.edit) {
      actions.push(h("button", {type: "button", class: "md-button", onClick: async () => {
        const {cohorts} = await this.api.get("api/blogs?limit=1");
        replace(article, this.postForm(cohorts, p));
      }}, p.reflection ? "Change who can read it" : "Edit"));
    }
    if (p.can.delete) {
      const del = h("button", {type: "button", class: "md-button rt-danger", onClick: async () => {
        if (!confirm("Delete this post?")) return;
        if (await busy(del, status, () => this.api.del(path))) {
          history.pushState(null, "", here({}));
          this.show();
        }
      }}, "Delete");
      actions.push(del);
    }
    const article = h("article", {class: "rt-card rt-post"},
      h("h2", {}, p.title),
      h("p", {class: "rt-muted"}, navLink(here({author: p.author.id}), this.go, p.author.name), " · ", timeAgo(p.created),
        p.edited ? " · edited" : "", " · ", h("span", {class: "rt-badge"}, VISIBILITY[p.visibility])),
      p.module ? h("p", {class: "rt-reflection-of"}, "Reflection on ",
        h("a", {href: new URL(p.module.url, this.site.root).href}, p.module.title)) : null,
      setServerHtml(h("div", {class: "rt-body"}), p.body_html),
      actions.length ? h("div", {class: "rt-actions"}, actions, status) : null);
    const comments = h("section", {"aria-label": "Comments"});
    replace(this.el, h("nav", {class: "rt-crumbs"}, navLink(here({}), this.go, "Blogs"), " › ",
      navLink(here({author: p.author.id}), this.go, p.author.name)), article, h("h3", {}, "Comments"), comments);
    await new CommunityThread(comments, this.api, this.site, path, {label: "Comment on this post", empty: "No comments yet."}).start();
  }
}
