"""The books: accounts, journal entries and their postings, in whole đồng; fee agreements.

An entry is two or more postings that sum to zero (debits positive, credits negative) and is
never edited: a mistake is corrected by a reversing entry. The ledger service checks the sum
before it writes; on PostgreSQL a deferred constraint trigger checks it again at commit and
other triggers refuse any UPDATE or DELETE of the books (``LEDGER_DDL``); every backend
refuses them in the ORM (``ledger._refuse_edits``).
"""
import enum

from sqlalchemy import DDL, event

from ..extensions import db
from ..model_checks import one_of
from ..timeutil import utcnow


class AccountType(enum.StrEnum):
    ASSETS = "Assets"
    LIABILITIES = "Liabilities"
    INCOME = "Income"
    EXPENSES = "Expenses"
    EQUITY = "Equity"


class AccountKind(enum.StrEnum):
    BANK = "bank"                    # the operator's bank account (VietQR in, payouts out)
    STRIPE = "stripe"                # Stripe clearing: card money not yet paid out to the bank
    DRAWER = "drawer"                # an outlet's cash drawer (one per outlet)
    DEPOSITS = "deposits"            # shoppers' money for goods not yet handed over
    OVERPAYMENTS = "overpayments"    # money no order took: paid over, late or unmatched
    REFUNDS_OWED = "refunds_owed"    # money owed back to shoppers until it is sent
    PAYABLE = "payable"              # what the operator owes a producer (one per producer)
    FEE_INCOME = "fee_income"        # the operator's fee on what was handed over
    CASH_DIFFERENCES = "cash_differences"  # counted cash above or below what a drawer expected
    STRIPE_FEES = "stripe_fees"      # what Stripe kept of card payments, posted by an admin from
                                     # Stripe's balance report (an adjustment: clearing → fees)


ACCOUNT_TYPES = {
    AccountKind.BANK: AccountType.ASSETS, AccountKind.STRIPE: AccountType.ASSETS,
    AccountKind.DRAWER: AccountType.ASSETS, AccountKind.DEPOSITS: AccountType.LIABILITIES,
    AccountKind.OVERPAYMENTS: AccountType.LIABILITIES,
    AccountKind.REFUNDS_OWED: AccountType.LIABILITIES, AccountKind.PAYABLE: AccountType.LIABILITIES,
    AccountKind.FEE_INCOME: AccountType.INCOME, AccountKind.CASH_DIFFERENCES: AccountType.EXPENSES,
    AccountKind.STRIPE_FEES: AccountType.EXPENSES,
}


class Account(db.Model):
    """One account of the chart; per-producer and per-outlet accounts are made on first use."""

    id = db.Column(db.Integer, primary_key=True)
    # Beancount's name for it, e.g. "Liabilities:Producers:P000012"; unique.
    code = db.Column(db.String(120), nullable=False, unique=True)
    kind = db.Column(db.String(20), nullable=False)
    type = db.Column(db.String(12), nullable=False)
    producer_id = db.Column(db.Integer, db.ForeignKey("producer.id"), index=True)
    outlet_id = db.Column(db.Integer, db.ForeignKey("outlet.id"), index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    producer = db.relationship("Producer")
    outlet = db.relationship("Outlet")

    __table_args__ = (one_of("kind", AccountKind, "account_kind_known"),
                      one_of("type", AccountType, "account_type_known"))


class JournalEntry(db.Model):
    """One event in the books; ``key`` names its cause once, so a replay cannot post it twice."""

    id = db.Column(db.Integer, primary_key=True)
    key = db.Column(db.String(120), nullable=False, unique=True)
    kind = db.Column(db.String(30), nullable=False, index=True)
    # What a person traces it by: an order number, a payout code (PO…), a remittance code (RM…).
    cause = db.Column(db.String(40), nullable=False, index=True)
    narration = db.Column(db.String(300), nullable=False)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), index=True)
    reverses_id = db.Column(db.Integer, db.ForeignKey("journal_entry.id"), unique=True)
    occurred_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # The admin who posted it by hand (a reversal or an adjustment, ``finance.adjustments``);
    # None for what the shop posts itself.
    posted_by = db.Column(db.String(254))

    postings = db.relationship("Posting", back_populates="entry", order_by="Posting.id")


