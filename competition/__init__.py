"""Skills competition management system (职业技能大赛管理系统).

``create_app`` (in :mod:`competition.app`) builds the web app; importing the package itself loads
nothing else, so the pure rules in :mod:`competition.domain` import without Flask or a database.
"""

from __future__ import annotations


def __getattr__(name: str):
    # ``flask --app competition`` and ``from competition import create_app`` find the factory
    # here; it is imported only when asked for.
    if name == "create_app":
        from competition.app import create_app
        return create_app
    raise AttributeError(name)
