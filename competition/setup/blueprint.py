"""The organizer's set-up pages' blueprint (``/manage``) and what its pages share."""

from __future__ import annotations

from flask import Blueprint, render_template

from competition.services import judges

bp = Blueprint("setup", __name__, url_prefix="/manage")


def credentials_page(event, credentials):
    """The page that shows new initial passwords once, with the sheet to print."""
    return render_template("setup/credentials.html", event=event, credentials=credentials,
                           sheet=judges.credentials_sheet(credentials))
