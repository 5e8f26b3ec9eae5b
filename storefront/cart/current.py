"""The cart of this browser: the signed-in shopper's account cart, or the guest's session cart."""
from flask import session
from flask_login import current_user

from . import services

SESSION_KEY = "cart"


def current_cart():
    """Return the signed-in shopper's account cart, or the guest's session cart."""
    if current_user.is_authenticated:
        return services.AccountCart(current_user)
    return services.GuestCart(session.get(SESSION_KEY))


def keep(cart) -> None:
    """Store a guest cart back in the session (an account cart is already saved)."""
    if isinstance(cart, services.GuestCart):
        if cart.data:
            session[SESSION_KEY] = cart.data
        else:
            session.pop(SESSION_KEY, None)
