"""The domain's rule tables run without the app: no Flask, no database, no models.

When a run collected only tests of this folder (``python3 manage.py test tests/domain``), it
fails at the end if anything loaded Flask, SQLAlchemy or any part of ``competition`` beyond the
package itself and ``competition.domain`` (models, services, the web layer, blueprints: what
``create_app`` needs). This conftest, like the root one, imports nothing from ``competition``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FRAMEWORKS = ("flask", "sqlalchemy", "werkzeug", "wtforms")


def app_traces() -> list[str]:
    """What is loaded that only the app (or its tests) needs."""
    found = sorted(name for name in sys.modules if name.startswith("competition.")
                   and name != "competition.domain" and not name.startswith("competition.domain."))
    return found + [name for name in FRAMEWORKS if name in sys.modules]


def only_domain(items) -> bool:
    return bool(items) and all(HERE in Path(str(item.path)).parents for item in items)


@pytest.fixture(scope="session", autouse=True)
def no_app_built(request):
    """After the last test: nothing of the app was loaded, when only domain tests ran. (A
    session fixture, so that it holds on pytest-xdist's workers too.)"""
    yield
    if only_domain(request.session.items):
        traces = app_traces()
        assert not traces, ("tests/domain must run without the app, but these were loaded: "
                            + ", ".join(traces[:20]))
