// Entry point of the embed: finds the mount points the generator wrote
// (.rt-activity[data-rt-kind]) and mounts the widget for each kind. Loaded as
// a module from the server's /static/, so the server's URL is where this file
// came from; no script-tag scanning and no configuration in the page.

import {createApi} from "./api.js";
import {h, replace, revealLinked} from "./dom.js";

// Kinds with a finished widget. A kind that is not listed keeps its mount
// point's fallback, reworded: the server answered, the widget does not exist yet.
const WIDGETS = {
  roundtable: "./widgets/thread.js",
  signin: "./widgets/signin.js",
  forum: "./widgets/forum.js", // community (issue 6)
  blogs: "./widgets/blog.js",
  "blog-recent": "./widgets/blog.js",
  wiki: "./widgets/wiki.js",
  "ask-author": "./widgets/ask-author.js",
  search: "./widgets/search.js",
  read: "./widgets/read.js",
  plan: "./widgets/plan.js",
  presentation: "./widgets/presentation.js",
  reflection: "./widgets/reflection.js",
  quiz: "./widgets/quiz.js", // knowledge check (issue 12)
  progress: "./widgets/progress.js",
  dashboard: "./widgets/dashboard.js", // program dashboard (issue 5)
  notifications: "./widgets/notifications.js", // notifications (issue 7)
  "coach-notes": "./widgets/coach-notes.js", // coach-only blocks (issue 12)
};

const staticBase = new URL(".", import.meta.url);
const api = createApi(new URL("../", staticBase));

/** The site's root URL: from Material's page config, else the server's root. */
function siteRoot() {
  try {
    const config = JSON.parse(document.getElementById("__config")?.textContent || "{}");
    if (typeof config.base === "string") return new URL(config.base.replace(/\/?$/, "/"), location.href);
  } catch {
    // No Material config on this page: fall through.
  }
  return new URL("/", location.href);
}

// Material's __config holds the root relative to the page it first loaded, and
// instant navigation keeps that element: resolve it once, on the first page.
const SITE_ROOT = siteRoot();

function makeSite() {
  const root = SITE_ROOT;
  return {
    root,
    /** The sign-in page, returning to `next` (default: this page) afterwards. */
    signinUrl(next = location.pathname + location.search + location.hash) {
      const url = new URL("signin/", root);
      url.searchParams.set("next", next);
      return url.href;
    },
  };
}

async function mountOne(element, site) {
  const kind = element.dataset.rtKind;
  const path = Object.hasOwn(WIDGETS, kind) ? WIDGETS[kind] : null;
  if (element.dataset.rtMounted) return;
  if (!path) {
    element.dataset.rtMounted = "unsupported";
    element.querySelectorAll(".rt-fallback").forEach((node) => {
      node.textContent = "This activity is not available on the site yet.";
    });
    return;
  }
  element.dataset.rtMounted = "loading";
  try {
    const widget = await import(new URL(path, staticBase).href);
    const root = h("div", {class: "rt-widget", "data-rt-widget": kind});
    element.append(root);
    await widget.mount(root, {api, id: element.dataset.rtId || "", kind, site});
    element.querySelectorAll(".rt-fallback").forEach((node) => node.remove());
    element.dataset.rtMounted = "yes";
  } catch (error) {
    // Leave the fallback text in place: it tells the reader what is missing.
    element.dataset.rtMounted = "failed";
    console.error(`Roundtable: the ${kind} widget failed to mount`, error);
  }
}

let bell = null; // the header's bell, once drawn: {refresh()}

/** Sign out, then show the page again as nobody. */
async function signOut(control) {
  control.disabled = true;
  try {
    await api.post("api/auth/logout", {});
    location.reload();
  } catch (error) {
    control.disabled = false;
    control.title = error.message;
  }
}

/**
 * The site nav's "Sign in" entry (a generated page) says "Sign out" and signs out for someone
 * signed in. Instant navigation redraws the nav, so this runs on every page view.
 */
async function relabelSignIn(site) {
  const links = [...document.querySelectorAll(".md-nav__link[href]")]
    .filter((a) => new URL(a.href, location.href).pathname === new URL("signin/", site.root).pathname);
  if (!links.length) return;
  let user = null;
  try {
    user = (await api.session()).user;
  } catch {
    return;
  }
  for (const link of links) {
    if (!user || link.dataset.rtSignOut) continue;
    link.dataset.rtSignOut = "yes";
    const text = link.querySelector(".md-ellipsis") || link;
    text.textContent = "Sign out";
    link.title = `Signed in as ${user.name || user.email}`;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      event.stopPropagation(); // before Material's instant navigation follows the link
      signOut(link);
    });
  }
}

/** Show who is signed in (and a sign-out button) in Material's header. */
async function mountAccount(site) {
  const header = document.querySelector(".md-header__inner");
  const existing = header?.querySelector(".rt-account");
  if (existing) {
    // Instant navigation keeps the header: the way back from sign-in changes, the bell counts again.
    const link = existing.querySelector(".rt-account__link");
    if (link) link.href = site.signinUrl();
    bell?.refresh();
    return;
  }
  if (!header) return;
  const box = h("div", {class: "rt-account md-header__option", "aria-live": "polite"});
  const title = header.querySelector(".md-header__title");
  if (title) title.after(box); else header.append(box);
  let user = null;
  try {
    user = (await api.session()).user;
  } catch {
    box.remove(); // the thread widget explains an unreachable server; the header stays quiet
    return;
  }
  if (!user) {
    if (!location.pathname.endsWith("/signin/")) {
      replace(box, h("a", {class: "rt-account__link", href: site.signinUrl()}, "Sign in"));
    }
    return;
  }
  const button = h("button", {type: "button", class: "rt-account__button", onClick: () => signOut(button)}, "Sign out");
  const name = h("span", {class: "rt-account__name", title: user.email || ""},
    h("span", {class: "rt-visually-hidden"}, "Signed in as "), user.name || user.email);
  replace(box, name, button);
  // the bell with the unread count (issue 7), before the name; it counts once now, then per page view
  import("./widgets/notifications.js").then((m) => { bell = m.mountBell(name, {api, site}); })
    .catch((error) => console.error("Roundtable: the notification bell failed", error));
}

function mountAll() {
  const site = makeSite();
  mountAccount(site);
  relabelSignIn(site);
  const mounts = [...document.querySelectorAll(".rt-activity[data-rt-kind]")].map((element) => mountOne(element, site));
  // A link to one item (#rt-plan-7): its widget scrolls there when drawn, but widgets above it
  // may finish later and push it down, so scroll once more when every widget is drawn.
  Promise.allSettled(mounts).then(() => revealLinked());
}

// Material's instant navigation swaps the page without a new DOMContentLoaded;
// its document$ observable emits for the first page and for every later one.
if (window.document$ && typeof window.document$.subscribe === "function") {
  window.document$.subscribe(() => mountAll());
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", mountAll, {once: true});
} else {
  mountAll();
}
