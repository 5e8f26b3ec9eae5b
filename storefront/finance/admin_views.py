"""Admins: the books (balances, trial balance, Stripe reconciliation, period close, differences,
remittances, fees, bank accounts to verify), the journal (reverse an entry, post an adjustment)
and payouts (batches, VietQR, bank file, paid or failed)."""
import uuid

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..catalog.models import Producer
from ..extensions import db
from ..payments import stripe_fees, stripe_payouts
from ..payments.bank_directory import bank_for
from ..payments.views import qr_image
from ..timeutil import local_today
from ..unit_of_work import transaction
from ..web.admin import bp
from . import adjustments, cash, fees, kinds, ledger, payouts, settlement
from .forms import AdjustmentForm, EmptyForm, FailureForm, FeeForm, ReferenceForm, ReversalForm
from .models import AccountKind, BankAccount, JournalEntry, Payout, PayoutBatch, RemittanceStatus

bp.add_app_template_global(kinds.entry_kind_label, "entry_kind_label")

PER_PAGE = 20  # journal entries a page

FINANCE_ERRORS = (payouts.PayoutError, cash.CashError, fees.FeeError)


def _done(action, message: str, to: str):
    try:
        action()
    except FINANCE_ERRORS as error:
        flash(str(error), "error")
    else:
        flash(message, "success")
    return redirect(url_for(to), 303)


def _button(action, message: str, to: str = "admin.finance"):
    """Run a one-button action once its form (the CSRF token) checks out."""
    if not EmptyForm().validate_on_submit():
        flash(_("Phiên làm việc đã hết hạn. Vui lòng thử lại."), "error")
        return redirect(url_for(to), 303)
    return _done(action, message, to)


def _who() -> str:
    return current_user.email


@bp.get("/finance", endpoint="finance")
def finance_page():
    fee_form = FeeForm(formdata=None)
    fee_form.producer_id.choices = _producer_choices()
    unverified = db.session.scalars(db.select(BankAccount).where(BankAccount.verified_at.is_(None))
                                    .order_by(BankAccount.id)).all()
    return render_template(
        "finance/admin_finance.html", balances=ledger.balances(), total=ledger.trial_balance(),
        unbalanced=ledger.unbalanced_entries(), period=settlement.previous_period(local_today()),
        differences=cash.differences(), remittances=cash.remittances(RemittanceStatus.RECORDED),
        unverified=unverified, fee_form=fee_form, form=EmptyForm(formdata=None),
        default_points=fees.default_basis_points(), percent_text=fees.percent_text,
        bank_for=bank_for, clearing=ledger.balance(ledger.find_account(AccountKind.STRIPE)),
        stripe_fees=ledger.balance(ledger.find_account(AccountKind.STRIPE_FEES)),
        stripe_payouts=stripe_payouts.recent(), stripe_totals=stripe_payouts.totals(),
        fee_totals=stripe_fees.totals(), fees_by_hand=stripe_fees.not_posted())


def _producer_choices():
    return [(p.id, p.name) for p in db.session.scalars(db.select(Producer).order_by(Producer.name))]


@bp.post("/finance/close-period")
def close_period():
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("admin.finance"), 303)
    start, end = settlement.previous_period(local_today())
    written = settlement.close_period(start, end)
    flash(_("Đã chốt kỳ %(start)s – %(end)s: %(n)d bảng kê.", start=start.strftime("%d/%m"),
            end=end.strftime("%d/%m/%Y"), n=written), "success")
    return redirect(url_for("admin.finance"), 303)


@bp.post("/finance/fees")
def set_fee():
    form = FeeForm()
    form.producer_id.choices = _producer_choices()
    if not form.validate_on_submit():
        flash(_("Vui lòng chọn cơ sở, nhập phí và ngày áp dụng."), "error")
        return redirect(url_for("admin.finance"), 303)

    def agree():
        with transaction():
            fees.set_rate(form.producer_id.data, fees.percent_to_basis_points(form.percent.data),
                          form.effective_from.data, _who())

    return _done(agree, _("Đã lưu mức phí mới."), "admin.finance")


@bp.post("/finance/bank-accounts/<int:account_id>/verify")
def verify_bank_account(account_id: int):
    return _button(lambda: payouts.verify_account(
        account_id, _who()), _("Đã xác minh tài khoản ngân hàng."))


@bp.post("/finance/shifts/<int:shift_id>/reviewed")
def review_shift(shift_id: int):
    return _button(lambda: cash.review_difference(
        shift_id, _who()), _("Đã ghi nhận chênh lệch."))


@bp.post("/finance/remittances/<int:remittance_id>/confirm")
def confirm_remittance(remittance_id: int):
    return _button(lambda: cash.confirm_remittance(
        remittance_id, _who()), _("Đã xác nhận tiền nộp về."))


# --- payouts ----------------------------------------------------------------------------------

@bp.get("/payouts", endpoint="payouts")
def payouts_page():
    producers = db.session.scalars(db.select(Producer).order_by(Producer.name)).all()
    owed = [(p, payouts.earnings_of(p.id), payouts.current_account(p.id)) for p in producers]
    owed = [row for row in owed if row[1].owed]
    return render_template("finance/admin_payouts.html", owed=owed, batches=payouts.batches(),
                           form=EmptyForm(formdata=None), reference_form=ReferenceForm(formdata=None),
                           failure_form=FailureForm(formdata=None), bank_for=bank_for)


