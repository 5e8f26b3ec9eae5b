"""Viettel S-Invoice (REST/JSON): the adapter behind ``provider.Provider``.

Field names and endpoints follow Viettel's integration guide ("Tài liệu tích hợp API HĐĐT
S-Invoice", the ``InvoiceWS`` / ``InvoiceUtilsWS`` web services) as public clients use them —
Odoo's ``l10n_vn_edi_viettel`` (``generalInvoiceInfo``, adjustments with ``adjustmentType`` 5,
``originalInvoiceId``, ``originalInvoiceIssueDate``, ``originalTemplateCode``; ``taxBreakdowns``
with ``taxableAmountPos``/``taxAmountPos``; ``searchInvoiceByTransactionUuid`` as a form post of
``supplierTaxCode`` and ``transactionUuid``), and TypeScript/Go clients on GitHub that list the
guide's ``summarizeInfo`` fields and its validators 43/44/49/87 (see ``vat.py``):

- ``POST {url}/auth/login`` ``{"username", "password"}`` → ``{"access_token", "expires_in", ...}``;
  the token is kept (per account) until shortly before it expires and sent as a bearer token.
- ``POST {url}/services/einvoiceapplication/api/InvoiceAPI/InvoiceWS/createInvoice/{supplierTaxCode}``
  with ``generalInvoiceInfo``, ``buyerInfo``, ``sellerInfo``, ``payments``, ``itemInfo``,
  ``taxBreakdowns`` and ``summarizeInfo`` → ``{"errorCode", "description", "result":
  {"supplierTaxCode", "invoiceNo", "transactionID", "reservationCode"}}``.
- ``POST …/InvoiceWS/searchInvoiceByTransactionUuid`` (form) → ``result`` a list, or ``errorCode``
  ``NOT_FOUND_DATA``.
- ``POST …/InvoiceUtilsWS/getInvoiceRepresentationFile`` ``{"supplierTaxCode", "invoiceNo",
  "templateCode", "transactionUuid", "fileType": "PDF"}`` → ``{"fileToBytes": base64, "fileName"}``.

Dates are milliseconds since the epoch. Amounts of an adjustment are positive, with
``isIncreaseItem: false`` and the ``…Pos: false`` flags saying they decrease the original.
"""
import base64
import threading
import time

import requests

from . import vat
from .provider import (
    Account, InvoiceDocument, Issued, ProviderRefused, ProviderUnavailable,
)
from .words import in_words

API = "/services/einvoiceapplication/api"
LOGIN = "/auth/login"
CREATE = API + "/InvoiceAPI/InvoiceWS/createInvoice/{tax_code}"
SEARCH = API + "/InvoiceAPI/InvoiceWS/searchInvoiceByTransactionUuid"
FILE = API + "/InvoiceAPI/InvoiceUtilsWS/getInvoiceRepresentationFile"
NOT_FOUND = "NOT_FOUND_DATA"
# The codes Viettel answers when a transactionUuid was already used: the invoice exists, look it up.
UUID_USED = {"TRANSACTION_UUID_INVALID", "TRANSACTION_IS_BEING_PROCESSED", "DUPLICATE_TRANSACTION_UUID"}
INVOICE_TYPE = "1"  # a VAT invoice (hóa đơn GTGT), template "1/…"
ADJUSTMENT = "5"    # adjustmentType: 1 original, 3 replacement, 5 adjustment
MONEY_ADJUSTMENT = "1"  # adjustmentInvoiceType: the adjustment changes amounts
NOT_SUBJECT = -2    # taxPercentage for goods not subject to VAT (KCT)
TOKEN_MARGIN = 60   # seconds: log in again this long before the token expires

_tokens: dict[tuple[str, str], tuple[str, float]] = {}  # (url, username) -> (token, expires at)
_token_lock = threading.Lock()


def forget_tokens() -> None:
    """Drop every kept token (tests; a changed password)."""
    with _token_lock:
        _tokens.clear()


def _millis(moment) -> int:
    from datetime import timezone

    return int(moment.replace(tzinfo=timezone.utc).timestamp()) * 1000


