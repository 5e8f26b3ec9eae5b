"""``flask pickups remind``: the reminder e-mails a scheduler sends (hourly is plenty)."""
import click
from flask.cli import AppGroup

from .services import flag_late_dropoffs, send_reminders

pickups = AppGroup("pickups", help="Pickup-day jobs.")


@pickups.command("remind")
def remind() -> None:
    """Queue the reminders due now (each pickup once) and flag late drop-offs (each line once)."""
    before, last = send_reminders()
    late = flag_late_dropoffs()
    click.echo(f"Queued {before} day-before and {last} last-day reminder(s); "
               f"flagged {late} late drop-off(s).")
