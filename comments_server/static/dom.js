// Building DOM nodes without HTML strings: text always goes in through
// textContent, so user text can never become markup. The one exception is
// setServerHtml(), for the body_html the server has already sanitised (nh3).

const PROPERTIES = new Set(["value", "checked", "disabled", "hidden", "selected"]);
const FORBIDDEN = new Set(["innerHTML", "outerHTML", "srcdoc"]);

/** Create an element: h("p", {class: "rt-hint"}, "text", child, [more]). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (FORBIDDEN.has(key) || /^on[a-z]+$/.test(key)) {
      throw new Error(`h(): "${key}" is not allowed; pass a function as onClick`);
    }
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      el.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (PROPERTIES.has(key)) {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Append strings (as text), nodes and nested arrays; skip null and false. */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replace an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Put the server's sanitised body_html into el: the only innerHTML in the widget. */
export function setServerHtml(el, bodyHtml) {
  el.innerHTML = bodyHtml || "";
  // Links in comments leave the site: never hand them our window.
  for (const a of el.querySelectorAll("a[href]")) a.setAttribute("rel", "nofollow noopener noreferrer");
  return el;
}

let counter = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = "rt") {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A relative time ("3 minutes ago") in a <time> with the exact date as title. */
export function timeAgo(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return h("span", {}, "");
  const lang = document.documentElement.lang || undefined;
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const steps = [[60, "second"], [60, "minute"], [24, "hour"], [7, "day"], [4.345, "week"], [12, "month"], [Infinity, "year"]];
  let value = seconds;
  let unit = "second";
  for (const [size, name] of steps) {
    unit = name;
    if (Math.abs(value) < size) break;
    value = value / size;
  }
  let text;
  if (unit === "second" && Math.abs(value) < 45) text = "just now";
  else text = new Intl.RelativeTimeFormat(lang, {numeric: "auto"}).format(Math.round(value), unit);
  const full = new Intl.DateTimeFormat(lang, {dateStyle: "medium", timeStyle: "short"}).format(date);
  return h("time", {datetime: date.toISOString(), title: full}, text);
}

// The anchors links name (notifications, e-mails, the dashboard's queue): a comment,
// a plan, a presentation to review, a question to the author, one's own reviews, a thread.
const ANCHOR = /^rt-(?:(?:comment|plan|review|question|thread)-\d+|feedback)$/;

/** The widget anchor the address names ("rt-plan-7" for #rt-plan-7), else "". */
export function linkedAnchor() {
  const id = decodeURIComponent(location.hash.slice(1));
  return ANCHOR.test(id) ? id : "";
}

/** The number of the `kind` item the address names: #rt-<kind>-N, else ?<kind>=N; null if none. */
export function linkedNumber(kind) {
  const match = linkedAnchor().match(new RegExp(`^rt-${kind}-(\\d+)$`));
  const value = match ? match[1] : new URLSearchParams(location.search).get(kind);
  return value && /^\d+$/.test(value) ? Number(value) : null;
}

/**
 * Scroll to and focus the element the address names, once a widget has drawn it inside root.
 * Called by the widget that draws it and again by roundtable.js when every widget is drawn,
 * because widgets above the target may still grow after the first call.
 */
export function revealLinked(root = document) {
  const id = linkedAnchor();
  const target = id && document.getElementById(id);
  if (!target || !root.contains(target)) return false;
  const active = document.activeElement;
  if (active && active !== document.body && active !== target) return true; // the reader moved on: keep their place
  target.classList.add("rt-linked");
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.scrollIntoView({block: "center"});
  target.focus({preventScroll: true});
  return true;
}

/** Move focus to el (a new comment, a status line) after the control that had it was redrawn. */
export function focusOn(el) {
  if (!el) return;
  if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) el.setAttribute("tabindex", "-1");
  el.focus();
}
