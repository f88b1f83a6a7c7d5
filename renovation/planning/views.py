"""Views of the planning area."""

from flask import Blueprint

bp = Blueprint("planning", __name__, url_prefix="/planning")
