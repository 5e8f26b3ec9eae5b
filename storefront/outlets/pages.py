"""What the outlet area's views share: the signed-in staff's outlet and its pickups."""
from flask_login import current_user

from . import queries


def staff_outlet():
    """Return the outlet of the signed-in staff member."""
    return current_user.outlet


def staff_pickup(pickup_id: int):
    """Load a pickup of the signed-in staff's outlet, or answer 404 (the order services lock it)."""
    return queries.pickup_at_or_404(staff_outlet(), pickup_id)
