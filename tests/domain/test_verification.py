"""Certificate numbers and what the verification page may say (competition.domain.verification)."""

from __future__ import annotations

import pytest

from competition.domain.verification import (
    CHECK_ALPHABET,
    CHECK_LENGTH,
    State,
    certificate_number,
    normalise_number,
    state,
    well_formed,
)


def test_a_number_ends_in_its_check_code():
    assert certificate_number("HN2026", 7, 12, "K7QX2") == "HN2026-0007-0012-K7QX2"
    assert certificate_number("HN2026", 7, 12345, "K7QX2") == "HN2026-0007-12345-K7QX2"


def test_the_check_alphabet_reads_back_from_paper():
    assert len(CHECK_ALPHABET) == 32 == len(set(CHECK_ALPHABET)) and CHECK_LENGTH == 5
    assert not set("ILOU") & set(CHECK_ALPHABET)


@pytest.mark.parametrize("typed, issued", [
    ("HN2026-0007-0012-K7QX2", "HN2026-0007-0012-K7QX2"),
    (" hn2026-0007-0012-k7qx2 ", "HN2026-0007-0012-K7QX2"),
    ("HN2026 – 0007 – 0012 – K7QX2", "HN2026-0007-0012-K7QX2"),   # as set in a word processor
    ("HN2026-0007-0012-K7QXO", "HN2026-0007-0012-K7QX0"),        # O read as zero
    ("HN2026-0007-0012-IL7QX", "HN2026-0007-0012-117QX"),        # I and L read as one
    ("OLYMPICS-0001-0002-ABCDE", "OLYMPICS-0001-0002-ABCDE"),    # the event's own letters stay
    ("HN2026-0007-0012", "HN2026-0007-0012"),                    # issued before check codes
    ("E2E-EN-C-0001-0001-ZZZZ0", "E2E-EN-C-0001-0001-ZZZZ0"),    # an event code with dashes
], ids=["as-printed", "case-and-spaces", "typographic-dashes", "o-for-zero", "i-l-for-one",
        "event-letters", "old-number", "dashed-event-code"])
def test_a_number_is_read_as_it_was_issued(typed, issued):
    assert normalise_number(typed) == issued


@pytest.mark.parametrize("number, shaped", [
    ("HN2026-0007-0012-K7QX2", True), ("<SCRIPT>", False), ("", False), ("A" * 61, False)])
def test_well_formed(number, shaped):
    assert well_formed(number) is shaped


@pytest.mark.parametrize("found, valid, public, said", [
    (False, False, True, State.UNKNOWN),
    (False, False, False, State.UNKNOWN),
    (True, True, True, State.VALID),
    (True, False, True, State.REVOKED),
    (True, True, False, State.PENDING),     # under embargo: it exists, nothing more
    (True, False, False, State.PENDING),    # a revocation under embargo is not told either
], ids=["unknown", "unknown-under-embargo", "valid", "revoked", "pending", "revoked-pending"])
def test_what_the_page_may_say(found, valid, public, said):
    assert state(found, valid, public) == said
