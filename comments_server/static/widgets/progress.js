// "My progress" page: for a learner each program's modules with status, due
// date, next step and feedback received; for a manager (or coach) what waits
// for their feedback (each opening inline) and their reports' progress.

import {ApiError} from "../api.js";
import {h, replace} from "../dom.js";
import {badge, ensureStyles, showLoadError, showSignIn} from "./activity.js";
import {waitingList} from "./plan.js";

const STATUS = {
  not_started: "Not started",
  in_progress: "In progress",
  waiting_for_feedback: "Waiting for feedback",
  complete: "Complete",
  overdue: "Overdue",
};

/** Mount the progress page into element. */
export async function mount(element, {api, site}) {
  ensureStyles();
  replace(element, h("p", {class: "rt-muted", role: "status"}, "Loading your progress…"));
  try {
    const session = await api.session();
    if (!session.user) return showSignIn(element, site, "see your progress");
    render(element, api, await api.get("api/progress"), site);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return showSignIn(element, site, "see your progress");
    showLoadError(element, error, () => mount(element, {api, site}), "progress");
  }
}

function render(element, api, data, site) {
  const parts = [];
  const manager = data.manager;
  if (manager?.waiting?.length) parts.push(waitingList(api, manager.waiting, "Waiting for your feedback"));
  else if (manager) parts.push(h("p", {class: "rt-card rt-muted"}, "Nothing is waiting for your feedback."));
  if (data.to_review?.length) {
    parts.push(h("section", {class: "rt-card", "aria-label": "Reviews to give"}, h("h3", {}, "Reviews to give"),
      h("ul", {}, data.to_review.map((r) => h("li", {},
        h("a", {href: new URL(r.module_url, site.root).href}, r.module_title), `: ${r.presenter_name}'s presentation`)))));
  }
  for (const program of data.learner.programs) parts.push(programSection(program, site));
  if (!data.learner.programs.length && !manager) {
    parts.push(h("p", {class: "rt-card rt-muted"}, "You are not enrolled as a learner in any program yet."));
  }
  if (manager?.reports?.length) parts.push(reportsSection(manager.reports));
  replace(element, parts);
}

function statusBadge(status) {
  return h("span", {class: ["rt-status-badge", `rt-status--${status}`], "data-status": status}, STATUS[status] || status);
}

function programSection(program, site) {
  const next = program.next
    ? h("p", {class: "rt-next"}, "Next: ", h("a", {href: new URL(program.next.url, site.root).href}, program.next.module),
      ` – ${program.next.text}`)
    : h("p", {class: "rt-done"}, "✓ Nothing left to do in this program for now.");
  return h("section", {class: "rt-card rt-program", "aria-label": program.title, "data-program-id": program.id},
    h("h3", {}, program.title, " ", h("span", {class: "rt-muted"}, `(${program.cohort.title || program.cohort.id})`)),
    next,
    h("div", {class: "rt-progress-table"}, h("table", {},
      h("thead", {}, h("tr", {}, ["Module", "Status", "Due", "Next step"].map((t) => h("th", {scope: "col"}, t)))),
      h("tbody", {}, program.modules.map((m) => h("tr", {"data-module-id": m.id},
        h("th", {scope: "row"}, h("a", {href: new URL(m.url, site.root).href}, m.title)),
        h("td", {}, statusBadge(m.status)),
        h("td", {class: "rt-date"}, m.due || "–"),
        h("td", {}, m.next?.text || ""))))),
    ),
    feedbackReceived(program));
}

function feedbackReceived(program) {
  const items = program.modules.flatMap((m) => (m.feedback || []).map((f) => ({...f, module: m})));
  if (!items.length) return null;
  return h("div", {class: "rt-feedback-received"}, h("h4", {}, "Feedback received"),
    h("ul", {}, items.map((f) => h("li", {},
      h("strong", {}, f.module.title), ": ",
      f.kind === "plan"
        ? f.items.filter((i) => i.kind === "feedback").map((i) => `${i.giver_name} rated your debrief ${i.rating} of ${i.scale}`)
          .concat(counted(f.items, "comment", "comment"), counted(f.items, "revision_request", "revision request"))
          .join("; ")
        : `${reviewCount(f.count, f.target)}; averages ` +
          Object.entries(f.averages).map(([c, v]) => `${c} ${v ?? "–"}`).join(", ")))));
}

/** "1 comment", "2 revision requests": the items of one kind, counted apart; none: nothing. */
function counted(items, kind, noun) {
  const n = items.filter((i) => i.kind === kind).length;
  return n ? [`${n} ${noun}${n === 1 ? "" : "s"}`] : [];
}

/** "2 of 3 reviews", or "4 reviews (3 asked for)" when coaches reviewed beyond the peers asked for. */
export function reviewCount(count, target) {
  return count > target ? `${count} reviews (${target} asked for)` : `${count} of ${target} reviews`;
}

function reportsSection(reports) {
  return h("section", {class: "rt-card", "aria-label": "Your reports"}, h("h3", {}, "Your reports"),
    h("div", {class: "rt-reports-table"}, h("table", {},
      h("thead", {}, h("tr", {}, ["Person", "Program", "Complete", "Overdue", "Modules"].map((t) => h("th", {scope: "col"}, t)))),
      h("tbody", {}, reports.flatMap((r) => (r.programs.length ? r.programs : [null]).map((p) => h("tr", {"data-report-id": r.id},
        h("th", {scope: "row"}, r.name),
        h("td", {}, p ? p.title : "–"),
        h("td", {}, p ? `${p.modules.filter((m) => m.status === "complete").length} of ${p.modules.length}` : "–"),
        h("td", {}, p ? String(p.modules.filter((m) => m.status === "overdue").length) : "–"),
        h("td", {}, p ? p.modules.map((m) => badge(`${m.title}: ${STATUS[m.status]}`)) : null))))))));
}
