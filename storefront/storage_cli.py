"""``flask storage ...``: copy local files to the bucket, and make photos public there."""
import json
import mimetypes
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .storage import StorageError, build_storage, check_key

storage_cli = AppGroup("storage", help="Uploaded photos and certificate scans.")


def local_files(config) -> list[tuple[str, Path]]:
    """Return (key, path) for every stored file on local disk, public and private."""
    found: dict[str, Path] = {}
    for root in (Path(config["MEDIA_ROOT"]), Path(config["PRIVATE_MEDIA_ROOT"])):
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            key = path.relative_to(root).as_posix()
            if path.is_file() and not key.endswith(".part") and _safe(key):
                found.setdefault(key, path)  # a scan in the private root wins over an old copy
    return sorted(found.items())


def _safe(key: str) -> bool:
    try:
        check_key(key)
    except ValueError:
        return False
    return True


def migrate_files(config, target) -> tuple[int, int]:
    """Copy each local file that ``target`` lacks; return (copied, already there)."""
    copied = present = 0
    for key, path in local_files(config):
        if target.exists(key):
            present += 1
            continue
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        target.save(key, path.read_bytes(), content_type)
        copied += 1
    return copied, present


@storage_cli.command("migrate")
@click.option("--to", "backend", type=click.Choice(["s3"]), required=True,
              help="Where to copy the local files.")
def migrate_command(backend: str) -> None:
    """Copy local photos and scans to the bucket; files already there are left alone."""
    try:
        target = build_storage(current_app.config, backend)
        target.check()
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    copied, present = migrate_files(current_app.config, target)
    click.echo(f"copied: {copied}, already there: {present}")
    if current_app.config.get("STORAGE_BACKEND") != backend:
        click.echo(f"Now set STORAGE_BACKEND={backend} and restart the web and worker processes.")


def public_photos_policy(bucket: str) -> dict:
    """Return a bucket policy letting anyone read photos, and nothing else."""
    return {"Version": "2012-10-17", "Statement": [{
        "Sid": "PublicPhotos", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/photos/*"}]}


@storage_cli.command("public-photos")
def public_photos_command() -> None:
    """Set the bucket policy: photos/* readable by anyone; scans stay private."""
    try:
        storage = build_storage(current_app.config, "s3")
        storage.check()
    except StorageError as error:
        raise click.ClickException(str(error)) from error
    policy = public_photos_policy(storage.bucket)
    storage.client.put_bucket_policy(Bucket=storage.bucket, Policy=json.dumps(policy))
    click.echo(f"Bucket {storage.bucket}: photos/* public, everything else private.")


def register(app) -> None:
    app.cli.add_command(storage_cli)


