"""Completion rules: derived from records, per activity kind and per module."""

import datetime as dt

import pytest

from comments_server.domain.completion import (
    COMPLETE,
    IN_PROGRESS,
    NOT_STARTED,
    OVERDUE,
    WAITING,
    PresentationRecord,
    Records,
    StepError,
    activity_status,
    due_date,
    learner_due_date,
    module_progress,
    plan_transition,
    required_ids,
)

M = "sales/pitch"


def module(completion="all"):
    """A module with one activity of every kind."""
    kinds = ["read", "roundtable", "plan", "presentation", "reflection"]
    acts = [{"id": f"{M}/{k}", "kind": k, "order": i, "options": {}} for i, k in enumerate(kinds)]
    return {"id": M, "activities": acts, "completion": completion}


def everything_done():
    """Records that complete every activity of ``module()``."""
    return Records(
        read={f"{M}/read"},
        posted={f"{M}/roundtable"},
        plans={f"{M}/plan": "feedback_given"},
        presentations={f"{M}/presentation": PresentationRecord(True, 3, 3, 3, 3)},
        reflections={f"{M}/reflection"},
    )


@pytest.mark.parametrize(
    ("stage", "status"),
    [(None, NOT_STARTED), ("draft", IN_PROGRESS), ("submitted", IN_PROGRESS),
     ("revision_requested", IN_PROGRESS), ("encounter_set", IN_PROGRESS),
     ("debrief_submitted", WAITING), ("feedback_given", COMPLETE)],
)
def test_plan_is_complete_only_when_the_debrief_has_feedback(stage, status):
    records = Records(plans={f"{M}/plan": stage} if stage else {})
    assert activity_status({"id": f"{M}/plan", "kind": "plan"}, records)[0] == status


@pytest.mark.parametrize(
    ("record", "status"),
    [
        (PresentationRecord(), NOT_STARTED),
        (PresentationRecord(False, 0, 3, 3, 1), IN_PROGRESS),
        (PresentationRecord(True, 3, 3, 3, 2), IN_PROGRESS),   # owes a review
        (PresentationRecord(True, 2, 3, 3, 3), WAITING),       # short of reviews
        (PresentationRecord(True, 3, 3, 3, 3), COMPLETE),
        (PresentationRecord(True, 1, 1, 1, 1), COMPLETE),      # small cohort: target is what it allows
        (PresentationRecord(True, 0, 0, 0, 0), COMPLETE),      # peer_reviews: 0
    ],
)
def test_presentation_needs_submission_reviews_received_and_given(record, status):
    records = Records(presentations={f"{M}/presentation": record})
    assert activity_status({"id": f"{M}/presentation", "kind": "presentation"}, records)[0] == status


@pytest.mark.parametrize("kind,field", [("read", "read"), ("roundtable", "posted"), ("reflection", "reflections")])
def test_simple_kinds(kind, field):
    activity = {"id": f"{M}/{kind}", "kind": kind}
    assert activity_status(activity, Records())[0] == NOT_STARTED
    assert activity_status(activity, Records(**{field: {activity["id"]}}))[0] == COMPLETE


def test_module_not_started_then_in_progress_then_complete():
    mod = module()
    assert module_progress(mod, Records())["status"] == NOT_STARTED
    started = Records(read={f"{M}/read"})
    progress = module_progress(mod, started)
    assert progress["status"] == IN_PROGRESS
    assert progress["next"] == {"activity_id": f"{M}/roundtable", "status": NOT_STARTED,
                                "text": "Post in the roundtable."}
    done = module_progress(mod, everything_done())
    assert done["status"] == COMPLETE and done["next"] is None
    assert len(done["complete"]) == 5


def test_module_waiting_for_feedback_is_never_overdue():
    records = everything_done()
    records.plans[f"{M}/plan"] = "debrief_submitted"
    progress = module_progress(module(), records, due=dt.date(2027, 1, 1), today=dt.date(2027, 3, 1))
    assert progress["status"] == WAITING
    assert progress["next"]["text"] == "Waiting for feedback on your debrief."


