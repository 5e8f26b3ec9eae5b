"""What the orders domain announces, so that the packages above it act without being imported.

Payments depends on orders, never the other way round; yet ending a paid pickup must record
the money owed back in the same transaction. So orders sends a signal there and
``payments/refunds.py`` receives it (every receiver is connected in ``storefront/wiring.py``):
what a receiver writes commits or rolls back with the
order's change.
"""
from blinker import Namespace

_signals = Namespace()

# Sent with the pickup just cancelled or marked no-show; keyword ``reason``.
pickup_ended = _signals.signal("pickup-ended")
# Sent with the order whose payment deadline passed (its pickups are cancelled); ``reason``.
payment_expired = _signals.signal("payment-expired")
# Sent with an order being cancelled as a whole that holds open bookings; keywords ``reason``, ``by``.
# Its bookings give their seats back and what was paid for them is owed back by method
# (``booking_changes.services.end_bookings_of_cancelled_order``), in the cancel's transaction.
order_cancelled = _signals.signal("order-cancelled")
# Sent with a ``money_events.MoneyEvent`` whenever an order's money moves (the books post it).
money_moved = _signals.signal("money-moved")
