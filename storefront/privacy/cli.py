"""``flask privacy forget-guests`` and ``flask privacy remind`` (the worker runs both daily)."""
import click
from flask.cli import AppGroup

from . import retention

privacy_cli = AppGroup("privacy", help="Personal data: retention and data-request reminders.")


@privacy_cli.command("forget-guests")
def forget_guests_command() -> None:
    """Forget finished guest orders' contact details older than GUEST_DATA_RETENTION_DAYS."""
    click.echo(f"guest orders forgotten: {retention.forget_guests()}")


@privacy_cli.command("remind")
def remind_command() -> None:
    """Mail the admins the data requests due by the next working day."""
    click.echo(f"data requests in the reminder: {retention.remind()}")
