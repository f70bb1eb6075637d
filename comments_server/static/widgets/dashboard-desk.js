// The dashboard's desk parts (issue 10): the viewer's to-do list with dismiss and snooze, a
// learner's page (dashboard/?cohort=C&learner=N#rt-learner-N) and a program's cohorts side by side.
// Every link is the absolute URL the server built (domain/links.py), used as given.

import {h, replace, revealLinked, uid} from "../dom.js";

const KIND = {
  open_question: "Open question", unanswered_post: "Unanswered post", plan_waiting: "Plan waiting",
  presentation_short: "Presentation short of reviews", learner_attention: "Learner needs attention",
};
const STATUS = {
  complete: "Complete", in_progress: "In progress", waiting_for_feedback: "Waiting for feedback",
  overdue: "Overdue", not_started: "Not started",
};
const WORK = {
  plan: "Plan", presentation: "Presentation", post: "Post", reply: "Reply", question: "Question",
  reflection: "Reflection", blog_post: "Blog post",
};
const SNOOZES = [[1, "Snooze 1 day"], [7, "Snooze 1 week"]];

function statusLine() {
  return h("p", {class: "rt-status", role: "status", "aria-live": "polite"});
}

function addDays(isoDay, days) {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// --------------------------------------------------------------------------- the to-do list

/**
 * Draw the viewer's to-do list into section (GET /api/dashboard/queue): each item one click from
 * its target, with Dismiss (until it changes) and Snooze; what was set aside can be put back.
 */
export async function loadQueue(api, section, title, empty) {
  const status = statusLine();
  replace(section, h("h2", {}, title), h("p", {class: "rt-muted", role: "status"}, "Loading…"));
  async function draw(message) {
    let data;
    try {
      data = await api.get("api/dashboard/queue");
    } catch (error) {
      replace(section, h("h2", {}, title), h("p", {class: "rt-error", role: "alert"}, error.message));
      return;
    }
    const act = async (path, body, done) => {
      try {
        await api.post(path, body);
        await draw(done);
      } catch (error) {
        status.textContent = error.message;
      }
    };
    const list = data.items.length ? h("ol", {class: "rt-dash-queue-list"}, data.items.map((i) => h("li", {
      "data-kind": i.kind, "data-key": i.key},
    h("span", {class: "rt-dash-age"}, i.age_days === null ? "" : `${i.age_days} d`),
    h("span", {class: "rt-dash-kind"}, KIND[i.kind] || i.kind),
    h("span", {class: "rt-dash-what"}, h("strong", {}, i.who), " ", h("a", {href: i.url}, i.title)),
    h("span", {class: "rt-dash-item-actions"},
      h("button", {type: "button", class: "rt-dash-action", title: "Hide it until something changes in it",
        onClick: () => act("api/dashboard/queue/dismiss", {key: i.key},
          `Dismissed “${i.title}”: it comes back when it changes.`)}, "Dismiss"),
      SNOOZES.map(([days, label]) => h("button", {type: "button", class: "rt-dash-action",
        onClick: () => act("api/dashboard/queue/snooze", {key: i.key, until: addDays(data.today, days)},
          `Snoozed “${i.title}” until ${addDays(data.today, days)}.`)}, label))))))
      : h("p", {class: "rt-muted"}, empty);
    const aside = data.set_aside.length ? h("details", {class: "rt-dash-aside"},
      h("summary", {}, `Set aside (${data.set_aside.length})`),
      h("ul", {}, data.set_aside.map((i) => h("li", {"data-key": i.key},
        h("a", {href: i.url}, i.title), " ",
        h("span", {class: "rt-muted"}, i.set_aside.action === "snooze" ? `snoozed until ${i.set_aside.until}`
          : "dismissed until it changes"), " ",
        h("button", {type: "button", class: "rt-dash-action", onClick: () => act("api/dashboard/queue/restore",
          {key: i.key}, `“${i.title}” is back in your list.`)}, "Put back"))))) : null;
    replace(section, h("h2", {}, `${title} (${data.items.length})`), list, aside, status);
    if (message) {
      status.textContent = message;
      status.setAttribute("tabindex", "-1");
      status.focus(); // the button that had focus is gone with its item
    }
  }
  await draw();
}

// --------------------------------------------------------------------------- a learner's page

/** The learner page's address in this page's query string, or null. */
export function learnerAsked() {
  const q = new URLSearchParams(location.search);
  return q.get("learner") && q.get("cohort") ? {cohort: q.get("cohort"), learner: q.get("learner")} : null;
}

/** Draw one learner's page (progress across the program, a link to each piece of their work). */
export async function learnerPage(element, api, site, asked) {
  const back = h("p", {}, h("a", {href: new URL("dashboard/", site.root).href}, "Back to the dashboard"));
  let data;
  try {
    data = await api.get(`api/dashboard/cohorts/${encodeURIComponent(asked.cohort)}/learners/`
      + `${encodeURIComponent(asked.learner)}`);
  } catch (error) {
    replace(element, h("p", {class: "rt-card rt-error", role: "alert"}, error.message), back);
    return;
  }
  const headingId = uid("rt-learner-name");
  const p = data.learner;
  const modules = data.modules.map((m) => h("section", {class: "rt-card rt-learner-module", "data-module": m.id,
    "aria-label": m.title},
  h("h3", {}, h("a", {href: m.url}, m.title), " ",
    h("span", {class: `rt-dash-key rt-dash-${m.status}`}, STATUS[m.status] || "—")),
  h("p", {class: "rt-muted"}, `Due ${m.due || "—"}`),
  m.work.length ? workList(m.work) : h("p", {class: "rt-muted"}, "Nothing of theirs here yet.")));
  replace(element, back, h("article", {class: "rt-learner", id: `rt-learner-${p.id}`, "aria-labelledby": headingId},
    h("h2", {id: headingId}, p.name),
    h("p", {class: "rt-learner-summary"}, [
      `${data.cohort.program_title}, cohort ${data.cohort.title || data.cohort.id}`,
      `${data.completed} of ${data.of} modules complete`,
      data.overdue ? `${data.overdue} overdue` : null,
      p.manager ? `manager: ${p.manager}` : null,
      p.last_activity ? `last active ${p.last_activity.slice(0, 10)}` : "no activity yet",
    ].filter(Boolean).join(" · ")),
    data.attention.length ? h("div", {class: "rt-card rt-dash-attention"}, h("h3", {}, "Needs attention"),
      h("ul", {}, data.attention.map((r) => h("li", {}, r.text)))) : null,
    modules,
    data.other_posts.length ? h("section", {class: "rt-card", "aria-label": "Other posts"},
      h("h3", {}, "Other posts"), workList(data.other_posts)) : null));
  revealLinked(element);
}

/** "Plan", "Post: I open with…", "Reflection: First call": the kind, then what it says unless that repeats it. */
function workLabel(w) {
  const kind = WORK[w.kind] || w.kind;
  return !w.title || w.title.startsWith(kind) ? w.title || kind : `${kind}: ${w.title}`;
}

function workList(items) {
  return h("ul", {class: "rt-learner-work"}, items.map((w) => h("li", {"data-work": w.kind},
    h("a", {href: w.url}, workLabel(w)),
    w.status ? h("span", {class: "rt-muted"}, ` (${w.status})`) : null,
    h("span", {class: "rt-muted"}, ` · ${(w.at || "").slice(0, 10)}`))));
}

// --------------------------------------------------------------------------- a program's cohorts (admins)

/** Every cohort of each program side by side; a cohort's button shows it below (onShow). */
export async function loadProgramCohorts(api, section, programs, onShow) {
  replace(section, h("h2", {}, "All cohorts"), h("p", {class: "rt-muted", role: "status"}, "Loading…"));
  try {
    const answers = await Promise.all(programs.map((p) => api.get(
      `api/dashboard/programs/${encodeURIComponent(p.id)}/cohorts`)));
    replace(section, answers.map((a) => h("div", {class: "rt-dash-program-cohorts"},
      h("h2", {}, `${a.program.title}: all cohorts`),
      h("div", {class: "rt-dash-scroll"}, h("table", {},
        h("thead", {}, h("tr", {}, ["Cohort", "Starts", "Learners", "Modules complete", "Overdue", "Needs attention",
          "Doing well", "Plans waiting", "Posts without a coach's reply"].map((c) => h("th", {scope: "col"}, c)))),
        h("tbody", {}, a.cohorts.map((c) => h("tr", {"data-cohort": c.id},
          h("th", {scope: "row"}, h("button", {type: "button", class: "rt-dash-sort", onClick: () => onShow(c.id)},
            c.title || c.id)),
          [c.starts || "—", c.learners, c.complete_share === null ? "—" : `${Math.round(c.complete_share * 100)}%`,
            c.overdue, c.attention, c.doing_well, c.plans_waiting, c.posts_without_coach_reply]
            .map((v) => h("td", {}, String(v)))))))))));
  } catch (error) {
    replace(section, h("h2", {}, "All cohorts"), h("p", {class: "rt-error", role: "alert"}, error.message));
  }
}
