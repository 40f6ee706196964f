"""Resident ID numbers (GB 11643-1999) and other identity documents."""

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from competition.domain.idcard import (
    IdType,
    InvalidIdNumber,
    ResidentId,
    birth_date_and_gender,
    check_digit,
    mask_id,
    normalise_id_number,
    parse_resident_id,
    validate_id,
)
from competition.domain.people import Gender

TODAY = date(2024, 6, 1)
CHECK_DIGIT_WRONG = "The ID number's check digit is wrong."

# Hand-checked valid numbers. For the textbook example 11010519491231002X the weighted sum is
#   1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5
#   + 0·8 + 0·4 + 2·2 = 167, and 167 mod 11 = 2 → "X".
VALID = [
    # number, region, birth date, gender
    ("11010519491231002X", "110105", date(1949, 12, 31), Gender.FEMALE),  # 17th digit 2: even
    ("44030419900307123X", "440304", date(1990, 3, 7), Gender.MALE),  # sum 244, mod 11 = 2 → X
    ("510108200012290010", "510108", date(2000, 12, 29), Gender.MALE),  # sum 177, mod 11 = 1 → 0
    ("650102198510150427", "650102", date(1985, 10, 15), Gender.FEMALE),  # sum 236, mod 11 = 5 → 7
    ("410102200802294567", "410102", date(2008, 2, 29), Gender.FEMALE),  # leap day, 6 even
    ("810000199506150041", "810000", date(1995, 6, 15), Gender.FEMALE),  # HK residence permit
]


