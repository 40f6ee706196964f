"""Publication rules (DOMAIN.md, Integrity), as tables."""

import pytest

from competition.domain.awards import NO_AWARD, Award, Tier
from competition.domain.publication import (
    ALREADY_PUBLISHED,
    NOT_PUBLISHED,
    NOT_SIGNED_OFF,
    REASON_REQUIRED,
    award_changes,
    publication_problem,
)


@pytest.mark.parametrize(
    "signed_off, versions, amending, reason, expected",
    [
        (True, 0, False, "", None),                        # first publication
        (False, 0, False, "", NOT_SIGNED_OFF),             # marks not locked yet
        (True, 1, False, "", ALREADY_PUBLISHED),           # a second "first" publication
        (True, 1, True, "Mark corrected", None),           # amendment with a reason
        (True, 3, True, "Another fix", None),
        (True, 1, True, "  ", REASON_REQUIRED),            # amendment needs a reason
        (True, 0, True, "Fix", NOT_PUBLISHED),             # nothing to amend
        (False, 1, True, "Fix", NOT_SIGNED_OFF),           # unlocked for a correction
    ],
    ids=["first", "not-signed-off", "twice", "amend", "amend-again", "no-reason", "nothing-to-amend",
         "amend-unlocked"],
)
def test_publication_problem(signed_off, versions, amending, reason, expected):
    problem = publication_problem(signed_off, versions, amending, reason)
    assert (problem.message if problem else None) == expected


def test_missing_reason_names_the_field():
    assert publication_problem(True, 1, True, "").column == "reason"


GOLD, SILVER = Award(Tier.FIRST, False, ()), Award(Tier.SECOND, False, ())
EXCELLENCE = Award(None, True, ())
GOLD_TITLED = Award(Tier.FIRST, False, ("技术能手",))


@pytest.mark.parametrize(
    "before, after, changed",
    [
        ({1: GOLD, 2: SILVER}, {1: GOLD, 2: SILVER}, {}),
        ({1: GOLD, 2: SILVER}, {1: SILVER, 2: GOLD}, {1: (GOLD, SILVER), 2: (SILVER, GOLD)}),
        ({1: GOLD}, {1: GOLD_TITLED}, {1: (GOLD, GOLD_TITLED)}),          # a title counts
        ({1: EXCELLENCE}, {1: NO_AWARD}, {1: (EXCELLENCE, NO_AWARD)}),
        ({1: GOLD}, {}, {1: (GOLD, NO_AWARD)}),                            # entrant gone
        ({}, {2: NO_AWARD}, {}),                                           # nothing both times
    ],
    ids=["same", "swapped", "title", "excellence-lost", "missing-after", "no-award"],
)
def test_award_changes(before, after, changed):
    assert award_changes(before, after) == changed
