"""The aftercare area's blueprint, on which its page modules (views, repair_views, satisfaction_views)
register their routes (``init_app`` imports them all before registering it with the app), and what those
pages share."""

from flask import Blueprint

bp = Blueprint("aftercare", __name__, url_prefix="/aftercare")


def form_status(form) -> int:
    """The HTTP status of a page that shows ``form``: 400 when it was submitted and is shown again (refused),
    200 otherwise."""
    return 400 if form.is_submitted() else 200