class ViettelSInvoice:
    name = "viettel"

    def __init__(self, account: Account):
        self.account = account
        self.base = account.url.rstrip("/")

    # --- the interface -----------------------------------------------------------------------
    def issue(self, document: InvoiceDocument) -> Issued:
        body = self._post_json(CREATE.format(tax_code=self.account.supplier_tax_code), payload(document))
        code = body.get("errorCode")
        # A reused transactionUuid (UUID_USED) is refused too: ours are reused only with the same
        # content, which Viettel answers with the invoice; the next attempt looks it up first.
        if code:
            raise ProviderRefused(f"{code}: {body.get('description') or ''}".strip(": "))
        result = body.get("result") or {}
        if not result.get("invoiceNo"):
            raise ProviderUnavailable(f"no invoice number in the answer: {body!r}"[:500])
        return Issued(result["invoiceNo"], result.get("reservationCode"))

    def find(self, transaction_uuid: str) -> Issued | None:
        body = self._post_form(SEARCH, {"supplierTaxCode": self.account.supplier_tax_code,
                                        "transactionUuid": transaction_uuid})
        if body.get("errorCode") == NOT_FOUND:
            return None
        if body.get("errorCode"):
            raise ProviderUnavailable(f"{body['errorCode']}: {body.get('description') or ''}")
        found = [r for r in body.get("result") or [] if r.get("invoiceNo")]
        if not found:
            return None
        return Issued(found[0]["invoiceNo"], found[0].get("reservationCode"))

    def pdf(self, issued_number: str, template_code: str, transaction_uuid: str) -> bytes:
        body = self._post_json(FILE, {"supplierTaxCode": self.account.supplier_tax_code,
                                      "invoiceNo": issued_number, "templateCode": template_code,
                                      "transactionUuid": transaction_uuid, "fileType": "PDF"})
        if body.get("errorCode"):
            raise ProviderRefused(f"{body['errorCode']}: {body.get('description') or ''}")
        try:
            return base64.b64decode(body["fileToBytes"], validate=True)
        except (KeyError, TypeError, ValueError) as error:
            raise ProviderUnavailable("the PDF answer had no file") from error

    # --- HTTP ---------------------------------------------------------------------------------
    def _token(self, fresh: bool = False) -> str:
        key = (self.base, self.account.username)
        with _token_lock:
            kept = _tokens.get(key)
            if kept and not fresh and kept[1] > time.time():
                return kept[0]
        response = self._send("post", LOGIN, json={"username": self.account.username,
                                                   "password": self.account.password}, auth=False)
        if response.status_code in (400, 401, 403):
            raise ProviderRefused(f"login refused ({response.status_code}): {_text(response)}")
        if response.status_code >= 300:
            raise ProviderUnavailable(f"login: HTTP {response.status_code}: {_text(response)}")
        body = _json(response)
        token = body.get("access_token")
        if not token:
            raise ProviderUnavailable("login answered without an access_token")
        expires_in = float(body.get("expires_in") or 300)
        with _token_lock:
            _tokens[key] = (token, time.time() + max(expires_in - TOKEN_MARGIN, 1))
        return token

    def _post_json(self, path: str, data: dict) -> dict:
        return self._authorised(path, json=data)

    def _post_form(self, path: str, data: dict) -> dict:
        return self._authorised(path, data=data)

    def _authorised(self, path: str, **kwargs) -> dict:
        response = self._send("post", path, token=self._token(), **kwargs)
        if response.status_code == 401:  # expired early, or revoked: log in once more
            response = self._send("post", path, token=self._token(fresh=True), **kwargs)
        if response.status_code >= 500:
            raise ProviderUnavailable(f"HTTP {response.status_code}: {_text(response)}")
        body = _json(response)
        if response.status_code >= 400:
            raise ProviderRefused(f"{body.get('errorCode') or response.status_code}: "
                                  f"{body.get('description') or body.get('message') or _text(response)}")
        return body

    def _send(self, method: str, path: str, *, token: str | None = None, auth: bool = True,
              **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            return requests.request(method, self.base + path, headers=headers,
                                    timeout=(min(5.0, self.account.timeout), self.account.timeout),
                                    **kwargs)
        except requests.RequestException as error:
            raise ProviderUnavailable(f"{type(error).__name__}: {error}"[:500]) from error


def _text(response) -> str:
    return (response.text or "")[:300]


def _json(response) -> dict:
    try:
        body = response.json()
    except ValueError as error:
        raise ProviderUnavailable(f"HTTP {response.status_code}, not JSON: {_text(response)}") from error
    if not isinstance(body, dict):
        raise ProviderUnavailable(f"unexpected answer: {body!r}"[:300])
    return body


# --- the request body --------------------------------------------------------------------------

def tax_percentage(rate: str) -> int:
    return NOT_SUBJECT if rate == vat.VatRate.NOT_SUBJECT else vat.percent(rate)


def payload(document: InvoiceDocument) -> dict:
    """Return createInvoice's JSON body for ``document``."""
    increase = document.adjusts is None
    general = {
        "invoiceType": INVOICE_TYPE,
        "templateCode": document.template_code,
        "invoiceSeries": document.series,
        "invoiceIssuedDate": _millis(document.issued_at),
        "currencyCode": "VND",
        "adjustmentType": "1",
        "paymentStatus": True,       # the shop hands over only what is paid for
        "cusGetInvoiceRight": True,
        "transactionUuid": document.transaction_uuid,
    }
    if document.adjusts is not None:
        general.update({
            "adjustmentType": ADJUSTMENT,
            "adjustmentInvoiceType": MONEY_ADJUSTMENT,
            "originalInvoiceId": document.adjusts.number,
            "originalInvoiceIssueDate": _millis(document.adjusts.issued_at),
            "originalTemplateCode": document.adjusts.template_code,
            "adjustedNote": document.reason or "",
            "additionalReferenceDesc": document.reason or "",
            "additionalReferenceDate": _millis(document.issued_at),
        })
    return {
        "generalInvoiceInfo": general,
        "buyerInfo": _buyer(document),
        "sellerInfo": {"sellerLegalName": document.seller.name,
                       "sellerTaxCode": document.seller.tax_code,
                       "sellerAddressLine": document.seller.address},
        "payments": [{"paymentMethodName": document.payment_method}],
        "itemInfo": [_item(line, increase) for line in document.lines],
        "taxBreakdowns": _breakdowns(document, increase),
        "summarizeInfo": _summary(document, increase),
    }


def _buyer(document: InvoiceDocument) -> dict:
    buyer = document.buyer
    if not buyer.tax_code:  # a consumer who asked for no company invoice
        return {"buyerName": "Người mua không lấy hóa đơn", "buyerNotGetInvoice": 1}
    return {"buyerLegalName": buyer.legal_name, "buyerTaxCode": buyer.tax_code,
            "buyerAddressLine": buyer.address, "buyerEmail": buyer.email, "buyerNotGetInvoice": 0}


def _item(line, increase: bool) -> dict:
    return {
        "lineNumber": line.number,
        "selection": 1,  # a good or service (2 note, 3 discount)
        "itemName": line.name,
        "unitName": line.unit,
        "unitPrice": float(line.unit_price),
        "quantity": line.quantity,
        "itemTotalAmountWithoutTax": line.amount_without_tax,
        "taxPercentage": tax_percentage(line.vat_rate),
        "taxAmount": line.tax_amount,
        "itemTotalAmountWithTax": line.amount_with_tax,
        "itemTotalAmountAfterDiscount": line.amount_without_tax,
        "itemDiscount": 0,
        "isIncreaseItem": None if increase else False,
    }


def _breakdowns(document: InvoiceDocument, increase: bool) -> list[dict]:
    rates: dict[int, list[int]] = {}
    for line in document.lines:
        sums = rates.setdefault(tax_percentage(line.vat_rate), [0, 0])
        sums[0] += line.amount_without_tax
        sums[1] += line.tax_amount
    return [{"taxPercentage": rate, "taxableAmount": taxable, "taxAmount": tax,
             "taxableAmountPos": increase, "taxAmountPos": increase}
            for rate, (taxable, tax) in sorted(rates.items())]


def _summary(document: InvoiceDocument, increase: bool) -> dict:
    without = sum(line.amount_without_tax for line in document.lines)
    tax = sum(line.tax_amount for line in document.lines)
    total = without + tax
    return {
        "sumOfTotalLineAmountWithoutTax": without,
        "totalAmountWithoutTax": without,
        "totalTaxAmount": tax,
        "totalAmountWithTax": total,
        "totalAmountAfterDiscount": without,
        "totalAmountWithTaxInWords": in_words(total),
        "discountAmount": 0,
        "isTotalAmountPos": increase,
        "isTotalTaxAmountPos": increase,
        "isTotalAmtWithoutTaxPos": increase,
    }
