// The program dashboard page, laid out as a desk (issue 10): first the viewer's own
// to-do list (a coach's queue; what waits for a manager), with dismiss and snooze, then
// for admins every cohort of each program side by side, then
// a cohort at a glance (each learner's name opens their page: dashboard-desk.js) (learners x modules heatmap across the full width with the
// learner column fixed, sortable and filterable; who needs attention and why; who
// is doing well), then program health (hints with evidence, module figures,
// funnel, activity over time, rubric scores, turnaround). Charts are drawn by the
// vendored Chart.js (static/vendor, no CDN) in the site's palette, and every chart
// has its table next to it.

import {ApiError} from "../api.js";
import {h, replace, uid} from "../dom.js";
import {learnerAsked, learnerPage, loadProgramCohorts, loadQueue} from "./dashboard-desk.js";

const STATUS = {
  complete: {label: "Complete", symbol: "✓"},
  in_progress: {label: "In progress", symbol: "◐"},
  waiting_for_feedback: {label: "Waiting for feedback", symbol: "…"},
  overdue: {label: "Overdue", symbol: "!"},
  not_started: {label: "Not started", symbol: "·"},
};
const ORDER = ["overdue", "not_started", "in_progress", "waiting_for_feedback", "complete"];
const STAFF_ROLES = new Set(["coach", "manager", "observer"]);
const LEARNERS_ONLY = "The dashboard is for coaches, managers and program staff. Your own modules and feedback are on My progress.";
const charts = new Set();

/** Mount the dashboard page into element. */
export async function mount(element, {api, site}) {
  ensureStyles();
  replace(element, h("p", {class: "rt-muted", role: "status"}, "Loading the dashboard…"));
  try {
    const session = await api.session();
    if (!session.user) return signIn(element, site);
    // Ask the session first: a learner is told where their page is, without a refused request.
    if (!mayHaveDashboard(session.user)) return learnersOnly(element, site, LEARNERS_ONLY);
    const asked = learnerAsked();
    if (asked) return learnerPage(element, api, site, asked);
    const overview = await api.get("api/dashboard");
    render(element, api, overview, site, session.user);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return signIn(element, site);
    if (error instanceof ApiError && error.status === 403) return learnersOnly(element, site, error.message);
    replace(element, h("p", {class: "rt-card rt-error", role: "alert"}, error.message));
  }
}

/**
 * Whether the dashboard may have something for this person. The session does not say whether
 * someone manages people, so only a person whose every membership is "learner" is told at once
 * (a manager known only by reporting lines has no membership and is asked about).
 */
function mayHaveDashboard(user) {
  if (typeof user.dashboard === "boolean") return user.dashboard; // once the session says so
  const roles = (user.memberships || []).map((m) => m.role);
  return Boolean(user.admin) || !roles.length || roles.some((r) => STAFF_ROLES.has(r));
}

function ensureStyles() {
  if (document.querySelector("link[data-rt-dashboard-css]")) return;
  document.head.append(h("link", {rel: "stylesheet", href: new URL("../dashboard.css", import.meta.url).href,
    "data-rt-dashboard-css": ""}));
}

function signIn(element, site) {
  replace(element, h("p", {class: "rt-card"}, h("a", {href: site.signinUrl()}, "Sign in"), " to see the dashboard."));
}

function learnersOnly(element, site, message) {
  replace(element, h("div", {class: "rt-card rt-dash-refused", role: "note"},
    h("p", {}, message),
    h("p", {}, h("a", {class: "md-button md-button--primary", href: new URL("progress/", site.root).href},
      "Go to My progress"))));
}

