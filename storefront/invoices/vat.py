"""VAT on invoice lines: the rates a producer may set, and the one rounding rule.

Shelf prices include VAT (a consumer price is the price to pay, Law on Prices 2023 Art. 4), so an
order line's ``unit_price × quantity`` is the line's amount *with* tax. An invoice line splits it
in whole đồng:

    tax         = round half up (gross × rate / (100 + rate))      0 for 0 % and "not subject"
    without tax = gross − tax
    unit price  = without tax / quantity, to 4 decimals (what the provider prints per unit)

Invoice totals are the sums of the lines, so the total with tax is exactly what the shopper paid.
This satisfies Viettel S-Invoice's checks on a VAT invoice (its error list, validators 43, 44, 49
and 87): |quantity × unit price − without tax| < 1 (4 decimals keep the error under 1 for any
quantity below 20,000), |without tax × rate / 100 − tax| < 1 (at most 0.55 here),
total tax = Σ line tax and Σ lines without tax = the sum without tax. The provider stand-in in
the tests checks the same inequalities.
"""
import enum
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l


class VatRate(enum.StrEnum):
    NOT_SUBJECT = "kct"  # không chịu thuế
    ZERO = "0"
    FIVE = "5"
    EIGHT = "8"
    TEN = "10"


VAT_LABELS = {
    VatRate.TEN: _l("10 %"),
    VatRate.EIGHT: _l("8 % (giảm thuế theo nghị quyết của Quốc hội)"),
    VatRate.FIVE: _l("5 %"),
    VatRate.ZERO: _l("0 %"),
    VatRate.NOT_SUBJECT: _l("Không chịu thuế GTGT"),
}
DEFAULT_RATE = VatRate.TEN


def percent(rate: str) -> int:
    """Return the rate as a whole percentage (0 for "not subject")."""
    return 0 if rate == VatRate.NOT_SUBJECT else int(VatRate(rate))


@dataclass(frozen=True)
class LineAmounts:
    without_tax: int
    tax: int
    with_tax: int

    def unit_price(self, quantity: int) -> Decimal:
        """Return the price of one unit without tax, to 4 decimals."""
        return (Decimal(self.without_tax) / quantity).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def split(gross: int, rate: str) -> LineAmounts:
    """Split a line's amount with tax (whole đồng) into without tax and tax, by the rule above."""
    if gross < 0:
        raise ValueError("amounts are never negative; an adjustment says it decreases")
    r = percent(rate)
    tax = (2 * gross * r + (100 + r)) // (2 * (100 + r)) if r else 0  # half up, in integers
    return LineAmounts(gross - tax, tax, gross)
