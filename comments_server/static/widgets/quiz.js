// A knowledge check on a module page: one fieldset per question (radio
// buttons, checkboxes or a text box), submitted to the server, which grades
// it; the result (score, pass or not, right/wrong per question and the
// feedback of the options chosen) is said in a live region that takes focus.
// The answers themselves never reach the browser.

import {ApiError} from "../api.js";
import {focusOn, h, replace, uid} from "../dom.js";
import {activityPath, badge, busy, ensureStyles, showLoadError, showSignIn, statusLine} from "./plan.js";

const TYPE_HINT = {single: "Choose one.", multiple: "Choose all that apply.", short: "Type your answer."};

/** Mount the quiz activity `id` into element. */
export async function mount(element, {api, id, site}) {
  ensureStyles();
  replace(element, h("p", {class: "rt-muted", role: "status"}, "Loading the quiz…"));
  try {
    const session = await api.session();
    if (!session.user) return showSignIn(element, site, "take the quiz");
    render(element, api, id, await api.get(activityPath(id, "quiz")));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return showSignIn(element, site, "take the quiz");
    showLoadError(element, error, () => mount(element, {api, id, site}), "quiz");
  }
}

function render(element, api, id, data, result = null, given = {}) {
  const options = data.activity.options;
  const questions = options.questions || [];
  const fields = questions.map((q, i) => questionField(q, i + 1, result, given[q.id]));
  const status = statusLine();
  status.classList.add("rt-quiz__result");
  if (result) status.append(resultText(result, options.pass_mark));
  const button = h("button", {type: "submit", class: "md-button md-button--primary", disabled: !data.can_attempt},
    result ? "Submit another attempt" : "Submit answers");
  const form = h("form", {class: "rt-card rt-quiz", noValidate: true, onSubmit: (e) => {
    e.preventDefault();
    busy(button, status, async () => {
      const answers = collect(questions, form);
      const next = await api.post(activityPath(id, "quiz/attempts"), {answers});
      render(element, api, id, next, next, answers);
      focusOn(element.querySelector(".rt-quiz__result")); // the form was redrawn: the result is where focus lands
    });
  }}, summary(data, options), fields, h("div", {class: "rt-actions"}, button), status);
  replace(element, form);
}

function summary(data, options) {
  const limit = options.attempts;
  const parts = [`Pass mark: ${options.pass_mark}%.`];
  parts.push(limit ? `Attempts: ${data.attempts.length} of ${limit} used.` : `Attempts so far: ${data.attempts.length}.`);
  if (data.best) parts.push(`Your best: ${data.best.score}%.`);
  return h("div", {class: "rt-quiz__summary"},
    data.passed ? badge("Passed", "answered") : data.best ? badge("Not passed yet", "open") : null,
    h("p", {class: "rt-muted"}, parts.join(" ")),
    !data.can_attempt && data.attempts_left === 0 && !data.passed
      ? h("p", {}, "No attempts left: your best attempt is the one that counts. Talk to your coach.") : null,
    !data.can_attempt && !data.attempts.length && data.attempts_left !== 0
      ? h("p", {class: "rt-muted"}, "The cohort's learners take this quiz; you see its questions.") : null);
}

function questionField(question, number, result, typed) {
  const name = uid("rt-q");
  const hintId = uid("rt-qhint");
  const fb = result?.feedback?.find((f) => f.question_id === question.id);
  const chosen = new Set(fb ? fb.options.map((o) => o.id) : []); // after an attempt, its choices stay ticked
  const legend = h("legend", {}, `Question ${number}. `, question.text);
  const hint = h("p", {class: "rt-hint", id: hintId}, TYPE_HINT[question.type] || "");
  let inputs;
  if (question.type === "short") {
    const inputId = uid("rt-short");
    inputs = h("div", {class: "rt-field"}, h("label", {for: inputId, class: "rt-label"}, "Your answer"),
      h("input", {type: "text", id: inputId, name, maxlength: "200", autocomplete: "off", "aria-describedby": hintId,
        value: typeof typed === "string" ? typed : "",
        "data-rt-question": question.id}));
  } else {
    const type = question.type === "single" ? "radio" : "checkbox";
    inputs = h("ul", {class: "rt-quiz__options"}, question.options.map((option) => {
      const inputId = uid("rt-opt");
      const said = fb?.options.find((o) => o.id === option.id)?.feedback;
      return h("li", {},
        h("input", {type, id: inputId, name, value: option.id, checked: chosen.has(option.id),
          "aria-describedby": hintId, "data-rt-question": question.id}),
        h("label", {for: inputId}, option.text),
        said ? h("p", {class: "rt-quiz__feedback"}, said) : null);
    }));
  }
  return h("fieldset", {class: ["rt-quiz__question", fb && (fb.correct ? "rt-quiz__question--right" : "rt-quiz__question--wrong")],
    "data-rt-question": question.id}, legend, hint, inputs, fb ? verdict(fb) : null);
}

function verdict(fb) {
  return h("div", {class: "rt-quiz__verdict"},
    h("p", {class: fb.correct ? "rt-quiz__right" : "rt-quiz__wrong"}, fb.correct ? "✓ Right" : "✗ Not right"),
    fb.explanation ? h("p", {}, fb.explanation) : null);
}

function resultText(result, passMark) {
  const right = Object.values(result.attempt.results).filter(Boolean).length;
  const total = Object.keys(result.attempt.results).length;
  const verdictText = result.attempt.passed ? "Passed" : `Not passed: the pass mark is ${passMark}%`;
  const left = result.attempts_left === null ? "" : ` Attempts left: ${result.attempts_left}.`;
  return `Attempt ${result.attempt.number}: ${result.attempt.score}% (${right} of ${total} right). ${verdictText}.${left}`;
}

/** The answers as the API takes them; an unanswered question is left out (the server says which). */
function collect(questions, form) {
  const answers = {};
  for (const question of questions) {
    const inputs = [...form.querySelectorAll(`input[data-rt-question="${CSS.escape(question.id)}"]`)];
    if (question.type === "short") {
      if (inputs[0].value.trim()) answers[question.id] = inputs[0].value;
    } else if (question.type === "single") {
      const picked = inputs.find((i) => i.checked);
      if (picked) answers[question.id] = picked.value;
    } else {
      const picked = inputs.filter((i) => i.checked).map((i) => i.value);
      if (picked.length) answers[question.id] = picked;
    }
  }
  return answers;
}
