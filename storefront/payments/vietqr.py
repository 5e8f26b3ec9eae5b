"""VietQR payloads: NAPAS's EMVCo merchant-presented QR for bank transfers (NAPAS 247).

A payload is a string of TLV fields: a 2-digit tag, a 2-digit length, then the value.
Tag 38 holds NAPAS's GUID and the beneficiary (bank BIN and account); tag 63 closes the
payload with a CRC-16/CCITT-FALSE over everything before it, ``6304`` included.
The CRC comes from the standard library: ``binascii.crc_hqx(data, 0xFFFF)`` is exactly
CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR).
"""
import binascii
import io
import re
from dataclasses import dataclass

import segno

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"  # transfer to an account number (QRIBFTTC: to a card)
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
STATIC, DYNAMIC = "11", "12"
MAX_FIELD = 99  # a 2-digit length field
MAX_ACCOUNT = 19
MAX_NOTE = 25  # NAPAS: the purpose of the transaction (tag 62, sub-tag 08) holds at most 25
MAX_AMOUNT_DIGITS = 13

_BIN = re.compile(r"^\d{6}$")
_ACCOUNT = re.compile(r"^[0-9A-Za-z]{1,19}$")
_NOTE = re.compile(r"^[0-9A-Za-z .,\-]*$")


class VietQRError(ValueError):
    """A payload that cannot be built from these values, or a string that is no valid payload."""


@dataclass(frozen=True)
class Transfer:
    """What a VietQR asks a banking app to do: send ``amount`` đồng to an account, with a note."""

    bank_bin: str
    account: str
    amount: int | None = None  # None: the payer types it (a static QR)
    note: str = ""
    dynamic: bool = True


def crc16(data: str) -> str:
    """Return CRC-16/CCITT-FALSE of ``data`` as 4 upper-case hex digits (leading zeros kept)."""
    return f"{binascii.crc_hqx(data.encode('utf-8'), 0xFFFF):04X}"


def tlv(tag: str, value: str) -> str:
    """Return one field; a value longer than 99 characters is refused.

    :raises VietQRError: the value does not fit in a field.
    """
    if len(value) > MAX_FIELD:
        raise VietQRError(f"field {tag} is {len(value)} characters long; at most {MAX_FIELD} fit")
    return f"{tag}{len(value):02d}{value}"


def encode(transfer: Transfer) -> str:
    """Return the VietQR payload for ``transfer``.

    :raises VietQRError: a BIN that is not 6 digits, an account or note too long or with
        characters banks refuse, or an amount that is not a positive whole number of đồng.
    """
    _check(transfer)
    beneficiary = tlv("00", transfer.bank_bin) + tlv("01", transfer.account)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TO_ACCOUNT)
    fields = [tlv("00", "01"), tlv("01", DYNAMIC if transfer.dynamic else STATIC),
              tlv("38", merchant), tlv("53", CURRENCY_VND)]
    if transfer.amount is not None:
        fields.append(tlv("54", str(transfer.amount)))
    fields.append(tlv("58", COUNTRY_VN))
    if transfer.note:
        fields.append(tlv("62", tlv("08", transfer.note)))
    body = "".join(fields) + "6304"
    return body + crc16(body)


def _check(transfer: Transfer) -> None:
    if not _BIN.match(transfer.bank_bin or ""):
        raise VietQRError("the bank BIN must be 6 digits")
    if not _ACCOUNT.match(transfer.account or ""):
        raise VietQRError(f"the account must be 1 to {MAX_ACCOUNT} letters or digits")
    if transfer.amount is not None:
        if isinstance(transfer.amount, bool) or not isinstance(transfer.amount, int) \
                or transfer.amount <= 0 or len(str(transfer.amount)) > MAX_AMOUNT_DIGITS:
            raise VietQRError("the amount must be a positive whole number of đồng")
    if len(transfer.note) > MAX_NOTE:
        raise VietQRError(f"the note is {len(transfer.note)} characters long; at most {MAX_NOTE}")
    if not _NOTE.match(transfer.note):
        raise VietQRError("the note may hold only unaccented letters, digits, spaces and .,-")


# --- decoding ---------------------------------------------------------------------------------

def fields(data: str) -> dict[str, str]:
    """Split a TLV string into ``{tag: value}``.

    :raises VietQRError: a length that is not 2 digits or runs past the end, or a tag twice.
    """
    found, position = {}, 0
    while position < len(data):
        head = data[position:position + 4]
        if len(head) < 4 or not head.isdigit():
            raise VietQRError(f"bad field header at {position}")
        tag, length = head[:2], int(head[2:])
        value = data[position + 4:position + 4 + length]
        if len(value) != length:
            raise VietQRError(f"field {tag} runs past the end")
        if tag in found:
            raise VietQRError(f"field {tag} appears twice")
        found[tag] = value
        position += 4 + length
    return found


def decode(payload: str) -> Transfer:
    """Read a VietQR payload back, checking its CRC and NAPAS's fields.

    :raises VietQRError: a wrong CRC, a missing or unexpected field.
    """
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise VietQRError("the payload does not end with a CRC field")
    if crc16(payload[:-4]) != payload[-4:].upper():
        raise VietQRError("the CRC does not match")
    top = fields(payload[:-8])
    if top.get("00") != "01" or top.get("01") not in (STATIC, DYNAMIC):
        raise VietQRError("not an EMVCo merchant-presented QR")
    if top.get("53") != CURRENCY_VND or top.get("58") != COUNTRY_VN:
        raise VietQRError("not a Vietnamese đồng transfer")
    merchant = fields(top.get("38", ""))
    if merchant.get("00") != NAPAS_GUID or merchant.get("02") not in (SERVICE_TO_ACCOUNT, "QRIBFTTC"):
        raise VietQRError("not a NAPAS transfer")
    beneficiary = fields(merchant.get("01", ""))
    amount = top.get("54")
    if amount is not None and not amount.isdigit():
        raise VietQRError("the amount is not a whole number")
    note = fields(top["62"]).get("08", "") if "62" in top else ""
    return Transfer(bank_bin=beneficiary.get("00", ""), account=beneficiary.get("01", ""),
                    amount=int(amount) if amount is not None else None, note=note,
                    dynamic=top["01"] == DYNAMIC)


def png(payload: str) -> bytes:
    """Return ``payload`` as a QR code image (PNG), large enough for a bank app to scan from a photo."""
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()
