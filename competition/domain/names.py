"""Names in two languages: everything named has a Chinese name and an optional English one."""

from __future__ import annotations


def pick(zh: str, en: str | None, locale: str) -> str:
    """The English name for an English reader when there is one, else the Chinese name."""
    return en if locale == "en" and en else zh


class Bilingual:
    """Mixin for anything with ``name_zh`` and ``name_en``: ``name(locale)`` picks one."""

    def name(self, locale: str) -> str:
        return pick(self.name_zh, self.name_en, locale)
