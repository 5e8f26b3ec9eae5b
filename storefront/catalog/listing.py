"""The listing rule, its one home: which products shoppers see, and with which stars.

A product is *listed* on a day when it is published and not taken down by an admin, its producer
is verified, and one of its
certificates *counts* that day: verified (pending, rejected and revoked ones never count) and
the day is before ``expires_on`` (Hanoi date; a certificate drops out ON its expiry day).
Its public stars are those of the *current* certificate: among those that count, the one with
the latest decision date; when two share a decision date, the one entered last (highest id).

The rule in Python, for one loaded product, is written in ``listing_rule.py`` (the models ask
it, so it cannot import them) and given here; this module says the same in SQL. Everything
else — the SQL of the catalogue, the listing table kept in step with writes
(``listing_table.py``), the cart, order placement and the producer's dashboard — asks here.
"""
from datetime import date

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.orm import aliased

from .listing_rule import (  # noqa: F401  (the rule in Python, given here with its SQL)
    COUNTING_STATUS, REASONS, counts_on, current_certificate, is_listed, precedence,
    reasons_not_listed,
)
from .models import Certificate, Producer, Product
from .statuses import ProductStatus, ReviewStatus

# The listing table's "listed from" for a certificate nothing outranks: before any real date.
SINCE_EVER = date(1, 1, 1)


# --- in SQL, over the source tables -----------------------------------------------------------

def counts_on_sql(certificate, day) -> list:
    """Return the SQL conditions for ``certificate`` (a Certificate alias) counting on ``day``."""
    return [certificate.status == COUNTING_STATUS, certificate.expires_on > day]


def outranks_sql(certificate, other) -> object:
    """Return the SQL condition "``certificate`` outranks ``other``" (same order as ``precedence``)."""
    return or_(certificate.decision_date > other.decision_date,
               and_(certificate.decision_date == other.decision_date, certificate.id > other.id))


def product_listable_sql() -> list:
    """Return the conditions on Product and Producer (joined) that do not depend on the day."""
    return [Product.status == ProductStatus.PUBLISHED, Product.taken_down_at.is_(None),
            Producer.status == ReviewStatus.VERIFIED]


def windows(*narrow, listable=None):
    """Return a SELECT of every (product, certificate) pair that lists the product on some day.

    A verified certificate is current from the day every certificate that outranks it has
    expired (``listed_from``) until its own expiry (``listed_until``, exclusive); at most one
    certificate of a product is current on any day. Pairs whose window is empty (something that
    outranks them outlives them) are left out. Columns are those of the listing table; ``narrow``
    adds conditions on Product, Producer or Certificate (the products to refresh). ``listable``
    replaces ``product_listable_sql()`` (a migration states the rule of its own revision).
    """
    outranking = aliased(Certificate, name="outranking")
    listed_from = func.coalesce(
        select(func.max(outranking.expires_on))
        .where(outranking.product_id == Certificate.product_id,
               outranking.status == COUNTING_STATUS, outranks_sql(outranking, Certificate))
        .scalar_subquery(),
        literal(SINCE_EVER),
    )
    candidates = (
        select(Certificate.id.label("certificate_id"), Product.id.label("product_id"),
               Product.producer_id, Producer.village_id, Product.group, Certificate.stars,
               Product.price, Product.created_at, Product.search_text,
               listed_from.label("listed_from"), Certificate.expires_on.label("listed_until"))
        .select_from(Certificate)
        .join(Product, Product.id == Certificate.product_id)
        .join(Producer, Producer.id == Product.producer_id)
        .where(Certificate.status == COUNTING_STATUS,
               *(product_listable_sql() if listable is None else listable), *narrow)
        .subquery("candidates")
    )
    return select(candidates).where(candidates.c.listed_from < candidates.c.listed_until)


def listed_on_sql(day, *narrow):
    """Return a SELECT of (product_id, certificate_id, stars) listed on ``day``, from the source tables.

    The reference the listing table is checked against; the catalogue reads the table.
    """
    later = aliased(Certificate, name="later")
    superseded = (select(later.id).where(later.product_id == Certificate.product_id,
                                          *counts_on_sql(later, day), outranks_sql(later, Certificate))
                  .exists())
    return (
        select(Product.id.label("product_id"), Certificate.id.label("certificate_id"),
               Certificate.stars)
        .select_from(Product)
        .join(Producer, Producer.id == Product.producer_id)
        .join(Certificate, Certificate.product_id == Product.id)
        .where(*product_listable_sql(), *counts_on_sql(Certificate, day), ~superseded, *narrow)
    )
