"""Where uploaded files live: local disk by default, any object store behind the same four verbs.

Keys are made by the server (``photos/<uuid4 hex>-400.webp``), never taken from a client's
file name, so a key can be trusted as a relative path.

To add S3-compatible storage: write a class with the same four methods (``save`` puts the
object with its ``Content-Type``, ``url`` returns the bucket or CDN address), register it in
``BACKENDS`` under a name, and set ``STORAGE_BACKEND`` to that name.
"""
import re
import uuid
from pathlib import Path
from typing import Protocol

from flask import current_app

_SAFE_KEY = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_.-]+)*$")


class Storage(Protocol):
    def save(self, key: str, data: bytes, content_type: str) -> None: ...

    def delete(self, key: str) -> None: ...

    def url(self, key: str) -> str: ...

    def open(self, key: str) -> bytes: ...


def new_key(prefix: str, suffix: str) -> str:
    """Return a fresh server-made key: ``<prefix>/<uuid4 hex><suffix>``."""
    return f"{prefix}/{uuid.uuid4().hex}{suffix}"


def check_key(key: str) -> str:
    """Return ``key`` when it is a plain relative path of safe characters.

    :raises ValueError: for anything else (``..``, absolute paths, odd characters).
    """
    if not _SAFE_KEY.match(key) or ".." in key:
        raise ValueError(f"unsafe storage key {key!r}")
    return key


class LocalStorage:
    """Files under a directory on local disk, served by ``media.media`` at ``/media/<key>``."""

    def __init__(self, root: str | Path, base_url: str = "/media/"):
        self.root = Path(root)
        self.base_url = base_url.rstrip("/") + "/"

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def save(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # readers never see half a file

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def url(self, key: str) -> str:
        return self.base_url + check_key(key)

    def open(self, key: str) -> bytes:
        return self._path(key).read_bytes()


def _local() -> LocalStorage:
    return LocalStorage(current_app.config["MEDIA_ROOT"], current_app.config.get("MEDIA_URL", "/media/"))


BACKENDS = {"local": _local}


def get_storage() -> Storage:
    """Return the storage named by ``STORAGE_BACKEND`` (default ``local``)."""
    name = current_app.config.get("STORAGE_BACKEND", "local")
    try:
        return BACKENDS[name]()
    except KeyError:
        raise RuntimeError(f"unknown STORAGE_BACKEND {name!r}") from None