function render(element, api, overview, site, user) {
  const cohorts = overview.programs.flatMap((p) => p.cohorts.map((c) => ({...c, program: p})));
  // The desk: the viewer's own to-do list comes first, before any figure (a coach's queue, or what
  // waits for a manager), then, for admins, every cohort of each program side by side.
  const coach = overview.queue_role === "coach";
  const queue = overview.queue ? h("section", coach ? {class: "rt-card rt-dash-queue", "aria-label": "Your queue"}
    : {class: "rt-card rt-dash-waiting", "aria-label": "Waiting for you"}) : null;
  if (queue) {
    loadQueue(api, queue, coach ? "Your queue" : "Waiting for you",
      coach ? "Nothing is waiting for a coach." : "Nothing is waiting for you.");
  }
  if (!cohorts.length) {
    replace(element, queue, h("p", {class: "rt-card rt-muted"}, "No cohorts on your dashboard yet."));
    return;
  }
  const across = overview.program_cohorts ? h("section", {class: "rt-card rt-dash-across",
    "aria-label": "All cohorts"}) : null;
  const picker = h("select", {id: uid("rt-dash-cohort"), onChange: () => show(picker.value)},
    overview.programs.map((p) => h("optgroup", {label: p.title},
      p.cohorts.map((c) => h("option", {value: c.id}, `${c.title || c.id} (starts ${c.starts || "?"})`)))));
  const body = h("div", {class: "rt-dash-body"});
  replace(element, queue, across,
    h("div", {class: "rt-dash-top"}, h("label", {class: "rt-label", for: picker.id}, "Cohort"), picker),
    body);
  async function show(cohortId) {
    const cohort = cohorts.find((c) => c.id === cohortId);
    replace(body, h("p", {class: "rt-muted", role: "status"}, "Loading…"));
    try {
      const [glance, health] = await Promise.all([
        api.get(`api/dashboard/cohorts/${encodeURIComponent(cohortId)}`),
        api.get(`api/dashboard/programs/${encodeURIComponent(cohort.program.id)}/health?cohort=${encodeURIComponent(cohortId)}`),
      ]);
      replace(body, atAGlance(api, glance), healthSection(health));
      drawCharts(body);
    } catch (error) {
      replace(body, h("p", {class: "rt-card rt-error", role: "alert"}, error.message));
    }
  }
  show(cohorts[0].id);
  if (across) {
    loadProgramCohorts(api, across, overview.programs, (cohortId) => {
      picker.value = cohortId;
      show(cohortId);
      picker.focus();
    });
  }
}

// --------------------------------------------------------------------------- at a glance

function atAGlance(api, data) {
  const limited = data.limited_to_reports ? h("p", {class: "rt-hint"}, "Showing your direct reports only.") : null;
  const base = `api/dashboard/cohorts/${encodeURIComponent(data.cohort.id)}/export`;
  const link = (what, format, text) => h("a", {href: new URL(`${base}?what=${what}&format=${format}`, api.root).href,
    download: ""}, text);
  return h("section", {class: "rt-dash-glance", "aria-label": "At a glance"},
    h("h2", {}, `${data.cohort.title || data.cohort.id}: at a glance`), limited,
    matrix(data),
    h("p", {class: "rt-dash-exports"}, "Download: ", link("matrix", "csv", "matrix (CSV)"), " · ",
      link("events", "csv", "events (CSV)"), " · ", link("events", "xapi", "events (xAPI statements)")),
    h("div", {class: "rt-dash-columns"},
      h("section", {class: "rt-card rt-dash-attention", "aria-label": "Needs attention"},
        h("h3", {}, `Needs attention (${data.attention.length})`),
        data.attention.length ? h("ul", {}, data.attention.map((a) => h("li", {},
          h("strong", {}, a.learner.name), ": ", a.reasons.map((r) => r.text).join("; "))))
          : h("p", {class: "rt-muted"}, "Nobody right now.")),
      h("section", {class: "rt-card rt-dash-well", "aria-label": "Doing well"},
        h("h3", {}, `Doing well (${data.doing_well.length})`),
        data.doing_well.length ? h("ul", {}, data.doing_well.map((w) => h("li", {},
          h("strong", {}, w.learner.name), `: ${w.completed} of ${w.of} modules complete`)))
          : h("p", {class: "rt-muted"}, "Nobody yet."))));
}

