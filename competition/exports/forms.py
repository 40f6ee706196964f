"""Export forms: certificate settings (with image uploads) and a batch of certificates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length

from competition.domain import labels
from competition.forms.fields import choices, clean_text, options

FORMAT_CHOICES = [("pdf", _l("One PDF")), ("zip", _l("ZIP, one PDF per person"))]


class SettingsForm(FlaskForm):
    layout = SelectField(_l("Layout"), choices=choices(labels.CERTIFICATE_LAYOUTS))
    language = SelectField(_l("Language"), choices=choices(labels.CERTIFICATE_LANGUAGES))
    participation = BooleanField(_l("Issue participation certificates (参赛证书) to every "
                                    "contestant"))
    organizer_text = StringField(_l("Organizer as printed (default: the event's organizer)"),
                                 filters=[clean_text], validators=[Length(max=200)])
    date_text = StringField(_l("Date as printed (default: the last day of the event)"),
                            filters=[clean_text], validators=[Length(max=100)])
    background_upload = FileField(_l("Background image (PNG or JPEG, A4 landscape)"))
    drop_background = BooleanField(_l("Remove the background image"))
    seal_upload = FileField(_l("Seal (PNG with a transparent background, or JPEG)"))
    drop_seal = BooleanField(_l("Remove the seal"))


class BatchForm(FlaskForm):
    trade = SelectField(_l("Trade"), choices=[], default="")
    delegation = SelectField(_l("Delegation"), choices=[], default="")
    kind = SelectField(_l("Kind"), default="",
                       choices=options([("", _l("Every kind"))]) + choices(labels.CERTIFICATE_KINDS))
    format = SelectField(_l("File"), choices=options(FORMAT_CHOICES), default="pdf")
