"""A local HTTP server that answers like eSMS's ``SendMultipleMessage_V4_post_json``.

It checks every request against the published fields: ``ApiKey`` and ``SecretKey`` (else 101),
``Phone`` as 84… or 0… (else 108), ``Brandname`` registered (else 104), ``SmsType`` "2",
``IsUnicode`` "0" with a text of plain ASCII no longer than 160 (else 146, the registered template
is plain), a ``RequestId`` (a second request with one it has seen answers 124 and sends nothing)
and a ``CallbackUrl``. ``fail_next`` scripts the next answers (codes, ``"timeout"``, ``"down"``);
``callback(message, status)`` returns the query string eSMS would GET the callback URL with.
"""
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

API_KEY = "esms-api-key-test"
SECRET_KEY = "esms-secret-key-test"
BRANDNAME = "OCOP_HANOI"
PHONE = re.compile(r"^(84|0)\d{9}$")
PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"


@dataclass
class Sms:
    phone: str
    text: str
    request_id: str
    sms_id: str
    callback_url: str | None


@dataclass
class FakeEsms:
    url: str = ""
    messages: list = field(default_factory=list)
    requests: list = field(default_factory=list)   # every request body, refused ones too
    blocked: set = field(default_factory=set)      # phones eSMS refuses (code 99)
    fail_next: list = field(default_factory=list)
    slow_seconds: float = 3.0
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, phone: str) -> list[Sms]:
        return [m for m in self.messages if m.phone == phone]

    def callback(self, message: Sms, status: str = "5") -> str:
        """Return the path and query eSMS GETs on ``message``'s callback URL."""
        failed = "0" if status == "5" else "1"
        query = urlencode({"SMSID": message.sms_id, "SendFailed": failed, "SendStatus": status,
                           "SendSuccess": "1" if failed == "0" else "0", "TotalPrice": "0.0000",
                           "TotalReceiver": "1", "TotalSent": "1", "RequestId": message.request_id,
                           "TypeId": "2", "telcoid": "1", "phonenumber": message.phone})
        return f"{urlsplit(message.callback_url).path}?{query}"

    def route(self, method, path, headers, raw):
        if method != "POST" or path != PATH:
            return 404, {"CodeResult": "118", "ErrorMessage": "unknown endpoint"}
        try:
            body = json.loads(raw)
        except ValueError:
            return 200, {"CodeResult": "110", "ErrorMessage": "invalid JSON"}
        with self._lock:
            self.requests.append(body)
            code = self._problem(body)
            if code:
                return 200, {"CodeResult": code, "CountRegenerate": 0, "ErrorMessage": "refused"}
            if any(m.request_id == body["RequestId"] for m in self.messages):
                return 200, {"CodeResult": "124", "CountRegenerate": 0,
                             "ErrorMessage": "Duplicate RequestId"}
            scripted = self.fail_next.pop(0) if self.fail_next else None
            if isinstance(scripted, str) and scripted.isdigit():
                return 200, {"CodeResult": scripted, "CountRegenerate": 0, "ErrorMessage": "scripted"}
            if scripted in ("down", "unavailable"):
                return scripted
            sms = Sms(body["Phone"], body["Content"], body["RequestId"],
                      f"sms-{next(self._ids)}", body.get("CallbackUrl"))
            self.messages.append(sms)
        if scripted == "timeout":
            time.sleep(self.slow_seconds)
        return 200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": sms.sms_id}

    def _problem(self, body: dict) -> str | None:
        if body.get("ApiKey") != API_KEY or body.get("SecretKey") != SECRET_KEY:
            return "101"
        if not PHONE.match(str(body.get("Phone", ""))):
            return "108"
        if body["Phone"] in self.blocked:
            return "99"
        if body.get("Brandname") != BRANDNAME:
            return "104"
        if body.get("SmsType") != "2":
            return "118"
        text = body.get("Content") or ""
        if body.get("IsUnicode") != "0" or not text.isascii() or len(text) > 160:
            return "146"
        if not body.get("RequestId") or len(body["RequestId"]) > 50 or not body.get("CallbackUrl"):
            return "110"
        return None
