"""xAPI statement builders for the structured activities (pure, no I/O).

A statement is ``{id, actor, verb, object, result?, context, timestamp}``
(xAPI 1.0.3). Verbs come from the ADL vocabulary where it has one
(http://adlnet.gov/expapi/verbs/...); where it has none, from the vocabularies
the xAPI registry lists (Activity Streams for "submit", tincanapi.com for
"reviewed" and "rated"), never an invented IRI.

Activity ids become IRIs under a configurable base (``XAPI_BASE``), so a
learning record store receives ``{base}/activities/sales/pitch-day/presentation``.
The context carries a registration (a UUID per learner and cohort, stable
across exports), the cohort as a grouping activity and the program and module
as parent/grouping context activities.
"""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import quote

from comments_server.domain import timeutil

ADL = "http://adlnet.gov/expapi/verbs/"

VERBS = {
    "experienced": ADL + "experienced",
    "commented": ADL + "commented",
    "completed": ADL + "completed",
    "scored": ADL + "scored",
    "progressed": ADL + "progressed",
    "responded": ADL + "responded",
    "attempted": ADL + "attempted",
    "passed": ADL + "passed",  # a quiz attempt at or above its pass mark
    "failed": ADL + "failed",
    "submitted": "http://activitystrea.ms/schema/1.0/submit",
    "reviewed": "http://id.tincanapi.com/verb/reviewed",
    "rated": "http://id.tincanapi.com/verb/rated",
    "scheduled": "http://id.tincanapi.com/verb/scheduled",
}

ACTIVITY_TYPES = {
    "program": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "cohort": "http://id.tincanapi.com/activitytype/group",
    "read": "http://adlnet.gov/expapi/activities/lesson",
    "roundtable": "http://id.tincanapi.com/activitytype/discussion",
    "plan": "http://adlnet.gov/expapi/activities/assessment",
    "presentation": "http://adlnet.gov/expapi/activities/performance",
    "reflection": "http://id.tincanapi.com/activitytype/blog",
    "quiz": "http://adlnet.gov/expapi/activities/assessment",
}

# namespace for registration UUIDs: uuid5 of (cohort, learner) under it
REGISTRATION_NS = uuid.UUID("6f0c8a4e-52b4-4c1e-9d0e-3a8f4e9b7c21")


# where activity IRIs live when neither XAPI_BASE nor BASE_URL is set
DEFAULT_BASE = "https://roundtable.invalid/xapi"


def base_from(config) -> str:
    """The IRI base a config mapping names: XAPI_BASE, else BASE_URL/xapi, else :data:`DEFAULT_BASE`."""
    if config.get("XAPI_BASE"):
        return config["XAPI_BASE"]
    return (config.get("BASE_URL") or DEFAULT_BASE[: -len("/xapi")]).rstrip("/") + "/xapi"


def current_base() -> str:
    """The IRI base for code that runs below the web layer without the config: the site root in use + /xapi.

    (XAPI_BASE, when set, reaches the actions that take ``xapi_base=`` from their view; a follow-up of a
    comment event knows only the site root the request or command installed, domain/links.py.)
    """
    from comments_server.domain import links

    return base_from({"BASE_URL": links.current_root()})


def iri(base: str, kind: str, ident: str) -> str:
    """An IRI for a program, cohort, module or activity id under ``base``."""
    return f"{base.rstrip('/')}/{kind}/{quote(ident, safe='/')}"


def actor(user: dict) -> dict:
    """The xAPI Agent for a user (identified by mbox)."""
    return {"objectType": "Agent", "name": user.get("name") or user["email"],
            "mbox": f"mailto:{user['email']}"}


def verb(name: str) -> dict:
    """The verb object for one of :data:`VERBS`."""
    return {"id": VERBS[name], "display": {"en-US": name}}


def activity(base: str, activity_id: str, kind: str, title: str = "") -> dict:
    """The statement object for a catalog activity."""
    definition = {"type": ACTIVITY_TYPES.get(kind, ACTIVITY_TYPES["module"])}
    if title:
        definition["name"] = {"en-US": title}
    return {"objectType": "Activity", "id": iri(base, "activities", activity_id),
            "definition": definition}


def registration(cohort_id: str, user_id) -> str:
    """A stable registration UUID for one learner in one cohort."""
    return str(uuid.uuid5(REGISTRATION_NS, f"{cohort_id}:{user_id}"))


def context(base: str, *, cohort_id: str, program_id: str, module_id: str | None,
            user_id, instructor: dict | None = None) -> dict:
    """Context: registration, module as parent, program and cohort as grouping."""
    grouping = [_ctx_activity(base, "programs", program_id, "program"),
                _ctx_activity(base, "cohorts", cohort_id, "cohort")]
    activities = {"grouping": grouping}
    if module_id:
        activities["parent"] = [_ctx_activity(base, "modules", module_id, "module")]
    ctx = {"registration": registration(cohort_id, user_id), "contextActivities": activities,
           "platform": "Roundtable", "language": "en-US"}
    if instructor:
        ctx["instructor"] = actor(instructor)
    return ctx


def _ctx_activity(base, kind, ident, type_key):
    """A context activity with its type."""
    return {"objectType": "Activity", "id": iri(base, kind, ident),
            "definition": {"type": ACTIVITY_TYPES[type_key]}}


def result(*, completion: bool | None = None, success: bool | None = None,
           score: tuple[float, float, float] | None = None, response: str | None = None,
           extensions: dict | None = None) -> dict:
    """A result object; ``score`` is ``(raw, min, max)`` and gains ``scaled``."""
    out = {}
    if completion is not None:
        out["completion"] = completion
    if success is not None:
        out["success"] = success
    if score is not None:
        raw, low, high = score
        scaled = (raw - low) / (high - low) if high > low else 1.0
        out["score"] = {"raw": raw, "min": low, "max": high, "scaled": round(scaled, 4)}
    if response is not None:
        out["response"] = response
    if extensions:
        out["extensions"] = extensions
    return out


def timestamp(when: dt.datetime | None = None) -> str:
    """ISO 8601 UTC with a Z, millisecond precision."""
    when = when or timeutil.now()
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def statement(base: str, *, user: dict, verb_name: str, activity_id: str, kind: str,
              cohort_id: str, program_id: str, module_id: str | None = None, title: str = "",
              result_obj: dict | None = None, when: dt.datetime | None = None,
              instructor: dict | None = None, statement_id: str | None = None) -> dict:
    """A complete statement: a learner did ``verb_name`` to a catalog activity."""
    out = {
        "id": statement_id or str(uuid.uuid4()),
        "actor": actor(user),
        "verb": verb(verb_name),
        "object": activity(base, activity_id, kind, title),
        "context": context(base, cohort_id=cohort_id, program_id=program_id,
                           module_id=module_id, user_id=user["id"], instructor=instructor),
        "timestamp": timestamp(when),
    }
    if result_obj:
        out["result"] = result_obj
    return out