# One valid number for each of the 11 check characters, checked by hand with the GB 11643-1999
# weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 and the look-up remainder → check character
# 0→1, 1→0, 2→X, 3→9, 4→8, 5→7, 6→6, 7→5, 8→4, 9→3, 10→2. 11010519491231002X is the example
# published in the standard; the others are made up from real region codes and real calendar
# dates (nobody's number is used on purpose).
#   310104198808150141: 3·7 + 1·9 + 0·10 + 1·5 + 0·8 + 4·4 + 1·2 + 9·1 + 8·6
#       + 8·3 + 0·7 + 8·9 + 1·10 + 5·5 + 0·8 + 1·4 + 4·2
#     = 21 + 9 + 0 + 5 + 0 + 16 + 2 + 9 + 48 + 24 + 0 + 72 + 10 + 25 + 0 + 4 + 8
#     = 253 = 11 × 23 + 0 → 1
#   510107199505210160: 5·7 + 1·9 + 0·10 + 1·5 + 0·8 + 7·4 + 1·2 + 9·1 + 9·6
#       + 5·3 + 0·7 + 5·9 + 2·10 + 1·5 + 0·8 + 1·4 + 6·2
#     = 35 + 9 + 0 + 5 + 0 + 28 + 2 + 9 + 54 + 15 + 0 + 45 + 20 + 5 + 0 + 4 + 12
#     = 243 = 11 × 22 + 1 → 0
#   11010519491231002X: 1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6
#       + 9·3 + 1·7 + 2·9 + 3·10 + 1·5 + 0·8 + 0·4 + 2·2
#     = 7 + 9 + 0 + 5 + 0 + 20 + 2 + 9 + 24 + 27 + 7 + 18 + 30 + 5 + 0 + 0 + 4
#     = 167 = 11 × 15 + 2 → X
#   420111199202290119: 4·7 + 2·9 + 0·10 + 1·5 + 1·8 + 1·4 + 1·2 + 9·1 + 9·6
#       + 2·3 + 0·7 + 2·9 + 2·10 + 9·5 + 0·8 + 1·4 + 1·2
#     = 28 + 18 + 0 + 5 + 8 + 4 + 2 + 9 + 54 + 6 + 0 + 18 + 20 + 45 + 0 + 4 + 2
#     = 223 = 11 × 20 + 3 → 9
#   330106197511030298: 3·7 + 3·9 + 0·10 + 1·5 + 0·8 + 6·4 + 1·2 + 9·1 + 7·6
#       + 5·3 + 1·7 + 1·9 + 0·10 + 3·5 + 0·8 + 2·4 + 9·2
#     = 21 + 27 + 0 + 5 + 0 + 24 + 2 + 9 + 42 + 15 + 7 + 9 + 0 + 15 + 0 + 8 + 18
#     = 202 = 11 × 18 + 4 → 8
#   650102198510150427: 6·7 + 5·9 + 0·10 + 1·5 + 0·8 + 2·4 + 1·2 + 9·1 + 8·6
#       + 5·3 + 1·7 + 0·9 + 1·10 + 5·5 + 0·8 + 4·4 + 2·2
#     = 42 + 45 + 0 + 5 + 0 + 8 + 2 + 9 + 48 + 15 + 7 + 0 + 10 + 25 + 0 + 16 + 4
#     = 236 = 11 × 21 + 5 → 7
#   320102200106110136: 3·7 + 2·9 + 0·10 + 1·5 + 0·8 + 2·4 + 2·2 + 0·1 + 0·6
#       + 1·3 + 0·7 + 6·9 + 1·10 + 1·5 + 0·8 + 1·4 + 3·2
#     = 21 + 18 + 0 + 5 + 0 + 8 + 4 + 0 + 0 + 3 + 0 + 54 + 10 + 5 + 0 + 4 + 6
#     = 138 = 11 × 12 + 6 → 6
#   610113196803300145: 6·7 + 1·9 + 0·10 + 1·5 + 1·8 + 3·4 + 1·2 + 9·1 + 6·6
#       + 8·3 + 0·7 + 3·9 + 3·10 + 0·5 + 0·8 + 1·4 + 4·2
#     = 42 + 9 + 0 + 5 + 8 + 12 + 2 + 9 + 36 + 24 + 0 + 27 + 30 + 0 + 0 + 4 + 8
#     = 216 = 11 × 19 + 7 → 5
#   120101198309170194: 1·7 + 2·9 + 0·10 + 1·5 + 0·8 + 1·4 + 1·2 + 9·1 + 8·6
#       + 3·3 + 0·7 + 9·9 + 1·10 + 7·5 + 0·8 + 1·4 + 9·2
#     = 7 + 18 + 0 + 5 + 0 + 4 + 2 + 9 + 48 + 9 + 0 + 81 + 10 + 35 + 0 + 4 + 18
#     = 250 = 11 × 22 + 8 → 4
#   370202199901010133: 3·7 + 7·9 + 0·10 + 2·5 + 0·8 + 2·4 + 1·2 + 9·1 + 9·6
#       + 9·3 + 0·7 + 1·9 + 0·10 + 1·5 + 0·8 + 1·4 + 3·2
#     = 21 + 63 + 0 + 10 + 0 + 8 + 2 + 9 + 54 + 27 + 0 + 9 + 0 + 5 + 0 + 4 + 6
#     = 218 = 11 × 19 + 9 → 3
#   450103197907040132: 4·7 + 5·9 + 0·10 + 1·5 + 0·8 + 3·4 + 1·2 + 9·1 + 7·6
#       + 9·3 + 0·7 + 7·9 + 0·10 + 4·5 + 0·8 + 1·4 + 3·2
#     = 28 + 45 + 0 + 5 + 0 + 12 + 2 + 9 + 42 + 27 + 0 + 63 + 0 + 20 + 0 + 4 + 6
#     = 263 = 11 × 23 + 10 → 2
ONE_PER_CHECK_CHARACTER = [
    # number, weighted sum, remainder (the check character is the number's last)
    ("310104198808150141", 253, 0),
    ("510107199505210160", 243, 1),
    ("11010519491231002X", 167, 2),
    ("420111199202290119", 223, 3),  # 1992-02-29: a leap day
    ("330106197511030298", 202, 4),
    ("650102198510150427", 236, 5),
    ("320102200106110136", 138, 6),
    ("610113196803300145", 216, 7),
    ("120101198309170194", 250, 8),
    ("370202199901010133", 218, 9),
    ("450103197907040132", 263, 10),
]
GB_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # as printed in the standard


def iso7064_mod11_2(first17: str) -> str:
    """The check character by ISO 7064 MOD 11-2 worked digit by digit, as the standard defines it
    (no weights table): p ← 2 (p + digit) mod 11 for each digit; the check value c makes
    p + c ≡ 1 (mod 11), and c = 10 is written X. An oracle independent of ``check_digit``."""
    p = 0
    for digit in first17:
        p = (p + int(digit)) * 2 % 11
    c = (1 - p) % 11
    return "X" if c == 10 else str(c)


def messages(problems):
    return [problem.message for problem in problems]


@pytest.mark.parametrize("number, region, birth_date, gender", VALID, ids=[v[0] for v in VALID])
def test_valid_resident_ids_parse(number, region, birth_date, gender):
    assert parse_resident_id(number, TODAY) == ResidentId(number, region, birth_date, gender)
    assert validate_id(IdType.RESIDENT, number, birth_date, gender, today=TODAY) == []


