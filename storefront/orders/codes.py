"""Pickup codes and guest access tokens: random, shown once, stored only as keyed hashes."""
import hashlib
import hmac
import secrets

from flask import current_app

from ..extensions import db
from .models import Order

# No 0/O, 1/I/L: codes are read aloud and typed at a till.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# Payment codes shoppers write in a bank transfer: ``OCOP`` and 8 digits (``payments.bank`` reads them).
CODE_PREFIX = "OCOP"
CODE_DIGITS = 8


def new_pickup_code() -> str:
    """Return a fresh code shown to the shopper as ``ABCD-EFGH``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _keyed_hash(message: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def hash_pickup_code(pickup_id: int, code: str) -> str:
    """Hash a code bound to its pickup, so it opens no other pickup."""
    return _keyed_hash(f"pickup:{pickup_id}:{normalize_code(code)}")


def code_matches(pickup, code: str) -> bool:
    return hmac.compare_digest(pickup.code_hash, hash_pickup_code(pickup.id, code))


def new_access_token() -> str:
    return secrets.token_urlsafe(24)


def hash_access_token(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def token_matches(order, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(order.access_token_hash, hash_access_token(token))


def pickup_code_for(access_token: str, pickup_id: int) -> str:
    """Derive a pickup's code from its order's access token.

    The shopper must be able to see their codes again at the outlet, days later, yet the
    database holds only hashes. So each code is HMAC(access token, pickup id) mapped to
    ``ALPHABET``: whoever holds the token (the order link, or the placing browser's session)
    can recompute it, and the database keeps only ``hash_access_token`` and
    ``hash_pickup_code``. The token is ``secrets.token_urlsafe(24)`` (192 random bits), so the
    codes stay as unpredictable as random ones.
    """
    digest = hmac.new(access_token.encode(), f"pickup-code:{pickup_id}".encode(),
                      hashlib.sha256).digest()
    number = int.from_bytes(digest, "big")  # 256 bits: the modulo bias over 31**8 is negligible
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    raw = "".join(chars)
    return f"{raw[:4]}-{raw[4:]}"


def new_payment_code() -> str:
    """Return an unused payment code: ``OCOP`` and 8 random digits (not derived from the order).

    The column is unique too, so two placements drawing the same code at once cannot both commit.
    """
    while True:
        code = f"{CODE_PREFIX}{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
        if db.session.scalar(db.select(Order.id).where(Order.payment_code == code)) is None:
            return code
