"""Forms of the judging pages. A score sheet's cells are named per cell (``m-<row>-<aspect>``,
with the loaded version in ``v-`` and the loaded text in ``o-``) and read by the view; the form
object carries the CSRF token and the reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from competition.forms.fields import clean_text


class SheetForm(FlaskForm):
    reason = StringField(_l("Reason for the change"), filters=[clean_text],
                         validators=[Optional(), Length(max=500)])


class SignOffForm(FlaskForm):
    note = TextAreaField(_l("Note (required while discrepancies or missing marks remain)"),
                         filters=[clean_text], validators=[Optional(), Length(max=500)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), filters=[clean_text],
                           validators=[DataRequired(), Length(max=500)])


class ConflictForm(FlaskForm):
    judge = StringField(_l("Judge (username)"), filters=[clean_text],
                        validators=[DataRequired(), Length(max=64)])
    contestant = StringField(_l("Contestant (competitor number)"), filters=[clean_text],
                             validators=[Optional(), Length(max=20)])
    delegation_id = SelectField(_l("or the whole delegation"), coerce=int, default=0)
    reason = StringField(_l("Reason"), filters=[clean_text], validators=[Optional(), Length(max=300)])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    trade = SelectField(_l("Trade"), coerce=int, default=0, validators=[Optional()])
    judge = StringField(_l("Judge (username)"), filters=[clean_text], validators=[Optional()])
    entrant = IntegerField(_l("Entrant (id)"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
