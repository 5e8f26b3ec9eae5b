"""Malformed input is a 400 or 404 where the request enters, never a 500, and changes nothing."""
import pytest
from sqlalchemy import func, select

from storefront.cart.models import CartItem
from storefront.orders.models import Order
from tests.support.factories import (
    AdminFactory, ProducerUserFactory, ProductFactory, StaffUserFactory, UserFactory,
)

HUGE = ["2147483648", "99999999999999999999999", "9" * 5000]


@pytest.mark.parametrize("path", ["/products/%00", "/orders/%00", "/villages/%00", "/producers/%00",
                                  "/outlets/%00", "/api/products/%00", "/products/a%00b",
                                  "/media/photos/%00.webp"])
def test_a_nul_byte_in_a_slug_number_or_key_is_not_found(client, db, path):
    assert client.get(path).status_code == 404


def test_a_nul_byte_in_the_checkout_token_is_refused_and_places_nothing(client, db):
    response = client.post("/checkout/place", data={"checkout_token": "\x00", "payment_method": "at_pickup"})

    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Order)) == 0


@pytest.mark.parametrize("query", ["/products?q=%00", "/products?village=%00", "/products?page=%00"])
def test_a_nul_byte_in_a_query_string_is_a_bad_request(client, db, query):
    assert client.get(query).status_code == 400


@pytest.mark.parametrize("product_id", HUGE)
def test_adding_an_id_beyond_the_integer_range_to_the_cart_is_refused(client, login, db, product_id):
    user = UserFactory()
    ProductFactory()
    login(user)

    response = client.post("/cart/add", data={"product_id": product_id, "quantity": "1"})

    assert 400 <= response.status_code < 500 or response.status_code == 302
    assert response.status_code < 500
    assert db.session.scalar(select(func.count()).select_from(CartItem)) == 0


@pytest.mark.parametrize("product_id", HUGE)
def test_guest_cart_refuses_an_id_beyond_the_integer_range(client, db, product_id):
    ProductFactory()
    response = client.post("/cart/add", data={"product_id": product_id, "quantity": "1"})
    assert response.status_code < 500
    assert client.get("/cart").status_code == 200


@pytest.mark.parametrize("huge", HUGE)
@pytest.mark.parametrize("who, method, path", [
    ("producer", "get", "/producer/products/{}/edit"),
    ("admin", "get", "/admin/outlets/{}/edit"),
    ("staff", "get", "/outlet/pickups/{}"),
    ("admin", "post", "/admin/producers/{}/verify"),
])
def test_an_id_beyond_the_integer_range_in_a_path_is_not_found(client, login, db, huge, who, method, path):
    user = {"producer": ProducerUserFactory, "admin": AdminFactory, "staff": StaffUserFactory}[who]()
    login(user)

    response = getattr(client, method)(path.format(huge))

    assert response.status_code == 404


def test_a_host_label_longer_than_63_characters_is_a_bad_request(client, db):
    host = "a" * 64 + ".example.com"

    response = client.get("/", headers={"Host": host})

    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.get_data(as_text=True)


def test_a_host_label_longer_than_63_characters_on_a_missing_page_is_still_a_4xx(client, db):
    response = client.get("/nothing-here", headers={"Host": "b" * 70})
    assert 400 <= response.status_code < 500
