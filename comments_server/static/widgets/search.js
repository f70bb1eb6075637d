// Search across forums, blogs and wiki: a box the community pages share (and a
// mount kind of its own). The server only returns what the reader may see;
// snippets come as text with \u0002...\u0003 around the hits, drawn as <mark>.
// The page's query is ?search=words: Material's own search box owns ?q=.

import {ApiError} from "../api.js";
import {h, replace} from "../dom.js";
import {ensureCss} from "./community.js";

export async function mount(element, {api, site}) {
  ensureCss();
  replace(element, searchBox(api, site));
}

/** Where a hit lives on the site. */
export function hitUrl(hit, root) {
  const url = (path, query, hash = "") => {
    const u = new URL(path, root);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u.pathname + u.search + hash;
  };
  const hash = hit.comment_id ? `#rt-comment-${hit.comment_id}` : "";
  if (hit.topic_id) return url("forum/", {topic: hit.topic_id}, hash);
  if (hit.post_id) return url("blogs/", {post: hit.post_id}, hash);
  if (hit.kind === "wiki") return url("wiki/", {program: hit.program_id, page: hit.slug});
  return root.pathname;
}

const KIND = {topic: "Forum topic", comment: "Reply", post: "Blog post", wiki: "Wiki page"};

function snippet(text) {
  const out = h("p", {class: "rt-snippet"});
  for (const [i, part] of (text || "").split(/[\u0002\u0003]/).entries()) {
    out.append(i % 2 ? h("mark", {}, part) : document.createTextNode(part));
  }
  return out;
}

/** A search form with its results; ?search= on the page fills it in and runs it. */
export function searchBox(api, site) {
  const input = h("input", {type: "search", name: "q", placeholder: "Search forums, blogs and wiki",
    "aria-label": "Search forums, blogs and wiki", value: new URLSearchParams(location.search).get("search") || ""});
  const results = h("div", {class: "rt-search-results", "aria-live": "polite"});
  const run = async () => {
    const q = input.value.trim();
    const url = new URL(location.href);
    if (q) url.searchParams.set("search", q); else url.searchParams.delete("search");
    history.replaceState(null, "", url.pathname + url.search);
    if (!q) return replace(results);
    replace(results, h("p", {class: "rt-muted"}, "Searching…"));
    try {
      const data = await api.get(`api/search?q=${encodeURIComponent(q)}`);
      if (!data.results.length) return replace(results, h("p", {class: "rt-muted"}, `Nothing found for “${q}”.`));
      replace(results, h("ul", {class: "rt-list"}, data.results.map((hit) => h("li", {class: "rt-card rt-hit"},
        h("span", {class: "rt-badge"}, KIND[hit.kind] || hit.kind), " ",
        h("a", {href: hitUrl(hit, site.root)}, hit.title || "(untitled)"), snippet(hit.snippet)))));
    } catch (error) {
      replace(results, h("p", {class: "rt-status rt-status--error", role: "alert"},
        error instanceof ApiError ? error.message : "The search failed."));
    }
  };
  const form = h("form", {class: "rt-search", role: "search", onSubmit: (event) => { event.preventDefault(); run(); }},
    input, h("button", {type: "submit", class: "md-button"}, "Search"));
  if (input.value) queueMicrotask(run);
  return h("div", {class: "rt-search-box"}, form, results);
}
