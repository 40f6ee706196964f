"""Names, phone numbers and gender of registered people."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.domain.people import (
    Gender,
    mask_phone,
    normalise_name,
    normalise_phone,
    parse_gender,
    parse_phone,
    validate_name,
    validate_phone,
)

PHONE_UNRECOGNISED = (
    "%(phone)s is not a phone number we recognise: enter a mobile number (13812345678), a "
    "landline with its area code (0371-12345678), or a number with its country code "
    "(+852 91234567)."
)


def messages(problems):
    return [problem.message for problem in problems]


@pytest.mark.parametrize(
    "raw, normalised",
    [
        ("张三", "张三"),
        ("  张三  ", "张三"),
        ("张 三", "张三"),
        ("张\u3000三", "张三"),  # ideographic space
        ("欧阳 小 明", "欧阳小明"),
        ("阿卜杜拉·买买提", "阿卜杜拉·买买提"),
        ("阿卜杜拉 • 买买提", "阿卜杜拉·买买提"),  # U+2022 bullet
        ("阿卜杜拉‧买买提", "阿卜杜拉·买买提"),  # U+2027 hyphenation point
        ("阿卜杜拉・买买提", "阿卜杜拉·买买提"),  # U+30FB katakana middle dot
        ("阿卜杜拉･买买提", "阿卜杜拉·买买提"),  # U+FF65 half-width katakana middle dot
        ("阿卜杜拉⋅买买提", "阿卜杜拉·买买提"),  # U+22C5 dot operator
        ("阿卜杜拉∙买买提", "阿卜杜拉·买买提"),  # U+2219 bullet operator
        ("阿卜杜拉.买买提", "阿卜杜拉·买买提"),  # full stop between Chinese characters
        ("阿卜杜拉．买买提", "阿卜杜拉·买买提"),  # full-width full stop
        ("阿卜杜拉。买买提", "阿卜杜拉·买买提"),  # ideographic full stop
        ("阿卜杜拉-买买提", "阿卜杜拉·买买提"),  # hyphen between Chinese characters
        ("阿卜杜拉 — 买买提", "阿卜杜拉·买买提"),  # em dash
        ("阿卜杜拉··买买提", "阿卜杜拉·买买提"),  # doubled dot
        ("热依拉·买买提·艾力", "热依拉·买买提·艾力"),
        ("Li  Ming", "Li Ming"),
        ("  li ming ", "li ming"),  # case is kept
        ("ＬＩ　Ｍｉｎｇ", "LI Ming"),  # full-width letters and space
        ("Jean-Pierre Dupont", "Jean-Pierre Dupont"),  # hyphen between Latin letters stays
        ("J. R. Smith", "J. R. Smith"),  # full stops between Latin letters stay
        ("John · Smith", "John·Smith"),
        ("张\u200b三", "张三"),  # zero-width space pasted from the web
        ("\ufeff李四", "李四"),  # byte-order mark from a CSV file
        ("张\t三\n", "张三"),
        ("Ali 阿里", "Ali 阿里"),  # a space between Latin and Chinese stays
        ("", ""),
    ],
)
def test_normalise_name(raw, normalised):
    assert normalise_name(raw) == normalised


@given(st.text())
def test_normalise_name_is_idempotent(raw):
    once = normalise_name(raw)
    assert normalise_name(once) == once


@given(st.text(alphabet="张三阿卜杜拉 ·•‧・･⋅∙.-。—Li\u3000ＡＢ\u0301\u00b4\u200b\t"))
def test_normalise_name_is_idempotent_on_name_like_text(raw):
    once = normalise_name(raw)
    assert normalise_name(once) == once
    assert "  " not in once and once == once.strip()


@pytest.mark.parametrize(
    "name, expected",
    [
        ("张三", []),
        ("阿卜杜拉 • 买买提", []),
        ("Martin Luther King Jr.", []),
        ("王" * 50, []),
        ("", ["Enter the name."]),
        ("  \u3000 ", ["Enter the name."]),
        ("王" * 51, ["The name must be at most %(max)d characters long."]),
        ("张三2", ["A name cannot contain digits."]),
        ("张三２", ["A name cannot contain digits."]),  # full-width digit
        ("张\x07三", ["The name contains a control or invisible character."]),
        ("张\u200e三", ["The name contains a control or invisible character."]),  # LTR mark
        ("·买买提", ["A name cannot begin or end with a dot."]),
        ("买买提•", ["A name cannot begin or end with a dot."]),
        (".Smith", ["A name cannot begin or end with a dot."]),
        (
            "·" + "王" * 50 + "1",
            [
                "The name must be at most %(max)d characters long.",
                "A name cannot contain digits.",
                "A name cannot begin or end with a dot.",
            ],
        ),
    ],
)
def test_validate_name(name, expected):
    assert messages(validate_name(name)) == expected


def test_name_problems_name_their_column_and_limit():
    [problem] = validate_name("王" * 51)
    assert problem.column == "name"
    assert problem.render() == "The name must be at most 50 characters long."


@pytest.mark.parametrize(
    "raw, normalised",
    [
        # mainland mobiles
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits
        ("19912345678", "19912345678"),
        # mainland landlines
        ("0371-12345678", "0371-12345678"),
        ("037112345678", "0371-12345678"),
        ("(0371) 1234 5678", "0371-12345678"),
        ("（0371）12345678", "0371-12345678"),  # full-width brackets
        ("010-1234567", "010-1234567"),
        ("010-12345678", "010-12345678"),
        ("01012345678", "010-12345678"),  # 010 has three digits, so no ambiguity
        ("020 8765 4321", "020-87654321"),
        ("+86 10 12345678", "010-12345678"),  # trunk 0 dropped after +86
        ("+86 (0)371 12345678", "0371-12345678"),
        ("0371-12345678-801", "0371-12345678-801"),
        ("0371-12345678转801", "0371-12345678-801"),
        ("0371-12345678 分机 801", "0371-12345678-801"),
        ("0371-12345678 ext. 801", "0371-12345678-801"),
        ("0371-12345678 EXT 801", "0371-12345678-801"),
        ("0371-12345678#801", "0371-12345678-801"),
        ("0371-1234567-8", "0371-12345678"),  # ambiguous: read without an extension
        # Hong Kong, Macao, Taiwan
        ("+852 9123 4567", "+852 91234567"),
        ("00852-91234567", "+852 91234567"),
        ("+853 6612 3456", "+853 66123456"),
        ("+886 912 345 678", "+886 912345678"),
        # empty and unrecognised
        ("", ""),
        (None, ""),
        ("  12345  ", "12345"),
    ],
)
def test_normalise_phone(raw, normalised):
    assert normalise_phone(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "+86 138 1234 5678",
        "0371-12345678",
        "010-1234567",
        "0371-12345678 ext. 801",
        "+852 9123 4567",
        "+853 2812 3456",
        "",
        "   ",
        None,
    ],
)
def test_good_phones_have_no_problem(raw):
    assert validate_phone(raw) == []


@pytest.mark.parametrize(
    "raw",
    [
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "12812345678",  # no mobile prefix 12x
        "23812345678",
        "12345678",  # a local number without its area code
        "0371-0123456",  # local numbers never begin with 0
        "0371-123456",  # too short
        "91234567",  # Hong Kong number without +852
        "+852 1234567",  # 7 digits
        "+852 01234567",
        "+886 812345678",  # Taiwan landline, not a mobile
        "+1 202 555 0123",
        "138 1234 567a",
        "电话",
    ],
)
def test_bad_phones_have_one_clear_problem(raw):
    [problem] = validate_phone(raw)
    assert problem.message == PHONE_UNRECOGNISED
    assert problem.params == {"phone": raw}
    assert problem.column == "phone"


def test_the_phone_problem_quotes_the_input():
    [problem] = validate_phone("  12345 ")
    assert problem.render().startswith("12345 is not a phone number")


def test_parse_phone_splits_the_parts():
    phone = parse_phone("0371-12345678转801")
    assert (phone.prefix, phone.subscriber, phone.extension) == ("0371-", "12345678", "801")
    assert parse_phone("13812345678").is_mobile
    assert parse_phone("nonsense") is None


@pytest.mark.parametrize(
    "phone, masked",
    [
        ("13812345678", "138****5678"),
        ("0371-12345678", "0371-****5678"),
        ("010-1234567", "010-***4567"),
        ("0371-12345678-801", "0371-****5678-801"),
        ("+852 91234567", "+852 ****4567"),
        ("+886 912345678", "+886 *****5678"),
        ("12345", "*2345"),  # unrecognised: only the last 4 characters
        ("", ""),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    "raw, gender",
    [
        ("男", Gender.MALE),
        (" 女 ", Gender.FEMALE),
        ("男性", Gender.MALE),
        ("女性", Gender.FEMALE),
        ("M", Gender.MALE),
        ("m", Gender.MALE),
        ("F", Gender.FEMALE),
        ("male", Gender.MALE),
        ("Male", Gender.MALE),
        ("FEMALE", Gender.FEMALE),
        ("Ｍ", Gender.MALE),  # full-width
        ("ｆｅｍａｌｅ", Gender.FEMALE),
        ("", None),
        (None, None),
        ("x", None),
        ("男女", None),
    ],
)
def test_parse_gender(raw, gender):
    assert parse_gender(raw) is gender


def test_gender_is_stored_as_a_letter():
    assert Gender.MALE == "M" and Gender.FEMALE == "F"
    assert Gender("F") is Gender.FEMALE
