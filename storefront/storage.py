"""Where uploaded files live: local disk by default, or an S3-compatible bucket (``STORAGE_BACKEND=s3``).

Keys are made by the server (``photos/<uuid4 hex>-400.webp``), never taken from a client's
file name, so a key can be trusted as a relative path.

Two kinds of file: public ones (product photos), served for a year to anyone; and private ones
(certificate scans, every key under ``certificates/``), which only their producer and the admins
may see. Private files never get a public address: on local disk they live under
``PRIVATE_MEDIA_ROOT``, outside what ``/media`` serves; in a bucket they are never made public
and are reached through a presigned URL lasting ``S3_PRESIGN_SECONDS``, handed out by
``storefront/scans.py`` only after it has checked who asks.
"""
import logging
import os
import re
import uuid
from pathlib import Path
from typing import Protocol

from flask import current_app

log = logging.getLogger(__name__)

_SAFE_KEY = re.compile(r"^[a-z0-9_-]+(/[a-z0-9_.-]+)*$")
PRIVATE_PREFIXES = ("certificates/", "complaints/", "invoices/")  # scans; complaint photos; e-invoice PDFs
PUBLIC_CACHE_SECONDS = 31536000  # keys are never reused, so a year is safe


class StorageError(RuntimeError):
    """The storage is misconfigured or cannot be reached."""


class Storage(Protocol):
    def save(self, key: str, data: bytes, content_type: str) -> None: ...

    def delete(self, key: str) -> None: ...

    def url(self, key: str) -> str: ...

    def open(self, key: str) -> bytes: ...

    def private_url(self, key: str) -> str | None: ...

    def exists(self, key: str) -> bool: ...

    def check(self) -> None: ...


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


def is_private(key: str) -> bool:
    """Return whether ``key`` names a private file (a certificate scan)."""
    return key.startswith(PRIVATE_PREFIXES)


class PrivateFile(ValueError):
    """A private file was asked for by a public address."""


class LocalStorage:
    """Public files under ``root`` (served at ``/media/<key>``), private ones under ``private_root``."""

    def __init__(self, root: str | Path, base_url: str = "/media/",
                 private_root: str | Path | None = None):
        self.root = Path(root)
        self.private_root = Path(private_root) if private_root else self.root.parent / "private"
        self.base_url = base_url.rstrip("/") + "/"

    def _path(self, key: str) -> Path:
        check_key(key)
        return (self.private_root if is_private(key) else self.root) / key

    def save(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # readers never see half a file

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
        if is_private(key):
            (self.root / key).unlink(missing_ok=True)  # a scan stored before scans were private

    def url(self, key: str) -> str:
        if is_private(key):
            raise PrivateFile(f"{key!r} is private: it has no public address")
        return self.base_url + check_key(key)

    def private_url(self, key: str) -> None:
        """Local files have no signed address: the app streams them itself."""
        return None

    def open(self, key: str) -> bytes:
        path = self._path(key)
        if not path.exists() and is_private(key) and (self.root / key).exists():
            return (self.root / key).read_bytes()  # stored before scans were private
        return path.read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def check(self) -> None:
        """:raises StorageError: when a directory cannot be made or written."""
        for root in (self.root, self.private_root):
            try:
                root.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StorageError(f"cannot create {root}: {error}") from None
            if not os.access(root, os.W_OK):
                raise StorageError(f"{root} is not writable")


class S3Storage:
    """Objects in one S3-compatible bucket (AWS, MinIO, R2, ...), through boto3.

    Public photos are read straight from the bucket's public address, or from
    ``S3_PUBLIC_BASE_URL`` (a CDN), and carry a year-long ``Cache-Control``. Scans are uploaded
    with ``Cache-Control: private, no-store`` and read only through presigned URLs; the bucket
    policy must let the public read ``photos/*`` only (see the README).
    """

    def __init__(self, bucket: str, *, endpoint_url: str | None = None, region: str | None = None,
                 access_key: str | None = None, secret_key: str | None = None,
                 public_base_url: str | None = None, presign_seconds: int = 300):
        import boto3
        from botocore.config import Config as BotoConfig

        if not bucket:
            raise StorageError("STORAGE_BACKEND=s3 needs S3_BUCKET")
        self.bucket = bucket
        self.presign_seconds = presign_seconds
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or None,
            aws_access_key_id=access_key or None, aws_secret_access_key=secret_key or None,
            config=BotoConfig(signature_version="s3v4", connect_timeout=5, read_timeout=30,
                              retries={"max_attempts": 3, "mode": "standard"}))
        base = public_base_url or f"{self.client.meta.endpoint_url.rstrip('/')}/{bucket}"
        self.public_base_url = base.rstrip("/") + "/"

    def save(self, key: str, data: bytes, content_type: str) -> None:
        cache = "private, no-store" if is_private(check_key(key)) else \
            f"public, max-age={PUBLIC_CACHE_SECONDS}, immutable"
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type,
                               CacheControl=cache)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def url(self, key: str) -> str:
        if is_private(key):
            raise PrivateFile(f"{key!r} is private: it has no public address")
        return self.public_base_url + check_key(key)

    def private_url(self, key: str) -> str:
        """Return a presigned GET valid for ``S3_PRESIGN_SECONDS`` (call only after an access check)."""
        return self.client.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": check_key(key),
                                  "ResponseCacheControl": "private, no-store"},
            ExpiresIn=self.presign_seconds)

    def open(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=check_key(key))["Body"].read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=check_key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def check(self) -> None:
        """Fail unless the bucket exists and these credentials reach it.

        :raises StorageError: naming the bucket and the reason.
        """
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            reason = "does not exist" if code in ("404", "NoSuchBucket", "NotFound") else \
                f"cannot be used ({code or error})"
            raise StorageError(f"S3 bucket {self.bucket!r} {reason} at "
                               f"{self.client.meta.endpoint_url}: create it or fix S3_BUCKET") \
                from None
        except BotoCoreError as error:
            raise StorageError(f"S3 storage at {self.client.meta.endpoint_url} cannot be "
                               f"reached: {error}") from None


