"""The household register (roster) pages."""

from flask import Blueprint

bp = Blueprint("org", __name__, url_prefix="/org")
