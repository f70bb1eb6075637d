"""The app factory: configuration, the database, catalog sync, security hooks, blueprints, error handlers."""

from __future__ import annotations

import functools
import os
import secrets
import weakref

from flask import Flask, Request, g, request
from werkzeug.http import parse_cookie
from werkzeug.utils import cached_property

from comments_server import settings
from comments_server.domain import clock, links
from comments_server.store import files
from comments_server.store.db import is_postgres
from comments_server.web.jsonfast import OrjsonProvider
from comments_server.web.sessions import ServerSessions


@functools.lru_cache(maxsize=4096)
def _parsed_cookies(header, storage):
    """The cookies of one Cookie header (immutable, so one parse serves every request that sends it)."""
    return parse_cookie(header, cls=storage)


class CookieRememberingRequest(Request):
    """Flask's request, its Cookie header parsed once per process: a browser sends the same one every time."""

    @cached_property
    def cookies(self):
        """The request's cookies (werkzeug's parse, remembered per header value)."""
        return _parsed_cookies(";".join(self.headers.getlist("Cookie")), self.dict_storage_class)


class App(Flask):
    """Flask with orjson for JSON (a 200-comment page serialises in a tenth of the time), and no async views."""

    json_provider_class = OrjsonProvider
    request_class = CookieRememberingRequest

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # weak keys: a function registered for one request only (after_this_request) leaves with it
        self._synced = weakref.WeakKeyDictionary()

    def ensure_sync(self, func):
        """Flask's answer, remembered per view or hook: it asked `inspect` on every call of every request."""
        try:
            return self._synced[func]
        except KeyError:
            synced = self._synced[func] = super().ensure_sync(func)
            return synced


def create_app(test_config=None, *, instance_path=None):
    """Create the Roundtable server: config, database, catalog, blueprints, error handlers.

    Configuration is read in this order, later wins: defaults,
    ``instance/roundtable.cfg``, ``ROUNDTABLE_*`` environment variables, ``test_config``.
    """
    # named for the package, so static/ stays comments_server/static
    app = App("comments_server", instance_path=settings.instance_path(instance_path), instance_relative_config=True)
    settings.load(app.config, test_config=test_config)
    _refuse_a_lost_database(app)
    _refuse_a_read_only_instance(app)
    _finish_config(app)
    app.session_interface = ServerSessions()
    _wire(app)
    return app


