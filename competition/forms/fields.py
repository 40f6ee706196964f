"""Form pieces every form shares: cleaned text, codes, names, finite decimals, select choices."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from flask_babel import lazy_gettext as _l
from wtforms import DecimalField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f]")


def clean_text(value):
    """Strip, fold full-width letters/digits (NFKC), drop control characters (which no name
    holds and PostgreSQL refuses as NUL) and collapse inner white space."""
    if not isinstance(value, str):
        return value
    return re.sub(r"\s+", " ", CONTROL.sub("", unicodedata.normalize("NFKC", value))).strip()


def clean_code(value):
    value = clean_text(value)
    return value.upper() if isinstance(value, str) else value


def code_field(label, max_length: int = 20) -> StringField:
    return StringField(
        label,
        filters=[clean_code],
        validators=[
            DataRequired(),
            Length(max=max_length),
            Regexp(CODE_PATTERN, message=_l("Use letters, digits, '-', '_' or '.' only.")),
        ],
    )


def name_field(label, required: bool = True, max_length: int = 100) -> StringField:
    validators = [Length(max=max_length)]
    if required:
        validators.insert(0, DataRequired())
    return StringField(label, filters=[clean_text], validators=validators)


class FiniteDecimalField(DecimalField):
    """A decimal that is a number: "NaN", "sNaN" and "Infinity" parse as Decimals but are no
    mark or weight (and a signalling NaN breaks the range check)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


def options(pairs) -> list[SelectChoice]:
    """Select choices from (value, label) pairs (WTForms 3.3 deprecates bare tuples)."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


def choices(labels: Mapping, only: Iterable | None = None) -> list[SelectChoice]:
    """Select choices from one of the label tables of ``competition.domain.labels`` (value →
    untranslated message), translated when the form is shown; ``only`` keeps some values."""
    return options((str(value), _l(message)) for value, message in labels.items()
                   if only is None or value in only)
