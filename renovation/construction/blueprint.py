"""The construction area's blueprint, on which its page modules (views, problem_views, site_views)
register their routes; ``init_app`` imports them all before registering it with the app."""

from flask import Blueprint

bp = Blueprint("construction", __name__, url_prefix="/construction")