def _finish_config(app):
    """Fill in the settings that depend on the instance folder and the working directory."""
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SITE_DIR"] = os.path.abspath(app.config["SITE_DIR"])
    app.extensions["uploads"] = _uploads(app)  # a refusal first: it must leave no secret_key behind
    app.config["SECRET_KEY"] = _secret_key(app.config, app.instance_path)
    if app.config["PROXY_FIX"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


class InstanceError(RuntimeError):
    """An instance the server must not start on; the message names the path and what to do."""


def _refuse_a_lost_database(app):
    """Refuse to start when the database is gone from an instance that held data, instead of starting empty.

    The secret key and uploads are written when an instance is first used, so
    either one without the database means the database was lost (deleted, a
    volume not mounted, a wrong path).
    """
    database = app.config["DATABASE"]
    if database == ":memory:" or is_postgres(database) or os.path.exists(database):
        return
    signs = [os.path.join(app.instance_path, "secret_key"), files.folder(app.config, app.instance_path)]
    held = [path for path in signs if os.path.exists(path)]
    if held:
        raise InstanceError(
            f"{database} is missing, but this instance held data ({held[0]} exists). Restore the latest "
            f"backup with `roundtable restore BACKUP_FOLDER`, or to start over on purpose move "
            f"{app.instance_path} away.")


def _secret_key(config, instance_path):
    """The key that signs sessions: SECRET_KEY, else SECRET_KEY_FILE, else (SQLite only) one kept in the instance.

    Every server must sign with the same key, or a session cookie set by one
    is refused by the next. One machine's generated key cannot be that, so on
    a shared database (DATABASE_URL) the server refuses to start without one.
    """
    if config.get("SECRET_KEY"):
        return config["SECRET_KEY"]
    if config.get("SECRET_KEY_FILE"):
        path = config["SECRET_KEY_FILE"]
        try:
            with open(path) as f:
                key = f.read().strip()
        except OSError as exc:
            raise InstanceError(f"ROUNDTABLE_SECRET_KEY_FILE={path} cannot be read ({exc.strerror}): "
                                "point it at the file holding the secret key.") from None
        if not key:
            raise InstanceError(f"ROUNDTABLE_SECRET_KEY_FILE={path} is empty: write the secret key into it, "
                                "e.g. python3 -c 'import secrets; print(secrets.token_hex(32))'.")
        return key
    if config.get("DATABASE_URL", "").split(":", 1)[0] not in ("", "sqlite"):
        raise InstanceError(
            "ROUNDTABLE_DATABASE_URL names a shared database, but no secret key is configured: every app server "
            "must sign sessions with the same key. Set ROUNDTABLE_SECRET_KEY (or ROUNDTABLE_SECRET_KEY_FILE, a file "
            "holding it) to the same value on every server, e.g. python3 -c 'import secrets; "
            "print(secrets.token_hex(32))'.")
    return _instance_secret(instance_path)


def _uploads(app):
    """The uploads' storage the settings choose (store/files.py); a setting that cannot work stops the start."""
    try:
        return files.from_config(app.config, app.instance_path)
    except files.FilesError as exc:
        raise InstanceError(str(exc)) from None


def _refuse_a_read_only_instance(app):
    """Refuse to start on an instance folder or database this user cannot write, naming it and the fix."""
    from comments_server.store.db import process_user, read_only_problem

    folder = app.instance_path
    place = folder if os.path.exists(folder) else os.path.dirname(folder)
    blocked = None if os.access(place, os.W_OK | os.X_OK) else place
    blocked = blocked or read_only_problem(app.config["DATABASE"])
    if blocked:
        user = process_user()
        raise InstanceError(
            f"{blocked} is read-only for {user}, the user starting the server: Roundtable keeps its database, "
            f"sessions and uploads in {folder} and must write there. Give {user} write access (e.g. "
            f"`chown -R {user} {folder}`, or remount the volume read-write), or set ROUNDTABLE_INSTANCE_PATH "
            f"to a writable folder.")


def _instance_secret(instance_path):
    """Return the secret key kept in the instance folder, generating it on first use."""
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        # O_EXCL: two processes starting at once must not write two different keys
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        except FileExistsError:
            pass
    with open(path) as f:
        return f.read().strip()


def _wire(app):
    """Register the database, catalog sync, security hooks, blueprints and error handlers."""
    from comments_server.actions import catalog_sync as catalog
    from comments_server.web import database
    from comments_server.web import api, delivery, errors, headers, routing, security, site

    routing.init_app(app)
    delivery.init_app(app)  # first: its compression then runs after every other after_request hook
    database.init_app(app)
    _install_clock(app)
    _install_site_root(app)
    catalog.init_app(app)
    security.init_app(app)
    headers.init_app(app)
    errors.init_app(app)
    api.init_app(app)
    site.init_app(app)
    security.bind_limits(app)  # last: it wraps the views the blueprints registered


def _install_clock(app):
    """Give the app one clock (``CLOCK``: real time, or started at a given moment) and use it in every request."""
    app.extensions["clock"] = clock.from_setting(app.config.get("CLOCK"))

    @app.before_request
    def _use_clock():
        g.clock_token = clock.install(app.extensions["clock"])

    @app.teardown_request
    def _drop_clock(exc=None):
        token = g.pop("clock_token", None)
        if token is not None:
            clock.reset(token)


def _install_site_root(app):
    """Tell the code below web the site's root for this request: BASE_URL, else the host asked (domain/links)."""

    @app.before_request
    def _use_root():
        g.site_root_token = links.install_root(lambda: links.site_root(app.config["BASE_URL"], request.host_url))

    @app.teardown_request
    def _drop_root(exc=None):
        token = g.pop("site_root_token", None)
        if token is not None:
            links.reset_root(token)
