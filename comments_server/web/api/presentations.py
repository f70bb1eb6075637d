"""Presentations with peer review: submit (file or link), allocated reviews, feedback, helpfulness.

Uploads are multipart, so this blueprint lets ``multipart/form-data`` through
the core's JSON-only CSRF check for its one upload endpoint, still requiring
the session's ``X-CSRF-Token`` header (an HTML form cannot send one).
Files are checked by extension AND magic bytes, stored with random names in
the uploads storage (store/files.py: ``instance/uploads``, a shared folder or
an S3-compatible bucket; never under ``site/``), and streamed by the app only
to the presenter, their allocated reviewers, the cohort's coaches and admins,
as attachments with ``nosniff``.
"""

from __future__ import annotations

import hmac
import os
import secrets

from flask import Blueprint, current_app, g, request, send_file, session
from werkzeug.exceptions import RequestEntityTooLarge

from comments_server.access import activities as rules
from comments_server.actions import activities as actions
from comments_server.actions import reviews as review_upkeep
from comments_server.store import reviews, submissions
from comments_server.web import security
from comments_server.web.api.plans import (
    learner_cohort,
    load_activity,
    step_conflicts,
    viewer_cohort,
    xapi_base,
)
from comments_server.web.api import models_activities as models
from comments_server.web.contracts import body
from comments_server.web.database import get_db
from comments_server.web.serialize.activities import (
    activity_json,
    presentation_json,
    presenter_feedback as feedback_json,
    review_json,
)
from comments_server.web.errors import ApiError
from comments_server.web.uploads import looks_like
from comments_server.web.security import (
    limiter,
    login_required,
    read_json,
    writes_limit,
)

bp = Blueprint("presentations", __name__, url_prefix="/api")

UPLOAD_ENDPOINT = "presentations.submit_presentation"
MIME = {
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "mp4": "video/mp4",
    "webm": "video/webm",
}
FORMAT_NAMES = {"pdf": "PDF", "pptx": "PowerPoint (.pptx)", "odp": "OpenDocument (.odp)",
                "mp4": "MP4 video", "webm": "WebM video", "link": "a link"}
CHUNK = 1024 * 1024

# --------------------------------------------------------------------------- CSRF for the upload


def check_csrf_allowing_upload():
    """The core's CSRF check, except that the upload endpoint may send multipart with the token."""
    if request.endpoint == UPLOAD_ENDPOINT and request.mimetype == "multipart/form-data":
        sent = request.headers.get("X-CSRF-Token", "")
        expected = session.get("csrf", "")
        if not sent:
            raise ApiError(403, "Missing X-CSRF-Token header: read csrf_token from GET /api/session.")
        if not expected or not hmac.compare_digest(sent, expected):
            raise ApiError(403, "Wrong CSRF token: read a fresh csrf_token from GET /api/session.")
        return None
    return security.check_csrf()


@bp.record_once
def _swap_csrf_check(state):
    """Replace the app-wide CSRF hook with the upload-aware one (same checks otherwise)."""
    hooks = state.app.before_request_funcs.setdefault(None, [])
    hooks[:] = [check_csrf_allowing_upload if f is security.check_csrf else f for f in hooks]


# --------------------------------------------------------------------------- files


