"""Settlement periods (SETTLEMENT_CYCLE, Hanoi days) and each producer's statement for one.

A statement is read from the producer's payable account: the opening balance, each line handed
over with its order number and fee, refunds and other adjustments, payouts, the closing balance.
Closing a period writes one ``Statement`` row per producer with activity (or a balance), once.
"""
import calendar
import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import and_, func

from ..extensions import db
from ..orders.models import OrderLine
from ..timeutil import utc_start_of, utcnow
from ..unit_of_work import transaction
from .kinds import entry_kind_label
from .models import Account, AccountKind, JournalEntry, Posting, Statement

K = AccountKind


def period_of(day: date, cycle: str | None = None) -> tuple[date, date]:
    """Return the first and last day of the settlement period holding ``day``."""
    cycle = cycle or current_app.config.get("SETTLEMENT_CYCLE", "semimonthly")
    last_of_month = calendar.monthrange(day.year, day.month)[1]
    if cycle == "monthly":
        return day.replace(day=1), day.replace(day=last_of_month)
    if cycle == "weekly":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if day.day <= 15:
        return day.replace(day=1), day.replace(day=15)
    return day.replace(day=16), day.replace(day=last_of_month)


def previous_period(day: date, cycle: str | None = None) -> tuple[date, date]:
    start, _end = period_of(day, cycle)
    return period_of(start - timedelta(days=1), cycle)


@dataclass
class StatementLine:
    day: date
    kind: str
    cause: str          # the order number, payout or remittance code
    description: str
    amount: int         # the line's amount (hand-overs) or the movement (others)
    fee: int = 0
    net: int = 0        # what it adds to what the producer is owed


@dataclass
class StatementView:
    producer_id: int
    start: date
    end: date
    opening: int
    lines: list[StatementLine] = field(default_factory=list)

    @property
    def earned(self) -> int:
        return sum(l.amount for l in self.lines if l.kind == "handed_over")

    @property
    def fees(self) -> int:
        return sum(l.fee for l in self.lines)

    @property
    def paid_out(self) -> int:
        return -sum(l.net for l in self.lines if l.kind.startswith("payout"))

    @property
    def adjustments(self) -> int:
        return sum(l.net for l in self.lines
                   if l.kind != "handed_over" and not l.kind.startswith("payout"))

    @property
    def closing(self) -> int:
        return self.opening + sum(l.net for l in self.lines)


def statement(producer_id: int, start: date, end: date) -> StatementView:
    """Read the producer's statement for the days ``start``..``end`` from the books."""
    acct = db.session.scalar(db.select(Account).where(Account.kind == K.PAYABLE,
                                                      Account.producer_id == producer_id))
    view = StatementView(producer_id, start, end, 0)
    if acct is None:
        return view
    since, until = utc_start_of(start), utc_start_of(end + timedelta(days=1))
    view.opening = -int(db.session.scalar(
        db.select(func.coalesce(func.sum(Posting.amount), 0)).join(JournalEntry)
        .where(Posting.account_id == acct.id, JournalEntry.occurred_at < since)) or 0)
    rows = db.session.execute(
        db.select(JournalEntry.occurred_at, JournalEntry.kind, JournalEntry.cause,
                  JournalEntry.narration, Posting.amount, Posting.order_line_id,
                  OrderLine.product_name, OrderLine.quantity, OrderLine.unit_price)
        .join(Posting, Posting.entry_id == JournalEntry.id)
        .outerjoin(OrderLine, OrderLine.id == Posting.order_line_id)
        .where(Posting.account_id == acct.id, JournalEntry.occurred_at >= since,
               JournalEntry.occurred_at < until)
        .order_by(JournalEntry.occurred_at, JournalEntry.id, Posting.id)).all()
    from ..timeutil import local_date_of
    for row in rows:
        net = -row.amount
        if row.kind == "handed_over" and row.order_line_id is not None:
            gross = row.quantity * row.unit_price
            view.lines.append(StatementLine(local_date_of(row.occurred_at), row.kind, row.cause,
                                            f"{row.product_name} × {row.quantity}", gross,
                                            gross - net, net))
        else:
            view.lines.append(StatementLine(local_date_of(row.occurred_at), row.kind, row.cause,
                                            _described(row), net, 0, net))
    return view


def _described(row) -> str:
    """A statement line in the producer's words: the entry's kind, with the product given back or
    the admin's memo of an adjustment (the English narration stays in the books' export)."""
    label = entry_kind_label(row.kind)
    if row.kind == "manual_adjustment":
        return f"{label}: {row.narration}"
    if row.product_name:
        return f"{label}: {row.product_name}"
    return label


def close_period(start: date, end: date) -> int:
    """Write the statement of every producer with activity or a balance in the period; once.

    Return how many statements were written (0 when the period was closed before).
    """
    until = utc_start_of(end + timedelta(days=1))
    with transaction():
        done = set(db.session.scalars(db.select(Statement.producer_id)
                                      .where(Statement.period_start == start)))
        balances = dict(db.session.execute(
            db.select(Account.producer_id, func.sum(Posting.amount))
            .join(Posting, Posting.account_id == Account.id)
            .join(JournalEntry, and_(JournalEntry.id == Posting.entry_id,
                                     JournalEntry.occurred_at < until))
            .where(Account.kind == K.PAYABLE).group_by(Account.producer_id)).all())
        written = []
        for producer_id, views in _views_for_period(start, end, set(balances) - done).items():
            if not views.lines and views.closing == 0:
                continue
            written.append(Statement(
                producer_id=producer_id, period_start=start, period_end=end,
                opening=views.opening, earned=views.earned, fees=views.fees,
                adjustments=views.adjustments, paid_out=views.paid_out, closing=views.closing,
                created_at=utcnow()))
        db.session.add_all(written)
        db.session.flush()
        _tell_producers(written)
    return len(written)


