"""The one way to write an order's address: pages, Stripe's return and the mails all use it."""
from ..catalog.links import absolute_url
from .codes import link_key


def order_url(order, token: str | None = None, *, private: bool = False) -> str:
    """Return the absolute address of an order's page, inside a request or outside one.

    With ``token`` it is the private link that opens the order for a guest; ``private`` makes
    that link from the key every mail carries (``codes.link_key``), as the mails need: opened
    in any browser, signed in or not, it shows the order and its pickup codes.
    """
    values = {"number": order.number}
    if token or private:
        values["t"] = token or link_key(order)
    return absolute_url("shop.order", **values)
