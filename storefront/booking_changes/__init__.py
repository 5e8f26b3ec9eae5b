"""Changes after a booking is placed: cancel or move it, no-shows, a cancelled session, the waitlist (issue 24 item 5)."""
