"""What the experiences domain announces, so that booking, refunds and notices act without being imported.

Receivers are connected in ``storefront/wiring.py``; they run inside the sender's transaction, so
what they write (refunds owed, notices in the outbox) commits or rolls back with the change.
"""
from blinker import Namespace

_signals = Namespace()

# Sent with the ``ExperienceSession`` just cancelled by ``sessions.cancel_session``; keywords
# ``by`` (the user) and ``reason`` (text). Booking receives it to tell and refund everyone booked.
session_cancelled = _signals.signal("experience-session-cancelled")
