"""``flask orders ...``: the order jobs a scheduler runs (every few minutes is fine)."""
import click
from flask.cli import AppGroup

from . import services

orders = AppGroup("orders", help="Order jobs.")


@orders.command("expire")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Pickup window in days (default: PICKUP_WINDOW_DAYS).")
def expire(days: int | None) -> None:
    """Cancel unpaid orders (card, transfer) past their deadline; mark uncollected pickups no-show."""
    unpaid = services.expire_unpaid_orders()
    no_shows = services.expire_no_shows(days=days)
    click.echo(f"Cancelled {unpaid} unpaid order(s); marked {no_shows} pickup(s) no-show.")
