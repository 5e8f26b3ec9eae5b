"""Safe redirects: follow a ``next`` only when it is a path on this site."""
from urllib.parse import urlsplit

from flask import request


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Return ``target`` when it is a path on this site, else ``fallback``."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return fallback
    return target


def same_site_referrer() -> str | None:
    """Return the path and query of the page that sent the visitor, when it is on this site."""
    if not request.referrer:
        return None
    parts = urlsplit(request.referrer)
    if parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
