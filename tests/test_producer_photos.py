"""Producers upload, describe, reorder and delete product photos; stored files follow the rows."""
import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from storefront.catalog.models import Photo
from storefront.images import ImageRejected
from storefront.producers import services
from storefront.storage import get_storage
from tests.support.producer_support import (  # noqa: F401  (fixtures)
    bad_uploads, jpeg, own_product, png, producer_user, signed_in, stored_files, upload,
)

BAD = bad_uploads()


def photo_count(db) -> int:
    return db.session.scalar(select(func.count(Photo.id)))


def photos_url(product) -> str:
    return f"/producer/products/{product.id}/photos"


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_upload_shows_an_error_and_stores_nothing(signed_in, db, app, own_product, kind):
    data, expected = BAD[kind]
    response = signed_in.post(photos_url(own_product), data=upload(data, "anh.jpg", alt_vi="Bình gốm"),
                              content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert expected in page.lower() and "invalid-feedback" in page
    assert photo_count(db) == 0
    assert stored_files(app) == []


def test_good_upload_is_stored_as_two_upright_webp_renditions_without_gps(signed_in, db, app, own_product):
    response = signed_in.post(photos_url(own_product), content_type="multipart/form-data",
                              data=upload(jpeg((1600, 1000), orientation=6, gps=True), "IMG_0001.JPG",
                                          alt_vi="Bình gốm men lam", alt_en="Blue-glaze vase"))
    assert response.status_code == 302
    photo = db.session.scalars(select(Photo)).one()
    assert (photo.alt_vi, photo.alt_en, photo.width, photo.height) == (
        "Bình gốm men lam", "Blue-glaze vase", 1000, 1600)
    assert photo.small_key.startswith("photos/") and photo.small_key.endswith("-400.webp")
    assert photo.large_key.endswith("-1200.webp") and "IMG_0001" not in photo.large_key
    assert len(stored_files(app)) == 2
    for key, size in ((photo.small_key, (400, 640)), (photo.large_key, (1000, 1600))):
        image = Image.open(io.BytesIO(get_storage().open(key)))
        assert (image.format, image.size) == ("WEBP", size)
        assert not image.getexif() and "exif" not in image.info
    page = signed_in.get(photos_url(own_product)).get_data(as_text=True)
    assert f'src="/media/{photo.small_key}"' in page


def test_alt_text_is_required_on_upload(signed_in, db, app, own_product):
    page = signed_in.post(photos_url(own_product), data=upload(jpeg(), alt_vi="  "),
                          content_type="multipart/form-data").get_data(as_text=True)
    assert "Hãy mô tả ngắn nội dung ảnh" in page
    assert photo_count(db) == 0 and stored_files(app) == []


def test_ninth_photo_is_refused(signed_in, db, app, own_product):
    for n in range(8):
        services.add_photo(own_product, png((60 + n, 40)), f"Ảnh {n}")
    page = signed_in.post(photos_url(own_product), data=upload(png(), alt_vi="Ảnh 9"),
                          content_type="multipart/form-data").get_data(as_text=True)
    assert "tối đa 8 ảnh" in page
    assert photo_count(db) == 8
    assert len(stored_files(app)) == 16
    with pytest.raises(services.TooManyPhotos):
        services.add_photo(own_product, png(), "Ảnh 9")


def test_failed_commit_removes_the_files_it_stored(db, app, own_product):
    own_product.name_vi = None  # makes the commit fail (NOT NULL)
    with pytest.raises(Exception):
        services.add_photo(own_product, png(), "Ảnh")
    db.session.rollback()
    assert stored_files(app) == []


def test_rejected_image_leaves_no_file_behind_in_the_service(db, app, own_product):
    with pytest.raises(ImageRejected):
        services.add_photo(own_product, BAD["truncated JPEG"][0], "Ảnh")
    assert stored_files(app) == [] and photo_count(db) == 0


def test_move_up_and_down_swap_neighbours(signed_in, db, own_product):
    first, second, third = (services.add_photo(own_product, png((50 + n, 40)), f"Ảnh {n}") for n in range(3))
    signed_in.post(f"{photos_url(own_product)}/{third.id}/up")
    db.session.expire_all()
    assert [p.id for p in own_product.photos] == [first.id, third.id, second.id]
    signed_in.post(f"{photos_url(own_product)}/{first.id}/down")
    db.session.expire_all()
    assert [p.id for p in own_product.photos] == [third.id, first.id, second.id]
    signed_in.post(f"{photos_url(own_product)}/{third.id}/up")  # already first: nothing moves
    db.session.expire_all()
    assert [p.id for p in own_product.photos] == [third.id, first.id, second.id]


def test_delete_removes_the_row_and_both_files(signed_in, db, app, own_product):
    keep = services.add_photo(own_product, png((80, 60)), "Giữ lại")
    gone = services.add_photo(own_product, png((90, 60)), "Xoá đi")
    gone_id, gone_keys = gone.id, {gone.small_key, gone.large_key}
    signed_in.post(f"{photos_url(own_product)}/{gone_id}/delete")
    db.session.expire_all()
    assert [p.id for p in own_product.photos] == [keep.id]
    remaining = {str(p.relative_to(app.config["MEDIA_ROOT"])) for p in stored_files(app)}
    assert remaining == {keep.small_key, keep.large_key}
    assert not remaining & gone_keys


def test_alt_text_can_be_edited_but_not_emptied(signed_in, db, own_product):
    photo = services.add_photo(own_product, png(), "Cũ")
    prefix = f"photo{photo.id}-"
    url = f"{photos_url(own_product)}/{photo.id}/alt"
    signed_in.post(url, data={f"{prefix}alt_vi": "Bình gốm trên kệ", f"{prefix}alt_en": "Vase on a shelf"})
    db.session.refresh(photo)
    assert (photo.alt_vi, photo.alt_en) == ("Bình gốm trên kệ", "Vase on a shelf")

    page = signed_in.post(url, data={f"{prefix}alt_vi": "", f"{prefix}alt_en": "x"},
                          follow_redirects=True).get_data(as_text=True)
    db.session.refresh(photo)
    assert photo.alt_vi == "Bình gốm trên kệ"
    assert "Hãy mô tả ngắn nội dung ảnh" in page


def test_upload_field_accepts_only_jpeg_png_and_webp(signed_in, own_product):
    page = signed_in.get(photos_url(own_product)).get_data(as_text=True)
    assert 'accept="image/jpeg,image/png,image/webp"' in page