function matrix(data) {
  const {modules, rows} = data.matrix;
  const flagged = new Set(data.attention.map((a) => a.learner.id));
  const state = {sort: "name", dir: 1, text: "", status: "", attention: false};
  const tbody = h("tbody");
  const head = h("tr", {}, sortable("Learner", "name"), sortable("Done", "completed"),
    modules.map((m, i) => sortable(m.title, i, `Due ${m.due || "—"}`)));
  const table = h("table", {class: "rt-dash-matrix"}, h("caption", {class: "rt-visually-hidden"},
    "Learners by modules: status of each module"), h("thead", {}, head), tbody);
  const search = h("input", {type: "search", placeholder: "Filter by name", "aria-label": "Filter learners by name",
    onInput: () => { state.text = search.value.toLowerCase(); fill(); }});
  const status = h("select", {"aria-label": "Show learners with a module in status", onChange: () => {
    state.status = status.value; fill();
  }}, h("option", {value: ""}, "Any status"), ORDER.map((s) => h("option", {value: s}, `Has: ${STATUS[s].label}`)));
  const attention = h("input", {type: "checkbox", onChange: () => { state.attention = attention.checked; fill(); }});
  function sortable(text, key, title) {
    return h("th", {scope: "col", title}, h("button", {type: "button", class: "rt-dash-sort", onClick: () => {
      state.dir = state.sort === key ? -state.dir : 1;
      state.sort = key;
      fill();
    }}, text));
  }
  function value(row) {
    if (state.sort === "name") return row.learner.name.toLowerCase();
    if (state.sort === "completed") return row.completed;
    return ORDER.indexOf(row.cells[state.sort]);
  }
  function fill() {
    const shown = rows.filter((r) => r.learner.name.toLowerCase().includes(state.text)
      && (!state.status || r.cells.includes(state.status)) && (!state.attention || flagged.has(r.learner.id)));
    shown.sort((a, b) => (value(a) > value(b) ? 1 : value(a) < value(b) ? -1 : 0) * state.dir);
    replace(tbody, shown.map((r) => h("tr", {"data-learner": r.learner.name},
      h("th", {scope: "row"}, r.learner.url ? h("a", {href: r.learner.url}, r.learner.name) : r.learner.name,
        flagged.has(r.learner.id) ? h("span", {class: "rt-dash-flag",
        title: "Needs attention"}, " ⚑") : null),
      h("td", {class: "rt-dash-num"}, `${r.completed}/${r.cells.length}`),
      r.cells.map((s, i) => h("td", {class: `rt-dash-cell rt-dash-${s}`, title: `${modules[i].title}: ${STATUS[s].label}`,
        "data-status": s}, h("span", {"aria-hidden": "true"}, STATUS[s].symbol),
        h("span", {class: "rt-visually-hidden"}, STATUS[s].label))))));
  }
  fill();
  return h("div", {class: "rt-card rt-dash-matrix-card"},
    h("div", {class: "rt-dash-filters"}, search, status, h("label", {}, attention, " Needs attention only")),
    h("div", {class: "rt-dash-scroll"}, table),
    h("p", {class: "rt-dash-legend"}, ORDER.map((s) => h("span", {class: `rt-dash-key rt-dash-${s}`},
      `${STATUS[s].symbol} ${STATUS[s].label}`))));
}

// --------------------------------------------------------------------------- program health

function healthSection(data) {
  const hl = data.health;
  return h("section", {class: "rt-dash-health", "aria-label": "Program health"},
    h("h2", {}, `${data.program.title}: where the program might be improved`),
    h("section", {class: "rt-card rt-dash-hints", "aria-label": "Improvement hints"}, h("h3", {}, "Hints"),
      hl.hints.length ? h("ol", {}, hl.hints.map((x) => h("li", {"data-kind": x.kind},
        h("strong", {}, x.text), h("br"), h("span", {class: "rt-muted"}, x.evidence))))
        : h("p", {class: "rt-muted"}, "Nothing stands out.")),
    h("p", {class: "rt-dash-figures"}, [
      `Completion past due: ${pct(hl.completion_rate)}`,
      `Coach's first reply: median ${num(hl.coach_response.median_hours)} h `
        + `(${hl.coach_response.unanswered} of ${hl.coach_response.posts} posts unanswered)`,
      ...Object.entries(hl.feedback_turnaround).map(([role, f]) => `${role} feedback: median ${num(f.median_days)} days`),
    ].join(" · ")),
    table("Modules", ["Module", "Complete", "Rate", "Past due", "Median days", "Roundtable joined"],
      hl.modules.map((m) => [m.title, m.complete, pct(m.completion_rate), pct(m.due_completion_rate),
        num(m.median_days_to_complete), m.roundtable_joined ?? "—"])),
    data.quiz_questions?.length ? table("Quiz questions learners miss",
      ["Question", "Quiz of", "Learners", "Right on first attempt", "Right on best attempt"],
      data.quiz_questions.map((q) => [`${q.number}. ${q.text}`, q.module_title, q.learners, pct(q.first_right),
        pct(q.best_right)])) : null,
    chart("Funnel: learners who started and completed each module", {
      type: "bar", labels: hl.funnel.map((f) => f.title),
      series: [["Started", hl.funnel.map((f) => f.started)], ["Completed", hl.funnel.map((f) => f.complete)]],
    }, ["Module", "Started", "Completed", "Drop-off"], hl.funnel.map((f) => [f.title, f.started, f.complete, f.drop_off])),
    chart("Activity per week", {
      type: "line", labels: hl.timeline.map((t) => t.week), series: [["Events", hl.timeline.map((t) => t.events)]],
    }, ["Week of", "Events"], hl.timeline.map((t) => [t.week, t.events])),
    hl.rubric.length ? chart("Rubric scores per criterion", {
      type: "bar", stacked: true, labels: hl.rubric.map((r) => r.criterion),
      series: [1, 2, 3, 4, 5].map((s) => [`Score ${s}`, hl.rubric.map((r) => r.counts[String(s)] || 0)]),
    }, ["Criterion", "1", "2", "3", "4", "5", "Mean", "Presenters scoring low"],
    hl.rubric.map((r) => [r.criterion, ...[1, 2, 3, 4, 5].map((s) => r.counts[String(s)] || 0), r.mean, pct(r.low_share)]))
      : null,
    hl.participation.learners ? table("Roundtable participation", ["Learner", "Posts", "Roundtables joined"],
      hl.participation.learners.map((p) => [p.learner.name, p.posts, `${p.roundtables_joined} of ${p.roundtables}`]))
      : null,
    table("By content revision", ["Module", "Revision", "Learners", "Complete", "Rate", "Median days"],
      hl.modules.flatMap((m) => m.revisions.map((r) => [m.title, r.revision.replace(/^sha256:/, "").slice(0, 12),
        r.learners, r.complete, pct(r.completion_rate), num(r.median_days_to_complete)]))));
}

