"""Absolute addresses for sitemaps, OpenGraph tags and the JSON API."""
from flask import current_app, has_request_context, url_for

from ..storage import get_storage


def absolute_url(endpoint: str, **values) -> str:
    """Return the public, absolute address of a page or file (``PUBLIC_URL`` + its path).

    Works outside a request too (mail written by a worker or a command).
    """
    base = current_app.config["SERVER_NAME_FOR_LINKS"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return base + url_for(endpoint, **values)


def media_url(key: str, external: bool = False) -> str:
    """Return the address of a stored file, as the configured storage serves it."""
    url = get_storage().url(key)
    if external and url.startswith("/"):
        return current_app.config["SERVER_NAME_FOR_LINKS"].rstrip("/") + url
    return url
