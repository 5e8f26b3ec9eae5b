"""Open for business under Vietnamese law (issue 22, items 1-6): who sells, the operator's identity,
policies that never change once published, agreeing to the terms before an order is sent, label
facts by product group, producers' legal identity, and an admin's take-down of a listing."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from storefront import create_app
from storefront.admin import services as admin_services
from storefront.catalog import labels, listing, producer_identity, takedown
from storefront.catalog.listing_table import ListingRow
from storefront.checkout import services as checkout_services
from storefront.config import Config, ConfigError
from storefront.extensions import db
from storefront.legal import policies
from storefront.legal.models import OrderAgreement, PolicyVersion, PublishedPolicyChanged
from storefront.models import Order
from storefront.notifications.models import OutboxMessage
from storefront.producers import services as producer_services
from storefront.timeutil import local_today
from tests.support.checkout_support import make_shop
from tests.support.factories import ProducerFactory, ProductFactory, UserFactory

CUSTOMER = {"name": "Nguyễn Văn Khách", "phone": "0912345678", "email": "khach@example.com",
            "payment_method": "at_pickup"}


@pytest.fixture
def three_outlets_stocked_with_policies(db):
    stocked = make_shop()
    policies.publish_defaults()
    return stocked


@pytest.fixture
def admin(db):
    return UserFactory(role="admin")


def _orders():
    db.session.expire_all()
    return db.session.scalars(select(Order)).all()


def _to_review(client, three_outlets_stocked_with_policies):
    client.post("/cart/add", data={"product_id": three_outlets_stocked_with_policies.vase.id, "quantity": 1})
    client.post("/checkout", data={**CUSTOMER, "outlet_id": three_outlets_stocked_with_policies.a.id, "review": "1"})
    page = client.get("/checkout/review").get_data(as_text=True)
    return re.search(r'name="checkout_token" type="hidden" value="([^"]+)"', page)[1], page


# --- 4. no order without accept_terms --------------------------------------------------------------

def test_the_review_page_offers_an_unticked_box_linking_the_versions_in_force(client,
                                                                              three_outlets_stocked_with_policies):
    _token, page = _to_review(client, three_outlets_stocked_with_policies)
    box = re.search(r'<input[^>]*name="accept_terms"[^>]*>', page)[0]
    assert 'type="checkbox"' in box and "checked" not in box
    for slug in ("terms", "returns", "privacy"):
        assert f'href="/policies/{slug}/v1"' in page
    assert "Tôi đã đọc và đồng ý với" in page


def test_placing_from_the_review_without_the_tick_is_refused_and_the_cart_kept(client,
                                                                               three_outlets_stocked_with_policies):
    token, _page = _to_review(client, three_outlets_stocked_with_policies)
    response = client.post("/checkout/place", data={"checkout_token": token})
    assert response.status_code == 303 and response.headers["Location"].endswith("/checkout/review")
    assert _orders() == []
    page = client.get("/checkout/review").get_data(as_text=True)
    assert "Vui lòng đánh dấu ô đồng ý với điều khoản" in page
    assert three_outlets_stocked_with_policies.vase.name_vi in client.get("/cart").get_data(as_text=True)


def test_placing_from_the_checkout_page_without_the_tick_shows_the_error_at_the_box(
        client, three_outlets_stocked_with_policies):
    client.post("/cart/add", data={"product_id": three_outlets_stocked_with_policies.vase.id, "quantity": 1})
    page = client.post("/checkout", data={**CUSTOMER, "outlet_id": three_outlets_stocked_with_policies.a.id,
                                          "place": "1"}).get_data(as_text=True)
    assert _orders() == []
    assert 'id="accept_terms-error"' in page and "Giỏ hàng của bạn vẫn được giữ" in page
    assert 'href="#accept_terms"' in page  # the error summary links to the box


def test_the_service_refuses_to_place_without_the_tick(db, three_outlets_stocked_with_policies):
    with pytest.raises(checkout_services.TermsNotAccepted):
        checkout_services.place([], object(), accepted_terms=False)
    assert _orders() == []


def test_the_order_keeps_the_versions_agreed_and_when_and_its_page_and_mail_link_them(
        client, three_outlets_stocked_with_policies):
    token, _page = _to_review(client, three_outlets_stocked_with_policies)
    response = client.post("/checkout/place", data={"checkout_token": token, "accept_terms": "y"})
    (order,) = _orders()
    agreed = db.session.scalars(select(OrderAgreement).where(OrderAgreement.order_id == order.id)).all()
    assert sorted(a.version.slug for a in agreed) == ["privacy", "returns", "terms"]
    assert all(a.agreed_at == order.created_at for a in agreed)
    # a later version of the terms does not change what this order agreed to
    policies.publish("terms", title_vi="Điều khoản chung", body_vi="Bản 2", effective_on=local_today())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'href="/policies/terms/v1"' in page and "/policies/terms/v2" not in page
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.order_id == order.id,
                                                          OutboxMessage.kind == "order_placed")).one()
    assert "http://localhost/policies/terms/v1" in mail.body
    assert "http://localhost/policies/privacy/v1" in mail.body


# --- 3. policies: published versions never change ----------------------------------------------------

def test_a_published_version_cannot_be_changed_or_deleted(db, three_outlets_stocked_with_policies):
    version = policies.current("terms")
    version.body_vi = "đã sửa"
    with pytest.raises(PublishedPolicyChanged):
        db.session.commit()
    db.session.rollback()
    db.session.delete(policies.current("terms"))
    with pytest.raises(PublishedPolicyChanged):
        db.session.commit()
    db.session.rollback()
    assert "đã sửa" not in policies.current("terms").body_vi


def test_on_postgresql_the_database_refuses_to_change_a_published_version_or_an_agreement(
        client, three_outlets_stocked_with_policies):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the triggers are PostgreSQL's")
    token, _page = _to_review(client, three_outlets_stocked_with_policies)
    client.post("/checkout/place", data={"checkout_token": token, "accept_terms": "y"})
    (order,) = _orders()
    version = policies.current("terms")
    for statement, match in (
            ("UPDATE policy_version SET body_vi = 'đã sửa' WHERE id = :v", "never changes"),
            ("DELETE FROM policy_version WHERE id = :v", "never changes"),
            ("UPDATE order_agreement SET agreed_at = agreed_at WHERE order_id = :o", "agreed to")):
        with pytest.raises(DBAPIError, match=match):
            with db.engine.begin() as connection:
                connection.execute(text(statement), {"v": version.id, "o": order.id})
    db.session.expire_all()
    assert "đã sửa" not in policies.current("terms").body_vi
    assert len(db.session.scalars(select(OrderAgreement).filter_by(order_id=order.id)).all()) == 3


def test_a_new_version_gets_the_next_number_and_every_version_stays_readable(client,
                                                                              three_outlets_stocked_with_policies):
    today = local_today()
    policies.publish("returns", title_vi="Đổi trả", body_vi="## Bản hai\n\nMười ngày.",
                     title_en="Returns", body_en="## Version two\n\nTen days.", effective_on=today)
    later = policies.publish("returns", title_vi="Đổi trả", body_vi="Bản ba",
                             effective_on=today + timedelta(days=10))
    assert later.number == 3 and policies.current("returns").number == 2  # v3 not in force yet
    assert "Mười ngày" in client.get("/policies/returns").get_data(as_text=True)
    assert "Kiểm tra khi nhận hàng" in client.get("/policies/returns/v1").get_data(as_text=True)
    assert "Bản ba" in client.get("/policies/returns/v3").get_data(as_text=True)
    assert client.get("/policies/returns/v9").status_code == 404
    client.post("/lang/en")
    assert "Ten days." in client.get("/policies/returns/v2").get_data(as_text=True)


def test_a_version_cannot_take_effect_in_the_past(db, three_outlets_stocked_with_policies):
    with pytest.raises(policies.PolicyError):
        policies.publish("terms", title_vi="x", body_vi="y", effective_on=local_today() - timedelta(days=1))


def test_policy_markdown_never_passes_raw_html(client, three_outlets_stocked_with_policies):
    policies.publish("pickup", title_vi="Nhận hàng", effective_on=local_today(),
                     body_vi='<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))')
    page = client.get("/policies/pickup").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;" in page


def test_an_admin_publishes_a_version_through_the_form(client, login, three_outlets_stocked_with_policies, admin):
    login(admin)
    response = client.post("/admin/policies/payment/new", data={
        "title_vi": "Chính sách thanh toán", "body_vi": "**Mới**", "effective_on": local_today().isoformat()})
    assert response.status_code == 302
    assert policies.current("payment").number == 2
    assert "<strong>Mới</strong>" in client.get("/policies/payment/v2").get_data(as_text=True)


def test_the_demo_texts_state_the_shops_real_rules(client, three_outlets_stocked_with_policies):
    pickup = client.get("/policies/pickup").get_data(as_text=True)
    assert "7 ngày mở cửa" in pickup and "17:00" in pickup  # PICKUP_WINDOW_DAYS, PICKUP_ORDER_CUTOFF
    returns = client.get("/policies/returns").get_data(as_text=True)
    assert "Không đến nhận" in returns and "giao một phần" in returns and "Chuyển khoản VietQR" in returns


# --- 1, 2. who sells; the operator's identity ----------------------------------------------------------

def test_every_page_and_mail_names_the_operator(client, three_outlets_stocked_with_policies):
    page = client.get("/").get_data(as_text=True)
    assert "CÔNG TY DEMO OCOP (KHÔNG CÓ THẬT)" in page and "0000000000 (giả)" in page
    assert "https://online.gov.vn/example-not-registered" in page and 'href="/policies/terms"' in page
    token, _page = _to_review(client, three_outlets_stocked_with_policies)
    client.post("/checkout/place", data={"checkout_token": token, "accept_terms": "y"})
    for mail in db.session.scalars(select(OutboxMessage)):
        assert "CÔNG TY DEMO OCOP (KHÔNG CÓ THẬT)" in mail.body and "demo@ocop.invalid" in mail.body


def test_rules_are_published_only_when_producers_sell(make_app):
    operator_app = make_app()
    with operator_app.app_context():
        policies.publish_defaults()
        assert operator_app.test_client().get("/policies/rules").status_code == 404
    floor = make_app(SELLER_OF_RECORD="producer")
    with floor.app_context():
        page = floor.test_client().get("/policies/rules").get_data(as_text=True)
        assert "Gỡ sản phẩm vi phạm" in page


def test_on_a_trading_floor_the_product_page_names_the_seller_and_its_identity(make_app):
    floor = make_app(SELLER_OF_RECORD="producer")
    with floor.app_context():
        product = ProductFactory(producer=ProducerFactory(name="HTX Gốm Thử", tax_code="0100109106001"))
        page = floor.test_client().get(f"/products/{product.slug}").get_data(as_text=True)
        assert "Người bán" in page and "HTX Gốm Thử" in page and "0100109106-001" in page
        assert "Quy chế hoạt động sàn" in page


def test_when_the_operator_sells_the_product_page_says_so(client, db):
    product = ProductFactory()
    page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "CÔNG TY DEMO OCOP (KHÔNG CÓ THẬT) bán sản phẩm này" in page


def _production(**identity):
    values = {"OPERATOR_LEGAL_NAME": "Trung tâm OCOP Hà Nội", "OPERATOR_ADDRESS": "Hà Nội",
              "OPERATOR_TAX_CODE": "0100109106", "OPERATOR_PHONE": "024 0000 0000",
              "OPERATOR_EMAIL": "ocop@example.vn", "MOIT_NOTICE_URL": "https://online.gov.vn/x", **identity}
    return type("Production", (Config,), {"SECRET_KEY": "s", "SERVER_NAME_FOR_LINKS": "https://ocop.example.vn",
                                          **values})


@pytest.mark.parametrize("key", ["OPERATOR_LEGAL_NAME", "OPERATOR_ADDRESS", "OPERATOR_TAX_CODE",
                                 "OPERATOR_PHONE", "OPERATOR_EMAIL", "MOIT_NOTICE_URL"])
def test_production_refuses_to_start_without_the_operators_identity(key):
    with pytest.raises(ConfigError, match=key):
        create_app(_production(**{key: None}))
    _production().validate()  # all six given: it starts


def test_an_unknown_seller_of_record_is_refused():
    with pytest.raises(ConfigError, match="SELLER_OF_RECORD"):
        _production(SELLER_OF_RECORD="shop").validate()


# --- 5. label facts by group -----------------------------------------------------------------------

def test_food_needs_every_label_fact_and_handicrafts_only_origin_and_maker(db):
    bare = dict(label_origin=None, label_maker_name=None, label_maker_address=None)
    food = ProductFactory(group="food", **bare)
    craft = ProductFactory(group="handicrafts", **bare)
    tour = ProductFactory(group="tourism", **bare)
    assert labels.missing(food) == ["origin", "maker", "net_quantity", "ingredients", "shelf_life",
                                    "storage", "food_safety"]
    assert labels.missing(ProductFactory(group="herbal", **bare))[-1] == "warnings"
    assert labels.missing(craft) == ["origin", "maker"]
    assert labels.missing(tour) == []


def test_publishing_a_food_without_its_label_facts_is_refused_in_plain_words(client, login, db):
    from tests.support.factories import ProducerUserFactory
    user = ProducerUserFactory()
    login(user)
    food = ProductFactory(producer=user.producer, group="food", status="draft")
    page = client.post(f"/producer/products/{food.id}/publish", follow_redirects=True).get_data(as_text=True)
    db.session.refresh(food)
    assert food.status == "draft"
    assert "nhãn sản phẩm còn thiếu định lượng" in page and "giấy chứng nhận an toàn thực phẩm" in page
    form = client.get(f"/producer/products/{food.id}/edit").get_data(as_text=True)
    assert "Còn thiếu để đăng bán" in form and "thành phần" in form
    for column, value in dict(label_net_quantity="500 g", label_ingredients="Gạo nếp",
                              label_shelf_life="60 ngày", label_storage="Nơi khô ráo",
                              food_safety_number="12/ATTP", food_safety_date=local_today(),
                              food_safety_issuer="Chi cục ATTP Hà Nội").items():
        setattr(food, column, value)
    db.session.commit()
    producer_services.change_status(food, "publish")
    assert food.status == "published"


def test_the_product_page_and_api_show_the_label(client, db):
    product = ProductFactory(group="food", label_net_quantity="500 g", label_ingredients="Gạo nếp, gừng",
                             food_safety_number="12/2025/ATTP", food_safety_date=local_today(),
                             food_safety_issuer="Chi cục ATTP Hà Nội")
    page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert 'id="label"' in page and "Gạo nếp, gừng" in page and "12/2025/ATTP" in page
    label = client.get(f"/api/products/{product.slug}").get_json()["label"]
    assert set(label) == {"origin", "maker", "net_quantity", "ingredients", "shelf_life", "storage",
                          "warnings", "food_safety"}
    assert label["net_quantity"] == "500 g" and label["maker"]["name"] == product.producer.name
    assert label["food_safety"] == {"number": "12/2025/ATTP", "date": local_today().isoformat(),
                                    "issuer": "Chi cục ATTP Hà Nội"}


# --- 6. the producer's legal identity ---------------------------------------------------------------

@pytest.mark.parametrize("raw, compact", [("0100109106", "0100109106"), (" 0100109106-001 ", "0100109106001")])
def test_a_valid_tax_code_is_kept_compact(raw, compact):
    assert producer_identity.clean_tax_code(raw) == compact


@pytest.mark.parametrize("raw", ["0100109105", "010010910", "01001091061", "abc", ""])
def test_an_invalid_tax_code_is_refused(raw):
    with pytest.raises(producer_identity.IdentityInvalid):
        producer_identity.clean_tax_code(raw)


def test_the_producer_form_checks_the_tax_code(client, login, db):
    from tests.support.factories import ProducerUserFactory
    user = ProducerUserFactory(producer=ProducerFactory(status="pending", tax_code=None))
    login(user)
    assert "còn thiếu: mã số thuế" in client.get("/producer/").get_data(as_text=True)
    page = client.post("/producer/identity", data={"tax_code": "0100109105", "business_registration": "x",
                                                   "legal_address": "y"}).get_data(as_text=True)
    assert "Mã số thuế không hợp lệ" in page
    client.post("/producer/identity", data={"tax_code": "0100109106", "business_registration": "GCN 01",
                                            "legal_address": "Bát Tràng"})
    db.session.refresh(user.producer)
    assert user.producer.tax_code == "0100109106"


def test_an_admin_cannot_verify_a_producer_without_its_legal_identity(db, admin):
    producer = ProducerFactory(status="pending", tax_code=None, business_registration=None, legal_address=None)
    with pytest.raises(admin_services.ReviewError, match="mã số thuế"):
        admin_services.verify_producer(producer, by=admin)
    assert producer.status == "pending"
    producer_identity.save(producer, tax_code="0100109106", business_registration="GCN 01",
                           legal_address="Bát Tràng")
    admin_services.verify_producer(producer, by=admin)
    assert producer.status == "verified"


# --- 1. take-down ----------------------------------------------------------------------------------

def test_a_taken_down_product_leaves_the_listing_and_its_page_gives_the_reason(client, db, admin):
    product = ProductFactory(name_vi="Bình giả mạo")
    assert db.session.scalar(select(ListingRow.product_id).where(ListingRow.product_id == product.id))
    takedown.take_down(product, by=admin, reason="Giấy chứng nhận không khớp sản phẩm")
    assert not product.is_listed()
    assert "taken_down" in listing.reasons_not_listed(product)
    assert db.session.scalar(select(ListingRow.product_id).where(ListingRow.product_id == product.id)) is None
    page = client.get(f"/products/{product.slug}")
    assert page.status_code == 410 and "Giấy chứng nhận không khớp sản phẩm" in page.get_data(as_text=True)
    assert "Bình giả mạo" not in client.get("/products").get_data(as_text=True)
    assert client.get(f"/api/products/{product.slug}").status_code == 404
    takedown.restore(product, by=admin)
    assert product.is_listed() and client.get(f"/products/{product.slug}").status_code == 200


def test_a_take_down_needs_an_admin_and_a_reason(client, login, db, admin):
    product = ProductFactory()
    with pytest.raises(takedown.TakedownError):
        takedown.take_down(product, by=admin, reason="  ")
    with pytest.raises(takedown.TakedownError):
        takedown.take_down(product, by=UserFactory(), reason="x")
    login(admin)
    client.post(f"/admin/products/{product.id}/take-down", data={"reason": "Hàng giả"})
    db.session.refresh(product)
    assert product.takedown_reason == "Hàng giả" and product.taken_down_by_id == admin.id
