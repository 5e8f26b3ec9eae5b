"""Flask commands: ``flask create-admin``, ``flask seed-demo`` and the order jobs."""
import click


def register(app) -> None:
    @app.cli.command("create-admin")
    @click.option("--email", prompt=True)
    @click.option("--name", default="Admin")
    @click.password_option()
    def create_admin(email: str, name: str, password: str) -> None:
        """Create an admin account."""
        from .accounts.services import create_admin as make_admin

        user = make_admin(email=email, name=name, password=password)
        click.echo(f"Admin {user.email} created.")
