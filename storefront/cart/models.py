"""A signed-in shopper's cart; a guest's lives in the session."""
from ..extensions import db
from ..timeutil import utcnow


class CartItem(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id", ondelete="CASCADE"), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    price_seen = db.Column(db.Integer, nullable=False)  # to flag a price change before checkout
    added_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    product = db.relationship("Product")

    __table_args__ = (
        db.UniqueConstraint("user_id", "product_id"),
        db.CheckConstraint("quantity > 0", name="quantity_positive"),
    )
