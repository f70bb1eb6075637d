"""Peer-review allocation: who reviews whose presentation, as pure functions.

Nothing here touches the database. The store (``store/reviews.py``) reads the
cohort's learners, presenters, coaches and existing assignments, calls one of
these functions inside ``write_transaction`` (BEGIN IMMEDIATE) and writes the
new assignments back.

The invariants every function keeps:

* nobody reviews their own presentation;
* nobody reviews the same presentation twice;
* peer load (assignments per reviewer, over the cohort's current learners)
  differs by at most one whenever the existing assignments allow it;
* when the cohort is too small (``k > n - 1``) every presenter gets every peer
  the cohort allows and the shortfall is offered to the cohort's coaches.

The balancing is solved as a flow problem with lower and upper bounds on each
reviewer's load, so "at most one apart" is a guarantee, not a hope: a greedy
"least loaded first" can paint itself into a corner when the only least-loaded
reviewer is the presenter.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Hashable, Iterable

UserId = Hashable

PEER = "peer"
COACH = "coach"


@dataclass(frozen=True)
class Assignment:
    """One reviewer asked to review one presenter's submission."""

    presenter: UserId
    reviewer: UserId
    role: str = PEER  # "peer" or "coach"
    reason: str = "allocated"  # allocated, late, reallocated, cohort_too_small, escalated, escalated_to_coach
    completed: bool = False


@dataclass
class Allocation:
    """The result of an allocation: new assignments and what could not be met."""

    assignments: list[Assignment] = field(default_factory=list)
    unmet: dict[UserId, int] = field(default_factory=dict)  # presenter -> reviews nobody can give
    cancelled: list[Assignment] = field(default_factory=list)  # open ones moved to rebalance


# --------------------------------------------------------------------------- public API


def allocate(
    presenters: Iterable[UserId],
    learners: Iterable[UserId],
    k: int,
    existing: Iterable[Assignment] = (),
    coaches: Iterable[UserId] = (),
    seed: int | str = 0,
    reason: str = "allocated",
) -> Allocation:
    """Top every presenter up to ``k`` reviews from the cohort's learners.

    ``existing`` assignments count: a presenter who already has ``j`` reviewers
    needs ``k - j`` more, and a reviewer's existing load counts towards balance.
    Call it again when a late presenter submits: only the newcomer gets
    reviewers. If that would leave loads more than one apart, *open* peer
    assignments are moved from the busiest reviewers to the idlest ones; the
    moved ones come back in ``cancelled`` and their replacements in
    ``assignments``. Where the peers cannot cover ``k``, the shortfall is
    offered to ``coaches`` (one assignment per coach and presenter at most);
    what is still missing is reported in ``unmet``.
    """
    learners = _unique(learners)
    presenters = [p for p in _unique(presenters) if p in set(learners)]
    existing = list(existing)
    needs, eligible = _peer_needs(presenters, learners, k, existing)
    new = _balanced(needs, eligible, learners, existing, seed)
    result = Allocation([Assignment(p, r, PEER, reason) for p, r in new])
    _rebalance(result, existing, learners)
    _offer_to_coaches(result, presenters, k, existing, coaches, "cohort_too_small")
    return result


def reallocate_leaver(
    leaver: UserId,
    presenters: Iterable[UserId],
    learners: Iterable[UserId],
    k: int,
    existing: Iterable[Assignment],
    coaches: Iterable[UserId] = (),
    seed: int | str = 0,
) -> tuple[list[Assignment], Allocation]:
    """Move a departing reviewer's open assignments to the remaining learners.

    Returns ``(cancelled, allocation)``: the leaver's open assignments (to be
    deleted or marked cancelled) and the new assignments that replace them.
    Completed reviews by the leaver stay and still count. Open assignments on
    the leaver's own presentation are cancelled too: it no longer needs reviews.
    """
    existing = list(existing)
    cancelled = [
        a
        for a in existing
        if not a.completed and (a.reviewer == leaver or a.presenter == leaver)
    ]
    kept = [a for a in existing if a not in cancelled]
    remaining = [u for u in _unique(learners) if u != leaver]
    still = [p for p in _unique(presenters) if p != leaver]
    allocation = allocate(still, remaining, k, kept, coaches, seed, reason="reallocated")
    return cancelled + allocation.cancelled, allocation


def escalate(
    presenters: Iterable[UserId],
    learners: Iterable[UserId],
    k: int,
    existing: Iterable[Assignment],
    coaches: Iterable[UserId] = (),
    to_coach: bool = False,
    seed: int | str = 0,
) -> Allocation:
    """Offer presentations still short of *completed* reviews to more reviewers.

    Stage one (``to_coach=False``): each short presenter is offered to as many
    further peers as reviews are missing, least-loaded peers first, never to
    someone already assigned. Stage two (``to_coach=True``): what is still
    missing is offered to the cohort's coaches.
    """
    learners = _unique(learners)
    presenters = [p for p in _unique(presenters) if p in set(learners)]
    existing = list(existing)
    missing = _missing_completed(presenters, k, existing)
    if to_coach:
        result = Allocation()
        _offer_missing_to_coaches(result, missing, existing, coaches)
        return result
    needs, eligible = _extra_needs(missing, learners, existing)
    new = _balanced(needs, eligible, learners, existing, seed)
    result = Allocation([Assignment(p, r, PEER, "escalated") for p, r in new])
    for p, short in missing.items():
        given = sum(1 for a in result.assignments if a.presenter == p)
        if short > given:
            result.unmet[p] = short - given
    return result


