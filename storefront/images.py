"""Turn an uploaded photo into safe WebP renditions, refusing anything that is not a plain image.

Only JPEG, PNG and WebP are opened. The pixel count is checked from the header before any
decoding, truncated files are caught by a full decode, and the renditions are re-encoded
without EXIF or XMP so no camera or GPS data ever leaves the server.
"""
import io
import warnings
from dataclasses import dataclass

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ("JPEG", "PNG", "WEBP")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
SMALL_WIDTH = 400
LARGE_WIDTH = 1200
SCAN_WIDTH = 2000
MAX_ASPECT = 2  # a rendition is at most twice as tall as it is wide
WEBP_QUALITY = 82


class ImageRejected(ValueError):
    """The upload is not an image the shop accepts; ``message`` says why, for the person."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotAnImage(ImageRejected):
    """The upload is not JPEG, PNG or WebP at all (a PDF, SVG, GIF, or anything else)."""


@dataclass(frozen=True)
class Renditions:
    small: bytes
    large: bytes
    width: int  # of the large rendition, after rotation
    height: int


def _setting(name: str, default: int) -> int:
    return current_app.config.get(name, default) if has_app_context() else default


def check_size(data: bytes) -> None:
    """Refuse an empty upload or one over ``PHOTO_MAX_BYTES``.

    :raises ImageRejected:
    """
    if not data:
        raise ImageRejected(_l("Tệp trống. Hãy chọn một ảnh."))
    limit = _setting("PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES)
    if len(data) > limit:
        raise ImageRejected(_l("Tệp quá lớn: tối đa %(mb)d MB.", mb=limit // (1024 * 1024)))


def _too_many_pixels() -> ImageRejected:
    megapixels = _setting("PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS) // 1_000_000
    return ImageRejected(
        _l("Ảnh có quá nhiều điểm ảnh: tối đa %(mp)d megapixel. Hãy gửi ảnh nhỏ hơn.", mp=megapixels)
    )


def _open(data: bytes) -> Image.Image:
    """Open ``data`` as one of ``FORMATS`` and check its pixel count before decoding."""
    image = Image.open(io.BytesIO(data), formats=FORMATS)
    width, height = image.size
    if width < 1 or height < 1 or width * height > _setting("PHOTO_MAX_PIXELS", DEFAULT_MAX_PIXELS):
        image.close()
        raise _too_many_pixels()
    return image


def open_image(data: bytes) -> Image.Image:
    """Return the upload decoded, upright, in RGB or RGBA.

    :raises ImageRejected: empty, too large, not JPEG/PNG/WebP, too many pixels or truncated.
    """
    check_size(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with _open(data) as probe:
                probe.verify()
            image = _open(data)
            image.load()
        except UnidentifiedImageError as exc:
            raise NotAnImage(_l("Tệp không phải ảnh JPEG, PNG hoặc WebP.")) from exc
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise _too_many_pixels() from exc
        except ImageRejected:
            raise
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise ImageRejected(_l("Ảnh bị hỏng hoặc không đầy đủ.")) from exc
    return _upright_rgb(image)


def _upright_rgb(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation and convert to RGB, or RGBA when the image has transparency."""
    try:
        upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError) as exc:  # garbled EXIF block
        raise ImageRejected(_l("Ảnh bị hỏng hoặc không đầy đủ.")) from exc
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    if upright.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        upright = upright.point(lambda value: value / 256).convert("L")
    return upright.convert("RGBA" if has_alpha else "RGB")


def _fit(image: Image.Image, width: int) -> Image.Image:
    """Scale ``image`` down to ``width`` (and at most ``MAX_ASPECT`` × that tall), never up."""
    scale = min(1.0, width / image.width, width * MAX_ASPECT / image.height)
    if scale >= 1.0:
        return image.copy()
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _webp(image: Image.Image) -> bytes:
    """Encode ``image`` as WebP; no ``exif``/``xmp`` is passed, so none is written."""
    out = io.BytesIO()
    image.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


def make_renditions(data: bytes) -> Renditions:
    """Return the ~400 px and ~1200 px wide WebP renditions of an uploaded photo.

    :raises ImageRejected: see ``open_image``.
    """
    with open_image(data) as image:
        large = _fit(image, LARGE_WIDTH)
        small = _fit(image, SMALL_WIDTH)
    return Renditions(small=_webp(small), large=_webp(large), width=large.width, height=large.height)


def make_scan(data: bytes) -> bytes:
    """Return a certificate scan re-encoded as WebP, wide enough to read (metadata dropped).

    :raises ImageRejected: see ``open_image``.
    """
    with open_image(data) as image:
        return _webp(_fit(image, SCAN_WIDTH))