def _tell_producers(statements: list[Statement]) -> None:
    """Mail each producer its statement (through the outbox, sent after the close commits)."""
    from ..catalog.links import absolute_url
    from ..catalog.models import Producer
    from ..notifications import services as notify

    producers = {p.id: p for p in db.session.scalars(db.select(Producer).where(
        Producer.id.in_([s.producer_id for s in statements])))}
    for closed in statements:
        producer = producers.get(closed.producer_id)
        if producer is None or not producer.email:
            continue
        notify.queue("statement_ready", producer.email, _reader_locale(producer),
                     statement=closed, producer=producer,
                     link=absolute_url("producer.statement_page", statement_id=closed.id))


def _reader_locale(producer) -> str:
    """Return the language the producer's people read the shop in: that of the account using the
    producer's e-mail, else of its first account; Vietnamese when it has none."""
    people = sorted(producer.users, key=lambda user: user.id)
    reader = next((u for u in people if (u.email or "").lower() == producer.email.lower()),
                  people[0] if people else None)
    return reader.locale if reader is not None and reader.locale else "vi"


def _views_for_period(start: date, end: date, producer_ids: set[int]) -> dict[int, StatementView]:
    """Read every producer's statement in two queries (the close runs for a whole city)."""
    since, until = utc_start_of(start), utc_start_of(end + timedelta(days=1))
    accounts = dict(db.session.execute(db.select(Account.id, Account.producer_id).where(
        Account.kind == K.PAYABLE, Account.producer_id.in_(producer_ids))).all()) \
        if producer_ids else {}
    views = {pid: StatementView(pid, start, end, 0) for pid in accounts.values()}
    if not accounts:
        return views
    openings = db.session.execute(
        db.select(Posting.account_id, func.sum(Posting.amount)).join(JournalEntry)
        .where(Posting.account_id.in_(accounts), JournalEntry.occurred_at < since)
        .group_by(Posting.account_id)).all()
    for account_id, total in openings:
        views[accounts[account_id]].opening = -int(total)
    rows = db.session.execute(
        db.select(Posting.account_id, JournalEntry.occurred_at, JournalEntry.kind,
                  JournalEntry.cause, Posting.amount, OrderLine.quantity, OrderLine.unit_price)
        .join(JournalEntry, JournalEntry.id == Posting.entry_id)
        .outerjoin(OrderLine, OrderLine.id == Posting.order_line_id)
        .where(Posting.account_id.in_(accounts), JournalEntry.occurred_at >= since,
               JournalEntry.occurred_at < until)).all()
    for row in rows:
        net = -row.amount
        gross = row.quantity * row.unit_price if row.kind == "handed_over" and row.quantity \
            else net
        views[accounts[row.account_id]].lines.append(StatementLine(
            start, row.kind, row.cause, "", gross, gross - net if row.kind == "handed_over" else 0,
            net))
    return views


def statements_of(producer_id: int) -> list[Statement]:
    return db.session.scalars(db.select(Statement).where(Statement.producer_id == producer_id)
                              .order_by(Statement.period_start.desc())).all()


STATEMENT_HEADER = ["date", "kind", "reference", "description", "amount_vnd", "fee_vnd",
                    "net_vnd"]


def statement_csv(view: StatementView) -> str:
    """Return the statement as CSV, UTF-8 with a BOM so spreadsheets read Vietnamese right."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["period", view.start.isoformat(), view.end.isoformat()])
    writer.writerow(["opening_vnd", view.opening])
    writer.writerow(STATEMENT_HEADER)
    for line in view.lines:
        writer.writerow([line.day.isoformat(), line.kind, line.cause, line.description,
                         line.amount, line.fee, line.net])
    writer.writerow(["closing_vnd", view.closing])
    return out.getvalue()


def statement_pdf(view: StatementView, producer_name: str) -> bytes:
    """Return the statement as an A4 PDF (fpdf2 and DejaVu Sans, as the labels use)."""
    from pathlib import Path

    from flask_babel import gettext as _
    from fpdf import FPDF

    from ..i18n import format_vnd

    fonts = Path(__file__).resolve().parent.parent / "fonts"
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_creator("OCOP Hà Nội")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 8, _("Bảng kê thanh toán"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, f"{producer_name} · {view.start.isoformat()} – {view.end.isoformat()}",
             new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 6, f"{_('Số dư đầu kỳ')}: {format_vnd(view.opening)}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with pdf.table(col_widths=(22, 34, 64, 26, 22, 26), text_align="LEFT") as table:
        table.row([_("Ngày"), _("Mã"), _("Diễn giải"), _("Số tiền"), _("Phí"), _("Cộng vào")])
        for line in view.lines:
            table.row([line.day.strftime("%d/%m"), line.cause, line.description or line.kind,
                       format_vnd(line.amount), format_vnd(line.fee), format_vnd(line.net)])
    pdf.ln(2)
    for label, amount in ((_("Tiền hàng đã giao"), view.earned), (_("Phí vận hành"), view.fees),
                          (_("Điều chỉnh"), view.adjustments), (_("Đã chi trả"), view.paid_out),
                          (_("Số dư cuối kỳ"), view.closing)):
        pdf.cell(0, 6, f"{label}: {format_vnd(amount)}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def close_last_period(today: date | None = None) -> tuple[date, date, int]:
    """Close the period before the one ``today`` (Hanoi) is in; return it and the statements written.

    Safe to run every day: a period is closed once, the next runs write nothing.
    """
    from ..timeutil import local_today
    start, end = previous_period(today or local_today())
    return start, end, close_period(start, end)
