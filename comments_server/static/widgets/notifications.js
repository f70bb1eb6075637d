// Notifications: the bell with its unread count in the site header
// (mountBell, called by roundtable.js for a signed-in person) and the
// notifications page (mount): the list, "mark all read", and the choice per
// kind of mail (immediately, daily digest, never).

import {ApiError} from "../api.js";
import {h, replace, timeAgo, uid} from "../dom.js";

const CSS = new URL("../notifications.css", import.meta.url).href;
const POLL_MS = 10000; // the bell asks again this often while the page is visible
const DELIVERY = {immediate: "Immediately", digest: "Daily digest", never: "Never"};

/** Load notifications.css once per page. */
function ensureCss() {
  if (document.querySelector(`link[href="${CSS}"]`)) return;
  document.head.append(h("link", {rel: "stylesheet", href: CSS}));
}

/** The link to a notification's thing, on this site. */
function target(site, item) {
  return new URL(item.url || "", site.root).href;
}

// --------------------------------------------------------------------------- the bell in the header

/** Put a bell with the unread count before `before` (the account name); keep it fresh. */
export function mountBell(before, {api, site}) {
  ensureCss();
  const count = h("span", {class: "rt-bell__count", hidden: true}, "0");
  const label = h("span", {class: "rt-visually-hidden"}, "Notifications");
  const bell = h("a", {class: "rt-bell", href: new URL("notifications/", site.root).href, title: "Notifications"},
    bellIcon(), label, count);
  before.before(bell);
  const refresh = async () => {
    ensureCss(); // instant navigation may swap the <head>
    try {
      const data = await api.get("api/notifications?limit=0");
      count.textContent = data.unread > 99 ? "99+" : String(data.unread);
      count.hidden = data.unread === 0;
      label.textContent = data.unread ? `Notifications: ${data.unread} unread` : "Notifications";
      bell.dataset.unread = String(data.unread);
      document.dispatchEvent(new CustomEvent("rt:notifications", {detail: {unread: data.unread}}));
    } catch {
      // Offline or signed out meanwhile: the bell keeps its last count.
    }
  };
  refresh();
  const timer = setInterval(() => { if (document.visibilityState === "visible") refresh(); }, POLL_MS);
  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible") refresh(); });
  document.addEventListener("rt:notifications-changed", refresh);
  // Instant navigation keeps the header (and this bell): roundtable.js calls refresh() on each
  // later page view. Subscribing to document$ here counted twice on the first (it replays).
  return {bell, refresh, stop: () => clearInterval(timer)};
}

/** A bell drawn as SVG (Material's "bell" icon path): no emoji font needed. */
function bellIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "rt-bell__icon");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", "M21 19v1H3v-1l2-2v-6c0-3.1 2-5.8 5-6.7V4a2 2 0 0 1 4 0v.3c3 .9 5 3.6 5 6.7v6l2 2m-7 2a2 2 0 0 1-4 0");
  svg.append(path);
  return svg;
}

// --------------------------------------------------------------------------- the page

/** Mount the notifications page into element. */
export async function mount(element, {api, site}) {
  ensureCss();
  replace(element, h("p", {class: "rt-muted", role: "status"}, "Loading your notifications…"));
  try {
    const session = await api.session();
    if (!session.user) return showSignIn(element, site);
    const [list, prefs] = await Promise.all([api.get("api/notifications?limit=50"),
      api.get("api/notifications/preferences")]);
    replace(element, listSection(api, site, list), preferencesSection(api, prefs));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return showSignIn(element, site);
    replace(element, h("p", {class: "rt-error", role: "alert"}, error.message));
  }
}

function showSignIn(element, site) {
  replace(element, h("p", {class: "rt-signin"}, h("a", {href: site.signinUrl()}, "Sign in"),
    " to see your notifications."));
}

function listSection(api, site, data) {
  const items = data.notifications.map((n) => item(api, site, n));
  const markAll = h("button", {type: "button", class: "rt-action", disabled: data.unread === 0, onClick: async () => {
    markAll.disabled = true;
    try {
      await api.post("api/notifications/read", {});
      for (const li of items) li.classList.remove("rt-notification--unread");
      document.dispatchEvent(new Event("rt:notifications-changed"));
    } catch (error) {
      markAll.disabled = false;
      markAll.title = error.message;
    }
  }}, "Mark all as read");
  return h("section", {class: "rt-card rt-notifications", "aria-label": "Notifications"},
    h("div", {class: "rt-notifications__head"}, h("h2", {}, "Latest"), markAll),
    items.length ? h("ul", {class: "rt-notifications__list"}, items)
      : h("p", {class: "rt-muted"}, "Nothing yet. You will hear here when someone needs you."));
}

function item(api, site, n) {
  const open = async (event) => {
    if (n.read) return; // the link just opens
    event.preventDefault();
    try {
      await api.post("api/notifications/read", {ids: [n.id]});
      n.read = true;
      document.dispatchEvent(new Event("rt:notifications-changed"));
    } catch {
      // Marking read is a nicety: open the thing anyway.
    }
    location.href = target(site, n);
  };
  return h("li", {class: ["rt-notification", !n.read && "rt-notification--unread"], "data-kind": n.kind,
    "data-notification-id": n.id},
  h("a", {class: "rt-notification__link", href: target(site, n), onClick: open}, n.subject),
  n.text ? h("p", {class: "rt-notification__text"}, n.text) : null,
  h("p", {class: "rt-muted rt-notification__meta"}, timeAgo(n.created)));
}

function preferencesSection(api, data) {
  const status = h("p", {class: "rt-muted", role: "status"});
  const rows = data.preferences.map((p) => {
    const id = uid("rt-pref");
    const select = h("select", {id, name: p.kind, onChange: async () => {
      status.textContent = "Saving…";
      try {
        await api.put("api/notifications/preferences", {[p.kind]: select.value});
        status.textContent = "Saved.";
      } catch (error) {
        status.textContent = error.message;
      }
    }}, data.deliveries.map((d) => h("option", {value: d, selected: d === p.delivery}, DELIVERY[d] || d)));
    return h("tr", {}, h("th", {scope: "row"}, h("label", {for: id}, p.label)), h("td", {}, select));
  });
  return h("section", {class: "rt-card rt-notification-prefs", "aria-label": "Mail choices"},
    h("h2", {}, "Mail me…"),
    h("p", {class: "rt-muted"}, "Every notification is listed here; these choices decide the e-mail."),
    h("table", {}, h("tbody", {}, rows)), status);
}
