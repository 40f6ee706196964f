"""The domain's rule tables run without the app: no app built, no models, no schema.

When a run collected only tests of this folder (``python3 manage.py test tests/domain``), it
fails at the end if anything built an app or loaded what only the app needs: the models (and
with them the schema), the services, the web layer, the blueprints (``create_app`` imports
those). This conftest, like the root one, imports nothing from ``competition``.

Importing ``competition.domain`` still runs ``competition/__init__.py``, which imports Flask and
``competition.extensions`` (the unbound extensions) at the top to define ``create_app``: those
are imported, never used, and not checked here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# What importing competition.domain loads: the package's __init__ and what it imports at the top.
PACKAGE = {"competition", "competition.config", "competition.extensions", "competition.domain"}


def app_traces() -> list[str]:
    """What is loaded that only the app (or its tests) needs: any module of ``competition``
    beyond ``competition.domain`` and the package itself (models, services, the web layer,
    blueprints...), and any Flask app object still alive."""
    found = sorted(name for name in sys.modules if name.startswith("competition.")
                   and name not in PACKAGE and not name.startswith("competition.domain."))
    if "flask" in sys.modules:
        import gc

        flask_app = sys.modules["flask"].Flask
        found += [f"a Flask app {o.name!r}" for o in gc.get_objects() if isinstance(o, flask_app)]
    return found


def only_domain(items) -> bool:
    return bool(items) and all(HERE in Path(str(item.path)).parents for item in items)


@pytest.fixture(scope="session", autouse=True)
def no_app_built(request):
    """After the last test: nothing of the app was built, when only domain tests ran. (A
    session fixture, so that it holds on pytest-xdist's workers too.)"""
    yield
    if only_domain(request.session.items):
        traces = app_traces()
        assert not traces, ("tests/domain must run without the app, but these were loaded: "
                            + ", ".join(traces[:20]))
