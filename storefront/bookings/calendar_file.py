"""A booking as an .ics calendar file (RFC 5545, the ``icalendar`` package): one event, in UTC."""
from datetime import timezone

from icalendar import Calendar, Event

from .models import Booking


def ics_of(booking: Booking, *, order_url: str, host: str = "ocop-hanoi") -> bytes:
    """Return the booking's session as a calendar with one event the shopper's phone can add."""
    session, experience = booking.session, booking.experience
    calendar = Calendar()
    calendar.add("prodid", "-//OCOP Storefront//Experiences//VI")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"booking-{booking.id}@{host}")
    event.add("dtstamp", booking.created_at.replace(tzinfo=timezone.utc))
    event.add("dtstart", session.starts_at.replace(tzinfo=timezone.utc))
    event.add("dtend", session.ends_at.replace(tzinfo=timezone.utc))
    event.add("summary", booking.experience_name)
    event.add("location", ", ".join(p for p in (experience.place_name, experience.place_address) if p))
    people = ", ".join(f"{line.label} × {line.quantity}" for line in booking.lines)
    event.add("description", f"{booking.order.number}: {people}\n{order_url}")
    event.add("url", order_url)
    calendar.add_component(event)
    return calendar.to_ical()
