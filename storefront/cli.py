"""Flask commands: ``flask create-admin``, ``flask seed-demo`` and the order jobs."""
import click


def register(app) -> None:
    from .catalog.cli import catalog as catalog_commands
    from .orders.cli import orders as orders_commands

    app.cli.add_command(orders_commands)
    app.cli.add_command(catalog_commands)
    from .pickup.cli import pickups as pickup_commands

    app.cli.add_command(pickup_commands)
    from .notifications.cli import register as register_outbox
    from .payments.cli import register as register_payments

    register_payments(app)
    register_outbox(app)
    from .storage_cli import register as register_storage
    from .worker import worker_command

    register_storage(app)
    app.cli.add_command(worker_command)
    from .certificates.cli import certificates_cli

    app.cli.add_command(certificates_cli)
    from .legal.cli import policies_cli

    app.cli.add_command(policies_cli)
    from .finance.cli import register as register_finance

    register_finance(app)
    from .privacy.cli import privacy_cli

    app.cli.add_command(privacy_cli)

    @app.cli.command("create-admin")
    @click.option("--email", prompt=True)
    @click.option("--name", default="Admin")
    @click.password_option()
    def create_admin(email: str, name: str, password: str) -> None:
        """Create an admin account."""
        from .accounts.services import AccountError, create_admin as make_admin

        try:
            user = make_admin(email=email, name=name, password=password)
        except AccountError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"Admin {user.email} created.")

    @app.cli.command("seed-demo")
    @click.option("--if-empty", is_flag=True, help="Do nothing when the database already has villages.")
    def seed_demo(if_empty: bool) -> None:
        """Fill the database with demo villages, outlets, producers, products and accounts."""
        from flask import current_app

        from .demo.seed import SeedRefused, accounts_table, has_villages, refuse_in_production
        from .demo.seed import seed_demo as run_seed

        try:
            refuse_in_production(current_app.config["ENV_NAME"])
        except SeedRefused as error:
            raise click.ClickException(str(error)) from error
        if if_empty and has_villages():
            click.echo("The database already has villages: demo data left as it is.")
        else:
            click.echo(run_seed().summary())
        click.echo(accounts_table())
