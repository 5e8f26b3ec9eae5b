"""Links that open a bank's own app with the transfer filled in, where the bank publishes one.

VietQR.io's deeplink service (https://www.vietqr.io/deeplink) opens an app by its ``appId`` with
``https://dl.vietqr.io/pay?app=<appId>&ba=<account>@<bank code>&am=<amount>&tn=<note>&bn=<name>``.
Only apps whose autofill vietqr.io's changelog announces, with the appId its own examples use,
are listed: MBBank (``mb``, 2.18), VietinBank iPay (``icb``, 2.17), ACB ONE (``acb``, 2.15) and
OCB Omni (``ocb``, 2.12). Any other app still scans the QR image, saved to the phone's gallery.
"""
from typing import NamedTuple
from urllib.parse import quote


class BankApp(NamedTuple):
    app_id: str
    name: str


BANK_APPS = (BankApp("mb", "MBBank"), BankApp("icb", "VietinBank iPay"), BankApp("acb", "ACB ONE"),
             BankApp("ocb", "OCB Omni"))

# The receiving bank in ``ba``: NAPAS's short code, lower case, by BIN (VietQR.io's bank list).
BANK_CODES = {
    "970436": "vcb", "970415": "icb", "970418": "bidv", "970407": "tcb", "970422": "mb",
    "970416": "acb", "970405": "vba", "970432": "vpb", "970423": "tpb", "970403": "stb",
    "970437": "hdb", "970441": "vib", "970443": "shb", "970431": "eib", "970426": "msb",
    "970448": "ocb",
}
DEEPLINK = "https://dl.vietqr.io/pay"


def app_links(bank_bin: str, account: str, amount: int, note: str, name: str = "") -> list[tuple[str, str]]:
    """Return (app name, link) for each app that opens with this transfer filled in; [] for an unknown bank."""
    code = BANK_CODES.get(bank_bin)
    if code is None:
        return []
    # vietqr.io: keep "@" in ba as it is; the rest is ordinary query encoding
    query = f"ba={quote(account, safe='')}@{code}&am={amount}&tn={quote(note, safe='')}"
    if name:
        query += f"&bn={quote(name, safe='')}"
    return [(app.name, f"{DEEPLINK}?app={app.app_id}&{query}") for app in BANK_APPS]
