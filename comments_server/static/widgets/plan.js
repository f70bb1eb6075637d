// The planning exercise on a module page: the learner drafts a plan, submits
// it, sets when the encounter happens, debriefs, and reads the feedback; the
// manager (or the module's feedback_from role) sees the plans waiting for
// them and gives feedback or asks for a revision.

import {ApiError} from "../api.js";
import {h, linkedNumber, replace, revealLinked, timeAgo, uid} from "../dom.js";
import {activityPath, announce, badge, busy, ensureStyles, markdownField, numberSelect, serverBlock, showLoadError,
  showSignIn, statusLine} from "./activity.js";

const STEPS = [
  ["draft", "Plan"],
  ["submitted", "Submitted"],
  ["encounter_set", "Encounter"],
  ["debrief_submitted", "Debrief"],
  ["feedback_given", "Feedback"],
];
const STAGE_TEXT = {
  draft: "Draft: only you can see it until you submit it.",
  revision_requested: "Sent back for revision: change your plan and submit it again.",
  submitted: "Submitted. Now say when the encounter happens.",
  encounter_set: "After the encounter, write your debrief: how did it go against your plan?",
  debrief_submitted: "Debrief submitted: waiting for feedback.",
  feedback_given: "Complete: feedback received.",
};

// ------------------------------------------------------------------ the widget

/** Mount the plan activity `id` into element. */
export async function mount(element, {api, id, site}) {
  ensureStyles();
  const view = new PlanView(element, api, id, site);
  await view.start();
  return view;
}

class PlanView {
  constructor(element, api, activityId, site) {
    Object.assign(this, {el: element, api, activityId, site});
  }