@pytest.mark.parametrize(
    "first17, expected",
    [
        ("11010519491231002", "X"),
        ("44030419900307123", "X"),
        ("51010820001229001", "0"),
        ("65010219851015042", "7"),
        ("37020219700101007", "5"),  # sum 183, mod 11 = 7 → 5
    ],
)
def test_check_digit(first17, expected):
    assert check_digit(first17) == expected


def test_the_table_covers_every_check_character():
    assert sorted(number[17] for number, _, _ in ONE_PER_CHECK_CHARACTER) == sorted("0123456789X")
    assert [remainder for _, _, remainder in ONE_PER_CHECK_CHARACTER] == list(range(11))


@pytest.mark.parametrize(
    "number, weighted_sum, remainder",
    ONE_PER_CHECK_CHARACTER,
    ids=[f"remainder-{r}-{n[17]}" for n, _, r in ONE_PER_CHECK_CHARACTER],
)
def test_one_valid_number_for_each_check_character(number, weighted_sum, remainder):
    # the hand computation above, re-added here with the standard's weights
    assert sum(int(d) * w for d, w in zip(number[:17], GB_WEIGHTS)) == weighted_sum
    assert weighted_sum % 11 == remainder
    assert check_digit(number[:17]) == number[17]
    assert iso7064_mod11_2(number[:17]) == number[17]
    assert validate_id(IdType.RESIDENT, number, today=TODAY) == []
    assert parse_resident_id(number, TODAY).number == number
    wrong = "0123456789X".replace(number[17], "")
    for check in wrong:
        assert messages(validate_id(IdType.RESIDENT, number[:17] + check, today=TODAY)) == [
            CHECK_DIGIT_WRONG
        ]


def test_the_second_example_of_the_standard():
    # GB 11643-1999 also prints 440524188001010014: 4·7 + 4·9 + 0·10 + 5·5 + 2·8 + 4·4 + 1·2
    # + 8·1 + 8·6 + 0·3 + 0·7 + 1·9 + 0·10 + 1·5 + 0·8 + 0·4 + 1·2 = 195 = 11 × 17 + 8 → 4.
    # Born 1880, it is refused for its date only: the check character is right.
    assert check_digit("44052418800101001") == "4"
    assert messages(validate_id(IdType.RESIDENT, "440524188001010014", today=TODAY)) == [
        "The ID number's birth date %(birth_date)s is before 1900."
    ]


@pytest.mark.parametrize(
    "first17", ["1101051949123100", "1101051949123100X", "１１０１０５１９４９１２３１００２"]
)
def test_check_digit_needs_17_ascii_digits(first17):
    with pytest.raises(ValueError):
        check_digit(first17)


@pytest.mark.parametrize(
    "raw, normalised",
    [
        ("11010519491231002x", "11010519491231002X"),  # lower-case x
        ("  11010519491231002X\t", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),  # full-width digits
        ("110105 19491231 002x", "11010519491231002X"),  # inner spaces
        ("e12345678", "E12345678"),
        ("H１２３４５６（７）", "H123456(7)"),  # full-width brackets
        (None, ""),
    ],
)
def test_normalise_id_number(raw, normalised):
    assert normalise_id_number(raw) == normalised


@pytest.mark.parametrize(
    "number",
    ["11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ", " 110105 19491231 002X "],
    ids=["lower-case-x", "full-width", "spaces"],
)
def test_spellings_of_a_valid_id_are_accepted(number):
    assert validate_id(IdType.RESIDENT, number, today=TODAY) == []
    assert parse_resident_id(number, TODAY).number == "11010519491231002X"


