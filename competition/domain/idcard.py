"""Identity documents of contestants, above all the mainland resident identity card (居民身份证).

A resident ID number (GB 11643-1999) has 18 characters:

- 6 digits: the administrative region of first registration (the first two are the province);
- 8 digits: the birth date, ``YYYYMMDD``;
- 3 digits: a sequence number, odd for men and even for women (so the 17th character gives the
  gender);
- 1 check character (ISO 7064 MOD 11-2): multiply the first 17 digits by the weights
  7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, add the products, take the sum modulo 11 and look the
  remainder up in ``10X98765432`` (remainder 0 → ``1``, 1 → ``0``, 2 → ``X``, …).

The same layout is used by the residence permits for Hong Kong, Macao and Taiwan residents (港澳台
居民居住证, region 81/82/83), which may therefore be entered as resident IDs. Other documents
(passports, mainland travel permits) have no public checksum: only their shape is checked.

Problems are reported against the ``id_number`` column, or ``birth_date`` / ``gender`` when the
ID number contradicts those fields.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from competition.domain.messages import N_, Problem
from competition.domain.people import Gender, parse_gender

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
OTHER_ID_LENGTH = (5, 30)

# Province-level codes of GB/T 2260, plus 71 Taiwan, 81 Hong Kong, 82 Macao and 83 (residence
# permits of Taiwan residents).
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)

_RESIDENT_SHAPE = re.compile(r"\d{17}[\dX]")
_OTHER_SHAPE = re.compile(r"[A-Z0-9()\-]+")


class IdType(StrEnum):
    """The kind of identity document a contestant registers with (证件类型)."""

    RESIDENT = "resident"  # 居民身份证 (and 港澳台居民居住证, which share its format)
    PASSPORT = "passport"  # 护照
    HK_MACAO = "hk_macao"  # 港澳居民来往内地通行证
    TAIWAN = "taiwan"  # 台湾居民来往大陆通行证
    OTHER = "other"  # 其他


@dataclass(frozen=True)
class ResidentId:
    """What a valid resident ID number says about its holder."""

    number: str
    region: str
    birth_date: date
    gender: Gender


class InvalidIdNumber(ValueError):
    """A resident ID number that cannot be parsed; ``problems`` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.render() for problem in problems))
        self.problems = problems


