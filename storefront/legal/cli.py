"""``flask policies publish-defaults``: version 1 of every policy that has none, from ``texts/``."""
import click
from flask.cli import with_appcontext

from . import policies


@click.group("policies")
def policies_cli() -> None:
    """The shop's terms and policies."""


@policies_cli.command("publish-defaults")
@with_appcontext
def publish_defaults_command() -> None:
    """Publish version 1 of each policy that has no version yet (run once on a new shop, then edit
    at /admin/policies: the texts name the configured operator, pickup window and payment deadlines)."""
    made = policies.publish_defaults()
    click.echo(", ".join(f"{v.slug} v{v.number}" for v in made) or "every policy already has a version")