def test_module_overdue_when_learner_work_is_left_after_the_due_date():
    records = Records(read={f"{M}/read"})
    due = dt.date(2027, 1, 18)
    assert module_progress(module(), records, due=due, today=due)["status"] == IN_PROGRESS
    assert module_progress(module(), records, due=due, today=due + dt.timedelta(days=1))["status"] == OVERDUE
    assert module_progress(module(), everything_done(), due=due, today=dt.date(2030, 1, 1))["status"] == COMPLETE


def test_completion_list_limits_what_is_required():
    mod = module(completion=[f"{M}/read", f"{M}/roundtable"])
    assert required_ids(mod) == [f"{M}/read", f"{M}/roundtable"]
    records = Records(read={f"{M}/read"}, posted={f"{M}/roundtable"})
    assert module_progress(mod, records)["status"] == COMPLETE


def test_due_date_from_cohort_start_and_offset():
    assert due_date("2027-01-11", 14) == dt.date(2027, 1, 25)
    assert due_date(None, 14) is None and due_date("2027-01-11", None) is None


PLAN_PATH = [("save", None, "draft"), ("save", "draft", "draft"), ("submit", "draft", "submitted"),
             ("request_revision", "submitted", "revision_requested"),
             ("save", "revision_requested", "revision_requested"),
             ("submit", "revision_requested", "submitted"), ("set_encounter", "submitted", "encounter_set"),
             ("set_encounter", "encounter_set", "encounter_set"), ("debrief", "encounter_set", "debrief_submitted"),
             ("feedback", "debrief_submitted", "feedback_given")]


@pytest.mark.parametrize(("action", "before", "after"), PLAN_PATH)
def test_plan_steps_in_order(action, before, after):
    assert plan_transition(before, action) == after


@pytest.mark.parametrize(
    ("action", "stage", "message"),
    [("debrief", "submitted", "Set when the encounter happens"),
     ("debrief", None, "Set when the encounter happens"),
     ("feedback", "encounter_set", "once the debrief has been submitted"),
     ("feedback", "feedback_given", "already been given"),
     ("save", "submitted", "can no longer be edited"),
     ("set_encounter", "draft", "Submit the plan before"),
     ("request_revision", "debrief_submitted", "before the debrief"),
     ("submit", "submitted", "Only a draft plan")],
)
def test_plan_steps_out_of_order_say_what_comes_first(action, stage, message):
    with pytest.raises(StepError, match=message):
        plan_transition(stage, action)


@pytest.mark.parametrize("records", [
    Records(posted={f"{M}/roundtable"}),
    Records(plans={f"{M}/plan": "draft"}),
    Records(presentations={f"{M}/presentation": PresentationRecord(submitted=True)}),
    Records(presentations={f"{M}/presentation": PresentationRecord(reviews_assigned=2, reviews_given=1)}),
    Records(reflections={f"{M}/reflection"}),
], ids=["posted", "planned", "presented", "reviewed", "reflected"])
def test_any_work_in_the_module_counts_as_reading_it(records):
    assert activity_status({"id": f"{M}/read", "kind": "read"}, records)[0] == COMPLETE


def test_without_work_or_a_mark_the_module_is_not_read():
    assert activity_status({"id": f"{M}/read", "kind": "read"}, Records())[0] == NOT_STARTED
    assigned_only = Records(presentations={f"{M}/presentation": PresentationRecord(reviews_assigned=2)})
    assert activity_status({"id": f"{M}/read", "kind": "read"}, assigned_only)[0] == NOT_STARTED


def test_a_learners_due_date_moves_by_how_late_they_joined_unless_the_cohort_is_fixed():
    cohort = {"starts": "2027-01-11", "due_dates": {M: "2027-01-25"}}
    assert learner_due_date(cohort, {"id": M}, "2027-01-18") == dt.date(2027, 2, 1)
    assert learner_due_date(cohort, {"id": M}, "2027-01-04") == dt.date(2027, 1, 25)  # before the start
    assert learner_due_date(cohort, {"id": M}, None) == dt.date(2027, 1, 25)  # a membership from before dates
    assert learner_due_date({**cohort, "late_joiners": "fixed"}, {"id": M}, "2027-01-18") == dt.date(2027, 1, 25)