@bp.post("/payouts/batch")
def make_batch():
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("admin.payouts"), 303)
    batch = payouts.make_batch(_who())
    if batch is None:
        flash(_("Chưa có khoản nào đến hạn chi trả cho tài khoản đã xác minh."), "error")
    else:
        flash(_("Đã tạo đợt chi trả %(n)d khoản.", n=len(batch.payouts)), "success")
    return redirect(url_for("admin.payouts"), 303)


@bp.post("/payouts/<int:payout_id>/paid")
def payout_paid(payout_id: int):
    form = ReferenceForm()
    if not form.validate_on_submit():
        flash(_("Vui lòng nhập mã giao dịch của ngân hàng."), "error")
        return redirect(url_for("admin.payouts"), 303)
    return _done(lambda: payouts.mark_paid(payout_id, form.reference.data, _who()),
                 _("Đã ghi nhận chi trả."), "admin.payouts")


@bp.post("/payouts/<int:payout_id>/failed")
def payout_failed(payout_id: int):
    form = FailureForm()
    if not form.validate_on_submit():
        flash(_("Vui lòng ghi lý do."), "error")
        return redirect(url_for("admin.payouts"), 303)
    return _done(lambda: payouts.mark_failed(payout_id, form.note.data, _who()),
                 _("Khoản chi trả đã trở lại số phải trả."), "admin.payouts")


@bp.get("/payouts/<int:payout_id>/vietqr.png")
def payout_qr(payout_id: int):
    return qr_image(payouts.qr_payload(db.get_or_404(Payout, payout_id)))


@bp.get("/payouts/batches/<int:batch_id>.csv")
def payout_batch_csv(batch_id: int):
    batch = db.get_or_404(PayoutBatch, batch_id)
    return Response(payouts.batch_csv(batch), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="payouts-{batch.id}.csv"'})


# --- the journal: reverse an entry, post an adjustment ------------------------------------------

@bp.get("/finance/journal", endpoint="journal")
def journal_page():
    page = db.paginate(adjustments.entries_query(), page=request.args.get("page", 1, type=int),
                       per_page=PER_PAGE, error_out=False)
    return render_template("finance/admin_journal.html", page=page,
                           reversals=adjustments.reversals_of(page.items),
                           page_url=lambda n: url_for("admin.journal", page=n))


def _entry_page(entry: JournalEntry, form: ReversalForm, status: int = 200):
    return render_template("finance/admin_journal_entry.html", entry=entry, form=form,
                           reversal=ledger.reversal_of(entry),
                           reversed_elsewhere=adjustments.REVERSED_ELSEWHERE.get(entry.kind),
                           closed_through=adjustments.closed_through(),
                           closed_today=adjustments.closed_today()), status


@bp.get("/finance/journal/<int:entry_id>", endpoint="journal_entry")
def journal_entry_page(entry_id: int):
    return _entry_page(db.get_or_404(JournalEntry, entry_id), ReversalForm(formdata=None))


@bp.post("/finance/journal/<int:entry_id>/reverse", endpoint="reverse_entry")
def reverse_entry(entry_id: int):
    entry = db.get_or_404(JournalEntry, entry_id)
    form = ReversalForm()
    if not form.validate_on_submit():
        return _entry_page(entry, form, 400)
    try:
        made = adjustments.reverse_entry(entry.id, form.reason.data, _who())
    except adjustments.AdjustmentError as error:
        form.form_errors.append(str(error))
        return _entry_page(db.session.get(JournalEntry, entry_id), form, 409)
    flash(_("Đã đảo bút toán #%(id)d bằng bút toán #%(new)d.", id=entry.id, new=made.id), "success")
    return redirect(url_for("admin.journal_entry", entry_id=made.id), 303)


def _adjustment_page(form: AdjustmentForm, status: int = 200):
    return render_template("finance/admin_adjustment.html", form=form,
                           closed_through=adjustments.closed_through()), status


@bp.get("/finance/adjustments", endpoint="adjustments")
def adjustment_page():
    form = AdjustmentForm(adjustments.chart(), formdata=None)
    form.token.data = uuid.uuid4().hex  # names this adjustment: sent twice, it posts once
    return _adjustment_page(form)


@bp.post("/finance/adjustments", endpoint="post_adjustment")
def post_adjustment():
    form = AdjustmentForm(adjustments.chart())
    if not form.validate_on_submit():
        if form.token.errors:
            form.token.data = uuid.uuid4().hex
        return _adjustment_page(form, 400)
    try:
        made = adjustments.post_adjustment(form.debit.data, form.credit.data, form.amount.data,
                                           form.memo.data, _who(), form.token.data)
    except adjustments.AdjustmentError as error:
        form.form_errors.append(str(error))
        return _adjustment_page(form, 409)
    flash(_("Đã ghi bút toán điều chỉnh #%(id)d.", id=made.id), "success")
    return redirect(url_for("admin.journal_entry", entry_id=made.id), 303)
