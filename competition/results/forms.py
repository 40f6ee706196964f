"""Forms of the organizer's results pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class AmendForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the amendment (shown with the results)"),
                           validators=[DataRequired(), Length(max=500)])
