"""What the producer's dashboard tells about each product: listed or not and why, expiring marks."""
from dataclasses import dataclass, field
from datetime import date

from ..catalog.listing import REASONS, current_certificate, reasons_not_listed
from ..catalog.models import Certificate, Product
from ..timeutil import local_today

__all__ = ["REASONS", "ProductOverview", "overview", "reasons_not_listed"]

EXPIRY_WARNING_DAYS = 90


@dataclass
class ProductOverview:
    product: Product
    reasons: list[str] = field(default_factory=list)  # keys of REASONS, empty when listed
    expiring: Certificate | None = None  # the current certificate, when it ends within 90 days
    days_left: int | None = None

    @property
    def listed(self) -> bool:
        return not self.reasons

    @property
    def reason_labels(self) -> list:
        return [REASONS[reason] for reason in self.reasons]

    @property
    def obstacles(self) -> list:
        """Return what keeps the product off the shop besides its own status (draft, archived)."""
        return [REASONS[reason] for reason in self.reasons if reason not in ("draft", "archived")]


def overview(product: Product, today: date | None = None) -> ProductOverview:
    """Return the product's dashboard row for ``today`` (Hanoi's date by default)."""
    today = today or local_today()
    row = ProductOverview(product=product, reasons=reasons_not_listed(product, today))
    current = current_certificate(product, today)
    if current is not None and current.days_left(today) <= EXPIRY_WARNING_DAYS:
        row.expiring, row.days_left = current, current.days_left(today)
    return row
