"""Helpers shared by the export tests: a small competition with published and provisional
trades, names that look like formulas, a team, and readers for the files the exports write."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from competition.models import Delegation, EntryType, Event, Role, Trade, User
from competition.services import results
from tests.results_helpers import Scenario, event_rule, scored_trade  # noqa: F401

TITLE = {"name_zh": "河南省技术能手", "name_en": "Henan Technical Expert", "up_to_place": 1}


@dataclass
class Competition:
    event: Event
    zz: Delegation
    at: Delegation
    welding: Scenario  # published: 张三丰 gold + title, "=1+1" silver, 李四 bronze, 王五 nothing
    pairs: Scenario  # published pair trade: the winning pair's two members
    cooking: Scenario  # signed off, not published: provisional
    organizer: User


@pytest.fixture
def competition(scored_trade, make_event, make_delegation, make_user) -> Competition:
    event = make_event(code="HN2026", name_zh="河南省第二届职业技能大赛",
                       name_en="2nd Henan Vocational Skills Competition",
                       organizer_name="河南省人力资源和社会保障厅",
                       start_date=date(2026, 11, 20), end_date=date(2026, 11, 23))
    event_rule(event, method="places", labels="medals", titles=[TITLE])
    zz = make_delegation(event, "ZZ", "郑州市")
    at = make_delegation(event, "AT", "@x")
    welding = scored_trade([(50, 40), (45, 35), (40, 30), (30, 30)], event=event,
                           delegations=[zz, at], names=["张三丰", "=1+1", "李四", "王五"],
                           aspects=((60, "measurement"), (40, "measurement")),
                           code="T01", name_zh="焊接", name_en="Welding")
    pairs = scored_trade([88, 77], event=event, delegations=[zz, at], code="T02",
                         name_zh="机电一体化", entry_type=EntryType.PAIR)
    cooking = scored_trade([66, 55], event=event, delegations=[zz, at], code="T03",
                           name_zh="烹饪", names=["+赵六", "-钱七"])
    for scenario in (welding, pairs):
        results.publish(scenario.trade, None)
    return Competition(event, zz, at, welding, pairs, cooking, make_user(Role.ORGANIZER, event))


def sheets(data: bytes) -> dict:
    """The workbook re-opened (not read-only: panes and print set-up are wanted too)."""
    return load_workbook(io.BytesIO(data))


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def png(width: int = 60, height: int = 40, kind: str = "PNG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA" if kind == "PNG" else "RGB", (width, height), (200, 30, 30, 255)
              if kind == "PNG" else (200, 30, 30)).save(out, kind)
    return out.getvalue()


def trade(scenario: Scenario) -> Trade:
    return scenario.trade
