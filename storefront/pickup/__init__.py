"""Pickup scheduling: outlet hours and closures, lead times, pickup days, reminders, partial hand-over."""
