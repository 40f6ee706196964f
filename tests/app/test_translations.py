"""Every user-facing message is translated into Chinese, and the compiled catalogue is current.

The messages are extracted from the code and the templates exactly as `manage.py translations`
does, so a new string without a Chinese translation fails here, not in front of a user.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "competition" / "translations" / "zh" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None,
            "N_": None}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


def extracted() -> set[str]:
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def key(message_id) -> str:
    """A message's id as extracted: a plural message (a tuple, or a list read from the .mo) by
    its singular."""
    return message_id if isinstance(message_id, str) else message_id[0]


def text(string):
    """A translation, comparable whether read from the .po (tuple of plural forms) or the .mo."""
    return string if isinstance(string, str) else tuple(string)


def catalogue():
    with open(CATALOGUE / "messages.po", "rb") as po:
        return read_po(po)


def test_every_message_has_a_chinese_translation():
    translated = {key(m.id) for m in catalogue() if m.id and not m.fuzzy
                  and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    missing = sorted(extracted() - translated)
    assert missing == [], f"{len(missing)} messages lack a zh translation " \
                          f"(run `python3 manage.py translations`, then translate): {missing[:20]}"


def test_translations_keep_their_placeholders():
    wrong = [key(m.id) for m in catalogue() if m.id and m.string
             for translation in ([m.string] if isinstance(m.string, str) else m.string)
             if sorted(PLACEHOLDER.findall(key(m.id))) != sorted(PLACEHOLDER.findall(translation))]
    assert wrong == []


def test_the_compiled_catalogue_matches_the_source():
    with open(CATALOGUE / "messages.mo", "rb") as mo:
        compiled = {key(m.id): text(m.string) for m in read_mo(mo) if m.id}
    source = {key(m.id): text(m.string) for m in catalogue() if m.id and m.string and not m.fuzzy}
    assert compiled == source, "run `python3 manage.py translations` to compile the catalogue"
