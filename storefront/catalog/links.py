"""Absolute addresses for mails, QR codes, Stripe's return, sitemaps, OpenGraph tags and the JSON API.

Every one starts with ``PUBLIC_URL`` (``SERVER_NAME_FOR_LINKS``), never with the request's ``Host``: a
forged ``Host`` must not find its way into a page or a mail. Production refuses to start without it.
"""
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for
from werkzeug.sansio.utils import get_current_url

from ..storage import get_storage


def public_base() -> str:
    """Return ``PUBLIC_URL`` without a trailing slash."""
    return current_app.config["SERVER_NAME_FOR_LINKS"].rstrip("/")


def absolute_url(endpoint: str, **values) -> str:
    """Return the public, absolute address of a page or file (``PUBLIC_URL`` + its path).

    Works outside a request too (mail written by a worker or a command).
    """
    base = public_base()
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return base + url_for(endpoint, **values)


def media_url(key: str, external: bool = False) -> str:
    """Return the address of a stored file, as the configured storage serves it."""
    url = get_storage().url(key)
    if external and url.startswith("/"):
        return public_base() + url
    return url


def public_page_url() -> str:
    """Return the address of the page being answered (``og:url``): its path and query on ``PUBLIC_URL``."""
    base = urlsplit(public_base())
    return get_current_url(base.scheme, base.netloc, request.root_path, request.path, request.query_string)
