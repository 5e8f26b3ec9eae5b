"""Pickup codes and guest access tokens: random, shown once, stored only as keyed hashes."""
import hashlib
import hmac
import secrets

from flask import current_app

from ..extensions import db
from ..text import CODE_ALPHABET
from .models import Order

CODE_LENGTH = 8  # a pickup code, shown as ``ABCD-EFGH``
# Payment codes shoppers write in a bank transfer: ``OCOP`` and 8 digits (``payments.bank_account`` reads them).
CODE_PREFIX = "OCOP"
CODE_DIGITS = 8


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
    """Tell whether ``token`` opens the order: its access token, or the key its mails carry."""
    if not token:
        return False
    return hmac.compare_digest(order.access_token_hash, hash_access_token(token)) \
        or hmac.compare_digest(link_key(order), token)


def link_key(order) -> str:
    """Return the key every mail about an order carries in its link, so the link opens the order.

    Mails after the first are written when the access token is long gone (only its hash is kept),
    so they carry this instead: a keyed hash of the token's hash, which the shop can make again
    for every mail and which opens the same order page, codes included.
    """
    return _keyed_hash(f"order-link:{order.access_token_hash}")[:32]


def pickup_code_of(order, pickup_id: int) -> str:
    """Derive a pickup's code from the shop's key and the order's token hash.

    The shop can work it out again whenever it shows the order to someone who may see it (the
    signed-in owner on any device, whoever opens a mail's link), and the database alone cannot:
    like ``hash_pickup_code`` it needs ``SECRET_KEY``.
    """
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(),
                      f"pickup-code:{pickup_id}:{order.access_token_hash}".encode(),
                      hashlib.sha256).digest()
    return _as_code(digest)


def code_to_show(pickup, token: str | None = None) -> str | None:
    """Return the pickup's working code, or None when it cannot be worked out.

    Orders placed before codes were derived by ``pickup_code_of`` have codes derived from their
    access token (``pickup_code_for``): those show only to whoever holds that token.
    """
    candidates = [pickup_code_of(pickup.order, pickup.id)]
    if token:
        candidates.append(pickup_code_for(token, pickup.id))
    return next((code for code in candidates if code_matches(pickup, code)), None)


def pickup_code_for(access_token: str, pickup_id: int) -> str:
    """Derive a pickup's code from its order's access token (orders placed before ``pickup_code_of``).

    The shopper must be able to see their codes again at the outlet, days later, yet the
    database holds only hashes. So each code is HMAC(access token, pickup id) mapped to
    ``CODE_ALPHABET``: whoever holds the token (the order link, or the placing browser's session)
    can recompute it, and the database keeps only ``hash_access_token`` and
    ``hash_pickup_code``. The token is ``secrets.token_urlsafe(24)`` (192 random bits), so the
    codes stay as unpredictable as random ones.
    """
    digest = hmac.new(access_token.encode(), f"pickup-code:{pickup_id}".encode(),
                      hashlib.sha256).digest()
    return _as_code(digest)


def _as_code(digest: bytes) -> str:
    number = int.from_bytes(digest, "big")  # 256 bits: the modulo bias over 31**8 is negligible
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
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