function pct(share) {
  return share === null || share === undefined ? "—" : `${Math.round(share * 100)}%`;
}

function num(value) {
  return value === null || value === undefined ? "—" : String(value);
}

function table(title, columns, rows) {
  return h("section", {class: "rt-card rt-dash-table", "aria-label": title}, h("h3", {}, title), plainTable(columns, rows));
}

function plainTable(columns, rows) {
  return h("div", {class: "rt-dash-scroll"}, h("table", {},
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", {scope: "col"}, c)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((v, i) => (i ? h("td", {}, String(v)) : h("th", {scope: "row"}, String(v)))))))));
}

function chart(title, spec, columns, rows) {
  const canvas = h("canvas", {role: "img", "aria-label": title});
  canvas.rtChart = spec;
  return h("figure", {class: "rt-card rt-dash-chart"}, h("figcaption", {}, h("h3", {}, title)),
    h("div", {class: "rt-dash-canvas"}, canvas),
    h("details", {}, h("summary", {}, "Show as a table"), plainTable(columns, rows)));
}

// --------------------------------------------------------------------------- charts (vendored Chart.js)

let chartJs = null;

function loadChartJs() {
  if (window.Chart) return Promise.resolve(window.Chart);
  chartJs ??= new Promise((resolve, reject) => {
    const script = h("script", {src: new URL("../vendor/chart.umd.min.js", import.meta.url).href});
    script.addEventListener("load", () => resolve(window.Chart));
    script.addEventListener("error", () => reject(new Error("The chart library could not be loaded.")));
    document.head.append(script);
  });
  return chartJs;
}

/** The palette, read from Material's CSS variables so charts follow the light and dark schemes. */
function palette(element) {
  const css = getComputedStyle(element);
  const v = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  return {
    fg: v("--md-default-fg-color", "#333"), grid: v("--md-default-fg-color--lightest", "#ddd"),
    series: [v("--md-primary-fg-color", "#4051b5"), v("--md-accent-fg-color", "#526cfe"), "#e0a500", "#2e7d32", "#c62828"],
  };
}

async function drawCharts(root) {
  for (const c of charts) c.destroy();
  charts.clear();
  let Chart;
  try {
    Chart = await loadChartJs();
  } catch (error) {
    root.querySelectorAll(".rt-dash-canvas").forEach((n) => replace(n, h("p", {class: "rt-muted"}, error.message)));
    return;
  }
  const colors = palette(root);
  for (const canvas of root.querySelectorAll("canvas")) {
    const spec = canvas.rtChart;
    charts.add(new Chart(canvas, {
      type: spec.type,
      data: {labels: spec.labels, datasets: spec.series.map(([label, data], i) => ({
        label, data, borderColor: colors.series[i % colors.series.length],
        backgroundColor: colors.series[i % colors.series.length], tension: 0.2,
      }))},
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        color: colors.fg,
        scales: {x: {stacked: !!spec.stacked, ticks: {color: colors.fg}, grid: {color: colors.grid}},
          y: {stacked: !!spec.stacked, beginAtZero: true, ticks: {color: colors.fg, precision: 0}, grid: {color: colors.grid}}},
        plugins: {legend: {labels: {color: colors.fg}}},
      },
    }));
  }
}

// Material switches palettes by changing data-md-color-scheme on <body>: redraw in the new colours.
new MutationObserver(() => {
  const root = document.querySelector(".rt-dash-health");
  if (root && charts.size) drawCharts(root.parentElement);
}).observe(document.body, {attributes: true, attributeFilter: ["data-md-color-scheme"]});
