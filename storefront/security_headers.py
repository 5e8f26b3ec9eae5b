"""Security headers on every response: CSP, nosniff, referrer, HSTS, permissions and caching.

Why a few lines of our own rather than Flask-Talisman: Talisman also redirects to HTTPS and sets cookie
flags, which the proxy and ``config.py`` already do, and a page that needs more (the outlet scanner needs
the camera) would need Talisman's per-view decorator repeating the whole policy. Here a view that sets a
header keeps it (``camera_allowed`` in ``outlets.views`` sets ``Permissions-Policy: camera=(self)``),
every other response gets the defaults below.

Caching: a response that may show someone's own data — anything for a signed-in user, and every page of
an order, an account, a cart, a checkout or a staff area, whoever asks — is ``private, no-store``, so no
browser history, proxy or CDN keeps a pickup code, a QR or a phone number. Public pages for visitors
stay as they are (cacheable by the usual rules); a view that sets its own ``Cache-Control`` keeps it.
"""
from urllib.parse import urlsplit

from flask import Flask, current_app, request, session

from .storage import get_storage

# The camera (and other powerful features) only where a view says so.
DEFAULT_PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
PRIVATE_CACHING = "private, no-store"
# First path segments of the areas that show personal data to whoever may open them (a guest's order
# through its private link, a guest's cart and checkout, sign-in and account pages, staff areas).
PERSONAL_AREAS = frozenset({"orders", "auth", "account", "cart", "checkout", "producer", "outlet",
                            "admin", "scans"})


def _origin(url: str | None) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def image_sources(app: Flask) -> list[str]:
    """Return where pictures may come from: this site, data: URIs (QR codes) and the photo store."""
    sources = ["'self'", "data:"]
    with app.app_context():
        try:
            stored = _origin(get_storage().url("photos/probe.webp"))
        except Exception:  # noqa: BLE001 — a misconfigured store must not take every page down
            stored = None
    for origin in (_origin(app.config.get("S3_PUBLIC_BASE_URL")), stored):
        if origin and origin not in sources:
            sources.append(origin)
    return sources


def content_security_policy(app: Flask) -> str:
    """Return the policy: scripts and styles only from our files, never inline; no framing.

    No ``form-action``: Chrome applies it to the redirect after a form post, and checkout redirects to
    Stripe's hosted page.
    """
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": image_sources(app),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def is_personal() -> bool:
    """Return whether this request's response may show someone's own data."""
    if request.path.split("/", 2)[1] in PERSONAL_AREAS:
        return True
    # Signed in: the header names the user, and any page may show their data. Read from the session
    # (Flask-Login keeps the id there) rather than loading the user: an error page must not need the database.
    return "_user_id" in session


def init_app(app: Flask) -> None:
    """Add the headers to every response; a header a view already set is kept."""
    policy: dict[str, str] = {}

    @app.after_request
    def _security_headers(response):
        if not policy:
            policy["csp"] = content_security_policy(current_app._get_current_object())
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy["csp"])
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", DEFAULT_PERMISSIONS)
        headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for browsers without CSP 2
        if "Cache-Control" not in headers and is_personal():
            headers["Cache-Control"] = PRIVATE_CACHING
        if current_app.config.get("HSTS_SECONDS"):
            headers.setdefault("Strict-Transport-Security",
                               f"max-age={current_app.config['HSTS_SECONDS']}; includeSubDomains")
        return response
