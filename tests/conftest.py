"""What every test directory needs, and nothing that builds the app: the time zone and the
``--browser`` option. The app's fixtures are in ``tests/app/conftest.py``; ``tests/domain`` runs
without them (``tests/domain/conftest.py`` checks that no app was built)."""

from __future__ import annotations

import os


def pytest_configure(config):
    os.environ.setdefault("TZ", "Asia/Shanghai")


def pytest_addoption(parser):  # registered here so that `pytest --browser` works from the root too
    parser.addoption("--browser", action="store_true", help="run the journeys in tests/browser (Chromium)")
