"""Organizer forms: each validates on the server; uniqueness is checked against the event."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from competition.domain import labels as names
from competition.domain.entrants import EntryType
from competition.domain.panel import LEADS, Position
from competition.domain.roles import JUDGING_STAFF
from competition.forms.fields import FiniteDecimalField, choices, clean_text, code_field, name_field


class EventForm(FlaskForm):
    code = code_field(_l("Code"))
    name_zh = name_field(_l("Name (Chinese)"), max_length=200)
    name_en = name_field(_l("Name (English)"), required=False, max_length=200)
    organizer_name = name_field(_l("Organizer"), required=False, max_length=200)
    venue = name_field(_l("Venue"), required=False, max_length=200)
    start_date = DateField(_l("First day"), validators=[Optional()])
    end_date = DateField(_l("Last day"), validators=[Optional()])
    medal_order = SelectField(_l("Medal table order"), choices=choices(names.MEDAL_ORDERS))
    scaling = SelectField(_l("Scores"), choices=choices(names.SCALINGS))

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The last day cannot be before the first day."))


class DelegationForm(FlaskForm):
    code = code_field(_l("Code"))
    name_zh = name_field(_l("Name (Chinese)"))
    name_en = name_field(_l("Name (English)"), required=False)


class TradeForm(FlaskForm):
    code = code_field(_l("Code"))
    name_zh = name_field(_l("Name (Chinese)"))
    name_en = name_field(_l("Name (English)"), required=False)
    category = name_field(_l("Category"), required=False, max_length=50)
    entry_type = SelectField(_l("Entry type"), choices=choices(names.ENTRY_TYPES))
    team_size = IntegerField(_l("Team size"), default=1,
                             validators=[InputRequired(), NumberRange(min=1, max=20)])
    is_demonstration = BooleanField(_l("Demonstration trade (not in the medal table)"))
    quota_per_delegation = IntegerField(_l("Entrants per delegation (blank: no limit)"),
                                        validators=[Optional(), NumberRange(min=1, max=100)])
    uses_anonymous_codes = BooleanField(_l("Blind judging with anonymous codes"))
    judgement_threshold = FiniteDecimalField(_l("Judgement discrepancy threshold"), default=Decimal(1),
                                       validators=[InputRequired(), NumberRange(min=0, max=3)])
    confirm_measurements = BooleanField(_l("A second judge confirms every measurement"))

    def validate_team_size(self, field):
        kind = self.entry_type.data
        if kind == EntryType.INDIVIDUAL and field.data != 1:
            raise ValidationError(_l("An individual trade has a team size of 1."))
        if kind == EntryType.PAIR and field.data != 2:
            raise ValidationError(_l("A pair trade has a team size of 2."))
        if kind == EntryType.TEAM and (field.data or 0) < 2:
            raise ValidationError(_l("A team has at least 2 members."))


class CriterionForm(FlaskForm):
    code = code_field(_l("Code"), max_length=10)
    name_zh = name_field(_l("Name (Chinese)"))
    name_en = name_field(_l("Name (English)"), required=False)
    weight = FiniteDecimalField(_l("Weight in % (blank: plain sum)"), places=None,
                          validators=[Optional(), NumberRange(min=Decimal("0.01"), max=100)])


class AspectForm(FlaskForm):
    criterion_id = SelectField(_l("Criterion"), coerce=int)
    code = code_field(_l("Code"))
    description_zh = name_field(_l("Description (Chinese)"), max_length=300)
    description_en = name_field(_l("Description (English)"), required=False, max_length=300)
    kind = SelectField(_l("Kind"), choices=choices(names.ASPECT_KINDS))
    max_mark = FiniteDecimalField(_l("Maximum mark"), places=None,
                            validators=[InputRequired(), NumberRange(min=Decimal("0.01"), max=1000)])
    aggregation = SelectField(_l("Panel aggregation"), choices=choices(names.AGGREGATIONS))
    trimmed_count = IntegerField(_l("Dropped highest/lowest marks"), default=1,
                                 validators=[InputRequired(), NumberRange(min=0, max=5)])
    decimals = IntegerField(_l("Decimals allowed"), default=2,
                            validators=[InputRequired(), NumberRange(min=0, max=3)])


class TitleForm(FlaskForm):
    class Meta:
        csrf = False

    name_zh = StringField(_l("Title (Chinese)"), filters=[clean_text], validators=[Length(max=50)])
    name_en = StringField(_l("Title (English)"), filters=[clean_text], validators=[Length(max=50)])
    up_to_place = IntegerField(_l("Up to place"), validators=[Optional(), NumberRange(min=1, max=100)])


class AwardRuleForm(FlaskForm):
    method = SelectField(_l("Method"), choices=choices(names.AWARD_METHODS))
    labels = SelectField(_l("Award names"), choices=choices(names.AWARD_NAMES))
    quota_first = IntegerField(_l("First"), default=1, validators=[InputRequired(), NumberRange(0, 500)])
    quota_second = IntegerField(_l("Second"), default=1, validators=[InputRequired(), NumberRange(0, 500)])
    quota_third = IntegerField(_l("Third"), default=1, validators=[InputRequired(), NumberRange(0, 500)])
    ratio_first = FiniteDecimalField(_l("First (%)"), default=Decimal(10), places=None,
                               validators=[InputRequired(), NumberRange(0, 100)])
    ratio_second = FiniteDecimalField(_l("Second (%)"), default=Decimal(20), places=None,
                                validators=[InputRequired(), NumberRange(0, 100)])
    ratio_third = FiniteDecimalField(_l("Third (%)"), default=Decimal(30), places=None,
                               validators=[InputRequired(), NumberRange(0, 100)])
    ratio_rounding = SelectField(_l("Rounding of counts"), choices=choices(names.ROUNDINGS))
    tie_window = FiniteDecimalField(_l("Tie window (points)"), default=Decimal(2), places=None,
                              validators=[InputRequired(), NumberRange(0, 100)])
    excellence = SelectField(_l("Excellence award"), choices=choices(names.EXCELLENCE_KINDS))
    excellence_threshold = FiniteDecimalField(_l("Excellence threshold"), places=None,
                                        validators=[Optional(), NumberRange(0, 10000)])
    minimum_score = FiniteDecimalField(_l("Minimum score for any award"), places=None,
                                 validators=[Optional(), NumberRange(0, 10000)])
    small_field = BooleanField(_l("Fewer awards in small fields (6+: 3 tiers, 5: 2, 4: 1, 3 or fewer: none)"))
    titles = FieldList(FormField(TitleForm), min_entries=2, max_entries=5)

    def validate_ratio_third(self, field):
        total = sum((f.data or 0) for f in (self.ratio_first, self.ratio_second, field))
        if self.method.data == "ratios" and total > 100:
            raise ValidationError(_l("The ratios add up to more than 100%."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Not an inline validator: Optional() ends the field's chain when it is blank.
        if self.excellence.data == "threshold" and self.excellence_threshold.data is None \
                and not self.excellence_threshold.errors:
            self.excellence_threshold.errors = [_l("Give the threshold score.")]
            valid = False
        return valid

    def validate_titles(self, field):
        for entry in field.entries:
            named = entry.form.name_zh.data or entry.form.name_en.data
            if named and not entry.form.up_to_place.data:
                raise ValidationError(_l("Give the last place that receives each title."))
            if entry.form.up_to_place.data and not entry.form.name_zh.data:
                raise ValidationError(_l("Give each title a Chinese name."))


class JudgeForm(FlaskForm):
    name = name_field(_l("Name"), max_length=100)
    username = StringField(_l("Username"), filters=[clean_text],
                           validators=[DataRequired(), Length(min=3, max=64)])
    role = SelectField(_l("Role"), choices=choices(names.ROLES, only=JUDGING_STAFF))
    delegation_id = SelectField(_l("Delegation (for recusal)"), coerce=int)
    trade_ids = SelectMultipleField(_l("Trades"), coerce=int)
    position = SelectField(_l("Position on these trades (chief judges only)"),
                           choices=choices(names.POSITIONS, only=LEADS), default=Position.CHIEF.value)


class UploadForm(FlaskForm):
    file = FileField(_l("Excel file (.xlsx)"), validators=[FileRequired()])


class AssignmentForm(FlaskForm):
    """The panel picker's POST: the ticked accounts (checked by the service, not offered as
    choices: an event may have a thousand judges) and their position on the panel."""

    user_id = SelectMultipleField(_l("Judge"), coerce=int, validate_choice=False)
    position = SelectField(_l("Position"), choices=choices(names.POSITIONS),
                           default=Position.JUDGE.value)


class OrganizerForm(FlaskForm):
    name = name_field(_l("Name"), max_length=100)
    username = StringField(_l("Username"), filters=[clean_text],
                           validators=[DataRequired(), Length(min=3, max=64)])
