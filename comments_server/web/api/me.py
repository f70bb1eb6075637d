"""The signed-in person's own data: everything Roundtable holds about them, as JSON."""

from __future__ import annotations

from flask import Blueprint, g

from comments_server.actions.person_data import export_document
from comments_server.web.database import get_db
from comments_server.web.security import login_required

bp = Blueprint("me", __name__, url_prefix="/api/me")


@bp.get("/export")
@login_required
def export_my_data():
    """Return every record that points at the signed-in person (uploads are listed; each downloads from its page)."""
    document = export_document(get_db(), user_id=g.user["id"])
    return {"ok": True, **document}, 200, {"Content-Disposition": 'attachment; filename="my-roundtable-data.json"'}