def max_upload_bytes():
    """ROUNDTABLE_MAX_UPLOAD_MB (default 50) in bytes."""
    return int(float(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024)


def uploads():
    """The app's file storage (store/files.py: a folder, or an S3-compatible bucket)."""
    return current_app.extensions["uploads"]


def _allowed(activity):
    """The formats the module accepts."""
    return activity["options"].get("formats") or list(FORMAT_NAMES)


def _wrong_type(activity, name):
    """A 400 naming the accepted formats."""
    names = ", ".join(FORMAT_NAMES[f] for f in _allowed(activity))
    return ApiError(400, f"'{name}' is not an accepted presentation. Accepted: {names}.")


def _too_large():
    """A 413 that names the limit."""
    mb = current_app.config["MAX_UPLOAD_MB"]
    return ApiError(413, f"The file is too large: presentations can be at most {mb} MB.")


def store_upload(activity, upload):
    """Stream an upload to a local file, check its size and type, then hand it to the storage under a random name.

    Returns ``{path, name, type, size}``; nothing is left behind when a check fails.
    """
    name = os.path.basename(upload.filename or "").strip()
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in MIME or ext not in _allowed(activity):
        raise _wrong_type(activity, name or "the file")
    stored = f"{secrets.token_hex(16)}.{ext}"
    partial = os.path.join(uploads().staging_dir(), stored + ".part")
    try:
        size = _stream(upload, partial)
        if size == 0:
            raise ApiError(400, "The file is empty.")
        if not looks_like(partial, ext):
            raise ApiError(400, f"'{name}' does not look like a {FORMAT_NAMES[ext]} file inside; "
                                "export it again and upload that.")
        uploads().put(stored, partial, MIME[ext])
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return {"path": stored, "name": name[:200], "type": MIME[ext], "size": size}


def _stream(upload, path):
    """Copy the upload to ``path`` in chunks, stopping at the size limit."""
    limit, size = max_upload_bytes(), 0
    with open(path, "wb") as out:
        while chunk := upload.stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise _too_large()
            out.write(chunk)
    return size


# --------------------------------------------------------------------------- submit


def _read_submission(activity):
    """Either an uploaded file (multipart field ``file``) or a JSON ``{link}``."""
    if request.mimetype == "multipart/form-data":
        request.max_content_length = max_upload_bytes() + 64 * 1024  # the form's own bytes
        if (request.content_length or 0) > request.max_content_length:
            raise _too_large()
        try:
            upload = request.files.get("file")
        except RequestEntityTooLarge:
            raise _too_large() from None
        if upload is None or not upload.filename:
            raise ApiError(400, "Choose a file to upload (form field 'file').")
        return {"upload": upload}
    link = read_json(required={"link"})["link"]
    if "link" not in _allowed(activity):
        raise ApiError(400, "This presentation must be uploaded as a file, not a link.")
    if not isinstance(link, str) or not link.startswith(("https://", "http://")) or len(link) > 2000:
        raise ApiError(400, "'link' must be an http(s) address, e.g. https://example.com/my-pitch.")
    return {"link": link}


@bp.post("/activities/<path:activity_id>/presentation")
@login_required
@limiter.limit(writes_limit)
def submit_presentation(activity_id):
    """Submit a presentation (multipart ``file`` or JSON ``{link}``); reviewers are allocated at once."""
    activity = load_activity(activity_id, "presentation")
    cohort_id = learner_cohort(activity)
    db = get_db()
    if submissions.find(db, activity_id=activity_id, user_id=g.user["id"], cohort_id=cohort_id):
        raise ApiError(409, "You have already submitted a presentation for this activity.")
    given = _read_submission(activity)
    attachment = store_upload(activity, given["upload"]) if "upload" in given else None
    try:
        with step_conflicts():
            sub = actions.submit_presentation(db, viewer=g.user, activity=activity, cohort_id=cohort_id,
                                              attachment=attachment, link=given.get("link"), xapi_base=xapi_base())
    except BaseException:
        if attachment:  # nothing saved half-way
            uploads().delete(attachment["path"])
        raise
    return {"ok": True, **_own_view(activity, cohort_id, sub)}, 201


# --------------------------------------------------------------------------- reads


def _feedback(db, sub, activity):
    """All reviews of a presentation together, as the module's options say to show them."""
    options = activity["options"]
    return feedback_json(reviews.list_reviews(db, submission_id=sub["id"]), sub=sub,
                              rubric=options.get("rubric") or [], named=bool(options.get("reviewers_named")))


def _own_view(activity, cohort_id, sub):
    """The activity as the viewer sees it: own submission, own feedback, what to review."""
    db = get_db()
    return {
        "activity": activity_json(activity), "cohort_id": cohort_id,
        "max_upload_mb": current_app.config["MAX_UPLOAD_MB"],
        "submission": presentation_json(sub, "owner") if sub else None,
        "feedback": _feedback(db, sub, activity) if sub else None,
        "to_review": reviews.to_review_for(db, reviewer_id=g.user["id"], activity_id=activity["id"],
                                           cohort_id=cohort_id),
    }


@bp.get("/activities/<path:activity_id>/presentation")
@login_required
def get_presentation_activity(activity_id):
    """The viewer's presentation, the feedback on it, and the presentations they are to review.

    Lazily moves the open assignments of reviewers who left the cohort and
    escalates presentations still short of reviews after the due date; the
    checks are reads, and the write lock is taken only when one finds work.
    """
    activity = load_activity(activity_id, "presentation")
    cohort_id = viewer_cohort(activity)
    db = get_db()
    review_upkeep.tend_reviews(db, activity=activity, cohort_id=cohort_id,
                         days=current_app.config["REVIEW_ESCALATION_DAYS"], xapi_base=xapi_base())
    sub = submissions.find(db, activity_id=activity_id, user_id=g.user["id"], cohort_id=cohort_id)
    body = {"ok": True, **_own_view(activity, cohort_id, sub)}
    body["can"] = {"submit": sub is None and rules.is_learner(g.user, cohort_id),
                   "review_any": rules.coaches(g.user, cohort_id)}
    if body["can"]["review_any"]:
        body["cohort_presentations"] = _cohort_list(db, activity, cohort_id)
    return body


def _cohort_list(db, activity, cohort_id):
    """Every presentation of the cohort, for a coach, with the review count."""
    out = []
    for sid, _uid in submissions.presenters(db, activity_id=activity["id"], cohort_id=cohort_id):
        sub = submissions.get(db, submission_id=sid)
        out.append({**presentation_json(sub, "coach"), "reviews": reviews.review_count(db, submission_id=sid),
                    "reviewed_by_me": reviews.get_review(db, submission_id=sid, reviewer_id=g.user["id"]) is not None})
    return out


def _load(presentation_id, rule="presentation.see"):
    """Return ``(submission, relation, activity)`` for a presentation the viewer may see, else 404."""
    return actions.load_presentation(get_db(), viewer=g.user, presentation_id=presentation_id, rule=rule)


@bp.get("/presentations/<int:presentation_id>")
@login_required
def get_presentation(presentation_id):
    """One presentation for its presenter, allocated reviewers, coaches and admins."""
    sub, rel, activity = _load(presentation_id)
    mine = reviews.get_review(get_db(), submission_id=sub["id"], reviewer_id=g.user["id"])
    return {"ok": True, "presentation": presentation_json(sub, rel),
            "rubric": activity["options"].get("rubric") or [],
            "my_review": review_json(mine) if mine else None,
            "can": {"review": rel in ("reviewer", "coach", "admin") and mine is None}}


@bp.get("/presentations/<int:presentation_id>/file")
@login_required
def download(presentation_id):
    """The uploaded file, as an attachment, never sniffed into something else."""
    sub, _rel, _activity = _load(presentation_id)
    if not sub["attachment_path"]:
        raise ApiError(404, "This presentation is a link, not a file.")
    # streamed by the app, never a redirect to the storage: the check above stays the only way in
    try:
        stream = uploads().open(sub["attachment_path"])
    except FileNotFoundError:
        raise ApiError(404, "The file is missing on the server.") from None
    response = send_file(stream, mimetype=sub["attachment_type"], as_attachment=True,
                         download_name=sub["attachment_name"], max_age=0, etag=False, conditional=False)
    response.content_length = sub["attachment_size"]
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --------------------------------------------------------------------------- reviews


@bp.post("/presentations/<int:presentation_id>/reviews")
@login_required
@limiter.limit(writes_limit)
@body(models.Review)
def review(presentation_id):
    """Score the rubric and comment: allocated reviewers and the cohort's coaches, never one's own."""
    with step_conflicts():
        row = actions.review(get_db(), viewer=g.user, presentation_id=presentation_id, scores=g.body.scores,
                             comment_md=g.body.comment, xapi_base=xapi_base())
    return {"ok": True, "review": review_json(row)}, 201


@bp.get("/presentations/<int:presentation_id>/feedback")
@login_required
def presenter_feedback(presentation_id):
    """All reviews together with averages per criterion (presenter, coaches, admins)."""
    sub, _rel, activity = _load(presentation_id, "presentation.feedback")
    return {"ok": True, "feedback": _feedback(get_db(), sub, activity)}


@bp.post("/reviews/<int:review_id>/helpfulness")
@login_required
@limiter.limit(writes_limit)
@body(models.RateReview)
def rate_helpfulness(review_id):
    """The presenter rates how helpful a review was, 1 to 5."""
    row = actions.rate_review(get_db(), viewer=g.user, review_id=review_id, rating=g.body.rating,
                              xapi_base=xapi_base())
    return {"ok": True, "review": review_json(row)}