@pytest.mark.parametrize(
    "number, expected",
    [
        ("", ["Enter the ID number."]),
        ("   ", ["Enter the ID number."]),
        (
            "110105491231002",
            ["This is a 15-digit ID number of the old card; enter the 18-digit number."],
        ),
        ("11010519491231002", ["A resident ID number has 18 characters; this one has %(length)d."]),
        (
            "11010519491231002X1",
            ["A resident ID number has 18 characters; this one has %(length)d."],
        ),
        ("1101051949123100XX", ["A resident ID number is 17 digits followed by a digit or X."]),
        ("11010519491231002Y", ["A resident ID number is 17 digits followed by a digit or X."]),
        ("110105194912310021", [CHECK_DIGIT_WRONG]),  # X expected
        ("11010519491231003X", [CHECK_DIGIT_WRONG]),  # one sequence digit changed
        ("11010519491231020X", [CHECK_DIGIT_WRONG]),  # two digits swapped (02 → 20)
        # 1990-02-30 with a correct check digit: only the date is wrong.
        ("110105" "19900230" "001" + iso7064_mod11_2("11010519900230001"), [
            "The ID number's birth date %(digits)s is not a date."
        ]),
        ("110105" "20000229" "001" + iso7064_mod11_2("11010520000229001"), []),  # 2000 is a leap year
        ("110105" "19000229" "001" + iso7064_mod11_2("11010519000229001"), [
            "The ID number's birth date %(digits)s is not a date."  # 1900 is not
        ]),
        ("110105" "20240602" "001" + iso7064_mod11_2("11010520240602001"), [
            "The ID number's birth date %(birth_date)s is in the future."
        ]),
        ("110105" "18991231" "001" + iso7064_mod11_2("11010518991231001"), [
            "The ID number's birth date %(birth_date)s is before 1900."
        ]),
        ("990105" "19491231" "002" + iso7064_mod11_2("99010519491231002"), [
            "The ID number's region code %(region)s does not exist."
        ]),
        # Wrong date and wrong check digit together: both are reported.
        ("11010519491331002X", [
            "The ID number's birth date %(digits)s is not a date.",
            CHECK_DIGIT_WRONG,
        ]),
    ],
    ids=[
        "empty", "blank", "15-digits", "17-digits", "19-characters", "x-inside", "letter-y",
        "check-1-for-X", "changed-digit", "swapped-digits", "feb-30", "leap-2000", "no-leap-1900",
        "future", "before-1900", "unknown-province", "bad-date-and-check",
    ],
)
def test_resident_id_problems(number, expected):
    assert messages(validate_id(IdType.RESIDENT, number, today=TODAY)) == expected


def test_born_on_the_first_day_of_1900_is_allowed():
    number = "11010519000101001" + iso7064_mod11_2("11010519000101001")
    assert validate_id(IdType.RESIDENT, number, today=TODAY) == []


def test_born_today_is_allowed():
    number = "11010520240601001" + iso7064_mod11_2("11010520240601001")
    assert validate_id(IdType.RESIDENT, number, today=TODAY) == []


def test_problem_parameters_and_column():
    [problem] = validate_id(IdType.RESIDENT, "11010519900230001" + iso7064_mod11_2(
        "11010519900230001"), today=TODAY)
    assert problem.params == {"digits": "19900230"}
    assert problem.column == "id_number"
    assert problem.render() == "The ID number's birth date 19900230 is not a date."


def test_region_problem_names_the_region_code():
    number = "99010519491231002" + iso7064_mod11_2("99010519491231002")
    [problem] = validate_id(IdType.RESIDENT, number, today=TODAY)
    assert problem.params == {"region": "990105"}
    assert problem.render() == "The ID number's region code 990105 does not exist."


def test_parse_raises_with_the_problems():
    with pytest.raises(InvalidIdNumber) as raised:
        parse_resident_id("110105194912310021", TODAY)
    assert messages(raised.value.problems) == [CHECK_DIGIT_WRONG]
    assert str(raised.value) == CHECK_DIGIT_WRONG


@pytest.mark.parametrize(
    "birth_date, gender, expected",
    [
        (date(1949, 12, 31), "F", []),
        (date(1949, 12, 31), "女", []),
        (None, None, []),
        (None, "unknown", []),  # an unreadable gender is the gender column's problem
        (
            date(1949, 12, 30),
            None,
            ["The birth date %(birth_date)s does not match the ID number (%(id_birth_date)s)."],
        ),
        (None, "男", ["The gender does not match the ID number, which belongs to a woman."]),
        (
            date(1950, 1, 1),
            Gender.MALE,
            [
                "The birth date %(birth_date)s does not match the ID number (%(id_birth_date)s).",
                "The gender does not match the ID number, which belongs to a woman.",
            ],
        ),
    ],
    ids=["agree", "agree-chinese", "nothing-given", "unreadable-gender", "birth-date", "gender",
         "both"],
)
def test_birth_date_and_gender_must_agree_with_the_id(birth_date, gender, expected):
    problems = validate_id(IdType.RESIDENT, "11010519491231002X", birth_date, gender, TODAY)
    assert messages(problems) == expected


def test_mismatch_problems_name_their_column_and_both_dates():
    birth, gender = validate_id(
        "resident", "44030419900307123X", date(1990, 7, 3), "F", TODAY
    )
    assert (birth.column, birth.params) == (
        "birth_date",
        {"birth_date": "1990-07-03", "id_birth_date": "1990-03-07"},
    )
    assert gender.column == "gender"
    assert gender.message == "The gender does not match the ID number, which belongs to a man."


