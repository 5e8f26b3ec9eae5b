"""This browser's bookings in the cart: the signed-in shopper's rows, or the guest's session dict."""
from flask import session
from flask_login import current_user

from . import cart

SESSION_KEY = "cart_bookings"


def current_bookings():
    if current_user.is_authenticated:
        return cart.AccountBookings(current_user)
    return cart.GuestBookings(session.get(SESSION_KEY))


def keep(bookings) -> None:
    """Store a guest's bookings back in the session (an account's are already saved)."""
    if isinstance(bookings, cart.GuestBookings):
        if bookings.data:
            session[SESSION_KEY] = bookings.data
        else:
            session.pop(SESSION_KEY, None)


def lines_now() -> list:
    """Return this browser's booking lines (for the cart and checkout pages)."""
    bookings = current_bookings()
    found = cart.lines(bookings)
    keep(bookings)
    return found


def clear_now() -> None:
    bookings = current_bookings()
    cart.clear(bookings)
    keep(bookings)
