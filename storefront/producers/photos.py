"""Product photos: upload as WebP renditions, alt text, order, removal.

Stored files and rows must agree: files are written before the row is committed and
deleted again if the commit fails; a removed photo's files go only after its row is gone.
"""
import logging

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..catalog.models import Photo, Product
from ..unit_of_work import on_commit, transaction
from ..extensions import db
from ..images import make_renditions
from ..storage import Storage, get_storage, new_key
from .errors import TooManyPhotos

log = logging.getLogger(__name__)
DEFAULT_LIMIT = 8


def photo_limit() -> int:
    return current_app.config.get("PHOTOS_PER_PRODUCT", DEFAULT_LIMIT)


def _photo_count(product: Product) -> int:
    return db.session.scalar(select(func.count(Photo.id)).where(Photo.product_id == product.id))


def _check_room(product: Product) -> None:
    if _photo_count(product) >= photo_limit():
        raise TooManyPhotos(_("Mỗi sản phẩm có tối đa %(n)d ảnh. Hãy xoá bớt một ảnh trước.",
                              n=photo_limit()))


def _store_renditions(data: bytes, storage: Storage):
    """Write both renditions under fresh keys; return (renditions, small_key, large_key)."""
    renditions = make_renditions(data)
    stem = new_key("photos", "")
    small_key, large_key = f"{stem}-400.webp", f"{stem}-1200.webp"
    storage.save(small_key, renditions.small, "image/webp")
    try:
        storage.save(large_key, renditions.large, "image/webp")
    except Exception:
        _delete_files(storage, small_key)
        raise
    return renditions, small_key, large_key


def add_photo(product: Product, data: bytes, alt_vi: str, alt_en: str | None = None, *,
              storage: Storage | None = None) -> Photo:
    """Add a photo at the end of the product's photos.

    :raises TooManyPhotos: when the product already has ``PHOTOS_PER_PRODUCT`` photos.
    :raises ImageRejected: when ``data`` is not an acceptable image; nothing is stored then.
    """
    storage = storage or get_storage()
    _check_room(product)  # fail fast, before the costly decode
    renditions, small_key, large_key = _store_renditions(data, storage)
    try:
        with transaction():
            # Lock the product so two uploads at once cannot both take the last free place.
            db.session.execute(select(Product.id).where(Product.id == product.id).with_for_update())
            _check_room(product)
            last = db.session.scalar(select(func.max(Photo.position)).where(Photo.product_id == product.id))
            photo = Photo(product=product, position=(last + 1) if last is not None else 0,
                          alt_vi=alt_vi.strip(), alt_en=(alt_en or "").strip() or None,
                          small_key=small_key, large_key=large_key,
                          width=renditions.width, height=renditions.height)
            db.session.add(photo)
    except BaseException:
        _delete_files(storage, small_key, large_key)
        raise
    return photo


def photo_of(product: Product, photo_id: int) -> Photo:
    """Return the product's photo ``photo_id``; another product's photo is simply not found."""
    return db.first_or_404(select(Photo).where(Photo.id == photo_id, Photo.product_id == product.id))


def update_alt(photo: Photo, alt_vi: str, alt_en: str | None) -> None:
    """Change a photo's alt text."""
    with transaction():
        photo.alt_vi = alt_vi.strip()
        photo.alt_en = (alt_en or "").strip() or None


def _ordered(product: Product) -> list[Photo]:
    return list(db.session.scalars(
        select(Photo).where(Photo.product_id == product.id).order_by(Photo.position, Photo.id)
    ))


def move_photo(photo: Photo, step: int) -> None:
    """Swap a photo with its neighbour (``step`` -1: earlier, +1: later); at an end, do nothing."""
    with transaction():
        photos = _ordered(photo.product)
        index = photos.index(photo)
        other = index + step
        if 0 <= other < len(photos):
            photos[index], photos[other] = photos[other], photos[index]
        for position, each in enumerate(photos):
            each.position = position


def delete_photo(photo: Photo, *, storage: Storage | None = None) -> None:
    """Remove a photo; its stored files are deleted once the removal has committed."""
    storage = storage or get_storage()
    keys = (photo.small_key, photo.large_key)
    product = photo.product
    with transaction():
        db.session.delete(photo)
        db.session.flush()
        for position, each in enumerate(_ordered(product)):
            each.position = position
        on_commit(lambda: _delete_files(storage, *keys))


def _delete_files(storage: Storage, *keys: str) -> None:
    """Delete stored files, logging (not raising) failures: a stray file harms no one."""
    for key in keys:
        try:
            storage.delete(key)
        except Exception:  # noqa: BLE001 — see docstring
            log.exception("could not delete stored file %s", key)
