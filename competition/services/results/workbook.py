"""The results workbook: the official results of an event (or of one delegation) in Excel.

Organizers export the current state of every trade: the latest published version where there is
one, else the provisional results computed from the marks now, marked as provisional in a title
line of the trade's sheet, in the summary's publication column and in every row's status. The
medal table counts published results only, exactly as the public one does.

The sheets are described as data (:class:`SheetSpec`) and written by the one writer
(``spreadsheets.writer``): frozen headers, print titles, A4 landscape, number formats, and no
cell that Excel would run as a formula. Headers and labels follow ``locale`` (Chinese by default).
Published trades are read in two queries for the whole event; only unpublished trades are computed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import force_locale, gettext, to_user_timezone

from competition.domain import labels as names
from competition.domain.awards import EXCELLENCE_LABEL, Tier, tier_label
from competition.domain.names import Bilingual
from competition.extensions import db
from competition.models import Contestant, Delegation, Event, Trade
from competition.services.results.lines import CriterionHead, Line, criteria_heads, line_from_row
from competition.services.results.medals import medal_labels, medal_table
from competition.services.results.provisional import compute
from competition.services.results.published import latest_published
from competition.spreadsheets.writer import SheetSpec, write_workbook

MARK_FORMAT = "0.00"
PLACE_FORMAT = "0"
TIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class TradeCurrent(Bilingual):
    """A trade's results as an organizer exports them now: published (``version`` ≥ 1) or
    provisional (``version`` None); the trade's names and demonstration flag as published, or
    as set up for a provisional trade."""

    trade: Trade
    criteria: tuple[CriterionHead, ...]
    labels: str
    scaling: str
    lines: tuple[Line, ...]
    name_zh: str
    name_en: str
    demonstration: bool
    version: int | None = None
    published_at: datetime | None = None
    reason: str = ""

    @property
    def provisional(self) -> bool:
        return self.version is None


def current_results(event: Event) -> list[TradeCurrent]:
    """Every trade of the event in code order, at its latest published version (two queries for
    them all) or, if never published, provisional from :func:`results.compute`."""
    trades = db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id)
                                .order_by(Trade.code)).all()
    published = latest_published(event)
    found = []
    for trade in trades:
        if trade.id not in published:
            computed = compute(trade)
            found.append(TradeCurrent(trade, computed.criteria, computed.labels, computed.scaling,
                                      computed.lines, trade.name_zh, trade.name_en,
                                      trade.is_demonstration))
            continue
        version, rows = published[trade.id]
        criteria = criteria_heads(version.criteria)
        # The same conversion the results pages use, so the workbook shows what they show.
        lines = tuple(line_from_row(row) for row in rows)
        found.append(TradeCurrent(trade, criteria, version.labels, version.scaling, lines,
                                  version.trade_name_zh, version.trade_name_en,
                                  version.is_demonstration, version.number, version.published_at,
                                  version.reason if version.is_amendment else ""))
    return found


# --- cells ------------------------------------------------------------------------------------

def _local(moment: datetime | None) -> datetime | None:
    return to_user_timezone(moment) if moment else None


def _dates(event: Event) -> str:
    days = [d.isoformat() for d in (event.start_date, event.end_date) if d]
    return " – ".join(dict.fromkeys(days))


def _publication(current: TradeCurrent) -> str:
    if current.provisional:
        return gettext("Provisional (not published)")
    if current.version > 1:
        return gettext("Amended (version %(n)s)", n=current.version)
    return gettext("Published")


def _entry_type(trade: Trade) -> str:
    return names.entry_type_text(trade.entry_type, trade.team_size, gettext)


def _person(line: Line) -> str:
    """The entrant's name, with the members of a named team."""
    members = "、".join(m.name for m in line.members)
    return f"{line.name}（{members}）" if len(line.members) > 1 and members != line.name \
        else line.name


