"""A local HTTP server that answers like Viettel S-Invoice, for the shop's adapter to talk to.

It checks every request against the fields of Viettel's integration guide as the adapter's
docstring lists them (``storefront/invoices/viettel.py``) and refuses what Viettel refuses: a
missing or unknown block or field, a wrong bearer token, a template or series the account has not
registered, a missing or invalid seller or buyer tax code (python-stdnum's ``vn.mst``), lines and
totals that do not add up (the guide's validators 43, 44, 49 and 87, tax breakdowns per rate), an
adjustment of an invoice it never issued, and a reused ``transactionUuid`` with other content
(``TRANSACTION_UUID_INVALID``); the same ``transactionUuid`` with the same content answers the
invoice already issued. Tests make it go down (503), slow, or lose its answer after issuing.
Fixtures: ``einvoice_server`` and ``einvoice_app``; import them into a test module.
"""
import base64
import itertools
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
from stdnum.vn import mst

from storefront.extensions import db as _db

USERNAME, PASSWORD, TAX_CODE = "0100109106-509", "2wsxCDE#", "0100109106"
TEMPLATE, SERIES = "1/001", "C26TOC"
API = "/services/einvoiceapplication/api/InvoiceAPI"

GENERAL = {"invoiceType", "templateCode", "invoiceSeries", "invoiceIssuedDate", "currencyCode",
           "adjustmentType", "paymentStatus", "cusGetInvoiceRight", "transactionUuid",
           "adjustmentInvoiceType", "originalInvoiceId", "originalInvoiceIssueDate",
           "originalTemplateCode", "adjustedNote", "additionalReferenceDesc", "additionalReferenceDate"}
BUYER = {"buyerName", "buyerLegalName", "buyerTaxCode", "buyerAddressLine", "buyerEmail",
         "buyerNotGetInvoice", "buyerPhoneNumber"}
SELLER = {"sellerLegalName", "sellerTaxCode", "sellerAddressLine"}
ITEM = {"lineNumber", "selection", "itemName", "unitName", "unitPrice", "quantity",
        "itemTotalAmountWithoutTax", "taxPercentage", "taxAmount", "itemTotalAmountWithTax",
        "itemTotalAmountAfterDiscount", "itemDiscount", "isIncreaseItem", "itemCode"}
SUMMARY = {"sumOfTotalLineAmountWithoutTax", "totalAmountWithoutTax", "totalTaxAmount",
           "totalAmountWithTax", "totalAmountAfterDiscount", "totalAmountWithTaxInWords",
           "discountAmount", "isTotalAmountPos", "isTotalTaxAmountPos", "isTotalAmtWithoutTaxPos"}
BREAKDOWN = {"taxPercentage", "taxableAmount", "taxAmount", "taxableAmountPos", "taxAmountPos"}
BLOCKS = {"generalInvoiceInfo", "buyerInfo", "sellerInfo", "payments", "itemInfo", "taxBreakdowns",
          "summarizeInfo"}
RATES = {-2, -1, 0, 5, 8, 10}


class Refusal(Exception):
    def __init__(self, code: str, description: str):
        super().__init__(description)
        self.code, self.description = code, description


@dataclass
class Account:
    password: str
    tax_code: str
    templates: set = field(default_factory=lambda: {(TEMPLATE, SERIES)})


@dataclass
class Issued:
    number: str
    reservation_code: str
    content: str
    body: dict


