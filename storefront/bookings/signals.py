"""What the bookings domain announces, so that the waitlist acts without being imported.

``booking_changes`` (the waitlist) builds on bookings, so bookings cannot call it. Receivers are
connected in ``storefront/wiring.py``; they run inside the sender's transaction, so what they
write commits or rolls back with the booking.
"""
from blinker import Namespace

_signals = Namespace()

# Sent with the ``SeatHold`` (a waitlist offer's seats) that placement just turned into a booking
# (``placing.add_bookings``, after ``seats.take`` ended it as used); keywords ``booking`` and
# ``now``. The waitlist closes the offer as booked in the same transaction.
hold_booked = _signals.signal("hold-booked")
