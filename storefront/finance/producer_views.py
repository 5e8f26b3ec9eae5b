"""Producers: what they earn (paid but not handed over, earned this period, held, payable, paid
out), their fee, statements (page, CSV, PDF) and where they are paid."""
from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func

from ..extensions import db
from ..notifications import services as notify
from ..orders.models import LineStatus, Order, OrderLine, PaymentStatus, Pickup, PickupStatus
from ..payments.bank_directory import bank_for
from ..timeutil import local_today
from ..web.producer import bp
from . import fees, payouts, settlement
from .forms import BankAccountForm
from .models import Statement

PAID = (PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUND_PENDING)
OPEN = (PickupStatus.CONFIRMED, PickupStatus.READY)


def _producer():
    return current_user.producer


def awaiting_hand_over(producer_id: int) -> int:
    """Return what shoppers paid for this producer's lines not handed over yet."""
    return int(db.session.scalar(
        db.select(func.coalesce(func.sum(OrderLine.quantity * OrderLine.unit_price), 0))
        .join(Pickup, Pickup.id == OrderLine.pickup_id).join(Order, Order.id == Pickup.order_id)
        .where(OrderLine.producer_id == producer_id, OrderLine.status != LineStatus.CANCELLED,
               Pickup.status.in_(OPEN), Order.payment_status.in_(PAID))) or 0)


@bp.get("/earnings", endpoint="earnings")
def earnings_page():
    producer = _producer()
    start, end = settlement.period_of(local_today())
    return render_template(
        "finance/producer_earnings.html", producer=producer,
        earnings=payouts.earnings_of(producer.id), awaiting=awaiting_hand_over(producer.id),
        period=settlement.statement(producer.id, start, end),
        rate=fees.rate_for(producer.id), agreements=fees.agreements_of(producer.id),
        paid=payouts.payouts_of(producer.id), statements=settlement.statements_of(producer.id),
        account=payouts.current_account(producer.id), form=BankAccountForm(formdata=None),
        bank_for=bank_for, percent_text=fees.percent_text)


def _statement_of(statement_id: int) -> Statement:
    found = db.session.get(Statement, statement_id)
    if found is None or found.producer_id != _producer().id:
        abort(404)
    return found


@bp.get("/earnings/statements/<int:statement_id>")
def statement_page(statement_id: int):
    closed = _statement_of(statement_id)
    view = settlement.statement(closed.producer_id, closed.period_start, closed.period_end)
    return render_template("finance/statement.html", closed=closed, view=view,
                           producer=_producer())


@bp.get("/earnings/statements/<int:statement_id>.csv")
def statement_csv(statement_id: int):
    closed = _statement_of(statement_id)
    view = settlement.statement(closed.producer_id, closed.period_start, closed.period_end)
    return Response(settlement.statement_csv(view), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="statement-'
                             f'{closed.period_start.isoformat()}.csv"'})


@bp.get("/earnings/statements/<int:statement_id>.pdf")
def statement_pdf(statement_id: int):
    closed = _statement_of(statement_id)
    view = settlement.statement(closed.producer_id, closed.period_start, closed.period_end)
    return Response(settlement.statement_pdf(view, _producer().name), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="statement-'
                             f'{closed.period_start.isoformat()}.pdf"'})


@bp.post("/earnings/bank-account")
def change_bank_account():
    form = BankAccountForm()
    if not form.validate_on_submit():
        flash(_("Vui lòng điền đủ ngân hàng, số tài khoản, tên chủ tài khoản và mật khẩu."), "error")
        return redirect(url_for("producer.earnings"), 303)
    user = current_user._get_current_object()

    def tell_old_address(email: str) -> None:
        notify.queue("bank_account_changed", email, user.locale or "vi",
                     producer=_producer(), bank=bank_for(form.bank_bin.data),
                     last_digits=form.account_number.data.replace(" ", "")[-4:])

    try:
        payouts.change_account(_producer(), user, form.password.data, form.bank_bin.data,
                               form.account_number.data, form.holder_name.data, tell_old_address)
    except payouts.PayoutError as error:
        flash(str(error), "error")
    else:
        flash(_("Đã lưu tài khoản nhận tiền. Quản trị viên sẽ xác minh trước lần chi trả đầu tiên."),
              "success")
    return redirect(url_for("producer.earnings"), 303)