@dataclass
class FakeSInvoice:
    url: str = ""
    accounts: dict = field(default_factory=lambda: {USERNAME: Account(PASSWORD, TAX_CODE)})
    tokens: dict = field(default_factory=dict)          # token -> username
    invoices: dict = field(default_factory=dict)        # (tax code, uuid) -> Issued
    requests: list = field(default_factory=list)        # (path, body) of every request
    down: bool = False                                  # every request answers 503
    delay: float = 0.0                                  # seconds before answering
    lose_answers: int = 0                               # createInvoice issues, then answers 504
    token_seconds: int = 600
    _numbers: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add_account(self, username: str, password: str, tax_code: str, template=TEMPLATE,
                    series=SERIES) -> None:
        self.accounts[username] = Account(password, tax_code, {(template, series)})

    def created(self, tax_code: str | None = None) -> list[Issued]:
        return [i for (code, _uuid), i in self.invoices.items() if tax_code in (None, code)]

    def calls(self, suffix: str) -> list:
        return [body for path, body in self.requests if path.endswith(suffix) or suffix in path]

    # --- the API -----------------------------------------------------------------------------
    def login(self, body: dict):
        account = self.accounts.get(body.get("username"))
        if account is None or account.password != body.get("password"):
            return 401, {"error": "invalid_grant", "error_description": "Bad credentials"}
        token = secrets.token_hex(16)
        self.tokens[token] = body["username"]
        return 200, {"access_token": token, "token_type": "bearer", "expires_in": self.token_seconds,
                     "scope": "openid"}

    def create(self, username: str, tax_code: str, body: dict):
        account = self.accounts[username]
        if tax_code != account.tax_code:
            raise Refusal("SUPPLIER_TAX_CODE_INVALID", "supplierTaxCode is not this account's")
        check_invoice(body, account, self)
        uuid = body["generalInvoiceInfo"]["transactionUuid"]
        content = json.dumps(body, sort_keys=True)
        with self._lock:
            existing = self.invoices.get((tax_code, uuid))
            if existing is not None:
                if existing.content != content:
                    raise Refusal("TRANSACTION_UUID_INVALID", "transactionUuid already used")
                return self._result(tax_code, uuid, existing)
            series = body["generalInvoiceInfo"]["invoiceSeries"]
            issued = Issued(f"{series}{next(self._numbers):08d}", secrets.token_hex(6).upper(),
                            content, body)
            self.invoices[(tax_code, uuid)] = issued
        return self._result(tax_code, uuid, issued)

    @staticmethod
    def _result(tax_code, uuid, issued):
        return {"errorCode": None, "description": None,
                "result": {"supplierTaxCode": tax_code, "invoiceNo": issued.number,
                           "transactionID": uuid, "reservationCode": issued.reservation_code}}

    def search(self, username: str, form: dict):
        if set(form) != {"supplierTaxCode", "transactionUuid"}:
            raise Refusal("BAD_REQUEST", f"expected supplierTaxCode and transactionUuid, got {sorted(form)}")
        if form["supplierTaxCode"] != self.accounts[username].tax_code:
            raise Refusal("SUPPLIER_TAX_CODE_INVALID", "not this account's tax code")
        issued = self.invoices.get((form["supplierTaxCode"], form["transactionUuid"]))
        if issued is None:
            return {"errorCode": "NOT_FOUND_DATA", "description": "Không tìm thấy dữ liệu", "result": None}
        return {"errorCode": None, "description": None,
                "result": [{"invoiceNo": issued.number, "reservationCode": issued.reservation_code,
                            "transactionUuid": form["transactionUuid"], "status": "Hóa đơn gốc"}]}

    def file(self, username: str, body: dict):
        required = {"supplierTaxCode", "invoiceNo", "templateCode", "transactionUuid", "fileType"}
        if set(body) != required or body["fileType"] != "PDF":
            raise Refusal("BAD_REQUEST", f"expected {sorted(required)} with fileType PDF")
        issued = self.invoices.get((body["supplierTaxCode"], body["transactionUuid"]))
        if issued is None or issued.number != body["invoiceNo"]:
            raise Refusal("INVOICE_NOT_FOUND", "no such invoice")
        return {"errorCode": None, "description": None, "fileName": f"{issued.number}.pdf",
                "fileToBytes": base64.b64encode(pdf_bytes(issued.number)).decode()}


def pdf_bytes(number: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=f"Invoice {number}")
    return bytes(pdf.output())


def _require(block: dict, fields: set, where: str, allowed: set) -> None:
    unknown = set(block) - allowed
    if unknown:
        raise Refusal("BAD_REQUEST", f"{where}: unknown fields {sorted(unknown)}")
    missing = [f for f in fields if block.get(f) in (None, "")]
    if missing:
        raise Refusal("BAD_REQUEST", f"{where}: missing {sorted(missing)}")


