"""Helpers shared by the set-up tests: workbooks built in memory, CSRF tokens, uploads."""

from __future__ import annotations

import re
from html import unescape
from io import BytesIO

from openpyxl import Workbook, load_workbook

from tests.conftest import CleanClient

TRADE_HEADERS = ["赛项编号", "赛项名称", "英文名称", "类别", "参赛形式", "团队人数", "表演赛", "每代表团名额"]
SCHEME_HEADERS = ["赛项编号", "模块编号", "模块名称", "模块权重", "评分要素编号", "评分要素", "评分类型",
                  "满分", "计分方法", "去掉最高最低个数"]
JUDGE_HEADERS = ["姓名", "用户名", "代表团", "执裁赛项", "角色"]


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    """An .xlsx file with one sheet per (title, rows); the first row of each is its header."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def read_workbook(data: bytes) -> dict[str, list[tuple]]:
    book = load_workbook(BytesIO(data), read_only=True)
    try:
        return {name: [tuple(r) for r in book[name].iter_rows(values_only=True)]
                for name in book.sheetnames}
    finally:
        book.close()


def csrf_token(response) -> str:
    html = response.get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def upload(client, url: str, data: bytes, filename: str = "upload.xlsx", **fields):
    return client.post(url, data={**fields, "file": (BytesIO(data), filename)},
                       content_type="multipart/form-data")


def report_rows(response) -> list[tuple[str, str, str]]:
    """The (row, column, problem) lines of an import report page."""
    html = response.get_data(as_text=True)
    section = html.split('class="card report"', 1)
    if len(section) < 2:
        return []
    rows = re.findall(r"<tr><td class=\"num\">(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>",
                      section[1], re.S)
    return [(r.strip(), unescape(c.strip()), unescape(re.sub(r"\s+", " ", p).strip()))
            for r, c, p in rows]


# Every test client now starts each request with an empty g (see conftest.CleanClient).
FreshClient = CleanClient


def fresh_client(app, lang: str | None = "en") -> FreshClient:
    """A client that reads the app in ``lang`` (messages are asserted in English)."""
    client = FreshClient(app, app.response_class, use_cookies=True)
    if lang:
        client.post("/language", data={"lang": lang})
    return client


def field_error(response, field_id: str) -> list[str]:
    """The messages shown next to the field with HTML id ``field_id``."""
    html = response.get_data(as_text=True)
    return [unescape(re.sub(r"<[^>]+>", "", m)).strip()
            for m in re.findall(rf'<p class="error" id="{re.escape(field_id)}-err">(.*?)</p>', html, re.S)]


def flashes(response) -> list[str]:
    html = response.get_data(as_text=True)
    return [unescape(re.sub(r"<[^>]+>", "", m)).strip()
            for m in re.findall(r'<p class="flash flash-\w+">(.*?)</p>', html, re.S)]
