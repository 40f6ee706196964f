"""One way to answer with a file: a header-safe name (names may carry a user's filter, so no
header injection), never cached."""

from __future__ import annotations

import re

from flask import Response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def safe_name(filename: str) -> str:
    return _SAFE_NAME.sub("_", filename)


def attachment(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(data, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={safe_name(filename)}",
        "Cache-Control": "no-store"})


def xlsx(data: bytes, filename: str) -> Response:
    return attachment(data, filename, XLSX)
