"""``flask payments reconcile`` and ``flask payments retry-refunds``."""
import click
from flask.cli import AppGroup

from .gateway import stripe_enabled
from .refunds import retry_refunds
from .services import reconcile
from .transfers import expire_unpaid_transfers

payments_cli = AppGroup("payments", help="Card payments through Stripe.")


@payments_cli.command("reconcile")
def reconcile_command() -> None:
    """Settle card orders still waiting for payment with their Stripe Checkout Sessions."""
    if not stripe_enabled():
        click.echo("Stripe is not configured; nothing to reconcile.")
        return
    outcomes = reconcile()
    click.echo(_summary("orders checked", outcomes))


@payments_cli.command("retry-refunds")
def retry_refunds_command() -> None:
    """Send every refund still pending to Stripe again."""
    outcomes = retry_refunds()
    click.echo(_summary("refunds tried", outcomes))


@payments_cli.command("expire-transfers")
def expire_transfers_command() -> None:
    """Cancel VietQR transfer orders unpaid at their deadline and return their stock."""
    click.echo(f"Cancelled {expire_unpaid_transfers()} unpaid transfer order(s).")


def _summary(what: str, outcomes) -> str:
    details = ", ".join(f"{name}: {count}" for name, count in sorted(outcomes.items()))
    return f"{sum(outcomes.values())} {what}" + (f" ({details})" if details else "")


def register(app) -> None:
    app.cli.add_command(payments_cli)
