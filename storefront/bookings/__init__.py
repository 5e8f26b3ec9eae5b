"""Bookings: seats in an experience session, bought in the same cart and order as goods (issue 24)."""
