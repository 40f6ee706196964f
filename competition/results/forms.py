"""Forms of the organizer's results pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from competition.forms.fields import clean_text


class AmendForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the amendment (shown with the results)"),
                           filters=[clean_text], validators=[DataRequired(), Length(max=500)])
