"""Pages that show someone's own data are ``Cache-Control: private, no-store``; public pages are not (both backends).

Protects the order page (pickup code, QR, contact), the account, cart, checkout and every staff area from
being kept by a browser's history, a shared proxy or a CDN, whoever opens them; and keeps the public
catalogue cacheable for visitors as it was.
"""
import pytest

from tests.support.checkout_support import make_shop, place
from tests.support.factories import (
    AdminFactory, CertificateFactory, ProducerUserFactory, ProductFactory, StaffUserFactory, UserFactory,
)

PRIVATE = "private, no-store"


@pytest.fixture
def three_outlets_stocked(db):
    return make_shop()


def test_a_guests_order_page_with_its_code_and_qr_is_never_stored(client, three_outlets_stocked):
    placed = place((three_outlets_stocked.vase, 1), outlet=three_outlets_stocked.a)

    response = client.get(f"/orders/{placed.order.number}?t={placed.access_token}")

    assert response.status_code == 200 and placed.codes[placed.order.pickups[0].id] in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == PRIVATE
    assert client.get(f"/orders/{placed.order.number}").headers["Cache-Control"] == PRIVATE  # its 404 too


def test_the_owners_order_page_and_every_page_they_see_signed_in_are_never_stored(client, login, three_outlets_stocked):
    owner = UserFactory()
    placed = place((three_outlets_stocked.vase, 1), outlet=three_outlets_stocked.a, user=owner)
    login(owner)

    for path in (f"/orders/{placed.order.number}", "/auth/account", "/", "/products",
                 f"/products/{three_outlets_stocked.vase.slug}", "/no-such-page"):
        assert client.get(path).headers.get("Cache-Control") == PRIVATE, path


@pytest.mark.parametrize("factory, paths", [
    (ProducerUserFactory, ["/producer/", "/producer/orders", "/producer/sales", "/producer/labels"]),
    (StaffUserFactory, ["/outlet/", "/outlet/board"]),
    (AdminFactory, ["/admin/", "/admin/users", "/admin/transfers", "/admin/reports/"]),
])
def test_staff_areas_are_never_stored(client, login, db, factory, paths):
    login(factory())

    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == PRIVATE, path


@pytest.mark.parametrize("path", ["/admin/", "/producer/", "/outlet/", "/auth/login", "/auth/register",
                                  "/cart", "/checkout"])
def test_personal_areas_are_never_stored_even_before_sign_in(client, db, path):
    assert client.get(path).headers["Cache-Control"] == PRIVATE


def test_public_pages_stay_cacheable_for_visitors(client, three_outlets_stocked):
    certificate = CertificateFactory(product=ProductFactory(certified=False))

    for path in ("/", "/products", f"/products/{three_outlets_stocked.vase.slug}", "/villages", "/outlets",
                 f"/certificates/{certificate.code}", "/api/products"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Cache-Control" not in response.headers, path


def test_a_view_that_chose_its_own_caching_keeps_it_for_signed_in_users(client, login, db):
    certificate = CertificateFactory(product=ProductFactory(certified=False))
    login(UserFactory())

    assert client.get(f"/api/certificates/{certificate.code}").headers["Cache-Control"] == "public, max-age=300"
