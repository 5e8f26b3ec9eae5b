"""The accountant's export: Beancount that bean-check accepts, and a CSV of every posting."""
import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from storefront.extensions import db
from storefront.finance import ledger
from storefront.finance.models import AccountKind, JournalEntry
from storefront.orders import services as orders
from tests.support.factories import StaffUserFactory
from tests.support.transfer_support import (  # noqa: F401  (app fixture)
    app, fresh, notification, post, transfer_order,
)

BEAN_CHECK = Path(sys.executable).with_name("bean-check")


def _books_with_history(client):
    """A paid and handed-over order, an overpaid one, an unmatched transfer with a quote in it."""
    placed, _ = transfer_order(quantity=2, price=150_000)
    post(client, notification(placed.order.payment_code, 300_000))
    staff = StaffUserFactory(outlet=fresh(placed.order).pickups[0].outlet)
    order = fresh(placed.order)
    orders.receive_line(order.lines[0], staff)
    orders.hand_over(fresh(order.pickups[0]), placed.codes[order.pickups[0].id], staff)
    other, _ = transfer_order(quantity=1, price=90_000)
    post(client, notification(other.order.payment_code, 100_000))
    post(client, notification("OCOP00000000", 12_345, content='chuyen "nham" \\ tien',
                              referenceCode='FT"odd'))
    return placed.order


def _run_export(app, tmp_path, fmt):
    target = tmp_path / f"books.{fmt}"
    result = app.test_cli_runner().invoke(args=["finance", "export", "--format", fmt, str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_bean_check_accepts_the_export_and_every_entry_names_its_cause(app, client, tmp_path):
    if not BEAN_CHECK.exists() and shutil.which("bean-check") is None:
        pytest.fail("bean-check is missing: pip install -r requirements-test.txt")
    order = _books_with_history(client)
    target = _run_export(app, tmp_path, "beancount")
    checked = subprocess.run([str(BEAN_CHECK if BEAN_CHECK.exists() else "bean-check"),
                              str(target)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = target.read_text(encoding="utf-8")
    assert f'* "{order.number}" "goods handed over"' in text
    assert "Liabilities:Producers:P" in text and "Income:Operator:Fees  -30000 VND" in text
    entries = db.session.scalars(db.select(JournalEntry)).all()
    assert text.count("\n  key: ") == len(entries) >= 4
    assert all(entry.cause for entry in entries)


def test_bean_check_refuses_books_that_do_not_balance(app, client, tmp_path):
    _books_with_history(client)
    target = _run_export(app, tmp_path, "beancount")
    broken = target.read_text(encoding="utf-8").replace("Income:Operator:Fees  -30000 VND",
                                                        "Income:Operator:Fees  -29999 VND")
    target.write_text(broken, encoding="utf-8")
    checked = subprocess.run([str(BEAN_CHECK), str(target)], capture_output=True, text=True)
    assert checked.returncode != 0  # so the test above proves something


def test_the_csv_has_a_bom_and_one_row_per_posting_summing_to_zero(app, client, tmp_path):
    _books_with_history(client)
    target = _run_export(app, tmp_path, "csv")
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert sum(int(row["amount_vnd"]) for row in rows) == 0
    assert {row["account"] for row in rows} >= {"Assets:Bank:Operator",
                                                "Liabilities:Shoppers:Deposits"}
    bank = sum(int(r["amount_vnd"]) for r in rows if r["account"] == "Assets:Bank:Operator")
    assert bank == ledger.balance(ledger.account(AccountKind.BANK)) == 300_000 + 100_000 + 12_345


def test_the_check_command_says_the_books_balance(app, client):
    _books_with_history(client)
    result = app.test_cli_runner().invoke(args=["finance", "check"])
    assert result.exit_code == 0 and "trial balance 0 VND" in result.output
