"""Keys that name entrants on judges' pages: fixed, per trade, and ordered like nothing."""

from __future__ import annotations

from competition.domain.sheet_keys import KEY_PATTERN, entrant_key, entrants_by_key

SECRET = b"a secret of the app"


def test_a_key_is_fixed_and_short_enough_for_a_form_field():
    key = entrant_key(SECRET, 7, 42)
    assert key == entrant_key(SECRET, 7, 42) and KEY_PATTERN.fullmatch(key)


def test_keys_differ_between_trades_and_secrets():
    assert entrant_key(SECRET, 7, 42) != entrant_key(SECRET, 8, 42)
    assert entrant_key(SECRET, 7, 42) != entrant_key(b"another secret", 7, 42)


def test_sorted_keys_do_not_follow_registration():
    """Entrants registered in delegation blocks of five: sorting their keys scatters them."""
    ids = list(range(1001, 1101))
    by_key = entrants_by_key(SECRET, 3, ids)
    assert len(by_key) == len(ids) and sorted(by_key.values()) == ids
    in_key_order = [by_key[key] for key in sorted(by_key)]
    delegation = {entrant: (entrant - 1001) // 5 for entrant in ids}
    neighbours = sum(delegation[a] == delegation[b] for a, b in zip(in_key_order, in_key_order[1:]))
    assert neighbours < 10  # by chance about 4 of 99 neighbours share a delegation; in id order 80
    rising = sum(a < b for a, b in zip(in_key_order, in_key_order[1:]))
    assert 30 < rising < 70
