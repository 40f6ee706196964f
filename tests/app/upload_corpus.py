"""A corpus of more than 200 malformed or hostile uploads, built in memory and reproducibly.

:func:`corpus` gives (name, bytes) pairs. The entries before the marker ``ROW_LEVEL`` are broken
as files (any import must refuse them); the rest are well-formed workbooks whose *contents* are
wrong for the contestants import (headers, formulas, odd values). :func:`file_level` adds the
entries every import must refuse whatever it reads: too many rows, random archives, and sheets
far wider than any import's columns (a cell in column XFC below 200 bad rows, a wide header, a
wide row deep down, ranges and cells that openpyxl would spread over every column).
"""

from __future__ import annotations

import functools
import random
import struct
import zipfile
from datetime import datetime
from io import BytesIO

from openpyxl import Workbook

from tests.app.support import make_zip, rezip, workbook

SHEET = "xl/worksheets/sheet1.xml"


def workbook_bytes(rows, title=None) -> bytes:
    return workbook((title or "Sheet", rows))


GOOD_HEADER = ["代表团", "赛项", "姓名", "性别", "证件类型", "证件号码", "工作单位", "联系电话", "团队"]
GOOD_ROW = ["郑州市", "T01", "张伟", "男", "居民身份证", "11010519491231002X", "郑州技师学院",
            "13800138000", ""]


def base() -> bytes:
    return workbook_bytes([GOOD_HEADER, GOOD_ROW])


