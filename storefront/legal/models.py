"""Policy versions (published once, never changed) and the versions each order agreed to."""
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import DDL, event

from ..extensions import db
from ..model_checks import one_of
from ..timeutil import utcnow


class PolicySlug(enum.StrEnum):
    TERMS = "terms"        # general terms of sale (Decree 52/2013 Art. 30, 31)
    RETURNS = "returns"
    PICKUP = "pickup"
    PAYMENT = "payment"
    PRIVACY = "privacy"    # the privacy notice (Law 91/2025); issue 22 item 7 builds on it
    RULES = "rules"        # operating rules of the trading floor: producer mode only


POLICY_TITLES = {
    PolicySlug.TERMS: _l("Điều khoản chung"),
    PolicySlug.RETURNS: _l("Chính sách đổi trả và hoàn tiền"),
    PolicySlug.PICKUP: _l("Chính sách nhận hàng"),
    PolicySlug.PAYMENT: _l("Chính sách thanh toán"),
    PolicySlug.PRIVACY: _l("Chính sách bảo vệ dữ liệu cá nhân"),
    PolicySlug.RULES: _l("Quy chế hoạt động sàn"),
}

# What a shopper agrees to, in one tick, before an order is sent.
AGREED_AT_CHECKOUT = (PolicySlug.TERMS, PolicySlug.RETURNS, PolicySlug.PRIVACY)


class PublishedPolicyChanged(RuntimeError):
    """Something tried to change or delete a published policy version: publish a new one instead."""


class PolicyVersion(db.Model):
    """One published text of a policy, in Vietnamese (the binding text) and English.

    Published once and never changed or deleted (``_refuse_change`` below): an order points at
    the exact version its shopper agreed to, readable forever at ``/policies/<slug>/v<number>``.
    """

    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(20), nullable=False)
    number = db.Column(db.Integer, nullable=False)  # 1, 2, ... per slug
    title_vi = db.Column(db.String(200), nullable=False)
    title_en = db.Column(db.String(200))
    body_vi = db.Column(db.Text, nullable=False)  # Markdown, rendered without raw HTML
    body_en = db.Column(db.Text)
    summary_vi = db.Column(db.String(500))  # what changed, for the version list
    summary_en = db.Column(db.String(500))
    effective_on = db.Column(db.Date, nullable=False)
    published_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    published_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))

    __table_args__ = (
        db.UniqueConstraint("slug", "number", name="uq_policy_version_slug_number"),
        db.Index("ix_policy_version_current", "slug", "effective_on", "number"),
        db.CheckConstraint("number > 0", name="policy_number_positive"),
        one_of("slug", PolicySlug, name="policy_slug_known"),
    )


class OrderAgreement(db.Model):
    """The policy version an order's shopper ticked ``accept_terms`` for, and when."""

    order_id = db.Column(db.Integer, db.ForeignKey("order.id", ondelete="CASCADE"), primary_key=True)
    policy_version_id = db.Column(db.Integer, db.ForeignKey("policy_version.id"), primary_key=True)
    agreed_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    version = db.relationship("PolicyVersion")


@event.listens_for(PolicyVersion, "before_update")
@event.listens_for(PolicyVersion, "before_delete")
def _refuse_change(_mapper, _connection, version: PolicyVersion) -> None:
    raise PublishedPolicyChanged(
        f"policy {version.slug} v{version.number} is published and cannot change; publish a new version")


# PostgreSQL refuses the same even to SQL typed by hand: a published policy version is never
# updated or deleted, and what an order agreed to is never rewritten (it goes only with its order).
POLICY_DDL = [
    """
    CREATE OR REPLACE FUNCTION policy_version_is_final() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'policy % v% is published: it never changes (publish a new version)',
            OLD.slug, OLD.number;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER policy_version_is_final BEFORE UPDATE OR DELETE ON policy_version
    FOR EACH ROW EXECUTE FUNCTION policy_version_is_final()
    """,
    """
    CREATE OR REPLACE FUNCTION order_agreement_is_final() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'what order % agreed to never changes', OLD.order_id;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER order_agreement_is_final BEFORE UPDATE ON order_agreement
    FOR EACH ROW EXECUTE FUNCTION order_agreement_is_final()
    """,
]

# order_agreement is created after policy_version (its foreign key): both triggers then.
for _statement in POLICY_DDL:
    event.listen(OrderAgreement.__table__, "after_create",
                 DDL(_statement.replace("%", "%%")).execute_if(dialect="postgresql"))

