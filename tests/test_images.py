"""Uploaded photos become upright, metadata-free WebP renditions; anything else is refused."""
import io
import warnings

import pytest
from PIL import Image

from storefront.images import ImageRejected, NotAnImage, make_renditions, make_scan
from storefront.storage import LocalStorage, check_key, get_storage, new_key
from tests.support.producer_support import GPS_IFD, bad_uploads, encode, jpeg, png

BAD = bad_uploads()


def opened(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize("kind", list(BAD))
def test_unacceptable_upload_is_refused_with_a_message_for_people(app, kind):
    data, expected = BAD[kind]
    with pytest.raises(ImageRejected) as caught:
        make_renditions(data)
    assert expected in str(caught.value.message).lower()


def test_pdf_svg_and_gif_are_refused_as_not_images(app):
    for kind in ("renamed PDF", "SVG", "GIF"):
        with pytest.raises(NotAnImage):
            make_renditions(BAD[kind][0])


def test_pillow_bomb_warning_becomes_a_refusal_and_the_global_cap_is_untouched(app):
    cap = Image.MAX_IMAGE_PIXELS
    between_warning_and_error = encode(Image.new("1", (10000, 10000)), "PNG")  # 100 Mpx
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning may escape either
        with pytest.raises(ImageRejected):
            make_renditions(between_warning_and_error)
    assert Image.MAX_IMAGE_PIXELS == cap


def test_pixel_cap_follows_configuration(make_app):
    app = make_app(PHOTO_MAX_PIXELS=500 * 400)
    with app.app_context():
        assert make_renditions(png((500, 400))).width == 500
        with pytest.raises(ImageRejected):
            make_renditions(png((501, 400)))


def test_photo_with_exif_rotation_and_gps_becomes_upright_webp_without_metadata(app):
    source = jpeg((1600, 1000), orientation=6, gps=True)
    assert opened(source).getexif().get_ifd(GPS_IFD)  # the upload really carries a position

    renditions = make_renditions(source)

    assert (renditions.width, renditions.height) == (1000, 1600)  # portrait after rotation
    small, large = opened(renditions.small), opened(renditions.large)
    assert small.format == large.format == "WEBP"
    assert large.size == (1000, 1600)  # narrower than 1200: never upscaled
    assert small.size == (400, 640)
    for image in (small, large):
        assert not image.getexif()
        assert "exif" not in image.info and "xmp" not in image.info


def test_wide_photo_is_scaled_to_about_400_and_1200_pixels_wide(app):
    renditions = make_renditions(jpeg((4000, 3000)))
    assert opened(renditions.large).size == (1200, 900)
    assert opened(renditions.small).size == (400, 300)
    assert (renditions.width, renditions.height) == (1200, 900)


def test_small_photo_is_never_upscaled(app):
    renditions = make_renditions(png((300, 200)))
    assert opened(renditions.small).size == (300, 200)
    assert opened(renditions.large).size == (300, 200)


def test_transparent_png_and_webp_keep_their_alpha(app):
    transparent = encode(Image.new("RGBA", (500, 500), (10, 20, 30, 0)), "PNG")
    assert opened(make_renditions(transparent).large).mode == "RGBA"
    webp = encode(Image.new("RGB", (500, 500), "green"), "WEBP")
    assert opened(make_renditions(webp).small).mode == "RGB"


def test_certificate_scan_image_is_reencoded_without_metadata(app):
    scan = opened(make_scan(jpeg((2400, 3400), gps=True)))
    assert scan.format == "WEBP" and scan.width == 2000 and not scan.getexif()


def test_local_storage_saves_serves_and_deletes_under_server_made_keys(app, client):
    storage = get_storage()
    assert isinstance(storage, LocalStorage)
    key = new_key("photos", "-400.webp")
    assert check_key(key) == key and len(key.split("/")[1]) == 32 + len("-400.webp")

    storage.save(key, b"RIFF-bytes", "image/webp")
    assert storage.open(key) == b"RIFF-bytes"
    assert client.get(storage.url(key)).data == b"RIFF-bytes"
    storage.delete(key)
    assert client.get(storage.url(key)).status_code == 404
    storage.delete(key)  # deleting twice is harmless


@pytest.mark.parametrize("key", ["../secret", "/etc/passwd", "photos/../../x", "photos/a b.webp", ""])
def test_storage_refuses_keys_that_could_leave_its_root(app, key):
    with pytest.raises(ValueError):
        get_storage().save(key, b"x", "text/plain")
