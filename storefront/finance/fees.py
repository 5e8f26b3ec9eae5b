"""The operator's fee: a default from configuration, overridden per producer from a day on.

Rates are kept in basis points (1000 = 10 %), so no fraction is ever stored; a fee is the line
amount times the rate, rounded half up to the đồng. A new rate never rewrites history: each
hand-over is charged the rate in force on its Hanoi day, and the entry keeps what was charged.
"""
from datetime import date

from flask import current_app

from ..extensions import db
from ..timeutil import local_today, utcnow
from .models import FeeAgreement


class FeeError(ValueError):
    """A rate or day an admin cannot set; the message is for them."""


def default_basis_points() -> int:
    """Return ``OPERATOR_FEE_PERCENT`` (a whole or decimal percentage) in basis points."""
    return percent_to_basis_points(str(current_app.config.get("OPERATOR_FEE_PERCENT", "10")))


def percent_to_basis_points(text: str) -> int:
    """Read "10", "7.5" or "12,25" as basis points (1000, 750, 1225) without a float.

    :raises FeeError: not a percentage from 0 to 100 with at most two decimals.
    """
    whole, _, frac = text.strip().replace(",", ".").partition(".")
    if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
        raise FeeError(f"not a percentage: {text!r}")
    points = int(whole) * 100 + int((frac + "00")[:2])
    if points > 10000:
        raise FeeError(f"not a percentage: {text!r}")
    return points


def rate_for(producer_id: int, day: date | None = None) -> int:
    """Return the producer's fee in basis points on ``day`` (Hanoi; default today)."""
    day = day or local_today()
    agreed = db.session.scalar(
        db.select(FeeAgreement.basis_points)
        .where(FeeAgreement.producer_id == producer_id, FeeAgreement.effective_from <= day)
        .order_by(FeeAgreement.effective_from.desc()).limit(1))
    return default_basis_points() if agreed is None else agreed


def fee_on(amount: int, basis_points: int) -> int:
    """Return the fee on a whole-đồng amount, rounded half up."""
    return (amount * basis_points + 5000) // 10000


def agreements_of(producer_id: int) -> list[FeeAgreement]:
    return db.session.scalars(db.select(FeeAgreement).where(FeeAgreement.producer_id == producer_id)
                              .order_by(FeeAgreement.effective_from.desc())).all()


def set_rate(producer_id: int, basis_points: int, effective_from: date, by_label: str,
             note: str | None = None) -> FeeAgreement:
    """Agree a new fee from a day on (today or later), in the caller's transaction.

    :raises FeeError: the day is in the past (that would rewrite what was charged), the rate
        is out of range, or a rate already starts that day.
    """
    if effective_from < local_today():
        raise FeeError("a fee cannot start in the past")
    if not 0 <= basis_points <= 10000:
        raise FeeError("a fee is between 0 and 100 %")
    exists = db.session.scalar(db.select(FeeAgreement.id).where(
        FeeAgreement.producer_id == producer_id, FeeAgreement.effective_from == effective_from))
    if exists is not None:
        raise FeeError("a fee already starts that day")
    agreement = FeeAgreement(producer_id=producer_id, basis_points=basis_points,
                             effective_from=effective_from, set_by=by_label, note=note,
                             created_at=utcnow())
    db.session.add(agreement)
    db.session.flush()
    return agreement


def percent_text(basis_points: int) -> str:
    """Write basis points as a percentage without a float: 1000 → "10", 750 → "7.5"."""
    whole, cents = divmod(basis_points, 100)
    return str(whole) if not cents else f"{whole}.{cents:02d}".rstrip("0")
