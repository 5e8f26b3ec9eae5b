"""``flask outbox send``."""
import click
from flask.cli import AppGroup

from .mailer import send_pending

outbox_cli = AppGroup("outbox", help="Mail written by the shop, delivered with retries.")


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most messages to send this run.")
def send_command(limit: int) -> None:
    """Send the outbox messages that are due; failures wait for a later run."""
    report = send_pending(limit=limit)
    click.echo(f"sent: {report.sent}, failed: {report.failed}, given up: {report.given_up}"
               + (" (mail server unreachable)" if report.server_down else ""))


def register(app) -> None:
    app.cli.add_command(outbox_cli)
