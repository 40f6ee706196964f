"""check_xlsx: every kind of wrong or hostile upload is refused with its own message, and nothing
but UploadRefused ever escapes."""

from __future__ import annotations

import struct
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competition.spreadsheets import safety
from competition.spreadsheets.safety import Limits, UploadRefused, check_xlsx
from tests.app.support import make_zip, rezip, workbook

MiB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"


def make_xlsx() -> bytes:
    return workbook(("Sheet", [["姓名", "Phone"], ["张三", 13800138000]]))


def patch_headers(data: bytes, patch) -> bytes:
    """Apply ``patch(buffer, offset, kind)`` to every local ("local") and central ("central")
    file header of the archive, for forging what zipfile cannot write."""
    buffer = bytearray(data)
    for signature, kind in ((b"PK\x03\x04", "local"), (b"PK\x01\x02", "central")):
        offset = buffer.find(signature)
        while offset != -1:
            patch(buffer, offset, kind)
            offset = buffer.find(signature, offset + 4)
    return bytes(buffer)


DEFAULT_LIMITS = Limits()


def refusal(data: bytes, limits: Limits = DEFAULT_LIMITS) -> str:
    with pytest.raises(UploadRefused) as caught:
        check_xlsx(data, limits)
    return caught.value.problem.message


def test_a_plain_workbook_passes():
    check_xlsx(make_xlsx())


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", safety.MSG_EMPTY),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), safety.MSG_OLD_XLS),
        ("姓名,性别,证件号码\n张三,男,110101199003074477\n".encode(), safety.MSG_TEXT),
        ("姓名,性别,证件号码\n张三,男,110101199003074477\n".encode("gbk"), safety.MSG_TEXT),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", safety.MSG_PDF),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", safety.MSG_HTML),
        (b"\xef\xbb\xbf<!DOCTYPE html>\n<html lang='zh'>", safety.MSG_HTML),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), safety.MSG_NOT_XLSX),
        (b"PK\x03\x04" + bytes(100), safety.MSG_CORRUPT),
    ],
    ids=["empty", "old-xls", "csv-utf8", "csv-gbk", "pdf", "html", "html-bom", "png", "zip-junk"],
)
def test_files_that_are_not_zip_workbooks_are_refused(data, message):
    assert refusal(data) == message


def test_a_file_over_the_size_limit_is_refused_before_anything_else():
    with pytest.raises(UploadRefused) as caught:
        check_xlsx(make_xlsx(), Limits(max_bytes=1000))
    problem = caught.value.problem
    assert problem.message == safety.MSG_TOO_LARGE
    assert problem.params["limit_mb"] == "0"
    assert "MB" in str(caught.value)


def test_a_truncated_workbook_is_refused_as_damaged():
    data = make_xlsx()
    assert refusal(data[: len(data) // 2]) == safety.MSG_CORRUPT


def test_a_member_with_corrupted_data_is_refused_as_damaged():
    data = rezip(make_xlsx(), add={"xl/extra.xml": b"<a>" + b"x" * 5000 + b"</a>"},
                 compression=zipfile.ZIP_STORED)
    position = data.find(b"xxxxxxxx")
    damaged = data[:position] + b"yyyy" + data[position + 4:]
    assert refusal(damaged) == safety.MSG_CORRUPT


def test_encrypted_members_are_refused():
    def set_encrypted(buffer, offset, kind):
        flags_at = offset + (6 if kind == "local" else 8)
        (flags,) = struct.unpack_from("<H", buffer, flags_at)
        struct.pack_into("<H", buffer, flags_at, flags | 0x1)

    assert refusal(patch_headers(make_xlsx(), set_encrypted)) == safety.MSG_ENCRYPTED


def test_a_word_document_is_not_a_workbook():
    docx = make_zip({
        "[Content_Types].xml": b"<Types/>",
        "_rels/.rels": b"<Relationships/>",
        "word/document.xml": b"<w:document/>",
    })
    assert refusal(docx) == safety.MSG_NOT_XLSX


def test_an_opendocument_spreadsheet_is_named():
    ods = make_zip({
        "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
        "content.xml": b"<office:document-content/>",
        "META-INF/manifest.xml": b"<manifest/>",
    }, compression=zipfile.ZIP_STORED)
    assert refusal(ods) == safety.MSG_ODS


def test_a_macro_enabled_workbook_is_refused():
    xlsm = rezip(make_xlsx(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(500)})
    assert refusal(xlsm) == safety.MSG_MACROS


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    bomb = rezip(make_xlsx(), add={"xl/worksheets/sheet2.xml": bytes(20 * MiB)})
    assert len(bomb) < MiB
    assert refusal(bomb) == safety.MSG_BOMB


def test_a_workbook_expanding_past_the_limit_is_refused():
    big = rezip(make_xlsx(), add={"xl/media/photo.bin": bytes(range(256)) * 8192})  # 2 MiB
    assert refusal(big, Limits(max_uncompressed=MiB)) == safety.MSG_TOO_BIG_UNPACKED


def test_a_member_whose_header_lies_about_its_size_is_refused():
    bomb = rezip(make_xlsx(), add={"xl/worksheets/sheet2.xml": bytes(5 * MiB)})
    real_size = struct.pack("<I", 5 * MiB)

    def understate(buffer, offset, kind):
        size_at = offset + (22 if kind == "local" else 24)
        if buffer[size_at:size_at + 4] == real_size:
            struct.pack_into("<I", buffer, size_at, 1000)

    liar = patch_headers(bomb, understate)
    assert liar != bomb
    # Declared sizes pass; the bounded read stops at the declared size and the CRC fails.
    assert refusal(liar) == safety.MSG_CORRUPT


def test_too_many_members_are_refused():
    assert refusal(make_xlsx(), Limits(max_members=3)) == safety.MSG_TOO_MANY_PARTS


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
    b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c>'
    b"</row></sheetData></worksheet>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    b"<worksheet><sheetData/></worksheet>"
)


@pytest.mark.parametrize(
    "content",
    [
        BILLION_LAUGHS,
        XXE,
        BILLION_LAUGHS.decode().replace('"1.0"?', '"1.0" encoding="UTF-16"?').encode("utf-16"),
        # "<!DOCTYPE" split across two reads of the bounded stream
        b"<!--" + b"x" * (safety._CHUNK - 4 - BILLION_LAUGHS.index(b"<!DOCTYPE") - 7) + b"-->"
        + BILLION_LAUGHS,
    ],
    ids=["billion-laughs", "xxe", "utf-16", "chunk-boundary"],
)
def test_xml_with_doctype_or_entities_is_refused(content):
    assert refusal(rezip(make_xlsx(), replace={SHEET: content})) == safety.MSG_XML_DECLARATION


def test_refusals_carry_a_rendered_message():
    with pytest.raises(UploadRefused) as caught:
        check_xlsx(b"")
    assert str(caught.value) == "The file is empty."


SAMPLE = make_xlsx()  # made once: a fresh one differs (timestamps) and would confuse hypothesis


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_damaged_workbooks_raise_only_upload_refused(data):
    original = bytearray(SAMPLE)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(original)))
    try:
        check_xlsx(bytes(original[:cut]))
    except UploadRefused:
        pass