@functools.cache
def corpus() -> list[tuple[str, bytes]]:
    rng = random.Random(20261125)
    # Files broken as files are built from a workbook no import wants (its header names no
    # column of any import), so that a variant that happens to stay readable is still refused.
    good = workbook_bytes([["列一", "列二"], ["a", "b"]])
    sheet_xml = zipfile.ZipFile(BytesIO(good)).read(SHEET)
    items: list[tuple[str, bytes]] = []
    add = items.append

    # 1. not a ZIP at all
    add(("empty", b""))
    add(("one byte", b"P"))
    add(("PK only", b"PK"))
    add(("old xls (OLE)", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000)))
    add(("pdf", b"%PDF-1.7\n" + bytes(2000)))
    add(("html", b"<!doctype html><html><body><table><tr><td>1</td></tr></table></body></html>"))
    add(("csv utf-8", ",".join(GOOD_HEADER).encode() + b"\n" + ",".join(GOOD_ROW).encode()))
    add(("csv gbk", ",".join(GOOD_HEADER).encode("gbk") + b"\n" + ",".join(GOOD_ROW).encode("gbk")))
    add(("utf-16 text", "代表团\t赛项".encode("utf-16")))
    add(("png", b"\x89PNG\r\n\x1a\n" + bytes(500)))
    add(("jpeg", b"\xff\xd8\xff\xe0" + bytes(500)))
    add(("gzip", b"\x1f\x8b\x08\x00" + bytes(100)))
    add(("rar", b"Rar!\x1a\x07\x00" + bytes(100)))
    add(("7z", b"7z\xbc\xaf\x27\x1c" + bytes(100)))
    add(("exe", b"MZ" + bytes(1000)))
    add(("xml", b'<?xml version="1.0"?><root/>'))
    add(("json", b'{"name": "x"}'))
    for i in range(20):
        add((f"random bytes {i}", rng.randbytes(rng.choice((10, 100, 1000, 10_000)))))

    # 2. ZIP files that are not workbooks
    add(("empty zip", make_zip({})))
    add(("zip of a text file", make_zip({"hello.txt": b"hello"})))
    add(("docx-like", make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})))
    add(("ods-like", make_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                "content.xml": b"<office:document-content/>"}, zipfile.ZIP_STORED)))
    add(("content types only", make_zip({"[Content_Types].xml": b"<Types/>"})))
    add(("workbook without content types", rezip(good, drop=("[Content_Types].xml",))))
    add(("no workbook.xml", rezip(good, drop=("xl/workbook.xml",))))
    add(("no sheet", rezip(good, drop=(SHEET,))))
    add(("no styles", rezip(good, drop=("xl/styles.xml",))))
    add(("no rels", rezip(good, drop=("xl/_rels/workbook.xml.rels",))))
    add(("macro-enabled xlsm", rezip(good, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(100)})))
    add(("xlsm content type", rezip(good, replace={"[Content_Types].xml": zipfile.ZipFile(BytesIO(good)).read(
        "[Content_Types].xml").replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")})))
    add(("3000 members", make_zip({f"x/{i}.xml": b"<a/>" for i in range(3000)} | {
        "[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})))

    # 3. truncated workbooks
    for cut in (10, 30, 100, 200, 400, 800, 1200, 1600, 2000, 2400, 2800, 3200, 3600, 4000,
                len(good) - 200, len(good) - 100, len(good) - 50, len(good) - 22, len(good) - 10,
                len(good) - 1):
        add((f"truncated at {cut}", good[:cut]))

    # 4. damaged bytes inside a real workbook
    for i in range(40):
        damaged = bytearray(good)
        for _ in range(rng.choice((1, 3, 10))):
            position = rng.randrange(30, len(damaged))
            damaged[position] ^= 1 << rng.randrange(8)
        add((f"flipped bits {i}", bytes(damaged)))

    # 5. zip bombs and lying headers
    zeros = b"\x00" * (110 * 1024 * 1024)
    add(("zip bomb 110 MiB of zeros", rezip(good, add={"xl/media/zeros.bin": zeros})))
    del zeros
    add(("ratio bomb in the sheet",
         rezip(good, replace={SHEET: sheet_xml + b" " * (40 * 1024 * 1024)})))
    strings = b"<sst>" + b"<si><t>a</t></si>" * 2_000_000 + b"</sst>"
    add(("shared strings bomb", rezip(good, add={"xl/sharedStrings.xml": strings})))
    add(("lying size header", _lie_about_size(good)))
    add(("encrypted flag", _set_encrypted(good)))
    add(("stored huge member", rezip(good, add={"xl/big.bin": b"a" * (20 * 1024 * 1024)},
                                     compression=zipfile.ZIP_STORED)))

    # 6. XML entities and broken XML
    doctype = (b'<?xml version="1.0"?>'
               b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>')
    add(("billion laughs in sheet", rezip(good, replace={SHEET: doctype + _body(sheet_xml)})))
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    add(("xxe in sheet", rezip(good, replace={SHEET: xxe + _body(sheet_xml)})))
    add(("entity in workbook.xml", rezip(good, replace={"xl/workbook.xml": doctype + b"<workbook/>"})))
    add(("entity in content types", rezip(good, replace={"[Content_Types].xml": doctype + b"<Types/>"})))
    add(("entity utf-16", rezip(good, replace={SHEET: doctype.decode().encode("utf-16") })))
    add(("unclosed sheet xml", rezip(good, replace={SHEET: sheet_xml[: len(sheet_xml) // 2]})))
    add(("garbage sheet xml", rezip(good, replace={SHEET: rng.randbytes(3000)})))
    add(("empty sheet xml", rezip(good, replace={SHEET: b""})))
    add(("workbook.xml garbage", rezip(good, replace={"xl/workbook.xml": b"<<<not xml"})))
    add(("styles garbage", rezip(good, replace={"xl/styles.xml": b"<styleSheet><oops"})))
    foreign = b'<?xml version="1.0"?><worksheet xmlns="urn:x"><sheetData/></worksheet>'
    add(("sheet xml wrong namespace", rezip(good, replace={SHEET: foreign})))
    add(("bad cell reference",
         rezip(good, replace={SHEET: sheet_xml.replace(b'r="A1"', b'r="ZZZZZZ99999999"')})))
    unknown = sheet_xml.replace(b't="s"', b't="q"', 1).replace(b't="inlineStr"', b't="q"', 1)
    add(("cell of unknown type", rezip(good, replace={SHEET: unknown})))
    for i in range(7):
        mangled = bytearray(sheet_xml)
        for _ in range(5):
            mangled[rng.randrange(len(mangled))] = rng.choice(b"<>&\"'\x00")
        add((f"mangled sheet xml {i}", rezip(good, replace={SHEET: bytes(mangled)})))

    add((ROW_LEVEL, b""))
    # 7. wrong headers and layouts
    add(("empty workbook", workbook_bytes([])))
    add(("header only", workbook_bytes([GOOD_HEADER])))
    add(("no header row", workbook_bytes([GOOD_ROW, GOOD_ROW])))
    add(("header in row 12", workbook_bytes([[""]] * 11 + [GOOD_HEADER, GOOD_ROW])))
    add(("english wrong names", workbook_bytes([["Team", "Skill", "Person"], ["a", "b", "c"]])))
    add(("duplicate name column", workbook_bytes([GOOD_HEADER + ["姓名"], GOOD_ROW + ["李四"]])))
    add(("missing id column", workbook_bytes([[h for h in GOOD_HEADER if h != "证件号码"],
                                              GOOD_ROW[:5] + GOOD_ROW[6:]])))
    add(("missing name column", workbook_bytes([[h for h in GOOD_HEADER if h != "姓名"],
                                                GOOD_ROW[:2] + GOOD_ROW[3:]])))
    add(("headers shifted right", workbook_bytes([[""] * 5 + GOOD_HEADER, [""] * 5 + GOOD_ROW])))
    add(("numeric headers", workbook_bytes([[1, 2, 3, 4, 5], GOOD_ROW])))
    add(("header of dates", workbook_bytes([[datetime(2020, 1, 1)] * 5, GOOD_ROW])))
    add(("chart sheet only", _chartsheet_only()))
    add(("very wide row", workbook_bytes([GOOD_HEADER, GOOD_ROW + ["x"] * 5000])))
    add(("16384 columns header", workbook_bytes([[f"列{i}" for i in range(16384)]])))
    add(("sheet named oddly", workbook_bytes([GOOD_HEADER, GOOD_ROW], title="选手'表 (1)")))

    # 8. formulas and hostile text in otherwise well-formed rows
    for i, value in enumerate(["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0", "@SUM(A1)",
                               "+86 138", "-1", "\tname", "=WEBSERVICE(\"http://x\")"]):
        row = list(GOOD_ROW)
        row[2] = value
        row[5] = "not-an-id-" + str(i)
        add((f"formula text {i}", workbook_bytes([GOOD_HEADER, row])))
    add(("real formula cells", _formula_cells()))

    # 9. wrong types and sizes in cells
    odd_values = [12345, 3.14, True, datetime(2000, 1, 1), "x" * 10_000, "\u200b\u200d",
                  "名" * 300, " ", "NULL", "None", "#N/A", "🙂" * 20, "\u202etxt.exe",
                  "'; DROP TABLE user;--", "<script>alert(1)</script>", "{{7*7}}", "%(x)s", "\\x00",
                  "0" * 50, -5]
    for i, value in enumerate(odd_values):
        row = list(GOOD_ROW)
        row[(i % 8) + 1 if i % 8 != 4 else 5] = value
        row[5] = row[5] if i % 8 == 4 else f"bad-id-{i}"
        add((f"odd value {i}", workbook_bytes([GOOD_HEADER, row])))

    return items


@functools.cache
def _every_import_refuses() -> list[tuple[str, bytes]]:
    rng = random.Random(7)
    extra = [("60k rows", _huge_rows(60_000))]
    extra += [(f"random zip {i}", make_zip({f"f{j}.bin": rng.randbytes(200)
                                           for j in range(rng.randrange(1, 6))}))
              for i in range(25)]
    return extra + wide_sheets()


@functools.cache
def file_level() -> list[tuple[str, bytes]]:
    """The entries every import must refuse, whatever columns it wants."""
    items = corpus()
    return items[: items.index((ROW_LEVEL, b""))] + _every_import_refuses()


def all_entries() -> list[tuple[str, bytes]]:
    """Every entry, for the contestants import."""
    return [item for item in corpus() if item[0] != ROW_LEVEL] + _every_import_refuses()


XFC = 16_383  # the column of the cell that once made a 9.7 KB file cost 1.46 GB


@functools.cache
def wide_sheets() -> list[tuple[str, bytes]]:
    """Sheets far wider than any import reads: each is refused before a cell is read, and
    would cost a worker hundreds of MB or more if it were read and marked up."""
    bad_rows = [GOOD_ROW[:5] + [f"bad-id-{i}"] + GOOD_ROW[6:] for i in range(200)]
    return [
        ("wide: one cell in column XFC below 200 bad rows", xfc_workbook()),
        ("wide header of 209 columns", workbook_bytes(
            [GOOD_HEADER + [f"备注{i}" for i in range(200)]] + bad_rows[:20])),
        ("wide row 5000 columns deep down", _far_cell(bad_rows, row=190, column=5000)),
        ("wide: the last column of Excel in the header row", _far_cell(bad_rows, row=1, column=16_384)),
        ("wide merged range bomb", _with_range(bad_rows, "mergeCells",
                                               '<mergeCells count="1"><mergeCell ref="A2:XFD50000"/>'
                                               "</mergeCells>")),
        ("wide hyperlink range", _with_range(bad_rows, "hyperlinks",
                                             '<hyperlinks><hyperlink ref="A2:XFC201" display="x"/>'
                                             "</hyperlinks>")),
        ("wide merged whole rows", _with_range(bad_rows, "mergeCells",
                                               '<mergeCells count="1"><mergeCell ref="2:201"/>'
                                               "</mergeCells>")),
        ("wide row of cells without references", _cells_without_references(bad_rows, 3000)),
    ]


def xfc_workbook() -> bytes:
    """Issue 13's file: a header, 200 rows that each fail, and one cell in column XFC."""
    return _far_cell([GOOD_ROW[:5] + [f"bad-id-{i}"] + GOOD_ROW[6:] for i in range(200)],
                     row=5, column=XFC)


def _far_cell(rows: list[list], row: int, column: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(GOOD_HEADER)
    for values in rows:
        sheet.append(values)
    sheet.cell(row=row, column=column, value="x")
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _with_range(rows: list[list], element: str, xml: str) -> bytes:
    """A workbook whose sheet carries ``xml`` (merged cells or hyperlinks) after its data."""
    data = workbook_bytes([GOOD_HEADER, *rows])
    sheet_xml = zipfile.ZipFile(BytesIO(data)).read(SHEET)
    return rezip(data, replace={SHEET: sheet_xml.replace(b"</sheetData>",
                                                         b"</sheetData>" + xml.encode(), 1)})


def _cells_without_references(rows: list[list], count: int) -> bytes:
    """A row of ``count`` cells that name no column: openpyxl puts each one right of the last."""
    data = workbook_bytes([GOOD_HEADER, *rows])
    sheet_xml = zipfile.ZipFile(BytesIO(data)).read(SHEET)
    cells = b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c>' * count + b"</row>"
    return rezip(data, replace={SHEET: sheet_xml.replace(b"</sheetData>", cells + b"</sheetData>", 1)})


ROW_LEVEL = "--- row-level entries below ---"


def _body(xml: bytes) -> bytes:
    """The XML without its declaration, if it has one."""
    return xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml


def _lie_about_size(data: bytes) -> bytes:
    buffer = bytearray(data)
    start = 0
    while (offset := buffer.find(b"PK\x03\x04", start)) != -1:
        struct.pack_into("<I", buffer, offset + 22, 10)  # uncompressed size: 10 bytes
        start = offset + 4
    start = 0
    while (offset := buffer.find(b"PK\x01\x02", start)) != -1:
        struct.pack_into("<I", buffer, offset + 24, 10)
        start = offset + 4
    return bytes(buffer)


def _set_encrypted(data: bytes) -> bytes:
    buffer = bytearray(data)
    start = 0
    while (offset := buffer.find(b"PK\x01\x02", start)) != -1:
        flags = struct.unpack_from("<H", buffer, offset + 8)[0]
        struct.pack_into("<H", buffer, offset + 8, flags | 1)
        start = offset + 4
    return bytes(buffer)


def _chartsheet_only() -> bytes:
    book = Workbook()
    book.create_chartsheet()
    book.remove(book.active)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _formula_cells() -> bytes:
    return workbook_bytes([GOOD_HEADER, ["=A1", "=B1", "=CONCAT(\"张\",\"三\")", "男", "居民身份证",
                                         "=1/0", "x", "=2*3", ""]])


def _huge_rows(count: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(GOOD_HEADER)
    row = list(GOOD_ROW)
    for _ in range(count):
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sparse_far_row() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(GOOD_HEADER)
    sheet.cell(row=1_000_000, column=3, value="张三")
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
