"""The VietQR encoder follows NAPAS's payload format to the byte, and reads back what it writes."""
import binascii

import pytest

from storefront.payments import vietqr
from storefront.payments.bank_directory import BANKS, bank_for
from storefront.payments.vietqr import Transfer, VietQRError, crc16, decode, encode

# NAPAS's published example: VietinBank 970415, account 0011001932418, 120,000 đ,
# note "ung ho lu lut" (published as a "static" QR, though its tag 01 reads 12).
VECTOR = ("00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
          "530370454061200005802VN62170813ung ho lu lut6304C15C")


def test_encoder_reproduces_the_published_vector():
    assert encode(Transfer("970415", "0011001932418", 120000, "ung ho lu lut")) == VECTOR


def test_decoder_reads_the_published_vector():
    assert decode(VECTOR) == Transfer("970415", "0011001932418", 120000, "ung ho lu lut")


def test_crc_is_ccitt_false_from_the_standard_library():
    # CRC-16/CCITT-FALSE's check value for "123456789" is 0x29B1.
    assert crc16("123456789") == "29B1"
    assert binascii.crc_hqx(b"123456789", 0xFFFF) == 0x29B1
    assert VECTOR.endswith(crc16(VECTOR[:-4]))


def test_a_crc_starting_with_zero_keeps_its_four_digits():
    payload = encode(Transfer("970436", "0123456789", 6000, "OCOP12345678"))
    assert payload[-4:] == "0E54" and len(payload[-4:]) == 4
    assert decode(payload).amount == 6000


def test_what_is_encoded_decodes_back_for_every_listed_bank():
    for bank_bin in BANKS:
        transfer = Transfer(bank_bin, "1903" + bank_bin, 1_250_000, "OCOP00000042")
        assert decode(encode(transfer)) == transfer


def test_the_fields_are_napas_tags_in_order():
    payload = encode(Transfer("970436", "1023456789", 150000, "OCOP12345678"))
    top = vietqr.fields(payload[:-8])
    assert list(top) == ["00", "01", "38", "53", "54", "58", "62"]
    assert top["01"] == "12"  # dynamic: one payment of this amount
    merchant = vietqr.fields(top["38"])
    assert merchant == {"00": "A000000727", "01": "000697043601101023456789", "02": "QRIBFTTA"}
    assert top["53"] == "704" and top["54"] == "150000" and top["58"] == "VN"
    assert vietqr.fields(top["62"]) == {"08": "OCOP12345678"}


@pytest.mark.parametrize("transfer, message", [
    (Transfer("97043", "1023456789", 1000), "BIN"),
    (Transfer("970436", "1" * 20, 1000), "account"),
    (Transfer("970436", "10234-56789", 1000), "account"),
    (Transfer("970436", "1023456789", 0), "amount"),
    (Transfer("970436", "1023456789", -5), "amount"),
    (Transfer("970436", "1023456789", 10 ** 13), "amount"),
    (Transfer("970436", "1023456789", 1000, "x" * 26), "note"),
    (Transfer("970436", "1023456789", 1000, "ủng hộ"), "note"),
])
def test_over_long_or_unusable_fields_are_refused(transfer, message):
    with pytest.raises(VietQRError, match=message):
        encode(transfer)


def test_a_field_over_99_characters_is_refused():
    with pytest.raises(VietQRError, match="at most 99"):
        vietqr.tlv("62", "x" * 100)


@pytest.mark.parametrize("bad", [
    VECTOR[:-1] + "D",                                  # wrong CRC
    VECTOR.replace("120000", "130000"),                 # changed amount, old CRC
    "0002010102",                                       # no CRC field
])
def test_decoder_refuses_a_damaged_payload(bad):
    with pytest.raises(VietQRError):
        decode(bad)


def test_bank_table_names_the_main_banks():
    assert {b: BANKS[b].short_name for b in ("970436", "970415", "970418", "970407", "970422",
                                             "970416", "970405")} == {
        "970436": "Vietcombank", "970415": "VietinBank", "970418": "BIDV",
        "970407": "Techcombank", "970422": "MB Bank", "970416": "ACB", "970405": "Agribank"}
    assert len(BANKS) >= 40
    assert bank_for("123456").short_name == "123456"
