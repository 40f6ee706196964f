"""What every test directory needs, and nothing that builds the app: the time zone, the
``--browser`` option and the Hypothesis settings. The app's fixtures are in
``tests/app/conftest.py``; ``tests/domain`` runs without them (``tests/domain/conftest.py``
checks that no app was built)."""

from __future__ import annotations

import os

from hypothesis import settings

# No per-example deadline: on a loaded two-core CI machine a property test's examples can take
# longer than Hypothesis's 200 ms default without anything being wrong (seen as a rare flake).
settings.register_profile("competition", deadline=None)
settings.load_profile("competition")


def pytest_configure(config):
    os.environ.setdefault("TZ", "Asia/Shanghai")


def pytest_addoption(parser):  # registered here so that `pytest --browser` works from the root too
    parser.addoption("--browser", action="store_true",
                     help="run the journeys in tests/browser (Chromium)")
