"""One helper writes an order's absolute link, for pages, Stripe's return and the mails alike."""
from storefront.orders.links import order_url
from tests.support.factories import OutletFactory, ProductFactory
from tests.support.order_builder import place


def test_the_link_is_the_same_inside_a_request_and_outside_one(app):
    order = place(OutletFactory(), (ProductFactory(), 1)).order

    outside = order_url(order, "tok-en_1")
    with app.test_request_context("/somewhere/else"):
        inside = order_url(order, "tok-en_1")

    assert outside == inside == f"http://localhost/orders/{order.number}?t=tok-en_1"
    assert order_url(order) == f"http://localhost/orders/{order.number}"


def test_the_link_follows_the_public_address(app):
    order = place(OutletFactory(), (ProductFactory(), 1)).order
    app.config["SERVER_NAME_FOR_LINKS"] = "https://ocop.example.vn/"

    assert order_url(order) == f"https://ocop.example.vn/orders/{order.number}"
