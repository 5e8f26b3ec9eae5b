"""Producers create, edit, publish and archive their products, and see why each is listed or not."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from storefront.catalog.models import Product
from storefront.producers import services
from storefront.timeutil import local_today
from tests.support.factories import (
    CertificateFactory, OutletFactory, ProducerFactory, ProducerUserFactory, ProductFactory,
)
from tests.support.producer_support import own_product, producer_user, signed_in  # noqa: F401  (fixtures)


def form(**overrides) -> dict:
    values = {"name_vi": "Bình gốm men lam", "description_vi": "Gốm Bát Tràng vẽ tay",
              "group": "handicrafts", "unit_vi": "chiếc", "price": "450000", "stock": "12"}
    values.update(overrides)
    return values


def only_product(db) -> Product:
    return db.session.scalars(select(Product)).one()


def test_new_product_is_a_draft_with_slug_search_text_and_outlets(signed_in, db, producer_user):
    outlet = OutletFactory()
    response = signed_in.post("/producer/products/new", data=form(outlets=[str(outlet.id)],
                                                                  name_en="Blue-glaze vase"))
    product = only_product(db)
    assert response.status_code == 302
    assert (product.status, product.slug, product.price, product.stock) == ("draft", "binh-gom-men-lam", 450000, 12)
    assert product.producer_id == producer_user.producer_id
    assert product.outlets == [outlet]
    assert "binh gom men lam" in product.search_text and "blue glaze vase" in product.search_text


@pytest.mark.parametrize("typed, price", [
    ("450000", 450000), ("450.000", 450000), ("450,000", 450000), ("450 000", 450000),
    ("450k", 450000), ("450K", 450000), ("450.000 đ", 450000), ("450.000₫", 450000),
    ("1,2tr", 1_200_000), ("1.2 triệu", 1_200_000), ("1tr2", 1_200_000), ("1.234.567", 1_234_567),
    ("450.000,00", 450000),
])
def test_price_is_read_as_vietnamese_people_type_it(signed_in, db, typed, price):
    response = signed_in.post("/producer/products/new", data=form(price=typed))
    assert response.status_code == 302
    assert only_product(db).price == price


@pytest.mark.parametrize("price, message", [
    ("150000.5", "Không đọc được giá này"),
    ("450.5", "Không đọc được giá này"),
    ("450.00", "Không đọc được giá này"),
    ("1.2.3", "Không đọc được giá này"),
    ("1e5", "Không đọc được giá này"),
    ("nhiều", "Không đọc được giá này"),
    ("-5", "Không đọc được giá này"),
    ("0", "Giá phải từ 1 đến 1.000.000.000 đồng"),
    ("1000000001", "Giá phải từ 1 đến 1.000.000.000 đồng"),
    ("1.000.000.001", "Giá phải từ 1 đến 1.000.000.000 đồng"),
    ("", "Hãy nhập giá"),
])
def test_price_must_be_whole_dong_in_range(signed_in, db, price, message):
    response = signed_in.post("/producer/products/new", data=form(price=price))
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="Bình gốm men lam"' in page  # what was typed comes back
    assert f'value="{price}"' in page or not price
    assert db.session.scalars(select(Product)).first() is None


@pytest.mark.parametrize("stock", ["-1", "100001", "3.5", "nhiều"])
def test_stock_must_be_a_whole_number_up_to_100000(signed_in, db, stock):
    page = signed_in.post("/producer/products/new", data=form(stock=stock)).get_data(as_text=True)
    assert "Số lượng" in page and "invalid-feedback" in page
    assert db.session.scalars(select(Product)).first() is None


def test_name_unit_and_known_group_are_required(signed_in, db):
    page = signed_in.post("/producer/products/new",
                          data=form(name_vi="  ", unit_vi="", group="weapons")).get_data(as_text=True)
    assert "Hãy nhập tên sản phẩm." in page
    assert "Hãy nhập đơn vị bán." in page
    assert "Hãy chọn một nhóm sản phẩm trong danh sách." in page
    assert db.session.scalars(select(Product)).first() is None


def test_same_name_gets_a_numbered_slug_that_survives_renaming(signed_in, db):
    for _ in range(3):
        signed_in.post("/producer/products/new", data=form())
    slugs = sorted(db.session.scalars(select(Product.slug)))
    assert slugs == ["binh-gom-men-lam", "binh-gom-men-lam-2", "binh-gom-men-lam-3"]

    product = db.session.scalars(select(Product).where(Product.slug == "binh-gom-men-lam-2")).one()
    signed_in.post(f"/producer/products/{product.id}/edit", data=form(name_vi="Lọ hoa gốm", price="99000"))
    db.session.refresh(product)
    assert (product.name_vi, product.price, product.slug) == ("Lọ hoa gốm", 99000, "binh-gom-men-lam-2")
    assert "lo hoa gom" in product.search_text


def test_edit_form_shows_the_product_and_its_outlets(signed_in, own_product):
    outlet = OutletFactory(name="Khu tinh hoa làng nghề Việt")
    own_product.outlets.append(outlet)
    services.db.session.commit()
    page = signed_in.get(f"/producer/products/{own_product.id}/edit").get_data(as_text=True)
    assert f'value="{own_product.name_vi}"' in page
    assert re.search(rf'<input checked[^>]*type="checkbox" value="{outlet.id}"', page)


def test_outlet_choices_exclude_inactive_outlets(signed_in):
    active, inactive = OutletFactory(name="Điểm Bát Tràng"), OutletFactory(name="Điểm đã đóng", active=False)
    page = signed_in.get("/producer/products/new").get_data(as_text=True)
    assert active.name in page and inactive.name not in page


def test_forged_inactive_outlet_is_refused_and_nothing_saved(signed_in, db):
    inactive = OutletFactory(active=False)
    page = signed_in.post("/producer/products/new",
                          data=form(outlets=[str(inactive.id)])).get_data(as_text=True)
    assert "Điểm bán đã chọn không còn hoạt động" in page
    assert db.session.scalars(select(Product)).first() is None


def test_service_refuses_inactive_outlet_even_without_the_form(db, producer_user):
    inactive = OutletFactory(active=False)
    details = services.ProductDetails(name_vi="Chè", group="beverages", unit_vi="gói", price=1, stock=1,
                                      outlet_ids=[inactive.id])
    with pytest.raises(services.InactiveOutlet):
        services.create_product(producer_user.producer, details)
    assert db.session.scalars(select(Product)).first() is None


def test_publish_unpublish_archive_and_restore(signed_in, db, own_product):
    own_product.status = "draft"
    db.session.commit()
    base = f"/producer/products/{own_product.id}"
    for action, status in [("publish", "published"), ("unpublish", "draft"), ("publish", "published"),
                           ("archive", "archived"), ("restore", "draft")]:
        signed_in.post(f"{base}/{action}")
        db.session.refresh(own_product)
        assert own_product.status == status, action


def test_archived_product_cannot_be_published_directly(signed_in, db, own_product):
    own_product.status = "archived"
    db.session.commit()
    page = signed_in.post(f"/producer/products/{own_product.id}/publish", follow_redirects=True)
    db.session.refresh(own_product)
    assert own_product.status == "archived"
    assert "Không thể thực hiện thao tác này" in page.get_data(as_text=True)


def test_status_changes_only_by_post(signed_in, own_product):
    assert signed_in.get(f"/producer/products/{own_product.id}/archive").status_code == 405


def test_dashboard_says_why_a_product_is_not_listed(signed_in, db, producer_user):
    producer = producer_user.producer
    ProductFactory(producer=producer, name_vi="Listed one")
    ProductFactory(producer=producer, name_vi="Draft one", status="draft")
    pending = ProductFactory(producer=producer, name_vi="Pending cert", certified=False)
    CertificateFactory(product=pending, status="pending")
    expired = ProductFactory(producer=producer, name_vi="Expired cert", certified=False)
    CertificateFactory(product=expired, decision_date=local_today() - dt.timedelta(days=1200))

    page = signed_in.get("/producer/").get_data(as_text=True)
    row = {name: page[page.index(name):][:2500] for name in
           ("Listed one", "Draft one", "Pending cert", "Expired cert")}
    assert "Đang bán: khách đang thấy" in row["Listed one"]
    assert "Bản nháp: khách chưa thấy" in row["Draft one"]
    assert "Chứng nhận OCOP đang chờ duyệt" in row["Pending cert"]
    assert "Chứng nhận OCOP đã hết hạn" in row["Expired cert"]


def test_pending_producer_is_told_and_can_still_prepare_products(client, login, db):
    user = ProducerUserFactory(producer=ProducerFactory(status="pending"))
    login(user)
    page = client.get("/producer/").get_data(as_text=True)
    assert "đang chờ quản trị viên xác minh" in page
    client.post("/producer/products/new", data=form())
    product = only_product(db)
    client.post(f"/producer/products/{product.id}/publish")
    page = client.get("/producer/").get_data(as_text=True)
    assert "Cơ sở sản xuất chưa được xác minh" in page


def test_rejected_producer_sees_the_admins_reason(client, login):
    user = ProducerUserFactory(producer=ProducerFactory(status="rejected",
                                                        review_note="Thiếu giấy đăng ký kinh doanh"))
    login(user)
    page = client.get("/producer/").get_data(as_text=True)
    assert "bị từ chối" in page and "Thiếu giấy đăng ký kinh doanh" in page


@pytest.mark.parametrize("days_left, warned", [(89, True), (90, True), (91, False)])
def test_certificate_expiring_within_90_days_is_flagged_with_its_date(
        signed_in, db, producer_user, days_left, warned):
    product = ProductFactory(producer=producer_user.producer, name_vi="Lụa Vạn Phúc", certified=False)
    expires_on = local_today() + dt.timedelta(days=days_left)
    CertificateFactory(product=product, decision_date=expires_on - dt.timedelta(days=1000),
                       expires_on=expires_on)
    page = signed_in.get("/producer/").get_data(as_text=True)
    assert ("Cần gia hạn chứng nhận OCOP" in page) is warned
    assert (f"còn {days_left} ngày" in page) is warned


def test_one_renewal_notice_per_certificate_with_one_date(signed_in, db, producer_user):
    product = ProductFactory(producer=producer_user.producer, certified=False)
    expires_on = local_today() + dt.timedelta(days=30)
    CertificateFactory(product=product, decision_date=expires_on - dt.timedelta(days=1000),
                       expires_on=expires_on)
    with signed_in.application.test_request_context():
        from storefront.i18n import format_day
        last_day, first_day_gone = format_day(expires_on - dt.timedelta(days=1)), format_day(expires_on)
    page = signed_in.get("/producer/").get_data(as_text=True)
    assert page.count("Cần gia hạn chứng nhận OCOP") == 1
    assert last_day in page and first_day_gone not in page  # "valid to the end of", one day everywhere


@pytest.mark.parametrize("status, shown, not_shown", [
    ("published", "Đang bán: khách đang thấy", "khách chưa thấy"),
    ("draft", "Bản nháp: khách chưa thấy", "Đang bán"),
    ("archived", "Đã lưu trữ: khách không thấy", "Đang bán"),
])
def test_each_product_has_one_status_that_says_what_shoppers_see(
        signed_in, db, producer_user, status, shown, not_shown):
    ProductFactory(producer=producer_user.producer, name_vi="Nón lá", status=status)
    page = signed_in.get("/producer/").get_data(as_text=True)
    card = page[page.index("Nón lá"):]
    assert shown in card and not_shown not in card


def test_a_product_on_sale_the_shop_cannot_show_says_so_in_one_status(signed_in, db, producer_user):
    product = ProductFactory(producer=producer_user.producer, name_vi="Nón lá", certified=False)
    CertificateFactory(product=product, status="pending")
    page = signed_in.get("/producer/").get_data(as_text=True)
    card = page[page.index("Nón lá"):]
    assert "Đã đăng bán, nhưng khách chưa thấy" in card and "Chứng nhận OCOP đang chờ duyệt" in card
    assert "Đang bán:" not in card and ">Đang bán<" not in card


def test_archiving_asks_first_without_a_script(signed_in, db, own_product):
    page = signed_in.get("/producer/").get_data(as_text=True)
    action = f'action="/producer/products/{own_product.id}/archive"'
    question = page[page.index('<details class="confirm-step'):]
    question = question[:question.index("</details>")]
    assert action in question and "Lưu trữ “" in question  # the form only inside the question
    assert page.count(action) == 1


def test_only_producers_reach_the_dashboard(client, login):
    from tests.support.factories import UserFactory

    assert client.get("/producer/").status_code == 302  # to sign in
    login(UserFactory())
    assert client.get("/producer/").status_code == 403


def test_status_buttons_carry_a_csrf_token_that_is_checked(make_app, db):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = ProducerUserFactory()
    product_id = ProductFactory(producer=user.producer, status="draft").id
    # Requests run outside any app context of ``app`` so each gets a fresh ``g`` (and CSRF token).
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/auth/login", data={"email": user.email, "password": "correct horse battery staple",
                                     "csrf_token": token})
    page = client.get("/producer/").get_data(as_text=True)
    button = re.search(rf'action="/producer/products/{product_id}/publish"[^>]*>\s*'
                       r'<input type="hidden" name="csrf_token" value="([^"]+)"', page)

    assert client.post(f"/producer/products/{product_id}/publish").status_code == 400
    db.session.expire_all()
    assert db.session.get(Product, product_id).status == "draft"
    client.post(f"/producer/products/{product_id}/publish", data={"csrf_token": button.group(1)})
    db.session.expire_all()
    assert db.session.get(Product, product_id).status == "published"


def test_the_first_listing_is_guided_from_details_to_photos_to_certificate(signed_in, db):
    new = signed_in.get("/producer/products/new").get_data(as_text=True)
    assert 'aria-current="step"' in new and "Bước 1/4" in new

    response = signed_in.post("/producer/products/new", data=form(outlets=[str(OutletFactory().id)]))
    product = only_product(db)
    assert response.location.endswith(f"/producer/products/{product.id}/photos")

    photos = signed_in.get(response.location).get_data(as_text=True)
    assert "Bước 2/4" in photos and f"/producer/products/{product.id}/certificates" in photos
    certificates = signed_in.get(f"/producer/products/{product.id}/certificates").get_data(as_text=True)
    assert "Bước 3/4" in certificates and "Gửi chứng nhận OCOP ở trên trước" in certificates


def test_the_product_form_names_the_missing_english_and_previews_the_english_page(signed_in, db):
    signed_in.post("/producer/products/new", data=form(name_en="Blue-glazed vase", unit_vi="chiếc cao 30 cm"))
    product = only_product(db)

    page = signed_in.get(f"/producer/products/{product.id}/edit").get_data(as_text=True)
    missing = page[page.index("data-english-missing"):][:800]

    assert "Đơn vị bán (tiếng Anh)" in missing and "Mô tả tiếng Anh" in missing
    assert "Tên tiếng Anh" not in missing
    preview = page[page.index("english-preview-heading"):][:1200]
    assert "Blue-glazed vase" in preview and "₫450,000" in preview and "chỉ có tiếng Việt" in preview


def test_a_unit_from_the_list_needs_no_english_typed(signed_in, db):
    signed_in.post("/producer/products/new", data=form(name_en="Blue-glazed vase", unit_vi="hộp 500 g"))
    page = signed_in.get(f"/producer/products/{only_product(db).id}/edit").get_data(as_text=True)
    preview = page[page.index("english-preview-heading"):][:1200]
    assert '<span lang="en">box of 500 g</span>' in preview
    assert "Đơn vị bán (tiếng Anh)" not in page[page.index("data-english-missing"):][:800]
