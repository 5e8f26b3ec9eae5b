"""Outlet cash: what each drawer should hold, shifts closed with the counted amount (differences
recorded, never hidden), and remittances to the operator confirmed by an admin."""
from flask_babel import gettext as _

from ..extensions import db
from ..timeutil import utcnow
from ..unit_of_work import transaction
from . import ledger
from .ledger import Leg
from .models import AccountKind, CashShift, Remittance, RemittanceStatus
from .payouts import new_code

K = AccountKind


class CashError(Exception):
    """A cash action that cannot be done; the message is for the person who tried."""


def expected_in_drawer(outlet_id: int) -> int:
    """Return the cash the books say the outlet's drawer holds now."""
    return ledger.balance(ledger.find_account(K.DRAWER, outlet_id=outlet_id))


def close_shift(outlet_id: int, counted: int, by_label: str, note: str = "") -> CashShift:
    """Close a shift with the counted cash; a difference is booked and flagged to admins.

    The drawer is then what was counted: short cash is an expense, extra cash income's mirror.

    :raises CashError: a negative or non-whole count.
    """
    if not isinstance(counted, int) or counted < 0:
        raise CashError(_("Số tiền đếm được phải là số đồng không âm."))
    with transaction():
        drawer = ledger.account(K.DRAWER, outlet_id=outlet_id)
        db.session.execute(db.select(type(drawer)).where(type(drawer).id == drawer.id)
                           .with_for_update())  # two closings of one drawer take turns
        expected = ledger.balance(drawer)
        shift = CashShift(outlet_id=outlet_id, expected=expected, counted=counted,
                          difference=counted - expected, note=(note or "")[:300],
                          closed_by=by_label, closed_at=utcnow())
        db.session.add(shift)
        db.session.flush()
        ledger.post(f"shift-{shift.id}", "cash_difference", f"SHIFT-{shift.id}",
                    f"cash counted {counted}, expected {expected}", [
                        Leg(drawer, shift.difference),
                        Leg(ledger.account(K.CASH_DIFFERENCES), -shift.difference)])
    return shift


def differences(unreviewed_only: bool = True) -> list[CashShift]:
    query = db.select(CashShift).where(CashShift.difference != 0)
    if unreviewed_only:
        query = query.where(CashShift.reviewed_at.is_(None))
    return db.session.scalars(query.order_by(CashShift.closed_at.desc())).all()


def review_difference(shift_id: int, by_label: str) -> CashShift:
    with transaction():
        shift = db.session.get(CashShift, shift_id)
        if shift is None or shift.reviewed_at is not None:
            raise CashError(_("Chênh lệch này đã được xem."))
        shift.reviewed_by, shift.reviewed_at = by_label, utcnow()
    return shift


def record_remittance(outlet_id: int, amount: int, reference: str, by_label: str) -> Remittance:
    """Record cash the outlet paid in to the operator's account; an admin confirms it later.

    :raises CashError: not a positive amount, no reference, or more than the drawer holds.
    """
    reference = (reference or "").strip()
    if not isinstance(amount, int) or amount <= 0 or not reference:
        raise CashError(_("Nhập số tiền đã nộp và mã tham chiếu của ngân hàng."))
    with transaction():
        if amount > expected_in_drawer(outlet_id) - _recorded_not_confirmed(outlet_id):
            raise CashError(_("Số tiền nộp lớn hơn tiền mặt trong két."))
        remittance = Remittance(code=new_code("RM", Remittance), outlet_id=outlet_id,
                                amount=amount, reference=reference[:120], recorded_by=by_label,
                                recorded_at=utcnow())
        db.session.add(remittance)
    return remittance


def _recorded_not_confirmed(outlet_id: int) -> int:
    return int(db.session.scalar(db.select(db.func.coalesce(db.func.sum(Remittance.amount), 0))
                                 .where(Remittance.outlet_id == outlet_id,
                                        Remittance.status == RemittanceStatus.RECORDED)) or 0)


def confirm_remittance(remittance_id: int, by_label: str) -> Remittance:
    """An admin saw the cash arrive: it leaves the drawer for the bank, once.

    :raises CashError: confirmed already.
    """
    with transaction():
        remittance = db.session.scalar(
            db.select(Remittance).where(Remittance.id == remittance_id).with_for_update()
            .execution_options(populate_existing=True))
        if remittance is None or remittance.status != RemittanceStatus.RECORDED:
            raise CashError(_("Khoản nộp tiền này đã được xác nhận."))
        remittance.status = RemittanceStatus.CONFIRMED
        remittance.confirmed_by, remittance.confirmed_at = by_label, utcnow()
        ledger.post(f"remittance-{remittance.code}", "cash_remitted", remittance.code,
                    f"outlet cash paid in {remittance.reference}", [
                        Leg(ledger.account(K.BANK), remittance.amount),
                        Leg(ledger.account(K.DRAWER, outlet_id=remittance.outlet_id),
                            -remittance.amount)])
    return remittance


def remittances(status: RemittanceStatus | None = None, outlet_id: int | None = None):
    query = db.select(Remittance).order_by(Remittance.recorded_at.desc())
    if status is not None:
        query = query.where(Remittance.status == status)
    if outlet_id is not None:
        query = query.where(Remittance.outlet_id == outlet_id)
    return db.session.scalars(query).all()


def shifts_of(outlet_id: int, limit: int = 20) -> list[CashShift]:
    return db.session.scalars(db.select(CashShift).where(CashShift.outlet_id == outlet_id)
                              .order_by(CashShift.closed_at.desc()).limit(limit)).all()
