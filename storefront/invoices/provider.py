"""What the shop asks of an e-invoice provider, whichever it is: a small interface.

A provider adapter is one module (``viettel.py``; VNPT Invoice or MISA meInvoice would each be
another) with a class implementing ``Provider``, registered in ``adapters.py``. It receives an
``InvoiceDocument`` (what the invoice says, provider-neutral) and answers with ``Issued``; it
raises ``ProviderUnavailable`` when it cannot tell (down, slow, an answer cut off: look up before
creating again) and ``ProviderRefused`` when the provider said no (the message is the provider's).
"""
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol


class ProviderError(Exception):
    """The provider did not issue; the message says why, for the admins."""


class ProviderUnavailable(ProviderError):
    """No answer, a timeout or a server error: the invoice may or may not exist there."""


class ProviderRefused(ProviderError):
    """The provider answered no (bad tax code, template not registered, totals...)."""


@dataclass(frozen=True)
class Seller:
    name: str
    tax_code: str
    address: str


@dataclass(frozen=True)
class Buyer:
    """The buyer's company, or ``None`` fields for a consumer who asked for nothing."""

    legal_name: str | None = None
    tax_code: str | None = None
    address: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class DocumentLine:
    number: int
    name: str
    unit: str
    quantity: int
    unit_price: Decimal          # without tax
    vat_rate: str                # a vat.VatRate value
    amount_without_tax: int
    tax_amount: int
    amount_with_tax: int


@dataclass(frozen=True)
class Original:
    """The issued invoice an adjustment refers to."""

    number: str
    template_code: str
    series: str
    issued_at: datetime


@dataclass(frozen=True)
class InvoiceDocument:
    transaction_uuid: str
    template_code: str
    series: str
    issued_at: datetime          # when the sale happened (UTC)
    seller: Seller
    buyer: Buyer
    payment_method: str          # TM, CK or TM/CK
    lines: list[DocumentLine] = field(default_factory=list)
    adjusts: Original | None = None  # set on an adjustment: it decreases ``adjusts``
    reason: str | None = None


@dataclass(frozen=True)
class Issued:
    """What the provider says of an issued invoice."""

    number: str                  # invoiceNo, its series included
    lookup_code: str | None      # the code a buyer types on the provider's look-up page


class Provider(Protocol):
    def issue(self, document: InvoiceDocument) -> Issued:
        """Create and sign the invoice.

        :raises ProviderUnavailable, ProviderRefused:
        """

    def find(self, transaction_uuid: str) -> Issued | None:
        """Return the invoice issued for our ``transaction_uuid``, or None when there is none.

        :raises ProviderUnavailable:
        """

    def pdf(self, issued_number: str, template_code: str, transaction_uuid: str) -> bytes:
        """Return the invoice's PDF as the provider renders it.

        :raises ProviderUnavailable, ProviderRefused:
        """


@dataclass(frozen=True)
class Account:
    """Where and as whom to issue: the operator's settings, or a producer's own account."""

    provider: str
    url: str
    username: str
    password: str
    supplier_tax_code: str
    timeout: float = 20.0