class Posting(db.Model):
    """One leg of an entry: a whole-đồng amount on one account, debit positive, credit negative."""

    id = db.Column(db.Integer, primary_key=True)
    entry_id = db.Column(db.Integer, db.ForeignKey("journal_entry.id"), nullable=False, index=True)
    account_id = db.Column(db.Integer, db.ForeignKey("account.id"), nullable=False, index=True)
    amount = db.Column(db.BigInteger, nullable=False)
    # The producer's line it comes from, so a statement lists it with its order number.
    order_line_id = db.Column(db.Integer, db.ForeignKey("order_line.id"), index=True)

    entry = db.relationship("JournalEntry", back_populates="postings")
    account = db.relationship("Account")

    __table_args__ = (db.CheckConstraint("amount <> 0", name="posting_not_zero"),)


class FeeAgreement(db.Model):
    """The operator's fee for one producer from a day on; a change is a new row, never an edit."""

    id = db.Column(db.Integer, primary_key=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producer.id"), nullable=False, index=True)
    basis_points = db.Column(db.Integer, nullable=False)  # 1000 = 10 %
    effective_from = db.Column(db.Date, nullable=False)    # a Hanoi day
    set_by = db.Column(db.String(254), nullable=False)
    note = db.Column(db.String(200))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    producer = db.relationship("Producer")

    __table_args__ = (
        db.CheckConstraint("basis_points >= 0 and basis_points <= 10000", name="fee_in_range"),
        db.UniqueConstraint("producer_id", "effective_from", name="one_fee_per_producer_day"),
    )


# PostgreSQL keeps the books honest even against SQL typed by hand: every entry sums to zero
# when its transaction commits, and nothing already written changes or goes away.
LEDGER_DDL = [
    """
    CREATE OR REPLACE FUNCTION ledger_entry_balances() RETURNS trigger AS $$
    DECLARE total numeric;
    BEGIN
        SELECT coalesce(sum(amount), 0) INTO total FROM posting WHERE entry_id = NEW.entry_id;
        IF total <> 0 THEN
            RAISE EXCEPTION 'journal entry % does not balance (%)', NEW.entry_id, total;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE CONSTRAINT TRIGGER posting_entry_balances AFTER INSERT ON posting
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_entry_balances()
    """,
    """
    CREATE OR REPLACE FUNCTION ledger_is_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the books are append-only: % on % refused', TG_OP, TG_TABLE_NAME;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER posting_append_only BEFORE UPDATE OR DELETE ON posting
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only()
    """,
    """
    CREATE TRIGGER journal_entry_append_only BEFORE UPDATE OR DELETE ON journal_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only()
    """,
]

for _statement in LEDGER_DDL:
    event.listen(Posting.__table__, "after_create",
                 DDL(_statement.replace("%", "%%")).execute_if(dialect="postgresql"))


# --- paying producers -----------------------------------------------------------------------------

class BankAccount(db.Model):
    """Where a producer is paid; a change is a new row (the latest is current), verified by an admin
    before the first payout to it."""

    id = db.Column(db.Integer, primary_key=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producer.id"), nullable=False, index=True)
    bank_bin = db.Column(db.String(6), nullable=False)
    account_number = db.Column(db.String(19), nullable=False)
    holder_name = db.Column(db.String(70), nullable=False)  # as the bank writes it, upper case
    created_by = db.Column(db.String(254), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    verified_by = db.Column(db.String(254))
    verified_at = db.Column(db.DateTime)

    producer = db.relationship("Producer")

    @property
    def masked(self) -> str:
        """Return the number as pages show it: all but the last four digits hidden."""
        return "•" * max(len(self.account_number) - 4, 0) + self.account_number[-4:]


class PayoutStatus(enum.StrEnum):
    PENDING = "pending"    # in a batch, waiting for the bank transfer
    PAID = "paid"          # the bank says it left (its outgoing notice) or an admin did
    FAILED = "failed"      # returned or never sent: the amount is payable again


class PayoutBatch(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    created_by = db.Column(db.String(254), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    payouts = db.relationship("Payout", back_populates="batch", order_by="Payout.id")


class Payout(db.Model):
    """One bank transfer to one producer; ``code`` (PO…) goes in the transfer's content."""

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(16), nullable=False, unique=True)
    batch_id = db.Column(db.Integer, db.ForeignKey("payout_batch.id"), nullable=False, index=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producer.id"), nullable=False, index=True)
    bank_account_id = db.Column(db.Integer, db.ForeignKey("bank_account.id"), nullable=False)
    amount = db.Column(db.BigInteger, nullable=False)
    status = db.Column(db.String(10), nullable=False, default=PayoutStatus.PENDING, index=True)
    paid_at = db.Column(db.DateTime)
    paid_by = db.Column(db.String(254))
    bank_reference = db.Column(db.String(120))
    failed_at = db.Column(db.DateTime)
    failure_note = db.Column(db.String(200))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    batch = db.relationship("PayoutBatch", back_populates="payouts")
    producer = db.relationship("Producer")
    bank_account = db.relationship("BankAccount")

    __table_args__ = (db.CheckConstraint("amount > 0", name="payout_positive"),
                      one_of("status", PayoutStatus, "payout_status_known"))


# --- outlet cash ------------------------------------------------------------------------------

class CashShift(db.Model):
    """A shift closed at an outlet: the cash the books expected, what staff counted, the difference."""

    id = db.Column(db.Integer, primary_key=True)
    outlet_id = db.Column(db.Integer, db.ForeignKey("outlet.id"), nullable=False, index=True)
    expected = db.Column(db.BigInteger, nullable=False)
    counted = db.Column(db.BigInteger, nullable=False)
    difference = db.Column(db.BigInteger, nullable=False)  # counted less expected
    note = db.Column(db.String(300))
    closed_by = db.Column(db.String(254), nullable=False)
    closed_at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    reviewed_by = db.Column(db.String(254))  # an admin who looked at a difference
    reviewed_at = db.Column(db.DateTime)

    outlet = db.relationship("Outlet")

    __table_args__ = (db.CheckConstraint("counted >= 0", name="counted_not_negative"),)


class RemittanceStatus(enum.StrEnum):
    RECORDED = "recorded"     # the outlet says it paid the cash in
    CONFIRMED = "confirmed"   # an admin saw it arrive in the bank


class Remittance(db.Model):
    """Cash an outlet paid in to the operator's account; ``code`` (RM…) names it."""

    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(16), nullable=False, unique=True)
    outlet_id = db.Column(db.Integer, db.ForeignKey("outlet.id"), nullable=False, index=True)
    amount = db.Column(db.BigInteger, nullable=False)
    reference = db.Column(db.String(120), nullable=False)  # the bank's, or the deposit slip's
    status = db.Column(db.String(10), nullable=False, default=RemittanceStatus.RECORDED, index=True)
    recorded_by = db.Column(db.String(254), nullable=False)
    recorded_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    confirmed_by = db.Column(db.String(254))
    confirmed_at = db.Column(db.DateTime)

    outlet = db.relationship("Outlet")

    __table_args__ = (db.CheckConstraint("amount > 0", name="remittance_positive"),
                      one_of("status", RemittanceStatus, "remittance_status_known"))


# --- settlement -------------------------------------------------------------------------------

class Statement(db.Model):
    """A producer's statement for one closed settlement period (its lines are read from the books)."""

    id = db.Column(db.Integer, primary_key=True)
    producer_id = db.Column(db.Integer, db.ForeignKey("producer.id"), nullable=False, index=True)
    period_start = db.Column(db.Date, nullable=False)
    period_end = db.Column(db.Date, nullable=False)        # the last day, inclusive (Hanoi)
    opening = db.Column(db.BigInteger, nullable=False)     # owed to the producer at the start
    earned = db.Column(db.BigInteger, nullable=False)      # line amounts handed over
    fees = db.Column(db.BigInteger, nullable=False)
    adjustments = db.Column(db.BigInteger, nullable=False)  # refunds, corrections (signed)
    paid_out = db.Column(db.BigInteger, nullable=False)
    closing = db.Column(db.BigInteger, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    producer = db.relationship("Producer")

    __table_args__ = (db.UniqueConstraint("producer_id", "period_start",
                                          name="one_statement_per_period"),)
