"""``flask finance export --format beancount|csv FILE`` and ``flask finance check``."""
import click
from flask.cli import AppGroup

from . import export, ledger, settlement

finance_cli = AppGroup("finance", help="The books: export and checks.")


@finance_cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["beancount", "csv"]), default="beancount",
              show_default=True)
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def export_command(fmt: str, path: str) -> None:
    """Write the books to PATH as Beancount (for bean-check and Fava) or CSV."""
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with open(path, "w", encoding=encoding, newline="" if fmt == "csv" else None) as out:
        written = export.beancount(out) if fmt == "beancount" else export.csv_rows(out)
    click.echo(f"{written} {'transactions' if fmt == 'beancount' else 'postings'} written to {path}")


@finance_cli.command("check")
def check_command() -> None:
    """Say whether every entry balances and the trial balance is zero (exit 1 if not)."""
    unbalanced, total = ledger.unbalanced_entries(), ledger.trial_balance()
    click.echo(f"trial balance {total} VND; unbalanced entries: {unbalanced or 'none'}")
    if unbalanced or total:
        raise SystemExit(1)


@finance_cli.command("close-period")
def close_period_command() -> None:
    """Close the last settlement period: one statement per producer with activity (once)."""
    start, end, written = settlement.close_last_period()
    click.echo(f"period {start.isoformat()} – {end.isoformat()}: {written} statements written")


def register(app) -> None:
    app.cli.add_command(finance_cli)
