"""Publication rules (DOMAIN.md, Integrity), as tables."""

import pytest

from competition.domain.publication import (
    ALREADY_PUBLISHED,
    NOT_PUBLISHED,
    NOT_SIGNED_OFF,
    REASON_REQUIRED,
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
