"""Policies: the current version, every version, publishing a new one, and what an order agreed to.

A version is published once and never changes (``models._refuse_change``); a change is a new
version with its own number and effective date. The *current* version of a policy is the newest
whose effective date has come (Hanoi date).
"""
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..i18n import current_locale
from ..timeutil import local_today, utcnow
from ..unit_of_work import transaction
from . import seller
from .models import AGREED_AT_CHECKOUT, POLICY_TITLES, OrderAgreement, PolicySlug, PolicyVersion

TEXTS = Path(__file__).resolve().parent / "texts"


class PolicyError(Exception):
    """A policy cannot be published as asked; the message is for the admin."""


class UnknownPolicy(LookupError):
    """No such policy (or not in this seller mode), or no such version."""


def slugs() -> list[PolicySlug]:
    """Return the policies this shop publishes: the operating rules only on a trading floor."""
    return [s for s in PolicySlug if s != PolicySlug.RULES or seller.producer_sells()]


def policy_slug(raw: str) -> PolicySlug:
    """:raises UnknownPolicy: not a policy of this shop."""
    if raw not in {s.value for s in slugs()}:
        raise UnknownPolicy(raw)
    return PolicySlug(raw)


def current(slug: str, today: date | None = None) -> PolicyVersion | None:
    """Return the version in force on ``today``: the newest whose effective date has come."""
    return db.session.scalar(
        select(PolicyVersion).where(PolicyVersion.slug == slug,
                                    PolicyVersion.effective_on <= (today or local_today()))
        .order_by(PolicyVersion.number.desc()).limit(1))


def version(slug: str, number: int) -> PolicyVersion:
    """:raises UnknownPolicy: no such version."""
    found = db.session.scalar(select(PolicyVersion).where(PolicyVersion.slug == slug,
                                                          PolicyVersion.number == number))
    if found is None:
        raise UnknownPolicy(f"{slug} v{number}")
    return found


def versions(slug: str) -> list[PolicyVersion]:
    """Return every version of a policy, newest first."""
    return list(db.session.scalars(select(PolicyVersion).where(PolicyVersion.slug == slug)
                                   .order_by(PolicyVersion.number.desc())))


def publish(slug: str, *, title_vi: str, body_vi: str, effective_on: date, by=None,
            title_en: str | None = None, body_en: str | None = None,
            summary_vi: str | None = None, summary_en: str | None = None,
            today: date | None = None) -> PolicyVersion:
    """Publish a new version of a policy, numbered after the last one, in one transaction.

    :raises PolicyError: no Vietnamese text, or an effective date in the past.
    """
    if not (body_vi or "").strip() or not (title_vi or "").strip():
        raise PolicyError(_("Văn bản tiếng Việt là bắt buộc: đó là bản có giá trị pháp lý."))
    if effective_on < (today or local_today()):
        raise PolicyError(_("Ngày hiệu lực không được ở quá khứ: người mua đã đồng ý với bản cũ."))
    with transaction():
        number = (db.session.scalar(select(func.max(PolicyVersion.number))
                                    .where(PolicyVersion.slug == slug)) or 0) + 1
        new = PolicyVersion(slug=slug, number=number, title_vi=title_vi.strip(),
                            title_en=(title_en or "").strip() or None, body_vi=body_vi,
                            body_en=body_en or None, summary_vi=summary_vi or None,
                            summary_en=summary_en or None, effective_on=effective_on,
                            published_at=utcnow(), published_by_id=getattr(by, "id", None))
        db.session.add(new)
    return new


# --- what readers see --------------------------------------------------------------------------

def title(version_or_slug) -> str:
    """Return a policy's title in the reader's language."""
    if isinstance(version_or_slug, PolicyVersion):
        version_ = version_or_slug
        return version_.title_en if _english() and version_.title_en else version_.title_vi
    return str(POLICY_TITLES[PolicySlug(version_or_slug)])


def body(version_: PolicyVersion) -> tuple[str, bool]:
    """Return the Markdown a reader sees, and whether it is the Vietnamese for an English reader."""
    if _english():
        return (version_.body_en, False) if version_.body_en else (version_.body_vi, True)
    return version_.body_vi, False


def _english() -> bool:
    locale = current_locale()
    return locale is not None and locale.language == "en"


# --- checkout ----------------------------------------------------------------------------------

