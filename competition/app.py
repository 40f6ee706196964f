"""The application factory: config, extensions, blueprints, CLI and error pages."""

from __future__ import annotations

import logging
import os

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine

from competition.config import INSTANCE, ROOT, Config, _secret_key, secret_key_problem
from competition.extensions import babel, csrf, db, login, migrate


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, CLI and error pages. Does no other work."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from competition.web import DatabaseInteger, select_locale

    app.url_map.converters["int"] = DatabaseInteger
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(INSTANCE)
    if not (app.testing or app.debug) and (problem := secret_key_problem(app.config["SECRET_KEY"])):
        raise RuntimeError(problem)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
            "connect_args": {"timeout": 30},
        }

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(ROOT / "competition" / "translations"))
    login.init_app(app)
    login.login_view = "auth.login"
    login.login_message = _l("Please log in to see this page.")
    login.session_protection = "basic"

    from competition import api, auth, cli, core, exports, judging, public, registration, results, setup, web

    web.init_app(app)
    for blueprint in (core.bp, auth.bp, setup.bp, judging.bp, results.bp, public.bp, api.bp,
                      registration.bp, exports.bp):
        app.register_blueprint(blueprint)
    cli.init_app(app)

    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"))
    return app


@sa_event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys, write-ahead log, and wait instead of failing when busy."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()

