"""Peer-review allocation keeps its invariants for cohorts of 2..40 and k of 1..5.

Nobody reviews themselves, nobody reviews a presentation twice, peer loads
differ by at most one, and where the cohort is too small every presenter gets
every peer the cohort allows and the rest is offered to the coach.
"""

import random

import pytest

from comments_server.domain.allocation import (
    COACH,
    PEER,
    Assignment,
    allocate,
    escalate,
    peer_loads,
    reallocate_leaver,
    review_target,
)

SIZES = range(2, 41)
KS = range(1, 6)


def cohort(n):
    """Learner ids for a cohort of ``n``."""
    return [f"u{i:02d}" for i in range(n)]


def assert_invariants(assignments, presenters, learners, k, coaches=()):
    """Every invariant the issue names, on the full set of assignments."""
    pairs = [(a.presenter, a.reviewer) for a in assignments]
    assert all(p != r for p, r in pairs), "someone reviews themselves"
    assert len(pairs) == len(set(pairs)), "someone reviews a presentation twice"
    loads = peer_loads(learners, assignments)
    assert max(loads.values()) - min(loads.values()) <= 1, loads
    allowed = min(k, len(learners) - 1)
    for p in presenters:
        peers = [a for a in assignments if a.presenter == p and a.role == PEER]
        assert len(peers) == allowed, (p, len(peers), allowed)
        assert all(a.reviewer in learners for a in peers)
        coach = [a for a in assignments if a.presenter == p and a.role == COACH]
        assert len(coach) == min(k - allowed, len(coaches))


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("n", SIZES)
def test_everyone_presents(n, k):
    learners = cohort(n)
    result = allocate(learners, learners, k, coaches=["coach"], seed=f"{n}-{k}")
    assert_invariants(result.assignments, learners, learners, k, ["coach"])
    short = k - min(k, n - 1) - 1
    assert result.unmet == ({p: short for p in learners} if short > 0 else {})


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("n", SIZES)
def test_only_some_present(n, k):
    learners = cohort(n)
    rng = random.Random(n * 10 + k)
    presenters = rng.sample(learners, rng.randint(1, n))
    result = allocate(presenters, learners, k, coaches=["coach"], seed=n)
    assert_invariants(result.assignments, presenters, learners, k, ["coach"])


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("n", SIZES)
def test_late_submissions_keep_invariants(n, k):
    learners = cohort(n)
    rng = random.Random(n * 100 + k)
    order = rng.sample(learners, n)
    first, late = order[: max(1, n // 2)], order[max(1, n // 2):]
    done = allocate(first, learners, k, coaches=["coach"]).assignments
    for newcomer in late:
        more = allocate(first + [newcomer], learners, k, done, ["coach"], reason="late")
        assert all(a.reason in ("late", "reallocated") for a in more.assignments if a.role == PEER)
        assert all(not a.completed for a in more.cancelled)
        done = [a for a in done if a not in more.cancelled] + more.assignments
        first.append(newcomer)
        assert_invariants(done, first, learners, k, ["coach"])


@pytest.mark.parametrize("k", KS)
@pytest.mark.parametrize("n", range(3, 41))
def test_reviewer_leaving_moves_open_assignments(n, k):
    learners = cohort(n)
    done = allocate(learners, learners, k, coaches=["coach"]).assignments
    leaver = learners[n // 2]
    cancelled, realloc = reallocate_leaver(leaver, learners, learners, k, done, ["coach"])
    assert all(a in cancelled for a in done if leaver in (a.presenter, a.reviewer))
    assert all(not a.completed for a in cancelled)
    remaining = [u for u in learners if u != leaver]
    kept = [a for a in done if a not in cancelled] + realloc.assignments
    assert all(leaver not in (a.presenter, a.reviewer) for a in kept)
    assert all(a.reason == "reallocated" for a in realloc.assignments if a.role == PEER)
    assert set(realloc.cancelled) <= set(cancelled)
    assert_invariants(kept, remaining, remaining, k, ["coach"])


def test_completed_reviews_by_a_leaver_still_count():
    learners = cohort(6)
    done = allocate(learners, learners, 2).assignments
    leaver = "u03"
    done = [Assignment(a.presenter, a.reviewer, a.role, a.reason, a.reviewer == leaver) for a in done]
    cancelled, realloc = reallocate_leaver(leaver, learners, learners, 2, done)
    assert all(not a.completed for a in cancelled)
    assert not any(a.reviewer == leaver for a in cancelled)
    assert {a.presenter for a in cancelled} == {leaver}
    assert realloc.assignments == []  # everyone kept u03's completed reviews


def test_cohort_of_two_asked_for_three_reviews_offers_two_to_coaches():
    result = allocate(["a", "b"], ["a", "b"], 3, coaches=["c1", "c2"])
    peers = sorted((a.presenter, a.reviewer) for a in result.assignments if a.role == PEER)
    coaches = sorted((a.presenter, a.reviewer) for a in result.assignments if a.role == COACH)
    assert peers == [("a", "b"), ("b", "a")]
    assert coaches == [("a", "c1"), ("a", "c2"), ("b", "c1"), ("b", "c2")]
    assert all(a.reason == "cohort_too_small" for a in result.assignments if a.role == COACH)
    assert result.unmet == {}


def test_without_a_coach_the_shortfall_is_reported():
    result = allocate(["a", "b"], ["a", "b"], 3)
    assert result.unmet == {"a": 2, "b": 2}


def test_a_lone_learner_gets_only_the_coach():
    result = allocate(["a"], ["a"], 2, coaches=["c"])
    assert [(a.reviewer, a.role) for a in result.assignments] == [("c", COACH)]
    assert result.unmet == {"a": 1}


def test_presenters_outside_the_cohort_are_ignored():
    assert allocate(["x"], ["a", "b"], 1).assignments == []


def test_allocation_is_deterministic_for_a_seed():
    learners = cohort(12)
    one = allocate(learners, learners, 3, seed="s").assignments
    two = allocate(learners, learners, 3, seed="s").assignments
    assert one == two


def test_escalation_offers_short_presenters_to_new_peers_then_coach():
    learners = cohort(8)
    done = allocate(learners, learners, 2).assignments
    # u00's reviewers never reviewed; everyone else's did
    done = [Assignment(a.presenter, a.reviewer, a.role, a.reason, a.presenter != "u00") for a in done]
    more = escalate(learners, learners, 2, done)
    assert {a.presenter for a in more.assignments} == {"u00"}
    assert len(more.assignments) == 2
    already = {a.reviewer for a in done if a.presenter == "u00"}
    assert not already & {a.reviewer for a in more.assignments}
    assert all(a.reason == "escalated" and a.reviewer != "u00" for a in more.assignments)
    coach = escalate(learners, learners, 2, done + more.assignments, ["c"], to_coach=True)
    assert [(a.presenter, a.reviewer, a.role) for a in coach.assignments] == [("u00", "c", COACH)]
    again = escalate(learners, learners, 2, done + more.assignments + coach.assignments, ["c"], to_coach=True)
    assert again.assignments == [] and again.unmet == {"u00": 2}


def test_escalation_with_nobody_left_reports_the_gap():
    learners = ["a", "b"]
    done = allocate(learners, learners, 1).assignments
    more = escalate(learners, learners, 1, done)
    assert more.assignments == [] and more.unmet == {"a": 1, "b": 1}


@pytest.mark.parametrize(
    ("k", "n", "coaches", "expected"),
    [(3, 10, 1, 3), (3, 3, 1, 3), (3, 2, 1, 2), (3, 2, 0, 1), (0, 5, 1, 0), (5, 1, 2, 2)],
)
def test_review_target(k, n, coaches, expected):
    assert review_target(k, n, coaches) == expected
