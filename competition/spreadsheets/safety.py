"""Checks on an uploaded workbook before anything parses it.

Uploads come from the internet. An ``.xlsx`` file is a ZIP archive of XML parts, so a hostile or
merely wrong file can hurt in three ways: by not being a workbook at all (an old ``.xls``, a CSV, a
PDF or a web page renamed), by expanding to far more than it weighs (a zip bomb, or a member whose
header lies about its size), or by carrying XML declarations that make a parser expand entities
or fetch files (billion laughs, XXE). :func:`check_xlsx` looks at the raw bytes with
:mod:`zipfile` only, reads every member through a bounded stream, and refuses the file with a
:class:`~competition.domain.messages.Problem` the user can act on. Only a file that passes is
handed to openpyxl.

A sheet can also be small and still cost a lot once opened: openpyxl gives every row as many
cells as the widest row has, and a marked-up copy of the file fills every cell of a bad row, so a
9.7 KB file of 200 rows with one cell in column XFC (16,383) once took 1.46 GB. The worksheets'
XML is therefore scanned while it streams (:class:`_SheetScan`): its rows, the rightmost cell of
any row (by its reference, or by counting cells that carry none), and the ranges that openpyxl
turns into one cell per position (merged cells, hyperlinks). A sheet wider than
``Limits.max_columns`` or with a range past the limits is refused before any cell is read.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from competition.domain.messages import N_, Problem

MiB = 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_CHUNK = 256 * 1024

# Excel never writes a document type declaration; without one there are no entities to expand
# and no external files to fetch. The patterns are searched in UTF-8 and both UTF-16 byte
# orders, the encodings an XML parser will accept without a declaration.
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_DECLARATION_RE = re.compile(
    b"|".join(
        re.escape(text.decode("ascii").encode(encoding))
        for text in _DECLARATIONS
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
    )
)
_LONGEST_DECLARATION = max(len(text) * 2 for text in _DECLARATIONS)

MSG_EMPTY = N_("The file is empty.")
MSG_TOO_LARGE = N_("The file is too large (%(size_mb)s MB); the limit is %(limit_mb)s MB.")
MSG_OLD_XLS = N_(
    "This is an old Excel 97-2003 file (.xls) or a password-protected workbook. Open it in Excel, "
    "remove any password and save it as an Excel workbook (.xlsx)."
)
MSG_PDF = N_("This is a PDF file, not an Excel workbook (.xlsx).")
MSG_HTML = N_(
    "This is a web page (HTML) with an Excel file name. Open it in Excel and save it as an Excel "
    "workbook (.xlsx)."
)
MSG_TEXT = N_(
    "This is a text (CSV) file, not an Excel workbook. Open it in Excel and save it as an Excel "
    "workbook (.xlsx)."
)
MSG_NOT_XLSX = N_("The file is not an Excel workbook (.xlsx).")
MSG_ODS = N_(
    "This is an OpenDocument spreadsheet (.ods). Save it as an Excel workbook (.xlsx) and upload "
    "it again."
)
MSG_CORRUPT = N_(
    "The file is damaged or incomplete and cannot be read as an Excel workbook (.xlsx). Open it "
    "in Excel, save it again and retry."
)
MSG_ENCRYPTED = N_(
    "The workbook is encrypted. Remove the password, save it as an Excel workbook (.xlsx) and "
    "upload it again."
)
MSG_MACROS = N_(
    "The workbook contains macros (.xlsm). Save it as an Excel workbook (.xlsx) without macros "
    "and upload it again."
)
MSG_TOO_MANY_PARTS = N_(
    "The workbook is made of too many parts (%(count)s; the limit is %(limit)s) and was not opened."
)
MSG_TOO_BIG_UNPACKED = N_(
    "The workbook would take more than %(limit_mb)s MB once opened and was not opened. Split it "
    "into smaller files."
)
MSG_BOMB = N_(
    "The file is compressed suspiciously (more than %(limit)s times) and was not opened for safety."
)
MSG_XML_DECLARATION = N_(
    "The file contains XML declarations (DOCTYPE or ENTITY) that Excel never writes and was not "
    "opened for safety."
)


MSG_TOO_MANY_ROWS = N_(
    "The sheet has more than %(limit)s rows. Split it into several files."
)
MSG_TOO_WIDE = N_(
    "The sheet has cells as far right as column %(column)s; this file may use at most %(limit)s "
    "columns. Delete the columns to the right of the table (or copy the table into a new "
    "workbook) and upload it again."
)
# Rows above the data that a sheet may have: title lines and the header.
_HEADER_ROOM = 10
EXCEL_COLUMNS = 16_384  # A to XFD


class UploadRefused(Exception):
    """An uploaded file that will not be opened, with the reason as a :class:`Problem`."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.render())
        self.problem = problem


