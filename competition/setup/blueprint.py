"""The organizer's set-up pages' blueprint (``/manage``)."""

from flask import Blueprint

bp = Blueprint("setup", __name__, url_prefix="/manage")
