"""CHECK constraints written from the enums they guard, so each list of values lives in one place."""
from .extensions import db


def one_of(column: str, values, name: str) -> db.CheckConstraint:
    """Return a CHECK that ``column`` holds one of ``values`` (an enum, or some of its members)."""
    listed = ", ".join(f"'{value}'" for value in values)
    return db.CheckConstraint(f"{column} in ({listed})", name=name)