def _status(line: Line, provisional: bool) -> str:
    parts = [gettext("Provisional")] if provisional else []
    if text := names.status_text(line.status, gettext):
        parts.append(text)
    elif provisional and not line.complete and line.place is not None:
        parts.append(gettext("Marks missing"))
    return " · ".join(parts)


def award_text(line: Line, labels: str, locale: str) -> str:
    return names.award_text(line.tier, line.excellence, (t.name(locale) for t in line.titles),
                            labels, gettext)


def _mark(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _scaled(current: TradeCurrent) -> bool:
    return current.scaling != "raw"


# --- sheets -----------------------------------------------------------------------------------

def _summary(event: Event, currents: Sequence[TradeCurrent], locale: str,
             extra: Sequence[str] = ()) -> SheetSpec:
    contestants = db.session.scalar(sa.select(sa.func.count(Contestant.id))
                                    .where(Contestant.event_id == event.id)) or 0
    delegations = db.session.scalar(sa.select(sa.func.count(Delegation.id))
                                    .where(Delegation.event_id == event.id)) or 0
    published = sum(1 for c in currents if not c.provisional)
    lines = [
        event.name(locale),
        " · ".join(part for part in (
            gettext("Dates: %(dates)s", dates=_dates(event)) if _dates(event) else "",
            event.venue, event.organizer_name) if part),
        gettext("%(trades)s trades (%(published)s published, %(provisional)s provisional) · "
                "%(delegations)s delegations · %(contestants)s contestants",
                trades=len(currents), published=published, provisional=len(currents) - published,
                delegations=delegations, contestants=contestants),
        gettext("Exported %(when)s", when=_local(datetime.now().astimezone())
                .strftime("%Y-%m-%d %H:%M")),
        *extra,
    ]
    rows = [(c.trade.code, c.name(locale), c.trade.category, _entry_type(c.trade),
             gettext("Yes") if c.demonstration else "", len(c.lines), _publication(c),
             _local(c.published_at), c.reason) for c in currents]
    return SheetSpec(
        gettext("Summary"),
        [gettext("Code"), gettext("Trade"), gettext("Category"), gettext("Entry"),
         gettext("Demonstration"), gettext("Entrants"), gettext("Results"),
         gettext("Published at"), gettext("Reason for the amendment")],
        rows, widths=[8, 24, 10, 10, 8, 8, 22, 18, 40], number_formats={7: TIME_FORMAT},
        title_lines=lines)


def _medal_sheet(event: Event, locale: str) -> SheetSpec:
    labels = medal_labels(event)
    table = medal_table(event)
    rows = [(r.rank, r.code, r.name(locale), r.gold, r.silver, r.bronze, r.excellence, r.total,
             r.points) for r in table]
    return SheetSpec(
        gettext("Medal table"),
        [gettext("Rank"), gettext("Code"), gettext("Delegation"),
         *(gettext(tier_label(tier, labels)) for tier in Tier), gettext(EXCELLENCE_LABEL),
         gettext("Total"), gettext("Points")],
        rows, widths=[6, 8, 24, 8, 8, 8, 8, 8, 8],
        title_lines=[event.name(locale), gettext("Medal table"),
                     gettext("Published results only; demonstration trades and titles are not "
                             "counted.")])


def _trade_sheet(event: Event, current: TradeCurrent, locale: str) -> SheetSpec:
    trade = current.trade
    criteria = current.criteria
    scaled = _scaled(current)
    headers = [gettext("Place"), gettext("Number"), gettext("Name"), gettext("Delegation"),
               *(f"{c.code} {c.name(locale)}" for c in criteria), gettext("Total")]
    if scaled:
        headers.append(gettext("Score"))
    headers += [gettext("Award"), gettext("Status")]
    first_mark = 4
    marks = range(first_mark, first_mark + len(criteria) + 1 + int(scaled))
    formats = {0: PLACE_FORMAT, **dict.fromkeys(marks, MARK_FORMAT)}

    def rows() -> Iterator[tuple]:
        for line in current.lines:
            row = [line.place, line.number, _person(line), line.delegation_name(locale),
                   *(_mark(line.criteria.get(c.id)) for c in criteria), _mark(line.total)]
            if scaled:
                row.append(_mark(line.score))
            row += [award_text(line, current.labels, locale),
                    _status(line, current.provisional)]
            yield row

    state = (gettext("PROVISIONAL RESULTS — not published, may still change")
             if current.provisional else _publication(current))
    title = [f"{trade.code} {current.name(locale)}", f"{event.name(locale)} · {state}"]
    if current.reason:
        title.append(gettext("Reason for the amendment: %(reason)s", reason=current.reason))
    return SheetSpec(f"{trade.code} {current.name(locale)}", headers, rows(),
                     widths=[6, 12, 24, 16, *([10] * (len(criteria) + 1 + int(scaled))), 22, 14],
                     number_formats=formats, title_lines=title)


# --- workbooks --------------------------------------------------------------------------------

def _in_locale(locale: str, build: Callable[[], list[SheetSpec]]) -> bytes:
    with force_locale(locale):
        return write_workbook(build())


def event_workbook(event: Event, locale: str = "zh") -> bytes:
    """The event's results workbook: a summary, the medal table, and a sheet per trade."""
    def build() -> list[SheetSpec]:
        currents = current_results(event)
        return [_summary(event, currents, locale), _medal_sheet(event, locale),
                *(_trade_sheet(event, c, locale) for c in currents)]
    return _in_locale(locale, build)


def delegation_workbook(event: Event, delegation: Delegation, locale: str = "zh") -> bytes:
    """One delegation's results across the trades: a summary with its medal-table row, and one
    sheet listing its entrants trade by trade."""
    def build() -> list[SheetSpec]:
        currents = [c for c in current_results(event)
                    if any(line.delegation_id == delegation.id for line in c.lines)]
        row = next((r for r in medal_table(event) if r.delegation_id == delegation.id),
                   None)
        extra = [gettext("Delegation: %(name)s (%(code)s)", name=delegation.name(locale),
                         code=delegation.code)]
        if row:
            extra.append(gettext("Medal table: rank %(rank)s · %(gold)s / %(silver)s / "
                                 "%(bronze)s · excellence %(excellence)s",
                                 rank=row.rank, gold=row.gold, silver=row.silver,
                                 bronze=row.bronze, excellence=row.excellence))
        summary = _summary(event, currents, locale, extra)
        return [summary, _delegation_sheet(event, delegation, currents, locale)]
    return _in_locale(locale, build)


def _delegation_sheet(event: Event, delegation: Delegation, currents: Sequence[TradeCurrent],
                      locale: str) -> SheetSpec:
    def rows() -> Iterator[tuple]:
        for current in currents:
            for line in current.lines:
                if line.delegation_id == delegation.id:
                    yield (current.trade.code, current.name(locale), line.place, line.number,
                           _person(line), _mark(line.total),
                           award_text(line, current.labels, locale),
                           _status(line, current.provisional))
    return SheetSpec(
        gettext("Results"),
        [gettext("Code"), gettext("Trade"), gettext("Place"), gettext("Number"), gettext("Name"),
         gettext("Total"), gettext("Award"), gettext("Status")],
        rows(), widths=[8, 24, 6, 12, 24, 10, 22, 14],
        number_formats={2: PLACE_FORMAT, 5: MARK_FORMAT},
        title_lines=[f"{event.name(locale)} · {delegation.name(locale)}"])


def file_name(event: Event, delegation: Delegation | None = None) -> str:
    """The download's name: ``HN2026-results.xlsx`` or ``HN2026-ZZ-results.xlsx``."""
    return f"{event.code}-{delegation.code}-results.xlsx" if delegation \
        else f"{event.code}-results.xlsx"
