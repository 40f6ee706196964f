from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from competition.domain import labels
from competition.forms.fields import choices, clean_text, options

GENDERS = options([("", _l("From the ID number"))]) + choices(labels.GENDERS)


class PersonForm(FlaskForm):
    name = StringField(_l("Name"), filters=[clean_text], validators=[DataRequired(), Length(max=50)])
    id_type = SelectField(_l("ID type"), choices=choices(labels.ID_TYPES))
    id_number = StringField(_l("ID number"), filters=[clean_text],
                            validators=[DataRequired(), Length(max=30)])
    gender = SelectField(_l("Gender"), choices=GENDERS, validators=[Optional()])
    birth_date = DateField(_l("Birth date"), validators=[Optional()])
    employer = StringField(_l("Employer or school"), filters=[clean_text], validators=[Length(max=200)])
    phone = StringField(_l("Phone"), filters=[clean_text], validators=[Length(max=40)])
    remarks = TextAreaField(_l("Remarks"), filters=[clean_text], validators=[Length(max=500)])


class ContestantForm(PersonForm):
    delegation_id = SelectField(_l("Delegation"), coerce=int)
    trade_id = SelectField(_l("Trade"), coerce=int)
    team_name = StringField(_l("Team (pair and team trades)"), filters=[clean_text],
                            validators=[Length(max=100)])


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=choices(labels.ENTRANT_STATUSES))
    reason = StringField(_l("Reason"), filters=[clean_text], validators=[Length(max=300)])


class IdSearchForm(FlaskForm):
    """Find a contestant by full ID number: sent as a POST, so that the number stays out of
    URLs and access logs."""

    id_number = StringField(_l("ID number"), filters=[clean_text],
                            validators=[DataRequired(), Length(max=30)])
