"""Views of the construction area."""

from flask import Blueprint

bp = Blueprint("construction", __name__, url_prefix="/construction")
