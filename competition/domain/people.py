"""Rules for the people a delegation registers: names, phone numbers and gender.

Contestants arrive from many delegations, typed by hand or pasted from Excel, so the same name or
number comes in many spellings. Each ``normalise_*`` function turns the spellings into one stored
form; each ``validate_*`` function says, as :class:`~competition.domain.messages.Problem` values,
what is wrong with what remains. Problems name the column they belong to (``name``, ``phone``) so an
import report can point at the cell.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from competition.domain.messages import N_, Problem

NAME_MAX_LENGTH = 50
MIDDLE_DOT = "\u00b7"

# Middle-dot look-alikes seen in minority and foreign names (阿卜杜拉·买买提): bullet, hyphenation
# point, katakana middle dot, half-width katakana middle dot, dot operator, bullet operator, Greek
# ano teleia and the word-separator middle dot.
_DOT_VARIANTS = "\u2022\u2027\u30fb\uff65\u22c5\u2219\u0387\u2e31"
# Characters pasted from Word or the web that are invisible and never part of a name.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")
_HAN = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002fa1f\U00030000-\U0003134f"
)
# Between two Han characters a full stop or a hyphen-like dash can only be a mistyped middle dot.
_DOT_BETWEEN_HAN = re.compile(
    f"(?<=[{_HAN}])\\s*[.\u3002\\-\u2010\u2011\u2012\u2013\u2014]\\s*(?=[{_HAN}])"
)
_DOT_WITH_SPACES = re.compile(r"\s*\u00b7(?:\s*\u00b7)*\s*")
_SPACE_BETWEEN_HAN = re.compile(f"(?<=[{_HAN}]) (?=[{_HAN}])")
_WHITESPACE = re.compile(r"\s+")


def normalise_name(raw: str) -> str:
    """The stored spelling of a person's name.

    - Unicode NFKC: full-width letters, digits and spaces become their ordinary forms.
    - Every middle-dot variant (• ‧ ・ ･ ⋅ ∙ …), and a full stop or hyphen standing between two
      Chinese characters, becomes U+00B7 ``·`` with no spaces around it; repeated dots become one:
      ``"阿卜杜拉 • 买买提"`` → ``"阿卜杜拉·买买提"``.
    - Runs of whitespace become one space, and the ends are stripped.
    - A space between two Chinese characters is removed (``"张 三"`` → ``"张三"``); a space between
      Latin words stays (``"Li  Ming"`` → ``"Li Ming"``).
    - Letter case is left alone.
    """
    name = unicodedata.normalize("NFKC", _INVISIBLE.sub("", raw))
    name = name.translate({ord(dot): MIDDLE_DOT for dot in _DOT_VARIANTS})
    name = _DOT_BETWEEN_HAN.sub(MIDDLE_DOT, name)
    name = _DOT_WITH_SPACES.sub(MIDDLE_DOT, name)
    name = _WHITESPACE.sub(" ", name).strip()
    return _SPACE_BETWEEN_HAN.sub("", name)


def validate_name(name: str) -> list[Problem]:
    """What is wrong with a person's name, judged on its normalised form.

    A name is required, at most ``NAME_MAX_LENGTH`` (50) characters, holds no digit and no
    control or other invisible character, and neither begins nor ends with a middle dot nor begins
    with a full stop (a trailing full stop is allowed, as in "Jr.").
    """
    name = normalise_name(name)
    if not name:
        return [Problem(N_("Enter the name."), column="name")]
    problems = []
    if len(name) > NAME_MAX_LENGTH:
        problems.append(
            Problem(
                N_("The name must be at most %(max)d characters long."),
                {"max": NAME_MAX_LENGTH},
                column="name",
            )
        )
    if any(ch.isdigit() for ch in name):
        problems.append(Problem(N_("A name cannot contain digits."), column="name"))
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        problems.append(
            Problem(N_("The name contains a control or invisible character."), column="name")
        )
    if name[0] in (MIDDLE_DOT, ".") or name[-1] == MIDDLE_DOT:
        problems.append(Problem(N_("A name cannot begin or end with a dot."), column="name"))
    return problems


class Gender(StrEnum):
    """A contestant's gender as stored: ``M`` or ``F`` (the 17th digit of a resident ID)."""

    MALE = "M"
    FEMALE = "F"


_GENDER_WORDS = {
    "男": Gender.MALE,
    "男性": Gender.MALE,
    "m": Gender.MALE,
    "male": Gender.MALE,
    "女": Gender.FEMALE,
    "女性": Gender.FEMALE,
    "f": Gender.FEMALE,
    "female": Gender.FEMALE,
}


def parse_gender(raw: str | None) -> Gender | None:
    """The gender a cell means: 男/男性/M/male or 女/女性/F/female, in any case, full-width too.

    Returns None for an empty cell or any other text; the caller decides whether that is an error.
    """
    if raw is None:
        return None
    return _GENDER_WORDS.get(unicodedata.normalize("NFKC", raw).strip().casefold())


