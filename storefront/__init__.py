"""OCOP Storefront: the application factory."""
import logging

from flask import Flask, render_template

from . import config as config_module
from .extensions import babel, cache, compress, csrf, db, limiter, login_manager, migrate


def create_app(config: type | dict | None = None) -> Flask:
    """Build the app from a config class (or overrides on the environment's profile)."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_relative_config=False)
    profile = config if isinstance(config, type) else config_module.profile_from_env()
    app.config.from_object(profile)
    if isinstance(config, dict):
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        raise config_module.ConfigError(config_module._NO_SECRET)
    profile.validate()
    config_module.INSTANCE_DIR.mkdir(exist_ok=True)
    register_security(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    _trust_proxies(app)
    logging.basicConfig(level=logging.INFO)
    return app


def register_security(app: Flask) -> None:
    """Refuse malformed paths, values and hosts where requests enter (before any blueprint's rules);
    send the security headers; answer 503 while the database is down."""
    from . import outages, request_guard, security_headers

    request_guard.install_converters(app)
    request_guard.register(app)
    security_headers.init_app(app)
    outages.init_app(app)


def _trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` proxies, take the client's address and scheme from their headers.

    Rate limits key on the client's address; without this every request would seem to come
    from the proxy. Only the proxies' own headers are read, so clients cannot forge them.
    """
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (every table known to Alembic)
    from .i18n import register_template_helpers, select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.BASE_DIR / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(config_module.BASE_DIR / "translations"))
    limiter.init_app(app)
    if app.config["CACHE_TYPE"] == "RedisCache":  # bounded waits, as every use of Redis (config.py)
        app.config.setdefault("CACHE_OPTIONS", config_module.redis_options(
            app.config["REDIS_CONNECT_TIMEOUT"], app.config["REDIS_TIMEOUT"]))
    cache.init_app(app)
    from . import queue, storage

    queue.init_app(app)
    storage.init_app(app)  # a missing bucket stops the start-up here, with its name
    compress.init_app(app)
    from . import assets

    assets.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "shop.login"
    login_manager.session_protection = "basic"
    from .accounts.services import load_user

    login_manager.user_loader(load_user)
    register_template_helpers(app)
    from .legal import seller

    app.context_processor(seller.template_context)  # who sells and runs the shop: every page and mail
    _sqlite_pragmas(app)
    from .catalog import counting, listing_table

    counting.watch(db.session)
    listing_table.watch(db.session)


def _sqlite_pragmas(app: Flask) -> None:
    """Turn on foreign keys and WAL for SQLite; other backends need nothing."""
    from sqlalchemy import event

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            if app.config["SQLALCHEMY_DATABASE_URI"] not in ("sqlite://", "sqlite:///:memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()


def register_blueprints(app: Flask) -> None:
    """Register the six web areas (``storefront/web/``) once every view module has added its routes,
    then the few blueprints outside them (health, language, media, certificate scans)."""
    import importlib

    from . import web
    from .health import bp as health_bp
    from .language import bp as language_bp
    from .media import bp as media_bp
    from .pickup.views import register as register_pickup
    from .scans import bp as scans_bp

    for module in VIEW_MODULES:
        importlib.import_module(f"{__name__}.{module}")
    for area in (web.shop, web.producer, web.outlet, web.admin, web.api, web.webhooks):
        app.register_blueprint(area.bp)
    for blueprint in (health_bp, language_bp, media_bp, scans_bp):
        app.register_blueprint(blueprint)
    register_pickup(app)  # the pickup calendar's template helpers
    from . import wiring

    wiring.connect()  # every event receiver and start-up hook, in one place


# Every module that adds routes to a web area, by area.
VIEW_MODULES = (
    # shop
    "catalog.views", "accounts.views", "cart.views", "checkout.views", "orders.views",
    "pickup.views", "payments.views", "certificates.views", "invoices.views", "legal.views",
    "complaints.views", "privacy.views", "notifications.views", "experiences.views", "bookings.views",
    "booking_changes.views",
    # producer
    "producers.views", "producers.fulfilment_views", "producers.label_views", "pickup.producer_views",
    "finance.producer_views", "experiences.producer_views", "invoices.producer_views",
    "bookings.producer_views",
    # outlet
    "outlets.views", "pickup.outlet_views", "payments.outlet_views",
    "counter.outlet_views", "complaints.outlet_views",
    "finance.outlet_views", "returns.outlet_views", "bookings.outlet_views",
    # admin
    "admin.views", "accounts.admin_views", "certificates.admin_views", "pickup.admin_views", "reports.views",
    "payments.admin_views", "invoices.admin_views", "complaints.admin_views", "privacy.admin_views",
    "notifications.admin_views",
    "finance.admin_views",
    "legal.admin_views", "catalog.admin_views",
    # API
    "catalog.api_views", "pickup.api_views", "certificates.api_views", "experiences.api_views",
    # webhooks
    "payments.webhook_views", "notifications.webhook_views",
)


def register_errorhandlers(app: Flask) -> None:
    from flask import jsonify, request

    def render_error(error):
        code = getattr(error, "code", 500)
        if request.path.startswith("/api/"):
            return jsonify(error=getattr(error, "description", "error"), status=code), code
        return render_template("errors/error.html", error=error, code=code), code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.errorhandler(code)(render_error)


def register_commands(app: Flask) -> None:
    from .cli import register

    register(app)
