"""Row locks on orders and pickups, taken inside the use case's own transaction.

SQLite has no row locks (it has one writer at a time); on PostgreSQL these make two people
acting on the same order or pickup at once take turns.
"""
from ..extensions import db
from .models import Order, Pickup


def lock_order(order_id: int) -> Order | None:
    """Load an order with its row locked and reloaded, so changes to it apply one at a time."""
    return db.session.scalar(
        db.select(Order).where(Order.id == order_id).with_for_update()
        .execution_options(populate_existing=True)
    )


def lock_pickups(pickups) -> None:
    """Lock and reload the pickups' rows, in id order so that two use cases can't deadlock."""
    ids = sorted(p.id for p in pickups)
    if ids:
        db.session.scalars(
            db.select(Pickup).where(Pickup.id.in_(ids)).order_by(Pickup.id).with_for_update()
            .execution_options(populate_existing=True)
        ).all()
