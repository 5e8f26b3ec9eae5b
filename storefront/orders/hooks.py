"""What orders asks of the packages built on it, handed in when the app starts.

The pickup calendar (``pickup``) and the shop's bank account (``payments``) use orders, so orders
cannot import them (``tests/test_architecture.py``): ``storefront/wiring.py`` hands their answers
in here through ``wire`` when the app starts.
"""
from collections.abc import Callable
from datetime import date


def _not_wired(*_args, **_kwargs):
    raise RuntimeError("orders.hooks is not wired: create_app() wires it")


# (outlet, products, now) -> the pickup days offered there, earliest first (``pickup.calendars``).
pickup_days: Callable[..., list[date]] = _not_wired
# (pickup, today, days) -> whether a ready pickup's window ended before today (``pickup.calendars``).
window_passed: Callable[..., bool] = _not_wired
# () -> whether bank transfer by VietQR is offered (``payments.bank_account``).
transfer_available: Callable[[], bool] = _not_wired
# What placing, paying and expiring an order do for its bookings (``bookings.placing``, a module:
# wanted_of, lock_sessions, check, add_bookings, set_codes, send_ticket, confirm, release_unpaid,
# open_of, past_free_change, venue_dues, and the errors BookingRefused and SessionFull). Bookings
# build on orders, so orders asks here.
bookings = None


def wire(**hooks: Callable) -> None:
    """Hand in the answers above by name; an unknown name is a mistake."""
    for name, function in hooks.items():
        if name not in ("pickup_days", "window_passed", "transfer_available", "bookings"):
            raise TypeError(f"orders.hooks has no hook {name!r}")
        globals()[name] = function
