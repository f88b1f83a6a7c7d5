"""Views of the wishes area."""

from flask import Blueprint

bp = Blueprint("wishes", __name__, url_prefix="/wishes")