def check_invoice(body: dict, account: Account, fake: FakeSInvoice) -> None:
    if set(body) - BLOCKS or BLOCKS - set(body) - {"taxBreakdowns"}:
        raise Refusal("BAD_REQUEST", f"blocks must be {sorted(BLOCKS)}, got {sorted(body)}")
    general, items, summary = body["generalInvoiceInfo"], body["itemInfo"], body["summarizeInfo"]
    _require(general, {"invoiceType", "templateCode", "invoiceSeries", "invoiceIssuedDate",
                       "currencyCode", "adjustmentType", "transactionUuid"}, "generalInvoiceInfo", GENERAL)
    if (general["templateCode"], general["invoiceSeries"]) not in account.templates:
        raise Refusal("TEMPLATE_NOT_FOUND", "Mẫu hoá đơn hoặc ký hiệu chưa được đăng ký")
    if not 10 <= len(general["transactionUuid"]) <= 36:
        raise Refusal("TRANSACTION_UUID_INVALID", "transactionUuid must be 10 to 36 characters")
    if general["currencyCode"] != "VND" or not isinstance(general["invoiceIssuedDate"], int):
        raise Refusal("BAD_REQUEST", "currencyCode VND and invoiceIssuedDate in milliseconds")
    increase = general["adjustmentType"] == "1"
    if general["adjustmentType"] == "5":
        _require(general, {"adjustmentInvoiceType", "originalInvoiceId", "originalInvoiceIssueDate",
                           "originalTemplateCode", "adjustedNote"}, "adjustment", GENERAL)
        if not any(i.number == general["originalInvoiceId"] for i in fake.invoices.values()):
            raise Refusal("ORIGINAL_INVOICE_NOT_FOUND", "the original invoice does not exist")
    elif general["adjustmentType"] != "1":
        raise Refusal("BAD_REQUEST", "adjustmentType must be 1 or 5 here")
    seller = body["sellerInfo"]
    _require(seller, SELLER, "sellerInfo", SELLER)
    if seller["sellerTaxCode"] != account.tax_code or not mst.is_valid(seller["sellerTaxCode"]):
        raise Refusal("SELLER_TAX_CODE_INVALID", "Mã số thuế người bán không hợp lệ")
    buyer = body["buyerInfo"]
    _require(buyer, set(), "buyerInfo", BUYER)
    if buyer.get("buyerNotGetInvoice") == 1:
        if buyer.get("buyerTaxCode"):
            raise Refusal("BAD_REQUEST", "a buyer who takes no invoice has no tax code")
    else:
        _require(buyer, {"buyerLegalName", "buyerTaxCode", "buyerAddressLine"}, "buyerInfo", BUYER)
        if not mst.is_valid(buyer["buyerTaxCode"]):
            raise Refusal("BUYER_TAX_CODE_INVALID", "Mã số thuế người mua không hợp lệ")
    if not body["payments"] or not all(p.get("paymentMethodName") in ("TM", "CK", "TM/CK")
                                       for p in body["payments"]):
        raise Refusal("BAD_REQUEST", "payments: paymentMethodName TM, CK or TM/CK")
    _check_items(items, increase)
    _check_totals(items, summary, body.get("taxBreakdowns") or [], increase)


def _check_items(items: list, increase: bool) -> None:
    if not items:
        raise Refusal("BAD_REQUEST", "itemInfo is empty")
    for number, item in enumerate(items, start=1):
        _require(item, {"lineNumber", "itemName", "unitName", "unitPrice", "quantity",
                        "itemTotalAmountWithoutTax", "taxPercentage", "taxAmount"}, "itemInfo", ITEM)
        if item["lineNumber"] != number or item["taxPercentage"] not in RATES:
            raise Refusal("BAD_REQUEST", f"line {number}: lineNumber or taxPercentage")
        if item.get("isIncreaseItem") is not (None if increase else False):
            raise Refusal("BAD_REQUEST", f"line {number}: isIncreaseItem")
        net, tax, rate = item["itemTotalAmountWithoutTax"], item["taxAmount"], max(item["taxPercentage"], 0)
        if abs(item["quantity"] * item["unitPrice"] - net) >= 1:
            raise Refusal("43", f"line {number}: quantity × unitPrice ≠ itemTotalAmountWithoutTax")
        if abs(net * rate / 100 - tax) >= 1:
            raise Refusal("44", f"line {number}: taxAmount ≠ itemTotalAmountWithoutTax × taxPercentage")
        if "itemTotalAmountWithTax" in item and item["itemTotalAmountWithTax"] != net + tax:
            raise Refusal("45", f"line {number}: itemTotalAmountWithTax")