@dataclass(frozen=True)
class Limits:
    """What an upload may weigh and expand to.

    ``max_ratio`` is checked on the whole archive once it would expand past one MiB, so a small
    workbook made of very regular XML is never refused for compressing well.
    """

    max_bytes: int = 10 * MiB
    max_uncompressed: int = 100 * MiB
    max_ratio: int = 100
    max_members: int = 2000
    max_rows: int = 50_000
    max_columns: int = EXCEL_COLUMNS


_RATIO_FLOOR = MiB


def _refuse(message: str, **params: object) -> UploadRefused:
    return UploadRefused(Problem(message, dict(params)))


def _megabytes(size: int) -> str:
    return f"{size / MiB:.1f}".removesuffix(".0")


def _not_a_zip(data: bytes) -> UploadRefused:
    """The most helpful refusal for bytes that are not a ZIP archive, guessed from their start."""
    if data.startswith(_OLE_MAGIC):
        return _refuse(MSG_OLD_XLS)
    head = data[:1024]
    if head.startswith(b"%PDF"):
        return _refuse(MSG_PDF)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta", b"<head")):
        return _refuse(MSG_HTML)
    if b"\x00" not in head and _decodes_as_text(head):
        return _refuse(MSG_TEXT)
    return _refuse(MSG_NOT_XLSX)


def _decodes_as_text(head: bytes) -> bool:
    head = head.removeprefix(b"\xef\xbb\xbf")  # Excel's "CSV UTF-8" starts with a BOM
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            # The first KiB may end in the middle of a character.
            try:
                text = head[:-4].decode(encoding)
            except UnicodeDecodeError:
                continue
        return all(ch.isprintable() or ch in "\t\r\n" for ch in text)
    return False


def check_xlsx(data: bytes, limits: Limits = Limits()) -> None:
    """Refuse ``data`` unless it is a plain ``.xlsx`` workbook that is safe to hand to openpyxl.

    Raises :class:`UploadRefused` for: an empty or oversized file; anything that is not a ZIP
    archive (old ``.xls``, CSV, PDF, HTML); a damaged archive; encrypted members; a ZIP that is
    not a workbook (``.docx``, ``.ods``); a macro-enabled workbook; too many members; a declared
    or actual expanded size over ``limits.max_uncompressed`` or a compression ratio over
    ``limits.max_ratio``; and any member holding a DOCTYPE or ENTITY declaration. Every member is
    decompressed as a stream with a running cap, so a header that lies about its size is caught
    as soon as the real data passes the limit (or by the CRC check once the declared size is
    reached).
    """
    if not data:
        raise _refuse(MSG_EMPTY)
    if len(data) > limits.max_bytes:
        raise _refuse(
            MSG_TOO_LARGE, size_mb=_megabytes(len(data)), limit_mb=_megabytes(limits.max_bytes)
        )
    if not data.startswith(_ZIP_MAGICS):
        raise _not_a_zip(data)
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except Exception:  # zipfile raises BadZipFile, but also OSError, ValueError, EOFError ...
        raise _refuse(MSG_CORRUPT) from None
    with archive:
        members = archive.infolist()
        _check_structure(archive, members, limits)
        _check_contents(archive, members, limits)


def _check_structure(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits
) -> None:
    if len(members) > limits.max_members:
        raise _refuse(MSG_TOO_MANY_PARTS, count=len(members), limit=limits.max_members)
    if any(member.flag_bits & 0x1 for member in members):
        raise _refuse(MSG_ENCRYPTED)
    names = {member.filename.lower() for member in members}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise _refuse(MSG_MACROS)
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        if "mimetype" in names and _is_opendocument(archive):
            raise _refuse(MSG_ODS)
        raise _refuse(MSG_NOT_XLSX)
    declared = sum(member.file_size for member in members)
    if declared > limits.max_uncompressed:
        raise _refuse(MSG_TOO_BIG_UNPACKED, limit_mb=_megabytes(limits.max_uncompressed))
    _check_ratio(declared, members, limits)