def agreed_at_checkout(today: date | None = None) -> list[PolicyVersion]:
    """Return the current versions a shopper agrees to before placing an order (those published)."""
    return [v for v in (current(s, today) for s in AGREED_AT_CHECKOUT) if v is not None]


def record_agreement(order, version_ids, at=None) -> None:
    """Keep, in the caller's transaction, that ``order``'s shopper agreed to these versions at ``at``."""
    for version_id in sorted(set(version_ids)):
        db.session.add(OrderAgreement(order_id=order.id, policy_version_id=version_id,
                                      agreed_at=at or utcnow()))


def agreements_of(order_id: int) -> list[OrderAgreement]:
    """Return what an order's shopper agreed to, in checkout order (terms, returns, privacy)."""
    rows = db.session.scalars(select(OrderAgreement).where(OrderAgreement.order_id == order_id))
    rank = {slug: i for i, slug in enumerate(PolicySlug)}
    return sorted(rows, key=lambda a: rank[PolicySlug(a.version.slug)])


# --- the texts the shop starts with ------------------------------------------------------------

def publish_defaults(today: date | None = None) -> list[PolicyVersion]:
    """Publish version 1 of every policy that has none, from ``texts/`` (effective today).

    The figures (pickup window, payment deadlines, the operator's identity) are those configured
    now, written into the text: a published version keeps them even when the settings change.
    """
    today = today or local_today()
    made = []
    for slug in PolicySlug:
        if db.session.scalar(select(PolicyVersion.id).where(PolicyVersion.slug == slug).limit(1)):
            continue
        values = _figures()
        made.append(publish(
            slug, title_vi=_TITLES_VI[slug], title_en=_TITLES_EN[slug], effective_on=today,
            body_vi=(TEXTS / f"{slug}.vi.md").read_text(encoding="utf-8").format(**values),
            body_en=(TEXTS / f"{slug}.en.md").read_text(encoding="utf-8").format(**values),
            summary_vi="Bản đầu tiên", summary_en="First version", today=today))
    return made


_TITLES_VI = {
    PolicySlug.TERMS: "Điều khoản chung", PolicySlug.RETURNS: "Chính sách đổi trả và hoàn tiền",
    PolicySlug.PICKUP: "Chính sách nhận hàng", PolicySlug.PAYMENT: "Chính sách thanh toán",
    PolicySlug.PRIVACY: "Chính sách bảo vệ dữ liệu cá nhân", PolicySlug.RULES: "Quy chế hoạt động sàn",
}
_TITLES_EN = {
    PolicySlug.TERMS: "General terms", PolicySlug.RETURNS: "Returns and refunds policy",
    PolicySlug.PICKUP: "Pickup policy", PolicySlug.PAYMENT: "Payment policy",
    PolicySlug.PRIVACY: "Personal data policy", PolicySlug.RULES: "Operating rules of the trading floor",
}


def _figures() -> dict:
    config, who = current_app.config, seller.operator()
    floor = seller.producer_sells()
    return {
        "operator_name": who.legal_name, "operator_address": who.address,
        "operator_tax_code": who.tax_code, "operator_phone": who.phone, "operator_email": who.email,
        "window_days": config["PICKUP_WINDOW_DAYS"], "cutoff": config["PICKUP_ORDER_CUTOFF"],
        "days_ahead": config["PICKUP_DAYS_AHEAD"], "transfer_minutes": config["TRANSFER_PAYMENT_MINUTES"],
        "card_minutes": config["PAYMENT_WINDOW_MINUTES"], "hold_days": config["SETTLEMENT_HOLD_DAYS"],
        "payee": who.legal_name,
        "seller_clause_vi": (
            "Bên bán là **cơ sở sản xuất OCOP** có tên trên trang sản phẩm (người bán trên sàn); "
            f"{who.legal_name} vận hành sàn giao dịch, thu tiền hộ người bán và giải quyết khiếu nại."
            if floor else
            f"Bên bán là **{who.legal_name}**; các cơ sở sản xuất OCOP gửi hàng để bán qua website này."),
        "seller_clause_en": (
            "The seller is the **OCOP producer** named on the product page (a seller on the trading "
            f"floor); {who.legal_name} runs the floor, collects payment for the sellers and handles complaints."
            if floor else
            f"The seller is **{who.legal_name}**; OCOP producers consign their goods for sale on this site."),
    }
