"""Real images (made with Pillow) and signed-in producers for the producer dashboard tests."""
import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.support.factories import ProducerFactory, ProducerUserFactory, ProductFactory

ORIENTATION = 0x0112
GPS_IFD = 0x8825


def encode(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def jpeg(size=(1600, 1000), orientation: int | None = None, gps: bool = False) -> bytes:
    """Return a JPEG, optionally with an EXIF orientation and a GPS position (Hanoi)."""
    exif = Image.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (21.0, 1.0, 42.0), 3: "E", 4: (105.0, 51.0, 1.0)})
    image = Image.new("RGB", size, (180, 90, 40))
    return encode(image, "JPEG", exif=exif.tobytes(), quality=85)


def png(size=(800, 600), mode="RGB") -> bytes:
    return encode(Image.new(mode, size), "PNG")


def png_claiming(width: int, height: int) -> bytes:
    """Return a tiny PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""
    data = png((8, 8))
    chunk = b"IHDR" + struct.pack(">II", width, height) + data[24:29]
    return data[:12] + chunk + struct.pack(">I", zlib.crc32(chunk)) + data[33:]


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300"><rect width="400" height="300"/></svg>'


def bad_uploads() -> dict[str, tuple[bytes, str]]:
    """Return each kind of upload the shop refuses, with the message it should show (a part of it)."""
    good = jpeg()
    return {
        "renamed PDF": (PDF, "không phải ảnh"),
        "SVG": (SVG, "không phải ảnh"),
        "GIF": (encode(Image.new("P", (40, 40)), "GIF"), "không phải ảnh"),
        "truncated JPEG": (good[: len(good) // 2], "bị hỏng"),
        "20000×20000 PNG header": (png_claiming(20000, 20000), "quá nhiều điểm ảnh"),
        "81 Mpx bilevel PNG": (encode(Image.new("1", (9000, 9000)), "PNG"), "quá nhiều điểm ảnh"),
        "over 10 MB": (b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024), "quá lớn"),
        "empty file": (b"", "trống"),
    }


def stored_files(app) -> list[Path]:
    """Return every stored file: public ones under MEDIA_ROOT, scans under PRIVATE_MEDIA_ROOT."""
    roots = [Path(app.config["MEDIA_ROOT"]), Path(app.config["PRIVATE_MEDIA_ROOT"])]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def upload(data: bytes, name: str = "photo.jpg", **fields) -> dict:
    """Return form data carrying ``data`` as the file field ``photo`` (or the one named in fields)."""
    field = fields.pop("field", "photo")
    return {field: (io.BytesIO(data), name), **fields}


@pytest.fixture
def producer_user(db):
    """A producer account whose producer is verified."""
    return ProducerUserFactory(producer=ProducerFactory(status="verified"))


@pytest.fixture
def signed_in(client, login, producer_user):
    """The test client, signed in as ``producer_user``."""
    login(producer_user)
    return client


@pytest.fixture
def own_product(producer_user):
    """A published, certified product of ``producer_user``'s producer."""
    return ProductFactory(producer=producer_user.producer)