def normalise_id_number(raw: str | None) -> str:
    """The stored form of an ID number: NFKC (full-width digits, letters and brackets become
    ordinary ones), every space removed, letters upper-cased (a trailing ``x`` becomes ``X``)."""
    if raw is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def check_digit(first17: str) -> str:
    """The check character (``0``–``9`` or ``X``) for the first 17 digits of a resident ID."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS))
    return CHECK_CHARACTERS[total % 11]


def _problem(message: str, column: str = "id_number", **params: object) -> Problem:
    return Problem(message, params, column)


def _birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def _resident_problems(number: str, today: date) -> list[Problem]:
    """Problems with the shape, region, birth date and check character of a normalised number."""
    if not number:
        return [_problem(N_("Enter the ID number."))]
    if len(number) == 15 and number.isdigit():
        return [
            _problem(N_("This is a 15-digit ID number of the old card; enter the 18-digit number."))
        ]
    if len(number) != 18:
        return [
            _problem(
                N_("A resident ID number has 18 characters; this one has %(length)d."),
                length=len(number),
            )
        ]
    if not _RESIDENT_SHAPE.fullmatch(number):
        return [_problem(N_("A resident ID number is 17 digits followed by a digit or X."))]
    problems = []
    if number[:2] not in PROVINCE_CODES:
        problems.append(
            _problem(
                N_("The ID number's region code %(region)s does not exist."), region=number[:6]
            )
        )
    birth_date = _birth_date(number)
    if birth_date is None:
        problems.append(
            _problem(
                N_("The ID number's birth date %(digits)s is not a date."), digits=number[6:14]
            )
        )
    elif birth_date > today:
        problems.append(
            _problem(
                N_("The ID number's birth date %(birth_date)s is in the future."),
                birth_date=birth_date.isoformat(),
            )
        )
    elif birth_date < EARLIEST_BIRTH_DATE:
        problems.append(
            _problem(
                N_("The ID number's birth date %(birth_date)s is before 1900."),
                birth_date=birth_date.isoformat(),
            )
        )
    if check_digit(number[:17]) != number[17]:
        problems.append(_problem(N_("The ID number's check digit is wrong.")))
    return problems


def parse_resident_id(number: str, today: date | None = None) -> ResidentId:
    """Read a resident ID number (normalised first); raise :class:`InvalidIdNumber` when it has the
    wrong shape, an unknown province, an impossible birth date (not a calendar date, in the future
    or before 1900) or a wrong check character."""
    number = normalise_id_number(number)
    problems = _resident_problems(number, today or date.today())
    if problems:
        raise InvalidIdNumber(problems)
    birth_date = _birth_date(number)
    assert birth_date is not None
    gender = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
    return ResidentId(number, number[:6], birth_date, gender)


def _other_problems(number: str) -> list[Problem]:
    if not number:
        return [_problem(N_("Enter the ID number."))]
    low, high = OTHER_ID_LENGTH
    problems = []
    if not low <= len(number) <= high:
        problems.append(
            _problem(
                N_("An ID number has %(min)d to %(max)d characters; this one has %(length)d."),
                min=low,
                max=high,
                length=len(number),
            )
        )
    if not _OTHER_SHAPE.fullmatch(number):
        problems.append(
            _problem(N_("An ID number may contain only letters, digits, hyphens and brackets."))
        )
    return problems


def validate_id(
    id_type: IdType | str,
    number: str | None,
    birth_date: date | None = None,
    gender: str | None = None,
    today: date | None = None,
) -> list[Problem]:
    """What is wrong with an identity document number, judged on its normalised form.

    A resident ID (``IdType.RESIDENT``) must have 18 characters, 17 digits and a digit or X, an
    existing province code, a real birth date between 1900-01-01 and ``today``, and the right check
    character. When it is valid and ``birth_date`` or ``gender`` (any spelling
    :func:`~competition.domain.people.parse_gender` reads) is given, they must agree with the
    number; a gender that cannot be read is left to the gender column's own check.

    Any other document needs 5 to 30 letters, digits, hyphens or brackets; it has no checksum.
    An ``id_type`` that is not an :class:`IdType` value raises ValueError.
    """
    number = normalise_id_number(number)
    if IdType(id_type) is not IdType.RESIDENT:
        return _other_problems(number)
    try:
        resident = parse_resident_id(number, today)
    except InvalidIdNumber as invalid:
        return invalid.problems
    problems = []
    if birth_date is not None and birth_date != resident.birth_date:
        problems.append(
            _problem(
                N_(
                    "The birth date %(birth_date)s does not match the ID number "
                    "(%(id_birth_date)s)."
                ),
                column="birth_date",
                birth_date=birth_date.isoformat(),
                id_birth_date=resident.birth_date.isoformat(),
            )
        )
    given = parse_gender(gender)
    if given is not None and given is not resident.gender:
        problems.append(
            _problem(
                N_("The gender does not match the ID number, which belongs to a man.")
                if resident.gender is Gender.MALE
                else N_("The gender does not match the ID number, which belongs to a woman."),
                column="gender",
            )
        )
    return problems


def birth_date_and_gender(
    id_type: IdType | str, number: str | None
) -> tuple[date | None, Gender | None]:
    """The birth date and gender a resident ID number gives, to fill those fields for the user;
    ``(None, None)`` for other documents and for numbers that are not valid."""
    if IdType(id_type) is not IdType.RESIDENT:
        return None, None
    try:
        resident = parse_resident_id(normalise_id_number(number))
    except InvalidIdNumber:
        return None, None
    return resident.birth_date, resident.gender


def mask_id(number: str) -> str:
    """An ID number for lists: the first 3 and last 4 characters stay (``110***********1234``);
    a short number keeps at most a quarter of its length at each end (``E1*****78``), so that at
    least half of it is always hidden."""
    keep_head = min(3, len(number) // 4)
    keep_tail = min(4, len(number) // 4)
    hidden = len(number) - keep_head - keep_tail
    return number[:keep_head] + "*" * hidden + number[len(number) - keep_tail :]
