"""Talking to the app as a browser does: its test settings, clients, logging in, uploads, and
reading what a page says (its text, flashes, field errors, import reports, CSRF token)."""

from __future__ import annotations

import re
from html import unescape
from io import BytesIO

from flask import current_app, g, has_app_context
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from competition.config import TestConfig

PASSWORD = "correct horse battery"


def app_settings(database_url: str, **overrides) -> dict:
    """The test configuration (``TestConfig``) on ``database_url``, with ``overrides``."""
    settings = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    return {**settings, "SQLALCHEMY_DATABASE_URI": database_url, **overrides}


class CleanClient(FlaskClient):
    """A test client whose every request starts with an empty ``g``, as in a browser.

    The fixtures keep an app context pushed so that tests can use the database directly; Flask
    then lets requests share it, and with it ``g``, where Flask-Login keeps the loaded user and
    Flask-Babel the chosen language. Without this, one client's login would leak into the next.
    """

    def open(self, *args, **kwargs):
        if has_app_context() and current_app._get_current_object() is self.application:
            for key in list(g):
                g.pop(key, None)
        return super().open(*args, **kwargs)


def fresh_client(app, lang: str | None = "en") -> CleanClient:
    """A client of its own that reads the app in ``lang`` (None: the browser's default)."""
    client = app.test_client()
    if lang:
        client.post("/language", data={"lang": lang})
    return client


def log_in(client, user, password: str = PASSWORD):
    """Log ``user`` (an account or a username; None stays anonymous) in on ``client`` through
    the real login form; the client."""
    if user is not None:
        username = user if isinstance(user, str) else user.username
        response = client.post("/auth/login", data={"username": username, "password": password})
        assert response.status_code == 302, (username, response.get_data(as_text=True)[:500])
    return client


def client_for(app, user, lang: str | None = "en") -> CleanClient:
    """A fresh client in ``lang`` logged in as ``user`` (see :func:`log_in`)."""
    return log_in(fresh_client(app, lang), user)


def post_file(client, url: str, data: bytes, filename: str = "upload.xlsx", field: str = "file",
              **form):
    """POST ``data`` as a file upload in field ``field`` with the other ``form`` fields. The
    body is encoded in memory: the test client's own encoder spills bodies over 500 kB to a
    temporary file it never closes (a ResourceWarning)."""
    body, _length, boundary = stream_encode_multipart(
        {**form, field: FileStorage(BytesIO(data), filename=filename)}, use_tempfile=False)
    return client.post(url, data=body.getvalue(),
                       content_type=f"multipart/form-data; boundary={boundary}")


def route_url(rule: str, values: dict) -> str:
    """A URL rule of the app (``/x/<code>/<int:id>``) with every argument filled from ``values``."""
    for name, value in values.items():
        for converter in ("", "int:"):
            rule = rule.replace(f"<{converter}{name}>", str(value))
    assert "<" not in rule, rule
    return rule


def csrf_token(response) -> str:
    html = response.get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def page_text(response) -> str:
    """The visible text of an HTML response, tags dropped and entities decoded."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def _paragraphs(response, pattern: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", "", m)).strip()
            for m in re.findall(pattern, response.get_data(as_text=True), re.S)]


def flashes(response) -> list[str]:
    """Every flashed message on the page."""
    return _paragraphs(response, r'<p class="flash flash-\w+">(.*?)</p>')


def field_error(response, field_id: str) -> list[str]:
    """The messages shown next to the field with HTML id ``field_id``."""
    return _paragraphs(response, rf'<p class="error" id="{re.escape(field_id)}-err">(.*?)</p>')


def form_errors(response) -> list[str]:
    """The error messages shown next to fields and in error flashes."""
    return _paragraphs(response, r'<p class="(?:error|flash flash-error)"[^>]*>(.*?)</p>')


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