  async start() {
    replace(this.el, h("p", {class: "rt-muted", role: "status"}, "Loading your plan…"));
    try {
      const session = await this.api.session();
      if (!session.user) return showSignIn(this.el, this.site, "plan and get feedback");
      this.data = await this.api.get(activityPath(this.activityId, "plan"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return showSignIn(this.el, this.site, "plan and get feedback");
      return showLoadError(this.el, error, () => this.start(), "plan");
    }
    await this.render();
  }

  render() {
    const {plan, can, waiting} = this.data;
    const learner = Object.values(can).some(Boolean) || plan;
    const linked = linkedNumber("plan"); // a notification's ?plan=N#rt-plan-N: open that plan for its giver
    const parts = [];
    if (learner) parts.push(this.learnerView(plan, can));
    const mine = (waiting || []).filter((w) => w.activity_id === this.activityId);
    if (mine.length) parts.push(waitingList(this.api, mine, "Plans waiting for you", linked));
    const waitingIds = new Set(mine.map((w) => w.id));
    const cohort = (this.data.cohort_plans || []).filter((p) => !waitingIds.has(p.id));
    if (cohort.length) parts.push(waitingList(this.api, cohort, "Plans in your cohort", linked));
    const drawn = plan?.id === linked || mine.concat(cohort).some((p) => p.id === linked);
    if (linked && !drawn) parts.push(this.linkedPlan(linked));
    if (!parts.length) {
      parts.push(h("p", {class: "rt-card rt-muted"},
        "Learners plan here. Plans of your reports appear here when they are waiting for your feedback."));
    }
    replace(this.el, parts);
    this.ready = Promise.all(parts.map((p) => p.ready)).then(() => revealLinked(this.el));
    return this.ready;
  }

  /** A plan a link names that no list above holds (feedback already given, say): shown if it is this activity's. */
  linkedPlan(planId) {
    const panel = h("div", {class: "rt-waiting__panel"});
    const section = h("section", {class: "rt-card rt-waiting-card", id: `rt-plan-${planId}`, "aria-label": "The plan you were linked to"},
      h("h3", {}, "The plan you were linked to"), panel);
    section.ready = this.api.get(`api/plans/${planId}`).then((data) => {
      if (data.activity?.id && data.activity.id !== this.activityId) return section.remove(); // another plan activity's
      renderGiver(this.api, data, panel, statusLine());
    }).catch((error) => {
      replace(panel, h("p", {class: "rt-muted"}, error instanceof ApiError && error.status === 404
        ? "This plan is not visible to you." : "This plan could not be loaded."));
    });
    return section;
  }

  learnerView(plan, can) {
    const stage = plan?.stage || null;
    const status = statusLine();
    const card = h("section", {class: "rt-card rt-plan", "aria-label": "Your planning exercise",
      id: plan ? `rt-plan-${plan.id}` : null},
      stepper(stage),
      stage ? h("p", {class: "rt-plan__stage"}, stageText(plan)) : null);
    if (can.save) card.append(this.planForm(plan, can, status));
    else if (plan) card.append(h("h3", {}, "Your plan"), serverBlock(plan.body_html));
    if (plan?.encounter_at) card.append(h("p", {class: "rt-encounter"}, "Encounter: ", formatWhen(plan.encounter_at)));
    if (can.set_encounter) card.append(this.encounterForm(plan, status));
    if (can.debrief) card.append(this.debriefForm(plan, status));
    if (plan?.debrief_html) card.append(h("h3", {}, "Your debrief"), serverBlock(plan.debrief_html));
    if (plan?.feedback?.length) card.append(feedbackList(plan.feedback));
    card.append(status);
    return card;
  }

  planForm(plan, can, status) {
    const {field, textarea} = markdownField("Your plan", plan?.body || "", 6);
    const save = h("button", {type: "button", class: "md-button"}, "Save draft");
    const submit = h("button", {type: "button", class: "md-button md-button--primary", disabled: !can.submit && !!plan}, "Submit plan");
    const write = async (andSubmit, button) => busy(button, status, async () => {
      const body = textarea.value.trim();
      if (!body) { textarea.focus(); throw new ApiError("Write your plan first.", 400); }
      let data = await this.api.post(activityPath(this.activityId, "plan"), {body});
      if (andSubmit) data = await this.api.post(`api/plans/${data.plan.id}/submit`, {});
      this.data = {...this.data, plan: data.plan, can: data.can};
      this.render();
      announce(this.el.querySelector(".rt-plan .rt-status"), andSubmit ? "Plan submitted." : "Draft saved.");
    });
    save.addEventListener("click", () => write(false, save));
    submit.addEventListener("click", () => write(true, submit));
    const prompt = this.data.activity?.prompt;
    return h("form", {class: "rt-plan__form", onSubmit: (e) => e.preventDefault()},
      prompt && !this.el.parentElement?.querySelector(".rt-prompt") ? h("p", {class: "rt-prompt"}, prompt) : null,
      field, h("div", {class: "rt-actions"}, save, submit));
  }

  encounterForm(plan, status) {
    const id = uid("rt-when");
    const input = h("input", {id, type: "datetime-local", value: (plan.encounter_at || "").slice(0, 16)});
    const button = h("button", {type: "submit", class: "md-button md-button--primary"},
      plan.encounter_at ? "Move the encounter" : "Set the encounter");
    return h("form", {class: "rt-plan__encounter", onSubmit: (e) => {
      e.preventDefault();
      busy(button, status, async () => {
        if (!input.value) { input.focus(); throw new ApiError("Choose when the encounter happens.", 400); }
        const data = await this.api.post(`api/plans/${plan.id}/encounter`, {encounter_at: input.value});
        this.update(data, "Encounter set.");
      });
    }}, h("label", {for: id, class: "rt-label"}, "When is the encounter?"), input, h("div", {class: "rt-actions"}, button));
  }

  debriefForm(plan, status) {
    const label = this.data.activity?.options?.debrief || "How did the encounter go against your plan?";
    const {field, textarea} = markdownField(label, "", 5);
    const button = h("button", {type: "submit", class: "md-button md-button--primary"}, "Submit debrief");
    return h("form", {class: "rt-plan__debrief", onSubmit: (e) => {
      e.preventDefault();
      busy(button, status, async () => {
        const body = textarea.value.trim();
        if (!body) { textarea.focus(); throw new ApiError("Write your debrief first.", 400); }
        const data = await this.api.post(`api/plans/${plan.id}/debrief`, {body});
        this.update(data, "Debrief submitted.");
      });
    }}, h("h3", {}, "Debrief"), field, h("div", {class: "rt-actions"}, button));
  }

  update(data, message) {
    this.data = {...this.data, plan: data.plan, can: data.can};
    this.render();
    announce(this.el.querySelector(".rt-plan .rt-status"), message);
  }
}

/** The steps of the workflow, the current one marked in text (not colour only). */
/** What the learner's stage means now: an encounter still ahead says the debrief waits for it. */
function stageText(plan) {
  if (plan.stage === "encounter_set" && !plan.encounter_passed) {
    return "Encounter set. Once it has taken place, come back here to write your debrief.";
  }
  return STAGE_TEXT[plan.stage] || "";
}

/** The plan's steps, the current one marked: "Encounter" is ticked from the debrief on, which the
 * server accepts only once the encounter's time has passed. */
function stepper(stage) {
  const index = !stage || stage === "revision_requested" ? 0 : STEPS.findIndex(([s]) => s === stage);
  return h("ol", {class: "rt-steps", "aria-label": "Plan steps"},
    STEPS.map(([, label], i) => h("li", {class: ["rt-step", i < index && "rt-step--done", i === index && "rt-step--current"],
      "aria-current": i === index ? "step" : null}, i < index ? `✓ ${label}` : label)));
}

function formatWhen(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    {dateStyle: "medium", timeStyle: iso.length > 10 ? "short" : undefined}).format(date);
}

const STAGE_BADGE = {
  submitted: "Plan submitted",
  revision_requested: "Revision requested",
  encounter_set: "Encounter set",
  debrief_submitted: "Debrief waiting for feedback",
  feedback_given: "Feedback given",
};

const KIND_LABEL = {feedback: "Feedback", comment: "Comment", revision_request: "Revision requested"};

/** Feedback, comments and revision requests on a plan. */
export function feedbackList(items) {
  return h("section", {class: "rt-feedback", "aria-label": "Feedback"},
    h("h3", {}, "Feedback"),
    h("ul", {class: "rt-feedback__list"}, items.map((f) => h("li", {class: ["rt-card", `rt-feedback--${f.kind}`]},
      h("p", {class: "rt-comment__meta"},
        h("span", {class: "rt-author"}, f.giver_name), " ", badge(f.role === "coach" ? "Coach" : f.role === "manager" ? "Manager" : f.role, f.role),
        " ", badge(KIND_LABEL[f.kind] || f.kind), " ",
        f.rating ? h("span", {class: "rt-rating"}, `Rating: ${f.rating} of ${f.scale}`) : null,
        h("span", {class: "rt-muted"}, " · ", timeAgo(f.created))),
      serverBlock(f.comment_html)))));
}

/**
 * The feedback giver's list of plans waiting for them, each opening a review panel. The plan
 * numbered `linked` (a link's #rt-plan-N) opens at once; `section.ready` settles when it has.
 */
export function waitingList(api, items, title, linked = null) {
  const list = h("ul", {class: "rt-waiting"});
  const section = h("section", {class: "rt-card rt-waiting-card", "aria-label": title}, h("h3", {}, title), list);
  section.ready = Promise.resolve();
  for (const item of items) {
    const panel = h("div", {class: "rt-waiting__panel"});
    const show = async () => {
      open.disabled = true;
      await showPlanForGiver(api, item.id, panel, () => { open.disabled = false; });
    };
    const open = h("button", {type: "button", class: "md-button", onClick: show},
      item.needs === "feedback" ? "Give feedback" : "Open plan");
    list.append(h("li", {class: "rt-waiting__item", "data-plan-id": item.id, id: `rt-plan-${item.id}`},
      h("span", {class: "rt-author"}, item.owner.name), " · ",
      item.module?.url ? h("span", {}, item.module.title) : null, " · ",
      badge(STAGE_BADGE[item.stage] || "Plan submitted"), " ", open, panel));
    if (item.id === linked) section.ready = show();
  }
  return section;
}

/** Load a plan for its manager or coach: read it, then give feedback, ask for a revision or comment. */
async function showPlanForGiver(api, planId, panel, done) {
  const status = statusLine();
  try {
    const data = await api.get(`api/plans/${planId}`);
    renderGiver(api, data, panel, status);
  } catch (error) {
    replace(panel, h("p", {class: "rt-status rt-status--error", role: "alert"},
      error instanceof ApiError ? error.message : "The plan could not be loaded."));
  } finally {
    done();
  }
}

function renderGiver(api, data, panel, status) {
  const {can} = data;
  const plan = {...data.plan, rating_scale: data.activity?.options?.rating_scale || 5};
  const refresh = (next, message) => { renderGiver(api, next, panel, status); announce(status, message); };
  const parts = [h("h4", {}, `${plan.owner.name}'s plan`), serverBlock(plan.body_html)];
  if (plan.encounter_at) parts.push(h("p", {}, "Encounter: ", formatWhen(plan.encounter_at)));
  if (plan.debrief_html) parts.push(h("h4", {}, "Debrief"), serverBlock(plan.debrief_html));
  if (plan.feedback?.length) parts.push(feedbackList(plan.feedback));
  if (can.feedback) parts.push(giverForm(api, plan, "feedback", status, refresh));
  if (can.request_revision) parts.push(giverForm(api, plan, "revision", status, refresh));
  if (can.comment) parts.push(giverForm(api, plan, "comments", status, refresh));
  // One status line: it says "Feedback given" until an action of this panel says more.
  if (plan.stage === "feedback_given" && !status.textContent) status.textContent = "Feedback given. Thank you.";
  replace(panel, h("div", {class: "rt-card rt-giver"}, parts, status));
}

// Each of the giver's actions is its own titled box, saying what it does to the plan, so a
// comment is never sent where a revision request was meant (issue 10).
const GIVER_ACTIONS = {
  feedback: ["Give feedback", "Rate the debrief and say what to keep and change. This completes the plan.",
    "Your feedback on the debrief", "Send feedback"],
  revision: ["Ask for a revision", "Sends the plan back: {name} changes it and submits it again.",
    "What should change before the encounter?", "Ask for a revision"],
  comments: ["Comment without sending it back", "{name} sees your comment; the plan stays where it is.",
    "Add a comment", "Comment"],
};

function giverForm(api, plan, action, status, refresh) {
  const [legend, effect, label, buttonText] = GIVER_ACTIONS[action];
  const {field, textarea} = markdownField(label, "", 3);
  const scale = plan.rating_scale || 5; // set by renderGiver from the activity's options
  const rating = action === "feedback" ? numberSelect(`Rating (1 to ${scale})`, 1, scale) : null;
  const button = h("button", {type: "submit", class: ["md-button", action === "feedback" && "md-button--primary"]}, buttonText);
  return h("form", {class: `rt-giver__${action}`, onSubmit: (e) => {
    e.preventDefault();
    busy(button, status, async () => {
      const text = textarea.value.trim();
      if (!text) { textarea.focus(); throw new ApiError("Write something first.", 400); }
      let body = {comment: text};
      if (action === "comments") body = {body: text};
      if (rating) {
        if (!rating.select.value) { rating.select.focus(); throw new ApiError("Choose a rating.", 400); }
        body.rating = Number(rating.select.value);
      }
      const data = await api.post(`api/plans/${plan.id}/${action}`, body);
      refresh(data, action === "feedback" ? "Feedback sent." : action === "revision" ? "Sent back for revision." : "Comment added.");
    });
  }}, h("fieldset", {class: "rt-giver__box"},
    h("legend", {}, legend), h("p", {class: "rt-hint"}, effect.replace("{name}", plan.owner?.name || "The learner")),
    rating?.field, field, h("div", {class: "rt-actions"}, button)));
}
