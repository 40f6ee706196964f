"""Files in and out: workbooks built in memory (with the headers of each import), workbooks and
PDFs read back, zip archives rebuilt, small images."""

from __future__ import annotations

import base64
import re
import zipfile
from io import BytesIO

from openpyxl import Workbook, load_workbook
from PIL import Image, ImageDraw
from pypdf import PdfReader

TRADE_HEADERS = ["赛项编号", "赛项名称", "英文名称", "类别", "参赛形式", "团队人数", "表演赛", "每代表团名额"]
SCHEME_HEADERS = ["赛项编号", "模块编号", "模块名称", "模块权重", "评分要素编号", "评分要素", "评分类型",
                  "满分", "计分方法", "去掉最高最低个数"]
JUDGE_HEADERS = ["姓名", "用户名", "代表团", "执裁赛项", "角色"]
ZH_HEADERS = ["代表团", "赛项", "姓名", "性别", "证件类型", "证件号码", "出生日期", "工作单位", "联系电话",
              "团队", "备注"]
EN_HEADERS = ["Delegation", "Trade", "Name", "Gender", "ID type", "ID number", "Birth date",
              "Employer or school", "Phone", "Team", "Remarks"]


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


def row(delegation: str, trade: str, name: str, id_number: str, *, gender: str = "",
        id_type: str = "居民身份证", birth_date: object = "", employer: str = "郑州市技师学院",
        phone: str = "13800138000", team: str = "", remarks: str = "") -> list:
    """One contestant row in the column order of ``ZH_HEADERS`` / ``EN_HEADERS``."""
    return [delegation, trade, name, gender, id_type, id_number, birth_date, employer, phone, team,
            remarks]


def contestants_workbook(rows: list[list], headers: list[str] = ZH_HEADERS) -> bytes:
    return workbook(("选手 Contestants", [headers, *rows]))


def read_workbook(data: bytes) -> dict[str, list[tuple]]:
    """Every sheet's rows as values (sheet title → rows)."""
    book = load_workbook(BytesIO(data), read_only=True)
    try:
        return {name: [tuple(r) for r in book[name].iter_rows(values_only=True)]
                for name in book.sheetnames}
    finally:
        book.close()


def open_workbook(data: bytes):
    """The workbook re-opened (not read-only: styles, panes and print set-up are wanted too)."""
    return load_workbook(BytesIO(data))


def annotated_workbook(response) -> list[tuple]:
    """The rows of the annotated workbook linked (as a base64 data URL) from an import page."""
    html = response.get_data(as_text=True)
    found = re.search(r'href="data:application/vnd\.openxmlformats-officedocument\.spreadsheetml'
                      r'\.sheet;base64,([A-Za-z0-9+/=]+)"', html)
    assert found, "no annotated workbook link on the page"
    book = open_workbook(base64.b64decode(found.group(1)))
    try:
        return [tuple(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          drop=(), compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of the archive ``data`` (an .xlsx is one) with some members replaced, added or
    dropped."""
    replace, add = replace or {}, add or {}
    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", compression) as out:
        for info in source.infolist():
            if info.filename in drop:
                continue
            out.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in add.items():
            out.writestr(name, content)
    return buffer.getvalue()


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive of ``members`` (name → content)."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(BytesIO(data)).pages]


def png(width: int = 60, height: int = 40, kind: str = "PNG", seal: bool = False) -> bytes:
    """A small image: a plain red one (``kind`` PNG or JPEG), or a seal (a red ring on a
    transparent ground, PNG)."""
    if seal:
        image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        ImageDraw.Draw(image).ellipse((2, 2, width - 3, height - 3), outline=(200, 20, 30, 220),
                                      width=4)
    elif kind == "PNG":
        image = Image.new("RGBA", (width, height), (200, 30, 30, 255))
    else:
        image = Image.new("RGB", (width, height), (200, 30, 30))
    out = BytesIO()
    image.save(out, kind)
    return out.getvalue()
