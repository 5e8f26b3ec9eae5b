"""``flask certificates remind``."""
import click
from flask.cli import AppGroup

from .reminders import send_expiry_reminders

certificates_cli = AppGroup("certificates", help="OCOP certificates: expiry reminders.")


@certificates_cli.command("remind")
def remind_command() -> None:
    """Send the expiry reminders due today (90, 30, 7 days ahead, and on expiry), each once."""
    click.echo(f"certificates reminded: {send_expiry_reminders()}")
