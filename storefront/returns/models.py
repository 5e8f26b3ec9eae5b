"""Goods given back after hand-over: one row per order line and return, never edited."""
from ..extensions import db
from ..timeutil import utcnow


class GoodsReturn(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("order.id"), nullable=False, index=True)
    pickup_id = db.Column(db.Integer, db.ForeignKey("pickup.id"), nullable=False, index=True)
    order_line_id = db.Column(db.Integer, db.ForeignKey("order_line.id"), nullable=False, index=True)
    quantity = db.Column(db.Integer, nullable=False)
    amount = db.Column(db.BigInteger, nullable=False)  # whole đồng: quantity × the line's unit price
    reason = db.Column(db.String(300), nullable=False)
    resaleable = db.Column(db.Boolean, nullable=False)  # True: the units went back into stock
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    recorded_by = db.Column(db.String(254), nullable=False)  # the staff member's e-mail
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    line = db.relationship("OrderLine")
    pickup = db.relationship("Pickup")

    __table_args__ = (
        db.CheckConstraint("quantity > 0", name="goods_return_quantity_positive"),
        db.CheckConstraint("amount >= 0", name="goods_return_amount_not_negative"),
    )
