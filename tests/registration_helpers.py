"""Helpers shared by the registration tests: valid ID numbers, contestant workbooks, logins."""

from __future__ import annotations

import base64
import re
from datetime import date
from html import unescape
from io import BytesIO

from openpyxl import load_workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from competition.domain.idcard import check_digit
from tests.conftest import PASSWORD
from tests.helpers import fresh_client, workbook

ZH_HEADERS = ["代表团", "赛项", "姓名", "性别", "证件类型", "证件号码", "出生日期", "工作单位", "联系电话",
              "团队", "备注"]
EN_HEADERS = ["Delegation", "Trade", "Name", "Gender", "ID type", "ID number", "Birth date",
              "Employer or school", "Phone", "Team", "Remarks"]


def resident_id(born: date = date(1999, 3, 15), sequence: int = 1, area: str = "410102") -> str:
    """A valid resident ID number: odd ``sequence`` for a man, even for a woman."""
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)


def resident_id_ending_in_x() -> str:
    """A valid resident ID number whose check character is X."""
    for sequence in range(1, 1000):
        number = resident_id(date(1990, 1, 1), sequence)
        if number.endswith("X"):
            return number
    raise AssertionError("no X check digit found")


def wrong_check_digit(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def row(delegation: str, trade: str, name: str, id_number: str, *, gender: str = "",
        id_type: str = "居民身份证", birth_date: object = "", employer: str = "郑州市技师学院",
        phone: str = "13800138000", team: str = "", remarks: str = "") -> list:
    """One contestant row in the column order of ``ZH_HEADERS`` / ``EN_HEADERS``."""
    return [delegation, trade, name, gender, id_type, id_number, birth_date, employer, phone, team,
            remarks]


def contestants_workbook(rows: list[list], headers: list[str] = ZH_HEADERS) -> bytes:
    return workbook(("选手 Contestants", [headers, *rows]))


def client_for(app, user, lang: str = "en"):
    """A fresh English client logged in as ``user`` (``None``: anonymous)."""
    client = fresh_client(app, lang)
    if user is not None:
        response = client.post("/auth/login", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def annotated_workbook(response) -> list[tuple]:
    """The rows of the annotated workbook linked (as a base64 data URL) from an import page."""
    html = response.get_data(as_text=True)
    found = re.search(r'href="data:application/vnd\.openxmlformats-officedocument\.spreadsheetml'
                      r'\.sheet;base64,([A-Za-z0-9+/=]+)"', html)
    assert found, "no annotated workbook link on the page"
    book = load_workbook(BytesIO(base64.b64decode(found.group(1))))
    try:
        return [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def page_text(response) -> str:
    """The visible text of an HTML response, tags dropped and entities decoded."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def open_xlsx(data: bytes):
    return load_workbook(BytesIO(data))


def big_upload(client, url: str, data: bytes, filename: str = "upload.xlsx"):
    """Upload ``data`` as a multipart form encoded in memory: the test client's own encoder
    spills bodies over 500 KB to a temporary file it never closes (a ResourceWarning)."""
    body, _length, boundary = stream_encode_multipart(
        {"file": FileStorage(BytesIO(data), filename=filename)}, use_tempfile=False)
    return client.post(url, data=body.getvalue(),
                       content_type=f"multipart/form-data; boundary={boundary}")