@pytest.mark.parametrize(
    "id_type, number, expected",
    [
        (IdType.PASSPORT, "E12345678", []),
        (IdType.PASSPORT, "e1234567８", []),  # normalised first
        (IdType.PASSPORT, "G-1234", []),
        (IdType.HK_MACAO, "H12345678", []),
        (IdType.HK_MACAO, "A123456(7)", []),
        (IdType.TAIWAN, "12345678", []),
        (IdType.PASSPORT, "E1234", []),  # 5 characters: the shortest allowed
        (IdType.OTHER, "A" * 30, []),  # 30: the longest
        (IdType.OTHER, "110105194912310021", []),  # no checksum outside resident IDs
        (IdType.PASSPORT, "", ["Enter the ID number."]),
        (
            IdType.PASSPORT,
            "E123",
            ["An ID number has %(min)d to %(max)d characters; this one has %(length)d."],
        ),
        (
            IdType.OTHER,
            "A" * 31,
            ["An ID number has %(min)d to %(max)d characters; this one has %(length)d."],
        ),
        (
            IdType.PASSPORT,
            "E1234/5678",
            ["An ID number may contain only letters, digits, hyphens and brackets."],
        ),
        (
            IdType.PASSPORT,
            "张三",
            [
                "An ID number has %(min)d to %(max)d characters; this one has %(length)d.",
                "An ID number may contain only letters, digits, hyphens and brackets.",
            ],
        ),
    ],
)
def test_other_documents_are_checked_for_shape_only(id_type, number, expected):
    assert messages(validate_id(id_type, number, today=TODAY)) == expected


def test_id_type_accepts_its_stored_value_and_rejects_others():
    assert validate_id("passport", "E12345678") == []
    with pytest.raises(ValueError):
        validate_id("driving_licence", "E12345678")


@pytest.mark.parametrize(
    "id_type, number, expected",
    [
        (IdType.RESIDENT, "11010519491231002x", (date(1949, 12, 31), Gender.FEMALE)),
        ("resident", "44030419900307123X", (date(1990, 3, 7), Gender.MALE)),
        (IdType.RESIDENT, "110105194912310021", (None, None)),  # wrong check digit
        (IdType.RESIDENT, None, (None, None)),
        (IdType.PASSPORT, "11010519491231002X", (None, None)),
    ],
)
def test_birth_date_and_gender_from_the_id(id_type, number, expected):
    assert birth_date_and_gender(id_type, number) == expected


@pytest.mark.parametrize(
    "number, masked",
    [
        ("110105194912341234", "110***********1234"),
        ("11010519491231002X", "110***********002X"),
        ("E12345678", "E1*****78"),
        ("A123456(7)", "A1******7)"),
        ("ABCD", "A**D"),
        ("ABCDEFGHIJKLMNOPQRST", "ABC*************QRST"),  # long: still 3 and 4
        ("", ""),
    ],
)
def test_mask_id_hides_at_least_half(number, masked):
    assert mask_id(number) == masked


seventeen_digits = st.text(alphabet="0123456789", min_size=17, max_size=17)


# The properties take their check character from the independent oracle, never from the code.


@given(seventeen_digits)
def test_check_digit_agrees_with_iso7064_mod11_2(first17):
    assert check_digit(first17) == iso7064_mod11_2(first17)


@given(seventeen_digits)
def test_any_17_digits_with_their_check_digit_pass_the_checksum(first17):
    number = first17 + iso7064_mod11_2(first17)
    assert CHECK_DIGIT_WRONG not in messages(validate_id(IdType.RESIDENT, number, today=TODAY))


@given(seventeen_digits, st.integers(0, 16), st.integers(1, 9))
def test_changing_any_one_digit_breaks_the_checksum(first17, position, shift):
    number = first17 + iso7064_mod11_2(first17)
    digit = str((int(number[position]) + shift) % 10)
    changed = number[:position] + digit + number[position + 1 :]
    assert CHECK_DIGIT_WRONG in messages(validate_id(IdType.RESIDENT, changed, today=TODAY))


@given(seventeen_digits, st.sampled_from("0123456789X"))
def test_any_other_check_character_is_wrong(first17, check):
    assume(check != iso7064_mod11_2(first17))
    number = first17 + check
    assert CHECK_DIGIT_WRONG in messages(validate_id(IdType.RESIDENT, number, today=TODAY))