def peer_loads(learners: Iterable[UserId], assignments: Iterable[Assignment]) -> dict[UserId, int]:
    """Peer assignments per learner (zero included), for balance checks and display."""
    loads = {u: 0 for u in learners}
    for a in assignments:
        if a.role == PEER and a.reviewer in loads:
            loads[a.reviewer] += 1
    return loads


def review_target(k: int, learners_count: int, coaches_count: int) -> int:
    """How many reviews a presenter can expect: ``k``, capped by what the cohort allows."""
    peers = max(0, min(k, learners_count - 1))
    return peers + min(k - peers, coaches_count)


# --------------------------------------------------------------------------- needs


def _unique(items: Iterable[UserId]) -> list[UserId]:
    """Items in first-seen order, without duplicates."""
    seen: dict[UserId, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def _peer_needs(presenters, learners, k, existing):
    """Per presenter: how many more peers it needs, and who may still be asked."""
    assigned = _assigned_reviewers(existing)
    needs, eligible = {}, {}
    for p in presenters:
        taken = assigned.get(p, set())
        have = sum(1 for a in existing if a.presenter == p and a.role == PEER)
        pool = [r for r in learners if r != p and r not in taken]
        needs[p] = max(0, min(k - have, len(pool)))
        eligible[p] = pool
    return needs, eligible


def _extra_needs(missing, learners, existing):
    """Per short presenter: extra peers to ask, and who has not been asked yet."""
    assigned = _assigned_reviewers(existing)
    needs, eligible = {}, {}
    for p, short in missing.items():
        pool = [r for r in learners if r != p and r not in assigned.get(p, set())]
        needs[p] = min(short, len(pool))
        eligible[p] = pool
    return needs, eligible


def _missing_completed(presenters, k, existing) -> dict[UserId, int]:
    """Presenters whose completed reviews fall short of ``k``, with the gap."""
    done = Counter(a.presenter for a in existing if a.completed)
    return {p: k - done[p] for p in presenters if done[p] < k}


def _assigned_reviewers(existing) -> dict[UserId, set]:
    """Presenter -> everyone (peer or coach) already assigned to them."""
    assigned: dict[UserId, set] = {}
    for a in existing:
        assigned.setdefault(a.presenter, set()).add(a.reviewer)
    return assigned


# --------------------------------------------------------------------------- coaches


def _offer_to_coaches(result, presenters, k, existing, coaches, reason):
    """Offer each presenter's peer shortfall to the coaches, spreading it evenly."""
    everything = existing + result.assignments
    missing = {}
    for p in presenters:
        have = sum(1 for a in everything if a.presenter == p)
        if have < k:
            missing[p] = k - have
    _offer_missing_to_coaches(result, missing, everything, coaches, reason)


def _offer_missing_to_coaches(result, missing, existing, coaches, reason="escalated_to_coach"):
    """Give each presenter up to ``missing[p]`` coaches, least-loaded coach first."""
    coaches = _unique(coaches)
    assigned = _assigned_reviewers(existing)
    load = Counter(a.reviewer for a in existing if a.role == COACH)
    for p, short in missing.items():
        free = sorted((c for c in coaches if c not in assigned.get(p, set()) and c != p),
                      key=lambda c: (load[c], coaches.index(c)))
        for c in free[:short]:
            result.assignments.append(Assignment(p, c, COACH, reason))
            load[c] += 1
        if short > len(free):
            result.unmet[p] = short - len(free)


# --------------------------------------------------------------------------- balancing


def _rebalance(result, existing, learners):
    """Move open peer assignments from the busiest to the idlest reviewers.

    Each move keeps the other invariants (never oneself, never twice). Stops
    when loads are at most one apart or no allowed move is left.
    """
    live = [a for a in existing if a.role == PEER] + result.assignments
    while True:
        loads = peer_loads(learners, live)
        if not loads or max(loads.values()) - min(loads.values()) <= 1:
            return
        move = _find_move(live, loads)
        if move is None:
            return
        old, new = move
        live.remove(old)
        live.append(new)
        if old in result.assignments:
            result.assignments.remove(old)
        else:
            result.cancelled.append(old)
        result.assignments.append(new)


def _find_move(live, loads):
    """An open assignment of a max-load reviewer that a min-load reviewer can take."""
    top, low = max(loads.values()), min(loads.values())
    busiest = [r for r, n in loads.items() if n == top]
    idlest = [r for r, n in loads.items() if n == low]
    assigned = _assigned_reviewers(live)
    for a in live:
        if a.completed or a.role != PEER or a.reviewer not in busiest:
            continue
        for r in idlest:
            if r != a.presenter and r not in assigned.get(a.presenter, set()):
                return a, Assignment(a.presenter, r, PEER, "reallocated")
    return None


def _balanced(needs, eligible, learners, existing, seed) -> list[tuple[UserId, UserId]]:
    """Choose (presenter, reviewer) pairs meeting ``needs`` with loads as even as possible.

    Tries load windows ``[hi - spread, hi]`` from the tightest upwards and
    returns the first feasible flow; with no window feasible (only possible when
    existing assignments are already very uneven) it minimises the maximum.
    """
    demand = sum(needs.values())
    if demand == 0 or not learners:
        return []
    order = list(learners)
    random.Random(str(seed)).shuffle(order)
    base = peer_loads(order, existing)
    total = sum(base.values()) + demand
    start = max(-(-total // len(order)), 0)
    top = max(base.values()) + demand
    for spread in (1, 2, 3):
        for hi in range(start, top + 1):
            pairs = _solve(needs, eligible, order, base, hi - spread, hi)
            if pairs is not None:
                return pairs
    for hi in range(start, top + 1):
        pairs = _solve(needs, eligible, order, base, None, hi)
        if pairs is not None:
            return pairs
    raise AssertionError("unreachable: an unbounded window is always feasible")


def _solve(needs, eligible, order, base, lo, hi):
    """Feasible pairs with every reviewer's final load in ``[lo, hi]``, or None."""
    bounds = {}
    for r in order:
        upper = hi - base[r]
        lower = 0 if lo is None else max(0, lo - base[r])
        if upper < 0 or lower > upper:
            if lo is None and upper < 0:
                upper = 0  # already over: take no more, but do not block the rest
            else:
                return None
        bounds[r] = (lower, upper)
    return _bounded_flow(needs, eligible, order, bounds)


def _bounded_flow(needs, eligible, order, bounds):
    """Max flow with lower bounds (the classic circulation reduction)."""
    net = _FlowNetwork()
    src, sink, s2, t2 = "S", "T", "S*", "T*"
    presenters = [p for p in needs if needs[p] > 0]
    # source -> presenter carries exactly the need (lower == upper)
    for p in presenters:
        _lower_edge(net, src, ("p", p), needs[p], needs[p], s2, t2)
    rank = {r: i for i, r in enumerate(order)}
    for p in presenters:
        for r in sorted(eligible[p], key=rank.__getitem__):
            net.add(("p", p), ("r", r), 1)
    for r in order:
        lower, upper = bounds[r]
        _lower_edge(net, ("r", r), sink, lower, upper, s2, t2)
    net.add(sink, src, 10**9)
    required = sum(needs[p] for p in presenters) + sum(b[0] for b in bounds.values())
    if net.max_flow(s2, t2) < required:
        return None
    return [(node_p[1], node_r[1]) for node_p, node_r in net.used_edges()
            if node_p[0] == "p" and isinstance(node_r, tuple) and node_r[0] == "r"]


def _lower_edge(net, u, v, lower, upper, s2, t2):
    """Add ``u -> v`` with flow in ``[lower, upper]`` via the super source/sink."""
    if upper > lower:
        net.add(u, v, upper - lower)
    if lower:
        net.add(s2, v, lower)
        net.add(u, t2, lower)


class _FlowNetwork:
    """A small Edmonds-Karp max-flow; cohorts are tens or hundreds of people."""

    def __init__(self):
        self.graph: dict = {}
        self.edges: list = []  # [u, v, cap, flow, reverse index]

    def add(self, u, v, cap):
        """Add an edge with capacity ``cap`` (and its residual twin)."""
        self.graph.setdefault(u, []).append(len(self.edges))
        self.edges.append([u, v, cap, 0])
        self.graph.setdefault(v, []).append(len(self.edges))
        self.edges.append([v, u, 0, 0])

    def max_flow(self, s, t) -> int:
        """Push flow from ``s`` to ``t`` along shortest augmenting paths."""
        total = 0
        while True:
            path = self._augmenting_path(s, t)
            if path is None:
                return total
            push = min(self.edges[i][2] - self.edges[i][3] for i in path)
            for i in path:
                self.edges[i][3] += push
                self.edges[i ^ 1][3] -= push
            total += push

    def _augmenting_path(self, s, t):
        """Edge indices of a shortest residual path from ``s`` to ``t``, or None."""
        parent = {s: None}
        queue = deque([s])
        while queue:
            u = queue.popleft()
            for i in self.graph.get(u, []):
                v, cap, flow = self.edges[i][1], self.edges[i][2], self.edges[i][3]
                if v not in parent and cap - flow > 0:
                    parent[v] = i
                    if v == t:
                        return self._path(parent, t)
                    queue.append(v)
        return None

    def _path(self, parent, t):
        """Walk the BFS parents back from ``t``."""
        path, node = [], t
        while parent[node] is not None:
            i = parent[node]
            path.append(i)
            node = self.edges[i][0]
        return path

    def used_edges(self):
        """``(u, v)`` for every forward edge that carries flow."""
        return [(e[0], e[1]) for i, e in enumerate(self.edges) if i % 2 == 0 and e[3] > 0]
