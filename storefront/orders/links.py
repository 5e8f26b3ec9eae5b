"""The one way to write an order's address: pages, Stripe's return and the mails all use it."""
from ..catalog.links import absolute_url


def order_url(order, token: str | None = None) -> str:
    """Return the absolute address of an order's page, inside a request or outside one.

    With ``token`` it is the private link that opens the order for a guest.
    """
    values = {"number": order.number}
    if token:
        values["t"] = token
    return absolute_url("orders.show", **values)
