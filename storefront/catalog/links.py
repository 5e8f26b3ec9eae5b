"""Absolute addresses for sitemaps, OpenGraph tags and the JSON API."""
from flask import current_app, url_for


def absolute_url(endpoint: str, **values) -> str:
    """Return the public, absolute address of a page or file (``PUBLIC_URL`` + its path)."""
    return current_app.config["SERVER_NAME_FOR_LINKS"].rstrip("/") + url_for(endpoint, **values)


def media_url(key: str, external: bool = False) -> str:
    """Return the address of a stored file, as the configured storage serves it."""
    from ..storage import get_storage

    url = get_storage().url(key)
    if external and url.startswith("/"):
        return current_app.config["SERVER_NAME_FOR_LINKS"].rstrip("/") + url
    return url
