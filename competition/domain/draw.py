"""The draw of lots (抽签) and anonymous codes (加密号) for blind judging, reproducible by an auditor.

Both are computed from a secret **seed** (a short text, see :func:`new_seed`) and the entrants' ids,
and from nothing else: not the order in which the ids are given, not Python's hash randomisation,
not the Python version. Whoever knows the seed can redo a draw by hand or with any SHA-256 tool;
whoever does not cannot predict it.

The random numbers
    The k-th random number (k = 0, 1, 2, …) of a *purpose* (``draw`` or ``code``) is the SHA-256
    digest of the UTF-8 text ``"<purpose>:<seed>:<k>"``, read as one unsigned big-endian integer
    (the 64 hex digits as a base-16 number). A number ``r`` gives a choice among ``m`` options as
    ``r mod m``. To keep every option exactly equally likely, a number at or above the largest
    multiple of ``m`` below 2**256 is skipped and the next one is used instead; with ``m`` in the
    thousands this happens less than once in 10**70 draws, so in practice it never does.

    Example: ``sha256("draw:3f9c:0")`` → ``r``; with 5 slips left the slip taken is ``r mod 5``.

The draw (:func:`draw_numbers`)
    Fisher and Yates' original pencil-and-paper method. Write the entrant ids in ascending order:
    these are the slips in the hat. For each number in turn, ``start``, ``start + 1``, …, take the
    next random choice among the slips still in the hat, counting from 0 in ascending order, give
    that entrant the number and strike the slip out.

The anonymous codes (:func:`anonymous_codes`)
    For each entrant in ascending id order take the next random choice among all
    ``len(alphabet) ** length`` codes, and write it in base ``len(alphabet)`` with the alphabet's
    characters as digits (the most significant first, padded to ``length`` with the alphabet's
    first character). A code already given is discarded and the next random choice taken. The
    prefix, if any, is put before every code.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator, Sequence

# Digits and capital letters without the look-alikes 0/O and 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# Codes stay sparse among the possible codes, so that the draw ends quickly and a valid code is
# hard to guess.
MIN_CODES_PER_ENTRANT = 2
_HASH_RANGE = 1 << 256


def new_seed() -> str:
    """A fresh secret seed: 16 hexadecimal characters (64 random bits) from :mod:`secrets`."""
    return secrets.token_hex(8)


def _choices(purpose: str, seed: str) -> Iterator[int]:
    """The random numbers of ``purpose`` for ``seed``, as described in the module docstring."""
    counter = 0
    while True:
        digest = hashlib.sha256(f"{purpose}:{seed}:{counter}".encode()).digest()
        yield int.from_bytes(digest, "big")
        counter += 1


def _choose(numbers: Iterator[int], options: int) -> int:
    """The next unbiased choice among ``options`` (0 … options − 1) from ``numbers``."""
    limit = _HASH_RANGE - _HASH_RANGE % options
    return next(number for number in numbers if number < limit) % options


def _sorted_unique(entrant_ids: Sequence[int], seed: str) -> list[int]:
    if not seed:
        raise ValueError("the seed must not be empty")
    ids = sorted(entrant_ids)
    if len(set(ids)) != len(ids):
        raise ValueError("an entrant appears more than once")
    return ids


def draw_numbers(entrant_ids: Sequence[int], seed: str, start: int = 1) -> dict[int, int]:
    """The draw of lots: entrant id → number, the numbers ``start`` … ``start + n − 1`` each given
    once, in random order fixed by the seed and the set of ids (see the module docstring).

    Raises ValueError for an empty seed or an id given twice.
    """
    hat = _sorted_unique(entrant_ids, seed)
    numbers = _choices("draw", seed)
    drawn = {}
    for number in range(start, start + len(hat)):
        drawn[hat.pop(_choose(numbers, len(hat)))] = number
    return dict(sorted(drawn.items()))


def anonymous_codes(
    entrant_ids: Sequence[int],
    seed: str,
    length: int = 4,
    alphabet: str = CODE_ALPHABET,
    prefix: str = "",
) -> dict[int, str]:
    """Anonymous codes for blind judging: entrant id → ``prefix`` + ``length`` characters of
    ``alphabet``, all different, fixed by the seed and the set of ids (see the module docstring)
    and unguessable without the seed.

    Raises ValueError for an empty seed, an id given twice, an alphabet of fewer than two or of
    repeated characters, a length below 1, or fewer than ``MIN_CODES_PER_ENTRANT`` (2) possible
    codes per entrant.
    """
    ids = _sorted_unique(entrant_ids, seed)
    if len(alphabet) < 2 or len(set(alphabet)) != len(alphabet):
        raise ValueError("the alphabet needs at least two different characters, none repeated")
    if length < 1:
        raise ValueError("a code needs at least one character")
    space = len(alphabet) ** length
    if space < MIN_CODES_PER_ENTRANT * len(ids):
        raise ValueError(
            f"{space} possible codes are too few for {len(ids)} entrants: "
            f"use longer codes or a larger alphabet"
        )
    numbers = _choices("code", seed)
    given: set[str] = set()
    codes = {}
    for entrant_id in ids:
        while (code := _spell(_choose(numbers, space), alphabet, length)) in given:
            pass
        given.add(code)
        codes[entrant_id] = prefix + code
    return codes


def _spell(value: int, alphabet: str, length: int) -> str:
    """``value`` written in base ``len(alphabet)`` with ``length`` characters."""
    characters = []
    for _ in range(length):
        value, digit = divmod(value, len(alphabet))
        characters.append(alphabet[digit])
    return "".join(reversed(characters))