def _check_totals(items: list, summary: dict, breakdowns: list, increase: bool) -> None:
    _require(summary, {"sumOfTotalLineAmountWithoutTax", "totalAmountWithoutTax", "totalTaxAmount",
                       "totalAmountWithTax", "totalAmountWithTaxInWords"}, "summarizeInfo", SUMMARY)
    net = sum(i["itemTotalAmountWithoutTax"] for i in items)
    tax = sum(i["taxAmount"] for i in items)
    if abs(summary["sumOfTotalLineAmountWithoutTax"] - net) >= 1:
        raise Refusal("87", "sumOfTotalLineAmountWithoutTax ≠ Σ itemTotalAmountWithoutTax")
    if abs(summary["totalTaxAmount"] - tax) >= 1:
        raise Refusal("49", "totalTaxAmount ≠ Σ taxAmount")
    if summary["totalAmountWithTax"] != summary["totalAmountWithoutTax"] + summary["totalTaxAmount"]:
        raise Refusal("50", "totalAmountWithTax ≠ totalAmountWithoutTax + totalTaxAmount")
    if summary.get("isTotalAmountPos", True) is not increase and not increase:
        raise Refusal("BAD_REQUEST", "an adjustment that decreases says isTotalAmountPos false")
    by_rate: dict = {}
    for item in items:
        sums = by_rate.setdefault(item["taxPercentage"], [0, 0])
        sums[0] += item["itemTotalAmountWithoutTax"]
        sums[1] += item["taxAmount"]
    for breakdown in breakdowns:
        _require(breakdown, {"taxPercentage", "taxableAmount", "taxAmount"}, "taxBreakdowns", BREAKDOWN)
        if by_rate.pop(breakdown["taxPercentage"], None) != [breakdown["taxableAmount"], breakdown["taxAmount"]]:
            raise Refusal("BAD_REQUEST", f"taxBreakdowns: rate {breakdown['taxPercentage']} does not add up")
    if breakdowns and by_rate:
        raise Refusal("BAD_REQUEST", f"taxBreakdowns: rates {sorted(by_rate)} missing")


def _handler(fake: FakeSInvoice):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            form = self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded")
            try:
                body = dict(parse_qsl(raw.decode())) if form else json.loads(raw or b"{}")
            except ValueError:
                return self._send(400, {"errorCode": "BAD_REQUEST", "description": "not JSON"})
            fake.requests.append((self.path, body))
            if fake.delay:
                time.sleep(fake.delay)
            if fake.down:
                return self._send(503, {"message": "Service Unavailable"})
            if self.path == "/auth/login":
                return self._send(*fake.login(body))
            username = fake.tokens.get(self.headers.get("Authorization", "").removeprefix("Bearer "))
            if username is None:
                return self._send(401, {"error": "unauthorized"})
            try:
                if self.path.startswith(API + "/InvoiceWS/createInvoice/"):
                    answer = fake.create(username, self.path.rsplit("/", 1)[1], body)
                    if fake.lose_answers:
                        fake.lose_answers -= 1
                        return self._send(504, {"message": "Gateway Timeout"})
                    return self._send(200, answer)
                if self.path == API + "/InvoiceWS/searchInvoiceByTransactionUuid":
                    return self._send(200, fake.search(username, body))
                if self.path == API + "/InvoiceUtilsWS/getInvoiceRepresentationFile":
                    return self._send(200, fake.file(username, body))
            except Refusal as refusal:
                return self._send(200, {"errorCode": refusal.code, "description": refusal.description,
                                        "result": None})
            return self._send(404, {"message": "Not Found"})

        def _send(self, status: int, body: dict):
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@pytest.fixture
def einvoice_server():
    """Run a fake Viettel S-Invoice on a free localhost port for one test."""
    fake = FakeSInvoice()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


CREDENTIALS_KEY = "d7DDKZ7AzeHvQ6iEGHT0pdvR9SduBRYWVrG1wBQ5qyY="


def einvoice_config(url: str, **overrides) -> dict:
    return {"EINVOICE_PROVIDER": "viettel", "EINVOICE_URL": url, "EINVOICE_USERNAME": USERNAME,
            "EINVOICE_PASSWORD": PASSWORD, "EINVOICE_TEMPLATE_CODE": TEMPLATE, "EINVOICE_SERIES": SERIES,
            "EINVOICE_TIMEOUT": 2.0, "EINVOICE_CREDENTIALS_KEY": CREDENTIALS_KEY,
            "OPERATOR_LEGAL_NAME": "CÔNG TY TNHH OCOP HÀ NỘI", "OPERATOR_ADDRESS": "1 Tràng Tiền, Hà Nội",
            "OPERATOR_TAX_CODE": TAX_CODE, **overrides}


@pytest.fixture
def einvoice_app(make_app, einvoice_server):
    """An app issuing e-invoices through the fake S-Invoice, with its context pushed."""
    from storefront.invoices import viettel

    viettel.forget_tokens()
    app = make_app(**einvoice_config(einvoice_server.url))
    with app.app_context():
        yield app
        _db.session.remove()