def _check_ratio(expanded: int, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    compressed = max(sum(member.compress_size for member in members), 1)
    if expanded > _RATIO_FLOOR and expanded / compressed > limits.max_ratio:
        raise _refuse(MSG_BOMB, limit=limits.max_ratio)


def _is_opendocument(archive: zipfile.ZipFile) -> bool:
    try:
        with archive.open("mimetype") as stream:
            return stream.read(100).startswith(b"application/vnd.oasis.opendocument")
    except Exception:
        return False


def _check_contents(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits
) -> None:
    """Stream every member with a running cap, scan it for XML declarations, and scan the
    workbook's XML parts for their rows and width (:class:`_SheetScan`)."""
    expanded = 0
    for member in members:
        tail = b""
        name = member.filename.lower()
        scan = _SheetScan(limits) if name.startswith("xl/") and name.endswith(".xml") \
            and not name.endswith("sharedstrings.xml") else None
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    expanded += len(chunk)
                    if expanded > limits.max_uncompressed:
                        raise _refuse(
                            MSG_TOO_BIG_UNPACKED, limit_mb=_megabytes(limits.max_uncompressed)
                        )
                    window = tail + chunk
                    if _DECLARATION_RE.search(window):
                        raise _refuse(MSG_XML_DECLARATION)
                    if scan is not None:
                        scan.feed(chunk)
                    tail = window[-_LONGEST_DECLARATION:]
        except UploadRefused:
            raise
        except Exception:  # bad CRC, truncated data, unsupported compression, lying sizes
            raise _refuse(MSG_CORRUPT) from None
    _check_ratio(expanded, members, limits)


# An element a worksheet gives one cell (c), a row (row), or a range of cells that openpyxl
# makes one cell per position of (mergeCell, hyperlink), with its attributes; any namespace prefix.
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(row|c|mergeCell|hyperlink)(?=[\s/>])([^<>]*)")
_CELL_REFERENCE = re.compile(rb"""(?:^|\s)r\s*=\s*["']\s*\$?([A-Za-z]{1,4})""")
_RANGE = re.compile(rb"""(?:^|\s)ref\s*=\s*["']([^"']*)["']""")
_CORNER = re.compile(rb"\$?([A-Za-z]{0,4})\$?([0-9]{0,9})")
EXCEL_ROWS = 1_048_576
_LONGEST_TAG = MiB  # no workbook writes a tag this long; a longer one is not scanned further


def column_number(letters: bytes | str) -> int:
    """``b"A"`` -> 1, ``b"XFC"`` -> 16,383 (letters of any case)."""
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.upper().decode():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """16,383 -> ``"XFC"``."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _SheetScan:
    """Rows and width of one XML part, fed in chunks as it streams.

    Tags are cut at the last ``<`` of a chunk (text and attribute values never hold one), so a
    tag split between two chunks is read whole with the next. A cell's column is its reference
    (``r="XFC201"``), or one past the previous cell of the row when it has none, as openpyxl
    reads it.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.rows = 0
        self.column = 0
        self.pending = b""

    def feed(self, chunk: bytes) -> None:
        data = self.pending + chunk
        cut = data.rfind(b"<")
        if cut == -1 or data.find(b">", cut) != -1:
            part, self.pending = data, b""
        else:
            part, self.pending = data[:cut], data[cut:]
            if len(self.pending) > _LONGEST_TAG:
                raise _refuse(MSG_CORRUPT)
        for name, attributes in _TAG.findall(part):
            if name == b"c":
                reference = _CELL_REFERENCE.search(attributes)
                self.column = column_number(reference[1]) if reference else self.column + 1
                if self.column > self.limits.max_columns:
                    raise self._too_wide(self.column)
            elif name == b"row":
                self.column = 0
                self.rows += 1
                if self.rows > self.limits.max_rows + _HEADER_ROOM:
                    raise _refuse(MSG_TOO_MANY_ROWS, limit=self.limits.max_rows)
            else:
                self._check_range(attributes)

    def _check_range(self, attributes: bytes) -> None:
        """A range's corners within the limits; a whole row (``3:3``) spans every column, a
        whole column (``C:C``) every row."""
        found = _RANGE.search(attributes)
        for corner in re.split(rb"[\s:]+", found[1].strip()) if found else ():
            parts = _CORNER.fullmatch(corner)
            letters, row = parts.groups() if parts else (b"", b"")
            column = column_number(letters) if letters else EXCEL_COLUMNS
            if column > self.limits.max_columns:
                raise self._too_wide(column)
            if (int(row) if row else EXCEL_ROWS) > self.limits.max_rows + _HEADER_ROOM:
                raise _refuse(MSG_TOO_MANY_ROWS, limit=self.limits.max_rows)

    def _too_wide(self, column: int) -> UploadRefused:
        shown = column_letters(column) if column <= EXCEL_COLUMNS else str(column)
        return _refuse(MSG_TOO_WIDE, column=shown, limit=self.limits.max_columns)
