"""This browser's bookings in the cart: the signed-in shopper's rows, or the guest's session dict.

And the waitlist offers opened in this browser (``HOLDS_KEY``: {session id: the offer link's
token}), so the seats held for the shopper can be booked through the cart and checkout.
"""
from flask import session
from flask_login import current_user

from . import cart, seats

SESSION_KEY = "cart_bookings"
HOLDS_KEY = "waitlist_holds"


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


def remember_hold(session_id: int, token: str) -> None:
    """Keep an offer link's token in this browser: its held seats are this shopper's to book."""
    session[HOLDS_KEY] = {**(session.get(HOLDS_KEY) or {}), str(session_id): token}


def claims_now() -> dict:
    """Return {session id: ``seats.Claim``} for the running holds this browser may book.

    A hold made for an account counts only while that account is signed in here.
    """
    tokens = (session.get(HOLDS_KEY) or {}).values()
    return seats.claimable(tokens, user_id=current_user.id if current_user.is_authenticated else None) \
        if tokens else {}


def lines_now() -> list:
    """Return this browser's booking lines (for the cart and checkout pages)."""
    bookings = current_bookings()
    found = cart.lines(bookings, claims_now())
    keep(bookings)
    return found


def clear_now() -> None:
    bookings = current_bookings()
    cart.clear(bookings)
    keep(bookings)
