"""``flask catalog ...``: operator commands for the catalogue's derived tables."""
import click
from flask.cli import AppGroup

from .listing_table import rebuild

catalog = AppGroup("catalog", help="The catalogue's listing table and its kept counts.")


@catalog.command("rebuild-listing")
def rebuild_listing() -> None:
    """Compute the listing table and its counts again from products, certificates and producers.

    Needed once after the migration that adds the table, and after any bulk load that bypassed
    the app (the app keeps both in step with its own writes).
    """
    click.echo(f"{rebuild()} listing rows.")