def local_storage(config) -> LocalStorage:
    return LocalStorage(config["MEDIA_ROOT"], config.get("MEDIA_URL", "/media/"),
                        config.get("PRIVATE_MEDIA_ROOT"))


def s3_storage(config) -> S3Storage:
    return S3Storage(config.get("S3_BUCKET"), endpoint_url=config.get("S3_ENDPOINT_URL"),
                     region=config.get("AWS_REGION"), access_key=config.get("AWS_ACCESS_KEY_ID"),
                     secret_key=config.get("AWS_SECRET_ACCESS_KEY"),
                     public_base_url=config.get("S3_PUBLIC_BASE_URL"),
                     presign_seconds=int(config.get("S3_PRESIGN_SECONDS", 300)))


BACKENDS = {"local": local_storage, "s3": s3_storage}
_EXTENSION_KEY = "storefront.storage"


def build_storage(config, name: str | None = None) -> Storage:
    """Return a new storage of backend ``name`` (default: ``STORAGE_BACKEND``) for ``config``."""
    name = name or config.get("STORAGE_BACKEND", "local")
    try:
        factory = BACKENDS[name]
    except KeyError:
        raise StorageError(f"unknown STORAGE_BACKEND {name!r} (use one of: "
                           f"{', '.join(BACKENDS)})") from None
    return factory(config)


def init_app(app) -> None:
    """Build the app's storage once and check it; a missing bucket stops the start-up.

    :raises StorageError: with a message that says what to fix.
    """
    storage = build_storage(app.config)
    if app.config.get("STORAGE_BACKEND", "local") != "local":
        storage.check()
    app.extensions[_EXTENSION_KEY] = storage


def get_storage() -> Storage:
    """Return the app's storage (the one ``STORAGE_BACKEND`` names)."""
    if current_app.config.get("STORAGE_BACKEND", "local") == "local":
        return local_storage(current_app.config)  # cheap, and follows config changes
    storage = current_app.extensions.get(_EXTENSION_KEY)
    if storage is None:  # an app built without init_app
        storage = current_app.extensions[_EXTENSION_KEY] = build_storage(current_app.config)
    return storage


def storage_status() -> str:
    """Return "ok" when the storage answers, else a short reason (for /healthz)."""
    try:
        get_storage().check()
    except Exception as error:  # noqa: BLE001 — any failure means "down"
        log.warning("storage check failed: %s", error)
        return f"unavailable: {type(error).__name__}"
    return "ok"