@dataclass(frozen=True)
class Phone:
    """A recognised phone number, split into the parts that are shown and masked differently.

    ``prefix`` is what precedes the subscriber number in the stored form (an area code with its
    hyphen, a country code with its space, or nothing for a mainland mobile).
    """

    prefix: str
    subscriber: str
    extension: str = ""
    is_mobile: bool = False

    def __str__(self) -> str:
        number = f"{self.prefix}{self.subscriber}"
        return f"{number}-{self.extension}" if self.extension else number


_GROUPING = re.compile(r"[\s\-().]")
_MAINLAND_PREFIX = r"(?:\+|00)86"
_MOBILE = re.compile(rf"(?:{_MAINLAND_PREFIX})?(1[3-9]\d{{9}})")
# Area codes: 010 and 020–029 have three digits, all others four; after +86 the trunk 0 is usually
# dropped. Local numbers have 7 or 8 digits and never begin with 0.
_LANDLINE = re.compile(rf"(?:{_MAINLAND_PREFIX}0?|0)(10|2\d|[3-9]\d\d)([1-9]\d{{6,7}})")
_EXTENSION = re.compile(r"(.*?)\s*(?:-|转|分机|ext\.?|x|#)\s*(\d{1,6})", re.IGNORECASE)
# Hong Kong and Macao: 8 digits after +852 / +853; Taiwan mobiles: 9 digits beginning with 9 after
# +886. Without the country code an 8-digit number could as well be a mainland local number.
_REGIONAL = re.compile(r"(?:\+|00)(?:(85[23])([2-9]\d{7})|(886)(9\d{8}))")


def parse_phone(raw: str) -> Phone | None:
    """The phone number ``raw`` stands for, or None when it is not one this competition accepts.

    Accepted, with spaces, hyphens, dots or brackets grouping the digits:
    - a mainland mobile, 11 digits ``1[3-9]…``, optionally after +86 or 0086 → ``13812345678``;
    - a mainland landline with its area code (010, 02x or a four-digit code) and a 7- or 8-digit
      local number, optionally with an extension after ``-``, 转, 分机, ext, x or # →
      ``0371-12345678``, ``010-1234567-801``; after +86 the area code's leading 0 is optional;
    - a Hong Kong or Macao number, 8 digits after +852 / +853 → ``+852 91234567``, and a Taiwan
      mobile, 9 digits beginning with 9 after +886 → ``+886 912345678``.
    A number whose last hyphen-separated group could be either the end of the local number or an
    extension is read without an extension.
    """
    text = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", raw)).strip()
    compact = _GROUPING.sub("", text)
    if match := _MOBILE.fullmatch(compact):
        return Phone("", match.group(1), is_mobile=True)
    if match := _REGIONAL.fullmatch(compact):
        country, subscriber = match.group(1, 2) if match.group(1) else match.group(3, 4)
        return Phone(f"+{country} ", subscriber, is_mobile=country == "886")
    if match := _LANDLINE.fullmatch(compact):
        return Phone(f"0{match.group(1)}-", match.group(2))
    if (split := _EXTENSION.fullmatch(text)) and (
        match := _LANDLINE.fullmatch(_GROUPING.sub("", split.group(1)))
    ):
        return Phone(f"0{match.group(1)}-", match.group(2), split.group(2))
    return None


def normalise_phone(raw: str | None) -> str:
    """The stored form of a phone number (see :func:`parse_phone`); ``""`` when empty.

    Text that is not a recognised number comes back with only its whitespace tidied, so that it can
    be shown to the user beside the problem :func:`validate_phone` reports.
    """
    if raw is None:
        return ""
    phone = parse_phone(raw)
    if phone is None:
        return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", raw)).strip()
    return str(phone)


def validate_phone(raw: str | None) -> list[Problem]:
    """What is wrong with a phone number: nothing when it is empty (the phone is optional) or
    recognised by :func:`parse_phone`, otherwise one problem that says what is accepted."""
    if raw is None or not raw.strip():
        return []
    if parse_phone(raw) is not None:
        return []
    return [
        Problem(
            N_(
                "%(phone)s is not a phone number we recognise: enter a mobile number "
                "(13812345678), a landline with its area code (0371-12345678), or a number "
                "with its country code (+852 91234567)."
            ),
            {"phone": raw.strip()},
            column="phone",
        )
    ]


def mask_phone(phone: str) -> str:
    """A phone number for lists: a mobile keeps its first 3 and last 4 digits (``138****5678``);
    any other number keeps its area or country code and the last 4 digits of the subscriber
    number (``0371-****5678``). Unrecognised text keeps only its last 4 characters."""
    parsed = parse_phone(phone)
    if parsed is None:
        return "*" * max(len(phone) - 4, 0) + phone[-4:]
    subscriber = parsed.subscriber
    keep_head = 3 if parsed.is_mobile and not parsed.prefix else 0
    hidden = len(subscriber) - keep_head - 4
    masked = subscriber[:keep_head] + "*" * hidden + subscriber[-4:]
    return str(Phone(parsed.prefix, masked, parsed.extension))
